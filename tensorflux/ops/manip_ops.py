"""Array manipulation: where/select, broadcast_to, expand_dims, squeeze, split, tile, pad, …"""

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import _helpers, array_ops, constant_op, registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError

ND = registry.NOT_DIFFERENTIABLE
TS = tensor_shape.TensorShape


# --- where / select ------------------------------------------------------------------------
def _select_shape(op):
    c, x, y = op.inputs
    s = _helpers.broadcast_shapes(x.shape, y.shape)
    if op.type == "Select":
        if not c.shape.is_compatible_with(x.shape) and c.shape.ndims != 1:
            raise ShapeError("Shapes must be equal rank, but are %s and %s"
                             % (c.shape.ndims, x.shape.ndims))
        return [(x.dtype.base_dtype, x.shape.merge_with(y.shape))]
    return [(x.dtype.base_dtype, _helpers.broadcast_shapes(c.shape, s))]


def _select_grad(op, g):
    from tensorflux.ops import math_ops

    c, x, y = op.inputs
    zeros = array_ops.zeros_like(g)
    gx = where_v2(c, g, zeros)
    gy = where_v2(c, zeros, g)
    if op.type == "SelectV2":
        gx, gy = math_ops._sum_to(gx, x), math_ops._sum_to(gy, y)
    return [None, gx, gy]


registry.register("Select", shape=_select_shape, grad=_select_grad)
registry.register("SelectV2", shape=_select_shape, grad=_select_grad)
registry.register("Where", shape=lambda op: [(dtypes.int64, TS([None, op.inputs[0].shape.ndims]))],
                  grad=ND)


def where(condition, x=None, y=None, name=None):
    """TF1 `where`: indices of true elements, or elementwise select (condition may be a vector
    selecting rows)."""
    if x is None and y is None:
        with graph_lib.name_scope(name, "Where", [condition]) as scope:
            condition = convert(condition, dtype=dtypes.bool, name="condition")
            return registry.make_tensor("Where", [condition], name=scope)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    with graph_lib.name_scope(name, "Select", [condition, x, y]) as scope:
        condition = convert(condition, dtype=dtypes.bool, name="condition")
        x = convert(x, name="x")
        y = convert(y, dtype=x.dtype.base_dtype, name="y")
        return registry.make_tensor("Select", [condition, x, y], name=scope)


def where_v2(condition, x=None, y=None, name=None):
    """TF2-style `where` with full broadcasting of condition, x and y."""
    if x is None and y is None:
        return where(condition, name=name)
    with graph_lib.name_scope(name, "SelectV2", [condition, x, y]) as scope:
        condition = convert(condition, dtype=dtypes.bool, name="condition")
        x = convert(x, name="x")
        y = convert(y, dtype=x.dtype.base_dtype, name="y")
        return registry.make_tensor("SelectV2", [condition, x, y], name=scope)


# --- broadcast_to ----------------------------------------------------------------------------
def _broadcast_to_shape(op):
    x, s = op.inputs
    target = constant_op.constant_value_as_shape(s)
    if target.ndims is not None and x.shape.ndims is not None:
        _helpers.broadcast_shapes(x.shape, target)
    return [(x.dtype.base_dtype, target)]


def _broadcast_to_grad(op, g):
    from tensorflux.ops import math_ops

    return [math_ops._sum_to(g, op.inputs[0]), None]


registry.register("BroadcastTo", shape=_broadcast_to_shape, grad=_broadcast_to_grad)


def broadcast_to(input, shape, name=None):  # noqa: A002 - TF's keyword
    with graph_lib.name_scope(name, "BroadcastTo", [input]) as scope:
        x = convert(input, name="input")
        s = shape if isinstance(shape, Tensor) else convert(
            list(shape.as_list()) if isinstance(shape, TS) else shape, dtype=dtypes.int32,
            name="shape")
        return registry.make_tensor("BroadcastTo", [x, s], name=scope)


# --- expand_dims / squeeze -------------------------------------------------------------------
def _expand_shape(op):
    x, a = op.inputs
    axis = constant_op.constant_value(a)
    if axis is None or x.shape.ndims is None:
        return [(x.dtype.base_dtype, tensor_shape.unknown_shape(
            None if x.shape.ndims is None else x.shape.ndims + 1))]
    r = x.shape.ndims
    axis = int(np.asarray(axis).ravel()[0])
    if axis < -r - 1 or axis > r:
        raise ShapeError("Tried to expand dim index %d for tensor with %d dimensions" % (axis, r))
    axis = axis % (r + 1)
    d = x.shape.as_list()
    d.insert(axis, 1)
    return [(x.dtype.base_dtype, TS(d))]


def _reshape_back(op, g):
    x = op.inputs[0]
    s = x.shape.as_list() if x.shape.is_fully_defined() else array_ops.shape(x)
    return [array_ops.reshape(g, s)] + [None] * (len(op.inputs) - 1)


registry.register("ExpandDims", shape=_expand_shape, grad=_reshape_back)


def expand_dims(input, axis=None, name=None, dim=None):  # noqa: A002 - TF's keyword
    if axis is None and dim is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    if axis is not None and dim is not None:
        raise ValueError("Cannot specify both 'axis' and 'dim'")
    axis = dim if axis is None else axis
    with graph_lib.name_scope(name, "ExpandDims", [input]) as scope:
        x = convert(input, name="input")
        a = convert(axis, dtype=dtypes.int32, name="dim")
        return registry.make_tensor("ExpandDims", [x, a], name=scope)


def _squeeze_shape(op):
    x = op.inputs[0]
    dims = op._attrs["squeeze_dims"]
    if x.shape.ndims is None:
        return [(x.dtype.base_dtype, tensor_shape.unknown_shape())]
    r = x.shape.ndims
    shape = x.shape.as_list()
    axes = set()
    for d in dims:
        if d < -r or d >= r:
            raise ShapeError("Tried to squeeze dim index %d for tensor with %d dimensions"
                             % (d, r))
        d %= r
        if shape[d] is not None and shape[d] != 1:
            raise ShapeError("Can not squeeze dim[%d], expected a dimension of 1, got %d"
                             % (d, shape[d]))
        axes.add(d)
    if not dims:
        if any(s is None for s in shape):
            return [(x.dtype.base_dtype, tensor_shape.unknown_shape())]
        out = [s for s in shape if s != 1]
    else:
        out = [s for i, s in enumerate(shape) if i not in axes]
    return [(x.dtype.base_dtype, TS(out))]


registry.register("Squeeze", shape=_squeeze_shape, grad=_reshape_back)


def squeeze(input, axis=None, name=None, squeeze_dims=None):  # noqa: A002 - TF's keyword
    if squeeze_dims is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'squeeze_dims' and 'axis'")
        axis = squeeze_dims
    if axis is None:
        axis = []
    elif isinstance(axis, int):
        axis = [axis]
    with graph_lib.name_scope(name, "Squeeze", [input]) as scope:
        x = convert(input, name="input")
        return registry.make_tensor("Squeeze", [x], {"squeeze_dims": [int(a) for a in axis]},
                                    name=scope)
