"""numpy kernels for elementwise math (ops/math_ops.py)."""

import math

import numpy as np

from tensorflux.ops.registry import kernel


def _simple(op_type, fn):
    kernel(op_type)(lambda op: fn)


def _same_dtype(fn):
    """Wraps a numpy ufunc so the result keeps the input dtype (numpy may upcast scalars)."""
    def run(x, *rest):
        r = fn(x, *rest)
        return r if r.dtype == x.dtype else r.astype(x.dtype)
    return run


def _floordiv(x, y):
    if x.dtype.kind in "iu":
        if np.any(y == 0):
            raise ZeroDivisionError("Integer division by zero")
    return np.floor_divide(x, y)


def _floormod(x, y):
    if x.dtype.kind in "iu" and np.any(y == 0):
        raise ZeroDivisionError("Integer division by zero")
    return np.mod(x, y)


def _truncdiv(x, y):
    if x.dtype.kind in "iu":
        if np.any(y == 0):
            raise ZeroDivisionError("Integer division by zero")
        q = np.abs(x) // np.abs(y)
        return (q * np.sign(x) * np.sign(y)).astype(x.dtype)
    return np.trunc(x / y).astype(x.dtype)


def _truncmod(x, y):
    return np.fmod(x, y)


def _realdiv(x, y):
    if x.dtype.kind in "iu":
        if np.any(y == 0):
            raise ZeroDivisionError("Integer division by zero")
        return _truncdiv(x, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.true_divide(x, y)


def _pow(x, y):
    if x.dtype.kind in "iu" and np.any(y < 0):
        raise ValueError("Integers to negative integer powers are not allowed")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.power(x, y)


for _t, _f in [("Add", np.add), ("AddV2", np.add), ("Sub", np.subtract),
               ("Mul", np.multiply), ("RealDiv", _realdiv), ("Div", _realdiv),
               ("FloorDiv", _floordiv), ("FloorMod", _floormod), ("TruncateDiv", _truncdiv),
               ("TruncateMod", _truncmod), ("Pow", _pow), ("Maximum", np.maximum),
               ("Minimum", np.minimum), ("Atan2", np.arctan2),
               ("SquaredDifference", lambda x, y: np.square(x - y)),
               ("Less", np.less), ("LessEqual", np.less_equal), ("Greater", np.greater),
               ("GreaterEqual", np.greater_equal), ("Equal", np.equal),
               ("NotEqual", np.not_equal), ("LogicalAnd", np.logical_and),
               ("LogicalOr", np.logical_or), ("BitwiseAnd", np.bitwise_and),
               ("BitwiseOr", np.bitwise_or), ("BitwiseXor", np.bitwise_xor)]:
    _simple(_t, _f)


def _errstate(fn):
    def run(x):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return fn(x)
    return run


def _sigmoid(x):
    with np.errstate(over="ignore"):
        return (1.0 / (1.0 + np.exp(-x))).astype(x.dtype, copy=False)


def _softplus(x):
    return (np.logaddexp(0, x)).astype(x.dtype, copy=False)


_erf = np.vectorize(math.erf, otypes=[np.float64])
_lgamma = np.vectorize(math.lgamma, otypes=[np.float64])


def _digamma(x):
    try:
        from scipy import special

        return special.digamma(x).astype(x.dtype)
    except ImportError:  # asymptotic series with recurrence, accurate to ~1e-10
        x = np.asarray(x, np.float64)
        r = np.zeros_like(x)
        while np.any(x < 6):
            m = x < 6
            r[m] -= 1 / x[m]
            x = np.where(m, x + 1, x)
        f = 1 / (x * x)
        return r + np.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f / 240)))


def _polygamma(a, x):
    from scipy import special

    return special.polygamma(a.astype(int), x).astype(x.dtype)


def _cast_float(fn):
    def run(x):
        return fn(x).astype(x.dtype, copy=False)
    return run


for _t, _f in [("Neg", np.negative), ("Abs", np.abs), ("Sign", np.sign),
               ("Square", np.square), ("Sqrt", _errstate(np.sqrt)),
               ("Rsqrt", _errstate(lambda x: (1 / np.sqrt(x)).astype(x.dtype, copy=False))),
               ("Exp", _errstate(np.exp)), ("Expm1", _errstate(np.expm1)),
               ("Log", _errstate(np.log)), ("Log1p", _errstate(np.log1p)),
               ("Sin", np.sin), ("Cos", np.cos), ("Tan", np.tan),
               ("Asin", _errstate(np.arcsin)), ("Acos", _errstate(np.arccos)),
               ("Atan", np.arctan), ("Sinh", _errstate(np.sinh)), ("Cosh", _errstate(np.cosh)),
               ("Tanh", np.tanh), ("Asinh", np.arcsinh), ("Acosh", _errstate(np.arccosh)),
               ("Atanh", _errstate(np.arctanh)), ("Sigmoid", _sigmoid),
               ("Reciprocal", _errstate(lambda x: np.reciprocal(x) if x.dtype.kind == "f"
                                        else (1 // x).astype(x.dtype))),
               ("Inv", _errstate(np.reciprocal)), ("Floor", np.floor), ("Ceil", np.ceil),
               ("Round", np.round), ("Rint", np.rint), ("LogicalNot", np.logical_not),
               ("IsNan", np.isnan), ("IsInf", np.isinf), ("IsFinite", np.isfinite),
               ("Invert", np.invert),
               ("Erf", _cast_float(_erf)), ("Erfc", _cast_float(lambda x: 1 - _erf(x))),
               ("Lgamma", _cast_float(_lgamma)), ("Digamma", _cast_float(_digamma)),
               ("Softplus", _softplus),
               ("Softsign", lambda x: x / (1 + np.abs(x))), ("Conj", np.conj),
               ("Real", np.real), ("Imag", np.imag)]:
    _simple(_t, _f)
_simple("Polygamma", _polygamma)


@kernel("Cast")
def _cast(op):
    npd = op._attrs["DstT"].as_numpy_dtype

    def run(x):
        if x.dtype.kind == "f" and np.dtype(npd).kind in "iu":
            with np.errstate(invalid="ignore"):
                return np.trunc(x).astype(npd)
        return x.astype(npd)
    return run


@kernel("AddN")
def _add_n(op):
    def run(*xs):
        out = xs[0] + xs[1]
        for x in xs[2:]:
            out += x
        return out
    return run
