"""`tf.bitcast`: reinterpret a tensor's bytes as another dtype (op Bitcast).

Same-size types keep the shape; to a wider type the last dimension (which must equal the size
ratio) is removed; to a narrower type a last dimension of the ratio is added. TF registers no
gradient for Bitcast (tf.gradients raises LookupError through it).
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError

_ALLOWED = ["bfloat16", "float16", "float32", "float64", "int64", "int32", "uint8", "uint16",
            "uint32", "uint64", "int8", "int16", "complex64", "complex128"]
_ALLOWED_TEXT = ", ".join(_ALLOWED + ["qint8", "quint8", "qint16", "quint16", "qint32"])


def _check_type(dtype, param):
    if dtype.base_dtype.name not in _ALLOWED:
        raise TypeError("Value passed to parameter '%s' has DataType %s not in list of allowed "
                        "values: %s" % (param, dtype.base_dtype.name, _ALLOWED_TEXT))


def type_size(dtype):
    """Bytes per element as TF stores it (bfloat16 is 2 bytes even if held as float32)."""
    return 2 if dtype.base_dtype.name == "bfloat16" else dtype.base_dtype.size


def _bitcast_shape(op):
    src, dst = op.inputs[0].dtype.base_dtype, op._attrs["type"]
    shape = op.inputs[0].shape
    in_size, out_size = type_size(src), type_size(dst)
    if in_size == out_size or shape.ndims is None:
        return [(dst, shape if in_size == out_size else tensor_shape.unknown_shape())]
    if in_size > out_size:
        return [(dst, shape.concatenate([in_size // out_size]))]
    if shape.ndims < 1:
        raise ShapeError("Shape must be at least rank 1 but is rank %d" % shape.ndims)
    divisor = out_size // in_size
    last = shape.dims[-1].value
    if last is not None and last != divisor:
        raise ShapeError("Cannot bitcast from %d to %d due to shape. %d does not match %d"
                         % (src.as_datatype_enum, dst.as_datatype_enum, last, divisor))
    return [(dst, tensor_shape.TensorShape(shape.dims[:-1]))]


registry.register("Bitcast", shape=_bitcast_shape, grad=None)


def bitcast(input, type, name=None):  # noqa: A002 - TF's argument names
    """The bytes of `input` read as `type`, without copying or converting values.

    Example:
        >>> b = tf.bitcast(tf.constant([1.0], tf.float32), tf.uint8)  # [[0, 0, 128, 63]]
        >>> b.shape.as_list()
        [1, 4]
    """
    type = dtypes.as_dtype(type)
    with graph_lib.name_scope(name, "Bitcast", [input]) as scope:
        x = convert(input, name="input")
        _check_type(x.dtype, "input")
        _check_type(type, "type")
        return registry.make_tensor("Bitcast", [x], {"T": x.dtype.base_dtype,
                                                     "type": type.base_dtype}, name=scope)


__all__ = ["bitcast"]
