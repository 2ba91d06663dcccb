"""tf.contrib.layers.spatial_softmax: values against numpy, the temperature variable,
NCHW, errors and finite-difference gradients."""

import numpy as np
import pytest

import tensorflux as tf

layers = tf.contrib.layers


@pytest.fixture(autouse=True)
def _fresh_graph():
    with tf.Graph().as_default():
        yield


def _np_spatial_softmax(x_nhwc, temperature=1.0):
    b, h, w, c = x_nhwc.shape
    feats = x_nhwc.transpose(0, 3, 1, 2).reshape(b * c, h * w).astype(np.float64) / temperature
    att = np.exp(feats - feats.max(1, keepdims=True))
    att /= att.sum(1, keepdims=True)
    pos_x, pos_y = np.meshgrid(np.linspace(-1, 1, h), np.linspace(-1, 1, w), indexing="ij")
    ex = (att * pos_x.reshape(-1)).sum(1, keepdims=True)
    ey = (att * pos_y.reshape(-1)).sum(1, keepdims=True)
    return np.concatenate([ex, ey], 1).reshape(b, 2 * c)


def test_values_names_and_shape():
    x = np.random.RandomState(0).randn(2, 3, 4, 5).astype(np.float32) * 2
    y = layers.spatial_softmax(tf.constant(x))
    assert y.get_shape().as_list() == [2, 10]  # as TF: the shape refiner folds height * width
    temp = tf.global_variables()
    assert [v.op.name for v in temp] == ["spatial_softmax/temperature"]
    assert temp[0].get_shape().as_list() == []
    assert tf.model_variables() == temp and tf.trainable_variables() == temp
    assert y.op.name.startswith("spatial_softmax/spatial_softmax_op/")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(y), _np_spatial_softmax(x), rtol=1e-5, atol=1e-6)


def test_nchw_temperature_and_collections():
    x = np.random.RandomState(1).randn(2, 4, 3, 3).astype(np.float32)
    y = layers.spatial_softmax(tf.placeholder_with_default(x, [None, 4, None, None]),
                               temperature=0.5, name="kp", data_format="NCHW",
                               variables_collections=["temps"])
    assert [v.op.name for v in tf.get_collection("temps")] == ["kp/temperature"]
    layers.spatial_softmax(tf.zeros([1, 2, 2, 1]), trainable=False, name="frozen")
    assert [v.op.name for v in tf.trainable_variables()] == ["kp/temperature"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        expected = _np_spatial_softmax(x.transpose(0, 2, 3, 1), temperature=0.5)
        np.testing.assert_allclose(sess.run(y), expected, rtol=1e-5, atol=1e-6)


def test_errors_and_arg_scope():
    with pytest.raises(ValueError, match="data_format has to be either NCHW or NHWC"):
        layers.spatial_softmax(tf.zeros([1, 2, 2, 1]), data_format="HWCN")
    with pytest.raises(ValueError, match="num_channels dimension"):
        layers.spatial_softmax(tf.placeholder(tf.float32, [None, 2, 2, None]))
    with tf.contrib.framework.arg_scope([layers.spatial_softmax], temperature=2.0):
        layers.spatial_softmax(tf.zeros([1, 2, 2, 1]))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(tf.global_variables()[-1]) == 2.0


def test_gradients():
    """d(<y, r>)/d(features) and d/d(temperature) against central differences (float32 graph,
    so a 1e-3 step)."""
    rng = np.random.RandomState(2)
    x0 = rng.randn(1, 3, 2, 2).astype(np.float32)
    x = tf.placeholder(tf.float32, x0.shape)
    y = layers.spatial_softmax(x, temperature=0.7)
    r = rng.randn(1, 4).astype(np.float32)
    loss = tf.reduce_sum(y * r)
    temp = tf.global_variables()[0]
    gx, gt = tf.gradients(loss, [x, temp])
    eps = 1e-3
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        ax, at = sess.run([gx, gt], {x: x0})
        numeric = np.zeros_like(x0, np.float64)
        for idx in np.ndindex(*x0.shape):
            for sign in (1, -1):
                xp = x0.copy()
                xp[idx] += sign * eps
                numeric[idx] += sign * sess.run(loss, {x: xp}) / (2 * eps)
        np.testing.assert_allclose(ax, numeric, atol=2e-3)
        nt = 0.0
        for sign in (1, -1):
            sess.run(temp.assign(0.7 + sign * eps))
            nt += sign * sess.run(loss, {x: x0}) / (2 * eps)
        np.testing.assert_allclose(at, nt, atol=2e-3)
