"""`tf.keras.metrics`: per-sample metric functions `fn(y_true, y_pred)` and the resolution of
`"accuracy"`/`"acc"` to the accuracy that fits the loss and output, as Keras does.

Example:
    >>> model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
"""

import numpy as np

from tensorflux.graph import dtypes
from tensorflux.keras import backend, losses
from tensorflux.ops import array_ops, manip_ops, math_ops, reduction_ops


def _as_float(x):
    return math_ops.cast(x, backend.floatx())


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """Mean over the last axis of `y_true == (y_pred > threshold)`."""
    y_pred = _as_float(math_ops.greater(y_pred, threshold))
    y_true = math_ops.cast(y_true, y_pred.dtype)
    return reduction_ops.reduce_mean(_as_float(math_ops.equal(y_true, y_pred)), axis=-1)


def categorical_accuracy(y_true, y_pred):
    """1 where `argmax(y_true) == argmax(y_pred)`."""
    return _as_float(math_ops.equal(reduction_ops.argmax(y_true, axis=-1),
                                    reduction_ops.argmax(y_pred, axis=-1)))


def sparse_categorical_accuracy(y_true, y_pred):
    """1 where the integer label equals `argmax(y_pred)` (labels may carry a trailing 1)."""
    true_rank, pred_rank = y_true.shape.ndims, y_pred.shape.ndims
    if true_rank is not None and pred_rank is not None and true_rank == pred_rank:
        y_true = manip_ops.squeeze(y_true, [-1])
    predicted = math_ops.cast(reduction_ops.argmax(y_pred, axis=-1), dtypes.float32)
    return _as_float(math_ops.equal(math_ops.cast(y_true, dtypes.float32), predicted))


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    from tensorflux import nn

    labels = reduction_ops.argmax(y_true, axis=-1)
    return _as_float(nn.in_top_k(y_pred, math_ops.cast(labels, dtypes.int32), k))


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    from tensorflux import nn

    labels = math_ops.cast(array_ops.reshape(y_true, [-1]), dtypes.int32)
    return _as_float(nn.in_top_k(y_pred, labels, k))


mse = MSE = mean_squared_error = losses.mean_squared_error
mae = MAE = mean_absolute_error = losses.mean_absolute_error
mape = MAPE = mean_absolute_percentage_error = losses.mean_absolute_percentage_error
categorical_crossentropy = losses.categorical_crossentropy
sparse_categorical_crossentropy = losses.sparse_categorical_crossentropy
binary_crossentropy = losses.binary_crossentropy

_BY_NAME = {
    "binary_accuracy": binary_accuracy, "categorical_accuracy": categorical_accuracy,
    "sparse_categorical_accuracy": sparse_categorical_accuracy,
    "top_k_categorical_accuracy": top_k_categorical_accuracy,
    "sparse_top_k_categorical_accuracy": sparse_top_k_categorical_accuracy,
}


def resolve(metric, loss_fn, output_shape):
    """`(name, fn)` for a metric identifier given the model's loss and output shape.

    `"accuracy"`/`"acc"` become `"acc"` (TF 1.x's history key) computed by binary, sparse
    categorical or categorical accuracy, chosen from the loss and the output's last dimension.
    A `Metric` object gives its stateless per-batch value (`batch_value`) under its `name`
    (`Model.compile` itself uses Metric objects statefully: update, then `result()`).
    """
    if metric in ("accuracy", "acc"):
        if output_shape[-1] == 1 or loss_fn is losses.binary_crossentropy:
            return "acc", binary_accuracy
        if loss_fn is losses.sparse_categorical_crossentropy:
            return "acc", sparse_categorical_accuracy
        return "acc", categorical_accuracy
    if metric in ("crossentropy", "ce"):
        return "ce", loss_fn
    if isinstance(metric, str):
        fn = _BY_NAME.get(metric) or losses.get(metric)
        return metric, fn
    if isinstance(metric, Metric):
        return metric.name, metric.batch_value
    if isinstance(metric, type) and issubclass(metric, Metric):
        instance = metric()
        return instance.name, instance.batch_value
    return getattr(metric, "__name__", type(metric).__name__), metric


def get(identifier):
    """A metric function for a name, a callable, a `serialize` dict or a class name.

    Example:
        >>> tf.keras.metrics.get("AUC")          # an AUC() object
    """
    if callable(identifier):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if identifier in _BY_NAME:
        return _BY_NAME[identifier]
    if identifier in _CLASSES:
        return _CLASSES[identifier]()
    return losses.get(identifier)


