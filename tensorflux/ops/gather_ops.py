"""Indexing by index tensors: gather(_nd), scatter_nd, dynamic_stitch, boolean_mask, sets."""

import builtins
import collections

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import array_ops, constant_op, manip_ops, registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.indexed_slices import IndexedSlices
from tensorflux.ops.registry import ShapeError
from tensorflux.ops.segment_ops import (  # noqa: F401 - part of this module's interface
    segment_max,
    segment_mean,
    segment_min,
    segment_sum,
    unsorted_segment_sum,
)

ND = registry.NOT_DIFFERENTIABLE
TS = tensor_shape.TensorShape
_INDEX_TYPES = (dtypes.int32, dtypes.int64)


def _check_index_dtype(t, arg, op_type):
    if t.dtype.base_dtype not in _INDEX_TYPES:
        raise TypeError("Value passed to parameter '%s' has DataType %s not in list of allowed "
                        "values: int32, int64" % (arg, t.dtype.name))


def _rank_error(need, have, at_least=True):
    return ShapeError("Shape must be %srank %d but is rank %d"
                      % ("at least " if at_least else "", need, have))


# --- gather ----------------------------------------------------------------------------------
def _gather_shape(op):
    params, indices, axis_t = op.inputs
    bd = op._attrs.get("batch_dims", 0)
    dtype = params.dtype.base_dtype
    axis = constant_op.constant_value(axis_t)
    pr, ir = params.shape.ndims, indices.shape.ndims
    if axis is not None and pr is not None:
        axis = int(axis)
        if axis < -pr or axis >= pr:
            raise _rank_error(axis + 1 if axis >= 0 else -axis, pr)
        axis %= pr
    if bd < 0 and ir is not None:
        bd += ir
    if ir is not None and bd > ir:
        raise ShapeError("batch_dims (%d) must be less than or equal to rank(indices) (%d)"
                         % (bd, ir))
    if axis is None or pr is None or ir is None:
        rank = None if pr is None or ir is None else pr - 1 + ir - bd
        return [(dtype, tensor_shape.unknown_shape(rank))]
    if bd > axis:
        raise ShapeError("batch_dims (%d) must be less than or equal to axis (%d)" % (bd, axis))
    p, i = params.shape.as_list(), indices.shape.as_list()
    out = p[:axis] + i[bd:] + p[axis + 1:]
    for k in builtins.range(bd):
        if None not in (p[k], i[k]) and p[k] != i[k]:
            raise ShapeError("Dimension %d in both shapes must be equal, but are %d and %d"
                             % (k, p[k], i[k]))
        out[k] = p[k] if p[k] is not None else i[k]
    return [(dtype, TS(out))]


def _gather_grad(op, g):
    params, indices, axis_t = op.inputs
    bd = op._attrs.get("batch_dims", 0)
    axis = constant_op.constant_value(axis_t)
    params_shape = array_ops.shape(params)
    if bd == 0 and axis is not None and int(axis) == 0:
        size = manip_ops.expand_dims(array_ops.size(indices), 0)
        values_shape = array_ops.concat([size, params_shape[1:]], 0)
        values = array_ops.reshape(g, values_shape)
        flat = array_ops.reshape(indices, size)
        return [IndexedSlices(values, flat, params_shape), None, None]
    if bd == 0:
        return [_gather_axis_grad(params, indices, axis_t, g), None, None]
    return [_batch_gather_grad(op, g), None, None]


def _gather_axis_grad(params, indices, axis_t, g):
    """Dense gradient of a gather along a non-zero axis: move the axis first, segment-sum."""
    from tensorflux.ops import math_ops

    params_shape = array_ops.shape(params)
    p_rank = array_ops.rank(params)
    v = constant_op.constant_value(axis_t)
    axis = int(v) % params.shape.ndims if v is not None and params.shape.ndims else \
        math_ops.floormod(axis_t, p_rank)
    outer = params_shape[:axis]
    inner = params_shape[axis + 1:]
    values = array_ops.reshape(g, array_ops.concat([outer, [-1], inner], 0))
    flat = array_ops.reshape(indices, [-1])
    perm = array_ops.concat([manip_ops.expand_dims(axis, 0) if isinstance(axis, Tensor)
                             else [axis], array_ops.range(0, axis),
                             array_ops.range(axis + 1, p_rank)], 0)
    values = array_ops.transpose(values, perm)
    summed = unsorted_segment_sum(values, flat, params_shape[axis])
    inv = array_ops.concat([array_ops.range(1, axis + 1), [0],
                            array_ops.range(axis + 1, p_rank)], 0)
    out = array_ops.transpose(summed, inv)
    out.set_shape(params.shape)
    return out


