"""The heads of TF 1.x's canned estimators: given logits, build predictions, the training loss
(reduced with `tf.losses.Reduction.SUM` by default, as the v1 estimators do), the eval
metrics and the train op, and return the EstimatorSpec.

Three heads: binary logistic (sigmoid cross entropy), multi-class (softmax cross entropy)
and regression (squared error). In PREDICT mode they also give TF's serving signatures:
classify (classifiers) or regress (regressors) as `serving_default`, and `predict`.
"""

import collections

from tensorflux import losses, metrics
from tensorflux.estimator.model_fn import EstimatorSpec, ModeKeys
from tensorflux.feature_column import columns as fc
from tensorflux.feature_column import sparse_utils
from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.ops import (
    array_ops,
    control_flow_ops,
    debug_ops,
    fill_ops,
    manip_ops,
    math_ops,
    nn_loss_ops,
    nn_ops,
    reduction_ops,
    string_ops,
    summary_ops,
)
from tensorflux.ops.constant_op import constant
from tensorflux.ops.sparse_tensor import convert_to_tensor_or_sparse_tensor, is_sparse
from tensorflux.train import training_util

DEFAULT_SERVING_KEY = "serving_default"
LossSpec = collections.namedtuple(
    "LossSpec", ["training_loss", "unreduced_loss", "weights", "processed_labels"])


class MetricKeys:
    LOSS = "loss"
    LOSS_MEAN = "average_loss"
    LOSS_REGULARIZATION = "regularization_loss"
    ACCURACY = "accuracy"
    PRECISION = "precision"
    RECALL = "recall"
    ACCURACY_BASELINE = "accuracy_baseline"
    AUC = "auc"
    AUC_PR = "auc_precision_recall"
    LABEL_MEAN = "label/mean"
    PREDICTION_MEAN = "prediction/mean"


class PredictionKeys:
    CLASSES = "classes"
    CLASS_IDS = "class_ids"
    LOGISTIC = "logistic"
    LOGITS = "logits"
    PREDICTIONS = "predictions"
    PROBABILITIES = "probabilities"


def _check_dense_labels_match_logits_and_reshape(labels, logits, expected_labels_dimension):
    if labels is None:
        raise ValueError("You must provide a labels Tensor. Given: None. Suggested "
                         "troubleshooting steps: Check that your data contain your label "
                         "feature. Check that your input_fn properly parses and returns labels.")
    with graph_lib.name_scope(None, "labels", [logits]) as scope:
        labels = convert_to_tensor_or_sparse_tensor(labels)
        if is_sparse(labels):
            raise ValueError("SparseTensor labels are not supported. labels must be a Tensor "
                             "of shape [D0, D1, ..., DN, %s], e.g. [batch_size, %s]."
                             % (expected_labels_dimension, expected_labels_dimension))
        if (labels.shape.ndims is not None and logits.shape.ndims is not None
                and labels.shape.ndims == logits.shape.ndims - 1):
            labels = manip_ops.expand_dims(labels, -1)
        static_shape = labels.shape
        if static_shape.ndims is not None:
            dim1 = static_shape[-1].value
            if dim1 is not None and dim1 != expected_labels_dimension:
                raise ValueError(
                    "Mismatched label shape. Expected labels dimension=%s.  Received %s. "
                    "Suggested Fix:If your classifier expects one-hot encoding label,check "
                    "your n_classes argument to the estimator and/or the shape of your label. "
                    "Otherwise, check the shape of your label."
                    % (expected_labels_dimension, dim1))
        return array_ops.identity(labels, name=scope)


def _get_weights_and_check_match_logits(features, weight_column, logits):
    if weight_column is None:
        return 1.0
    with graph_lib.name_scope(None, "weights", [logits]):
        if isinstance(weight_column, str):
            weight_column = fc.numeric_column(key=weight_column)
        if not isinstance(weight_column, fc._NumericColumn):
            raise TypeError("Weight column must be either a string or _NumericColumn. "
                            "Given type: {}.".format(type(weight_column)))
        weights = weight_column._get_dense_tensor(fc._LazyBuilder(features))
        if not (weights.dtype.is_floating or weights.dtype.is_integer):
            raise ValueError("Weight column should be castable to float. Given dtype: {}"
                             .format(weights.dtype))
        weights = math_ops.cast(weights, dtypes.float32, name="weights")
        return weights


