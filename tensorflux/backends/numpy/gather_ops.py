"""numpy kernels for indexing by index tensors (ops/gather_ops.py)."""

import numpy as np

from tensorflux.ops.registry import kernel


def _pos(where):
    return ",".join(str(int(i)) for i in where)


def _check_range(indices, n, what="indices"):
    """Raises TF's message for the first index outside [0, n)."""
    bad = (indices < 0) | (indices >= n)
    if bad.any():
        at = np.argwhere(bad)[0]
        raise ValueError("%s[%s] = %d is not in [0, %d)" % (what, _pos(at), indices[tuple(at)], n))


@kernel("GatherV2")
def _gather(op):
    bd = op._attrs.get("batch_dims", 0)

    def run(params, indices, axis):
        axis = int(axis)
        if axis < -params.ndim or axis >= max(params.ndim, 1):
            raise ValueError("Expected axis in the range [%d, %d), but got %d"
                             % (-params.ndim, params.ndim, axis))
        axis %= params.ndim
        b = bd + indices.ndim if bd < 0 else bd
        _check_range(indices, params.shape[axis])
        if b == 0:
            return np.take(params, indices, axis=axis)
        batch = params.shape[:b]
        if indices.shape[:b] != batch:
            raise ValueError("params.shape[:%d] = %s must equal indices.shape[:%d] = %s"
                             % (b, list(batch), b, list(indices.shape[:b])))
        out = [np.take(params[i], indices[i], axis=axis - b) for i in np.ndindex(*batch)]
        inner = out[0].shape if out else \
            params.shape[b:axis] + indices.shape[b:] + params.shape[axis + 1:]
        return np.asarray(out, dtype=params.dtype).reshape(batch + inner)
    return run


def _nd_index(indices, shape, what):
    depth = indices.shape[-1]
    if depth > len(shape):
        raise ValueError("index innermost dimension length must be <= params rank; saw: %d vs. "
                         "%d" % (depth, len(shape)))
    flat = indices.reshape(-1, depth)
    limits = np.asarray(shape[:depth])
    bad = ((flat < 0) | (flat >= limits)).any(axis=1)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError("indices[%s] = [%s] does not index into %s shape [%s]"
                         % (_pos(np.unravel_index(i, indices.shape[:-1])),
                            ", ".join(str(int(v)) for v in flat[i]), what,
                            ",".join(str(d) for d in shape)))
    return tuple(indices[..., k] for k in range(depth))


@kernel("GatherNd")
def _gather_nd(op):
    def run(params, indices):
        if indices.ndim < 1:
            raise ValueError("indices must be at least a vector")
        idx = _nd_index(indices, params.shape, "param")
        return np.asarray(params[idx], order="C")
    return run


@kernel("ScatterNd")
def _scatter_nd(op):
    def run(indices, updates, shape):
        shape = tuple(int(d) for d in np.asarray(shape).ravel())
        depth = indices.shape[-1]
        want = indices.shape[:-1] + shape[depth:]
        if updates.shape != want:
            raise ValueError("updates.shape %s must equal indices.shape[:-1] + shape[%d:] = %s"
                             % (list(updates.shape), depth, list(want)))
        out = np.zeros(shape, dtype=updates.dtype)
        np.add.at(out, _nd_index(indices, shape, ""), updates)
        return out
    return run


@kernel("DynamicStitch")
def _dynamic_stitch(op):
    n = op._attrs["N"]

    def run(*args):
        indices, data = args[:n], args[n:]
        inner = None
        for k, (i, d) in enumerate(zip(indices, data)):
            if d.shape[:i.ndim] != i.shape:
                raise ValueError("data[%d].shape = %s does not start with indices[%d].shape = %s"
                                 % (k, list(d.shape), k, list(i.shape)))
            rest = d.shape[i.ndim:]
            if inner is not None and rest != inner:
                raise ValueError("Need data[0].shape[%d:] = data[%d].shape[%d:], got %s and %s"
                                 % (indices[0].ndim, k, i.ndim, list(inner), list(rest)))
            inner = rest
        size = max([int(i.max()) + 1 for i in indices if i.size] or [0])
        out = np.zeros((size,) + inner, dtype=data[0].dtype)
        for i, d in zip(indices, data):
            if i.size and i.min() < 0:
                raise ValueError("indices[%d] is out of range" % int(np.argmin(i.ravel())))
            out[i.ravel()] = d.reshape((-1,) + inner)
        return out
    return run


def _unique(x, idx_dtype):
    if x.ndim != 1:
        raise ValueError("unique expects a 1D vector.")
    _, first, inverse, counts = np.unique(x, return_index=True, return_inverse=True,
                                          return_counts=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return (x[first[order]], rank[inverse.ravel()].astype(idx_dtype),
            counts[order].astype(idx_dtype))


@kernel("Unique")
def _unique_kernel(op):
    dt = op._attrs["out_idx"].as_numpy_dtype
    return lambda x: _unique(x, dt)[:2]


@kernel("UniqueWithCounts")
def _unique_with_counts(op):
    dt = op._attrs["out_idx"].as_numpy_dtype
    return lambda x: _unique(x, dt)


@kernel("ListDiff")
def _list_diff(op):
    dt = op._attrs["out_idx"].as_numpy_dtype

    def run(x, y):
        if x.ndim != 1 or y.ndim != 1:
            raise ValueError("x and y should be 1D vectors")
        keep = ~np.isin(x, y)
        return x[keep], np.nonzero(keep)[0].astype(dt)
    return run
