"""XLA kernels for the colour-space ops (ops/image_color_ops.py).

The algorithms are the numpy backend's own functions run with `jax.numpy`; only TF's
"subtract the period until in range" loops become `lax.while_loop`s, and the shape checks run on
the static shapes while tracing.
"""

import jax.numpy as jnp
import numpy as np
from jax import lax

from tensorflux.backends.numpy import image_color_ops as np_color
from tensorflux.backends.xla.kernel import kernel

F32 = np.float32


def _wrap_down(x, period, below):
    """The numpy backend's `_wrap_down` as two traced while loops."""
    p = F32(period)

    def low(v):
        return v <= 0 if below == "le" else v < 0

    x = lax.while_loop(lambda v: jnp.any(low(v)), lambda v: jnp.where(low(v), v + p, v), x)
    return lax.while_loop(lambda v: jnp.any(v >= p), lambda v: jnp.where(v >= p, v - p, v), x)


def _float_kernel(fn):
    def builder(op):
        def run(images, factor):
            np_color.check_channels(images, 3)
            np_color.check_scalar(factor, "delta" if op.type == "AdjustHue" else "scale")
            out = fn(images.astype(F32), jnp.asarray(factor, F32), jnp, wrap=_wrap_down)
            return out.astype(images.dtype)
        return run
    return builder


def _colorspace_kernel(fn):
    def builder(op):
        def run(images):
            np_color.check_channels(images, 1)
            return fn(images, jnp).astype(images.dtype)
        return run
    return builder


kernel("RGBToHSV")(_colorspace_kernel(np_color.rgb_to_hsv))
kernel("HSVToRGB")(_colorspace_kernel(np_color.hsv_to_rgb))
kernel("AdjustHue")(_float_kernel(np_color.adjust_hue))
kernel("AdjustSaturation")(_float_kernel(np_color.adjust_saturation))
