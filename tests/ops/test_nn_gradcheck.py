"""Element-wise finite-difference checks (float64) for every tf.nn op type and its grad ops.

Grad ops (`Conv2DBackpropInput`, `MaxPoolGrad`, `ReluGrad`, …) are built either directly or as
the first-order gradient inside the checked function, so their own gradients (second-order
derivatives of the forward ops) are checked too.
"""

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf
from tensorflux.ops import pool_ops

rng = np.random.RandomState(42)


def rand(*shape, scale=1.0):
    return rng.randn(*shape) * scale


def distinct(*shape):
    """Values at least 0.05 apart, so max-pool argmaxes do not move under finite differences."""
    n = int(np.prod(shape))
    return (rng.permutation(n) * 0.05 + rng.uniform(0, 0.01, n)).reshape(shape)


def first_grad(y, x, gy):
    return tf.gradients(y, x, grad_ys=gy)[0]


# --- convolutions --------------------------------------------------------------------------------
@pytest.mark.parametrize("padding", ["SAME", "VALID", [[0, 0], [1, 0], [0, 2], [0, 0]]])
def test_conv2d(padding):
    check_gradients(lambda x, w: tf.nn.conv2d(x, w, strides=[1, 2, 1, 1], padding=padding),
                    {"x": rand(2, 5, 4, 2), "w": rand(3, 2, 2, 3)}, op_types=["Conv2D"])


def test_conv2d_dilated_nchw():
    check_gradients(lambda x, w: tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding="SAME",
                                              data_format="NCHW", dilations=[1, 1, 2, 1]),
                    {"x": rand(1, 2, 5, 4), "w": rand(2, 2, 2, 2)}, op_types=["Conv2D"])


def test_conv2d_backprop_input():
    check_gradients(lambda w, dy: tf.nn.conv2d_backprop_input([1, 5, 4, 2], w, dy, [1, 2, 2, 1],
                                                              "SAME"),
                    {"w": rand(3, 2, 2, 3), "dy": rand(1, 3, 2, 3)},
                    op_types=["Conv2DBackpropInput"])


def test_conv2d_backprop_filter():
    check_gradients(lambda x, dy: tf.nn.conv2d_backprop_filter(x, [3, 2, 2, 3], dy, [1, 2, 2, 1],
                                                               "VALID"),
                    {"x": rand(1, 5, 4, 2), "dy": rand(1, 2, 2, 3)},
                    op_types=["Conv2DBackpropFilter"])


def test_conv3d_and_backprops():
    check_gradients(lambda x, w: tf.nn.conv3d(x, w, [1, 1, 2, 1, 1], "SAME"),
                    {"x": rand(1, 3, 4, 3, 2), "w": rand(2, 2, 2, 2, 2)}, op_types=["Conv3D"])
    check_gradients(lambda v, w: tf.nn.conv3d_transpose(v, w, [1, 4, 4, 4, 2], [1, 2, 2, 2, 1]),
                    {"v": rand(1, 2, 2, 2, 3), "w": rand(2, 2, 2, 2, 3)},
                    op_types=["Conv3DBackpropInputV2"])
    check_gradients(lambda x, dy: tf.nn.conv3d_backprop_filter_v2(x, [2, 2, 2, 2, 3], dy,
                                                                  [1, 1, 1, 1, 1], "VALID"),
                    {"x": rand(1, 3, 3, 3, 2), "dy": rand(1, 2, 2, 2, 3)},
                    op_types=["Conv3DBackpropFilterV2"])


def test_depthwise_and_backprops():
    check_gradients(lambda x, w: tf.nn.depthwise_conv2d(x, w, [1, 2, 2, 1], "SAME"),
                    {"x": rand(1, 5, 4, 2), "w": rand(3, 2, 2, 2)},
                    op_types=["DepthwiseConv2dNative"])
    check_gradients(lambda w, dy: tf.nn.depthwise_conv2d_native_backprop_input(
        [1, 5, 4, 2], w, dy, [1, 2, 2, 1], "SAME"), {"w": rand(3, 2, 2, 2),
                                                      "dy": rand(1, 3, 2, 4)},
        op_types=["DepthwiseConv2dNativeBackpropInput"])
    check_gradients(lambda x, dy: tf.nn.depthwise_conv2d_native_backprop_filter(
        x, [3, 2, 2, 2], dy, [1, 1, 1, 1], "VALID"), {"x": rand(1, 4, 4, 2),
                                                       "dy": rand(1, 2, 3, 4)},
        op_types=["DepthwiseConv2dNativeBackpropFilter"])


