"""`tf.make_tensor_proto` and `tf.make_ndarray`: numpy values <-> `TensorProto` messages.

The proto is built as TF's `tensor_util.make_tensor_proto` builds it, so its serialized bytes are
the same: Python floats become float32 and Python ints int32 when they fit (unless a dtype is
given); a value with more than one element, of the given shape and a fixed-width numeric dtype,
goes into `tensor_content` (raw little-endian bytes); anything else (a scalar, a one-element
array, bools, strings, or fewer values than the shape holds) into the typed repeated field.

Example:
    >>> proto = tf.make_tensor_proto([[1., 2.], [3., 4.]])
    >>> tf.make_ndarray(proto)
    array([[1., 2.], [3., 4.]], dtype=float32)
"""

import numbers

import numpy as np

from tensorflux.graph import attr_values, dtypes
from tensorflux.summary.proto import TensorProto, TensorShapeProto
from tensorflux.train import checkpoint_protos

# dtypes whose multi-element values TF writes as `tensor_content`.
_CONTENT_TYPES = frozenset([dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32,
                            dtypes.uint8, dtypes.int16, dtypes.int8, dtypes.int64,
                            dtypes.uint32, dtypes.uint64])
# dtype -> the repeated TensorProto field that holds its values otherwise.
_FIELDS = {dtypes.float32: "float_val", dtypes.float64: "double_val", dtypes.int32: "int_val",
           dtypes.int16: "int_val", dtypes.int8: "int_val", dtypes.uint8: "int_val",
           dtypes.uint16: "int_val", dtypes.int64: "int64_val", dtypes.bool: "bool_val",
           dtypes.float16: "half_val", dtypes.bfloat16: "half_val", dtypes.string: "string_val"}


def _flatten(values):
    if isinstance(values, (list, tuple)):
        for v in values:
            yield from _flatten(v)
    else:
        yield values


def _accepts(dtype, v):
    """Whether a Python element fits `dtype` (TF's `_AssertCompatible` rules)."""
    if dtype.is_integer:
        return isinstance(v, (numbers.Integral, np.integer)) and not isinstance(v, bool)
    if dtype.is_floating:
        return isinstance(v, numbers.Real)
    if dtype.is_complex:
        return isinstance(v, numbers.Number)
    if dtype == dtypes.bool:
        return isinstance(v, (bool, np.bool_))
    if dtype == dtypes.string:
        return isinstance(v, (bytes, str))
    return True


def _assert_compatible(values, dtype):
    for v in _flatten(values):
        if not _accepts(dtype, v):
            raise TypeError("Expected %s, but got %s of type '%s'."
                            % (dtype.name, v, type(v).__name__))


def _as_array(values, dtype, shape):
    """`values` as the numpy array TF would store (see the module docstring)."""
    np_dt = dtype.as_numpy_dtype if dtype is not None and dtype != dtypes.string else None
    if isinstance(values, (np.ndarray, np.generic)):
        return values.astype(np_dt) if np_dt is not None else values
    if values is None:
        raise ValueError("None values not supported.")
    if shape is not None and np.prod(shape, dtype=np.int64) == 0:
        return np.empty(shape, dtype=np_dt)
    if dtype is not None:
        _assert_compatible(values, dtype)
    array = np.array(values, dtype=np_dt)
    if dtype is None and array.dtype == np.float64:
        array = array.astype(np.float32)
    elif dtype is None and array.dtype == np.int64:
        small = array.astype(np.int32)
        if np.array_equal(small, array):
            array = small
    return array


def _check_size(array, shape):
    """(shape, whether the values fill it exactly); TF's error when there are too many."""
    if shape is None:
        return list(array.shape), True
    shape = [int(d) for d in shape]
    size = int(np.prod(shape, dtype=np.int64))
    if array.size > size:
        raise ValueError("Too many elements provided. Takes at most %d, but got %d."
                         % (size, array.size))
    return shape, array.size == size


