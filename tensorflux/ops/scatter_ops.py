"""Sparse updates of a variable: tf.scatter_{update,add,sub,mul,div,min,max} (rows picked by
`indices`) and tf.scatter_nd_{update,add,sub} (elements or slices picked by index tuples).

Like `Assign`, each op takes the variable by reference (`ref_inputs=(0,)`): the kernel reads the
session's value, writes a new array back and returns it. None is differentiable (as in TF).

    >>> v = tf.Variable([1., 2., 3.])
    >>> tf.scatter_add(v, [0, 0, 2], [10., 10., 5.])  # after a run: v == [21., 2., 8.]
"""

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import registry, state_ops
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

