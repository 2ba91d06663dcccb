"""Tests for the hand-written protobuf wire-format helpers."""

import pytest

from tensorflux.graph import protowire as pw


@pytest.mark.parametrize("value, encoded", [
    (0, "00"), (1, "01"), (127, "7f"), (128, "8001"), (300, "ac02"),
    (2**64 - 1, "ffffffffffffffffff01"), (-1, "ffffffffffffffffff01"),
])
def test_varint(value, encoded):
    assert pw.encode_varint(value).hex() == encoded
    decoded, pos = pw.decode_varint(bytes.fromhex(encoded))
    assert pos == len(encoded) // 2
    assert pw.to_signed64(decoded) == (value if value < 2**63 else value - 2**64)


def test_decode_errors():
    with pytest.raises(ValueError, match="truncated"):
        pw.decode_varint(b"\x80")
    with pytest.raises(ValueError, match="10 bytes"):
        pw.decode_varint(b"\xff" * 11)
    with pytest.raises(ValueError, match="past the end"):
        list(pw.iter_fields(b"\x12\x05ab"))
    with pytest.raises(ValueError, match="wire type"):
        list(pw.iter_fields(b"\x0b"))


def test_fields_round_trip():
    buf = (pw.encode_varint_field(1, 7) + pw.encode_bytes_field(2, "hé")
           + pw.encode_fixed32_field(6, 0xDEADBEEF) + pw.encode_fixed64_field(3, 2**63)
           + pw.encode_double_field(4, 1.5) + pw.encode_float_field(5, -2.0)
           + pw.encode_varint_field(7, -2))
    fields = list(pw.iter_fields(buf))
    assert fields[:4] == [(1, 0, 7), (2, 2, "hé".encode()), (6, 5, 0xDEADBEEF), (3, 1, 2**63)]
    assert fields[4][:2] == (4, pw.WIRE_FIXED64) and fields[5][:2] == (5, pw.WIRE_FIXED32)
    assert pw.to_signed32(fields[6][2]) == -2
    assert pw.field_key(6, pw.WIRE_FIXED32) == b"\x35"


def test_packed_varints():
    payload = b"".join(pw.encode_varint(v) for v in (1, 300, 0))
    assert pw.decode_packed_varints(payload) == [1, 300, 0]


def test_wire_type_checking():
    buf = pw.encode_varint_field(2, 5)
    assert list(pw.iter_fields(buf, {2: (pw.WIRE_LEN, pw.WIRE_VARINT)})) == [(2, 0, 5)]
    with pytest.raises(ValueError, match="wire type 0, expected 2"):
        list(pw.iter_fields(buf, {2: pw.WIRE_LEN}))
    with pytest.raises(ValueError, match="serialized message"):
        list(pw.iter_fields(5))