def serialize(metric):
    """A metric function's name, or `{"class_name", "config"}` of a `Metric` object."""
    if isinstance(metric, Metric):
        return {"class_name": type(metric).__name__, "config": metric.get_config()}
    return getattr(metric, "__name__", metric)


def deserialize(config, custom_objects=None):
    """The metric for a `serialize` dict or a name (custom objects are consulted)."""
    from tensorflux.keras.utils import generic_utils

    if isinstance(config, str):
        found = generic_utils.lookup(config, custom_objects)
        return found if found is not None else get(config)
    name = config["class_name"]
    cls = generic_utils.lookup(name, custom_objects) or _CLASSES.get(name)
    if cls is None:
        raise ValueError("Unknown metric function: " + name)
    return cls.from_config(config.get("config", {}))


__all__ = [
    "MAE", "MAPE", "MSE", "binary_accuracy", "binary_crossentropy", "categorical_accuracy",
    "categorical_crossentropy", "get", "mae", "mape", "mean_absolute_error",
    "mean_absolute_percentage_error", "mean_squared_error", "mse",
    "sparse_categorical_accuracy", "sparse_categorical_crossentropy",
    "sparse_top_k_categorical_accuracy", "top_k_categorical_accuracy",
]


# --- the class API: stateful metrics ---------------------------------------------------------
class Metric:
    """Base class of stateful metrics: `update_state(...)` returns the op accumulating a batch
    into the metric's variables, `result()` the tensor of the value so far, `reset_states()`
    zeroes the variables. Calling the metric does both: it returns `result()` run after the
    update.

    The variables are local (`tf.GraphKeys.LOCAL_VARIABLES`), not trainable, and initialized
    by the Keras session.

    Example:
        >>> m = tf.keras.metrics.Mean()
        >>> update, value = m.update_state(x), m.result()
    """

    def __init__(self, name=None, dtype=None, **kwargs):
        # Default names are unique per graph (`auc`, `auc_1`, ...), as tf_keras names layers.
        self.name = name or backend.unique_object_name(_snake(type(self).__name__))
        self.dtype = dtypes.as_dtype(dtype or backend.floatx())
        self._variables = []
        self.stateful = True

    def add_weight(self, name, shape=(), dtype=None, initializer="zeros"):
        """A zero-initialized local variable `<metric name>/<name>`."""
        from tensorflux import variables as variables_lib
        from tensorflux.graph import graph as graph_lib

        dtype = dtypes.as_dtype(dtype or self.dtype)
        scope = getattr(self, "_scope", None) or self.name
        with graph_lib.init_scope(), graph_lib.name_scope(scope) as self._scope:
            v = variables_lib.Variable(
                np.zeros(shape, dtype.as_numpy_dtype), trainable=False, name=name, dtype=dtype,
                collections=[variables_lib.GraphKeys.LOCAL_VARIABLES])
        backend.track_variable(v)
        self._variables.append(v)
        return v

    @property
    def variables(self):
        return list(self._variables)

    weights = variables

    def update_state(self, *args, **kwargs):
        raise NotImplementedError("Must be implemented in subclasses.")

    def result(self):
        raise NotImplementedError("Must be implemented in subclasses.")

    def reset_states(self):
        """Zeroes the metric's variables in the Keras session."""
        backend.batch_set_value([(v, np.zeros(v.shape.as_list(), v.dtype.as_numpy_dtype))
                                 for v in self._variables])

    reset_state = reset_states

    def __call__(self, *args, **kwargs):
        # `result()` reads the variables anew (`read_value`), so inside the control
        # dependency it sees this batch's update.
        from tensorflux.graph import graph as graph_lib

        update = self.update_state(*args, **kwargs)
        with graph_lib.get_default_graph().control_dependencies([update]):
            return array_ops.identity(self.result())

    def batch_value(self, y_true, y_pred):
        """The metric of this batch alone (no state): what `compile(metrics=[...])` reports
        per batch, averaged over the batches of an epoch by `fit` and `evaluate`."""
        raise NotImplementedError("%s cannot be computed per batch." % type(self).__name__)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _snake(name):
    import re

    intermediate = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()


def _assign_add(variable, value):
    from tensorflux.ops import state_ops

    return state_ops.assign_add(variable, value)


def _group(*ops):
    from tensorflux.ops import control_flow_ops

    return control_flow_ops.group(*ops)


