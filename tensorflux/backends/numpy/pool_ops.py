"""numpy kernels for pooling (ops/pool_ops.py): loops over the kernel window, never over pixels.

Each kernel offset contributes one strided slice of the padded input (one value per output
position), so a 3x3 pool is 9 vectorised `maximum`/`add` calls. (Measured: for 2x2 stride 2 this
is about 4x faster than `reshape(...).max(axis=(2, 4))`, numpy's reductions over non-contiguous
axes being slow.) The max-pool gradient marks, per kernel offset, the outputs whose first
maximum sits there, and scatters through the same slices.
"""

import weakref

import numpy as np

from tensorflux.backends import onednn
from tensorflux.backends.numpy.conv_ops import (
    Geometry,
    interior,
    kernel_offsets,
    pad,
    window_slice,
)
from tensorflux.backends.onednn import _capi as onednn_capi
from tensorflux.backends.onednn import pool as onednn_pool
from tensorflux.backends.onednn import primitives as onednn_prims
from tensorflux.ops import conv_ops
from tensorflux.ops.registry import kernel


class PoolGeometry(Geometry):
    def __init__(self, op, rank):
        super().__init__(op, rank)
        _, _, sp = conv_ops.layout(conv_ops.attr_str(op, "data_format"), rank)
        self.ksize = [int(op._attrs["ksize"][a]) for a in sp]
        self.ones = [1] * len(sp)

    def resolve_pool(self, sizes):
        return conv_ops.window_geometry(list(sizes), self.ksize, self.strides, self.ones,
                                        self.padding, self.explicit)

    def slice(self, k, out):
        return window_slice(k, out, self.strides, self.ones)


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def max_pool(x, geo):
    out, pads = geo.resolve_pool(x.shape[1:-1])
    xp = pad(x, pads, _lowest(x.dtype))
    y = None
    for k in kernel_offsets(geo.ksize):
        v = xp[geo.slice(k, out)]
        if y is None:
            y = v.copy()
        else:
            np.maximum(y, v, out=y)
    return y


def first_max_masks(x, geo):
    """(padded x, output sizes, pads, [mask per kernel offset]): mask k marks the outputs whose
    window has its first maximum (row-major order, as TF routes) at offset k."""
    out, pads = geo.resolve_pool(x.shape[1:-1])
    xp = pad(x, pads, _lowest(x.dtype))
    y = max_pool(x, geo)
    taken = None
    masks = []
    for k in kernel_offsets(geo.ksize):
        m = xp[geo.slice(k, out)] == y
        if taken is None:
            taken = m.copy()
        else:
            m &= ~taken
            taken |= m
        masks.append(m)
    return xp, out, pads, masks


def _overlapping(geo):
    return any(k > s for k, s in zip(geo.ksize, geo.strides))


def max_pool_grad(x, dy, geo):
    xp, out, pads, masks = first_max_masks(x, geo)
    if tuple(dy.shape) != masks[0].shape:
        raise ValueError("Expected grad shape to be %s, but got %s" % (list(masks[0].shape),
                                                                     list(dy.shape)))
    dxp = np.zeros(xp.shape, dy.dtype)
    zero = np.zeros((), dy.dtype)
    overlapping = _overlapping(geo)
    for k, m in zip(kernel_offsets(geo.ksize), masks):
        if overlapping:
            dxp[geo.slice(k, out)] += np.where(m, dy, zero)
        else:  # each input is in one window at most: plain assignment
            dxp[geo.slice(k, out)] = np.where(m, dy, zero)
    return dxp[interior(x.shape[1:-1], pads)]


def max_pool_grad_grad(x, gg, geo):
    xp, out, pads, masks = first_max_masks(x, geo)
    ggp = pad(gg, pads)
    y = np.zeros(masks[0].shape, gg.dtype)
    for k, m in zip(kernel_offsets(geo.ksize), masks):
        np.copyto(y, ggp[geo.slice(k, out)], where=m)
    return y


def _valid_counts(sizes, out, pads, geo):
    """Number of unpadded elements in each window, shaped `[1, *out, 1]`."""
    total = np.ones([1] * (len(out) + 2), np.float64)
    for d, (n, o, (pb, _), k, s) in enumerate(zip(sizes, out, pads, geo.ksize, geo.strides)):
        start = np.arange(o) * s - pb
        cnt = np.minimum(start + k, n) - np.maximum(start, 0)
        shape = [1] * (len(out) + 2)
        shape[1 + d] = o
        total = total * cnt.reshape(shape)
    return total


def avg_pool(x, geo):
    out, pads = geo.resolve_pool(x.shape[1:-1])
    xp = pad(x, pads)
    y = None
    for k in kernel_offsets(geo.ksize):
        v = xp[geo.slice(k, out)]
        if y is None:
            y = v.copy()
        else:
            y += v
    if any(b or a for b, a in pads):
        y /= _valid_counts(x.shape[1:-1], out, pads, geo).astype(y.dtype)
    else:
        y /= np.asarray(np.prod(geo.ksize), y.dtype)
    return y