def _batch_gather_grad(op, g):
    """Gradient of a gather with batch_dims b: fold the batch into the gathered axis."""
    from tensorflux.ops import math_ops, reduction_ops

    params, indices, axis_t = op.inputs
    pr, ir = params.shape.ndims, indices.shape.ndims
    v = constant_op.constant_value(axis_t)
    if pr is None or ir is None or v is None:
        raise NotImplementedError("The gradient of gather with batch_dims needs static ranks "
                                  "and a constant axis.")
    b = op._attrs["batch_dims"] % ir if op._attrs["batch_dims"] < 0 else op._attrs["batch_dims"]
    a = int(v) % pr
    # Bring the gathered axis next to the batch dims, in params and in the gradient.
    p_perm = list(builtins.range(b)) + [a] + list(builtins.range(b, a)) + \
        list(builtins.range(a + 1, pr))
    mid, idx = a - b, ir - b
    g_perm = list(builtins.range(b)) + list(builtins.range(b + mid, b + mid + idx)) + \
        list(builtins.range(b, b + mid)) + list(builtins.range(b + mid + idx, pr - 1 + idx))
    params_t = array_ops.transpose(params, p_perm) if p_perm != sorted(p_perm) else params
    g = array_ops.transpose(g, g_perm) if g_perm != sorted(g_perm) else g
    pshape = array_ops.shape(params_t)
    batch = reduction_ops.reduce_prod(pshape[:b]) if b else 1
    n = pshape[b]
    offsets = array_ops.reshape(array_ops.range(0, batch) * n,
                                array_ops.concat([array_ops.shape(indices)[:b],
                                                  [1] * idx], 0))
    flat_idx = array_ops.reshape(math_ops.cast(indices, dtypes.int32) + offsets, [-1])
    values = array_ops.reshape(g, array_ops.concat([[-1], pshape[b + 1:]], 0))
    summed = unsorted_segment_sum(values, flat_idx, batch * n)
    out = array_ops.reshape(summed, pshape)
    if p_perm != sorted(p_perm):
        out = array_ops.transpose(out, [p_perm.index(i) for i in builtins.range(pr)])
    return out


registry.register("GatherV2", shape=_gather_shape, grad=_gather_grad)


def gather(params, indices, validate_indices=None, name=None, axis=None, batch_dims=0):
    """Gathers slices of `params` along `axis` at `indices` (out-of-range indices raise).

    The gradient with respect to `params` is an `IndexedSlices` for `axis=0` (as in TF),
    dense otherwise.

    Example:
        >>> tf.gather([[1, 2], [3, 4], [5, 6]], [2, 0])  # [[5, 6], [1, 2]]
    """
    del validate_indices
    if axis is None:
        axis = batch_dims
    with graph_lib.name_scope(name, "GatherV2", [params, indices, axis]) as scope:
        params = convert(params, name="params")
        indices = convert(indices, name="indices")
        _check_index_dtype(indices, "indices", "GatherV2")
        axis = axis if isinstance(axis, Tensor) else convert(axis, dtype=dtypes.int32,
                                                            name="axis")
        return registry.make_tensor("GatherV2", [params, indices, axis],
                                    {"batch_dims": int(batch_dims),
                                     "Tindices": indices.dtype.base_dtype}, name=scope)


