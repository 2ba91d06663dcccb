"""`tf.contrib.metrics`: TF 1.x's streaming metrics with the old argument order —
predictions first, then labels — as thin wrappers of `tf.metrics` (same variables, same
`(value, update_op)` pair), plus `streaming_concat`, `streaming_covariance`,
`streaming_pearson_correlation`, the non-streaming `accuracy` and `aggregate_metrics` /
`aggregate_metric_map`.

Example:
    >>> names_to_values, names_to_updates = tf.contrib.metrics.aggregate_metric_map({
    ...     "accuracy": tf.contrib.metrics.streaming_accuracy(predictions, labels),
    ...     "auc": tf.contrib.metrics.streaming_auc(probabilities, labels),
    ... })
"""

from tensorflux import losses as losses_lib
from tensorflux import metrics, nn
from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.metric_ops import streaming as streaming_lib
from tensorflux.ops import array_ops, constant_op, fill_ops, math_ops, reduction_ops, state_ops
from tensorflux.variable_scope import variable_scope


def _collect(collections, value):
    if collections:
        graph_lib.add_to_collections(collections, value)


def streaming_true_positives(predictions, labels, weights=None, metrics_collections=None,
                             updates_collections=None, name=None):
    """`tf.metrics.true_positives` with predictions first."""
    return metrics.true_positives(labels=labels, predictions=predictions, weights=weights,
                                  metrics_collections=metrics_collections,
                                  updates_collections=updates_collections, name=name)


def streaming_true_negatives(predictions, labels, weights=None, metrics_collections=None,
                             updates_collections=None, name=None):
    """`tf.metrics.true_negatives` with predictions first."""
    return metrics.true_negatives(labels=labels, predictions=predictions, weights=weights,
                                  metrics_collections=metrics_collections,
                                  updates_collections=updates_collections, name=name)


def streaming_false_positives(predictions, labels, weights=None, metrics_collections=None,
                              updates_collections=None, name=None):
    """`tf.metrics.false_positives` with predictions first."""
    return metrics.false_positives(labels=labels, predictions=predictions, weights=weights,
                                   metrics_collections=metrics_collections,
                                   updates_collections=updates_collections, name=name)


def streaming_false_negatives(predictions, labels, weights=None, metrics_collections=None,
                              updates_collections=None, name=None):
    """`tf.metrics.false_negatives` with predictions first."""
    return metrics.false_negatives(labels=labels, predictions=predictions, weights=weights,
                                   metrics_collections=metrics_collections,
                                   updates_collections=updates_collections, name=name)


def streaming_mean(values, weights=None, metrics_collections=None, updates_collections=None,
                   name=None):
    """`tf.metrics.mean` (variables `mean/total`, `mean/count`).

    Example:
        >>> mean_loss, update = tf.contrib.metrics.streaming_mean(loss)
    """
    return metrics.mean(values=values, weights=weights, metrics_collections=metrics_collections,
                        updates_collections=updates_collections, name=name)


def streaming_mean_tensor(values, weights=None, metrics_collections=None,
                          updates_collections=None, name=None):
    """`tf.metrics.mean_tensor`: the element-wise running mean."""
    return metrics.mean_tensor(values=values, weights=weights,
                               metrics_collections=metrics_collections,
                               updates_collections=updates_collections, name=name)


def streaming_accuracy(predictions, labels, weights=None, metrics_collections=None,
                       updates_collections=None, name=None):
    """`tf.metrics.accuracy` with predictions first (variables `accuracy/total`, `/count`).

    Example:
        >>> acc, update = tf.contrib.metrics.streaming_accuracy(tf.argmax(logits, 1), labels)
    """
    return metrics.accuracy(labels=labels, predictions=predictions, weights=weights,
                            metrics_collections=metrics_collections,
                            updates_collections=updates_collections, name=name)


