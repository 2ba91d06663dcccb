"""numpy kernels for the file ops (they act on the local file system)."""

import glob
import os

import numpy as np

from tensorflux import errors
from tensorflux.graph.operation import op_error
from tensorflux.ops import registry


def _str(x):
    x = x[()] if isinstance(x, np.ndarray) else x
    return x.decode("utf-8") if isinstance(x, bytes) else str(x)


def _bytes(x):
    x = x[()] if isinstance(x, np.ndarray) else x
    return x.encode("utf-8") if isinstance(x, str) else bytes(x)


@registry.kernel("ReadFile")
def _read_file(op):
    def run(state, filename):
        path = _str(filename)
        try:
            with open(path, "rb") as f:
                return np.array(f.read(), dtype=object)
        except FileNotFoundError:
            raise op_error(errors.NotFoundError, op, "%s; No such file or directory"
                           % path) from None
    return run


@registry.kernel("WriteFile")
def _write_file(op):
    def run(state, filename, contents):
        path = _str(filename)
        parent = os.path.dirname(path)
        if parent:
            os.makedirs(parent, exist_ok=True)
        with open(path, "wb") as f:
            f.write(_bytes(contents))
        return []
    return run


@registry.kernel("MatchingFiles")
def _matching_files(op):
    def run(state, pattern):
        names = set()
        for p in np.asarray(pattern, dtype=object).ravel():
            names.update(glob.glob(_str(p)))
        return np.array([n.encode("utf-8") for n in sorted(names)], dtype=object)
    return run


def _strings(x):
    return [_str(s) for s in np.asarray(x, dtype=object).ravel()]


def _checkpoint_args(op, prefix, tensor_names, shape_and_slices, count):
    """(prefix, names) after TF's checks: one name per tensor, full tensors only."""
    names, specs = _strings(tensor_names), _strings(shape_and_slices)
    if len(names) != count or len(specs) != count:
        raise op_error(errors.InvalidArgumentError, op, "Expected %d tensor_names and "
                       "shape_and_slices (one per tensor), got %d and %d"
                       % (count, len(names), len(specs)))
    if any(specs):
        raise op_error(errors.UnimplementedError, op, "tensorflux saves and restores whole "
                       "tensors only; got shape_and_slices %r" % specs)
    return _str(prefix), names


@registry.kernel("SaveV2")
def _save_v2(op):
    from tensorflux.graph import dtypes
    from tensorflux.train import checkpoint_format

    dts = list(op._attrs["dtypes"])

    def run(state, prefix, tensor_names, shape_and_slices, *tensors):
        path, names = _checkpoint_args(op, prefix, tensor_names, shape_and_slices, len(dts))
        if len(set(names)) != len(names):
            raise op_error(errors.InvalidArgumentError, op, "Duplicate tensor names to save: %s"
                           % sorted({n for n in names if names.count(n) > 1}))
        values = {}
        for name, dt, value in zip(names, dts, tensors):
            value = np.asarray(value)
            values[name] = (value, dt.name) if dt == dtypes.bfloat16 else value
        checkpoint_format.write_bundle(path, values)  # atomic: temp files, then rename
        return []
    return run


@registry.kernel("RestoreV2")
def _restore_v2(op):
    from tensorflux.graph import dtypes
    from tensorflux.train import checkpoint_format

    dts = list(op._attrs["dtypes"])

    def run(state, prefix, tensor_names, shape_and_slices):
        path, names = _checkpoint_args(op, prefix, tensor_names, shape_and_slices, len(dts))
        try:
            reader = checkpoint_format.open_checkpoint(path)
        except errors.NotFoundError as e:
            raise op_error(errors.NotFoundError, op, e.message) from None
        stored = reader.get_variable_to_dtype_map()
        out = []
        for name, dt in zip(names, dts):
            if name not in stored:
                raise op_error(errors.NotFoundError, op, "Key %s not found in checkpoint"
                               % name)
            if stored[name] != dt.name and not (dt == dtypes.bfloat16
                                                and stored[name] == "bfloat16"):
                raise op_error(errors.InvalidArgumentError, op, "tensor_name = %s; expected "
                               "dtype %s does not equal original dtype %s"
                               % (name, dt.name, stored[name]))
            out.append(np.asarray(reader.get_tensor(name), dtype=dt.as_numpy_dtype))
        return out[0] if len(out) == 1 else out
    return run