# --- gather_nd / scatter_nd ------------------------------------------------------------------
def _gather_nd_shape(op):
    params, indices = op.inputs
    dtype = params.dtype.base_dtype
    ir = indices.shape.ndims
    if ir is not None and ir < 1:
        raise _rank_error(1, ir)
    if ir is None or indices.shape[-1].value is None:
        return [(dtype, tensor_shape.unknown_shape())]
    depth = indices.shape[-1].value
    pr = params.shape.ndims
    if pr is not None and depth > pr:
        raise ShapeError("indices.shape[-1] must be <= params.rank, but saw indices shape: %s "
                         "and params shape: %s" % (array_ops._fmt_shape(indices.shape),
                                                   array_ops._fmt_shape(params.shape)))
    if pr is None:
        return [(dtype, tensor_shape.unknown_shape())]
    return [(dtype, TS(indices.shape.as_list()[:-1] + params.shape.as_list()[depth:]))]


def _gather_nd_grad(op, g):
    params, indices = op.inputs
    shape = array_ops.shape(params, out_type=indices.dtype.base_dtype)
    return [scatter_nd(indices, g, shape), None]


registry.register("GatherNd", shape=_gather_nd_shape, grad=_gather_nd_grad)


def gather_nd(params, indices, name=None, batch_dims=0):
    """Gathers slices of `params` addressed by the last dimension of `indices`.

    Example:
        >>> tf.gather_nd([[1, 2], [3, 4]], [[1, 0], [0, 1]])  # [3, 2]
    """
    if batch_dims != 0:
        raise NotImplementedError("gather_nd with batch_dims != 0 is not supported")
    with graph_lib.name_scope(name, "GatherNd", [params, indices]) as scope:
        params = convert(params, name="params")
        indices = convert(indices, name="indices")
        _check_index_dtype(indices, "indices", "GatherNd")
        return registry.make_tensor("GatherNd", [params, indices],
                                    {"Tindices": indices.dtype.base_dtype}, name=scope)


def _scatter_nd_shape(op):
    indices, updates, shape_t = op.inputs
    out = constant_op.constant_value_as_shape(shape_t, evaluate=True)
    ir, ur = indices.shape.ndims, updates.shape.ndims
    if ir is not None and ir < 1:
        raise _rank_error(1, ir)
    if ir is not None and ur is not None and indices.shape[-1].value is not None and \
            out.ndims is not None:
        depth = indices.shape[-1].value
        if depth > out.ndims:
            raise ShapeError("indices.shape[-1] must be <= shape.rank, but saw indices shape: %s "
                             "and shape: %s" % (array_ops._fmt_shape(indices.shape),
                                                array_ops._fmt_shape(out)))
        outer = TS(indices.shape.as_list()[:-1])
        want = outer.concatenate(TS(out.as_list()[depth:]))
        if not want.is_compatible_with(updates.shape):
            raise ShapeError("Dimensions [0,%d) of indices[shape=%s] = %s must match dimensions "
                             "[0,%d) of updates[shape=%s] = %s" % (
                                 ir - 1, array_ops._fmt_shape(indices.shape),
                                 array_ops._fmt_shape(outer), ir - 1,
                                 array_ops._fmt_shape(updates.shape),
                                 array_ops._fmt_shape(TS(updates.shape.as_list()[:ir - 1]))))
    return [(updates.dtype.base_dtype, out)]


registry.register("ScatterNd", shape=_scatter_nd_shape,
                  grad=lambda op, g: [None, gather_nd(g, op.inputs[0]), None])


def scatter_nd(indices, updates, shape, name=None):
    """Zeros of `shape` with `updates` added at `indices` (duplicates are summed).

    Example:
        >>> tf.scatter_nd([[4], [3], [1], [7]], [9, 10, 11, 12], [8])  # [0,11,0,10,9,0,0,12]
    """
    with graph_lib.name_scope(name, "ScatterNd", [indices, updates, shape]) as scope:
        indices = convert(indices, name="indices")
        _check_index_dtype(indices, "indices", "ScatterNd")
        updates = convert(updates, name="updates")
        shape = shape if isinstance(shape, Tensor) else convert(
            shape.as_list() if isinstance(shape, TS) else shape, dtype=indices.dtype.base_dtype,
            name="shape")
        return registry.make_tensor("ScatterNd", [indices, updates, shape],
                                    {"Tindices": indices.dtype.base_dtype}, name=scope)


