"""Elementwise math: unary and binary ops with broadcasting, their gradients, Tensor operators."""

import numpy as np

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import _helpers, array_ops, reduction_ops, registry
from tensorflux.ops._helpers import apply1, convert

ND = registry.NOT_DIFFERENTIABLE


# --- broadcasting gradient helper ----------------------------------------------------------
def _sum_to(grad, x):
    """Reduces a broadcast gradient back to the shape of input `x` (TF's _BroadcastGradientArgs)."""
    gs, xs = grad.shape, x.shape
    if gs.is_fully_defined() and xs.is_fully_defined():
        g, s = gs.as_list(), xs.as_list()
        if g == s:
            return grad
        lead = len(g) - len(s)
        axes = list(range(lead)) + [lead + i for i, d in enumerate(s)
                                    if d == 1 and g[lead + i] != 1]
        r = reduction_ops.reduce_sum(grad, axes) if axes else grad
        return array_ops.reshape(r, s)
    sx = array_ops.shape(x)
    sg = array_ops.shape(grad)
    rx, _ = array_ops.broadcast_gradient_args(sx, sg)
    return array_ops.reshape(reduction_ops.reduce_sum(grad, rx), sx)


def _binary_grads(op, gx, gy):
    x, y = op.inputs
    return [None if gx is None else _sum_to(gx, x), None if gy is None else _sum_to(gy, y)]


# --- binary ops ------------------------------------------------------------------------------
def _binary_shape(op):
    x, y = op.inputs
    return [(x.dtype.base_dtype, _helpers.broadcast_shapes(x.shape, y.shape))]


def _compare_shape(op):
    x, y = op.inputs
    return [(dtypes.bool, _helpers.broadcast_shapes(x.shape, y.shape))]


def _grad_add(op, g):
    return _binary_grads(op, g, g)


def _grad_sub(op, g):
    return _binary_grads(op, g, negative(g))


def _grad_mul(op, g):
    x, y = op.inputs
    return _binary_grads(op, multiply(g, conj(y)), multiply(conj(x), g))


def _grad_div(op, g):
    x, y = conj(op.inputs[0]), conj(op.inputs[1])  # TF conjugates for complex inputs
    return _binary_grads(op, realdiv(g, y), multiply(g, realdiv(realdiv(negative(x), y), y)))


def _grad_pow(op, g):
    x, y = op.inputs
    z = op.outputs[0]
    gx = multiply(multiply(g, y), pow(x, subtract(y, array_ops.ones_like(y))))
    safe_log = array_ops.where(greater(x, array_ops.zeros_like(x)), log(
        array_ops.where(greater(x, array_ops.zeros_like(x)), x, array_ops.ones_like(x))),
        array_ops.zeros_like(x))
    gy = multiply(multiply(g, z), safe_log)
    return _binary_grads(op, gx, gy)


def _grad_minmax(pick):
    def grad(op, g):
        x, y = op.inputs
        mask = pick(x, y)
        zeros = array_ops.zeros_like(g)
        return _binary_grads(op, array_ops.where(mask, g, zeros),
                             array_ops.where(mask, zeros, g))
    return grad


def _grad_squared_difference(op, g):
    x, y = op.inputs
    d = multiply(scalar_mul(2.0, g), subtract(x, y))
    return _binary_grads(op, d, negative(d))


def _grad_atan2(op, g):
    y, x = op.inputs
    inv = reciprocal(add(square(x), square(y)))
    return _binary_grads(op, multiply(g, multiply(x, inv)), multiply(g, multiply(negative(y), inv)))


def _grad_floor_mod(op, g):
    x, y = op.inputs
    return _binary_grads(op, g, multiply(g, negative(floordiv(x, y))))


