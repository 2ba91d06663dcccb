"""Summary ops (`tf.summary.scalar`, `histogram`, `image`, `text`, `tensor_summary`, `merge`,
`merge_all`): each evaluates to a serialized `Summary` protobuf (a scalar string tensor).

Names and tags follow TF 1.x: `tf.summary.scalar("loss", x)` creates op `loss` whose value has
tag `loss` (the enclosing name scope included, `family/` prefixed when given), and adds the
output to the `summaries` collection. The kernels build the protos
(`backends/numpy/summary_ops.py`); a `tf.summary.FileWriter` writes them to event files.
"""

import re

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.ops import constant_op, registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError

ND = registry.NOT_DIFFERENTIABLE
_SCALAR_STRING = [(dtypes.string, tensor_shape.TensorShape([]))]


def _scalar_summary_shape(op):
    tags, values = op.inputs
    if not tags.shape.is_compatible_with(values.shape):
        raise ShapeError("tags and values not the same shape: %s != %s"
                         % (tags.shape, values.shape))
    return _SCALAR_STRING


def _merge_shape(op):
    for t in op.inputs:
        if t.dtype.base_dtype != dtypes.string:
            raise ShapeError("MergeSummary inputs must be string tensors")
    return _SCALAR_STRING


def _image_shape(op):
    shape = op.inputs[1].shape
    if shape.ndims is not None and shape.ndims != 4:
        raise ShapeError("Shape must be rank 4 but is rank %d" % shape.ndims)
    return _SCALAR_STRING


registry.register("ScalarSummary", shape=_scalar_summary_shape, grad=ND)
registry.register("HistogramSummary", shape=lambda op: _SCALAR_STRING, grad=ND)
registry.register("ImageSummary", shape=_image_shape, grad=ND)
registry.register("TensorSummaryV2", shape=lambda op: _SCALAR_STRING, grad=ND)
registry.register("MergeSummary", shape=_merge_shape, grad=ND)

_INVALID_TAG_CHARACTERS = re.compile(r"[^-/\w\.]")


def clean_tag(name):
    """TF's tag cleaning: characters other than `[-/\\w.]` become `_`; a leading `/` goes."""
    if name is not None:
        new_name = _INVALID_TAG_CHARACTERS.sub("_", name)
        new_name = new_name.lstrip("/")
        if new_name != name:
            from tensorflux.platform import tf_logging

            tf_logging.info("Summary name %s is illegal; using %s instead." % (name, new_name))
            name = new_name
    return name


class _SummaryScope:
    """`(tag, scope)` for a summary named `name` (TF's `summary_op_util.summary_scope`)."""

    def __init__(self, name, family=None, default_name=None, values=None):
        name = clean_tag(name)
        family = clean_tag(family)
        base = name if family is None else "%s/%s" % (family, name)
        self._family = family
        self._ctx = graph_lib.name_scope(base, default_name, values)

    def __enter__(self):
        scope = self._ctx.__enter__()
        tag = scope.rstrip("/")
        if self._family is not None:
            tag = "%s/%s" % (self._family, tag)
        return tag, scope

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)


def _collect(value, collections, default):
    if collections is None:
        collections = default
    for key in collections:
        graph_lib.add_to_collection(key, value)


def scalar(name, tensor, collections=None, family=None):
    """A Summary with one scalar value (`simple_value`) under tag `name`.

    Example:
        >>> tf.summary.scalar("loss", loss)
    """
    with _SummaryScope(name, family, values=[tensor]) as (tag, scope):
        tensor = convert(tensor)
        tags = constant_op.constant(tag, name="tags")
        val = registry.make_tensor("ScalarSummary", [tags, tensor],
                                   {"T": tensor.dtype.base_dtype}, name=scope)
    _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def histogram(name, values, collections=None, family=None):
    """A Summary holding a histogram of `values` (TF's exponential buckets)."""
    with _SummaryScope(name, family, values=[values], default_name="HistogramSummary") as (
            tag, scope):
        values = convert(values)
        tag_t = constant_op.constant(tag, name="tag")
        val = registry.make_tensor("HistogramSummary", [tag_t, values],
                                   {"T": values.dtype.base_dtype}, name=scope)
    _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


