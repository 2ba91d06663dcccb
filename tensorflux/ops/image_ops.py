"""Image ops (`tf.image`): resizing with TF 1.x's pixel rules, crops and pads, flips, colour
and dtype conversion, standardization, brightness/contrast, PNG encode/decode.

The four resize kernels (`ResizeBilinear`, `ResizeNearestNeighbor`, `ResizeBicubic`,
`ResizeArea`) follow TF's sampling exactly: `align_corners` maps corner pixel centres onto each
other, `half_pixel_centers` (False in TF 1.x's `tf.image.resize_images`) samples at pixel
centres. Their gradients are the `*Grad` ops, as in TF (ResizeArea has none, as in TF). The
rest are compositions of ordinary ops, so their gradients come for free.
"""

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import (
    array_ops,
    cond_ops,
    constant_op,
    control_flow_ops,
    linalg_ops,
    manip_ops,
    math_ops,
    pad_ops,
    random_ops,
    reduction_ops,
    registry,
    slicing_ops,
)
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError

ND = registry.NOT_DIFFERENTIABLE
TS = tensor_shape.TensorShape


class ResizeMethod:
    """`tf.image.ResizeMethod` (TF 1.x integer values)."""

    BILINEAR = 0
    NEAREST_NEIGHBOR = 1
    BICUBIC = 2
    AREA = 3


# --- the resize ops ---------------------------------------------------------------------------
def _resize_shape(float_output):
    def shape(op):
        images, size = op.inputs
        ishape = images.shape
        if ishape.ndims is not None and ishape.ndims != 4:
            raise ShapeError("Shape must be rank 4 but is rank %d" % ishape.ndims)
        if op._attrs.get("align_corners") and op._attrs.get("half_pixel_centers"):
            raise ShapeError("If half_pixel_centers is True, align_corners must be False.")
        dims = ishape.as_list() if ishape.ndims is not None else [None] * 4
        hw = _size_input(size)
        dtype = dtypes.float32 if float_output else images.dtype.base_dtype
        return [(dtype, TS([dims[0], hw[0], hw[1], dims[3]]))]
    return shape


def _image_hw(image):
    """The static [H, W] of a 4-D image as a constant if known, else a slice of its shape."""
    hw = image.shape.as_list()[1:3] if image.shape.ndims == 4 else [None, None]
    if None not in hw:
        return constant_op.constant(hw, dtype=dtypes.int32)
    return slicing_ops.strided_slice(array_ops.shape(image), [1], [3], [1])


def _resize_grad(grad_type):
    def grad(op, g):
        attrs = {"align_corners": op._attrs["align_corners"],
                 "half_pixel_centers": op._attrs["half_pixel_centers"]}
        image = op.inputs[0]
        if not image.dtype.base_dtype.is_floating:
            return [None, None]
        if grad_type == "ResizeNearestNeighborGrad":
            second = _image_hw(image)
            attrs["T"] = g.dtype.base_dtype
        else:
            second = image
            attrs["T"] = image.dtype.base_dtype
        return [registry.make_tensor(grad_type, [g, second], attrs, name=grad_type), None]
    return grad


def _grad_of_grad(forward_type):
    """The gradient of a resize-gradient op: its adjoint, the forward resize to its input size."""
    def grad(op, g):
        attrs = {"align_corners": op._attrs["align_corners"],
                 "half_pixel_centers": op._attrs["half_pixel_centers"]}
        out = registry.make_tensor(forward_type, [g, _image_hw(op.inputs[0])], attrs,
                                   name=forward_type)
        return [math_ops.cast(out, op.inputs[0].dtype.base_dtype), None]
    return grad


def _size_input(size):
    """[height, width] from a resize op's size input, as TF's shape function reads it: known
    only when the whole tensor is (`input_tensor`), not from a slice of a partly known shape."""
    v = constant_op.input_tensor_value(size)
    if v is None or np.shape(v) != (2,):
        return [None, None]
    return [int(d) for d in v]


def _resize_grad_shape(op):
    grads, second = op.inputs
    if op.type == "ResizeNearestNeighborGrad":
        hw = _size_input(second)
        dtype = grads.dtype.base_dtype
    else:
        hw = second.shape.as_list()[1:3] if second.shape.ndims == 4 else [None, None]
        dtype = second.dtype.base_dtype
    g = grads.shape.as_list() if grads.shape.ndims == 4 else [None] * 4
    return [(dtype, TS([g[0], hw[0], hw[1], g[3]]))]


