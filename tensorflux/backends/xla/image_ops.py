"""XLA kernels for the resize family (ops/image_ops.py): two small matrix products per image.

The sampling weights (`Wy`, `Wx`) are the numpy backend's, computed on the host while tracing
(they depend only on the static sizes and attrs), so both backends sample identically; the
executable applies `out = Wy · image · Wxᵀ`, and a gradient is the transpose. PNG encode/decode
work on strings and stay on numpy.
"""

import jax.numpy as jnp
import numpy as np

from tensorflux.backends.numpy import image_ops as np_image
from tensorflux.backends.xla.kernel import kernel


def _apply(wy, wx, x):
    tmp = jnp.einsum("yh,nhwc->nywc", wy, x)
    return jnp.einsum("xw,nywc->nyxc", wx, tmp)


def _compute(x):
    return x if x.dtype == jnp.float64 else x.astype(jnp.float32)


def _resize(op_type):
    def builder(op):
        align, half = op._attrs["align_corners"], op._attrs["half_pixel_centers"]
        weights = np_image._WEIGHTS[op_type]
        out_dtype = op.outputs[0].dtype.as_numpy_dtype

        def run(images, size):
            np_image._check_image(images)
            if align and half:
                raise ValueError("If half_pixel_centers is True, align_corners must be False.")
            out_h, out_w = np_image._check_size(size)
            in_h, in_w = images.shape[1:3]
            if op_type == "ResizeNearestNeighbor":
                iy = np_image._nearest_index(in_h, out_h, align, half)
                ix = np_image._nearest_index(in_w, out_w, align, half)
                return jnp.asarray(images)[:, iy][:, :, ix]
            wy = weights(in_h, out_h, align, half)
            wx = weights(in_w, out_w, align, half)
            return _apply(wy, wx, _compute(images)).astype(out_dtype)
        return run
    return builder


for _t in np_image._WEIGHTS:
    kernel(_t, static=(1,))(_resize(_t))


def _grad(forward_type):
    def builder(op):
        align, half = op._attrs["align_corners"], op._attrs["half_pixel_centers"]
        weights = np_image._WEIGHTS[forward_type]
        out_dtype = op.outputs[0].dtype.as_numpy_dtype

        def run(grads, second):
            np_image._check_image(grads)
            if forward_type == "ResizeNearestNeighbor":
                in_h, in_w = np_image._check_size(second)
            else:
                np_image._check_image(second)
                in_h, in_w = second.shape[1:3]
            out_h, out_w = grads.shape[1:3]
            wy = np.ascontiguousarray(weights(in_h, out_h, align, half).T)
            wx = np.ascontiguousarray(weights(in_w, out_w, align, half).T)
            return _apply(wy, wx, _compute(grads)).astype(out_dtype)
        return run
    return builder


kernel("ResizeBilinearGrad")(_grad("ResizeBilinear"))
kernel("ResizeNearestNeighborGrad", static=(1,))(_grad("ResizeNearestNeighbor"))
kernel("ResizeBicubicGrad")(_grad("ResizeBicubic"))
