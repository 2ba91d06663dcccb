"""Sparse ops that move entries around: `tf.sparse.concat`, `reshape`, `slice`, `split`,
`fill_empty_rows` (TF's SparseConcat, SparseReshape, SparseSlice, SparseSplit,
SparseFillEmptyRows ops) and the Python-level `transpose`, `retain`, `reset_shape`,
`expand_dims`, `eye` and `from_dense`, built from public ops as TF builds them.

As in `sparse_ops.py`, each op takes a SparseTensor as its three dense tensors; gradients flow
into `values` only. TF has no gradient for SparseConcat, SparseReshape (no float output) or
SparseSplit; they are marked not differentiable here.
"""

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import (
    array_ops,
    constant_op,
    fill_ops,
    gather_ops,
    manip_ops,
    math_ops,
    reduction_ops,
    registry,
    slicing_ops,
)
from tensorflux.ops._helpers import convert
from tensorflux.ops.sparse_ops import _as_sparse, sparse_reorder
from tensorflux.ops.sparse_tensor import SparseTensor

ND = registry.NOT_DIFFERENTIABLE
TS = tensor_shape.TensorShape


def _rank_of(indices, shape=None):
    """The static rank of a SparseTensor from its indices' (or dense shape's) static shape."""
    rank = indices.shape[1].value if indices.shape.ndims == 2 else None
    if rank is None and shape is not None and shape.shape.ndims == 1:
        rank = shape.shape[0].value
    return rank


def _sparse_outputs(indices, values, shape, n=None):
    """(dtype, shape) of an (indices, values, dense_shape) output triple with `n` entries."""
    rank = _rank_of(indices, shape)
    return [(dtypes.int64, TS([n, rank])), (values.dtype.base_dtype, TS([n])),
            (dtypes.int64, TS([rank]))]


def _int64(x, name):
    """`x` as an int64 tensor (cast when it is a tensor of another integer type)."""
    if isinstance(x, Tensor):
        return x if x.dtype.base_dtype == dtypes.int64 else math_ops.cast(x, dtypes.int64)
    return convert(x, dtype=dtypes.int64, name=name)


# --- SparseConcat -----------------------------------------------------------------------------
def _concat_shape(op):
    n = op._attrs["N"]
    idx, vals = op.inputs[:n], op.inputs[n:2 * n]
    total = 0
    for t in idx:
        d = t.shape[0].value if t.shape.ndims == 2 else None
        total = None if d is None or total is None else total + d
    return _sparse_outputs(idx[0], vals[0], op.inputs[2 * n], total)


registry.register("SparseConcat", shape=_concat_shape, grad=ND)


def _expanded_shapes(axis, shapes):
    """TF's `expand_nonconcat_dim`: every non-concat dimension grows to the largest one."""
    stacked = array_ops.concat([array_ops.reshape(s, [1, -1]) for s in shapes], 0)
    max_shape = reduction_ops.reduce_max(stacked, 0)
    out = []
    for s in shapes:
        if axis == -1:
            parts = [max_shape[:axis], s[-1:]]
        else:
            parts = [max_shape[:axis], s[axis:axis + 1], max_shape[axis + 1:]]
        out.append(array_ops.concat(parts, 0))
    return out


def _static_concat_shape(axis, sp_inputs, expand):
    """The concatenation's static dense shape (a TensorShape, unknown rank if any input's is)."""
    shapes = [sp.get_shape() for sp in sp_inputs]
    if any(s.ndims is None for s in shapes):
        return tensor_shape.unknown_shape()
    if expand:
        dims = [max((s[d] for s in shapes), key=lambda x: -1 if x.value is None else x.value)
                for d in range(shapes[0].ndims)]
        dims = [None if any(s[d].value is None for s in shapes) else dims[d].value
                for d in range(len(dims))]
    else:
        dims = shapes[0].as_list()
    sizes = [s[axis].value for s in shapes]
    dims[axis] = None if None in sizes else sum(sizes)
    return TS(dims)


