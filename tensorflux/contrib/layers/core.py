"""TF-Slim's variable-free layers and composition helpers: `flatten`, `dropout`,
`one_hot_encoding`, `softmax`, `unit_norm`, and `repeat` / `stack`, which build TF-Slim's
numbered scopes (`conv3/conv3_1`, `conv3/conv3_2`, …).

Example:
    >>> net = slim.repeat(images, 2, slim.conv2d, 64, [3, 3], scope="conv1")
    >>> # variables conv1/conv1_1/weights, conv1/conv1_2/weights, ...
    >>> net = slim.stack(net, slim.fully_connected, [32, 64], scope="fc")
    >>> # variables fc/fc_1/weights [.., 32], fc/fc_2/weights [32, 64]
"""

from tensorflux import nn
from tensorflux import variable_scope as vs
from tensorflux.contrib.framework.arg_scope import add_arg_scope
from tensorflux.contrib.layers import utils
from tensorflux.contrib.layers.layers import _model_variable_getter
from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.layers import core
from tensorflux.ops import (
    array_ops,
    constant_op,
    fill_ops,
    manip_ops,
    math_ops,
    reduction_ops,
    slicing_ops,
)


@add_arg_scope
def flatten(inputs, outputs_collections=None, scope=None):
    """Flattens `inputs` to `[batch, k]` (name scope "Flatten").

    Example:
        >>> slim.flatten(tf.zeros([2, 3, 4, 5])).shape
        TensorShape([Dimension(2), Dimension(60)])
    """
    with graph_lib.name_scope(scope, "Flatten", [inputs]) as sc:
        inputs = constant_op.convert_to_tensor(inputs)
        outputs = core.flatten(inputs)
        return utils.collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def dropout(inputs, keep_prob=0.5, noise_shape=None, is_training=True, outputs_collections=None,
            scope=None, seed=None):
    """Keeps each element with probability `keep_prob` (scaled by `1 / keep_prob`) when
    `is_training` (a Python bool or a bool tensor); the identity otherwise.

    Example:
        >>> net = slim.dropout(net, 0.5, is_training=is_training, scope="dropout6")
    """
    with vs.variable_scope(scope, "Dropout", [inputs],
                           custom_getter=_model_variable_getter) as sc:
        inputs = constant_op.convert_to_tensor(inputs)
        layer = core.Dropout(rate=1 - keep_prob, noise_shape=noise_shape, seed=seed,
                             name=sc.name, _scope=sc)
        outputs = layer.apply(inputs, training=is_training)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def one_hot_encoding(labels, num_classes, on_value=1.0, off_value=0.0, outputs_collections=None,
                     scope=None):
    """`tf.one_hot` of `labels` (int32 labels become int64 first, as TF-Slim), name scope
    "OneHotEncoding".

    Example:
        >>> onehot = slim.one_hot_encoding(labels, 10)   # float32 [batch, 10]
    """
    with graph_lib.name_scope(scope, "OneHotEncoding", [labels, num_classes]) as sc:
        labels = constant_op.convert_to_tensor(labels)
        if labels.dtype == dtypes.int32:
            labels = math_ops.to_int64(labels)
        outputs = fill_ops.one_hot(labels, num_classes, on_value=on_value, off_value=off_value)
        return utils.collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def softmax(logits, scope=None):
    """Softmax over the last dimension of N-D `logits` (reshaped to 2-D and back), scope
    "softmax"; the nets' `predictions` end point.

    Example:
        >>> probabilities = slim.softmax(logits, scope="predictions")
    """
    with vs.variable_scope(scope, "softmax", [logits]):
        num_logits = utils.last_dimension(logits.get_shape(), min_rank=2)
        logits_2d = array_ops.reshape(logits, [-1, num_logits])
        predictions = nn.softmax(logits_2d)
        predictions = array_ops.reshape(predictions, array_ops.shape(logits))
        predictions.set_shape(logits.get_shape())
        return predictions


@add_arg_scope
def unit_norm(inputs, dim, epsilon=1e-7, scope=None):
    """Divides `inputs` by their L2 norm along `dim` (scope "UnitNorm").

    Raises:
        ValueError: If the rank is unknown or `dim` is not in `[0, rank)`.
    """
    with vs.variable_scope(scope, "UnitNorm", [inputs]):
        if inputs.get_shape().ndims is None:
            raise ValueError("The input rank must be known.")
        input_rank = inputs.get_shape().ndims
        if dim < 0 or dim >= input_rank:
            raise ValueError("dim must be positive but smaller than the input rank.")
        lengths = math_ops.sqrt(epsilon + reduction_ops.reduce_sum(math_ops.square(inputs), dim,
                                                                   True))
        multiples = []
        if dim > 0:
            multiples.append(fill_ops.ones([dim], dtypes.int32))
        multiples.append(slicing_ops.strided_slice(array_ops.shape(inputs), [dim], [dim + 1]))
        if dim < input_rank - 1:
            multiples.append(fill_ops.ones([input_rank - 1 - dim], dtypes.int32))
        multiples = array_ops.concat(multiples, 0)
        return math_ops.div(inputs, manip_ops.tile(lengths, multiples))


def _layer_name(layer, fallback):
    if hasattr(layer, "__name__"):
        return layer.__name__
    if hasattr(layer, "func") and hasattr(layer.func, "__name__"):
        return layer.func.__name__  # a functools.partial
    return fallback


def repeat(inputs, repetitions, layer, *args, **kwargs):
    """Applies `layer(inputs, *args, **kwargs)` `repetitions` times, each in scope
    `<scope>/<scope>_<i>` (default scope "Repeat", layer names `<function name>_<i>`).

    Example:
        >>> net = slim.repeat(net, 3, slim.conv2d, 256, [3, 3], scope="conv3")
        >>> # conv3/conv3_1, conv3/conv3_2, conv3/conv3_3
    """
    scope = kwargs.pop("scope", None)
    with vs.variable_scope(scope, "Repeat", [inputs]):
        inputs = constant_op.convert_to_tensor(inputs)
        if scope is None:
            scope = _layer_name(layer, "repeat")
        outputs = inputs
        for i in range(repetitions):
            kwargs["scope"] = scope + "_" + str(i + 1)
            outputs = layer(outputs, *args, **kwargs)
        return outputs


def stack(inputs, layer, stack_args, **kwargs):
    """Applies `layer` once per element of `stack_args` (its extra positional arguments), each
    in scope `<scope>/<scope>_<i>` (default scope "Stack").

    Raises:
        ValueError: If `stack_args` is not a list or tuple.

    Example:
        >>> net = slim.stack(net, slim.conv2d, [(64, [3, 3]), (128, [1, 1])], scope="block")
    """
    scope = kwargs.pop("scope", None)
    if not isinstance(stack_args, (list, tuple)):
        raise ValueError("stack_args need to be a list or tuple")
    with vs.variable_scope(scope, "Stack", [inputs]):
        inputs = constant_op.convert_to_tensor(inputs)
        if scope is None:
            scope = _layer_name(layer, "stack")
        outputs = inputs
        for i, layer_args in enumerate(stack_args):
            kwargs["scope"] = scope + "_" + str(i + 1)
            if not isinstance(layer_args, (list, tuple)):
                layer_args = [layer_args]
            outputs = layer(outputs, *layer_args, **kwargs)
        return outputs
