"""tf.contrib.layers.instance_norm / group_norm: values against numpy, TF 1.15's variable
names, defaults, arg_scope, errors and finite-difference gradients."""

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf

layers = tf.contrib.layers


def _np_instance_norm(x, eps=1e-6, nchw=False, beta=None, gamma=None):
    axes = tuple(range(2, x.ndim)) if nchw else tuple(range(1, x.ndim - 1))
    mean = x.mean(axis=axes, keepdims=True)
    var = x.var(axis=axes, keepdims=True)
    y = (x - mean) / np.sqrt(var + eps)
    shape = [1] * x.ndim
    shape[1 if nchw else -1] = -1
    if gamma is not None:
        y = y * gamma.reshape(shape)
    if beta is not None:
        y = y + beta.reshape(shape)
    return y


def _np_group_norm(x, groups, channels_axis, reduction_axes, eps=1e-6, beta=None, gamma=None):
    c = x.shape[channels_axis]
    shape = list(x.shape[:channels_axis]) + [groups, c // groups] + list(
        x.shape[channels_axis + 1:])
    xg = x.reshape(shape)
    axes = [channels_axis + 1] + [a + 1 if a > channels_axis else a for a in reduction_axes]
    mean = xg.mean(axis=tuple(axes), keepdims=True)
    var = xg.var(axis=tuple(axes), keepdims=True)
    y = ((xg - mean) / np.sqrt(var + eps)).reshape(x.shape)
    pshape = [1] * x.ndim
    pshape[channels_axis] = c
    if gamma is not None:
        y = y * gamma.reshape(pshape)
    if beta is not None:
        y = y + beta.reshape(pshape)
    return y


