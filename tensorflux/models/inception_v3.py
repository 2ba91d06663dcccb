"""Inception v3 as in TF-Slim's `nets/inception_v3.py`: same scopes, variables (388 with the
auxiliary head and 1001 classes), end points and `depth_multiplier` thinning, so TF-Slim
checkpoints (`InceptionV3/Conv2d_1a_3x3/weights`) load.

Szegedy et al., "Rethinking the Inception Architecture for Computer Vision", 2015
(http://arxiv.org/abs/1512.00567). The end point names differ from the paper's layer names
(conv0 = Conv2d_1a_3x3, pool1 = MaxPool_3a_3x3, mixed_35x35x256a = Mixed_5b, ...,
mixed_8x8x2048b = Mixed_7c) but the network is the same.

Example:
    >>> images = tf.placeholder(tf.float32, [None, 299, 299, 3])
    >>> with slim.arg_scope(inception_v3_arg_scope()):
    ...     logits, end_points = inception_v3(images, num_classes=1001, is_training=False)
"""

import tensorflux as tf
from tensorflux.contrib import slim
from tensorflux.models import inception_utils as iu
from tensorflux.models.inception_utils import avg_pool, conv, max_pool

# Built with stride 1 and VALID padding by default.
ROOT_STAGES = (
    ("Conv2d_1a_3x3", conv(32, [3, 3], stride=2)),
    ("Conv2d_2a_3x3", conv(32, [3, 3])),
    ("Conv2d_2b_3x3", conv(64, [3, 3], padding="SAME")),
    ("MaxPool_3a_3x3", max_pool([3, 3], stride=2)),
    ("Conv2d_3b_1x1", conv(80, [1, 1])),
    ("Conv2d_4a_3x3", conv(192, [3, 3])),
    ("MaxPool_5a_3x3", max_pool([3, 3], stride=2)),
)


def _module_35(pool_depth, b1_scopes=("Conv2d_0a_1x1", "Conv2d_0b_5x5")):
    """35x35: 1x1 | 1x1 -> 5x5 | 1x1 -> 3x3 -> 3x3 | 3x3 avg pool -> 1x1."""
    return iu.mixed(
        [conv(64, [1, 1], "Conv2d_0a_1x1")],
        [conv(48, [1, 1], b1_scopes[0]), conv(64, [5, 5], b1_scopes[1])],
        [conv(64, [1, 1], "Conv2d_0a_1x1"), conv(96, [3, 3], "Conv2d_0b_3x3"),
         conv(96, [3, 3], "Conv2d_0c_3x3")],
        [avg_pool([3, 3], "AvgPool_0a_3x3"), conv(pool_depth, [1, 1], "Conv2d_0b_1x1")])


def _module_17(d):
    """17x17 with factorized 7x7s: 1x1 | 1x1 -> 1x7 -> 7x1 | 1x1 -> (7x1 -> 1x7) x 2 | pool."""
    return iu.mixed(
        [conv(192, [1, 1], "Conv2d_0a_1x1")],
        [conv(d, [1, 1], "Conv2d_0a_1x1"), conv(d, [1, 7], "Conv2d_0b_1x7"),
         conv(192, [7, 1], "Conv2d_0c_7x1")],
        [conv(d, [1, 1], "Conv2d_0a_1x1"), conv(d, [7, 1], "Conv2d_0b_7x1"),
         conv(d, [1, 7], "Conv2d_0c_1x7"), conv(d, [7, 1], "Conv2d_0d_7x1"),
         conv(192, [1, 7], "Conv2d_0e_1x7")],
        [avg_pool([3, 3], "AvgPool_0a_3x3"), conv(192, [1, 1], "Conv2d_0b_1x1")])


def _module_8(b1_second_scope):
    """8x8 with expanded filter banks: 1x3 and 3x1 convs side by side."""
    return iu.mixed(
        [conv(320, [1, 1], "Conv2d_0a_1x1")],
        [conv(384, [1, 1], "Conv2d_0a_1x1"),
         iu.Split((conv(384, [1, 3], "Conv2d_0b_1x3"), conv(384, [3, 1], b1_second_scope)))],
        [conv(448, [1, 1], "Conv2d_0a_1x1"), conv(384, [3, 3], "Conv2d_0b_3x3"),
         iu.Split((conv(384, [1, 3], "Conv2d_0c_1x3"), conv(384, [3, 1], "Conv2d_0d_3x1")))],
        [avg_pool([3, 3], "AvgPool_0a_3x3"), conv(192, [1, 1], "Conv2d_0b_1x1")])