def streaming_precision(predictions, labels, weights=None, metrics_collections=None,
                        updates_collections=None, name=None):
    """`tf.metrics.precision` with predictions first."""
    return metrics.precision(labels=labels, predictions=predictions, weights=weights,
                             metrics_collections=metrics_collections,
                             updates_collections=updates_collections, name=name)


def streaming_recall(predictions, labels, weights=None, metrics_collections=None,
                     updates_collections=None, name=None):
    """`tf.metrics.recall` with predictions first."""
    return metrics.recall(labels=labels, predictions=predictions, weights=weights,
                          metrics_collections=metrics_collections,
                          updates_collections=updates_collections, name=name)


def streaming_auc(predictions, labels, weights=None, num_thresholds=200,
                  metrics_collections=None, updates_collections=None, curve="ROC", name=None):
    """`tf.metrics.auc` with predictions first (ROC or PR curve, trapezoidal sum).

    Example:
        >>> auc, update = tf.contrib.metrics.streaming_auc(tf.sigmoid(logits), labels)
    """
    return metrics.auc(labels=labels, predictions=predictions, weights=weights,
                       num_thresholds=num_thresholds, metrics_collections=metrics_collections,
                       updates_collections=updates_collections, curve=curve, name=name)


def streaming_precision_at_thresholds(predictions, labels, thresholds, weights=None,
                                      metrics_collections=None, updates_collections=None,
                                      name=None):
    """`tf.metrics.precision_at_thresholds` with predictions first."""
    return metrics.precision_at_thresholds(
        labels=labels, predictions=predictions, thresholds=thresholds, weights=weights,
        metrics_collections=metrics_collections, updates_collections=updates_collections,
        name=name)


def streaming_recall_at_thresholds(predictions, labels, thresholds, weights=None,
                                   metrics_collections=None, updates_collections=None,
                                   name=None):
    """`tf.metrics.recall_at_thresholds` with predictions first."""
    return metrics.recall_at_thresholds(
        labels=labels, predictions=predictions, thresholds=thresholds, weights=weights,
        metrics_collections=metrics_collections, updates_collections=updates_collections,
        name=name)


def streaming_sensitivity_at_specificity(predictions, labels, specificity, weights=None,
                                         num_thresholds=200, metrics_collections=None,
                                         updates_collections=None, name=None):
    """`tf.metrics.sensitivity_at_specificity` with predictions first."""
    return metrics.sensitivity_at_specificity(
        labels=labels, predictions=predictions, specificity=specificity, weights=weights,
        num_thresholds=num_thresholds, metrics_collections=metrics_collections,
        updates_collections=updates_collections, name=name)


def streaming_specificity_at_sensitivity(predictions, labels, sensitivity, weights=None,
                                         num_thresholds=200, metrics_collections=None,
                                         updates_collections=None, name=None):
    """`tf.metrics.specificity_at_sensitivity` with predictions first."""
    return metrics.specificity_at_sensitivity(
        labels=labels, predictions=predictions, sensitivity=sensitivity, weights=weights,
        num_thresholds=num_thresholds, metrics_collections=metrics_collections,
        updates_collections=updates_collections, name=name)


def _at_k_name(name, k=None, class_id=None):
    if k is not None:
        name = "%s_at_%d" % (name, k)
    else:
        name = "%s_at_k" % name
    if class_id is not None:
        name = "%s_class%d" % (name, class_id)
    return name


def streaming_recall_at_k(predictions, labels, k, weights=None, metrics_collections=None,
                          updates_collections=None, name=None):
    """The running mean of `in_top_k(predictions, labels, k)` (scope `recall_at_<k>`).

    Example:
        >>> top5, update = tf.contrib.metrics.streaming_recall_at_k(logits, labels, 5)
    """
    in_top_k = math_ops.cast(nn.in_top_k(predictions, labels, k), dtypes.float32)
    return streaming_mean(in_top_k, weights, metrics_collections, updates_collections,
                          name or _at_k_name("recall", k))


