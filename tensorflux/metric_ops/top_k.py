"""Top-k retrieval metrics: precision/recall at k, and average precision at k.

`labels` hold class ids ([D1, ... DN] or [D1, ... DN, num_labels], dense or a SparseTensor);
each row's labels and its k predicted ids are compared as sets, as TF does with its set ops.
Here the set arithmetic is done on dense tensors with pairwise comparisons (k and num_labels
are small; a SparseTensor is densified with a mask of its entries): an id counts once per row
however often it repeats. A label outside [0, num_classes) is a label no prediction can match.
Counts are float64 scalars, e.g. `precision_at_5/true_positive_at_5`.
"""

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.losses import assert_broadcastable, broadcast_weights
from tensorflux.metric_ops.streaming import _collect, metric_variable
from tensorflux.ops import (
    array_ops,
    cond_ops,
    fill_ops,
    manip_ops,
    math_ops,
    nn_ops,
    reduction_ops,
    scan_ops,
    sparse_ops,
    sparse_tensor,
    state_ops,
)
from tensorflux.ops.constant_op import convert_to_tensor


def _at_k_name(name, k=None, class_id=None):
    name = "%s_at_%d" % (name, k) if k is not None else "%s_at_k" % name
    return name if class_id is None else "%s_class%d" % (name, class_id)


def _maybe_expand_labels(labels, predictions):
    """`labels` with a trailing num_labels axis of 1 when they have one rank less."""
    with graph_lib.name_scope(None, "expand_labels", (labels, predictions)) as scope:
        labels = convert_to_tensor(labels)
        labels_rank, predictions_rank = labels.get_shape().ndims, predictions.get_shape().ndims
        if labels_rank is None or predictions_rank is None:
            return cond_ops.cond(
                math_ops.equal(array_ops.rank(predictions), array_ops.rank(labels) + 1),
                lambda: manip_ops.expand_dims(labels, -1, name=scope), lambda: labels)
        if predictions_rank == labels_rank:
            return labels
        if predictions_rank == labels_rank + 1:
            return manip_ops.expand_dims(labels, -1, name=scope)
        raise ValueError(
            "Unexpected labels shape %s for predictions shape %s. Predictions rank should be the "
            "same rank as labels rank or labels rank plus one ." % (labels.get_shape(),
                                                                    predictions.get_shape()))


def _labels_and_mask(labels, predictions_idx):
    """Dense int64 labels of the rank of `predictions_idx`, and which entries are labels.

    Dense labels are all labels (the mask is None); a SparseTensor's missing entries are not.
    """
    if not isinstance(labels, sparse_tensor.SparseTensor):
        labels = _maybe_expand_labels(labels, predictions_idx)
        return math_ops.cast(labels, dtypes.int64), None
    ones = array_ops.ones_like(labels.values, dtypes.bool)
    present = sparse_tensor.SparseTensor(labels.indices, ones, labels.dense_shape)
    dense = sparse_ops.sparse_tensor_to_dense(labels, default_value=-1)
    mask = sparse_ops.sparse_tensor_to_dense(present, default_value=False)
    return (math_ops.cast(_maybe_expand_labels(dense, predictions_idx), dtypes.int64),
            _maybe_expand_labels(mask, predictions_idx))


def _is_in(x, y, y_mask=None):
    """[..., m] bool: whether each x[..., i] equals some (present) y[..., j] of the same row."""
    pairs = math_ops.equal(manip_ops.expand_dims(x, -1), manip_ops.expand_dims(y, -2))
    if y_mask is not None:
        pairs = math_ops.logical_and(pairs, manip_ops.expand_dims(y_mask, -2))
    return reduction_ops.reduce_any(pairs, axis=-1)


def _pairs_equal(x):
    return math_ops.equal(manip_ops.expand_dims(x, -1), manip_ops.expand_dims(x, -2))


def _first_occurrence(x, mask=None):
    """[..., m] bool: whether x[..., i] is present and differs from every present earlier one."""
    positions = fill_ops.range(array_ops.shape(x)[-1])
    earlier = math_ops.less(array_ops.reshape(positions, [1, -1]),
                            array_ops.reshape(positions, [-1, 1]))  # [i, j]: j < i
    same = math_ops.logical_and(_pairs_equal(x), earlier)
    if mask is None:
        return math_ops.logical_not(reduction_ops.reduce_any(same, axis=-1))
    same = math_ops.logical_and(same, manip_ops.expand_dims(mask, -2))
    return math_ops.logical_and(mask, math_ops.logical_not(reduction_ops.reduce_any(same, -1)))


def _set_count(members, others, inside, class_id, members_mask=None, others_mask=None):
    """Per row: the number of distinct `members` that are (or are not) in `others`."""
    hit = _is_in(members, others, others_mask)
    keep = math_ops.logical_and(_first_occurrence(members, members_mask),
                                hit if inside else math_ops.logical_not(hit))
    if class_id is not None:
        keep = math_ops.logical_and(keep, math_ops.equal(members, class_id))
    return reduction_ops.reduce_sum(math_ops.cast(keep, dtypes.float64), axis=-1)


