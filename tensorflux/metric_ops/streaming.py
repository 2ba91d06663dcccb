"""Streaming means and counts: mean, accuracy, the error means, tp/fp/tn/fn, precision, recall.

A metric keeps running totals in variables of the LOCAL_VARIABLES and METRIC_VARIABLES
collections (`accuracy/total`, `accuracy/count`); `update_op` adds a batch and returns the
metric so far, `value` reads it. Initialise them with `tf.local_variables_initializer()`.
"""

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.losses import broadcast_weights, remove_squeezable_dimensions
from tensorflux.ops import array_ops, manip_ops, math_ops, reduction_ops, state_ops
from tensorflux.ops.constant_op import convert_to_tensor
from tensorflux.variable_scope import variable_scope


def metric_variable(shape, dtype, validate_shape=True, name=None):
    """A zero-initialised, non-trainable local variable for a metric's running total."""
    from tensorflux import variables

    return variables.Variable(
        lambda: array_ops.zeros(shape, dtype), trainable=False,
        collections=[GraphKeys.LOCAL_VARIABLES, GraphKeys.METRIC_VARIABLES],
        validate_shape=validate_shape,
        synchronization=variables.VariableSynchronization.ON_READ,
        aggregation=variables.VariableAggregation.SUM, name=name)


def _remove_squeezable_dimensions(predictions, labels, weights):
    """Squeezes labels/predictions to the same rank and weights to a fitting rank."""
    predictions = convert_to_tensor(predictions)
    if labels is not None:
        labels, predictions = remove_squeezable_dimensions(labels, predictions)
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
    if weights is None:
        return predictions, labels, None
    weights = convert_to_tensor(weights)
    weights_rank = weights.get_shape().ndims
    if weights_rank == 0:
        return predictions, labels, weights
    predictions_rank = predictions.get_shape().ndims
    if predictions_rank is not None and weights_rank is not None:
        if weights_rank - predictions_rank == 1:
            weights = manip_ops.squeeze(weights, [-1])
        elif predictions_rank - weights_rank == 1:
            weights = manip_ops.expand_dims(weights, [-1])
    return predictions, labels, weights


def _collect(collections, value):
    if collections:
        graph_lib.add_to_collections(collections, value)