_BINARY = {
    # op type: (gradient, is_comparison)
    "Add": (_grad_add, False), "AddV2": (_grad_add, False), "Sub": (_grad_sub, False),
    "Mul": (_grad_mul, False), "RealDiv": (_grad_div, False), "Div": (_grad_div, False),
    "FloorDiv": (ND, False), "FloorMod": (_grad_floor_mod, False),
    "TruncateDiv": (ND, False), "TruncateMod": (ND, False),
    "Pow": (_grad_pow, False),
    "Maximum": (_grad_minmax(lambda x, y: greater_equal(x, y)), False),
    "Minimum": (_grad_minmax(lambda x, y: less_equal(x, y)), False),
    "SquaredDifference": (_grad_squared_difference, False), "Atan2": (_grad_atan2, False),
    "Less": (ND, True), "LessEqual": (ND, True), "Greater": (ND, True),
    "GreaterEqual": (ND, True), "Equal": (ND, True), "NotEqual": (ND, True),
    "LogicalAnd": (ND, False), "LogicalOr": (ND, False),
    "BitwiseAnd": (ND, False), "BitwiseOr": (ND, False), "BitwiseXor": (ND, False),
}
for _name, (_grad, _cmp) in _BINARY.items():
    registry.register(_name, shape=_compare_shape if _cmp else _binary_shape, grad=_grad)


def _binary(op_type):
    def fn(x, y, name=None):
        return apply1(op_type, [x, y], name=name)
    fn.__name__ = op_type
    return fn


add = _binary("Add")
subtract = _binary("Sub")
multiply = _binary("Mul")
realdiv = _binary("RealDiv")
floormod = _binary("FloorMod")
truncatediv = _binary("TruncateDiv")
truncatemod = _binary("TruncateMod")
pow = _binary("Pow")  # noqa: A001 - TF's public name
maximum = _binary("Maximum")
minimum = _binary("Minimum")
squared_difference = _binary("SquaredDifference")
less = _binary("Less")
less_equal = _binary("LessEqual")
greater = _binary("Greater")
greater_equal = _binary("GreaterEqual")
logical_and = _binary("LogicalAnd")
logical_or = _binary("LogicalOr")
bitwise_and = _binary("BitwiseAnd")
bitwise_or = _binary("BitwiseOr")
bitwise_xor = _binary("BitwiseXor")
sub = subtract
mul = multiply
mod = floormod


def floordiv(x, y, name=None):
    """Floor division (rounds toward -inf for integers and floats); TF names it `floordiv`."""
    with graph_lib.name_scope(name, "floordiv", [x, y]) as scope:
        return apply1("FloorDiv", [x, y], name=scope)


def floor_div(x, y, name=None):
    """TF1's `tf.floor_div`: the raw FloorDiv op (named `FloorDiv`, where `floordiv` names its
    op `floordiv`).

    Example:
        >>> tf.floor_div([7, -7], [2, 2])  # [3, -4]
    """
    return apply1("FloorDiv", [x, y], name=name)


def atan2(y, x, name=None):
    return apply1("Atan2", [y, x], name=name, input_names=["y", "x"])


def equal(x, y, name=None):
    return apply1("Equal", [x, y], name=name)


def not_equal(x, y, name=None):
    return apply1("NotEqual", [x, y], name=name)


def logical_xor(x, y, name="LogicalXor"):
    with graph_lib.name_scope(name) as scope:
        return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=scope)


def div(x, y, name=None):
    """TF1 `tf.div`: floor division for integers, true division for floats (Python 2 style)."""
    with graph_lib.name_scope(name, "div", [x, y]) as scope:
        x = convert(x, name="x")
        y = convert(y, dtype=x.dtype.base_dtype, name="y")
        if x.dtype.is_integer:
            return apply1("FloorDiv", [x, y], name=scope)
        return apply1("RealDiv", [x, y], name=scope)


def truediv(x, y, name=None):
    """`x / y` with integers cast to float (int8/16 → float32, int32/64 → float64) as in TF."""
    with graph_lib.name_scope(name, "truediv", [x, y]) as scope:
        x = convert(x, name="x")
        y = convert(y, dtype=x.dtype.base_dtype, name="y")
        if x.dtype.base_dtype != y.dtype.base_dtype:
            raise TypeError("x and y must have the same dtype, got %r != %r" % (
                x.dtype.base_dtype, y.dtype.base_dtype))
        target = {dtypes.int8: dtypes.float32, dtypes.uint8: dtypes.float32,
                  dtypes.int16: dtypes.float32, dtypes.uint16: dtypes.float32,
                  dtypes.int32: dtypes.float64, dtypes.int64: dtypes.float64}.get(
            x.dtype.base_dtype)
        if target is not None:
            x = cast(x, target)
            y = cast(y, target)
        return realdiv(x, y, name=scope)


