"""XLA kernels for ops/image_transform_ops.py: the projective transforms.

The numpy backend's `project` runs with jax.numpy; the output shape is a static input. XLA may
fuse a multiply-add in the coordinate arithmetic, so a sample can land an ulp away from TF's:
a NEAREST sample exactly halfway between pixels may then round the other way. Connected
components iterate a data-dependent number of times and have no kernel here (plans that use
them run on numpy).
"""

import jax.numpy as jnp

from tensorflux.backends.numpy import image_transform_ops as np_transform
from tensorflux.backends.xla.kernel import kernel


def _transform(op):
    interpolation, fill_mode = op._attrs["interpolation"], op._attrs["fill_mode"]

    def run(images, transforms, output_shape, fill_value=0.0):
        out_h, out_w = np_transform.check_transform_inputs(images, transforms, output_shape)
        return np_transform.project(images, transforms, out_h, out_w, interpolation, fill_mode,
                                    fill_value, jnp)
    return run


kernel("ImageProjectiveTransformV2", static=(2,))(_transform)
kernel("ImageProjectiveTransformV3", static=(2,))(_transform)