def streaming_sparse_recall_at_k(predictions, labels, k, class_id=None, weights=None,
                                 metrics_collections=None, updates_collections=None,
                                 name=None):
    """`tf.metrics.recall_at_k` with predictions first."""
    return metrics.recall_at_k(
        labels=labels, predictions=predictions, k=k, class_id=class_id, weights=weights,
        metrics_collections=metrics_collections, updates_collections=updates_collections,
        name=name)


def streaming_sparse_precision_at_k(predictions, labels, k, class_id=None, weights=None,
                                    metrics_collections=None, updates_collections=None,
                                    name=None):
    """`tf.metrics.precision_at_k` with predictions first."""
    return metrics.precision_at_k(
        labels=labels, predictions=predictions, k=k, class_id=class_id, weights=weights,
        metrics_collections=metrics_collections, updates_collections=updates_collections,
        name=name)


def streaming_sparse_precision_at_top_k(top_k_predictions, labels, class_id=None, weights=None,
                                        metrics_collections=None, updates_collections=None,
                                        name=None):
    """`tf.metrics.precision_at_top_k` with the top-k class ids first."""
    return metrics.precision_at_top_k(
        labels=labels, predictions_idx=top_k_predictions, class_id=class_id, weights=weights,
        metrics_collections=metrics_collections, updates_collections=updates_collections,
        name=name)


def streaming_sparse_average_precision_at_k(predictions, labels, k, weights=None,
                                            metrics_collections=None, updates_collections=None,
                                            name=None):
    """`tf.metrics.average_precision_at_k` with predictions first."""
    return metrics.average_precision_at_k(
        labels=labels, predictions=predictions, k=k, weights=weights,
        metrics_collections=metrics_collections, updates_collections=updates_collections,
        name=name)


def streaming_mean_absolute_error(predictions, labels, weights=None, metrics_collections=None,
                                  updates_collections=None, name=None):
    """`tf.metrics.mean_absolute_error` with predictions first."""
    return metrics.mean_absolute_error(
        labels=labels, predictions=predictions, weights=weights,
        metrics_collections=metrics_collections, updates_collections=updates_collections,
        name=name)


def streaming_mean_relative_error(predictions, labels, normalizer, weights=None,
                                  metrics_collections=None, updates_collections=None,
                                  name=None):
    """`tf.metrics.mean_relative_error` with predictions first."""
    return metrics.mean_relative_error(
        labels=labels, predictions=predictions, normalizer=normalizer, weights=weights,
        metrics_collections=metrics_collections, updates_collections=updates_collections,
        name=name)


def streaming_mean_squared_error(predictions, labels, weights=None, metrics_collections=None,
                                 updates_collections=None, name=None):
    """`tf.metrics.mean_squared_error` with predictions first."""
    return metrics.mean_squared_error(
        labels=labels, predictions=predictions, weights=weights,
        metrics_collections=metrics_collections, updates_collections=updates_collections,
        name=name)


def streaming_root_mean_squared_error(predictions, labels, weights=None,
                                      metrics_collections=None, updates_collections=None,
                                      name=None):
    """`tf.metrics.root_mean_squared_error` with predictions first."""
    return metrics.root_mean_squared_error(
        labels=labels, predictions=predictions, weights=weights,
        metrics_collections=metrics_collections, updates_collections=updates_collections,
        name=name)


def streaming_mean_cosine_distance(predictions, labels, dim, weights=None,
                                   metrics_collections=None, updates_collections=None,
                                   name=None):
    """`tf.metrics.mean_cosine_distance` with predictions first."""
    return metrics.mean_cosine_distance(
        labels=labels, predictions=predictions, dim=dim, weights=weights,
        metrics_collections=metrics_collections, updates_collections=updates_collections,
        name=name)


def streaming_percentage_less(values, threshold, weights=None, metrics_collections=None,
                              updates_collections=None, name=None):
    """`tf.metrics.percentage_below`: the running fraction of `values` below `threshold`."""
    return metrics.percentage_below(
        values=values, threshold=threshold, weights=weights,
        metrics_collections=metrics_collections, updates_collections=updates_collections,
        name=name)


