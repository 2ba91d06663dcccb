"""Inception v2 (BN-Inception) as in TF-Slim's `nets/inception_v2.py`: same scopes, variables,
end points and `depth_multiplier` / `min_depth` thinning, so TF-Slim checkpoints load.

Ioffe & Szegedy, "Batch Normalization", 2015 (http://arxiv.org/abs/1502.03167).

Example:
    >>> images = tf.placeholder(tf.float32, [None, 224, 224, 3])
    >>> with slim.arg_scope(inception_v2_arg_scope()):
    ...     logits, end_points = inception_v2(images, num_classes=1001, is_training=False)
"""

import tensorflux as tf
from tensorflux.contrib import slim
from tensorflux.models import inception_utils as iu
from tensorflux.models.inception_utils import avg_pool, conv, max_pool


def _module(b0, b1, b2, b3, pool=avg_pool):
    """1x1 | 1x1 -> 3x3 | 1x1 -> 3x3 -> 3x3 | 3x3 pool -> 1x1 (depths before thinning)."""
    pool_scope = "AvgPool_0a_3x3" if pool is avg_pool else "MaxPool_0a_3x3"
    return iu.mixed(
        [conv(b0, [1, 1], "Conv2d_0a_1x1")],
        [conv(b1[0], [1, 1], "Conv2d_0a_1x1", stddev=0.09),
         conv(b1[1], [3, 3], "Conv2d_0b_3x3")],
        [conv(b2[0], [1, 1], "Conv2d_0a_1x1", stddev=0.09),
         conv(b2[1], [3, 3], "Conv2d_0b_3x3"), conv(b2[1], [3, 3], "Conv2d_0c_3x3")],
        [pool([3, 3], pool_scope), conv(b3, [1, 1], "Conv2d_0b_1x1", stddev=0.1)])


def _reduction(b0, b1):
    """Grid reduction: 1x1 -> 3x3/2 | 1x1 -> 3x3 -> 3x3/2 | 3x3/2 max pool."""
    return iu.mixed(
        [conv(b0[0], [1, 1], "Conv2d_0a_1x1", stddev=0.09),
         conv(b0[1], [3, 3], "Conv2d_1a_3x3", stride=2)],
        [conv(b1[0], [1, 1], "Conv2d_0a_1x1", stddev=0.09),
         conv(b1[1], [3, 3], "Conv2d_0b_3x3"),
         conv(b1[1], [3, 3], "Conv2d_1a_3x3", stride=2)],
        [max_pool([3, 3], "MaxPool_1a_3x3", stride=2)])


# After the first layer, Conv2d_1a_7x7 (separable or not; built in `inception_v2_base`).
ROOT_STAGES = (
    ("MaxPool_2a_3x3", max_pool([3, 3], stride=2)),
    ("Conv2d_2b_1x1", conv(64, [1, 1], stddev=0.1)),
    ("Conv2d_2c_3x3", conv(192, [3, 3])),
    ("MaxPool_3a_3x3", max_pool([3, 3], stride=2)),
)

STAGES = (
    ("Mixed_3b", _module(64, (64, 64), (64, 96), 32)),
    ("Mixed_3c", _module(64, (64, 96), (64, 96), 64)),
    ("Mixed_4a", _reduction((128, 160), (64, 96))),
    ("Mixed_4b", _module(224, (64, 96), (96, 128), 128)),
    ("Mixed_4c", _module(192, (96, 128), (96, 128), 128)),
    ("Mixed_4d", _module(160, (128, 160), (128, 160), 96)),
    ("Mixed_4e", _module(96, (128, 192), (160, 192), 96)),
    ("Mixed_5a", _reduction((128, 192), (192, 256))),
    ("Mixed_5b", _module(352, (192, 320), (160, 224), 128)),
    ("Mixed_5c", _module(352, (192, 320), (192, 224), 128, pool=max_pool)),
)


def inception_v2_base(inputs, final_endpoint="Mixed_5c", min_depth=16, depth_multiplier=1.0,
                      use_separable_conv=True, data_format="NHWC", include_root_block=True,
                      scope=None):
    """Inception v2 from `inputs` up to `final_endpoint`; returns `(net, end_points)`.

    Every depth `d` becomes `max(int(d * depth_multiplier), min_depth)`. The first layer is a
    separable 7x7 convolution unless `use_separable_conv=False` (then a plain one; required for
    `data_format="NCHW"`).
    """
    end_points = {}
    if depth_multiplier <= 0:
        raise ValueError("depth_multiplier is not greater than zero.")

    def depth(d):
        return max(int(d * depth_multiplier), min_depth)

    if data_format != "NHWC" and data_format != "NCHW":
        raise ValueError("data_format must be either NHWC or NCHW.")
    if data_format == "NCHW" and use_separable_conv:
        raise ValueError("separable convolution only supports NHWC layout. NCHW data format can"
                         " only be used when use_separable_conv is False.")
    concat_dim = 3 if data_format == "NHWC" else 1
    with tf.variable_scope(scope, "InceptionV2", [inputs]):
        with slim.arg_scope([slim.conv2d, slim.max_pool2d, slim.avg_pool2d], stride=1,
                            padding="SAME", data_format=data_format):
            net = inputs
            stages = STAGES
            if include_root_block:
                end_point = "Conv2d_1a_7x7"
                if use_separable_conv:
                    # The depthwise stage's channel multiplier (not `depth_multiplier`): keeps
                    # in_channels * multiplier <= out_channels.
                    depthwise_multiplier = min(int(depth(64) / 3), 8)
                    net = slim.separable_conv2d(
                        inputs, depth(64), [7, 7], depth_multiplier=depthwise_multiplier,
                        stride=2, padding="SAME", weights_initializer=iu.trunc_normal(1.0),
                        scope=end_point)
                else:
                    net = slim.conv2d(inputs, depth(64), [7, 7], stride=2,
                                      weights_initializer=iu.trunc_normal(1.0), scope=end_point)
                end_points[end_point] = net
                if end_point == final_endpoint:
                    return net, end_points
                stages = ROOT_STAGES + STAGES
            net, done = iu.build_stages(net, stages, end_points, final_endpoint, depth,
                                        concat_dim)
            if done:
                return net, end_points
    raise ValueError("Unknown final endpoint %s" % final_endpoint)


def inception_v2(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.8,
                 min_depth=16, depth_multiplier=1.0, prediction_fn=slim.softmax,
                 spatial_squeeze=True, reuse=None, scope="InceptionV2", global_pool=False):
    """Inception v2 classifier; returns `(logits, end_points)`.

    The logits are a 1x1 conv over the average-pooled `Mixed_5c` (a 7x7 window shrunk for
    small inputs, or the global mean with `global_pool=True`); with `num_classes` 0 or None the
    pooled features are returned instead.

    Example:
        >>> logits, end_points = inception_v2(images, num_classes=1001, depth_multiplier=0.5)
    """
    if depth_multiplier <= 0:
        raise ValueError("depth_multiplier is not greater than zero.")
    with tf.variable_scope(scope, "InceptionV2", [inputs], reuse=reuse) as scope:
        with slim.arg_scope([slim.batch_norm, slim.dropout], is_training=is_training):
            net, end_points = inception_v2_base(inputs, scope=scope, min_depth=min_depth,
                                                depth_multiplier=depth_multiplier)
            out = iu.pooled_logits(net, end_points, [7, 7], "global_pool", num_classes,
                                   global_pool, dropout_keep_prob, spatial_squeeze,
                                   prediction_fn)
    return out, end_points


inception_v2.default_image_size = 224

inception_v2_arg_scope = iu.inception_arg_scope