divide = truediv


def div_no_nan(x, y, name=None):
    with graph_lib.name_scope(name, "div_no_nan", [x, y]) as scope:
        x = convert(x, name="x")
        y = convert(y, dtype=x.dtype.base_dtype, name="y")
        zero = array_ops.zeros_like(y)
        safe_y = array_ops.where(equal(y, zero), array_ops.ones_like(y), y)
        return array_ops.where(equal(_broadcast_like(y, x), zero if x.shape == y.shape else
                                     array_ops.zeros_like(_broadcast_like(y, x))),
                               array_ops.zeros_like(realdiv(x, safe_y)), realdiv(x, safe_y),
                               name=scope)


def _broadcast_like(y, x):
    return add(y, array_ops.zeros_like(x))


def scalar_mul(scalar, x, name=None):
    x = convert(x)
    return multiply(convert(scalar, dtype=x.dtype.base_dtype), x, name=name)


# --- unary ops -------------------------------------------------------------------------------
def _g(fn):
    """Wraps `fn(x, y, g)` (y = op output) into a gradient function."""
    return lambda op, g: [fn(op.inputs[0], op.outputs[0], g)]


_UNARY = {
    "Neg": _g(lambda x, y, g: negative(g)),
    "Abs": _g(lambda x, y, g: multiply(g, sign(x))),
    "Sign": _g(lambda x, y, g: array_ops.zeros_like(x)),  # TF: zeros, not None
    "Square": _g(lambda x, y, g: multiply(g, scalar_mul(2.0, conj(x)))),
    "Sqrt": _g(lambda x, y, g: realdiv(multiply(g, _c(0.5, y)), y)),
    "Rsqrt": _g(lambda x, y, g: multiply(g, multiply(_c(-0.5, y), multiply(y, square(y))))),
    "Exp": _g(lambda x, y, g: multiply(g, conj(y))),
    "Expm1": _g(lambda x, y, g: multiply(g, exp(x))),
    "Log": _g(lambda x, y, g: multiply(g, reciprocal(x))),
    "Log1p": _g(lambda x, y, g: multiply(g, reciprocal(add(_c(1.0, x), x)))),
    "Sin": _g(lambda x, y, g: multiply(g, cos(x))),
    "Cos": _g(lambda x, y, g: multiply(g, negative(sin(x)))),
    "Tan": _g(lambda x, y, g: multiply(g, square(reciprocal(cos(x))))),
    "Asin": _g(lambda x, y, g: multiply(g, rsqrt(subtract(_c(1.0, x), square(x))))),
    "Acos": _g(lambda x, y, g: negative(multiply(g, rsqrt(subtract(_c(1.0, x), square(x)))))),
    "Atan": _g(lambda x, y, g: multiply(g, reciprocal(add(_c(1.0, x), square(x))))),
    "Sinh": _g(lambda x, y, g: multiply(g, cosh(x))),
    "Cosh": _g(lambda x, y, g: multiply(g, sinh(x))),
    "Tanh": _g(lambda x, y, g: multiply(g, subtract(_c(1.0, y), square(y)))),
    "Asinh": _g(lambda x, y, g: realdiv(g, cosh(y))),
    "Acosh": _g(lambda x, y, g: realdiv(g, sinh(y))),
    "Atanh": _g(lambda x, y, g: multiply(g, reciprocal(subtract(_c(1.0, x), square(x))))),
    "Sigmoid": _g(lambda x, y, g: multiply(g, multiply(y, subtract(_c(1.0, y), y)))),
    "Reciprocal": _g(lambda x, y, g: multiply(g, negative(square(y)))),
    "Inv": _g(lambda x, y, g: multiply(g, negative(square(y)))),
    "Floor": ND, "Ceil": ND, "Round": ND, "Rint": ND,
    "LogicalNot": ND, "IsNan": ND, "IsInf": ND, "IsFinite": ND, "Invert": ND,
    "Erf": _g(lambda x, y, g: multiply(g, multiply(_c(2.0 / np.sqrt(np.pi), x),
                                                    exp(negative(square(x)))))),
    "Erfc": _g(lambda x, y, g: multiply(g, multiply(_c(-2.0 / np.sqrt(np.pi), x),
                                                     exp(negative(square(x)))))),
    "Lgamma": _g(lambda x, y, g: multiply(g, digamma(x))),
    "Digamma": _g(lambda x, y, g: multiply(g, polygamma(_c(1.0, x), x))),
    "Softplus": _g(lambda x, y, g: multiply(g, sigmoid(x))),
    "Softsign": _g(lambda x, y, g: realdiv(g, square(add(_c(1.0, x), abs(x))))),
    # Conj, Real, Imag: ops/spectral_ops.py, with the other complex ops.
}
_BOOL_OUT = {"IsNan", "IsInf", "IsFinite"}


