"""`tf.estimator.DNNClassifier` and `DNNRegressor`: feed-forward networks on feature columns.

Variables as TF 1.x names them: `dnn/input_from_feature_columns/input_layer/...`,
`dnn/hiddenlayer_<i>/kernel|bias`, `dnn/logits/kernel|bias`; Adagrad with learning rate
0.05 by default; training loss summed over the batch (`Reduction.SUM`).
"""

from tensorflux import losses
from tensorflux.estimator.canned import head as head_lib
from tensorflux.estimator.canned import optimizers
from tensorflux.estimator.estimator import Estimator
from tensorflux.estimator.model_fn import ModeKeys
from tensorflux.feature_column.layers import input_layer
from tensorflux.layers import core as core_layers
from tensorflux.ops import init_ops, nn_ops, summary_ops
from tensorflux.ops.sparse_tensor import is_sparse
from tensorflux.train import training_util
from tensorflux.variable_scope import variable_scope

_LEARNING_RATE = 0.05


def _feature_values(features):
    return [v for v in features.values() if not is_sparse(v)]


def add_hidden_layer_summary(value, tag):
    summary_ops.scalar("%s/fraction_of_zero_values" % tag, nn_ops.zero_fraction(value))
    summary_ops.histogram("%s/activation" % tag, value)


def dnn_logit_fn(features, mode, units, hidden_units, feature_columns, activation_fn,
                 dropout):
    """The logits `[batch, units]` of the DNN, built in the current variable scope."""
    with variable_scope("input_from_feature_columns", values=_feature_values(features)):
        net = input_layer(features=features, feature_columns=feature_columns)
    for layer_id, num_hidden_units in enumerate(hidden_units):
        with variable_scope("hiddenlayer_%d" % layer_id, values=(net,)) as scope:
            net = core_layers.dense(
                net, units=num_hidden_units, activation=activation_fn,
                kernel_initializer=init_ops.glorot_uniform_initializer(), name=scope)
            if dropout is not None and mode == ModeKeys.TRAIN:
                net = core_layers.dropout(net, rate=dropout, training=True)
        add_hidden_layer_summary(net, scope.name)
    with variable_scope("logits", values=(net,)) as scope:
        logits = core_layers.dense(
            net, units=units, activation=None,
            kernel_initializer=init_ops.glorot_uniform_initializer(), name=scope)
    add_hidden_layer_summary(logits, scope.name)
    return logits


def _check_features(features):
    if not isinstance(features, dict):
        raise ValueError("features should be a dictionary of `Tensor`s. Given type: {}"
                         .format(type(features)))


def _dnn_model_fn(features, labels, mode, head, hidden_units, feature_columns,
                  optimizer="Adagrad", activation_fn=nn_ops.relu, dropout=None):
    _check_features(features)
    optimizer = optimizers.get_optimizer_instance(optimizer, learning_rate=_LEARNING_RATE)
    with variable_scope("dnn", values=_feature_values(features)):
        logits = dnn_logit_fn(features, mode, head.logits_dimension, hidden_units,
                              feature_columns, activation_fn, dropout)

        def _train_op_fn(loss):
            return optimizer.minimize(loss, global_step=training_util.get_global_step())

        return head.create_estimator_spec(features=features, mode=mode, labels=labels,
                                          train_op_fn=_train_op_fn, logits=logits)


class DNNClassifier(Estimator):
    """A classifier for TF DNN models.

    Example:
        >>> columns = [tf.feature_column.numeric_column(k) for k in train_x.keys()]
        >>> classifier = tf.estimator.DNNClassifier(
        ...     feature_columns=columns, hidden_units=[10, 10], n_classes=3)
        >>> classifier.train(input_fn=train_input_fn, steps=1000)
    """

    def __init__(self, hidden_units, feature_columns, model_dir=None, n_classes=2,
                 weight_column=None, label_vocabulary=None, optimizer="Adagrad",
                 activation_fn=nn_ops.relu, dropout=None, input_layer_partitioner=None,
                 config=None, warm_start_from=None, loss_reduction=losses.Reduction.SUM,
                 batch_norm=False):
        if batch_norm:
            raise NotImplementedError("DNNClassifier(batch_norm=True) is not supported.")
        head = head_lib.binary_or_multi_class_head(n_classes, weight_column,
                                                   label_vocabulary, loss_reduction)
        feature_columns = tuple(feature_columns or [])

        def _model_fn(features, labels, mode, config):
            return _dnn_model_fn(features, labels, mode, head, hidden_units, feature_columns,
                                 optimizer, activation_fn, dropout)

        super().__init__(model_fn=_model_fn, model_dir=model_dir, config=config,
                         warm_start_from=warm_start_from)


class DNNRegressor(Estimator):
    """A regressor for TF DNN models.

    Example:
        >>> regressor = tf.estimator.DNNRegressor(feature_columns=columns, hidden_units=[8])
    """

    def __init__(self, hidden_units, feature_columns, model_dir=None, label_dimension=1,
                 weight_column=None, optimizer="Adagrad", activation_fn=nn_ops.relu,
                 dropout=None, input_layer_partitioner=None, config=None,
                 warm_start_from=None, loss_reduction=losses.Reduction.SUM, batch_norm=False):
        if batch_norm:
            raise NotImplementedError("DNNRegressor(batch_norm=True) is not supported.")
        head = head_lib.regression_head(label_dimension, weight_column, loss_reduction)
        feature_columns = tuple(feature_columns or [])

        def _model_fn(features, labels, mode, config):
            return _dnn_model_fn(features, labels, mode, head, hidden_units, feature_columns,
                                 optimizer, activation_fn, dropout)

        super().__init__(model_fn=_model_fn, model_dir=model_dir, config=config,
                         warm_start_from=warm_start_from)
