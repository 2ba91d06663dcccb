"""numpy kernels for padding and block rearrangement (ops/pad_ops.py)."""

import numpy as np

from tensorflux.ops.registry import kernel


def _paddings(x, p):
    p = np.asarray(p)
    if p.ndim != 2 or p.shape[1] != 2 or p.shape[0] != x.ndim:
        raise ValueError("The first dimension of paddings must be the rank of inputs%s %s"
                         % (list(p.shape), list(x.shape)))
    for a, b in p:
        if a < 0 or b < 0:
            raise ValueError("Paddings must be non-negative: %d %d" % (a, b))
    return [(int(a), int(b)) for a, b in p]


@kernel("Pad")
def _pad(op):
    return lambda x, p: np.pad(x, _paddings(x, p))


@kernel("PadV2")
def _pad_v2(op):
    def run(x, p, c):
        if np.ndim(c) != 0:
            raise ValueError("constant_values must be a scalar. Got: %s" % list(np.shape(c)))
        return np.pad(x, _paddings(x, p), constant_values=c.item())
    return run


@kernel("MirrorPad")
def _mirror_pad(op):
    mode = op._attrs["mode"]

    def run(x, p):
        pads = _paddings(x, p)
        for d, (a, b) in zip(x.shape, pads):
            if mode == "REFLECT" and (a >= d or b >= d):
                raise ValueError("paddings must be less than the dimension size: %d, %d not less "
                                 "than %d" % (a, b, d))
            if mode == "SYMMETRIC" and (a > d or b > d):
                raise ValueError("paddings must be no greater than the dimension size: %d, %d "
                                 "greater than %d" % (a, b, d))
        return np.pad(x, pads, mode=mode.lower())
    return run


@kernel("MirrorPadGrad")
def _mirror_pad_grad(op):
    shift = 0 if op._attrs["mode"] == "REFLECT" else 1

    def run(g, p):
        out = g
        for axis, (a, b) in enumerate(_paddings(g, p)):
            y = np.moveaxis(out, axis, 0)
            n = y.shape[0] - a - b
            if n < 0:
                raise ValueError("paddings larger than the gradient along dimension %d" % axis)
            core = y[a:a + n].copy()
            left, right = np.arange(a), np.arange(b)
            np.add.at(core, a - left - shift, y[left])
            np.add.at(core, n - 2 - right + shift, y[a + n + right])
            out = np.moveaxis(core, 0, axis)
        return np.ascontiguousarray(out)
    return run


def _to_nhwc(x, fmt):
    return x if fmt == "NHWC" else np.transpose(x, (0, 2, 3, 1))


def _from_nhwc(x, fmt):
    return np.ascontiguousarray(x if fmt == "NHWC" else np.transpose(x, (0, 3, 1, 2)))


@kernel("SpaceToDepth")
def _space_to_depth(op):
    bs, fmt = op._attrs["block_size"], op._attrs["data_format"]

    def run(x):
        if x.ndim != 4:
            raise ValueError("Input rank should be: 4 instead of: %d" % x.ndim)
        y = _to_nhwc(x, fmt)
        n, h, w, c = y.shape
        if h % bs or w % bs:
            raise ValueError("Image width %d and height %d should be divisible by block_size: %d"
                             % (w, h, bs))
        y = y.reshape(n, h // bs, bs, w // bs, bs, c).transpose(0, 1, 3, 2, 4, 5)
        return _from_nhwc(y.reshape(n, h // bs, w // bs, bs * bs * c), fmt)
    return run


@kernel("DepthToSpace")
def _depth_to_space(op):
    bs, fmt = op._attrs["block_size"], op._attrs["data_format"]

    def run(x):
        if x.ndim != 4:
            raise ValueError("Input rank should be: 4 instead of: %d" % x.ndim)
        y = _to_nhwc(x, fmt)
        n, h, w, c = y.shape
        if c % (bs * bs):
            raise ValueError("Input depth dimension %d should be divisible by: %d"
                             % (c, bs * bs))
        y = y.reshape(n, h, w, bs, bs, c // (bs * bs)).transpose(0, 1, 3, 2, 4, 5)
        return _from_nhwc(y.reshape(n, h * bs, w * bs, c // (bs * bs)), fmt)
    return run