def _assert_range(labels, n_classes, message=None):
    with graph_lib.name_scope(None, "assert_range", [labels]):
        assert_less = debug_ops.assert_less_equal(
            labels, constant(n_classes - 1, dtype=labels.dtype),
            message=message or "Labels must <= n_classes - 1")
        assert_greater = debug_ops.assert_non_negative(
            labels, message=message or "Labels must >= 0")
        with graph_lib.control_dependencies((assert_less, assert_greater)):
            return array_ops.identity(labels)


def _indicator_labels_mean(labels, weights=None, name=None):
    with graph_lib.name_scope(name, "labels_mean", [labels]) as scope:
        labels = math_ops.cast(labels, dtypes.float32)
        return metrics.mean(labels, weights=_broadcast(weights, labels), name=scope)


def _predictions_mean(predictions, weights=None, name=None):
    with graph_lib.name_scope(name, "predictions_mean", [predictions]) as scope:
        predictions = math_ops.cast(predictions, dtypes.float32)
        return metrics.mean(predictions, weights=_broadcast(weights, predictions), name=scope)


def _broadcast(weights, values):
    if weights is None or isinstance(weights, float):
        return None if weights in (None, 1.0) else weights * fill_ops.ones_like(values)
    return weights * fill_ops.ones_like(values)


def _accuracy_baseline(labels_mean):
    value, update_op = labels_mean
    with graph_lib.name_scope(None, "accuracy_baseline", [value, update_op]):
        value = math_ops.maximum(value, 1.0 - value, name="value")
        update_op = math_ops.maximum(update_op, 1.0 - update_op, name="update_op")
        return value, update_op


def _auc(labels, predictions, weights=None, curve="ROC", name=None):
    with graph_lib.name_scope(name, "auc", [predictions, labels]) as scope:
        predictions = math_ops.cast(predictions, dtypes.float32, name="predictions")
        return metrics.auc(labels=labels, predictions=predictions,
                           weights=_broadcast(weights, predictions), curve=curve, name=scope)


def _metric_weights(weights):
    return None if isinstance(weights, float) and weights == 1.0 else weights


def _append_update_ops(train_op):
    update_ops = graph_lib.get_collection(GraphKeys.UPDATE_OPS)
    if update_ops:
        return control_flow_ops.group(train_op, *update_ops)
    return train_op


def _classes(class_ids, label_vocabulary):
    if label_vocabulary:
        table = constant(list(label_vocabulary), name="class_string_lookup")
        return array_ops.gather(table, class_ids)
    return string_ops.as_string(class_ids, name="str_classes")


class _Head:
    """Predictions, loss, metrics and train op from logits; `create_estimator_spec` is the
    entry point of every canned `model_fn`."""

    def __init__(self, weight_column=None, label_vocabulary=None,
                 loss_reduction=losses.Reduction.SUM, name=None):
        if loss_reduction not in losses.Reduction.all() or \
                loss_reduction == losses.Reduction.NONE:
            raise ValueError("Invalid loss_reduction: {}".format(loss_reduction))
        self._weight_column = weight_column
        self._label_vocabulary = label_vocabulary
        self._loss_reduction = loss_reduction
        self._name = name

    @property
    def name(self):
        return self._name

    def create_estimator_spec(self, features, mode, logits, labels=None, optimizer=None,
                              train_op_fn=None, regularization_losses=None):
        with graph_lib.name_scope(self._name, "head"):
            logits = _check_logits_final_dim(logits, self.logits_dimension)
            predictions = self._predictions(logits)
            if mode == ModeKeys.PREDICT:
                return EstimatorSpec(mode=ModeKeys.PREDICT, predictions=predictions,
                                     export_outputs=self._export_outputs(predictions))
            spec = self.create_loss(features, mode, logits, labels)
            if regularization_losses:
                regularization_loss = math_ops.add_n(regularization_losses)
                loss = math_ops.add_n([spec.training_loss, regularization_loss])
            else:
                regularization_loss = None
                loss = spec.training_loss
            if mode == ModeKeys.EVAL:
                with graph_lib.name_scope(None, "metrics", [loss]):
                    metric_ops = self._eval_metric_ops(predictions, spec)
                    if regularization_loss is not None:
                        metric_ops[MetricKeys.LOSS_REGULARIZATION] = metrics.mean(
                            regularization_loss, name=MetricKeys.LOSS_REGULARIZATION)
                return EstimatorSpec(mode=ModeKeys.EVAL, predictions=predictions, loss=loss,
                                     eval_metric_ops=metric_ops)
            if optimizer is not None:
                if train_op_fn is not None:
                    raise ValueError("train_op_fn and optimizer cannot both be set.")
                train_op = optimizer.minimize(loss,
                                              global_step=training_util.get_global_step())
            elif train_op_fn is not None:
                train_op = train_op_fn(loss)
            else:
                raise ValueError("train_op_fn and optimizer cannot both be None.")
            train_op = _append_update_ops(train_op)
            mean_loss = None
            if self._loss_reduction == losses.Reduction.SUM:
                example_weight_sum = reduction_ops.reduce_sum(
                    spec.weights * fill_ops.ones_like(spec.unreduced_loss))
                mean_loss = spec.training_loss / example_weight_sum
        with graph_lib.name_scope(""):
            summary_ops.scalar(_summary_key(self._name, MetricKeys.LOSS), loss)
            if mean_loss is not None:
                summary_ops.scalar(_summary_key(self._name, MetricKeys.LOSS_MEAN), mean_loss)
            if regularization_loss is not None:
                summary_ops.scalar(_summary_key(self._name, MetricKeys.LOSS_REGULARIZATION),
                                   regularization_loss)
        return EstimatorSpec(mode=ModeKeys.TRAIN, predictions=predictions, loss=loss,
                             train_op=train_op)

    def _weighted_loss(self, features, logits, unweighted_loss, processed_labels):
        weights = _get_weights_and_check_match_logits(features, self._weight_column, logits)
        training_loss = losses.compute_weighted_loss(unweighted_loss, weights=weights,
                                                     reduction=self._loss_reduction)
        return LossSpec(training_loss, unweighted_loss, weights, processed_labels)

    def _label_ids_from_vocabulary(self, labels):
        if labels.dtype != dtypes.string:
            raise ValueError("Labels dtype should be string if there is a vocabulary. "
                             "Instead got {}".format(labels.dtype))
        return sparse_utils.lookup_ids(labels, self._label_vocabulary, name="class_id_lookup")


