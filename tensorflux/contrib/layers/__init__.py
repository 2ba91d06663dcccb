"""`tf.contrib.layers`: TF-Slim's layers, normalizers, regularizers, initializers and
`optimize_loss`.

Example:
    >>> net = tf.contrib.layers.conv2d(images, 32, [3, 3], scope="conv1")
    >>> net = tf.contrib.layers.max_pool2d(net, [2, 2])
    >>> net = tf.contrib.layers.flatten(net)
    >>> logits = tf.contrib.layers.fully_connected(net, 10, activation_fn=None)
"""

from tensorflux.contrib.framework.arg_scope import (
    add_arg_scope,
    arg_scope,
    arg_scope_func_key,
    arg_scoped_arguments,
    current_arg_scope,
    has_arg_scope,
)
from tensorflux.contrib.layers import utils
from tensorflux.contrib.layers.core import (
    dropout,
    flatten,
    one_hot_encoding,
    repeat,
    softmax,
    stack,
    unit_norm,
)
from tensorflux.contrib.layers.initializers import (
    variance_scaling_initializer,
    xavier_initializer,
    xavier_initializer_conv2d,
)
from tensorflux.contrib.layers.layers import (
    bias_add,
    conv1d,
    conv2d,
    conv2d_transpose,
    conv3d,
    conv3d_transpose,
    convolution,
    convolution1d,
    convolution2d,
    convolution2d_transpose,
    convolution3d,
    convolution3d_transpose,
    elu,
    fully_connected,
    linear,
    relu,
    relu6,
    separable_conv2d,
    separable_convolution2d,
)
from tensorflux.contrib.layers.normalization import (
    batch_norm,
    group_norm,
    instance_norm,
    layer_norm,
)
from tensorflux.contrib.layers.optimizers import (
    OPTIMIZER_CLS_NAMES,
    OPTIMIZER_SUMMARIES,
    optimize_loss,
)
from tensorflux.contrib.layers.pooling import (
    avg_pool2d,
    avg_pool3d,
    max_pool2d,
    max_pool3d,
    pool,
)
from tensorflux.contrib.layers.regularizers import (
    apply_regularization,
    l1_l2_regularizer,
    l1_regularizer,
    l2_regularizer,
    sum_regularizer,
)
from tensorflux.contrib.layers.spatial_softmax import spatial_softmax
