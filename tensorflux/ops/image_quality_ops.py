"""Image measures of `tf.image`: total variation, finite-difference and Sobel gradients, PSNR and
SSIM. All are compositions of ordinary ops (slices, depthwise convolutions, reductions), as in
TF, so their gradients come for free.
"""

import numpy as np

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import (
    array_ops,
    constant_op,
    conv_ops,
    manip_ops,
    math_ops,
    pad_ops,
    reduction_ops,
)
from tensorflux.ops._helpers import convert
from tensorflux.ops.image_ops import _check, convert_image_dtype

_SOBEL = [[[-1, -2, -1], [0, 0, 0], [1, 2, 1]],  # d/dy
          [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]]  # d/dx


def total_variation(images, name=None):
    """Sum of absolute differences of neighbouring pixels, per image (a scalar for 3-D input).

    Example:
        >>> loss = tf.reduce_sum(tf.image.total_variation(images))
    """
    with graph_lib.name_scope(name, "total_variation", [images]):
        images = convert(images, name="images")
        ndims = images.shape.ndims
        if ndims == 3:
            down = images[1:, :, :] - images[:-1, :, :]
            right = images[:, 1:, :] - images[:, :-1, :]
            axis = None
        elif ndims == 4:
            down = images[:, 1:, :, :] - images[:, :-1, :, :]
            right = images[:, :, 1:, :] - images[:, :, :-1, :]
            axis = [1, 2, 3]
        else:
            raise ValueError("'images' must be either 3 or 4-dimensional.")
        return (reduction_ops.reduce_sum(math_ops.abs(down), axis=axis)
                + reduction_ops.reduce_sum(math_ops.abs(right), axis=axis))


def image_gradients(image):
    """Forward differences `(dy, dx)` of a [batch, H, W, C] batch, zero in the last row/column.

    Example:
        >>> dy, dx = tf.image.image_gradients(images)
    """
    image = convert(image, name="image")
    if image.shape.ndims != 4:
        raise ValueError("image_gradients expects a 4D tensor [batch_size, h, w, d], not {}."
                         .format(image.shape))
    dy = image[:, 1:, :, :] - image[:, :-1, :, :]
    dx = image[:, :, 1:, :] - image[:, :, :-1, :]
    dy = array_ops.concat([dy, array_ops.zeros_like(image[:, :1, :, :])], 1)
    dx = array_ops.concat([dx, array_ops.zeros_like(image[:, :, :1, :])], 2)
    return dy, dx


def sobel_edges(image):
    """Sobel responses `[batch, H, W, C, 2]` (d/dy then d/dx) with reflected borders.

    Example:
        >>> edges = tf.image.sobel_edges(images)  # edges[..., 0] vertical, [..., 1] horizontal
    """
    image = convert(image, name="image")
    static_shape = image.shape
    shape = array_ops.shape(image)
    # [3, 3, 1, 2] filters, repeated for every input channel.
    filters = np.expand_dims(np.transpose(np.asarray(_SOBEL), (1, 2, 0)), -2)
    filters = constant_op.constant(filters, dtype=image.dtype.base_dtype)
    filters = manip_ops.tile(filters, array_ops.stack([1, 1, shape[-1], 1]),
                             name="sobel_filters")
    padded = pad_ops.pad(image, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="REFLECT")
    out = conv_ops.depthwise_conv2d(padded, filters, [1, 1, 1, 1], "VALID")
    out = array_ops.reshape(out, array_ops.concat([shape, [len(_SOBEL)]], 0))
    out.set_shape(static_shape.concatenate([len(_SOBEL)]))
    return out


def _check_pair(img1, img2):
    """Both at least 3-D with compatible [H, W, C] (TF's _verify_compatible_image_shapes)."""
    for img in (img1, img2):
        if img.shape.ndims is not None and img.shape.ndims < 3:
            raise ValueError("Shape must be at least rank 3 but is rank %d" % img.shape.ndims)
    if img1.shape.ndims is not None and img2.shape.ndims is not None:
        img1.shape[-3:].assert_is_compatible_with(img2.shape[-3:])


def _float_max(max_val, dtype):
    """`max_val` of the image dtype, on the [0, 1] float scale of `convert_image_dtype`."""
    return convert_image_dtype(math_ops.cast(max_val, dtype), dtypes.float32)


