"""Sparse updates: of a variable, tf.scatter_{update,add,sub,mul,div,min,max} (rows picked by
`indices`) and tf.scatter_nd_{update,add,sub} (elements or slices picked by index tuples); of a
tensor, tf.tensor_scatter_nd_{update,add,sub,min,max} (a new tensor, index tuples).

Like `Assign`, each variable op takes the variable by reference (`ref_inputs=(0,)`): the kernel
reads the session's value, writes a new array back and returns it. None is differentiable (as in
TF). The TensorScatter ops are pure functions of their inputs, with TF's gradients.

    >>> v = tf.Variable([1., 2., 3.])
    >>> tf.scatter_add(v, [0, 0, 2], [10., 10., 5.])  # after a run: v == [21., 2., 8.]
    >>> tf.tensor_scatter_nd_update([1., 2., 3.], [[0]], [9.])  # [9., 2., 3.]
"""

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, gather_ops, math_ops, registry, state_ops
from tensorflux.ops._helpers import convert
from tensorflux.ops.state_ops import _merge_error

ND = registry.NOT_DIFFERENTIABLE

SCATTER_OPS = ("ScatterUpdate", "ScatterAdd", "ScatterSub", "ScatterMul", "ScatterDiv",
               "ScatterMin", "ScatterMax")
SCATTER_ND_OPS = ("ScatterNdUpdate", "ScatterNdAdd", "ScatterNdSub")
_INDEX_TYPES = (dtypes.int32, dtypes.int64)


def _scatter_shape(op):
    """updates.shape must be indices.shape + ref.shape[1:] (or a scalar, broadcast)."""
    ref, indices, updates = op.inputs
    if updates.shape.ndims != 0 and ref.shape.ndims is not None and \
            indices.shape.ndims is not None:
        if ref.shape.ndims == 0:
            raise registry.ShapeError("Shape must be at least rank 1 but is rank 0")
        want = indices.shape.concatenate(ref.shape[1:])
        err = _merge_error(updates.shape, want)
        if err:
            raise registry.ShapeError(err)
    return [(ref.dtype.base_dtype, ref.shape)]


def _scatter_nd_shape(op):
    """updates.shape must be indices.shape[:-1] + ref.shape[indices.shape[-1]:]."""
    ref, indices, updates = op.inputs
    known = None not in (ref.shape.ndims, indices.shape.ndims, updates.shape.ndims)
    if known and indices.shape.ndims >= 1 and indices.shape[-1] is not None:
        depth = indices.shape[-1]
        if depth > ref.shape.ndims:
            raise registry.ShapeError("Dimension %d must be <= the rank of ref (%d)"
                                      % (depth, ref.shape.ndims))
        want = indices.shape[:-1].concatenate(ref.shape[depth:])
        err = _merge_error(updates.shape, want)
        if err:
            raise registry.ShapeError(err)
    return [(ref.dtype.base_dtype, ref.shape)]


for _t in SCATTER_OPS:
    registry.register(_t, shape=_scatter_shape, grad=ND, stateful=True, ref_inputs=(0,))
for _t in SCATTER_ND_OPS:
    registry.register(_t, shape=_scatter_nd_shape, grad=ND, stateful=True, ref_inputs=(0,))


def _scatter(op_type, ref, indices, updates, use_locking, name):
    vt = ref._variable if hasattr(ref, "_variable") else ref
    try:
        state_ops.variable_key(vt)
    except (TypeError, AttributeError):
        raise TypeError("'%s' Op requires that input 'ref' be a mutable tensor (e.g.: a "
                        "tf.Variable)" % op_type) from None
    with graph_lib.name_scope(name or op_type) as scope:
        indices = convert(indices, name="indices")
        if indices.dtype.base_dtype not in _INDEX_TYPES:
            raise TypeError("Value passed to parameter 'indices' has DataType %s not in list of "
                            "allowed values: int32, int64" % indices.dtype.base_dtype.name)
        updates = convert(updates, dtype=vt.dtype.base_dtype, name="updates")
        attrs = {"T": vt.dtype.base_dtype, "Tindices": indices.dtype.base_dtype,
                 "use_locking": bool(use_locking)}
        return registry.make_tensor(op_type, [vt, indices, updates], attrs, name=scope)


def scatter_update(ref, indices, updates, use_locking=True, name=None):
    """Sets rows `ref[indices[i], ...] = updates[i, ...]`; returns the variable's new value.

    Example:
        >>> tf.scatter_update(v, [2, 0], [[1., 1.], [2., 2.]])  # rows 2 and 0 replaced
    """
    return _scatter("ScatterUpdate", ref, indices, updates, use_locking, name)


