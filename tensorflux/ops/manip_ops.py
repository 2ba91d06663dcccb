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
    dtype = x.dtype.base_dtype
    if op.type == "SelectV2":
        return [(dtype, _helpers.broadcast_shapes(c.shape, _helpers.broadcast_shapes(
            x.shape, y.shape)))]
    if not x.shape.is_compatible_with(y.shape):
        raise ShapeError(_mismatch(x.shape, y.shape))
    s = x.shape.merge_with(y.shape)
    if c.shape.ndims == 1 and s.ndims is not None and s.ndims > 1:
        if not c.shape[0].is_compatible_with(s[0]):
            raise ShapeError("Dimension 0 in both shapes must be equal, but are %d and %d. "
                             "Shapes are [%d] and [%d]." % (c.shape[0].value, s[0].value,
                                                             c.shape[0].value, s[0].value))
    elif c.shape.ndims not in (None, 0):
        if not c.shape.is_compatible_with(s):
            raise ShapeError(_mismatch(c.shape, s))
        s = s.merge_with(c.shape)
    return [(dtype, s)]


def _mismatch(a, b):
    if a.ndims != b.ndims:
        return "Shapes must be equal rank, but are %d and %d" % (a.ndims, b.ndims)
    la, lb = a.as_list(), b.as_list()
    i = next(i for i in range(len(la)) if None not in (la[i], lb[i]) and la[i] != lb[i])
    return "Dimension %d in both shapes must be equal, but are %d and %d. Shapes are %s and %s." \
        % (i, la[i], lb[i], array_ops._fmt_shape(a), array_ops._fmt_shape(b))


def _select_grad(op, g):
    from tensorflux.ops import math_ops

    c, x, y = op.inputs
    if op.type == "Select":
        zeros = array_ops.zeros_like(x)
        return [None, where(c, g, zeros), where(c, zeros, g)]
    zeros = array_ops.zeros([], dtype=g.dtype.base_dtype)  # a scalar, as TF's gradient has
    gx = math_ops._sum_to(where_v2(c, g, zeros), x)
    gy = math_ops._sum_to(where_v2(c, zeros, g), y)
    return [None, gx, gy]


def _where_shape(op):
    c = op.inputs[0]
    return [(dtypes.int64, TS([None, c.shape.ndims]))]


registry.register("Select", shape=_select_shape, grad=_select_grad)
registry.register("SelectV2", shape=_select_shape, grad=_select_grad)
registry.register("Where", shape=_where_shape, grad=ND)


def where(condition, x=None, y=None, name=None):
    """TF1 `where`: the coordinates of true elements (int64, shape [n, rank]), or, given `x`
    and `y`, an elementwise select (a vector condition selects rows of x and y).

    Example:
        >>> tf.where([True, False, True])  # [[0], [2]]
        >>> tf.where([True, False], [1, 2], [3, 4])  # [1, 4]
    """
    if x is None and y is None:
        with graph_lib.name_scope(name, "Where", [condition]) as scope:
            condition = convert(condition, preferred_dtype=dtypes.bool, name="condition")
            return registry.make_tensor("Where", [condition], name=scope)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    with graph_lib.name_scope(name, "Select", [condition, x, y]) as scope:
        condition = convert(condition, dtype=dtypes.bool, name="condition")
        x, y = _same_dtype_pair(x, y)
        return registry.make_tensor("Select", [condition, x, y], name=scope)


def _same_dtype_pair(x, y, op_type="Select"):
    if isinstance(x, Tensor) and isinstance(y, Tensor) and \
            x.dtype.base_dtype != y.dtype.base_dtype:
        raise TypeError("Input 'e' of '%s' Op has type %s that does not match type %s of "
                        "argument 't'." % (op_type, y.dtype.name, x.dtype.name))
    if not isinstance(x, Tensor) and isinstance(y, Tensor):
        y = convert(y, name="e")
        return convert(x, dtype=y.dtype.base_dtype, name="t"), y
    x = convert(x, name="t")
    y = convert(y, dtype=x.dtype.base_dtype, name="e")
    return x, y


