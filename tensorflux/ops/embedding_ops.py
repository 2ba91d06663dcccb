"""`tf.nn.embedding_lookup_sparse` and `tf.nn.safe_embedding_lookup_sparse` (TF 1.x semantics):
combine the embedding rows a SparseTensor of ids names, row by row, optionally weighted."""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import (
    array_ops,
    fill_ops,
    gather_ops,
    manip_ops,
    math_ops,
    nn_ops,
    reduction_ops,
    segment_ops,
    slicing_ops,
    sparse_segment_ops,
    sparse_structure_ops,
)
from tensorflux.ops._helpers import convert
from tensorflux.ops.constant_op import constant_value
from tensorflux.ops.partitioned_variables import PartitionedVariable
from tensorflux.ops.sparse_tensor import SparseTensor

_COMBINERS = ("mean", "sqrtn", "sum")


def _as_param_list(params):
    if isinstance(params, PartitionedVariable):
        params = list(params)
    return params if isinstance(params, list) else [params]


def _check_compatible(a, b):
    if not a.is_compatible_with(b):
        raise ValueError("Shapes %s and %s are incompatible" % (a, b))


def embedding_lookup_sparse(params, sp_ids, sp_weights, partition_strategy="mod", name=None,
                            combiner=None, max_norm=None):
    """For each row of the 2-D SparseTensor `sp_ids`, the `combiner` ("sum", "mean" or "sqrtn",
    default "mean") of the embeddings (rows of `params`, a tensor or a list of partitions) its
    ids name, weighted by the values of `sp_weights` (None: weight 1). Shape
    [sp_ids.dense_shape[0] up to the last row with an id, embedding dims...].

    Every row of `sp_ids` should hold at least one id, in row-major order.

    Example:
        >>> ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], [1, 3, 0], [2, 2])
        >>> tf.nn.embedding_lookup_sparse(params, ids, None, combiner="sum")
        >>> # [params[1] + params[3], params[0]]
    """
    if combiner is None:
        combiner = "mean"
    if combiner not in _COMBINERS:
        raise ValueError("combiner must be one of 'mean', 'sqrtn' or 'sum', got %s" % combiner)
    params = _as_param_list(params)
    if not isinstance(sp_ids, SparseTensor):
        raise TypeError("sp_ids must be SparseTensor, got %s" % type(sp_ids))
    ignore_weights = sp_weights is None
    if not ignore_weights:
        if not isinstance(sp_weights, SparseTensor):
            raise TypeError("sp_weights must be either None or SparseTensor,got %s"
                            % type(sp_weights))
        _check_compatible(sp_ids.values.shape, sp_weights.values.shape)
        _check_compatible(sp_ids.indices.shape, sp_weights.indices.shape)
        _check_compatible(sp_ids.dense_shape.shape, sp_weights.dense_shape.shape)

    with graph_lib.name_scope(name, "embedding_lookup_sparse", params + [sp_ids]) as name:
        segment_ids = sp_ids.indices[:, 0]
        if segment_ids.dtype != dtypes.int32:
            segment_ids = math_ops.cast(segment_ids, dtypes.int32)
        ids, idx = gather_ops.unique(sp_ids.values)
        embeddings = nn_ops.embedding_lookup(params, ids, partition_strategy=partition_strategy,
                                             max_norm=max_norm)
        if embeddings.dtype in (dtypes.float16, dtypes.bfloat16):
            embeddings = math_ops.cast(embeddings, dtypes.float32)
        if ignore_weights:
            fn = {"sum": sparse_segment_ops.sparse_segment_sum,
                  "mean": sparse_segment_ops.sparse_segment_mean,
                  "sqrtn": sparse_segment_ops.sparse_segment_sqrt_n}[combiner]
            return fn(embeddings, idx, segment_ids, name=name)

        weights = sp_weights.values
        if weights.dtype != embeddings.dtype:
            weights = math_ops.cast(weights, embeddings.dtype)
        embeddings = array_ops.gather(embeddings, idx)
        # Weights as [n, 1, ..., 1], to broadcast over the embedding dimensions.
        ones = fill_ops.fill(manip_ops.expand_dims(array_ops.rank(embeddings) - 1, 0), 1)
        bcast_shape = array_ops.concat([array_ops.shape(weights), ones], 0)
        orig_weights_shape = weights.shape
        weights = array_ops.reshape(weights, bcast_shape)
        if embeddings.shape.ndims is not None:
            weights.set_shape(orig_weights_shape.concatenate(
                [1] * (embeddings.shape.ndims - 1)))
        embeddings = embeddings * weights
        if combiner == "sum":
            return segment_ops.segment_sum(embeddings, segment_ids, name=name)
        embeddings = segment_ops.segment_sum(embeddings, segment_ids)
        # div_no_nan (TF >= 2.2; TF 1.x divided): a row whose weights sum to 0 gives zeros.
        if combiner == "mean":
            weight_sum = segment_ops.segment_sum(weights, segment_ids)
            return math_ops.div_no_nan(embeddings, weight_sum, name=name)
        weight_sum = segment_ops.segment_sum(math_ops.pow(weights, 2), segment_ids)
        return math_ops.div_no_nan(embeddings, math_ops.sqrt(weight_sum), name=name)


