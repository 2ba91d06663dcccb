"""XLA kernels for matrix products and factorizations (ops/linalg_ops.py)."""

import jax.numpy as jnp

from tensorflux.backends.xla.kernel import kernel


@kernel("MatMul")
@kernel("BatchMatMulV2")
def _matmul(op):
    ta, tb = op._attrs["transpose_a"], op._attrs["transpose_b"]

    def run(a, b):
        if ta:
            a = jnp.swapaxes(a, -1, -2)
        if tb:
            b = jnp.swapaxes(b, -1, -2)
        if a.shape[-1] != b.shape[-2]:
            raise ValueError("Matrix size-incompatible: %s, %s" % (a.shape, b.shape))
        return jnp.matmul(a, b)
    return run


@kernel("Qr")
def _qr(op):
    mode = "complete" if op._attrs["full_matrices"] else "reduced"

    def run(a):
        q, r = jnp.linalg.qr(a, mode=mode)
        return q.astype(a.dtype), r.astype(a.dtype)
    return run


@kernel("Svd")
def _svd(op):
    full, compute_uv = op._attrs["full_matrices"], op._attrs["compute_uv"]

    def run(a):
        work = a.astype(jnp.float32) if a.dtype == jnp.float16 else a
        empty = jnp.zeros([0], a.dtype)
        if not compute_uv:
            s = jnp.linalg.svd(work, full_matrices=full, compute_uv=False)
            return s.astype(a.dtype), empty, empty
        u, s, vh = jnp.linalg.svd(work, full_matrices=full)
        v = jnp.conj(jnp.swapaxes(vh, -1, -2))
        return s.astype(a.dtype), u.astype(a.dtype), v.astype(a.dtype)
    return run
