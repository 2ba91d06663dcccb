"""TF's DataType table and the few checkpoint protos, encoded and decoded by hand.

Messages (tensor_bundle.proto, tensor_shape.proto, tensor_slice.proto, tensor.proto):
    BundleHeaderProto { int32 num_shards = 1; Endianness endianness = 2; VersionDef version = 3; }
    BundleEntryProto  { DataType dtype = 1; TensorShapeProto shape = 2; int32 shard_id = 3;
                        int64 offset = 4; int64 size = 5; fixed32 crc32c = 6;
                        repeated TensorSliceProto slices = 7; }
    TensorShapeProto  { repeated Dim dim = 2 { int64 size = 1; string name = 2; };
                        bool unknown_rank = 3; }
    TensorSliceProto  { repeated Extent extent = 1 { int64 start = 1; int64 length = 2; }; }
    TensorProto       { DataType dtype = 1; TensorShapeProto tensor_shape = 2;
                        bytes tensor_content = 4; typed repeated *_val fields 5..17 }

Encoders emit exactly what TF's C++ proto3 serializer does (fields in number order, zero
scalars omitted, set sub-messages kept even when empty), which byte-identity depends on.
Decoders raise `ValueError`; callers turn it into a `DataLossError` naming the file.
"""

import struct
from dataclasses import dataclass, field

import numpy as np

from tensorflux.graph import protowire as pw

# (DataType enum, TF dtype name, little-endian numpy dtype or None when not a plain array).
_DTYPE_TABLE = [
    (1, "float32", "<f4"), (2, "float64", "<f8"), (3, "int32", "<i4"), (4, "uint8", "u1"),
    (5, "int16", "<i2"), (6, "int8", "i1"), (7, "string", None), (8, "complex64", "<c8"),
    (9, "int64", "<i8"), (10, "bool", "?"), (11, "qint8", "i1"), (12, "quint8", "u1"),
    (13, "qint32", "<i4"), (14, "bfloat16", "<u2"), (15, "qint16", "<i2"),
    (16, "quint16", "<u2"), (17, "uint16", "<u2"), (18, "complex128", "<c16"),
    (19, "float16", "<f2"), (20, "resource", None), (21, "variant", None),
    (22, "uint32", "<u4"), (23, "uint64", "<u8"),
]
DT_STRING = 7
DT_BFLOAT16 = 14
DTYPE_NAMES = {enum: name for enum, name, _ in _DTYPE_TABLE}
DTYPE_ENUMS = {name: enum for enum, name, _ in _DTYPE_TABLE}
STORAGE_DTYPES = {enum: np.dtype(np_dtype) for enum, _, np_dtype in _DTYPE_TABLE if np_dtype}
# The DataType a plain numpy array is saved as (quantized types and bfloat16 need a tag).
NUMPY_TO_ENUM = {
    np.dtype(np.float32): 1, np.dtype(np.float64): 2, np.dtype(np.int32): 3,
    np.dtype(np.uint8): 4, np.dtype(np.int16): 5, np.dtype(np.int8): 6,
    np.dtype(np.complex64): 8, np.dtype(np.int64): 9, np.dtype(np.bool_): 10,
    np.dtype(np.uint16): 17, np.dtype(np.complex128): 18, np.dtype(np.float16): 19,
    np.dtype(np.uint32): 22, np.dtype(np.uint64): 23,
}

_KTENSOR_BUNDLE_VERSION = 1

# Expected wire types of each message's fields, so malformed input fails cleanly.
_V, _L, _F32, _F64 = pw.WIRE_VARINT, pw.WIRE_LEN, pw.WIRE_FIXED32, pw.WIRE_FIXED64
SHAPE_WIRE = {2: _L, 3: _V}
DIM_WIRE = {1: _V, 2: _L}
SLICE_WIRE = {1: _L}
EXTENT_WIRE = {1: _V, 2: _V}
HEADER_WIRE = {1: _V, 2: _V, 3: _L}
VERSION_WIRE = {1: _V, 2: _V, 3: (_V, _L)}
ENTRY_WIRE = {1: _V, 2: _L, 3: _V, 4: _V, 5: _V, 6: _F32, 7: _L}
TENSOR_WIRE = {1: _V, 2: _L, 4: _L, 5: (_L, _F32), 6: (_L, _F64), 7: (_L, _V), 8: _L,
               9: (_L, _F32), 10: (_L, _V), 11: (_L, _V), 12: (_L, _F64), 13: (_L, _V),
               16: (_L, _V), 17: (_L, _V)}


def dtype_name(enum):
    """Returns TF's name for a DataType enum value, e.g. 1 -> "float32"."""
    return DTYPE_NAMES.get(enum, f"unknown_dtype_{enum}")


