"""oneDNN convolutions (forward, input gradient, filter gradient) over numpy arrays.

Arrays come in tensorflux's kernel layout: activations channels-last `[N, *spatial, C]` (a
channels-first tensor arrives as a transposed view, which is described to oneDNN by its strides,
so neither layout is copied) and filters `[*K, C, O]`. Activations stay in their plain layout,
which oneDNN's AVX-512/AVX2 convolutions handle natively; filters are given the `any` format, so
oneDNN picks its blocked weight layout and reorders the (small) filter on each call. A
depthwise filter `[*K, C, M]` is a grouped one (one group per input channel), described in
place by its strides.

`geom` is `(strides, dilations, pads)` per spatial axis, pads as `(before, after)` pairs.
"""

import ctypes

import numpy as np

from tensorflux.backends.onednn import _capi as C
from tensorflux.backends.onednn.primitives import (
    Primitive,
    any_md,
    contiguous_strides,
    dims,
    elem_strides,
    make_pd,
    strided_md,
)


def activation_layout(shape, channels_first):
    """Element strides of a fresh channels-last `[N, *S, C]` array (channels-first underneath
    when asked), as returned by `new_activation`."""
    if not channels_first:
        return contiguous_strides(shape)
    s = contiguous_strides((shape[0], shape[-1]) + tuple(shape[1:-1]))
    return (s[0],) + s[2:] + (s[1],)


def new_activation(shape, channels_first):
    """A fresh channels-last `[N, *S, C]` float32 array (channels-first memory if asked)."""
    if not channels_first:
        return np.empty(shape, np.float32)
    cf = np.empty((shape[0], shape[-1]) + tuple(shape[1:-1]), np.float32)
    return np.moveaxis(cf, 1, -1)


def act_md(rt, shape, strides):
    """Descriptor of a channels-last array (shape, element strides): logical order N, C, *S."""
    return strided_md(rt, (shape[0], shape[-1]) + tuple(shape[1:-1]),
                      (strides[0], strides[-1]) + tuple(strides[1:-1]))


def filter_dims(shape, depthwise=False):
    """oneDNN logical dims (O, I, *K) of a `[*K, C, O]` filter; a depthwise `[*K, C, M]`
    filter is grouped, one group per input channel: (G=C, M, 1, *K)."""
    if depthwise:
        return (shape[-2], shape[-1], 1) + tuple(shape[:-2])
    return (shape[-1], shape[-2]) + tuple(shape[:-2])


def filter_md(rt, shape, strides, depthwise=False):
    """The filter as it lies (element `strides` of its `[*K, C, O]` array): no copy."""
    if depthwise:
        return strided_md(rt, filter_dims(shape, True),
                          (strides[-2], strides[-1], strides[-1]) + tuple(strides[:-2]))
    return strided_md(rt, filter_dims(shape), (strides[-1], strides[-2]) + tuple(strides[:-2]))


def _geom_args(geom):
    strides, dilations, pads = geom
    return (dims(strides), dims([int(d) - 1 for d in dilations]), dims([b for b, _ in pads]),
            dims([a for _, a in pads]))


def _forward_pd(rt, x_md, w_md, b_md, y_md, geom, attr=None):
    st, dl, pl, pr = _geom_args(geom)
    return make_pd(rt, "convolution_forward_primitive_desc_create", C.FORWARD_TRAINING,
                   C.CONVOLUTION_DIRECT, x_md.h, w_md.h, b_md.h if b_md is not None else None,
                   y_md.h, st, dl, pl, pr, attr)


def post_ops_attr(rt, add_dst=False, relu=False):
    """A primitive attr with the post-ops `dst += result` (sum) then ReLU, or None. `relu` is
    False, True (ReLU) or a number: an upper bound too, `min(max(y, 0), relu)` (Relu6: 6)."""
    if not (add_dst or relu):
        return None
    lib = rt.lib
    attr = ctypes.c_void_p()
    lib.check(lib.primitive_attr_create(ctypes.byref(attr)), "primitive_attr_create")
    po = ctypes.c_void_p()
    try:
        lib.check(lib.post_ops_create(ctypes.byref(po)), "post_ops_create")
        if add_dst:
            lib.check(lib.post_ops_append_sum(po, 1.0, 0, C.DATA_TYPE_UNDEF), "append_sum")
        if relu is True:
            lib.check(lib.post_ops_append_eltwise(po, C.ELTWISE_RELU, 0.0, 0.0),
                      "append_eltwise")
        elif relu:
            lib.check(lib.post_ops_append_eltwise(po, C.ELTWISE_CLIP_V2, 0.0, float(relu)),
                      "append_eltwise")
        lib.check(lib.primitive_attr_set_post_ops(attr, po), "set_post_ops")
    except Exception:
        lib.primitive_attr_destroy(attr)
        raise
    finally:
        if po:
            lib.post_ops_destroy(po)
    return attr


