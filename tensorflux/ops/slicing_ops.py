"""Slicing: `tensor[...]` (StridedSlice with TF's masks), `tf.slice`, `tf.strided_slice`."""

import builtins
import sys

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import array_ops, constant_op, registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError

TS = tensor_shape.TensorShape
_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


# --- the strided-slice spec ------------------------------------------------------------------
def dense_spec(rank, begin, end, strides, attrs):
    """Expands a strided slice's sparse spec (masks + begin/end/strides) to one entry per item.

    Entries, in output order: `("new",)` for a new axis, `("shrink", dim, b)` for an integer
    index, `("slice", dim, b, e, s)` for a range (b/e are None where masked). Values may be
    `UNKNOWN` where they are not known statically. Raises ValueError for specs no input could
    satisfy.
    """
    elm, nam, sam = attrs["ellipsis_mask"], attrs["new_axis_mask"], attrs["shrink_axis_mask"]
    bm, em = attrs["begin_mask"], attrs["end_mask"]
    n = len(begin)
    bits = [i for i in builtins.range(n) if elm & (1 << i)]
    if len(bits) > 1:
        raise ValueError("Multiple ellipses in slice spec not allowed")
    for i, s in enumerate(strides):
        if isinstance(s, (int, np.integer)) and s == 0:
            raise ValueError("strides[%d] must be non-zero" % i)
    consumed = sum(1 for i in builtins.range(n) if not (elm | nam) & (1 << i))
    entries, dim = [], 0
    for i in builtins.range(n):
        if elm & (1 << i):
            for _ in builtins.range(max(rank - consumed, 0)):
                entries.append(("slice", dim, None, None, 1))
                dim += 1
        elif nam & (1 << i):
            entries.append(("new",))
        else:
            if dim >= rank:
                raise ValueError("Index out of range using input dim %d; input has only %d dims"
                                 % (dim, rank))
            if sam & (1 << i):
                entries.append(("shrink", dim, begin[i]))
            else:
                entries.append(("slice", dim, None if bm & (1 << i) else begin[i],
                                None if em & (1 << i) else end[i], strides[i]))
            dim += 1
    if not bits:
        while dim < rank:
            entries.append(("slice", dim, None, None, 1))
            dim += 1
    return entries


def _check_shrink(b, size, dim):
    if b < -size or b >= size:
        raise IndexError("slice index %d of dimension %d out of bounds." % (b, dim))


def numpy_index(shape, begin, end, strides, attrs):
    """The numpy index tuple for a strided slice of an array of `shape` (all values known)."""
    index = []
    for ent in dense_spec(len(shape), begin, end, strides, attrs):
        if ent[0] == "new":
            index.append(None)
        elif ent[0] == "shrink":
            _check_shrink(ent[2], shape[ent[1]], ent[1])
            index.append(ent[2])
        else:
            index.append(builtins.slice(ent[2], ent[3], ent[4]))
    return tuple(index)


class _Unknown:
    """Marks a begin/end/stride value that is not known at graph-construction time."""

    def __repr__(self):
        return "?"


UNKNOWN = _Unknown()


def _slice_len(d, b, e, s):
    """Length of `range(d)[b:e:s]`, or None when something it needs is unknown."""
    if d is None or UNKNOWN in (b, e, s):
        return None
    return len(builtins.range(*builtins.slice(b, e, s).indices(d)))


def _known_or_marker(values):
    return None if values is None else [UNKNOWN if v is None else v for v in values]


def _strided_slice_shape(op):
    x, b, e, s = op.inputs
    dtype = x.dtype.base_dtype
    vb, ve, vs = (_known_or_marker(array_ops.partial_value(t)) for t in (b, e, s))
    if x.shape.ndims is None or vb is None or ve is None or vs is None:
        return [(dtype, tensor_shape.unknown_shape())]
    dims = x.shape.as_list()
    try:
        entries = dense_spec(len(dims), vb, ve, vs, op._attrs)
    except ValueError as ex:
        raise ShapeError(str(ex)) from None
    out = []
    for ent in entries:
        if ent[0] == "new":
            out.append(1)
        elif ent[0] == "shrink":
            d, bv = dims[ent[1]], ent[2]
            if d is not None and bv is not UNKNOWN:
                try:
                    _check_shrink(bv, d, ent[1])
                except IndexError as ex:
                    raise ShapeError(str(ex)) from None
        else:
            out.append(_slice_len(dims[ent[1]], ent[2], ent[3], ent[4]))
    return [(dtype, TS(out))]


def _strided_slice_grad(op, g):
    x, b, e, s = op.inputs
    shape = array_ops.shape(x)
    return [strided_slice_grad(shape, b, e, s, g, op._attrs), None, None, None]


def strided_slice_grad(shape, begin, end, strides, dy, attrs, name="StridedSliceGrad"):
    """The gradient of a strided slice: `dy` scattered into zeros of `shape` (TF's op)."""
    attrs = {k: attrs[k] for k in _MASKS}
    return registry.make_tensor("StridedSliceGrad", [shape, begin, end, strides, dy], attrs,
                                name=name)