# --- pooling -------------------------------------------------------------------------------------
@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_pools(padding):
    x = distinct(2, 5, 4, 2)
    check_gradients(lambda x: tf.nn.max_pool(x, [1, 3, 2, 1], [1, 2, 1, 1], padding), {"x": x},
                    op_types=["MaxPool"])
    check_gradients(lambda x: tf.nn.avg_pool(x, [1, 3, 2, 1], [1, 2, 1, 1], padding), {"x": x},
                    op_types=["AvgPool"])
    x3 = distinct(1, 3, 4, 3, 2)
    check_gradients(lambda x: tf.nn.max_pool3d(x, [1, 2, 2, 2, 1], [1, 1, 2, 2, 1], padding),
                    {"x": x3}, op_types=["MaxPool3D"])
    check_gradients(lambda x: tf.nn.avg_pool3d(x, [1, 2, 2, 2, 1], [1, 1, 2, 2, 1], padding),
                    {"x": x3}, op_types=["AvgPool3D"])


def test_max_pool_grad_and_grad_grad():
    x = distinct(1, 4, 4, 2)
    attrs = dict(ksize=[1, 2, 2, 1], strides=[1, 1, 1, 1], padding="VALID")

    def grad_op(x, g):
        return pool_ops.max_pool_grad(x, tf.nn.max_pool(x, **attrs), g, **attrs)
    check_gradients(grad_op, {"x": x, "g": rand(1, 3, 3, 2)}, op_types=["MaxPoolGrad"])

    def grad_grad(x, g, h):
        return first_grad(grad_op(x, g), g, h)
    check_gradients(grad_grad, {"x": x, "g": rand(1, 3, 3, 2), "h": rand(1, 4, 4, 2)},
                    op_types=["MaxPoolGradGrad"], wrt=["x", "h"])


def test_max_pool3d_grad_and_grad_grad():
    x = distinct(1, 3, 3, 2, 2)

    def grad3(x, g):
        return first_grad(tf.nn.max_pool3d(x, [1, 2, 2, 2, 1], [1, 1, 1, 1, 1], "SAME"), x, g)
    check_gradients(grad3, {"x": x, "g": rand(1, 3, 3, 2, 2)}, op_types=["MaxPool3DGrad"])
    check_gradients(lambda x, g, h: first_grad(grad3(x, g), g, h),
                    {"x": x, "g": rand(1, 3, 3, 2, 2), "h": rand(1, 3, 3, 2, 2)},
                    op_types=["MaxPool3DGradGrad"], wrt=["x", "h"])


def test_avg_pool_grads():
    check_gradients(lambda g: pool_ops.avg_pool_grad([1, 4, 5, 2], g, [1, 2, 3, 1], [1, 2, 2, 1],
                                                     "SAME"),
                    {"g": rand(1, 2, 3, 2)}, op_types=["AvgPoolGrad"])
    def grad3(x, g):
        return first_grad(tf.nn.avg_pool3d(x, [1, 2, 2, 2, 1], [1, 1, 2, 1, 1], "VALID"), x, g)
    check_gradients(grad3, {"x": rand(1, 3, 4, 3, 1), "g": rand(1, 2, 2, 2, 1)},
                    op_types=["AvgPool3DGrad"], wrt=["g"])


def test_max_pool_with_argmax():
    x = distinct(2, 4, 5, 2)

    def pooled(x):
        return tf.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")[0]
    check_gradients(pooled, {"x": x}, op_types=["MaxPoolWithArgmax"])
    check_gradients(lambda x, g: first_grad(pooled(x), x, g), {"x": x, "g": rand(2, 2, 3, 2)},
                    op_types=["MaxPoolGradWithArgmax"])


# --- activations ---------------------------------------------------------------------------------
ACTIVATIONS = [("Relu", "ReluGrad", tf.nn.relu, 1.0), ("Relu6", "Relu6Grad", tf.nn.relu6, 5.0),
               ("Elu", "EluGrad", tf.nn.elu, 1.0), ("Selu", "SeluGrad", tf.nn.selu, 1.0),
               ("LeakyRelu", "LeakyReluGrad", lambda x: tf.nn.leaky_relu(x, alpha=0.3), 1.0)]


@pytest.mark.parametrize("op_type,grad_type,fn,scale", ACTIVATIONS,
                         ids=[a[0] for a in ACTIVATIONS])
