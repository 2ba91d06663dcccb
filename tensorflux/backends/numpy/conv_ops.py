"""numpy kernels for convolutions (ops/conv_ops.py): im2col views + one BLAS GEMM per batch chunk.

Every kernel works channels-last internally (channels-first inputs are transposed on the way in
and out). `_windows` is a zero-copy strided view `[N, *out, *kernel, C]` of the padded input;
reshaping it to `[N*out, kernel*C]` is the im2col copy, and the convolution is one matmul. The
input gradient multiplies by the transposed filter and scatters the columns back (col2im), looping
only over the kernel window; the filter gradient is `cols^T @ dy`.
"""

import functools
import itertools

import numpy as np
from numpy.lib.stride_tricks import as_strided

from tensorflux.backends import onednn
from tensorflux.backends.onednn import _capi as onednn_capi
from tensorflux.backends.onednn import conv as onednn_conv
from tensorflux.backends.onednn import primitives as onednn_prims
from tensorflux.ops import conv_ops
from tensorflux.ops.registry import kernel

# Upper bound on the elements of one im2col matrix (4 MB of float32): larger batches are
# processed in chunks, which bounds memory and keeps each copy in cache for its GEMM (measured:
# 15-30% faster than 16 MB chunks for a 5x5x32x64 layer).
_COLS_LIMIT = 1 << 20
# Stride-1 input gradients with at least this many input channels run as a transposed
# convolution (with fewer channels its GEMM degenerates to a matrix-vector product).
_TRANSPOSED_MIN_DEPTH = 8


def _compute_dtype(dtype):
    return np.float32 if dtype == np.float16 else dtype


class Geometry:
    """Everything a conv/pool kernel needs to know about one op, resolved from its attrs."""

    def __init__(self, op, rank):
        self.channels_first = conv_ops.attr_str(op, "data_format").startswith("NC")
        self.strides, self.dilations, self.padding, self.explicit = conv_ops.spatial_attrs(op, rank)

    def resolve(self, sizes, ksizes):
        """(output sizes, paddings) for an input of spatial `sizes` and a window of `ksizes`."""
        return conv_ops.window_geometry(list(sizes), list(ksizes), self.strides, self.dilations,
                                        self.padding, self.explicit)

    def to_last(self, x):
        return np.moveaxis(x, 1, -1) if self.channels_first else x

    def from_last(self, y):
        return np.ascontiguousarray(np.moveaxis(y, -1, 1)) if self.channels_first else y

    def shape_to_last(self, shape):
        shape = [int(d) for d in np.asarray(shape).ravel()]
        return shape[:1] + shape[2:] + shape[1:2] if self.channels_first else shape


def pad(x, pads, value=0):
    """`x` (`[N, *spatial, C]`) padded on its spatial axes; `x` itself when nothing is added."""
    if not any(b or a for b, a in pads):
        return x
    shape = (x.shape[0],) + tuple(n + b + a for n, (b, a) in zip(x.shape[1:-1], pads)) + \
        (x.shape[-1],)
    xp = np.full(shape, value, x.dtype) if value else np.zeros(shape, x.dtype)
    xp[interior(x.shape[1:-1], pads)] = x
    return xp


def interior(sizes, pads):
    """The index of the unpadded region of a padded `[N, *spatial, C]` array."""
    return (slice(None),) + tuple(slice(b, b + n) for n, (b, _) in zip(sizes, pads)) + \
        (slice(None),)


def windows(xp, out, ksizes, strides, dilations):
    """Read-only view `[N, *out, *ksizes, C]` of padded `xp`: every window, no copy."""
    st = xp.strides
    nd = len(out)
    shape = (xp.shape[0],) + tuple(out) + tuple(ksizes) + (xp.shape[-1],)
    view_strides = (st[0],) + tuple(st[1 + i] * strides[i] for i in range(nd)) + \
        tuple(st[1 + i] * dilations[i] for i in range(nd)) + (st[-1],)
    return as_strided(xp, shape, view_strides, writeable=False)


def window_slice(k, out, strides, dilations):
    """Index of the inputs that kernel offset `k` touches, one per output position."""
    return (slice(None),) + tuple(
        slice(ki * d, ki * d + (o - 1) * s + 1, s) for ki, o, s, d in
        zip(k, out, strides, dilations)) + (slice(None),)


