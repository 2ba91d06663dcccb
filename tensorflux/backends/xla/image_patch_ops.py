"""XLA kernel for ExtractImagePatches (ops/image_patch_ops.py): the numpy backend's gather, with
indices computed on the host from the static sizes."""

import jax.numpy as jnp

from tensorflux.backends.numpy import image_patch_ops as np_patch
from tensorflux.backends.xla.kernel import kernel


@kernel("ExtractImagePatches")
def _extract_image_patches(op):
    def run(images):
        np_patch.check_images(images)
        rows, cols, pads = np_patch.patch_geometry(op, images.shape[1], images.shape[2])
        return np_patch.extract_patches(images, rows, cols, pads, jnp)
    return run
