"""numpy kernels for ops/sparse_math_ops.py: sparse reductions, softmax, maximum/minimum."""

import numpy as np

from tensorflux.backends.numpy.sparse_ops import _merge, _order
from tensorflux.ops.registry import kernel


def _axes(axes, rank):
    ax = np.asarray(axes).reshape(-1)
    for a in ax:
        if not -rank <= a < rank:
            raise ValueError("Invalid reduction dimension %d, for input with %d dimensions."
                             % (a, rank))
    return sorted({int(a) % rank for a in ax})


def _groups(indices, values, shape, axes, keep, ufunc):
    """Reduces the values of entries that agree outside `axes` with `ufunc` (np.maximum or
    np.add); returns (group indices in the output's coordinates, reduced values, out shape)."""
    shape = np.asarray(shape, np.int64).reshape(-1)
    red = _axes(axes, shape.size)
    kept = [d for d in range(shape.size) if d not in red]
    idx = np.asarray(indices, np.int64).reshape(-1, shape.size)
    if keep:
        key = idx.copy()
        key[:, red] = 0
        out_shape = shape.copy()
        out_shape[red] = 1
    else:
        key, out_shape = idx[:, kept], shape[kept]
    rows = {}
    for k, v in zip(map(tuple, key.tolist()), np.asarray(values)):
        rows[k] = v if k not in rows else ufunc(rows[k], v)
    keys = sorted(rows)
    out_idx = np.array(keys, np.int64).reshape(len(keys), key.shape[1])
    out_val = np.array([rows[k] for k in keys], np.asarray(values).dtype)
    return out_idx, out_val, out_shape


@kernel("SparseReduceMax")
def _reduce_max(op):
    keep = op._attrs["keep_dims"]

    def run(indices, values, shape, axes):
        idx, val, out_shape = _groups(indices, values, shape, axes, keep, np.maximum)
        dtype = np.asarray(values).dtype
        # A group without entries is 0, as in TF.
        out = np.zeros(tuple(int(d) for d in out_shape), dtype)
        if len(idx) and idx.shape[1]:
            out[tuple(idx.T)] = val
        elif len(idx):  # every axis reduced: one group, a scalar
            out[()] = val[0]
        return out

    return run


def _sparse_reduce(ufunc):
    def builder(op):
        keep = op._attrs["keep_dims"]

        def run(indices, values, shape, axes):
            return list(_groups(indices, values, shape, axes, keep, ufunc))
        return run
    return builder


kernel("SparseReduceMaxSparse")(_sparse_reduce(np.maximum))
kernel("SparseReduceSumSparse")(_sparse_reduce(np.add))


@kernel("SparseSoftmax")
def _softmax(op):
    def run(indices, values, shape):
        idx = np.asarray(indices, np.int64)
        values = np.asarray(values)
        if idx.ndim != 2 or idx.shape[1] < 2:
            raise ValueError("Input should have rank >= 2, but received shape: %s"
                             % list(np.asarray(shape).reshape(-1)))
        out = np.empty_like(values)
        rows = {}
        for i, k in enumerate(map(tuple, idx[:, :-1].tolist())):
            rows.setdefault(k, []).append(i)
        for members in rows.values():
            v = values[members]
            e = np.exp(v - v.max())
            out[members] = e / e.sum()
        return out

    return run


def _elementwise(ufunc):
    def builder(op):
        def run(a_idx, a_val, a_shape, b_idx, b_val, b_shape):
            a_shape, b_shape = np.asarray(a_shape).reshape(-1), np.asarray(b_shape).reshape(-1)
            for d in range(max(a_shape.size, b_shape.size)):
                if d >= a_shape.size or d >= b_shape.size or a_shape[d] != b_shape[d]:
                    raise ValueError("Operands' shapes do not match: got %d and %d for "
                                     "dimension %d" % (a_shape[d], b_shape[d], d))
            a_idx, b_idx = np.asarray(a_idx, np.int64), np.asarray(b_idx, np.int64)
            pa, pb = _order(a_idx), _order(b_idx)
            a_idx, a_val, b_idx, b_val = a_idx[pa], a_val[pa], b_idx[pb], b_val[pb]
            idx, ia, ib = _merge(a_idx, b_idx)
            zero = np.zeros(len(idx), a_val.dtype)
            av = np.where(ia >= 0, a_val[np.maximum(ia, 0)] if len(a_val) else zero, zero)
            bv = np.where(ib >= 0, b_val[np.maximum(ib, 0)] if len(b_val) else zero, zero)
            return [idx, ufunc(av, bv).astype(a_val.dtype)]
        return run
    return builder


kernel("SparseSparseMaximum")(_elementwise(np.maximum))
kernel("SparseSparseMinimum")(_elementwise(np.minimum))
