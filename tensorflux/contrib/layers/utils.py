"""`slim.utils` (`tf.contrib.layers.utils`): named outputs (end points), static conditions and
shape helpers shared by the layers and the model zoo.

Example:
    >>> net = slim.conv2d(images, 64, [3, 3], scope="conv1", outputs_collections="end_points")
    >>> end_points = slim.utils.convert_collection_to_dict("end_points")
    >>> list(end_points)
    ['conv1']
"""

import collections
import weakref

from tensorflux import variables
from tensorflux.graph import graph as graph_lib
from tensorflux.graph import tensor_shape
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import cond_ops, constant_op

NamedOutputs = collections.namedtuple("NamedOutputs", ["name", "outputs"])

# TF stores aliases as a `tensor.aliases` attribute; tensorflux tensors have fixed slots.
_ALIASES = weakref.WeakKeyDictionary()


def collect_named_outputs(collections, alias, outputs):
    """Adds `outputs` to `collections` (a name or list; nothing when None), tagged `alias`.

    Returns:
        `outputs`, so that the call can be inlined.
    """
    if collections:
        append_tensor_alias(outputs, alias)
        graph_lib.add_to_collections(collections, outputs)
    return outputs


def append_tensor_alias(tensor, alias):
    """Appends `alias` (without a trailing "/") to the aliases of `tensor`; returns `tensor`."""
    if alias[-1] == "/":
        alias = alias[:-1]
    _ALIASES.setdefault(tensor, []).append(alias)
    return tensor


def get_tensor_aliases(tensor):
    """The aliases of `tensor`; without any, its op name (for `:0` outputs) or its name."""
    if tensor in _ALIASES:
        return list(_ALIASES[tensor])
    return [tensor.op.name] if tensor.name[-2:] == ":0" else [tensor.name]


def gather_tensors_aliases(tensors):
    """The aliases of all `tensors`, concatenated."""
    aliases = []
    for tensor in tensors:
        aliases += get_tensor_aliases(tensor)
    return aliases


def convert_collection_to_dict(collection, clear_collection=False):
    """An `OrderedDict` from alias to tensor over the tensors of `collection` (how the slim nets
    build their `end_points`)."""
    output = collections.OrderedDict(
        (alias, tensor) for tensor in graph_lib.get_collection(collection)
        for alias in get_tensor_aliases(tensor))
    if clear_collection:
        graph_lib.get_default_graph().clear_collection(collection)
    return output


def constant_value(value_or_tensor_or_var, dtype=None):
    """The Python value of a value or a constant tensor; None for variables and other tensors.

    Raises:
        ValueError: If the argument is None or has a dtype other than `dtype`.
    """
    if value_or_tensor_or_var is None:
        raise ValueError("value_or_tensor_or_var cannot be None")
    value = value_or_tensor_or_var
    is_variable = isinstance(value, variables.Variable)
    if isinstance(value, Tensor) or is_variable:
        if dtype and value.dtype != dtype:
            raise ValueError("It has the wrong type %s instead of %s" % (value.dtype, dtype))
        value = None if is_variable else constant_op.constant_value(value)
    return value


def static_cond(pred, fn1, fn2):
    """`fn1()` if the Python value `pred` is true, else `fn2()`."""
    if not callable(fn1):
        raise TypeError("fn1 must be callable.")
    if not callable(fn2):
        raise TypeError("fn2 must be callable.")
    return fn1() if pred else fn2()


def smart_cond(pred, fn1, fn2, name=None):
    """`static_cond` when `pred` has a constant value, `tf.cond` otherwise."""
    pred_value = constant_value(pred)
    if pred_value is not None:
        return static_cond(pred_value, fn1, fn2)
    return cond_ops.cond(pred, fn1, fn2, name=name)


def get_variable_collections(variables_collections, name):
    """The collections for variable `name`: `variables_collections[name]` for a dict, else
    `variables_collections` itself."""
    if isinstance(variables_collections, dict):
        return variables_collections.get(name, None)
    return variables_collections


def _get_dimension(shape, dim, min_rank=1):
    dims = shape.dims
    if dims is None:
        raise ValueError("dims of shape must be known but is None")
    if len(dims) < min_rank:
        raise ValueError("rank of shape must be at least %d not: %d" % (min_rank, len(dims)))
    value = dims[dim].value
    if value is None:
        raise ValueError("dimension %d of shape must be known but is None: %s" % (dim, shape))
    return value


def channel_dimension(shape, data_format, min_rank=1):
    """The channel size of `shape` ("channels_first" or "channels_last"), which must be known.

    Raises:
        ValueError: If the rank is unknown or below `min_rank`, or the dimension is unknown.
    """
    return _get_dimension(shape, 1 if data_format == "channels_first" else -1,
                          min_rank=min_rank)


def last_dimension(shape, min_rank=1):
    """The last dimension of `shape`, which must be known (checking the rank is >= `min_rank`).

    Example:
        >>> slim.utils.last_dimension(tf.TensorShape([None, 7, 7, 64]), min_rank=4)
        64
    """
    return _get_dimension(shape, -1, min_rank=min_rank)


def two_element_tuple(int_or_tuple):
    """`(h, w)` from an int, a 2-element list/tuple or a 2-D `TensorShape`."""
    if isinstance(int_or_tuple, (list, tuple)):
        if len(int_or_tuple) != 2:
            raise ValueError("Must be a list with 2 elements: %s" % (int_or_tuple,))
        return int(int_or_tuple[0]), int(int_or_tuple[1])
    if isinstance(int_or_tuple, int):
        return int(int_or_tuple), int(int_or_tuple)
    if isinstance(int_or_tuple, tensor_shape.TensorShape) and len(int_or_tuple) == 2:
        return int_or_tuple[0], int_or_tuple[1]
    raise ValueError("Must be an int, a list with 2 elements or a TensorShape of length 2")


def n_positive_integers(n, value):
    """A tuple of `n` positive ints from one int or an `n`-element sequence (or TensorShape)."""
    if isinstance(value, tensor_shape.TensorShape):
        value = value.as_list()
    if isinstance(value, (list, tuple)):
        values = tuple(int(v) for v in value)
        if len(values) != n:
            raise ValueError("Expected sequence of %d positive integers, but received %r"
                             % (n, value))
    else:
        values = (int(value),) * n
    if any(v <= 0 for v in values):
        raise ValueError("Expected sequence of %d positive integers, but received %r"
                         % (n, value))
    return values