def _ssg_shape(op):
    shape_t, _, _, _, g = op.inputs
    return [(g.dtype.base_dtype, constant_op.constant_value_as_shape(shape_t, evaluate=True))]


def _ssg_grad(op, g):
    _, b, e, s, _ = op.inputs
    attrs = {k: op._attrs[k] for k in _MASKS}
    return [None, None, None, None, strided_slice(g, b, e, s, **attrs)]


registry.register("StridedSlice", shape=_strided_slice_shape, grad=_strided_slice_grad)
registry.register("StridedSliceGrad", shape=_ssg_shape, grad=_ssg_grad)


def _index_tensor(v, name, dtype=dtypes.int32):
    return v if isinstance(v, Tensor) else convert(v, dtype=dtype, name=name)


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None):
    """Extracts a strided slice, numpy style, with TF's bit masks (see `tensor[...]`).

    Example:
        >>> tf.strided_slice(x, [0, 1], [2, 3], [1, 1])  # x[0:2, 1:3]
    """
    if strides is None:
        strides = array_ops.ones_like(begin)
    with graph_lib.name_scope(name, "StridedSlice", [input_]) as scope:
        x = convert(input_, name="input")
        b = _index_tensor(begin, "begin")
        e = _index_tensor(end, "end", b.dtype.base_dtype)
        s = _index_tensor(strides, "strides", b.dtype.base_dtype)
        for t, nm in ((e, "end"), (s, "strides")):
            if t.dtype.base_dtype != b.dtype.base_dtype:
                raise TypeError("Input '%s' of 'StridedSlice' Op has type %s that does not match "
                                "type %s of argument 'begin'." % (nm, t.dtype.name, b.dtype.name))
        attrs = {"begin_mask": begin_mask, "end_mask": end_mask, "ellipsis_mask": ellipsis_mask,
                 "new_axis_mask": new_axis_mask, "shrink_axis_mask": shrink_axis_mask}
        return registry.make_tensor("StridedSlice", [x, b, e, s], attrs, name=scope)


_SLICE_TYPE_ERROR = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and "
                     "scalar tf.int32/tf.int64 tensors are valid indices")


def _check_index(idx):
    """Raises TypeError unless `idx` is an int or a scalar int32/int64 tensor (TF's rule)."""
    if isinstance(idx, (builtins.int, np.integer, tensor_shape.Dimension)):
        return
    dtype = getattr(idx, "dtype", None)
    ndims = idx.shape.ndims if isinstance(idx, Tensor) else np.ndim(idx)
    if dtype is None or dtypes.as_dtype(dtype).base_dtype not in (dtypes.int32, dtypes.int64) \
            or (ndims is not None and ndims > 0):
        raise TypeError(_SLICE_TYPE_ERROR + ", got {!r}".format(idx))


def _variables_read(k):
    """A slice's bounds or an index that are Variables, as their values (TF accepts them)."""
    def read(v):
        if v is not None and not isinstance(v, Tensor) and hasattr(v, "_as_graph_element"):
            return constant_op.convert_to_tensor(v)
        return v

    if isinstance(k, builtins.slice):
        return builtins.slice(read(k.start), read(k.stop), read(k.step))
    return read(k)


def _index_value(v):
    if isinstance(v, tensor_shape.Dimension):
        return v.value
    if isinstance(v, (np.integer, np.ndarray)):
        return int(v)
    return v


def _pack_spec(values, others):
    """Stacks begin/end/strides entries (ints and scalar tensors) into one int32/int64 vector;
    int64 when any entry of `values` or `others` needs it."""
    dtype = dtypes.int64 if any(isinstance(v, Tensor) and v.dtype.base_dtype == dtypes.int64
                                or not isinstance(v, Tensor) and not -2**31 <= v < 2**31
                                for v in values + others) else dtypes.int32
    if not any(isinstance(v, Tensor) for v in values):
        return dtype, np.array(values, dtype=dtype.as_numpy_dtype)
    from tensorflux.ops import math_ops

    return dtype, [math_ops.cast(v, dtype) if isinstance(v, Tensor) else v for v in values]


