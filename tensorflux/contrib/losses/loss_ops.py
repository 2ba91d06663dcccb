"""The old `tf.contrib.losses` (TF 1.x, deprecated in favour of `tf.losses`): predictions or
logits first, then labels, and its own weighting rule.

Weights broadcast from the LEFT: `weights` of shape [batch] (or [batch, 1]) scale each
example's summed loss, whatever the rank of the loss (`tf.losses` would broadcast [batch] against
the last axis instead). The result is the weighted sum divided by the number of loss elements
with a non-zero weight (0 when there are none), computed in float32, cast back to the loss's
dtype and added to `GraphKeys.LOSSES`. `hinge_loss` is the exception: unweighted, unreduced and
not collected.

Example:
    >>> loss = tf.contrib.losses.softmax_cross_entropy(logits, onehot_labels)
    >>> total_loss = tf.contrib.losses.get_total_loss()
"""

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


def _to_float(x):
    return math_ops.cast(x, dtypes.float32)


def _scale_losses(losses, weights):
    """sum(losses * weights), `weights` tiled over the trailing axes of `losses`."""
    start_index = max(0, weights.get_shape().ndims)
    axes = list(range(start_index, losses.get_shape().ndims))
    reduced_losses = reduction_ops.reduce_sum(losses, axis=axes)
    return reduction_ops.reduce_sum(math_ops.multiply(reduced_losses, weights))


def _safe_div(numerator, denominator, name="value"):
    """numerator / denominator where denominator > 0, else 0 (no NaN in the gradient)."""
    return array_ops.where(
        math_ops.greater(denominator, 0),
        math_ops.div(numerator, array_ops.where(math_ops.equal(denominator, 0),
                                                fill_ops.ones_like(denominator),
                                                denominator)),
        fill_ops.zeros_like(numerator), name=name)


def _safe_mean(losses, num_present):
    return _safe_div(reduction_ops.reduce_sum(losses), num_present)


def _num_present(losses, weights, per_batch=False):
    """How many elements of `losses` the (left-broadcast) `weights` leave non-zero; per
    example (shape [batch]) when `per_batch`."""
    if weights.get_shape().ndims == 0:
        batch_size = array_ops.reshape(
            slicing_ops.slice(array_ops.shape(losses), [0], [1]), [])
        num_per_batch = math_ops.div(_to_float(array_ops.size(losses)), _to_float(batch_size))
        num_per_batch = array_ops.where(math_ops.equal(weights, 0), 0.0, num_per_batch)
        num_per_batch = math_ops.multiply(
            fill_ops.ones(array_ops.reshape(batch_size, [1])), num_per_batch)
        return num_per_batch if per_batch else reduction_ops.reduce_sum(num_per_batch)
    axes = list(range(1, weights.get_shape().ndims))
    num_nonzero_per_batch = reduction_ops.reduce_sum(
        _to_float(math_ops.not_equal(weights, 0)), axis=axes)
    broadcast_dims = slicing_ops.slice(array_ops.shape(losses), [weights.get_shape().ndims],
                                       [-1])
    num_to_broadcast = _to_float(reduction_ops.reduce_prod(broadcast_dims))
    num_per_batch = math_ops.multiply(num_nonzero_per_batch, num_to_broadcast)
    return num_per_batch if per_batch else reduction_ops.reduce_sum(num_per_batch)


def compute_weighted_loss(losses, weights=1.0, scope=None):
    """The weighted mean of `losses` ([batch, d1, ...]) with `weights` a scalar or of shape
    [batch, d1, ..., dK], K <= N (a trailing 1 is squeezed); added to `LOSSES`.

    Raises:
        ValueError: If the rank of `losses` or `weights` is unknown.

    Example:
        >>> loss = tf.contrib.losses.compute_weighted_loss(per_pixel_losses, weights=[1., 0.])
    """
    with graph_lib.name_scope(scope, "weighted_loss", [losses, weights]):
        losses = constant_op.convert_to_tensor(losses)
        input_dtype = losses.dtype
        losses = _to_float(losses)
        weights = _to_float(constant_op.convert_to_tensor(weights))
        if losses.get_shape().ndims is None:
            raise ValueError("losses.get_shape().ndims cannot be None")
        weights_shape = weights.get_shape()
        if weights_shape.ndims is None:
            raise ValueError("weights.get_shape().ndims cannot be None")
        if weights_shape.ndims > 1 and weights_shape.dims[-1].is_compatible_with(1):
            weights = manip_ops.squeeze(weights, [-1])
        total_loss = _scale_losses(losses, weights)
        num_present = _num_present(losses, weights)
        mean_loss = _safe_mean(total_loss, num_present)
        mean_loss = math_ops.cast(mean_loss, input_dtype)
        add_loss(mean_loss)
        return mean_loss


