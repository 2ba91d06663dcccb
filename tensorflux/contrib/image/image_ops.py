"""`tf.contrib.image` transforms: transform, rotate, translate, their transform builders, and
connected_components, with contrib's argument handling (HW, HWC or NHWC images; one transform
or one per image). The ops are in ops/image_transform_ops.py.
"""

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, constant_op, fill_ops, linalg_ops, math_ops
from tensorflux.ops._helpers import convert
from tensorflux.ops.image_transform_ops import (
    IMAGE_DTYPES,
    _transform_op,
    flat_transforms_to_matrices,
    matrices_to_flat_transforms,
)
from tensorflux.ops.image_transform_ops import image_connected_components as _components_op


def _as_nhwc(images):
    """(4-D images, rank of the input); contrib's checks and messages."""
    if images.dtype.base_dtype not in IMAGE_DTYPES:
        raise TypeError("Invalid dtype %s." % images.dtype)
    rank = images.shape.ndims
    if rank is None:
        raise TypeError("image_or_images rank must be statically known")
    if rank == 2:
        return images[None, :, :, None], rank
    if rank == 3:
        return images[None], rank
    if rank == 4:
        return images, rank
    raise TypeError("Images should have rank between 2 and 4.")


def _from_nhwc(output, rank):
    if rank == 2:
        return output[0, :, :, 0]
    if rank == 3:
        return output[0]
    return output


def transform(images, transforms, interpolation="NEAREST", output_shape=None, name=None):
    """Applies projective transform(s) to the image(s); pixels mapped off the image become 0.

    A transform `[a0, a1, a2, b0, b1, b2, c0, c1]` maps each *output* point (x, y) to the
    *input* point `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)`, `k = c0 x + c1 y + 1`
    (the inverse of the map from input to output). No gradient reaches the transforms.

    Args:
        images: [N, H, W, C], [H, W, C] or [H, W]; uint8, int32, int64 or float.
        transforms: a vector of 8 or an [N, 8] matrix (one transform per image).
        interpolation: "NEAREST" or "BILINEAR".
        output_shape: [new_height, new_width] (default: the input's).
        name: the name scope (default "transform").

    Example:
        >>> shifted = tf.contrib.image.transform(images, [1., 0, -5, 0, 1, 0, 0, 0])
    """
    with graph_lib.name_scope(name, "transform"):
        images = convert(images, name="images")
        transforms = convert(transforms, dtype=dtypes.float32, name="transforms")
        batch, rank = _as_nhwc(images)
        if output_shape is None:
            # TF folds shape(images)[1:3] to a constant when the height and width are known.
            output_shape = batch.shape.as_list()[1:3]
            if None in output_shape:
                output_shape = array_ops.shape(batch)[1:3]
        output_shape = convert(output_shape, dtype=dtypes.int32, name="output_shape")
        if not output_shape.shape.is_compatible_with([2]):
            raise ValueError("output_shape must be a 1-D Tensor of 2 elements: "
                             "new_height, new_width")
        if transforms.shape.ndims == 1:
            transforms = transforms[None]
        elif transforms.shape.ndims is None:
            raise TypeError("transform_or_transforms rank must be statically known")
        elif transforms.shape.ndims != 2:
            raise TypeError("Transforms should have rank 1 or 2.")
        output = _transform_op(batch, transforms, output_shape, str(interpolation).upper(),
                               "CONSTANT", None)
        return _from_nhwc(output, rank)


def angles_to_projective_transforms(angles, image_height, image_width, name=None):
    """[N, 8] transforms that rotate images counter-clockwise about their centres (radians).

    Example:
        >>> t = tf.contrib.image.angles_to_projective_transforms(0.5, 28.0, 28.0)
    """
    with graph_lib.name_scope(name, "angles_to_projective_transforms"):
        angles = convert(angles, dtype=dtypes.float32, name="angles")
        if angles.shape.ndims == 0:
            angles = angles[None]
        elif angles.shape.ndims != 1:
            raise TypeError("Angles should have rank 0 or 1.")
        cos, sin = math_ops.cos(angles), math_ops.sin(angles)
        x_offset = ((image_width - 1) - (cos * (image_width - 1) - sin * (image_height - 1))) / 2.0
        y_offset = ((image_height - 1) - (sin * (image_width - 1) + cos * (image_height - 1))) / 2.0
        zeros = fill_ops.zeros(array_ops.stack([array_ops.shape(angles)[0], 2]), dtypes.float32)
        columns = [cos, -sin, x_offset, sin, cos, y_offset]
        return array_ops.concat([c[:, None] for c in columns] + [zeros], axis=1)


