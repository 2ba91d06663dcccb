"""LeNet as in TF-Slim's `nets/lenet.py`: same scopes, variables and end points
(`LeNet/conv1/weights` [5, 5, 1, 32], `LeNet/fc3/weights`, `LeNet/fc4/weights`
[1024, num_classes]); 28x28 images.

Example:
    >>> with slim.arg_scope(lenet.lenet_arg_scope()):
    ...     logits, end_points = lenet.lenet(images, num_classes=10, is_training=True)
"""

import tensorflux as tf
from tensorflux.contrib import slim


def lenet(images, num_classes=10, is_training=False, dropout_keep_prob=0.5,
          prediction_fn=slim.softmax, scope="LeNet"):
    """LeNet: two 5x5 convolutions with pooling, a 1024-unit layer, dropout and the logits.

    Args:
        images: `[batch, height, width, channels]` images.
        num_classes: The number of logits; 0 or None returns fc3's features instead.
        is_training: Whether the dropout layer drops.
        dropout_keep_prob: The dropout keep probability.
        prediction_fn: Turns the logits into `end_points["Predictions"]`.
        scope: The variable scope.

    Returns:
        `(logits, end_points)`.
    """
    end_points = {}
    with tf.variable_scope(scope, "LeNet", [images]):
        net = end_points["conv1"] = slim.conv2d(images, 32, [5, 5], scope="conv1")
        net = end_points["pool1"] = slim.max_pool2d(net, [2, 2], 2, scope="pool1")
        net = end_points["conv2"] = slim.conv2d(net, 64, [5, 5], scope="conv2")
        net = end_points["pool2"] = slim.max_pool2d(net, [2, 2], 2, scope="pool2")
        net = slim.flatten(net)
        end_points["Flatten"] = net
        net = end_points["fc3"] = slim.fully_connected(net, 1024, scope="fc3")
        if not num_classes:
            return net, end_points
        net = end_points["dropout3"] = slim.dropout(net, dropout_keep_prob,
                                                    is_training=is_training, scope="dropout3")
        logits = end_points["Logits"] = slim.fully_connected(net, num_classes,
                                                             activation_fn=None, scope="fc4")
    end_points["Predictions"] = prediction_fn(logits, scope="Predictions")
    return logits, end_points


lenet.default_image_size = 28


def lenet_arg_scope(weight_decay=0.0):
    """L2 weight decay, truncated-normal (stddev 0.1) weights and ReLU."""
    with slim.arg_scope([slim.conv2d, slim.fully_connected],
                        weights_regularizer=slim.l2_regularizer(weight_decay),
                        weights_initializer=tf.truncated_normal_initializer(stddev=0.1),
                        activation_fn=tf.nn.relu) as sc:
        return sc
