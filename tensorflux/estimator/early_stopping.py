"""`tf.estimator.experimental.stop_if_*_hook`: stop training when an evaluated metric crosses
a threshold or stops improving.

The hooks read the evaluations back from the event files `Estimator.evaluate` writes in the
eval directory (`{global step: {metric: value}}`), every `run_every_secs` seconds or
`run_every_steps` steps. When the predicate holds, the chief sets the `signal_early_stopping/
STOP` variable and stops; other workers stop when they see it set (TF 1.15's
`early_stopping.py`).
"""

import collections
import glob
import operator
import os

from tensorflux.estimator import estimator as estimator_lib
from tensorflux.graph import dtypes
from tensorflux.graph.graph import GraphKeys
from tensorflux.platform import tf_logging as logging
from tensorflux.summary.writer import summary_iterator
from tensorflux.train import basic_session_run_hooks as hooks_lib
from tensorflux.train import training_util
from tensorflux.train.session_run_hook import SessionRunArgs, SessionRunHook

_EVENT_FILE_GLOB_PATTERN = "events.out.tfevents.*"


def make_early_stopping_hook(estimator, should_stop_fn, run_every_secs=60,
                             run_every_steps=None):
    """A hook that calls `should_stop_fn()` periodically and stops training when it is True.

    Example:
        >>> hook = tf.estimator.experimental.make_early_stopping_hook(
        ...     estimator, should_stop_fn=lambda: time.time() > deadline)
    """
    if not isinstance(estimator, estimator_lib.Estimator):
        raise TypeError("`estimator` must have type `tf.estimator.Estimator`. Got: {}"
                        .format(type(estimator)))
    if run_every_secs is not None and run_every_steps is not None:
        raise ValueError("Only one of `run_every_secs` and `run_every_steps` must be set.")
    if estimator.config.is_chief:
        return _StopOnPredicateHook(should_stop_fn, run_every_secs, run_every_steps)
    return _CheckForStoppingHook()


def stop_if_higher_hook(estimator, metric_name, threshold, eval_dir=None, min_steps=0,
                        run_every_secs=60, run_every_steps=None):
    """Stops once an evaluation (at step >= `min_steps`) has `metric_name` > `threshold`.

    Example:
        >>> hook = tf.estimator.experimental.stop_if_higher_hook(est, "accuracy", 0.9)
    """
    return _stop_if_threshold_crossed_hook(estimator, metric_name, threshold, True, eval_dir,
                                           min_steps, run_every_secs, run_every_steps)


def stop_if_lower_hook(estimator, metric_name, threshold, eval_dir=None, min_steps=0,
                       run_every_secs=60, run_every_steps=None):
    """Stops once an evaluation (at step >= `min_steps`) has `metric_name` < `threshold`.

    Example:
        >>> hook = tf.estimator.experimental.stop_if_lower_hook(est, "loss", 100)
    """
    return _stop_if_threshold_crossed_hook(estimator, metric_name, threshold, False, eval_dir,
                                           min_steps, run_every_secs, run_every_steps)


def stop_if_no_increase_hook(estimator, metric_name, max_steps_without_increase, eval_dir=None,
                             min_steps=0, run_every_secs=60, run_every_steps=None):
    """Stops once `metric_name` has not increased for `max_steps_without_increase` steps.

    Example:
        >>> hook = tf.estimator.experimental.stop_if_no_increase_hook(est, "accuracy", 1000)
    """
    return _stop_if_no_metric_improvement_hook(
        estimator, metric_name, max_steps_without_increase, True, eval_dir, min_steps,
        run_every_secs, run_every_steps)


def stop_if_no_decrease_hook(estimator, metric_name, max_steps_without_decrease, eval_dir=None,
                             min_steps=0, run_every_secs=60, run_every_steps=None):
    """Stops once `metric_name` has not decreased for `max_steps_without_decrease` steps.

    Example:
        >>> hook = tf.estimator.experimental.stop_if_no_decrease_hook(est, "loss", 1000)
    """
    return _stop_if_no_metric_improvement_hook(
        estimator, metric_name, max_steps_without_decrease, False, eval_dir, min_steps,
        run_every_secs, run_every_steps)


def _summaries(eval_dir):
    if os.path.isdir(eval_dir):
        for event_file in glob.glob(os.path.join(eval_dir, _EVENT_FILE_GLOB_PATTERN)):
            yield from summary_iterator(event_file)


