"""Array extras: Roll, LowerBound/UpperBound (tf.searchsorted), DynamicPartition,
HistogramFixedWidth, EnsureShape, ParallelConcat and UnravelIndex (one op each), and the
composites sort, argsort, repeat, histogram_fixed_width_bins and parallel_stack.

    >>> tf.roll([1, 2, 3, 4], shift=1, axis=0)           # [4, 1, 2, 3]
    >>> tf.searchsorted([1., 3., 3., 7.], [3., 8.])       # [1, 4]
    >>> tf.dynamic_partition([10, 20, 30], [1, 0, 1], 2)  # [[20], [10, 30]]
"""

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import (
    array_ops,
    fill_ops,
    gather_ops,
    manip_ops,
    math_ops,
    nn_ops,
    reduction_ops,
    registry,
)
from tensorflux.ops._helpers import convert
from tensorflux.ops.state_ops import _merge_error

ND = registry.NOT_DIFFERENTIABLE
TS = tensor_shape.TensorShape


# --- Roll ------------------------------------------------------------------------------------
def _roll_grad(op, g):
    _, shift, axis = op.inputs
    return [roll(g, math_ops.negative(shift), axis), None, None]


registry.register("Roll", shape=lambda op: [(op.inputs[0].dtype.base_dtype,
                                             op.inputs[0].shape)], grad=_roll_grad)


def roll(input, shift, axis, name=None):  # noqa: A002 - TF's keyword
    """Shifts elements along `axis` by `shift` (wrapping around); repeated axes add up.

    Example:
        >>> tf.roll([[1, 2, 3], [4, 5, 6]], shift=[1, -1], axis=[0, 1])  # [[5, 6, 4], [2, 3, 1]]
    """
    with graph_lib.name_scope(name or "Roll") as scope:
        x = convert(input, name="input")
        shift = convert(shift, name="shift")
        axis = convert(axis, name="axis")
        if shift.shape.ndims is not None and axis.shape.ndims is not None and \
                shift.shape.as_list() != axis.shape.as_list():
            raise ValueError("shift and axis must have the same size for 'Roll'")
        return registry.make_tensor("Roll", [x, shift, axis],
                                    {"T": x.dtype.base_dtype, "Tshift": shift.dtype.base_dtype,
                                     "Taxis": axis.dtype.base_dtype}, name=scope)


# --- searchsorted ----------------------------------------------------------------------------
def _bound_shape(op):
    return [(op._attrs["out_type"], op.inputs[1].shape)]


registry.register("LowerBound", shape=_bound_shape, grad=ND)
registry.register("UpperBound", shape=_bound_shape, grad=ND)


def _last_dim(t):
    d = tensor_shape.dimension_value(t.shape[-1]) if t.shape.ndims else None
    return d if d is not None else array_ops.shape(t)[-1]


def searchsorted(sorted_sequence, values, side="left", out_type=dtypes.int32, name=None):
    """Where each of `values` would go in `sorted_sequence` (both batched on leading axes):
    the first such place (`side="left"`) or the last (`side="right"`).

    Example:
        >>> tf.searchsorted([1, 3, 3, 7], [3, 8], side="right")  # [3, 4]
    """
    if side not in ("left", "right"):
        raise ValueError("Argument `side` must be either 'right' or 'left'. Received: "
                         "`side` = '%s'." % side)
    seq = convert(sorted_sequence)
    vals = convert(values, dtype=seq.dtype.base_dtype)
    seq2 = array_ops.reshape(seq, [-1, _last_dim(seq)])
    vals2 = array_ops.reshape(vals, [-1, _last_dim(vals)])
    op_type = "UpperBound" if side == "right" else "LowerBound"
    out = registry.make_tensor(op_type, [seq2, vals2], {"T": seq.dtype.base_dtype,
                                                       "out_type": dtypes.as_dtype(out_type)},
                               name=name or op_type)
    shape = vals.shape.as_list() if vals.shape.is_fully_defined() else array_ops.shape(vals)
    return array_ops.reshape(out, shape)


