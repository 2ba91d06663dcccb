"""numpy kernels for normalization ops (ops/norm_ops.py): fused batch norm and LRN; float32 batch
norm (inference and training mode) and its training-mode gradient run on oneDNN when it is
available (see backends/onednn)."""

import numpy as np

from tensorflux.backends import onednn
from tensorflux.backends.onednn import _capi as onednn_capi
from tensorflux.backends.onednn import norm as onednn_norm
from tensorflux.backends.onednn import primitives as onednn_prims
from tensorflux.ops.registry import kernel


def _axes(op, ndim):
    fmt = op._attrs["data_format"]
    fmt = fmt.decode() if isinstance(fmt, bytes) else fmt
    c = 1 if fmt.startswith("NC") else ndim - 1
    shape = [1] * ndim
    shape[c] = -1
    return tuple(i for i in range(ndim) if i != c), shape


def _f32(x):
    return x.astype(np.float32) if x.dtype == np.float16 else x


def fast_batch_norm_inference(rt, x, scale, offset, mean, var, eps, channels_first,
                              donated=False):
    """oneDNN inference-mode batch norm of a float32 `x` (4-D or 5-D); None if not handled.
    `donated`: `x` is the caller's to overwrite (the interpreter's buffer reuse)."""
    if x.dtype != np.float32 or x.ndim not in (4, 5) or x.size == 0 or eps < 0 or any(
            a.dtype != np.float32 for a in (scale, offset, mean, var)):
        return None
    xl = np.moveaxis(x, 1, -1) if channels_first else x
    in_place = donated and x.flags.c_contiguous and x.flags.writeable
    vec = onednn_norm.vector
    try:
        y = onednn_norm.batch_norm_inference(rt, onednn_prims.as_usable(xl), vec(scale),
                                             vec(offset), vec(mean), vec(var), eps,
                                             channels_first, in_place)
    except onednn_capi.DnnlError:
        return None
    return np.moveaxis(y, -1, 1) if channels_first else y


def _fast_ok(x, *vectors):
    return (x.dtype == np.float32 and x.ndim in (4, 5) and x.size > 0
            and all(a.dtype == np.float32 for a in vectors))


def fast_batch_norm_training(rt, x, scale, offset, eps, channels_first, relu=False):
    """oneDNN training-mode batch norm: `(y, mean, biased variance)`, or None if not handled.
    With `relu`, `y` is ReLU'd too and oneDNN's record of what the ReLU kept comes fourth."""
    if not _fast_ok(x, scale, offset) or eps < 0:
        return None
    xl = np.moveaxis(x, 1, -1) if channels_first else x
    vec = onednn_norm.vector
    try:
        out = onednn_norm.batch_norm_training(
            rt, onednn_prims.as_usable(xl), vec(scale), vec(offset), eps, channels_first, relu)
    except onednn_capi.DnnlError:
        return None
    return ((np.moveaxis(out[0], -1, 1) if channels_first else out[0]),) + tuple(out[1:])


def fast_batch_norm_grad(rt, dy, x, scale, mean, var, eps, channels_first, workspace=None):
    """oneDNN training-mode batch norm gradient `(dx, dscale, doffset)`, or None. With the
    `workspace` of `fast_batch_norm_training(..., relu=True)`, `dy` is the gradient of the
    ReLU'd output."""
    if not _fast_ok(x, scale, mean, var) or dy.dtype != np.float32 or dy.shape != x.shape \
            or eps < 0:
        return None
    last = (lambda a: np.moveaxis(a, 1, -1)) if channels_first else (lambda a: a)
    usable, vec = onednn_prims.as_usable, onednn_norm.vector
    try:
        dx, dscale, doffset = onednn_norm.batch_norm_backward(
            rt, usable(last(x)), usable(last(dy)), vec(scale), vec(mean), vec(var), eps,
            channels_first, workspace=workspace)
    except onednn_capi.DnnlError:
        return None
    return (np.moveaxis(dx, -1, 1) if channels_first else dx), dscale, doffset


def training_stats(bmean, bvar, n, mean, var, factor, u):
    """FusedBatchNormV3's outputs 1-5 in training mode, from the batch mean and (biased)
    variance of `n` values per channel: the running mean and variance (Bessel-corrected, and
    averaged into `mean`, `var` when `factor` is not 1), then the reserve spaces."""
    corrected = bvar * (n / max(n - 1, 1))
    if factor != 1.0:
        out_mean = (1 - factor) * mean + factor * bmean
        out_var = (1 - factor) * var + factor * corrected
    else:
        out_mean, out_var = bmean, corrected
    return (np.asarray(out_mean, u), np.asarray(out_var, u), np.asarray(bmean, u),
            np.asarray(bvar, u), np.zeros([0], u))


