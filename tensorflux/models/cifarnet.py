"""CifarNet as in TF-Slim's `nets/cifarnet.py` (a variant of the CIFAR-10 tutorial model):
same scopes, variables and end points (`CifarNet/conv1/weights` [5, 5, 3, 64],
`CifarNet/fc3/weights`, `CifarNet/logits/weights` [192, num_classes]); 32x32 images.

Example:
    >>> with slim.arg_scope(cifarnet.cifarnet_arg_scope()):
    ...     logits, end_points = cifarnet.cifarnet(images, num_classes=10, is_training=True)
"""

import tensorflux as tf
from tensorflux.contrib import slim


def trunc_normal(stddev):
    return tf.truncated_normal_initializer(stddev=stddev)


def cifarnet(images, num_classes=10, is_training=False, dropout_keep_prob=0.5,
             prediction_fn=slim.softmax, scope="CifarNet"):
    """CifarNet: two 5x5 convolutions with pooling and LRN, two fully connected layers.

    Args:
        images: `[batch, height, width, channels]` images.
        num_classes: The number of logits; 0 or None returns fc4's features instead.
        is_training: Whether the dropout layer drops.
        dropout_keep_prob: The dropout keep probability.
        prediction_fn: Turns the logits into `end_points["Predictions"]`.
        scope: The variable scope.

    Returns:
        `(logits, end_points)`.
    """
    end_points = {}
    with tf.variable_scope(scope, "CifarNet", [images]):
        net = slim.conv2d(images, 64, [5, 5], scope="conv1")
        end_points["conv1"] = net
        net = slim.max_pool2d(net, [2, 2], 2, scope="pool1")
        end_points["pool1"] = net
        net = tf.nn.lrn(net, 4, bias=1.0, alpha=0.001 / 9.0, beta=0.75, name="norm1")
        net = slim.conv2d(net, 64, [5, 5], scope="conv2")
        end_points["conv2"] = net
        net = tf.nn.lrn(net, 4, bias=1.0, alpha=0.001 / 9.0, beta=0.75, name="norm2")
        net = slim.max_pool2d(net, [2, 2], 2, scope="pool2")
        end_points["pool2"] = net
        net = slim.flatten(net)
        end_points["Flatten"] = net
        net = slim.fully_connected(net, 384, scope="fc3")
        end_points["fc3"] = net
        net = slim.dropout(net, dropout_keep_prob, is_training=is_training, scope="dropout3")
        net = slim.fully_connected(net, 192, scope="fc4")
        end_points["fc4"] = net
        if not num_classes:
            return net, end_points
        logits = slim.fully_connected(net, num_classes,
                                      biases_initializer=tf.zeros_initializer(),
                                      weights_initializer=trunc_normal(1 / 192.0),
                                      weights_regularizer=None, activation_fn=None,
                                      scope="logits")
        end_points["Logits"] = logits
        end_points["Predictions"] = prediction_fn(logits, scope="Predictions")
    return logits, end_points


cifarnet.default_image_size = 32


def cifarnet_arg_scope(weight_decay=0.004):
    """Truncated-normal weights and ReLU; fully connected layers get biases of 0.1 and L2
    weight decay."""
    with slim.arg_scope([slim.conv2d],
                        weights_initializer=tf.truncated_normal_initializer(stddev=5e-2),
                        activation_fn=tf.nn.relu):
        with slim.arg_scope([slim.fully_connected],
                            biases_initializer=tf.constant_initializer(0.1),
                            weights_initializer=trunc_normal(0.04),
                            weights_regularizer=slim.l2_regularizer(weight_decay),
                            activation_fn=tf.nn.relu) as sc:
            return sc
