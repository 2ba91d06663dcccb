"""XLA kernels for padding and block rearrangement (ops/pad_ops.py)."""

import jax.numpy as jnp
import numpy as np

from tensorflux.backends.xla.kernel import kernel


def _paddings(x, p):
    p = np.asarray(p)
    if p.ndim != 2 or p.shape[1] != 2 or p.shape[0] != x.ndim or (p < 0).any():
        raise ValueError("bad paddings")
    return [(int(a), int(b)) for a, b in p]


@kernel("Pad", static=(1,))
def _pad(op):
    return lambda x, p: jnp.pad(x, _paddings(x, p))


@kernel("PadV2", static=(1,))
def _pad_v2(op):
    def run(x, p, c):
        if np.ndim(c) != 0:
            raise ValueError("constant_values must be a scalar")
        pads = _paddings(x, p)
        return jnp.pad(x, pads, constant_values=jnp.asarray(c, x.dtype))
    return run


@kernel("MirrorPad", static=(1,))
def _mirror_pad(op):
    mode = op._attrs["mode"]

    def run(x, p):
        pads = _paddings(x, p)
        for d, (a, b) in zip(x.shape, pads):
            if (mode == "REFLECT" and (a >= d or b >= d)) or (a > d or b > d):
                raise ValueError("paddings too large")
        return jnp.pad(x, pads, mode=mode.lower())
    return run


@kernel("MirrorPadGrad", static=(1,))
def _mirror_pad_grad(op):
    shift = 0 if op._attrs["mode"] == "REFLECT" else 1

    def run(g, p):
        out = g
        for axis, (a, b) in enumerate(_paddings(g, p)):
            y = jnp.moveaxis(out, axis, 0)
            n = y.shape[0] - a - b
            if n < 0:
                raise ValueError("paddings larger than the gradient")
            core = y[a:a + n]
            left, right = np.arange(a), np.arange(b)
            core = core.at[a - left - shift].add(y[left])
            core = core.at[n - 2 - right + shift].add(y[a + n + right])
            out = jnp.moveaxis(core, 0, axis)
        return out
    return run


def _to_nhwc(x, fmt):
    return x if fmt == "NHWC" else jnp.transpose(x, (0, 2, 3, 1))


def _from_nhwc(x, fmt):
    return x if fmt == "NHWC" else jnp.transpose(x, (0, 3, 1, 2))


@kernel("SpaceToDepth")
def _space_to_depth(op):
    bs, fmt = op._attrs["block_size"], op._attrs["data_format"]

    def run(x):
        if x.ndim != 4:
            raise ValueError("Input rank should be 4")
        y = _to_nhwc(x, fmt)
        n, h, w, c = y.shape
        if h % bs or w % bs:
            raise ValueError("size not divisible by block_size")
        y = y.reshape(n, h // bs, bs, w // bs, bs, c).transpose(0, 1, 3, 2, 4, 5)
        return _from_nhwc(y.reshape(n, h // bs, w // bs, bs * bs * c), fmt)
    return run


@kernel("DepthToSpace")
def _depth_to_space(op):
    bs, fmt = op._attrs["block_size"], op._attrs["data_format"]

    def run(x):
        if x.ndim != 4:
            raise ValueError("Input rank should be 4")
        y = _to_nhwc(x, fmt)
        n, h, w, c = y.shape
        if c % (bs * bs):
            raise ValueError("depth not divisible by block_size**2")
        y = y.reshape(n, h, w, bs, bs, c // (bs * bs)).transpose(0, 1, 3, 2, 4, 5)
        return _from_nhwc(y.reshape(n, h * bs, w * bs, c // (bs * bs)), fmt)
    return run
