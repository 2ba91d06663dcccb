"""oneDNN pooling (max, average without the padding) and the max-pooling gradient.

Activations are channels-last numpy arrays `[N, *spatial, C]`, described to oneDNN by their
strides (a channels-first tensor arrives as a transposed view). `geom` is
`(ksize, strides, pads)`, pads as `(before, after)` pairs. The max-pooling gradient runs the
training forward pass first, which records each window's argmax (the first maximum in row-major
window order, as TensorFlow routes it) in oneDNN's workspace, then the backward pass.
"""

import numpy as np

from tensorflux.backends.onednn import _capi as C
from tensorflux.backends.onednn.conv import act_md, activation_layout, new_activation
from tensorflux.backends.onednn.primitives import Primitive, dims, elem_strides, make_pd

ALGORITHMS = {"max": C.POOLING_MAX, "avg": C.POOLING_AVG_EXCLUDE_PADDING}


def _geom_args(geom):
    ksize, strides, pads = geom
    return (dims(strides), dims(ksize), dims([0] * len(ksize)), dims([b for b, _ in pads]),
            dims([a for _, a in pads]))


def _forward_pd(rt, prop, alg, x_md, y_md, geom):
    st, k, dl, pl, pr = _geom_args(geom)
    return make_pd(rt, "pooling_forward_primitive_desc_create", prop, alg, x_md.h, y_md.h,
                   st, k, dl, pl, pr, None)


def forward(rt, x, kind, geom, out_shape, channels_first):
    """Max or average (`kind`) pooling of channels-last `x` into a new `[N, *out, C]` array."""
    ys = activation_layout(out_shape, channels_first)
    key = ("pool_fwd", kind, x.shape, x.strides, geom, tuple(out_shape), ys)

    def make():
        x_md = act_md(rt, x.shape, elem_strides(x))
        y_md = act_md(rt, out_shape, ys)
        pd = _forward_pd(rt, C.FORWARD_INFERENCE, ALGORITHMS[kind], x_md, y_md, geom)
        return Primitive(rt, pd, [(C.ARG_SRC, x_md, False),
                                  (C.ARG_DST, y_md, True)])

    prim = rt.cached(key, make)
    y = new_activation(out_shape, channels_first)
    prim(x, y)
    return y


def _max_pds(rt, x, out_shape, geom, channels_first, dy=None):
    """(forward-training pd, its Mds) of max pooling whose dst has the layout of
    `new_activation(out_shape, channels_first)`, and the backward pd for a `dy` if given."""
    x_md = act_md(rt, x.shape, elem_strides(x))
    y_md = act_md(rt, out_shape, activation_layout(out_shape, channels_first))
    fwd_pd = _forward_pd(rt, C.FORWARD_TRAINING, C.POOLING_MAX, x_md, y_md, geom)
    if dy is None:
        return fwd_pd, x_md, y_md, None, None, None
    dy_md = act_md(rt, dy.shape, elem_strides(dy))
    dx_md = act_md(rt, x.shape, activation_layout(x.shape, channels_first))
    st, k, dl, pl, pr = _geom_args(geom)
    try:
        bwd_pd = make_pd(rt, "pooling_backward_primitive_desc_create", C.POOLING_MAX, dx_md.h,
                         dy_md.h, st, k, dl, pl, pr, fwd_pd, None)
    except Exception:
        rt.lib.primitive_desc_destroy(fwd_pd)
        raise
    return fwd_pd, x_md, y_md, bwd_pd, dy_md, dx_md


def _forward_training(rt, fwd_pd, x_md, y_md):
    return Primitive(rt, fwd_pd, [(C.ARG_SRC, x_md, False), (C.ARG_DST, y_md, True),
                                  (C.ARG_WORKSPACE, None, True)])


def max_forward_training(rt, x, geom, out_shape, channels_first):
    """Max pooling that also returns oneDNN's workspace (each window's argmax), which
    `max_backward` takes to skip recomputing the forward pass: `(y, workspace)`."""
    key = ("maxpool_fwd_train", x.shape, x.strides, geom, tuple(out_shape), channels_first)

    def make():
        fwd_pd, x_md, y_md = _max_pds(rt, x, out_shape, geom, channels_first)[:3]
        return _forward_training(rt, fwd_pd, x_md, y_md)

    fwd = rt.cached(key, make)
    y = new_activation(out_shape, channels_first)
    ws = np.empty(max(fwd.args[2].nbytes, 1), np.uint8)
    fwd(x, y, ws)
    return y, ws


def max_backward(rt, x, dy, geom, channels_first, workspace=None):
    """Gradient of max pooling with respect to channels-last `x`, given `dy`; `workspace` from
    `max_forward_training` of this very `x` (same layouts), else the forward pass is rerun."""
    key = ("maxpool_bwd", x.shape, x.strides, dy.shape, dy.strides, geom, channels_first)

    def make():
        fwd_pd, x_md, y_md, bwd_pd, dy_md, dx_md = _max_pds(rt, x, dy.shape, geom,
                                                            channels_first, dy)
        fwd = _forward_training(rt, fwd_pd, x_md, y_md)
        bwd = Primitive(rt, bwd_pd, [(C.ARG_DIFF_DST, dy_md, False),
                                     (C.ARG_WORKSPACE, None, False),
                                     (C.ARG_DIFF_SRC, dx_md, True)])
        return fwd, bwd

    fwd, bwd = rt.cached(key, make)
    if workspace is None or workspace.nbytes != max(fwd.args[2].nbytes, 1):
        workspace = np.empty(max(fwd.args[2].nbytes, 1), np.uint8)
        fwd(x, new_activation(dy.shape, channels_first), workspace)
    dx = new_activation(x.shape, channels_first)
    bwd(dy, workspace, dx)
    return dx
