"""Image and byte-coding ops: `ExtractGlimpse`, `EncodeJpegVariableQuality`,
`DecodeAndCropJpeg`, `DecodeCompressed`, and the functions built on them
(`tf.image.extract_glimpse`, `adjust_jpeg_quality`, `random_jpeg_quality`,
`ssim_multiscale`, `tf.io.decode_and_crop_jpeg`, `tf.io.decode_compressed`)."""

import numpy as np

from tensorflux import errors
from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor_shape import TensorShape as TS
from tensorflux.ops import (
    array_ops,
    constant_op,
    conv_ops,
    image_ops,
    manip_ops,
    math_ops,
    nn_ops,
    pad_ops,
    pool_ops,
    random_ops,
    reduction_ops,
    registry,
)
from tensorflux.ops._helpers import convert
from tensorflux.ops.constant_op import constant_value
from tensorflux.ops.image_quality_ops import _check_pair, _gaussian_window
from tensorflux.ops.registry import NOT_DIFFERENTIABLE as ND
from tensorflux.ops.registry import ShapeError


def _rank(t, rank, what=None):
    if t.shape.ndims is not None and t.shape.ndims != rank:
        raise ShapeError("Shape must be rank %d but is rank %d" % (rank, t.shape.ndims))


# --- ExtractGlimpse --------------------------------------------------------------------------
def _glimpse_shape(op):
    x, size, offsets = op.inputs
    _rank(x, 4)
    _rank(size, 1)
    _rank(offsets, 2)
    if size.shape.ndims == 1 and size.shape[0].value not in (None, 2):
        raise ShapeError("Dimension must be 2 but is %d" % size.shape[0].value)
    if offsets.shape.ndims == 2 and offsets.shape[1].value not in (None, 2):
        raise ShapeError("Dimension must be 2 but is %d" % offsets.shape[1].value)
    batch = x.shape[0].value if x.shape.ndims else None
    n_off = offsets.shape[0].value if offsets.shape.ndims else None
    if batch is not None and n_off is not None and batch != n_off:
        raise ShapeError("Dimensions must be equal, but are %d and %d" % (batch, n_off))
    hw = constant_value(size)
    hw = [None, None] if hw is None else [int(v) for v in hw]
    channels = x.shape[3].value if x.shape.ndims else None
    return [(dtypes.float32, TS([batch if batch is not None else n_off] + hw + [channels]))]


registry.register("ExtractGlimpse", shape=_glimpse_shape, grad=ND, stateful=True)


def extract_glimpse(input, size, offsets, centered=True, normalized=True,  # noqa: A002
                    uniform_noise=True, name=None, noise=None):
    """Windows of `size` [height, width] from each image of the [N, H, W, C] float32 batch,
    at `offsets` [N, 2] ((y, x) per image; TF 1.x's `ExtractGlimpse` rules).

    `centered`: offsets are relative to the image centre, in [-1, 1] when `normalized`;
    otherwise relative to the top-left corner (in [0, 1] when `normalized`, pixels when not),
    and the offset is the window's centre. Window pixels outside the image are noise:
    uniform between the image's min and max (`uniform_noise`), else Gaussian with each
    channel's mean and standard deviation. `noise` ("uniform", "gaussian" or "zero", TF 2's
    attribute) overrides `uniform_noise`; "zero" makes the result deterministic.

    Example:
        >>> tf.image.extract_glimpse(images, [8, 8], [[0.0, 0.0]] * batch, noise="zero")
    """
    if noise is None:
        noise = "uniform" if uniform_noise else "gaussian"
    elif noise not in ("uniform", "gaussian", "zero"):
        raise ValueError("noise must be one of 'uniform', 'gaussian' or 'zero', got %r"
                         % (noise,))
    elif uniform_noise and noise != "uniform":
        raise ValueError("The uniform_noise and noise should not be specified at the same "
                         "time")
    g = graph_lib._graph_from_values([input, size, offsets])
    with g.as_default(), g.name_scope(name or "ExtractGlimpse") as scope:
        x = convert(input, dtype=dtypes.float32, name="input")
        size = convert(size, dtype=dtypes.int32, name="size")
        offsets = convert(offsets, dtype=dtypes.float32, name="offsets")
        return registry.make_tensor("ExtractGlimpse", [x, size, offsets], {
            "centered": bool(centered), "normalized": bool(normalized),
            "uniform_noise": bool(uniform_noise), "noise": noise}, name=scope)