_BAD_COLOR = np.array([255, 0, 0, 255], np.uint8)


def image(name, tensor, max_outputs=3, collections=None, family=None):
    """A Summary with up to `max_outputs` PNG images from a [batch, H, W, 1|3|4] tensor.

    uint8 images are written as they are; float images are rescaled per image to 0..255 (all
    values >= 0: max -> 255; else 0.0 -> 128 and max |value| -> 127 away from it).
    """
    with _SummaryScope(name, family, values=[tensor]) as (tag, scope):
        tensor = convert(tensor)
        tag_t = constant_op.constant(tag, name="tag")
        val = registry.make_tensor("ImageSummary", [tag_t, tensor],
                                   {"T": tensor.dtype.base_dtype, "max_images": int(max_outputs),
                                    "bad_color": _BAD_COLOR}, name=scope)
    _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def _metadata_bytes(summary_metadata=None, summary_description=None, display_name=None,
                    plugin_name=None):
    from tensorflux.summary import proto

    if summary_metadata is None:
        summary_metadata = proto.SummaryMetadata()
        if plugin_name is not None:
            summary_metadata.plugin_data = proto.SummaryMetadata.PluginData(
                plugin_name=plugin_name)
        if summary_description is not None:
            summary_metadata.summary_description = summary_description
        if display_name is not None:
            summary_metadata.display_name = display_name
    if isinstance(summary_metadata, bytes):
        return summary_metadata
    return summary_metadata.SerializeToString()


def tensor_summary(name, tensor, summary_description=None, collections=None,
                   summary_metadata=None, family=None, display_name=None):
    """A Summary holding the whole `tensor` (as a TensorProto) under tag `name`."""
    meta = _metadata_bytes(summary_metadata, summary_description, display_name)
    with _SummaryScope(name, family, values=[tensor]) as (tag, scope):
        tensor = convert(tensor)
        tag_t = constant_op.constant(tag, name="tag")
        meta_t = constant_op.constant(np.array(meta, dtype=object), dtype=dtypes.string,
                                      name="serialized_summary_metadata")
        val = registry.make_tensor("TensorSummaryV2", [tag_t, tensor, meta_t],
                                   {"T": tensor.dtype.base_dtype}, name=scope)
    _collect(val, collections, [GraphKeys.SUMMARIES])
    return val


def text(name, tensor, collections=None):
    """A Summary of a string tensor, shown by TensorBoard's Text tab (plugin "text")."""
    tensor = convert(tensor)
    if tensor.dtype.base_dtype != dtypes.string:
        raise ValueError("Expected tensor %s to have dtype string, got %s"
                         % (tensor.name, tensor.dtype))
    from tensorflux.summary import proto

    meta = proto.SummaryMetadata(plugin_data=proto.SummaryMetadata.PluginData(
        plugin_name="text"))
    return tensor_summary(name, tensor, collections=collections, summary_metadata=meta)


def merge(inputs, collections=None, name=None):
    """One Summary holding every value of the input summaries (duplicate tags are an error)."""
    with graph_lib.name_scope(name, "Merge", inputs):
        tensors = [convert(t) for t in inputs]
        val = registry.make_tensor("MergeSummary", tensors, {"N": len(tensors)},
                                   name="MergeSummary")
    _collect(val, collections, [])
    return val


def merge_all(key=GraphKeys.SUMMARIES, scope=None, name=None):
    """`merge` of every summary in collection `key` (None if there are none)."""
    summaries = graph_lib.get_collection(key, scope=scope)
    if not summaries:
        return None
    return merge(summaries, name=name)


def get_summary_description(node_def):
    """The SummaryDescription of a TensorSummary node (its `description` attribute)."""
    from tensorflux.summary import proto

    if node_def.op != "TensorSummary":
        raise ValueError("Can't get_summary_description on %s" % node_def.op)
    return proto.SummaryDescription.FromString(node_def.attr["description"])
