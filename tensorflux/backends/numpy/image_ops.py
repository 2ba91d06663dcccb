"""numpy kernels for the image ops: the resize family and PNG encode/decode.

Every resize kernel here is separable: output = Wy · image · Wxᵀ per channel, where Wy
([out_h, in_h]) and Wx ([out_w, in_w]) hold TF's per-axis sampling weights, computed in float32
exactly as TF's kernels compute their source positions. A gradient kernel is the transpose of
the same two matrices, so forward and backward can never disagree.
"""

import numpy as np

from tensorflux.ops import registry
from tensorflux.utils import png

_TABLE_SIZE = 1024


def _scale(in_size, out_size, align_corners):
    if align_corners and out_size > 1:
        return np.float32(in_size - 1) / np.float32(out_size - 1)
    return np.float32(in_size) / np.float32(out_size)


def _bilinear_weights(in_size, out_size, align_corners, half_pixel):
    scale = _scale(in_size, out_size, align_corners)
    i = np.arange(out_size, dtype=np.float32)
    pos = (i + np.float32(0.5)) * scale - np.float32(0.5) if half_pixel else i * scale
    low_f = np.floor(pos)
    lower = np.maximum(low_f.astype(np.int64), 0)
    upper = np.minimum(np.ceil(pos).astype(np.int64), in_size - 1)
    lerp = (pos - low_f).astype(np.float32)
    w = np.zeros((out_size, in_size), np.float32)
    rows = np.arange(out_size)
    np.add.at(w, (rows, lower), 1 - lerp)
    np.add.at(w, (rows, upper), lerp)
    return w


def _nearest_index(in_size, out_size, align_corners, half_pixel):
    scale = _scale(in_size, out_size, align_corners)
    i = np.arange(out_size, dtype=np.float32)
    pos = (i + np.float32(0.5)) * scale if half_pixel else i * scale
    idx = np.round(pos) if align_corners else np.floor(pos)
    idx = np.minimum(idx.astype(np.int64), in_size - 1)
    return np.maximum(idx, 0) if half_pixel else idx


def _nearest_weights(in_size, out_size, align_corners, half_pixel):
    w = np.zeros((out_size, in_size), np.float32)
    w[np.arange(out_size), _nearest_index(in_size, out_size, align_corners, half_pixel)] = 1
    return w


def _cubic_table(a):
    x = np.arange(_TABLE_SIZE + 1, dtype=np.float32) / np.float32(_TABLE_SIZE)
    a = np.float32(a)
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    x1 = x + np.float32(1.0)
    far = ((a * x1 - 5 * a) * x1 + 8 * a) * x1 - 4 * a
    return near.astype(np.float32), far.astype(np.float32)


def _bicubic_weights(in_size, out_size, align_corners, half_pixel):
    scale = _scale(in_size, out_size, align_corners)
    near, far = _cubic_table(-0.5 if half_pixel else -0.75)
    i = np.arange(out_size, dtype=np.float32)
    pos = (i + np.float32(0.5)) * scale - np.float32(0.5) if half_pixel else i * scale
    base = np.floor(pos).astype(np.int64)
    delta = (pos - np.floor(pos)).astype(np.float32)
    offset = np.rint(delta * _TABLE_SIZE).astype(np.int64)
    taps = [(base - 1, far[offset]), (base, near[offset]),
            (base + 1, near[_TABLE_SIZE - offset]), (base + 2, far[_TABLE_SIZE - offset])]
    w = np.zeros((out_size, in_size), np.float32)
    rows = np.arange(out_size)
    if half_pixel:
        # Keys' kernel: taps outside the image get no weight; the rest are renormalised.
        weights = np.stack([np.where((k >= 0) & (k < in_size), wt, 0) for k, wt in taps])
        total = weights.sum(axis=0)
        ok = np.abs(total) >= 1000.0 * np.finfo(np.float32).tiny
        weights = np.where(ok, weights / np.where(ok, total, 1), weights)
        for (k, _), wt in zip(taps, weights):
            np.add.at(w, (rows, np.clip(k, 0, in_size - 1)), wt.astype(np.float32))
    else:
        for k, wt in taps:
            np.add.at(w, (rows, np.clip(k, 0, in_size - 1)), wt)
    return w


