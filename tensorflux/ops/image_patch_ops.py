"""`tf.image.extract_patches` / `tf.extract_image_patches`: every (dilated) window of a batch,
flattened into the depth dimension, as TF's ExtractImagePatches op.

The gradient is written with public ops, as TF writes it: the op applied to an image of pixel
numbers says which input pixel each patch entry came from, and the incoming gradient is summed
back per pixel with `unsorted_segment_sum`.
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, conv_ops, fill_ops, registry, segment_ops
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError

TS = tensor_shape.TensorShape


def _patch_shape(op):
    shape = op.inputs[0].shape
    if shape.ndims is not None and shape.ndims != 4:
        raise ShapeError("Shape must be rank 4 but is rank %d" % shape.ndims)
    batch, in_h, in_w, depth = shape.as_list() if shape.ndims == 4 else [None] * 4
    k, s, r = (op._attrs[a][1:3] for a in ("ksizes", "strides", "rates"))
    (out_h, out_w), _ = conv_ops.window_geometry([in_h, in_w], k, s, r, op._attrs["padding"])
    out_d = None if depth is None else k[0] * k[1] * depth
    return [(op.inputs[0].dtype.base_dtype, TS([batch, out_h, out_w, out_d]))]


def _patch_grad(op, grad):
    """Sums each patch entry's gradient into the input pixel it was read from."""
    images = op.inputs[0]
    shape = array_ops.shape(images)
    batch, in_h, in_w, depth = [shape[i] for i in range(4)]
    pixels = in_h * in_w
    # Pixel numbers 1..H*W (0 marks the zero padding), patched like the images.
    numbers = array_ops.reshape(fill_ops.range(1, pixels + 1), array_ops.stack(
        [1, in_h, in_w, 1]))
    attrs = {a: op._attrs[a] for a in ("ksizes", "strides", "rates", "padding")}
    attrs["T"] = dtypes.int32
    sources = registry.make_tensor("ExtractImagePatches", [numbers], attrs,
                                   name="ExtractImagePatches")
    sources = array_ops.reshape(sources, [-1])
    # grad: [batch, out_h, out_w, kr * kc * depth] -> [out_h * out_w * kr * kc, batch, depth]
    per_entry = array_ops.reshape(grad, array_ops.stack([batch, -1, depth]))
    per_entry = array_ops.transpose(per_entry, [1, 0, 2])
    summed = segment_ops.unsorted_segment_sum(per_entry, sources, pixels + 1)
    summed = array_ops.reshape(summed[1:], array_ops.stack([in_h, in_w, batch, depth]))
    return [array_ops.transpose(summed, [2, 0, 1, 3])]


registry.register("ExtractImagePatches", shape=_patch_shape, grad=_patch_grad)


def _four(values, name):
    values = [int(v) for v in values]
    if len(values) != 4:
        raise ValueError("Extract patches requires the %s attribute to contain 4 values, but "
                         "got: %d" % (name, len(values)))
    if values[0] != 1 or values[3] != 1:
        raise ValueError("Only support %s across space." % name)
    return values


def extract_image_patches(images, ksizes=None, strides=None, rates=None, padding=None,
                          name=None, sizes=None):
    """Patches `[batch, out_rows, out_cols, k_rows * k_cols * depth]` of a 4-D batch.

    `ksizes` (or `sizes`), `strides` and `rates` are `[1, rows, cols, 1]`; `rates` dilates
    the window; SAME pads with zeros.

    Example:
        >>> patches = tf.extract_image_patches(images, [1, 3, 3, 1], [1, 1, 1, 1],
        ...                                    [1, 1, 1, 1], "SAME")
    """
    ksizes = sizes if ksizes is None else ksizes
    if ksizes is None or strides is None or rates is None or padding is None:
        raise TypeError("extract_image_patches() needs ksizes, strides, rates and padding")
    padding = padding.decode() if isinstance(padding, bytes) else padding
    if padding not in ("SAME", "VALID"):
        raise ValueError("padding must be 'SAME' or 'VALID', got %r" % (padding,))
    attrs = {"ksizes": _four(ksizes, "ksizes"), "strides": _four(strides, "strides"),
             "rates": _four(rates, "rates"), "padding": padding}
    g = graph_lib._graph_from_values([images])
    with g.as_default(), g.name_scope(name or "ExtractImagePatches") as scope:
        images = convert(images, name="images")
        attrs["T"] = images.dtype.base_dtype
        return registry.make_tensor("ExtractImagePatches", [images], attrs, name=scope)


def extract_patches(images, sizes, strides, rates, padding, name=None):
    """`extract_image_patches` with TF 2's argument names.

    Example:
        >>> patches = tf.image.extract_patches(images, [1, 2, 2, 1], [1, 2, 2, 1],
        ...                                    [1, 1, 1, 1], "VALID")
    """
    return extract_image_patches(images, sizes, strides, rates, padding, name=name)
