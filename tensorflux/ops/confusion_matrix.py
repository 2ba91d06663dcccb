"""`tf.confusion_matrix`: a composite of public ops (segment sums over label/prediction pairs)."""

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.losses import remove_squeezable_dimensions
from tensorflux.ops import array_ops, debug_ops, math_ops, reduction_ops, segment_ops
from tensorflux.ops.constant_op import convert_to_tensor


def _checked(values, num_classes, what):
    """`values` after run-time checks that each one is in [0, num_classes)."""
    checks = [debug_ops.assert_non_negative(values, message="`%s` contains negative values"
                                            % what)]
    if num_classes is not None:
        checks.append(debug_ops.assert_less(values, num_classes,
                                            message="`%s` out of bound" % what))
    with graph_lib.control_dependencies(checks):
        return array_ops.identity(values)


def confusion_matrix(labels, predictions, num_classes=None, dtype=dtypes.int32, name=None,
                     weights=None):
    """The [num_classes, num_classes] matrix counting (label, prediction) pairs.

    Rows are labels and columns are predictions; with `weights`, each pair adds its weight
    instead of 1. Without `num_classes`, it is one more than the largest label or prediction.
    Values outside [0, num_classes) fail at run time with InvalidArgumentError.

    Example:
        >>> tf.confusion_matrix([1, 2, 4], [2, 2, 4])
        # [[0, 0, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 1]]
    """
    with graph_lib.name_scope(name, "confusion_matrix",
                              (predictions, labels, num_classes, weights)):
        labels, predictions = remove_squeezable_dimensions(
            math_ops.cast(labels, dtypes.int64), math_ops.cast(predictions, dtypes.int64))
        if num_classes is None:
            num_classes = math_ops.maximum(reduction_ops.reduce_max(predictions),
                                           reduction_ops.reduce_max(labels)) + 1
            labels = _checked(labels, None, "labels")
            predictions = _checked(predictions, None, "predictions")
        else:
            num_classes = math_ops.cast(num_classes, dtypes.int64)
            labels = _checked(labels, num_classes, "labels")
            predictions = _checked(predictions, num_classes, "predictions")
        if weights is None:
            values = array_ops.ones_like(predictions, dtype)
        else:
            weights = convert_to_tensor(weights, name="weights")
            predictions.get_shape().assert_is_compatible_with(weights.get_shape())
            values = math_ops.cast(weights, dtype)
        # Pair (i, j) lands in cell i * n + j of the flattened matrix; the sum adds duplicates.
        cells = labels * num_classes + predictions
        flat = segment_ops.unsorted_segment_sum(array_ops.reshape(values, [-1]),
                                                array_ops.reshape(cells, [-1]),
                                                num_classes * num_classes)
        shape = array_ops.stack([num_classes, num_classes])
        return array_ops.reshape(flat, math_ops.cast(shape, dtypes.int32))
