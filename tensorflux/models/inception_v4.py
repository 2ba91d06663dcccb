"""Inception v4 as in TF-Slim's `nets/inception_v4.py`: same scopes, variables and end points,
so TF-Slim checkpoints (`InceptionV4/Mixed_6b/Branch_1/Conv2d_0b_1x7/weights`) load.

Szegedy, Ioffe, Vanhoucke & Alemi, "Inception-v4, Inception-ResNet and the Impact of Residual
Connections on Learning", 2016 (http://arxiv.org/abs/1602.07261): a stem, then 4 Inception-A,
Reduction-A, 7 Inception-B, Reduction-B and 3 Inception-C blocks.

Example:
    >>> images = tf.placeholder(tf.float32, [None, 299, 299, 3])
    >>> with slim.arg_scope(inception_v4_arg_scope()):
    ...     logits, end_points = inception_v4(images, num_classes=1001, is_training=False)
"""

import tensorflux as tf
from tensorflux.contrib import slim
from tensorflux.models import inception_utils as iu
from tensorflux.models.inception_utils import avg_pool, conv, max_pool

INCEPTION_A = iu.mixed(
    [conv(96, [1, 1], "Conv2d_0a_1x1")],
    [conv(64, [1, 1], "Conv2d_0a_1x1"), conv(96, [3, 3], "Conv2d_0b_3x3")],
    [conv(64, [1, 1], "Conv2d_0a_1x1"), conv(96, [3, 3], "Conv2d_0b_3x3"),
     conv(96, [3, 3], "Conv2d_0c_3x3")],
    [avg_pool([3, 3], "AvgPool_0a_3x3"), conv(96, [1, 1], "Conv2d_0b_1x1")])

REDUCTION_A = iu.mixed(
    [conv(384, [3, 3], "Conv2d_1a_3x3", stride=2, padding="VALID")],
    [conv(192, [1, 1], "Conv2d_0a_1x1"), conv(224, [3, 3], "Conv2d_0b_3x3"),
     conv(256, [3, 3], "Conv2d_1a_3x3", stride=2, padding="VALID")],
    [max_pool([3, 3], "MaxPool_1a_3x3", stride=2, padding="VALID")])

INCEPTION_B = iu.mixed(
    [conv(384, [1, 1], "Conv2d_0a_1x1")],
    [conv(192, [1, 1], "Conv2d_0a_1x1"), conv(224, [1, 7], "Conv2d_0b_1x7"),
     conv(256, [7, 1], "Conv2d_0c_7x1")],
    [conv(192, [1, 1], "Conv2d_0a_1x1"), conv(192, [7, 1], "Conv2d_0b_7x1"),
     conv(224, [1, 7], "Conv2d_0c_1x7"), conv(224, [7, 1], "Conv2d_0d_7x1"),
     conv(256, [1, 7], "Conv2d_0e_1x7")],
    [avg_pool([3, 3], "AvgPool_0a_3x3"), conv(128, [1, 1], "Conv2d_0b_1x1")])

REDUCTION_B = iu.mixed(
    [conv(192, [1, 1], "Conv2d_0a_1x1"),
     conv(192, [3, 3], "Conv2d_1a_3x3", stride=2, padding="VALID")],
    [conv(256, [1, 1], "Conv2d_0a_1x1"), conv(256, [1, 7], "Conv2d_0b_1x7"),
     conv(320, [7, 1], "Conv2d_0c_7x1"),
     conv(320, [3, 3], "Conv2d_1a_3x3", stride=2, padding="VALID")],
    [max_pool([3, 3], "MaxPool_1a_3x3", stride=2, padding="VALID")])

INCEPTION_C = iu.mixed(
    [conv(256, [1, 1], "Conv2d_0a_1x1")],
    [conv(384, [1, 1], "Conv2d_0a_1x1"),
     iu.Split((conv(256, [1, 3], "Conv2d_0b_1x3"), conv(256, [3, 1], "Conv2d_0c_3x1")))],
    [conv(384, [1, 1], "Conv2d_0a_1x1"), conv(448, [3, 1], "Conv2d_0b_3x1"),
     conv(512, [1, 3], "Conv2d_0c_1x3"),
     iu.Split((conv(256, [1, 3], "Conv2d_0d_1x3"), conv(256, [3, 1], "Conv2d_0e_3x1")))],
    [avg_pool([3, 3], "AvgPool_0a_3x3"), conv(256, [1, 1], "Conv2d_0b_1x1")])

# The stem, built with stride 1 and SAME padding by default.
ROOT_STAGES = (
    ("Conv2d_1a_3x3", conv(32, [3, 3], stride=2, padding="VALID")),
    ("Conv2d_2a_3x3", conv(32, [3, 3], padding="VALID")),
    ("Conv2d_2b_3x3", conv(64, [3, 3])),
    ("Mixed_3a", iu.mixed(
        [max_pool([3, 3], "MaxPool_0a_3x3", stride=2, padding="VALID")],
        [conv(96, [3, 3], "Conv2d_0a_3x3", stride=2, padding="VALID")])),
    ("Mixed_4a", iu.mixed(
        [conv(64, [1, 1], "Conv2d_0a_1x1"), conv(96, [3, 3], "Conv2d_1a_3x3", padding="VALID")],
        [conv(64, [1, 1], "Conv2d_0a_1x1"), conv(64, [1, 7], "Conv2d_0b_1x7"),
         conv(64, [7, 1], "Conv2d_0c_7x1"), conv(96, [3, 3], "Conv2d_1a_3x3", padding="VALID")])),
    ("Mixed_5a", iu.mixed(
        [conv(192, [3, 3], "Conv2d_1a_3x3", stride=2, padding="VALID")],
        [max_pool([3, 3], "MaxPool_1a_3x3", stride=2, padding="VALID")])),
)


