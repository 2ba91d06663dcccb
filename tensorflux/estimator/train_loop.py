"""The two session loops behind `Estimator.train` and `Estimator.evaluate`.

Training: a MonitoredTrainingSession on `model_dir` with TF 1.x's Estimator hooks — a
NanTensorHook, a LoggingTensorHook logging `loss = …, step = …` every `log_step_count_steps`,
the StepCounterHook (`global_step/sec`) and SummarySaverHook (a `loss` scalar summary), and a
CheckpointSaverHook saving `model.ckpt-N` at the first step, on the RunConfig's schedule and
at the end. Evaluation: a MonitoredSession restored from one checkpoint that runs the metrics'
update ops (and the `eval_step` counter) until the input ends, then reads the metric values.
"""

import time

from tensorflux.estimator import util
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.ops import control_flow_ops, state_ops, summary_ops
from tensorflux.platform import tf_logging as logging
from tensorflux.train import basic_session_run_hooks as hooks_lib
from tensorflux.train import saver as saver_lib
from tensorflux.train.monitored_session import (
    ChiefSessionCreator,
    MonitoredSession,
    MonitoredTrainingSession,
)


def _ensure_loss_summary(loss):
    """Adds a `loss` scalar summary unless the model_fn made one (TF puts it in TensorBoard's
    `loss` chart)."""
    if not any(s.op.name == "loss" for s in graph_lib.get_collection(GraphKeys.SUMMARIES)):
        summary_ops.scalar("loss", loss)
    graph_lib.add_to_collection(GraphKeys.LOSSES, loss)


def _ensure_saver(spec, config):
    """The Estimator's default Saver (keeping `keep_checkpoint_max` checkpoints)."""
    if spec.scaffold.saver or graph_lib.get_collection(GraphKeys.SAVERS):
        return
    graph_lib.add_to_collection(GraphKeys.SAVERS, saver_lib.Saver(
        sharded=True, max_to_keep=config.keep_checkpoint_max,
        keep_checkpoint_every_n_hours=config.keep_checkpoint_every_n_hours,
        defer_build=True, save_relative_paths=True))  # built by Scaffold.finalize


def _checkpoint_hooks(spec, config, model_dir, all_hooks, saving_listeners):
    """The chief's CheckpointSaverHook (unless one is given), with the saving listeners."""
    chief_hooks = []
    saver_hooks = [h for h in all_hooks if isinstance(h, hooks_lib.CheckpointSaverHook)]
    if (config.save_checkpoints_secs or config.save_checkpoints_steps) and not saver_hooks:
        chief_hooks = [hooks_lib.CheckpointSaverHook(
            model_dir, save_secs=config.save_checkpoints_secs,
            save_steps=config.save_checkpoints_steps, scaffold=spec.scaffold)]
        saver_hooks = chief_hooks
    if saving_listeners:
        if not saver_hooks:
            raise ValueError("There should be a CheckpointSaverHook to use saving_listeners. "
                             "Please set one of the RunConfig.save_checkpoints_steps or "
                             "RunConfig.save_checkpoints_secs.")
        for listener in saving_listeners:
            if listener not in saver_hooks[0]._listeners:
                saver_hooks[0]._listeners.append(listener)
    return chief_hooks


def train_with_estimator_spec(spec, config, hooks, global_step, saving_listeners):
    """Runs `spec.train_op` until a hook stops or the input ends; the last loss value.

    Example:
        >>> loss = train_with_estimator_spec(spec, run_config, hooks, global_step, [])
    """
    _ensure_loss_summary(spec.loss)
    worker_hooks = list(hooks) + [hooks_lib.NanTensorHook(spec.loss)]
    if config.log_step_count_steps is not None:
        worker_hooks.append(hooks_lib.LoggingTensorHook(
            {"loss": spec.loss, "step": global_step},
            every_n_iter=config.log_step_count_steps))
    worker_hooks.extend(spec.training_hooks)
    _ensure_saver(spec, config)
    chief_hooks = _checkpoint_hooks(spec, config, config.model_dir,
                                    worker_hooks + list(spec.training_chief_hooks),
                                    saving_listeners)
    loss, any_step_done = None, False
    with MonitoredTrainingSession(
            checkpoint_dir=config.model_dir, scaffold=spec.scaffold, hooks=worker_hooks,
            chief_only_hooks=tuple(chief_hooks) + tuple(spec.training_chief_hooks),
            save_checkpoint_secs=0, save_summaries_steps=config.save_summary_steps,
            config=config.session_config,
            log_step_count_steps=config.log_step_count_steps) as session:
        while not session.should_stop():
            _, loss = session.run([spec.train_op, spec.loss])
            any_step_done = True
    if not any_step_done:
        logging.warning("Training with estimator made no steps. Perhaps input is empty or "
                        "misspecified.")
    return loss


def _eval_ops_with_step_counter(update_ops):
    """The metrics' update ops grouped with `eval_step += 1`; returns (ops, eval_step value)."""
    eval_step = util.get_or_create_eval_step()
    update_eval_step = state_ops.assign_add(eval_step, 1, use_locking=True)
    eval_ops = [control_flow_ops.group(*update_ops)] if update_ops else []
    eval_ops.append(update_eval_step)
    return eval_ops, update_eval_step


def evaluate_once(checkpoint_path, scaffold, metric_ops, global_step, hooks, steps,
                  session_config):
    """Runs the metrics' update ops over the input (or `steps` batches) once; returns
    `{name: value, …, "global_step": step}`.

    Example:
        >>> evaluate_once(path, scaffold, {"accuracy": tf.metrics.accuracy(y, p)}, step, [],
        ...               None, None)
        {'accuracy': 0.9, 'global_step': 100}
    """
    names = sorted(metric_ops)  # sorted, so the graph is the same every time
    eval_ops, eval_step_value = _eval_ops_with_step_counter([metric_ops[n][1] for n in names])
    final_ops = {name: metric_ops[name][0] for name in names}
    final_ops[GraphKeys.GLOBAL_STEP] = global_step
    hooks = list(hooks)
    if steps is not None:
        hooks.append(util.StopAfterNEvalsHook(steps, eval_step_value))
    final_ops_hook = hooks_lib.FinalOpsHook(final_ops)
    hooks.append(final_ops_hook)
    logging.info("Starting evaluation at " + time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    if checkpoint_path:
        logging.info("Restoring parameters from %s", checkpoint_path)
    creator = ChiefSessionCreator(scaffold=scaffold, config=session_config,
                                  checkpoint_filename_with_path=checkpoint_path)
    with MonitoredSession(session_creator=creator, hooks=hooks) as session:
        while not session.should_stop():
            session.run(eval_ops)
    logging.info("Finished evaluation at " + time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    return final_ops_hook.final_ops_values
