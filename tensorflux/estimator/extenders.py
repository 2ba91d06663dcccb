"""`tf.estimator.add_metrics` and `tf.contrib.estimator.forward_features`: new Estimators
that wrap an existing one's `model_fn` (same model_dir and config) to add evaluation metrics
or to copy input features into the predictions (TF 1.15's `extenders.py`)."""

from tensorflux.estimator import estimator as estimator_lib
from tensorflux.estimator import util
from tensorflux.estimator.export.export_output import PredictOutput
from tensorflux.estimator.model_fn import ModeKeys
from tensorflux.graph.tensor import Tensor

_VALID_METRIC_FN_ARGS = {"features", "labels", "predictions", "config"}


def add_metrics(estimator, metric_fn):
    """A copy of `estimator` whose evaluation also reports `metric_fn`'s metrics.

    `metric_fn` takes any of `features`, `labels`, `predictions`, `config` and returns
    `{name: (value, update_op)}`; a name already reported is replaced.

    Example:
        >>> def my_auc(labels, predictions):
        ...     return {"auc": tf.metrics.auc(labels, predictions["logistic"])}
        >>> estimator = tf.estimator.add_metrics(estimator, my_auc)
    """
    _verify_metric_fn_args(metric_fn)

    def new_model_fn(features, labels, mode, config):
        spec = estimator.model_fn(features, labels, mode, config)
        if mode != ModeKeys.EVAL:
            return spec
        new_metrics = _call_metric_fn(metric_fn, features, labels, spec.predictions, config)
        all_metrics = dict(spec.eval_metric_ops or {})
        all_metrics.update(new_metrics)
        return spec._replace(eval_metric_ops=all_metrics)

    return estimator_lib.Estimator(model_fn=new_model_fn, model_dir=estimator.model_dir,
                                   config=estimator.config,
                                   warm_start_from=estimator._warm_start_settings)


def _verify_metric_fn_args(metric_fn):
    invalid_args = list(set(util.fn_args(metric_fn)) - _VALID_METRIC_FN_ARGS)
    if invalid_args:
        raise ValueError("metric_fn (%s) has following not expected args: %s"
                         % (metric_fn, invalid_args))


def _call_metric_fn(metric_fn, features, labels, predictions, config):
    args = util.fn_args(metric_fn)
    values = {"features": features, "labels": labels, "predictions": predictions,
              "config": config}
    return metric_fn(**{name: value for name, value in values.items() if name in args})


def _verify_key_types(keys):
    if keys is None:
        return keys
    if isinstance(keys, str):
        return [keys]
    if not isinstance(keys, (list, tuple)):
        raise TypeError("keys should be either a string or a list of strings. Given: {}"
                        .format(type(keys)))
    for key in keys:
        if not isinstance(key, str):
            raise TypeError("All items in the given keys list should be a string. There exist "
                            "an item with type: {}".format(type(key)))
    return keys


def forward_features(estimator, keys=None, sparse_default_values=None):
    """A copy of `estimator` whose predictions (and predict export outputs) also hold the
    input features named by `keys` (all of them if None), e.g. an example id.

    Example:
        >>> estimator = tf.contrib.estimator.forward_features(estimator, "example_id")
        >>> next(estimator.predict(input_fn))["example_id"]
    """
    from tensorflux.ops import sparse_ops
    from tensorflux.ops.sparse_tensor import SparseTensor

    keys = _verify_key_types(keys)

    def get_keys(features):
        return features.keys() if keys is None else keys

    def verify_keys_and_predictions(features, predictions):
        if not isinstance(predictions, dict):
            raise ValueError("Predictions should be a dict to be able to forward features. "
                             "Given: {}".format(type(predictions)))
        for key in get_keys(features):
            if key not in features:
                raise ValueError('keys should be exist in features. Key "{}" is not in '
                                 "features dict. features dict has following keys: {}. Please "
                                 "check arguments of forward_features."
                                 .format(key, features.keys()))
            if key in predictions:
                raise ValueError("Cannot forward feature key ({}). Since it does exist in "
                                 "predictions. Existing prediction keys: {}. Please check "
                                 "arguments of forward_features."
                                 .format(key, predictions.keys()))

    def new_model_fn(features, labels, mode, config):
        spec = estimator.model_fn(features, labels, mode, config)
        predictions = spec.predictions
        if predictions is None:
            return spec
        verify_keys_and_predictions(features, predictions)
        predictions = dict(predictions)
        for key in get_keys(features):
            feature = features[key]
            if sparse_default_values and key in sparse_default_values:
                if not isinstance(feature, SparseTensor):
                    raise ValueError("Feature ({}) is expected to be a `SparseTensor`."
                                     .format(key))
                feature = sparse_ops.sparse_tensor_to_dense(
                    feature, default_value=sparse_default_values[key])
            if not isinstance(feature, Tensor):
                raise ValueError("Feature ({}) should be a Tensor. Please use `keys` argument "
                                 "of forward_features to filter unwanted features, or add key "
                                 "to argument `sparse_default_values`. Type of features[{}] is "
                                 "{}.".format(key, key, type(feature)))
            predictions[key] = feature
        spec = spec._replace(predictions=predictions)
        if spec.export_outputs:
            for ekey in ("predict", "serving_default"):
                output = spec.export_outputs.get(ekey)
                if isinstance(output, PredictOutput):
                    for key in get_keys(features):
                        output.outputs[key] = predictions[key]
        return spec

    return estimator_lib.Estimator(model_fn=new_model_fn, model_dir=estimator.model_dir,
                                   config=estimator.config)
