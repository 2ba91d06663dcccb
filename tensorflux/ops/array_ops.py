"""Array ops: placeholders, identity, shapes, reshape/transpose/concat/stack, fills, slicing."""

import builtins

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import constant_op, registry
from tensorflux.ops._helpers import apply1, convert, same_shape
from tensorflux.ops.registry import ShapeError

ND = registry.NOT_DIFFERENTIABLE
TS = tensor_shape.TensorShape


# --- placeholders and identity -------------------------------------------------------------
def _placeholder_shape(op):
    return [(op._attrs["dtype"], op._attrs["shape"])]


registry.register("Placeholder", shape=_placeholder_shape, grad=ND)
registry.register("PlaceholderWithDefault", shape=_placeholder_shape,
                  grad=lambda op, g: [g])


def placeholder(dtype, shape=None, name=None):
    """A tensor that must be fed: `sess.run(y, {x: value})`.

    Example:
        >>> x = tf.placeholder(tf.float32, shape=[None, 784])
    """
    dtype = dtypes.as_dtype(dtype).base_dtype
    shape = tensor_shape.unknown_shape() if shape is None else tensor_shape.as_shape(shape)
    g = graph_lib.get_default_graph()
    return g.create_op("Placeholder", [], {"dtype": dtype, "shape": shape},
                       name=name or "Placeholder", op_def=registry.get("Placeholder"))._outputs[0]


def placeholder_with_default(input, shape, name=None):  # noqa: A002 - TF's keyword
    """A placeholder that takes the value of `input` when not fed."""
    x = convert(input)
    shape = tensor_shape.as_shape(shape)
    if not shape.is_compatible_with(x.shape):
        raise ValueError("Shapes %s and %s are incompatible" % (shape, x.shape))
    return apply1("PlaceholderWithDefault", [x], {"dtype": x.dtype.base_dtype, "shape": shape},
                  name=name, input_names=["input"])


registry.register("Identity", shape=same_shape, grad=lambda op, g: [g])
registry.register("Snapshot", shape=same_shape, grad=lambda op, g: [g])
registry.register("StopGradient", shape=same_shape, grad=ND)
registry.register("PreventGradient", shape=same_shape, grad=ND)


def identity(input, name=None):  # noqa: A002 - TF's keyword
    if hasattr(input, "_as_graph_element") and not isinstance(input, Tensor):
        input = input.read_value() if hasattr(input, "read_value") else convert(input)
    return apply1("Identity", [input], name=name, input_names=["input"])


def stop_gradient(input, name=None):  # noqa: A002 - TF's keyword
    return apply1("StopGradient", [input], name=name, input_names=["input"])


# --- shape queries ---------------------------------------------------------------------------
def _out_type(op):
    return op._attrs.get("out_type", dtypes.int32)


registry.register("Shape", shape=lambda op: [(_out_type(op), TS([op.inputs[0].shape.ndims]))],
                  grad=ND)
registry.register("Size", shape=lambda op: [(_out_type(op), TS([]))], grad=ND)
registry.register("Rank", shape=lambda op: [(dtypes.int32, TS([]))], grad=ND)


def shape(input, name=None, out_type=dtypes.int32):  # noqa: A002 - TF's keyword
    return apply1("Shape", [input], {"out_type": dtypes.as_dtype(out_type)}, name=name,
                  input_names=["input"])


def size(input, name=None, out_type=dtypes.int32):  # noqa: A002 - TF's keyword
    return apply1("Size", [input], {"out_type": dtypes.as_dtype(out_type)}, name=name,
                  input_names=["input"])


def rank(input, name=None):  # noqa: A002 - TF's keyword
    return apply1("Rank", [input], name=name, input_names=["input"])


def _bga_shape(op):
    return [(op.inputs[0].dtype, TS([None])), (op.inputs[0].dtype, TS([None]))]


registry.register("BroadcastGradientArgs", shape=_bga_shape, grad=ND)


def broadcast_gradient_args(s0, s1, name=None):
    op = registry.make_op("BroadcastGradientArgs", [convert(s0), convert(s1)],
                          name=name or "BroadcastGradientArgs")
    return op._outputs[0], op._outputs[1]


