"""MobileNet v1 as in TF-Slim's `nets/mobilenet_v1.py`: same scopes, variables and end points
(`MobilenetV1/Conv2d_1_depthwise/depthwise_weights` [3, 3, 32, 1],
`MobilenetV1/Conv2d_1_pointwise/weights` [1, 1, 32, 64], `MobilenetV1/Logits/Conv2d_1c_1x1`),
so the released checkpoints load (they have 1001 classes: pass `num_classes=1001`).

Howard et al., "MobileNets: Efficient Convolutional Neural Networks for Mobile Vision
Applications", 2017 (https://arxiv.org/abs/1704.04861).

Example:
    >>> images = tf.placeholder(tf.float32, [None, 224, 224, 3])
    >>> with slim.arg_scope(mobilenet_v1.mobilenet_v1_arg_scope(is_training=False)):
    ...     logits, end_points = mobilenet_v1.mobilenet_v1(images, num_classes=1001)
"""

import collections
import functools

import tensorflux as tf
from tensorflux.contrib import slim

# A full 3x3 convolution, and a depthwise 3x3 followed by a pointwise 1x1 convolution.
Conv = collections.namedtuple("Conv", ["kernel", "stride", "depth"])
DepthSepConv = collections.namedtuple("DepthSepConv", ["kernel", "stride", "depth"])

# The body: layer i is named Conv2d_i (Conv) or Conv2d_i_depthwise / Conv2d_i_pointwise.
MOBILENETV1_CONV_DEFS = [
    Conv(kernel=[3, 3], stride=2, depth=32),
    DepthSepConv(kernel=[3, 3], stride=1, depth=64),
    DepthSepConv(kernel=[3, 3], stride=2, depth=128),
    DepthSepConv(kernel=[3, 3], stride=1, depth=128),
    DepthSepConv(kernel=[3, 3], stride=2, depth=256),
    DepthSepConv(kernel=[3, 3], stride=1, depth=256),
    DepthSepConv(kernel=[3, 3], stride=2, depth=512),
    DepthSepConv(kernel=[3, 3], stride=1, depth=512),
    DepthSepConv(kernel=[3, 3], stride=1, depth=512),
    DepthSepConv(kernel=[3, 3], stride=1, depth=512),
    DepthSepConv(kernel=[3, 3], stride=1, depth=512),
    DepthSepConv(kernel=[3, 3], stride=1, depth=512),
    DepthSepConv(kernel=[3, 3], stride=2, depth=1024),
    DepthSepConv(kernel=[3, 3], stride=1, depth=1024),
]
_CONV_DEFS = MOBILENETV1_CONV_DEFS  # the table's older name