def translations_to_projective_transforms(translations, name=None):
    """[N, 8] transforms that shift images by `[dx, dy]` (one pair, or one per image).

    Example:
        >>> t = tf.contrib.image.translations_to_projective_transforms([3.0, -2.0])
    """
    with graph_lib.name_scope(name, "translations_to_projective_transforms"):
        translations = convert(translations, dtype=dtypes.float32, name="translations")
        rank = translations.shape.ndims
        if rank is None:
            raise TypeError("translation_or_translations rank must be statically known")
        if rank == 1:
            translations = translations[None]
        elif rank != 2:
            raise TypeError("Translations should have rank 1 or 2.")
        n = array_ops.shape(translations)[0]

        def column(value):
            return fill_ops.fill(array_ops.stack([n, 1]), constant_op.constant(value))

        return array_ops.concat([column(1.0), column(0.0), -translations[:, 0, None],
                                 column(0.0), column(1.0), -translations[:, 1, None],
                                 column(0.0), column(0.0)], axis=1)


def rotate(images, angles, interpolation="NEAREST", name=None):
    """Rotates image(s) counter-clockwise by `angles` (radians: a scalar, or one per image).

    Example:
        >>> turned = tf.contrib.image.rotate(images, 0.3, interpolation="BILINEAR")
    """
    with graph_lib.name_scope(name, "rotate"):
        images = convert(images)
        batch, rank = _as_nhwc(images)
        shape = array_ops.shape(batch)
        height = math_ops.cast(shape[1], dtypes.float32)[None]
        width = math_ops.cast(shape[2], dtypes.float32)[None]
        output = transform(batch, angles_to_projective_transforms(angles, height, width),
                           interpolation=interpolation)
        return _from_nhwc(output, rank)


def translate(images, translations, interpolation="NEAREST", name=None):
    """Shifts image(s) by `[dx, dy]` pixels (one pair, or [N, 2]); uncovered pixels are 0.

    Example:
        >>> moved = tf.contrib.image.translate(images, [2.0, -1.0])
    """
    with graph_lib.name_scope(name, "translate"):
        return transform(images, translations_to_projective_transforms(translations),
                         interpolation=interpolation)


def compose_transforms(*transforms):
    """One transform equal to applying the given ones in order (matrix product).

    Example:
        >>> t = tf.contrib.image.compose_transforms(rotation, shift)
    """
    assert transforms, "transforms cannot be empty"
    with graph_lib.name_scope(None, "compose_transforms"):
        composed = flat_transforms_to_matrices(transforms[0])
        for tr in transforms[1:]:
            composed = linalg_ops.matmul(composed, flat_transforms_to_matrices(tr))
        return matrices_to_flat_transforms(composed)


def connected_components(images):
    """Labels the 4-connected regions of equal nonzero value: ids 1..n across the batch, in
    order of each region's first pixel (image, row, col); zeros get 0. Not differentiable.

    Args:
        images: [H, W] or [N, H, W] (bool or numbers).

    Example:
        >>> tf.contrib.image.connected_components([[1, 1, 0, 1]])  # -> [[1, 1, 0, 2]]
    """
    with graph_lib.name_scope(None, "connected_components"):
        images = convert(images, name="images")
        rank = images.shape.ndims
        if rank not in (2, 3):
            raise TypeError("images should have rank 2 (HW) or 3 (NHW). Static shape is %s"
                            % images.shape)
        components = _components_op(images[None] if rank == 2 else images)
        return components[0] if rank == 2 else components
