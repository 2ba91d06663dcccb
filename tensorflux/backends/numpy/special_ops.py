"""numpy kernels for NaN-safe products and special functions (ops/special_ops.py)."""

import math
from statistics import NormalDist

import numpy as np

from tensorflux.ops.registry import kernel

_inv_cdf = np.vectorize(NormalDist().inv_cdf, otypes=[np.float64])
_erf = np.vectorize(math.erf, otypes=[np.float64])


@kernel("Xlogy")
def _xlogy(op):
    def run(x, y):
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(x == 0, np.zeros((), x.dtype), x * np.log(y))
        return out.astype(x.dtype, copy=False)
    return run


@kernel("Xdivy")
def _xdivy(op):
    def run(x, y):
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(x == 0, np.zeros((), x.dtype), x / y)
        return out.astype(x.dtype, copy=False)
    return run


@kernel("MulNoNan")
def _mul_no_nan(op):
    def run(x, y):
        with np.errstate(invalid="ignore", over="ignore"):
            out = np.where(y == 0, np.zeros((), x.dtype), x * y)
        return out.astype(x.dtype, copy=False)
    return run


def ndtri(p):
    """The standard normal quantile, float64: ∓inf at 0 and 1, NaN outside [0, 1]."""
    p = np.asarray(p, np.float64)
    inside = (p > 0) & (p < 1)
    out = np.full(p.shape, np.nan)
    out[inside] = _inv_cdf(p[inside])
    out[p == 0] = -np.inf
    out[p == 1] = np.inf
    return out


def erfinv(x):
    """erfinv(x) = ndtri((x + 1) / 2) / sqrt(2), then one Newton step on erf for accuracy
    near 0 (where (x + 1) / 2 loses the low bits of x)."""
    x = np.asarray(x, np.float64)
    y = ndtri((x + 1) / 2) / math.sqrt(2)
    finite = np.isfinite(y)
    yf = y[finite]
    y[finite] = yf - (_erf(yf) - x[finite]) / (2 / math.sqrt(math.pi) * np.exp(-yf * yf))
    return y


def _float_kernel(fn):
    def builder(op):
        def run(x):
            with np.errstate(invalid="ignore", over="ignore"):
                return fn(x).astype(x.dtype, copy=False)
        return run
    return builder


kernel("Erfinv")(_float_kernel(erfinv))
kernel("Ndtri")(_float_kernel(ndtri))
