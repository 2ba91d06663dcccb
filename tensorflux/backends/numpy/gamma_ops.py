"""numpy kernels for the gamma-function family (ops/gamma_ops.py).

`P(a, x)` uses the power series for `x < a + 1` and the Legendre continued fraction for
`Q(a, x)` otherwise (both evaluated in log space, so far tails do not underflow); `I_x(a, b)`
uses the continued fraction on whichever side of the mean converges. The derivative of `P`
in `a` (`IgammaGradA`, and through it the implicit gamma-sample gradient `RandomGammaGrad`)
is a central difference of `log P` (or `log Q`) with step `1e-5 * a`: its error, about 1e-10
relative, is far below float32 resolution.
"""

import math

import numpy as np

from tensorflux.backends.numpy.random_ops import _dims, _rng
from tensorflux.ops.registry import kernel

_lgamma = np.vectorize(math.lgamma, otypes=[np.float64])
_TINY = 1e-300
_EPS = 1e-16
_MAX_ITER = 5000


def _log_prefactor(a, x):
    """log(x**a exp(-x) / Gamma(a))."""
    return a * np.log(x) - x - _lgamma(a)


def _log_p_series(a, x):
    term = 1.0 / a
    total = term.copy()
    ap = a.copy()
    for _ in range(_MAX_ITER):
        ap = ap + 1.0
        term = term * x / ap
        total = total + term
        if np.all(np.abs(term) <= np.abs(total) * _EPS):
            break
    return np.log(total) + _log_prefactor(a, x)


def _log_q_cf(a, x):
    b = x + 1.0 - a
    c = np.full_like(x, 1.0 / _TINY)
    d = 1.0 / b
    h = d.copy()
    for i in range(1, _MAX_ITER):
        an = -i * (i - a)
        b = b + 2.0
        d = an * d + b
        d = np.where(np.abs(d) < _TINY, _TINY, d)
        c = b + an / c
        c = np.where(np.abs(c) < _TINY, _TINY, c)
        d = 1.0 / d
        delta = d * c
        h = h * delta
        if np.all(np.abs(delta - 1.0) <= _EPS):
            break
    return np.log(h) + _log_prefactor(a, x)


def _regions(a, x):
    a, x = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(x, np.float64))
    valid = (a > 0) & (x >= 0) & ~np.isnan(a) & ~np.isnan(x)
    interior = valid & (x > 0) & np.isfinite(x)
    series = interior & (x < a + 1)
    cf = interior & ~series
    return a, x, valid, series, cf


def _igamma(a, x, upper):
    a, x, valid, series, cf = _regions(a, x)
    p = np.full(a.shape, np.nan)
    p[valid & (x == 0)] = 0.0
    p[valid & np.isinf(x)] = 1.0
    if series.any():
        p[series] = np.exp(_log_p_series(a[series], x[series]))
    if cf.any():
        p[cf] = -np.expm1(_log_q_cf(a[cf], x[cf]))
    if not upper:
        return p
    q = 1.0 - p
    if cf.any():
        q[cf] = np.exp(_log_q_cf(a[cf], x[cf]))
    return q


def _d_log_da(fn, a, x):
    h = 1e-5 * a
    return (fn(a + h, x) - fn(a - h, x)) / (2 * h), fn(a, x)


def _igamma_grad_a(a, x):
    """dP(a, x)/da."""
    a, x, valid, series, cf = _regions(a, x)
    out = np.where(valid, 0.0, np.nan)
    if series.any():
        dlog, logp = _d_log_da(_log_p_series, a[series], x[series])
        out[series] = np.exp(logp) * dlog
    if cf.any():
        dlog, logq = _d_log_da(_log_q_cf, a[cf], x[cf])
        out[cf] = -np.exp(logq) * dlog
    return out


def _random_gamma_grad(alpha, x):
    """d x / d alpha of a standard gamma sample x: -(dP/dalpha) / density, in log space."""
    a, x, valid, series, cf = _regions(alpha, x)
    out = np.where(valid, 0.0, np.nan)
    log_density = (a - 1) * np.log(np.where(x > 0, x, 1.0)) - x - _lgamma(np.where(a > 0, a, 1))
    if series.any():
        dlog, logp = _d_log_da(_log_p_series, a[series], x[series])
        out[series] = -np.exp(logp - log_density[series]) * dlog
    if cf.any():
        dlog, logq = _d_log_da(_log_q_cf, a[cf], x[cf])
        out[cf] = np.exp(logq - log_density[cf]) * dlog
    return out


def _betacf(a, b, x):
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = np.ones_like(x)
    d = 1.0 - qab * x / qap
    d = 1.0 / np.where(np.abs(d) < _TINY, _TINY, d)
    h = d.copy()
    for m in range(1, _MAX_ITER):
        m2 = 2 * m
        for aa in (m * (b - m) * x / ((qam + m2) * (a + m2)),
                   -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1.0 + aa * d
            d = 1.0 / np.where(np.abs(d) < _TINY, _TINY, d)
            c = 1.0 + aa / c
            c = np.where(np.abs(c) < _TINY, _TINY, c)
            delta = d * c
            h = h * delta
        if np.all(np.abs(delta - 1.0) <= _EPS):
            break
    return h


def _betainc(a, b, x):
    a, b, x = np.broadcast_arrays(*(np.asarray(v, np.float64) for v in (a, b, x)))
    valid = (a > 0) & (b > 0) & (x >= 0) & (x <= 1)
    out = np.full(a.shape, np.nan)
    out[valid & (x == 0)] = 0.0
    out[valid & (x == 1)] = 1.0
    inner = valid & (x > 0) & (x < 1)
    if inner.any():
        ai, bi, xi = a[inner], b[inner], x[inner]
        log_front = (ai * np.log(xi) + bi * np.log1p(-xi)
                     - (_lgamma(ai) + _lgamma(bi) - _lgamma(ai + bi)))
        lower = xi < (ai + 1) / (ai + bi + 2)
        val = np.empty_like(xi)
        if lower.any():
            val[lower] = (np.exp(log_front[lower])
                          * _betacf(ai[lower], bi[lower], xi[lower]) / ai[lower])
        upper = ~lower
        if upper.any():
            val[upper] = 1.0 - (np.exp(log_front[upper])
                                * _betacf(bi[upper], ai[upper], 1.0 - xi[upper]) / bi[upper])
        out[inner] = val
    return out


def _typed(fn):
    def builder(op):
        def run(*args):
            return np.asarray(fn(*args)).astype(args[-1].dtype)
        return run
    return builder


kernel("Igamma")(_typed(lambda a, x: _igamma(a, x, upper=False)))
kernel("Igammac")(_typed(lambda a, x: _igamma(a, x, upper=True)))
kernel("IgammaGradA")(_typed(_igamma_grad_a))
kernel("RandomGammaGrad")(_typed(_random_gamma_grad))
kernel("Betainc")(_typed(_betainc))


@kernel("RandomGamma")
def _random_gamma(op):
    def run(state, shape, alpha):
        size = tuple(_dims(shape)) + alpha.shape
        out = _rng(state, op).standard_gamma(np.broadcast_to(alpha.astype(np.float64), size))
        return np.asarray(out, dtype=alpha.dtype)
    return run
