"""Tests for the V1 (SavedTensorSlices) checkpoint reader against a TF-written fixture."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from tensorflux import errors
from tensorflux.train import checkpoint_format as cf
from tensorflux.train import checkpoint_v1

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "checkpoints"
SPEC = json.loads((FIXTURES / "manifest.json").read_text())["v1"]
PATH = str(FIXTURES / SPEC["path"])


def test_reads_all_values():
    reader = checkpoint_v1.read_v1(PATH)
    with np.load(FIXTURES / SPEC["values"]) as npz:
        want = {k: npz[k] for k in npz.files}
    names = SPEC["strings"]["names"]
    assert reader.keys() == sorted(list(want) + ["names"])
    for key, value in want.items():
        got = reader.get_tensor(key)
        assert got.dtype == value.dtype and got.shape == value.shape, key
        assert np.array_equal(got, value, equal_nan=value.dtype.kind == "f"), key
    assert list(reader.get_tensor("names")) == [bytes.fromhex(h) for h in names["hex"]]


def test_maps_and_partitioned_variable():
    reader = cf.open_checkpoint(PATH)
    assert isinstance(reader, checkpoint_v1.V1Reader)
    assert reader.get_variable_to_dtype_map() == SPEC["dtypes"]
    assert reader.get_variable_to_shape_map()["part"] == [7, 2]  # stored as 3 slices
    assert reader.get_variable_to_shape_map()["global_step"] == []


def test_glob_pattern(tmp_path):
    shutil.copy(PATH, tmp_path / "model.ckpt-00000-of-00001")
    reader = cf.open_checkpoint(str(tmp_path / "model.ckpt-?????-of-00001"))
    assert reader.get_tensor("global_step") == 42


def test_corrupted_v1_file(tmp_path):
    data = bytearray(Path(PATH).read_bytes())
    data[40] ^= 0x10
    (tmp_path / "bad.ckpt").write_bytes(bytes(data))
    with pytest.raises(errors.DataLossError, match="bad.ckpt"):
        cf.open_checkpoint(str(tmp_path / "bad.ckpt"))


def test_not_a_checkpoint(tmp_path):
    (tmp_path / "junk").write_bytes(b"hello world" * 10)
    with pytest.raises(errors.DataLossError, match="junk"):
        cf.open_checkpoint(str(tmp_path / "junk"))


def test_v2_index_is_not_a_v1_file():
    with pytest.raises(errors.DataLossError):
        checkpoint_v1.read_v1(str(FIXTURES / "basic" / "model.ckpt-7.index"))


def test_tensor_proto_content_and_padding():
    from tensorflux.graph import protowire as pw
    from tensorflux.train import checkpoint_protos as protos

    shape = protos.encode_shape([2, 2])
    content = np.arange(4, dtype="<f4").tobytes()
    proto = pw.encode_varint_field(1, 1) + pw.encode_bytes_field(2, shape)
    dtype, array = protos.decode_tensor_proto(proto + pw.encode_bytes_field(4, content))
    assert dtype == 1 and array.tolist() == [[0, 1], [2, 3]]
    # A short typed list is padded with its last value, as TF does.
    padded = proto + pw.encode_float_field(5, 1.5) + pw.encode_float_field(5, 2.5)
    assert protos.decode_tensor_proto(padded)[1].tolist() == [[1.5, 2.5], [2.5, 2.5]]
    # Values without dtype/shape (V1 slices) take them from the caller.
    ints = pw.encode_bytes_field(7, pw.encode_varint(3) + pw.encode_varint(-4))
    assert protos.decode_tensor_proto(ints, 3, (2,))[1].tolist() == [3, -4]
    with pytest.raises(ValueError, match="holds 2 values"):
        protos.decode_tensor_proto(ints, 3, (1,))
