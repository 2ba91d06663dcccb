"""`slim.learning`: TF-Slim's training loop (`train`) and training op (`create_train_op`).

`train` does what TF-Slim's Supervisor-based loop does, in one thread: restore the latest
checkpoint of `logdir` (or run the initializers and `init_fn`), start the graph's queue runners
(the input pipeline), save a checkpoint at the start, every `save_interval_secs` and at the end
(`logdir/model.ckpt-<global step>`), and run `train_step_fn` until the global step reaches
`number_of_steps` (or the input runs out).

Example:
    >>> total_loss = slim.losses.get_total_loss()
    >>> optimizer = tf.train.GradientDescentOptimizer(0.01)
    >>> train_op = slim.learning.create_train_op(total_loss, optimizer)
    >>> final_loss = slim.learning.train(train_op, "/tmp/train_logs", number_of_steps=1000)
"""

import os
import time

from tensorflux import errors
from tensorflux import variables as variables_lib
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import clip_ops, constant_op, control_flow_ops, debug_ops, math_ops
from tensorflux.ops.indexed_slices import IndexedSlices
from tensorflux.platform import tf_logging as logging
from tensorflux.train import coordinator, queue_runner, training_util
from tensorflux.train import saver as saver_lib
from tensorflux.train.optimizer import Optimizer

_USE_GLOBAL_STEP = 0
_USE_DEFAULT = 0


# --- gradient transforms ------------------------------------------------------------------------
def clip_gradient_norms(gradients_to_variables, max_norm):
    """Clips each gradient to L2 norm `max_norm` (the values of sparse gradients)."""
    clipped = []
    for grad, var in gradients_to_variables:
        if grad is not None:
            if isinstance(grad, IndexedSlices):
                grad = IndexedSlices(clip_ops.clip_by_norm(grad.values, max_norm), grad.indices,
                                     grad.dense_shape)
            else:
                grad = clip_ops.clip_by_norm(grad, max_norm)
        clipped.append((grad, var))
    return clipped


def multiply_gradients(grads_and_vars, gradient_multipliers):
    """Scales the gradients of the variables (or variable op names) in `gradient_multipliers`.

    Raises:
        ValueError: If `grads_and_vars` is not a list, `gradient_multipliers` is empty or not a
            dict, or a multiplied gradient is None.
    """
    if not isinstance(grads_and_vars, list):
        raise ValueError("`grads_and_vars` must be a list.")
    if not gradient_multipliers:
        raise ValueError("`gradient_multipliers` is empty.")
    if not isinstance(gradient_multipliers, dict):
        raise ValueError("`gradient_multipliers` must be a dict.")
    multiplied = []
    for grad, var in grads_and_vars:
        if var in gradient_multipliers or var.op.name in gradient_multipliers:
            key = var if var in gradient_multipliers else var.op.name
            if grad is None:
                raise ValueError("Requested multiple of `None` gradient.")
            multiplier = gradient_multipliers[key]
            if not isinstance(multiplier, Tensor):
                multiplier = constant_op.constant(multiplier, dtype=grad.dtype)
            if isinstance(grad, IndexedSlices):
                grad = IndexedSlices(grad.values * multiplier, grad.indices, grad.dense_shape)
            else:
                grad *= multiplier
        multiplied.append((grad, var))
    return multiplied


def add_gradients_summaries(grads_and_vars):
    """Histogram and norm summaries of the gradients (needs a `tf.summary` module)."""
    raise NotImplementedError("gradient summaries need tf.summary, which tensorflux does not "
                              "provide yet")