registry.register("ResizeBilinear", shape=_resize_shape(True),
                  grad=_resize_grad("ResizeBilinearGrad"))
registry.register("ResizeNearestNeighbor", shape=_resize_shape(False),
                  grad=_resize_grad("ResizeNearestNeighborGrad"))
registry.register("ResizeBicubic", shape=_resize_shape(True),
                  grad=_resize_grad("ResizeBicubicGrad"))
registry.register("ResizeArea", shape=_resize_shape(True), grad=None)  # TF has no gradient
registry.register("ResizeBilinearGrad", shape=_resize_grad_shape,
                  grad=_grad_of_grad("ResizeBilinear"))
registry.register("ResizeNearestNeighborGrad", shape=_resize_grad_shape,
                  grad=_grad_of_grad("ResizeNearestNeighbor"))
registry.register("ResizeBicubicGrad", shape=_resize_grad_shape,
                  grad=_grad_of_grad("ResizeBicubic"))


def _resize_op(op_type, images, size, align_corners, half_pixel_centers, name):
    g = graph_lib._graph_from_values([images])
    with g.as_default(), g.name_scope(name or op_type) as scope:
        images = convert(images, name="images")
        size = convert(size, dtype=dtypes.int32, name="size")
        return registry.make_tensor(op_type, [images, size],
                                    {"T": images.dtype.base_dtype,
                                     "align_corners": bool(align_corners),
                                     "half_pixel_centers": bool(half_pixel_centers)},
                                    name=scope)


def resize_bilinear(images, size, align_corners=False, name=None, half_pixel_centers=False):
    """Bilinear resize of a [batch, H, W, C] batch to `size` = [new_H, new_W] (float32)."""
    return _resize_op("ResizeBilinear", images, size, align_corners, half_pixel_centers, name)


def resize_nearest_neighbor(images, size, align_corners=False, name=None,
                            half_pixel_centers=False):
    """Nearest-neighbour resize (keeps the input dtype)."""
    return _resize_op("ResizeNearestNeighbor", images, size, align_corners, half_pixel_centers,
                      name)


def resize_bicubic(images, size, align_corners=False, name=None, half_pixel_centers=False):
    """Bicubic resize (Keys' kernel, a = -0.75; -0.5 with `half_pixel_centers`), float32."""
    return _resize_op("ResizeBicubic", images, size, align_corners, half_pixel_centers, name)


def resize_area(images, size, align_corners=False, name=None):
    """Area (box-average) resize, float32."""
    return _resize_op("ResizeArea", images, size, align_corners, False, name)


_RESIZE_OPS = {ResizeMethod.BILINEAR: "ResizeBilinear",
               ResizeMethod.NEAREST_NEIGHBOR: "ResizeNearestNeighbor",
               ResizeMethod.BICUBIC: "ResizeBicubic", ResizeMethod.AREA: "ResizeArea"}
_METHOD_NAMES = {"bilinear": 0, "nearest": 1, "bicubic": 2, "area": 3}