def _fixed_padding(inputs, kernel_size, rate=1):
    """Zero-pads `inputs` so that a "VALID" convolution gives the "SAME" output size."""
    kernel_size_effective = [kernel_size[0] + (kernel_size[0] - 1) * (rate - 1),
                             kernel_size[1] + (kernel_size[1] - 1) * (rate - 1)]
    pad_total = [kernel_size_effective[0] - 1, kernel_size_effective[1] - 1]
    pad_beg = [pad_total[0] // 2, pad_total[1] // 2]
    pad_end = [pad_total[0] - pad_beg[0], pad_total[1] - pad_beg[1]]
    return tf.pad(inputs, [[0, 0], [pad_beg[0], pad_end[0]], [pad_beg[1], pad_end[1]], [0, 0]])


def mobilenet_v1_base(inputs, final_endpoint="Conv2d_13_pointwise", min_depth=8,
                      depth_multiplier=1.0, conv_defs=None, output_stride=None,
                      use_explicit_padding=False, scope=None):
    """MobileNet v1 from `inputs` up to `final_endpoint` ("Conv2d_0", "Conv2d_<i>_depthwise"
    or "Conv2d_<i>_pointwise").

    Args:
        inputs: `[batch, height, width, channels]` images.
        final_endpoint: The last layer to build.
        min_depth: The smallest number of channels when `depth_multiplier` < 1.
        depth_multiplier: Scales every layer's number of channels.
        conv_defs: The layer table (default `MOBILENETV1_CONV_DEFS`).
        output_stride: 8, 16 or 32: past it, layers run with stride 1 and atrous convolution.
        use_explicit_padding: Pad explicitly and convolve with "VALID" padding.
        scope: The variable scope (default "MobilenetV1").

    Returns:
        `(net, end_points)`.

    Raises:
        ValueError: For an unknown `final_endpoint`, `depth_multiplier` <= 0, or an
            `output_stride` other than 8, 16, 32.
    """
    def depth(d):
        return max(int(d * depth_multiplier), min_depth)

    end_points = {}
    if depth_multiplier <= 0:
        raise ValueError("depth_multiplier is not greater than zero.")
    if conv_defs is None:
        conv_defs = MOBILENETV1_CONV_DEFS
    if output_stride is not None and output_stride not in [8, 16, 32]:
        raise ValueError("Only allowed output_stride values are 8, 16, 32.")
    padding = "VALID" if use_explicit_padding else "SAME"
    with tf.variable_scope(scope, "MobilenetV1", [inputs]):
        with slim.arg_scope([slim.conv2d, slim.separable_conv2d], padding=padding):
            current_stride = 1  # the product of the strides so far
            rate = 1  # the atrous rate once `output_stride` is reached
            net = inputs
            for i, conv_def in enumerate(conv_defs):
                end_point_base = "Conv2d_%d" % i
                if output_stride is not None and current_stride == output_stride:
                    layer_stride = 1
                    layer_rate = rate
                    rate *= conv_def.stride
                else:
                    layer_stride = conv_def.stride
                    layer_rate = 1
                    current_stride *= conv_def.stride
                if isinstance(conv_def, Conv):
                    end_point = end_point_base
                    if use_explicit_padding:
                        net = _fixed_padding(net, conv_def.kernel)
                    net = slim.conv2d(net, depth(conv_def.depth), conv_def.kernel,
                                      stride=conv_def.stride, scope=end_point)
                    end_points[end_point] = net
                    if end_point == final_endpoint:
                        return net, end_points
                elif isinstance(conv_def, DepthSepConv):
                    end_point = end_point_base + "_depthwise"
                    if use_explicit_padding:
                        net = _fixed_padding(net, conv_def.kernel, layer_rate)
                    # num_outputs=None: the depthwise convolution only.
                    net = slim.separable_conv2d(net, None, conv_def.kernel, depth_multiplier=1,
                                                stride=layer_stride, rate=layer_rate,
                                                scope=end_point)
                    end_points[end_point] = net
                    if end_point == final_endpoint:
                        return net, end_points
                    end_point = end_point_base + "_pointwise"
                    net = slim.conv2d(net, depth(conv_def.depth), [1, 1], stride=1,
                                      scope=end_point)
                    end_points[end_point] = net
                    if end_point == final_endpoint:
                        return net, end_points
                else:
                    raise ValueError("Unknown convolution type %s for layer %d"
                                     % (type(conv_def).__name__, i))
    raise ValueError("Unknown final endpoint %s" % final_endpoint)


def mobilenet_v1(inputs, num_classes=1000, dropout_keep_prob=0.999, is_training=True,
                 min_depth=8, depth_multiplier=1.0, conv_defs=None,
                 prediction_fn=slim.softmax, spatial_squeeze=True, reuse=None,
                 scope="MobilenetV1", global_pool=False):
    """MobileNet v1 for classification.

    Args:
        inputs: `[batch, height, width, channels]` images.
        num_classes: The number of logits (the released checkpoints have 1001); 0 or None
            returns the pooled features instead.
        dropout_keep_prob: The keep probability of the dropout before the logits.
        is_training: Batch norm and dropout mode.
        min_depth, depth_multiplier, conv_defs: See `mobilenet_v1_base`.
        prediction_fn: Makes the "Predictions" end point from the logits.
        spatial_squeeze: Squeeze the logits to `[batch, num_classes]`.
        reuse: Reuse the variables of an earlier call (needs `scope`).
        scope: The variable scope.
        global_pool: Average over all positions instead of a 7x7 "VALID" pool.

    Returns:
        `(logits, end_points)`.

    Raises:
        ValueError: If `inputs` is not of rank 4.
    """
    input_shape = inputs.get_shape().as_list()
    if len(input_shape) != 4:
        raise ValueError("Invalid input tensor rank, expected 4, was: %d" % len(input_shape))
    with tf.variable_scope(scope, "MobilenetV1", [inputs], reuse=reuse) as scope:
        with slim.arg_scope([slim.batch_norm, slim.dropout], is_training=is_training):
            net, end_points = mobilenet_v1_base(inputs, scope=scope, min_depth=min_depth,
                                                depth_multiplier=depth_multiplier,
                                                conv_defs=conv_defs)
            with tf.variable_scope("Logits"):
                if global_pool:
                    net = tf.reduce_mean(net, [1, 2], keep_dims=True, name="global_pool")
                    end_points["global_pool"] = net
                else:
                    kernel_size = _reduced_kernel_size_for_small_input(net, [7, 7])
                    net = slim.avg_pool2d(net, kernel_size, padding="VALID", scope="AvgPool_1a")
                    end_points["AvgPool_1a"] = net
                if not num_classes:
                    return net, end_points
                net = slim.dropout(net, keep_prob=dropout_keep_prob, scope="Dropout_1b")
                logits = slim.conv2d(net, num_classes, [1, 1], activation_fn=None,
                                     normalizer_fn=None, scope="Conv2d_1c_1x1")
                if spatial_squeeze:
                    logits = tf.squeeze(logits, [1, 2], name="SpatialSqueeze")
            end_points["Logits"] = logits
            if prediction_fn:
                end_points["Predictions"] = prediction_fn(logits, scope="Predictions")
    return logits, end_points


mobilenet_v1.default_image_size = 224


def wrapped_partial(func, *args, **kwargs):
    """`functools.partial` that keeps `func`'s name, docstring and attributes."""
    partial_func = functools.partial(func, *args, **kwargs)
    functools.update_wrapper(partial_func, func)
    return partial_func


mobilenet_v1_075 = wrapped_partial(mobilenet_v1, depth_multiplier=0.75)
mobilenet_v1_050 = wrapped_partial(mobilenet_v1, depth_multiplier=0.50)
mobilenet_v1_025 = wrapped_partial(mobilenet_v1, depth_multiplier=0.25)


def _reduced_kernel_size_for_small_input(input_tensor, kernel_size):
    """`kernel_size` capped at the input's static height and width (unchanged if unknown)."""
    shape = input_tensor.get_shape().as_list()
    if shape[1] is None or shape[2] is None:
        return kernel_size
    return [min(shape[1], kernel_size[0]), min(shape[2], kernel_size[1])]


def mobilenet_v1_arg_scope(is_training=True, weight_decay=0.00004, stddev=0.09,
                           regularize_depthwise=False, batch_norm_decay=0.9997,
                           batch_norm_epsilon=0.001,
                           batch_norm_updates_collections=tf.GraphKeys.UPDATE_OPS,
                           normalizer_fn=slim.batch_norm):
    """The arg scope MobileNet v1 was trained with: truncated-normal weights, ReLU6 and batch
    norm (with `gamma`, decay 0.9997, epsilon 0.001) after every convolution, L2 weight decay
    on the full and pointwise convolutions (on the depthwise ones too with
    `regularize_depthwise`).

    Args:
        is_training: Batch norm mode; None leaves it out of the scope.
        weight_decay: The L2 regularization scale.
        stddev: The weight initializer's standard deviation.
        regularize_depthwise: Also regularize the depthwise weights.
        batch_norm_decay: The moving averages' decay.
        batch_norm_epsilon: Batch norm's variance epsilon.
        batch_norm_updates_collections: Where batch norm puts its update ops.
        normalizer_fn: The normalizer after each convolution.
    """
    batch_norm_params = {
        "center": True,
        "scale": True,
        "decay": batch_norm_decay,
        "epsilon": batch_norm_epsilon,
        "updates_collections": batch_norm_updates_collections,
    }
    if is_training is not None:
        batch_norm_params["is_training"] = is_training
    weights_init = tf.truncated_normal_initializer(stddev=stddev)
    regularizer = slim.l2_regularizer(weight_decay)
    depthwise_regularizer = regularizer if regularize_depthwise else None
    with slim.arg_scope([slim.conv2d, slim.separable_conv2d], weights_initializer=weights_init,
                        activation_fn=tf.nn.relu6, normalizer_fn=normalizer_fn):
        with slim.arg_scope([slim.batch_norm], **batch_norm_params):
            with slim.arg_scope([slim.conv2d], weights_regularizer=regularizer):
                with slim.arg_scope([slim.separable_conv2d],
                                    weights_regularizer=depthwise_regularizer) as sc:
                    return sc
