"""Tests for the SSTable writer/reader, CRC-32C masking and ordered-code slice keys."""

import numpy as np
import pytest

from tensorflux import errors
from tensorflux.train import crc, sstable, tensor_slices


def test_crc32c_check_value():
    assert crc.crc32c(b"123456789") == 0xE3069283
    assert crc.crc32c_extend(crc.crc32c(b"1234"), b"56789") == 0xE3069283
    assert crc.crc32c(bytearray(b"123456789")) == 0xE3069283
    assert crc.crc32c(memoryview(b"123456789")) == 0xE3069283


def test_mask_unmask():
    for value in (0, 1, 0xE3069283, 0xFFFFFFFF):
        assert crc.unmask(crc.mask(value)) == value
    assert crc.masked_crc32c(b"") == 0xA282EAD8


def test_empty_table_layout():
    data = sstable.TableBuilder().finish()
    empty_block = bytes([0, 0, 0, 0, 1, 0, 0, 0])
    assert data.startswith(empty_block + b"\x00")
    assert data[-8:] == bytes.fromhex("57fb808b247547db")
    assert len(data) == 2 * (8 + 5) + 48
    assert sstable.read_table(data, "mem") == []


def test_round_trip_with_restarts_and_blocks():
    entries = [(b"key%04d" % i, b"v" * (i % 7)) for i in range(500)]
    builder = sstable.TableBuilder(block_size=1024)
    for key, value in entries:
        builder.add(key, value)
    data = builder.finish()
    handles = sstable.read_index(data, "mem")
    assert len(handles) > 3
    assert sstable.read_table(data, "mem") == entries
    for (separator, _, _), next_block in zip(handles, handles[1:]):
        assert separator < next_block[0]


def test_separators():
    assert sstable._shortest_separator(b"abc1xyz", b"abc5") == b"abc2"
    assert sstable._shortest_separator(b"abc1", b"abc2") == b"abc1"  # no room
    assert sstable._shortest_separator(b"abc", b"abcd") == b"abc"  # prefix
    assert sstable._short_successor(b"\xff\xffa") == b"\xff\xffb"
    assert sstable._short_successor(b"\xff") == b"\xff"


def test_keys_must_increase():
    builder = sstable.TableBuilder()
    builder.add(b"b", b"")
    with pytest.raises(ValueError):
        builder.add(b"a", b"")


def test_every_single_byte_flip_is_detected():
    builder = sstable.TableBuilder()
    for i in range(20):
        builder.add(b"k%02d" % i, b"value%d" % i)
    data = builder.finish()
    for offset in range(len(data)):
        corrupted = bytearray(data)
        corrupted[offset] ^= 0x40
        try:
            result = sstable.read_table(bytes(corrupted), "mem")
        except (errors.DataLossError, errors.UnimplementedError):
            continue
        # Only the footer's zero padding carries no information.
        assert result == sstable.read_table(data, "mem"), offset


def test_ordered_code_slice_keys():
    # Keys TF 2.21 wrote for slices of `part` [7, 2] and the full int8 `i8` in V1 files.
    assert tensor_slices.encode_tensor_name_slice("part", [(0, 5), (0, 3)]) == (
        b"\x00part\x00\x01\x01\x02\x80\x85\x80\x83")
    assert tensor_slices.encode_tensor_name_slice("i8", [(0, None)]) == (
        b"\x00i8\x00\x01\x01\x01\x80\x7f")
    assert tensor_slices._write_signed_num_increasing(64) == b"\xc0\x40"
    assert tensor_slices._write_signed_num_increasing(-65) == b"\x3f\xbf"
    big = [tensor_slices._write_signed_num_increasing(v) for v in (-(2**63), -1, 0, 2**63 - 1)]
    assert big == sorted(big) and len(big[0]) == 10


def test_assemble_checks_coverage():
    pieces = [([(0, 1), (0, None)], np.ones([1, 2]))]
    with pytest.raises(ValueError, match="cover"):
        tensor_slices.assemble((2, 2), np.float64, pieces)
    pieces.append(([(1, 1), (0, None)], np.zeros([1, 2])))
    assert tensor_slices.assemble((2, 2), np.float64, pieces).tolist() == [[1, 1], [0, 0]]