def forward(rt, x, w, geom, out_shape, channels_first, bias=None, add_to=None, relu=False,
            into_add_to=False, depthwise=False):
    """Convolution of channels-last `x` with `w` (plus a contiguous `[O]` `bias`, if given)
    into a new `[N, *out, O]` array. With `add_to` (an array of the output's shape) the result
    is added to a copy of it (to `add_to` itself with `into_add_to`, when its layout is the
    output's), and with `relu` ReLU follows, both inside the primitive."""
    ys = activation_layout(out_shape, channels_first)
    key = ("conv_fwd", x.shape, x.strides, w.shape, w.strides, geom, tuple(out_shape), ys,
           bias is not None, add_to is not None, relu, depthwise)

    def make():
        x_md = act_md(rt, x.shape, elem_strides(x))
        y_md = act_md(rt, out_shape, ys)
        b_md = strided_md(rt, (out_shape[-1],), (1,)) if bias is not None else None
        attr = post_ops_attr(rt, add_to is not None, relu)
        try:
            pd = _forward_pd(rt, x_md, any_md(rt, filter_dims(w.shape, depthwise)), b_md, y_md,
                             geom, attr)
        finally:
            if attr is not None:
                rt.lib.primitive_attr_destroy(attr)
        args = [(C.ARG_SRC, x_md, False),
                (C.ARG_WEIGHTS, filter_md(rt, w.shape, elem_strides(w), depthwise), False)]
        if bias is not None:
            args.append((C.ARG_BIAS, b_md, False))
        return Primitive(rt, pd, args + [(C.ARG_DST, y_md, True)])

    prim = rt.cached(key, make)
    if into_add_to and add_to is not None and elem_strides(add_to) == ys and \
            add_to.flags.writeable:
        y = add_to
    else:
        y = new_activation(out_shape, channels_first)
        if add_to is not None:
            np.copyto(y, add_to)
    if bias is None:
        prim(x, w, y)
    else:
        prim(x, w, bias, y)
    return y


def backward_data(rt, in_shape, w, dy, geom, channels_first, depthwise=False):
    """Gradient with respect to the input (channels-last `in_shape`) of `forward`."""
    xs = activation_layout(in_shape, channels_first)
    key = ("conv_bwd_data", tuple(in_shape), xs, w.shape, w.strides, dy.shape, dy.strides, geom,
           depthwise)

    def make():
        dx_md = act_md(rt, in_shape, xs)
        dy_md = act_md(rt, dy.shape, elem_strides(dy))
        w_any = any_md(rt, filter_dims(w.shape, depthwise))
        hint = _forward_pd(rt, dx_md, w_any, None, dy_md, geom)
        st, dl, pl, pr = _geom_args(geom)
        try:
            pd = make_pd(rt, "convolution_backward_data_primitive_desc_create",
                         C.CONVOLUTION_DIRECT, dx_md.h, w_any.h, dy_md.h, st, dl, pl, pr,
                         hint, None)
        finally:
            rt.lib.primitive_desc_destroy(hint)
        return Primitive(rt, pd, [
            (C.ARG_DIFF_DST, dy_md, False),
            (C.ARG_WEIGHTS, filter_md(rt, w.shape, elem_strides(w), depthwise), False),
            (C.ARG_DIFF_SRC, dx_md, True)])

    prim = rt.cached(key, make)
    dx = new_activation(in_shape, channels_first)
    prim(dy, w, dx)
    return dx


def backward_weights(rt, x, w_shape, dy, geom, depthwise=False):
    """Gradient with respect to the `[*K, C, O]` filter of `forward`, as a new array."""
    w_shape = tuple(int(d) for d in w_shape)
    key = ("conv_bwd_weights", x.shape, x.strides, w_shape, dy.shape, dy.strides, geom,
           depthwise)

    def make():
        x_md = act_md(rt, x.shape, elem_strides(x))
        dy_md = act_md(rt, dy.shape, elem_strides(dy))
        w_any = any_md(rt, filter_dims(w_shape, depthwise))
        hint = _forward_pd(rt, x_md, w_any, None, dy_md, geom)
        st, dl, pl, pr = _geom_args(geom)
        try:
            pd = make_pd(rt, "convolution_backward_weights_primitive_desc_create",
                         C.CONVOLUTION_DIRECT, x_md.h, w_any.h, None, dy_md.h, st, dl, pl, pr,
                         hint, None)
        finally:
            rt.lib.primitive_desc_destroy(hint)
        return Primitive(rt, pd, [
            (C.ARG_SRC, x_md, False),
            (C.ARG_DIFF_DST, dy_md, False),
            (C.ARG_DIFF_WEIGHTS, filter_md(rt, w_shape, contiguous_strides(w_shape), depthwise),
             True)])

    prim = rt.cached(key, make)
    dw = np.empty(w_shape, np.float32)
    prim(x, dy, dw)
    return dw
