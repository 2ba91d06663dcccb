"""Small helpers shared by op family files: applying an op under its name scope, shape math."""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import constant_op, registry
from tensorflux.ops.registry import ShapeError

convert = constant_op.convert_to_tensor


def trainable(t):
    """Whether gradients flow to `t`: floating and complex tensors, and TensorLists of them
    (a list variant with handle data, ops/list_ops.py)."""
    d = t.dtype.base_dtype
    if d == dtypes.variant:
        data = t._handle_data
        return data is not None and (data[0].is_floating or data[0].is_complex)
    return d.is_floating or d.is_complex


def apply(op_type, inputs, attrs=None, name=None, same_dtype=True, input_names=None):
    """Creates op `op_type` the way TF's generated wrappers do.

    Opens the name scope `name or op_type` (so converted constants are named `Op/y`), converts
    Python values to tensors (sharing the dtype of the first tensor input when `same_dtype`), and
    returns the Operation.
    """
    g = graph_lib._graph_from_values([x for x in inputs if isinstance(x, Tensor)])
    with g.as_default(), g.name_scope(name or op_type) as scope:
        dtype = None
        if same_dtype:
            for x in inputs:
                if isinstance(x, Tensor):
                    dtype = x.dtype.base_dtype
                    break
                if hasattr(x, "_as_graph_element") and hasattr(x, "dtype"):
                    dtype = x.dtype.base_dtype
                    break
        tensors = []
        for i, x in enumerate(inputs):
            nm = input_names[i] if input_names else ("x" if i == 0 else "y")
            # Python values take the op's dtype; a tensor of another dtype is the TypeError below.
            is_tensor = isinstance(x, Tensor) or hasattr(x, "_as_graph_element")
            t = convert(x, dtype=dtype if same_dtype and not is_tensor else None, name=nm)
            if same_dtype and dtype is None:
                dtype = t.dtype.base_dtype
            tensors.append(t)
        if same_dtype:
            _check_same_dtype(op_type, tensors, input_names)
        return registry.make_op(op_type, tensors, attrs, name=scope)


def _check_same_dtype(op_type, tensors, input_names=None):
    first = tensors[0].dtype.base_dtype
    for i, t in enumerate(tensors[1:], 1):
        if t.dtype.base_dtype != first:
            names = input_names or ["x", "y"] + ["input_%d" % j for j in range(2, len(tensors))]
            raise TypeError("Input '%s' of '%s' Op has type %s that does not match type %s of "
                            "argument '%s'." % (names[i], op_type, t.dtype.name, first.name,
                                                names[0]))


def apply1(op_type, inputs, attrs=None, name=None, **kw):
    return apply(op_type, inputs, attrs, name, **kw)._outputs[0]


def broadcast_shapes(a, b):
    """Static numpy-style broadcast of two TensorShapes; raises ShapeError if they cannot agree."""
    if a.ndims is None or b.ndims is None:
        return tensor_shape.unknown_shape()
    da, db = a.as_list(), b.as_list()
    n = max(len(da), len(db))
    da = [1] * (n - len(da)) + da
    db = [1] * (n - len(db)) + db
    out = []
    for x, y in zip(da, db):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None:
            out.append(y)
        elif y is None:
            out.append(x)
        elif x == y:
            out.append(x)
        else:
            raise ShapeError("Dimensions must be equal, but are %d and %d" % (x, y))
    return tensor_shape.TensorShape(out)


def same_shape(op):
    """Shape function: one output with the dtype and shape of input 0."""
    x = op.inputs[0]
    return [(x.dtype.base_dtype, x.shape)]


def static_axes(axis_tensor, rank):
    """The constant axes of a reduction (normalised to non-negative), or None if unknown."""
    v = constant_op.constant_value(axis_tensor)
    if v is None:
        return None
    axes = [int(a) for a in (v.ravel() if hasattr(v, "ravel") else [v])]
    if rank is None:
        return axes
    out = []
    for a in axes:
        if a < -rank or a >= rank:
            raise ShapeError("Invalid reduction dimension %d for input with %d dimensions" % (
                a, rank))
        out.append(a % rank if rank else a)
    return out


def float_dtype_or(x):
    return x.dtype.base_dtype if x.dtype.is_floating else dtypes.float32
