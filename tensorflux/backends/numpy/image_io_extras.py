"""numpy kernels for ops/image_io_extras.py: ExtractGlimpse (TF 1.x's Eigen rules),
EncodeJpegVariableQuality and DecodeAndCropJpeg (Pillow), DecodeCompressed (zlib, gzip)."""

import gzip
import io
import re
import zlib

import numpy as np

from tensorflux import errors
from tensorflux.backends.numpy.image_ops import _as_bytes, _decode_jpeg_bytes, _pillow
from tensorflux.graph.operation import op_error
from tensorflux.ops.registry import kernel


def _glimpse_origin(y, x, h_in, w_in, height, width, centered, normalized):
    """The window's top-left pixel (truncated toward zero) for an offset, in float32 as TF
    1.x computes it (ExtractGlimpse, version 1)."""
    f = np.float32
    y, x = f(y), f(x)
    if normalized:
        x *= f(w_in)
        y *= f(h_in)
    if centered:
        x = x / f(2) + f(w_in) / f(2)
        y = y / f(2) + f(h_in) / f(2)
    x -= f(width) / f(2)
    y -= f(height) / f(2)
    return int(y), int(x)


@kernel("ExtractGlimpse")
def _extract_glimpse(op):
    centered = op._attrs["centered"]
    normalized = op._attrs["normalized"]
    noise = op._attrs["noise"] or ("uniform" if op._attrs["uniform_noise"] else "gaussian")

    def run(state, x, size, offsets):
        if x.ndim != 4:
            raise ValueError("input must be 4-dimensional%s" % (list(x.shape),))
        size = np.asarray(size).reshape(-1)
        if size.shape != (2,):
            raise ValueError("input must be a vector of size 2 (height, width)")
        if offsets.ndim != 2 or offsets.shape != (x.shape[0], 2):
            raise ValueError("input must be a matrix of shape [%d, 2], got %s"
                             % (x.shape[0], list(offsets.shape)))
        height, width = int(size[0]), int(size[1])
        if height <= 0 or width <= 0:
            raise ValueError("the glimpse size must be positive, got %s" % size.tolist())
        n, h_in, w_in, c = x.shape
        out = np.zeros((n, height, width, c), np.float32)
        rng = state.rngs.setdefault(op.name, np.random.default_rng())
        for i in range(n):
            oy, ox = _glimpse_origin(float(offsets[i, 0]), float(offsets[i, 1]), h_in, w_in,
                                     height, width, centered, normalized)
            partial = not (0 <= ox and ox + width < w_in and 0 <= oy and oy + height < h_in)
            if partial:
                out[i] = _noise(noise, x[i], (height, width, c), rng)
            # The part of the window inside the image (TF's slice/base offsets).
            y0, x0 = max(oy, 0), max(ox, 0)
            y1, x1 = min(oy + height, h_in), min(ox + width, w_in)
            if y1 > y0 and x1 > x0:
                out[i, y0 - oy:y1 - oy, x0 - ox:x1 - ox] = x[i, y0:y1, x0:x1]
        return out
    return run


def _noise(kind, image, shape, rng):
    if kind == "zero":
        return np.zeros(shape, np.float32)
    if kind == "uniform":
        lo, hi = float(image.min()), float(image.max())
        return (lo + rng.random(shape) * (hi - lo)).astype(np.float32)
    mean = image.mean(axis=(0, 1))
    sigma = image.std(axis=(0, 1))
    return (mean + rng.standard_normal(shape) * sigma).astype(np.float32)


@kernel("EncodeJpegVariableQuality")
def _encode_jpeg_variable_quality(op):
    def run(image, quality):
        quality = int(quality)
        if not 0 <= quality <= 100:
            raise ValueError("quality must be in [0,100], got %d" % quality)
        if image.ndim != 3 or image.shape[-1] not in (1, 3):
            raise ValueError("image must have 1 or 3 channels, got %s" % list(image.shape))
        pil = _pillow().fromarray(image[..., 0] if image.shape[-1] == 1 else image)
        buf = io.BytesIO()
        pil.save(buf, format="JPEG", quality=max(quality, 1))
        return np.array(buf.getvalue(), dtype=object)
    return run


@kernel("DecodeAndCropJpeg")
def _decode_and_crop_jpeg(op):
    channels = op._attrs["channels"]

    def run(contents, crop):
        crop = np.asarray(crop).reshape(-1)
        if crop.shape != (4,):
            raise ValueError("crop_window must be shape [4], got %s" % list(crop.shape))
        image = _decode_jpeg_bytes(_as_bytes(contents), channels)
        y, x, h, w = (int(v) for v in crop)
        if h <= 0 or w <= 0 or y < 0 or x < 0 or y + h > image.shape[0] or \
                x + w > image.shape[1]:
            raise ValueError("jpeg::Uncompress failed. Invalid JPEG data or crop window.")
        return np.ascontiguousarray(image[y:y + h, x:x + w])
    return run


@kernel("DecodeCompressed")
def _decode_compressed(op):
    kind = op._attrs["compression_type"]

    def one(data):
        data = _as_bytes(data)
        if kind == "ZLIB":
            return zlib.decompress(data)
        if kind == "GZIP":
            return gzip.decompress(data)
        return data

    def run(strings):
        strings = np.asarray(strings, dtype=object)
        out = np.empty(strings.shape, dtype=object)
        for idx in np.ndindex(strings.shape):
            try:
                out[idx] = one(strings[idx])
            except (zlib.error, OSError, EOFError) as e:
                m = re.match(r"Error (-?\d+) while decompressing data: (.*)", str(e))
                msg = "inflate() failed with error %s: %s" % m.groups() if m else \
                    "inflate() failed: %s" % e
                raise op_error(errors.DataLossError, op, msg) from None
        return out
    return run
