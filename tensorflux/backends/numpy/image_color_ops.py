"""numpy kernels for the colour-space ops (ops/image_color_ops.py): RGB <-> HSV, hue, saturation.

Each kernel follows the arithmetic of TensorFlow's CPU kernel step by step, in the same
precision and order, so results agree to the last bit or so. The per-pixel branches of TF's C++
loops become `where` selections over whole arrays. The functions take the array module `xp`
(numpy here, jax.numpy in the XLA backend), so both backends share one algorithm.
"""

import numpy as np

from tensorflux.ops import registry

F32 = np.float32


def check_channels(images, min_rank):
    """TF's kernel checks: the rank and the 3 colour channels in the last dimension."""
    if images.ndim < min_rank:
        raise ValueError("input must be at least %d-D, got shape%s" % (min_rank,
                                                                       list(images.shape)))
    if images.shape[-1] != 3:
        raise ValueError("input must have 3 channels but instead has %d channels."
                         % images.shape[-1])


def check_scalar(value, what):
    if np.ndim(value) != 0:
        raise ValueError("%s must be scalar: %s" % (what, list(np.shape(value))))


def rgb_to_hsv(rgb, xp):
    """`RGBToHSV` in the input's own float type (TF's Eigen expression)."""
    t = rgb.dtype.type
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    value = xp.maximum(xp.maximum(r, g), b)
    chroma = value - xp.minimum(xp.minimum(r, g), b)
    saturation = xp.where(value > 0, chroma / xp.where(value > 0, value, t(1)), t(0))
    norm = (t(1) / chroma) * (t(1) / t(6))
    hue = xp.where(r == value, norm * (g - b),
                   xp.where(g == value, norm * (b - r) + t(2) / t(6),
                            norm * (r - g) + t(4) / t(6)))
    hue = xp.where(chroma > 0, hue, t(0))
    hue = xp.where(hue < 0, hue + t(1), hue)
    return xp.stack([hue, saturation, value], axis=-1)


def hsv_to_rgb(hsv, xp):
    """`HSVToRGB`: each channel is `((1 - s) + s * ramp_c(6h)) * v`, ramps clipped to [0, 1]."""
    t = hsv.dtype.type
    h, s, v = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    dh = h * t(6)
    ramps = [xp.abs(dh - t(3)) - t(1), -xp.abs(dh - t(2)) + t(2), -xp.abs(dh - t(4)) + t(2)]
    one_s = -s + t(1)
    out = [(one_s + s * xp.minimum(xp.maximum(ramp, t(0)), t(1))) * v for ramp in ramps]
    return xp.stack(out, axis=-1)


def _wrap_down(x, period, below):
    """TF's `while (x < 0) x += period; while (x >= period) x -= period;` (or `<= 0` first)."""
    p = F32(period)
    while True:
        low = x <= 0 if below == "le" else x < 0
        if not np.any(low):
            break
        x = np.where(low, x + p, x)
    while np.any(x >= p):
        x = np.where(x >= p, x - p, x)
    return x


def _select(category, cases, xp):
    """`cases[category]` per pixel; categories outside 0..5 take `default` (the last entry)."""
    out = cases[-1]
    for k, case in enumerate(cases[:-1]):
        out = xp.where(category == k, case, out)
    return out


