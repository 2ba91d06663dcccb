"""Sparse ops that compute on values: `tf.sparse.reduce_max` (dense or sparse result),
`reduce_sum_sparse`, `softmax`, `maximum` / `minimum` (TF's SparseReduceMax(Sparse),
SparseReduceSumSparse, SparseSoftmax, SparseSparseMaximum/Minimum) and the Python-level
`to_indicator`, `merge` and `tf.sparse.mask` (on IndexedSlices).

TF registers gradients only for SparseSoftmax here; SparseSparseMaximum/Minimum's TF gradient
raises NotImplementedError and the reductions have none, so they are not differentiable.
"""

import numbers

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import (
    array_ops,
    fill_ops,
    gather_ops,
    manip_ops,
    math_ops,
    registry,
)
from tensorflux.ops._helpers import convert
from tensorflux.ops.indexed_slices import IndexedSlices
from tensorflux.ops.sparse_ops import (
    _as_sparse,
    _sparse_reduce_shape,
    sparse_reduce_sum,
    sparse_reorder,
    sparse_tensor_to_dense,
)
from tensorflux.ops.sparse_tensor import SparseTensor, SparseTensorValue

ND = registry.NOT_DIFFERENTIABLE
TS = tensor_shape.TensorShape


# --- reductions ---------------------------------------------------------------------------------
def _sparse_result_shape(op):
    return [(dtypes.int64, tensor_shape.unknown_shape()),
            (op.inputs[1].dtype.base_dtype, tensor_shape.unknown_shape()),
            (dtypes.int64, tensor_shape.unknown_shape())]


registry.register("SparseReduceMax", shape=_sparse_reduce_shape, grad=ND)
registry.register("SparseReduceMaxSparse", shape=_sparse_result_shape, grad=ND)
registry.register("SparseReduceSumSparse", shape=_sparse_result_shape, grad=ND)


def _reduction_args(axis, keepdims, reduction_axes, keep_dims):
    """TF's deprecated-alias lookup for (axis, keepdims)."""
    if reduction_axes is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'reduction_axes' and 'axis'")
        axis = reduction_axes
    if keep_dims is not None:
        if keepdims is not None:
            raise ValueError("Cannot specify both 'keep_dims' and 'keepdims'")
        keepdims = keep_dims
    return axis, bool(keepdims)


def _reduce(op_type, sp_input, axis, keepdims):
    """The `op_type` op over `axis` (all axes when None) of a SparseTensor; its Operation."""
    sp = _as_sparse(sp_input)
    g = graph_lib._graph_from_values([sp.values])
    with g.as_default():
        if axis is None:
            rank = sp.get_shape().ndims
            if rank is not None:
                axes = convert(list(range(rank)), dtype=dtypes.int32)
            else:
                axes = fill_ops.range(0, array_ops.size(sp.dense_shape))
        else:
            axes = convert(axis, dtype=dtypes.int32)
        return registry.make_op(op_type, [sp.indices, sp.values, sp.dense_shape, axes],
                                {"keep_dims": keepdims, "T": sp.dtype.base_dtype},
                                name=op_type)


def sparse_reduce_max(sp_input, axis=None, keepdims=None, reduction_axes=None, keep_dims=None):
    """The max of a SparseTensor's values over `axis` (all by default), a dense Tensor; only
    the entries present take part (implicit zeros are ignored).

    Example:
        >>> st = tf.SparseTensor([[0, 0], [1, 2]], [-1.0, 2.0], [2, 3])
        >>> tf.sparse.reduce_max(st, 1)  # [-1, 2]
    """
    axis, keepdims = _reduction_args(axis, keepdims, reduction_axes, keep_dims)
    return _reduce("SparseReduceMax", sp_input, axis, keepdims).outputs[0]


def sparse_reduce_max_sparse(sp_input, axis=None, keepdims=None, reduction_axes=None,
                             keep_dims=None):
    """`sparse_reduce_max` as a SparseTensor (only the groups that have entries)."""
    axis, keepdims = _reduction_args(axis, keepdims, reduction_axes, keep_dims)
    return SparseTensor(*_reduce("SparseReduceMaxSparse", sp_input, axis, keepdims).outputs)


