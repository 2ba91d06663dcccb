"""Reductions (`reduce_sum/mean/prod/max/min/all/any/logsumexp`), argmax/argmin, and gradients."""

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import _helpers, array_ops, constant_op, math_ops, registry
from tensorflux.ops._helpers import convert
from tensorflux.util import nest

ND = registry.NOT_DIFFERENTIABLE


def _reduce_shape(op):
    x, axis_t = op.inputs
    keep = op._attrs["keep_dims"]
    r = x.shape.ndims
    out_dtype = x.dtype.base_dtype
    axes = _helpers.static_axes(axis_t, r)
    if axes is None or r is None:
        if keep and r is not None:
            return [(out_dtype, tensor_shape.unknown_shape(r))]
        # unknown axes (they may repeat): TF knows nothing of the rank either
        return [(out_dtype, tensor_shape.unknown_shape())]
    dims = x.shape.as_list()
    if keep:
        out = [1 if i in axes else d for i, d in enumerate(dims)]
    else:
        out = [d for i, d in enumerate(dims) if i not in axes]
    return [(out_dtype, tensor_shape.TensorShape(out))]


def _kept_shape(op):
    """The reduced output's shape with reduced axes kept as 1 (static list or a tensor)."""
    x, axis_t = op.inputs
    axes = _helpers.static_axes(axis_t, x.shape.ndims)
    if x.shape.is_fully_defined() and axes is not None:
        return [1 if i in axes else d for i, d in enumerate(x.shape.as_list())], x.shape.as_list()
    return _dynamic_kept_shape(x, axis_t), array_ops.shape(x)


def _dynamic_kept_shape(x, axis_t):
    """shape(x) with the reduced axes set to 1, computed in the graph (shapes unknown)."""
    from tensorflux.ops import manip_ops

    sx = array_ops.shape(x)
    r = array_ops.size(sx)
    axes = math_ops.floormod(math_ops.add(math_ops.cast(axis_t, dtypes.int32), r), r)
    hit = math_ops.equal(array_ops.reshape(array_ops.range(r), [-1, 1]),
                         array_ops.reshape(axes, [1, -1]))
    return manip_ops.where(reduce_any(hit, axis=1), array_ops.ones_like(sx), sx)


def _sum_grad(op, g):
    kept, full = _kept_shape(op)
    return [manip_tile_to(array_ops.reshape(g, kept), full), None]


def manip_tile_to(g, full):
    """Broadcasts `g` (reduced, dims kept) to `full` shape."""
    from tensorflux.ops import manip_ops

    return manip_ops.broadcast_to(g, full)