def streaming_mean_iou(predictions, labels, num_classes, weights=None, metrics_collections=None,
                       updates_collections=None, name=None):
    """`tf.metrics.mean_iou` with predictions first (a running confusion matrix).

    Example:
        >>> miou, update = tf.contrib.metrics.streaming_mean_iou(pred_mask, gt_mask, 21)
    """
    return metrics.mean_iou(labels=labels, predictions=predictions, num_classes=num_classes,
                            weights=weights, metrics_collections=metrics_collections,
                            updates_collections=updates_collections, name=name)


def streaming_concat(values, axis=0, max_size=None, metrics_collections=None,
                     updates_collections=None, name=None):
    """Concatenates `values` along `axis` across batches (up to `max_size` entries, later
    updates being no-ops once it is reached); `update_op` returns the concatenated length.

    The rank and every dimension but `axis` must be known statically.

    Raises:
        ValueError: If the rank is unknown, `axis` is out of range, or another dimension is
            unknown.

    Example:
        >>> all_scores, update = tf.contrib.metrics.streaming_concat(scores)
    """
    with variable_scope(name, "streaming_concat", (values,)):
        values = constant_op.convert_to_tensor(values)
        values_shape = values.get_shape()
        if values_shape.dims is None:
            raise ValueError("`values` must have known statically known rank")
        ndim = len(values_shape)
        if axis < 0:
            axis += ndim
        if not 0 <= axis < ndim:
            raise ValueError("axis = %r not in [0, %r)" % (axis, ndim))
        fixed_shape = [dim.value for n, dim in enumerate(values_shape) if n != axis]
        if any(value is None for value in fixed_shape):
            raise ValueError("all dimensions of `values` other than the dimension to "
                             "concatenate along must have statically known size")
        # The store keeps `axis` first, so appending is a concatenation along axis 0.
        array = metrics.metric_variable([0] + fixed_shape, values.dtype,
                                        validate_shape=False, name="array")
        size = metrics.metric_variable([], dtypes.int32, name="size")
        size_t = constant_op.convert_to_tensor(size)
        valid_array = array[:size_t]
        valid_array.set_shape([None] + fixed_shape)
        to_values = [0 if n == axis else n + 1 if n < axis else n for n in range(ndim)]
        value = array_ops.transpose(valid_array, to_values, name="concat")
        values_size = array_ops.shape(values)[axis]
        if max_size is None:
            batch_size = values_size
        else:
            batch_size = math_ops.minimum(values_size, max_size - size_t)
        to_store = [axis] + [n for n in range(ndim) if n != axis]
        batch_values = array_ops.transpose(values, to_store)[:batch_size]
        new_size = size_t + batch_size
        append_op = state_ops.assign(array, array_ops.concat([valid_array, batch_values], 0),
                                     validate_shape=False)
        with graph_lib.control_dependencies([append_op]):
            update_op = size.assign(new_size)
        _collect(metrics_collections, value)
        _collect(updates_collections, update_op)
        return value, update_op