def read_eval_metrics(eval_dir):
    """`{global step: {metric: value}}` of the evaluations in `eval_dir`, by step.

    Example:
        >>> read_eval_metrics(estimator.eval_dir())
        OrderedDict([(100, {'loss': 0.52, 'accuracy': 0.8}), (200, {...})])
    """
    eval_metrics_dict = collections.defaultdict(dict)
    for event in _summaries(eval_dir):
        if not event.HasField("summary"):
            continue
        metrics = {value.tag: value.simple_value for value in event.summary.value
                   if value.HasField("simple_value")}
        if metrics:
            eval_metrics_dict[event.step].update(metrics)
    return collections.OrderedDict(sorted(eval_metrics_dict.items(), key=lambda t: t[0]))


def _stop_if_threshold_crossed_hook(estimator, metric_name, threshold, higher_is_better,
                                    eval_dir, min_steps, run_every_secs, run_every_steps):
    if eval_dir is None:
        eval_dir = estimator.eval_dir()
    is_lhs_better = operator.gt if higher_is_better else operator.lt
    greater_or_lesser = "greater than" if higher_is_better else "less than"

    def stop_if_threshold_crossed_fn():
        for step, metrics in read_eval_metrics(eval_dir).items():
            if step < min_steps:
                continue
            val = metrics[metric_name]
            if is_lhs_better(val, threshold):
                logging.info('At step %s, metric "%s" has value %s which is %s the configured '
                             "threshold (%s) for early stopping.", step, metric_name, val,
                             greater_or_lesser, threshold)
                return True
        return False

    return make_early_stopping_hook(estimator, stop_if_threshold_crossed_fn, run_every_secs,
                                    run_every_steps)


def _stop_if_no_metric_improvement_hook(estimator, metric_name, max_steps_without_improvement,
                                        higher_is_better, eval_dir, min_steps, run_every_secs,
                                        run_every_steps):
    if eval_dir is None:
        eval_dir = estimator.eval_dir()
    is_lhs_better = operator.gt if higher_is_better else operator.lt
    increase_or_decrease = "increase" if higher_is_better else "decrease"

    def stop_if_no_metric_improvement_fn():
        best_val = best_val_step = None
        for step, metrics in read_eval_metrics(eval_dir).items():
            if step < min_steps:
                continue
            val = metrics[metric_name]
            if best_val is None or is_lhs_better(val, best_val):
                best_val, best_val_step = val, step
            if step - best_val_step >= max_steps_without_improvement:
                logging.info('No %s in metric "%s" for %s steps, which is greater than or '
                             "equal to max steps (%s) configured for early stopping.",
                             increase_or_decrease, metric_name, step - best_val_step,
                             max_steps_without_improvement)
                return True
        return False

    return make_early_stopping_hook(estimator, stop_if_no_metric_improvement_fn,
                                    run_every_secs, run_every_steps)


def _get_or_create_stop_var():
    from tensorflux.ops import init_ops
    from tensorflux.variable_scope import AUTO_REUSE, get_variable, variable_scope

    with variable_scope("signal_early_stopping", values=[], reuse=AUTO_REUSE):
        return get_variable("STOP", shape=[], dtype=dtypes.bool,
                            initializer=init_ops.constant_initializer(False),
                            collections=[GraphKeys.GLOBAL_VARIABLES], trainable=False)


class _StopOnPredicateHook(SessionRunHook):
    """The chief's hook: checks `should_stop_fn` on a timer; sets STOP and stops if True."""

    def __init__(self, should_stop_fn, run_every_secs=60, run_every_steps=None):
        if not callable(should_stop_fn):
            raise TypeError("`should_stop_fn` must be callable.")
        self._should_stop_fn = should_stop_fn
        self._timer = hooks_lib.SecondOrStepTimer(every_secs=run_every_secs,
                                                  every_steps=run_every_steps)
        self._global_step_tensor = None
        self._stop_var = None
        self._stop_op = None

    def begin(self):
        from tensorflux.ops import state_ops

        self._global_step_tensor = training_util.get_global_step()
        self._stop_var = _get_or_create_stop_var()
        self._stop_op = state_ops.assign(self._stop_var, True)

    def before_run(self, run_context):
        del run_context
        return SessionRunArgs(self._global_step_tensor)

    def after_run(self, run_context, run_values):
        global_step = run_values.results
        if self._timer.should_trigger_for_step(global_step):
            self._timer.update_last_triggered_step(global_step)
            if self._should_stop_fn():
                logging.info("Requesting early stopping at global step %d", global_step)
                run_context.session.run(self._stop_op)
                run_context.request_stop()


class _CheckForStoppingHook(SessionRunHook):
    """A worker's hook: stops once the chief has set the STOP variable."""

    def begin(self):
        self._stop_var = _get_or_create_stop_var()

    def before_run(self, run_context):
        del run_context
        return SessionRunArgs(self._stop_var)

    def after_run(self, run_context, run_values):
        if run_values.results:
            logging.info("Early stopping requested, suspending run.")
            run_context.request_stop()
