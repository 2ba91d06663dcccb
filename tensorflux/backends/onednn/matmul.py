"""oneDNN matrix products of float32 numpy matrices: `a @ b` for 2-D operands of any strides.

A transposed operand (`a.T`) is described by its strides, so `transpose_a/b` cost no copy.
"""

import numpy as np

from tensorflux.backends.onednn import _capi as C
from tensorflux.backends.onednn.primitives import Primitive, elem_strides, make_pd, strided_md


def matmul(rt, a, b, bias=None):
    """`a @ b` (plus a contiguous `[N]` `bias` row, if given) for 2-D float32 arrays whose
    element strides oneDNN can read, as a new array."""
    m, k = a.shape
    n = b.shape[1]
    key = ("matmul", a.shape, a.strides, b.shape, b.strides, bias is not None)

    def make():
        a_md = strided_md(rt, a.shape, elem_strides(a))
        b_md = strided_md(rt, b.shape, elem_strides(b))
        c_md = strided_md(rt, (m, n), (n, 1))
        bias_md = strided_md(rt, (1, n), (n, 1)) if bias is not None else None
        pd = make_pd(rt, "matmul_primitive_desc_create", a_md.h, b_md.h,
                     bias_md.h if bias is not None else None, c_md.h, None)
        args = [(C.ARG_SRC, a_md, False), (C.ARG_WEIGHTS, b_md, False)]
        if bias is not None:
            args.append((C.ARG_BIAS, bias_md, False))
        return Primitive(rt, pd, args + [(C.ARG_DST, c_md, True)])

    prim = rt.cached(key, make)
    c = np.empty((m, n), np.float32)
    if bias is None:
        prim(a, b, c)
    else:
        prim(a, b, bias, c)
    return c