def sparse_concat(axis, sp_inputs, name=None, expand_nonconcat_dim=False, concat_dim=None,
                  expand_nonconcat_dims=None):
    """Concatenates SparseTensors along `axis` (a Python int); a SparseTensor.

    Example:
        >>> a = tf.SparseTensor([[0, 1]], [1.0], [2, 3])
        >>> b = tf.SparseTensor([[1, 0]], [2.0], [2, 2])
        >>> tf.sparse.concat(1, [a, b])  # dense shape [2, 5]; b's entry lands at [1, 3]
    """
    if concat_dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'concat_dim'")
        axis = concat_dim
    if expand_nonconcat_dims is not None:
        expand_nonconcat_dim = expand_nonconcat_dims
    sp_inputs = [_as_sparse(sp) for sp in sp_inputs]
    if len(sp_inputs) == 1:
        return sp_inputs[0]
    g = graph_lib._graph_from_values([sp.values for sp in sp_inputs])
    with g.as_default():
        shapes = [sp.dense_shape for sp in sp_inputs]
        if expand_nonconcat_dim:
            shapes = _expanded_shapes(axis, shapes)
        op = registry.make_op(
            "SparseConcat", [sp.indices for sp in sp_inputs] + [sp.values for sp in sp_inputs]
            + shapes, {"concat_dim": int(axis), "N": len(sp_inputs),
                       "T": sp_inputs[0].dtype.base_dtype}, name=name or "SparseConcat")
        idx, vals, dense_shape = op.outputs
        static = _static_concat_shape(axis, sp_inputs, expand_nonconcat_dim)
        if static.is_fully_defined():
            dense_shape = constant_op.constant(static.as_list(), dtype=dtypes.int64)
    out = SparseTensor(idx, vals, dense_shape)
    if not static.is_fully_defined():
        out._shape_hint = static
    return out


# --- SparseReshape ----------------------------------------------------------------------------
def _reshape_shape(op):
    indices, _, new_shape = op.inputs
    rank = new_shape.shape[0].value if new_shape.shape.ndims == 1 else None
    n = indices.shape[0].value if indices.shape.ndims == 2 else None
    return [(dtypes.int64, TS([n, rank])), (dtypes.int64, TS([rank]))]


registry.register("SparseReshape", shape=_reshape_shape, grad=ND)