# The serving signatures of TF 1.x's heads: classify/regress (over serialized Examples) as the
# default, and "predict" with every prediction.
_CLASSIFY_SERVING_KEY = "classification"
_REGRESS_SERVING_KEY = "regression"
_PREDICT_SERVING_KEY = "predict"


def _classification_output(scores, n_classes, label_vocabulary=None):
    """A ClassificationOutput of `scores` with every class name per example (as TF)."""
    from tensorflux.estimator.export.export_output import ClassificationOutput

    batch_size = array_ops.shape(scores)[0]
    if label_vocabulary:
        class_list = constant(list(label_vocabulary))
    else:
        class_list = string_ops.as_string(fill_ops.range(n_classes))
    classes = manip_ops.tile(manip_ops.expand_dims(class_list, 0), [batch_size, 1])
    return ClassificationOutput(scores=scores, classes=classes)


def _export_outputs(default_output, predictions, **others):
    from tensorflux.estimator.export.export_output import PredictOutput

    outputs = {DEFAULT_SERVING_KEY: default_output, _PREDICT_SERVING_KEY:
               PredictOutput(predictions)}
    outputs.update(others)
    return outputs


def _summary_key(head_name, val):
    return "%s/%s" % (val, head_name) if head_name else val


def _check_logits_final_dim(logits, expected_logits_dimension):
    with graph_lib.name_scope(None, "logits", [logits]) as scope:
        logits = math_ops.cast(logits, dtypes.float32)
        dim = logits.get_shape().ndims and logits.get_shape()[-1].value
        if dim is not None and dim != expected_logits_dimension:
            raise ValueError("logits shape must be [D0, D1, ... DN, logits_dimension], got %s."
                             % (logits.get_shape(),))
        return array_ops.identity(logits, name=scope)


