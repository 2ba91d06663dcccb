"""The sparse plumbing of feature columns: dense inputs to SparseTensors, id lookups, hashing,
and `safe_embedding_lookup_sparse`, built from public graph ops as TF 1.x builds them.
"""

import numpy as np

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import (
    array_ops,
    constant_op,
    debug_ops,
    fill_ops,
    gather_ops,
    hash_ops,
    manip_ops,
    math_ops,
    reduction_ops,
    sparse_segment_ops,
    sparse_structure_ops,
    string_ops,
)
from tensorflux.ops.constant_op import convert_to_tensor as convert
from tensorflux.ops.sparse_tensor import SparseTensor, is_sparse


def to_sparse_input_and_drop_ignore_values(input_tensor, ignore_value=None):
    """A SparseTensor of the entries of a dense `input_tensor` that differ from `ignore_value`
    ('' for strings, -1 for integers, by default); a SparseTensor is returned as it is.
    """
    if is_sparse(input_tensor):
        return input_tensor
    with graph_lib.name_scope(None, "to_sparse_input", [input_tensor]):
        input_tensor = convert(input_tensor)
        if ignore_value is None:
            if input_tensor.dtype == dtypes.string:
                ignore_value = ""
            elif input_tensor.dtype.is_integer:
                ignore_value = -1
            else:
                ignore_value = input_tensor.dtype.as_numpy_dtype()
        ignore_value = math_ops.cast(constant_op.constant(ignore_value), input_tensor.dtype,
                                     name="ignore_value")
        indices = manip_ops.where(math_ops.not_equal(input_tensor, ignore_value),
                                  name="indices")
        return SparseTensor(
            indices=indices,
            values=gather_ops.gather_nd(input_tensor, indices, name="values"),
            dense_shape=array_ops.shape(input_tensor, out_type=dtypes.int64,
                                        name="dense_shape"))


def lookup_ids(values, keys, default_value=-1, num_oov_buckets=0, name=None):
    """The index of each of `values` in the list `keys`; a missing value maps to
    `default_value`, or with `num_oov_buckets` to `len(keys) + hash(value) % num_oov_buckets`
    (TF's `index_table_from_tensor(...).lookup`). Returns int64 of `values`' shape.
    """
    with graph_lib.name_scope(name, "hash_table_Lookup", [values]):
        values = convert(values)
        flat = array_ops.reshape(values, [-1])
        num_keys = len(keys)
        keys = constant_op.constant(np.asarray(keys), dtype=values.dtype)
        matches = math_ops.equal(manip_ops.expand_dims(flat, 1), manip_ops.expand_dims(keys, 0))
        found = reduction_ops.reduce_any(matches, axis=1)
        index = reduction_ops.argmax(math_ops.cast(matches, dtypes.int32), axis=1,
                                     output_type=dtypes.int64)
        if num_oov_buckets:
            as_str = flat if values.dtype == dtypes.string else string_ops.as_string(flat)
            missing = hash_ops.string_to_hash_bucket_fast(as_str, num_oov_buckets) + num_keys
        else:
            missing = fill_ops.fill(array_ops.shape(flat), constant_op.constant(
                default_value, dtype=dtypes.int64))
        ids = manip_ops.where(found, index, missing)
        return array_ops.reshape(ids, array_ops.shape(values))


def _prune_invalid_ids(sparse_ids, sparse_weights):
    is_id_valid = math_ops.greater_equal(sparse_ids.values, 0)
    if sparse_weights is not None:
        is_id_valid = math_ops.logical_and(
            is_id_valid, array_ops.ones_like(sparse_weights.values, dtype=dtypes.bool))
    sparse_ids = sparse_structure_ops.sparse_retain(sparse_ids, is_id_valid)
    if sparse_weights is not None:
        sparse_weights = sparse_structure_ops.sparse_retain(sparse_weights, is_id_valid)
    return sparse_ids, sparse_weights


def _prune_invalid_weights(sparse_ids, sparse_weights):
    if sparse_weights is not None:
        is_weights_valid = math_ops.greater(sparse_weights.values, 0)
        sparse_ids = sparse_structure_ops.sparse_retain(sparse_ids, is_weights_valid)
        sparse_weights = sparse_structure_ops.sparse_retain(sparse_weights, is_weights_valid)
    return sparse_ids, sparse_weights


def embedding_lookup_sparse(params, sp_ids, sp_weights, combiner="mean", name=None):
    """The `combiner` ('sum', 'mean' or 'sqrtn') of the rows of `params` each row of the 2-D
    SparseTensor `sp_ids` names, optionally weighted by `sp_weights`; shape [rows, dim].
    """
    if combiner not in ("mean", "sqrtn", "sum"):
        raise ValueError("combiner must be one of 'mean', 'sqrtn' or 'sum'")
    with graph_lib.name_scope(name, "embedding_lookup_sparse", [params, sp_ids.values]):
        segment_ids = math_ops.cast(sp_ids.indices[:, 0], dtypes.int32)
        ids = sp_ids.values
        num_rows = math_ops.cast(sp_ids.dense_shape[0], dtypes.int32)
        if sp_weights is None:
            fn = {"sum": sparse_segment_ops.sparse_segment_sum,
                  "mean": sparse_segment_ops.sparse_segment_mean,
                  "sqrtn": sparse_segment_ops.sparse_segment_sqrt_n}[combiner]
            return fn(params, ids, segment_ids, num_segments=num_rows)
        from tensorflux.ops import segment_ops

        embeddings = array_ops.gather(params, ids)
        weights = math_ops.cast(sp_weights.values, embeddings.dtype)
        embeddings = embeddings * manip_ops.expand_dims(weights, 1)
        total = segment_ops.unsorted_segment_sum(embeddings, segment_ids, num_rows)
        if combiner == "sum":
            return total
        weight_sum = segment_ops.unsorted_segment_sum(weights, segment_ids, num_rows)
        if combiner == "sqrtn":
            weight_sum = math_ops.sqrt(
                segment_ops.unsorted_segment_sum(weights * weights, segment_ids, num_rows))
        return math_ops.div_no_nan(total, manip_ops.expand_dims(weight_sum, 1))