# --- DynamicPartition ------------------------------------------------------------------------
def _partition_shape(op):
    data, parts = op.inputs
    rest = data.shape[parts.shape.ndims:] if None not in (data.shape.ndims, parts.shape.ndims) \
        else tensor_shape.unknown_shape()
    if parts.shape.ndims is not None and data.shape.ndims is not None:
        err = _merge_error(data.shape[:parts.shape.ndims], parts.shape)
        if err:
            raise registry.ShapeError(err)
    out = TS([None]).concatenate(rest)
    return [(data.dtype.base_dtype, out)] * op._attrs["num_partitions"]


def _partition_grad(op, *grads):
    data, parts = op.inputs
    n = op._attrs["num_partitions"]
    positions = array_ops.reshape(fill_ops.range(array_ops.size(parts)), array_ops.shape(parts))
    picked = dynamic_partition(positions, parts, n)
    stitched = gather_ops.dynamic_stitch(picked, list(grads))
    return [array_ops.reshape(stitched, array_ops.shape(data)), None]


registry.register("DynamicPartition", shape=_partition_shape, grad=_partition_grad)


def dynamic_partition(data, partitions, num_partitions, name=None):
    """Splits `data` into `num_partitions` tensors by the partition index of each entry.

    Example:
        >>> tf.dynamic_partition([10, 20, 30], [1, 0, 1], 2)  # [[20], [10, 30]]
    """
    with graph_lib.name_scope(name or "DynamicPartition") as scope:
        data = convert(data, name="data")
        parts = convert(partitions, dtype=dtypes.int32, name="partitions")
        op = registry.make_op("DynamicPartition", [data, parts],
                              {"T": data.dtype.base_dtype, "num_partitions": int(num_partitions)},
                              name=scope)
        return list(op.outputs)


# --- HistogramFixedWidth ---------------------------------------------------------------------
registry.register("HistogramFixedWidth", grad=ND,
                  shape=lambda op: [(op._attrs["dtype"], TS([None]))])


def histogram_fixed_width(values, value_range, nbins=100, dtype=dtypes.int32, name=None):
    """Counts `values` in `nbins` equal bins over `value_range` (outliers go to the end bins).

    Example:
        >>> tf.histogram_fixed_width([-1., 0.5, 4.9, 9.], [0., 5.], nbins=5)  # [2, 0, 0, 0, 2]
    """
    with graph_lib.name_scope(name, "histogram_fixed_width",
                              [values, value_range, nbins]) as scope:
        values = convert(values, name="values")
        value_range = convert(value_range, dtype=values.dtype.base_dtype, name="value_range")
        nbins_t = convert(nbins, dtype=dtypes.int32, name="nbins")
        out = registry.make_tensor("HistogramFixedWidth", [values, value_range, nbins_t],
                                   {"T": values.dtype.base_dtype,
                                    "dtype": dtypes.as_dtype(dtype)}, name=scope)
        if not isinstance(nbins, Tensor):
            out.set_shape([int(nbins)])
        return out


def histogram_fixed_width_bins(values, value_range, nbins=100, dtype=dtypes.int32, name=None):
    """The bin index of each of `values` (same shape), bins as in `histogram_fixed_width`.

    Example:
        >>> tf.histogram_fixed_width_bins([-1., 0.5, 4.9, 9.], [0., 5.], nbins=5)  # [0, 0, 4, 4]
    """
    with graph_lib.name_scope(name, "histogram_fixed_width_bins", [values, value_range, nbins]):
        values = convert(values, name="values")
        shape = array_ops.shape(values)
        flat = array_ops.reshape(values, [-1])
        value_range = convert(value_range, dtype=values.dtype.base_dtype, name="value_range")
        nbins = convert(nbins, dtype=dtypes.int32, name="nbins")
        nbins_f = math_ops.cast(nbins, values.dtype.base_dtype)
        scaled = math_ops.truediv(flat - value_range[0], value_range[1] - value_range[0],
                                  name="scaled_values")
        idx = math_ops.floor(nbins_f * scaled, name="indices")
        idx = math_ops.cast(math_ops.clip_by_value(idx, 0, nbins_f - 1), dtype)
        return array_ops.reshape(idx, shape)