def bfloat16_bits_to_float32(bits):
    """Widens raw bfloat16 bit patterns (uint16) to float32, exactly."""
    return (np.asarray(bits, dtype=np.uint16).astype(np.uint32) << 16).view(np.float32)


def float32_to_bfloat16_bits(values):
    """Rounds float32 values to bfloat16 (nearest, ties to even) and returns the uint16 bits."""
    bits = np.asarray(values, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)
    nan = np.isnan(np.asarray(values, dtype=np.float32))
    # A NaN must stay NaN; rounding could carry its payload into the exponent of an infinity.
    return np.where(nan, (bits >> 16).astype(np.uint16) | 0x0040, rounded)


# ----------------------------------------------------------------------------------- encoding
def encode_shape(dims):
    """Encodes a TensorShapeProto for a fully known shape."""
    out = b""
    for size in dims:
        dim = pw.encode_varint_field(1, size) if size else b""
        out += pw.encode_bytes_field(2, dim)
    return out


def encode_header(num_shards=1):
    """Encodes the BundleHeaderProto TF writes: little-endian, `version { producer: 1 }`."""
    version = pw.encode_varint_field(1, _KTENSOR_BUNDLE_VERSION)
    return pw.encode_varint_field(1, num_shards) + pw.encode_bytes_field(3, version)


def encode_entry(dtype, shape, offset, size, masked_crc, shard_id=0):
    """Encodes a BundleEntryProto for one tensor stored whole in a data shard."""
    out = pw.encode_varint_field(1, dtype) if dtype else b""
    out += pw.encode_bytes_field(2, encode_shape(shape))
    for number, value in ((3, shard_id), (4, offset), (5, size)):
        if value:
            out += pw.encode_varint_field(number, value)
    if masked_crc:
        out += pw.encode_fixed32_field(6, masked_crc)
    return out


# ----------------------------------------------------------------------------------- decoding
@dataclass
class BundleHeader:
    """A decoded BundleHeaderProto."""

    num_shards: int = 0
    endianness: int = 0  # 0 = little, 1 = big
    producer: int = 0
    min_consumer: int = 0
    bad_consumers: list = field(default_factory=list)


@dataclass
class BundleEntry:
    """A decoded BundleEntryProto; `slices` holds extents lists of partitioned tensors."""

    dtype: int = 0
    shape: tuple = ()
    shard_id: int = 0
    offset: int = 0
    size: int = 0
    crc32c: int = 0
    slices: list = field(default_factory=list)


def decode_shape(buf):
    """Decodes a TensorShapeProto into a tuple of dim sizes (-1 = unknown)."""
    dims = []
    for number, _, value in pw.iter_fields(buf, SHAPE_WIRE):
        if number == 2:
            size = 0
            for dim_number, _, dim_value in pw.iter_fields(value, DIM_WIRE):
                if dim_number == 1:
                    size = pw.to_signed64(dim_value)
            dims.append(size)
        elif number == 3 and value:
            raise ValueError("checkpoint tensor has unknown rank")
    return tuple(dims)


def decode_slice(buf):
    """Decodes a TensorSliceProto into `[(start, length or None for "all"), ...]`."""
    extents = []
    for number, _, value in pw.iter_fields(buf, SLICE_WIRE):
        if number == 1:
            start, length = 0, None
            for ext_number, _, ext_value in pw.iter_fields(value, EXTENT_WIRE):
                if ext_number == 1:
                    start = pw.to_signed64(ext_value)
                elif ext_number == 2:
                    length = pw.to_signed64(ext_value)
            extents.append((start, length))
    return extents


def decode_header(buf):
    """Decodes a BundleHeaderProto."""
    header = BundleHeader()
    for number, _, value in pw.iter_fields(buf, HEADER_WIRE):
        if number == 1:
            header.num_shards = pw.to_signed32(value)
        elif number == 2:
            header.endianness = value
        elif number == 3:
            for v_number, wire, v_value in pw.iter_fields(value, VERSION_WIRE):
                if v_number == 1:
                    header.producer = pw.to_signed32(v_value)
                elif v_number == 2:
                    header.min_consumer = pw.to_signed32(v_value)
                elif v_number == 3:
                    packed = wire == pw.WIRE_LEN
                    values = pw.decode_packed_varints(v_value) if packed else [v_value]
                    header.bad_consumers += [pw.to_signed32(v) for v in values]
    return header


