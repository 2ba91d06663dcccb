"""`tf.contrib.layers` summary helpers: `summarize_tensor` (a scalar summary for 0-D tensors,
a histogram otherwise), `summarize_activation` (plus the fraction of zeros for ReLU-like ops
and of sixes for Relu6), and the collection versions.

Example:
    >>> tf.contrib.layers.summarize_activations()   # every tensor in GraphKeys.ACTIVATIONS
    >>> tf.contrib.layers.summarize_tensor(loss)    # scalar summary "loss_summary"
"""

import functools
import re

import tensorflux as tf
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys

__all__ = [
    "summarize_activation", "summarize_activations", "summarize_biases",
    "summarize_collection", "summarize_tensor", "summarize_tensors", "summarize_variables",
    "summarize_weights",
]


def _add_scalar_summary(tensor, tag=None):
    shape = tensor.get_shape()
    if shape.ndims not in (None, 0):  # TensorShape.assert_has_rank(0)
        raise ValueError("Shape %s must have rank %d" % (shape, 0))
    tag = tag or "%s_summary" % tensor.op.name
    return tf.summary.scalar(tag, tensor)


def _add_histogram_summary(tensor, tag=None):
    tag = tag or "%s_summary" % tensor.op.name
    return tf.summary.histogram(tag, tensor)


def summarize_activation(op):
    """Histogram `<op>/activation` of an activation tensor, plus `<op>/zeros` (fraction of
    negative inputs) for Relu/Softplus/Relu6 and `<op>/sixes` for Relu6.

    Example:
        >>> summarize_activation(tf.nn.relu(x))
    """
    if op.op.type in ("Relu", "Softplus", "Relu6"):
        # Use the inputs, to avoid floating point equality tests on the outputs.
        _add_scalar_summary(
            tf.reduce_mean(tf.cast(
                tf.less(op.op.inputs[0], tf.cast(0.0, op.op.inputs[0].dtype)), tf.float32)),
            "%s/zeros" % op.op.name)
    if op.op.type == "Relu6":
        _add_scalar_summary(
            tf.reduce_mean(tf.cast(
                tf.greater(op.op.inputs[0], tf.cast(6.0, op.op.inputs[0].dtype)), tf.float32)),
            "%s/sixes" % op.op.name)
    return _add_histogram_summary(op, "%s/activation" % op.op.name)


def summarize_tensor(tensor, tag=None):
    """A scalar summary for a 0-D tensor, a histogram otherwise (tag `<op name>_summary`)."""
    if tensor.get_shape().ndims == 0:
        return _add_scalar_summary(tensor, tag)
    return _add_histogram_summary(tensor, tag)


def summarize_tensors(tensors, summarizer=summarize_tensor):
    """`summarizer(t)` for each tensor; returns the summary ops."""
    return [summarizer(tensor) for tensor in tensors]


def summarize_collection(collection, name_filter=None, summarizer=summarize_tensor):
    """Summarizes the tensors of `collection` whose op name matches `name_filter` (a regex)."""
    tensors = []
    for op in graph_lib.get_collection(collection):
        if name_filter is None or re.match(name_filter, op.op.name):
            tensors.append(op)
    return summarize_tensors(tensors, summarizer)


summarize_variables = functools.partial(summarize_collection, GraphKeys.GLOBAL_VARIABLES)
summarize_weights = functools.partial(summarize_collection, GraphKeys.WEIGHTS)
summarize_biases = functools.partial(summarize_collection, GraphKeys.BIASES)


def summarize_activations(name_filter=None, summarizer=summarize_activation):
    """Summarizes every tensor in `GraphKeys.ACTIVATIONS` with `summarize_activation`."""
    return summarize_collection(GraphKeys.ACTIVATIONS, name_filter, summarizer)
