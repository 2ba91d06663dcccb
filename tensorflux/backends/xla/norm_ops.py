"""XLA kernels for normalization ops (ops/norm_ops.py): fused batch norm and LRN."""

import jax.numpy as jnp
import numpy as np

from tensorflux.backends.xla.kernel import kernel


def _axes(op, ndim):
    fmt = op._attrs["data_format"]
    fmt = fmt.decode() if isinstance(fmt, bytes) else fmt
    c = 1 if fmt.startswith("NC") else ndim - 1
    shape = [1] * ndim
    shape[c] = -1
    return tuple(i for i in range(ndim) if i != c), shape


def _f32(x):
    return x.astype(jnp.float32) if x.dtype == jnp.float16 else x


@kernel("FusedBatchNormV3")
def _fused_batch_norm(op):
    eps = op._attrs["epsilon"]
    training = op._attrs["is_training"]
    factor = op._attrs.get("exponential_avg_factor", 1.0)

    def run(x, scale, offset, mean, var):
        axes, bshape = _axes(op, x.ndim)
        xf = _f32(x)
        c = x.shape[bshape.index(-1)]
        if scale.shape != (c,) or offset.shape != (c,):
            raise ValueError("scale and offset must have shape [%d]" % c)
        if training:
            n = int(np.prod(x.shape)) // max(c, 1)
            bmean = jnp.mean(xf, axis=axes)
            bvar = jnp.mean(jnp.square(xf - jnp.reshape(bmean, bshape)), axis=axes)
            corrected = bvar * (n / max(n - 1, 1))
            use_mean, use_var = bmean, bvar
            if factor != 1.0:
                out_mean = (1 - factor) * mean + factor * bmean
                out_var = (1 - factor) * var + factor * corrected
            else:
                out_mean, out_var = bmean, corrected
            rs1, rs2 = bmean, bvar
        else:
            if mean.shape != (c,) or var.shape != (c,):
                raise ValueError("mean and variance must have shape [%d]" % c)
            use_mean, use_var = mean, var
            out_mean, out_var, rs1, rs2 = mean, var, mean, var
        inv = 1.0 / jnp.sqrt(use_var + eps)
        y = (xf - jnp.reshape(use_mean, bshape)) * jnp.reshape(inv * scale, bshape) + \
            jnp.reshape(offset, bshape)
        u = scale.dtype
        return (y.astype(x.dtype), jnp.asarray(out_mean, u), jnp.asarray(out_var, u),
                jnp.asarray(rs1, u), jnp.asarray(rs2, u), jnp.zeros([0], u))
    return run


@kernel("FusedBatchNormGradV3")
def _fused_batch_norm_grad(op):
    eps = op._attrs["epsilon"]
    training = op._attrs["is_training"]

    def run(dy, x, scale, r1, r2, unused_r3):
        axes, bshape = _axes(op, x.ndim)
        dyf, xf = _f32(dy), _f32(x)
        inv = jnp.reshape(1.0 / jnp.sqrt(r2 + eps), bshape)
        xhat = (xf - jnp.reshape(r1, bshape)) * inv
        dscale = jnp.sum(dyf * xhat, axis=axes)
        doffset = jnp.sum(dyf, axis=axes)
        sc = jnp.reshape(scale, bshape)
        if training:
            n = int(np.prod(x.shape)) // scale.shape[0]
            dx = sc * inv * (dyf - jnp.reshape(doffset, bshape) / n
                             - xhat * jnp.reshape(dscale, bshape) / n)
        else:
            dx = dyf * sc * inv
        u = scale.dtype
        return (dx.astype(x.dtype), dscale.astype(u), doffset.astype(u), jnp.zeros([0], u),
                jnp.zeros([0], u))
    return run


def _window_sum(sq, r):
    """Sum over channels [c - r, c + r] (clipped) of the last axis, by a cumulative sum."""
    c = sq.shape[-1]
    cs = jnp.concatenate([jnp.zeros(sq.shape[:-1] + (1,), sq.dtype), jnp.cumsum(sq, axis=-1)], -1)
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
        xf = _f32(x)
        norm = bias + alpha * _window_sum(xf * xf, r)
        return (xf * norm ** -beta).astype(x.dtype)
    return run


@kernel("LRNGrad")
def _lrn_grad(op):
    r, bias, alpha, beta = _lrn_params(op)

    def run(g, x, y):
        gf, xf, yf = (_f32(a) for a in (g, x, y))
        norm = bias + alpha * _window_sum(xf * xf, r)
        dx = gf * norm ** -beta - 2 * alpha * beta * xf * _window_sum(gf * yf / norm, r)
        return dx.astype(x.dtype)
    return run