def _area_weights(in_size, out_size, align_corners, half_pixel):
    scale = _scale(in_size, out_size, align_corners)
    w = np.zeros((out_size, in_size), np.float32)
    for y in range(out_size):
        lo = np.float32(y) * scale
        hi = np.float32(y + 1) * scale
        for i in range(int(np.floor(lo)), int(np.ceil(hi))):
            part = min(np.float32(i + 1), hi) - max(np.float32(i), lo)
            w[y, min(max(i, 0), in_size - 1)] += part
    return w / scale


_WEIGHTS = {"ResizeBilinear": _bilinear_weights, "ResizeNearestNeighbor": _nearest_weights,
            "ResizeBicubic": _bicubic_weights, "ResizeArea": _area_weights}


def _check_size(size):
    size = np.asarray(size).reshape(-1)
    if size.shape != (2,):
        raise ValueError("shape_t must be 1-dimensional %s" % list(size.shape))
    out_h, out_w = int(size[0]), int(size[1])
    if out_h <= 0 or out_w <= 0:
        raise ValueError("output dimensions must be positive")
    return out_h, out_w


def _check_image(image):
    if image.ndim != 4:
        raise ValueError("input must be 4-dimensional%s" % list(image.shape))
    if image.shape[1] <= 0 or image.shape[2] <= 0:
        raise ValueError("input image must be of non-zero size")


def _apply(wy, wx, x):
    """`out[n, y, x, c] = Σ wy[y, h] wx[x, w] x[n, h, w, c]`."""
    tmp = np.einsum("yh,nhwc->nywc", wy, x, optimize=True)
    return np.einsum("xw,nywc->nyxc", wx, tmp, optimize=True)


def _resize_kernel(op_type):
    def builder(op):
        align, half = op._attrs["align_corners"], op._attrs["half_pixel_centers"]
        weights = _WEIGHTS[op_type]
        out_dtype = op.outputs[0].dtype.as_numpy_dtype

        def run(images, size):
            _check_image(images)
            if align and half:
                raise ValueError("If half_pixel_centers is True, align_corners must be False.")
            out_h, out_w = _check_size(size)
            in_h, in_w = images.shape[1:3]
            if op_type == "ResizeNearestNeighbor":
                iy = _nearest_index(in_h, out_h, align, half)
                ix = _nearest_index(in_w, out_w, align, half)
                return images[:, iy][:, :, ix]
            wy = weights(in_h, out_h, align, half)
            wx = weights(in_w, out_w, align, half)
            x = images if images.dtype == np.float64 else images.astype(np.float32)
            return _apply(wy, wx, x).astype(out_dtype)
        return run
    return builder


for _t in _WEIGHTS:
    registry.kernel(_t)(_resize_kernel(_t))


def _grad_kernel(forward_type):
    def builder(op):
        align, half = op._attrs["align_corners"], op._attrs["half_pixel_centers"]
        weights = _WEIGHTS[forward_type]
        out_dtype = op.outputs[0].dtype.as_numpy_dtype

        def run(grads, second):
            _check_image(grads)
            if forward_type == "ResizeNearestNeighbor":
                in_h, in_w = _check_size(second)
            else:
                _check_image(second)
                in_h, in_w = second.shape[1:3]
            out_h, out_w = grads.shape[1:3]
            wy = weights(in_h, out_h, align, half)
            wx = weights(in_w, out_w, align, half)
            g = grads if grads.dtype == np.float64 else grads.astype(np.float32)
            return _apply(wy.T, wx.T, g).astype(out_dtype)
        return run
    return builder


registry.kernel("ResizeBilinearGrad")(_grad_kernel("ResizeBilinear"))
registry.kernel("ResizeNearestNeighborGrad")(_grad_kernel("ResizeNearestNeighbor"))
registry.kernel("ResizeBicubicGrad")(_grad_kernel("ResizeBicubic"))


def _as_bytes(x):
    x = x[()] if isinstance(x, np.ndarray) else x
    return x.encode("latin-1") if isinstance(x, str) else bytes(x)


