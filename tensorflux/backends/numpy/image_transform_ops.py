"""numpy kernels for ops/image_transform_ops.py: projective transforms, connected components.

`project` takes the array module `xp` (the XLA backend runs it with jax.numpy). It follows TF's
ProjectiveGenerator (core/kernels/image/image_ops.h) for every output pixel at once: float32
coordinate arithmetic, out-of-range coordinates mapped by the fill mode, round-half-away-from-
zero for NEAREST, and float32 bilinear blending cast back to the image dtype (so integer images
truncate, and float64 images get float32 precision, as in TF). Each of the (up to four) pixels
read is the fill value when it is off the image, so with CONSTANT a sample within one pixel of
the border blends image and fill value: what TF 2.21 computes (tests/fixtures/contrib_image;
later sources fill such samples entirely).
"""

import numpy as np

from tensorflux.ops import registry

F32 = np.float32


def check_transform_inputs(images, transforms, output_shape):
    """TF's kernel checks; returns (out_height, out_width)."""
    if images.ndim != 4:
        raise ValueError("Input images must have rank 4")
    if (transforms.ndim != 2 or transforms.shape[0] not in (images.shape[0], 1)
            or transforms.shape[1] != 8):
        raise ValueError("Input transform should be num_images x 8 or 1 x 8")
    shape = np.asarray(output_shape)
    if shape.ndim != 1:
        raise ValueError("output shape must be 1-dimensional%s" % list(shape.shape))
    if shape.size != 2:
        raise ValueError("output shape must have two elements%s" % list(shape.shape))
    if shape[0] <= 0 or shape[1] <= 0:
        raise ValueError("output dimensions must be positive")
    return int(shape[0]), int(shape[1])


def _trunc(v, xp):
    """C++'s static_cast<int64>(float): toward zero."""
    return xp.trunc(v)


def map_coordinate(coord, size, fill_mode, xp):
    """TF's MapCoordinate: brings a float32 coordinate into [0, size - 1] (not for CONSTANT)."""
    if fill_mode == "CONSTANT":
        return coord
    if fill_mode == "NEAREST" or size <= 1:
        return xp.clip(coord, F32(0), F32(size - 1)) if size > 1 else xp.zeros_like(coord)
    if fill_mode == "REFLECT":
        sz2 = F32(2 * size)
        neg = coord + sz2 * _trunc(-coord / sz2, xp)
        neg = xp.where(neg < -size, neg + sz2, -neg - F32(1))
        pos = coord - sz2 * _trunc(coord / sz2, xp)
        pos = xp.where(pos >= size, sz2 - pos - F32(1), pos)
    else:  # WRAP: TF divides by size - 1 here (not size); kept for fidelity
        sz = F32(size - 1)
        neg = coord + F32(size) * (_trunc(-coord / sz, xp) + F32(1))
        pos = coord - F32(size) * _trunc(coord / sz, xp)
    out = xp.where(coord < 0, neg, xp.where(coord > size - 1, pos, coord))
    return xp.clip(out, F32(0), F32(size - 1))


def _round(v, xp):
    """std::round (halves away from zero), without the floor(v + 0.5) ulp trap."""
    a = xp.abs(v)
    low = xp.floor(a)
    r = (low + (a - low >= F32(0.5))).astype(np.int64)
    return xp.where(v < 0, -r, r)


def _source_points(transforms, out_h, out_w, height, width, fill_mode, xp):
    """Input (y, x) for every output pixel of each transform, and whether it is defined."""
    t = [transforms[:, i, None, None].astype(F32) for i in range(8)]
    oy = xp.arange(out_h, dtype=F32)[None, :, None]
    ox = xp.arange(out_w, dtype=F32)[None, None, :]
    projection = t[6] * ox + t[7] * oy + F32(1)
    safe = xp.where(projection == 0, F32(1), projection)
    x = (t[0] * ox + t[1] * oy + t[2]) / safe
    y = (t[3] * ox + t[4] * oy + t[5]) / safe
    x = map_coordinate(x, width, fill_mode, xp)
    y = map_coordinate(y, height, fill_mode, xp)
    # A zero projection (a point at infinity) takes the fill value; far-away or non-finite
    # points are sampled at (-2, -2), all fill, so that no index overflows.
    inside = (projection != 0) & (xp.abs(x) < F32(2 ** 30)) & (xp.abs(y) < F32(2 ** 30))
    return xp.where(inside, y, F32(-2)), xp.where(inside, x, F32(-2)), inside