class _MultiClassHead(_Head):
    """Softmax cross entropy over `n_classes` > 2 classes."""

    def __init__(self, n_classes, **kwargs):
        if n_classes is None or n_classes <= 2:
            raise ValueError("n_classes must be > 2: %s." % n_classes)
        super().__init__(**kwargs)
        self._n_classes = n_classes

    @property
    def logits_dimension(self):
        return self._n_classes

    def _predictions(self, logits):
        with graph_lib.name_scope(None, "predictions", [logits]):
            class_ids = reduction_ops.argmax(logits, axis=-1, name=PredictionKeys.CLASS_IDS)
            class_ids = manip_ops.expand_dims(class_ids, axis=-1)
            classes = _classes(class_ids, self._label_vocabulary)
            probabilities = nn_ops.softmax(logits, name=PredictionKeys.PROBABILITIES)
            return {PredictionKeys.LOGITS: logits, PredictionKeys.PROBABILITIES: probabilities,
                    PredictionKeys.CLASS_IDS: class_ids, PredictionKeys.CLASSES: classes}

    def _export_outputs(self, predictions):
        output = _classification_output(predictions[PredictionKeys.PROBABILITIES],
                                        self._n_classes, self._label_vocabulary)
        return _export_outputs(output, predictions, **{_CLASSIFY_SERVING_KEY: output})

    def create_loss(self, features, mode, logits, labels):
        labels = _check_dense_labels_match_logits_and_reshape(labels, logits, 1)
        if self._label_vocabulary:
            label_ids = self._label_ids_from_vocabulary(labels)
        else:
            if not labels.dtype.is_integer:
                raise ValueError("Labels dtype should be integer. Instead got {}."
                                 .format(labels.dtype))
            label_ids = _assert_range(labels, self._n_classes)
        unweighted = losses.sparse_softmax_cross_entropy(
            labels=label_ids, logits=logits, reduction=losses.Reduction.NONE)
        unweighted = manip_ops.expand_dims(unweighted, axis=-1)
        return self._weighted_loss(features, logits, unweighted, label_ids)

    def _eval_metric_ops(self, predictions, spec):
        weights = _metric_weights(spec.weights)
        return {
            MetricKeys.LOSS_MEAN: metrics.mean(spec.unreduced_loss, weights=_broadcast(
                weights, spec.unreduced_loss), name=MetricKeys.LOSS_MEAN),
            MetricKeys.ACCURACY: metrics.accuracy(
                labels=spec.processed_labels, predictions=predictions[PredictionKeys.CLASS_IDS],
                weights=weights, name=MetricKeys.ACCURACY),
        }


class _BinaryLogisticHead(_Head):
    """Sigmoid cross entropy for two classes; one logit per example."""

    def __init__(self, thresholds=None, **kwargs):
        super().__init__(**kwargs)
        self._thresholds = tuple(thresholds) if thresholds else ()
        for threshold in self._thresholds:
            if threshold <= 0.0 or threshold >= 1.0:
                raise ValueError("thresholds not in (0, 1): {}.".format(self._thresholds))

    @property
    def logits_dimension(self):
        return 1

    def _predictions(self, logits):
        with graph_lib.name_scope(None, "predictions", [logits]):
            logistic = math_ops.sigmoid(logits, name=PredictionKeys.LOGISTIC)
            two_class_logits = array_ops.concat((fill_ops.zeros_like(logits), logits), axis=-1,
                                                name="two_class_logits")
            probabilities = nn_ops.softmax(two_class_logits,
                                           name=PredictionKeys.PROBABILITIES)
            class_ids = reduction_ops.argmax(two_class_logits, axis=-1,
                                             name=PredictionKeys.CLASS_IDS)
            class_ids = manip_ops.expand_dims(class_ids, axis=-1)
            classes = _classes(class_ids, self._label_vocabulary)
            return {PredictionKeys.LOGITS: logits, PredictionKeys.LOGISTIC: logistic,
                    PredictionKeys.PROBABILITIES: probabilities,
                    PredictionKeys.CLASS_IDS: class_ids, PredictionKeys.CLASSES: classes}

    def _export_outputs(self, predictions):
        from tensorflux.estimator.export.export_output import RegressionOutput

        output = _classification_output(predictions[PredictionKeys.PROBABILITIES], 2,
                                        self._label_vocabulary)
        return _export_outputs(output, predictions, **{
            _CLASSIFY_SERVING_KEY: output,
            _REGRESS_SERVING_KEY: RegressionOutput(predictions[PredictionKeys.LOGISTIC])})

    def create_loss(self, features, mode, logits, labels):
        labels = _check_dense_labels_match_logits_and_reshape(labels, logits, 1)
        if self._label_vocabulary:
            labels = self._label_ids_from_vocabulary(labels)
        labels = math_ops.cast(labels, dtypes.float32)
        labels = _assert_range(labels, 2)
        unweighted = nn_loss_ops.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
        return self._weighted_loss(features, logits, unweighted, labels)

    def _eval_metric_ops(self, predictions, spec):
        weights = _metric_weights(spec.weights)
        labels = spec.processed_labels
        class_ids = math_ops.cast(predictions[PredictionKeys.CLASS_IDS], dtypes.float32)
        logistic = predictions[PredictionKeys.LOGISTIC]
        labels_mean = _indicator_labels_mean(labels, weights, name=MetricKeys.LABEL_MEAN)
        ops = {
            MetricKeys.LOSS_MEAN: metrics.mean(spec.unreduced_loss, weights=_broadcast(
                weights, spec.unreduced_loss), name=MetricKeys.LOSS_MEAN),
            MetricKeys.ACCURACY: metrics.accuracy(labels=labels, predictions=class_ids,
                                                  weights=weights, name=MetricKeys.ACCURACY),
            MetricKeys.PRECISION: metrics.precision(labels=labels, predictions=class_ids,
                                                    weights=weights,
                                                    name=MetricKeys.PRECISION),
            MetricKeys.RECALL: metrics.recall(labels=labels, predictions=class_ids,
                                              weights=weights, name=MetricKeys.RECALL),
            MetricKeys.PREDICTION_MEAN: _predictions_mean(logistic, weights,
                                                          name=MetricKeys.PREDICTION_MEAN),
            MetricKeys.LABEL_MEAN: labels_mean,
            MetricKeys.ACCURACY_BASELINE: _accuracy_baseline(labels_mean),
            MetricKeys.AUC: _auc(labels, logistic, weights, name=MetricKeys.AUC),
            MetricKeys.AUC_PR: _auc(labels, logistic, weights, curve="PR",
                                    name=MetricKeys.AUC_PR),
        }
        for threshold in self._thresholds:
            predicted = math_ops.cast(math_ops.greater_equal(logistic, threshold),
                                      dtypes.float32)
            ops["accuracy/positive_threshold_%g" % threshold] = metrics.accuracy(
                labels=labels, predictions=predicted, weights=weights)
            ops["precision/positive_threshold_%g" % threshold] = metrics.precision(
                labels=labels, predictions=predicted, weights=weights)
            ops["recall/positive_threshold_%g" % threshold] = metrics.recall(
                labels=labels, predictions=predicted, weights=weights)
        return ops


