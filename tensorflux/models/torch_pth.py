"""Read old-format (pre-1.6, non-zip) PyTorch `.pth` files with numpy only, safely.

The file is five things in a row: a pickled magic number, protocol version and system info, the
pickled state dict (tensors appear as persistent ids naming a storage), the pickled list of
storage keys, and then, per key, an int64 element count followed by the raw little-endian data.

The unpickler accepts only what a state dict of tensors needs — `OrderedDict`, the tensor
rebuild functions and storage type names — and refuses every other global, so loading a file
can never run code from it.
"""

import collections
import io
import pickle
import struct

import numpy as np

MAGIC = 0x1950A86A20F9469CFC6C
PROTOCOL = 1001

_STORAGE_DTYPES = {
    "FloatStorage": np.float32, "DoubleStorage": np.float64, "HalfStorage": np.float16,
    "LongStorage": np.int64, "IntStorage": np.int32, "ShortStorage": np.int16,
    "CharStorage": np.int8, "ByteStorage": np.uint8, "BoolStorage": np.bool_,
}


class _StorageType:
    def __init__(self, name):
        self.name = name
        self.dtype = np.dtype(_STORAGE_DTYPES[name])


class _TensorRef:
    """A tensor waiting for its storage's bytes: (storage key, offset, size, stride)."""

    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset, self.size, self.stride = storage, offset, size, stride


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad=False,
                       backward_hooks=None, metadata=None):
    return _TensorRef(storage, storage_offset, tuple(size), tuple(stride))


def _rebuild_tensor(storage, storage_offset, size, stride):
    return _TensorRef(storage, storage_offset, tuple(size), tuple(stride))


def _rebuild_parameter(data, requires_grad, backward_hooks):
    return data


_ALLOWED = {
    ("collections", "OrderedDict"): collections.OrderedDict,
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor_v2,
    ("torch._utils", "_rebuild_tensor"): _rebuild_tensor,
    ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) in _ALLOWED:
            return _ALLOWED[(module, name)]
        if module == "torch" and name in _STORAGE_DTYPES:
            return _StorageType(name)
        raise pickle.UnpicklingError("refusing to load %s.%s from a weights file"
                                     % (module, name))

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and pid and pid[0] == "storage"):
            raise pickle.UnpicklingError("unexpected persistent id %r" % (pid,))
        _, storage_type, key, _location, numel = pid[:5]
        if not isinstance(storage_type, _StorageType):
            raise pickle.UnpicklingError("unexpected storage type %r" % (storage_type,))
        return (str(key), storage_type.dtype, int(numel))


def _load(f):
    return _Unpickler(f, encoding="latin1").load()


def load_state_dict(path):
    """Reads a legacy `.pth` state dict into `{name: np.ndarray}` (C-contiguous copies).

    Raises:
        ValueError: if the file is not a legacy PyTorch file, or is truncated/corrupt.
        pickle.UnpicklingError: if it references anything but tensor storage.
    """
    with open(path, "rb") as fh:
        data = fh.read()
    f = io.BytesIO(data)
    try:
        if _load(f) != MAGIC:
            raise ValueError("%s is not a legacy PyTorch file (bad magic number)" % path)
        if _load(f) != PROTOCOL:
            raise ValueError("%s: unsupported PyTorch protocol version" % path)
        _load(f)  # system info
        state = _load(f)
        keys = _load(f)
    except (EOFError, struct.error) as e:
        raise ValueError("%s is truncated: %s" % (path, e)) from None
    storages = {}
    for key in keys:
        head = f.read(8)
        if len(head) != 8:
            raise ValueError("%s is truncated (storage %s)" % (path, key))
        (numel,) = struct.unpack("<q", head)
        storages[str(key)] = (f.tell(), numel)
        itemsize = _itemsize_for(state, str(key))
        f.seek(numel * itemsize, io.SEEK_CUR)
        if f.tell() > len(data):
            raise ValueError("%s is truncated (storage %s)" % (path, key))
    out = {}
    for name, ref in state.items():
        if not isinstance(ref, _TensorRef):
            continue
        key, dtype, _numel = ref.storage
        start, numel = storages[key]
        flat = np.frombuffer(data, dtype=dtype.newbyteorder("<"), count=numel, offset=start)
        arr = np.lib.stride_tricks.as_strided(
            flat[ref.offset:], shape=ref.size,
            strides=tuple(s * dtype.itemsize for s in ref.stride)) if ref.size else \
            flat[ref.offset:ref.offset + 1].reshape(())
        out[name] = np.ascontiguousarray(arr).astype(dtype, copy=True)
    return out


def _itemsize_for(state, key):
    for ref in state.values():
        if isinstance(ref, _TensorRef) and ref.storage[0] == key:
            return ref.storage[1].itemsize
    raise ValueError("storage %s is not used by any tensor" % key)