def streaming_covariance(predictions, labels, weights=None, metrics_collections=None,
                         updates_collections=None, name=None):
    """The unbiased sample covariance of `predictions` and `labels` (float32), from running
    means and co-moment merged batch by batch (Chan et al.); `weights` are frequency weights.

    Variables (scope "covariance"): `count`, `mean_prediction`, `mean_label`, `comoment`; the
    value is `comoment / (count - 1)`, NaN while `count <= 1`.

    Example:
        >>> cov, update = tf.contrib.metrics.streaming_covariance(pred, target)
    """
    with variable_scope(name, "covariance", (predictions, labels, weights)):
        predictions, labels, weights = streaming_lib._remove_squeezable_dimensions(
            predictions, labels, weights)
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        count_ = metrics.metric_variable([], dtypes.float32, name="count")
        mean_prediction = metrics.metric_variable([], dtypes.float32, name="mean_prediction")
        mean_label = metrics.metric_variable([], dtypes.float32, name="mean_label")
        comoment = metrics.metric_variable([], dtypes.float32, name="comoment")
        if weights is None:
            batch_count = math_ops.cast(array_ops.size(labels), dtypes.float32)
            weighted_predictions = predictions
            weighted_labels = labels
        else:
            weights = losses_lib.broadcast_weights(weights, labels)
            batch_count = reduction_ops.reduce_sum(weights)
            weighted_predictions = math_ops.multiply(predictions, weights)
            weighted_labels = math_ops.multiply(labels, weights)
        # Merging batch B into the running A: n_AB = n_A + n_B, means moved by
        # (E[x_B] - E[x_A]) * n_B / n_AB, C_AB = C_A + C_B + dx * dy * n_A * n_B / n_AB.
        update_count = state_ops.assign_add(count_, batch_count)
        prev_count = update_count - batch_count
        batch_mean_prediction = math_ops.div_no_nan(
            reduction_ops.reduce_sum(weighted_predictions), batch_count)
        delta_mean_prediction = math_ops.div_no_nan(
            (batch_mean_prediction - mean_prediction) * batch_count, update_count)
        update_mean_prediction = state_ops.assign_add(mean_prediction, delta_mean_prediction)
        prev_mean_prediction = update_mean_prediction - delta_mean_prediction
        batch_mean_label = math_ops.div_no_nan(reduction_ops.reduce_sum(weighted_labels),
                                               batch_count)
        delta_mean_label = math_ops.div_no_nan((batch_mean_label - mean_label) * batch_count,
                                               update_count)
        update_mean_label = state_ops.assign_add(mean_label, delta_mean_label)
        prev_mean_label = update_mean_label - delta_mean_label
        coresiduals = (predictions - batch_mean_prediction) * (labels - batch_mean_label)
        if weights is not None:
            coresiduals = coresiduals * weights
        batch_comoment = reduction_ops.reduce_sum(coresiduals)
        delta_comoment = (batch_comoment
                          + (prev_mean_prediction - batch_mean_prediction)
                          * (prev_mean_label - batch_mean_label)
                          * (prev_count * batch_count / update_count))
        update_comoment = state_ops.assign_add(comoment, delta_comoment)
        covariance = array_ops.where(math_ops.less_equal(count_, 1.), float("nan"),
                                     math_ops.truediv(comoment, count_ - 1), name="covariance")
        with graph_lib.control_dependencies([update_comoment]):
            update_op = array_ops.where(math_ops.less_equal(count_, 1.), float("nan"),
                                        math_ops.truediv(comoment, count_ - 1),
                                        name="update_op")
    _collect(metrics_collections, covariance)
    _collect(updates_collections, update_op)
    return covariance, update_op


def streaming_pearson_correlation(predictions, labels, weights=None, metrics_collections=None,
                                  updates_collections=None, name=None):
    """cov(predictions, labels) / sqrt(var(predictions) * var(labels)), from three
    `streaming_covariance`s in scope "pearson_r".

    Example:
        >>> r, update = tf.contrib.metrics.streaming_pearson_correlation(pred, target)
    """
    with variable_scope(name, "pearson_r", (predictions, labels, weights)):
        predictions, labels, weights = streaming_lib._remove_squeezable_dimensions(
            predictions, labels, weights)
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        if weights is not None:
            weights = losses_lib.broadcast_weights(weights, labels)
        cov, update_cov = streaming_covariance(predictions, labels, weights=weights,
                                               name="covariance")
        var_predictions, update_var_predictions = streaming_covariance(
            predictions, predictions, weights=weights, name="variance_predictions")
        var_labels, update_var_labels = streaming_covariance(
            labels, labels, weights=weights, name="variance_labels")
        pearson_r = math_ops.truediv(
            cov, math_ops.multiply(math_ops.sqrt(var_predictions), math_ops.sqrt(var_labels)),
            name="pearson_r")
        update_op = math_ops.truediv(
            update_cov, math_ops.multiply(math_ops.sqrt(update_var_predictions),
                                          math_ops.sqrt(update_var_labels)),
            name="update_op")
    _collect(metrics_collections, pearson_r)
    _collect(updates_collections, update_op)
    return pearson_r, update_op