# --- reshape / transpose -----------------------------------------------------------------
def _reshape_shape(op):
    x, s = op.inputs
    target = constant_op.constant_value_as_shape(s)
    if target.ndims is None:
        return [(x.dtype.base_dtype, target)]
    dims = target.as_list()
    n_in = x.shape.num_elements()
    if dims.count(None) > 1:
        v = constant_op.constant_value(s)
        if v is not None and list(v).count(-1) > 1:
            raise ShapeError("Cannot infer multiple unknown dimensions in shape %s" % list(v))
        return [(x.dtype.base_dtype, target)]
    known = int(np.prod([d for d in dims if d is not None])) if dims else 1
    if None in dims:
        if n_in is not None and constant_op.constant_value(s) is not None:
            if known == 0 or n_in % known:
                raise ShapeError("Cannot reshape a tensor with %d elements to shape %s (%d "
                                 "elements)" % (n_in, _fmt(constant_op.constant_value(s)), known))
            dims[dims.index(None)] = n_in // known
    elif n_in is not None and n_in != known:
        raise ShapeError("Cannot reshape a tensor with %d elements to shape %s (%d elements)"
                         % (n_in, _fmt(dims), known))
    return [(x.dtype.base_dtype, TS(dims))]


def _fmt(dims):
    return "[" + ",".join(str(int(d)) for d in dims) + "]"


def _reshape_grad(op, g):
    return [reshape(g, shape(op.inputs[0])) if not op.inputs[0].shape.is_fully_defined()
            else reshape(g, op.inputs[0].shape.as_list()), None]


registry.register("Reshape", shape=_reshape_shape, grad=_reshape_grad)


def reshape(tensor, shape, name=None):
    """Reshapes a tensor; one dimension may be -1.

    Example:
        >>> W = tf.reshape(V, [4, 10])
    """
    with graph_lib.name_scope(name, "Reshape", [tensor]) as scope:
        tensor = convert(tensor, name="tensor")
        shape = convert(shape, dtype=dtypes.int32, name="shape") if not isinstance(
            shape, Tensor) else shape
        return registry.make_tensor("Reshape", [tensor, shape], name=scope)


def _transpose_shape(op):
    x, p = op.inputs
    perm = constant_op.constant_value(p)
    if perm is None or x.shape.ndims is None:
        return [(x.dtype.base_dtype, tensor_shape.unknown_shape(x.shape.ndims))]
    perm = [int(i) for i in perm]
    if sorted(perm) != list(builtins.range(x.shape.ndims)):
        raise ShapeError("Dimension must be %d but is %d" % (x.shape.ndims, len(perm))
                         if len(perm) != x.shape.ndims else "%s is not a permutation" % perm)
    return [(x.dtype.base_dtype, TS([x.shape[i] for i in perm]))]


def _transpose_grad(op, g):
    return [transpose(g, invert_permutation(op.inputs[1])), None]


registry.register("Transpose", shape=_transpose_shape, grad=_transpose_grad)
registry.register("InvertPermutation", shape=same_shape, grad=ND)


def invert_permutation(x, name=None):
    v = constant_op.constant_value(x)
    if v is not None:
        return constant_op.constant(np.argsort(v).astype(v.dtype), name=name or "Const")
    return apply1("InvertPermutation", [x], name=name)


def transpose(a, perm=None, name="transpose", conjugate=False):
    """Permutes dimensions; `perm=None` reverses them.

    Example:
        >>> tf.transpose(x, [0, 2, 1]).get_shape()
    """
    with graph_lib.name_scope(name, "transpose", [a]) as scope:
        a = convert(a, name="a")
        if perm is None:
            r = a.shape.ndims
            if r is None:
                rk = rank(a)
                perm = (rk - 1) - _range(0, rk, 1)
            else:
                perm = list(builtins.range(r - 1, -1, -1))
        perm = convert(perm, dtype=dtypes.int32, name="perm") if not isinstance(
            perm, Tensor) else perm
        return registry.make_tensor("Transpose", [a, perm], name=scope)


