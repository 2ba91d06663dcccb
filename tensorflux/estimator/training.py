"""`tf.estimator.train_and_evaluate`, `TrainSpec` and `EvalSpec` (local, one process).

As TF 1.15's `_TrainingExecutor.run_local`: `Estimator.train` runs once, up to
`TrainSpec.max_steps`, with a checkpoint listener; after each checkpoint (but the one made
when the session starts) the listener evaluates the new checkpoint if `throttle_secs` have
passed since the last evaluation, and runs the EvalSpec's exporters into
`<model_dir>/export/<exporter name>`. When training ends the final checkpoint is evaluated
(and exported) unless it already was. The result is `(eval_result, export_results)` of the
last evaluation. The checkpoint schedule is the RunConfig's (`save_checkpoints_steps` or
`save_checkpoints_secs`).
"""

import collections
import os

from tensorflux.estimator import estimator as estimator_lib
from tensorflux.estimator import exporter as exporter_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.platform import tf_logging as logging
from tensorflux.train import basic_session_run_hooks as hooks_lib
from tensorflux.train.session_run_hook import SessionRunHook


def _validate_input_fn(input_fn):
    if not callable(input_fn):
        raise TypeError("`input_fn` must be callable, given: {}".format(input_fn))


def _validate_hooks(hooks):
    hooks = tuple(hooks or [])
    for hook in hooks:
        if not isinstance(hook, SessionRunHook):
            raise TypeError("All hooks must be `SessionRunHook` instances, given: {}"
                            .format(hook))
    return hooks


def _validate_saving_listeners(saving_listeners):
    saving_listeners = tuple(saving_listeners or [])
    for listener in saving_listeners:
        if not isinstance(listener, hooks_lib.CheckpointSaverListener):
            raise TypeError("All saving_listeners must be `CheckpointSaverListener` instances, "
                            "given: {}".format(listener))
    return saving_listeners


def _validate_exporters(exporters):
    """The exporters as a tuple: Exporter instances with unique, non-empty string names."""
    if not exporters:
        return ()
    if isinstance(exporters, exporter_lib.Exporter):
        exporters = [exporters]
    unique_names = []
    try:
        for exporter in exporters:
            if not isinstance(exporter, exporter_lib.Exporter):
                raise TypeError  # reported by the handler below, as TF does
            if not exporter.name:
                raise ValueError("An Exporter cannot have a name that is `None` or empty. All "
                                 "exporter names: {}".format([e.name for e in exporters]))
            if not isinstance(exporter.name, str):
                raise ValueError("An Exporter must have a string name. Given: {}"
                                 .format(type(exporter.name)))
            if exporter.name in unique_names:
                raise ValueError("`exporters` must have unique names. Such a name cannot be "
                                 "`None`. All exporter names: {}"
                                 .format([e.name for e in exporters]))
            unique_names.append(exporter.name)
    except TypeError:
        raise TypeError("`exporters` must be an Exporter, an iterable of Exporter, or `None`, "
                        "found %s." % (exporters,)) from None
    return tuple(exporters)


class TrainSpec(collections.namedtuple(
        "TrainSpec", ["input_fn", "max_steps", "hooks", "saving_listeners"])):
    """The training half of `train_and_evaluate`: the input and how long to train.

    Example:
        >>> train_spec = tf.estimator.TrainSpec(input_fn=train_input_fn, max_steps=1000)
    """

    def __new__(cls, input_fn, max_steps=None, hooks=None, saving_listeners=None):
        _validate_input_fn(input_fn)
        if max_steps is not None and max_steps <= 0:
            raise ValueError("Must specify max_steps > 0, given: {}".format(max_steps))
        return super().__new__(cls, input_fn=input_fn, max_steps=max_steps,
                               hooks=_validate_hooks(hooks),
                               saving_listeners=_validate_saving_listeners(saving_listeners))


class EvalSpec(collections.namedtuple("EvalSpec", [
        "input_fn", "steps", "name", "hooks", "exporters", "start_delay_secs",
        "throttle_secs"])):
    """The evaluation half of `train_and_evaluate`: the input, its length, the exporters,
    and how often to evaluate (`throttle_secs`; `start_delay_secs` only delays a separate
    evaluator job).

    Example:
        >>> eval_spec = tf.estimator.EvalSpec(input_fn=eval_input_fn, steps=None,
        ...                                   exporters=exporter, throttle_secs=60)
    """

    def __new__(cls, input_fn, steps=100, name=None, hooks=None, exporters=None,
                start_delay_secs=120, throttle_secs=600):
        _validate_input_fn(input_fn)
        if steps is not None and steps <= 0:
            raise ValueError("Must specify steps > 0, given: {}".format(steps))
        if name is not None and not isinstance(name, str):
            raise TypeError("`name` must be string, given: {}".format(name))
        hooks = _validate_hooks(hooks)
        exporters = _validate_exporters(exporters)
        if start_delay_secs < 0:
            raise ValueError("Must specify start_delay_secs >= 0, given: {}"
                             .format(start_delay_secs))
        if throttle_secs < 0:
            raise ValueError("Must specify throttle_secs >= 0, given: {}"
                             .format(throttle_secs))
        return super().__new__(cls, input_fn=input_fn, steps=steps, name=name, hooks=hooks,
                               exporters=exporters, start_delay_secs=start_delay_secs,
                               throttle_secs=throttle_secs)


