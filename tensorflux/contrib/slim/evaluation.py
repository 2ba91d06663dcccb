"""`slim.evaluation`: evaluate a checkpoint once (`evaluate_once`) or each new checkpoint of a
training directory (`evaluation_loop`).

An evaluation restores the variables, runs `initial_op`, then `eval_op` `num_evals` times (the
streaming metrics' update ops) and returns the value of `final_op` (their values).

Example:
    >>> accuracy, update = tf.metrics.accuracy(labels, predictions)
    >>> value = slim.evaluation.evaluate_once("", "/tmp/train/model.ckpt-1000", "/tmp/eval",
    ...                                       num_evals=10, eval_op=update, final_op=accuracy)
"""

import os

from tensorflux import errors
from tensorflux import variables as variables_lib
from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.ops import init_ops
from tensorflux.platform import tf_logging as logging
from tensorflux.train import coordinator, queue_runner
from tensorflux.train import saver as saver_lib
from tensorflux.train.checkpoint_utils import (  # noqa: F401 - slim.evaluation's names too
    checkpoints_iterator,
    wait_for_new_checkpoint,
)

_USE_DEFAULT = 0


def get_or_create_eval_step():
    """The graph's `eval_step` counter (a local int64 variable), created when missing."""
    graph = graph_lib.get_default_graph()
    found = graph.get_collection(GraphKeys.EVAL_STEP)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise ValueError("Multiple tensors added to tf.GraphKeys.EVAL_STEP")
    from tensorflux import variable_scope as vs

    return vs.get_variable("eval_step", shape=[], dtype=dtypes.int64,
                           initializer=init_ops.zeros_initializer(), trainable=False,
                           collections=[GraphKeys.LOCAL_VARIABLES, GraphKeys.EVAL_STEP])


def _evaluate(checkpoint_path, num_evals, initial_op, initial_op_feed_dict, eval_op,
              eval_op_feed_dict, final_op, final_op_feed_dict, variables_to_restore,
              session_config):
    from tensorflux.client.session import Session

    graph = graph_lib.get_default_graph()
    saver = saver_lib.Saver(variables_to_restore)
    with Session(graph=graph, config=session_config) as sess:
        sess.run(variables_lib.global_variables_initializer())
        sess.run(variables_lib.local_variables_initializer())
        saver.restore(sess, checkpoint_path)
        # The input pipeline's queue runners run during the evaluation, as TF's
        # MonitoredSession starts them.
        coord = coordinator.Coordinator()
        threads = queue_runner.start_queue_runners(sess, coord=coord)
        try:
            if initial_op is not None:
                sess.run(initial_op, initial_op_feed_dict)
            if eval_op is not None:
                try:
                    for i in range(num_evals):
                        logging.info("Evaluation [%d/%d]", i + 1, num_evals)
                        sess.run(eval_op, eval_op_feed_dict)
                except errors.OutOfRangeError:
                    # As TF's MonitoredSession: the input ran out; the metrics stand.
                    logging.info("Input exhausted after %d of %d evaluations", i, num_evals)
            if final_op is not None:
                return sess.run(final_op, final_op_feed_dict)
            return None
        finally:
            coord.request_stop()
            coord.join(threads)


def evaluate_once(master, checkpoint_path, logdir, num_evals=1, initial_op=None,
                  initial_op_feed_dict=None, eval_op=None, eval_op_feed_dict=None,
                  final_op=None, final_op_feed_dict=None, summary_op=_USE_DEFAULT,
                  summary_op_feed_dict=None, variables_to_restore=None, session_config=None,
                  hooks=None):
    """Evaluates the checkpoint `checkpoint_path` once.

    Args:
        master: Unused (in-process sessions only).
        checkpoint_path: The checkpoint to restore.
        logdir: Where TF-Slim writes summaries (not written by tensorflux).
        num_evals: How many times to run `eval_op`.
        initial_op, eval_op, final_op: The ops to run (and their feed dicts).
        variables_to_restore: Default: all saveable variables.
        session_config: The session's `tf.ConfigProto`.

    Returns:
        The value of `final_op` (None without one).
    """
    return _evaluate(checkpoint_path, num_evals, initial_op, initial_op_feed_dict, eval_op,
                     eval_op_feed_dict, final_op, final_op_feed_dict, variables_to_restore,
                     session_config)


def evaluation_loop(master, checkpoint_dir, logdir, num_evals=1, initial_op=None,
                    initial_op_feed_dict=None, init_fn=None, eval_op=None,
                    eval_op_feed_dict=None, final_op=None, final_op_feed_dict=None,
                    summary_op=_USE_DEFAULT, summary_op_feed_dict=None,
                    variables_to_restore=None, eval_interval_secs=60,
                    max_number_of_evaluations=None, session_config=None, timeout=None,
                    timeout_fn=None, hooks=None):
    """Evaluates each new checkpoint of `checkpoint_dir` (as `evaluate_once`) until
    `max_number_of_evaluations` or `timeout`.

    Returns:
        The value of `final_op` for the last checkpoint evaluated.
    """
    final_value = None
    count = 0
    for checkpoint_path in checkpoints_iterator(checkpoint_dir, eval_interval_secs, timeout,
                                                timeout_fn):
        logging.info("Evaluating %s", os.path.basename(checkpoint_path))
        final_value = _evaluate(checkpoint_path, num_evals, initial_op, initial_op_feed_dict,
                                eval_op, eval_op_feed_dict, final_op, final_op_feed_dict,
                                variables_to_restore, session_config)
        count += 1
        if max_number_of_evaluations is not None and count >= max_number_of_evaluations:
            break
    return final_value