def _static_reshape(sp, shape):
    """The fully known new shape (a list) when TF can infer it statically, else None; raises
    TF's ValueError for a size mismatch or more than one -1."""
    wanted = constant_op.constant_value_as_shape(shape)
    if wanted.ndims is None or not sp.get_shape().is_fully_defined():
        return None
    by_user = constant_op.constant_value(shape)
    if by_user is not None and sum(int(d) == -1 for d in by_user) > 1:
        raise ValueError("At most one dimension can be inferred (-1). Found: %s" % by_user)
    dims = wanted.as_list()
    original = list(dims)
    in_size = int(np.prod(sp.get_shape().as_list()))
    implied = sum(d is None for d in dims)
    if implied == 1 and 0 not in dims:
        k = dims.index(None)
        dims[k] = int(in_size // np.prod(dims[:k] + dims[k + 1:]))
    if implied == 0 or (implied == 1 and 0 not in dims):
        size = int(np.prod(dims))
        if size != in_size:
            raise ValueError("Cannot reshape a tensor with %d elements to shape %s "
                             "(%d elements)." % (in_size, original, size))
        return dims
    return None


def sparse_reshape(sp_input, shape, name=None):
    """The same entries in a SparseTensor of another dense shape (row-major order kept; one
    dimension may be -1).

    Example:
        >>> tf.sparse.reshape(tf.SparseTensor([[0, 2]], [1.0], [2, 3]), [3, 2])  # at [1, 0]
    """
    sp = _as_sparse(sp_input)
    g = graph_lib._graph_from_values([sp.values])
    with g.as_default():
        shape = _int64(shape, "shape")
        with g.name_scope(name or "SparseReshape") as scope:
            idx, new_shape = registry.make_op("SparseReshape", [sp.indices, sp.dense_shape, shape],
                                              {}, name=scope).outputs
            static = _static_reshape(sp, shape)
            if static is not None:
                new_shape = constant_op.constant(static, dtype=dtypes.int64)
            return SparseTensor(idx, array_ops.identity(sp.values), new_shape)


# --- SparseSlice ------------------------------------------------------------------------------
def _slice_grad(op, unused_indices_grad, values_grad, unused_shape_grad):
    val_grad = registry.make_tensor(
        "SparseSliceGrad", [values_grad, op.inputs[0], op.inputs[3], op.outputs[0]],
        {"T": values_grad.dtype.base_dtype})
    return [None, val_grad, None, None, None]


registry.register("SparseSlice", grad=_slice_grad,
                  shape=lambda op: _sparse_outputs(op.inputs[0], op.inputs[1], op.inputs[2]))
registry.register("SparseSliceGrad", grad=ND, shape=lambda op: [
    (op.inputs[0].dtype.base_dtype,
     TS([op.inputs[1].shape[0].value if op.inputs[1].shape.ndims == 2 else None]))])


def sparse_slice(sp_input, start, size, name=None):
    """The entries of a SparseTensor inside the box `[start, start + size)`, re-based at 0.

    Example:
        >>> st = tf.SparseTensor([[0, 1], [1, 2]], [1.0, 2.0], [2, 3])
        >>> tf.sparse.slice(st, [0, 1], [2, 2])  # entries at [0, 0] and [1, 1], shape [2, 2]
    """
    sp = _as_sparse(sp_input)
    g = graph_lib._graph_from_values([sp.values])
    with g.as_default():
        start = _int64(start, "start")
        size = _int64(size, "size")
        with g.name_scope(name or "SparseSlice") as scope:
            idx, vals, shape = registry.make_op(
                "SparseSlice", [sp.indices, sp.values, sp.dense_shape, start, size],
                {"T": sp.dtype.base_dtype}, name=scope).outputs
            return SparseTensor(idx, vals, shape)


# --- SparseSplit ------------------------------------------------------------------------------
def _split_shape(op):
    n = op._attrs["num_split"]
    parts = _sparse_outputs(op.inputs[1], op.inputs[2], op.inputs[3])
    return [parts[0]] * n + [parts[1]] * n + [parts[2]] * n


registry.register("SparseSplit", shape=_split_shape, grad=ND)


class KeywordRequired:
    """Default of `sparse_split`'s first parameter: TF requires keyword arguments there."""

    def __repr__(self):
        return "KeywordRequired()"


def sparse_split(keyword_required=KeywordRequired(), sp_input=None, num_split=None, axis=None,
                 name=None, split_dim=None):
    """Splits a SparseTensor into `num_split` along `axis` (the first `dim % num_split` parts
    get one extra slice); keyword arguments only.

    Example:
        >>> a, b = tf.sparse.split(sp_input=st, num_split=2, axis=1)
    """
    if not isinstance(keyword_required, KeywordRequired):
        raise ValueError("Keyword arguments are required for this function.")
    if sp_input is None:
        raise ValueError("sp_input is required")
    if num_split is None:
        raise ValueError("num_split is required")
    if axis is None:
        if split_dim is None:
            raise ValueError("axis is required")
        axis = split_dim
    sp = _as_sparse(sp_input)
    g = graph_lib._graph_from_values([sp.values])
    with g.as_default(), g.name_scope(name or "SparseSplit") as scope:
        axis = convert(axis, dtype=dtypes.int64, name="split_dim")
        outs = registry.make_op("SparseSplit", [axis, sp.indices, sp.values, sp.dense_shape],
                                {"num_split": int(num_split), "T": sp.dtype.base_dtype},
                                name=scope).outputs
    n = int(num_split)
    return [SparseTensor(outs[i], outs[n + i], outs[2 * n + i]) for i in range(n)]


# --- SparseFillEmptyRows ----------------------------------------------------------------------
def _fill_shape(op):
    indices, values, dense_shape, _ = op.inputs
    rows = constant_op.constant_value_as_shape(dense_shape)
    rows = rows[0].value if rows.ndims else None
    n = indices.shape[0].value if indices.shape.ndims == 2 else None
    return _sparse_outputs(indices, values, dense_shape)[:2] + [
        (dtypes.bool, TS([rows])), (dtypes.int64, TS([n]))]


def _fill_grad(op, unused_indices_grad, values_grad, unused_empty_grad, unused_map_grad):
    d_values, d_default = registry.make_op(
        "SparseFillEmptyRowsGrad", [op.outputs[3], values_grad],
        {"T": values_grad.dtype.base_dtype}).outputs
    return [None, d_values, None, d_default]


registry.register("SparseFillEmptyRows", shape=_fill_shape, grad=_fill_grad)
registry.register("SparseFillEmptyRowsGrad", grad=ND, shape=lambda op: [
    (op.inputs[1].dtype.base_dtype, op.inputs[0].shape), (op.inputs[1].dtype.base_dtype, TS([]))])


def sparse_fill_empty_rows(sp_input, default_value, name=None):
    """Adds `default_value` at `[row, 0, ...]` of every row without entries.

    Returns (the filled SparseTensor, a bool vector marking the rows that were empty).

    Example:
        >>> st = tf.SparseTensor([[1, 0]], [5.0], [3, 2])
        >>> filled, empty = tf.sparse.fill_empty_rows(st, -1.0)  # empty: [True, False, True]
    """
    sp = _as_sparse(sp_input)
    g = graph_lib._graph_from_values([sp.values])
    with g.as_default(), g.name_scope(name or "SparseFillEmptyRows"):
        default_value = convert(default_value, dtype=sp.dtype.base_dtype, name="default_value")
        idx, vals, empty, _ = registry.make_op(
            "SparseFillEmptyRows", [sp.indices, sp.values, sp.dense_shape, default_value],
            {"T": sp.dtype.base_dtype}, name="SparseFillEmptyRows").outputs
    out = SparseTensor(idx, vals, sp.dense_shape)
    out._shape_hint = sp._shape_hint
    return out, empty


# --- Python-level ops ---------------------------------------------------------------------------
def sparse_transpose(sp_input, perm=None, name=None):
    """Transposes a SparseTensor (reverses its dimensions unless `perm` is given); the result
    is in row-major order.

    Example:
        >>> tf.sparse.transpose(tf.SparseTensor([[0, 2]], [1.0], [2, 3]))  # [2, 0] of [3, 2]
    """
    sp = _as_sparse(sp_input)
    g = graph_lib._graph_from_values([sp.values])
    with g.as_default(), g.name_scope(name or "SparseTranspose"):
        if perm is None:
            rank = sp.get_shape().ndims
            if rank is not None:
                perm = (rank - 1) - np.arange(0, rank, 1)
            else:
                rank = array_ops.size(sp.dense_shape)
                perm = (rank - 1) - fill_ops.range(0, rank, 1)
        perm = convert(perm, name="perm")
        indices = array_ops.transpose(gather_ops.gather(array_ops.transpose(sp.indices), perm))
        perm_value = constant_op.constant_value(perm)
        if perm_value is not None and sp.get_shape().is_fully_defined():
            old = sp.get_shape().as_list()
            dense_shape = [old[int(p)] for p in perm_value]
        else:
            dense_shape = gather_ops.gather(sp.dense_shape, perm)
        return sparse_reorder(SparseTensor(indices, sp.values, dense_shape))


def sparse_retain(sp_input, to_retain):
    """The entries of a SparseTensor where the bool vector `to_retain` is True.

    Example:
        >>> tf.sparse.retain(st, [True, False, True])  # keeps entries 0 and 2
    """
    sp = _as_sparse(sp_input)
    g = graph_lib._graph_from_values([sp.values])
    with g.as_default():
        to_retain = convert(to_retain)
        to_retain.get_shape().with_rank(1)
        sp.values.get_shape()[0].assert_is_compatible_with(to_retain.get_shape()[0])
        where_true = array_ops.reshape(manip_ops.where(to_retain), [-1])
        indices = gather_ops.gather(sp.indices, where_true)
        values = gather_ops.gather(sp.values, where_true)
        return SparseTensor(indices, values, array_ops.identity(sp.dense_shape))


def sparse_reset_shape(sp_input, new_shape=None):
    """The same entries with dense shape `new_shape` (no smaller than the old one), or, by
    default, the tightest shape that holds them.

    Example:
        >>> tf.sparse.reset_shape(tf.SparseTensor([[0, 1]], [1.0], [5, 5]))  # shape [1, 2]
    """
    sp = _as_sparse(sp_input)
    g = graph_lib._graph_from_values([sp.values])
    with g.as_default():
        in_indices = array_ops.identity(sp.indices)
        in_values = array_ops.identity(sp.values)
        in_shape = array_ops.identity(sp.dense_shape)
        if new_shape is None:
            low = reduction_ops.reduce_max(in_indices, axis=0)
            return SparseTensor(in_indices, in_values, math_ops.maximum(
                constant_op.constant(0, dtype=dtypes.int64),
                math_ops.add(low, array_ops.ones_like(in_shape))))
        out = convert(new_shape)
        out.get_shape().with_rank(1)
        out = math_ops.cast(out, dtypes.int64)
        if out.get_shape().ndims is not None:
            out.get_shape()[0].assert_is_compatible_with(in_shape.get_shape()[0])
        value = constant_op.constant_value(out)
        if value is not None and sp.get_shape().is_fully_defined():
            old = np.array(sp.get_shape().as_list())
            if not np.all(old <= value):
                # TF's message swaps the two shapes' labels; kept as TF writes it.
                raise ValueError("Requested new_shape should have dimension sizes >= "
                                 "sp_input.shape.  Found new_shape (%s), sp_input.shape (%s)."
                                 % (old, value))
            out = value
        return SparseTensor(in_indices, in_values, out)


def sparse_expand_dims(sp_input, axis=None, name=None):
    """Inserts a dimension of size 1 at `axis` (default -1, the end) of a SparseTensor.

    Example:
        >>> tf.sparse.expand_dims(tf.SparseTensor([[1]], [2.0], [3]), 0)  # [[0, 1]] of [1, 3]
    """
    sp = _as_sparse(sp_input)
    rank = sp.dense_shape.get_shape()[0].value
    axis = -1 if axis is None else axis
    hint = None
    if rank is not None and isinstance(axis, (int, np.integer)) and -rank - 1 <= axis <= rank:
        # TF's static shape: only the new dimension is known.
        hint = [None] * (rank + 1)
        hint[axis if axis >= 0 else axis + rank + 1] = 1
    g = graph_lib._graph_from_values([sp.values])
    with g.as_default(), g.name_scope(name or "expand_dims"):
        if rank is None:
            rank = array_ops.shape(sp.dense_shape)[0]
        if isinstance(axis, (int, np.integer)) and not isinstance(axis, bool):
            axis = convert(int(axis), dtype=dtypes.int32, name="axis")
        elif not isinstance(axis, Tensor):
            raise TypeError("axis must be an integer value in range [-rank(sp_input) - 1, "
                            "rank(sp_input)]")
        if hint is not None:
            # A static position keeps the slices' sizes static (TF's shape inference evaluates
            # the position; tensorflux's does not look through where_v2).
            axis = int(constant_op.constant_value(axis))
            axis = axis if axis >= 0 else axis + rank + 1
        else:
            axis = manip_ops.where_v2(axis >= 0, axis, axis + rank + 1)
        n = array_ops.shape(sp.indices)[0]
        new_column = fill_ops.zeros(array_ops.stack([n, 1]), dtype=dtypes.int64)
        static = hint is not None
        before = slicing_ops.slice(sp.indices, [0, 0],
                                   [-1, axis] if static else array_ops.stack([-1, axis]))
        after = slicing_ops.slice(sp.indices, [0, axis] if static else array_ops.stack([0, axis]),
                                  [-1, -1])
        indices = array_ops.concat([before, new_column, after], axis=1)
        at = [axis] if static else array_ops.reshape(axis, [1])
        shape_before = slicing_ops.slice(sp.dense_shape, [0], at)
        shape_after = slicing_ops.slice(sp.dense_shape, at, [-1])
        one = convert([1], dtype=dtypes.int64, name="new_shape")
        shape = array_ops.concat([shape_before, one, shape_after], axis=0)
        out = SparseTensor(indices, sp.values, shape)
    if hint is not None:
        out._shape_hint = TS(hint)
    return out


def sparse_eye(num_rows, num_columns=None, dtype=dtypes.float32, name=None):
    """A 2-D sparse identity matrix of shape [num_rows, num_columns] (square by default).

    Example:
        >>> tf.sparse.eye(2, 3)  # entries 1.0 at [0, 0] and [1, 1]
    """
    with graph_lib.name_scope(name, "eye", []):
        num_rows = _int64(num_rows, "num_rows")
        num_columns = num_rows if num_columns is None else _int64(num_columns, "num_columns")
        size = math_ops.minimum(num_rows, num_columns)
        rows_value = constant_op.constant_value(num_rows)
        cols_value = constant_op.constant_value(num_columns)
        known = None if rows_value is None or cols_value is None else min(rows_value, cols_value)
        # A known size keeps the static shapes TF's shape inference finds.
        diag = fill_ops.range(size if known is None else int(known), dtype=dtypes.int64)
        return SparseTensor(indices=array_ops.stack([diag, diag], axis=1),
                            values=fill_ops.ones(size if known is None else [int(known)],
                                                 dtype=dtype),
                            dense_shape=[num_rows, num_columns])


def from_dense(tensor, name=None):
    """The SparseTensor of a dense tensor's non-zero entries.

    Example:
        >>> tf.sparse.from_dense([[0, 3], [4, 0]])  # entries at [0, 1] and [1, 0]
    """
    with graph_lib.name_scope(name, "dense_to_sparse", [tensor]):
        tensor = convert(tensor)
        indices = manip_ops.where_v2(math_ops.not_equal(tensor, fill_ops.zeros_like(tensor)))
        values = gather_ops.gather_nd(tensor, indices)
        shape = array_ops.shape(tensor, out_type=dtypes.int64)
        return SparseTensor(indices, values, shape)
