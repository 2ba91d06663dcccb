"""Byte codecs: tensors <-> serialized `TensorProto` strings (`tf.io.serialize_tensor` /
`parse_tensor`), and the BMP, GIF and JPEG-header image ops (`tf.image.decode_bmp`,
`decode_gif`, `extract_jpeg_shape`, `is_jpeg`).

None of these ops is differentiable (TF marks them so). Kernels: backends/numpy/codec_ops.py
(image decoding uses Pillow, an optional dependency).
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError

ND = registry.NOT_DIFFERENTIABLE
TS = tensor_shape.TensorShape


def _scalar_input(op):
    shape = op.inputs[0].shape
    if shape.ndims is not None and shape.ndims != 0:
        raise ShapeError("Shape must be rank 0 but is rank %d" % shape.ndims)


def _decode_shape(dims):
    def shape(op):
        _scalar_input(op)
        return [(dtypes.uint8, TS(dims(op)))]
    return shape


def _parse_shape(op):
    _scalar_input(op)
    return [(op._attrs["out_type"], tensor_shape.unknown_shape())]


def _jpeg_shape_shape(op):
    _scalar_input(op)
    return [(op._attrs["output_type"], TS([3]))]


registry.register("SerializeTensor", shape=lambda op: [(dtypes.string, TS([]))], grad=ND)
registry.register("ParseTensor", shape=_parse_shape, grad=ND)
registry.register("DecodeBmp", shape=_decode_shape(
    lambda op: [None, None, op._attrs["channels"] or None]), grad=ND)
registry.register("DecodeGif", shape=_decode_shape(lambda op: [None, None, None, 3]), grad=ND)
registry.register("ExtractJpegShape", shape=_jpeg_shape_shape, grad=ND)


def _apply(op_type, contents, attrs, name):
    """Creates `op_type` on a string input under the name scope `name or op_type`."""
    g = graph_lib._graph_from_values([contents])
    with g.as_default(), g.name_scope(name or op_type) as scope:
        contents = convert(contents, dtype=dtypes.string, name="contents")
        return registry.make_tensor(op_type, [contents], attrs, name=scope)


def serialize_tensor(tensor, name=None):
    """A scalar string: `tensor` as a serialized `TensorProto` (raw bytes in `tensor_content`,
    strings in `string_val`), byte for byte what TF writes.

    Example:
        >>> s = tf.io.serialize_tensor(tf.constant([1.0, 2.0]))
        >>> tf.io.parse_tensor(s, tf.float32)
    """
    g = graph_lib._graph_from_values([tensor])
    with g.as_default(), g.name_scope(name or "SerializeTensor") as scope:
        tensor = convert(tensor, name="tensor")
        return registry.make_tensor("SerializeTensor", [tensor],
                                    {"T": tensor.dtype.base_dtype}, name=scope)


def parse_tensor(serialized, out_type, name=None):
    """The tensor (of dtype `out_type`, shape known at run time) a serialized `TensorProto`
    holds; a proto of another dtype is an InvalidArgumentError.

    Example:
        >>> tf.io.parse_tensor(tf.io.serialize_tensor([[1, 2]]), tf.int32)
    """
    out_type = dtypes.as_dtype(out_type).base_dtype
    g = graph_lib._graph_from_values([serialized])
    with g.as_default(), g.name_scope(name or "ParseTensor") as scope:
        serialized = convert(serialized, dtype=dtypes.string, name="serialized")
        return registry.make_tensor("ParseTensor", [serialized], {"out_type": out_type},
                                    name=scope)


def decode_bmp(contents, channels=0, name=None):
    """Decodes a BMP file into a `[H, W, C]` uint8 image (C from the file when `channels` is 0).

    Example:
        >>> image = tf.image.decode_bmp(tf.read_file("picture.bmp"))
    """
    if channels not in (0, 1, 3, 4):
        raise ValueError("Attr 'channels' of 'DecodeBmp' Op passed %r: must be 0, 1, 3 or 4"
                         % (channels,))
    return _apply("DecodeBmp", contents, {"channels": int(channels)}, name)


def decode_gif(contents, name=None):
    """Decodes every frame of a GIF into a `[frames, H, W, 3]` uint8 tensor (RGB).

    Example:
        >>> frames = tf.image.decode_gif(tf.read_file("animation.gif"))
    """
    return _apply("DecodeGif", contents, {}, name)


def extract_jpeg_shape(contents, output_type=dtypes.int32, name=None):
    """`[height, width, channels]` of a JPEG image, read from its header only.

    Example:
        >>> hwc = tf.image.extract_jpeg_shape(tf.read_file("photo.jpg"))
    """
    output_type = dtypes.as_dtype(output_type).base_dtype
    if output_type not in (dtypes.int32, dtypes.int64):
        raise TypeError("Value passed to parameter 'output_type' has DataType %s not in list "
                        "of allowed values: int32, int64" % output_type.name)
    return _apply("ExtractJpegShape", contents, {"output_type": output_type}, name)


def is_jpeg(contents, name=None):
    """Whether `contents` starts with the JPEG signature `\\xff\\xd8\\xff` (a bool tensor of the
    same shape); built from `substr` and `equal` as TF does.

    Example:
        >>> tf.image.is_jpeg(tf.read_file("photo.jpg"))
    """
    from tensorflux.ops import math_ops, string_ops

    with graph_lib.name_scope(name, "is_jpeg"):
        prefix = string_ops.substr(contents, 0, 3)
        return math_ops.equal(prefix, b"\xff\xd8\xff", name=name)