def _assert_eval_spec(eval_spec):
    if not isinstance(eval_spec, EvalSpec):
        raise TypeError("`eval_spec` must have type `tf.estimator.EvalSpec`. Got: {}"
                        .format(type(eval_spec)))


def train_and_evaluate(estimator, train_spec, eval_spec):
    """Trains `estimator` on `train_spec`, evaluating and exporting per `eval_spec` after
    each new checkpoint (at most every `throttle_secs`) and at the end.

    Returns:
        `(eval_result, export_results)`: the last `Estimator.evaluate` result and the list of
        what each exporter returned for it.

    Example:
        >>> train_spec = tf.estimator.TrainSpec(input_fn=train_input_fn, max_steps=1000)
        >>> eval_spec = tf.estimator.EvalSpec(input_fn=eval_input_fn, throttle_secs=0)
        >>> metrics, exports = tf.estimator.train_and_evaluate(est, train_spec, eval_spec)
    """
    _assert_eval_spec(eval_spec)
    executor = _TrainingExecutor(estimator=estimator, train_spec=train_spec,
                                 eval_spec=eval_spec)
    return executor.run()


class _EvalStatus:
    EVALUATED = "evaluated"
    MISSING_CHECKPOINT = "missing checkpoint"
    NO_NEW_CHECKPOINT = "no new checkpoint"


class _EvalResult(collections.namedtuple("EvalResult",
                                         ["status", "metrics", "checkpoint_path"])):
    """One evaluation event: its status and, when evaluated, its metrics and checkpoint."""

    def __new__(cls, status, metrics=None, checkpoint_path=None):
        if status != _EvalStatus.EVALUATED:
            return super().__new__(cls, status, metrics, checkpoint_path)
        if not metrics:
            raise ValueError("Internal error: `Estimator.evaluate` should never return empty "
                             "metrics.")
        if not isinstance(metrics, dict):
            raise TypeError("`Estimator.evaluate` should return dict. Given {}."
                            .format(type(metrics)))
        if GraphKeys.GLOBAL_STEP not in metrics:
            raise ValueError("Internal error: `Estimator.evaluate` result should have "
                             "`global_step` in result. Given {}".format(metrics))
        if not checkpoint_path:
            raise ValueError("Internal error: `checkpoint_path` should never be empty.")
        return super().__new__(cls, status, metrics, checkpoint_path)


class _Evaluator:
    """Evaluates the newest checkpoint (once per checkpoint) and runs the exporters."""

    def __init__(self, estimator, eval_spec, max_training_steps):
        self._estimator = estimator
        self._eval_spec = eval_spec
        self._max_training_steps = max_training_steps
        self._previous_ckpt_path = None
        self.is_final_export_triggered = False

    def evaluate_and_export(self):
        latest_ckpt_path = self._estimator.latest_checkpoint()
        if not latest_ckpt_path:
            logging.warning("Estimator is not trained yet. Will start an evaluation when a "
                            "checkpoint is ready.")
            return _EvalResult(status=_EvalStatus.MISSING_CHECKPOINT), []
        if latest_ckpt_path == self._previous_ckpt_path:
            logging.warning("No new checkpoint ready for evaluation. Skip the current "
                            "evaluation pass as evaluation results are expected to be same "
                            "for the same checkpoint.")
            return _EvalResult(status=_EvalStatus.NO_NEW_CHECKPOINT), []
        metrics = self._estimator.evaluate(
            input_fn=self._eval_spec.input_fn, steps=self._eval_spec.steps,
            name=self._eval_spec.name, checkpoint_path=latest_ckpt_path,
            hooks=self._eval_spec.hooks)
        eval_result = _EvalResult(status=_EvalStatus.EVALUATED, metrics=metrics,
                                  checkpoint_path=latest_ckpt_path)
        is_the_final_export = bool(self._max_training_steps) and \
            eval_result.metrics[GraphKeys.GLOBAL_STEP] >= self._max_training_steps
        export_results = self._export_eval_result(eval_result, is_the_final_export)
        if is_the_final_export:
            self.is_final_export_triggered = True
        self._previous_ckpt_path = latest_ckpt_path
        return eval_result, export_results

    def _export_eval_result(self, eval_result, is_the_final_export):
        export_dir_base = os.path.join(self._estimator.model_dir, "export")
        return [exporter.export(estimator=self._estimator,
                                export_path=os.path.join(export_dir_base, exporter.name),
                                checkpoint_path=eval_result.checkpoint_path,
                                eval_result=eval_result.metrics,
                                is_the_final_export=is_the_final_export)
                for exporter in self._eval_spec.exporters]


