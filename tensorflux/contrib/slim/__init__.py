"""`tf.contrib.slim` (TF-Slim): for now the `tf.contrib.layers` layers, regularizers and
initializers, and `arg_scope`.

Example:
    >>> slim = tf.contrib.slim
    >>> with slim.arg_scope([slim.conv2d], padding="SAME",
    ...                     weights_regularizer=slim.l2_regularizer(0.0005)):
    ...     net = slim.conv2d(images, 64, [3, 3], scope="conv1")
"""

from tensorflux.contrib.layers import (
    add_arg_scope,
    apply_regularization,
    arg_scope,
    arg_scoped_arguments,
    avg_pool2d,
    batch_norm,
    conv1d,
    conv2d,
    conv3d,
    convolution,
    convolution1d,
    convolution2d,
    convolution3d,
    current_arg_scope,
    dropout,
    flatten,
    fully_connected,
    has_arg_scope,
    l1_l2_regularizer,
    l1_regularizer,
    l2_regularizer,
    max_pool2d,
    sum_regularizer,
    variance_scaling_initializer,
    xavier_initializer,
    xavier_initializer_conv2d,
)
