"""Slicing: `tensor[...]` (StridedSlice with TF's masks), `tf.slice`, `tf.strided_slice`."""

import builtins

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import array_ops, constant_op, registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError

TS = tensor_shape.TensorShape


def python_index(shape, begin, end, strides, attrs):
    """The numpy index tuple for a strided slice, plus which output dims are new/shrunk.

    `shape` is the input's dims (ints); begin/end/strides are int lists; attrs holds the masks.
    Returns (index tuple into the input, final output shape).
    """
    bm, em = attrs["begin_mask"], attrs["end_mask"]
    elm, nam, sam = attrs["ellipsis_mask"], attrs["new_axis_mask"], attrs["shrink_axis_mask"]
    n = len(begin)
    # Expand the ellipsis into full slices.
    specs = []
    for i in range(n):
        if elm & (1 << i):
            specs.append(("ellipsis",))
        elif nam & (1 << i):
            specs.append(("new",))
        elif sam & (1 << i):
            specs.append(("shrink", begin[i]))
        else:
            specs.append(("slice", None if bm & (1 << i) else begin[i],
                          None if em & (1 << i) else end[i], strides[i]))
    consumed = sum(1 for s in specs if s[0] in ("slice", "shrink"))
    if not any(s[0] == "ellipsis" for s in specs):
        specs.append(("ellipsis",))
    index, out_shape, dim = [], [], 0
    for s in specs:
        if s[0] == "ellipsis":
            k = len(shape) - consumed
            for _ in range(k):
                index.append(builtins.slice(None))
                out_shape.append(shape[dim])
                dim += 1
        elif s[0] == "new":
            index.append(None)
            out_shape.append(1)
        elif s[0] == "shrink":
            size = shape[dim]
            b = s[1]
            if b < -size or b >= size:
                raise IndexError("slice index %d of dimension %d out of bounds." % (b, dim))
            index.append(b)
            dim += 1
        else:
            _, b, e, st = s
            if st == 0:
                raise ValueError("strides[%d] must be non-zero" % dim)
            sl = builtins.slice(b, e, st)
            index.append(sl)
            out_shape.append(len(range(*sl.indices(shape[dim]))))
            dim += 1
    return tuple(index), out_shape


def _ss_attrs(op):
    return op._attrs


def _strided_slice_shape(op):
    x, b, e, s = op.inputs
    vb, ve, vs = (constant_op.constant_value(t) for t in (b, e, s))
    attrs = op._attrs
    if vb is None or ve is None or vs is None or x.shape.ndims is None:
        return [(x.dtype.base_dtype, tensor_shape.unknown_shape())]
    dims = x.shape.as_list()
    fake = [d if d is not None else 2**40 for d in dims]
    try:
        _, out = python_index(fake, [int(v) for v in vb], [int(v) for v in ve],
                              [int(v) for v in vs], attrs)
    except IndexError as ex:
        raise ShapeError(str(ex)) from None
    # Unknown input dims stay unknown in the output (a full slice of an unknown dim).
    out = [None if o is not None and o >= 2**39 else o for o in out]
    unknown_dims = [i for i, d in enumerate(dims) if d is None]
    if unknown_dims and any(o is not None and o > 2**20 for o in out):
        out = [None if o is not None and o > 2**20 else o for o in out]
    return [(x.dtype.base_dtype, TS(out))]


def _strided_slice_grad(op, g):
    x, b, e, s = op.inputs
    shape = array_ops.shape(x) if not x.shape.is_fully_defined() else convert(
        x.shape.as_list(), dtype=dtypes.int32)
    return [registry.make_tensor("StridedSliceGrad", [shape, b, e, s, g], dict(op._attrs),
                                 name="StridedSliceGrad"), None, None, None]


def _ssg_shape(op):
    shape_t, _, _, _, g = op.inputs
    return [(g.dtype.base_dtype, constant_op.constant_value_as_shape(shape_t))]