def slice_helper(tensor, key, var=None):
    """`tensor[key]`: ints, slices (negative strides too), `None`/tf.newaxis, `...`, scalar int
    tensors, and a boolean mask (tensor or numpy array) for `tf.boolean_mask`."""
    if isinstance(key, builtins.bool) or (isinstance(key, Tensor) and
                                          key.dtype.base_dtype == dtypes.bool) or (
            isinstance(key, np.ndarray) and key.dtype == np.bool_):
        from tensorflux.ops import gather_ops

        return gather_ops.boolean_mask(tensor, key)
    if not isinstance(key, (list, tuple)):
        key = [key]
    key = [_variables_read(k) for k in key]
    begin, end, strides = [], [], []
    bm = em = elm = nam = sam = 0
    for i, k in enumerate(key):
        if isinstance(k, builtins.slice):
            if k.start is not None and (isinstance(k.start, Tensor) or k.start != sys.maxsize):
                _check_index(k.start)
                begin.append(_index_value(k.start))
            else:
                begin.append(0)
                bm |= 1 << i
            if k.stop is not None and (isinstance(k.stop, Tensor) or k.stop != sys.maxsize):
                _check_index(k.stop)
                end.append(_index_value(k.stop))
            else:
                end.append(0)
                em |= 1 << i
            if k.step is not None:
                _check_index(k.step)
                strides.append(_index_value(k.step))
            else:
                strides.append(1)
        elif k is Ellipsis:
            begin.append(0)
            end.append(0)
            strides.append(1)
            elm |= 1 << i
        elif k is None:
            begin.append(0)
            end.append(0)
            strides.append(1)
            nam |= 1 << i
        else:
            _check_index(k)
            k = _index_value(k)
            begin.append(k)
            end.append(k + 1)
            strides.append(1)
            sam |= 1 << i
    parts = [v for v in begin + end + strides if isinstance(v, Tensor)]
    with graph_lib.name_scope(None, "strided_slice", [tensor] + parts) as scope:
        if begin:
            dtype, b = _pack_spec(begin, end + strides)
            _, e = _pack_spec(end, begin + strides)
            _, s = _pack_spec(strides, begin + end)
            b = array_ops.stack(b, name="stack") if isinstance(b, list) else \
                constant_op.constant(b, dtype=dtype, name="stack")
            e = array_ops.stack(e, name="stack_1") if isinstance(e, list) else \
                constant_op.constant(e, dtype=dtype, name="stack_1")
            s = array_ops.stack(s, name="stack_2") if isinstance(s, list) else \
                constant_op.constant(s, dtype=dtype, name="stack_2")
        else:
            b = e = s = constant_op.constant(np.zeros(0, np.int32))
        return strided_slice(tensor, b, e, s, begin_mask=bm, end_mask=em, ellipsis_mask=elm,
                             new_axis_mask=nam, shrink_axis_mask=sam, var=var, name=scope)


# --- tf.slice --------------------------------------------------------------------------------
def _slice_shape(op):
    x, b, s = op.inputs
    dtype = x.dtype.base_dtype
    for t in (b, s):
        if t.shape.ndims is not None and t.shape.ndims != 1:
            raise ShapeError("Shape must be rank 1 but is rank %d" % t.shape.ndims)
    nb, ns = b.shape.as_list()[0] if b.shape.ndims else None, \
        s.shape.as_list()[0] if s.shape.ndims else None
    if nb is not None and ns is not None and nb != ns:
        raise ShapeError("Dimension 0 in both shapes must be equal, but are %d and %d. Shapes are "
                         "[%d] and [%d]." % (nb, ns, nb, ns))
    r = x.shape.ndims
    n = nb if nb is not None else ns
    if r is not None and n is not None and r != n:
        raise ShapeError("Shape must be rank %d but is rank %d" % (n, r))
    if r is None:
        r = n
    if r is None:
        return [(dtype, tensor_shape.unknown_shape())]
    vb, vs = array_ops.partial_value(b), array_ops.partial_value(s)
    vb = vb if vb is not None else [None] * r
    vs = vs if vs is not None else [None] * r
    dims = x.shape.as_list() if x.shape.ndims is not None else [None] * r
    out = []
    for d, bi, si in zip(dims, vb, vs):
        if si is None:
            out.append(None)
        elif si == -1:
            out.append(None if d is None or bi is None else d - bi)
        else:
            out.append(si)
    return [(dtype, TS(out))]


def _slice_grad(op, g):
    from tensorflux.ops import pad_ops

    x, b, _ = op.inputs
    sx = array_ops.shape(x, out_type=b.dtype.base_dtype)
    after = sx - array_ops.shape(g, out_type=b.dtype.base_dtype) - b
    paddings = array_ops.stack([b, after], axis=1)
    return [pad_ops.pad(g, paddings), None, None]


registry.register("Slice", shape=_slice_shape, grad=_slice_grad)


def slice(input_, begin, size, name=None):  # noqa: A001 - TF's public name
    """Extracts `size` elements starting at `begin` (a size of -1 takes the rest of the dim).

    Example:
        >>> tf.slice(t, [1, 0, 0], [1, 1, 3])
    """
    with graph_lib.name_scope(name, "Slice", [input_]) as scope:
        x = convert(input_, name="input")
        b = _index_tensor(begin, "begin")
        s = _index_tensor(size, "size", b.dtype.base_dtype)
        if s.dtype.base_dtype != b.dtype.base_dtype:
            raise TypeError("Input 'size' of 'Slice' Op has type %s that does not match type %s "
                            "of argument 'begin'." % (s.dtype.name, b.dtype.name))
        return registry.make_tensor("Slice", [x, b, s], name=scope)
