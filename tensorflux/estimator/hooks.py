"""`tf.estimator.experimental.InMemoryEvaluatorHook`: evaluate while training, in the same
process, without checkpoints.

The hook builds the Estimator's EVAL graph once (in its own graph) and, every `every_n_iter`
training steps, after the session is created and at the end, copies the training session's
variable values into a fresh evaluation session (through placeholders) and runs the
evaluation, writing the results to the eval directory as `Estimator.evaluate` does (TF 1.15's
`hooks.py`).
"""

import os

from tensorflux import metrics
from tensorflux.estimator import util
from tensorflux.estimator.model_fn import LOSS_METRIC_KEY, ModeKeys
from tensorflux.estimator.train_loop import evaluate_once
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.ops import random_ops
from tensorflux.train import basic_session_run_hooks as hooks_lib
from tensorflux.train.monitored_session import Scaffold
from tensorflux.train.session_run_hook import SessionRunHook


class InMemoryEvaluatorHook(SessionRunHook):
    """Runs `estimator`'s evaluation on `input_fn` every `every_n_iter` training steps.

    Example:
        >>> evaluator = tf.estimator.experimental.InMemoryEvaluatorHook(
        ...     estimator, eval_input_fn, every_n_iter=100)
        >>> estimator.train(input_fn=train_input_fn, hooks=[evaluator])
    """

    def __init__(self, estimator, input_fn, steps=None, hooks=None, name=None,
                 every_n_iter=100):
        from tensorflux.estimator.estimator import _check_hooks_type

        if every_n_iter is None or every_n_iter <= 0:
            raise ValueError("invalid every_n_iter=%s." % every_n_iter)
        if estimator.config.num_ps_replicas > 0 or estimator.config.num_worker_replicas > 1:
            raise ValueError("InMemoryEvaluator supports only single machine (aka Local) "
                             "setting.")
        if steps is not None and steps <= 0:
            raise ValueError("Must specify steps > 0, given: {}".format(steps))
        self._estimator = estimator
        self._input_fn = input_fn
        self._steps = steps
        self._name = name
        self._every_n_iter = every_n_iter
        self._eval_dir = os.path.join(estimator.model_dir, "eval_" + name if name else "eval")
        self._graph = None
        self._hooks = _check_hooks_type(hooks)
        self._timer = hooks_lib.SecondOrStepTimer(every_steps=every_n_iter)

    def begin(self):
        """Builds the evaluation graph (once per training run)."""
        self._timer.reset()
        self._iter_count = 0
        est = self._estimator
        self._graph = graph_lib.Graph()
        with self._graph.as_default():
            random_ops.set_random_seed(est.config.tf_random_seed)
            self._global_step = est._create_and_assert_global_step(self._graph)
            features, labels, input_hooks = est._get_features_and_labels_from_input_fn(
                self._input_fn, ModeKeys.EVAL)
            spec = est._call_model_fn(features, labels, ModeKeys.EVAL, est.config)
            if spec.scaffold.saver is not None:
                raise ValueError("InMemoryEvaluator does not support custom saver")
            if spec.scaffold.init_fn is not None:
                raise ValueError("InMemoryEvaluator does not support custom init_fn")
            self._scaffold = spec.scaffold
            self._metric_ops = dict(spec.eval_metric_ops)
            self._metric_ops[LOSS_METRIC_KEY] = metrics.mean(spec.loss)
            self._all_hooks = input_hooks + self._hooks + list(spec.evaluation_hooks)
            variables = graph_lib.get_collection(GraphKeys.GLOBAL_VARIABLES)
            self._var_name_to_eval_var = {v.name: v for v in variables}
            self._var_name_to_placeholder = {v.name: _placeholder(v) for v in variables}

    def after_create_session(self, session, coord):
        """Links the training variables to the evaluation ones; evaluates before training."""
        from tensorflux.ops import control_flow_ops, state_ops

        if graph_lib.get_collection(GraphKeys.SAVEABLE_OBJECTS):
            raise ValueError("InMemoryEvaluator does not support saveables other than global "
                             "variables.")
        train_vars = {v.name: v for v in graph_lib.get_collection(GraphKeys.GLOBAL_VARIABLES)}
        names = sorted(set(self._var_name_to_placeholder) & set(train_vars))
        self._var_name_to_train_var = {n: train_vars[n] for n in names}
        with self._graph.as_default():
            self._var_feed_op = control_flow_ops.group(*[
                state_ops.assign(self._var_name_to_eval_var[n], self._var_name_to_placeholder[n])
                for n in names])
        self._evaluate(session)

    def _evaluate(self, train_session):
        values = train_session.run(self._var_name_to_train_var)
        feeds = {self._var_name_to_placeholder[n]: v for n, v in values.items()}

        def feed_variables(scaffold, session):
            del scaffold
            session.run(self._var_feed_op, feed_dict=feeds)

        with self._graph.as_default():
            scaffold = Scaffold(init_fn=feed_variables, copy_from_scaffold=self._scaffold)
            results = evaluate_once(None, scaffold, self._metric_ops, self._global_step,
                                    self._all_hooks, self._steps,
                                    self._estimator._session_config)
        util.write_dict_to_summary(self._eval_dir, results, results[GraphKeys.GLOBAL_STEP])
        self._timer.update_last_triggered_step(self._iter_count)

    def after_run(self, run_context, run_values):
        self._iter_count += 1
        if self._timer.should_trigger_for_step(self._iter_count):
            self._evaluate(run_context.session)

    def end(self, session):
        self._evaluate(session)


def _placeholder(variable):
    from tensorflux.ops import array_ops

    return array_ops.placeholder(variable.dtype.base_dtype)