def test_activation_and_grad_op(op_type, grad_type, fn, scale):
    x = rand(3, 4, scale=scale)
    x[np.abs(x) < 0.05] = 0.3  # keep away from the kinks
    x[np.abs(x - 6) < 0.05] = 5.5
    check_gradients(fn, {"x": x}, op_types=[op_type])
    check_gradients(lambda x, g: first_grad(fn(x), x, g), {"x": x, "g": rand(3, 4)},
                    op_types=[grad_type])


@pytest.mark.parametrize("axis", [-1, 0])
def test_softmax_log_softmax(axis):
    check_gradients(lambda x: tf.nn.softmax(x, axis=axis), {"x": rand(3, 4)},
                    op_types=["Softmax"])
    check_gradients(lambda x: tf.nn.log_softmax(x, axis=axis), {"x": rand(3, 4)},
                    op_types=["LogSoftmax"])


@pytest.mark.parametrize("fmt", ["NHWC", "NCHW"])
def test_bias_add_and_grad(fmt):
    x = rand(2, 3, 2, 3)
    check_gradients(lambda x, b: tf.nn.bias_add(x, b, data_format=fmt),
                    {"x": x, "b": rand(3)}, op_types=["BiasAdd"])
    check_gradients(lambda x, b, g: first_grad(tf.nn.bias_add(x, b, data_format=fmt), b, g),
                    {"x": x, "b": rand(3), "g": rand(2, 3, 2, 3)}, op_types=["BiasAddGrad"],
                    wrt=["g"])


def test_top_k_and_l2_loss():
    check_gradients(lambda x: tf.nn.top_k(x, k=3)[0], {"x": distinct(2, 5)}, op_types=["TopKV2"])
    check_gradients(lambda x: tf.nn.l2_loss(x), {"x": rand(3, 2)}, op_types=["L2Loss"])


def test_cross_entropies():
    labels = rng.uniform(0.1, 1, (3, 4))
    labels /= labels.sum(1, keepdims=True)
    check_gradients(lambda lab, x: tf.nn.softmax_cross_entropy_with_logits_v2(labels=lab,
                                                                              logits=x),
                    {"lab": labels, "x": rand(3, 4)},
                    op_types=["SoftmaxCrossEntropyWithLogits"])
    check_gradients(lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=np.array([0, 3, 1], np.int32), logits=x), {"x": rand(3, 4)},
        op_types=["SparseSoftmaxCrossEntropyWithLogits"])
    # second order: through the saved backprop output
    check_gradients(lambda x, g: first_grad(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=np.array([2, 0, 1], np.int32), logits=x), x, g),
        {"x": rand(3, 4), "g": rand(3)}, op_types=["SparseSoftmaxCrossEntropyWithLogits"])


# --- normalization -------------------------------------------------------------------------------
@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("fmt", ["NHWC", "NCHW"])
def test_fused_batch_norm_and_grad(training, fmt):
    shape = [2, 2, 3, 3] if fmt == "NHWC" else [2, 3, 2, 2]
    extra = {} if training else {"mean": rand(3), "var": rng.uniform(0.5, 2, 3)}

    def fwd(x, scale, offset, *mv):
        return tf.nn.fused_batch_norm(x, scale, offset, *mv, epsilon=0.01, data_format=fmt,
                                      is_training=training)[0]
    inputs = {"x": rand(*shape), "scale": rand(3), "offset": rand(3), **extra}
    check_gradients(fwd, inputs, op_types=["FusedBatchNormV3"], wrt=["x", "scale", "offset"],
                    tol=1e-4)

    def grad_op(x, scale, offset, g, *mv):
        return tf.gradients(fwd(x, scale, offset, *mv), [x, scale, offset], grad_ys=g)
    check_gradients(grad_op, {"x": rand(*shape), "scale": rand(3), "offset": rand(3),
                              "g": rand(*shape), **extra},
                    op_types=["FusedBatchNormGradV3"], wrt=["x", "scale", "g"], tol=1e-4)


def test_lrn_and_grad():
    kw = dict(depth_radius=1, bias=1.5, alpha=0.4, beta=0.75)
    x = rand(1, 2, 2, 5)
    check_gradients(lambda x: tf.nn.lrn(x, **kw), {"x": x}, op_types=["LRN"])
    check_gradients(lambda x, g: first_grad(tf.nn.lrn(x, **kw), x, g),
                    {"x": x, "g": rand(*x.shape)}, op_types=["LRNGrad"])
