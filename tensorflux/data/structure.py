"""Elements of a `tf.data` pipeline: nested structures of tensors, and traced user functions.

An element is a tensor, or a tuple / namedtuple / dict of elements (a Python list is a value
to convert into one tensor, as in TF). `output_types` and `output_shapes` are the same nesting
with a DType / TensorShape at each leaf. A `tf.SparseTensor` leaf has a `SparseDType` (equal to
its values' dtype, as TF's `output_types`) and its dense shape; it travels as three tensors
(indices, values, dense_shape: `expand` / `regroup`).

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

__all__ = ["Body", "SparseDType", "expand", "flatten", "pack_sequence_as", "regroup",
           "to_element", "trace", "types_and_shapes"]


class SparseDType(dtypes.DType):
    """The `output_types` leaf of a `tf.SparseTensor` component: equal to its values' dtype
    (as TF's `output_types`), but marking the component sparse (`output_classes`)."""

    __slots__ = ()

    def __init__(self, dtype):
        dtype = dtypes.as_dtype(dtype).base_dtype
        super().__init__(dtype.name, dtype.as_numpy_dtype, dtype.as_datatype_enum)

    def __reduce__(self):
        return SparseDType, (self.name,)


class DatasetType:
    """The `output_types` (and `output_shapes`) leaf of a component that is itself a dataset
    (`Dataset.window`): the element type and shape of that nested dataset."""

    def __init__(self, dtype, shape):
        self.dtype = dtype
        self.shape = shape

    def __eq__(self, other):
        return (isinstance(other, DatasetType) and self.dtype == other.dtype
                and self.shape.as_list() == other.shape.as_list())

    def __hash__(self):
        return hash(self.dtype)

    def __repr__(self):
        return "DatasetSpec(%s, %s)" % (tensor_spec_string(self.dtype, self.shape),
                                        "TensorShape([])")


def is_dataset_type(t):
    return isinstance(t, DatasetType)


def is_sparse_type(t):
    return isinstance(t, SparseDType)


def has_sparse(types):
    return any(is_sparse_type(t) for t in flatten(types))


def sparse_parts(dtype, shape):
    """[(dtype, shape)] of the indices, values and dense_shape tensors of a sparse component."""
    rank = shape.ndims
    return [(dtypes.int64, tensor_shape.TensorShape([None, rank])),
            (dtype.base_dtype if not is_sparse_type(dtype) else dtypes.as_dtype(dtype.name),
             tensor_shape.TensorShape([None])),
            (dtypes.int64, tensor_shape.TensorShape([rank]))]


def expand(types, shapes):
    """The flat (dtypes, shapes) of the tensors of an element: three per sparse component."""
    out_types, out_shapes = [], []
    for t, s in zip(flatten(types), flatten(shapes)):
        if is_dataset_type(t):
            continue  # a nested dataset has no tensors of its own
        parts = sparse_parts(t, s) if is_sparse_type(t) else [(t.base_dtype, s)]
        out_types.extend(p[0] for p in parts)
        out_shapes.extend(p[1] for p in parts)
    return out_types, out_shapes


def regroup(types, tensors, shapes=None):
    """The leaves of an element from its flat tensors (a SparseTensor per sparse component,
    knowing its static dense shape from `shapes`)."""
    from tensorflux.data.dataset_ops import Dataset
    from tensorflux.ops.sparse_tensor import SparseTensor

    leaves, i = [], 0
    flat_shapes = flatten(shapes) if shapes is not None else [None] * len(flatten(types))
    for t, shape in zip(flatten(types), flat_shapes):
        if is_dataset_type(t):
            leaves.append(Dataset("window", t.dtype, t.shape))
        elif is_sparse_type(t):
            st = SparseTensor(tensors[i], tensors[i + 1], tensors[i + 2])
            if shape is not None:
                st._shape_hint = shape
            leaves.append(st)
            i += 3
        else:
            leaves.append(tensors[i])
            i += 1
    return leaves


def _is_sparse_value(value):
    from tensorflux.ops.sparse_tensor import SparseTensor, SparseTensorValue

    return isinstance(value, (SparseTensor, SparseTensorValue))


def to_element(value, name="component"):
    """Converts a nested structure of values (arrays, Python numbers, tensors) to tensors
    (a SparseTensor or SparseTensorValue becomes a SparseTensor leaf).

    Example:
        >>> to_element((np.zeros([4, 2]), [1, 2, 3, 4]))   # a tuple of two tensors
    """
    if _is_sparse_value(value):
        from tensorflux.ops.sparse_tensor import SparseTensor

        return SparseTensor.from_value(value)
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
    """(output_types, output_shapes) of a nested structure of tensors and SparseTensors."""
    leaves = flatten(element)
    types = pack_sequence_as(element, [
        SparseDType(t.dtype) if _is_sparse_value(t) else t.dtype.base_dtype for t in leaves])
    shapes = pack_sequence_as(element, [_sparse_shape(t) if _is_sparse_value(t) else t.shape
                                        for t in leaves])
    return types, shapes


def _sparse_shape(st):
    shape = st.shape
    if shape.ndims is None:
        rank = st.indices.shape[1] if st.indices.shape.ndims == 2 else None
        rank = getattr(rank, "value", rank)
        return tensor_shape.unknown_shape(rank) if rank is not None else shape
    return shape


def spec_string(value):
    """TF 2's repr of a value's structure in its messages: `TensorSpec(shape=(), dtype=tf.int64,
    name=None)` for a tensor, tuples and dicts of those."""
    if isinstance(value, dict):
        return "{%s}" % ", ".join("%r: %s" % (k, spec_string(value[k])) for k in value)
    if isinstance(value, tuple):
        items = [spec_string(v) for v in value]
        return "(%s)" % (items[0] + "," if len(items) == 1 else ", ".join(items))
    if isinstance(value, Tensor):
        return tensor_spec_string(value.dtype.base_dtype, value.shape)
    return repr(value)


def tensor_spec_string(dtype, shape):
    if shape.ndims is None:
        dims = "<unknown>"
    else:
        dims = str(tuple(shape.as_list()))
    return "TensorSpec(shape=%s, dtype=tf.%s, name=None)" % (dims, dtype.name)


def classes_of(types):
    """`output_classes`: tf.Tensor at every leaf, tf.SparseTensor at a sparse one."""
    from tensorflux.ops.sparse_tensor import SparseTensor

    return pack_sequence_as(types, [SparseTensor if is_sparse_type(t) else Tensor
                                    for t in flatten(types)])


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


def trace(fn, types, shapes, what, outputs=None, args=None):
    """Calls `fn` on placeholders for one element; returns a `Traced`.

    `outputs(graph, result) -> list of body tensors` picks the tensors the body returns
    (default: the leaves of the result, a list result taken as a tuple, as TF does);
    `args(placeholders) -> tuple` builds the call's arguments (default: the element, a tuple
    spread over the arguments).

    Example:
        >>> t = trace(lambda x: x * 2, tf.float32, tf.TensorShape([3]), "map_func")
    """
    if not callable(fn):
        raise TypeError("`%s` must be callable, got %r." % (what, fn))
    outer = graph_lib.get_default_graph()
    fg = FuncGraph(outer, "")
    with fg.as_default():
        flat_types, flat_shapes = expand(types, shapes)
        phs = [fg.placeholder(dt, shp, "args_%d" % i)
               for i, (dt, shp) in enumerate(zip(flat_types, flat_shapes))]
        leaves = regroup(types, phs, shapes)
        result = fn(*(args(leaves) if args else _element_args(leaves, types)))
        if isinstance(result, list):
            result = tuple(result)
        if outputs is None:
            result = _convert_result(result)
            outs = []
            for x in flatten(result):
                parts = [x.indices, x.values, x.dense_shape] if _is_sparse_value(x) else [x]
                outs.extend(as_body_output(fg, p) for p in parts)
        else:
            outs = outputs(fg, result)
    caps = list(fg.captures)
    fg.forward_count = len(fg._ops)
    body = Body(fg, phs + [fg.captures[t] for t in caps], outs)
    traced = Traced(fg, body, result, caps)
    traced.windows = [x._name if is_dataset_type(t) else None
                      for t, x in zip(flatten(types), leaves)]
    return traced


def _convert_result(result):
    if result is None:
        raise ValueError("The function passed to `map` must return a value (got None).")
    return to_element(result)
