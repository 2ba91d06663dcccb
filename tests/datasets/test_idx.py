"""Tests for reading, writing, finding and fetching IDX files."""

import gzip
import hashlib
import io
import os
import urllib.error
import urllib.request

import numpy as np
import pytest

from tensorflux.datasets import idx
from tensorflux.datasets.idx import (
    DatasetNotFoundError,
    fetch,
    find_idx_file,
    parse_idx,
    read_idx,
    write_idx,
)


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "float32", "float64"])
@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_round_trip_every_dtype(tmp_path, dtype, suffix):
    array = (np.arange(24).reshape(2, 3, 4) - 5).astype(dtype)
    path = tmp_path / f"data-idx3{suffix}"
    write_idx(path, array)
    got = read_idx(path)
    assert got.dtype == np.dtype(dtype)
    assert got.shape == (2, 3, 4)
    np.testing.assert_array_equal(got, array)


def test_reads_big_endian_bytes_written_by_hand(tmp_path):
    header = bytes([0, 0, 0x0B, 1]) + (3).to_bytes(4, "big")
    body = b"\x01\x02\xff\xfe\x00\x07"  # int16 big-endian: 258, -2, 7
    path = tmp_path / "labels-idx1-ubyte"
    path.write_bytes(header + body)
    got = read_idx(path)
    np.testing.assert_array_equal(got, [258, -2, 7])
    assert got.dtype.byteorder in ("=", "|") or got.dtype.isnative


def test_result_is_writable_and_native(tmp_path):
    write_idx(tmp_path / "a.gz", np.arange(4, dtype=np.float32))
    got = read_idx(tmp_path / "a.gz")
    assert got.flags.writeable
    assert got.dtype.isnative
    got[0] = 5.0


def test_gzip_detected_by_content_not_name(tmp_path):
    raw = tmp_path / "x.gz"
    write_idx(raw, np.ones((2, 2), np.uint8))
    renamed = tmp_path / "x-idx2-ubyte"  # gzipped bytes under an uncompressed name
    os.rename(raw, renamed)
    np.testing.assert_array_equal(read_idx(renamed), np.ones((2, 2)))


def test_zero_dimensional(tmp_path):
    write_idx(tmp_path / "s", np.array(7, dtype=np.int32))
    got = read_idx(tmp_path / "s")
    assert got.shape == ()
    assert got == 7


def _valid_bytes():
    return bytes([0, 0, 0x08, 2]) + np.array([2, 3], ">u4").tobytes() + bytes(range(6))


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "only 0 bytes"),
        (b"\x00\x00", "only 2 bytes"),
        (b"\x01\x02\x08\x01" + bytes(8), "magic number"),
        (b"\x00\x00\x07\x01" + bytes(8), "unknown IDX data type 0x07"),
        (bytes([0, 0, 0x08, 3]) + bytes(5), "truncated IDX header"),
        (_valid_bytes()[:-1], "truncated"),
        (_valid_bytes() + b"\x00", "trailing bytes"),
    ],
)
def test_corrupt_files_raise_value_error(tmp_path, data, message):
    path = tmp_path / "bad"
    path.write_bytes(data)
    with pytest.raises(ValueError, match=message) as info:
        read_idx(path)
    assert str(path) in str(info.value)


def test_truncated_gzip_stream(tmp_path):
    data = gzip.compress(_valid_bytes() * 50)
    path = tmp_path / "bad.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="gzip"):
        read_idx(path)


def test_parse_idx_names_the_source():
    with pytest.raises(ValueError, match="^<bytes>: "):
        parse_idx(b"\x00")
    assert parse_idx(_valid_bytes()).tolist() == [[0, 1, 2], [3, 4, 5]]


def test_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_idx(tmp_path / "nope")


def test_write_rejects_dtype_without_idx_code(tmp_path):
    with pytest.raises(ValueError, match="int64"):
        write_idx(tmp_path / "x", np.arange(3, dtype=np.int64))
    assert not (tmp_path / "x").exists()


def test_dataset_not_found_is_file_not_found():
    assert issubclass(DatasetNotFoundError, FileNotFoundError)


def test_find_idx_file_accepts_both_names(tmp_path):
    assert find_idx_file(tmp_path, "a-idx1-ubyte.gz") is None
    (tmp_path / "a-idx1-ubyte").write_bytes(b"")
    assert find_idx_file(tmp_path, "a-idx1-ubyte.gz") == str(tmp_path / "a-idx1-ubyte")
    (tmp_path / "a-idx1-ubyte.gz").write_bytes(b"")
    assert find_idx_file(tmp_path, "a-idx1-ubyte") == str(tmp_path / "a-idx1-ubyte.gz")


class FakeWeb:
    """Stands in for `urllib.request.urlopen`: serves bytes from a dict, never the network."""

    def __init__(self, pages):
        self.pages = pages
        self.requests = []

    def __call__(self, url, timeout=None):
        self.requests.append(url)
        if url not in self.pages:
            raise urllib.error.URLError(f"no route to {url}")
        return io.BytesIO(self.pages[url])


def test_fetch_tries_mirrors_and_checks_md5(tmp_path, monkeypatch):
    payload = b"hello idx"
    web = FakeWeb({"http://b/f": payload})
    monkeypatch.setattr(urllib.request, "urlopen", web)
    dest = tmp_path / "sub" / "f"
    md5 = hashlib.md5(payload).hexdigest()
    assert fetch(["http://a/f", "http://b/f"], str(dest), md5=md5) == str(dest)
    assert dest.read_bytes() == payload
    assert web.requests == ["http://a/f", "http://b/f"]
    assert sorted(os.listdir(dest.parent)) == ["f"]  # no temporary file left behind


def test_fetch_bad_checksum_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(urllib.request, "urlopen", FakeWeb({"http://a/f": b"evil"}))
    with pytest.raises(OSError, match="checksum mismatch") as info:
        fetch("http://a/f", str(tmp_path / "f"), md5="0" * 32)
    assert "http://a/f" in str(info.value)
    assert os.listdir(tmp_path) == []


def test_idx_dtypes_table_matches_spec():
    assert {code: dt.str for code, dt in idx.IDX_DTYPES.items()} == {
        0x08: "|u1",
        0x09: "|i1",
        0x0B: ">i2",
        0x0C: ">i4",
        0x0D: ">f4",
        0x0E: ">f8",
    }
