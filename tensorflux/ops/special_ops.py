"""NaN-safe products and special functions: xlogy, xdivy, mul_no_nan, erfinv, ndtri (one op
each), and the composites log_sigmoid, reciprocal_no_nan, lbeta and polyval.

The `*_no_nan` / `x*` ops give 0 where the deciding input is 0, whatever the other one is:

    >>> tf.math.xlogy(0., 0.)                       # 0.  (0 * log(0) would be NaN)
    >>> tf.math.multiply_no_nan(float("inf"), 0.)   # 0.
"""

import numpy as np

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import array_ops, math_ops, nn_ops, reduction_ops, registry
from tensorflux.ops._helpers import apply1, broadcast_shapes, convert

_FLOATS = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64, dtypes.complex64,
           dtypes.complex128)


def _check_float(op_type, t, arg):
    if t.dtype.base_dtype not in _FLOATS:
        raise TypeError("Value passed to parameter '%s' has DataType %s not in list of allowed "
                        "values: %s" % (arg, t.dtype.base_dtype.name,
                                        ", ".join(d.name for d in _FLOATS)))


def _binary_shape(op):
    x, y = op.inputs
    return [(x.dtype.base_dtype, broadcast_shapes(x.shape, y.shape))]


def _unary_shape(op):
    x = op.inputs[0]
    return [(x.dtype.base_dtype, x.shape)]


def _nonzero(x):
    """1 where x != 0, else 0, in x's dtype."""
    return math_ops.cast(math_ops.not_equal(x, array_ops.zeros_like(x)), x.dtype.base_dtype)


# --- gradients (TF's math_grad rules) --------------------------------------------------------
def _xlogy_grad(op, g):
    x, y = op.inputs
    gx = math_ops.multiply(xlogy(_nonzero(x), y), g)
    gy = math_ops.multiply(xdivy(x, y), g)
    return math_ops._binary_grads(op, gx, gy)


def _xdivy_grad(op, g):
    x, y = op.inputs
    gx = math_ops.multiply(xdivy(_nonzero(x), y), g)
    gy = math_ops.multiply(xdivy(math_ops.negative(x), math_ops.square(y)), g)
    return math_ops._binary_grads(op, gx, gy)


def _mul_no_nan_grad(op, g):
    x, y = op.inputs
    return math_ops._binary_grads(op, mul_no_nan(g, y), mul_no_nan(x, g))


def _erfinv_grad(op, g):
    y = op.outputs[0]  # d/dx erfinv(x) = sqrt(pi) / 2 * exp(erfinv(x)^2)
    scale = convert(np.sqrt(np.pi) / 2, dtype=g.dtype.base_dtype)
    return [math_ops.multiply(g, math_ops.multiply(scale, math_ops.exp(math_ops.square(y))))]


def _ndtri_grad(op, g):
    y = op.outputs[0]  # d/dp ndtri(p) = sqrt(2 pi) * exp(ndtri(p)^2 / 2)
    scale = convert(np.sqrt(2 * np.pi), dtype=g.dtype.base_dtype)
    half = convert(0.5, dtype=g.dtype.base_dtype)
    grow = math_ops.exp(math_ops.multiply(half, math_ops.square(y)))
    return [math_ops.multiply(g, math_ops.multiply(scale, grow))]


registry.register("Xlogy", shape=_binary_shape, grad=_xlogy_grad)
registry.register("Xdivy", shape=_binary_shape, grad=_xdivy_grad)
registry.register("MulNoNan", shape=_binary_shape, grad=_mul_no_nan_grad)
registry.register("Erfinv", shape=_unary_shape, grad=_erfinv_grad)
registry.register("Ndtri", shape=_unary_shape, grad=_ndtri_grad)


# --- wrappers --------------------------------------------------------------------------------
def _float_op(op_type, inputs, name, scope_name=None):
    """Creates a float-only op, under a `scope_name` scope where TF's wrapper opens one."""
    if scope_name is None:
        return _checked_apply(op_type, inputs, name)
    with graph_lib.name_scope(name, scope_name, inputs):
        return _checked_apply(op_type, inputs, None)


def _checked_apply(op_type, inputs, name):
    """`apply1` after checking the op's dtype (that of its first tensor input) is a float."""
    ref = next((v for v in inputs if isinstance(v, Tensor)), None)
    if ref is None:
        ref = convert(inputs[0], name="x")
        inputs = [ref] + list(inputs[1:])
    _check_float(op_type, ref, "x")
    return apply1(op_type, inputs, name=name)