def _unary_shape(op):
    x = op.inputs[0]
    return [(dtypes.bool if op.type in _BOOL_OUT else x.dtype.base_dtype, x.shape)]


for _name, _grad in _UNARY.items():
    registry.register(_name, shape=_unary_shape, grad=_grad)


# TF's dedicated gradient ops of unary functions, `XGrad(y, dy)` with y = X(x): tensorflux's
# own gradients use ordinary ops, but TF's gradient graphs (imported GraphDefs, function
# bodies) hold these. Their gradients are TF's (math_grad.py's `_XGradGrad`).
def _grad_op_shape(op):
    return [(op.inputs[1].dtype.base_dtype,
             _helpers.broadcast_shapes(op.inputs[0].shape, op.inputs[1].shape))]


_UNARY_GRADS = {
    "TanhGrad": lambda op, g: [multiply(multiply(multiply(g, _c(-2.0, g)), op.inputs[1]),
                                        op.inputs[0]), unary_grad("TanhGrad", op.inputs[0], g)],
    "SigmoidGrad": lambda op, g: _sigmoid_grad_grad(op, g),
    "SqrtGrad": lambda op, g: [negative(multiply(realdiv(g, op.inputs[0]), op.outputs[0])),
                               multiply(_c(0.5, g), realdiv(g, op.inputs[0]))],
    "RsqrtGrad": lambda op, g: [multiply(multiply(multiply(_c(-1.5, g), g), op.inputs[1]),
                                         square(op.inputs[0])),
                                unary_grad("RsqrtGrad", op.inputs[0], g)],
    "ReciprocalGrad": lambda op, g: [multiply(multiply(multiply(g, _c(-2.0, g)), op.inputs[1]),
                                              op.inputs[0]),
                                     unary_grad("ReciprocalGrad", op.inputs[0], g)],
}


def _sigmoid_grad_grad(op, g):
    gb = multiply(g, op.inputs[1])
    return [subtract(gb, multiply(multiply(_c(2.0, g), gb), op.inputs[0])),
            unary_grad("SigmoidGrad", op.inputs[0], g)]


for _name, _grad in _UNARY_GRADS.items():
    registry.register(_name, shape=_grad_op_shape, grad=_grad)


def unary_grad(op_type, y, dy, name=None):
    """`TanhGrad(y, dy)` and its kin: the gradient `dy` of X(x) taken through y = X(x)."""
    return apply1(op_type, [y, dy], name=name)


def _c(value, like):
    """A scalar constant of `like`'s dtype."""
    return convert(value, dtype=like.dtype.base_dtype)


def _unary(op_type):
    def fn(x, name=None):
        return apply1(op_type, [x], name=name)
    fn.__name__ = op_type
    return fn