def resize_images(images, size, method=ResizeMethod.BILINEAR, align_corners=False,
                  preserve_aspect_ratio=False, name=None):
    """Resizes a 3-D image or a 4-D batch to `size` (TF 1.x `tf.image.resize_images`).

    Returns the input itself when its static size already is `size`; the output is float32
    except for NEAREST_NEIGHBOR.

    Example:
        >>> small = tf.image.resize_images(images, [14, 14])
    """
    method = _METHOD_NAMES.get(method, method)
    if method not in _RESIZE_OPS:
        raise ValueError("Resize method is not implemented: {}".format(method))
    with graph_lib.name_scope(name, "resize", [images, size]):
        images = convert(images, name="images")
        if images.shape.ndims is None:
            raise ValueError("'images' contains no shape.")
        is_batch = images.shape.ndims == 4
        if images.shape.ndims == 3:
            images = manip_ops.expand_dims(images, 0)
        elif images.shape.ndims != 4:
            raise ValueError("'images' must have either 3 or 4 dimensions.")
        _, height, width, _ = images.shape.as_list()
        try:
            size = convert(size, dtype=dtypes.int32, name="size")
        except (TypeError, ValueError):
            raise ValueError("'size' must be a 1-D int32 Tensor") from None
        if not size.shape.is_compatible_with([2]):
            raise ValueError("'size' must be a 1-D Tensor of 2 elements: new_height, new_width")
        target = constant_op.constant_value(size)
        if preserve_aspect_ratio and None not in (height, width) and target is not None:
            # All static: the same float32 arithmetic as the graph below, done now.
            f32 = np.float32
            factor = min(f32(target[0]) / f32(height), f32(target[1]) / f32(width))
            size = constant_op.constant([int(np.round(factor * f32(height))),
                                         int(np.round(factor * f32(width)))], dtype=dtypes.int32,
                                        name="size")
        elif preserve_aspect_ratio:
            shape = array_ops.shape(images)
            cur_h = math_ops.cast(shape[1], dtypes.float32)
            cur_w = math_ops.cast(shape[2], dtypes.float32)
            factor = math_ops.minimum(math_ops.cast(size[0], dtypes.float32) / cur_h,
                                      math_ops.cast(size[1], dtypes.float32) / cur_w)
            size = array_ops.stack([
                math_ops.cast(math_ops.round(factor * cur_h), dtypes.int32),
                math_ops.cast(math_ops.round(factor * cur_w), dtypes.int32)], name="size")
        new_hw = constant_op.constant_value_as_shape(size)
        new_h, new_w = new_hw.as_list() if new_hw.ndims == 2 else (None, None)
        if None not in (height, width, new_h, new_w) and (height, width) == (new_h, new_w):
            return images if is_batch else manip_ops.squeeze(images, axis=[0])
        op_type = _RESIZE_OPS[method]
        out = registry.make_tensor(op_type, [images, size],
                                   {"T": images.dtype.base_dtype,
                                    "align_corners": bool(align_corners),
                                    "half_pixel_centers": False}, name=op_type)
        out.set_shape([None, new_h, new_w, None])
        return out if is_batch else manip_ops.squeeze(out, axis=[0])


resize = resize_images


# --- crops, pads, flips -----------------------------------------------------------------------
def _as_batch(image, what="image"):
    """`(4-D image, is_batch)`; a 3-D image gets a leading batch dimension."""
    ndims = image.shape.ndims
    if ndims == 4:
        return image, True
    if ndims == 3:
        return manip_ops.expand_dims(image, 0), False
    if ndims is None:
        image = manip_ops.expand_dims(image, 0)
        image.set_shape([None] * 4)
        return image, False
    raise ValueError("'%s' (shape %s) must have either 3 or 4 dimensions." % (what, image.shape))


def _dims(image):
    """[batch, H, W, C] of a 4-D image: static ints where known, else scalar tensors."""
    static = image.shape.as_list()
    if None not in static:
        return static
    dyn = array_ops.shape(image)
    return [d if d is not None else dyn[i] for i, d in enumerate(static)]


def _is_tensor(x):
    return hasattr(x, "op") and hasattr(x, "dtype")


def _check(condition, message):
    """Raises ValueError now for a static False; a runtime assertion for a tensor condition."""
    if _is_tensor(condition):
        from tensorflux.ops import debug_ops

        return [debug_ops.Assert(condition, [message])]
    if not condition:
        raise ValueError(message)
    return []


def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """Crops `image` to the box at (offset_height, offset_width) of the target size."""
    with graph_lib.name_scope(None, "crop_to_bounding_box", [image]):
        image = convert(image, name="image")
        image, is_batch = _as_batch(image)
        batch, height, width, depth = _dims(image)
        checks = []
        checks += _check(offset_width >= 0, "offset_width must be >= 0.")
        checks += _check(offset_height >= 0, "offset_height must be >= 0.")
        checks += _check(target_width > 0, "target_width must be > 0.")
        checks += _check(target_height > 0, "target_height must be > 0.")
        checks += _check(width >= (target_width + offset_width),
                         "width must be >= target + offset.")
        checks += _check(height >= (target_height + offset_height),
                         "height must be >= target + offset.")
        if checks:
            image = control_flow_ops.with_dependencies(checks, image)
        cropped = slicing_ops.slice(image, array_ops.stack([0, offset_height, offset_width, 0]),
                                    array_ops.stack([-1, target_height, target_width, -1]))
        cropped.set_shape([None if _is_tensor(d) else d
                           for d in (batch, target_height, target_width, depth)])
        return cropped if is_batch else manip_ops.squeeze(cropped, axis=[0])