def xlogy(x, y, name=None):
    """`x * log(y)`, and 0 wherever `x == 0` (even where `y` is 0 or NaN).

    Example:
        >>> tf.math.xlogy([0., 2.], [0., np.e])  # [0., 2.]
    """
    return _float_op("Xlogy", [x, y], name)


def xdivy(x, y, name=None):
    """`x / y`, and 0 wherever `x == 0` (even where `y` is 0).

    Example:
        >>> tf.math.xdivy([0., 3.], [0., 2.])  # [0., 1.5]
    """
    return _float_op("Xdivy", [x, y], name, "xdivy")


def mul_no_nan(x, y, name=None):
    """`x * y`, and 0 wherever `y == 0` (even where `x` is NaN or infinite).

    Example:
        >>> tf.math.multiply_no_nan([np.inf, 2.], [0., 3.])  # [0., 6.]
    """
    with graph_lib.name_scope(name, "multiply_no_nan", [x, y]) as scope:
        x = convert(x, name="x")
        y = convert(y, dtype=x.dtype.base_dtype, name="y")
        if x.dtype.base_dtype != y.dtype.base_dtype:
            raise TypeError("x and y must have the same dtype, got %r != %r"
                            % (x.dtype.base_dtype, y.dtype.base_dtype))
        _check_float("MulNoNan", x, "x")
        return registry.make_tensor("MulNoNan", [x, y], {"T": x.dtype.base_dtype}, name=scope)


multiply_no_nan = mul_no_nan


def erfinv(x, name=None):
    """The inverse of `tf.erf` on (-1, 1): ±inf at ±1, NaN outside.

    Example:
        >>> tf.math.erfinv([0., 0.5])  # [0., 0.4769363]
    """
    return _float_op("Erfinv", [x], name, "erfinv")


def ndtri(x, name=None):
    """The inverse of the standard normal CDF on (0, 1): ∓inf at 0 and 1, NaN outside.

    Example:
        >>> tf.math.ndtri([0.5, 0.975])  # [0., 1.959964]
    """
    return _float_op("Ndtri", [x], name, "ndtri")


# --- composites ----------------------------------------------------------------------------
def log_sigmoid(x, name=None):
    """`log(sigmoid(x))` computed stably as `-softplus(-x)`.

    Example:
        >>> tf.math.log_sigmoid([-100., 0.])  # [-100., -0.6931472]
    """
    with graph_lib.name_scope(name, "LogSigmoid", [x]) as scope:
        x = convert(x, name="x")
        return math_ops.negative(nn_ops.softplus(math_ops.negative(x)), name=scope)


def reciprocal_no_nan(x, name=None):
    """`1 / x`, and 0 where `x == 0`.

    Example:
        >>> tf.math.reciprocal_no_nan([0., 2.])  # [0., 0.5]
    """
    with graph_lib.name_scope(name, "reciprocal_no_nan", [x]) as scope:
        x = convert(x, name="x")
        one = convert(1, dtype=x.dtype.base_dtype, name="one")
        return math_ops.div_no_nan(one, x, name=scope)


def lbeta(x, name=None):
    """`log(|Beta(x)|)` along the last axis: `sum(lgamma(x)) - lgamma(sum(x))`.

    Example:
        >>> tf.math.lbeta([1., 1.])  # 0. (Beta(1, 1) = 1)
    """
    with graph_lib.name_scope(name, "lbeta", [x]):
        x = convert(x, name="x")
        log_prod_gamma = reduction_ops.reduce_sum(math_ops.lgamma(x), axis=[-1])
        log_gamma_sum = math_ops.lgamma(reduction_ops.reduce_sum(x, axis=[-1]))
        return log_prod_gamma - log_gamma_sum


def polyval(coeffs, x, name=None):
    """The polynomial `coeffs[0] * x**(n-1) + ... + coeffs[n-1]` at `x` (Horner's scheme).

    Example:
        >>> tf.math.polyval([2., 0., 1.], 3.)  # 19.
    """
    if not isinstance(coeffs, list):
        raise ValueError("Argument coeffs must be list type found %s." % type(coeffs))
    with graph_lib.name_scope(name, "polyval", list(coeffs) + [x]) as scope:
        x = convert(x, name="x")
        if not coeffs:
            return array_ops.zeros_like(x, name=scope)
        coeffs = [convert(c, dtype=x.dtype.base_dtype, name="coeff_%d" % i)
                  for i, c in enumerate(coeffs)]
        p = coeffs[0]
        for c in coeffs[1:]:
            p = c + p * x
        return p
