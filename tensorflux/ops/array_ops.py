"""Array ops: placeholders, identity, shapes, reshape/transpose/concat/stack, fills, slicing."""

import builtins

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import constant_op, registry
from tensorflux.ops._helpers import apply1, broadcast_shapes, convert, same_shape
from tensorflux.ops.fill_ops import (  # noqa: F401 - part of this module's interface
    _range,
    fill,
    ones,
    ones_like,
    range,  # noqa: A004 - TF's name
    zeros,
    zeros_like,
)
from tensorflux.ops.registry import ShapeError

ND = registry.NOT_DIFFERENTIABLE
TS = tensor_shape.TensorShape


# --- placeholders and identity -------------------------------------------------------------
def _placeholder_shape(op):
    return [(op._attrs["dtype"], op._attrs["shape"])]


def unfed_placeholder_error(op):
    """TF's InvalidArgumentError for running placeholder `op` without a feed."""
    from tensorflux import errors
    from tensorflux.graph.operation import op_error

    shape = op._attrs["shape"]
    suffix = "" if not shape.ndims else " and shape [%s]" % ",".join(
        "?" if d is None else str(d) for d in shape.as_list())
    dtype = op._attrs["dtype"].name
    dtype = {"float32": "float", "float64": "double", "float16": "half"}.get(dtype, dtype)
    return op_error(errors.InvalidArgumentError, op,
                    "You must feed a value for placeholder tensor '%s' with dtype %s%s\n"
                    "\t [[{{node %s}}]]" % (op.name, dtype, suffix, op.name))


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
    out = apply1("Identity", [input], name=name, input_names=["input"])
    if isinstance(input, Tensor):
        out._handle_data = input._handle_data  # a TensorList stays one
    return out


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
    """The shape of `input` as a 1-D tensor (a constant when the static shape is fully known).

    Example:
        >>> tf.shape(tf.zeros([2, 3]))  # [2, 3]
    """
    out_type = dtypes.as_dtype(out_type).base_dtype
    with graph_lib.name_scope(name, "Shape", [input]) as scope:
        x = _convert_input(input)
        if x.shape.is_fully_defined():
            return constant_op.constant(x.shape.as_list(), dtype=out_type, name=scope)
        return registry.make_tensor("Shape", [x], {"out_type": out_type}, name=scope)


def size(input, name=None, out_type=dtypes.int32):  # noqa: A002 - TF's keyword
    """The number of elements of `input` as a scalar tensor."""
    out_type = dtypes.as_dtype(out_type).base_dtype
    with graph_lib.name_scope(name, "Size", [input]) as scope:
        x = _convert_input(input)
        if x.shape.is_fully_defined():
            return constant_op.constant(x.shape.num_elements(), dtype=out_type, name=scope)
        return registry.make_tensor("Size", [x], {"out_type": out_type}, name=scope)


def rank(input, name=None):  # noqa: A002 - TF's keyword
    """The number of dimensions of `input` as a scalar int32 tensor."""
    with graph_lib.name_scope(name, "Rank", [input]) as scope:
        x = _convert_input(input)
        if x.shape.ndims is not None:
            return constant_op.constant(x.shape.ndims, dtype=dtypes.int32, name=scope)
        return registry.make_tensor("Rank", [x], name=scope)


def _convert_input(x):
    if hasattr(x, "_as_graph_element") and not isinstance(x, Tensor):
        x = x.value() if hasattr(x, "value") else x._as_graph_element()
    return convert(x, name="input")


def partial_value(t):
    """The ints of a 1-D integer tensor, with None for elements unknown at graph-construction
    time (a `tf.stack` of constants and tensors); None when not even its length is known."""
    v = static_value(t)
    if v is not None:
        return [int(x) for x in np.asarray(v).ravel()]
    op = t.op
    if op.type == "Cast":
        return partial_value(op.inputs[0])
    if op.type == "Pack" and all(x.shape.ndims == 0 for x in op.inputs):
        vals = [static_value(x) for x in op.inputs]
        return [None if x is None else int(x) for x in vals]
    if t.shape.ndims == 1 and t.shape[0].value is not None:
        return [None] * t.shape[0].value
    return None


_FOLDABLE = {"Add": np.add, "AddV2": np.add, "Sub": np.subtract, "Mul": np.multiply,
             "FloorDiv": np.floor_divide, "FloorMod": np.mod, "Maximum": np.maximum,
             "Minimum": np.minimum, "Neg": np.negative}


