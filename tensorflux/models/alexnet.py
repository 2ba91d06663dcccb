"""AlexNet v2 as in TF-Slim's `nets/alexnet.py` (the one-tower "weird trick" variant, LRN
removed): same scopes, variables and end points (`alexnet_v2/conv1/weights` [11, 11, 3, 64],
`alexnet_v2/fc6/weights` [5, 5, 256, 4096]). The fully connected layers are convolutions.

Krizhevsky, "One weird trick for parallelizing convolutional neural networks", 2014
(http://arxiv.org/abs/1404.5997).

Example:
    >>> with slim.arg_scope(alexnet.alexnet_v2_arg_scope()):
    ...     logits, end_points = alexnet.alexnet_v2(images, num_classes=1000, is_training=False)
"""

import tensorflux as tf
from tensorflux.contrib import slim

# The feature layers, in order: ("conv", scope, depth, kernel, stride, padding or None for the
# arg scope's) and ("pool", scope, kernel, stride).
FEATURES = (
    ("conv", "conv1", 64, [11, 11], 4, "VALID"),
    ("pool", "pool1", [3, 3], 2),
    ("conv", "conv2", 192, [5, 5], 1, None),
    ("pool", "pool2", [3, 3], 2),
    ("conv", "conv3", 384, [3, 3], 1, None),
    ("conv", "conv4", 384, [3, 3], 1, None),
    ("conv", "conv5", 256, [3, 3], 1, None),
    ("pool", "pool5", [3, 3], 2),
)


def trunc_normal(stddev):
    return tf.truncated_normal_initializer(0.0, stddev)


def alexnet_v2_arg_scope(weight_decay=0.0005):
    """ReLU, biases initialized to 0.1 and L2 weight decay; "SAME" convolutions and "VALID"
    max pooling."""
    with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.relu,
                        biases_initializer=tf.constant_initializer(0.1),
                        weights_regularizer=slim.l2_regularizer(weight_decay)):
        with slim.arg_scope([slim.conv2d], padding="SAME"):
            with slim.arg_scope([slim.max_pool2d], padding="VALID") as arg_sc:
                return arg_sc


def alexnet_v2(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.5,
               spatial_squeeze=True, scope="alexnet_v2", global_pool=False):
    """AlexNet v2.

    Args:
        inputs: `[batch, height, width, channels]` images (224x224 for classification).
        num_classes: The number of logits; 0 or None returns fc7's features instead.
        is_training: Whether the dropout layers drop.
        dropout_keep_prob: The dropout layers' keep probability.
        spatial_squeeze: Squeeze the logits to `[batch, num_classes]`.
        scope: The variable scope.
        global_pool: Average fc7's output over space before the logits.

    Returns:
        `(net, end_points)`: the logits (or features) and a dict of named activations.
    """
    with tf.variable_scope(scope, "alexnet_v2", [inputs]) as sc:
        end_points_collection = sc.original_name_scope + "_end_points"
        with slim.arg_scope([slim.conv2d, slim.fully_connected, slim.max_pool2d],
                            outputs_collections=[end_points_collection]):
            net = inputs
            for layer in FEATURES:
                if layer[0] == "conv":
                    _, name, depth, kernel, stride, padding = layer
                    kwargs = {"padding": padding} if padding else {}
                    net = slim.conv2d(net, depth, kernel, stride, scope=name, **kwargs)
                else:
                    _, name, kernel, stride = layer
                    net = slim.max_pool2d(net, kernel, stride, scope=name)
            with slim.arg_scope([slim.conv2d], weights_initializer=trunc_normal(0.005),
                                biases_initializer=tf.constant_initializer(0.1)):
                net = slim.conv2d(net, 4096, [5, 5], padding="VALID", scope="fc6")
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


alexnet_v2.default_image_size = 224