def avg_pool_grad(in_shape, dy, geo):
    out, pads = geo.resolve_pool(in_shape[1:-1])
    want = (in_shape[0],) + tuple(out) + (in_shape[-1],)
    if tuple(dy.shape) != want:
        raise ValueError("AvgPoolGrad: expected out_backprop of shape %s, got %s"
                         % (list(want), list(dy.shape)))
    g = (dy / _valid_counts(in_shape[1:-1], out, pads, geo)).astype(dy.dtype, copy=False)
    padded = (in_shape[0],) + tuple(n + b + a for n, (b, a) in zip(in_shape[1:-1], pads)) + \
        (in_shape[-1],)
    dxp = np.zeros(padded, dy.dtype)
    for k in kernel_offsets(geo.ksize):
        dxp[geo.slice(k, out)] += g
    return dxp[interior(in_shape[1:-1], pads)]


def _compute(x):
    return x.astype(np.float32) if x.dtype == np.float16 else x


# --- fast path: oneDNN (backends/onednn), float32 only; None means "use the reference" -------
def _fast_geometry(geo, sizes):
    out, pads = geo.resolve_pool(sizes)
    if min(list(out) + list(sizes)) <= 0 or any(b < 0 or a < 0 for b, a in pads):
        return None
    if any(b >= k or a >= k for (b, a), k in zip(pads, geo.ksize)):
        return None  # a window entirely in the padding: TF's value there is the reference's
    return out, (tuple(geo.ksize), tuple(geo.strides), tuple(map(tuple, pads)))


def fast_pool(rt, x, geo, kind):
    """oneDNN max or average pooling of channels-last float32 `x`; None if not handled."""
    g = _fast_geometry(geo, x.shape[1:-1])
    if g is None or x.shape[0] == 0 or x.shape[-1] == 0:
        return None
    out, geom = g
    return onednn_pool.forward(rt, onednn_prims.as_usable(x), kind, geom,
                               (x.shape[0],) + tuple(out) + (x.shape[-1],), geo.channels_first)


def fast_max_pool_train(rt, x, geo):
    """oneDNN max pooling that also returns the argmax workspace: `(y, ws)` or None."""
    g = _fast_geometry(geo, x.shape[1:-1])
    if g is None or x.shape[0] == 0 or x.shape[-1] == 0:
        return None
    out, geom = g
    return onednn_pool.max_forward_training(rt, onednn_prims.as_usable(x), geom,
                                            (x.shape[0],) + tuple(out) + (x.shape[-1],),
                                            geo.channels_first)


def fast_max_pool_grad(rt, x, dy, geo, workspace=None):
    g = _fast_geometry(geo, x.shape[1:-1])
    if g is None or x.shape[0] == 0 or x.shape[-1] == 0:
        return None
    out, geom = g
    want = (x.shape[0],) + tuple(out) + (x.shape[-1],)
    if tuple(dy.shape) != want:
        raise ValueError("Expected grad shape to be %s, but got %s" % (list(want),
                                                                     list(dy.shape)))
    return onednn_pool.max_backward(rt, onednn_prims.as_usable(x), onednn_prims.as_usable(dy),
                                    geom, geo.channels_first, workspace)


# MaxPool op -> (weak ref to its input, weak ref to its output, oneDNN workspace) of its last
# run, when the graph also holds its MaxPoolGrad: the gradient kernel, given these very arrays,
# reuses the argmax instead of recomputing the forward pass. Weak references: nothing is kept
# alive, and a stale entry cannot match (inputs are never modified in place).
_WORKSPACES = weakref.WeakKeyDictionary()


def has_max_pool_grad(op):
    """Whether the graph takes the max-pooling gradient of `op` (a plan-local copy made by
    passes/layout.py carries the answer for its original in the `_with_grad` attr)."""
    if op._attrs.get("_with_grad"):
        return True
    return any(c.type in ("MaxPoolGrad", "MaxPool3DGrad") and c.inputs[1] is op.outputs[0]
               for c in op.outputs[0].consumers())


def _fast(rt, fn, *args):
    try:
        return fn(rt, *args)
    except onednn_capi.DnnlError:
        return None


def _pool_kernel(rank, fn, kind=None):
    def builder(op):
        geo = PoolGeometry(op, rank)
        rt = onednn.runtime() if kind is not None else None
        train = rt is not None and kind == "max" and has_max_pool_grad(op)

        def run(x):
            if train and x.dtype == np.float32:
                r = _fast(rt, fast_max_pool_train, geo.to_last(x), geo)
                if r is not None:
                    y = geo.from_last(r[0])
                    _WORKSPACES[op] = (weakref.ref(x), weakref.ref(y), r[1])
                    return y
            if rt is not None and x.dtype == np.float32:
                y = _fast(rt, fast_pool, geo.to_last(x), geo, kind)
                if y is not None:
                    return geo.from_last(y)
            y = fn(_compute(geo.to_last(x)), geo)
            return geo.from_last(y).astype(x.dtype, copy=False)
        return run
    return builder


