"""numpy kernels for the summary ops: they build and serialize `Summary` protos."""

import numpy as np

from tensorflux.graph import dtypes
from tensorflux.ops import registry
from tensorflux.summary import proto
from tensorflux.utils import png

_DBL_MAX = float(np.finfo(np.float64).max)


def _default_bucket_limits():
    """TF's histogram buckets: ±1e-12 growing by 10% up to ±1e20, ±DBL_MAX, and 0."""
    pos = []
    v = 1.0e-12
    while v < 1.0e20:
        pos.append(v)
        v *= 1.1
    pos.append(_DBL_MAX)
    return [-x for x in reversed(pos)] + [0.0] + pos


_LIMITS = _default_bucket_limits()


def _text(x):
    x = x[()] if isinstance(x, np.ndarray) else x
    return x.decode("utf-8") if isinstance(x, bytes) else str(x)


def _out(summary):
    return np.array(summary.SerializeToString(), dtype=object)


@registry.kernel("ScalarSummary")
def _scalar_summary(op):
    def run(tags, values):
        tags, values = np.asarray(tags), np.asarray(values)
        if tags.shape != values.shape:
            raise ValueError("tags and values not the same shape: %s != %s" % (
                _shape_str(tags.shape), _shape_str(values.shape)))
        s = proto.Summary()
        for tag, value in zip(tags.ravel(), values.ravel()):
            s.value.add(tag=_text(tag), simple_value=float(value))
        return _out(s)

    return run


def _shape_str(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def histogram_proto(values):
    """A HistogramProto of `values` in TF's default buckets (empty runs collapsed)."""
    values = np.asarray(values, np.float64).ravel()
    counts = np.zeros(len(_LIMITS))
    if values.size:
        idx = np.searchsorted(_LIMITS, values, side="right")
        np.add.at(counts, np.minimum(idx, len(_LIMITS) - 1), 1.0)
    h = proto.HistogramProto(
        min=float(values.min()) if values.size else _DBL_MAX,
        max=float(values.max()) if values.size else -_DBL_MAX,
        num=float(values.size), sum=float(values.sum()),
        sum_squares=float(np.dot(values, values)))
    limits, buckets = [], []
    i = 0
    while i < len(_LIMITS):
        end, count = _LIMITS[i], counts[i]
        i += 1
        if count <= 0.0:
            while i < len(_LIMITS) and counts[i] <= 0.0:
                end, count = _LIMITS[i], counts[i]
                i += 1
        limits.append(end)
        buckets.append(float(count))
    if not limits:
        limits, buckets = [_DBL_MAX], [0.0]
    h.bucket_limit = limits
    h.bucket = buckets
    return h


@registry.kernel("HistogramSummary")
def _histogram_summary(op):
    def run(tag, values):
        values = np.asarray(values)
        if values.dtype.kind in "fc" and not np.isfinite(values).all():
            what = "Nan" if np.isnan(values).any() else "Infinity"
            raise ValueError("%s in summary histogram for: %s" % (what, _text(tag)))
        s = proto.Summary()
        s.value.add(tag=_text(tag), histo=histogram_proto(values))
        return _out(s)

    return run


def _to_uint8(image, bad_color):
    """TF's per-image rescaling of a float [H, W, C] image to uint8."""
    x = image.astype(np.float32)
    finite = np.isfinite(x).all(axis=-1)
    good = x[finite]
    lo = float(good.min()) if good.size else np.inf
    hi = float(good.max()) if good.size else -np.inf
    if lo < 0:
        max_val = max(abs(lo), abs(hi))
        scale, offset = (0.0 if max_val < 1e-6 else 127.0 / max_val), 128.0
    else:
        scale, offset = (0.0 if hi < 1e-6 else 255.0 / hi), 0.0
    with np.errstate(invalid="ignore", over="ignore"):
        out = (x * np.float32(scale) + np.float32(offset)).astype(np.int64)
    out = np.clip(out, 0, 255).astype(np.uint8)  # in range already, except for rounding
    out[~finite] = bad_color[:x.shape[-1]]
    return out


@registry.kernel("ImageSummary")
def _image_summary(op):
    max_images = op._attrs["max_images"]
    bad_color = np.asarray(op._attrs["bad_color"], np.uint8)

    def run(tag, tensor):
        tensor = np.asarray(tensor)
        if tensor.ndim != 4 or tensor.shape[3] not in (1, 3, 4):
            raise ValueError("Tensor must be 4-D with last dim 1, 3, or 4, not [%s]"
                             % ",".join(str(d) for d in tensor.shape))
        base = _text(tag)
        s = proto.Summary()
        for i in range(min(max_images, tensor.shape[0])):
            img = tensor[i] if tensor.dtype == np.uint8 else _to_uint8(tensor[i], bad_color)
            name = "%s/image/%d" % (base, i) if max_images > 1 else base + "/image"
            s.value.add(tag=name, image=proto.Summary.Image(
                height=img.shape[0], width=img.shape[1], colorspace=img.shape[2],
                encoded_image_string=png.encode_png(img)))
        return _out(s)

    return run


def tensor_proto(value, dtype):
    """A TensorProto of an array: strings in `string_val`, everything else in
    `tensor_content` (as TF's `AsProtoTensorContent`)."""
    arr = np.asarray(value)
    shape = proto.TensorShapeProto(dim=[proto.TensorShapeProto.Dim(size=d) for d in arr.shape])
    t = proto.TensorProto(dtype=dtype.as_datatype_enum, tensor_shape=shape)
    if dtype == dtypes.string:
        t.string_val = [x if isinstance(x, bytes) else str(x).encode("utf-8")
                        for x in arr.ravel()]
    elif arr.size:
        t.tensor_content = np.ascontiguousarray(
            arr.astype(arr.dtype.newbyteorder("<"))).tobytes()
    return t


@registry.kernel("TensorSummaryV2")
def _tensor_summary(op):
    dtype = op.inputs[1].dtype.base_dtype

    def run(tag, tensor, metadata):
        meta = metadata[()] if isinstance(metadata, np.ndarray) else metadata
        meta = meta.encode("latin-1") if isinstance(meta, str) else bytes(meta)
        s = proto.Summary()
        value = s.value.add(tag=_text(tag), tensor=tensor_proto(tensor, dtype))
        value.metadata = proto.SummaryMetadata.FromString(meta)
        return _out(s)

    return run


@registry.kernel("MergeSummary")
def _merge_summary(op):
    def run(*inputs):
        out = proto.Summary()
        seen = set()
        for x in inputs:
            for item in np.asarray(x, dtype=object).ravel():
                data = item.encode("latin-1") if isinstance(item, str) else bytes(item)
                for value in proto.Summary.FromString(data).value:
                    if value.tag in seen:
                        raise ValueError("Duplicate tag %s found in summary inputs " % value.tag)
                    seen.add(value.tag)
                    out.value.append(value)
        return _out(out)

    return run

