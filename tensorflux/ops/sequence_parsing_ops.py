"""`tf.parse_single_sequence_example` and `tf.io.parse_sequence_example`: serialized
`tf.train.SequenceExample` protos into context features and per-step feature lists
(TF 1.x's `ParseSingleSequenceExample` / `ParseSequenceExample` ops; the keys are attributes).

Context features are `FixedLenFeature` (dense) or `VarLenFeature` (SparseTensor), as in
`parse_example`. Sequence features are `FixedLenSequenceFeature` (dense `[steps] + shape`;
batched: padded with zeros to the longest example, plus each example's length) or
`VarLenFeature` (a SparseTensor `[steps, longest step]`, batched `[batch, steps, longest]`).
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, constant_op, registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.parsing_config import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
    dense_default,
    split_features,
)
from tensorflux.ops.registry import NOT_DIFFERENTIABLE as ND
from tensorflux.ops.sparse_tensor import SparseTensor

TS = tensor_shape.TensorShape


def _counts(attrs):
    return (len(attrs["context_sparse_keys"]), len(attrs["context_dense_keys"]),
            len(attrs["feature_list_sparse_keys"]), len(attrs["feature_list_dense_keys"]))


def _sequence_shape(op):
    """Outputs: context sparse (indices, values, shapes), context dense, feature-list sparse
    (indices, values, shapes), feature-list dense, and (batched) the dense lengths."""
    a = op._attrs
    batched = op.type == "ParseSequenceExample"
    serialized = op.inputs[0].shape
    want = 1 if batched else 0
    if serialized.ndims is not None and serialized.ndims != want:
        raise registry.ShapeError("Shape must be rank %d but is rank %d"
                                  % (want, serialized.ndims))
    batch = [serialized[0].value if serialized.ndims else None] if batched else []
    n_cs, _, n_fs, _ = _counts(a)
    i64 = dtypes.int64
    out = [(i64, TS([None, 1 + len(batch)]))] * n_cs
    out += [(t, TS([None])) for t in a["context_sparse_types"]]
    out += [(i64, TS([1 + len(batch)]))] * n_cs
    out += [(t, TS(batch + s.as_list())) for t, s in zip(a["Tcontext_dense"],
                                                          a["context_dense_shapes"])]
    out += [(i64, TS([None, 2 + len(batch)]))] * n_fs
    out += [(t, TS([None])) for t in a["feature_list_sparse_types"]]
    out += [(i64, TS([2 + len(batch)]))] * n_fs
    out += [(t, TS(batch + [None] + s.as_list()))
            for t, s in zip(a["feature_list_dense_types"], a["feature_list_dense_shapes"])]
    if batched:
        out += [(i64, TS(batch))] * len(a["feature_list_dense_keys"])
    return out


registry.register("ParseSingleSequenceExample", shape=_sequence_shape, grad=ND)
registry.register("ParseSequenceExample", shape=_sequence_shape, grad=ND)


def _split_sequence(features):
    """Sorted `(key, feature)` lists (VarLen, FixedLenSequence) of the sequence features."""
    sparse, dense = [], []
    for key in sorted(features or {}):
        f = features[key]
        if isinstance(f, VarLenFeature):
            sparse.append((key, VarLenFeature(dtypes.as_dtype(f.dtype))))
        elif isinstance(f, FixedLenSequenceFeature):
            if f.default_value is not None:
                raise ValueError("Value feature_list.dense_defaults[%s] must be None" % key)
            shape = tensor_shape.as_shape(f.shape)
            if not shape.is_fully_defined():
                raise ValueError("Missing shape for feature %s." % key)
            dense.append((key, f._replace(dtype=dtypes.as_dtype(f.dtype),
                                          shape=shape.as_list())))
        else:
            raise ValueError("Invalid feature %s:%s." % (key, f))
    return sparse, dense


def _check_context(features):
    for key, f in (features or {}).items():
        if isinstance(f, FixedLenSequenceFeature):
            raise ValueError("Invalid feature %s:%s." % (key, f))
    return split_features(features or {})


def _parse(op_type, serialized, context_features, sequence_features, names, name):
    if not context_features and not sequence_features:
        raise ValueError("Both context_features and sequence_features are None, but at least "
                         "one should have values.")
    c_sparse, c_dense = _check_context(context_features)
    f_sparse, f_dense = _split_sequence(sequence_features)
    g = graph_lib._graph_from_values([serialized])
    with g.as_default(), g.name_scope(name or op_type) as scope:
        serialized = convert(serialized, dtype=dtypes.string, name="serialized")
        names = convert(names, dtype=dtypes.string, name="debug_name")
        defaults = [dense_default(k, f) for k, f in c_dense]
        f_pads = [constant_op.convert_to_tensor(b"" if f.dtype == dtypes.string else 0,
                                                dtype=f.dtype, name="padding_%s" % k)
                  for k, f in f_dense]
        attrs = {
            "context_sparse_keys": [k for k, _ in c_sparse],
            "context_dense_keys": [k for k, _ in c_dense],
            "feature_list_sparse_keys": [k for k, _ in f_sparse],
            "feature_list_dense_keys": [k for k, _ in f_dense],
            "feature_list_dense_missing_assumed_empty": [
                k for k, f in f_dense if f.allow_missing],
            "context_sparse_types": [f.dtype for _, f in c_sparse],
            "Tcontext_dense": [f.dtype for _, f in c_dense],
            "context_dense_shapes": [TS(f.shape) for _, f in c_dense],
            "feature_list_sparse_types": [f.dtype for _, f in f_sparse],
            "feature_list_dense_types": [f.dtype for _, f in f_dense],
            "feature_list_dense_shapes": [TS(f.shape) for _, f in f_dense],
        }
        outs = registry.make_op(op_type, [serialized, names] + defaults + f_pads, attrs,
                                name=scope).outputs
    pos = 0

    def take(n):
        nonlocal pos
        pos += n
        return outs[pos - n:pos]

    def sparse_dict(keys):
        ind, val, shp = take(len(keys)), take(len(keys)), take(len(keys))
        return {k: SparseTensor(i, v, s) for k, i, v, s in zip(keys, ind, val, shp)}

    context = sparse_dict(attrs["context_sparse_keys"])
    context.update(zip(attrs["context_dense_keys"], take(len(c_dense))))
    feature_lists = sparse_dict(attrs["feature_list_sparse_keys"])
    feature_lists.update(zip(attrs["feature_list_dense_keys"], take(len(f_dense))))
    lengths = dict(zip(attrs["feature_list_dense_keys"], outs[pos:]))
    return context, feature_lists, lengths


def parse_single_sequence_example(serialized, context_features=None, sequence_features=None,
                                  example_name=None, name=None):
    """Parses one serialized `SequenceExample` (a scalar string) into
    `(context dict, feature_lists dict)`.

    Example:
        >>> context, steps = tf.parse_single_sequence_example(record,
        ...     context_features={"length": tf.FixedLenFeature([], tf.int64)},
        ...     sequence_features={"tokens": tf.FixedLenSequenceFeature([], tf.int64)})
    """
    names = b"" if example_name is None else example_name
    context, feature_lists, _ = _parse("ParseSingleSequenceExample", serialized,
                                       context_features, sequence_features, names, name)
    return context, feature_lists


def parse_sequence_example(serialized, context_features=None, sequence_features=None,
                           example_names=None, name=None):
    """Parses a batch (vector) of serialized `SequenceExample`s into
    `(context dict, feature_lists dict, lengths dict)`: dense sequence features are padded to
    the batch's longest, and `lengths[key]` is each example's number of steps.

    Example:
        >>> context, steps, lengths = tf.io.parse_sequence_example(records,
        ...     sequence_features={"tokens": tf.FixedLenSequenceFeature([], tf.int64)})
    """
    names = [] if example_names is None else example_names
    if not isinstance(names, (list, tuple)) or names:
        names = array_ops.reshape(convert(names, dtype=dtypes.string), [-1])
    return _parse("ParseSequenceExample", serialized, context_features, sequence_features,
                  names, name)


__all__ = ["FixedLenFeature", "parse_sequence_example", "parse_single_sequence_example"]