def _repeated_values(array, dtype, values):
    """The elements for the typed repeated field."""
    flat = array.ravel()
    if dtype == dtypes.string:
        source = flat if isinstance(values, np.ndarray) else list(_flatten(values))
        return [s if isinstance(s, bytes) else str(s).encode("utf-8") for s in source]
    if dtype == dtypes.bfloat16:
        return [int(b) for b in checkpoint_protos.float32_to_bfloat16_bits(flat)]
    if dtype == dtypes.float16:
        return [int(b) for b in flat.astype(np.float16).view(np.uint16)]
    if dtype == dtypes.bool:
        return [bool(b) for b in flat]
    if dtype.is_floating:
        return [float(f) for f in flat]
    return [int(i) for i in flat]


def make_tensor_proto(values, dtype=None, shape=None, verify_shape=False,
                      allow_broadcast=False):
    """A `TensorProto` holding `values` (a numpy array, a nested list or a scalar).

    Args:
        values: The values; a `TensorProto` is returned as it is.
        dtype: The proto's dtype (default: inferred, float64 -> float32, int64 -> int32 when
            the values fit).
        shape: The proto's shape (default: the values' shape). Fewer values than it holds are
            stored as they are; readers repeat the last one (`tf.make_ndarray` does).
        verify_shape: If True, the values' shape must equal `shape`.
        allow_broadcast: If True, a scalar or one-element value may fill any `shape`.

    Raises:
        TypeError: If the values do not fit `dtype`, or cannot be stored in a TensorProto.
        ValueError: For None values, or more values than `shape` holds.

    Example:
        >>> tf.make_tensor_proto(1.0, shape=[2, 3]).float_val
        [1.0]
    """
    if isinstance(values, TensorProto):
        return values
    if verify_shape and allow_broadcast:
        raise ValueError("allow_broadcast and verify_shape are not both allowed.")
    dtype = None if dtype is None else dtypes.as_dtype(dtype).base_dtype
    array = _as_array(values, dtype, shape)
    kind = dtypes.string if array.dtype.kind in "SUO" else dtypes.as_dtype(array.dtype)
    if dtype == dtypes.bfloat16 and kind == dtypes.float32:
        kind = dtypes.bfloat16  # tensorflux holds bfloat16 values as float32
    if dtype is not None and dtype != kind:
        raise TypeError("`dtype` %s is not compatible with %s of dtype %s."
                        % (dtype, values, array.dtype))
    if shape is not None and (verify_shape or allow_broadcast):
        _check_layout(array, shape, verify_shape)
    shape, same_size = _check_size(array, shape)
    proto = TensorProto(dtype=kind.as_datatype_enum, tensor_shape=TensorShapeProto(
        dim=[TensorShapeProto.Dim(size=d) for d in shape]))
    if same_size and kind in _CONTENT_TYPES and array.size > 1:
        little = array.astype(array.dtype.newbyteorder("<"), copy=False)
        proto.tensor_content = np.ascontiguousarray(little).tobytes()
        return proto
    if kind not in _FIELDS:
        raise TypeError("Element type not supported in TensorProto: %s." % kind.name)
    setattr(proto, _FIELDS[kind], _repeated_values(array, kind, values))
    return proto


def _check_layout(array, shape, verify_shape):
    """TF's checks for `verify_shape` / `allow_broadcast`."""
    shape = tuple(int(d) for d in shape)
    if verify_shape and array.shape != shape:
        raise TypeError("Expected Tensor's shape: %s, but got %s." % (shape, array.shape))
    broadcastable = array.shape in ((1,), ())
    if not verify_shape and not broadcastable and array.size != int(np.prod(shape)):
        raise TypeError("Expected Tensor's shape: %s, but got %s." % (shape, array.shape))


def make_ndarray(tensor):
    """The numpy value of a `TensorProto` (strings as an object array of bytes).

    Example:
        >>> tf.make_ndarray(tf.make_tensor_proto([1, 2]))
        array([1, 2], dtype=int32)
    """
    return attr_values.tensor_proto_to_ndarray(tensor)