def safe_embedding_lookup_sparse(embedding_weights, sparse_ids, sparse_weights=None,
                                 combiner="mean", default_id=None, name=None):
    """`embedding_lookup_sparse` that drops ids < 0 (and weights <= 0) and gives empty rows a
    zero vector; `sparse_ids` may have rank > 2 (the last dimension is combined).
    """
    with graph_lib.name_scope(name, "embedding_lookup", [embedding_weights, sparse_ids.values]):
        original_shape = sparse_ids.dense_shape
        static_shape = sparse_ids.get_shape()
        batch_shape = original_shape[:-1]
        flat_rows = reduction_ops.reduce_prod(batch_shape)
        sparse_ids = sparse_structure_ops.sparse_reshape(
            sparse_ids, array_ops.stack([flat_rows, original_shape[-1]]))
        if sparse_weights is not None:
            sparse_weights = sparse_structure_ops.sparse_reshape(
                sparse_weights, array_ops.stack([flat_rows, original_shape[-1]]))
        sparse_ids, sparse_weights = _prune_invalid_ids(sparse_ids, sparse_weights)
        if combiner != "sum":
            sparse_ids, sparse_weights = _prune_invalid_weights(sparse_ids, sparse_weights)
        sparse_ids, is_row_empty = sparse_structure_ops.sparse_fill_empty_rows(
            sparse_ids, default_id or 0)
        if sparse_weights is not None:
            sparse_weights, _ = sparse_structure_ops.sparse_fill_empty_rows(sparse_weights, 1.0)
        result = embedding_lookup_sparse(embedding_weights, sparse_ids, sparse_weights,
                                         combiner=combiner)
        if default_id is None:
            empty = array_ops.reshape(is_row_empty, [-1, 1])
            empty = manip_ops.tile(empty, array_ops.stack([1, array_ops.shape(result)[1]]))
            result = manip_ops.where(empty, fill_ops.zeros_like(result), result)
        final_shape = array_ops.concat(
            [math_ops.cast(batch_shape, dtypes.int32), array_ops.shape(result)[1:]], 0)
        result = array_ops.reshape(result, final_shape)
        if static_shape.ndims is not None:
            result.set_shape(static_shape[:-1].concatenate(result.get_shape()[-1:]))
        return result


def _cross_rows(columns, batch_size, num_buckets, hash_key):
    """The hashed crosses of each row (TF's SparseCross, hashed output): every combination
    of one feature per column, the last column varying fastest."""
    import itertools

    from tensorflux.feature_column.fingerprint import feature_hash, fingerprint_cat64

    indices, values = [], []
    modulus = num_buckets if num_buckets > 0 else (1 << 63) - 1
    for row in range(batch_size):
        per_column = [[feature_hash(v) for v in column[row]] for column in columns]
        for j, combo in enumerate(itertools.product(*per_column)):
            hashed = hash_key
            for h in combo:
                hashed = fingerprint_cat64(hashed, h)
            indices.append((row, j))
            values.append(hashed % modulus)
    return indices, values


def sparse_cross_hashed(inputs, num_buckets=0, hash_key=None, name=None):
    """The hashed feature cross of SparseTensors and dense 2-D tensors (TF's
    `sparse_cross_hashed`): ids `FingerprintCat64` of the features' hashes, modulo
    `num_buckets`. As TF's kernel does, sparse inputs are crossed before dense ones.
    """
    from tensorflux.feature_column.fingerprint import SPARSE_FEATURE_CROSS_DEFAULT_HASH_KEY

    hash_key = SPARSE_FEATURE_CROSS_DEFAULT_HASH_KEY if hash_key is None else hash_key
    with graph_lib.name_scope(name, "SparseCross", [x for x in inputs if not is_sparse(x)]):
        sparse_inputs = [x for x in inputs if is_sparse(x)]
        dense_inputs = [convert(x) for x in inputs if not is_sparse(x)]
        flat = []
        for sp in sparse_inputs:
            flat += [sp.indices, sp.values, sp.dense_shape]
        flat += dense_inputs
        n_sparse = len(sparse_inputs)

        def _cross(*arrays):
            columns = []
            batch_size = None
            for k in range(n_sparse):
                idx, vals, shape = arrays[3 * k:3 * k + 3]
                batch_size = int(shape[0])
                rows = [[] for _ in range(batch_size)]
                for (r, _), v in zip(idx, vals):
                    rows[int(r)].append(v)
                columns.append(rows)
            for dense in arrays[3 * n_sparse:]:
                batch_size = dense.shape[0]
                columns.append([list(row) for row in dense.reshape(batch_size, -1)])
            indices, values = _cross_rows(columns, batch_size, num_buckets, hash_key)
            width = max([j + 1 for _, j in indices], default=0)
            return [np.array(indices, np.int64).reshape(-1, 2), np.array(values, np.int64),
                    np.array([batch_size, width], np.int64)]

        indices, values, shape = debug_ops.py_func(
            _cross, flat, [dtypes.int64, dtypes.int64, dtypes.int64], stateful=False)
        indices.set_shape([None, 2])
        values.set_shape([None])
        shape.set_shape([2])
        return SparseTensor(indices, values, shape)
