"""Metrics of scores in [0, 1] cut at thresholds: counts, precision/recall, AUC, sens./spec.

Each keeps one float32 vector per count it needs (`true_positives`, `false_negatives`,
`true_negatives`, `false_positives`, in that order), one entry per threshold; a prediction is
positive at a threshold when it is strictly greater than it.
"""

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.losses import broadcast_weights
from tensorflux.metric_ops.streaming import (
    _collect,
    _remove_squeezable_dimensions,
    metric_variable,
)
from tensorflux.ops import (
    array_ops,
    constant_op,
    debug_ops,
    math_ops,
    reduction_ops,
    scan_ops,
    state_ops,
)
from tensorflux.ops.constant_op import convert_to_tensor
from tensorflux.platform import tf_logging
from tensorflux.variable_scope import variable_scope

_ALL_COUNTS = ("tp", "fn", "tn", "fp")
_COUNT_NAMES = {"tp": "true_positives", "fn": "false_negatives", "tn": "true_negatives",
                "fp": "false_positives"}
_KEPSILON = 1e-7  # keeps the end thresholds just outside [0, 1] despite rounding
_SUMMATION_METHODS = ("trapezoidal", "careful_interpolation", "minoring", "majoring")


def _checked_inputs(labels, predictions, weights):
    """Float predictions (checked at run time to lie in [0, 1]), bool labels, fitted weights."""
    predictions = convert_to_tensor(predictions)
    in_range = "predictions must be in [0, 1]"
    checks = [
        debug_ops.assert_greater_equal(predictions, math_ops.cast(0.0, predictions.dtype),
                                       message=in_range),
        debug_ops.assert_less_equal(predictions, math_ops.cast(1.0, predictions.dtype),
                                    message=in_range),
    ]
    with graph_lib.control_dependencies(checks):
        # an op of our own, so that the checks run even when the casts below are no-ops
        predictions = array_ops.identity(predictions, name="checked_predictions")
        return _remove_squeezable_dimensions(math_ops.cast(predictions, dtypes.float32),
                                             math_ops.cast(labels, dtypes.bool), weights)


def _confusion_matrix_at_thresholds(labels, predictions, thresholds, weights=None,
                                    includes=_ALL_COUNTS):
    """Variables counting tp/fn/tn/fp at each threshold, and the ops adding a batch.

    Returns two dicts keyed by the entries of `includes`: the variables and the update ops.
    """
    for include in includes:
        if include not in _ALL_COUNTS:
            raise ValueError("Invalid key: %s" % include)
    predictions, labels, weights = _checked_inputs(labels, predictions, weights)
    num_thresholds = len(thresholds)
    # [num_thresholds, num_predictions] tables, by broadcasting a column against a row.
    thresh_col = array_ops.reshape(
        constant_op.constant(list(thresholds), dtypes.float32), [num_thresholds, 1])
    pred_is_pos = math_ops.greater(array_ops.reshape(predictions, [1, -1]), thresh_col)
    label_is_pos = array_ops.reshape(labels, [1, -1])
    if weights is not None:
        weights = broadcast_weights(math_ops.cast(weights, dtypes.float32), predictions)
        weights = array_ops.reshape(weights, [1, -1])
    cases = {
        "tp": (label_is_pos, pred_is_pos),
        "fn": (label_is_pos, math_ops.logical_not(pred_is_pos)),
        "tn": (math_ops.logical_not(label_is_pos), math_ops.logical_not(pred_is_pos)),
        "fp": (math_ops.logical_not(label_is_pos), pred_is_pos),
    }
    values, update_ops = {}, {}
    for key in _ALL_COUNTS:
        if key not in includes:
            continue
        variable = metric_variable([num_thresholds], dtypes.float32, name=_COUNT_NAMES[key])
        hits = math_ops.cast(math_ops.logical_and(*cases[key]), dtypes.float32)
        if weights is not None:
            hits = math_ops.multiply(hits, weights)
        update_ops[key] = state_ops.assign_add(variable, reduction_ops.reduce_sum(hits, 1))
        values[key] = variable
    return values, update_ops


def _count_at_thresholds(key, default_name):
    def metric(labels, predictions, thresholds, weights=None, metrics_collections=None,
               updates_collections=None, name=None):
        with variable_scope(name, default_name, (predictions, labels, weights)):
            values, update_ops = _confusion_matrix_at_thresholds(
                labels, predictions, thresholds, weights=weights, includes=(key,))
            value = array_ops.identity(values[key])
            _collect(metrics_collections, value)
            _collect(updates_collections, update_ops[key])
            return value, update_ops[key]
    metric.__name__ = default_name + "_at_thresholds"
    metric.__doc__ = """The (weighted) number of %s at each threshold, over every batch seen.

    `predictions` are scores in [0, 1] (checked at run time); one is positive at a threshold
    when it is greater than it. The value has one entry per threshold.

    Example:
        >>> counts, update = tf.metrics.%s(labels, scores, [0.25, 0.5])
    """ % (default_name.replace("_", " "), metric.__name__)
    return metric