@kernel("FusedBatchNormV3")
def _fused_batch_norm(op):
    eps = op._attrs["epsilon"]
    training = op._attrs["is_training"]
    factor = op._attrs.get("exponential_avg_factor", 1.0)
    rt = onednn.runtime()

    def run(x, scale, offset, mean, var, donated=False):
        axes, bshape = _axes(op, x.ndim)
        xf = _f32(x)
        c = x.shape[bshape.index(-1)]
        if scale.shape != (c,) or offset.shape != (c,):
            raise ValueError("scale and offset must have shape [%d], got %s and %s"
                             % (c, list(scale.shape), list(offset.shape)))
        if training:
            n = xf.size // max(c, 1)
            fast = fast_batch_norm_training(rt, x, scale, offset, eps, bshape.index(-1) == 1) \
                if rt is not None else None
            if fast is not None:
                y, bmean, bvar = fast
            else:
                bmean = xf.mean(axis=axes)
                bvar = xf.var(axis=axes)
            use_mean, use_var = bmean, bvar
            stats = training_stats(bmean, bvar, n, mean, var, factor, scale.dtype)
            if fast is not None:
                return (y,) + stats
            out_mean, out_var, rs1, rs2 = stats[:4]
        else:
            if mean.shape != (c,) or var.shape != (c,):
                raise ValueError("mean and variance must have shape [%d], got %s and %s"
                                 % (c, list(mean.shape), list(var.shape)))
            if rt is not None:
                y = fast_batch_norm_inference(rt, x, scale, offset, mean, var, eps,
                                              bshape.index(-1) == 1, donated)
                if y is not None:
                    u = scale.dtype
                    return (y, np.asarray(mean, u), np.asarray(var, u), np.asarray(mean, u),
                            np.asarray(var, u), np.zeros([0], u))
            use_mean, use_var = mean, var
            out_mean, out_var, rs1, rs2 = mean, var, mean, var
        inv = 1.0 / np.sqrt(use_var + eps)
        y = (xf - use_mean.reshape(bshape)) * (inv * scale).reshape(bshape) + offset.reshape(
            bshape)
        u = scale.dtype
        return (y.astype(x.dtype), np.asarray(out_mean, u), np.asarray(out_var, u),
                np.asarray(rs1, u), np.asarray(rs2, u), np.zeros([0], u))
    if rt is not None and not training:  # the interpreter may hand over `x` to be overwritten
        run.donatable = (0,)
        run.donated = lambda *args: run(*args, donated=True)
    return run


@kernel("FusedBatchNormGradV3")
def _fused_batch_norm_grad(op):
    eps = op._attrs["epsilon"]
    training = op._attrs["is_training"]
    rt = onednn.runtime() if training else None

    def run(dy, x, scale, r1, r2, unused_r3):
        axes, bshape = _axes(op, x.ndim)
        if rt is not None:
            fast = fast_batch_norm_grad(rt, dy, x, scale, r1, r2, eps, bshape.index(-1) == 1)
            if fast is not None:
                u = scale.dtype
                return (fast[0], fast[1].astype(u, copy=False), fast[2].astype(u, copy=False),
                        np.zeros([0], u), np.zeros([0], u))
        dyf, xf = _f32(dy), _f32(x)
        inv = (1.0 / np.sqrt(r2 + eps)).reshape(bshape)
        xhat = (xf - r1.reshape(bshape)) * inv
        dscale = (dyf * xhat).sum(axis=axes)
        doffset = dyf.sum(axis=axes)
        if training:
            n = xf.size // scale.shape[0]
            dx = scale.reshape(bshape) * inv * (
                dyf - doffset.reshape(bshape) / n - xhat * dscale.reshape(bshape) / n)
        else:
            dx = dyf * scale.reshape(bshape) * inv
        u = scale.dtype
        return (dx.astype(x.dtype), dscale.astype(u), doffset.astype(u), np.zeros([0], u),
                np.zeros([0], u))
    return run


def _window_sum(sq, r):
    """Sum over channels [c - r, c + r] (clipped) of the last axis, by a cumulative sum."""
    c = sq.shape[-1]
    cs = np.concatenate([np.zeros(sq.shape[:-1] + (1,), sq.dtype), np.cumsum(sq, axis=-1)], -1)
    hi = np.minimum(np.arange(c) + r + 1, c)
    lo = np.maximum(np.arange(c) - r, 0)
    return cs[..., hi] - cs[..., lo]


def _lrn_params(op):
    return (op._attrs["depth_radius"], op._attrs["bias"], op._attrs["alpha"],
            op._attrs["beta"])


@kernel("LRN")
def _lrn(op):
    r, bias, alpha, beta = _lrn_params(op)

    def run(x):
        if x.ndim != 4:
            raise ValueError("input must be 4-dimensional")
        xf = x.astype(np.float64)
        norm = bias + alpha * _window_sum(xf * xf, r)
        return (xf * norm ** -beta).astype(x.dtype)
    return run


@kernel("LRNGrad")
def _lrn_grad(op):
    r, bias, alpha, beta = _lrn_params(op)

    def run(g, x, y):
        gf, xf, yf = (a.astype(np.float64) for a in (g, x, y))
        norm = bias + alpha * _window_sum(xf * xf, r)
        dx = gf * norm ** -beta - 2 * alpha * beta * xf * _window_sum(gf * yf / norm, r)
        return dx.astype(x.dtype)
    return run