# --- concat / stack / unstack --------------------------------------------------------------
def _concat_shape(op):
    values, axis_t = op.inputs[:-1], op.inputs[-1]
    axis = constant_op.constant_value(axis_t)
    dtype = values[0].dtype.base_dtype
    ranks = [v.shape.ndims for v in values if v.shape.ndims is not None]
    if not ranks:
        return [(dtype, tensor_shape.unknown_shape())]
    r = ranks[0]
    if any(x != r for x in ranks):
        raise ShapeError("Shape must be rank %d but is rank %d" % (r, [x for x in ranks
                                                                        if x != r][0]))
    if axis is None:
        return [(dtype, tensor_shape.unknown_shape(r))]
    axis = int(axis)
    if axis < -r or axis >= r:
        raise ShapeError("ConcatOp : Expected concatenating dimensions in the range [%d, %d), "
                         "but got %d" % (-r, r, axis))
    axis %= r
    out = [None] * r
    total = 0
    for v in values:
        if v.shape.ndims is None:
            total = None
            continue
        for i, d in enumerate(v.shape.as_list()):
            if i == axis:
                total = None if total is None or d is None else total + d
            elif d is not None:
                if out[i] is not None and out[i] != d:
                    raise ShapeError("Dimension %d in both shapes must be equal, but are %d and %d"
                                     ". Shapes are %s and %s" % (i, out[i], d,
                                                                 values[0].shape, v.shape))
                out[i] = d
    out[axis] = total
    return [(dtype, TS(out))]


def _concat_grad(op, g):
    values, axis = op.inputs[:-1], op.inputs[-1]
    if all(v.shape.is_fully_defined() for v in values) and \
            constant_op.constant_value(axis) is not None:
        ax = int(constant_op.constant_value(axis)) % values[0].shape.ndims
        sizes = [v.shape[ax].value for v in values]
        return list(split(g, sizes, axis=ax)) + [None]
    sizes = stack([gather(shape(v), axis) for v in values])
    return list(split(g, sizes, axis=axis, num=len(values))) + [None]


registry.register("ConcatV2", shape=_concat_shape, grad=_concat_grad)


def concat(values, axis, name="concat"):
    """Concatenates tensors along `axis`.

    Example:
        >>> tf.concat([t1, t2], 0)
    """
    if not isinstance(values, (list, tuple)):
        values = [values]
    if len(values) == 1:
        with graph_lib.name_scope(name) as scope:
            return identity(convert(values[0]), name=scope)
    with graph_lib.name_scope(name, "concat", [v for v in values if isinstance(v, Tensor)]) as s:
        ts = []
        dtype = next((v.dtype.base_dtype for v in values if isinstance(v, Tensor)), None)
        for v in values:
            ts.append(convert(v, dtype=dtype))
            dtype = dtype or ts[-1].dtype.base_dtype
        for t in ts[1:]:
            if t.dtype.base_dtype != ts[0].dtype.base_dtype:
                raise TypeError("Tensors in list passed to 'values' of 'ConcatV2' Op have types "
                                "[%s] that don't all match." % ", ".join(x.dtype.name for x in ts))
        axis = convert(axis, dtype=dtypes.int32, name="axis")
        return registry.make_tensor("ConcatV2", ts + [axis], {"N": len(ts)}, name=s)


def _pack_shape(op):
    axis = op._attrs["axis"]
    s = op.inputs[0].shape
    for v in op.inputs[1:]:
        if not s.is_compatible_with(v.shape):
            raise ShapeError("Shapes must be equal rank, but are %d and %d" % (
                s.ndims, v.shape.ndims) if s.ndims != v.shape.ndims else
                "Dimension %d in both shapes must be equal" % 0)
        s = s.merge_with(v.shape)
    if s.ndims is None:
        return [(op.inputs[0].dtype.base_dtype, tensor_shape.unknown_shape())]
    r = s.ndims + 1
    if axis < -r or axis >= r:
        raise ShapeError("Argument axis = %d not in range [%d, %d)" % (axis, -r, r))
    dims = s.as_list()
    dims.insert(axis % r, len(op.inputs))
    return [(op.inputs[0].dtype.base_dtype, TS(dims))]


registry.register("Pack", shape=_pack_shape,
                  grad=lambda op, g: unstack(g, num=len(op.inputs), axis=op._attrs["axis"]))


def stack(values, axis=0, name="stack"):
    """Stacks rank-R tensors into one rank-(R+1) tensor."""
    with graph_lib.name_scope(name) as scope:
        dtype = next((v.dtype.base_dtype for v in values if isinstance(v, Tensor)), None)
        ts = [convert(v, dtype=dtype) for v in values]
        return registry.make_tensor("Pack", ts, {"axis": axis, "N": len(ts)}, name=scope)