def _block(inputs, module, scope, default_name, reuse):
    with slim.arg_scope([slim.conv2d, slim.avg_pool2d, slim.max_pool2d], stride=1,
                        padding="SAME"):
        with tf.variable_scope(scope, default_name, [inputs], reuse=reuse):
            return iu.build_mixed(inputs, module)


def block_inception_a(inputs, scope=None, reuse=None):
    """Inception-A block (35x35 grid)."""
    return _block(inputs, INCEPTION_A, scope, "BlockInceptionA", reuse)


def block_reduction_a(inputs, scope=None, reuse=None):
    """Reduction-A block (35x35 -> 17x17)."""
    return _block(inputs, REDUCTION_A, scope, "BlockReductionA", reuse)


def block_inception_b(inputs, scope=None, reuse=None):
    """Inception-B block (17x17 grid)."""
    return _block(inputs, INCEPTION_B, scope, "BlockInceptionB", reuse)


def block_reduction_b(inputs, scope=None, reuse=None):
    """Reduction-B block (17x17 -> 8x8)."""
    return _block(inputs, REDUCTION_B, scope, "BlockReductionB", reuse)


def block_inception_c(inputs, scope=None, reuse=None):
    """Inception-C block (8x8 grid)."""
    return _block(inputs, INCEPTION_C, scope, "BlockInceptionC", reuse)


# (end point, block) after the stem: Mixed_5b-5e, 6a, 6b-6h, 7a, 7b-7d.
BLOCKS = (tuple(("Mixed_5" + c, block_inception_a) for c in "bcde")
          + (("Mixed_6a", block_reduction_a),)
          + tuple(("Mixed_6" + c, block_inception_b) for c in "bcdefgh")
          + (("Mixed_7a", block_reduction_b),)
          + tuple(("Mixed_7" + c, block_inception_c) for c in "bcd"))


def inception_v4_base(inputs, final_endpoint="Mixed_7d", scope=None):
    """Inception v4 from `inputs` up to `final_endpoint`; returns `(net, end_points)`."""
    end_points = {}
    with tf.variable_scope(scope, "InceptionV4", [inputs]):
        with slim.arg_scope([slim.conv2d, slim.max_pool2d, slim.avg_pool2d], stride=1,
                            padding="SAME"):
            net, done = iu.build_stages(inputs, ROOT_STAGES, end_points, final_endpoint)
            if done:
                return net, end_points
            for end_point, block in BLOCKS:
                net = block(net, end_point)
                end_points[end_point] = net
                if end_point == final_endpoint:
                    return net, end_points
    raise ValueError("Unknown final endpoint %s" % final_endpoint)


def inception_v4(inputs, num_classes=1001, is_training=True, dropout_keep_prob=0.8, reuse=None,
                 scope="InceptionV4", create_aux_logits=True):
    """Inception v4 classifier; returns `(logits, end_points)`.

    The logits are a fully connected layer over the globally average-pooled `Mixed_7d`; with
    `num_classes` 0 or None the pooled features are returned instead. With
    `create_aux_logits` (and classes), `end_points["AuxLogits"]` is the auxiliary head on
    `Mixed_6h`.

    Example:
        >>> logits, end_points = inception_v4(images, num_classes=1001, is_training=False)
    """
    with tf.variable_scope(scope, "InceptionV4", [inputs], reuse=reuse) as scope:
        with slim.arg_scope([slim.batch_norm, slim.dropout], is_training=is_training):
            net, end_points = inception_v4_base(inputs, scope=scope)
            with slim.arg_scope([slim.conv2d, slim.max_pool2d, slim.avg_pool2d], stride=1,
                                padding="SAME"):
                if create_aux_logits and num_classes:
                    with tf.variable_scope("AuxLogits"):
                        aux = end_points["Mixed_6h"]
                        aux = slim.avg_pool2d(aux, [5, 5], stride=3, padding="VALID",
                                              scope="AvgPool_1a_5x5")
                        aux = slim.conv2d(aux, 128, [1, 1], scope="Conv2d_1b_1x1")
                        aux = slim.conv2d(aux, 768, aux.get_shape()[1:3].as_list(),
                                          padding="VALID", scope="Conv2d_2a")
                        aux = slim.flatten(aux)
                        aux = slim.fully_connected(aux, num_classes, activation_fn=None,
                                                   scope="Aux_logits")
                        end_points["AuxLogits"] = aux
                with tf.variable_scope("Logits"):
                    kernel_size = net.get_shape()[1:3]
                    if kernel_size.is_fully_defined():
                        net = slim.avg_pool2d(net, kernel_size.as_list(), padding="VALID",
                                              scope="AvgPool_1a")
                    else:
                        net = tf.reduce_mean(net, axis=[1, 2], keepdims=True,
                                             name="global_pool")
                    end_points["global_pool"] = net
                    if not num_classes:
                        return net, end_points
                    net = slim.dropout(net, dropout_keep_prob, scope="Dropout_1b")
                    net = slim.flatten(net, scope="PreLogitsFlatten")
                    end_points["PreLogitsFlatten"] = net
                    logits = slim.fully_connected(net, num_classes, activation_fn=None,
                                                  scope="Logits")
                    end_points["Logits"] = logits
                    end_points["Predictions"] = tf.nn.softmax(logits, name="Predictions")
    return logits, end_points


inception_v4.default_image_size = 299

inception_v4_arg_scope = iu.inception_arg_scope
