"""Elements of a `tf.data` pipeline: nested structures of tensors, and traced user functions.

An element is a tensor, or a tuple / namedtuple / dict of elements (a Python list is a value
to convert into one tensor, as in TF). `output_types` and `output_shapes` are the same nesting
with a DType / TensorShape at each leaf.

`trace(fn, types, shapes)` calls a map/filter/flat_map function once, at graph construction,
inside a `FuncGraph` whose placeholders stand for one element: shape and dtype errors are raised
on the user's line, and the output structure is known before anything runs. Outer tensors the
function reads become *captures*, extra inputs of the iterator op.
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import constant_op
from tensorflux.ops.func_graph import (
    Body,
    FuncGraph,
    as_body_output,
    flatten,
    is_sequence,
    pack_sequence_as,
)

__all__ = ["Body", "flatten", "pack_sequence_as", "to_element", "trace", "types_and_shapes"]


def to_element(value, name="component"):
    """Converts a nested structure of values (arrays, Python numbers, tensors) to tensors.

    Example:
        >>> to_element((np.zeros([4, 2]), [1, 2, 3, 4]))   # a tuple of two tensors
    """
    if isinstance(value, dict):
        return type(value)((k, to_element(value[k], name)) for k in value)
    if isinstance(value, tuple):
        items = [to_element(v, name) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, Tensor):
        return value
    if hasattr(value, "_as_graph_element"):
        return value._as_graph_element()
    return constant_op.convert_to_tensor(value, name=name)


def types_and_shapes(element):
    """(output_types, output_shapes) of a nested structure of tensors."""
    leaves = flatten(element)
    types = pack_sequence_as(element, [t.dtype.base_dtype for t in leaves])
    shapes = pack_sequence_as(element, [t.shape for t in leaves])
    return types, shapes


def classes_of(types):
    """`output_classes`: tf.Tensor at every leaf."""
    return pack_sequence_as(types, [Tensor] * len(flatten(types)))


def as_shape_structure(types, shapes):
    """`shapes` (None, lists or TensorShapes, possibly one per leaf) nested like `types`."""
    if shapes is None:
        return pack_sequence_as(types, [tensor_shape.unknown_shape()] * len(flatten(types)))
    if not is_sequence(types):
        return tensor_shape.as_shape(shapes)
    if isinstance(types, dict):
        return type(types)((k, as_shape_structure(types[k], shapes[k])) for k in types)
    items = [as_shape_structure(t, s) for t, s in zip(types, shapes)]
    return type(types)(*items) if hasattr(types, "_fields") else type(types)(items)


def as_type_structure(types):
    return pack_sequence_as(types, [dtypes.as_dtype(t).base_dtype for t in flatten(types)])


def _element_args(phs, types):
    """What the user's function is called with: a tuple element is spread over the arguments."""
    element = pack_sequence_as(types, phs)
    return element if type(element) is tuple else (element,)


class Traced:
    """A user function traced once: its body, what it returned, and the outer tensors it read.

    `body.inputs` are the element placeholders followed by one placeholder per capture;
    `captures` are the outer tensors fed to those (inputs of the iterator op).
    """

    def __init__(self, graph, body, result, captures):
        self.graph = graph
        self.body = body
        self.result = result
        self.captures = captures


def trace(fn, types, shapes, what, outputs=None):
    """Calls `fn` on placeholders for one element; returns a `Traced`.

    `outputs(graph, result) -> list of body tensors` picks the tensors the body returns
    (default: the leaves of the result, a list result taken as a tuple, as TF does).

    Example:
        >>> t = trace(lambda x: x * 2, tf.float32, tf.TensorShape([3]), "map_func")
    """
    if not callable(fn):
        raise TypeError("`%s` must be callable, got %r." % (what, fn))
    outer = graph_lib.get_default_graph()
    fg = FuncGraph(outer, "")
    with fg.as_default():
        flat_types, flat_shapes = flatten(types), flatten(shapes)
        phs = [fg.placeholder(dt, shp, "args_%d" % i)
               for i, (dt, shp) in enumerate(zip(flat_types, flat_shapes))]
        result = fn(*_element_args(phs, types))
        if isinstance(result, list):
            result = tuple(result)
        if outputs is None:
            result = _convert_result(result)
            outs = [as_body_output(fg, x) for x in flatten(result)]
        else:
            outs = outputs(fg, result)
    caps = list(fg.captures)
    fg.forward_count = len(fg._ops)
    body = Body(fg, phs + [fg.captures[t] for t in caps], outs)
    return Traced(fg, body, result, caps)


def _convert_result(result):
    if result is None:
        raise ValueError("The function passed to `map` must return a value (got None).")
    return to_element(result)
