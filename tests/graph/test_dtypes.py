"""DType objects: names, numpy mapping, predicates, limits, reference types, conversion."""

import pickle

import numpy as np
import pytest

import tensorflux as tf

ALL = [
    # (dtype, name, numpy type, enum)
    (tf.float16, "float16", np.float16, 19),
    (tf.float32, "float32", np.float32, 1),
    (tf.float64, "float64", np.float64, 2),
    (tf.int8, "int8", np.int8, 6),
    (tf.int16, "int16", np.int16, 5),
    (tf.int32, "int32", np.int32, 3),
    (tf.int64, "int64", np.int64, 9),
    (tf.uint8, "uint8", np.uint8, 4),
    (tf.uint16, "uint16", np.uint16, 17),
    (tf.uint32, "uint32", np.uint32, 22),
    (tf.uint64, "uint64", np.uint64, 23),
    (tf.bool, "bool", np.bool_, 10),
    (tf.complex64, "complex64", np.complex64, 8),
    (tf.complex128, "complex128", np.complex128, 18),
    (tf.string, "string", object, 7),
]


@pytest.mark.parametrize("dtype,name,np_type,enum", ALL, ids=[a[1] for a in ALL])
def test_dtype_identity(dtype, name, np_type, enum):
    assert dtype.name == name
    assert dtype.as_numpy_dtype is np_type
    assert dtype.as_datatype_enum == enum
    assert tf.as_dtype(name) is dtype
    assert tf.as_dtype(enum) is dtype
    assert dtype.base_dtype is dtype
    assert repr(dtype) == "tf." + name
    assert str(dtype) == "<dtype: '%s'>" % name
    assert dtype == name
    assert pickle.loads(pickle.dumps(dtype)) == dtype
    if np_type is not object:
        assert tf.as_dtype(np_type) is dtype
        assert tf.as_dtype(np.dtype(np_type)) is dtype


def test_aliases():
    assert tf.half is tf.float16
    assert tf.double is tf.float64
    assert tf.as_dtype("float") is tf.float32
    assert tf.as_dtype("double") is tf.float64
    assert tf.as_dtype(float) is tf.float32
    assert tf.as_dtype(int) is tf.int32
    assert tf.as_dtype(bool) is tf.bool
    assert tf.as_dtype(str) is tf.string
    assert tf.as_dtype(tf.float32) is tf.float32


def test_as_dtype_rejects_unknown():
    with pytest.raises(TypeError, match="Cannot convert"):
        tf.as_dtype("nope")
    with pytest.raises(TypeError):
        tf.as_dtype(12345)


def test_predicates():
    assert tf.float32.is_floating and not tf.float32.is_integer
    assert tf.int32.is_integer and not tf.int32.is_floating
    assert tf.bool.is_bool
    assert tf.complex64.is_complex and not tf.complex64.is_floating
    assert tf.uint8.is_unsigned and not tf.int8.is_unsigned
    assert tf.float64.is_compatible_with(tf.float64)
    assert not tf.float64.is_compatible_with(tf.float32)


def test_limits():
    assert (tf.int8.min, tf.int8.max) == (-128, 127)
    assert (tf.uint8.min, tf.uint8.max) == (0, 255)
    assert tf.int32.max == 2**31 - 1
    assert tf.float16.max == 65504.0
    assert tf.float32.min == -tf.float32.max
    with pytest.raises(TypeError, match="Cannot find minimum value of"):
        tf.bool.min  # noqa: B018
    with pytest.raises(TypeError, match="Cannot find maximum value of"):
        tf.string.max  # noqa: B018


def test_sizes_and_real_dtype():
    assert tf.float64.size == 8
    assert tf.int16.size == 2
    assert tf.complex64.real_dtype is tf.float32
    assert tf.complex128.real_dtype is tf.float64
    assert tf.float32.real_dtype is tf.float32


def test_reference_dtypes():
    ref = tf.float32._as_ref
    assert ref.name == "float32_ref"
    assert ref.is_ref_dtype
    assert ref.base_dtype is tf.float32
    assert ref != tf.float32
    assert tf.float32.is_compatible_with(ref)
    assert tf.as_dtype("float32_ref") == ref
    assert ref.as_datatype_enum == 101


def test_dtype_is_hashable():
    assert len({tf.float32, tf.as_dtype("float32"), tf.float64}) == 2
    assert {tf.float32: 1}[tf.as_dtype(np.float32)] == 1
