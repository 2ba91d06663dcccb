"""numpy kernel for Bincount (ops/bincount_ops.py)."""

import numpy as np

from tensorflux.ops.registry import kernel


def check_bincount_args(arr, size, weights):
    if int(size) < 0:
        raise ValueError("size (%d) must be non-negative" % int(size))
    if weights.size and weights.shape != arr.shape:
        raise ValueError("If weights are passed, they must have the same shape (%s) as arr (%s)"
                         % (list(weights.shape), list(arr.shape)))


@kernel("Bincount")
def _bincount(op):
    def run(arr, size, weights):
        check_bincount_args(arr, size, weights)
        size = int(size)
        if (arr < 0).any():
            raise ValueError("Input arr must be non-negative!")
        keep = arr < size
        values = arr[keep]
        w = weights[keep] if weights.size else None
        out = np.bincount(values, w, minlength=size)[:size]
        return out.astype(weights.dtype)
    return run