def _mean_grad(op, g):
    x = op.inputs[0]
    y = op.outputs[0]
    sg = _sum_grad(op, g)[0]
    if x.shape.is_fully_defined() and y.shape.is_fully_defined():
        factor = max(1, int(np.prod(x.shape.as_list())) // max(1, int(np.prod(y.shape.as_list()))))
        return [math_ops.realdiv(sg, math_ops.cast(factor, sg.dtype)), None]
    factor = math_ops.floordiv(array_ops.size(x), math_ops.maximum(array_ops.size(y), 1))
    return [math_ops.realdiv(sg, math_ops.cast(factor, sg.dtype)), None]


def _minmax_grad(op, g):
    x, y = op.inputs[0], op.outputs[0]
    kept, full = _kept_shape(op)
    y = array_ops.reshape(y, kept)
    g = array_ops.reshape(g, kept)
    eq = math_ops.cast(math_ops.equal(y, x), g.dtype)
    num = reduce_sum(eq, op.inputs[1], keepdims=True)
    return [math_ops.multiply(math_ops.realdiv(eq, num), g), None]


def _prod_grad(op, g):
    """d prod / d x_i = product of the other elements, exact when x has zeros (not y / x_i)."""
    x, axes = op.inputs
    kept, full = _kept_shape(op)
    gb = manip_tile_to(array_ops.reshape(g, kept), full)
    zero = math_ops.equal(x, array_ops.zeros_like(x))
    nonzero = array_ops.where(zero, array_ops.ones_like(x), x)
    prod_nz = manip_tile_to(reduce_prod(nonzero, axes, keepdims=True), full)
    count = manip_tile_to(reduce_sum(math_ops.cast(zero, x.dtype), axes, keepdims=True), full)
    # no zero in the group: prod / x_i; one zero: only that element sees the others' product
    only_zero_here = math_ops.logical_and(math_ops.equal(count, array_ops.ones_like(count)),
                                          zero)
    others = array_ops.where(
        math_ops.equal(count, array_ops.zeros_like(count)), math_ops.realdiv(prod_nz, nonzero),
        array_ops.where(only_zero_here, prod_nz, array_ops.zeros_like(x)))
    return [math_ops.multiply(gb, others), None]


registry.register("Sum", shape=_reduce_shape, grad=_sum_grad)
registry.register("Mean", shape=_reduce_shape, grad=_mean_grad)
registry.register("Prod", shape=_reduce_shape, grad=_prod_grad)
registry.register("Max", shape=_reduce_shape, grad=_minmax_grad)
registry.register("Min", shape=_reduce_shape, grad=_minmax_grad)
registry.register("All", shape=_reduce_shape, grad=ND)
registry.register("Any", shape=_reduce_shape, grad=ND)


def _all_axes(x):
    """TF's default reduction axes, built where the caller is (TF names it `Const`, outside
    the op's name scope): a constant when the rank is known, else range(rank(x))."""
    if isinstance(x, Tensor) or hasattr(x, "_as_graph_element"):
        r = convert(x).shape.ndims
    elif any(isinstance(v, Tensor) for v in nest.flatten(x)):
        return array_ops.range(0, array_ops.rank(x))  # a list of tensors: packed, as TF does
    else:
        r = np.ndim(x)
    if r is not None:
        return constant_op.constant(np.arange(r, dtype=np.int32))
    return array_ops.range(0, array_ops.rank(x))


def _axis_arg(axis, reduction_indices):
    if axis is not None and reduction_indices is not None:
        raise ValueError("Can not specify both 'axis' and 'reduction_indices'.")
    return reduction_indices if axis is None else axis


def _keep(keepdims, keep_dims):
    if keepdims is not None and keep_dims is not None and bool(keepdims) != bool(keep_dims):
        raise ValueError("The `keep_dims` and `keepdims` arguments may not both be set.")
    return bool(keepdims if keepdims is not None else keep_dims)


def _reduction(op_type, default_name, bool_input=False):
    def fn(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
           keep_dims=None):
        keep = _keep(keepdims, keep_dims)
        ax = _axis_arg(axis, reduction_indices)
        g = graph_lib._graph_from_values([input_tensor])
        with g.as_default():
            reduce_all = ax is None
            if reduce_all:
                ax = _all_axes(input_tensor)
            with graph_lib.name_scope(name, default_name, [input_tensor]) as scope:
                x = convert(input_tensor, name="input")
                if bool_input and x.dtype.base_dtype != dtypes.bool:
                    raise TypeError("Value passed to parameter 'input' has DataType %s not in "
                                    "list of allowed values: bool" % x.dtype.name)
                if not isinstance(ax, Tensor):
                    ax = convert(ax, dtype=dtypes.int32, name="reduction_indices")
                out = registry.make_tensor(op_type, [x, ax], {"keep_dims": keep}, name=scope)
        if reduce_all and not keep:
            out.set_shape([])  # a full reduction is a scalar even when the rank is unknown
        return out
    fn.__name__ = "reduce_" + default_name.lower()
    return fn


reduce_sum = _reduction("Sum", "Sum")
reduce_mean = _reduction("Mean", "Mean")
reduce_prod = _reduction("Prod", "Prod")
reduce_max = _reduction("Max", "Max")
reduce_min = _reduction("Min", "Min")
reduce_all = _reduction("All", "All", bool_input=True)
reduce_any = _reduction("Any", "Any", bool_input=True)


def reduce_logsumexp(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
                     keep_dims=None):
    """log(sum(exp(x))) computed stably (the max is subtracted first)."""
    keep = _keep(keepdims, keep_dims)
    axis = _axis_arg(axis, reduction_indices)
    with graph_lib.name_scope(name, "ReduceLogSumExp", [input_tensor]) as scope:
        # TF 1.x's construction (and op names): max, where(is_finite), stop_gradient, ...
        raw_max = reduce_max(input_tensor, axis, keepdims=True)
        my_max = array_ops.stop_gradient(array_ops.where(
            math_ops.is_finite(raw_max), raw_max, array_ops.zeros_like(raw_max)))
        result = math_ops.log(reduce_sum(math_ops.exp(math_ops.subtract(input_tensor, my_max)),
                                         axis, keepdims=keep))
        if not keep:
            my_max = array_ops.reshape(my_max, array_ops.shape(result))
        return math_ops.add(my_max, result, name=scope)


def count_nonzero(input_tensor, axis=None, keepdims=None, dtype=dtypes.int64, name=None,
                  reduction_indices=None, keep_dims=None):
    with graph_lib.name_scope(name, "count_nonzero", [input_tensor]):
        x = convert(input_tensor, name="input_tensor")
        nz = math_ops.cast(math_ops.not_equal(x, array_ops.zeros_like(x)), dtypes.int64)
        return math_ops.cast(reduce_sum(nz, axis, keepdims, reduction_indices=reduction_indices,
                                        keep_dims=keep_dims), dtype)


# --- argmax / argmin -----------------------------------------------------------------------
def _arg_shape(op):
    x, axis_t = op.inputs
    out_dt = op._attrs["output_type"]
    axes = _helpers.static_axes(axis_t, x.shape.ndims)
    if axes is None or x.shape.ndims is None:
        return [(out_dt, tensor_shape.unknown_shape())]
    dims = x.shape.as_list()
    del dims[axes[0]]
    return [(out_dt, tensor_shape.TensorShape(dims))]


registry.register("ArgMax", shape=_arg_shape, grad=ND)
registry.register("ArgMin", shape=_arg_shape, grad=ND)


def _argfn(op_type):
    def fn(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):  # noqa: A002
        if axis is not None and dimension is not None:
            raise ValueError("Cannot specify both 'axis' and 'dimension'")
        axis = dimension if axis is None else axis
        axis = 0 if axis is None else axis
        with graph_lib.name_scope(name, op_type, [input]) as scope:
            x = convert(input, name="input")
            ax = convert(axis, dtype=dtypes.int32, name="dimension") if not isinstance(
                axis, Tensor) else axis
            return registry.make_tensor(op_type, [x, ax],
                                        {"output_type": dtypes.as_dtype(output_type)}, name=scope)
    fn.__name__ = op_type.lower()
    return fn


argmax = _argfn("ArgMax")
argmin = _argfn("ArgMin")


def arg_max(input, dimension, output_type=dtypes.int64, name=None):  # noqa: A002
    """TF1's deprecated `tf.arg_max` (TF's generated op wrapper, hence `dimension` is required
    and `output_type` comes before `name`): `argmax` along `dimension`.

    Example:
        >>> tf.arg_max([[3., 9.], [7., 2.]], 1)  # [1, 0]
    """
    return argmax(input, dimension=dimension, output_type=output_type, name=name)


def arg_min(input, dimension, output_type=dtypes.int64, name=None):  # noqa: A002
    """TF1's deprecated `tf.arg_min`: `argmin` along `dimension` (see `arg_max`)."""
    return argmin(input, dimension=dimension, output_type=output_type, name=name)
