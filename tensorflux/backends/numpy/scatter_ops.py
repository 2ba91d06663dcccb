"""numpy kernels for variable scatter ops (ops/scatter_ops.py): each writes a new array."""

import numpy as np

from tensorflux.backends.numpy.state_ops import _read
from tensorflux.ops import state_ops
from tensorflux.ops.registry import kernel


def _int_div(a, b):
    """C-style integer division (rounds toward zero), as TF's integer ScatterDiv."""
    if np.any(b == 0):
        raise ValueError("Integer division by zero")
    q = np.abs(a) // np.abs(b)
    return np.where((a < 0) != (b < 0), -q, q).astype(a.dtype)


def _apply_at(mode, new, index, updates):
    """Applies `mode` at `index` (a row index array or a tuple of index arrays), in place on
    `new` (a private copy); repeated indices accumulate."""
    if mode == "update":
        new[index] = updates
    elif mode == "add":
        np.add.at(new, index, updates)
    elif mode == "sub":
        np.subtract.at(new, index, updates)
    elif mode == "mul":
        np.multiply.at(new, index, updates)
    elif mode == "div" and new.dtype.kind in "iu":
        parts = index if isinstance(index, tuple) else (index,)
        lead = np.shape(parts[0])
        flat = [np.asarray(p).reshape(-1) for p in parts]
        rows = np.broadcast_to(updates, lead + new[parts].shape[len(lead):])
        rows = rows.reshape((-1,) + rows.shape[len(lead):])
        for k, row in enumerate(rows):
            at = tuple(f[k] for f in flat)
            new[at] = _int_div(new[at], row)
    elif mode == "div":
        np.divide.at(new, index, updates)
    elif mode == "min":
        np.minimum.at(new, index, updates)
    else:
        np.maximum.at(new, index, updates)


def check_nd_indices(indices, shape):
    """TF's error for the first index tuple (last axis of `indices`) outside `shape`."""
    depth = indices.shape[-1]
    tuples = indices.reshape(-1, depth)
    bad = ((tuples < 0) | (tuples >= np.array(shape[:depth], dtype=np.int64))).any(axis=1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError("indices[%d] = [%s] does not index into shape [%s]"
                         % (i, ", ".join(str(int(v)) for v in tuples[i]),
                            ",".join(str(d) for d in shape)))


def _scatter(mode):
    def builder(op):
        key = state_ops.variable_key(op.inputs[0])

        def run(state, indices, updates):
            old = _read(state, key, op)
            n = old.shape[0]
            flat = indices.reshape(-1)
            bad = np.flatnonzero((flat < 0) | (flat >= n))
            if bad.size:
                raise ValueError("indices[%d] = %d is not in [0, %d)"
                                 % (bad[0], flat[bad[0]], n))
            want = indices.shape + old.shape[1:]
            updates = np.broadcast_to(np.asarray(updates, old.dtype), want)
            new = np.array(old)  # never in place: fetched values and snapshots share arrays
            with np.errstate(divide="ignore", invalid="ignore"):
                _apply_at(mode, new, indices, updates)
            state.variables[key] = new
            return new
        return run
    return builder


def _scatter_nd(mode):
    def builder(op):
        key = state_ops.variable_key(op.inputs[0])

        def run(state, indices, updates):
            old = _read(state, key, op)
            depth = indices.shape[-1]
            if depth > old.ndim:
                raise ValueError("Dimension %d must be <= the rank of ref (%d)"
                                 % (depth, old.ndim))
            check_nd_indices(indices, old.shape)
            want = indices.shape[:-1] + old.shape[depth:]
            if np.shape(updates) != want:
                raise ValueError("updates.shape %s must be indices.shape[:-1] + "
                                 "ref.shape[%d:] = %s" % (list(np.shape(updates)), depth,
                                                          list(want)))
            new = np.array(old)
            _apply_at(mode, new, tuple(indices[..., k] for k in range(depth)), updates)
            state.variables[key] = new
            return new
        return run
    return builder


for _mode in ("update", "add", "sub", "mul", "div", "min", "max"):
    kernel("Scatter" + _mode.capitalize())(_scatter(_mode))
for _mode in ("update", "add", "sub"):
    kernel("ScatterNd" + _mode.capitalize())(_scatter_nd(_mode))


def _tensor_scatter(mode):
    def builder(op):
        def run(tensor, indices, updates):
            depth = indices.shape[-1] if indices.ndim else 0
            if indices.ndim == 0 or depth > tensor.ndim:
                raise ValueError("Index innermost dimension length must be <= tensor rank; saw: "
                                 "%d vs. %d" % (depth, tensor.ndim))
            want = indices.shape[:-1] + tensor.shape[depth:]
            if updates.shape != want:
                raise ValueError("Inner dimensions of output shape must match inner dimensions "
                                 "of updates shape. Output: [%s] updates: [%s]"
                                 % (",".join(map(str, tensor.shape)),
                                    ",".join(map(str, updates.shape))))
            check_nd_indices(indices, tensor.shape)
            out = np.array(tensor)
            _apply_at(mode, out, tuple(indices[..., k] for k in range(depth)), updates)
            return out
        return run
    return builder


for _mode in ("update", "add", "sub", "min", "max"):
    kernel("TensorScatter" + _mode.capitalize())(_tensor_scatter(_mode))