def adjust_hue(rgb, delta, xp, wrap=_wrap_down):
    """`AdjustHue` (float32): hue as a position in [0, 6) between the min and max channel."""
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    r_lt_g = r < g
    # (v_max, v_mid, v_min, category) for the six orderings, as TF's branches pick them.
    v_max = xp.where(r_lt_g, xp.where(b > g, b, g), xp.where(b > r, b, r))
    v_min = xp.where(r_lt_g, xp.where(b < r, b, r), xp.where(b < g, b, g))
    v_mid = xp.where(r_lt_g, xp.where(b < r, r, xp.where(b > g, g, b)),
                     xp.where(b < g, g, xp.where(b > r, r, b)))
    category = xp.where(r_lt_g, xp.where(b < r, 1, xp.where(b > g, 3, 2)),
                        xp.where(b < g, 0, xp.where(b > r, 4, 5)))
    flat = v_max == v_min
    ratio = (v_mid - v_min) / xp.where(flat, F32(1), v_max - v_min)
    increase = category % 2 == 0
    h = category.astype(F32) + xp.where(increase, ratio, F32(1) - ratio)
    h = xp.where(flat, F32(0), h)
    h = wrap(h + delta * F32(6), 6, "lt")
    new_category = h.astype(np.int32)
    new_ratio = h - new_category.astype(F32)
    new_ratio = xp.where(new_category % 2 == 0, new_ratio, F32(1) - new_ratio)
    mid = v_min + new_ratio * (v_max - v_min)
    rows = [(v_max, mid, v_min), (mid, v_max, v_min), (v_min, v_max, mid),
            (v_min, mid, v_max), (mid, v_min, v_max), (v_max, v_min, mid)]
    channels = [_select(new_category, [row[c] for row in rows], xp) for c in range(3)]
    return xp.stack(channels, axis=-1)


def adjust_saturation(rgb, scale, xp, wrap=_wrap_down):
    """`AdjustSaturation` (float32): TF's own RGB -> HSV -> RGB round trip, `s` scaled."""
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    v = xp.maximum(r, xp.maximum(g, b))
    chroma = v - xp.minimum(r, xp.minimum(g, b))
    s = xp.where(v > 0, chroma / xp.where(v > 0, v, F32(1)), F32(0))
    norm = F32(1) / (F32(6) * chroma)
    # TF adds the double constants 2/6 and 4/6 in double precision, then rounds to float.
    third = (norm * (b - r)).astype(np.float64) + 2.0 / 6.0
    two_thirds = (norm * (r - g)).astype(np.float64) + 4.0 / 6.0
    h = xp.where(r == v, norm * (g - b),
                 xp.where(g == v, third.astype(F32), two_thirds.astype(F32)))
    h = xp.where(chroma <= 0, F32(0), h)
    h = xp.where(h < 0, h + F32(1), h)
    s = xp.minimum(F32(1), xp.maximum(F32(0), s * scale))
    c = s * v
    m = v - c
    dh = h * F32(6)
    category = dh.astype(np.int32)
    x = c * (F32(1) - xp.abs(wrap(dh, 2, "le") - F32(1)))
    zero = xp.zeros_like(c)
    rows = [(c, x, zero), (x, c, zero), (zero, c, x), (zero, x, c), (x, zero, c),
            (c, zero, x), (zero, zero, zero)]
    channels = [_select(category, [row[k] for row in rows], xp) + m for k in range(3)]
    return xp.stack(channels, axis=-1)


def _float_kernel(fn):
    """A kernel on float images: computed in float32 (TF's CPU kernels are float32 only)."""
    def builder(op):
        def run(images, factor):
            check_channels(images, 3)
            check_scalar(factor, "delta" if op.type == "AdjustHue" else "scale")
            with np.errstate(divide="ignore", invalid="ignore"):
                out = fn(images.astype(F32), F32(factor), np)
            return out.astype(images.dtype)
        return run
    return builder


def _colorspace_kernel(fn):
    def builder(op):
        def run(images):
            check_channels(images, 1)
            with np.errstate(divide="ignore", invalid="ignore"):
                return fn(images, np).astype(images.dtype)
        return run
    return builder


registry.kernel("RGBToHSV")(_colorspace_kernel(rgb_to_hsv))
registry.kernel("HSVToRGB")(_colorspace_kernel(hsv_to_rgb))
registry.kernel("AdjustHue")(_float_kernel(adjust_hue))
registry.kernel("AdjustSaturation")(_float_kernel(adjust_saturation))