class _RegressionHead(_Head):
    """Mean squared error on `label_dimension` real outputs."""

    def __init__(self, label_dimension=1, **kwargs):
        if label_dimension < 1:
            raise ValueError("Invalid label_dimension %s." % label_dimension)
        super().__init__(**kwargs)
        self._logits_dimension = label_dimension

    @property
    def logits_dimension(self):
        return self._logits_dimension

    def _predictions(self, logits):
        return {PredictionKeys.PREDICTIONS: logits}

    def _export_outputs(self, predictions):
        from tensorflux.estimator.export.export_output import RegressionOutput

        output = RegressionOutput(predictions[PredictionKeys.PREDICTIONS])
        return _export_outputs(output, predictions, **{_REGRESS_SERVING_KEY: output})

    def create_loss(self, features, mode, logits, labels):
        labels = _check_dense_labels_match_logits_and_reshape(labels, logits,
                                                              self._logits_dimension)
        labels = math_ops.cast(labels, dtypes.float32)
        unweighted = losses.mean_squared_error(labels=labels, predictions=logits,
                                               reduction=losses.Reduction.NONE)
        return self._weighted_loss(features, logits, unweighted, labels)

    def _eval_metric_ops(self, predictions, spec):
        weights = _metric_weights(spec.weights)
        predicted = predictions[PredictionKeys.PREDICTIONS]
        return {
            MetricKeys.LOSS_MEAN: metrics.mean(spec.unreduced_loss, weights=_broadcast(
                weights, spec.unreduced_loss)),
            MetricKeys.PREDICTION_MEAN: _predictions_mean(predicted, weights,
                                                          name=MetricKeys.PREDICTION_MEAN),
            MetricKeys.LABEL_MEAN: metrics.mean(spec.processed_labels, weights=_broadcast(
                weights, spec.processed_labels)),
        }


def binary_or_multi_class_head(n_classes, weight_column, label_vocabulary, loss_reduction):
    """The head of a canned classifier: binary logistic for 2 classes, else softmax."""
    if n_classes == 2:
        return _BinaryLogisticHead(weight_column=weight_column,
                                   label_vocabulary=label_vocabulary,
                                   loss_reduction=loss_reduction)
    return _MultiClassHead(n_classes, weight_column=weight_column,
                           label_vocabulary=label_vocabulary, loss_reduction=loss_reduction)


def regression_head(label_dimension, weight_column, loss_reduction):
    """The head of a canned regressor."""
    return _RegressionHead(label_dimension=label_dimension, weight_column=weight_column,
                           loss_reduction=loss_reduction)
