"""`tf.estimator.LinearClassifier` and `LinearRegressor`: `linear_model` on feature columns.

Variables `linear/linear_model/<column>/weights` and `linear/linear_model/bias_weights`;
FTRL by default (learning rate 0.2 for 'Ftrl', `min(0.2, 1/sqrt(n_columns))` when
`optimizer=None`), training loss summed over the batch.
"""

import math

from tensorflux import losses
from tensorflux.estimator.canned import head as head_lib
from tensorflux.estimator.canned import optimizers
from tensorflux.estimator.canned.dnn import _check_features, _feature_values
from tensorflux.estimator.estimator import Estimator
from tensorflux.feature_column.layers import linear_model
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, math_ops, nn_ops, summary_ops
from tensorflux.train.ftrl import FtrlOptimizer
from tensorflux.variable_scope import variable_scope

_LEARNING_RATE = 0.2


def _get_default_optimizer(feature_columns):
    learning_rate = min(_LEARNING_RATE, 1.0 / math.sqrt(len(feature_columns)))
    return FtrlOptimizer(learning_rate=learning_rate)


def linear_logit_fn(features, units, feature_columns, sparse_combiner="sum"):
    """The logits `[batch, units]` of a linear model, in scope `<current>/linear_model`."""
    cols_to_vars = {}
    logits = linear_model(features=features, feature_columns=feature_columns, units=units,
                          sparse_combiner=sparse_combiner, cols_to_vars=cols_to_vars)
    bias = cols_to_vars.pop("bias")
    if units > 1:
        summary_ops.histogram("bias", bias)
    else:
        summary_ops.scalar("bias", bias[0][0])
    summary_ops.scalar("fraction_of_zero_weights",
                       _compute_fraction_of_zero(list(cols_to_vars.values())))
    return logits


def _compute_fraction_of_zero(variables):
    """The fraction of zero entries over all the model's weights (its sparsity)."""
    variables = [v for group in variables for v in group]
    with graph_lib.name_scope("zero_fraction"):
        sizes = [int(v.get_shape().num_elements()) for v in variables]
        total = float(sum(sizes))
        zeros = math_ops.add_n([nn_ops.zero_fraction(v) * float(n)
                                for v, n in zip(variables, sizes)])
        return array_ops.identity(zeros / total, name="zero_fraction_or_nan")


def _linear_model_fn(features, labels, mode, head, feature_columns, optimizer,
                     sparse_combiner="sum"):
    _check_features(features)
    optimizer = optimizers.get_optimizer_instance(
        optimizer or _get_default_optimizer(feature_columns), learning_rate=_LEARNING_RATE)
    with variable_scope("linear", values=_feature_values(features)):
        logits = linear_logit_fn(features, head.logits_dimension, feature_columns,
                                 sparse_combiner)
        return head.create_estimator_spec(features=features, mode=mode, labels=labels,
                                          optimizer=optimizer, logits=logits)


def _check_sparse_combiner(sparse_combiner):
    if sparse_combiner not in ("mean", "sqrtn", "sum"):
        raise ValueError("sparse_combiner must be one of 'mean', 'sqrtn' or 'sum'. Given: {}"
                         .format(sparse_combiner))


class LinearClassifier(Estimator):
    """A linear (logistic regression / softmax) classifier on feature columns.

    Example:
        >>> classifier = tf.estimator.LinearClassifier(feature_columns=[price, color])
        >>> classifier.train(input_fn=train_input_fn, steps=100)
    """

    def __init__(self, feature_columns, model_dir=None, n_classes=2, weight_column=None,
                 label_vocabulary=None, optimizer="Ftrl", config=None, partitioner=None,
                 warm_start_from=None, loss_reduction=losses.Reduction.SUM,
                 sparse_combiner="sum"):
        _check_sparse_combiner(sparse_combiner)
        head = head_lib.binary_or_multi_class_head(n_classes, weight_column,
                                                   label_vocabulary, loss_reduction)
        feature_columns = tuple(feature_columns or [])

        def _model_fn(features, labels, mode, config):
            return _linear_model_fn(features, labels, mode, head, feature_columns, optimizer,
                                    sparse_combiner)

        super().__init__(model_fn=_model_fn, model_dir=model_dir, config=config,
                         warm_start_from=warm_start_from)


class LinearRegressor(Estimator):
    """A linear regressor on feature columns.

    Example:
        >>> regressor = tf.estimator.LinearRegressor(feature_columns=[price])
    """

    def __init__(self, feature_columns, model_dir=None, label_dimension=1,
                 weight_column=None, optimizer="Ftrl", config=None, partitioner=None,
                 warm_start_from=None, loss_reduction=losses.Reduction.SUM,
                 sparse_combiner="sum"):
        _check_sparse_combiner(sparse_combiner)
        head = head_lib.regression_head(label_dimension, weight_column, loss_reduction)
        feature_columns = tuple(feature_columns or [])

        def _model_fn(features, labels, mode, config):
            return _linear_model_fn(features, labels, mode, head, feature_columns, optimizer,
                                    sparse_combiner)

        super().__init__(model_fn=_model_fn, model_dir=model_dir, config=config,
                         warm_start_from=warm_start_from)