def sparse_reduce_sum_sparse(sp_input, axis=None, keepdims=None, reduction_axes=None,
                             keep_dims=None):
    """`tf.sparse.reduce_sum` as a SparseTensor (only the groups that have entries)."""
    axis, keepdims = _reduction_args(axis, keepdims, reduction_axes, keep_dims)
    return SparseTensor(*_reduce("SparseReduceSumSparse", sp_input, axis, keepdims).outputs)


# --- SparseSoftmax ------------------------------------------------------------------------------
def _softmax_grad(op, grad):
    """TF's rule: `(grad - sum_row(grad * softmax)) * softmax`, rows being the last axis."""
    indices, shape = op.inputs[0], op.inputs[2]
    out = op.outputs[0]
    row_sums = sparse_reduce_sum(SparseTensor(indices, out * grad, shape), [-1], keepdims=True)
    head = indices[:, :-1]
    row_indices = array_ops.concat([head, fill_ops.zeros_like(indices[:, -1:])], 1)
    return [None, (grad - gather_ops.gather_nd(row_sums, row_indices)) * out, None]


registry.register("SparseSoftmax", grad=_softmax_grad,
                  shape=lambda op: [(op.inputs[1].dtype.base_dtype, op.inputs[1].shape)])


def sparse_softmax(sp_input, name=None):
    """Softmax over the last axis of a SparseTensor, among the entries present (missing ones
    count as -inf).

    Example:
        >>> tf.sparse.softmax(tf.SparseTensor([[0, 0], [0, 2]], [1.0, 1.0], [1, 3]))  # .5, .5
    """
    sp = _as_sparse(sp_input)
    g = graph_lib._graph_from_values([sp.values])
    with g.as_default(), g.name_scope(name or "SparseSoftmax"):
        values = registry.make_tensor("SparseSoftmax", [sp.indices, sp.values, sp.dense_shape],
                                      {"T": sp.dtype.base_dtype}, name="SparseSoftmax")
    return SparseTensor(sp.indices, values, sp.dense_shape)


# --- SparseSparseMaximum / Minimum --------------------------------------------------------------
def _elementwise_shape(op):
    return [(dtypes.int64, TS([None, None])), (op.inputs[1].dtype.base_dtype, TS([None]))]


registry.register("SparseSparseMaximum", shape=_elementwise_shape, grad=ND)
registry.register("SparseSparseMinimum", shape=_elementwise_shape, grad=ND)


def _elementwise(op_type, sp_a, sp_b, name):
    a, b = _as_sparse(sp_a), _as_sparse(sp_b)
    g = graph_lib._graph_from_values([a.values, b.values])
    with g.as_default(), g.name_scope(name or op_type) as scope:
        idx, vals = registry.make_op(
            op_type, [a.indices, a.values, a.dense_shape, b.indices, b.values, b.dense_shape],
            {"T": a.dtype.base_dtype}, name=scope).outputs
    return SparseTensor(idx, vals, a.dense_shape)


def sparse_maximum(sp_a, sp_b, name=None):
    """Elementwise max of two same-shape SparseTensors (missing entries count as 0).

    Example:
        >>> tf.sparse.maximum(a, b)  # entries at the union of a's and b's indices
    """
    return _elementwise("SparseSparseMaximum", sp_a, sp_b, name)


def sparse_minimum(sp_a, sp_b, name=None):
    """Elementwise min of two same-shape SparseTensors (missing entries count as 0)."""
    return _elementwise("SparseSparseMinimum", sp_a, sp_b, name)


# --- to_indicator / merge / mask ----------------------------------------------------------------
def _check_vocab(sp_ids, vocab_size):
    """TF's argument checks; returns (list of id SparseTensors, list of vocab sizes)."""
    if isinstance(sp_ids, (SparseTensor, SparseTensorValue)):
        if not isinstance(vocab_size, (Tensor, numbers.Integral)):
            raise TypeError("vocab_size has to be a Tensor or Python int. Found %s"
                            % type(vocab_size))
        return [sp_ids], [vocab_size]
    if not isinstance(sp_ids, (list, tuple)):
        raise TypeError("sp_ids has to be a SparseTensor or list thereof. Found %s"
                        % type(sp_ids))
    if not isinstance(vocab_size, (list, tuple)):
        raise TypeError("vocab_size has to be a list of Tensors or Python ints. Found %s"
                        % type(vocab_size))
    for dim in vocab_size:
        if not isinstance(dim, (Tensor, numbers.Integral)):
            raise TypeError("vocab_size has to be a list of Tensors or Python ints. Found %s"
                            % type(dim))
    return list(sp_ids), list(vocab_size)