true_positives_at_thresholds = _count_at_thresholds("tp", "true_positives")
false_positives_at_thresholds = _count_at_thresholds("fp", "false_positives")
true_negatives_at_thresholds = _count_at_thresholds("tn", "true_negatives")
false_negatives_at_thresholds = _count_at_thresholds("fn", "false_negatives")


def _ratio_at_thresholds(default_name, other):
    """precision = tp / (tp + fp), recall = tp / (tp + fn), a 1e-7 epsilon in the divisor."""
    def metric(labels, predictions, thresholds, weights=None, metrics_collections=None,
               updates_collections=None, name=None):
        with variable_scope(name, default_name + "_at_thresholds",
                            (predictions, labels, weights)):
            values, update_ops = _confusion_matrix_at_thresholds(
                labels, predictions, thresholds, weights, includes=("tp", other))

            def compute(tp, count, suffix):
                return math_ops.divide(tp, 1e-7 + tp + count, name=default_name + suffix)

            value = compute(values["tp"], values[other], "_value")
            _collect(metrics_collections, value)
            update_op = compute(update_ops["tp"], update_ops[other], "_update_op")
            _collect(updates_collections, update_op)
            return value, update_op
    metric.__name__ = default_name + "_at_thresholds"
    metric.__doc__ = """The %s at each threshold, over every batch seen.

    Example:
        >>> values, update = tf.metrics.%s(labels, scores, thresholds=[0.5, 0.9])
    """ % (default_name, metric.__name__)
    return metric


precision_at_thresholds = _ratio_at_thresholds("precision", "fp")
recall_at_thresholds = _ratio_at_thresholds("recall", "fn")


def _even_thresholds(num_thresholds, top):
    """`num_thresholds` thresholds: just below 0, evenly inside (0, 1), then `top`."""
    if num_thresholds < 2:
        raise ValueError("`num_thresholds` must be at least 2, got %s." % num_thresholds)
    inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
    return [0.0 - _KEPSILON] + inner + [top]


def _interpolate_pr_auc(tp, fp, fn):
    """PR AUC with precision interpolated between thresholds (Davis & Goadrich, 2006)."""
    n = tp.get_shape().as_list()[0]
    dtp = tp[:n - 1] - tp[1:]
    p = tp + fp
    prec_slope = math_ops.div_no_nan(dtp, math_ops.maximum(p[:n - 1] - p[1:], 0),
                                     name="prec_slope")
    intercept = tp[1:] - math_ops.multiply(prec_slope, p[1:])
    safe_p_ratio = array_ops.where(
        math_ops.logical_and(p[:n - 1] > 0, p[1:] > 0),
        math_ops.div_no_nan(p[:n - 1], math_ops.maximum(p[1:], 0),
                            name="recall_relative_ratio"),
        array_ops.ones_like(p[1:]))
    increments = math_ops.div_no_nan(
        prec_slope * (dtp + intercept * math_ops.log(safe_p_ratio)),
        math_ops.maximum(tp[1:] + fn[1:], 0), name="pr_auc_increment")
    return reduction_ops.reduce_sum(increments, name="interpolate_pr_auc")


def _riemann_auc(x, y, summation_method, name):
    """The area under the curve through the points (x, y), x decreasing."""
    n = x.get_shape().as_list()[0]
    widths = x[:n - 1] - x[1:]
    if summation_method == "minoring":
        heights = math_ops.minimum(y[:n - 1], y[1:])
    elif summation_method == "majoring":
        heights = math_ops.maximum(y[:n - 1], y[1:])
    else:
        heights = (y[:n - 1] + y[1:]) / 2.0
    return reduction_ops.reduce_sum(math_ops.multiply(widths, heights), name=name)


def _auc_from_counts(counts, curve, summation_method, name):
    if curve == "PR" and summation_method == "careful_interpolation":
        return _interpolate_pr_auc(counts["tp"], counts["fp"], counts["fn"])
    epsilon = 1.0e-6
    tp, fn, tn, fp = (counts[k] for k in _ALL_COUNTS)
    rec = math_ops.divide(tp + epsilon, tp + fn + epsilon)
    if curve == "ROC":
        x, y = math_ops.divide(fp, fp + tn + epsilon), rec
    else:
        x, y = rec, math_ops.divide(tp + epsilon, tp + fp + epsilon)
    return _riemann_auc(x, y, summation_method, name)


