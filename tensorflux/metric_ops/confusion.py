"""Class-count metrics: mean_iou (a streaming confusion matrix) and mean_per_class_accuracy.

Both flatten their inputs, so they take a segmentation map ([batch, height, width] class ids)
as readily as a vector of class ids.
"""

from tensorflux.graph import dtypes
from tensorflux.metric_ops.streaming import _collect, metric_variable
from tensorflux.ops import array_ops, diag_ops, math_ops, reduction_ops, segment_ops, state_ops
from tensorflux.ops.confusion_matrix import confusion_matrix
from tensorflux.ops.constant_op import convert_to_tensor
from tensorflux.variable_scope import variable_scope


def _flatten(tensor):
    """`tensor` as a vector when its (static) rank is above 1."""
    if tensor is not None and tensor.get_shape().ndims is not None \
            and tensor.get_shape().ndims > 1:
        return array_ops.reshape(tensor, [-1])
    return tensor


def _streaming_confusion_matrix(labels, predictions, num_classes, weights=None):
    """A float64 `total_confusion_matrix` variable and the op adding this batch's matrix."""
    total_cm = metric_variable([num_classes, num_classes], dtypes.float64,
                               name="total_confusion_matrix")
    predictions = _flatten(math_ops.cast(predictions, dtypes.int64))
    labels = _flatten(math_ops.cast(labels, dtypes.int64))
    weights = _flatten(weights)
    current_cm = confusion_matrix(labels, predictions, num_classes, weights=weights,
                                  dtype=dtypes.float64)
    return total_cm, state_ops.assign_add(total_cm, current_cm)


def _mean_iou_from_matrix(total_cm):
    """The mean over classes present in labels or predictions of |A and B| / |A or B|."""
    sum_over_row = math_ops.cast(reduction_ops.reduce_sum(total_cm, 0), dtypes.float32)
    sum_over_col = math_ops.cast(reduction_ops.reduce_sum(total_cm, 1), dtypes.float32)
    cm_diag = math_ops.cast(diag_ops.matrix_diag_part(total_cm), dtypes.float32)
    denominator = sum_over_row + sum_over_col - cm_diag
    # A class that appears in neither labels nor predictions has a 0 denominator: skip it.
    num_valid_entries = reduction_ops.reduce_sum(
        math_ops.cast(math_ops.not_equal(denominator, 0), dtypes.float32))
    denominator = array_ops.where(math_ops.greater(denominator, 0), denominator,
                                  array_ops.ones_like(denominator))
    iou = math_ops.divide(cm_diag, denominator)
    return array_ops.where(
        math_ops.greater(num_valid_entries, 0),
        reduction_ops.reduce_sum(iou, name="mean_iou") / num_valid_entries, 0.0)


def mean_iou(labels, predictions, num_classes, weights=None, metrics_collections=None,
             updates_collections=None, name=None):
    """The mean intersection-over-union of the classes, from a streaming confusion matrix.

    The variable `<name>/total_confusion_matrix` ([num_classes, num_classes], float64) holds
    the (weighted) counts; `update_op` adds a batch and returns the matrix, `value` reads the
    mean IOU over the classes seen in labels or predictions (0 before any).

    Example:
        >>> miou, update = tf.metrics.mean_iou(seg_labels, tf.argmax(logits, -1), num_classes=21)
    """
    with variable_scope(name, "mean_iou", (predictions, labels, weights)):
        labels = convert_to_tensor(labels)
        predictions = convert_to_tensor(predictions)
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        if weights is not None:
            weights = convert_to_tensor(weights)
        total_cm, update_op = _streaming_confusion_matrix(labels, predictions, num_classes,
                                                          weights)
        mean_iou_v = _mean_iou_from_matrix(total_cm)
        _collect(metrics_collections, mean_iou_v)
        _collect(updates_collections, update_op)
        return mean_iou_v, update_op


def mean_per_class_accuracy(labels, predictions, num_classes, weights=None,
                            metrics_collections=None, updates_collections=None, name=None):
    """The mean over classes of the (weighted) fraction of each class's labels predicted right.

    Variables `<name>/total` (labels seen per class) and `<name>/count` (correct per class);
    `update_op` returns the per-class accuracies, `value` their mean (a class never seen
    counts as 0, as in TF). The default name is `mean_accuracy`.

    Example:
        >>> acc, update = tf.metrics.mean_per_class_accuracy(y, y_hat, num_classes=10)
    """
    with variable_scope(name, "mean_accuracy", (predictions, labels, weights)):
        labels = _flatten(math_ops.cast(labels, dtypes.int64))
        predictions = _flatten(convert_to_tensor(predictions))
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        total = metric_variable([num_classes], dtypes.float32, name="total")
        count = metric_variable([num_classes], dtypes.float32, name="count")
        ones = array_ops.ones(array_ops.reshape(array_ops.size(labels), [1]), dtypes.float32)
        if labels.dtype != predictions.dtype:
            predictions = math_ops.cast(predictions, labels.dtype)
        is_correct = math_ops.cast(math_ops.equal(predictions, labels), dtypes.float32)
        if weights is not None:
            weights = math_ops.cast(_flatten(convert_to_tensor(weights)), dtypes.float32)
            is_correct *= weights
            ones *= weights
        update_total_op = state_ops.assign_add(
            total, segment_ops.unsorted_segment_sum(ones, labels, num_classes))
        update_count_op = state_ops.assign_add(
            count, segment_ops.unsorted_segment_sum(is_correct, labels, num_classes))
        per_class = math_ops.div_no_nan(count, math_ops.maximum(total, 0))
        mean_accuracy_v = reduction_ops.reduce_mean(per_class, name="mean_accuracy")
        _collect(metrics_collections, mean_accuracy_v)
        update_op = math_ops.div_no_nan(update_count_op, math_ops.maximum(update_total_op, 0),
                                        name="update_op")
        _collect(updates_collections, update_op)
        return mean_accuracy_v, update_op
