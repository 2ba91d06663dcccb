"""`slim.losses` (TF-Slim's, the old `tf.contrib.losses`): the `tf.losses` functions with their
first, deprecated argument order — predictions/logits first, then labels.

Each loss is a weighted mean (the sum over the non-zero weights, `tf.losses`' default reduction)
and is added to `tf.GraphKeys.LOSSES`, so `slim.losses.get_total_loss()` sums them with the
regularization losses.

Example:
    >>> slim.losses.softmax_cross_entropy(logits, onehot_labels)
    >>> total_loss = slim.losses.get_total_loss()
"""

from tensorflux import losses as tf_losses
from tensorflux import nn
from tensorflux.contrib.framework.arg_scope import add_arg_scope
from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.ops import (
    array_ops,
    constant_op,
    fill_ops,
    manip_ops,
    math_ops,
    reduction_ops,
    slicing_ops,
)


def compute_weighted_loss(losses, weights=1.0, scope=None):
    """The weighted mean of `losses` (over the non-zero weights), added to `LOSSES`."""
    return tf_losses.compute_weighted_loss(losses, weights, scope=scope)


@add_arg_scope
def add_loss(loss, loss_collection=GraphKeys.LOSSES):
    """Adds an externally computed `loss` to `loss_collection`."""
    tf_losses.add_loss(loss, loss_collection)


def get_losses(scope=None, loss_collection=GraphKeys.LOSSES):
    """The losses in `loss_collection` (filtered by `scope`)."""
    return tf_losses.get_losses(scope, loss_collection)


def get_regularization_losses(scope=None):
    """The tensors in `REGULARIZATION_LOSSES` (filtered by `scope`)."""
    return tf_losses.get_regularization_losses(scope)


def get_total_loss(add_regularization_losses=True, name="total_loss"):
    """The sum of the losses (and, by default, the regularization losses).

    Example:
        >>> total_loss = slim.losses.get_total_loss()
        >>> train_op = slim.learning.create_train_op(total_loss, optimizer)
    """
    losses = get_losses()
    if add_regularization_losses:
        losses += get_regularization_losses()
    return math_ops.add_n(losses, name=name)


def absolute_difference(predictions, labels=None, weights=1.0, scope=None):
    """Mean absolute error."""
    return tf_losses.absolute_difference(labels, predictions, weights, scope=scope)


def sigmoid_cross_entropy(logits, multi_class_labels, weights=1.0, label_smoothing=0,
                          scope=None):
    """Sigmoid cross-entropy of multi-label `logits` (labels smoothed towards 1/2)."""
    return tf_losses.sigmoid_cross_entropy(multi_class_labels, logits, weights,
                                           label_smoothing, scope=scope)


def softmax_cross_entropy(logits, onehot_labels, weights=1.0, label_smoothing=0, scope=None):
    """Softmax cross-entropy of `logits` against one-hot labels (smoothed towards
    1/num_classes).

    Example:
        >>> loss = slim.losses.softmax_cross_entropy(logits, slim.one_hot_encoding(labels, 10))
    """
    return tf_losses.softmax_cross_entropy(onehot_labels, logits, weights, label_smoothing,
                                           scope=scope)


def sparse_softmax_cross_entropy(logits, labels, weights=1.0, scope=None):
    """Softmax cross-entropy of `logits` against integer labels (`[batch]` or `[batch, 1]`)."""
    return tf_losses.sparse_softmax_cross_entropy(labels, logits, weights, scope=scope)


def log_loss(predictions, labels=None, weights=1.0, epsilon=1e-7, scope=None):
    """Binary log loss of probabilities `predictions`."""
    return tf_losses.log_loss(labels, predictions, weights, epsilon, scope=scope)


def hinge_loss(logits, labels=None, scope=None):
    """The element-wise hinge loss `relu(1 - (2 * labels - 1) * logits)`, unreduced and not
    added to `LOSSES` (as the old contrib loss)."""
    with graph_lib.name_scope(scope, "hinge_loss", [logits, labels]):
        logits.get_shape().assert_is_compatible_with(labels.get_shape())
        labels = math_ops.cast(labels, dtypes.float32)
        all_ones = fill_ops.ones_like(labels)
        labels = math_ops.subtract(2 * labels, all_ones)
        return nn.relu(math_ops.subtract(all_ones, math_ops.multiply(labels, logits)))


