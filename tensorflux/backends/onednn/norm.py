"""oneDNN batch normalization in inference mode (given mean and variance) over numpy arrays.

`x` is channels-last `[N, *spatial, C]` (a channels-first tensor arrives as a transposed view);
the result has the same memory layout as the tensor the op produces.
"""

import numpy as np

from tensorflux.backends.onednn import _capi as C
from tensorflux.backends.onednn.conv import act_md, activation_layout, new_activation
from tensorflux.backends.onednn.primitives import Primitive, elem_strides, make_pd, strided_md


def batch_norm_inference(rt, x, scale, offset, mean, variance, epsilon, channels_first,
                         in_place=False):
    """`(x - mean) * scale / sqrt(variance + epsilon) + offset`, per channel; float32 arrays.

    With `in_place`, the result overwrites `x` (which must then have the layout of a fresh
    result): measured ~3x faster than writing a new array for ResNet-50's activations."""
    ys = activation_layout(x.shape, channels_first)
    key = ("bnorm_inf", x.shape, x.strides, ys, float(epsilon))

    def make():
        x_md = act_md(rt, x.shape, elem_strides(x))
        y_md = act_md(rt, x.shape, ys)
        c_md = strided_md(rt, (x.shape[-1],), (1,))
        pd = make_pd(rt, "batch_normalization_forward_primitive_desc_create",
                     C.FORWARD_INFERENCE, x_md.h, y_md.h, float(epsilon),
                     C.USE_GLOBAL_STATS | C.USE_SCALE | C.USE_SHIFT, None)
        return Primitive(rt, pd, [(C.ARG_SRC, x_md, False), (C.ARG_MEAN, c_md, False),
                                  (C.ARG_VARIANCE, c_md, False), (C.ARG_SCALE, c_md, False),
                                  (C.ARG_SHIFT, c_md, False), (C.ARG_DST, y_md, True)])

    prim = rt.cached(key, make)
    y = x if in_place else new_activation(x.shape, channels_first)
    prim(x, mean, variance, scale, offset, y)
    return y


def vector(a):
    """A contiguous float32 copy of a per-channel vector unless it already is one."""
    return np.ascontiguousarray(a, dtype=np.float32)
