"""`tf.contrib.layers`: TF-Slim style layers, regularizers and initializers.

Example:
    >>> net = tf.contrib.layers.conv2d(images, 32, [3, 3], scope="conv1")
    >>> net = tf.contrib.layers.max_pool2d(net, [2, 2])
    >>> net = tf.contrib.layers.flatten(net)
    >>> logits = tf.contrib.layers.fully_connected(net, 10, activation_fn=None)
"""

from tensorflux.contrib.layers.arg_scope import (
    add_arg_scope,
    arg_scope,
    arg_scoped_arguments,
    current_arg_scope,
    has_arg_scope,
)
from tensorflux.contrib.layers.initializers import (
    variance_scaling_initializer,
    xavier_initializer,
    xavier_initializer_conv2d,
)
from tensorflux.contrib.layers.layers import (
    avg_pool2d,
    batch_norm,
    conv1d,
    conv2d,
    conv3d,
    convolution,
    convolution1d,
    convolution2d,
    convolution3d,
    dropout,
    flatten,
    fully_connected,
    max_pool2d,
)
from tensorflux.contrib.layers.regularizers import (
    apply_regularization,
    l1_l2_regularizer,
    l1_regularizer,
    l2_regularizer,
    sum_regularizer,
)
