"""numpy kernels for cumulative sums and products (ops/scan_ops.py)."""

import numpy as np

from tensorflux.ops.registry import kernel


def scan_axis(x, axis):
    a = int(np.asarray(axis))
    if a < -x.ndim or a >= x.ndim:
        raise ValueError("axis must be in the range [%d, %d), got %d" % (-x.ndim, x.ndim, a))
    return a % x.ndim


def _scan(fn, identity):
    def builder(op):
        exclusive, reverse = op._attrs["exclusive"], op._attrs["reverse"]

        def run(x, axis):
            a = scan_axis(x, axis)
            y = np.flip(x, a) if reverse else x
            out = fn(y, axis=a, dtype=x.dtype)
            if exclusive:  # shift by one along the axis, starting from the identity
                first = np.full(out.shape[:a] + (1,) + out.shape[a + 1:], identity, x.dtype)
                rest = np.take(out, np.arange(out.shape[a] - 1), axis=a)
                out = np.concatenate([first, rest], axis=a)
            if reverse:
                out = np.flip(out, a)
            return np.ascontiguousarray(out, dtype=x.dtype)
        return run
    return builder


kernel("Cumsum")(_scan(np.cumsum, 0))
kernel("Cumprod")(_scan(np.cumprod, 1))