def scatter_add(ref, indices, updates, use_locking=False, name=None):
    """Adds `updates[i, ...]` to row `ref[indices[i], ...]` (repeated indices add up)."""
    return _scatter("ScatterAdd", ref, indices, updates, use_locking, name)


def scatter_sub(ref, indices, updates, use_locking=False, name=None):
    """Subtracts `updates[i, ...]` from row `ref[indices[i], ...]`."""
    return _scatter("ScatterSub", ref, indices, updates, use_locking, name)


def scatter_mul(ref, indices, updates, use_locking=False, name=None):
    """Multiplies row `ref[indices[i], ...]` by `updates[i, ...]`."""
    return _scatter("ScatterMul", ref, indices, updates, use_locking, name)


def scatter_div(ref, indices, updates, use_locking=False, name=None):
    """Divides row `ref[indices[i], ...]` by `updates[i, ...]`."""
    return _scatter("ScatterDiv", ref, indices, updates, use_locking, name)


def scatter_min(ref, indices, updates, use_locking=False, name=None):
    """Sets row `ref[indices[i], ...]` to its elementwise minimum with `updates[i, ...]`."""
    return _scatter("ScatterMin", ref, indices, updates, use_locking, name)


def scatter_max(ref, indices, updates, use_locking=False, name=None):
    """Sets row `ref[indices[i], ...]` to its elementwise maximum with `updates[i, ...]`."""
    return _scatter("ScatterMax", ref, indices, updates, use_locking, name)


def scatter_nd_update(ref, indices, updates, use_locking=True, name=None):
    """Sets `ref[indices[i]] = updates[i]`, where each `indices[i]` is an index tuple (a prefix
    of ref's dimensions) that picks an element or a slice.

    Example:
        >>> tf.scatter_nd_update(v, [[0, 1], [2, 0]], [5., 6.])  # two elements of a matrix
    """
    return _scatter("ScatterNdUpdate", ref, indices, updates, use_locking, name)


def scatter_nd_add(ref, indices, updates, use_locking=False, name=None):
    """Adds `updates[i]` to `ref[indices[i]]` (index tuples, as in `scatter_nd_update`)."""
    return _scatter("ScatterNdAdd", ref, indices, updates, use_locking, name)


def scatter_nd_sub(ref, indices, updates, use_locking=False, name=None):
    """Subtracts `updates[i]` from `ref[indices[i]]` (index tuples)."""
    return _scatter("ScatterNdSub", ref, indices, updates, use_locking, name)



# --- tensor_scatter_nd_*: new tensors ----------------------------------------------------------
TENSOR_SCATTER_OPS = ("TensorScatterUpdate", "TensorScatterAdd", "TensorScatterSub",
                      "TensorScatterMin", "TensorScatterMax")


def _dims_error(lo, hi, a_name, a, a_part, b_lo, b_hi, b, b_part, err):
    """TF's message for a part of `a` (indices or input) that does not match updates."""
    return ("Dimensions [%d,%d) of %s[shape=%s] = %s must match dimensions [%d,%d) of "
            "updates[shape=%s] = %s: %s" % (lo, hi, a_name, registry._shape_str(a),
                                            registry._shape_str(a_part), b_lo, b_hi,
                                            registry._shape_str(b), registry._shape_str(b_part),
                                            err))


def _tensor_scatter_shape(op):
    """updates.shape must be indices.shape[:-1] + tensor.shape[indices.shape[-1]:] (TF checks
    the two parts separately, with these messages); the output has the tensor's shape."""
    tensor, indices, updates = op.inputs
    ts, ix, up = tensor.shape, indices.shape, updates.shape
    checkable = ix.ndims is not None and up.ndims not in (None, 0) and ix.ndims >= 1 and \
        ix[-1].value is not None
    if checkable:
        outer, depth = ix.ndims - 1, ix[-1].value
        err = _merge_error(ix[:outer], up[:outer])
        if err:
            raise registry.ShapeError(_dims_error(0, outer, "indices", ix, ix[:outer],
                                                  0, outer, up, up[:outer], err))
        if ts.ndims is not None and depth <= ts.ndims:
            err = _merge_error(ts[depth:], up[outer:])
            if err:
                raise registry.ShapeError(_dims_error(depth, ts.ndims, "input", ts,
                                                      ts[depth:], outer, up.ndims, up,
                                                      up[outer:], err))
    return [(tensor.dtype.base_dtype, ts)]


