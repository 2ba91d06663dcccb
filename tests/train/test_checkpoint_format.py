"""Tests for V2 checkpoints: reading TF's fixtures, byte-identical writes, corruption handling."""

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from tensorflux import errors
from tensorflux.train import atomic_file, crc, sstable
from tensorflux.train import checkpoint_format as cf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "checkpoints"
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text())


def many_name(i):
    # Same formula as tools/fixtures/gen_checkpoints.py (recorded in the manifest).
    return "layer%05d/" % (3 * i) + "w" * 300


def expected_values(name):
    """The values TF saved in fixture `name`, as tensorflux's reader returns them."""
    spec = MANIFEST[name]
    if name == "many":
        return {many_name(i): np.float32(i) * np.float32(0.5) for i in range(spec["count"])}
    values = {}
    if "values" in spec:
        with np.load(FIXTURES / spec["values"]) as npz:
            values.update({k: npz[k] for k in npz.files})
    for key, s in spec.get("strings", {}).items():
        array = np.empty(len(s["hex"]), dtype=object)
        array[:] = [bytes.fromhex(h) for h in s["hex"]]
        values[key] = array.reshape(s["shape"])
    return values


def as_write_input(name, values):
    dtypes = MANIFEST[name].get("dtypes", {})
    return {k: (v, "bfloat16") if dtypes.get(k) == "bfloat16" else v for k, v in values.items()}