# --- the training op ----------------------------------------------------------------------------
def create_train_op(total_loss, optimizer, global_step=_USE_GLOBAL_STEP, update_ops=None,
                    variables_to_train=None, clip_gradient_norm=0, summarize_gradients=False,
                    gate_gradients=Optimizer.GATE_OP, aggregation_method=None,
                    colocate_gradients_with_ops=False, gradient_multipliers=None,
                    check_numerics=True):
    """A tensor that, when run, applies one optimizer step and returns the loss.

    The update ops (default: `tf.GraphKeys.UPDATE_OPS`, e.g. batch norm's moving averages) run
    before the loss is computed; the gradients can be scaled (`gradient_multipliers`) and
    clipped (`clip_gradient_norm`); the loss is checked for inf/NaN; the result is added to
    `tf.GraphKeys.TRAIN_OP`.

    Args:
        total_loss: The loss to minimize.
        optimizer: A `tf.train.Optimizer`.
        global_step: Incremented by each step; default `tf.train.get_or_create_global_step()`,
            None for no global step.
        update_ops: Ops to run before each step (default: the `UPDATE_OPS` collection).
        variables_to_train: Default: all trainable variables.
        clip_gradient_norm: If > 0, clip each gradient to this L2 norm.
        summarize_gradients: Add gradient summaries (not supported yet).
        gate_gradients, aggregation_method, colocate_gradients_with_ops: Passed to
            `optimizer.compute_gradients`.
        gradient_multipliers: A dict from variable (or its op name) to a gradient factor.
        check_numerics: Fail the step when the loss is inf or NaN.

    Returns:
        The train op: a tensor whose value is the loss.
    """
    if global_step is _USE_GLOBAL_STEP:
        global_step = training_util.get_or_create_global_step()
    global_update_ops = set(graph_lib.get_collection(GraphKeys.UPDATE_OPS))
    update_ops = global_update_ops if update_ops is None else set(update_ops)
    if not global_update_ops.issubset(update_ops):
        logging.warning("update_ops in create_train_op does not contain all the update_ops in "
                        "GraphKeys.UPDATE_OPS")
    if update_ops:
        with graph_lib.control_dependencies(update_ops):
            barrier = control_flow_ops.no_op(name="update_barrier")
        total_loss = control_flow_ops.with_dependencies([barrier], total_loss)
    if variables_to_train is None:
        variables_to_train = variables_lib.trainable_variables()
    if not variables_to_train:
        raise ValueError("No variables to train.")
    grads = optimizer.compute_gradients(total_loss, variables_to_train,
                                        gate_gradients=gate_gradients,
                                        aggregation_method=aggregation_method,
                                        colocate_gradients_with_ops=colocate_gradients_with_ops)
    if gradient_multipliers:
        with graph_lib.name_scope("multiply_grads"):
            grads = multiply_gradients(grads, gradient_multipliers)
    if clip_gradient_norm > 0:
        with graph_lib.name_scope("clip_grads"):
            grads = clip_gradient_norms(grads, clip_gradient_norm)
    if summarize_gradients:
        with graph_lib.name_scope("summarize_grads"):
            add_gradients_summaries(grads)
    grad_updates = optimizer.apply_gradients(grads, global_step=global_step)
    with graph_lib.name_scope("train_op"):
        if check_numerics:
            total_loss = debug_ops.check_numerics(total_loss, "LossTensor is inf or nan")
        train_op = control_flow_ops.with_dependencies([grad_updates], total_loss)
    train_ops = graph_lib.get_collection_ref(GraphKeys.TRAIN_OP)
    if train_op not in train_ops:
        train_ops.append(train_op)
    return train_op


# --- the loop -----------------------------------------------------------------------------------
def train_step(sess, train_op, global_step, train_step_kwargs):
    """Runs `train_op` once; logs the loss when `should_log` is true.

    Returns:
        `(total_loss, should_stop)`.
    """
    start_time = time.time()
    total_loss, np_global_step = sess.run([train_op, global_step])
    time_elapsed = time.time() - start_time
    if "should_log" in train_step_kwargs and sess.run(train_step_kwargs["should_log"]):
        logging.info("global step %d: loss = %.4f (%.3f sec/step)", np_global_step, total_loss,
                     time_elapsed)
    should_stop = bool(sess.run(train_step_kwargs["should_stop"])) \
        if "should_stop" in train_step_kwargs else False
    return total_loss, should_stop


def _restore_or_initialize(sess, saver, logdir, init_op, init_feed_dict, init_fn,
                           local_init_op):
    """TF's SessionManager.prepare_session: the latest checkpoint of `logdir` if any, otherwise
    `init_op` then `init_fn`; then the local initializer."""
    checkpoint = saver_lib.latest_checkpoint(logdir) if logdir else None
    if checkpoint:
        logging.info("Restoring parameters from %s", checkpoint)
        saver.restore(sess, checkpoint)
    else:
        if init_op is not None:
            sess.run(init_op, feed_dict=init_feed_dict)
        if init_fn is not None:
            init_fn(sess)
    if local_init_op is not None:
        sess.run(local_init_op)