def mean(values, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """The (weighted) mean of `values` over every batch seen.

    Variables: `<name>/total` and `<name>/count`; value `<name>/value`, update
    `<name>/update_op`.
    """
    with variable_scope(name, "mean", [values, weights]):
        values = math_ops.cast(values, dtypes.float32)
        total = metric_variable([], dtypes.float32, name="total")
        count = metric_variable([], dtypes.float32, name="count")
        if weights is None:
            num_values = math_ops.cast(array_ops.size(values), dtypes.float32)
        else:
            values, _, weights = _remove_squeezable_dimensions(values, None, weights)
            weights = broadcast_weights(math_ops.cast(weights, dtypes.float32), values)
            values = math_ops.multiply(values, weights)
            num_values = reduction_ops.reduce_sum(weights)
        update_total_op = state_ops.assign_add(total, reduction_ops.reduce_sum(values))
        with graph_lib.control_dependencies([values]):
            update_count_op = state_ops.assign_add(count, num_values)
        mean_t = math_ops.div_no_nan(total, math_ops.maximum(count, 0), name="value")
        _collect(metrics_collections, mean_t)
        update_op = math_ops.div_no_nan(update_total_op, math_ops.maximum(update_count_op, 0),
                                        name="update_op")
        _collect(updates_collections, update_op)
        return mean_t, update_op


def accuracy(labels, predictions, weights=None, metrics_collections=None,
             updates_collections=None, name=None):
    """The fraction of `predictions` equal to `labels` (weighted), over every batch seen.

    Example:
        >>> acc, update = tf.metrics.accuracy(labels=y, predictions=tf.argmax(logits, 1))
    """
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    predictions.get_shape().assert_is_compatible_with(labels.get_shape())
    if labels.dtype != predictions.dtype:
        predictions = math_ops.cast(predictions, labels.dtype)
    is_correct = math_ops.cast(math_ops.equal(predictions, labels), dtypes.float32)
    return mean(is_correct, weights, metrics_collections, updates_collections,
                name or "accuracy")


def mean_absolute_error(labels, predictions, weights=None, metrics_collections=None,
                        updates_collections=None, name=None):
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    absolute_errors = math_ops.abs(predictions - labels)
    return mean(absolute_errors, weights, metrics_collections, updates_collections,
                name or "mean_absolute_error")


def mean_squared_error(labels, predictions, weights=None, metrics_collections=None,
                       updates_collections=None, name=None):
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    squared_error = math_ops.squared_difference(labels, predictions)
    return mean(squared_error, weights, metrics_collections, updates_collections,
                name or "mean_squared_error")


def root_mean_squared_error(labels, predictions, weights=None, metrics_collections=None,
                            updates_collections=None, name=None):
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    mse, update_mse_op = mean_squared_error(labels, predictions, weights, None, None,
                                            name or "root_mean_squared_error")
    rmse = math_ops.sqrt(mse)
    _collect(metrics_collections, rmse)
    update_rmse_op = math_ops.sqrt(update_mse_op)
    _collect(updates_collections, update_rmse_op)
    return rmse, update_rmse_op


def mean_relative_error(labels, predictions, normalizer, weights=None, metrics_collections=None,
                        updates_collections=None, name=None):
    """The mean of |labels - predictions| / normalizer, an error of 0 where normalizer is 0.

    Example:
        >>> mre, update = tf.metrics.mean_relative_error(y, y_hat, normalizer=y)
    """
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    normalizer = convert_to_tensor(normalizer)
    predictions, normalizer = remove_squeezable_dimensions(predictions, normalizer)
    predictions.get_shape().assert_is_compatible_with(normalizer.get_shape())
    relative_errors = array_ops.where(
        math_ops.equal(normalizer, 0.0), array_ops.zeros_like(labels),
        math_ops.divide(math_ops.abs(labels - predictions), normalizer))
    return mean(relative_errors, weights, metrics_collections, updates_collections,
                name or "mean_relative_error")


def mean_cosine_distance(labels, predictions, dim, weights=None, metrics_collections=None,
                         updates_collections=None, name=None):
    """1 - the mean dot product of `labels` and `predictions` along `dim` (unit vectors).

    The inputs are expected to be normalised already, as in TF.

    Example:
        >>> dist, update = tf.metrics.mean_cosine_distance(unit_y, unit_y_hat, dim=1)
    """
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    radial_diffs = reduction_ops.reduce_sum(math_ops.multiply(predictions, labels),
                                            axis=[dim], keepdims=True)
    mean_distance, update_op = mean(radial_diffs, weights, None, None,
                                    name or "mean_cosine_distance")
    mean_distance = math_ops.subtract(1.0, mean_distance)
    update_op = math_ops.subtract(1.0, update_op)
    _collect(metrics_collections, mean_distance)
    _collect(updates_collections, update_op)
    return mean_distance, update_op


def percentage_below(values, threshold, weights=None, metrics_collections=None,
                     updates_collections=None, name=None):
    """The (weighted) fraction of `values` below `threshold`, over every batch seen.

    Example:
        >>> frac, update = tf.metrics.percentage_below(losses, threshold=0.1)
    """
    is_below_threshold = math_ops.cast(math_ops.less(values, threshold), dtypes.float32)
    return mean(is_below_threshold, weights, metrics_collections, updates_collections,
                name or "percentage_below_threshold")


def mean_tensor(values, weights=None, metrics_collections=None, updates_collections=None,
                name=None):
    """The element-wise (weighted) mean of `values` over every batch seen.

    Variables `<name>/total_tensor` and `<name>/count_tensor` have the shape of `values`, which
    must be fully defined.

    Example:
        >>> per_class_loss, update = tf.metrics.mean_tensor(losses_per_class)
    """
    with variable_scope(name, "mean", [values, weights]):
        values = math_ops.cast(values, dtypes.float32)
        total = metric_variable(values.get_shape(), dtypes.float32, name="total_tensor")
        count = metric_variable(values.get_shape(), dtypes.float32, name="count_tensor")
        num_values = array_ops.ones_like(values)
        if weights is not None:
            values, _, weights = _remove_squeezable_dimensions(values, None, weights)
            weights = broadcast_weights(math_ops.cast(weights, dtypes.float32), values)
            values = math_ops.multiply(values, weights)
            num_values = math_ops.multiply(num_values, weights)
        update_total_op = state_ops.assign_add(total, values)
        with graph_lib.control_dependencies([values]):
            update_count_op = state_ops.assign_add(count, num_values)
        mean_t = math_ops.div_no_nan(total, math_ops.maximum(count, 0), name="value")
        _collect(metrics_collections, mean_t)
        update_op = math_ops.div_no_nan(update_total_op, math_ops.maximum(update_count_op, 0),
                                        name="update_op")
        _collect(updates_collections, update_op)
        return mean_t, update_op


# --- counts of boolean conditions ----------------------------------------------------------
def _count_condition(values, weights=None, metrics_collections=None,
                     updates_collections=None):
    if values.dtype.base_dtype != dtypes.bool:
        raise TypeError("%s must be of type bool, got %s" % (values.name, values.dtype.name))
    count = metric_variable([], dtypes.float32, name="count")
    values = math_ops.cast(values, dtypes.float32)
    if weights is not None:
        weights = math_ops.cast(weights, dtypes.float32)
        values = math_ops.multiply(values, weights)
    value_tensor = array_ops.identity(count)
    _collect(metrics_collections, value_tensor)
    update_op = state_ops.assign_add(count, reduction_ops.reduce_sum(values))
    _collect(updates_collections, update_op)
    return value_tensor, update_op


def _bool_inputs(labels, predictions, weights):
    return _remove_squeezable_dimensions(math_ops.cast(predictions, dtype=dtypes.bool),
                                         math_ops.cast(labels, dtype=dtypes.bool), weights)


def _condition_metric(default_name, want_label, want_prediction):
    def metric(labels, predictions, weights=None, metrics_collections=None,
               updates_collections=None, name=None):
        with variable_scope(name, default_name, [predictions, labels, weights]):
            predictions, labels, weights = _bool_inputs(labels, predictions, weights)
            is_case = math_ops.logical_and(math_ops.equal(labels, want_label),
                                           math_ops.equal(predictions, want_prediction))
            return _count_condition(is_case, weights, metrics_collections,
                                    updates_collections)
    metric.__name__ = default_name
    metric.__doc__ = "The (weighted) number of %s over every batch seen." % (
        default_name.replace("_", " "))
    return metric


true_positives = _condition_metric("true_positives", True, True)
false_positives = _condition_metric("false_positives", False, True)
true_negatives = _condition_metric("true_negatives", False, False)
false_negatives = _condition_metric("false_negatives", True, False)


def _ratio_metric(default_name, other):
    """precision = tp / (tp + fp), recall = tp / (tp + fn); 0 when the denominator is 0."""
    def metric(labels, predictions, weights=None, metrics_collections=None,
               updates_collections=None, name=None):
        with variable_scope(name, default_name, [predictions, labels, weights]):
            predictions, labels, weights = _bool_inputs(labels, predictions, weights)
            tp, tp_update = true_positives(labels, predictions, weights)
            other_v, other_update = other(labels, predictions, weights)

            def compute(a, b, name):
                return array_ops.where(math_ops.greater(a + b, 0), math_ops.divide(a, a + b),
                                       0, name)

            value = compute(tp, other_v, "value")
            _collect(metrics_collections, value)
            update_op = compute(tp_update, other_update, "update_op")
            _collect(updates_collections, update_op)
            return value, update_op
    metric.__name__ = default_name
    return metric


precision = _ratio_metric("precision", false_positives)
recall = _ratio_metric("recall", false_negatives)
precision.__doc__ = "tp / (tp + fp) over every batch seen (0 before any positive prediction)."
recall.__doc__ = "tp / (tp + fn) over every batch seen (0 before any positive label)."