def sparse_merge(sp_ids, sp_values, vocab_size, name=None, already_sorted=False):
    """Combines ids and values SparseTensors: the last index of each entry becomes its id.

    Example:
        >>> ids = tf.SparseTensor([[0, 0], [0, 1]], [3, 1], [1, 2])
        >>> vals = tf.SparseTensor([[0, 0], [0, 1]], [0.5, 2.0], [1, 2])
        >>> tf.sparse.merge(ids, vals, 4)  # 2.0 at [0, 1] and 0.5 at [0, 3] of [1, 4]
    """
    sp_ids, vocab_size = _check_vocab(sp_ids, vocab_size)
    if len(sp_ids) != len(vocab_size):
        raise ValueError("sp_ids and vocab_size have to have equal lengths.")
    with graph_lib.name_scope(name, "SparseMerge", []):
        sp_ids = [_as_sparse(sp) for sp in sp_ids]
        sp_values = _as_sparse(sp_values)
        ids = []
        for sp in sp_ids:
            column = sp.values
            if column.dtype.base_dtype != dtypes.int64:
                column = math_ops.cast(column, dtypes.int64)
            ids.append(manip_ops.expand_dims(column, axis=1))
        vocab_sizes = vocab_size
        vocab_size = [math_ops.cast(x, dtypes.int64) for x in vocab_size]
        indices = array_ops.concat([sp_ids[0].indices[:, :-1]] + ids, 1)
        shape = array_ops.concat([sp_ids[0].dense_shape[:-1], vocab_size], 0)
        result = SparseTensor(indices, sp_values.values, shape)
        result._shape_hint = _merged_shape(sp_ids[0], vocab_sizes)
        if already_sorted:
            return result
        ordered = sparse_reorder(result)
        out = SparseTensor(ordered.indices, ordered.values, shape)
        out._shape_hint = result._shape_hint
        return out


def _merged_shape(sp_ids, vocab_sizes):
    """The static dense shape of a merge: the ids' leading dims, then the vocab sizes."""
    static = sp_ids.get_shape()
    if static.ndims is None:
        return None
    vocab = [v if isinstance(v, numbers.Integral) else None for v in vocab_sizes]
    return TS(static.as_list()[:-1] + vocab)


def sparse_to_indicator(sp_input, vocab_size, name=None):
    """A dense bool [..., vocab_size] tensor, True at `[..., id]` for every id in the last
    dimension of the int SparseTensor `sp_input`.

    Example:
        >>> ids = tf.SparseTensor([[0, 0], [0, 1]], [3, 1], [1, 2])
        >>> tf.sparse.to_indicator(ids, 4)  # [[False, True, False, True]]
    """
    sp = _as_sparse(sp_input)
    with graph_lib.name_scope(name, "SparseToIndicator", [sp.values]) as scope:
        n = array_ops.shape(sp.indices)[0]
        flags = fill_ops.fill(manip_ops.expand_dims(n, 0), True)
        merged = sparse_merge(sp, SparseTensor(sp.indices, flags, sp.dense_shape), vocab_size,
                              scope)
        # Repeated ids are allowed, hence no index validation.
        return sparse_tensor_to_dense(merged, default_value=False, validate_indices=False,
                                      name=scope)


def sparse_mask(a, mask_indices, name=None):
    """The IndexedSlices `a` without the slices whose index is in `mask_indices`.

    Example:
        >>> x = tf.IndexedSlices(values, indices=[12, 26, 37], dense_shape=[100, 10])
        >>> tf.sparse.mask(x, [12, 45])  # keeps the slices of 26 and 37
    """
    with graph_lib.name_scope(name, "sparse_mask", [a, mask_indices]) as scope:
        mask_indices = convert(mask_indices, dtype=a.indices.dtype.base_dtype)
        out_indices, to_gather = gather_ops.setdiff1d(a.indices, mask_indices)
        out_values = gather_ops.gather(a.values, to_gather, name=scope)
        return IndexedSlices(out_values, out_indices, a.dense_shape)
