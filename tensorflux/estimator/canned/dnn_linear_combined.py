"""`tf.estimator.DNNLinearCombinedClassifier` / `Regressor`: "wide & deep", the sum of a
linear model's and a DNN's logits, each part trained by its own optimizer (FTRL at
`min(0.005, 1/sqrt(n))` for the linear part, Adagrad at 0.001 for the DNN, by default).
"""

import math

from tensorflux import losses
from tensorflux.estimator.canned import head as head_lib
from tensorflux.estimator.canned import optimizers
from tensorflux.estimator.canned.dnn import (
    _check_features,
    _feature_values,
    add_hidden_layer_summary,
    dnn_logit_fn,
)
from tensorflux.estimator.canned.linear import linear_logit_fn
from tensorflux.estimator.estimator import Estimator
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.ops import control_flow_ops, nn_ops, state_ops
from tensorflux.train import training_util
from tensorflux.variable_scope import variable_scope

_DNN_LEARNING_RATE = 0.001
_LINEAR_LEARNING_RATE = 0.005


def _linear_learning_rate(num_linear_feature_columns):
    return min(_LINEAR_LEARNING_RATE, 1.0 / math.sqrt(num_linear_feature_columns))


def _dnn_linear_combined_model_fn(features, labels, mode, head, linear_feature_columns,
                                  linear_optimizer, dnn_feature_columns, dnn_optimizer,
                                  dnn_hidden_units, dnn_activation_fn, dnn_dropout,
                                  linear_sparse_combiner):
    _check_features(features)
    if not linear_feature_columns and not dnn_feature_columns:
        raise ValueError("Either linear_feature_columns or dnn_feature_columns must be "
                         "defined.")
    dnn_logits = linear_logits = None
    if dnn_feature_columns:
        dnn_optimizer = optimizers.get_optimizer_instance(
            dnn_optimizer, learning_rate=_DNN_LEARNING_RATE)
        if not dnn_hidden_units:
            raise ValueError("dnn_hidden_units must be defined when dnn_feature_columns is "
                             "specified.")
        with variable_scope("dnn", values=_feature_values(features)) as scope:
            dnn_scope = scope.name
            dnn_logits = dnn_logit_fn(features, mode, head.logits_dimension, dnn_hidden_units,
                                      dnn_feature_columns, dnn_activation_fn, dnn_dropout)
    if linear_feature_columns:
        linear_optimizer = optimizers.get_optimizer_instance(
            linear_optimizer, learning_rate=_linear_learning_rate(len(linear_feature_columns)))
        with variable_scope("linear", values=_feature_values(features)) as scope:
            linear_scope = scope.name
            linear_logits = linear_logit_fn(features, head.logits_dimension,
                                            linear_feature_columns, linear_sparse_combiner)
            add_hidden_layer_summary(linear_logits, scope.name)
    if dnn_logits is not None and linear_logits is not None:
        logits = dnn_logits + linear_logits
    else:
        logits = dnn_logits if dnn_logits is not None else linear_logits

    def _train_op_fn(loss):
        train_ops = []
        global_step = training_util.get_global_step()
        if dnn_logits is not None:
            train_ops.append(dnn_optimizer.minimize(loss, var_list=graph_lib.get_collection(
                GraphKeys.TRAINABLE_VARIABLES, scope=dnn_scope)))
        if linear_logits is not None:
            train_ops.append(linear_optimizer.minimize(loss, var_list=graph_lib.get_collection(
                GraphKeys.TRAINABLE_VARIABLES, scope=linear_scope)))
        train_op = control_flow_ops.group(*train_ops)
        with graph_lib.control_dependencies([train_op]):
            return state_ops.assign_add(global_step, 1).op

    return head.create_estimator_spec(features=features, mode=mode, labels=labels,
                                      train_op_fn=_train_op_fn, logits=logits)


class DNNLinearCombinedClassifier(Estimator):
    """A "wide & deep" classifier: linear model plus DNN.

    Example:
        >>> m = tf.estimator.DNNLinearCombinedClassifier(
        ...     linear_feature_columns=wide_columns, dnn_feature_columns=deep_columns,
        ...     dnn_hidden_units=[100, 50])
    """

    def __init__(self, model_dir=None, linear_feature_columns=None, linear_optimizer="Ftrl",
                 dnn_feature_columns=None, dnn_optimizer="Adagrad", dnn_hidden_units=None,
                 dnn_activation_fn=nn_ops.relu, dnn_dropout=None, n_classes=2,
                 weight_column=None, label_vocabulary=None, input_layer_partitioner=None,
                 config=None, warm_start_from=None, loss_reduction=losses.Reduction.SUM,
                 batch_norm=False, linear_sparse_combiner="sum"):
        if batch_norm:
            raise NotImplementedError("batch_norm=True is not supported.")
        linear_feature_columns = tuple(linear_feature_columns or [])
        dnn_feature_columns = tuple(dnn_feature_columns or [])
        head = head_lib.binary_or_multi_class_head(n_classes, weight_column,
                                                   label_vocabulary, loss_reduction)

        def _model_fn(features, labels, mode, config):
            return _dnn_linear_combined_model_fn(
                features, labels, mode, head, linear_feature_columns, linear_optimizer,
                dnn_feature_columns, dnn_optimizer, dnn_hidden_units, dnn_activation_fn,
                dnn_dropout, linear_sparse_combiner)

        super().__init__(model_fn=_model_fn, model_dir=model_dir, config=config,
                         warm_start_from=warm_start_from)


class DNNLinearCombinedRegressor(Estimator):
    """A "wide & deep" regressor: linear model plus DNN."""

    def __init__(self, model_dir=None, linear_feature_columns=None, linear_optimizer="Ftrl",
                 dnn_feature_columns=None, dnn_optimizer="Adagrad", dnn_hidden_units=None,
                 dnn_activation_fn=nn_ops.relu, dnn_dropout=None, label_dimension=1,
                 weight_column=None, input_layer_partitioner=None, config=None,
                 warm_start_from=None, loss_reduction=losses.Reduction.SUM, batch_norm=False,
                 linear_sparse_combiner="sum"):
        if batch_norm:
            raise NotImplementedError("batch_norm=True is not supported.")
        linear_feature_columns = tuple(linear_feature_columns or [])
        dnn_feature_columns = tuple(dnn_feature_columns or [])
        head = head_lib.regression_head(label_dimension, weight_column, loss_reduction)

        def _model_fn(features, labels, mode, config):
            return _dnn_linear_combined_model_fn(
                features, labels, mode, head, linear_feature_columns, linear_optimizer,
                dnn_feature_columns, dnn_optimizer, dnn_hidden_units, dnn_activation_fn,
                dnn_dropout, linear_sparse_combiner)

        super().__init__(model_fn=_model_fn, model_dir=model_dir, config=config,
                         warm_start_from=warm_start_from)