def _run(out, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(out, feed)


@pytest.fixture(autouse=True)
def _fresh_graph():
    with tf.Graph().as_default():
        yield


def test_instance_norm_nhwc_values_and_names():
    x = np.random.RandomState(0).randn(2, 5, 4, 3).astype(np.float32) * 3 + 1
    y = layers.instance_norm(tf.constant(x))
    names = [v.op.name for v in tf.global_variables()]
    assert names == ["InstanceNorm/beta", "InstanceNorm/gamma"]
    assert [v.op.name for v in tf.model_variables()] == names
    assert [v.op.name for v in tf.trainable_variables()] == names
    assert y.name.startswith("InstanceNorm/instancenorm/")
    assert y.get_shape().as_list() == [2, 5, 4, 3]
    np.testing.assert_allclose(_run(y), _np_instance_norm(x), rtol=1e-4, atol=1e-5)


def test_instance_norm_nchw_and_initializers():
    x = np.random.RandomState(1).randn(2, 3, 4, 5).astype(np.float32)
    beta = np.array([0.5, -1.0, 2.0], np.float32)
    gamma = np.array([2.0, 0.5, 1.5], np.float32)
    y = layers.instance_norm(
        x, data_format="NCHW", epsilon=1e-3,
        param_initializers={"beta": tf.constant_initializer(beta),
                            "gamma": tf.constant_initializer(gamma)})
    assert tf.global_variables()[0].get_shape().as_list() == [3]
    expected = _np_instance_norm(x, 1e-3, nchw=True, beta=beta, gamma=gamma)
    np.testing.assert_allclose(_run(y), expected, rtol=1e-4, atol=1e-5)


def test_instance_norm_center_scale_flags_scope_and_reuse():
    x = tf.placeholder(tf.float32, [None, 4, 4, 2])
    layers.instance_norm(x, center=False, scale=False, scope="in0")
    assert tf.global_variables() == []
    layers.instance_norm(x, scale=False, scope="in1")
    layers.instance_norm(x, scale=False, scope="in1", reuse=True)
    assert [v.op.name for v in tf.global_variables()] == ["in1/beta"]
    layers.instance_norm(x, trainable=False, variables_collections=["mine"],
                         outputs_collections="outs", scope="in2")
    assert [v.op.name for v in tf.get_collection("mine")] == ["in2/beta", "in2/gamma"]
    assert not any(v.op.name.startswith("in2") for v in tf.trainable_variables())
    assert layers.utils.get_tensor_aliases(tf.get_collection("outs")[0]) == ["in2"]


def test_instance_norm_activation_and_arg_scope():
    x = np.random.RandomState(2).randn(1, 3, 3, 2).astype(np.float32)
    with tf.contrib.framework.arg_scope([layers.instance_norm], activation_fn=tf.nn.relu):
        y = layers.instance_norm(x)
    np.testing.assert_allclose(_run(y), np.maximum(_np_instance_norm(x), 0), rtol=1e-4,
                               atol=1e-5)
    assert y.op.type == "Relu"


def test_instance_norm_errors():
    with pytest.raises(ValueError, match="undefined rank"):
        layers.instance_norm(tf.placeholder(tf.float32))
    with pytest.raises(ValueError, match="data_format has to be either NCHW or NHWC"):
        layers.instance_norm(tf.zeros([1, 2, 2, 3]), data_format="CHWN")
    with pytest.raises(ValueError, match="undefined channels dimension"):
        layers.instance_norm(tf.placeholder(tf.float32, [1, 2, 2, None]))


def test_group_norm_nhwc_values_and_names():
    x = np.random.RandomState(3).randn(2, 3, 4, 8).astype(np.float32) * 2 - 1
    y = layers.group_norm(x, groups=4)
    assert [v.op.name for v in tf.global_variables()] == ["GroupNorm/beta", "GroupNorm/gamma"]
    assert [v.get_shape().as_list() for v in tf.global_variables()] == [[8], [8]]
    assert y.get_shape().ndims == 4
    np.testing.assert_allclose(_run(y), _np_group_norm(x, 4, 3, [1, 2]), rtol=1e-4, atol=1e-5)


def test_group_norm_default_groups_is_32():
    x = np.random.RandomState(4).randn(1, 2, 2, 64).astype(np.float32)
    y = layers.group_norm(x)
    np.testing.assert_allclose(_run(y), _np_group_norm(x, 32, 3, [1, 2]), rtol=1e-4,
                               atol=1e-5)
    with pytest.raises(ValueError, match="Invalid groups 32 for 16 channels"):
        layers.group_norm(tf.zeros([1, 2, 2, 16]))


def test_group_norm_nchw_with_params():
    x = np.random.RandomState(5).randn(2, 6, 3, 3).astype(np.float32)
    beta = np.arange(6, dtype=np.float32) / 3
    gamma = np.linspace(0.5, 2.0, 6).astype(np.float32)
    y = layers.group_norm(
        tf.placeholder_with_default(x, [None, 6, 3, 3]), groups=3, channels_axis=-3,
        reduction_axes=(-2, -1), epsilon=1e-4, scope="gn",
        param_initializers={"beta": tf.constant_initializer(beta),
                            "gamma": tf.constant_initializer(gamma)})
    expected = _np_group_norm(x, 3, 1, [2, 3], 1e-4, beta, gamma)
    np.testing.assert_allclose(_run(y), expected, rtol=1e-4, atol=1e-5)


def test_group_norm_dynamic_batch_static_shape_and_one_pass_moments():
    x = np.random.RandomState(9).randn(3, 2, 2, 6).astype(np.float32) + 0.5
    ph = tf.placeholder(tf.float32, [None, 2, 2, 6])
    y = layers.group_norm(ph, groups=3)
    y1 = layers.group_norm(ph, groups=3, mean_close_to_zero=True)
    assert y.get_shape().as_list() == [None, 2, 2, 6]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a, b = sess.run([y, y1], {ph: x})
    expected = _np_group_norm(x, 3, 3, [1, 2])
    np.testing.assert_allclose(a, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(b, expected, rtol=1e-4, atol=1e-4)


def test_group_norm_errors():
    with pytest.raises(ValueError, match="undefined rank"):
        layers.group_norm(tf.placeholder(tf.float32))
    with pytest.raises(ValueError, match="Axis is out of bounds"):
        layers.group_norm(tf.zeros([1, 2, 2, 4]), groups=2, channels_axis=4)
    with pytest.raises(ValueError, match="undefined channel dimension"):
        layers.group_norm(tf.placeholder(tf.float32, [1, 2, 2, None]), groups=2)
    with pytest.raises(ValueError, match="undefined dimensions 1"):
        layers.group_norm(tf.placeholder(tf.float32, [1, None, 2, 4]), groups=2)
    with pytest.raises(ValueError, match="mutually exclusive"):
        layers.group_norm(tf.zeros([1, 2, 2, 4]), groups=2, reduction_axes=(-2, -1))
    with pytest.raises(ValueError, match="6 channels is not commensurate with 4 groups"):
        layers.group_norm(tf.zeros([1, 2, 2, 6]), groups=4)


def test_group_norm_in_conv2d_normalizer_fn():
    x = tf.zeros([1, 4, 4, 3])
    layers.conv2d(x, 8, [3, 3], normalizer_fn=layers.group_norm,
                  normalizer_params={"groups": 2}, scope="conv")
    names = sorted(v.op.name for v in tf.global_variables())
    assert names == ["conv/GroupNorm/beta", "conv/GroupNorm/gamma", "conv/weights"]


def test_instance_norm_gradients():
    rng = np.random.RandomState(6)
    check_gradients(lambda x: layers.instance_norm(x, center=False, scale=False),
                    {"x": rng.randn(2, 3, 3, 2)}, tol=1e-4)
    check_gradients(lambda x: layers.instance_norm(x, center=False, scale=False,
                                                   data_format="NCHW"),
                    {"x": rng.randn(1, 2, 3, 3)}, tol=1e-4)


def test_group_norm_gradients():
    rng = np.random.RandomState(7)
    check_gradients(lambda x: layers.group_norm(x, groups=2, center=False, scale=False),
                    {"x": rng.randn(2, 3, 2, 4)}, tol=1e-4)
    check_gradients(lambda x: layers.group_norm(x, groups=2, center=False, scale=False,
                                                mean_close_to_zero=True),
                    {"x": rng.randn(2, 3, 2, 4)}, tol=1e-4)


def test_norm_parameter_gradients():
    """d(loss)/d(beta, gamma) against central differences of the variables."""
    rng = np.random.RandomState(8)
    x = rng.randn(2, 3, 3, 4)
    r = rng.randn(2, 3, 3, 4)
    for fn in (lambda t: layers.instance_norm(t, scope="n"),
               lambda t: layers.group_norm(t, groups=2, scope="n")):
        with tf.Graph().as_default():
            y = fn(tf.constant(x))
            loss = tf.reduce_sum(y * r)
            beta, gamma = tf.global_variables()
            grads = tf.gradients(loss, [beta, gamma])
            with tf.Session() as sess:
                b0 = rng.randn(4)
                g0 = rng.randn(4)
                sess.run([beta.assign(b0), gamma.assign(g0)])
                analytic = sess.run(grads)
                for var, val, ga in ((beta, b0, analytic[0]), (gamma, g0, analytic[1])):
                    numeric = np.zeros(4)
                    for i in range(4):
                        for sign in (1, -1):
                            v = val.copy()
                            v[i] += sign * 1e-6
                            sess.run(var.assign(v))
                            numeric[i] += sign * sess.run(loss) / 2e-6
                        sess.run(var.assign(val))
                    np.testing.assert_allclose(ga, numeric, rtol=1e-5, atol=1e-6)
