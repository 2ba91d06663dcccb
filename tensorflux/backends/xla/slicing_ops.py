"""XLA kernels for slicing ops (ops/slicing_ops.py): static begin/end/strides, basic indexing."""

import jax.numpy as jnp
import numpy as np

from tensorflux.backends.xla.kernel import kernel
from tensorflux.ops.slicing_ops import numpy_index


def _ints(v):
    return [int(x) for x in np.asarray(v).ravel()]


@kernel("StridedSlice", static=(1, 2, 3))
def _strided_slice(op):
    attrs = op._attrs

    def run(x, b, e, s):
        b, e, s = _ints(b), _ints(e), _ints(s)
        if not len(b) == len(e) == len(s):
            raise ValueError("begin, end and strides differ in length")
        return x[numpy_index(x.shape, b, e, s, attrs)]
    return run


@kernel("StridedSliceGrad", static=(0, 1, 2, 3))
def _strided_slice_grad(op):
    attrs = op._attrs

    def run(shape, b, e, s, g):
        shape = tuple(_ints(shape))
        index = numpy_index(shape, _ints(b), _ints(e), _ints(s), attrs)
        if np.empty(shape, dtype=np.bool_)[index].shape != g.shape:
            raise ValueError("shape of dy does not match the slice")
        return jnp.zeros(shape, dtype=g.dtype).at[index].set(g)
    return run


@kernel("Slice", static=(1, 2))
def _slice(op):
    def run(x, b, s):
        b, s = _ints(b), _ints(s)
        if len(b) != x.ndim or len(s) != x.ndim:
            raise ValueError("begin and size must have the input's rank")
        idx = []
        for i, (bi, si) in enumerate(zip(b, s)):
            n = x.shape[i]
            if si == -1:
                si = n - bi
            if bi < 0 or bi > n or si < 0 or bi + si > n:
                raise ValueError("slice out of bounds")
            idx.append(slice(bi, bi + si))
        return x[tuple(idx)]
    return run