def _tensor_scatter_update_grad(op, g):
    indices, updates = op.inputs[1], op.inputs[2]
    tensor_grad = tensor_scatter_nd_update(array_ops.identity(g), indices,
                                           array_ops.zeros_like(updates, dtype=g.dtype))
    return [tensor_grad, None, gather_ops.gather_nd(g, indices)]


def _tensor_scatter_add_grad(op, g):
    return [array_ops.identity(g), None, gather_ops.gather_nd(g, op.inputs[1])]


def _tensor_scatter_sub_grad(op, g):
    return [array_ops.identity(g), None, math_ops.negative(gather_ops.gather_nd(g, op.inputs[1]))]


def _tensor_scatter_min_max_grad(op, g):
    """The gradient flows to whichever of the old value and the updates won; ties share it."""
    x, indices, y = op.inputs
    out = op.outputs[0]
    x_won = math_ops.cast(math_ops.equal(x, out), g.dtype)
    y_won = math_ops.cast(math_ops.equal(y, gather_ops.gather_nd(out, indices)), g.dtype)
    y_won_at = gather_ops.scatter_nd(indices, y_won, array_ops.shape(x, out_type=indices.dtype))
    winners = math_ops.add(x_won, y_won_at)  # >= 1 everywhere
    x_grad = math_ops.divide(math_ops.multiply(g, x_won), winners)
    y_grad = math_ops.multiply(gather_ops.gather_nd(math_ops.divide(g, winners), indices), y_won)
    return [x_grad, None, y_grad]


_TENSOR_SCATTER_GRADS = {
    "TensorScatterUpdate": _tensor_scatter_update_grad,
    "TensorScatterAdd": _tensor_scatter_add_grad,
    "TensorScatterSub": _tensor_scatter_sub_grad,
    "TensorScatterMin": _tensor_scatter_min_max_grad,
    "TensorScatterMax": _tensor_scatter_min_max_grad,
}
for _t in TENSOR_SCATTER_OPS:
    registry.register(_t, shape=_tensor_scatter_shape, grad=_TENSOR_SCATTER_GRADS[_t])


def _tensor_scatter(op_type, tensor, indices, updates, name):
    with graph_lib.name_scope(name, op_type, [tensor, indices, updates]) as scope:
        tensor = convert(tensor, name="tensor")
        indices = convert(indices, name="indices")
        if indices.dtype.base_dtype not in _INDEX_TYPES:
            raise TypeError("Value passed to parameter 'indices' has DataType %s not in list of "
                            "allowed values: int32, int64" % indices.dtype.base_dtype.name)
        updates = convert(updates, dtype=tensor.dtype.base_dtype, name="updates")
        attrs = {"T": tensor.dtype.base_dtype, "Tindices": indices.dtype.base_dtype}
        return registry.make_tensor(op_type, [tensor, indices, updates], attrs, name=scope)


def tensor_scatter_nd_update(tensor, indices, updates, name=None):
    """A copy of `tensor` with `out[indices[i]] = updates[i]`, each `indices[i]` an index tuple
    (a prefix of tensor's dimensions) that picks an element or a slice.

    Example:
        >>> tf.tensor_scatter_nd_update(tf.zeros([2, 2]), [[0, 1]], [5.])  # [[0, 5], [0, 0]]
    """
    return _tensor_scatter("TensorScatterUpdate", tensor, indices, updates, name)


def tensor_scatter_nd_add(tensor, indices, updates, name=None):
    """A copy of `tensor` with `updates[i]` added at `indices[i]` (repeated indices add up)."""
    return _tensor_scatter("TensorScatterAdd", tensor, indices, updates, name)


def tensor_scatter_nd_sub(tensor, indices, updates, name=None):
    """A copy of `tensor` with `updates[i]` subtracted at `indices[i]`."""
    return _tensor_scatter("TensorScatterSub", tensor, indices, updates, name)


def tensor_scatter_nd_min(tensor, indices, updates, name=None):
    """A copy of `tensor` holding the elementwise minimum with `updates[i]` at `indices[i]`."""
    return _tensor_scatter("TensorScatterMin", tensor, indices, updates, name)


def tensor_scatter_nd_max(tensor, indices, updates, name=None):
    """A copy of `tensor` holding the elementwise maximum with `updates[i]` at `indices[i]`."""
    return _tensor_scatter("TensorScatterMax", tensor, indices, updates, name)


tensor_scatter_update = tensor_scatter_nd_update  # TF1's older names
tensor_scatter_add = tensor_scatter_nd_add
tensor_scatter_sub = tensor_scatter_nd_sub