def mean_squared_error(predictions, labels=None, weights=1.0, scope=None):
    """Mean squared error."""
    return tf_losses.mean_squared_error(labels, predictions, weights, scope=scope)


def _num_present_per_batch(diffs, weights):
    """How many elements of each sample the (broadcast) `weights` keep."""
    if weights.get_shape().ndims == 0:
        batch_size = array_ops.reshape(
            slicing_ops.slice(array_ops.shape(diffs), [0], [1]), [])
        per_batch = math_ops.div(math_ops.cast(array_ops.size(diffs), dtypes.float32),
                                 math_ops.cast(batch_size, dtypes.float32))
        per_batch = manip_ops.where(math_ops.equal(weights, 0), 0.0, per_batch)
        return math_ops.multiply(fill_ops.ones(array_ops.reshape(batch_size, [1])), per_batch)
    axis = list(range(1, weights.get_shape().ndims))
    nonzero = reduction_ops.reduce_sum(
        math_ops.cast(math_ops.not_equal(weights, 0), dtypes.float32), axis=axis)
    broadcast_dims = slicing_ops.slice(array_ops.shape(diffs), [weights.get_shape().ndims],
                                       [-1])
    return math_ops.multiply(nonzero, math_ops.cast(reduction_ops.reduce_prod(broadcast_dims),
                                                    dtypes.float32))


def mean_pairwise_squared_error(predictions, labels=None, weights=1.0, scope=None):
    """The old contrib pairwise loss: per sample `2 * sum(d^2) / n - 2 * sum(d)^2 / n^2` of the
    errors `d` (n = the weighted element count), weighted and summed over the batch. (Not
    `tf.losses.mean_pairwise_squared_error`, which divides by `n - 1` and averages.)"""
    with graph_lib.name_scope(scope, "mean_pairwise_squared_error",
                              [predictions, labels, weights]):
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        predictions = math_ops.cast(predictions, dtypes.float32)
        labels = math_ops.cast(labels, dtypes.float32)
        weights = math_ops.cast(constant_op.convert_to_tensor(weights), dtypes.float32)
        diffs = math_ops.subtract(predictions, labels)
        if diffs.get_shape().ndims is None:
            raise ValueError("diffs.get_shape().ndims cannot be None")
        if weights.get_shape().ndims is None:
            raise ValueError("weights.get_shape().ndims cannot be None")
        axes = list(range(1, diffs.get_shape().ndims))
        sum_squares = reduction_ops.reduce_sum(math_ops.square(diffs), axis=axes)
        num_present = _num_present_per_batch(diffs, weights)
        term1 = 2.0 * math_ops.div_no_nan(sum_squares, num_present, name="value")
        sum_diff = reduction_ops.reduce_sum(diffs, axis=axes)
        term2 = 2.0 * math_ops.div_no_nan(math_ops.square(sum_diff),
                                          math_ops.square(num_present), name="value")
        losses = term1 - term2
        start = max(0, weights.get_shape().ndims)
        reduced = reduction_ops.reduce_sum(losses,
                                           axis=list(range(start, losses.get_shape().ndims)))
        loss = reduction_ops.reduce_sum(math_ops.multiply(reduced, weights))
        mean_loss = manip_ops.where(reduction_ops.reduce_sum(num_present) > 0, loss,
                                    fill_ops.zeros_like(loss), name="value")
        add_loss(mean_loss)
        return mean_loss


def cosine_distance(predictions, labels=None, axis=None, weights=1.0, scope=None, dim=None):
    """1 - cosine similarity along `axis` of unit-normalized `predictions` and `labels`."""
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        axis = dim
    if axis is None:
        raise ValueError("You must specify 'axis'.")
    return tf_losses.cosine_distance(labels, predictions, axis=axis, weights=weights,
                                     scope=scope)


__all__ = [
    "absolute_difference", "add_loss", "compute_weighted_loss", "cosine_distance",
    "get_losses", "get_regularization_losses", "get_total_loss", "hinge_loss", "log_loss",
    "mean_pairwise_squared_error", "mean_squared_error", "sigmoid_cross_entropy",
    "softmax_cross_entropy", "sparse_softmax_cross_entropy",
]
