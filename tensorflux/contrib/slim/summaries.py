"""`slim.summaries`: one-line summaries of tensors — histograms, scalars, images and the
fraction of zeros (e.g. of ReLU activations) — named after the tensor's op, with an optional
prefix.

Example:
    >>> slim.summaries.add_histogram_summaries(slim.get_model_variables())
    >>> slim.summaries.add_scalar_summary(total_loss, "Total Loss")
    >>> slim.summaries.add_zero_fraction_summaries(end_points.values())
"""

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.ops import (
    array_ops,
    constant_op,
    debug_ops,
    math_ops,
    reduction_ops,
    summary_ops,
)


def _get_summary_name(tensor, name=None, prefix=None, postfix=None):
    if not name:
        name = tensor.op.name
    if prefix:
        name = prefix + "/" + name
    if postfix:
        name = name + "/" + postfix
    return name


def _zero_fraction(value):
    # TF's tf.nn.zero_fraction: the fraction of `value`'s elements that are zero.
    with graph_lib.name_scope(None, "zero_fraction", [value]):
        value = constant_op.convert_to_tensor(value, name="value")
        size = array_ops.size(value, out_type=dtypes.int64)
        num_nonzero = reduction_ops.count_nonzero(value, dtype=dtypes.int64)
        with graph_lib.name_scope("counts_to_fraction"):
            num_zero = size - num_nonzero
            fraction = (math_ops.cast(num_zero, dtypes.float32)
                        / math_ops.cast(size, dtypes.float32))
        return array_ops.identity(fraction, "fraction")


def add_histogram_summary(tensor, name=None, prefix=None):
    """A histogram summary of `tensor`, named `prefix/name` (default name: its op's)."""
    return summary_ops.histogram(_get_summary_name(tensor, name, prefix), tensor)


def add_image_summary(tensor, name=None, prefix=None, print_summary=False):
    """An image summary of `tensor` ([batch, height, width, channels]); with
    `print_summary`, running it also prints the tensor."""
    summary_name = _get_summary_name(tensor, name, prefix)
    # When printing, the Print op rather than the summary goes into the SUMMARIES collection.
    collections = [] if print_summary else None
    op = summary_ops.image(name=summary_name, tensor=tensor, collections=collections)
    if print_summary:
        op = debug_ops.Print(op, [tensor], summary_name)
        graph_lib.add_to_collection(GraphKeys.SUMMARIES, op)
    return op


def add_scalar_summary(tensor, name=None, prefix=None, print_summary=False):
    """A scalar summary of `tensor`; with `print_summary`, running it also prints the value."""
    collections = [] if print_summary else None
    summary_name = _get_summary_name(tensor, name, prefix)
    op = summary_ops.scalar(name=summary_name, tensor=tensor, collections=collections)
    if print_summary:
        op = debug_ops.Print(op, [tensor], summary_name)
        graph_lib.add_to_collection(GraphKeys.SUMMARIES, op)
    return op


def add_zero_fraction_summary(tensor, name=None, prefix=None, print_summary=False):
    """A scalar summary of the fraction of zeros of `tensor`, named
    `<name>/Fraction_of_Zero_Values`."""
    name = _get_summary_name(tensor, name, prefix, "Fraction_of_Zero_Values")
    return add_scalar_summary(_zero_fraction(tensor), name, print_summary=print_summary)


def add_histogram_summaries(tensors, prefix=None):
    """`add_histogram_summary` of each tensor; the list of summaries."""
    return [add_histogram_summary(tensor, prefix=prefix) for tensor in tensors]


def add_image_summaries(tensors, prefix=None):
    """`add_image_summary` of each tensor; the list of summaries."""
    return [add_image_summary(tensor, prefix=prefix) for tensor in tensors]


def add_scalar_summaries(tensors, prefix=None, print_summary=False):
    """`add_scalar_summary` of each tensor; the list of summaries."""
    return [add_scalar_summary(tensor, prefix=prefix, print_summary=print_summary)
            for tensor in tensors]


def add_zero_fraction_summaries(tensors, prefix=None):
    """`add_zero_fraction_summary` of each tensor; the list of summaries."""
    return [add_zero_fraction_summary(tensor, prefix=prefix) for tensor in tensors]


__all__ = ["add_histogram_summary", "add_image_summary", "add_scalar_summary",
           "add_zero_fraction_summary", "add_histogram_summaries", "add_image_summaries",
           "add_scalar_summaries", "add_zero_fraction_summaries"]
