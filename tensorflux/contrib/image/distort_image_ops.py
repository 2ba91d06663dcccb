"""`tf.contrib.image.adjust_hsv_in_yiq` and `random_hsv_in_yiq`: hue, saturation and value
changes done as one linear map of RGB through YIQ space.

Each RGB pixel `p` becomes `M p` with `M = YIQ^-1 · H · YIQ`, where `H` rotates the chroma
(I, Q) by `delta_hue` radians, scales it by `scale_saturation`, and scales all of Y, I, Q by
`scale_value` (the matrices and their rounding are those of TF's `AdjustHsvInYiq` kernel).
Built from public ops on float32, so unlike TF's kernel it is differentiable.

Example:
    >>> warmer = tf.contrib.image.adjust_hsv_in_yiq(images, delta_hue=0.2)
"""

import numpy as np

import tensorflux as tf
from tensorflux.graph import graph as graph_lib

_YIQ = np.array([[0.299, 0.587, 0.114],
                 [0.596, -0.274, -0.322],
                 [0.211, -0.523, 0.312]], np.float32)
_YIQ_INVERSE = np.array([[1.0, 0.95617069, 0.62143257],
                         [1.0, -0.2726886, -0.64681324],
                         [1.0, -1.103744, 1.70062309]], np.float32)


def _transformation_matrix(delta_h, scale_s, scale_v):
    """`M = YIQ^-1 · H · YIQ` (float32), built from the three scalars."""
    delta_h = tf.cast(delta_h, tf.float32)
    scale_s = tf.cast(scale_s, tf.float32)
    scale_v = tf.cast(scale_v, tf.float32)
    vsu = scale_v * scale_s * tf.cos(delta_h)
    vsw = scale_v * scale_s * tf.sin(delta_h)
    zero = tf.zeros([], tf.float32)
    hsv_transform = tf.stack([tf.stack([scale_v, zero, zero]),
                              tf.stack([zero, vsu, -vsw]),
                              tf.stack([zero, vsw, vsu])])
    return tf.matmul(tf.matmul(tf.constant(_YIQ_INVERSE), hsv_transform), tf.constant(_YIQ))


def adjust_hsv_in_yiq(image, delta_hue=0, scale_saturation=1, scale_value=1, name=None):
    """Rotates the hue by `delta_hue` radians and scales saturation and value, in YIQ space.

    Args:
        image: RGB image(s), rank >= 3, last dimension 3; any image dtype (converted to
            float32 and back with `convert_image_dtype`).
        delta_hue, scale_saturation, scale_value: scalars (Python numbers or tensors).
        name: name scope of the ops.

    Returns:
        The adjusted image(s), same shape and dtype as `image`.

    Example:
        >>> gray = adjust_hsv_in_yiq(images, scale_saturation=0.0)
    """
    with graph_lib.name_scope(name, "adjust_hsv_in_yiq", [image]):
        image = tf.convert_to_tensor(image, name="image")
        rank = image.get_shape().ndims
        if rank is not None and rank < 3:
            raise ValueError("Shape must be at least rank 3 but is rank %d for "
                             "'adjust_hsv_in_yiq' with input shape %s." % (rank, image.shape))
        orig_dtype = image.dtype
        flt_image = tf.image.convert_image_dtype(image, tf.float32)
        matrix = _transformation_matrix(delta_hue, scale_saturation, scale_value)
        rgb_altered = tf.tensordot(flt_image, tf.transpose(matrix), axes=1)
        rgb_altered.set_shape(flt_image.get_shape())
        return tf.image.convert_image_dtype(rgb_altered, orig_dtype)


def random_hsv_in_yiq(image, max_delta_hue=0, lower_saturation=1, upper_saturation=1,
                      lower_value=1, upper_value=1, seed=None):
    """`adjust_hsv_in_yiq` with a hue shift drawn from `[-max_delta_hue, max_delta_hue]` and
    scales drawn from `[lower_saturation, upper_saturation]` and `[lower_value, upper_value]`
    (a bound pair that is equal draws nothing).

    Example:
        >>> augmented = random_hsv_in_yiq(images, max_delta_hue=0.3, lower_saturation=0.7,
        ...                               upper_saturation=1.3)
    """
    if max_delta_hue < 0:
        raise ValueError("max_delta must be non-negative.")
    if lower_saturation < 0:
        raise ValueError("lower_saturation must be non-negative.")
    if lower_value < 0:
        raise ValueError("lower_value must be non-negative.")
    if lower_saturation > upper_saturation:
        raise ValueError("lower_saturation must be < upper_saturation.")
    if lower_value > upper_value:
        raise ValueError("lower_value must be < upper_value.")
    if max_delta_hue == 0:
        delta_hue = 0
    else:
        delta_hue = tf.random_uniform([], -max_delta_hue, max_delta_hue, seed=seed)
    if lower_saturation == upper_saturation:
        scale_saturation = lower_saturation
    else:
        scale_saturation = tf.random_uniform([], lower_saturation, upper_saturation, seed=seed)
    if lower_value == upper_value:
        scale_value = lower_value
    else:
        scale_value = tf.random_uniform([], lower_value, upper_value, seed=seed)
    return adjust_hsv_in_yiq(image, delta_hue, scale_saturation, scale_value)
