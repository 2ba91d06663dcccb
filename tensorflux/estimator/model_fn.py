"""`tf.estimator.ModeKeys` and `tf.estimator.EstimatorSpec`: what a `model_fn` returns.

An EstimatorSpec is validated when it is built, with TF 1.x's messages: TRAIN needs `loss`
and `train_op`, EVAL needs `loss`, PREDICT needs `predictions`; every tensor must belong to
the default graph (the one the Estimator built for this call).
"""

import collections

from tensorflux.graph import graph as graph_lib
from tensorflux.graph.operation import Operation
from tensorflux.graph.tensor import Tensor
from tensorflux.ops.func_graph import flatten
from tensorflux.train.monitored_session import Scaffold
from tensorflux.train.session_run_hook import SessionRunHook

LOSS_METRIC_KEY = "loss"


class ModeKeys:
    """The standard names of the three modes a `model_fn` is called in.

    Example:
        >>> if mode == tf.estimator.ModeKeys.PREDICT:
        ...     return tf.estimator.EstimatorSpec(mode=mode, predictions=predictions)
    """

    TRAIN = "train"
    EVAL = "eval"
    PREDICT = "infer"


_FIELDS = ["mode", "predictions", "loss", "train_op", "eval_metric_ops", "export_outputs",
           "training_chief_hooks", "training_hooks", "scaffold", "evaluation_hooks",
           "prediction_hooks"]

_NOT_IN_DEFAULT_GRAPH = (
    '{0} with "{1}" must be from the default graph. Possible causes of this error include: '
    "\n\n1) {0} was created outside the context of the default graph.\n\n2) The object passed "
    'through to EstimatorSpec was not created in the most recent call to "model_fn".')


class EstimatorSpec(collections.namedtuple("EstimatorSpec", _FIELDS)):
    """The ops and objects a `model_fn` hands to an `Estimator`, validated for `mode`.

    Example:
        >>> return tf.estimator.EstimatorSpec(mode=mode, loss=loss, train_op=train_op)
    """

    def __new__(cls, mode, predictions=None, loss=None, train_op=None, eval_metric_ops=None,
                export_outputs=None, training_chief_hooks=None, training_hooks=None,
                scaffold=None, evaluation_hooks=None, prediction_hooks=None):
        train_op = _validate_train_op(train_op, mode)
        loss = _validate_loss(loss, mode)
        predictions = _validate_predictions(predictions, mode)
        return super().__new__(
            cls, mode=mode, predictions=predictions, loss=loss, train_op=train_op,
            eval_metric_ops=_validate_eval_metric_ops(eval_metric_ops),
            export_outputs=export_outputs,
            training_chief_hooks=_validate_hooks(training_chief_hooks),
            training_hooks=_validate_hooks(training_hooks),
            scaffold=_validate_scaffold(scaffold),
            evaluation_hooks=_validate_hooks(evaluation_hooks),
            prediction_hooks=_validate_hooks(prediction_hooks))

    def _replace(self, **kwds):
        """A new, validated EstimatorSpec with some fields replaced (never `mode`)."""
        if "mode" in kwds and self.mode != kwds["mode"]:
            raise ValueError("mode of EstimatorSpec cannot be changed.")
        fields = dict(zip(self._fields, self))
        fields.update(kwds)
        return EstimatorSpec(**fields)


def _check_in_default_graph(x, what, name):
    if x.graph is not graph_lib.get_default_graph():
        raise ValueError(_NOT_IN_DEFAULT_GRAPH.format(what, name))


def _check_is_tensor_or_operation(x, name):
    if not isinstance(x, (Tensor, Operation)):
        raise TypeError("{} must be Operation or Tensor, given: {}".format(name, x))


def _check_is_tensor(x, name):
    if not isinstance(x, Tensor):
        raise TypeError("{} must be Tensor, given: {}".format(name, x))
    return x


def _validate_train_op(train_op, mode):
    if train_op is None:
        if mode == ModeKeys.TRAIN:
            raise ValueError("Missing train_op.")
        return None
    _check_is_tensor_or_operation(train_op, "train_op")
    _check_in_default_graph(train_op, "train_op", train_op.name)
    return train_op


def _validate_loss(loss, mode):
    """The loss as a scalar tensor (a `[1]` loss is reshaped, as TF does)."""
    if loss is None:
        if mode in (ModeKeys.TRAIN, ModeKeys.EVAL):
            raise ValueError("Missing loss.")
        return None
    loss = _check_is_tensor(loss, "loss")
    shape = loss.get_shape()
    if shape.num_elements() not in (None, 1):
        raise ValueError("Loss must be scalar, given: {}".format(loss))
    _check_in_default_graph(loss, "loss", loss.name)
    if shape.ndims != 0:
        from tensorflux.ops import array_ops

        with loss.graph.as_default():
            loss = array_ops.reshape(loss, [])
    return loss


def _validate_predictions(predictions, mode):
    if predictions is None:
        if mode == ModeKeys.PREDICT:
            raise ValueError("Missing predictions.")
        return {}
    if isinstance(predictions, dict):
        for key, value in predictions.items():
            _check_is_tensor(value, "predictions[{}]".format(key))
            _check_in_default_graph(value, "prediction values",
                                    "{0}: {1}".format(key, value.name))
        return dict(predictions)
    _check_is_tensor(predictions, "predictions")
    _check_in_default_graph(predictions, "prediction values", predictions.name)
    return predictions


def _validate_hooks(hooks):
    hooks = tuple(hooks or [])
    for hook in hooks:
        if not isinstance(hook, SessionRunHook):
            raise TypeError("All hooks must be SessionRunHook instances, given: {}"
                            .format(hook))
    return hooks


def _validate_eval_metric_ops(eval_metric_ops):
    """`{name: (value, update_op)}`, every member a Tensor or Operation of the default graph."""
    if eval_metric_ops is None:
        return {}
    if not isinstance(eval_metric_ops, dict):
        raise TypeError("eval_metric_ops must be a dict, given: {}".format(eval_metric_ops))
    for key, value in eval_metric_ops.items():
        if not isinstance(value, tuple) or len(value) != 2:
            raise TypeError("Values of eval_metric_ops must be (metric_value, update_op) "
                            "tuples, given: {} for key: {}".format(value, key))
        members = flatten(value[0]) + [value[1]]
        for member in members:
            _check_is_tensor_or_operation(member, "eval_metric_ops[{}]".format(key))
        for member in members:
            _check_in_default_graph(member, "eval_metric_ops",
                                    "{0}: {1}".format(key, member.name))
    return dict(eval_metric_ops)


def _validate_scaffold(scaffold):
    scaffold = scaffold or Scaffold()
    if not isinstance(scaffold, Scaffold):
        raise TypeError("scaffold must be tf.train.Scaffold. Given: {}".format(scaffold))
    return scaffold