def train(train_op, logdir, train_step_fn=train_step, train_step_kwargs=_USE_DEFAULT,
          log_every_n_steps=1, graph=None, master="", is_chief=True, global_step=None,
          number_of_steps=None, init_op=_USE_DEFAULT, init_feed_dict=None,
          local_init_op=_USE_DEFAULT, init_fn=None, ready_op=_USE_DEFAULT,
          summary_op=_USE_DEFAULT, save_summaries_secs=600, summary_writer=_USE_DEFAULT,
          startup_delay_steps=0, saver=None, save_interval_secs=600, sync_optimizer=None,
          session_config=None, session_wrapper=None, trace_every_n_steps=None,
          ignore_live_threads=False):
    """Runs the training loop.

    Args:
        train_op: The tensor from `create_train_op` (its value is the loss).
        logdir: Where checkpoints go (and are restored from); None for no checkpoints.
        train_step_fn: `fn(sess, train_op, global_step, train_step_kwargs)` returning
            `(loss, should_stop)`.
        train_step_kwargs: Passed to `train_step_fn`; by default `should_stop` (global step
            >= `number_of_steps`) and `should_log` (every `log_every_n_steps`).
        log_every_n_steps: How often the loss is logged.
        graph: Default: the default graph.
        global_step: Default: `tf.train.get_or_create_global_step()`.
        number_of_steps: Stop once the global step reaches it; None to run until the input
            is exhausted (`OutOfRangeError`).
        init_op, init_feed_dict: The initialization (default: global variables initializer).
        local_init_op: Default: the local variables initializer.
        init_fn: Called with the session after `init_op` when nothing was restored (e.g.
            `slim.assign_from_checkpoint_fn(...)` for fine-tuning).
        saver: Default: a `tf.train.Saver()` of all global variables.
        save_interval_secs: How often to save checkpoints.
        session_config: The `tf.ConfigProto` of the session.
        session_wrapper: Wraps the session before training (e.g. a debugger).
        master, is_chief, ready_op, summary_op, save_summaries_secs, summary_writer,
        startup_delay_steps, sync_optimizer, trace_every_n_steps, ignore_live_threads:
            TF-Slim's distributed and summary options; accepted, summaries are not written.

    Returns:
        The loss of the last step.

    Raises:
        ValueError: For a None `train_op`, a non-positive `number_of_steps`, or a saver,
            summary op or tracing without `logdir`.
    """
    if train_op is None:
        raise ValueError("train_op cannot be None.")
    if logdir is None:
        if summary_op != _USE_DEFAULT:
            raise ValueError("Cannot provide summary_op because logdir=None")
        if saver is not None:
            raise ValueError("Cannot provide saver because logdir=None")
        if trace_every_n_steps is not None:
            raise ValueError("Cannot provide trace_every_n_steps because logdir=None")
    if sync_optimizer is not None:
        raise NotImplementedError("sync_optimizer (synchronous replicas) is not supported")
    if number_of_steps is not None and number_of_steps <= 0:
        raise ValueError("`number_of_steps` must be either None or a positive number.")
    graph = graph or graph_lib.get_default_graph()
    with graph.as_default():
        if global_step is None:
            global_step = training_util.get_or_create_global_step()
        saver = saver or saver_lib.Saver()
        with graph_lib.name_scope("init_ops"):
            if init_op == _USE_DEFAULT:
                init_op = variables_lib.global_variables_initializer()
            if local_init_op == _USE_DEFAULT:
                local_init_op = variables_lib.local_variables_initializer()
        if train_step_kwargs == _USE_DEFAULT:
            with graph_lib.name_scope("train_step"):
                train_step_kwargs = {}
                if number_of_steps:
                    should_stop_op = math_ops.greater_equal(global_step, number_of_steps)
                else:
                    should_stop_op = constant_op.constant(False)
                train_step_kwargs["should_stop"] = should_stop_op
                if log_every_n_steps > 0:
                    train_step_kwargs["should_log"] = math_ops.equal(
                        math_ops.mod(global_step, log_every_n_steps), 0)
    from tensorflux.client.session import Session

    save_path = os.path.join(logdir, "model.ckpt") if logdir else None
    total_loss = None
    with Session(graph=graph, config=session_config) as sess:
        _restore_or_initialize(sess, saver, logdir, init_op, init_feed_dict, init_fn,
                               local_init_op)
        # The input pipeline's queue runners (tf.train.batch, slim's DatasetDataProvider)
        # run while training, as the Supervisor starts them in TF-Slim.
        coord = coordinator.Coordinator()
        threads = queue_runner.start_queue_runners(sess, coord=coord)
        if session_wrapper is not None:
            sess = session_wrapper(sess)
        if logdir and is_chief:
            os.makedirs(logdir, exist_ok=True)
            saver.save(sess, save_path, global_step=global_step)
        last_save = time.time()
        try:
            while True:
                total_loss, should_stop = train_step_fn(sess, train_op, global_step,
                                                        train_step_kwargs)
                if should_stop:
                    logging.info("Stopping Training.")
                    break
                if logdir and is_chief and time.time() - last_save >= save_interval_secs:
                    saver.save(sess, save_path, global_step=global_step)
                    last_save = time.time()
        except errors.OutOfRangeError as e:
            logging.info("Caught OutOfRangeError. Stopping Training. %s", e)
        finally:
            coord.request_stop()
            coord.join(threads, ignore_live_threads=ignore_live_threads)
        if logdir and is_chief:
            logging.info("Finished training! Saving model to disk.")
            saver.save(sess, save_path, global_step=global_step)
    return total_loss