def assert_same(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape
    if want.dtype == object:
        assert got.dtype == object and list(got.reshape(-1)) == list(want.reshape(-1))
    else:
        assert got.dtype == want.dtype
        assert np.array_equal(got, want, equal_nan=want.dtype.kind in "fc")


def snapshot(directory):
    return {p.name: p.read_bytes() for p in Path(directory).iterdir()}


@pytest.fixture
def basic_copy(tmp_path):
    shutil.copytree(FIXTURES / "basic", tmp_path / "basic")
    return str(tmp_path / "basic" / "model.ckpt-7")


# ------------------------------------------------------------------------------ TF fixtures
@pytest.mark.parametrize("name", ["basic", "partitioned", "strings", "many"])
def test_reads_tf_v2_fixture(name):
    reader = cf.read_bundle(str(FIXTURES / MANIFEST[name]["prefix"]))
    want = expected_values(name)
    assert reader.keys() == sorted(want)
    for key, value in want.items():
        assert_same(reader.get_tensor(key), value)


def test_shape_and_dtype_maps():
    reader = cf.read_bundle(str(FIXTURES / "basic" / "model.ckpt-7"))
    assert reader.get_variable_to_dtype_map() == MANIFEST["basic"]["dtypes"]
    shapes = reader.get_variable_to_shape_map()
    assert shapes["global_step"] == [] and shapes["empty"] == [0, 4]
    assert shapes["conv/weights"] == [2, 2, 3, 2]
    assert reader.has_tensor("dense/bias") and not reader.has_tensor("nope")
    with pytest.raises(errors.NotFoundError, match="nope"):
        reader.get_tensor("nope")


def test_partitioned_fixture_is_assembled_from_slices():
    reader = cf.read_bundle(str(FIXTURES / "partitioned" / "model.ckpt"))
    assert reader.get_variable_to_shape_map()["part"] == [10, 3]
    assert reader.keys() == ["other", "part"]  # slice keys are hidden


def test_returned_arrays_are_writable_copies():
    array = cf.read_bundle(str(FIXTURES / "basic" / "model.ckpt-7")).get_tensor("dense/kernel")
    array[0, 0] = 123.0
    assert array.flags.writeable and array.dtype.isnative


@pytest.mark.parametrize("name", ["basic", "strings", "many"])
def test_write_is_byte_identical_to_tf(name, tmp_path):
    prefix = str(tmp_path / "out" / "ckpt")
    cf.write_bundle(prefix, as_write_input(name, expected_values(name)))
    tf_prefix = FIXTURES / MANIFEST[name]["prefix"]
    for suffix in (".index", ".data-00000-of-00001"):
        theirs = Path(str(tf_prefix) + suffix).read_bytes()
        assert Path(prefix + suffix).read_bytes() == theirs, suffix
    assert sorted(os.listdir(tmp_path / "out")) == ["ckpt.data-00000-of-00001", "ckpt.index"]


def test_many_fixture_index_spans_several_blocks():
    data = (FIXTURES / "many" / "many.index").read_bytes()
    handles = sstable.read_index(data, "many.index")
    assert len(handles) == MANIFEST["many"]["data_blocks"] >= 2


# ------------------------------------------------------------------------------ round trips
def test_round_trip_all_dtypes(tmp_path):
    tensors = {
        "f16": np.array([1.5, -np.inf], np.float16),
        "f32": np.arange(12, dtype=np.float32).reshape(3, 4).T,  # not C-contiguous
        "f64": np.float64(2.5),
        "big_endian": np.array([1.0, 2.0], dtype=">f4"),
        "i8": np.array([-128, 127], np.int8), "i16": np.array([-5], np.int16),
        "i32": np.array([[1, 2]], np.int32), "i64": np.array([-(2**63)], np.int64),
        "u8": np.array([255], np.uint8), "u16": np.array([65535], np.uint16),
        "u32": np.array([2**32 - 1], np.uint32), "u64": np.array([2**64 - 1], np.uint64),
        "c64": np.array([1 + 2j], np.complex64), "c128": np.array([3 - 4j], np.complex128),
        "b": np.array([True, False]), "empty": np.zeros([2, 0], np.int32),
        "str_u": np.array(["h\u00e9", ""]), "str_s": np.array([b"ab", b"c"]),
        "str_scalar": "solo", "py_list": [1.0, 2.0],
    }
    prefix = str(tmp_path / "rt")
    cf.write_bundle(prefix, tensors)
    reader = cf.open_checkpoint(prefix)
    for name, value in tensors.items():
        value = np.asarray(value)
        got = reader.get_tensor(name)
        if value.dtype.kind in "SU":
            want = np.array([v.encode() if isinstance(v, str) else bytes(v)
                             for v in value.reshape(-1)] + [b""], dtype=object)[:-1]
            assert_same(got, want.reshape(value.shape))
        else:
            assert_same(got, value.astype(value.dtype.newbyteorder("=")))
    assert reader.get_variable_to_dtype_map()["str_u"] == "string"
    assert reader.get_variable_to_dtype_map()["c64"] == "complex64"


def test_bfloat16_from_floats_and_raw_bits(tmp_path):
    floats = np.array([1.0, 1.00390625, -3.5, np.nan, np.inf], np.float32)
    prefix = str(tmp_path / "bf")
    cf.write_bundle(prefix, {"a": (floats, "bfloat16"),
                             "b": (np.array([0x3FC0], np.uint16), "bfloat16")})
    reader = cf.read_bundle(prefix)
    assert reader.get_variable_to_dtype_map() == {"a": "bfloat16", "b": "bfloat16"}
    # 1.00390625 = 1 + 2**-8 is a tie between bfloat16 neighbours: rounds to even (1.0).
    assert_same(reader.get_tensor("a"), np.array([1.0, 1.0, -3.5, np.nan, np.inf], np.float32))
    assert_same(reader.get_tensor("b"), np.array([1.5], np.float32))


def test_dtype_tag_casts(tmp_path):
    cf.write_bundle(str(tmp_path / "t"), {"step": (3, "int64"), "q": ([1, 2], "qint8")})
    reader = cf.read_bundle(str(tmp_path / "t"))
    assert_same(reader.get_tensor("step"), np.int64(3))
    assert reader.get_variable_to_dtype_map()["q"] == "qint8"


def test_overwrite_replaces_previous_bundle(tmp_path):
    prefix = str(tmp_path / "m")
    cf.write_bundle(prefix, {"a": np.zeros(3, np.float32)})
    cf.write_bundle(prefix, {"b": np.ones(2, np.int32)})
    assert cf.read_bundle(prefix).keys() == ["b"]
    assert sorted(os.listdir(tmp_path)) == ["m.data-00000-of-00001", "m.index"]


# ------------------------------------------------------------------------- failed writes
@pytest.mark.parametrize("bad", [
    {"": np.zeros(1)},
    {"ok": np.zeros(1), "when": np.array(["2020-01-01"], dtype="datetime64[D]")},
    {"a": np.zeros(2), "z": np.array([1, object()], dtype=object)},
    {"a": (np.zeros(2), "no_such_dtype")},
    {"r": (np.zeros(2), "resource")},
    {"a": np.zeros(2), "t": (["x"], "int64")},
])
def test_failed_write_leaves_existing_files_untouched(basic_copy, bad):
    directory = os.path.dirname(basic_copy)
    before = snapshot(directory)
    with pytest.raises(errors.InvalidArgumentError):
        cf.write_bundle(basic_copy, bad)
    assert snapshot(directory) == before  # no changes, no temp files left behind


def test_failed_rename_restores_previous_files(basic_copy, monkeypatch):
    directory = os.path.dirname(basic_copy)
    before = snapshot(directory)
    real_replace = os.replace

    def replace(src, dst):
        if dst.endswith(".index") and ".tempstate" in src:
            raise OSError("disk full")
        return real_replace(src, dst)

    monkeypatch.setattr(atomic_file.os, "replace", replace)
    with pytest.raises(OSError, match="disk full"):
        cf.write_bundle(basic_copy, {"new": np.ones(4, np.float32)})
    assert snapshot(directory) == before


# ---------------------------------------------------------------------------- corruption
def flip_byte(path, offset):
    data = bytearray(Path(path).read_bytes())
    data[offset] ^= 0x01
    Path(path).write_bytes(bytes(data))


def test_flipped_data_byte_fails_crc(basic_copy):
    data_path = basic_copy + ".data-00000-of-00001"
    flip_byte(data_path, os.path.getsize(data_path) - 1)  # in the last tensor (uint8s)
    reader = cf.read_bundle(basic_copy)
    with pytest.raises(errors.DataLossError, match="data-00000-of-00001.*checksum"):
        reader.get_tensor("uint8s")
    assert reader.get_tensor("global_step") == 7  # other tensors stay readable


def test_flipped_string_byte_fails_crc(tmp_path):
    shutil.copytree(FIXTURES / "strings", tmp_path / "s")
    prefix = str(tmp_path / "s" / "strings")
    flip_byte(prefix + ".data-00000-of-00001", os.path.getsize(prefix +
                                                               ".data-00000-of-00001") - 1)
    with pytest.raises(errors.DataLossError, match="strs"):
        cf.read_bundle(prefix).get_tensor("strs")


def test_flipped_index_byte_fails_block_crc(basic_copy):
    flip_byte(basic_copy + ".index", 20)
    with pytest.raises(errors.DataLossError, match=r"model\.ckpt-7\.index.*checksum"):
        cf.read_bundle(basic_copy)


def test_truncated_index(basic_copy):
    path = Path(basic_copy + ".index")
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(errors.DataLossError, match=r"model\.ckpt-7\.index"):
        cf.read_bundle(basic_copy)
    path.write_bytes(b"")
    with pytest.raises(errors.DataLossError, match="too short"):
        cf.read_bundle(basic_copy)


def test_bad_magic(basic_copy):
    flip_byte(basic_copy + ".index", os.path.getsize(basic_copy + ".index") - 1)
    with pytest.raises(errors.DataLossError, match="magic"):
        cf.read_bundle(basic_copy)


def test_missing_data_shard(basic_copy):
    os.remove(basic_copy + ".data-00000-of-00001")
    with pytest.raises(errors.DataLossError, match="data-00000-of-00001 is missing"):
        cf.read_bundle(basic_copy)


def test_truncated_data_shard(basic_copy):
    path = Path(basic_copy + ".data-00000-of-00001")
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(errors.DataLossError, match="truncated"):
        cf.read_bundle(basic_copy)


def test_missing_index_is_not_found(tmp_path):
    with pytest.raises(errors.NotFoundError, match="nothing.index"):
        cf.read_bundle(str(tmp_path / "nothing"))
    with pytest.raises(errors.NotFoundError):
        cf.open_checkpoint(str(tmp_path / "nothing"))


def test_snappy_block_is_rejected(tmp_path):
    # A valid table whose one data block claims snappy compression (with a correct CRC).
    table = bytearray(sstable.TableBuilder().finish())
    builder = sstable.BlockBuilder(16)
    builder.add(b"", b"x")
    block = builder.finish()
    trailer = bytes([1]) + crc.mask(crc.crc32c(block + b"\x01")).to_bytes(4, "little")
    index = sstable.BlockBuilder(1)
    index.add(b"\x01", bytes([0, len(block)]))
    index_bytes = index.finish()
    index_crc = crc.mask(crc.crc32c(index_bytes + b"\x00")).to_bytes(4, "little")
    offset = len(block) + 5
    footer = bytes([0, 0, offset, len(index_bytes)]).ljust(40, b"\0") + bytes(table[-8:])
    data = block + trailer + index_bytes + b"\x00" + index_crc + footer
    (tmp_path / "c.index").write_bytes(data)
    with pytest.raises(errors.UnimplementedError, match="snappy"):
        cf.read_bundle(str(tmp_path / "c"))


@pytest.mark.parametrize("entry", [b"\x12\x05", b"\x10\x01", b"\x0a\x00", b"\x35\x01"])
def test_malformed_entry_proto_with_valid_crcs(tmp_path, entry):
    builder = sstable.TableBuilder()
    builder.add(b"", bytes.fromhex("0801 1a02 0801"))
    builder.add(b"x", entry)
    (tmp_path / "m.index").write_bytes(builder.finish())
    (tmp_path / "m.data-00000-of-00001").write_bytes(b"")
    with pytest.raises(errors.DataLossError, match=r"m\.index"):
        cf.read_bundle(str(tmp_path / "m"))


# --------------------------------------------------------------------------- auto-detection
def test_open_checkpoint_detects_formats(tmp_path):
    assert isinstance(cf.open_checkpoint(str(FIXTURES / "basic" / "model.ckpt-7")),
                      cf.BundleReader)
    assert isinstance(cf.open_checkpoint(str(FIXTURES / "v1" / "model_v1.ckpt")), cf.V1Reader)
    latest = cf.open_checkpoint(str(FIXTURES / "basic"))  # a directory: its `checkpoint` file
    assert latest.path == str(FIXTURES / "basic" / "model.ckpt-7")
    assert cf.open_checkpoint(str(FIXTURES / "basic" / "model.ckpt-7.index")).keys()


def test_masked_crc_reexports():
    assert crc.crc32c(b"123456789") == 0xE3069283
    assert cf.unmask(cf.masked_crc32c(b"abc")) == crc.crc32c(b"abc")
