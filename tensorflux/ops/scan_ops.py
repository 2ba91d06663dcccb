"""Cumulative sums and products along an axis: `tf.cumsum`, `tf.cumprod` (ops Cumsum, Cumprod).

`exclusive` shifts the result by one (the first element is 0 for sums, 1 for products);
`reverse` scans from the end. Both combine, as in TF:

    >>> tf.cumsum([a, b, c])                                # [a, a + b, a + b + c]
    >>> tf.cumsum([a, b, c], exclusive=True)                # [0, a, a + b]
    >>> tf.cumsum([a, b, c], reverse=True)                  # [a + b + c, b + c, c]
    >>> tf.cumsum([a, b, c], exclusive=True, reverse=True)  # [b + c, c, 0]
"""

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import math_ops, registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError


def _scan_shape(op):
    x, axis = op.inputs
    if axis.shape.ndims not in (None, 0):
        raise ShapeError("Shape must be rank 0 but is rank %d" % axis.shape.ndims)
    if x.shape.ndims == 0:
        raise ShapeError("Shape must be at least rank 1 but is rank 0")
    return [(x.dtype.base_dtype, x.shape)]


def _attrs(op):
    return op._attrs["exclusive"], op._attrs["reverse"]


def _cumsum_grad(op, grad):
    exclusive, reverse = _attrs(op)
    return [cumsum(grad, op.inputs[1], exclusive=exclusive, reverse=not reverse), None]


def _cumprod_grad(op, grad):
    # TF's formula: d/dx_i of the products is the reverse scan of (products * grad) / x_i, so
    # a zero in x gives NaN or inf there, as in TF.
    x, axis = op.inputs
    exclusive, reverse = _attrs(op)
    prod = cumprod(x, axis, exclusive=exclusive, reverse=reverse)
    out = cumsum(prod * grad, axis, exclusive=exclusive, reverse=not reverse)
    return [math_ops.truediv(out, x), None]


registry.register("Cumsum", shape=_scan_shape, grad=_cumsum_grad)
registry.register("Cumprod", shape=_scan_shape, grad=_cumprod_grad)


def _scan(op_type, default_name, x, axis, exclusive, reverse, name):
    with graph_lib.name_scope(name, default_name, [x]) as scope:
        x = convert(x, name="x")
        axis = convert(axis, name="axis")
        if axis.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
            raise TypeError("Value passed to parameter 'axis' has DataType %s not in list of "
                            "allowed values: int32, int64" % axis.dtype.base_dtype.name)
        attrs = {"exclusive": bool(exclusive), "reverse": bool(reverse),
                 "T": x.dtype.base_dtype, "Tidx": axis.dtype.base_dtype}
        return registry.make_tensor(op_type, [x, axis], attrs, name=scope)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Cumulative sum of `x` along `axis` (see the module docstring for the two flags)."""
    return _scan("Cumsum", "Cumsum", x, axis, exclusive, reverse, name)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Cumulative product of `x` along `axis`."""
    return _scan("Cumprod", "Cumprod", x, axis, exclusive, reverse, name)