def _weighted(per_row, weights):
    if weights is None:
        return per_row
    with graph_lib.control_dependencies([assert_broadcastable(weights, per_row)]):
        return math_ops.multiply(per_row, math_ops.cast(weights, dtypes.float64))


def _streaming_count(kind, per_row, k, class_id, weights):
    """A float64 `<kind>_at_<k>` variable and the op adding this batch's weighted count."""
    with graph_lib.name_scope(None, _at_k_name(kind, k, class_id), [per_row]) as scope:
        batch_total = reduction_ops.reduce_sum(_weighted(per_row, weights))
        var = metric_variable([], dtypes.float64, name=scope)
        return var, state_ops.assign_add(var, batch_total, name="update")


def _ratio_at_top_k(kind, other_kind, labels, predictions_idx, k, class_id, weights,
                    metrics_collections, updates_collections, name):
    """tp / (tp + other): precision with other = false positives, recall with false negatives."""
    with graph_lib.name_scope(name, _at_k_name(kind, k, class_id),
                              (predictions_idx, labels, weights)) as scope:
        predictions_idx = convert_to_tensor(predictions_idx)
        labels, mask = _labels_and_mask(labels, predictions_idx)
        top_k_idx = math_ops.cast(predictions_idx, dtypes.int64)
        with graph_lib.name_scope(None, "true_positives"):
            tp_rows = _set_count(top_k_idx, labels, True, class_id, others_mask=mask)
        tp, tp_update = _streaming_count("true_positive", tp_rows, k, class_id, weights)
        if other_kind == "false_positive":
            with graph_lib.name_scope(None, "false_positives"):
                other_rows = _set_count(top_k_idx, labels, False, class_id, others_mask=mask)
        else:
            with graph_lib.name_scope(None, "false_negatives"):
                other_rows = _set_count(labels, top_k_idx, False, class_id, members_mask=mask)
        other, other_update = _streaming_count(other_kind, other_rows, k, class_id, weights)
        metric = math_ops.divide(tp, math_ops.add(tp, other), name=scope)
        _collect(metrics_collections, metric)
        update = math_ops.divide(tp_update, math_ops.add(tp_update, other_update),
                                 name="update")
        _collect(updates_collections, update)
        return metric, update


def recall_at_top_k(labels, predictions_idx, k=None, class_id=None, weights=None,
                    metrics_collections=None, updates_collections=None, name=None):
    """Recall of the predicted ids `predictions_idx` ([D1, ... DN, k]) against `labels`.

    With `class_id`, only that class counts. NaN until a label (of that class) is seen.

    Example:
        >>> _, idx = tf.nn.top_k(logits, 5)
        >>> rec, update = tf.metrics.recall_at_top_k(labels, idx, k=5)
    """
    return _ratio_at_top_k("recall", "false_negative", labels, predictions_idx, k, class_id,
                           weights, metrics_collections, updates_collections, name)


def precision_at_top_k(labels, predictions_idx, k=None, class_id=None, weights=None,
                       metrics_collections=None, updates_collections=None, name=None):
    """Precision of the predicted ids `predictions_idx` ([D1, ... DN, k]) against `labels`.

    Example:
        >>> _, idx = tf.nn.top_k(logits, 5)
        >>> prec, update = tf.metrics.precision_at_top_k(labels, idx, k=5)
    """
    return _ratio_at_top_k("precision", "false_positive", labels, predictions_idx, k,
                           class_id, weights, metrics_collections, updates_collections, name)


def recall_at_k(labels, predictions, k, class_id=None, weights=None, metrics_collections=None,
                updates_collections=None, name=None):
    """Recall of the k highest-scoring classes of `predictions` ([D1, ... DN, num_classes]).

    Example:
        >>> rec, update = tf.metrics.recall_at_k(labels, logits, k=5)
    """
    with graph_lib.name_scope(name, _at_k_name("recall", k, class_id),
                              (predictions, labels, weights)) as scope:
        _, top_k_idx = nn_ops.top_k(predictions, k)
        return recall_at_top_k(labels, top_k_idx, k, class_id, weights, metrics_collections,
                               updates_collections, scope)


def precision_at_k(labels, predictions, k, class_id=None, weights=None,
                   metrics_collections=None, updates_collections=None, name=None):
    """Precision of the k highest-scoring classes of `predictions` ([D1, ... DN, num_classes]).

    Example:
        >>> prec, update = tf.metrics.precision_at_k(labels, logits, k=1)
    """
    with graph_lib.name_scope(name, _at_k_name("precision", k, class_id),
                              (predictions, labels, weights)) as scope:
        _, top_k_idx = nn_ops.top_k(predictions, k)
        return precision_at_top_k(labels, top_k_idx, k, class_id, weights,
                                  metrics_collections, updates_collections, scope)


