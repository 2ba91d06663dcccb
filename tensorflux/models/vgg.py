"""VGG (A = 11 layers, 16, 19) as in TF-Slim's `nets/vgg.py`: same scopes, variables and end
points (`vgg_16/conv3/conv3_2/weights`, `vgg_16/fc6/weights` [7, 7, 512, 4096]), so TF-Slim's
checkpoints load. The fully connected layers are convolutions (fc6 7x7 "VALID", fc7 and fc8 1x1).

Simonyan & Zisserman, "Very Deep Convolutional Networks for Large-Scale Image Recognition",
2014 (http://arxiv.org/abs/1409.1556).

Example:
    >>> images = tf.placeholder(tf.float32, [None, 224, 224, 3])
    >>> with slim.arg_scope(vgg.vgg_arg_scope()):
    ...     logits, end_points = vgg.vgg_16(images, num_classes=1000, is_training=False)
"""

import tensorflux as tf
from tensorflux.contrib import slim

# Convolutions per stage; the stages have 64, 128, 256, 512 and 512 filters of 3x3, and each
# ends with a 2x2 max pool.
STAGE_DEPTHS = (64, 128, 256, 512, 512)
STAGE_REPEATS = {
    "vgg_a": (1, 1, 2, 2, 2),
    "vgg_16": (2, 2, 3, 3, 3),
    "vgg_19": (2, 2, 4, 4, 4),
}


def vgg_arg_scope(weight_decay=0.0005):
    """ReLU, L2 weight decay and zero biases for conv2d / fully_connected; "SAME" conv padding.

    Example:
        >>> with slim.arg_scope(vgg_arg_scope()):
        ...     logits, _ = vgg_16(images)
    """
    with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.relu,
                        weights_regularizer=slim.l2_regularizer(weight_decay),
                        biases_initializer=tf.zeros_initializer()):
        with slim.arg_scope([slim.conv2d], padding="SAME") as arg_sc:
            return arg_sc


def _vgg(name, inputs, num_classes, is_training, dropout_keep_prob, spatial_squeeze, reuse,
         scope, fc_conv_padding, global_pool):
    """The builder: the conv stages of `STAGE_REPEATS[name]`, then fc6 (7x7), fc7, fc8."""
    with tf.variable_scope(scope, name, [inputs], reuse=reuse) as sc:
        end_points_collection = sc.original_name_scope + "_end_points"
        collected = [slim.conv2d, slim.max_pool2d]
        if name != "vgg_a":  # TF-Slim's vgg_a leaves fully_connected out of the list
            collected.append(slim.fully_connected)
        with slim.arg_scope(collected, outputs_collections=end_points_collection):
            net = inputs
            for i, (depth, repeats) in enumerate(zip(STAGE_DEPTHS, STAGE_REPEATS[name]), 1):
                net = slim.repeat(net, repeats, slim.conv2d, depth, [3, 3], scope="conv%d" % i)
                net = slim.max_pool2d(net, [2, 2], scope="pool%d" % i)
            net = slim.conv2d(net, 4096, [7, 7], padding=fc_conv_padding, scope="fc6")
            net = slim.dropout(net, dropout_keep_prob, is_training=is_training,
                               scope="dropout6")
            net = slim.conv2d(net, 4096, [1, 1], scope="fc7")
            end_points = slim.utils.convert_collection_to_dict(end_points_collection)
            if global_pool:
                net = tf.reduce_mean(net, [1, 2], keep_dims=True, name="global_pool")
                end_points["global_pool"] = net
            if num_classes:
                net = slim.dropout(net, dropout_keep_prob, is_training=is_training,
                                   scope="dropout7")
                net = slim.conv2d(net, num_classes, [1, 1], activation_fn=None,
                                  normalizer_fn=None, scope="fc8")
                if spatial_squeeze:
                    net = tf.squeeze(net, [1, 2], name="fc8/squeezed")
                end_points[sc.name + "/fc8"] = net
            return net, end_points


def vgg_a(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.5,
          spatial_squeeze=True, reuse=None, scope="vgg_a", fc_conv_padding="VALID",
          global_pool=False):
    """VGG 11-layer model "A".

    Args:
        inputs: `[batch, height, width, channels]` images (224x224 for classification).
        num_classes: The number of logits; 0 or None returns fc7's features instead.
        is_training: Whether the dropout layers drop.
        dropout_keep_prob: The dropout layers' keep probability.
        spatial_squeeze: Squeeze the logits to `[batch, num_classes]`.
        reuse: Reuse the variables of an earlier call (needs `scope`).
        scope: The variable scope.
        fc_conv_padding: fc6's padding; "SAME" for a fully convolutional prediction map.
        global_pool: Average fc7's output over space before the logits.

    Returns:
        `(net, end_points)`: the logits (or features) and a dict of named activations.
    """
    return _vgg("vgg_a", inputs, num_classes, is_training, dropout_keep_prob, spatial_squeeze,
                reuse, scope, fc_conv_padding, global_pool)


def vgg_16(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.5,
           spatial_squeeze=True, reuse=None, scope="vgg_16", fc_conv_padding="VALID",
           global_pool=False):
    """VGG 16-layer model "D"; arguments and results as `vgg_a`."""
    return _vgg("vgg_16", inputs, num_classes, is_training, dropout_keep_prob, spatial_squeeze,
                reuse, scope, fc_conv_padding, global_pool)


def vgg_19(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.5,
           spatial_squeeze=True, reuse=None, scope="vgg_19", fc_conv_padding="VALID",
           global_pool=False):
    """VGG 19-layer model "E"; arguments and results as `vgg_a`."""
    return _vgg("vgg_19", inputs, num_classes, is_training, dropout_keep_prob, spatial_squeeze,
                reuse, scope, fc_conv_padding, global_pool)


vgg_a.default_image_size = 224
vgg_16.default_image_size = 224
vgg_19.default_image_size = 224

vgg_d = vgg_16
vgg_e = vgg_19