pack = stack


def _autopacking(values, dtype, name):
    def conv(v):
        if isinstance(v, (list, tuple)):
            return _autopacking(v, dtype, "packed")
        return convert(v, dtype=dtype)
    ts = [conv(v) for v in values]
    if dtype is None:
        tensor_dt = [t.dtype.base_dtype for t in ts if t.op.type != "Const"]
        target = tensor_dt[0] if tensor_dt else ts[0].dtype.base_dtype
        ts = [t if t.dtype.base_dtype == target else convert(
            constant_op.constant_value(t), dtype=target) for t in ts]
    return stack(ts, name=name)


def _unpack_shape(op):
    x = op.inputs[0]
    num, axis = op._attrs["num"], op._attrs["axis"]
    if x.shape.ndims is None:
        return [(x.dtype.base_dtype, tensor_shape.unknown_shape())] * num
    dims = x.shape.as_list()
    del dims[axis % len(dims)]
    return [(x.dtype.base_dtype, TS(dims))] * num


def _unpack_grad(op, *grads):
    grads = [g if g is not None else zeros_like(t) for g, t in zip(grads, op.outputs)]
    return [stack(grads, axis=op._attrs["axis"])]


registry.register("Unpack", shape=_unpack_shape, grad=_unpack_grad)


def unstack(value, num=None, axis=0, name="unstack"):
    value = convert(value)
    if num is None:
        if value.shape.ndims is None:
            raise ValueError("Cannot infer num from shape %s" % value.shape)
        num = value.shape[axis].value
        if num is None:
            raise ValueError("Cannot infer num from shape %s" % value.shape)
    from tensorflux.ops._helpers import apply

    return apply("Unpack", [value], {"num": num, "axis": axis}, name=name).outputs


unpack = unstack


# --- fills ---------------------------------------------------------------------------------
def _fill_shape(op):
    dims = constant_op.constant_value_as_shape(op.inputs[0])
    return [(op.inputs[1].dtype.base_dtype, dims)]


registry.register("Fill", shape=_fill_shape, grad=lambda op, g: [None, _sum_all(g)])
registry.register("ZerosLike", shape=same_shape, grad=ND)
registry.register("OnesLike", shape=same_shape, grad=ND)


def _sum_all(g):
    from tensorflux.ops import reduction_ops

    return reduction_ops.reduce_sum(g)


def fill(dims, value, name=None):
    with graph_lib.name_scope(name, "Fill") as scope:
        dims = convert(dims, dtype=dtypes.int32, name="dims") if not isinstance(dims, Tensor) \
            else dims
        value = convert(value, name="value")
        return registry.make_tensor("Fill", [dims, value], name=scope)


def _shape_arg(shape):
    if isinstance(shape, Tensor):
        return shape
    if isinstance(shape, tensor_shape.TensorShape):
        shape = shape.as_list()
    return shape