# Built with stride 1 and SAME padding by default. Scope names such as "Conv2d_1a_1x1" on 3x3
# convs and "Conv_1_0c_5x5" are TF-Slim's (released checkpoints keep them).
STAGES = (
    ("Mixed_5b", _module_35(32)),
    ("Mixed_5c", _module_35(64, ("Conv2d_0b_1x1", "Conv_1_0c_5x5"))),
    ("Mixed_5d", _module_35(64)),
    ("Mixed_6a", iu.mixed(
        [conv(384, [3, 3], "Conv2d_1a_1x1", stride=2, padding="VALID")],
        [conv(64, [1, 1], "Conv2d_0a_1x1"), conv(96, [3, 3], "Conv2d_0b_3x3"),
         conv(96, [3, 3], "Conv2d_1a_1x1", stride=2, padding="VALID")],
        [max_pool([3, 3], "MaxPool_1a_3x3", stride=2, padding="VALID")])),
    ("Mixed_6b", _module_17(128)),
    ("Mixed_6c", _module_17(160)),
    ("Mixed_6d", _module_17(160)),
    ("Mixed_6e", _module_17(192)),
    ("Mixed_7a", iu.mixed(
        [conv(192, [1, 1], "Conv2d_0a_1x1"),
         conv(320, [3, 3], "Conv2d_1a_3x3", stride=2, padding="VALID")],
        [conv(192, [1, 1], "Conv2d_0a_1x1"), conv(192, [1, 7], "Conv2d_0b_1x7"),
         conv(192, [7, 1], "Conv2d_0c_7x1"),
         conv(192, [3, 3], "Conv2d_1a_3x3", stride=2, padding="VALID")],
        [max_pool([3, 3], "MaxPool_1a_3x3", stride=2, padding="VALID")])),
    ("Mixed_7b", _module_8("Conv2d_0b_3x1")),
    ("Mixed_7c", _module_8("Conv2d_0c_3x1")),
)


def inception_v3_base(inputs, final_endpoint="Mixed_7c", min_depth=16, depth_multiplier=1.0,
                      scope=None):
    """Inception v3 from `inputs` up to `final_endpoint`; returns `(net, end_points)`.

    Every depth `d` becomes `max(int(d * depth_multiplier), min_depth)`.
    """
    end_points = {}
    if depth_multiplier <= 0:
        raise ValueError("depth_multiplier is not greater than zero.")

    def depth(d):
        return max(int(d * depth_multiplier), min_depth)

    with tf.variable_scope(scope, "InceptionV3", [inputs]):
        with slim.arg_scope([slim.conv2d, slim.max_pool2d, slim.avg_pool2d], stride=1,
                            padding="VALID"):
            net, done = iu.build_stages(inputs, ROOT_STAGES, end_points, final_endpoint, depth)
            if done:
                return net, end_points
        with slim.arg_scope([slim.conv2d, slim.max_pool2d, slim.avg_pool2d], stride=1,
                            padding="SAME"):
            net, done = iu.build_stages(net, STAGES, end_points, final_endpoint, depth)
            if done:
                return net, end_points
    raise ValueError("Unknown final endpoint %s" % final_endpoint)


def inception_v3(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.8,
                 min_depth=16, depth_multiplier=1.0, prediction_fn=slim.softmax,
                 spatial_squeeze=True, reuse=None, create_aux_logits=True, scope="InceptionV3",
                 global_pool=False):
    """Inception v3 classifier; returns `(logits, end_points)`.

    With `create_aux_logits` (and classes), `end_points["AuxLogits"]` is the auxiliary head on
    `Mixed_6e`. The logits are a 1x1 conv over the average-pooled `Mixed_7c` (an 8x8 window
    shrunk for small inputs, or the global mean with `global_pool=True`); with `num_classes` 0
    or None the pooled features are returned instead.

    Example:
        >>> logits, end_points = inception_v3(images, num_classes=1001, is_training=False)
        >>> aux_logits = end_points["AuxLogits"]
    """
    if depth_multiplier <= 0:
        raise ValueError("depth_multiplier is not greater than zero.")

    def depth(d):
        return max(int(d * depth_multiplier), min_depth)

    with tf.variable_scope(scope, "InceptionV3", [inputs], reuse=reuse) as scope:
        with slim.arg_scope([slim.batch_norm, slim.dropout], is_training=is_training):
            net, end_points = inception_v3_base(inputs, scope=scope, min_depth=min_depth,
                                                depth_multiplier=depth_multiplier)
            if create_aux_logits and num_classes:
                with slim.arg_scope([slim.conv2d, slim.max_pool2d, slim.avg_pool2d], stride=1,
                                    padding="SAME"):
                    end_points["AuxLogits"] = _aux_logits(end_points["Mixed_6e"], num_classes,
                                                          depth, spatial_squeeze)
            out = iu.pooled_logits(net, end_points, [8, 8], "GlobalPool", num_classes,
                                   global_pool, dropout_keep_prob, spatial_squeeze,
                                   prediction_fn)
    return out, end_points


def _aux_logits(net, num_classes, depth, spatial_squeeze):
    """The auxiliary classifier: 5x5/3 avg pool, 1x1 conv, a conv over what is left of the
    grid (5x5 at the default size, named after its kernel), then 1x1 conv logits."""
    with tf.variable_scope("AuxLogits"):
        net = slim.avg_pool2d(net, [5, 5], stride=3, padding="VALID", scope="AvgPool_1a_5x5")
        net = slim.conv2d(net, depth(128), [1, 1], scope="Conv2d_1b_1x1")
        kernel_size = iu.reduced_kernel_size_for_small_input(net, [5, 5])
        net = slim.conv2d(net, depth(768), kernel_size, weights_initializer=iu.trunc_normal(0.01),
                          padding="VALID", scope="Conv2d_2a_{}x{}".format(*kernel_size))
        net = slim.conv2d(net, num_classes, [1, 1], activation_fn=None, normalizer_fn=None,
                          weights_initializer=iu.trunc_normal(0.001), scope="Conv2d_2b_1x1")
        if spatial_squeeze:
            net = tf.squeeze(net, [1, 2], name="SpatialSqueeze")
        return net


inception_v3.default_image_size = 299

inception_v3_arg_scope = iu.inception_arg_scope
