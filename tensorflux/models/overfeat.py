"""OverFeat as in TF-Slim's `nets/overfeat.py`: same scopes, variables and end points
(`overfeat/conv1/weights` [11, 11, 3, 64], `overfeat/fc6/weights` [6, 6, 1024, 3072]). The
fully connected layers are convolutions; classification takes 231x231 images.

Sermanet et al., "OverFeat: Integrated Recognition, Localization and Detection using
Convolutional Networks", 2014 (http://arxiv.org/abs/1312.6229).

Example:
    >>> with slim.arg_scope(overfeat.overfeat_arg_scope()):
    ...     logits, end_points = overfeat.overfeat(images, num_classes=1000, is_training=False)
"""

import tensorflux as tf
from tensorflux.contrib import slim

# The feature layers, in order: ("conv", scope, depth, kernel, stride, padding or None for the
# arg scope's) and ("pool", scope, kernel).
FEATURES = (
    ("conv", "conv1", 64, [11, 11], 4, "VALID"),
    ("pool", "pool1", [2, 2]),
    ("conv", "conv2", 256, [5, 5], 1, "VALID"),
    ("pool", "pool2", [2, 2]),
    ("conv", "conv3", 512, [3, 3], 1, None),
    ("conv", "conv4", 1024, [3, 3], 1, None),
    ("conv", "conv5", 1024, [3, 3], 1, None),
    ("pool", "pool5", [2, 2]),
)


def trunc_normal(stddev):
    return tf.truncated_normal_initializer(0.0, stddev)


def overfeat_arg_scope(weight_decay=0.0005):
    """ReLU, zero biases and L2 weight decay; "SAME" convolutions and "VALID" max pooling."""
    with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.relu,
                        weights_regularizer=slim.l2_regularizer(weight_decay),
                        biases_initializer=tf.zeros_initializer()):
        with slim.arg_scope([slim.conv2d], padding="SAME"):
            with slim.arg_scope([slim.max_pool2d], padding="VALID") as arg_sc:
                return arg_sc


def overfeat(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.5,
             spatial_squeeze=True, scope="overfeat", global_pool=False):
    """OverFeat.

    Args:
        inputs: `[batch, height, width, channels]` images (231x231 for classification).
        num_classes: The number of logits; 0 or None returns fc7's features instead.
        is_training: Whether the dropout layers drop.
        dropout_keep_prob: The dropout layers' keep probability.
        spatial_squeeze: Squeeze the logits to `[batch, num_classes]`.
        scope: The variable scope.
        global_pool: Average fc7's output over space before the logits.

    Returns:
        `(net, end_points)`: the logits (or features) and a dict of named activations.
    """
    with tf.variable_scope(scope, "overfeat", [inputs]) as sc:
        end_points_collection = sc.original_name_scope + "_end_points"
        with slim.arg_scope([slim.conv2d, slim.fully_connected, slim.max_pool2d],
                            outputs_collections=end_points_collection):
            net = inputs
            for layer in FEATURES:
                if layer[0] == "conv":
                    _, name, depth, kernel, stride, padding = layer
                    kwargs = {"padding": padding} if padding else {}
                    net = slim.conv2d(net, depth, kernel, stride, scope=name, **kwargs)
                else:
                    _, name, kernel = layer
                    net = slim.max_pool2d(net, kernel, scope=name)
            with slim.arg_scope([slim.conv2d], weights_initializer=trunc_normal(0.005),
                                biases_initializer=tf.constant_initializer(0.1)):
                net = slim.conv2d(net, 3072, [6, 6], padding="VALID", scope="fc6")
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
                                      normalizer_fn=None,
                                      biases_initializer=tf.zeros_initializer(), scope="fc8")
                    if spatial_squeeze:
                        net = tf.squeeze(net, [1, 2], name="fc8/squeezed")
                    end_points[sc.name + "/fc8"] = net
            return net, end_points


overfeat.default_image_size = 231