negative = neg = _unary("Neg")
sign = _unary("Sign")
square = _unary("Square")
sqrt = _unary("Sqrt")
rsqrt = _unary("Rsqrt")
exp = _unary("Exp")
expm1 = _unary("Expm1")
log = _unary("Log")
log1p = _unary("Log1p")
sin = _unary("Sin")
cos = _unary("Cos")
tan = _unary("Tan")
asin = _unary("Asin")
acos = _unary("Acos")
atan = _unary("Atan")
sinh = _unary("Sinh")
cosh = _unary("Cosh")
tanh = _unary("Tanh")
asinh = _unary("Asinh")
acosh = _unary("Acosh")
atanh = _unary("Atanh")
sigmoid = _unary("Sigmoid")
reciprocal = _unary("Reciprocal")
floor = _unary("Floor")
ceil = _unary("Ceil")
rint = _unary("Rint")
logical_not = _unary("LogicalNot")
is_nan = _unary("IsNan")
is_inf = _unary("IsInf")
is_finite = _unary("IsFinite")
erf = _unary("Erf")
erfc = _unary("Erfc")
lgamma = _unary("Lgamma")
digamma = _unary("Digamma")
softplus = _unary("Softplus")
softsign = _unary("Softsign")
invert = _unary("Invert")


def abs(x, name=None):  # noqa: A001 - TF's public name
    """|x|; of a complex tensor, a real tensor (op ComplexAbs), as TF's `tf.abs`."""
    with graph_lib.name_scope(name, "Abs", [x]) as scope:
        x = convert(x, name="x")
        if x.dtype.is_complex:
            from tensorflux.ops import spectral_ops

            return spectral_ops.complex_abs(x, name=scope)
        return apply1("Abs", [x], name=scope)


def round(x, name=None):  # noqa: A001 - TF's public name
    """Rounds half to even (banker's rounding), as TF does."""
    x = convert(x)
    if x.dtype.is_integer:
        return x
    return apply1("Round", [x], name=name)


def conj(x, name=None):
    from tensorflux.ops import spectral_ops  # the complex ops live there

    return spectral_ops.conj(x, name=name)


def real(input, name=None):  # noqa: A002 - TF's keyword
    from tensorflux.ops import spectral_ops  # the complex ops live there

    return spectral_ops.real(input, name=name)


def polygamma(a, x, name=None):
    return apply1("Polygamma", [a, x], name=name, input_names=["a", "x"])


registry.register("Polygamma", shape=_binary_shape, grad=ND)


# --- cast ------------------------------------------------------------------------------------
def _cast_shape(op):
    return [(op._attrs["DstT"], op.inputs[0].shape)]


def _cast_grad(op, g):
    src = op.inputs[0].dtype.base_dtype
    if src.is_floating or src.is_complex:
        if g.dtype.base_dtype.is_floating or g.dtype.base_dtype.is_complex:
            return [cast(g, src)]
    return [None]


registry.register("Cast", shape=_cast_shape, grad=_cast_grad)


