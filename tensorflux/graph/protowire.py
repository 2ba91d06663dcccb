"""Protocol-buffer wire format by hand: varints, field keys, and a generic field decoder.

Checkpoints, GraphDefs and event files are protobuf messages. tensorflux encodes and decodes
the few messages it needs directly, without the `protobuf` package, using these helpers.

Encoding follows proto3 conventions: callers decide which fields to omit (a proto3 writer
skips zero scalars but always emits a set sub-message, even an empty one).

Example:
    >>> buf = encode_varint_field(1, 150) + encode_bytes_field(2, b"hi")
    >>> buf.hex()
    '08960112026869'
    >>> [(n, w, v) for n, w, v in iter_fields(buf)]
    [(1, 0, 150), (2, 2, b'hi')]
"""

import struct

WIRE_VARINT = 0
WIRE_FIXED64 = 1
WIRE_LEN = 2
WIRE_START_GROUP = 3
WIRE_END_GROUP = 4
WIRE_FIXED32 = 5

_MASK64 = (1 << 64) - 1


def encode_varint(value):
    """Encodes an integer as a base-128 varint.

    Negative values are encoded as their 64-bit two's complement (10 bytes), as protobuf
    does for `int32`/`int64` fields.

    Args:
        value: An int in [-2**63, 2**64).

    Returns:
        The varint bytes.

    Example:
        >>> encode_varint(300)
        b'\\xac\\x02'
    """
    if value < 0:
        value &= _MASK64
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def decode_varint(buf, pos=0):
    """Decodes a varint starting at `buf[pos]`.

    Args:
        buf: A bytes-like object.
        pos: Offset of the first byte.

    Returns:
        `(value, next_pos)` with `value` unsigned (see `to_signed64`).

    Raises:
        ValueError: If the varint is truncated or longer than 10 bytes.

    Example:
        >>> decode_varint(b"\\xac\\x02")
        (300, 2)
    """
    result = 0
    shift = 0
    end = len(buf)
    while True:
        if pos >= end:
            raise ValueError("truncated varint")
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result & _MASK64, pos
        shift += 7
        if shift >= 70:
            raise ValueError("varint longer than 10 bytes")


def to_signed64(value):
    """Reinterprets an unsigned 64-bit varint value as a signed `int64`.

    Example:
        >>> to_signed64(2**64 - 1)
        -1
    """
    value &= _MASK64
    return value - (1 << 64) if value >= 1 << 63 else value


def to_signed32(value):
    """Reinterprets a decoded varint as a signed `int32` (protobuf truncates to 32 bits)."""
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def field_key(field_number, wire_type):
    """Returns the encoded key (tag) of a field.

    Example:
        >>> field_key(6, WIRE_FIXED32)
        b'5'
    """
    return encode_varint((field_number << 3) | wire_type)


def encode_varint_field(field_number, value):
    """Encodes an integer, bool or enum field (wire type 0)."""
    return field_key(field_number, WIRE_VARINT) + encode_varint(int(value))


def encode_bytes_field(field_number, data):
    """Encodes a length-delimited field: bytes, a UTF-8 string, a sub-message or a packed list."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return field_key(field_number, WIRE_LEN) + encode_varint(len(data)) + bytes(data)


def encode_fixed32_field(field_number, value):
    """Encodes a `fixed32` field (4 bytes little-endian, unsigned)."""
    return field_key(field_number, WIRE_FIXED32) + struct.pack("<I", value & 0xFFFFFFFF)


def encode_fixed64_field(field_number, value):
    """Encodes a `fixed64` field (8 bytes little-endian, unsigned)."""
    return field_key(field_number, WIRE_FIXED64) + struct.pack("<Q", value & _MASK64)


def encode_float_field(field_number, value):
    """Encodes a `float` field (IEEE single, wire type 5)."""
    return field_key(field_number, WIRE_FIXED32) + struct.pack("<f", value)


def encode_double_field(field_number, value):
    """Encodes a `double` field (IEEE double, wire type 1)."""
    return field_key(field_number, WIRE_FIXED64) + struct.pack("<d", value)


def iter_fields(buf, wire_types=None):
    """Decodes a serialized message into its fields, in the order they appear.

    Varint values are unsigned ints (see `to_signed64`); fixed32/fixed64 values are unsigned
    ints (reinterpret with `struct` for floats); length-delimited values are `bytes`.

    Args:
        buf: A serialized message (bytes-like).
        wire_types: Optional `{field_number: wire type or tuple of wire types}`; a listed
            field arriving with another wire type raises ValueError, so a decoder never
            mistakes an int for a sub-message. Unlisted fields are not checked.

    Yields:
        `(field_number, wire_type, value)` tuples.

    Raises:
        ValueError: If the message is truncated or uses an unknown or group wire type.

    Example:
        >>> list(iter_fields(b"\\x08\\x01\\x12\\x00"))
        [(1, 0, 1), (2, 2, b'')]
    """
    if not isinstance(buf, bytes):
        try:
            buf = memoryview(buf).cast("B")
        except TypeError:
            raise ValueError(f"expected a serialized message, got {type(buf).__name__}") from None
    pos = 0
    end = len(buf)
    while pos < end:
        key, pos = decode_varint(buf, pos)
        field_number, wire_type = key >> 3, key & 7
        if field_number == 0:
            raise ValueError("invalid field number 0")
        if wire_types is not None and field_number in wire_types:
            allowed = wire_types[field_number]
            if wire_type != allowed and wire_type not in (allowed if isinstance(allowed, tuple)
                                                          else ()):
                raise ValueError(f"field {field_number} has wire type {wire_type}, expected "
                                 f"{allowed}")
        if wire_type == WIRE_VARINT:
            value, pos = decode_varint(buf, pos)
        elif wire_type == WIRE_LEN:
            length, pos = decode_varint(buf, pos)
            if pos + length > end:
                raise ValueError(f"field {field_number} runs past the end of the message")
            value = bytes(buf[pos:pos + length])
            pos += length
        elif wire_type in (WIRE_FIXED32, WIRE_FIXED64):
            size = 4 if wire_type == WIRE_FIXED32 else 8
            if pos + size > end:
                raise ValueError(f"field {field_number} runs past the end of the message")
            value = int.from_bytes(buf[pos:pos + size], "little")
            pos += size
        else:
            raise ValueError(f"unsupported wire type {wire_type} in field {field_number}")
        yield field_number, wire_type, value


def decode_packed_varints(data):
    """Decodes the payload of a packed repeated varint field into a list of unsigned ints."""
    values = []
    pos = 0
    while pos < len(data):
        value, pos = decode_varint(data, pos)
        values.append(value)
    return values