registry.register("StridedSlice", shape=_strided_slice_shape, grad=_strided_slice_grad)
registry.register("StridedSliceGrad", shape=_ssg_shape, grad=None)


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None):
    with graph_lib.name_scope(name, "StridedSlice", [input_]) as scope:
        x = convert(input_, name="input")
        b = convert(begin, dtype=dtypes.int32, name="begin") if not isinstance(
            begin, Tensor) else begin
        e = convert(end, dtype=dtypes.int32, name="end") if not isinstance(end, Tensor) else end
        if strides is None:
            strides = [1] * (b.shape[0].value or 0)
        s = convert(strides, dtype=dtypes.int32, name="strides") if not isinstance(
            strides, Tensor) else strides
        attrs = {"begin_mask": begin_mask, "end_mask": end_mask, "ellipsis_mask": ellipsis_mask,
                 "new_axis_mask": new_axis_mask, "shrink_axis_mask": shrink_axis_mask}
        return registry.make_tensor("StridedSlice", [x, b, e, s], attrs, name=scope)


def slice_helper(tensor, key):
    """`tensor[key]` with ints, slices (negative strides too), `None`/newaxis and `...`."""
    if not isinstance(key, tuple):
        key = (key,)
    begin, end, strides = [], [], []
    bm = em = elm = nam = sam = 0
    tensor_parts = False
    for i, k in enumerate(key):
        if isinstance(k, builtins.slice):
            for part in (k.start, k.stop, k.step):
                if isinstance(part, Tensor):
                    tensor_parts = True
            begin.append(0 if k.start is None else k.start)
            end.append(0 if k.stop is None else k.stop)
            strides.append(1 if k.step is None else k.step)
            if k.start is None:
                bm |= 1 << i
            if k.stop is None:
                em |= 1 << i
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
        elif isinstance(k, (int, np.integer)) or (isinstance(k, Tensor) and k.shape.ndims == 0):
            if isinstance(k, Tensor):
                tensor_parts = True
                begin.append(k)
                end.append(k + 1)
            else:
                begin.append(int(k))
                end.append(int(k) + 1)
            strides.append(1)
            sam |= 1 << i
        else:
            raise TypeError("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) "
                            "and scalar tf.int32/tf.int64 tensors are valid indices, got %r"
                            % (k,))
    with graph_lib.name_scope(None, "strided_slice", [tensor]) as scope:
        if tensor_parts:
            pack = lambda v: array_ops.stack([convert(x, dtype=dtypes.int32) for x in v])  # noqa
            b, e, s = pack(begin), pack(end), pack(strides)
        else:
            b = convert(np.array(begin, np.int32), name="stack")
            e = convert(np.array(end, np.int32), name="stack_1")
            s = convert(np.array(strides, np.int32), name="stack_2")
        return strided_slice(tensor, b, e, s, begin_mask=bm, end_mask=em, ellipsis_mask=elm,
                             new_axis_mask=nam, shrink_axis_mask=sam, name=scope)


# --- tf.slice --------------------------------------------------------------------------------
def _slice_shape(op):
    x, b, s = op.inputs
    vb, vs = constant_op.constant_value(b), constant_op.constant_value(s)
    r = x.shape.ndims
    if r is None and vs is not None:
        r = len(vs)
    if vs is None:
        return [(x.dtype.base_dtype, tensor_shape.unknown_shape(r))]
    out = []
    for i, sz in enumerate(vs):
        sz = int(sz)
        if sz == -1:
            d = x.shape[i].value if x.shape.ndims is not None else None
            out.append(None if d is None or vb is None else d - int(vb[i]))
        else:
            out.append(sz)
    return [(x.dtype.base_dtype, TS(out))]


def _slice_grad(op, g):
    from tensorflux.ops import math_ops, pad_ops

    x, b, _ = op.inputs
    sx = array_ops.shape(x)
    after = math_ops.subtract(math_ops.subtract(sx, array_ops.shape(g)), b)
    paddings = array_ops.stack([b, after], axis=1)
    return [pad_ops.pad(g, paddings), None, None]


registry.register("Slice", shape=_slice_shape, grad=_slice_grad)


def slice(input_, begin, size, name=None):  # noqa: A001 - TF's public name
    """Extracts `size` elements starting at `begin` (size -1 = to the end)."""
    with graph_lib.name_scope(name, "Slice", [input_]) as scope:
        x = convert(input_, name="input")
        b = convert(begin, dtype=dtypes.int32, name="begin") if not isinstance(
            begin, Tensor) else begin
        s = convert(size, dtype=b.dtype, name="size") if not isinstance(size, Tensor) else size
        return registry.make_tensor("Slice", [x, b, s], name=scope)