def cast(x, dtype, name=None):
    """Casts `x` to `dtype` (no op is added when it already has that dtype)."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    if hasattr(x, "_as_graph_element") and not isinstance(x, Tensor):
        x = convert(x)
    if isinstance(x, Tensor) and x.dtype.base_dtype == dtype:
        return x
    with graph_lib.name_scope(name, "Cast", [x] if isinstance(x, Tensor) else None) as scope:
        x = convert(x, name="x")
        if x.dtype.base_dtype == dtype:
            return x
        return registry.make_tensor("Cast", [x], {"SrcT": x.dtype.base_dtype, "DstT": dtype,
                                                  "Truncate": False}, name=scope)


def to_float(x, name="ToFloat"):
    return cast(x, dtypes.float32, name=name)


def to_double(x, name="ToDouble"):
    return cast(x, dtypes.float64, name=name)


def to_bfloat16(x, name="ToBFloat16"):
    return cast(x, dtypes.bfloat16, name=name)


def to_int32(x, name="ToInt32"):
    return cast(x, dtypes.int32, name=name)


def to_int64(x, name="ToInt64"):
    return cast(x, dtypes.int64, name=name)


def saturate_cast(value, dtype, name=None):
    value = convert(value)
    dtype = dtypes.as_dtype(dtype)
    with graph_lib.name_scope(name, "saturate_cast", [value]):
        if value.dtype.min < dtype.min or value.dtype.max > dtype.max:
            value = clip_by_value(value, _c(dtype.min, value) if value.dtype.is_floating else
                                  max(dtype.min, value.dtype.min),
                                  min(dtype.max, value.dtype.max))
        return cast(value, dtype)


# --- add_n, clip ---------------------------------------------------------------------------
def _addn_shape(op):
    shape = op.inputs[0].shape
    for t in op.inputs[1:]:
        shape = shape.merge_with(t.shape) if shape.is_compatible_with(t.shape) else shape
        if not op.inputs[0].shape.is_compatible_with(t.shape):
            raise registry.ShapeError("Shapes must be equal rank, or inputs incompatible")
    return [(op.inputs[0].dtype.base_dtype, shape)]


registry.register("AddN", shape=_addn_shape, grad=lambda op, g: [g] * len(op.inputs))


def add_n(inputs, name=None):
    """Sums a list of tensors of the same shape and dtype."""
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("inputs must be a list of at least one Tensor with the same dtype and "
                         "shape")
    inputs = [convert(x) for x in inputs]
    if len(inputs) == 1:
        return array_ops.identity(inputs[0], name=name) if name else inputs[0]
    _helpers._check_same_dtype("AddN", inputs, ["inputs"] * len(inputs))
    return apply1("AddN", inputs, name=name, input_names=["inputs"] * len(inputs))



def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """Clips values to [min, max]; the gradient passes only where the value was inside."""
    with graph_lib.name_scope(name, "clip_by_value", [t]) as scope:
        t = convert(t, name="t")
        t_min = minimum(t, clip_value_max)
        t.shape.merge_with(t_min.shape)  # the bounds must not broadcast t to a bigger shape
        t_max = maximum(t_min, clip_value_min, name=scope)
        t.shape.merge_with(t_max.shape)
        return t_max


# --- operators on Tensor -------------------------------------------------------------------
def _binop(fn, scope_name, reverse=False):
    def op(x, y):
        g = graph_lib._graph_from_values([x])  # a cond/loop body captures outer x
        with g.as_default(), g.name_scope(scope_name) as name:
            if reverse:
                y = convert(y, dtype=x.dtype.base_dtype, name="x")
                return fn(y, x, name=name)
            if not isinstance(y, Tensor):
                # As TF: y prefers x's dtype; a mismatch is then the op's own TypeError.
                y = convert(y, preferred_dtype=x.dtype.base_dtype, name="y")
            return fn(x, y, name=name)
    return op


def _truediv_op(x, y, name=None):
    return truediv(x, y, name=name)


def _floordiv_op(x, y, name=None):
    return floordiv(x, y, name=name)


def _matmul_op(x, y, name=None):
    from tensorflux.ops import linalg_ops

    return linalg_ops.matmul(x, y, name=name)


_OPERATORS = [("add", add, "add"), ("sub", subtract, "sub"), ("mul", multiply, "mul"),
              ("truediv", _truediv_op, "truediv"), ("floordiv", _floordiv_op, "floordiv"),
              ("mod", floormod, "mod"), ("pow", pow, "pow"), ("matmul", _matmul_op, "matmul"),
              ("and", logical_and, "and"), ("or", logical_or, "or"),
              ("xor", logical_xor, "xor")]


def _install_operators(cls):
    for short, fn, scope in _OPERATORS:
        setattr(cls, "__%s__" % short, _binop(fn, scope))
        setattr(cls, "__r%s__" % short, _binop(fn, scope, reverse=True))
    cls.__lt__ = lambda x, y: less(x, y)
    cls.__le__ = lambda x, y: less_equal(x, y)
    cls.__gt__ = lambda x, y: greater(x, y)
    cls.__ge__ = lambda x, y: greater_equal(x, y)
    cls.__neg__ = lambda x: negative(x)
    cls.__abs__ = lambda x: abs(x)
    cls.__invert__ = lambda x: logical_not(x)
    cls.__pos__ = lambda x: x
    cls.__getitem__ = lambda x, key: array_ops._slice_helper(x, key)


_install_operators(Tensor)