def sparse_precision_at_k(labels, predictions, k, class_id=None, weights=None,
                          metrics_collections=None, updates_collections=None, name=None):
    """Deprecated alias of `precision_at_k`."""
    return precision_at_k(labels, predictions, k, class_id, weights, metrics_collections,
                          updates_collections, name)


def _average_precision_per_row(labels, predictions_idx, k):
    """Per row: the mean over the relevant labels of the precision at each correct rank."""
    with graph_lib.name_scope(None, "average_precision", (predictions_idx, labels)) as scope:
        predictions_idx = math_ops.cast(predictions_idx, dtypes.int64, name="predictions_idx")
        labels, mask = _labels_and_mask(labels, predictions_idx)
        relevant = math_ops.cast(_is_in(predictions_idx, labels, mask), dtypes.float64)
        tp_per_k = scan_ops.cumsum(relevant, axis=-1, name="tp_per_k")
        retrieved_per_k = scan_ops.cumsum(array_ops.ones_like(relevant), axis=-1,
                                          name="retrieved_per_k")
        precision_sum = reduction_ops.reduce_sum(
            math_ops.divide(tp_per_k, retrieved_per_k) * relevant, axis=-1,
            name="precision_sum")
        # The number of relevant items, at most k: as TF counts them, the non-negative dense
        # labels, or the distinct ids (negative ones included) of a SparseTensor's row.
        if mask is None:
            counted = math_ops.greater_equal(labels, 0)
        else:
            counted = _first_occurrence(labels, mask)
        num_labels = reduction_ops.reduce_sum(math_ops.cast(counted, dtypes.float64), axis=-1)
        num_relevant = math_ops.minimum(num_labels, float(k))
        return math_ops.divide(precision_sum, num_relevant, name=scope)


def _clean_out_of_range(labels, num_classes):
    """`labels` with every id >= num_classes replaced by -1 (so it is never relevant)."""
    sparse = isinstance(labels, sparse_tensor.SparseTensor)
    values = math_ops.cast(labels.values if sparse else labels, dtypes.int64)

    def cleaned():
        return array_ops.where(math_ops.greater_equal(values, num_classes),
                               -1 * array_ops.ones_like(values), values)
    values = cond_ops.cond(
        math_ops.greater_equal(reduction_ops.reduce_max(values), num_classes), cleaned,
        lambda: values)
    if sparse:
        return sparse_tensor.SparseTensor(labels.indices, values, labels.dense_shape)
    return values


def average_precision_at_k(labels, predictions, k, weights=None, metrics_collections=None,
                           updates_collections=None, name=None):
    """The mean over rows of the average precision of the top k classes of `predictions`.

    Variables `<name>/total` (the summed average precisions) and `<name>/max_1` (the rows or
    their summed weights; TF's name); rows with no valid label give NaN, as in TF.

    Example:
        >>> ap, update = tf.metrics.average_precision_at_k(labels, logits, k=10)
    """
    if k < 1:
        raise ValueError("Invalid k=%s. `k` should be >= 1." % k)
    with graph_lib.name_scope(name, _at_k_name("average_precision", k),
                              (predictions, labels, weights)) as scope:
        predictions = convert_to_tensor(predictions)
        _, predictions_idx = nn_ops.top_k(predictions, k)
        num_classes = math_ops.cast(array_ops.shape(predictions)[-1], dtypes.int64)
        labels = _clean_out_of_range(labels, num_classes)
        average_precision = _average_precision_per_row(labels, predictions_idx, k)
        if weights is not None:
            weights = broadcast_weights(math_ops.cast(weights, dtypes.float64),
                                        average_precision)
            average_precision = math_ops.multiply(average_precision, weights)
        with graph_lib.name_scope(None, "max", (average_precision,)) as max_scope:
            max_var = metric_variable([], dtypes.float64, name=max_scope)
            if weights is None:
                batch_max = math_ops.cast(array_ops.size(average_precision), dtypes.float64)
            else:
                batch_max = reduction_ops.reduce_sum(weights, name="batch_max")
            max_update = state_ops.assign_add(max_var, batch_max, name="update")
        with graph_lib.name_scope(None, "total", (average_precision,)) as total_scope:
            total_var = metric_variable([], dtypes.float64, name=total_scope)
            batch_total = reduction_ops.reduce_sum(average_precision, name="batch_total")
            total_update = state_ops.assign_add(total_var, batch_total, name="update")
        mean_average_precision = math_ops.div_no_nan(total_var, max_var, name="mean")
        _collect(metrics_collections, mean_average_precision)
        update = math_ops.div_no_nan(total_update, max_update, name=scope)
        _collect(updates_collections, update)
        return mean_average_precision, update


def sparse_average_precision_at_k(labels, predictions, k, weights=None,
                                  metrics_collections=None, updates_collections=None,
                                  name=None):
    """Deprecated alias of `average_precision_at_k`."""
    return average_precision_at_k(labels, predictions, k, weights, metrics_collections,
                                  updates_collections, name)