@add_arg_scope
def add_loss(loss, loss_collection=GraphKeys.LOSSES):
    """Adds an externally computed `loss` to `loss_collection` (nothing when it is falsy)."""
    if loss_collection:
        graph_lib.add_to_collection(loss_collection, loss)


def get_losses(scope=None, loss_collection=GraphKeys.LOSSES):
    """The tensors in `loss_collection`, filtered by `scope`."""
    return graph_lib.get_collection(loss_collection, scope)


def get_regularization_losses(scope=None):
    """The tensors in `REGULARIZATION_LOSSES`, filtered by `scope`."""
    return graph_lib.get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_total_loss(add_regularization_losses=True, name="total_loss"):
    """The sum of the collected losses (and, by default, of the regularization losses).

    Example:
        >>> train_op = tf.train.AdamOptimizer().minimize(tf.contrib.losses.get_total_loss())
    """
    losses = get_losses()
    if add_regularization_losses:
        losses += get_regularization_losses()
    return math_ops.add_n(losses, name=name)


def _float_pair(predictions, labels):
    predictions.get_shape().assert_is_compatible_with(labels.get_shape())
    return _to_float(predictions), _to_float(labels)


def absolute_difference(predictions, labels=None, weights=1.0, scope=None):
    """Weighted mean of |predictions - labels|."""
    with graph_lib.name_scope(scope, "absolute_difference",
                              [predictions, labels, weights]) as scope:
        predictions, labels = _float_pair(predictions, labels)
        losses = math_ops.abs(math_ops.subtract(predictions, labels))
        return compute_weighted_loss(losses, weights, scope=scope)


def sigmoid_cross_entropy(logits, multi_class_labels, weights=1.0, label_smoothing=0,
                          scope=None):
    """Weighted mean sigmoid cross-entropy; labels smoothed towards 1/2 by `label_smoothing`.

    Example:
        >>> loss = tf.contrib.losses.sigmoid_cross_entropy(logits, multi_hot, weights=w_batch)
    """
    with graph_lib.name_scope(scope, "sigmoid_cross_entropy_loss",
                              [logits, multi_class_labels, weights]) as scope:
        logits.get_shape().assert_is_compatible_with(multi_class_labels.get_shape())
        multi_class_labels = math_ops.cast(multi_class_labels, logits.dtype)
        if label_smoothing > 0:
            multi_class_labels = (multi_class_labels * (1 - label_smoothing)
                                  + 0.5 * label_smoothing)
        losses = nn.sigmoid_cross_entropy_with_logits(labels=multi_class_labels, logits=logits,
                                                      name="xentropy")
        return compute_weighted_loss(losses, weights, scope=scope)


def softmax_cross_entropy(logits, onehot_labels, weights=1.0, label_smoothing=0, scope=None):
    """Weighted mean softmax cross-entropy; labels smoothed towards 1/num_classes.

    Example:
        >>> loss = tf.contrib.losses.softmax_cross_entropy(logits, tf.one_hot(labels, 10))
    """
    with graph_lib.name_scope(scope, "softmax_cross_entropy_loss",
                              [logits, onehot_labels, weights]) as scope:
        logits.get_shape().assert_is_compatible_with(onehot_labels.get_shape())
        onehot_labels = math_ops.cast(onehot_labels, logits.dtype)
        if label_smoothing > 0:
            num_classes = math_ops.cast(array_ops.shape(onehot_labels)[1], logits.dtype)
            smooth_positives = 1.0 - label_smoothing
            smooth_negatives = label_smoothing / num_classes
            onehot_labels = onehot_labels * smooth_positives + smooth_negatives
        losses = nn.softmax_cross_entropy_with_logits(labels=onehot_labels, logits=logits,
                                                      name="xentropy")
        return compute_weighted_loss(losses, weights, scope=scope)


