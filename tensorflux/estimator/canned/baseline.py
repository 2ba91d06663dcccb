"""`tf.estimator.BaselineClassifier` and `BaselineRegressor`: a model that ignores the features
and learns one bias per output (`baseline/bias`): the class prior or the label mean, the
baseline other models should beat. FTRL at learning rate 0.3 by default.
"""

from tensorflux import losses
from tensorflux.estimator.canned import head as head_lib
from tensorflux.estimator.canned import optimizers
from tensorflux.estimator.estimator import Estimator
from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, debug_ops, fill_ops, init_ops, math_ops
from tensorflux.ops.sparse_tensor import is_sparse
from tensorflux.train import training_util
from tensorflux.variable_scope import get_variable, variable_scope

_LEARNING_RATE = 0.3


def _weight_column_key(weight_column):
    if weight_column is None or isinstance(weight_column, str):
        return weight_column
    return weight_column.key


def baseline_logit_fn(features, num_outputs, weight_column=None):
    """`[batch, num_outputs]` copies of the trainable `baseline/bias`."""
    size_checks = []
    batch_size = None
    weight_key = _weight_column_key(weight_column)
    for key, feature in features.items():
        if key == weight_key:
            continue
        first_dim = (math_ops.cast(feature.dense_shape[0], dtypes.int32) if is_sparse(feature)
                     else array_ops.shape(feature)[0])
        if batch_size is None:
            batch_size = first_dim
        else:
            size_checks.append(debug_ops.assert_equal(batch_size, first_dim))
    with graph_lib.control_dependencies(size_checks):
        with variable_scope("baseline"):
            bias = get_variable("bias", shape=[num_outputs], initializer=init_ops.Zeros())
            return math_ops.multiply(bias, fill_ops.ones(array_ops.stack(
                [batch_size, num_outputs])))


def _baseline_model_fn(features, labels, mode, head, optimizer, weight_column=None):
    if not isinstance(features, dict):
        raise ValueError("features should be a dictionary of `Tensor`s. Given type: {}"
                         .format(type(features)))
    logits = baseline_logit_fn(features, head.logits_dimension, weight_column)

    def train_op_fn(loss):
        opt = optimizers.get_optimizer_instance(optimizer, learning_rate=_LEARNING_RATE)
        return opt.minimize(loss, global_step=training_util.get_global_step())

    return head.create_estimator_spec(features=features, mode=mode, logits=logits,
                                      labels=labels, train_op_fn=train_op_fn)


class BaselineClassifier(Estimator):
    """A classifier that predicts the class distribution of the training labels.

    Example:
        >>> baseline = tf.estimator.BaselineClassifier(n_classes=3)
        >>> baseline.train(input_fn=train_input_fn, steps=100)
    """

    def __init__(self, model_dir=None, n_classes=2, weight_column=None, label_vocabulary=None,
                 optimizer="Ftrl", config=None, loss_reduction=losses.Reduction.SUM):
        head = head_lib.binary_or_multi_class_head(n_classes, weight_column,
                                                   label_vocabulary, loss_reduction)

        def _model_fn(features, labels, mode, config):
            return _baseline_model_fn(features, labels, mode, head, optimizer, weight_column)

        super().__init__(model_fn=_model_fn, model_dir=model_dir, config=config)


class BaselineRegressor(Estimator):
    """A regressor that predicts the mean of the training labels.

    Example:
        >>> baseline = tf.estimator.BaselineRegressor()
    """

    def __init__(self, model_dir=None, label_dimension=1, weight_column=None,
                 optimizer="Ftrl", config=None, loss_reduction=losses.Reduction.SUM):
        head = head_lib.regression_head(label_dimension, weight_column, loss_reduction)

        def _model_fn(features, labels, mode, config):
            return _baseline_model_fn(features, labels, mode, head, optimizer, weight_column)

        super().__init__(model_fn=_model_fn, model_dir=model_dir, config=config)
