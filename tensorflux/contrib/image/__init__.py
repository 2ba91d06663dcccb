"""`tf.contrib.image`: projective transforms (transform, rotate, translate), dense flow warping
and connected-component labelling.

Example:
    >>> rotated = tf.contrib.image.rotate(images, 0.3, interpolation="BILINEAR")
    >>> warped = tf.contrib.image.dense_image_warp(images, flow)
"""

from tensorflux.contrib.image.dense_image_warp import dense_image_warp, interpolate_bilinear
from tensorflux.contrib.image.image_ops import (
    angles_to_projective_transforms,
    compose_transforms,
    connected_components,
    rotate,
    transform,
    translate,
    translations_to_projective_transforms,
)
from tensorflux.ops.image_transform_ops import (
    flat_transforms_to_matrices,
    matrices_to_flat_transforms,
)

__all__ = [
    "angles_to_projective_transforms",
    "compose_transforms",
    "connected_components",
    "dense_image_warp",
    "flat_transforms_to_matrices",
    "interpolate_bilinear",
    "matrices_to_flat_transforms",
    "rotate",
    "transform",
    "translate",
    "translations_to_projective_transforms",
]
