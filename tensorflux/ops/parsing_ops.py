"""Parsing ops: `tf.decode_raw` (`tf.io.decode_raw`), the bytes of a string as numbers.

Kernels in `backends/numpy/parsing_ops.py`.
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import registry
from tensorflux.ops._helpers import convert

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


__all__ = ["decode_raw"]
