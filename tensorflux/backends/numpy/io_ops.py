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
