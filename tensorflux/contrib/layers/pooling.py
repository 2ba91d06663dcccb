"""TF-Slim's pooling layers: `max_pool2d`, `avg_pool2d`, their 3-D forms and `pool`.

They own no variables; each opens a name scope ("MaxPool2D", "AvgPool2D", … or `scope=`) and
can add its output to `outputs_collections` (how the slim nets collect end points).

Example:
    >>> net = slim.max_pool2d(net, [2, 2], scope="pool1")   # stride 2, VALID by default
"""

from tensorflux import nn
from tensorflux.contrib.framework.arg_scope import add_arg_scope
from tensorflux.contrib.layers import utils
from tensorflux.graph import graph as graph_lib
from tensorflux.layers import pooling
from tensorflux.ops import constant_op

DATA_FORMAT_NCHW = "NCHW"
DATA_FORMAT_NHWC = "NHWC"
DATA_FORMAT_NCDHW = "NCDHW"
DATA_FORMAT_NDHWC = "NDHWC"


def _pool(layer_class, default_name, formats, inputs, kernel_size, stride, padding,
          data_format, outputs_collections, scope):
    if data_format not in formats:
        raise ValueError("data_format has to be either %s or %s." % formats)
    with graph_lib.name_scope(scope, default_name, [inputs]) as sc:
        inputs = constant_op.convert_to_tensor(inputs)
        keras_format = "channels_first" if data_format.startswith("NC") else "channels_last"
        layer = layer_class(pool_size=kernel_size, strides=stride, padding=padding,
                            data_format=keras_format, _scope=sc)
        outputs = layer.apply(inputs)
        return utils.collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def max_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format=DATA_FORMAT_NHWC,
               outputs_collections=None, scope=None):
    """2-D max pooling (name scope "MaxPool2D"); stride 2 and VALID padding by default.

    Example:
        >>> net = tf.contrib.layers.max_pool2d(net, [2, 2], scope="pool1")
    """
    return _pool(pooling.MaxPooling2D, "MaxPool2D", (DATA_FORMAT_NCHW, DATA_FORMAT_NHWC),
                 inputs, kernel_size, stride, padding, data_format, outputs_collections, scope)


@add_arg_scope
def avg_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format=DATA_FORMAT_NHWC,
               outputs_collections=None, scope=None):
    """2-D average pooling (name scope "AvgPool2D"); stride 2 and VALID padding by default."""
    return _pool(pooling.AveragePooling2D, "AvgPool2D", (DATA_FORMAT_NCHW, DATA_FORMAT_NHWC),
                 inputs, kernel_size, stride, padding, data_format, outputs_collections, scope)


@add_arg_scope
def max_pool3d(inputs, kernel_size, stride=2, padding="VALID", data_format=DATA_FORMAT_NDHWC,
               outputs_collections=None, scope=None):
    """3-D max pooling (name scope "MaxPool3D")."""
    return _pool(pooling.MaxPooling3D, "MaxPool3D", (DATA_FORMAT_NCDHW, DATA_FORMAT_NDHWC),
                 inputs, kernel_size, stride, padding, data_format, outputs_collections, scope)


@add_arg_scope
def avg_pool3d(inputs, kernel_size, stride=2, padding="VALID", data_format=DATA_FORMAT_NDHWC,
               outputs_collections=None, scope=None):
    """3-D average pooling (name scope "AvgPool3D")."""
    return _pool(pooling.AveragePooling3D, "AvgPool3D", (DATA_FORMAT_NCDHW, DATA_FORMAT_NDHWC),
                 inputs, kernel_size, stride, padding, data_format, outputs_collections, scope)


@add_arg_scope
def pool(inputs, kernel_size, pooling_type, padding="VALID", data_format=None, dilation_rate=1,
         stride=1, outputs_collections=None, scope=None):
    """N-D "MAX" or "AVG" pooling over every spatial dimension (`tf.nn.pool`), name scope
    "max_pool" / "avg_pool"."""
    with graph_lib.name_scope(scope, "%s_pool" % pooling_type.lower(), [inputs]) as sc:
        inputs = constant_op.convert_to_tensor(inputs)
        input_rank = inputs.get_shape().ndims
        if input_rank is None:
            raise ValueError("Rank of inputs must be known")
        if input_rank < 3:
            raise ValueError("Rank of inputs must be >= 3")
        n = input_rank - 2
        output = nn.pool(input=inputs, window_shape=utils.n_positive_integers(n, kernel_size),
                         pooling_type=pooling_type, padding=padding, data_format=data_format,
                         dilation_rate=utils.n_positive_integers(n, dilation_rate),
                         strides=utils.n_positive_integers(n, stride), name=sc)
        return utils.collect_named_outputs(outputs_collections, sc, output)