def kernel_offsets(ksizes):
    return itertools.product(*[range(k) for k in ksizes])


def _batch_chunks(n, per_item):
    step = max(1, _COLS_LIMIT // max(1, per_item))
    return [(i, min(n, i + step)) for i in range(0, n, step)]


def _check_depth(x_depth, w_depth):
    if x_depth != w_depth:
        raise ValueError("input depth must be evenly divisible by filter depth: %d vs %d"
                         % (x_depth, w_depth))


def conv_forward(x, w, geo):
    """Convolution of channels-last `x` `[N, *S, C]` with `w` `[*K, C, O]`."""
    ks, (c, o) = w.shape[:-2], w.shape[-2:]
    _check_depth(x.shape[-1], c)
    out, pads = geo.resolve(x.shape[1:-1], ks)
    n = x.shape[0]
    w2 = w.reshape(-1, o)
    y = np.empty((n, int(np.prod(out, dtype=np.int64)), o), dtype=x.dtype)
    if all(k == 1 for k in ks) and all(s == 1 for s in geo.strides) and not any(
            b or a for b, a in pads):  # 1x1 convolution: no im2col at all
        np.matmul(x.reshape(-1, c), w2, out=y.reshape(-1, o))  # one GEMM, not one per image
        return y.reshape((n,) + tuple(out) + (o,))
    xp = pad(x, pads)
    win = windows(xp, out, ks, geo.strides, geo.dilations)
    per = y.shape[1] * w2.shape[0]
    for lo, hi in _batch_chunks(n, per):
        cols = win[lo:hi].reshape((hi - lo) * y.shape[1], w2.shape[0])
        np.matmul(cols, w2, out=y[lo:hi].reshape(-1, o))
    return y.reshape((n,) + tuple(out) + (o,))


class _Explicit:
    """A stride-1 geometry with fixed paddings (for the transposed convolution below)."""

    def __init__(self, dilations, pads):
        self.strides = [1] * len(pads)
        self.dilations = dilations
        self.pads = pads

    def resolve(self, sizes, ksizes):
        return conv_ops.window_geometry(list(sizes), list(ksizes), self.strides, self.dilations,
                                        "EXPLICIT", self.pads)


def conv_backprop_input(in_shape, w, dy, geo):
    """Gradient of conv_forward with respect to `x` of channels-last shape `in_shape`.

    With stride 1 (and enough input channels) this is itself a convolution, of `dy` with the
    flipped, transposed filter, whose GEMM does `kernel * O` multiply-adds per output element;
    the general col2im path's GEMM does only `O` per element of a `kernel`-times larger result
    (measured ~1.3x slower for 5x5x32x64).
    """
    ks, (c, o) = w.shape[:-2], w.shape[-2:]
    _check_depth(in_shape[-1], c)
    out, pads = geo.resolve(in_shape[1:-1], ks)
    _check_out(dy, in_shape, out, o)
    n = in_shape[0]
    eks = [(k - 1) * d + 1 for k, d in zip(ks, geo.dilations)]
    full = [(ek - 1 - b, ek - 1 - a) for ek, (b, a) in zip(eks, pads)]
    if c >= _TRANSPOSED_MIN_DEPTH and all(st == 1 for st in geo.strides) and all(
            b >= 0 and a >= 0 for b, a in full):
        flipped = w[(slice(None, None, -1),) * len(ks)]
        w_t = np.ascontiguousarray(np.swapaxes(flipped, -1, -2))  # [*K, O, C]
        return conv_forward(dy, w_t, _Explicit(geo.dilations, full))
    w2 = w.reshape(-1, o)
    padded = (n,) + tuple(s + b + a for s, (b, a) in zip(in_shape[1:-1], pads)) + (c,)
    dxp = np.zeros(padded, dtype=dy.dtype)
    p = int(np.prod(out, dtype=np.int64))
    for lo, hi in _batch_chunks(n, p * w2.shape[0]):
        dcols = np.matmul(dy[lo:hi].reshape(-1, o), w2.T)
        dcols = dcols.reshape((hi - lo,) + tuple(out) + tuple(ks) + (c,))
        part = dxp[lo:hi]
        for k in kernel_offsets(ks):
            part[window_slice(k, out, geo.strides, geo.dilations)] += \
                dcols[(slice(None),) * (1 + len(out)) + k]
    return dxp[interior(in_shape[1:-1], pads)]


def conv_backprop_filter(x, w_shape, dy, geo):
    """Gradient of conv_forward with respect to `w` of shape `w_shape` (`[*K, C, O]`)."""
    ks, (c, o) = tuple(w_shape[:-2]), tuple(w_shape[-2:])
    _check_depth(x.shape[-1], c)
    out, pads = geo.resolve(x.shape[1:-1], ks)
    _check_out(dy, x.shape, out, o)
    n = x.shape[0]
    xp = pad(x, pads)
    win = windows(xp, out, ks, geo.strides, geo.dilations)
    p = int(np.prod(out, dtype=np.int64))
    kc = int(np.prod(ks, dtype=np.int64)) * c
    dw = np.zeros((kc, o), dtype=dy.dtype)
    for lo, hi in _batch_chunks(n, p * kc):
        cols = win[lo:hi].reshape(-1, kc)
        dw += np.matmul(cols.T, dy[lo:hi].reshape(-1, o))
    return dw.reshape(tuple(w_shape))


def _check_out(dy, in_shape, out, depth):
    want = (in_shape[0],) + tuple(out) + (depth,)
    if tuple(dy.shape) != want:
        raise ValueError("Conv backprop: size of out_backprop doesn't match computed: actual = "
                         "%s, computed = %s" % (list(dy.shape), list(want)))


def _as_compute(*arrays):
    dt = arrays[0].dtype
    cd = _compute_dtype(dt)
    return dt, [a.astype(cd, copy=False) for a in arrays]


# --- fast path: oneDNN (backends/onednn), float32 only; None means "use the reference" -------
def _fast_geometry(geo, sizes, ks):
    """(out, oneDNN geometry) for a fast kernel, or None when oneDNN should not be asked."""
    out, pads = geo.resolve(sizes, ks)
    if min(list(out) + list(sizes) + list(ks)) <= 0 or any(b < 0 or a < 0 for b, a in pads):
        return None
    return out, (tuple(geo.strides), tuple(geo.dilations), tuple(map(tuple, pads)))


def fast_conv_forward(rt, x, w, geo, bias=None, add_to=None, relu=False, into_add_to=False,
                      depthwise=False):
    """oneDNN `conv_forward` (plus `bias`, plus `add_to`, then ReLU if asked) of channels-last
    float32 `x`, `w` (a depthwise `[*K, C, M]` filter with `depthwise`); None if not handled."""
    ks, (c, o) = w.shape[:-2], w.shape[-2:]
    _check_depth(x.shape[-1], c)
    if depthwise:
        o = c * o
    g = _fast_geometry(geo, x.shape[1:-1], ks)
    if g is None or x.shape[0] == 0 or o == 0 or c == 0:
        return None
    out, geom = g
    if bias is not None:
        bias = np.ascontiguousarray(bias)
    out_shape = (x.shape[0],) + tuple(out) + (o,)
    if add_to is not None and tuple(add_to.shape) != out_shape:
        return None
    return onednn_conv.forward(rt, onednn_prims.as_usable(x), onednn_prims.as_usable(w), geom,
                               out_shape, geo.channels_first, bias, add_to, relu, into_add_to,
                               depthwise=depthwise)


def fused_bias_kernel(conv, bias_op=None):
    """For the fusion pass's `_FusedConv` and `_FusedConvBN`: `run(x, w, b, add_to=None,
    relu=False, into_add_to=False)` computing `conv(x, w) + b` (plus `add_to`, into its own
    buffer with `into_add_to`; then oneDNN's ReLU, which turns NaN into 0, with `relu`) in one
    oneDNN primitive, or returning None where the reference kernels must run. None when oneDNN
    is off or `bias_op` (a BiasAdd or an Add; None: channels last) does not add along the
    channels."""
    rt = onednn.runtime()
    rank = {"Conv2D": 4, "Conv3D": 5, "DepthwiseConv2dNative": 4}.get(conv.type)
    if rt is None or rank is None:
        return None
    depthwise = conv.type == "DepthwiseConv2dNative"
    geo = Geometry(conv, rank)
    fmt = "NHWC"
    if bias_op is not None and bias_op.type == "BiasAdd":
        fmt = conv_ops.attr_str(bias_op, "data_format")
    if fmt.startswith("NC") != geo.channels_first:
        return None

    def run(x, w, b, add_to=None, relu=False, into_add_to=False):
        arrays = (x, w, b) + ((add_to,) if add_to is not None else ())
        outs = w.shape[-2] * w.shape[-1] if depthwise and w.ndim == rank else w.shape[-1]
        if not _is_f32(*arrays) or x.ndim != rank or w.ndim != rank or b.shape != (outs,):
            return None
        if add_to is not None:
            add_to = geo.to_last(add_to)
        y = _fast(rt, fast_conv_forward, geo.to_last(x), w, geo, b, add_to, relu, into_add_to,
                  depthwise)
        return None if y is None else geo.from_last(y)
    return run


def fast_conv_backprop_input(rt, in_shape, w, dy, geo, depthwise=False):
    ks, (c, o) = w.shape[:-2], w.shape[-2:]
    _check_depth(in_shape[-1], c)
    if depthwise:
        o = c * o
    g = _fast_geometry(geo, in_shape[1:-1], ks)
    if g is None or in_shape[0] == 0 or o == 0 or c == 0:
        return None
    out, geom = g
    _check_out(dy, in_shape, out, o)
    return onednn_conv.backward_data(rt, tuple(in_shape), onednn_prims.as_usable(w),
                                     onednn_prims.as_usable(dy), geom, geo.channels_first,
                                     depthwise=depthwise)


def fast_conv_backprop_filter(rt, x, w_shape, dy, geo, depthwise=False):
    ks, (c, o) = tuple(w_shape[:-2]), tuple(w_shape[-2:])
    _check_depth(x.shape[-1], c)
    if depthwise:
        o = c * o
    g = _fast_geometry(geo, x.shape[1:-1], ks)
    if g is None or x.shape[0] == 0 or o == 0 or c == 0:
        return None
    out, geom = g
    _check_out(dy, x.shape, out, o)
    return onednn_conv.backward_weights(rt, onednn_prims.as_usable(x), w_shape,
                                        onednn_prims.as_usable(dy), geom, depthwise=depthwise)


def _fast(rt, fn, *args):
    """`fn(rt, *args)`, or None when oneDNN declines (an unimplemented case)."""
    try:
        return fn(rt, *args)
    except onednn_capi.DnnlError:
        return None


def _is_f32(*arrays):
    return all(a.dtype == np.float32 for a in arrays)


def _forward_kernel(rank, fn, fast_fn=None):
    def builder(op):
        geo = Geometry(op, rank)
        rt = onednn.runtime() if fast_fn is not None else None

        def run(x, w):
            if rt is not None and _is_f32(x, w):
                y = _fast(rt, fast_fn, geo.to_last(x), w, geo)
                if y is not None:
                    return geo.from_last(y)
            dt, (x, w) = _as_compute(x, w)
            y = fn(geo.to_last(x), w, geo)
            return geo.from_last(y).astype(dt, copy=False)
        return run
    return builder


def _input_kernel(rank, fn, fast_fn=None):
    def builder(op):
        geo = Geometry(op, rank)
        rt = onednn.runtime() if fast_fn is not None else None

        def run(sizes, w, dy):
            if rt is not None and _is_f32(w, dy):
                dx = _fast(rt, fast_fn, geo.shape_to_last(sizes), w, geo.to_last(dy), geo)
                if dx is not None:
                    return geo.from_last(dx)
            dt, (w, dy) = _as_compute(w, dy)
            dx = fn(geo.shape_to_last(sizes), w, geo.to_last(dy), geo)
            return geo.from_last(dx).astype(dt, copy=False)
        return run
    return builder


def _filter_kernel(rank, fn, fast_fn=None):
    def builder(op):
        geo = Geometry(op, rank)
        rt = onednn.runtime() if fast_fn is not None else None

        def run(x, sizes, dy):
            w_shape = [int(s) for s in np.asarray(sizes).ravel()]
            if rt is not None and _is_f32(x, dy):
                dw = _fast(rt, fast_fn, geo.to_last(x), w_shape, geo.to_last(dy), geo)
                if dw is not None:
                    return dw
            dt, (x, dy) = _as_compute(x, dy)
            dw = fn(geo.to_last(x), w_shape, geo.to_last(dy), geo)
            return dw.astype(dt, copy=False)
        return run
    return builder


for _rank, _name in ((4, "Conv2D"), (5, "Conv3D")):
    kernel(_name)(_forward_kernel(_rank, conv_forward, fast_conv_forward))
kernel("Conv2DBackpropInput")(_input_kernel(4, conv_backprop_input, fast_conv_backprop_input))
kernel("Conv3DBackpropInputV2")(_input_kernel(5, conv_backprop_input, fast_conv_backprop_input))
kernel("Conv2DBackpropFilter")(_filter_kernel(4, conv_backprop_filter, fast_conv_backprop_filter))
kernel("Conv3DBackpropFilterV2")(_filter_kernel(5, conv_backprop_filter,
                                                fast_conv_backprop_filter))


# --- depthwise ---------------------------------------------------------------------------------
def depthwise_forward(x, w, geo):
    """Depthwise convolution: `x` `[N, H, W, C]`, `w` `[KH, KW, C, M]` -> `[N, OH, OW, C*M]`."""
    ks, (c, m) = w.shape[:2], w.shape[2:]
    _check_depth(x.shape[-1], c)
    out, pads = geo.resolve(x.shape[1:-1], ks)
    xp = pad(x, pads)
    y = np.zeros((x.shape[0],) + tuple(out) + (c, m), dtype=x.dtype)
    for k in kernel_offsets(ks):
        y += xp[window_slice(k, out, geo.strides, geo.dilations)][..., None] * w[k]
    return y.reshape(y.shape[:-2] + (c * m,))


def depthwise_backprop_input(in_shape, w, dy, geo):
    ks, (c, m) = w.shape[:2], w.shape[2:]
    out, pads = geo.resolve(in_shape[1:-1], ks)
    _check_out(dy, in_shape, out, c * m)
    dy = dy.reshape(dy.shape[:-1] + (c, m))
    padded = (in_shape[0],) + tuple(s + b + a for s, (b, a) in zip(in_shape[1:-1], pads)) + (c,)
    dxp = np.zeros(padded, dtype=dy.dtype)
    for k in kernel_offsets(ks):
        dxp[window_slice(k, out, geo.strides, geo.dilations)] += np.einsum(
            "...cm,cm->...c", dy, w[k])
    return dxp[interior(in_shape[1:-1], pads)]


def depthwise_backprop_filter(x, w_shape, dy, geo):
    ks, (c, m) = tuple(w_shape[:2]), tuple(w_shape[2:])
    _check_depth(x.shape[-1], c)
    out, pads = geo.resolve(x.shape[1:-1], ks)
    _check_out(dy, x.shape, out, c * m)
    dy = dy.reshape(-1, c, m)
    xp = pad(x, pads)
    dw = np.zeros(tuple(w_shape), dtype=dy.dtype)
    for k in kernel_offsets(ks):
        xs = xp[window_slice(k, out, geo.strides, geo.dilations)].reshape(-1, c)
        dw[k] = np.einsum("pc,pcm->cm", xs, dy)
    return dw


# Depthwise convolutions on oneDNN: the same calls with the filter as a grouped one.
fast_depthwise_forward = functools.partial(fast_conv_forward, depthwise=True)
fast_depthwise_backprop_input = functools.partial(fast_conv_backprop_input, depthwise=True)
fast_depthwise_backprop_filter = functools.partial(fast_conv_backprop_filter, depthwise=True)


kernel("DepthwiseConv2dNative")(_forward_kernel(4, depthwise_forward, fast_depthwise_forward))
kernel("DepthwiseConv2dNativeBackpropInput")(
    _input_kernel(4, depthwise_backprop_input, fast_depthwise_backprop_input))
kernel("DepthwiseConv2dNativeBackpropFilter")(
    _filter_kernel(4, depthwise_backprop_filter, fast_depthwise_backprop_filter))