def _max_grad_kernel(rank, fn, fast_fn=None):
    def builder(op):
        geo = PoolGeometry(op, rank)
        rt = onednn.runtime() if fast_fn is not None else None
        pool = op.inputs[1].op

        def run(x, y, g):
            if rt is not None and x.dtype == np.float32 and g.dtype == np.float32:
                entry = _WORKSPACES.get(pool)
                ws = entry[2] if entry is not None and entry[0]() is x and \
                    entry[1]() is y else None
                r = _fast(rt, fast_fn, geo.to_last(x), geo.to_last(g), geo, ws)
                if r is not None:
                    return geo.from_last(r)
            r = fn(_compute(geo.to_last(x)), _compute(geo.to_last(g)), geo)
            return geo.from_last(r).astype(g.dtype, copy=False)
        return run
    return builder


def _avg_grad_kernel(rank):
    def builder(op):
        geo = PoolGeometry(op, rank)

        def run(shape, g):
            r = avg_pool_grad(geo.shape_to_last(shape), _compute(geo.to_last(g)), geo)
            return geo.from_last(r).astype(g.dtype, copy=False)
        return run
    return builder


for _sfx, _rank in (("", 4), ("3D", 5)):
    kernel("MaxPool" + _sfx)(_pool_kernel(_rank, max_pool, "max"))
    kernel("AvgPool" + _sfx)(_pool_kernel(_rank, avg_pool, "avg"))
    kernel("MaxPool%sGrad" % _sfx)(_max_grad_kernel(_rank, max_pool_grad, fast_max_pool_grad))
    kernel("MaxPool%sGradGrad" % _sfx)(_max_grad_kernel(_rank, max_pool_grad_grad))
    kernel("AvgPool%sGrad" % _sfx)(_avg_grad_kernel(_rank))


# --- argmax variants ---------------------------------------------------------------------------
def _flat_argmax(x, geo, include_batch):
    """Flat input index of each window's first maximum, as MaxPoolWithArgmax defines it."""
    xp, out, pads, masks = first_max_masks(x, geo)
    idx = np.zeros(masks[0].shape, np.int64)
    for i, m in enumerate(masks):
        idx[m] = i
    n, h, w, c = x.shape
    kh, kw = divmod(idx, geo.ksize[1])
    rows = (np.arange(out[0]) * geo.strides[0] - pads[0][0]).reshape(1, -1, 1, 1) + kh
    cols = (np.arange(out[1]) * geo.strides[1] - pads[1][0]).reshape(1, 1, -1, 1) + kw
    flat = (rows * w + cols) * c + np.arange(c).reshape(1, 1, 1, -1)
    if include_batch:
        flat = flat + np.arange(n).reshape(-1, 1, 1, 1) * (h * w * c)
    return xp, out, pads, flat


def _batch_offsets(argmax, x_shape, include_batch):
    if include_batch:
        return argmax.astype(np.int64)
    per = int(np.prod(x_shape[1:]))
    return argmax.astype(np.int64) + np.arange(x_shape[0]).reshape(
        (-1,) + (1,) * (argmax.ndim - 1)) * per


@kernel("MaxPoolWithArgmax")
def _max_pool_with_argmax(op):
    geo = PoolGeometry(op, 4)
    include_batch = op._attrs["include_batch_in_index"]
    npd = op._attrs["Targmax"].as_numpy_dtype

    def run(x):
        _, out, _, flat = _flat_argmax(_compute(x), geo, include_batch)
        y = np.take(x.reshape(-1), _batch_offsets(flat, x.shape, include_batch))
        return y, flat.astype(npd)
    return run


@kernel("MaxPoolGradWithArgmax")
def _max_pool_grad_with_argmax(op):
    include_batch = op._attrs["include_batch_in_index"]

    def run(x, g, argmax):
        flat = _batch_offsets(argmax, x.shape, include_batch).ravel()
        if flat.size and (flat.min() < 0 or flat.max() >= x.size):
            raise ValueError("Invalid argmax index for an input of %d elements" % x.size)
        dx = np.bincount(flat, weights=g.ravel(), minlength=x.size)
        return dx.astype(g.dtype).reshape(x.shape)
    return run


@kernel("MaxPoolGradGradWithArgmax")
def _max_pool_grad_grad_with_argmax(op):
    include_batch = op._attrs["include_batch_in_index"]

    def run(x, gg, argmax):
        return np.take(gg.reshape(-1), _batch_offsets(argmax, x.shape, include_batch))
    return run