def static_value(t, depth=0):
    """`constant_value(t)`, also through small integer arithmetic and slices of constants: the
    values TF's shape inference evaluates (e.g. `x[i:i + 2]` with a constant `i`)."""
    v = constant_op.constant_value(t)
    if v is not None or depth > 16 or not t.dtype.is_integer:
        return v
    op = t.op
    if op.type in _FOLDABLE:
        args = [static_value(x, depth + 1) for x in op.inputs]
        if any(a is None for a in args):
            return None
        return np.asarray(_FOLDABLE[op.type](*args)).astype(t.dtype.as_numpy_dtype)
    if op.type == "StridedSlice":
        args = [static_value(x, depth + 1) for x in op.inputs]
        if any(a is None for a in args):
            return None
        from tensorflux.ops import slicing_ops

        x, b, e, st = args
        try:
            index = slicing_ops.numpy_index(x.shape, *[[int(i) for i in np.ravel(a)]
                                                       for a in (b, e, st)], op._attrs)
        except (ValueError, IndexError):
            return None
        return np.asarray(x[index])
    return None


def _bga_shape(op):
    return [(op.inputs[0].dtype, TS([None])), (op.inputs[0].dtype, TS([None]))]


registry.register("BroadcastGradientArgs", shape=_bga_shape, grad=ND)


def broadcast_gradient_args(s0, s1, name=None):
    op = registry.make_op("BroadcastGradientArgs", [convert(s0), convert(s1)],
                          name=name or "BroadcastGradientArgs")
    return op._outputs[0], op._outputs[1]


# --- shape_n / broadcast shapes --------------------------------------------------------------
def _shape_n_shape(op):
    out_type = _out_type(op)
    return [(out_type, TS([x.shape.ndims])) for x in op.inputs]


def _broadcast_args_shape(op):
    """BroadcastArgs: two shape vectors -> one as long as the longer (unknown if either is)."""
    lengths = []
    for t in op.inputs:
        if t.shape.ndims is not None and t.shape.ndims != 1:
            raise registry.ShapeError("Shape must be rank 1 but is rank %d" % t.shape.ndims)
        lengths.append(t.shape[0].value if t.shape.ndims == 1 else None)
    out = None if None in lengths else max(lengths)
    return [(op.inputs[0].dtype.base_dtype, TS([out]))]


registry.register("ShapeN", shape=_shape_n_shape, grad=ND)
registry.register("BroadcastArgs", shape=_broadcast_args_shape, grad=ND)


def shape_n(input, out_type=dtypes.int32, name=None):  # noqa: A002 - TF's keyword
    """The shapes of several tensors, from one ShapeN op (never folded to constants, as in TF).

    Example:
        >>> tf.shape_n([tf.zeros([2, 3]), tf.zeros([4])])  # [[2, 3], [4]]
    """
    out_type = dtypes.as_dtype(out_type).base_dtype
    with graph_lib.name_scope(name, "ShapeN", list(input)) as scope:
        xs = [_convert_input(x) for x in input]
        op = registry.make_op("ShapeN", xs, {"N": len(xs), "out_type": out_type}, name=scope)
        return list(op._outputs)


def broadcast_dynamic_shape(shape_x, shape_y):
    """The broadcast of two shape vectors, computed when the graph runs (op BroadcastArgs).

    Example:
        >>> tf.broadcast_dynamic_shape([3, 1], [2, 1, 4])  # [2, 3, 4]
    """
    with graph_lib.name_scope(None, "BroadcastArgs", [shape_x, shape_y]) as scope:
        x = convert(shape_x, name="s0")
        y = convert(shape_y, dtype=x.dtype.base_dtype, name="s1")
        return registry.make_tensor("BroadcastArgs", [x, y], {"T": x.dtype.base_dtype},
                                    name=scope)


def broadcast_static_shape(shape_x, shape_y):
    """The broadcast of two `TensorShape`s, known while building the graph (unknown rank if
    either rank is unknown).

    Raises:
        ValueError: If the shapes cannot be broadcast (TF's message).

    Example:
        >>> tf.broadcast_static_shape(tf.TensorShape([None, 1]), tf.TensorShape([4, 3]))
        TensorShape([Dimension(4), Dimension(3)])
    """
    x, y = tensor_shape.as_shape(shape_x), tensor_shape.as_shape(shape_y)
    try:
        return broadcast_shapes(x, y)
    except registry.ShapeError:
        received = (tuple(x.as_list()), tuple(y.as_list()))
        raise ValueError("Incompatible shapes for broadcasting. Two shapes are compatible if for "
                         "each dimension pair they are either equal or one of them is 1. "
                         "Received: %s and %s." % received) from None


# --- reshape / transpose -----------------------------------------------------------------
def _reshape_shape(op):
    x, s = op.inputs
    target = constant_op.constant_value_as_shape(s, evaluate=True)
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
        # as TF: the one dim left unknown (-1, or a value only the run knows) follows from the
        # element count; a size mismatch is an error here only when the whole shape is known
        if n_in is not None and constant_op.constant_value(s) is not None:
            if known == 0 or n_in % known:
                raise ShapeError("Cannot reshape a tensor with %d elements to shape %s (%d "
                                 "elements)" % (n_in, _fmt(constant_op.constant_value(s)), known))
            dims[dims.index(None)] = n_in // known
        elif n_in is not None and known and n_in % known == 0:
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
    p = op.inputs[1]
    v = constant_op.constant_value(p)
    inv = constant_op.constant(np.argsort(v).astype(v.dtype)) if v is not None else \
        invert_permutation(p)
    return [transpose(g, inv), None]


