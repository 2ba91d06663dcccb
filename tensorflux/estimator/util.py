"""The Estimator's helpers: argument detection for `model_fn`/`input_fn`, turning what an
`input_fn` returns into (features, labels, hooks), and the evaluation-loop pieces (the eval
step counter, the hook that stops after N batches, the eval summary writer)."""

import functools
import inspect
import math

import numpy as np

from tensorflux.data.dataset_ops import Dataset
from tensorflux.data.iterator_ops import make_initializable_iterator
from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import init_ops
from tensorflux.ops.func_graph import flatten
from tensorflux.platform import tf_logging as logging
from tensorflux.summary import proto
from tensorflux.summary.writer import FileWriterCache
from tensorflux.train.session_run_hook import SessionRunArgs, SessionRunHook

EVAL_STEP = "eval_step"


# --- arguments -----------------------------------------------------------------------------
def fn_args(fn):
    """The names of the arguments `fn` can be given (as TF's `function_utils.fn_args`).

    A bound method loses `self`; a `functools.partial` loses the arguments it already binds;
    a callable object is described by its `__call__`.

    Example:
        >>> fn_args(lambda features, labels, mode: None)
        ('features', 'labels', 'mode')
    """
    if isinstance(fn, functools.partial):
        args = fn_args(fn.func)
        bound = set(fn.keywords or ())
        return tuple(a for a in args[len(fn.args):] if a not in bound)
    if not (inspect.isfunction(fn) or inspect.ismethod(fn)) and callable(fn):
        fn = fn.__call__
    params = inspect.signature(fn).parameters.values()
    return tuple(p.name for p in params
                 if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD))


# --- input_fn results ----------------------------------------------------------------------
class DatasetInitializerHook(SessionRunHook):
    """Runs a dataset iterator's initializer once the session exists."""

    def __init__(self, iterator):
        self._iterator = iterator

    def begin(self):
        self._initializer = self._iterator.initializer

    def after_create_session(self, session, coord):
        session.run(self._initializer)


def parse_input_fn_result(result):
    """`(features, labels, input_hooks)` from a Dataset, a `(features, labels)` pair, or
    features alone (then labels is None).

    Example:
        >>> features, labels, hooks = parse_input_fn_result(dataset)
    """
    hooks = []
    if isinstance(result, Dataset):
        iterator = make_initializable_iterator(result)
        hooks.append(DatasetInitializerHook(iterator))
        result = iterator.get_next()
    if isinstance(result, (list, tuple)):
        if len(result) != 2:
            raise ValueError("input_fn should return (features, labels) as a len 2 tuple.")
        return result[0], result[1], hooks
    return result, None, hooks


def has_dataset_or_queue_runner(features):
    """True if `features` come from an iterator (or queue runners feed the graph)."""
    tensors = [t for t in flatten(features) if isinstance(t, Tensor)]
    if any(t.op.type == "IteratorGetNext" for t in tensors):
        return True
    return bool(graph_lib.get_collection(GraphKeys.QUEUE_RUNNERS))


# --- evaluation ----------------------------------------------------------------------------
def get_or_create_eval_step():
    """The int64 local variable `eval_step` counting the batches of an evaluation."""
    from tensorflux.variable_scope import get_variable

    graph = graph_lib.get_default_graph()
    existing = graph.get_collection(GraphKeys.EVAL_STEP)
    if len(existing) == 1:
        return existing[0]
    if len(existing) > 1:
        raise ValueError("Multiple tensors added to tf.GraphKeys.EVAL_STEP")
    return get_variable(
        EVAL_STEP, shape=[], dtype=dtypes.int64, initializer=init_ops.zeros_initializer(),
        trainable=False, collections=[GraphKeys.LOCAL_VARIABLES, GraphKeys.EVAL_STEP])


class StopAfterNEvalsHook(SessionRunHook):
    """Logs "Evaluation [n/N]" and stops once `num_evals` batches are evaluated."""

    def __init__(self, num_evals, evals_completed):
        self._num_evals = num_evals
        self._evals_completed = evals_completed
        self._log_frequency = 1 if num_evals is None or num_evals < 20 else \
            math.floor(num_evals / 10.0)

    def before_run(self, run_context):
        return SessionRunArgs(self._evals_completed)

    def after_run(self, run_context, run_values):
        done = int(run_values.results)
        if self._num_evals is None:
            logging.info("Evaluation [%d]", done)
            return
        if done % self._log_frequency == 0 or done == self._num_evals:
            logging.info("Evaluation [%d/%d]", done, self._num_evals)
        if done >= self._num_evals:
            run_context.request_stop()


def dict_to_str(dictionary):
    """`"k1 = v1, k2 = v2"` in key order, skipping serialized (bytes) values."""
    return ", ".join("%s = %s" % (k, v) for k, v in sorted(dictionary.items())
                     if not isinstance(v, bytes))


def write_dict_to_summary(output_dir, dictionary, current_global_step):
    """Logs the evaluation results and writes the scalar ones as summaries at the step."""
    logging.info("Saving dict for global step %d: %s", current_global_step,
                 dict_to_str(dictionary))
    values = []
    for key, value in sorted(dictionary.items()):
        if value is None or key == GraphKeys.GLOBAL_STEP:
            continue
        if isinstance(value, (float, int, np.floating, np.integer)) and \
                not isinstance(value, bool):
            values.append(proto.Summary.Value(tag=key, simple_value=float(value)))
        elif isinstance(value, np.ndarray) and value.size == 1:
            values.append(proto.Summary.Value(tag=key, simple_value=float(value.item())))
        else:
            logging.warning("Skipping summary for %s, must be a float, np.float32, np.int64, "
                            "np.int32 or int.", key)
    writer = FileWriterCache.get(output_dir)
    writer.add_summary(proto.Summary(value=values), current_global_step)
    writer.flush()