def sparse_softmax_cross_entropy(logits, labels, weights=1.0, scope=None):
    """Weighted mean softmax cross-entropy against int labels of shape [batch] or [batch, 1]."""
    with graph_lib.name_scope(scope, "sparse_softmax_cross_entropy_loss",
                              [logits, labels, weights]) as scope:
        labels = array_ops.reshape(labels, shape=[array_ops.shape(labels)[0]])
        losses = nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits,
                                                             name="xentropy")
        return compute_weighted_loss(losses, weights, scope=scope)


def log_loss(predictions, labels=None, weights=1.0, epsilon=1e-7, scope=None):
    """Weighted mean binary log loss of probabilities `predictions`."""
    with graph_lib.name_scope(scope, "log_loss", [predictions, labels, weights]) as scope:
        predictions, labels = _float_pair(predictions, labels)
        losses = -math_ops.multiply(labels, math_ops.log(predictions + epsilon)) - \
            math_ops.multiply((1 - labels), math_ops.log(1 - predictions + epsilon))
        return compute_weighted_loss(losses, weights, scope=scope)


def hinge_loss(logits, labels=None, scope=None):
    """The element-wise hinge loss `relu(1 - (2 * labels - 1) * logits)` for 0/1 labels:
    unweighted, unreduced and not added to `LOSSES`."""
    with graph_lib.name_scope(scope, "hinge_loss", [logits, labels]):
        logits.get_shape().assert_is_compatible_with(labels.get_shape())
        labels = _to_float(labels)
        all_ones = fill_ops.ones_like(labels)
        labels = math_ops.subtract(2 * labels, all_ones)
        return nn.relu(math_ops.subtract(all_ones, math_ops.multiply(labels, logits)))


def mean_squared_error(predictions, labels=None, weights=1.0, scope=None):
    """Weighted mean of (predictions - labels)^2."""
    with graph_lib.name_scope(scope, "mean_squared_error",
                              [predictions, labels, weights]) as scope:
        predictions, labels = _float_pair(predictions, labels)
        losses = math_ops.square(math_ops.subtract(predictions, labels))
        return compute_weighted_loss(losses, weights, scope=scope)


def mean_pairwise_squared_error(predictions, labels=None, weights=1.0, scope=None):
    """Mean over the pairs (i, j) within each example of ((p_i - p_j) - (l_i - l_j))^2,
    weighted per example."""
    with graph_lib.name_scope(scope, "mean_pairwise_squared_error",
                              [predictions, labels, weights]):
        predictions, labels = _float_pair(predictions, labels)
        weights = _to_float(constant_op.convert_to_tensor(weights))
        diffs = math_ops.subtract(predictions, labels)
        if diffs.get_shape().ndims is None:
            raise ValueError("diffs.get_shape().ndims cannot be None")
        if weights.get_shape().ndims is None:
            raise ValueError("weights.get_shape().ndims cannot be None")
        axes = list(range(1, diffs.get_shape().ndims))
        sum_squares_diff_per_batch = reduction_ops.reduce_sum(math_ops.square(diffs), axis=axes)
        num_present_per_batch = _num_present(diffs, weights, per_batch=True)
        term1 = 2.0 * _safe_div(sum_squares_diff_per_batch, num_present_per_batch)
        sum_diff = reduction_ops.reduce_sum(diffs, axis=axes)
        term2 = 2.0 * _safe_div(math_ops.square(sum_diff),
                                math_ops.square(num_present_per_batch))
        loss = _scale_losses(term1 - term2, weights)
        mean_loss = array_ops.where(reduction_ops.reduce_sum(num_present_per_batch) > 0, loss,
                                    fill_ops.zeros_like(loss), name="value")
        add_loss(mean_loss)
        return mean_loss


def cosine_distance(predictions, labels=None, axis=None, weights=1.0, scope=None, dim=None):
    """Weighted mean of 1 - <predictions, labels> along `axis` (inputs already unit-norm);
    unlike `tf.losses.cosine_distance`, `axis` is reduced away before weighting.

    Raises:
        ValueError: If both or neither of `axis` and `dim` are given.
    """
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        axis = dim
    if axis is None and dim is None:
        raise ValueError("`axis` and `dim` cannot both be None.")
    with graph_lib.name_scope(scope, "cosine_distance_loss",
                              [predictions, labels, weights]) as scope:
        predictions, labels = _float_pair(predictions, labels)
        radial_diffs = math_ops.multiply(predictions, labels)
        losses = 1 - reduction_ops.reduce_sum(radial_diffs, axis=[axis])
        return compute_weighted_loss(losses, weights, scope=scope)