# --- EnsureShape, ParallelConcat ---------------------------------------------------------------
def _ensure_shape_shape(op):
    want = op._attrs["shape"]
    x = op.inputs[0]
    err = _merge_error(want, x.shape)
    if err:
        raise registry.ShapeError(err)
    return [(x.dtype.base_dtype, want.merge_with(x.shape))]


registry.register("EnsureShape", shape=_ensure_shape_shape, grad=lambda op, g: [g])


def ensure_shape(x, shape, name=None):
    """`x`, checked (statically where possible, else at run time) to have `shape`.

    Example:
        >>> tf.ensure_shape(images, [None, 28, 28, 1])
    """
    with graph_lib.name_scope(name or "EnsureShape") as scope:
        x = convert(x, name="input")
        return registry.make_tensor("EnsureShape", [x],
                                    {"T": x.dtype.base_dtype,
                                     "shape": tensor_shape.as_shape(shape)}, name=scope)


registry.register("ParallelConcat", grad=ND,
                  shape=lambda op: [(op.inputs[0].dtype.base_dtype, op._attrs["shape"])])


def parallel_stack(values, name="parallel_stack"):
    """Stacks same-shaped tensors along a new first axis (TF copies them in parallel; the
    result is `tf.stack(values)`). Not differentiable, as in TF.

    Example:
        >>> tf.parallel_stack([[1, 2], [3, 4]])  # [[1, 2], [3, 4]]
    """
    with graph_lib.name_scope(name):
        first = convert(values[0])
        dtype = first.dtype.base_dtype
        parts = [manip_ops.expand_dims(convert(v, dtype=dtype), 0) for v in values]
        shape = TS([len(values)]).concatenate(first.shape)
        return registry.make_tensor("ParallelConcat", parts,
                                    {"T": dtype, "N": len(parts), "shape": shape},
                                    name="ParallelConcat")


# --- UnravelIndex --------------------------------------------------------------------------
def _unravel_shape(op):
    """A scalar index -> `[len(dims)]`; a vector of n indices -> `[len(dims), n]`."""
    indices, dims = op.inputs
    if dims.shape.ndims is not None and dims.shape.ndims != 1:
        raise registry.ShapeError("Shape must be rank 1 but is rank %d" % dims.shape.ndims)
    if indices.shape.ndims is not None and indices.shape.ndims > 1:
        raise registry.ShapeError("Shape must be at most rank 1 but is rank %d"
                                  % indices.shape.ndims)
    n = dims.shape[0].value if dims.shape.ndims == 1 else None
    dt = indices.dtype.base_dtype
    if indices.shape.ndims is None:
        return [(dt, tensor_shape.unknown_shape())]
    if indices.shape.ndims == 0:
        return [(dt, TS([n]))]
    return [(dt, TS([n, indices.shape[0].value]))]


registry.register("UnravelIndex", shape=_unravel_shape, grad=ND)


def unravel_index(indices, dims, name=None):
    """The coordinates, in an array of shape `dims`, of flat (row-major) `indices`: one row per
    dimension (op UnravelIndex).

    Example:
        >>> tf.unravel_index([5, 7], [3, 4])  # [[1, 1], [1, 3]]
    """
    with graph_lib.name_scope(name, "UnravelIndex", [indices, dims]) as scope:
        i = convert(indices, name="indices")
        if i.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
            raise TypeError("Value passed to parameter 'indices' has DataType %s not in list of "
                            "allowed values: int32, int64" % i.dtype.base_dtype.name)
        d = convert(dims, dtype=i.dtype.base_dtype, name="dims")
        return registry.make_tensor("UnravelIndex", [i, d], {"Tidx": i.dtype.base_dtype},
                                    name=scope)