def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """Pads `image` with zeros to the target size, placing it at the given offset."""
    with graph_lib.name_scope(None, "pad_to_bounding_box", [image]):
        image = convert(image, name="image")
        image, is_batch = _as_batch(image)
        batch, height, width, depth = _dims(image)
        after_w = target_width - offset_width - width
        after_h = target_height - offset_height - height
        checks = []
        checks += _check(offset_height >= 0, "offset_height must be >= 0")
        checks += _check(offset_width >= 0, "offset_width must be >= 0")
        checks += _check(after_w >= 0, "width must be <= target - offset")
        checks += _check(after_h >= 0, "height must be <= target - offset")
        if checks:
            image = control_flow_ops.with_dependencies(checks, image)
        paddings = array_ops.reshape(
            array_ops.stack([0, 0, offset_height, after_h, offset_width, after_w, 0, 0]), [4, 2])
        padded = pad_ops.pad(image, paddings)
        padded.set_shape([None if _is_tensor(d) else d
                          for d in (batch, target_height, target_width, depth)])
        return padded if is_batch else manip_ops.squeeze(padded, axis=[0])


def resize_image_with_crop_or_pad(image, target_height, target_width):
    """Centrally crops or zero-pads `image` to the target height and width."""
    with graph_lib.name_scope(None, "resize_image_with_crop_or_pad", [image]):
        image = convert(image, name="image")
        image, is_batch = _as_batch(image)
        _check(target_width > 0, "target_width must be > 0.")
        _check(target_height > 0, "target_height must be > 0.")
        _, height, width, _ = _dims(image)

        def max_(x, y):
            return math_ops.maximum(x, y) if _is_tensor(x) or _is_tensor(y) else max(x, y)

        def min_(x, y):
            return math_ops.minimum(x, y) if _is_tensor(x) or _is_tensor(y) else min(x, y)

        width_diff = target_width - width
        height_diff = target_height - height
        cropped = crop_to_bounding_box(image, max_(-height_diff // 2, 0),
                                       max_(-width_diff // 2, 0), min_(target_height, height),
                                       min_(target_width, width))
        resized = pad_to_bounding_box(cropped, max_(height_diff // 2, 0),
                                      max_(width_diff // 2, 0), target_height, target_width)
        return resized if is_batch else manip_ops.squeeze(resized, axis=[0])


resize_with_crop_or_pad = resize_image_with_crop_or_pad


def _pad_geometry(height, width, target_height, target_width):
    """TF's float32 arithmetic for resize_image_with_pad: (new_h, new_w, pad_top, pad_left).

    Static ints are worked out now in numpy float32; otherwise the same steps become graph ops.
    """
    if not any(_is_tensor(v) for v in (height, width, target_height, target_width)):
        f32 = np.float32
        ratio = max(f32(width) / f32(target_width), f32(height) / f32(target_height))
        new_h, new_w = f32(height) / ratio, f32(width) / ratio
        pad_h = np.floor((f32(target_height) - new_h) / f32(2))
        pad_w = np.floor((f32(target_width) - new_w) / f32(2))
        return int(np.floor(new_h)), int(np.floor(new_w)), max(0, int(pad_h)), max(0, int(pad_w))

    def f(v):
        return math_ops.cast(v, dtypes.float32)

    ratio = math_ops.maximum(f(width) / f(target_width), f(height) / f(target_height))
    new_h, new_w = f(height) / ratio, f(width) / ratio

    def to_int(v):
        return math_ops.cast(math_ops.floor(v), dtypes.int32)

    return (to_int(new_h), to_int(new_w),
            math_ops.maximum(0, to_int((f(target_height) - new_h) / 2)),
            math_ops.maximum(0, to_int((f(target_width) - new_w) / 2)))


def resize_image_with_pad(image, target_height, target_width, method=ResizeMethod.BILINEAR,
                          align_corners=False):
    """Resizes keeping the aspect ratio to fit the target, then zero-pads to the target size.

    The output is float32 except for NEAREST_NEIGHBOR (the resize always runs, as in TF).

    Example:
        >>> boxed = tf.image.resize_image_with_pad(image, 224, 224)
    """
    method = _METHOD_NAMES.get(method, method)
    if method not in _RESIZE_OPS:
        raise ValueError("Resize method is not implemented: {}".format(method))
    with graph_lib.name_scope(None, "resize_image_with_pad", [image]):
        image = convert(image, name="image")
        image, is_batch = _as_batch(image)
        checks = _check(target_width > 0, "target_width must be > 0.")
        checks += _check(target_height > 0, "target_height must be > 0.")
        if checks:
            image = control_flow_ops.with_dependencies(checks, image)
        _, height, width, _ = _dims(image)
        new_h, new_w, pad_h, pad_w = _pad_geometry(height, width, target_height, target_width)
        size = array_ops.stack([new_h, new_w]) if _is_tensor(new_h) else constant_op.constant(
            [new_h, new_w], dtype=dtypes.int32)
        resized = registry.make_tensor(_RESIZE_OPS[method], [image, size],
                                       {"T": image.dtype.base_dtype,
                                        "align_corners": bool(align_corners),
                                        "half_pixel_centers": False}, name=_RESIZE_OPS[method])
        padded = pad_to_bounding_box(resized, pad_h, pad_w, target_height, target_width)
        return padded if is_batch else manip_ops.squeeze(padded, axis=[0])


def central_crop(image, central_fraction):
    """Keeps the central `central_fraction` (in (0, 1]) of each spatial dimension."""
    with graph_lib.name_scope(None, "central_crop", [image]):
        image = convert(image, name="image")
        if central_fraction <= 0.0 or central_fraction > 1.0:
            raise ValueError("central_fraction must be within (0, 1]")
        if central_fraction == 1.0:
            return image
        rank = image.shape.ndims
        if rank not in (3, 4):
            raise ValueError("`image` should either be a Tensor with rank = 3 or rank = 4. Had "
                             "rank = {}.".format(rank))
        off = 0 if rank == 3 else 1
        dims = image.shape.as_list()
        starts, sizes = [], []
        for i in (off, off + 1):
            if dims[i] is not None:
                start = int((float(dims[i]) - float(dims[i]) * central_fraction) / 2)
                starts.append(start)
                sizes.append(dims[i] - 2 * start)
            else:
                d = math_ops.cast(array_ops.shape(image)[i], dtypes.float64)
                start = math_ops.cast((d - d * central_fraction) / 2, dtypes.int32)
                starts.append(start)
                sizes.append(array_ops.shape(image)[i] - 2 * start)
        begin = ([] if rank == 3 else [0]) + starts + [0]
        size = ([] if rank == 3 else [-1]) + sizes + [-1]
        out = slicing_ops.slice(image, array_ops.stack(begin), array_ops.stack(size))
        out.set_shape(dims[:off] + [None if _is_tensor(s) else s for s in sizes] + [dims[-1]])
        return out


def _flip(image, axis_3d, scope_name):
    with graph_lib.name_scope(None, scope_name, [image]):
        image = convert(image, name="image")
        rank = image.shape.ndims
        if rank == 3:
            return manip_ops.reverse(image, [axis_3d])
        if rank == 4:
            return manip_ops.reverse(image, [axis_3d + 1])
        raise ValueError("'image' (shape %s) must have either 3 or 4 dimensions."
                         % image.shape)


def flip_left_right(image):
    """Mirrors the image(s) horizontally (reverses the width axis)."""
    return _flip(image, 1, "flip_left_right")


def flip_up_down(image):
    """Mirrors the image(s) vertically (reverses the height axis)."""
    return _flip(image, 0, "flip_up_down")


def _random_flip(image, axis_3d, seed, scope_name):
    with graph_lib.name_scope(None, scope_name, [image]) as scope:
        image = convert(image, name="image")
        rank = image.shape.ndims
        if rank == 3:
            mirror = math_ops.less(random_ops.random_uniform([], 0, 1.0, seed=seed), 0.5)
            return cond_ops.cond(mirror, lambda: manip_ops.reverse(image, [axis_3d]),
                                 lambda: image, name=scope)
        if rank == 4:
            batch = array_ops.shape(image)[0]
            u = random_ops.random_uniform(array_ops.reshape(batch, [1]), 0, 1.0, seed=seed)
            mask = array_ops.reshape(math_ops.less(u, 0.5), [-1, 1, 1, 1])
            mask = math_ops.logical_and(mask, array_ops.ones_like(image, dtype=dtypes.bool))
            return manip_ops.where(mask, manip_ops.reverse(image, [axis_3d + 1]), image)
        raise ValueError("'image' (shape %s) must have either 3 or 4 dimensions."
                         % image.shape)


def random_flip_left_right(image, seed=None):
    """Mirrors each image horizontally with probability 1/2."""
    return _random_flip(image, 1, seed, "random_flip_left_right")


def random_flip_up_down(image, seed=None):
    """Mirrors each image vertically with probability 1/2."""
    return _random_flip(image, 0, seed, "random_flip_up_down")


def transpose_image(image, name=None):
    """Swaps height and width."""
    with graph_lib.name_scope(name, "transpose", [image]):
        image = convert(image, name="image")
        perm = [1, 0, 2] if image.shape.ndims == 3 else [0, 2, 1, 3]
        return array_ops.transpose(image, perm)


transpose = transpose_image


def _rot90_static(image, k):
    k = int(k) % 4
    if k == 0:
        return image
    if k == 1:
        return flip_up_down(transpose_image(image))
    if k == 2:
        return flip_up_down(flip_left_right(image))
    return transpose_image(flip_up_down(image))


def rot90(image, k=1, name=None):
    """Rotates the image(s) counter-clockwise by `k` quarter turns (`k` may be a tensor).

    Example:
        >>> turned = tf.image.rot90(image, k=tf.random_uniform([], 0, 4, tf.int32))
    """
    from tensorflux.ops import constant_op

    with graph_lib.name_scope(name, "rot90", [image]):
        image = convert(image, name="image")
        if image.shape.ndims not in (None, 3, 4):
            raise ValueError("'image' (shape %s) must have either 3 or 4 dimensions."
                             % image.shape)
        if _is_tensor(k) and constant_op.constant_value(k) is None:
            k = math_ops.mod(math_ops.cast(k, dtypes.int32), 4)

            def turns(n):
                return lambda: _rot90_static(image, n)

            return cond_ops.cond(math_ops.less(k, 2),
                                 lambda: cond_ops.cond(math_ops.equal(k, 0), turns(0), turns(1)),
                                 lambda: cond_ops.cond(math_ops.equal(k, 2), turns(2), turns(3)))
        if _is_tensor(k):
            k = constant_op.constant_value(k)
        return _rot90_static(image, k)


# --- colour and dtype -------------------------------------------------------------------------
def convert_image_dtype(image, dtype, saturate=False, name=None):
    """Converts between image dtypes, rescaling: floats are in [0, 1], integers in [0, MAX].

    Example:
        >>> tf.image.convert_image_dtype(uint8_image, tf.float32)  # values / 255
    """
    image = convert(image, name="image")
    dtype = dtypes.as_dtype(dtype)
    src = image.dtype.base_dtype
    if not (dtype.is_floating or dtype.is_integer):
        raise AttributeError("dtype must be either floating point or integer")
    if not (src.is_floating or src.is_integer):
        raise AttributeError("image dtype must be either floating point or integer")
    if dtype == src:
        return array_ops.identity(image, name=name)
    with graph_lib.name_scope(name, "convert_image", [image]) as name:
        if src.is_integer and dtype.is_integer:
            scale_in, scale_out = src.max, dtype.max
            if scale_in > scale_out:
                scaled = math_ops.floordiv(image, (scale_in + 1) // (scale_out + 1))
                cast = math_ops.saturate_cast if saturate else math_ops.cast
                return cast(scaled, dtype, name=name)
            cast = math_ops.saturate_cast(image, dtype) if saturate else math_ops.cast(image,
                                                                                       dtype)
            return math_ops.multiply(cast, (scale_out + 1) // (scale_in + 1), name=name)
        if src.is_floating and dtype.is_floating:
            return math_ops.cast(image, dtype, name=name)
        if src.is_integer:
            return math_ops.multiply(math_ops.cast(image, dtype), 1.0 / src.max, name=name)
        scaled = math_ops.multiply(image, dtype.max + 0.5)
        cast = math_ops.saturate_cast if saturate else math_ops.cast
        return cast(scaled, dtype, name=name)


def rgb_to_grayscale(images, name=None):
    """Luma of RGB images (weights 0.2989, 0.5870, 0.1140); the last dimension becomes 1."""
    with graph_lib.name_scope(name, "rgb_to_grayscale", [images]) as name:
        images = convert(images, name="images")
        orig = images.dtype.base_dtype
        flt = convert_image_dtype(images, dtypes.float32)
        weights = constant_op.constant([0.2989, 0.5870, 0.1140], dtype=dtypes.float32)
        gray = linalg_ops.tensordot(flt, weights, [[-1], [-1]])
        gray = manip_ops.expand_dims(gray, -1)
        return convert_image_dtype(gray, orig, name=name)


def grayscale_to_rgb(images, name=None):
    """Repeats a 1-channel image three times along the last dimension."""
    with graph_lib.name_scope(name, "grayscale_to_rgb", [images]) as name:
        images = convert(images, name="images")
        shape = images.shape
        if shape.ndims is not None:
            if shape.ndims < 2:
                raise ValueError("'image' must be at least two-dimensional.")
            if shape[-1].value is not None and shape[-1].value != 1:
                raise ValueError("Last dimension of a grayscale image should be size 1.")
        rank_1 = manip_ops.expand_dims(array_ops.rank(images) - 1, 0)
        multiples = array_ops.concat([array_ops.ones(rank_1, dtype=dtypes.int32),
                                      manip_ops.expand_dims(3, 0)], 0)
        rgb = manip_ops.tile(images, multiples, name=name)
        if shape.ndims is not None:
            rgb.set_shape(shape[:-1].concatenate([3]))
        return rgb


def per_image_standardization(image):
    """`(x - mean) / max(stddev, 1/sqrt(num_pixels))` per image, as float32."""
    with graph_lib.name_scope(None, "per_image_standardization", [image]) as scope:
        image = convert(image, name="image")
        if image.shape.ndims is not None and image.shape.ndims < 3:
            raise ValueError("'image' (shape %s) must be at least three-dimensional."
                             % image.shape)
        image = math_ops.cast(image, dtypes.float32)
        num_pixels = reduction_ops.reduce_prod(
            slicing_ops.strided_slice(array_ops.shape(image), [-3], [0], [1], end_mask=1))
        mean = reduction_ops.reduce_mean(image, axis=[-1, -2, -3], keepdims=True)
        variance = reduction_ops.reduce_mean(math_ops.square(image), axis=[-1, -2, -3],
                                             keepdims=True) - math_ops.square(mean)
        from tensorflux.ops import nn_ops

        stddev = math_ops.sqrt(nn_ops.relu(variance))
        min_stddev = math_ops.rsqrt(math_ops.cast(num_pixels, dtypes.float32))
        scale = math_ops.maximum(stddev, min_stddev)
        return math_ops.div(math_ops.subtract(image, mean), scale, name=scope)


def _float_image(image):
    if image.dtype.base_dtype in (dtypes.float16, dtypes.float32):
        return image
    return convert_image_dtype(image, dtypes.float32)


def adjust_brightness(image, delta):
    """Adds `delta` to every pixel (in the [0, 1] float scale), saturating back to the dtype."""
    with graph_lib.name_scope(None, "adjust_brightness", [image, delta]) as name:
        image = convert(image, name="image")
        orig = image.dtype.base_dtype
        flt = _float_image(image)
        adjusted = math_ops.add(flt, math_ops.cast(delta, flt.dtype), name=name)
        return convert_image_dtype(adjusted, orig, saturate=True)


def adjust_contrast(images, contrast_factor):
    """`(x - mean) * contrast_factor + mean`, the mean per channel of each image."""
    with graph_lib.name_scope(None, "adjust_contrast", [images, contrast_factor]):
        images = convert(images, name="images")
        orig = images.dtype.base_dtype
        flt = _float_image(images)
        mean = reduction_ops.reduce_mean(flt, axis=[-3, -2], keepdims=True)
        factor = math_ops.cast(contrast_factor, flt.dtype)
        adjusted = math_ops.add(math_ops.multiply(flt - mean, factor), mean,
                                name="AdjustContrastv2")
        return convert_image_dtype(adjusted, orig, saturate=True)


def random_brightness(image, max_delta, seed=None):
    """`adjust_brightness` by a delta drawn uniformly from [-max_delta, max_delta)."""
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    delta = random_ops.random_uniform([], -max_delta, max_delta, seed=seed)
    return adjust_brightness(image, delta)


def random_contrast(image, lower, upper, seed=None):
    """`adjust_contrast` by a factor drawn uniformly from [lower, upper)."""
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")
    factor = random_ops.random_uniform([], lower, upper, seed=seed)
    return adjust_contrast(image, factor)


random_crop = random_ops.random_crop


# --- PNG --------------------------------------------------------------------------------------
registry.register("DecodePng", shape=lambda op: [(op._attrs["dtype"], TS(
    [None, None, op._attrs["channels"] or None]))], grad=ND)
registry.register("EncodePng", shape=lambda op: [(dtypes.string, TS([]))], grad=ND)


def decode_png(contents, channels=0, dtype=dtypes.uint8, name=None):
    """Decodes PNG bytes (a string tensor) into a [H, W, C] uint8 (or uint16) image."""
    dtype = dtypes.as_dtype(dtype)
    if channels not in (0, 1, 2, 3, 4):
        raise ValueError("channels must be 0, 1, 2, 3 or 4, got %r" % (channels,))
    g = graph_lib._graph_from_values([contents])
    with g.as_default(), g.name_scope(name or "DecodePng") as scope:
        contents = convert(contents, dtype=dtypes.string, name="contents")
        return registry.make_tensor("DecodePng", [contents],
                                    {"channels": int(channels), "dtype": dtype}, name=scope)


def encode_png(image, compression=-1, name=None):
    """Encodes a [H, W, C] uint8 image (C in 1..4) as PNG bytes (a scalar string tensor)."""
    g = graph_lib._graph_from_values([image])
    with g.as_default(), g.name_scope(name or "EncodePng") as scope:
        image = convert(image, name="image")
        if image.shape.ndims is not None and image.shape.ndims != 3:
            raise ValueError("Shape must be rank 3 but is rank %d for 'EncodePng'"
                             % image.shape.ndims)
        return registry.make_tensor("EncodePng", [image],
                                    {"compression": int(compression),
                                     "T": image.dtype.base_dtype}, name=scope)


registry.register("DecodeJpeg", shape=lambda op: [(dtypes.uint8, TS(
    [None, None, op._attrs["channels"] or None]))], grad=ND)
registry.register("EncodeJpeg", shape=lambda op: [(dtypes.string, TS([]))], grad=ND)
registry.register("DecodeImage", shape=lambda op: [(op._attrs["dtype"], TS(
    [None, None, op._attrs["channels"] or None]))], grad=ND)


def decode_jpeg(contents, channels=0, ratio=1, fancy_upscaling=True,
                try_recover_truncated=False, acceptable_fraction=1, dct_method="", name=None):
    """Decodes JPEG bytes into a [H, W, C] uint8 image (needs Pillow: `pip install pillow`).

    Pixels may differ from TF's libjpeg-turbo decoder by a few levels (chroma upsampling).
    """
    if channels not in (0, 1, 3):
        raise ValueError("channels must be 0, 1 or 3, got %r" % (channels,))
    if ratio != 1:
        raise NotImplementedError("decode_jpeg(ratio=%r) is not supported" % (ratio,))
    g = graph_lib._graph_from_values([contents])
    with g.as_default(), g.name_scope(name or "DecodeJpeg") as scope:
        contents = convert(contents, dtype=dtypes.string, name="contents")
        return registry.make_tensor("DecodeJpeg", [contents], {
            "channels": int(channels), "ratio": 1, "fancy_upscaling": bool(fancy_upscaling),
            "dct_method": dct_method}, name=scope)


def encode_jpeg(image, format="", quality=95, progressive=False, optimize_size=False,  # noqa: A002
                chroma_downsampling=True, density_unit="in", x_density=300, y_density=300,
                xmp_metadata="", name=None):
    """Encodes a [H, W, 1|3] uint8 image as JPEG bytes (needs Pillow)."""
    g = graph_lib._graph_from_values([image])
    with g.as_default(), g.name_scope(name or "EncodeJpeg") as scope:
        image = convert(image, name="image")
        return registry.make_tensor("EncodeJpeg", [image], {
            "quality": int(quality), "progressive": bool(progressive),
            "chroma_downsampling": bool(chroma_downsampling)}, name=scope)


def decode_image(contents, channels=None, dtype=dtypes.uint8, name=None,
                 expand_animations=True):
    """Decodes PNG or JPEG bytes (told apart by their signature) into [H, W, C] pixels of
    `dtype` (uint8, or a float type scaled to [0, 1] as `convert_image_dtype` does)."""
    dtype = dtypes.as_dtype(dtype)
    g = graph_lib._graph_from_values([contents])
    with g.as_default(), g.name_scope(name or "decode_image"):
        contents = convert(contents, dtype=dtypes.string, name="contents")
        raw_dtype = dtypes.uint16 if dtype == dtypes.uint16 else dtypes.uint8
        image = registry.make_tensor("DecodeImage", [contents], {
            "channels": int(channels or 0), "dtype": raw_dtype}, name="DecodeImage")
        return image if dtype == raw_dtype else convert_image_dtype(image, dtype)