def _invperm_shape(op):
    x = op.inputs[0]
    if x.shape.ndims is not None and x.shape.ndims != 1:
        raise ShapeError("Shape must be rank 1 but is rank %d" % x.shape.ndims)
    return [(x.dtype.base_dtype, x.shape if x.shape.ndims is not None else TS([None]))]


registry.register("Transpose", shape=_transpose_shape, grad=_transpose_grad)
registry.register("InvertPermutation", shape=_invperm_shape, grad=ND)


def invert_permutation(x, name=None):
    """The inverse of a permutation vector: `y[x[i]] = i`.

    Example:
        >>> tf.invert_permutation([3, 4, 0, 2, 1])  # [2, 4, 3, 0, 1]
    """
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
        raise ShapeError("Shape must be at least rank %d but is rank %d"
                         % (axis + 1 if axis >= 0 else -axis, r))
    axis %= r
    # As TF: merge the dims before and after the axis separately, summing along the axis.
    known = [v.shape.as_list() for v in values if v.shape.ndims is not None]
    parts = []
    for lo, hi in ((0, axis), (axis + 1, r)):
        merged = known[0][lo:hi]
        for dims in known[1:]:
            part = dims[lo:hi]
            for i, (a, b) in enumerate(zip(merged, part)):
                if None not in (a, b) and a != b:
                    raise ShapeError("Dimension %d in both shapes must be equal, but are %d and "
                                     "%d. Shapes are %s and %s." % (
                                         i, a, b, _fmt_shape(TS(merged)), _fmt_shape(TS(part))))
            merged = [b if a is None else a for a, b in zip(merged, part)]
        parts.append(merged)
    sizes = [v.shape[axis].value if v.shape.ndims is not None else None for v in values]
    total = None if None in sizes else sum(sizes)
    return [(dtype, TS(parts[0] + [total] + parts[1]))]


def _concat_grad(op, g):
    values, axis = op.inputs[:-1], op.inputs[-1]
    ax = constant_op.constant_value(axis)
    r = values[0].shape.ndims
    if ax is not None and r is not None:
        ax = int(ax) % r
        sizes = [v.shape[ax].value for v in values]
        if all(d is not None for d in sizes):
            return list(split(g, sizes, axis=ax)) + [None]
        return list(split(g, stack([shape(v)[ax] for v in values]), axis=ax,
                          num=len(values))) + [None]
    from tensorflux.ops import math_ops

    rk = rank(values[0])
    ax = math_ops.floormod(axis, rk)
    sizes = stack([gather(shape(v), ax) for v in values])
    return list(split(g, sizes, axis=ax, num=len(values))) + [None]


registry.register("ConcatV2", shape=_concat_shape, grad=_concat_grad)
# ConcatOffset(concat_dim, shape_0, ..., shape_n-1): where each input starts in the
# concatenation (TF's ConcatV2 gradient uses it; it arrives in imported gradient graphs).
registry.register("ConcatOffset", grad=registry.NOT_DIFFERENTIABLE, shape=lambda op: [
    (dtypes.int32, s.shape) for s in op.inputs[1:]])


def concat(values, axis, name="concat"):
    """Concatenates tensors along `axis`.

    Example:
        >>> tf.concat([t1, t2], 0)
    """
    if not isinstance(values, (list, tuple)):
        values = [values]
    if len(values) == 1:  # as TF: a checked axis and an Identity named "<name>/<name>"
        with graph_lib.name_scope(name):
            a = convert(axis, dtype=dtypes.int32, name="concat_dim")
            if a.shape.ndims not in (None, 0):
                raise ValueError("Shape must be rank 0 but is rank %d" % a.shape.ndims)
            return identity(convert(values[0]), name=name)
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
            if s.ndims != v.shape.ndims:
                raise ShapeError("Shapes must be equal rank, but are %d and %d\n\tFrom merging "
                                 "shape 0 with other shapes" % (s.ndims, v.shape.ndims))
            a, b = s.as_list(), v.shape.as_list()
            d = next(j for j in builtins.range(len(a)) if None not in (a[j], b[j]) and
                     a[j] != b[j])
            raise ShapeError("Dimension %d in both shapes must be equal, but are %d and %d. Shapes "
                             "are %s and %s.\n\tFrom merging shape %d with other shapes"
                             % (d, a[d], b[d], _fmt_shape(s), _fmt_shape(v.shape), 0))
        s = s.merge_with(v.shape)
    if s.ndims is None:
        return [(op.inputs[0].dtype.base_dtype, tensor_shape.unknown_shape())]
    r = s.ndims + 1
    if axis < -r or axis >= r:
        raise ShapeError("Argument axis = %d not in range [%d, %d)" % (axis, -r, r))
    dims = s.as_list()
    dims.insert(axis % r, len(op.inputs))
    return [(op.inputs[0].dtype.base_dtype, TS(dims))]