def auc(labels, predictions, weights=None, num_thresholds=200, metrics_collections=None,
        updates_collections=None, curve="ROC", name=None, summation_method="trapezoidal",
        thresholds=None):
    """The area under the ROC or precision-recall curve, over every batch seen.

    The curve is sampled at `num_thresholds` thresholds evenly spread over [0, 1] (or at the
    given `thresholds` plus two just outside [0, 1]); `summation_method` is 'trapezoidal',
    'careful_interpolation' (interpolated precision, for PR), 'minoring' or 'majoring'.

    Example:
        >>> roc_auc, update = tf.metrics.auc(labels, tf.sigmoid(logits))
    """
    with variable_scope(name, "auc", (labels, predictions, weights)):
        if curve not in ("ROC", "PR"):
            raise ValueError("Curve must be either ROC or PR. Curve %s is unknown." % curve)
        if summation_method not in _SUMMATION_METHODS:
            raise ValueError("Invalid summation_method: %s summation_method should be "
                             "'trapezoidal', 'careful_interpolation', 'minoring', or "
                             "'majoring'." % summation_method)
        if curve == "PR" and summation_method == "trapezoidal":
            tf_logging.warning("Trapezoidal rule is known to produce incorrect PR-AUCs; "
                               "please switch to \"careful_interpolation\" instead.")
        if thresholds is not None:
            thresholds = [0.0 - _KEPSILON] + sorted(thresholds) + [1.0 + _KEPSILON]
        else:
            thresholds = _even_thresholds(num_thresholds, 1.0 + _KEPSILON)
        values, update_ops = _confusion_matrix_at_thresholds(labels, predictions, thresholds,
                                                             weights)
        auc_value = _auc_from_counts(values, curve, summation_method, "value")
        _collect(metrics_collections, auc_value)
        update_op = _auc_from_counts(update_ops, curve, summation_method, "update_op")
        _collect(updates_collections, update_op)
        return auc_value, update_op


def _check_rate(rate, what):
    if rate < 0 or rate > 1:
        raise ValueError("`%s` must be in the range [0, 1]. Currently, `%s` %s %s."
                         % (what, what, "got" if what == "specificity" else "is", rate))


def _sensitivity_at(counts, specificity, name):
    """The sensitivity at the threshold whose specificity is nearest (first such)."""
    tp, fn, tn, fp = (counts[k] for k in _ALL_COUNTS)
    specificities = math_ops.divide(tn, tn + fp + _KEPSILON)
    index = math_ops.cast(
        reduction_ops.argmin(math_ops.abs(specificities - specificity), 0), dtypes.int32)
    return math_ops.divide(tp[index], tp[index] + fn[index] + _KEPSILON, name)


def _specificity_at(counts, sensitivity, name):
    """The specificity at the threshold whose sensitivity is nearest (last such)."""
    tp, fn, tn, fp = (counts[k] for k in _ALL_COUNTS)
    gaps = math_ops.abs(math_ops.divide(tp, tp + fn + _KEPSILON) - sensitivity)
    at_min = math_ops.cast(math_ops.equal(gaps, reduction_ops.reduce_min(gaps)), dtypes.int64)
    # argmax of the running count of minima is the last index at the minimum
    index = math_ops.cast(reduction_ops.argmax(scan_ops.cumsum(at_min), 0), dtypes.int32)
    return math_ops.divide(tn[index], tn[index] + fp[index] + _KEPSILON, name)


def sensitivity_at_specificity(labels, predictions, specificity, weights=None,
                               num_thresholds=200, metrics_collections=None,
                               updates_collections=None, name=None):
    """The sensitivity (recall) at the threshold whose specificity is nearest `specificity`.

    Example:
        >>> sens, update = tf.metrics.sensitivity_at_specificity(labels, scores, 0.9)
    """
    _check_rate(specificity, "specificity")
    with variable_scope(name, "sensitivity_at_specificity", (predictions, labels, weights)):
        thresholds = _even_thresholds(num_thresholds, 1.0 + _KEPSILON)
        values, update_ops = _confusion_matrix_at_thresholds(labels, predictions, thresholds,
                                                             weights)
        value = _sensitivity_at(values, specificity, "value")
        _collect(metrics_collections, value)
        update_op = _sensitivity_at(update_ops, specificity, "update_op")
        _collect(updates_collections, update_op)
        return value, update_op


def specificity_at_sensitivity(labels, predictions, sensitivity, weights=None,
                               num_thresholds=200, metrics_collections=None,
                               updates_collections=None, name=None):
    """The specificity at the threshold whose sensitivity is nearest `sensitivity`.

    As in TF, the top threshold is just below 1 (not above it as for the other metrics here).

    Example:
        >>> spec, update = tf.metrics.specificity_at_sensitivity(labels, scores, 0.9)
    """
    _check_rate(sensitivity, "sensitivity")
    with variable_scope(name, "specificity_at_sensitivity", (predictions, labels, weights)):
        thresholds = _even_thresholds(num_thresholds, 1.0 - _KEPSILON)
        values, update_ops = _confusion_matrix_at_thresholds(labels, predictions, thresholds,
                                                             weights)
        value = _specificity_at(values, sensitivity, "value")
        _collect(metrics_collections, value)
        update_op = _specificity_at(update_ops, sensitivity, "update_op")
        _collect(updates_collections, update_op)
        return value, update_op
