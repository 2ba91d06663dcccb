"""XLA kernels for matrix diagonals and bands (ops/diag_ops.py)."""

import jax.numpy as jnp
import numpy as np

from tensorflux.backends.xla.kernel import kernel


@kernel("MatrixDiag")
def _matrix_diag(op):
    def run(d):
        if d.ndim < 1:
            raise ValueError("input must be at least 1-dim")
        n = d.shape[-1]
        i = np.arange(n)
        return jnp.zeros(d.shape + (n,), dtype=d.dtype).at[..., i, i].set(d)
    return run


@kernel("MatrixDiagPart")
def _matrix_diag_part(op):
    def run(x):
        if x.ndim < 2:
            raise ValueError("input must be at least 2-dim")
        return jnp.diagonal(x, axis1=-2, axis2=-1)
    return run


@kernel("MatrixSetDiag")
def _matrix_set_diag(op):
    def run(x, d):
        if x.ndim < 2:
            raise ValueError("input must be at least 2-dim")
        k = min(x.shape[-2:])
        if d.shape != x.shape[:-2] + (k,):
            raise ValueError("bad diagonal shape")
        i = np.arange(k)
        return jnp.asarray(x).at[..., i, i].set(d)
    return run


@kernel("MatrixBandPart", static=(1, 2))
def _matrix_band_part(op):
    def run(x, lower, upper):
        if x.ndim < 2:
            raise ValueError("input must be at least 2-dim")
        m, n = x.shape[-2:]
        lo, hi = int(lower), int(upper)
        if lo > m or hi > n:
            raise ValueError("band larger than the matrix")
        r = np.arange(m)[:, None]
        c = np.arange(n)[None, :]
        keep = ((lo < 0) | (r - c <= lo)) & ((hi < 0) | (c - r <= hi))
        return jnp.where(keep, x, jnp.zeros((), x.dtype))
    return run


@kernel("Diag")
def _diag(op):
    def run(d):
        if d.ndim < 1:
            raise ValueError("Input must be at least rank 1")
        n = int(np.prod(d.shape))
        i = np.arange(n)
        out = jnp.zeros((n, n), dtype=d.dtype).at[i, i].set(jnp.ravel(d))
        return out.reshape(d.shape + d.shape)
    return run


@kernel("DiagPart")
def _diag_part(op):
    def run(x):
        half = x.ndim // 2
        if x.ndim == 0 or x.ndim % 2 or x.shape[:half] != x.shape[half:]:
            raise ValueError("bad DiagPart shape")
        n = int(np.prod(x.shape[:half]))
        return jnp.diagonal(x.reshape(n, n)).reshape(x.shape[:half])
    return run