# --- JPEG quality ----------------------------------------------------------------------------
def _encode_quality_shape(op):
    _rank(op.inputs[0], 3)
    _rank(op.inputs[1], 0)
    return [(dtypes.string, TS([]))]


registry.register("EncodeJpegVariableQuality", shape=_encode_quality_shape, grad=ND)


def encode_jpeg_variable_quality(images, quality, name=None):
    """JPEG bytes of a [H, W, 1|3] uint8 image at `quality` (an int32 tensor in [0, 100])."""
    g = graph_lib._graph_from_values([images, quality])
    with g.as_default(), g.name_scope(name or "EncodeJpegVariableQuality") as scope:
        images = convert(images, dtype=dtypes.uint8, name="images")
        quality = convert(quality, dtype=dtypes.int32, name="quality")
        return registry.make_tensor("EncodeJpegVariableQuality", [images, quality], {},
                                    name=scope)


def adjust_jpeg_quality(image, jpeg_quality, dct_method="", name=None):
    """`image` ([H, W, C], C None, 1 or 3) encoded as JPEG at `jpeg_quality` and decoded again,
    in its own dtype: JPEG compression artefacts as a data augmentation.

    Example:
        >>> tf.image.adjust_jpeg_quality(image, 30)
    """
    with graph_lib.name_scope(name, "adjust_jpeg_quality", [image]):
        image = convert(image, name="image")
        channels = image.shape.as_list()[-1] if image.shape.ndims else None
        if channels not in (None, 1, 3):  # (TF: DecodeJpeg's channels attribute)
            raise errors.InvalidArgumentError(
                None, None, "`channels` must be 0, 1, 3 or 4 but got %d" % channels)
        orig_dtype = image.dtype.base_dtype
        image = image_ops.convert_image_dtype(image, dtypes.uint8, saturate=True)
        jpeg_quality = convert(jpeg_quality, dtype=dtypes.int32)
        image = encode_jpeg_variable_quality(image, jpeg_quality)
        image = image_ops.decode_jpeg(image, channels=channels or 0, dct_method=dct_method)
        return image_ops.convert_image_dtype(image, orig_dtype, saturate=True)


def random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed=None):
    """`adjust_jpeg_quality` at a quality drawn uniformly from [min, max).

    Example:
        >>> tf.image.random_jpeg_quality(image, 40, 90)
    """
    if (min_jpeg_quality < 0 or max_jpeg_quality < 0 or min_jpeg_quality > 100
            or max_jpeg_quality > 100):
        raise ValueError("jpeg encoding range must be between 0 and 100.")
    if min_jpeg_quality >= max_jpeg_quality:
        raise ValueError("`min_jpeg_quality` must be less than `max_jpeg_quality`.")
    quality = random_ops.random_uniform([], min_jpeg_quality, max_jpeg_quality, seed=seed,
                                        dtype=dtypes.int32)
    return adjust_jpeg_quality(image, quality)


# --- DecodeAndCropJpeg -----------------------------------------------------------------------
def _decode_crop_shape(op):
    _rank(op.inputs[0], 0)
    _rank(op.inputs[1], 1)
    crop = constant_value(op.inputs[1])
    hw = [None, None] if crop is None or len(crop) != 4 else [int(crop[2]), int(crop[3])]
    return [(dtypes.uint8, TS(hw + [op._attrs["channels"] or None]))]