class _NewCheckpointListenerForEvaluate(hooks_lib.CheckpointSaverListener):
    """Evaluates (and exports) after each checkpoint save, throttled, and at the end."""

    def __init__(self, evaluator, eval_throttle_secs):
        self._evaluator = evaluator
        self._eval_throttle_secs = eval_throttle_secs
        self.eval_result, self.export_results = None, None

    def begin(self):
        self._timer = hooks_lib.SecondOrStepTimer(every_secs=self._eval_throttle_secs)
        self._is_first_run = True

    def after_save(self, session, global_step_value):
        del session
        if self._is_first_run:  # the checkpoint of the untrained (or restored) model
            self._is_first_run = False
            return
        if self._timer.should_trigger_for_step(global_step_value):
            self._evaluate(global_step_value)
        else:
            logging.info("Skip the current checkpoint eval due to throttle secs ({} secs)."
                         .format(self._eval_throttle_secs))

    def end(self, session, global_step_value):
        if global_step_value != self._timer.last_triggered_step():
            self._evaluate(global_step_value)

    def _evaluate(self, global_step_value):
        self._timer.update_last_triggered_step(global_step_value)
        self.eval_result, self.export_results = self._evaluator.evaluate_and_export()
        if self.eval_result.status != _EvalStatus.EVALUATED:
            raise RuntimeError("There was no new checkpoint after the training. Eval status: "
                               "{}".format(self.eval_result.status))


class _TrainingExecutor:
    """Runs training and evaluation for `train_and_evaluate` (the local mode only)."""

    def __init__(self, estimator, train_spec, eval_spec, train_hooks=None):
        if not isinstance(estimator, estimator_lib.Estimator):
            raise TypeError("`estimator` must have type `tf.estimator.Estimator`. Got: {}"
                            .format(type(estimator)))
        if not isinstance(train_spec, TrainSpec):
            raise TypeError("`train_spec` must have type `tf.estimator.TrainSpec`. Got: {}"
                            .format(type(train_spec)))
        if eval_spec and not isinstance(eval_spec, EvalSpec):
            raise TypeError("`eval_spec` must be either `None` or have type "
                            "`tf.estimator.EvalSpec`. Got: {}".format(type(eval_spec)))
        self._estimator = estimator
        self._train_spec = train_spec
        self._eval_spec = eval_spec
        self._train_hooks = _validate_hooks(train_hooks)

    @property
    def estimator(self):
        return self._estimator

    def run(self):
        config = self._estimator.config
        if config.cluster_spec or config.task_type:
            raise NotImplementedError("tensorflux runs train_and_evaluate locally only "
                                      "(no cluster in RunConfig / TF_CONFIG).")
        logging.info("Running training and evaluation locally (non-distributed).")
        return self.run_local()

    def run_local(self):
        """Trains once with an evaluating checkpoint listener; `(metrics, export_results)`."""
        _assert_eval_spec(self._eval_spec)
        config = self._estimator.config
        logging.info("Start train and evaluate loop. The evaluate will happen after every "
                     "checkpoint. Checkpoint frequency is determined based on RunConfig "
                     "arguments: save_checkpoints_steps {} or save_checkpoints_secs {}."
                     .format(config.save_checkpoints_steps, config.save_checkpoints_secs))
        evaluator = _Evaluator(self._estimator, self._eval_spec, self._train_spec.max_steps)
        listener_for_eval = _NewCheckpointListenerForEvaluate(
            evaluator, self._eval_spec.throttle_secs)
        saving_listeners = self._train_spec.saving_listeners + (listener_for_eval,)
        self._estimator.train(input_fn=self._train_spec.input_fn,
                              max_steps=self._train_spec.max_steps,
                              hooks=list(self._train_spec.hooks) + list(self._train_hooks),
                              saving_listeners=saving_listeners)
        eval_result = listener_for_eval.eval_result or _EvalResult(
            status=_EvalStatus.MISSING_CHECKPOINT)
        return eval_result.metrics, listener_for_eval.export_results