# --- dynamic_stitch --------------------------------------------------------------------------
def _stitch_shape(op):
    n = len(op.inputs) // 2
    indices, data = op.inputs[:n], op.inputs[n:]
    dtype = data[0].dtype.base_dtype
    inner = None
    largest = -1
    for k, (i, d) in enumerate(zip(indices, data)):
        if i.shape.ndims is None or d.shape.ndims is None:
            continue
        if not TS(d.shape.as_list()[:i.shape.ndims]).is_compatible_with(i.shape) or \
                d.shape.ndims < i.shape.ndims:
            raise ShapeError("data[%d].shape = %s does not start with indices[%d].shape = %s"
                             % (k, array_ops._fmt_shape(d.shape), k,
                                array_ops._fmt_shape(i.shape)))
        rest = TS(d.shape.as_list()[i.shape.ndims:])
        if inner is not None and not inner.is_compatible_with(rest):
            raise ShapeError("Need data[0].shape[%d:] = data[%d].shape[%d:], got %s and %s"
                             % (i.shape.ndims, k, i.shape.ndims, inner, rest))
        inner = rest if inner is None else inner.merge_with(rest)
    for i in indices:
        v = constant_op.constant_value(i)
        if v is None:
            largest = None
            break
        if v.size:
            largest = max(largest, int(v.max()))
    first = None if largest is None else largest + 1
    if inner is None:
        return [(dtype, tensor_shape.unknown_shape())]
    return [(dtype, TS([first]).concatenate(inner))]


def _stitch_grad(op, g):
    from tensorflux.ops import math_ops

    n = len(op.inputs) // 2
    idx = [math_ops.cast(i, dtypes.int32) for i in op.inputs[:n]]
    return [None] * n + [gather(g, i) for i in idx]


registry.register("DynamicStitch", shape=_stitch_shape, grad=_stitch_grad)


def dynamic_stitch(indices, data, name=None):
    """Interleaves `data[i]` into one tensor at rows `indices[i]` (later lists win on overlap).

    Example:
        >>> tf.dynamic_stitch([[0, 2], [1]], [[10, 30], [20]])  # [10, 20, 30]
    """
    if len(indices) != len(data):
        raise ValueError("List argument 'data' to 'DynamicStitch' Op with length %d must match "
                         "length %d of argument 'indices'." % (len(data), len(indices)))
    with graph_lib.name_scope(name, "DynamicStitch", list(indices) + list(data)) as scope:
        idx = [convert(i, dtype=dtypes.int32, name="indices_%d" % k) if not isinstance(i, Tensor)
               else i for k, i in enumerate(indices)]
        dtype = next((d.dtype.base_dtype for d in data if isinstance(d, Tensor)), None)
        vals = [convert(d, dtype=dtype, name="data_%d" % k) for k, d in enumerate(data)]
        for i in idx:
            if i.dtype.base_dtype != dtypes.int32:
                raise TypeError("Tensors in list passed to 'indices' of 'DynamicStitch' Op have "
                                "type %s that does not match expected type int32."
                                % i.dtype.name)
        return registry.make_tensor("DynamicStitch", idx + vals, {"N": len(idx)}, name=scope)


# --- boolean_mask ----------------------------------------------------------------------------
def boolean_mask(tensor, mask, name="boolean_mask", axis=None):
    """The elements (or slices, from dimension `axis`) of `tensor` where `mask` is true.

    Example:
        >>> tf.boolean_mask([[1, 2], [3, 4], [5, 6]], [True, False, True])  # [[1, 2], [5, 6]]
    """
    from tensorflux.ops import reduction_ops

    with graph_lib.name_scope(name, "boolean_mask", [tensor, mask]):
        tensor = convert(tensor, name="tensor")
        mask = convert(mask, name="mask")
        shape_mask = mask.shape
        ndims_mask = shape_mask.ndims
        shape_tensor = tensor.shape
        if ndims_mask == 0:
            raise ValueError("mask cannot be scalar.")
        if ndims_mask is None:
            raise ValueError("Number of mask dimensions must be specified, even if some "
                             "dimensions are None.  E.g. shape=[None] is ok, but shape=None is "
                             "not.")
        axis = 0 if axis is None else axis
        if shape_tensor.ndims is not None:
            part = TS(shape_tensor.as_list()[axis:axis + ndims_mask])
            if not part.is_compatible_with(shape_mask):
                raise ValueError("Shapes %s and %s are incompatible" % (part, shape_mask))
        leading_size = reduction_ops.reduce_prod(
            array_ops.shape(tensor)[axis:axis + ndims_mask], [0], name="Prod")
        tensor = array_ops.reshape(tensor, array_ops.concat(
            [array_ops.shape(tensor)[:axis], [leading_size],
             array_ops.shape(tensor)[axis + ndims_mask:]], 0))
        if shape_tensor.ndims is not None:
            s = shape_tensor.as_list()
            first = TS(s[axis:axis + ndims_mask]).num_elements()
            tensor.set_shape(s[:axis] + [first] + s[axis + ndims_mask:])
        mask = array_ops.reshape(mask, [-1])
        indices = manip_ops.squeeze(manip_ops.where(mask), axis=[1])
        return gather(tensor, indices, axis=axis)