def _reader(images, fill, xp):
    """read(yi, xi) -> images[b, yi, xi, :], or `fill` where (yi, xi) is off the image."""
    batch, height, width, _ = images.shape
    b = xp.arange(batch)[:, None, None]

    def read(yi, xi):
        valid = (yi >= 0) & (yi < height) & (xi >= 0) & (xi < width)
        values = images[b, xp.clip(yi, 0, height - 1), xp.clip(xi, 0, width - 1)]
        return xp.where(valid[..., None], values, fill)
    return read


def project(images, transforms, out_h, out_w, interpolation, fill_mode, fill_value, xp):
    """ImageProjectiveTransformV2/V3 on a [batch, H, W, C] array (see the module docstring)."""
    batch, height, width, _ = images.shape
    y, x, inside = _source_points(transforms, out_h, out_w, height, width, fill_mode, xp)
    shape = (batch, out_h, out_w)
    y, x, inside = (xp.broadcast_to(a, shape) for a in (y, x, inside))
    fill = xp.asarray(fill_value).astype(F32).astype(images.dtype)
    read = _reader(images, fill, xp)
    if interpolation == "NEAREST":
        out = read(_round(y, xp), _round(x, xp))
    else:
        y0, x0 = xp.floor(y), xp.floor(x)
        y1, x1 = y0 + F32(1), x0 + F32(1)
        yi0, xi0 = y0.astype(np.int64), x0.astype(np.int64)

        def blend_row(yi):
            left = read(yi, xi0).astype(F32)
            right = read(yi, xi0 + 1).astype(F32)
            return (x1 - x)[..., None] * left + (x - x0)[..., None] * right

        top, bottom = blend_row(yi0), blend_row(yi0 + 1)
        out = ((y1 - y)[..., None] * top + (y - y0)[..., None] * bottom).astype(images.dtype)
    return xp.where(inside[..., None], out, fill)


def _transform_kernel(op):
    interpolation, fill_mode = op._attrs["interpolation"], op._attrs["fill_mode"]

    def run(images, transforms, output_shape, fill_value=0.0):
        out_h, out_w = check_transform_inputs(images, transforms, output_shape)
        return project(images, transforms, out_h, out_w, interpolation, fill_mode, fill_value,
                       np)
    return run


registry.kernel("ImageProjectiveTransformV2")(_transform_kernel)
registry.kernel("ImageProjectiveTransformV3")(_transform_kernel)


# --- connected components ---------------------------------------------------------------------
def _neighbour_min(labels, same_right, same_down):
    """Each pixel's label, lowered to the smallest label of a same-valued 4-neighbour."""
    out = labels.copy()
    np.minimum(out[:, :, :-1], np.where(same_right, labels[:, :, 1:], labels[:, :, :-1]),
               out=out[:, :, :-1])
    np.minimum(out[:, :, 1:], np.where(same_right, labels[:, :, :-1], labels[:, :, 1:]),
               out=out[:, :, 1:])
    np.minimum(out[:, :-1], np.where(same_down, labels[:, 1:], labels[:, :-1]), out=out[:, :-1])
    np.minimum(out[:, 1:], np.where(same_down, labels[:, :-1], labels[:, 1:]), out=out[:, 1:])
    return out


def connected_components(images):
    """Ids 1..n of the 4-connected equal-valued nonzero regions, numbered by first pixel.

    Every pixel starts with its own flat index; rounds of neighbour minima and pointer jumping
    (label = label of the pixel it names) run until nothing changes, leaving each region with
    the flat index of its first pixel in (image, row, col) order. Ranking those gives ids.
    """
    fg = images != 0
    same_right = fg[:, :, 1:] & fg[:, :, :-1] & (images[:, :, 1:] == images[:, :, :-1])
    same_down = fg[:, 1:] & fg[:, :-1] & (images[:, 1:] == images[:, :-1])
    labels = np.arange(images.size, dtype=np.int64).reshape(images.shape)
    while True:
        new = _neighbour_min(labels, same_right, same_down)
        new = new.reshape(-1)[new]
        if np.array_equal(new, labels):
            break
        labels = new
    roots = np.unique(labels[fg])
    ids = np.zeros(images.shape, np.int64)
    ids[fg] = np.searchsorted(roots, labels[fg]) + 1
    return ids


@registry.kernel("ImageConnectedComponents")
def _connected_components(op):
    def run(images):
        if images.ndim != 3:
            raise ValueError("images must be 3-dimensional (batch, rows, cols) but got shape %s"
                             % list(images.shape))
        return connected_components(images)
    return run