registry.register("DecodeAndCropJpeg", shape=_decode_crop_shape, grad=ND)


def decode_and_crop_jpeg(contents, crop_window, channels=0, ratio=1, fancy_upscaling=True,
                         try_recover_truncated=False, acceptable_fraction=1, dct_method="",
                         name=None):
    """The `crop_window` [y, x, height, width] of a JPEG image, as `decode_jpeg` then a crop.

    Example:
        >>> tf.io.decode_and_crop_jpeg(tf.io.read_file(path), [10, 20, 64, 64], channels=3)
    """
    if channels not in (0, 1, 3):
        raise ValueError("channels must be 0, 1 or 3, got %r" % (channels,))
    if ratio != 1:
        raise NotImplementedError("decode_and_crop_jpeg(ratio=%r) is not supported" % (ratio,))
    g = graph_lib._graph_from_values([contents, crop_window])
    with g.as_default(), g.name_scope(name or "DecodeAndCropJpeg") as scope:
        contents = convert(contents, dtype=dtypes.string, name="contents")
        crop_window = convert(crop_window, dtype=dtypes.int32, name="crop_window")
        return registry.make_tensor("DecodeAndCropJpeg", [contents, crop_window], {
            "channels": int(channels), "ratio": 1, "fancy_upscaling": bool(fancy_upscaling),
            "try_recover_truncated": bool(try_recover_truncated),
            "acceptable_fraction": float(acceptable_fraction), "dct_method": dct_method},
            name=scope)


# --- DecodeCompressed ------------------------------------------------------------------------
registry.register("DecodeCompressed",
                  shape=lambda op: [(dtypes.string, op.inputs[0].shape)], grad=ND)


def decode_compressed(bytes, compression_type="", name=None):  # noqa: A002 - TF's keyword
    """Decompresses each string of `bytes` ("ZLIB" or "GZIP"; "" leaves them as they are).

    Example:
        >>> tf.io.decode_compressed(zlib_strings, compression_type="ZLIB")
    """
    if compression_type not in ("", "ZLIB", "GZIP"):
        raise ValueError("compression_type must be '', 'ZLIB' or 'GZIP', got %r"
                         % (compression_type,))
    g = graph_lib._graph_from_values([bytes])
    with g.as_default(), g.name_scope(name or "DecodeCompressed") as scope:
        data = convert(bytes, dtype=dtypes.string, name="bytes")
        return registry.make_tensor("DecodeCompressed", [data],
                                    {"compression_type": compression_type}, name=scope)


# --- ssim_multiscale -------------------------------------------------------------------------
_MSSSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


def _ssim_and_cs(img1, img2, max_val, filter_size, filter_sigma, k1, k2):
    """Per-channel SSIM and contrast-structure means over [H, W] (TF's _ssim_per_channel)."""
    window = constant_op.constant(_gaussian_window(filter_size, filter_sigma))
    window = manip_ops.tile(window, array_ops.stack([1, 1, array_ops.shape(img1)[-1], 1]))

    def reducer(x):
        shape = array_ops.shape(x)
        x = array_ops.reshape(x, array_ops.concat([[-1], shape[-3:]], 0))
        y = conv_ops.depthwise_conv2d(x, window, [1, 1, 1, 1], "VALID")
        return array_ops.reshape(y, array_ops.concat([shape[:-3], array_ops.shape(y)[1:]], 0))

    c1 = math_ops.square(k1 * max_val)
    c2 = math_ops.square(k2 * max_val)
    mean0, mean1 = reducer(img1), reducer(img2)
    num0 = mean0 * mean1 * 2.0
    den0 = math_ops.square(mean0) + math_ops.square(mean1)
    luminance = (num0 + c1) / (den0 + c1)
    num1 = reducer(img1 * img2) * 2.0
    den1 = reducer(math_ops.square(img1) + math_ops.square(img2))
    cs = (num1 - num0 + c2) / (den1 - den0 + c2)
    return (reduction_ops.reduce_mean(luminance * cs, [-3, -2]),
            reduction_ops.reduce_mean(cs, [-3, -2]))