def where_v2(condition, x=None, y=None, name=None):
    """TF2-style `where` with full numpy broadcasting of condition, x and y."""
    if x is None and y is None:
        return where(condition, name=name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    with graph_lib.name_scope(name, "SelectV2", [condition, x, y]) as scope:
        condition = convert(condition, dtype=dtypes.bool, name="condition")
        x, y = _same_dtype_pair(x, y, "SelectV2")
        return registry.make_tensor("SelectV2", [condition, x, y], name=scope)


# --- broadcast_to ----------------------------------------------------------------------------
def _broadcast_to_shape(op):
    x, s = op.inputs
    target = constant_op.constant_value_as_shape(s, evaluate=True)
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
        raise ShapeError("dim %d not in the interval [%d, %d]." % (axis, -r - 1, r))
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
    for i, d in enumerate(dims):
        if d < -r or d >= r:
            raise ShapeError("squeeze_dims[%d] not in [%d,%d)." % (i, -r, r))
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


# --- split -----------------------------------------------------------------------------------
def _split_axis(op, axis_t, value):
    """The normalised constant split axis, or None; validates it against the value's rank."""
    axis = constant_op.constant_value(axis_t)
    r = value.shape.ndims
    if axis is None or r is None:
        return None
    axis = int(axis)
    if axis < -r or axis >= r:
        raise ShapeError("Shape must be at least rank %d but is rank %d"
                         % (axis + 1 if axis >= 0 else -axis, r))
    return axis % r


def _split_shape(op):
    axis_t, value = op.inputs
    n = op._attrs["num_split"]
    dtype = value.dtype.base_dtype
    axis = _split_axis(op, axis_t, value)
    if axis is None:
        return [(dtype, tensor_shape.unknown_shape(value.shape.ndims))] * n
    dims = value.shape.as_list()
    d = dims[axis]
    if d is not None:
        if d % n:
            raise ShapeError("Dimension size must be evenly divisible by %d but is %d\n\tNumber "
                             "of ways to split should evenly divide the split dimension" % (n, d))
        dims[axis] = d // n
    return [(dtype, TS(dims))] * n


def _splitv_shape(op):
    value, sizes_t, axis_t = op.inputs
    n = op._attrs["num_split"]
    dtype = value.dtype.base_dtype
    sizes = array_ops.partial_value(sizes_t)
    if sizes is not None and len(sizes) != n:
        raise ShapeError("Length of size_splits should be equal to num_split (%d vs %d)"
                         % (len(sizes), n))
    axis = _split_axis(op, axis_t, value)
    if axis is None:
        return [(dtype, tensor_shape.unknown_shape(value.shape.ndims))] * n
    dims = value.shape.as_list()
    d = dims[axis]
    if sizes is None:
        sizes = [None] * n
    if sizes.count(-1) > 1:
        raise ShapeError("size_splits can only have one -1")
    known = [s for s in sizes if s is not None and s != -1]
    if d is not None and None not in sizes:
        total = sum(known)
        if -1 in sizes:
            if total > d:
                raise ShapeError("The specified sizes [%s] add up to %d, which is larger than "
                                 "the dimension %d" % (",".join(map(str, sizes)), total, d))
            sizes = [d - total if s == -1 else s for s in sizes]
        elif total != d:
            raise ShapeError("can't split axis of size %d into pieces of size [%s]"
                             % (d, ",".join(map(str, sizes))))
    out = []
    for s in sizes:
        dd = list(dims)
        dd[axis] = None if s is None or s == -1 else s
        out.append((dtype, TS(dd)))
    return out


def _split_grad(op, *grads):
    return [None, array_ops.concat(list(grads), op.inputs[0])]


def _splitv_grad(op, *grads):
    return [array_ops.concat(list(grads), op.inputs[2]), None, None]


registry.register("Split", shape=_split_shape, grad=_split_grad)
registry.register("SplitV", shape=_splitv_shape, grad=_splitv_grad)


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Splits `value` along `axis` into `num_or_size_splits` equal parts, or into parts of the
    given sizes (one size may be -1: the rest). Returns a list of tensors.

    Example:
        >>> a, b, c = tf.split(x, 3, axis=1)
        >>> a, b = tf.split(x, [4, -1], 1)
    """
    if isinstance(num_or_size_splits, (int, np.integer, tensor_shape.Dimension)) and \
            not isinstance(num_or_size_splits, bool):
        n = int(num_or_size_splits.value if isinstance(num_or_size_splits, tensor_shape.Dimension)
                else num_or_size_splits)
        if n < 1:
            raise ValueError("Attr 'num_split' of 'Split' Op passed %d less than minimum 1." % n)
        with graph_lib.name_scope(name, "split", [value]) as scope:
            axis_t = _int_tensor(axis, "split_dim")
            value = convert(value, name="value")
            return list(registry.make_op("Split", [axis_t, value], {"num_split": n},
                                         name=scope).outputs)
    size_splits = convert(num_or_size_splits)
    if size_splits.shape.ndims == 0:
        raise ValueError("Rank-0 tensors are not supported as the num_or_size_splits argument to "
                         "split. Argument provided: %s" % (num_or_size_splits,))
    if num is None:
        if size_splits.shape.ndims is not None:
            num = size_splits.shape[0].value
        if num is None:
            raise ValueError("Cannot infer argument `num` from shape %s" % (num_or_size_splits,))
    with graph_lib.name_scope(name, "split", [value, size_splits]) as scope:
        value = convert(value, name="value")
        axis_t = _int_tensor(axis, "split_dim")
        return list(registry.make_op("SplitV", [value, size_splits, axis_t],
                                     {"num_split": int(num),
                                      "Tlen": size_splits.dtype.base_dtype}, name=scope).outputs)


def _int_tensor(v, name, dtype=dtypes.int32):
    return v if isinstance(v, Tensor) else convert(v, dtype=dtype, name=name)


# --- tile ------------------------------------------------------------------------------------
def _tile_shape(op):
    x, m = op.inputs
    dtype = x.dtype.base_dtype
    if m.shape.ndims is not None and m.shape.ndims != 1:
        raise ShapeError("Shape must be rank 1 but is rank %d" % m.shape.ndims)
    mult = array_ops.partial_value(m)
    r = x.shape.ndims
    if r is None:
        return [(dtype, tensor_shape.unknown_shape(None if mult is None else len(mult)))]
    if mult is None:
        return [(dtype, tensor_shape.unknown_shape(r))]
    if len(mult) != r:
        raise ShapeError("Shape must be rank %d but is rank %d" % (r, len(mult)))
    out = []
    for d, k in zip(x.shape.as_list(), mult):
        if k is not None and k < 0:
            raise ShapeError("Expected multiples[%d] >= 0, but got %d" % (len(out), k))
        out.append(0 if k == 0 else None if d is None or k is None else d * k)
    return [(dtype, TS(out))]


def _tile_grad(op, g):
    from tensorflux.ops import reduction_ops

    x, m = op.inputs
    input_shape = array_ops.shape(x, out_type=m.dtype.base_dtype)
    split_shape = array_ops.reshape(array_ops.transpose(array_ops.stack([m, input_shape])),
                                    [-1])
    axes = array_ops.range(0, array_ops.size(split_shape), 2)
    out = reduction_ops.reduce_sum(array_ops.reshape(g, split_shape), axes)
    out.set_shape(x.shape)
    return [out, None]


registry.register("Tile", shape=_tile_shape, grad=_tile_grad)


def tile(input, multiples, name=None):  # noqa: A002 - TF's keyword
    """Repeats `input` `multiples[i]` times along dimension i.

    Example:
        >>> tf.tile([[1, 2]], [2, 3])  # shape [2, 6]
    """
    with graph_lib.name_scope(name, "Tile", [input, multiples]) as scope:
        x = convert(input, name="input")
        m = _int_tensor(multiples, "multiples")
        return registry.make_tensor("Tile", [x, m], {"Tmultiples": m.dtype.base_dtype},
                                    name=scope)


# --- reverse, reverse_sequence ---------------------------------------------------------------
def _reverse_shape(op):
    x, a = op.inputs
    axes = constant_op.constant_value(a)
    r = x.shape.ndims
    if a.shape.ndims is not None and a.shape.ndims != 1:
        raise ShapeError("Shape must be rank 1 but is rank %d" % a.shape.ndims)
    if axes is not None and r is not None:
        seen = set()
        for i, ax in enumerate(int(v) for v in np.asarray(axes).ravel()):
            if ax < -r or ax >= r:
                raise ShapeError("'axis'[%d] = %d is out of valid range [0, %d)" % (i, ax, r))
            if ax % r in seen:
                raise ShapeError("axis %d specified more than once." % (ax % r))
            seen.add(ax % r)
    return [(x.dtype.base_dtype, x.shape)]


registry.register("ReverseV2", shape=_reverse_shape,
                  grad=lambda op, g: [reverse(g, op.inputs[1]), None])


def reverse(tensor, axis, name=None):
    """Reverses `tensor` along each dimension in `axis`.

    Example:
        >>> tf.reverse([[1, 2], [3, 4]], [1])  # [[2, 1], [4, 3]]
    """
    with graph_lib.name_scope(name, "ReverseV2", [tensor, axis]) as scope:
        x = convert(tensor, name="tensor")
        a = _int_tensor(axis, "axis")
        return registry.make_tensor("ReverseV2", [x, a], {"Tidx": a.dtype.base_dtype},
                                    name=scope)


reverse_v2 = reverse


def _reverse_sequence_shape(op):
    x, lengths = op.inputs
    seq, batch = op._attrs["seq_dim"], op._attrs["batch_dim"]
    if lengths.shape.ndims is not None and lengths.shape.ndims != 1:
        raise ShapeError("Shape must be rank 1 but is rank %d" % lengths.shape.ndims)
    r = x.shape.ndims
    if r is None:
        return [(x.dtype.base_dtype, x.shape)]
    if batch == seq:
        raise ShapeError("batch_dim == seq_dim == %d" % seq)
    if seq >= r:
        raise ShapeError("seq_dim must be < input rank: %d vs. %d" % (seq, r))
    if batch >= r:
        raise ShapeError("batch_dim must be < input rank: %d vs. %d" % (batch, r))
    b = x.shape[batch]
    if lengths.shape.ndims == 1 and not lengths.shape[0].is_compatible_with(b):
        raise ShapeError("Dimensions must be equal, but are %d and %d"
                         % (b.value, lengths.shape[0].value))
    dims = x.shape.as_list()
    if dims[batch] is None and lengths.shape.ndims == 1:
        dims[batch] = lengths.shape[0].value
    return [(x.dtype.base_dtype, TS(dims))]


def _reverse_sequence_grad(op, g):
    return [reverse_sequence(g, op.inputs[1], seq_axis=op._attrs["seq_dim"],
                             batch_axis=op._attrs["batch_dim"]), None]


registry.register("ReverseSequence", shape=_reverse_sequence_shape,
                  grad=_reverse_sequence_grad)


def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None, name=None,  # noqa: A002
                     seq_dim=None, batch_dim=None):
    """Reverses the first `seq_lengths[b]` elements along `seq_axis` of each batch entry b.

    Example:
        >>> tf.reverse_sequence([[1, 2, 3], [4, 5, 6]], [2, 3], seq_axis=1)  # [[2,1,3],[6,5,4]]
    """
    seq_axis = _deprecated_lookup("seq_axis", seq_axis, "seq_dim", seq_dim)
    batch_axis = _deprecated_lookup("batch_axis", batch_axis, "batch_dim", batch_dim)
    if seq_axis is None:
        raise TypeError("reverse_sequence() missing required argument: 'seq_axis'")
    with graph_lib.name_scope(name, "ReverseSequence", [input, seq_lengths]) as scope:
        x = convert(input, name="input")
        lengths = convert(seq_lengths, name="seq_lengths")
        if lengths.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
            raise TypeError("Value passed to parameter 'seq_lengths' has DataType %s not in list "
                            "of allowed values: int32, int64" % lengths.dtype.name)
        return registry.make_tensor("ReverseSequence", [x, lengths],
                                    {"seq_dim": int(seq_axis),
                                     "batch_dim": 0 if batch_axis is None else int(batch_axis),
                                     "Tlen": lengths.dtype.base_dtype}, name=scope)


def _deprecated_lookup(new_name, new_value, old_name, old_value):
    if new_value is not None and old_value is not None:
        raise ValueError("Cannot specify both '%s' and '%s'" % (old_name, new_name))
    return new_value if new_value is not None else old_value


# --- ops of other families that callers reach through this module -----------------------------
def dynamic_stitch(indices, data, name=None):
    """See `gather_ops.dynamic_stitch`."""
    from tensorflux.ops import gather_ops

    return gather_ops.dynamic_stitch(indices, data, name=name)


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """See `segment_ops.unsorted_segment_sum`."""
    from tensorflux.ops import segment_ops

    return segment_ops.unsorted_segment_sum(data, segment_ids, num_segments, name=name)


def matrix_diag_part(input, name="diag_part", k=0, padding_value=0):  # noqa: A002
    """See `diag_ops.matrix_diag_part`."""
    from tensorflux.ops import diag_ops

    return diag_ops.matrix_diag_part(input, name=name, k=k, padding_value=padding_value)
