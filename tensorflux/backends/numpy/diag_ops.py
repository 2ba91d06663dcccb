"""numpy kernels for matrix diagonals and bands (ops/diag_ops.py)."""

import numpy as np

from tensorflux.ops.registry import kernel


@kernel("MatrixDiag")
def _matrix_diag(op):
    def run(d):
        if d.ndim < 1:
            raise ValueError("input must be at least 1-dim, received shape: %s" % list(d.shape))
        n = d.shape[-1]
        out = np.zeros(d.shape + (n,), dtype=d.dtype)
        i = np.arange(n)
        out[..., i, i] = d
        return out
    return run


@kernel("MatrixDiagPart")
def _matrix_diag_part(op):
    def run(x):
        if x.ndim < 2:
            raise ValueError("input must be at least 2-dim, received shape: %s" % list(x.shape))
        return np.ascontiguousarray(np.diagonal(x, axis1=-2, axis2=-1))
    return run


@kernel("MatrixSetDiag")
def _matrix_set_diag(op):
    def run(x, d):
        if x.ndim < 2:
            raise ValueError("input must be at least 2-dim, received shape: %s" % list(x.shape))
        k = min(x.shape[-2:])
        if d.shape != x.shape[:-2] + (k,):
            raise ValueError("diagonal must have shape %s, received shape: %s"
                             % (list(x.shape[:-2] + (k,)), list(d.shape)))
        out = x.copy()
        i = np.arange(k)
        out[..., i, i] = d
        return out
    return run


@kernel("MatrixBandPart")
def _matrix_band_part(op):
    def run(x, lower, upper):
        if x.ndim < 2:
            raise ValueError("input must be at least 2-dim, received shape: %s" % list(x.shape))
        m, n = x.shape[-2:]
        lo, hi = int(lower), int(upper)
        if lo > m:
            raise ValueError("num_lower must be negative or less or equal to number of rows (%d) "
                             "got: %d" % (m, lo))
        if hi > n:
            raise ValueError("num_upper must be negative or less or equal to number of columns "
                             "(%d) got: %d" % (n, hi))
        r = np.arange(m)[:, None]
        c = np.arange(n)[None, :]
        keep = ((lo < 0) | (r - c <= lo)) & ((hi < 0) | (c - r <= hi))
        return np.where(keep, x, np.zeros((), x.dtype))
    return run


@kernel("Diag")
def _diag(op):
    def run(d):
        if d.ndim < 1:
            raise ValueError("Input must be at least rank 1, received shape: %s"
                             % list(d.shape))
        n = d.size
        out = np.zeros((n, n), dtype=d.dtype)
        out[np.arange(n), np.arange(n)] = d.ravel()
        return out.reshape(d.shape + d.shape)
    return run


@kernel("DiagPart")
def _diag_part(op):
    def run(x):
        half = x.ndim // 2
        if x.ndim == 0 or x.ndim % 2 or x.shape[:half] != x.shape[half:]:
            raise ValueError("Invalid shape %s: dimensions must be equal in pairs of an even "
                             "rank" % list(x.shape))
        n = int(np.prod(x.shape[:half]))
        return np.ascontiguousarray(x.reshape(n, n).diagonal()).reshape(x.shape[:half])
    return run
