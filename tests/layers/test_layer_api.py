"""The tf.layers Layer API and error behaviour (messages as TF 2.21's tf.compat.v1.layers)."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.layers import utils


def _x(shape=(None, 8, 8, 3)):
    return tf.placeholder(tf.float32, list(shape))


# --- errors, with TF's messages -------------------------------------------------------------------
def test_reuse_of_a_missing_layer():
    with pytest.raises(ValueError, match="Variable nope/kernel does not exist, or was not "
                                         "created with tf.get_variable()"):
        tf.layers.conv2d(_x(), 4, 3, name="nope", reuse=True)


def test_same_name_without_reuse():
    x = _x()
    tf.layers.conv2d(x, 4, 3, name="c")
    with pytest.raises(ValueError, match="Variable c/kernel already exists, disallowed. Did you "
                                         "mean to set reuse=True"):
        tf.layers.conv2d(x, 4, 3, name="c")


def test_input_rank_and_axis_checks():
    with pytest.raises(ValueError, match=r'Input 0 of layer "conv2d_1" is incompatible with the '
                                         r"layer: expected min_ndim=4, found ndim=2. Full shape "
                                         r"received: \(2, 3\)"):
        tf.layers.conv2d(_x((2, 3)), 4, 3)
    layer = tf.layers.Dense(3)
    layer(_x((2, 4)))
    with pytest.raises(ValueError, match=r'Input 0 of layer "dense_1" is incompatible with the '
                                         r"layer: expected axis -1 of input shape to have value "
                                         r"4, but received input with shape \(2, 5\)"):
        layer(_x((2, 5)))
    with pytest.raises(ValueError, match=r'layer "max_pooling2d_1" is incompatible with the '
                                         r"layer: expected ndim=4, found ndim=3"):
        tf.layers.max_pooling2d(_x((2, 3, 4)), 2, 2)


def test_argument_errors():
    x = _x()
    cases = [
        (lambda: tf.layers.dense(_x((2, None)), 3),
         r"The last dimension of the inputs to a Dense layer should be defined. Found None. "
         r"Full input shape received: \(2, \?\)|Full input shape received: \(2, None\)"),
        (lambda: tf.layers.conv2d(x, 4, 3, padding="full"),
         "The `padding` argument must be a list/tuple or one of"),
        (lambda: tf.layers.dropout(x, rate=1.5),
         "Invalid value 1.5 received for `rate`, expected a value between 0 and 1."),
        (lambda: tf.layers.conv2d(x, 4, [3, 3, 3]),
         r"The `kernel_size` argument must be a tuple of 2 integers. Received: \[3, 3, 3\]"),
        (lambda: tf.layers.conv2d(_x((2, 4, 4, None)), 2, 2),
         "The channel dimension of the inputs should be defined."),
        (lambda: tf.layers.conv2d(x, 2, 2, strides=2, dilation_rate=2),
         r"`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: "
         r"strides=\(2, 2\) and dilation_rate=\(2, 2\)"),
        (lambda: tf.layers.conv2d(x, 2, 2, data_format="NHWC"),
         'The `data_format` argument must be one of "channels_first", "channels_last". '
         "Received: NHWC"),
        (lambda: tf.layers.BatchNormalization(renorm=True, renorm_clipping={"x": 1}),
         "Received invalid keys for `renorm_clipping` argument"),
        (lambda: tf.layers.batch_normalization(x, axis=5),
         r"Invalid value for `axis` argument. Expected 0 <= axis < inputs.rank \(with "
         r"inputs.rank=4\). Received: axis=\(5,\)"),
        (lambda: tf.layers.conv2d(x, 0, 2),
         "Invalid value for argument `filters`. Expected a strictly positive value. Received "
         "filters=0."),
        (lambda: tf.layers.Dense(-1), "Received an invalid value for `units`"),
        (lambda: tf.layers.Dense(3).scope_name, 'No name available for layer scope because the '
                                                'layer "dense_\\d+" has not been used yet'),
        (lambda: tf.layers.Dense(3).count_params(),
         r"You tried to call `count_params` on dense_\d+, but the layer isn't built"),
    ]
    for fn, message in cases:
        with pytest.raises(ValueError, match=message):
            fn()
    with pytest.raises(TypeError, match="Keyword argument not understood"):
        tf.layers.Dense(3, foo=1)


def test_a_too_small_input_fails_in_the_convolution_shape_function():
    with pytest.raises(ValueError, match="Negative dimension size"):
        tf.layers.conv2d(_x((1, 2, 2, 3)), 4, 3)


def test_fused_true_on_an_unsupported_axis_falls_back_silently():
    y = tf.layers.batch_normalization(_x((2, 4, 4, 3)), axis=2, fused=True)
    assert y.shape.as_list() == [2, 4, 4, 3]


# --- the Layer object -----------------------------------------------------------------------------
def test_get_set_weights_and_count_params():
    layer = tf.layers.Dense(2, name="d")
    x = _x((3, 4))
    y = layer.apply(x)
    assert layer.count_params() == 4 * 2 + 2
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        kernel = np.arange(8, dtype=np.float32).reshape(4, 2)
        layer.set_weights([kernel, np.array([1.0, -1.0], np.float32)])
        got = layer.get_weights()
        np.testing.assert_array_equal(got[0], kernel)
        out = sess.run(y, {x: np.ones((3, 4), np.float32)})
    np.testing.assert_allclose(out, np.ones((3, 4)) @ kernel + [1.0, -1.0])
    with pytest.raises(ValueError, match="expecting 2 weights"):
        layer.set_weights([kernel])


def test_compute_output_shape_matches_the_built_graph():
    x = _x((None, 9, 8, 3))
    x1 = _x((None, 9, 3))
    x3 = _x((None, 5, 6, 7, 2))
    layers_and_inputs = [
        (tf.layers.Conv2D(4, 3, strides=2, padding="same"), x),
        (tf.layers.Conv2D(4, [2, 3], dilation_rate=2), x),
        (tf.layers.Conv2D(4, 3, data_format="channels_first"), _x((None, 3, 9, 8))),
        (tf.layers.Conv1D(2, 3, strides=2), x1),
        (tf.layers.Conv3D(2, 2, strides=(1, 2, 2), padding="same"), x3),
        (tf.layers.Conv2DTranspose(2, 3, strides=2), x),
        (tf.layers.Conv3DTranspose(2, 3, strides=2, padding="same"), x3),
        (tf.layers.SeparableConv2D(2, 3, strides=2), x),
        (tf.layers.SeparableConv1D(2, 3), x1),
        (tf.layers.MaxPooling1D(2, 2), x1),
        (tf.layers.AveragePooling2D(3, 2, padding="same"), x),
        (tf.layers.MaxPooling3D(2, 2), x3),
        (tf.layers.Dense(5), x),
        (tf.layers.Flatten(), x),
        (tf.layers.BatchNormalization(), x),
        (tf.layers.Dropout(0.3), x),
    ]
    for layer, inp in layers_and_inputs:
        out = layer(inp)
        want = layer.compute_output_shape(inp.shape).as_list()
        assert out.shape.as_list() == want, type(layer).__name__


def test_trainable_false_layers_have_no_trainable_weights_and_no_updates():
    bn = tf.layers.BatchNormalization(trainable=False)
    bn(_x((4, 3)), training=True)
    assert bn.trainable_weights == []
    assert [v.op.name for v in bn.non_trainable_weights] == [
        "batch_normalization/gamma", "batch_normalization/beta",
        "batch_normalization/moving_mean", "batch_normalization/moving_variance"]
    assert bn.updates == []
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []
    assert tf.trainable_variables() == []


def test_scope_argument_on_first_call_and_layer_reuse_across_calls():
    layer = tf.layers.Dense(3)
    a = layer(_x((2, 4)), scope="proj")
    b = layer(_x((2, 4)))
    assert layer.scope_name == "proj"
    assert [v.name for v in tf.global_variables()] == ["proj/kernel:0", "proj/bias:0"]
    assert (a.name, b.name) == ("proj/BiasAdd:0", "proj/BiasAdd_1:0")


def test_numpy_inputs_are_converted():
    y = tf.layers.dense(np.ones((2, 3), np.float32), 4)
    assert y.shape.as_list() == [2, 4]


def test_custom_getter_and_scope_dtype_reach_layer_variables():
    seen = []

    def getter(next_getter, name, *args, **kwargs):
        seen.append(name)
        return next_getter(name, *args, **kwargs)

    with tf.variable_scope("g", custom_getter=getter):
        tf.layers.dense(_x((2, 3)), 2)
    assert seen == ["g/dense/kernel", "g/dense/bias"]


def test_subclassed_layer_with_add_weight_and_add_update():
    class Scale(tf.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight("w", [int(input_shape[-1])],
                                     initializer=tf.ones_initializer())
            self.count = self.add_weight("count", [], initializer=tf.zeros_initializer(),
                                         trainable=False)
            super().build(input_shape)

        def call(self, inputs):
            self.add_update(tf.assign_add(self.count, 1.0))
            return inputs * self.w

    layer = Scale()
    x = _x((2, 3))
    y = layer(x)
    assert layer.name == "scale_1" and layer.scope_name == "scale"
    assert [v.name for v in layer.trainable_weights] == ["scale/w:0"]
    assert [v.name for v in layer.non_trainable_weights] == ["scale/count:0"]
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert len(updates) == 1
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([y, updates], {x: np.ones((2, 3), np.float32)})
        assert sess.run(layer.count) == 1.0


# --- dropout --------------------------------------------------------------------------------------
def test_dropout_training_drops_and_scales_inference_is_identity():
    x = tf.placeholder(tf.float32, [200, 100])
    training = tf.placeholder(tf.bool, [])
    y = tf.layers.dropout(x, rate=0.3, training=training)
    ones = np.ones((200, 100), np.float32)
    with tf.Session() as sess:
        out = sess.run(y, {x: ones, training: True})
        np.testing.assert_array_equal(sess.run(y, {x: ones, training: False}), ones)
    kept = out != 0
    assert abs(kept.mean() - 0.7) < 0.02
    np.testing.assert_allclose(out[kept], 1 / 0.7, rtol=1e-6)


def test_dropout_rate_zero_in_training_is_the_input_itself():
    # TF 1.x: Dropout calls nn.dropout, which hands a rate of 0 back untouched (tf_keras 2.x
    # makes an Identity instead; TF-Slim's Inception v3 PreLogits end point is TF 1.x's)
    x = _x((2, 3))
    assert tf.layers.dropout(x, rate=0.0, training=True) is x
    assert tf.nn.dropout(x, rate=0.0) is x
    assert tf.layers.dropout(x, rate=0.0, training=False).op.type == "Identity"
    y = tf.layers.dropout(x, rate=0.0, training=tf.placeholder_with_default(True, []))
    with tf.Session() as sess:
        assert sess.run(y, {x: np.ones((2, 3), np.float32)}).tolist() == [[1.0] * 3] * 2


# --- smart_cond -----------------------------------------------------------------------------------
def test_smart_cond_static_and_dynamic():
    assert utils.smart_cond(True, lambda: 1, lambda: 2) == 1
    assert utils.smart_cond(tf.constant(False), lambda: 1, lambda: 2) == 2
    pred = tf.placeholder(tf.bool, [])
    a, b = utils.smart_cond(pred, lambda: (tf.constant([1.0, 2.0]), tf.constant(3.0)),
                            lambda: (tf.constant([4.0, 5.0]), tf.constant(6.0)))
    assert (a.name, b.name) == ("cond/Identity:0", "cond/Identity_1:0")
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(a, {pred: True}), [1.0, 2.0])
        assert sess.run(b, {pred: False}) == 6.0
    with pytest.raises(TypeError, match="`pred` must be a Tensor, or a Python bool"):
        utils.smart_cond("yes", lambda: 1, lambda: 2)


def test_batch_norm_inference_run_of_update_ops_changes_nothing():
    x = tf.placeholder(tf.float32, [4, 3])
    training = tf.placeholder(tf.bool, [])
    tf.layers.batch_normalization(x, training=training, momentum=0.5)
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    mm, mv = [v for v in tf.global_variables() if "moving" in v.name]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        batch = np.random.RandomState(0).standard_normal((4, 3)).astype(np.float32)
        sess.run(updates, {x: batch, training: False})
        np.testing.assert_array_equal(sess.run(mm), np.zeros(3))
        np.testing.assert_array_equal(sess.run(mv), np.ones(3))
        sess.run(updates, {x: batch, training: True})
        np.testing.assert_allclose(sess.run(mm), batch.mean(0) * 0.5, rtol=1e-5)


def test_dense_on_inputs_with_unknown_leading_dims():
    x = tf.placeholder(tf.float32, [None, None, 5])
    y = tf.layers.dense(x, 3)
    assert y.shape.as_list() == [None, None, 3]
    value = np.random.RandomState(1).standard_normal((2, 4, 5)).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        kernel, bias = sess.run(tf.trainable_variables())
        out = sess.run(y, {x: value})
    np.testing.assert_allclose(out, value @ kernel + bias, rtol=1e-5, atol=1e-6)


def test_training_argument_is_dropped_for_layers_without_it():
    y = tf.layers.Dense(3)(_x((2, 4)), training=True)
    assert y.shape.as_list() == [2, 3]