# --- sort, argsort, repeat (composites) ---------------------------------------------------------
def _sort_or_argsort(values, axis, direction, want_indices):
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError("Argument `direction` should be one of ASCENDING, DESCENDING. "
                         "Received: direction=%s" % direction)
    values = convert(values, name="values")
    rank = values.shape.ndims
    if rank is None:
        raise ValueError("sort needs a tensor of known rank")
    axis = int(axis) % max(rank, 1)
    perm = None
    if axis != rank - 1:  # top_k works on the last axis: move `axis` there and back
        perm = list(range(rank))
        perm[axis], perm[-1] = perm[-1], perm[axis]
        values = array_ops.transpose(values, perm)
    n = tensor_shape.dimension_value(values.shape[-1])
    n = n if n is not None else array_ops.shape(values)[-1]
    ascending = direction == "ASCENDING"
    # top_k sorts descending and keeps ties in index order, so sorting -x gives a stable
    # ascending order.
    keys = math_ops.negative(values) if ascending else values
    top, idx = nn_ops.top_k(keys, k=n)
    out = idx if want_indices else (math_ops.negative(top) if ascending else top)
    return array_ops.transpose(out, perm) if perm is not None else out


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """`values` sorted along `axis` (a stable sort).

    Example:
        >>> tf.sort([3., 1., 2.], direction="DESCENDING")  # [3., 2., 1.]
    """
    with graph_lib.name_scope(name, "sort"):
        return _sort_or_argsort(values, axis, direction, False)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """The indices that sort `values` along `axis` (ties keep their order: always stable).

    Example:
        >>> tf.argsort([3., 1., 2.])  # [1, 2, 0]
    """
    del stable  # the top_k-based sort is always stable
    with graph_lib.name_scope(name, "argsort"):
        return _sort_or_argsort(values, axis, direction, True)


def repeat(input, repeats, axis=None, name=None):  # noqa: A002 - TF's keyword
    """Repeats each element (or slice along `axis`) `repeats` times, like `np.repeat`.

    Example:
        >>> tf.repeat([[1, 2], [3, 4]], [1, 2], axis=0)  # [[1, 2], [3, 4], [3, 4]]
    """
    with graph_lib.name_scope(name, "Repeat"):
        data = convert(input, name="input")
        if axis is None:
            data = array_ops.reshape(data, [-1])
            axis = 0
        rank = data.shape.ndims
        if rank is None:
            raise ValueError("repeat needs a tensor of known rank")
        axis = int(axis) % max(rank, 1)
        n_static = tensor_shape.dimension_value(data.shape[axis])
        if not isinstance(repeats, Tensor) and n_static is not None:
            # Known counts: the gather positions are a constant, and the shape stays static.
            counts = np.broadcast_to(np.asarray(repeats, np.int64), [n_static])
            positions = np.repeat(np.arange(n_static, dtype=np.int32), counts)
            return gather_ops.gather(data, positions, axis=axis)
        reps = math_ops.cast(convert(repeats, name="repeats"), dtypes.int32)
        n = array_ops.shape(data)[axis]
        if reps.shape.ndims == 0:
            reps = fill_ops.fill(array_ops.reshape(n, [1]), reps)
        # positions[i] lists i repeats[i] times: a [n, max] grid of row numbers masked by
        # sequence_mask(repeats).
        width = reduction_ops.reduce_max(reps)
        rows = manip_ops.tile(array_ops.reshape(fill_ops.range(n), [-1, 1]),
                              array_ops.stack([1, width]))
        positions = gather_ops.boolean_mask(rows, fill_ops.sequence_mask(reps, width))
        return gather_ops.gather(data, positions, axis=axis)

