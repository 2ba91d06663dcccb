"""numpy kernels for slicing ops (ops/slicing_ops.py)."""

import numpy as np

from tensorflux.ops.registry import kernel
from tensorflux.ops.slicing_ops import python_index


def _ints(v):
    return [int(x) for x in np.asarray(v).ravel()]


@kernel("StridedSlice")
def _strided_slice(op):
    attrs = op._attrs

    def run(x, b, e, s):
        index, out_shape = python_index(list(x.shape), _ints(b), _ints(e), _ints(s), attrs)
        return np.ascontiguousarray(x[index])
    return run


@kernel("StridedSliceGrad")
def _strided_slice_grad(op):
    attrs = op._attrs

    def run(shape, b, e, s, g):
        out = np.zeros(_ints(shape), dtype=g.dtype)
        index, _ = python_index(list(out.shape), _ints(b), _ints(e), _ints(s), attrs)
        out[index] = g
        return out
    return run


@kernel("Slice")
def _slice(op):
    def run(x, b, s):
        b, s = _ints(b), _ints(s)
        idx = []
        for i, (bi, si) in enumerate(zip(b, s)):
            n = x.shape[i]
            end = n if si == -1 else bi + si
            if bi < 0 or bi > n or end > n or end < bi:
                raise ValueError("Expected size[%d] in [0, %d], but got %d" % (i, n - bi, si))
            idx.append(np.s_[bi:end])
        return np.ascontiguousarray(x[tuple(idx)])
    return run
