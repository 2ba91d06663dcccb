"""oneDNN ReLU and its gradient over contiguous float32 numpy arrays (any shape, seen as 1-D)."""

import numpy as np

from tensorflux.backends.onednn import _capi as C
from tensorflux.backends.onednn.primitives import Primitive, make_pd, strided_md


def _flat_md(rt, n):
    return strided_md(rt, (n,), (1,))


def relu(rt, x):
    """max(x, 0) of a C-contiguous float32 array, as a new array."""
    n = x.size
    key = ("relu_fwd", n)

    def make():
        md = _flat_md(rt, n)
        pd = make_pd(rt, "eltwise_forward_primitive_desc_create", C.FORWARD_INFERENCE,
                     C.ELTWISE_RELU, md.h, md.h, 0.0, 0.0, None)
        return Primitive(rt, pd, [(C.ARG_SRC, md, C.QUERY_SRC_MD, False),
                                  (C.ARG_DST, md, C.QUERY_DST_MD, True)])

    prim = rt.cached(key, make)
    y = np.empty(x.shape, np.float32)
    prim(x, y)
    return y


def relu_backward(rt, g, x):
    """`g` where `x > 0`, else 0, for C-contiguous float32 arrays of one shape, as a new array."""
    n = x.size
    key = ("relu_bwd", n)

    def make():
        md = _flat_md(rt, n)
        hint = make_pd(rt, "eltwise_forward_primitive_desc_create", C.FORWARD_TRAINING,
                       C.ELTWISE_RELU, md.h, md.h, 0.0, 0.0, None)
        try:
            pd = make_pd(rt, "eltwise_backward_primitive_desc_create", C.ELTWISE_RELU, md.h,
                         md.h, md.h, 0.0, 0.0, hint, None)
        finally:
            rt.lib.primitive_desc_destroy(hint)
        return Primitive(rt, pd, [(C.ARG_DIFF_DST, md, C.QUERY_DIFF_DST_MD, False),
                                  (C.ARG_SRC, md, C.QUERY_SRC_MD, False),
                                  (C.ARG_DIFF_SRC, md, C.QUERY_DIFF_SRC_MD, True)])

    prim = rt.cached(key, make)
    dx = np.empty(x.shape, np.float32)
    prim(g, x, dx)
    return dx
