"""numpy kernels for matrix products (ops/linalg_ops.py)."""

import numpy as np

from tensorflux.ops.registry import kernel


def _check(a, b, ta, tb):
    ka = a.shape[-2] if ta else a.shape[-1]
    kb = b.shape[-1] if tb else b.shape[-2]
    if ka != kb:
        raise ValueError("Matrix size-incompatible: In[0]: %s, In[1]: %s"
                         % (list(a.shape), list(b.shape)))


@kernel("MatMul")
@kernel("BatchMatMulV2")
def _matmul(op):
    ta, tb = op._attrs["transpose_a"], op._attrs["transpose_b"]

    def run(a, b):
        if ta:
            a = np.swapaxes(a, -1, -2)
        if tb:
            b = np.swapaxes(b, -1, -2)
        _check(a, b, False, False)
        if a.dtype.kind in "iu":
            return np.matmul(a.astype(np.int64), b.astype(np.int64)).astype(a.dtype)
        return np.matmul(a, b)
    return run


@kernel("Qr")
def _qr(op):
    mode = "complete" if op._attrs["full_matrices"] else "reduced"

    def run(a):
        q, r = np.linalg.qr(a, mode=mode)
        return q.astype(a.dtype), r.astype(a.dtype)
    return run
