"""oneDNN batch normalization over numpy arrays: inference mode (given mean and variance),
training mode (the batch's own statistics) and its gradient.

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


_SCALE_SHIFT = C.USE_SCALE | C.USE_SHIFT


def _flags(relu):
    return _SCALE_SHIFT | (C.FUSE_NORM_RELU if relu else 0)


def _training_pd(rt, x_md, y_md, epsilon, relu=False):
    return make_pd(rt, "batch_normalization_forward_primitive_desc_create", C.FORWARD_TRAINING,
                   x_md.h, y_md.h, float(epsilon), _flags(relu), None)


def batch_norm_training(rt, x, scale, offset, epsilon, channels_first, relu=False):
    """Training-mode batch norm of channels-last float32 `x`: `(y, mean, variance)`, the
    statistics over all but the channels (the variance without Bessel's correction). With
    `relu`, `y` is ReLU'd in the same pass and `(y, mean, variance, workspace)` is returned:
    the workspace (which elements ReLU kept) is what `batch_norm_backward` takes to apply the
    ReLU's gradient in its own pass."""
    ys = activation_layout(x.shape, channels_first)
    key = ("bnorm_train", x.shape, x.strides, ys, float(epsilon), relu)

    def make():
        x_md = act_md(rt, x.shape, elem_strides(x))
        y_md = act_md(rt, x.shape, ys)
        c_md = strided_md(rt, (x.shape[-1],), (1,))
        pd = _training_pd(rt, x_md, y_md, epsilon, relu)
        args = [(C.ARG_SRC, x_md, False), (C.ARG_SCALE, c_md, False),
                (C.ARG_SHIFT, c_md, False), (C.ARG_DST, y_md, True),
                (C.ARG_MEAN, c_md, True), (C.ARG_VARIANCE, c_md, True)]
        if relu:
            args.append((C.ARG_WORKSPACE, None, True))
        return Primitive(rt, pd, args)

    prim = rt.cached(key, make)
    y = new_activation(x.shape, channels_first)
    mean = np.empty(x.shape[-1], np.float32)
    variance = np.empty(x.shape[-1], np.float32)
    if not relu:
        prim(x, scale, offset, y, mean, variance)
        return y, mean, variance
    ws = np.empty(max(prim.args[-1].nbytes, 1), np.uint8)
    prim(x, scale, offset, y, mean, variance, ws)
    return y, mean, variance, ws


def batch_norm_backward(rt, x, dy, scale, mean, variance, epsilon, channels_first,
                        workspace=None):
    """Gradients of training-mode batch norm (given the forward pass's batch `mean` and
    `variance`): `(dx, dscale, doffset)`; `x` and `dy` channels-last float32. With the
    `workspace` of `batch_norm_training(..., relu=True)`, `dy` is the gradient of the ReLU'd
    output and the ReLU's gradient is applied here."""
    xs = activation_layout(x.shape, channels_first)
    relu = workspace is not None
    key = ("bnorm_bwd", x.shape, x.strides, dy.strides, xs, float(epsilon), relu)

    def make():
        x_md = act_md(rt, x.shape, elem_strides(x))
        dy_md = act_md(rt, dy.shape, elem_strides(dy))
        dx_md = act_md(rt, x.shape, xs)
        c_md = strided_md(rt, (x.shape[-1],), (1,))
        hint = _training_pd(rt, x_md, dx_md, epsilon, relu)
        try:
            pd = make_pd(rt, "batch_normalization_backward_primitive_desc_create", C.BACKWARD,
                         dx_md.h, dy_md.h, x_md.h, float(epsilon), _flags(relu), hint, None)
        finally:
            rt.lib.primitive_desc_destroy(hint)
        args = [(C.ARG_SRC, x_md, False), (C.ARG_DIFF_DST, dy_md, False),
                (C.ARG_SCALE, c_md, False), (C.ARG_MEAN, c_md, False),
                (C.ARG_VARIANCE, c_md, False)]
        if relu:
            args.append((C.ARG_WORKSPACE, None, False))
        return Primitive(rt, pd, args + [(C.ARG_DIFF_SRC, dx_md, True),
                                         (C.ARG_DIFF_SCALE, c_md, True),
                                         (C.ARG_DIFF_SHIFT, c_md, True)])

    prim = rt.cached(key, make)
    if relu and workspace.nbytes != max(prim.args[5].nbytes, 1):
        raise C.DnnlError(2, "batch norm workspace of another shape")
    dx = new_activation(x.shape, channels_first)
    dscale = np.empty(x.shape[-1], np.float32)
    doffset = np.empty(x.shape[-1], np.float32)
    if relu:
        prim(x, dy, scale, mean, variance, workspace, dx, dscale, doffset)
    else:
        prim(x, dy, scale, mean, variance, dx, dscale, doffset)
    return dx, dscale, doffset


def vector(a):
    """A contiguous float32 copy of a per-channel vector unless it already is one."""
    return np.ascontiguousarray(a, dtype=np.float32)
