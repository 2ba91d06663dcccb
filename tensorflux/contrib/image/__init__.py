"""`tf.contrib.image`: projective transforms (transform, rotate, translate), dense and sparse
flow warping, polyharmonic spline interpolation, HSV changes in YIQ space and
connected-component labelling.

Example:
    >>> rotated = tf.contrib.image.rotate(images, 0.3, interpolation="BILINEAR")
    >>> warped = tf.contrib.image.dense_image_warp(images, flow)
"""

from tensorflux.contrib.image.dense_image_warp import dense_image_warp, interpolate_bilinear
from tensorflux.contrib.image.distort_image_ops import adjust_hsv_in_yiq, random_hsv_in_yiq
from tensorflux.contrib.image.image_ops import (
    angles_to_projective_transforms,
    compose_transforms,
    connected_components,
    rotate,
    transform,
    translate,
    translations_to_projective_transforms,
)
from tensorflux.contrib.image.interpolate_spline import interpolate_spline
from tensorflux.contrib.image.sparse_image_warp import sparse_image_warp
from tensorflux.ops.image_transform_ops import (
    flat_transforms_to_matrices,
    image_projective_transform,
    matrices_to_flat_transforms,
)

__all__ = [
    "adjust_hsv_in_yiq",
    "angles_to_projective_transforms",
    "compose_transforms",
    "connected_components",
    "dense_image_warp",
    "flat_transforms_to_matrices",
    "image_projective_transform",
    "interpolate_bilinear",
    "interpolate_spline",
    "matrices_to_flat_transforms",
    "random_hsv_in_yiq",
    "rotate",
    "sparse_image_warp",
    "transform",
    "translate",
    "translations_to_projective_transforms",
]
