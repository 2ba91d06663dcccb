"""numpy kernels for slicing ops (ops/slicing_ops.py)."""

import numpy as np

from tensorflux.ops.registry import kernel
from tensorflux.ops.slicing_ops import numpy_index


def _ints(v):
    return [int(x) for x in np.asarray(v).ravel()]


@kernel("StridedSlice")
def _strided_slice(op):
    attrs = op._attrs

    def run(x, b, e, s):
        b, e, s = _ints(b), _ints(e), _ints(s)
        if not len(b) == len(e) == len(s):
            raise ValueError("Expected begin, end, and strides to be 1D equal size tensors, but "
                             "got shapes [%d], [%d], and [%d] instead." % (len(b), len(e), len(s)))
        return np.asarray(x[numpy_index(x.shape, b, e, s, attrs)], order="C")
    return run


@kernel("StridedSliceGrad")
def _strided_slice_grad(op):
    attrs = op._attrs

    def run(shape, b, e, s, g):
        out = np.zeros(_ints(shape), dtype=g.dtype)
        index = numpy_index(out.shape, _ints(b), _ints(e), _ints(s), attrs)
        if out[index].shape != g.shape:
            raise ValueError("shape of dy was %s instead of %s" % (list(g.shape),
                                                                   list(out[index].shape)))
        out[index] = g
        return out
    return run


@kernel("Slice")
def _slice(op):
    def run(x, b, s):
        b, s = _ints(b), _ints(s)
        if len(b) != x.ndim or len(s) != x.ndim:
            raise ValueError("Expected begin and size arguments to be 1-D tensors of size %d, but "
                             "got shapes [%d] and [%d] instead." % (x.ndim, len(b), len(s)))
        idx = []
        for i, (bi, si) in enumerate(zip(b, s)):
            n = x.shape[i]
            if si == -1:
                si = n - bi
            if bi < 0 or bi > n:
                raise ValueError("Expected begin[%d] in [0, %d], but got %d" % (i, n, bi))
            if si < 0 or bi + si > n:
                raise ValueError("Expected size[%d] in [0, %d], but got %d" % (i, n - bi, si))
            idx.append(np.s_[bi:bi + si])
        return np.asarray(x[tuple(idx)], order="C")
    return run