def _static_tail(img):
    if img.shape.ndims is None or not img.shape[-3:].is_fully_defined():
        return None
    return img.shape.as_list()[-3:]


def ssim_multiscale(img1, img2, max_val, power_factors=_MSSSIM_WEIGHTS, filter_size=11,
                    filter_sigma=1.5, k1=0.01, k2=0.03):
    """Multi-scale SSIM (Wang, Simoncelli & Bovik 2003) between image batches [..., H, W, C]:
    SSIM's contrast-structure term at `len(power_factors)` scales (each a 2x2 average pool of
    the last, odd sizes padded symmetrically) and full SSIM at the coarsest, combined as
    prod(term_i ** power_factors[i]); one value per image.

    Example:
        >>> score = tf.image.ssim_multiscale(images, reconstructions, max_val=1.0)
    """
    with graph_lib.name_scope(None, "MS-SSIM", [img1, img2]):
        img1, img2 = convert(img1, name="img1"), convert(img2, name="img2")
        for img in (img1, img2):
            if img.shape.ndims is not None and img.shape.ndims < 3:
                raise ValueError("Shape %s must have rank at least 3" % (img.shape,))
        _check_pair(img1, img2)
        max_val = image_ops.convert_image_dtype(math_ops.cast(max_val, img1.dtype),
                                                dtypes.float32)
        img1 = image_ops.convert_image_dtype(img1, dtypes.float32)
        img2 = image_ops.convert_image_dtype(img2, dtypes.float32)
        imgs = [img1, img2]
        heads = [array_ops.shape(x)[:-3] for x in imgs]
        divisor = [1, 2, 2, 1]
        mcs = []
        for k in range(len(power_factors)):
            with graph_lib.name_scope(None, "Scale%d" % k, imgs):
                if k > 0:
                    imgs = [_downscale(x, h, divisor) for x, h in zip(imgs, heads)]
                ssim_per_channel, cs = _ssim_and_cs(*imgs, max_val, int(filter_size),
                                                    float(filter_sigma), k1, k2)
                mcs.append(nn_ops.relu(cs))
        mcs.pop()  # the last scale contributes its full SSIM instead
        terms = array_ops.stack(mcs + [nn_ops.relu(ssim_per_channel)], axis=-1)
        factors = constant_op.constant(np.asarray(power_factors, np.float32))
        ms_ssim = reduction_ops.reduce_prod(math_ops.pow(terms, factors), [-1])
        out = reduction_ops.reduce_mean(ms_ssim, [-1])
        if img1.shape.ndims is not None:
            out.set_shape(img1.shape[:-3])
        return out


def _downscale(x, head, divisor):
    """A 2x2 average pool over [H, W] of [..., H, W, C], odd sizes padded symmetrically."""
    tail = _static_tail(x)
    if tail is not None:
        flat = array_ops.reshape(x, [-1] + tail)
        rem = [t % d for t, d in zip(tail, divisor[1:])]
        if any(rem):
            flat = pad_ops.pad(flat, [[0, 0]] + [[0, r] for r in rem], mode="SYMMETRIC")
    else:
        tail_t = array_ops.shape(x)[-3:]
        flat = array_ops.reshape(x, array_ops.concat([[-1], tail_t], 0))
        rem = math_ops.floormod(tail_t, constant_op.constant(divisor[1:], dtypes.int32))
        paddings = array_ops.concat([[[0, 0]], array_ops.stack([0 * rem, rem], axis=1)], 0)
        flat = pad_ops.pad(flat, paddings, mode="SYMMETRIC")
    pooled = pool_ops.avg_pool(flat, ksize=divisor, strides=divisor, padding="VALID")
    return array_ops.reshape(pooled, array_ops.concat([head, array_ops.shape(pooled)[1:]], 0))