# --- unique / setdiff1d ----------------------------------------------------------------------
def _unique_shape(op):
    x = op.inputs[0]
    if x.shape.ndims is not None and x.shape.ndims != 1:
        raise ShapeError("Shape must be rank 1 but is rank %d" % x.shape.ndims)
    out = [(x.dtype.base_dtype, TS([None])), (op._attrs["out_idx"], TS([None]).merge_with(
        x.shape) if x.shape.ndims is not None else TS([None]))]
    if op.type == "UniqueWithCounts":
        out.append((op._attrs["out_idx"], TS([None])))
    return out


def _listdiff_shape(op):
    x, y = op.inputs
    for t in (x, y):
        if t.shape.ndims is not None and t.shape.ndims != 1:
            raise ShapeError("Shape must be rank 1 but is rank %d" % t.shape.ndims)
    return [(x.dtype.base_dtype, TS([None])), (op._attrs["out_idx"], TS([None]))]


registry.register("Unique", shape=_unique_shape, grad=ND)
registry.register("UniqueWithCounts", shape=_unique_shape, grad=ND)
registry.register("ListDiff", shape=_listdiff_shape, grad=ND)
# TF's result types
_UniqueOutput = collections.namedtuple("Unique", ["y", "idx"])
_UniqueWithCountsOutput = collections.namedtuple("UniqueWithCounts", ["y", "idx", "count"])
_ListDiffOutput = collections.namedtuple("ListDiff", ["out", "idx"])


def unique(x, out_idx=dtypes.int32, name=None):
    """The unique values of 1-D `x` in order of first appearance, and for each element of `x`
    the index of its value in that list.

    Example:
        >>> y, idx = tf.unique([1, 1, 2, 4, 4, 4, 7, 8, 8])  # [1, 2, 4, 7, 8], [0,0,1,2,2,2,3,4,4]
    """
    with graph_lib.name_scope(name, "Unique", [x]) as scope:
        x = convert(x, name="x")
        return _UniqueOutput(*registry.make_op("Unique", [x],
                                               {"out_idx": dtypes.as_dtype(out_idx)},
                                               name=scope).outputs)


def unique_with_counts(x, out_idx=dtypes.int32, name=None):
    """`unique` plus how often each unique value occurs."""
    with graph_lib.name_scope(name, "UniqueWithCounts", [x]) as scope:
        x = convert(x, name="x")
        return _UniqueWithCountsOutput(*registry.make_op(
            "UniqueWithCounts", [x], {"out_idx": dtypes.as_dtype(out_idx)}, name=scope).outputs)


def setdiff1d(x, y, index_dtype=dtypes.int32, name=None):
    """The values of 1-D `x` not in `y` (order and duplicates kept), and their positions in x.

    Example:
        >>> out, idx = tf.setdiff1d([1, 2, 3, 4, 5, 6], [1, 3, 5])  # [2, 4, 6], [1, 3, 5]
    """
    with graph_lib.name_scope(name, "ListDiff", [x, y]) as scope:
        x = convert(x, name="x")
        y = convert(y, dtype=x.dtype.base_dtype, name="y")
        return _ListDiffOutput(*registry.make_op("ListDiff", [x, y],
                                                 {"out_idx": dtypes.as_dtype(index_dtype)},
                                                 name=scope).outputs)


listdiff = setdiff1d
