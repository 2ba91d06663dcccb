"""numpy kernels for the byte codecs (ops/codec_ops.py): TensorProto (de)serialization and the
BMP / GIF / JPEG-header image ops.

SerializeTensor writes what TF's kernel writes: dtype, shape, and the values as raw
little-endian `tensor_content` bytes (strings as `string_val`). Images are decoded with Pillow
(imported lazily: an optional dependency); GIF frames come out composited as Pillow plays them.
"""

import base64
import io

import numpy as np

from tensorflux.backends.numpy.image_ops import _as_bytes, _pillow
from tensorflux.graph import attr_values, dtypes
from tensorflux.ops import registry
from tensorflux.summary.proto import TensorProto, TensorShapeProto
from tensorflux.train import checkpoint_protos


def serialize(array, dtype):
    """The serialized `TensorProto` of `array` (held as `dtype`), as TF's kernel builds it."""
    array = np.asarray(array)
    proto = TensorProto(dtype=dtype.as_datatype_enum, tensor_shape=TensorShapeProto(
        dim=[TensorShapeProto.Dim(size=int(d)) for d in array.shape]))
    if dtype == dtypes.string:
        proto.string_val = [_as_bytes(s) for s in array.reshape(-1)]
    elif array.size:
        if dtype == dtypes.bfloat16:  # tensorflux holds bfloat16 values as float32
            array = checkpoint_protos.float32_to_bfloat16_bits(array)
        little = array.astype(array.dtype.newbyteorder("<"), copy=False)
        proto.tensor_content = np.ascontiguousarray(little).tobytes()
    return proto.SerializeToString()


@registry.kernel("SerializeTensor")
def _serialize_tensor(op):
    dtype = op._attrs["T"]

    def run(tensor):
        return np.array(serialize(tensor, dtype), dtype=object)
    return run


def _type_string(dtype):
    """TF's C++ name of a dtype (DataTypeString): float32 is "float", float64 "double"."""
    return {"float32": "float", "float64": "double", "float16": "half"}.get(dtype.name,
                                                                          dtype.name)


@registry.kernel("ParseTensor")
def _parse_tensor(op):
    out_type = op._attrs["out_type"]

    def run(serialized):
        if np.ndim(serialized) != 0:
            raise ValueError("Expected `serialized` to be a scalar, got shape: [%s]"
                             % ",".join(map(str, np.shape(serialized))))
        data = _as_bytes(serialized)
        try:
            enum = TensorProto.FromString(data).dtype
            array = attr_values.tensor_proto_to_ndarray(data)
        except Exception:  # noqa: BLE001 - any malformed proto is TF's one error
            raise ValueError("Could not parse `serialized` as TensorProto, base64: %s"
                             % base64.b64encode(data).decode()) from None
        if enum != out_type.as_datatype_enum:
            raise ValueError("Type mismatch between parsed tensor (%s) and dtype (%s)"
                             % (_type_string(dtypes.as_dtype(enum)), _type_string(out_type)))
        return array
    return run


def _open(data, kind):
    image = _pillow().open(io.BytesIO(data))
    if image.format != kind:
        raise ValueError("Invalid %s data, size %d" % (kind, len(data)))
    return image


def _pixels(image, channels):
    """[H, W, C] uint8 pixels: gray, RGB or RGBA as `channels` (0: as the file has them)."""
    mode = {1: "L", 3: "RGB", 4: "RGBA"}.get(channels)
    if mode is None:
        mode = image.mode if image.mode in ("L", "RGB", "RGBA") else "RGB"
    img = np.asarray(image.convert(mode), np.uint8)
    return np.ascontiguousarray(img[..., None] if img.ndim == 2 else img)


@registry.kernel("DecodeBmp")
def _decode_bmp(op):
    channels = op._attrs["channels"]

    def run(contents):
        return _pixels(_open(_as_bytes(contents), "BMP"), channels)
    return run


@registry.kernel("DecodeGif")
def _decode_gif(op):
    def run(contents):
        image = _open(_as_bytes(contents), "GIF")
        frames = []
        for k in range(getattr(image, "n_frames", 1)):
            image.seek(k)
            frames.append(_pixels(image, 3))
        return np.stack(frames)
    return run


@registry.kernel("ExtractJpegShape")
def _extract_jpeg_shape(op):
    dtype = op._attrs["output_type"].as_numpy_dtype

    def run(contents):
        data = _as_bytes(contents)
        try:
            image = _open(data, "JPEG")
        except Exception:  # noqa: BLE001 - Pillow raises several kinds for bad data
            raise ValueError("Invalid JPEG data, size %d" % len(data)) from None
        channels = {"L": 1, "CMYK": 4}.get(image.mode, 3)
        return np.array([image.size[1], image.size[0], channels], dtype)
    return run