class Reduce(Metric):
    """`Sum` or weighted `Mean` of every value seen."""

    def __init__(self, reduction, name, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.reduction = reduction
        self.total = self.add_weight("total")
        if reduction != "sum":
            self.count = self.add_weight("count")

    def update_state(self, values, sample_weight=None):
        values = math_ops.cast(values, self.dtype)
        if sample_weight is not None:
            weights = losses._broadcast_weights(sample_weight, values)
            values = values * weights
            num = reduction_ops.reduce_sum(weights)
        else:
            num = math_ops.cast(array_ops.size(values), self.dtype)
        update_total = _assign_add(self.total, reduction_ops.reduce_sum(values))
        if self.reduction == "sum":
            return _group(update_total)
        return _group(update_total, _assign_add(self.count, num))

    def result(self):
        if self.reduction == "sum":
            return self.total.read_value()
        return math_ops.div_no_nan(self.total.read_value(), self.count.read_value())

    def batch_value(self, values, unused_y_pred=None):
        values = math_ops.cast(values, self.dtype)
        if self.reduction == "sum":
            return reduction_ops.reduce_sum(values)
        return reduction_ops.reduce_mean(values)


class Sum(Reduce):
    """The (weighted) sum of every value seen."""

    def __init__(self, name="sum", dtype=None):
        super().__init__("sum", name, dtype)


class Mean(Reduce):
    """The (weighted) mean of every value seen.

    Example:
        >>> m = tf.keras.metrics.Mean()
        >>> sess.run(m.update_state([1.0, 3.0])); sess.run(m.result())   # 2.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__("mean", name, dtype)


class MeanMetricWrapper(Mean):
    """The mean of `fn(y_true, y_pred, **kwargs)` over every sample seen."""

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        from tensorflux.ops import constant_op

        y_true = constant_op.convert_to_tensor(y_true)
        y_pred = constant_op.convert_to_tensor(y_pred)
        y_pred, y_true = losses._squeeze_or_expand(y_pred, y_true)
        matches = self._fn(y_true, y_pred, **self._fn_kwargs)
        return super().update_state(matches, sample_weight=sample_weight)

    def batch_value(self, y_true, y_pred):
        from tensorflux.ops import constant_op

        y_true = constant_op.convert_to_tensor(y_true)
        y_pred = constant_op.convert_to_tensor(y_pred)
        y_pred, y_true = losses._squeeze_or_expand(y_pred, y_true)
        values = math_ops.cast(self._fn(y_true, y_pred, **self._fn_kwargs), self.dtype)
        return reduction_ops.reduce_mean(values)

    def get_config(self):
        config = dict(self._fn_kwargs)
        config.update(super().get_config())
        return config


def accuracy(y_true, y_pred):
    """1 where `y_pred == y_true` (element-wise)."""
    if y_true.dtype.base_dtype != y_pred.dtype.base_dtype:
        y_pred = math_ops.cast(y_pred, y_true.dtype.base_dtype)
    return _as_float(math_ops.equal(y_true, y_pred))


def _wrapper(class_name, fn, default_name, doc, **defaults):
    """A `MeanMetricWrapper` subclass whose keyword arguments are `defaults`."""

    def __init__(self, *args, **kwargs):
        names = ["name", "dtype"] + list(defaults)
        options = dict(defaults, name=default_name, dtype=None)
        options.update(zip(names, args))
        options.update(kwargs)
        name, dtype = options.pop("name"), options.pop("dtype")
        MeanMetricWrapper.__init__(self, fn, name=name, dtype=dtype, **options)

    cls = type(class_name, (MeanMetricWrapper,), {"__init__": __init__, "__doc__": doc})
    cls.__module__ = __name__
    return cls


def _binary_accuracy(y_true, y_pred, threshold=0.5):
    return binary_accuracy(y_true, y_pred, threshold=threshold)


Accuracy = _wrapper("Accuracy", accuracy, "accuracy", "How often `y_pred == y_true`.")
BinaryAccuracy = _wrapper("BinaryAccuracy", _binary_accuracy, "binary_accuracy",
                          "How often `y_true == (y_pred > threshold)`.", threshold=0.5)
CategoricalAccuracy = _wrapper("CategoricalAccuracy", categorical_accuracy,
                               "categorical_accuracy", "How often the argmaxes agree.")
SparseCategoricalAccuracy = _wrapper(
    "SparseCategoricalAccuracy", sparse_categorical_accuracy, "sparse_categorical_accuracy",
    "How often the integer label equals `argmax(y_pred)`.")
TopKCategoricalAccuracy = _wrapper(
    "TopKCategoricalAccuracy", top_k_categorical_accuracy, "top_k_categorical_accuracy",
    "How often the one-hot target is in the top `k` predictions.", k=5)
SparseTopKCategoricalAccuracy = _wrapper(
    "SparseTopKCategoricalAccuracy", sparse_top_k_categorical_accuracy,
    "sparse_top_k_categorical_accuracy",
    "How often the integer target is in the top `k` predictions.", k=5)
MeanSquaredError = _wrapper("MeanSquaredError", losses.mean_squared_error,
                            "mean_squared_error", "The mean of the squared errors.")
MeanAbsoluteError = _wrapper("MeanAbsoluteError", losses.mean_absolute_error,
                             "mean_absolute_error", "The mean of the absolute errors.")


# --- confusion-matrix metrics ------------------------------------------------------------------
def _confusion_counts(y_true, y_pred, thresholds, sample_weight, wanted, class_id=None):
    """`{name: increments (len(thresholds),)}` of `wanted` counts ("tp", "fp", "tn", "fn")
    at each threshold (`y_pred > threshold` is a positive prediction)."""
    from tensorflux.ops import constant_op, manip_ops

    y_pred = math_ops.cast(constant_op.convert_to_tensor(y_pred), dtypes.float32)
    y_true = math_ops.cast(constant_op.convert_to_tensor(y_true), dtypes.float32)
    y_pred, y_true = losses._squeeze_or_expand(y_pred, y_true)
    if class_id is not None:
        y_true, y_pred = y_true[..., class_id], y_pred[..., class_id]
    n = len(thresholds)
    preds = array_ops.reshape(y_pred, [1, -1])
    labels = math_ops.cast(array_ops.reshape(y_true, [1, -1]), dtypes.bool)
    thresh = array_ops.reshape(constant_op.constant(np.asarray(thresholds, np.float32)),
                               [n, 1])
    pred_pos = math_ops.greater(manip_ops.tile(preds, [n, 1]), thresh)
    label_pos = manip_ops.tile(labels, [n, 1])
    if sample_weight is not None:
        weights = losses._broadcast_weights(sample_weight, y_pred)
        weights = manip_ops.tile(array_ops.reshape(weights, [1, -1]), [n, 1])
    else:
        weights = None
    conditions = {
        "tp": (label_pos, pred_pos),
        "fp": (math_ops.logical_not(label_pos), pred_pos),
        "tn": (math_ops.logical_not(label_pos), math_ops.logical_not(pred_pos)),
        "fn": (label_pos, math_ops.logical_not(pred_pos)),
    }
    out = {}
    for key in wanted:
        hit = math_ops.cast(math_ops.logical_and(*conditions[key]), dtypes.float32)
        if weights is not None:
            hit = hit * weights
        out[key] = reduction_ops.reduce_sum(hit, axis=1)
    return out


def _thresholds(thresholds, default=0.5):
    if thresholds is None:
        return [default], True
    if isinstance(thresholds, (int, float)):
        return [float(thresholds)], True
    return [float(t) for t in thresholds], False


class _ConfusionMetric(Metric):
    _counts = ()

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        if top_k is not None:
            raise NotImplementedError("%s(top_k=...) is not implemented."
                                      % type(self).__name__)
        self.init_thresholds = thresholds
        self.class_id = class_id
        self.thresholds, self._single = _thresholds(thresholds)
        names = {"tp": "true_positives", "fp": "false_positives", "tn": "true_negatives",
                 "fn": "false_negatives"}
        self._vars = {k: self.add_weight(names[k], shape=(len(self.thresholds),))
                      for k in self._counts}
        for k, v in self._vars.items():
            setattr(self, {"tp": "true_positives", "fp": "false_positives",
                           "tn": "true_negatives", "fn": "false_negatives"}[k], v)

    def update_state(self, y_true, y_pred, sample_weight=None):
        counts = _confusion_counts(y_true, y_pred, self.thresholds, sample_weight,
                                   self._counts, self.class_id)
        return _group(*[_assign_add(self._vars[k], counts[k]) for k in self._counts])

    def _ratio(self, counts, num, other):
        tp = counts[num]
        out = math_ops.div_no_nan(tp, tp + counts[other])
        return out[0] if self._single else out

    def result(self):
        return self._result_from({k: v.read_value() for k, v in self._vars.items()})

    def batch_value(self, y_true, y_pred):
        return self._result_from(_confusion_counts(y_true, y_pred, self.thresholds, None,
                                                   self._counts, self.class_id))

    def get_config(self):
        config = {"thresholds": self.init_thresholds, "top_k": None,
                  "class_id": self.class_id}
        config.update(super().get_config())
        return config


class Precision(_ConfusionMetric):
    """`tp / (tp + fp)` at `thresholds` (default 0.5; a list gives one value per threshold).

    Example:
        >>> model.compile("adam", "binary_crossentropy", metrics=[tf.keras.metrics.Precision()])
    """

    _counts = ("tp", "fp")

    def _result_from(self, counts):
        return self._ratio(counts, "tp", "fp")


class Recall(_ConfusionMetric):
    """`tp / (tp + fn)` at `thresholds` (default 0.5)."""

    _counts = ("tp", "fn")

    def _result_from(self, counts):
        return self._ratio(counts, "tp", "fn")


class AUC(Metric):
    """Area under the ROC or precision-recall curve, from confusion counts at
    `num_thresholds` evenly spaced thresholds (tf_keras' Riemann sums; PR with
    "interpolation" uses Davis & Goadrich's interpolation).

    Example:
        >>> tf.keras.metrics.AUC(curve="PR")
    """

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        if curve not in ("ROC", "PR"):
            raise ValueError('Invalid curve: "%s". Valid options are: "ROC, PR"' % (curve,))
        if summation_method not in ("interpolation", "minoring", "majoring"):
            raise ValueError('Invalid AUC summation method value: "%s". Valid options are: '
                             '"interpolation, minoring, majoring"' % (summation_method,))
        if multi_label or label_weights is not None:
            raise NotImplementedError("AUC(multi_label=True) and AUC(label_weights=...) are "
                                      "not implemented.")
        super().__init__(name=name, dtype=dtype)
        self._from_logits = bool(from_logits)
        self._evenly = thresholds is None
        if thresholds is not None:
            inner = sorted(float(t) for t in thresholds)
            num_thresholds = len(inner) + 2
            self._evenly = bool(np.allclose(inner, np.arange(1, num_thresholds - 1)
                                            / (num_thresholds - 1)))
        else:
            if num_thresholds <= 1:
                raise ValueError("Argument `num_thresholds` must be an integer > 1. Received: "
                                 "num_thresholds=%s" % (num_thresholds,))
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        eps = backend.epsilon()
        self.thresholds = [0.0 - eps] + inner + [1.0 + eps]
        self.num_thresholds = num_thresholds
        self.curve, self.summation_method = curve, summation_method
        self.multi_label = False
        shape = (num_thresholds,)
        self.true_positives = self.add_weight("true_positives", shape)
        self.true_negatives = self.add_weight("true_negatives", shape)
        self.false_positives = self.add_weight("false_positives", shape)
        self.false_negatives = self.add_weight("false_negatives", shape)

    def update_state(self, y_true, y_pred, sample_weight=None):
        if self._from_logits:
            from tensorflux.ops import constant_op

            y_pred = math_ops.sigmoid(constant_op.convert_to_tensor(y_pred))
        counts = _confusion_counts(y_true, y_pred, self.thresholds, sample_weight,
                                   ("tp", "fp", "tn", "fn"))
        return _group(_assign_add(self.true_positives, counts["tp"]),
                      _assign_add(self.false_positives, counts["fp"]),
                      _assign_add(self.true_negatives, counts["tn"]),
                      _assign_add(self.false_negatives, counts["fn"]))

    def _interpolate_pr_auc(self, counts):
        from tensorflux.ops import manip_ops

        n = self.num_thresholds
        tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
        dtp = tp[:n - 1] - tp[1:]
        p = tp + fp
        dp = p[:n - 1] - p[1:]
        slope = math_ops.div_no_nan(dtp, math_ops.maximum(dp, 0.0))
        intercept = tp[1:] - slope * p[1:]
        both = math_ops.logical_and(math_ops.greater(p[:n - 1], 0.0),
                                    math_ops.greater(p[1:], 0.0))
        ratio = manip_ops.where(both, math_ops.div_no_nan(p[:n - 1], math_ops.maximum(
            p[1:], 0.0)), _ones_like(p[1:]))
        increment = math_ops.div_no_nan(slope * (dtp + intercept * math_ops.log(ratio)),
                                        math_ops.maximum(tp[1:] + fn[1:], 0.0))
        return reduction_ops.reduce_sum(increment)

    def result(self):
        return self._result_from({"tp": self.true_positives.read_value(),
                                  "fp": self.false_positives.read_value(),
                                  "tn": self.true_negatives.read_value(),
                                  "fn": self.false_negatives.read_value()})

    def batch_value(self, y_true, y_pred):
        return self._result_from(_confusion_counts(y_true, y_pred, self.thresholds, None,
                                                   ("tp", "fp", "tn", "fn")))

    def _result_from(self, counts):
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._interpolate_pr_auc(counts)
        tp, fp, tn, fn = counts["tp"], counts["fp"], counts["tn"], counts["fn"]
        recall = math_ops.div_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = math_ops.div_no_nan(fp, fp + tn), recall
        else:
            x, y = recall, math_ops.div_no_nan(tp, tp + fp)
        n = self.num_thresholds
        if self.summation_method == "interpolation":
            heights = (y[:n - 1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = math_ops.minimum(y[:n - 1], y[1:])
        else:
            heights = math_ops.maximum(y[:n - 1], y[1:])
        return reduction_ops.reduce_sum((x[:n - 1] - x[1:]) * heights)

    def get_config(self):
        config = {"num_thresholds": self.num_thresholds, "curve": self.curve,
                  "summation_method": self.summation_method, "multi_label": False,
                  "num_labels": None, "label_weights": None, "from_logits": self._from_logits}
        if not self._evenly:   # as tf_keras: listed only when not evenly spaced
            config["thresholds"] = self.thresholds[1:-1]
        config.update(super().get_config())
        return config


def _ones_like(x):
    from tensorflux.ops import fill_ops

    return fill_ops.ones_like(x)


class MeanIoU(Metric):
    """Mean intersection-over-union of `num_classes` classes, from a running confusion matrix
    (classes never seen are left out of the mean).

    Example:
        >>> m = tf.keras.metrics.MeanIoU(num_classes=3)
    """

    def __init__(self, num_classes, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.num_classes = num_classes
        self.total_cm = self.add_weight("total_confusion_matrix",
                                        shape=(num_classes, num_classes), dtype=dtypes.float64)

    def update_state(self, y_true, y_pred, sample_weight=None):
        return _assign_add(self.total_cm, self._confusion(y_true, y_pred, sample_weight))

    def _confusion(self, y_true, y_pred, sample_weight=None):
        from tensorflux.ops import fill_ops, linalg_ops

        y_true = math_ops.cast(array_ops.reshape(y_true, [-1]), dtypes.int32)
        y_pred = math_ops.cast(array_ops.reshape(y_pred, [-1]), dtypes.int32)
        true_1h = fill_ops.one_hot(y_true, self.num_classes, dtype=dtypes.float64)
        pred_1h = fill_ops.one_hot(y_pred, self.num_classes, dtype=dtypes.float64)
        if sample_weight is not None:
            weights = math_ops.cast(array_ops.reshape(sample_weight, [-1, 1]), dtypes.float64)
            true_1h = true_1h * weights
        return linalg_ops.matmul(true_1h, pred_1h, transpose_a=True)

    def result(self):
        return self._result_from(self.total_cm.read_value())

    def batch_value(self, y_true, y_pred):
        return self._result_from(self._confusion(y_true, y_pred))

    def _result_from(self, cm):
        from tensorflux.ops import diag_ops

        rows = reduction_ops.reduce_sum(cm, axis=0)
        cols = reduction_ops.reduce_sum(cm, axis=1)
        tp = diag_ops.diag_part(cm)
        denominator = rows + cols - tp
        valid = reduction_ops.reduce_sum(math_ops.cast(math_ops.not_equal(denominator, 0.0),
                                                       dtypes.float64))
        iou = math_ops.div_no_nan(tp, denominator)
        return math_ops.cast(math_ops.div_no_nan(reduction_ops.reduce_sum(iou), valid),
                             self.dtype)

    def get_config(self):
        config = {"num_classes": self.num_classes}
        config.update(super().get_config())
        return config


_CLASSES = {cls.__name__: cls for cls in (
    Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
    TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy, MeanSquaredError, MeanAbsoluteError,
    Mean, Sum, Precision, Recall, AUC, MeanIoU)}

__all__ += [
    "AUC", "Accuracy", "BinaryAccuracy", "CategoricalAccuracy", "Mean", "MeanAbsoluteError",
    "MeanIoU", "MeanMetricWrapper", "MeanSquaredError", "Metric", "Precision", "Recall",
    "SparseCategoricalAccuracy", "SparseTopKCategoricalAccuracy", "Sum",
    "TopKCategoricalAccuracy", "accuracy", "deserialize", "serialize",
]
