"""Parsing ops: `tf.decode_raw` (`tf.io.decode_raw`), the bytes of a string as numbers,
`tf.decode_csv`, CSV lines as columns, and `tf.parse_example` / `tf.parse_single_example`,
serialized `tf.train.Example` protos as tensors (the feature configurations live in
`ops/parsing_config.py`).

`ParseExample` and `ParseSingleExample` are host ops with TF 1.x's inputs and outputs: the
serialized protos (and, for ParseExample, the example names and one string tensor per sparse
then dense key), then one default tensor per dense key; outputs are the
sparse keys' indices, values and dense shapes, then the dense keys' values. Keys are sorted, as
TF sorts them. Kernels in `backends/numpy/parsing_ops.py`.
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.parsing_config import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
    dense_default,
    split_features,
)
from tensorflux.ops.sparse_tensor import SparseTensor

ND = registry.NOT_DIFFERENTIABLE
_RAW_TYPES = ("float16", "float32", "float64", "int32", "uint16", "uint8", "int16", "int8",
              "int64", "bfloat16", "complex64", "complex128", "bool")


def _decode_raw_shape(op):
    shape = op.inputs[0].get_shape()
    out = tensor_shape.unknown_shape() if shape.ndims is None else shape.concatenate([None])
    return [(op._attrs["out_type"], out)]


registry.register("DecodeRaw", shape=_decode_raw_shape, grad=ND)


def decode_raw(input_bytes=None, out_type=None, little_endian=True, name=None, bytes=None):  # noqa: A002
    """The bytes of each string in `input_bytes` as a vector of `out_type` numbers (a new last
    dimension); every string must hold a whole number of them.

    Example:
        >>> tf.decode_raw(tf.constant(b"\\x01\\x02"), tf.uint8)   # [1, 2]
    """
    if input_bytes is None:
        input_bytes = bytes
    out_type = dtypes.as_dtype(out_type)
    if out_type.name not in _RAW_TYPES:
        raise TypeError("Value passed to parameter 'out_type' has DataType %s not in list of "
                        "allowed values: %s" % (out_type.name, ", ".join(_RAW_TYPES)))
    g = graph_lib._graph_from_values([input_bytes])
    with g.as_default(), g.name_scope(name or "DecodeRaw") as scope:
        input_bytes = convert(input_bytes, dtype=dtypes.string, name="bytes")
        return registry.make_tensor("DecodeRaw", [input_bytes], {
            "out_type": out_type, "little_endian": bool(little_endian)}, name=scope)


def _parse_shape(op, batch):
    """Static shapes of ParseExample (`batch` = the serialized vector's length) or, with `batch`
    False, ParseSingleExample."""
    rank = 1 if batch is False else 2
    n_sparse = len(op._attrs["sparse_types"])
    out = [(dtypes.int64, tensor_shape.TensorShape([None, rank]))] * n_sparse
    out += [(dt, tensor_shape.TensorShape([None])) for dt in op._attrs["sparse_types"]]
    out += [(dtypes.int64, tensor_shape.TensorShape([rank]))] * n_sparse
    lead = [] if batch is False else [batch]
    for dt, shape in zip(op._attrs["Tdense"], op._attrs["dense_shapes"]):
        out.append((dt, tensor_shape.TensorShape(lead + shape.as_list())))
    return out


def _parse_example_shape(op):
    serialized = op.inputs[0].get_shape().with_rank(1)
    return _parse_shape(op, serialized.as_list()[0])


def _parse_single_example_shape(op):
    op.inputs[0].get_shape().with_rank(0)
    return _parse_shape(op, False)


registry.register("ParseExample", shape=_parse_example_shape, grad=ND)
registry.register("ParseSingleExample", shape=_parse_single_example_shape, grad=ND)


def _parse(op_type, serialized, features, name, example_names):
    """Creates the parse op; returns the `{key: Tensor or SparseTensor}` dict."""
    if not features:
        raise ValueError("Missing: features was %s." % features)
    sparse, dense = split_features(features)
    g = graph_lib._graph_from_values([serialized])
    with g.as_default(), g.name_scope(name or op_type) as scope:
        serialized = convert(serialized, dtype=dtypes.string, name="serialized")
        inputs = [serialized]
        attrs = {"sparse_types": [f.dtype for _, f in sparse],
                 "Tdense": [f.dtype for _, f in dense],
                 "dense_shapes": [_dense_shape_attr(f) for _, f in dense]}
        if op_type == "ParseExample":
            # TF 1.x's ParseExample takes its keys as string tensors (one Const per key).
            names = [] if example_names is None else example_names
            inputs.append(convert(names, dtype=dtypes.string, name="names"))
            inputs += [convert(k, dtype=dtypes.string, name="sparse_keys_%d" % i)
                       for i, (k, _) in enumerate(sparse)]
            inputs += [convert(k, dtype=dtypes.string, name="dense_keys_%d" % i)
                       for i, (k, _) in enumerate(dense)]
            attrs.update(Nsparse=len(sparse), Ndense=len(dense))
        else:
            attrs.update(num_sparse=len(sparse), sparse_keys=[k for k, _ in sparse],
                         dense_keys=[k for k, _ in dense])
        inputs += [dense_default(k, f) for k, f in dense]
        outs = registry.make_op(op_type, inputs, attrs, name=scope).outputs
    n = len(sparse)
    result = {}
    for i, (key, _) in enumerate(sparse):
        result[key] = SparseTensor(outs[i], outs[n + i], outs[2 * n + i])
    for i, (key, _) in enumerate(dense):
        result[key] = outs[3 * n + i]
    return result


def _dense_shape_attr(feature):
    """The `dense_shapes` entry: the feature's shape, after an unknown dimension for a
    sequence feature (TF's variable-length marker)."""
    shape = tensor_shape.as_shape(feature.shape).as_list()
    return tensor_shape.TensorShape(
        [None] + shape if isinstance(feature, FixedLenSequenceFeature) else shape)


def parse_example(serialized, features, name=None, example_names=None):
    """Parses a batch (vector) of serialized `tf.train.Example` protos into a dict of tensors:
    a `FixedLenFeature` gives a dense `[batch] + shape` tensor (its default where an example
    lacks it), a `VarLenFeature` a `SparseTensor` of shape `[batch, longest list]`.

    Example:
        >>> parsed = tf.parse_example(serialized, {
        ...     "label": tf.FixedLenFeature([], tf.int64, default_value=-1),
        ...     "bbox": tf.VarLenFeature(tf.float32)})
        >>> parsed["label"]   # int64 [batch]
    """
    return _parse("ParseExample", serialized, features, name, example_names)


def parse_single_example(serialized, features, name=None, example_names=None):
    """Parses one serialized `tf.train.Example` (a scalar string) into a dict of tensors:
    `FixedLenFeature` -> a dense tensor of its shape, `VarLenFeature` -> a 1-D `SparseTensor`.

    Example:
        >>> features = tf.parse_single_example(record, {
        ...     "image/encoded": tf.FixedLenFeature([], tf.string, default_value="")})
        >>> image = tf.image.decode_jpeg(features["image/encoded"], channels=3)
    """
    del example_names  # names only label the errors of a batch
    return _parse("ParseSingleExample", serialized, features, name, None)


_CSV_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64, dtypes.string)


def _decode_csv_shape(op):
    records = op.inputs[0].get_shape()
    for default in op.inputs[1:]:
        if default.get_shape().ndims not in (None, 0, 1):
            raise registry.ShapeError("Shape must be at most rank 1 but is rank %d"
                                      % default.get_shape().ndims)
    return [(t.dtype.base_dtype, records) for t in op.inputs[1:]]


registry.register("DecodeCSV", shape=_decode_csv_shape, grad=ND)


def decode_csv(records, record_defaults, field_delim=",", use_quote_delim=True, name=None,
               na_value="", select_cols=None):
    """Splits CSV lines into columns: one tensor per entry of `record_defaults` (each a list of
    zero or one value that fixes the column's dtype; an empty one makes the column required).

    Example:
        >>> label, x, tag = tf.decode_csv(lines, record_defaults=[[0], [0.0], ["none"]])
    """
    if select_cols is not None and len(select_cols) != len(record_defaults):
        raise ValueError("Length of select_cols and record_defaults do not match.")
    if select_cols is not None and sorted(set(select_cols)) != list(select_cols):
        raise ValueError("select_cols is not strictly increasing.")
    g = graph_lib._graph_from_values([records] + list(record_defaults))
    with g.as_default(), g.name_scope(name or "DecodeCSV") as scope:
        records = convert(records, dtype=dtypes.string, name="records")
        defaults = [convert(d, name="record_defaults_%d" % i)
                    for i, d in enumerate(record_defaults)]
        for d in defaults:
            if d.dtype.base_dtype not in _CSV_TYPES:
                raise TypeError("Value passed to parameter 'record_defaults' has DataType %s "
                                "not in list of allowed values: float32, float64, int32, "
                                "int64, string" % d.dtype.base_dtype.name)
        attrs = {"field_delim": field_delim, "use_quote_delim": bool(use_quote_delim),
                 "na_value": na_value, "select_cols": list(select_cols or [])}
        return registry.make_op("DecodeCSV", [records] + defaults, attrs, name=scope).outputs


__all__ = ["FixedLenFeature", "FixedLenSequenceFeature", "VarLenFeature", "decode_csv",
           "decode_raw", "parse_example", "parse_single_example"]