def _fmt_shape(s):
    return "[" + ",".join("?" if d is None else str(d) for d in s.as_list()) + "]"


registry.register("Pack", shape=_pack_shape,
                  grad=lambda op, g: unstack(g, num=len(op.inputs), axis=op._attrs["axis"]))


def stack(values, axis=0, name="stack"):
    """Stacks a list of rank-R tensors into one rank-(R+1) tensor along `axis`.

    Example:
        >>> tf.stack([x, y, z], axis=1)  # shape [2, 3] for 2-element x, y, z
    """
    if axis == 0 and isinstance(values, (list, tuple)) and not constant_op._contains_tensor(
            values):
        try:
            return constant_op.constant(values, name=name)
        except (TypeError, ValueError):
            pass
    if isinstance(values, Tensor) and axis == 0:
        return values  # TF converts the "list" directly
    if isinstance(values, Tensor):
        values = unstack(values)
    values = list(values)
    if not values:
        raise ValueError("List argument 'values' to 'Pack' Op with length 0 shorter than "
                         "minimum length 1.")
    with graph_lib.name_scope(name, "stack", [v for v in values if isinstance(v, Tensor)]) as s:
        dtype = next((_dtype_of(v) for v in values if _dtype_of(v) is not None), None)
        ts = [convert(v, dtype=dtype) for v in values]
        r = ts[0].shape.ndims
        if r is not None and (axis < -(r + 1) or axis >= r + 1):
            raise ValueError("Argument `axis` = %d not in range [%d, %d)" % (axis, -r - 1, r + 1))
        for t in ts[1:]:
            if t.dtype.base_dtype != ts[0].dtype.base_dtype:
                raise TypeError("Tensors in list passed to 'values' of 'Pack' Op have types [%s] "
                                "that don't all match." % ", ".join(x.dtype.name for x in ts))
        return registry.make_tensor("Pack", ts, {"axis": axis, "N": len(ts)}, name=s)


def _dtype_of(v):
    if isinstance(v, Tensor) or hasattr(v, "_as_graph_element"):
        return v.dtype.base_dtype
    return None


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
    r = len(dims)
    if axis < -r or axis >= r:
        raise ShapeError("Invalid axis: %d; must be in [%d,%d)" % (axis, -r, r))
    d = dims.pop(axis % r)
    if d is not None and d != num:
        raise ShapeError("Dimension must be %d but is %d" % (num, d))
    return [(x.dtype.base_dtype, TS(dims))] * num


def _unpack_grad(op, *grads):
    return [stack(list(grads), axis=op._attrs["axis"])]


registry.register("Unpack", shape=_unpack_shape, grad=_unpack_grad)


def unstack(value, num=None, axis=0, name="unstack"):
    """Splits `value` along `axis` into a list of rank-(R-1) tensors.

    Example:
        >>> a, b = tf.unstack(tf.constant([[1, 2], [3, 4]]))  # [1, 2] and [3, 4]
    """
    value = convert(value)
    if num is None:
        r = value.shape.ndims
        if r is not None:
            if axis < -r or axis >= r:
                raise ValueError("Argument `axis` = %d not in range [%d, %d)" % (axis, -r, r))
            num = value.shape[axis].value
        if num is None:
            raise ValueError("Cannot infer argument `num` from shape %s" % value.shape)
    with graph_lib.name_scope(name, "unstack", [value]) as scope:
        return registry.make_op("Unpack", [value], {"num": num, "axis": axis},
                                name=scope).outputs


unpack = unstack


# --- families that live in their own files (kept importable from here) ---------------------
def gather(params, indices, validate_indices=None, name=None, axis=None, batch_dims=0):
    """See `gather_ops.gather`."""
    from tensorflux.ops import gather_ops

    return gather_ops.gather(params, indices, validate_indices=validate_indices, name=name,
                             axis=axis, batch_dims=batch_dims)


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """See `manip_ops.split`."""
    from tensorflux.ops import manip_ops

    return manip_ops.split(value, num_or_size_splits, axis=axis, num=num, name=name)


def where(condition, x=None, y=None, name=None):
    """See `manip_ops.where`."""
    from tensorflux.ops import manip_ops

    return manip_ops.where(condition, x, y, name=name)


def _slice_helper(tensor, key):
    from tensorflux.ops import slicing_ops

    return slicing_ops.slice_helper(tensor, key)


newaxis = None