def zeros(shape, dtype=dtypes.float32, name=None):
    """A tensor of zeros (a constant when the shape is static, else Fill)."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    with graph_lib.name_scope(name, "zeros") as scope:
        shape = _shape_arg(shape)
        if not isinstance(shape, Tensor) and not any(isinstance(s, Tensor) for s in (
                shape if isinstance(shape, (list, tuple)) else [])):
            n = np.prod(shape) if np.ndim(shape) else shape
            if n < 1000:
                return constant_op.constant(np.zeros(shape, dtype.as_numpy_dtype)
                                            if dtype != dtypes.string else "", dtype=dtype,
                                            shape=shape, name=scope)
        shape = convert(shape, dtype=dtypes.int32, name="shape")
        return fill(shape, constant_op.constant(0, dtype=dtype), name=scope)


def ones(shape, dtype=dtypes.float32, name=None):
    dtype = dtypes.as_dtype(dtype).base_dtype
    with graph_lib.name_scope(name, "ones") as scope:
        shape = _shape_arg(shape)
        if not isinstance(shape, Tensor) and not any(isinstance(s, Tensor) for s in (
                shape if isinstance(shape, (list, tuple)) else [])):
            n = np.prod(shape) if np.ndim(shape) else shape
            if n < 1000:
                return constant_op.constant(np.ones(shape, dtype.as_numpy_dtype), dtype=dtype,
                                            shape=shape, name=scope)
        shape = convert(shape, dtype=dtypes.int32, name="shape")
        return fill(shape, constant_op.constant(1, dtype=dtype), name=scope)


def zeros_like(tensor, dtype=None, name=None, optimize=True):
    with graph_lib.name_scope(name, "zeros_like", [tensor]) as scope:
        tensor = convert(tensor, name="tensor")
        if dtype is not None and dtypes.as_dtype(dtype) != tensor.dtype.base_dtype:
            return zeros(shape(tensor), dtype=dtype, name=scope)
        return registry.make_tensor("ZerosLike", [tensor], name=scope)


def ones_like(tensor, dtype=None, name=None, optimize=True):
    with graph_lib.name_scope(name, "ones_like", [tensor]) as scope:
        tensor = convert(tensor, name="tensor")
        if dtype is not None and dtypes.as_dtype(dtype) != tensor.dtype.base_dtype:
            return ones(shape(tensor), dtype=dtype, name=scope)
        return registry.make_tensor("OnesLike", [tensor], name=scope)


# --- range ---------------------------------------------------------------------------------
def _range_shape(op):
    vals = [constant_op.constant_value(x) for x in op.inputs]
    dt = op.inputs[0].dtype.base_dtype
    if any(v is None for v in vals):
        return [(dt, TS([None]))]
    a, b, c = vals
    if c == 0:
        raise ShapeError("Requires delta != 0")
    n = max(0, int(np.ceil((b - a) / c)))
    return [(dt, TS([n]))]


registry.register("Range", shape=_range_shape, grad=ND)


def _range(start, limit, delta, dtype=None, name="range"):
    return registry.make_tensor("Range", [convert(start, dtype), convert(limit, dtype),
                                          convert(delta, dtype)], name=name)


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001 - TF's name
    """Like Python's range, as a 1-D tensor."""
    if limit is None:
        start, limit = 0, start
    with graph_lib.name_scope(name, "Range") as scope:
        vals = [start, limit, delta]
        if dtype is None:
            kinds = [x.dtype.base_dtype if isinstance(x, Tensor) else dtypes.dtype_of_value(x)
                     for x in vals]
            order = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64]
            dtype = max(kinds, key=lambda d: order.index(d) if d in order else 0)
        ts = [convert(v, name=n) if isinstance(v, Tensor) else convert(v, dtype=dtype, name=n)
              for v, n in zip(vals, ("start", "limit", "delta"))]
        from tensorflux.ops import math_ops

        ts = [math_ops.cast(t, dtype) for t in ts]
        return registry.make_tensor("Range", ts, {"Tidx": dtype}, name=scope)


# --- gather (used by gradients here) --------------------------------------------------------
def _gather_shape(op):
    params, indices, axis_t = op.inputs
    axis = constant_op.constant_value(axis_t)
    if params.shape.ndims is None or indices.shape.ndims is None or axis is None:
        return [(params.dtype.base_dtype, tensor_shape.unknown_shape())]
    axis = int(axis) % params.shape.ndims
    p = params.shape.as_list()
    return [(params.dtype.base_dtype, TS(p[:axis] + indices.shape.as_list() + p[axis + 1:]))]


registry.register("GatherV2", shape=_gather_shape, grad=None)


def gather(params, indices, validate_indices=None, name=None, axis=0, batch_dims=0):
    with graph_lib.name_scope(name, "GatherV2", [params, indices]) as scope:
        params = convert(params, name="params")
        indices = convert(indices, name="indices")
        axis = convert(axis, dtype=dtypes.int32, name="axis")
        return registry.make_tensor("GatherV2", [params, indices, axis], name=scope)


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Splits a tensor into sub-tensors (implemented by the array ops family)."""
    from tensorflux.ops import manip_ops

    return manip_ops.split(value, num_or_size_splits, axis=axis, num=num, name=name)


def where(condition, x=None, y=None, name=None):
    from tensorflux.ops import manip_ops

    return manip_ops.where(condition, x, y, name=name)


def _slice_helper(tensor, key):
    from tensorflux.ops import slicing_ops

    return slicing_ops.slice_helper(tensor, key)