def decode_entry(buf):
    """Decodes a BundleEntryProto."""
    entry = BundleEntry()
    for number, _, value in pw.iter_fields(buf, ENTRY_WIRE):
        if number == 1:
            entry.dtype = value
        elif number == 2:
            entry.shape = decode_shape(value)
        elif number == 3:
            entry.shard_id = pw.to_signed32(value)
        elif number == 4:
            entry.offset = pw.to_signed64(value)
        elif number == 5:
            entry.size = pw.to_signed64(value)
        elif number == 6:
            entry.crc32c = value
        elif number == 7:
            entry.slices.append(decode_slice(value))
    return entry


# TensorProto field holding each dtype's values when `tensor_content` is absent, and how
# the repeated values are encoded: (field number, struct code or "varint").
_TYPED_FIELDS = {
    1: (5, "f"), 2: (6, "d"), 3: (7, "varint"), 4: (7, "varint"), 5: (7, "varint"),
    6: (7, "varint"), 7: (8, "bytes"), 8: (9, "f"), 9: (10, "varint"), 10: (11, "varint"),
    11: (7, "varint"), 12: (7, "varint"), 13: (7, "varint"), 14: (13, "varint"),
    15: (7, "varint"), 16: (7, "varint"), 17: (7, "varint"), 18: (12, "d"),
    19: (13, "varint"), 22: (16, "varint"), 23: (17, "varint"),
}


def _repeated_values(fields, number, kind):
    values = []
    for field_number, wire, value in fields:
        if field_number != number:
            continue
        if kind == "bytes":
            values.append(value)
        elif wire == pw.WIRE_LEN and kind == "varint":
            values += pw.decode_packed_varints(value)
        elif wire == pw.WIRE_LEN:
            width = struct.calcsize(kind)
            if len(value) % width:
                raise ValueError(f"packed field {number} is not a whole number of values")
            values += struct.unpack(f"<{len(value) // width}{kind}", value)
        elif kind == "varint":
            values.append(value)
        else:  # one unpacked fixed-width value, delivered as an unsigned int
            width = 4 if kind == "f" else 8
            values += struct.unpack(f"<{kind}", value.to_bytes(width, "little"))
    return values


def decode_tensor_proto(buf, dtype=0, shape=()):
    """Decodes a TensorProto into `(dtype_enum, numpy array)`.

    Values come from `tensor_content` when present, else from the typed repeated field; as
    in TF, a short list is padded with its last value (an empty one with zeros). Strings
    come back as an object array of `bytes`, bfloat16 as its raw uint16 bits.

    Args:
        buf: The serialized TensorProto.
        dtype: DataType to assume when the proto has none (V1 slices store only values).
        shape: Shape to assume when the proto has none.
    """
    fields = list(pw.iter_fields(buf, TENSOR_WIRE))
    content = None
    for number, _, value in fields:
        if number == 1:
            dtype = value
        elif number == 2:
            shape = decode_shape(value)
        elif number == 4:
            content = value
    count = int(np.prod(shape, dtype=np.int64))
    if dtype not in _TYPED_FIELDS:
        raise ValueError(f"cannot decode a TensorProto of dtype {dtype_name(dtype)}")
    if content is not None and dtype != DT_STRING:
        array = np.frombuffer(content, dtype=STORAGE_DTYPES[dtype])
        if array.size != count:
            raise ValueError(f"tensor_content holds {array.size} values, shape {shape} needs "
                             f"{count}")
        return dtype, array.reshape(shape).astype(array.dtype.newbyteorder("="))
    number, kind = _TYPED_FIELDS[dtype]
    values = _repeated_values(fields, number, kind)
    if dtype in (8, 18):  # complex values are stored as (real, imag) pairs
        values = [complex(r, i) for r, i in zip(values[0::2], values[1::2])]
    if len(values) > count:
        raise ValueError(f"TensorProto holds {len(values)} values, shape {shape} needs {count}")
    if dtype == DT_STRING:
        array = np.empty(count, dtype=object)
        array[:len(values)] = values
        array[len(values):] = values[-1] if values else b""
        return dtype, array.reshape(shape)
    # half_val holds float16 bit patterns, so parse half like bfloat16 and reinterpret after.
    np_dtype = np.dtype("<u2") if dtype == 19 else STORAGE_DTYPES[dtype]
    if kind == "varint":
        # Varints arrive as unsigned 64-bit patterns; keep the low bits of the target type.
        raw = np.array(values, dtype=np.uint64)
        values = raw != 0 if np_dtype.kind == "b" else raw.astype(np_dtype.newbyteorder("="))
    array = np.zeros(count, dtype=np_dtype)
    if len(values):
        array[:len(values)] = values
        array[len(values):] = array[len(values) - 1]
    if dtype == 19:
        array = array.view("<f2")
    return dtype, array.reshape(shape)
