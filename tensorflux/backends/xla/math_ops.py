"""XLA kernels for elementwise math (ops/math_ops.py)."""

import jax
import jax.numpy as jnp
import jax.scipy.special as jsp
import numpy as np
from jax import lax

from tensorflux.backends.xla.kernel import fail_if, kernel


def _is_int(op):
    return op.inputs[0].dtype.base_dtype.as_numpy_dtype in (np.int8, np.int16, np.int32, np.int64,
                                                           np.uint8, np.uint16, np.uint32,
                                                           np.uint64)


def _int_kind(x):
    return jnp.issubdtype(x.dtype, jnp.integer)


def _simple(op_type, fn, checks=None):
    kernel(op_type, checks=checks)(lambda op: fn)


def _no_zero_divisor(y):
    fail_if(y == 0)


def _truncdiv(x, y):
    if _int_kind(x):
        _no_zero_divisor(y)
        x, y = jnp.broadcast_arrays(x, y)
        return lax.div(x, y)
    return jnp.trunc(jnp.true_divide(x, y)).astype(x.dtype)


def _realdiv(x, y):
    if _int_kind(x):
        return _truncdiv(x, y)
    return jnp.true_divide(x, y)


def _floordiv(x, y):
    if _int_kind(x):
        _no_zero_divisor(y)
    return jnp.floor_divide(x, y)


def _floormod(x, y):
    if _int_kind(x):
        _no_zero_divisor(y)
    return jnp.mod(x, y)


def _pow(x, y):
    if _int_kind(x):
        fail_if(y < 0)
    return jnp.power(x, y)


for _t, _f in [("Add", jnp.add), ("AddV2", jnp.add), ("Sub", jnp.subtract),
               ("Mul", jnp.multiply), ("Maximum", jnp.maximum), ("Minimum", jnp.minimum),
               ("Atan2", jnp.arctan2),
               ("SquaredDifference", lambda x, y: jnp.square(jnp.subtract(x, y))),
               ("Less", jnp.less), ("LessEqual", jnp.less_equal), ("Greater", jnp.greater),
               ("GreaterEqual", jnp.greater_equal), ("Equal", jnp.equal),
               ("NotEqual", jnp.not_equal), ("LogicalAnd", jnp.logical_and),
               ("LogicalOr", jnp.logical_or), ("BitwiseAnd", jnp.bitwise_and),
               ("BitwiseOr", jnp.bitwise_or), ("BitwiseXor", jnp.bitwise_xor),
               ("TruncateMod", jnp.fmod)]:
    _simple(_t, _f)
for _t, _f in [("RealDiv", _realdiv), ("Div", _realdiv), ("FloorDiv", _floordiv),
               ("FloorMod", _floormod), ("TruncateDiv", _truncdiv), ("Pow", _pow)]:
    _simple(_t, _f, checks=_is_int)


def _reciprocal(x):
    if _int_kind(x):
        return jnp.floor_divide(jnp.ones((), x.dtype), x)
    return 1 / x


def _digamma(x):
    return jsp.digamma(x)


for _t, _f in [("Neg", jnp.negative), ("Abs", jnp.abs), ("Sign", jnp.sign),
               ("Square", jnp.square), ("Sqrt", jnp.sqrt), ("Rsqrt", lax.rsqrt),
               ("Exp", jnp.exp), ("Expm1", jnp.expm1), ("Log", jnp.log), ("Log1p", jnp.log1p),
               ("Sin", jnp.sin), ("Cos", jnp.cos), ("Tan", jnp.tan), ("Asin", jnp.arcsin),
               ("Acos", jnp.arccos), ("Atan", jnp.arctan), ("Sinh", jnp.sinh),
               ("Cosh", jnp.cosh), ("Tanh", jnp.tanh), ("Asinh", jnp.arcsinh),
               ("Acosh", jnp.arccosh), ("Atanh", jnp.arctanh), ("Sigmoid", jax.nn.sigmoid),
               ("Reciprocal", _reciprocal), ("Inv", _reciprocal), ("Floor", jnp.floor),
               ("Ceil", jnp.ceil), ("Round", jnp.round), ("Rint", jnp.rint),
               ("LogicalNot", jnp.logical_not), ("IsNan", jnp.isnan), ("IsInf", jnp.isinf),
               ("IsFinite", jnp.isfinite), ("Invert", jnp.invert), ("Erf", jsp.erf),
               ("Erfc", jsp.erfc), ("Lgamma", lax.lgamma), ("Digamma", _digamma),
               ("Softplus", lambda x: jnp.logaddexp(jnp.zeros((), x.dtype), x)),
               ("Softsign", lambda x: x / (1 + jnp.abs(x))), ("Conj", jnp.conj),
               ("Real", jnp.real), ("Imag", jnp.imag)]:
    _simple(_t, _f)


@kernel("Polygamma")
def _polygamma(op):
    def run(a, x):
        a, x = jnp.broadcast_arrays(a, x)
        return jsp.polygamma(a.astype(jnp.int32), x).astype(x.dtype)
    return run


@kernel("Cast")
def _cast(op):
    npd = op._attrs["DstT"].as_numpy_dtype

    def run(x):
        if jnp.issubdtype(x.dtype, jnp.complexfloating) and not np.issubdtype(
                npd, np.complexfloating):
            x = jnp.real(x)
        if jnp.issubdtype(x.dtype, jnp.floating) and np.dtype(npd).kind in "iu":
            return jnp.trunc(x).astype(npd)
        return x.astype(npd)
    return run


@kernel("AddN")
def _add_n(op):
    def run(*xs):
        out = xs[0]
        for x in xs[1:]:
            out = out + x
        return out
    return run


# TF's gradient ops of unary functions, `XGrad(y, dy)` (ops/math_ops.py)
for _t, _f in [("TanhGrad", lambda y, dy: dy * (1 - y * y)),
               ("SigmoidGrad", lambda y, dy: dy * (y * (1 - y))),
               ("SqrtGrad", lambda y, dy: dy * 0.5 / y),
               ("RsqrtGrad", lambda y, dy: dy * (-0.5 * (y * y * y))),
               ("ReciprocalGrad", lambda y, dy: -dy * (y * y))]:
    kernel(_t)(lambda op, _f=_f: _f)
