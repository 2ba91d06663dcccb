"""TensorFlow's DType objects (`tf.float32`, …) and their mapping to numpy dtypes."""

import numpy as np


class DType:
    """A tensor element type, as in TF: `name`, `as_numpy_dtype`, `base_dtype`, predicates.

    Example:
        >>> tf.float32.as_numpy_dtype
        <class 'numpy.float32'>
    """

    __slots__ = ("_name", "_np", "_enum", "_is_ref")

    def __init__(self, name, np_type, enum, is_ref=False):
        self._name = name
        self._np = np_type
        self._enum = enum
        self._is_ref = is_ref

    @property
    def name(self):
        return self._name + ("_ref" if self._is_ref else "")

    @property
    def as_numpy_dtype(self):
        return self._np

    @property
    def as_datatype_enum(self):
        return self._enum + (100 if self._is_ref else 0)

    @property
    def base_dtype(self):
        return _BY_NAME[self._name] if self._is_ref else self

    @property
    def real_dtype(self):
        return {"complex64": float32, "complex128": float64}.get(self._name, self.base_dtype)

    @property
    def is_ref_dtype(self):
        return self._is_ref

    @property
    def _as_ref(self):
        return _REFS[self._name]

    @property
    def is_floating(self):
        return self._name in ("float16", "float32", "float64", "bfloat16")

    @property
    def is_integer(self):
        return self._name in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                              "uint64")

    @property
    def is_unsigned(self):
        return self._name in ("uint8", "uint16", "uint32", "uint64", "bool")

    @property
    def is_bool(self):
        return self._name == "bool"

    @property
    def is_complex(self):
        return self._name in ("complex64", "complex128")

    @property
    def is_numpy_compatible(self):
        return self._name != "resource"

    @property
    def is_quantized(self):
        return self._name in _QUANTIZED_NAMES

    @property
    def min(self):
        if self.is_floating:
            return float(np.finfo(self._np).min)
        if self.is_integer:
            return int(np.iinfo(self._np).min)
        raise TypeError("Cannot find minimum value of %s." % self)

    @property
    def max(self):
        if self.is_floating:
            return float(np.finfo(self._np).max)
        if self.is_integer:
            return int(np.iinfo(self._np).max)
        raise TypeError("Cannot find maximum value of %s." % self)

    @property
    def size(self):
        return np.dtype(self._np).itemsize if self._np is not object else 1

    def is_compatible_with(self, other):
        return as_dtype(other).base_dtype == self.base_dtype

    def __eq__(self, other):
        if other is None:
            return False
        if not isinstance(other, DType):
            try:
                other = as_dtype(other)
            except TypeError:
                return False
        return self._name == other._name and self._is_ref == other._is_ref

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash((self._name, self._is_ref))

    def __repr__(self):
        return "tf." + self.name

    def __str__(self):
        return "<dtype: %r>" % self.name

    def __reduce__(self):
        return as_dtype, (self.name,)


class _BFloat16Tag:
    """numpy has no bfloat16; tensorflux stores bfloat16 values as float32 in memory."""


float16 = DType("float16", np.float16, 19)
half = float16
float32 = DType("float32", np.float32, 1)
float64 = DType("float64", np.float64, 2)
double = float64
bfloat16 = DType("bfloat16", np.float32, 14)
int8 = DType("int8", np.int8, 6)
int16 = DType("int16", np.int16, 5)
int32 = DType("int32", np.int32, 3)
int64 = DType("int64", np.int64, 9)
uint8 = DType("uint8", np.uint8, 4)
uint16 = DType("uint16", np.uint16, 17)
uint32 = DType("uint32", np.uint32, 22)
uint64 = DType("uint64", np.uint64, 23)
bool = DType("bool", np.bool_, 10)  # noqa: A001 - TF's public name
string = DType("string", object, 7)
complex64 = DType("complex64", np.complex64, 8)
complex128 = DType("complex128", np.complex128, 18)
resource = DType("resource", object, 20)
variant = DType("variant", object, 21)
# Quantized types hold their integer codes in the same-width numpy integer type; numpy values
# never convert back to them (an int8 array is tf.int8, not tf.qint8).
qint8 = DType("qint8", np.int8, 11)
quint8 = DType("quint8", np.uint8, 12)
qint32 = DType("qint32", np.int32, 13)
qint16 = DType("qint16", np.int16, 15)
quint16 = DType("quint16", np.uint16, 16)
_QUANTIZED_NAMES = frozenset(["qint8", "quint8", "qint16", "quint16", "qint32"])

_ALL = [float16, float32, float64, bfloat16, int8, int16, int32, int64, uint8, uint16, uint32,
        uint64, bool, string, complex64, complex128, resource, variant, qint8, quint8, qint32,
        qint16, quint16]
_BY_NAME = {d._name: d for d in _ALL}
_REFS = {d._name: DType(d._name, d._np, d._enum, is_ref=True) for d in _ALL}
_BY_ENUM = {d._enum: d for d in _ALL}
_BY_ENUM.update({d._enum + 100: _REFS[d._name] for d in _ALL})
_BY_NP = {np.dtype(d._np): d for d in _ALL
          if d._np is not object and d is not bfloat16 and not d.is_quantized}
_ALIASES = {"half": float16, "float": float32, "double": float64}


def as_dtype(type_value):
    """Converts a DType, numpy dtype, type, enum or name to a `DType`."""
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, str):
        if type_value in _BY_NAME:
            return _BY_NAME[type_value]
        if type_value in _ALIASES:
            return _ALIASES[type_value]
        if type_value.endswith("_ref") and type_value[:-4] in _REFS:
            return _REFS[type_value[:-4]]
    if isinstance(type_value, int) and not isinstance(type_value, type(True)):
        if type_value in _BY_ENUM:
            return _BY_ENUM[type_value]
    if type_value is str or type_value is bytes:
        return string
    if type_value is float:
        return float32
    if type_value is int:
        return int32
    if type_value is type(True):
        return bool
    try:
        npd = np.dtype(type_value)
    except TypeError:
        npd = None
    if npd is not None:
        if npd in _BY_NP:
            return _BY_NP[npd]
        if npd.kind in "OSU":
            return string
    raise TypeError("Cannot convert value %r to a TensorFlow DType." % (type_value,))


def dtype_of_value(value):
    """The DType TF infers for a Python or numpy value (Python floats → float32, ints → int32)."""
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        if value.dtype.kind in "OSU":
            return string
        return as_dtype(value.dtype)
    arr = np.asarray(value)
    if arr.dtype.kind in "OSU":
        return string
    if arr.dtype == np.float64:
        return float32
    if arr.dtype == np.int64:
        if arr.size and (arr.max() > 2**31 - 1 or arr.min() < -(2**31)):
            return int64
        return int32
    return as_dtype(arr.dtype)


QUANTIZED_DTYPES = frozenset([qint8, quint8, qint16, quint16, qint32] +
                             [_REFS[n] for n in sorted(_QUANTIZED_NAMES)])