def _prune_invalid_ids(sparse_ids, sparse_weights):
    """Drops ids < 0 (and their weights)."""
    is_id_valid = math_ops.greater_equal(sparse_ids.values, 0)
    if sparse_weights is not None:
        is_id_valid = math_ops.logical_and(
            is_id_valid, fill_ops.ones_like(sparse_weights.values, dtype=dtypes.bool))
    sparse_ids = sparse_structure_ops.sparse_retain(sparse_ids, is_id_valid)
    if sparse_weights is not None:
        sparse_weights = sparse_structure_ops.sparse_retain(sparse_weights, is_id_valid)
    return sparse_ids, sparse_weights


def _prune_invalid_weights(sparse_ids, sparse_weights):
    """Drops weights <= 0 (and their ids)."""
    if sparse_weights is not None:
        is_weights_valid = math_ops.greater(sparse_weights.values, 0)
        sparse_ids = sparse_structure_ops.sparse_retain(sparse_ids, is_weights_valid)
        sparse_weights = sparse_structure_ops.sparse_retain(sparse_weights, is_weights_valid)
    return sparse_ids, sparse_weights


def safe_embedding_lookup_sparse(embedding_weights, sparse_ids, sparse_weights=None,
                                 combiner="mean", default_id=None, name=None,
                                 partition_strategy="div", max_norm=None):
    """`embedding_lookup_sparse` that tolerates bad input: ids < 0 are dropped (and weights
    <= 0 unless `combiner` is "sum"); a row left empty gets the embedding of `default_id`, or
    zeros when `default_id` is None. `sparse_ids` may have rank > 2: the result has shape
    `sparse_ids.dense_shape[:-1] + embedding dims`.

    Example:
        >>> ids = tf.SparseTensor([[0, 0], [2, 0]], [1, -1], [3, 1])
        >>> tf.nn.safe_embedding_lookup_sparse(params, ids)  # [params[1], 0, 0]
    """
    if embedding_weights is None:
        raise ValueError("Missing embedding_weights %s." % embedding_weights)
    embedding_weights = _as_param_list(embedding_weights)
    if len(embedding_weights) < 1:
        raise ValueError("Missing embedding_weights %s." % embedding_weights)
    dtype = sparse_weights.dtype if sparse_weights is not None else None
    embedding_weights = [convert(w, dtype=dtype) for w in embedding_weights]

    with graph_lib.name_scope(name, "embedding_lookup",
                              embedding_weights + [sparse_ids, sparse_weights]) as scope:
        original_shape = sparse_ids.dense_shape
        original_rank_dim = original_shape.shape[0].value
        original_rank = (array_ops.size(original_shape) if original_rank_dim is None
                         else original_rank_dim)
        sparse_ids = sparse_structure_ops.sparse_reshape(sparse_ids, [
            reduction_ops.reduce_prod(
                slicing_ops.slice(original_shape, [0], [original_rank - 1])),
            array_ops.gather(original_shape, original_rank - 1)])
        if sparse_weights is not None:
            sparse_weights = SparseTensor(sparse_ids.indices, sparse_weights.values,
                                          sparse_ids.dense_shape)
        sparse_ids, sparse_weights = _prune_invalid_ids(sparse_ids, sparse_weights)
        if combiner != "sum":
            sparse_ids, sparse_weights = _prune_invalid_weights(sparse_ids, sparse_weights)
        sparse_ids, is_row_empty = sparse_structure_ops.sparse_fill_empty_rows(
            sparse_ids, default_id or 0)
        if sparse_weights is not None:
            sparse_weights, _ = sparse_structure_ops.sparse_fill_empty_rows(sparse_weights, 1.0)
        result = embedding_lookup_sparse(
            embedding_weights, sparse_ids, sparse_weights, combiner=combiner,
            partition_strategy=partition_strategy,
            name=None if default_id is None else scope, max_norm=max_norm)
        if default_id is None:
            is_row_empty = manip_ops.tile(
                array_ops.reshape(is_row_empty, [-1, 1]),
                array_ops.stack([1, array_ops.shape(result)[1]]))
            result = manip_ops.where(is_row_empty, fill_ops.zeros_like(result), result,
                                     name=scope)
        final_result = array_ops.reshape(result, array_ops.concat([
            slicing_ops.slice(math_ops.cast(original_shape, dtypes.int32), [0],
                              [original_rank - 1]),
            slicing_ops.slice(array_ops.shape(result), [1], [-1])], 0))
        rank = None if original_rank_dim is None else original_rank_dim - 1
        batch = tensor_shape.unknown_shape(rank)
        const_shape = constant_value(original_shape)
        if const_shape is not None:  # (TF's shape inference evaluates the reshape's shape)
            batch = tensor_shape.TensorShape([int(d) for d in const_shape[:-1]])
        final_result.set_shape(batch.concatenate(result.shape[1:]))
        return final_result
