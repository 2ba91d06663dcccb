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