def accuracy(predictions, labels, weights=None, name=None):
    """The (weighted) fraction of `predictions` equal to `labels`, computed on this batch only.

    Raises:
        ValueError: If `labels` is not bool, integer or string, the dtypes differ, or the
            shapes are incompatible.

    Example:
        >>> acc = tf.contrib.metrics.accuracy(tf.argmax(logits, 1), labels)
    """
    with graph_lib.name_scope(name, "accuracy", values=[predictions, labels]):
        predictions = constant_op.convert_to_tensor(predictions)
        labels = constant_op.convert_to_tensor(labels)
        if not (labels.dtype.is_integer or labels.dtype in (dtypes.bool, dtypes.string)):
            raise ValueError("Labels should have bool, integer, or string dtype, not %r"
                             % labels.dtype)
        if not labels.dtype.is_compatible_with(predictions.dtype):
            raise ValueError("Dtypes of predictions and labels should match. Given: "
                             "predictions (%r) and labels (%r)"
                             % (predictions.dtype, labels.dtype))
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        is_correct = math_ops.cast(math_ops.equal(predictions, labels), dtypes.float32)
        if weights is not None:
            is_correct = math_ops.multiply(is_correct, weights)
            num_values = math_ops.multiply(weights, fill_ops.ones_like(is_correct))
            return math_ops.div(reduction_ops.reduce_sum(is_correct),
                                reduction_ops.reduce_sum(num_values))
        return reduction_ops.reduce_mean(is_correct)


def aggregate_metrics(*value_update_tuples):
    """Splits `(value, update_op)` pairs into a list of values and a list of update ops.

    Raises:
        ValueError: If no pair is given.

    Example:
        >>> values, updates = tf.contrib.metrics.aggregate_metrics(
        ...     tf.contrib.metrics.streaming_accuracy(pred, labels),
        ...     tf.contrib.metrics.streaming_recall(pred, labels))
    """
    if not value_update_tuples:
        raise ValueError("Expected at least one value_tensor/update_op pair")
    value_ops, update_ops = zip(*value_update_tuples)
    return list(value_ops), list(update_ops)


def aggregate_metric_map(names_to_tuples):
    """Splits {name: (value, update_op)} into {name: value} and {name: update_op}.

    Example:
        >>> names_to_values, names_to_updates = tf.contrib.metrics.aggregate_metric_map({
        ...     "mse": tf.contrib.metrics.streaming_mean_squared_error(pred, labels)})
    """
    metric_names = names_to_tuples.keys()
    value_ops, update_ops = zip(*names_to_tuples.values())
    return dict(zip(metric_names, value_ops)), dict(zip(metric_names, update_ops))


__all__ = [
    "accuracy",
    "aggregate_metric_map",
    "aggregate_metrics",
    "streaming_accuracy",
    "streaming_auc",
    "streaming_concat",
    "streaming_covariance",
    "streaming_false_negatives",
    "streaming_false_positives",
    "streaming_mean",
    "streaming_mean_absolute_error",
    "streaming_mean_cosine_distance",
    "streaming_mean_iou",
    "streaming_mean_relative_error",
    "streaming_mean_squared_error",
    "streaming_mean_tensor",
    "streaming_pearson_correlation",
    "streaming_percentage_less",
    "streaming_precision",
    "streaming_precision_at_thresholds",
    "streaming_recall",
    "streaming_recall_at_k",
    "streaming_recall_at_thresholds",
    "streaming_root_mean_squared_error",
    "streaming_sensitivity_at_specificity",
    "streaming_sparse_average_precision_at_k",
    "streaming_sparse_precision_at_k",
    "streaming_sparse_precision_at_top_k",
    "streaming_sparse_recall_at_k",
    "streaming_specificity_at_sensitivity",
    "streaming_true_negatives",
    "streaming_true_positives",
]
