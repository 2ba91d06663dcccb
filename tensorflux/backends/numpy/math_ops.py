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
_erfc = np.vectorize(math.erfc, otypes=[np.float64])  # not 1 - erf: keeps the tail
_lgamma = np.vectorize(math.lgamma, otypes=[np.float64])


# Bernoulli numbers B2..B12 for the asymptotic series of the (poly)gamma functions.
_BERNOULLI = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730]


def _digamma(x):
    """psi(x): recurrence up to x >= 10, then the asymptotic series (error < 1e-13)."""
    x = np.asarray(x, np.float64)
    out = np.zeros_like(x)
    reflect = x < 0.5
    if reflect.any():  # psi(1 - x) - psi(x) = pi cot(pi x)
        xr = x[reflect]
        out[reflect] = -np.pi / np.tan(np.pi * xr)
        x = np.where(reflect, 1 - x, x)
    shift = np.zeros_like(x)
    while np.any(x < 10):
        small = x < 10
        shift = shift - np.where(small, 1 / x, 0)
        x = np.where(small, x + 1, x)
    f = 1 / (x * x)
    series = sum(b / (2 * (k + 1)) * f ** (k + 1) for k, b in enumerate(_BERNOULLI))
    return out + shift + np.log(x) - 0.5 / x - series


def _polygamma(a, x):
    """psi^(n)(x) for integer n >= 0 (n = 0 is digamma), by recurrence and asymptotics."""
    a = np.asarray(a)
    x = np.asarray(x, np.float64)
    a, x = np.broadcast_arrays(a, x)
    out = np.empty(x.shape, np.float64)
    for n in np.unique(a):
        m = a == n
        out[m] = _digamma(x[m]) if n == 0 else _polygamma_n(int(n), x[m])
    return out


def _polygamma_n(n, x):
    sign = (-1) ** (n + 1)
    fact = math.factorial(n)
    acc = np.zeros_like(x)
    while np.any(x < 15):
        small = x < 15
        acc = acc + np.where(small, fact / x ** (n + 1), 0)
        x = np.where(small, x + 1, x)
    series = math.factorial(n - 1) / x ** n + fact / (2 * x ** (n + 1))
    for k, b in enumerate(_BERNOULLI, start=1):
        series = series + b * math.factorial(2 * k + n - 1) / (
            math.factorial(2 * k) * x ** (2 * k + n))
    return sign * (acc + series)


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
               ("Reciprocal", _errstate(lambda x: np.reciprocal(x) if x.dtype.kind in "fc"
                                        else (1 // x).astype(x.dtype))),
               ("Inv", _errstate(np.reciprocal)), ("Floor", np.floor), ("Ceil", np.ceil),
               ("Round", np.round), ("Rint", np.rint), ("LogicalNot", np.logical_not),
               ("IsNan", np.isnan), ("IsInf", np.isinf), ("IsFinite", np.isfinite),
               ("Invert", np.invert),
               ("Erf", _cast_float(_erf)), ("Erfc", _cast_float(_erfc)),
               ("Lgamma", _cast_float(_lgamma)), ("Digamma", _cast_float(_digamma)),
               ("Softplus", _softplus),
               ("Softsign", lambda x: x / (1 + np.abs(x))), ("Conj", np.conj),
               ("Real", np.real), ("Imag", np.imag)]:
    _simple(_t, _f)
_simple("Polygamma", lambda a, x: _polygamma(a, x).astype(x.dtype))


@kernel("Cast")
def _cast(op):
    npd = op._attrs["DstT"].as_numpy_dtype

    def run(x):
        if x.dtype.kind == "c" and np.dtype(npd).kind != "c":
            x = x.real  # as TF: a complex value cast to a real type keeps its real part
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


# TF's gradient ops of unary functions, `XGrad(y, dy)` (ops/math_ops.py)
def _grad_op(fn):
    def run(y, dy):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return np.asarray(fn(y, dy)).astype(np.result_type(y, dy), copy=False)
    return run


for _t, _f in [("TanhGrad", lambda y, dy: dy * (1 - y * y)),
               ("SigmoidGrad", lambda y, dy: dy * (y * (1 - y))),
               ("SqrtGrad", lambda y, dy: dy * 0.5 / y),
               ("RsqrtGrad", lambda y, dy: dy * (-0.5 * (y * y * y))),
               ("ReciprocalGrad", lambda y, dy: -dy * (y * y))]:
    kernel(_t)(lambda op, _f=_f: _grad_op(_f))
