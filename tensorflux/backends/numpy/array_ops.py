"""numpy kernels for array ops (ops/array_ops.py) and constants."""

import numpy as np

from tensorflux.ops import array_ops as array_ops_lib
from tensorflux.ops.registry import kernel


@kernel("Const")
def _const(op):
    value = op._attrs["value"]
    return lambda: value


@kernel("Placeholder")
def _placeholder(op):
    def run():
        raise array_ops_lib.unfed_placeholder_error(op)
    return run


@kernel("PlaceholderWithDefault")
@kernel("Identity")
@kernel("Snapshot")
@kernel("StopGradient")
@kernel("PreventGradient")
def _identity(op):
    return lambda x: x


@kernel("Shape")
def _shape(op):
    dt = op._attrs.get("out_type").as_numpy_dtype
    return lambda x: np.array(x.shape, dtype=dt)


@kernel("Size")
def _size(op):
    dt = op._attrs.get("out_type").as_numpy_dtype
    return lambda x: np.array(x.size, dtype=dt)


@kernel("Rank")
def _rank(op):
    return lambda x: np.array(x.ndim, dtype=np.int32)


@kernel("ShapeN")
def _shape_n(op):
    dt = op._attrs.get("out_type").as_numpy_dtype

    def run(*xs):
        out = [np.array(x.shape, dtype=dt) for x in xs]
        return out if len(out) != 1 else out[0]  # a one-output op returns its value
    return run


def broadcast_args(s0, s1):
    """numpy's broadcast of two shape vectors, with TF's message when they cannot agree."""
    a, b = [int(d) for d in np.ravel(s0)], [int(d) for d in np.ravel(s1)]
    try:
        return list(np.broadcast_shapes(tuple(a), tuple(b)))
    except ValueError:
        raise ValueError("Incompatible shapes: [%s] vs. [%s]" % (",".join(map(str, a)),
                                                                ",".join(map(str, b)))) from None


@kernel("BroadcastArgs")
def _broadcast_args(op):
    return lambda s0, s1: np.array(broadcast_args(s0, s1), dtype=s0.dtype)


@kernel("BroadcastGradientArgs")
def _bga(op):
    def run(s0, s1):
        s0, s1 = [int(d) for d in s0], [int(d) for d in s1]
        n = max(len(s0), len(s1))
        a = [1] * (n - len(s0)) + s0
        b = [1] * (n - len(s1)) + s1
        r0, r1 = [], []
        for i, (x, y) in enumerate(zip(a, b)):
            if x == y:
                if x == 1:
                    r0.append(i)
                    r1.append(i)
                continue
            if x == 1:
                r0.append(i)
            elif y == 1:
                r1.append(i)
            else:
                raise ValueError("Incompatible shapes: %s vs. %s" % (s0, s1))
        dt = np.int32
        return np.array(r0, dt), np.array(r1, dt)
    return run


@kernel("Reshape")
def _reshape(op):
    def run(x, shape):
        shape = [int(d) for d in np.asarray(shape).ravel()]
        if shape.count(-1) > 1:
            raise ValueError("Only one input size may be -1, not both")
        if -1 in shape:
            known = int(np.prod([d for d in shape if d != -1]))
            if known == 0 or x.size % known:
                raise ValueError("Input to reshape is a tensor with %d values, but the requested "
                                 "shape requires a multiple of %d" % (x.size, known))
        elif int(np.prod(shape)) != x.size:
            raise ValueError("Input to reshape is a tensor with %d values, but the requested "
                             "shape has %d" % (x.size, int(np.prod(shape))))
        return x.reshape(shape)
    return run


@kernel("Transpose")
def _transpose(op):
    def run(x, perm):
        perm = [int(p) for p in perm]
        if sorted(perm) != list(range(x.ndim)):
            raise ValueError("transpose expects a vector of size %d. But input(1) is a vector of "
                             "size %d" % (x.ndim, len(perm)))
        return np.ascontiguousarray(np.transpose(x, perm))
    return run


@kernel("InvertPermutation")
def _invperm(op):
    def run(x):
        n = x.size
        seen = np.zeros(n, dtype=bool)
        for i, v in enumerate(x):
            if v < 0 or v >= n:
                raise ValueError("x[%d] = %d is out of range" % (i, v))
            if seen[v]:
                raise ValueError("%d is duplicated in the input." % v)
            seen[v] = True
        out = np.empty_like(x)
        out[x] = np.arange(n, dtype=x.dtype)
        return out
    return run


@kernel("ConcatOffset")
def _concat_offset(op):
    def run(dim, *shapes):
        shapes = [np.asarray(x) for x in shapes]
        rank = shapes[0].size
        d = int(dim) + rank if int(dim) < 0 else int(dim)
        if not 0 <= d < rank:
            raise ValueError("Concat dim is out of range: %d vs. %d" % (int(dim), rank))
        out, start = [], 0
        for k, shp in enumerate(shapes):
            if shp.size != rank:
                raise ValueError("input %d should contain %d elements, but got %d"
                                 % (k, rank, shp.size))
            for j in range(rank):
                if j != d and shp[j] != shapes[0][j]:
                    raise ValueError("input[%d,%d] mismatch: %d vs. %d"
                                     % (k, j, shp[j], shapes[0][j]))
            offset = np.zeros(rank, shp.dtype)
            offset[d] = start
            start += int(shp[d])
            out.append(offset)
        return out
    return run


@kernel("ConcatV2")
def _concat(op):
    def run(*args):
        axis = int(args[-1])
        vals = args[:-1]
        r = vals[0].ndim
        if axis < -r or axis >= r:
            raise ValueError("ConcatOp : Expected concatenating dimensions in the range [%d, %d),"
                             " but got %d" % (-r, r, axis))
        for v in vals[1:]:
            if v.ndim != r:
                raise ValueError("ConcatOp : Ranks of all input tensors should match: shape[0] = "
                                 "%s vs. shape[i] = %s" % (list(vals[0].shape), list(v.shape)))
        return np.concatenate(vals, axis=axis)
    return run


@kernel("Pack")
def _pack(op):
    axis = op._attrs["axis"]

    def run(*vals):
        for v in vals[1:]:
            if v.shape != vals[0].shape:
                raise ValueError("Shapes of all inputs must match: values[0].shape = %s != "
                                 "values[i].shape = %s" % (list(vals[0].shape), list(v.shape)))
        return np.stack(vals, axis=axis)
    return run


@kernel("Unpack")
def _unpack(op):
    axis, num = op._attrs["axis"], op._attrs["num"]

    def run(x):
        if x.shape[axis] != num:
            raise ValueError("Input shape axis %d must equal %d, got shape %s"
                             % (axis, num, list(x.shape)))
        out = [np.take(x, i, axis=axis) for i in range(num)]
        return out if num != 1 else out[0]  # a one-output op returns its value, not a list
    return run