def psnr(a, b, max_val, name=None):
    """Peak signal-to-noise ratio in dB between image batches, one value per image.

    Example:
        >>> db = tf.image.psnr(images, reconstructions, max_val=1.0)
    """
    with graph_lib.name_scope(name, "PSNR", [a, b]):
        a, b = convert(a, name="a"), convert(b, name="b")
        _check_pair(a, b)
        max_val = _float_max(max_val, a.dtype.base_dtype)
        a = convert_image_dtype(a, dtypes.float32)
        b = convert_image_dtype(b, dtypes.float32)
        mse = reduction_ops.reduce_mean(math_ops.squared_difference(a, b), [-3, -2, -1])
        peak = 20 * math_ops.log(max_val) / math_ops.log(10.0)
        return math_ops.subtract(peak, np.float32(10 / np.log(10)) * math_ops.log(mse),
                                 name="psnr")


def _gaussian_window(size, sigma):
    """The normalised [size, size, 1, 1] Gaussian window of SSIM."""
    coords = np.arange(size, dtype=np.float64) - (size - 1) / 2.0
    g = np.exp(-0.5 * (coords[None, :] ** 2 + coords[:, None] ** 2) / sigma ** 2)
    return (g / g.sum()).astype(np.float32).reshape(size, size, 1, 1)


def _ssim_per_channel(img1, img2, max_val, filter_size, filter_sigma, k1, k2):
    """Mean SSIM over [H, W] per channel (luminance x contrast-structure, MATLAB's c2)."""
    for img in (img1, img2):
        hw = img.shape.as_list()[-3:-1] if img.shape.ndims is not None else [None, None]
        for d in hw:
            if d is not None:
                _check(d >= filter_size, "Image dimensions %s are smaller than the filter size "
                       "%d." % (hw, filter_size))
    window = _gaussian_window(filter_size, filter_sigma)
    depth = img1.shape.as_list()[-1] if img1.shape.ndims is not None else None
    if depth is not None:
        window = constant_op.constant(np.tile(window, [1, 1, depth, 1]))
    else:
        window = manip_ops.tile(constant_op.constant(window),
                                array_ops.stack([1, 1, array_ops.shape(img1)[-1], 1]))

    def blur(x):
        if x.shape.ndims == 4:  # the common case: no reshapes, static shapes kept
            return conv_ops.depthwise_conv2d(x, window, [1, 1, 1, 1], "VALID")
        xs = array_ops.shape(x)
        flat = array_ops.reshape(x, array_ops.concat([[-1], xs[-3:]], 0))
        y = conv_ops.depthwise_conv2d(flat, window, [1, 1, 1, 1], "VALID")
        return array_ops.reshape(y, array_ops.concat([xs[:-3], array_ops.shape(y)[1:]], 0))

    c1 = math_ops.square(k1 * max_val)
    c2 = math_ops.square(k2 * max_val)
    mean1, mean2 = blur(img1), blur(img2)
    num0 = mean1 * mean2 * 2.0
    den0 = math_ops.square(mean1) + math_ops.square(mean2)
    luminance = (num0 + c1) / (den0 + c1)
    num1 = blur(img1 * img2) * 2.0
    den1 = blur(math_ops.square(img1) + math_ops.square(img2))
    contrast_structure = (num1 - num0 + c2) / (den1 - den0 + c2)
    return reduction_ops.reduce_mean(luminance * contrast_structure, [-3, -2])


def ssim(img1, img2, max_val, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03):
    """Structural similarity (Wang et al. 2004) between image batches, one value per image.

    Example:
        >>> score = tf.image.ssim(images, reconstructions, max_val=1.0)
    """
    with graph_lib.name_scope(None, "SSIM", [img1, img2]):
        img1, img2 = convert(img1, name="img1"), convert(img2, name="img2")
        _check_pair(img1, img2)
        max_val = _float_max(max_val, img1.dtype.base_dtype)
        img1 = convert_image_dtype(img1, dtypes.float32)
        img2 = convert_image_dtype(img2, dtypes.float32)
        per_channel = _ssim_per_channel(img1, img2, max_val, int(filter_size),
                                        float(filter_sigma), k1, k2)
        return reduction_ops.reduce_mean(per_channel, [-1])
