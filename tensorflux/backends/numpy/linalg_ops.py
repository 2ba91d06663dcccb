"""numpy kernels for matrix products (ops/linalg_ops.py); 2-D float32 products run on oneDNN
when it is available (see backends/onednn)."""

import numpy as np

from tensorflux.backends import onednn
from tensorflux.backends.onednn import _capi as onednn_capi
from tensorflux.backends.onednn import matmul as onednn_matmul
from tensorflux.backends.onednn import primitives as onednn_prims
from tensorflux.ops.registry import kernel


def _check(a, b, ta, tb):
    ka = a.shape[-2] if ta else a.shape[-1]
    kb = b.shape[-1] if tb else b.shape[-2]
    if ka != kb:
        raise ValueError("Matrix size-incompatible: In[0]: %s, In[1]: %s"
                         % (list(a.shape), list(b.shape)))


def fast_matmul(rt, a, b):
    """oneDNN `a @ b` of 2-D float32 matrices (transposed views are read in place); None if
    not handled."""
    if a.ndim != 2 or b.ndim != 2 or a.dtype != np.float32 or b.dtype != np.float32 or \
            min(a.shape + b.shape) == 0:
        return None
    try:
        return onednn_matmul.matmul(rt, onednn_prims.as_usable(a), onednn_prims.as_usable(b))
    except onednn_capi.DnnlError:
        return None


def fused_bias_kernel(matmul, bias_op):
    """For a `_FusedConv` of the fusion pass: `run(a, b, bias)` computing `a @ b + bias` in one
    oneDNN primitive, which returns None where the reference kernels must run; None when
    oneDNN is off or the product is not a plain MatMul."""
    rt = onednn.runtime()
    if rt is None or matmul.type != "MatMul":
        return None
    ta, tb = matmul._attrs["transpose_a"], matmul._attrs["transpose_b"]

    def run(a, b, bias):
        if a.ndim != 2 or b.ndim != 2 or bias.ndim != 1 or any(
                t.dtype != np.float32 for t in (a, b, bias)):
            return None
        a = a.T if ta else a
        b = b.T if tb else b
        if a.shape[1] != b.shape[0] or bias.shape[0] != b.shape[1] or min(a.shape + b.shape) == 0:
            return None
        try:
            return onednn_matmul.matmul(rt, onednn_prims.as_usable(a), onednn_prims.as_usable(b),
                                        np.ascontiguousarray(bias))
        except onednn_capi.DnnlError:
            return None
    return run


@kernel("MatMul")
@kernel("BatchMatMulV2")
def _matmul(op):
    ta, tb = op._attrs["transpose_a"], op._attrs["transpose_b"]
    rt = onednn.runtime()

    def run(a, b):
        if ta:
            a = np.swapaxes(a, -1, -2)
        if tb:
            b = np.swapaxes(b, -1, -2)
        _check(a, b, False, False)
        if a.dtype.kind in "iu":
            return np.matmul(a.astype(np.int64), b.astype(np.int64)).astype(a.dtype)
        if rt is not None:
            c = fast_matmul(rt, a, b)
            if c is not None:
                return c
        return np.matmul(a, b)
    return run


@kernel("Qr")
def _qr(op):
    mode = "complete" if op._attrs["full_matrices"] else "reduced"

    def run(a):
        q, r = np.linalg.qr(a, mode=mode)
        return q.astype(a.dtype), r.astype(a.dtype)
    return run


def _svd_one_by_one(a, full, compute_uv):
    """`np.linalg.svd` of each matrix of a batch; one that does not converge (NaN or inf input)
    comes out all NaN, as TF's kernel gives it, instead of failing the whole batch."""
    m, n = a.shape[-2:]
    p = min(m, n)
    batch = a.shape[:-2]
    s = np.full(batch + (p,), np.nan, a.real.dtype)
    u = np.full(batch + (m, m if full else p), np.nan, a.dtype)
    vh = np.full(batch + (n if full else p, n), np.nan, a.dtype)
    for i in np.ndindex(*batch):
        try:
            if compute_uv:
                u[i], s[i], vh[i] = np.linalg.svd(a[i], full_matrices=full)
            else:
                s[i] = np.linalg.svd(a[i], compute_uv=False)
        except np.linalg.LinAlgError:
            pass
    return (u, s, vh) if compute_uv else s


@kernel("Svd")
def _svd(op):
    full, compute_uv = op._attrs["full_matrices"], op._attrs["compute_uv"]

    def run(a):
        # LAPACK has no half precision: float16 is decomposed in float32
        work = a.astype(np.float32) if a.dtype == np.float16 else a
        try:
            out = np.linalg.svd(work, full_matrices=full, compute_uv=compute_uv)
        except np.linalg.LinAlgError:
            out = _svd_one_by_one(work, full, compute_uv)
        empty = np.zeros([0], a.dtype)
        if not compute_uv:
            return np.asarray(out).astype(a.dtype), empty, empty
        u, s, vh = out
        v = np.conj(np.swapaxes(vh, -1, -2))
        return s.astype(a.dtype), u.astype(a.dtype), v.astype(a.dtype)
    return run