def _to_channels(img, channels):
    """Converts a decoded [H, W, C] image to `channels` (gray <-> RGB, alpha added/dropped)."""
    have = img.shape[-1]
    if not channels or channels == have:
        return img
    full = np.iinfo(img.dtype).max
    alpha = img[..., have - 1:] if have in (2, 4) else np.full(img.shape[:2] + (1,), full,
                                                               img.dtype)
    if have >= 3:
        color = img[..., :3]
        gray = np.rint(color.astype(np.float64) @ [0.299, 0.587, 0.114]).astype(img.dtype)
        gray = gray[..., None]
    else:
        gray = img[..., :1]
        color = np.repeat(gray, 3, axis=-1)
    parts = {1: [gray], 2: [gray, alpha], 3: [color], 4: [color, alpha]}[channels]
    return np.concatenate(parts, axis=-1)


@registry.kernel("DecodePng")
def _decode_png(op):
    channels = op._attrs["channels"]
    dtype = np.dtype(op._attrs["dtype"].as_numpy_dtype)

    def run(contents):
        img = _to_channels(png.decode_png(_as_bytes(contents)), channels)
        if dtype == np.uint16 and img.dtype == np.uint8:
            img = img.astype(np.uint16) * 257
        elif dtype == np.uint8 and img.dtype == np.uint16:
            img = (img // 257).astype(np.uint8)
        return np.ascontiguousarray(img.astype(dtype))

    return run


@registry.kernel("EncodePng")
def _encode_png(op):
    level = op._attrs.get("compression", -1)

    def run(image):
        if image.ndim != 3 or image.shape[-1] not in (1, 2, 3, 4):
            raise ValueError("image must be 3-dimensional with 1-4 channels, got %s"
                             % list(image.shape))
        if image.dtype != np.uint8:
            raise ValueError("EncodePng supports uint8 images, got %s" % image.dtype)
        return np.array(png.encode_png(image, level), dtype=object)

    return run


def _pillow():
    try:
        from PIL import Image
    except ImportError:
        raise ValueError("JPEG coding needs Pillow: pip install pillow (or tensorflux[image])"
                         ) from None
    return Image


def _decode_jpeg_bytes(data, channels):
    import io

    image = _pillow().open(io.BytesIO(data))
    if image.format != "JPEG":
        raise ValueError("Invalid JPEG data or crop window, data size %d" % len(data))
    mode = {1: "L", 3: "RGB"}.get(channels) or ("L" if image.mode == "L" else "RGB")
    if mode == "L":
        image.draft("L", image.size)  # the luma plane, as libjpeg's grayscale output
    img = np.asarray(image.convert(mode))
    return np.ascontiguousarray(img[..., None] if img.ndim == 2 else img)


@registry.kernel("DecodeJpeg")
def _decode_jpeg(op):
    channels = op._attrs["channels"]

    def run(contents):
        return _decode_jpeg_bytes(_as_bytes(contents), channels)

    return run


@registry.kernel("EncodeJpeg")
def _encode_jpeg(op):
    quality = op._attrs["quality"]
    progressive = op._attrs["progressive"]
    subsampling = 2 if op._attrs["chroma_downsampling"] else 0

    def run(image):
        import io

        if image.ndim != 3 or image.shape[-1] not in (1, 3) or image.dtype != np.uint8:
            raise ValueError("image must be a 3-D uint8 tensor with 1 or 3 channels, got %s %s"
                             % (image.dtype, list(image.shape)))
        pil = _pillow().fromarray(image[..., 0] if image.shape[-1] == 1 else image)
        buf = io.BytesIO()
        pil.save(buf, format="JPEG", quality=quality, progressive=progressive,
                 subsampling=subsampling)
        return np.array(buf.getvalue(), dtype=object)

    return run


@registry.kernel("DecodeImage")
def _decode_image(op):
    channels = op._attrs["channels"]
    dtype = np.dtype(op._attrs["dtype"].as_numpy_dtype)

    def run(contents):
        data = _as_bytes(contents)
        if data.startswith(b"\x89PNG"):
            img = _to_channels(png.decode_png(data), channels)
            if dtype == np.uint16 and img.dtype == np.uint8:
                return img.astype(np.uint16) * 257
            return img.astype(dtype) if img.dtype == dtype else (img // 257).astype(dtype)
        if data.startswith(b"\xff\xd8\xff"):
            img = _decode_jpeg_bytes(data, channels)
            return img.astype(np.uint16) * 257 if dtype == np.uint16 else img
        raise ValueError("Unknown image file format. One of JPEG, PNG, GIF, BMP required.")

    return run
