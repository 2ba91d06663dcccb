"""`tf.train.Supervisor`: TF 1.x's training helper that initializes or restores a model from
`logdir`, saves checkpoints and summaries from background threads, and stops them cleanly.

It is a thin wrapper around a `Coordinator`, a `Saver` and a `SessionManager`. The constructor
fills in the ops it is not given (from the graph's collections, else TF's defaults), then
finalizes the graph. `managed_session()` restores from the latest checkpoint of `logdir` (or
runs `init_op`), starts queue runners and the standard services (a checkpoint every
`save_model_secs`, summaries and global-step/sec every `save_summaries_secs`, each run once at
once), and on exit stops every thread and closes the session. As in TF, no checkpoint is saved
at exit: only the services' periodic ones. An `OutOfRangeError` (exhausted input) ends the block
quietly; any other exception, from the block or a service, is raised after everything stopped.

Example:
    >>> sv = tf.train.Supervisor(logdir="/tmp/model")
    >>> with sv.managed_session() as sess:
    ...     while not sv.should_stop():
    ...         sess.run(train_op)
"""

import contextlib
import os

from tensorflux import variables
from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.graph import graph_def as graph_def_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.graph.text_format import write_graph
from tensorflux.ops import control_flow_ops
from tensorflux.platform import tf_logging as logging
from tensorflux.summary import proto
from tensorflux.train import saver as saver_lib
from tensorflux.train import training_util
from tensorflux.train.coordinator import Coordinator, LooperThread
from tensorflux.train.session_manager import SessionManager
from tensorflux.train.supervisor_services import (
    SVStepCounterThread,
    SVSummaryThread,
    SVTimerCheckpointThread,
)
from tensorflux.util import toggles


def _is_default(value):
    """Whether an argument is `Supervisor.USE_DEFAULT` (TF's 0; `False` is not the default)."""
    return type(value) is int and value == Supervisor.USE_DEFAULT


def _first_in_collection(key):
    """The first item of the default graph's collection `key`, or None (TF logs extras)."""
    items = graph_lib.get_collection(key)
    if len(items) > 1:
        logging.info("Found %d %s operations. Returning the first one.", len(items), key)
    return items[0] if items else None


def _default_global_step_tensor():
    """The default graph's `global_step:0` if it is an integer tensor, else None."""
    try:
        step = graph_lib.get_default_graph().get_tensor_by_name("global_step:0")
    except KeyError:
        return None
    if step.dtype.base_dtype in (dtypes.int32, dtypes.int64):
        return step
    logging.warning("Found 'global_step' is not an int type: %s", step.dtype)
    return None


class Supervisor:
    """Checkpoints a model and computes summaries while a training loop runs.

    Args:
        graph: The model's graph (default: the default graph). It is finalized.
        ready_op: A 1-D string tensor that is empty when the model is ready (default:
            `report_uninitialized_variables()`); None skips the check.
        ready_for_local_init_op: Like `ready_op`, checked before `local_init_op` (default:
            the READY_FOR_LOCAL_INIT_OP collection's op, else None).
        is_chief: The chief initializes, restores and runs the services; other workers wait
            for a ready model and need every variable placed on a device.
        init_op: Run when nothing is restored (default: initialize the global variables).
        init_feed_dict: The feeds for `init_op`.
        local_init_op: Run for every new session (default: local variables and tables).
        logdir: Where checkpoints and event files go (chief only). Without it, no services.
        summary_op: Evaluated by the summary service (default: `tf.summary.merge_all()`).
        saver: Saves and restores (default: a new `tf.train.Saver()` when there are
            variables); None turns checkpoints off.
        global_step: An integer tensor numbering checkpoints and summaries (default: the
            GLOBAL_STEP collection's or `global_step:0`).
        save_summaries_secs: Seconds between summaries (0 turns the service off).
        save_model_secs: Seconds between checkpoints (0 turns the service off).
        recovery_wait_secs: Seconds between readiness checks of a waiting worker.
        stop_grace_secs: How long `stop()` waits for threads to end.
        checkpoint_basename: Checkpoints are `logdir/<checkpoint_basename>-<global step>`.
        session_manager: A `SessionManager` (default: one built from the ops above).
        summary_writer: A FileWriter, or None for no events (default: one on `logdir`).
        init_fn: Called as `init_fn(sess)` after `init_op` when nothing is restored.
        local_init_run_options: Passed on to the SessionManager (ignored there).

    Raises:
        RuntimeError: With eager execution enabled.
        ValueError: For a non-chief whose variables have no device.
    """

    USE_DEFAULT = 0

    def __init__(self, graph=None, ready_op=USE_DEFAULT, ready_for_local_init_op=USE_DEFAULT,
                 is_chief=True, init_op=USE_DEFAULT, init_feed_dict=None,
                 local_init_op=USE_DEFAULT, logdir=None, summary_op=USE_DEFAULT,
                 saver=USE_DEFAULT, global_step=USE_DEFAULT, save_summaries_secs=120,
                 save_model_secs=600, recovery_wait_secs=30, stop_grace_secs=120,
                 checkpoint_basename="model.ckpt", session_manager=None,
                 summary_writer=USE_DEFAULT, init_fn=None, local_init_run_options=None):
        if toggles.executing_eagerly():
            raise RuntimeError("Supervisors are incompatible with eager execution.")
        graph = graph if graph is not None else graph_lib.get_default_graph()
        with graph.as_default():
            self._init_ready_ops(ready_op, ready_for_local_init_op)
            self._init_init_op(init_op, init_feed_dict)
            self._init_local_init_op(local_init_op)
            self._init_saver(saver)
            self._init_summary_op(summary_op)
            self._init_global_step(global_step)
        self._graph = graph
        saver_def = self._saver.saver_def if self._saver else None
        self._meta_graph_def = graph_def_lib.meta_graph_def_bytes(graph, saver_def)
        self._is_chief = is_chief
        self._coord = Coordinator()
        self._recovery_wait_secs = recovery_wait_secs
        self._stop_grace_secs = stop_grace_secs
        self._init_fn = init_fn
        self._local_init_run_options = local_init_run_options
        self._init_chief_fields(logdir, save_summaries_secs, save_model_secs,
                                checkpoint_basename, summary_writer)
        self._session_manager = session_manager or SessionManager(
            local_init_op=self._local_init_op, ready_op=self._ready_op,
            ready_for_local_init_op=self._ready_for_local_init_op, graph=graph,
            recovery_wait_secs=recovery_wait_secs,
            local_init_run_options=local_init_run_options)
        self._verify_setup()
        graph.finalize()

    # --- construction: the ops the caller did not give ------------------------------------
    def _init_ready_ops(self, ready_op, ready_for_local_init_op):
        if _is_default(ready_op):
            ready_op = _first_in_collection(GraphKeys.READY_OP)
            if ready_op is None:
                ready_op = variables.report_uninitialized_variables()
                graph_lib.add_to_collection(GraphKeys.READY_OP, ready_op)
        if _is_default(ready_for_local_init_op):
            ready_for_local_init_op = _first_in_collection(GraphKeys.READY_FOR_LOCAL_INIT_OP)
        self._ready_op = ready_op
        self._ready_for_local_init_op = ready_for_local_init_op

    def _init_init_op(self, init_op, init_feed_dict):
        if _is_default(init_op):
            init_op = _first_in_collection(GraphKeys.INIT_OP)
            if init_op is None:
                init_op = variables.global_variables_initializer()
                graph_lib.add_to_collection(GraphKeys.INIT_OP, init_op)
        self._init_op = init_op
        self._init_feed_dict = init_feed_dict

    def _init_local_init_op(self, local_init_op):
        if _is_default(local_init_op):
            local_init_op = _first_in_collection(GraphKeys.LOCAL_INIT_OP)
            if local_init_op is None:
                from tensorflux.initializers import tables_initializer

                local_init_op = control_flow_ops.group(
                    variables.local_variables_initializer(), tables_initializer())
                graph_lib.add_to_collection(GraphKeys.LOCAL_INIT_OP, local_init_op)
        self._local_init_op = local_init_op

    def _init_saver(self, saver):
        if _is_default(saver):
            saver = _first_in_collection(GraphKeys.SAVERS)
            if saver is None and variables.global_variables():
                saver = saver_lib.Saver()
                graph_lib.add_to_collection(GraphKeys.SAVERS, saver)
        self._saver = saver

    def _init_summary_op(self, summary_op):
        if _is_default(summary_op):
            summary_op = _first_in_collection(GraphKeys.SUMMARY_OP)
            if summary_op is None:
                from tensorflux.ops import summary_ops

                summary_op = summary_ops.merge_all()
                if summary_op is not None:
                    graph_lib.add_to_collection(GraphKeys.SUMMARY_OP, summary_op)
        self._summary_op = summary_op

    def _init_global_step(self, global_step):
        if _is_default(global_step):
            global_step = _first_in_collection(GraphKeys.GLOBAL_STEP)
            if global_step is None:
                global_step = _default_global_step_tensor()
                if global_step is not None:
                    graph_lib.add_to_collection(GraphKeys.GLOBAL_STEP, global_step)
        self._global_step = global_step

    def _init_chief_fields(self, logdir, save_summaries_secs, save_model_secs,
                           checkpoint_basename, summary_writer):
        """Only the chief keeps a logdir, intervals and a summary writer."""
        self._logdir = None
        self._save_summaries_secs = None
        self._save_model_secs = None
        self._save_path = None
        self._summary_writer = None
        self._graph_added_to_summary = False
        if not self._is_chief:
            return
        self._logdir = logdir
        self._save_summaries_secs = save_summaries_secs
        self._save_model_secs = save_model_secs
        if logdir:
            self._save_path = os.path.join(logdir, checkpoint_basename)
        if _is_default(summary_writer):
            if logdir:
                from tensorflux.summary.writer import FileWriter

                self._summary_writer = FileWriter(logdir)
        else:
            self._summary_writer = summary_writer

    def _verify_setup(self):
        """A non-chief shares the chief's variables: each must be placed on a device."""
        if self._is_chief:
            return
        for op in self._graph.get_operations():
            if op.type in ("Variable", "VariableV2") and not op.device:
                raise ValueError("When using replicas, all Variables must have their device "
                                 "set: %s" % op)

    # --- properties -----------------------------------------------------------------------
    @property
    def is_chief(self):
        return self._is_chief

    @property
    def session_manager(self):
        return self._session_manager

    @property
    def coord(self):
        """The Coordinator of the services, queue runners and `loop()` threads."""
        return self._coord

    @property
    def init_op(self):
        return self._init_op

    @property
    def init_feed_dict(self):
        return self._init_feed_dict

    @property
    def ready_op(self):
        return self._ready_op

    @property
    def ready_for_local_init_op(self):
        return self._ready_for_local_init_op

    @property
    def summary_writer(self):
        return self._summary_writer

    @property
    def summary_op(self):
        return self._summary_op

    @property
    def save_summaries_secs(self):
        return self._save_summaries_secs

    @property
    def global_step(self):
        return self._global_step

    @property
    def saver(self):
        return self._saver

    @property
    def save_model_secs(self):
        return self._save_model_secs

    @property
    def save_path(self):
        """`logdir/checkpoint_basename` (None without a logdir or on a non-chief)."""
        return self._save_path

    # --- sessions and services ---------------------------------------------------------
    def _write_graph(self):
        """Writes `logdir/graph.pbtxt`, and the graph and meta graph to the event file once."""
        if self._logdir:
            write_graph(self._graph, self._logdir, "graph.pbtxt")
        if self._summary_writer and not self._graph_added_to_summary:
            self._summary_writer.add_graph(self._graph)
            self._summary_writer.add_meta_graph(self._meta_graph_def)
            self._graph_added_to_summary = True

    def start_standard_services(self, sess):
        """Starts the checkpoint, summary and step-counter threads (those configured).

        Returns:
            The started threads (None without a logdir); `stop()` joins them.

        Raises:
            RuntimeError: On a non-chief supervisor.
        """
        if not self._is_chief:
            raise RuntimeError("Only chief supervisor can start standard services. Because "
                               "only chief supervisors can write events.")
        if not self._logdir:
            logging.warning("Standard services need a 'logdir' passed to the SessionManager")
            return None
        if self._global_step is not None and self._summary_writer:
            step = training_util.global_step(sess, self._global_step)
            self._summary_writer.add_session_log(proto.SessionLog(status=proto.SessionLog.START),
                                                 step)
        threads = []
        if self._save_summaries_secs and self._summary_writer:
            if self._summary_op is not None:
                threads.append(SVSummaryThread(self, sess))
            if self._global_step is not None:
                threads.append(SVStepCounterThread(self, sess))
        if self._saver and self._save_model_secs:
            threads.append(SVTimerCheckpointThread(self, sess))
        for t in threads:
            t.start()
        return threads

    def prepare_or_wait_for_session(self, master="", config=None, wait_for_checkpoint=False,
                                    max_wait_secs=7200, start_standard_services=True):
        """A ready Session: the chief restores from `logdir` or initializes (and writes the
        graph, and starts the services); a worker waits for the chief. Queue runners start
        with the services.

        Example:
            >>> sess = sv.prepare_or_wait_for_session()
        """
        self._coord.clear_stop()
        if self._summary_writer:
            self._summary_writer.reopen()
        if self._is_chief:
            sess = self._session_manager.prepare_session(
                master, init_op=self._init_op, saver=self._saver, checkpoint_dir=self._logdir,
                wait_for_checkpoint=wait_for_checkpoint, max_wait_secs=max_wait_secs,
                config=config, init_feed_dict=self._init_feed_dict, init_fn=self._init_fn)
            self._write_graph()
            if start_standard_services:
                logging.info("Starting standard services.")
                self.start_standard_services(sess)
        else:
            sess = self._session_manager.wait_for_session(master, config=config,
                                                          max_wait_secs=max_wait_secs)
        if start_standard_services:
            logging.info("Starting queue runners.")
            self.start_queue_runners(sess)
        return sess

    def start_queue_runners(self, sess, queue_runners=None):
        """Starts the threads of `queue_runners` (default: the graph's QUEUE_RUNNERS), under
        the supervisor's coordinator."""
        if toggles.executing_eagerly():
            raise RuntimeError("Queues are not compatible with eager execution.")
        if queue_runners is None:
            queue_runners = self._graph.get_collection(GraphKeys.QUEUE_RUNNERS)
        threads = []
        for qr in queue_runners:
            threads.extend(qr.create_threads(sess, coord=self._coord, daemon=True, start=True))
        return threads

    def loop(self, timer_interval_secs, target, args=None, kwargs=None):
        """Starts a LooperThread calling `target(*args, **kwargs)` every
        `timer_interval_secs` (back to back if None) until a stop; `stop()` joins it.

        Example:
            >>> sv.loop(60, print_loss, (sess,))
        """
        return LooperThread.loop(self._coord, timer_interval_secs, target, args, kwargs)

    def stop(self, threads=None, close_summary_writer=True, ignore_live_threads=False):
        """Stops and joins the services, queue runners, loops and `threads`; re-raises an
        exception one of them (or `request_stop(ex)`) recorded. Does not close the session."""
        self._coord.request_stop()
        try:
            self._coord.join(threads, stop_grace_period_secs=self._stop_grace_secs,
                             ignore_live_threads=ignore_live_threads)
        finally:
            if close_summary_writer and self._summary_writer:
                self._summary_writer.add_session_log(
                    proto.SessionLog(status=proto.SessionLog.STOP))
                self._summary_writer.close()
                self._graph_added_to_summary = False

    def request_stop(self, ex=None):
        """Asks every thread to stop; `ex` (not an OutOfRangeError) is re-raised by `stop()`."""
        self._coord.request_stop(ex=ex)

    def should_stop(self):
        return self._coord.should_stop()

    def stop_on_exception(self):
        """A context manager that requests a stop if its block raises."""
        return self._coord.stop_on_exception()

    def wait_for_stop(self):
        self._coord.wait_for_stop()

    def summary_computed(self, sess, summary, global_step=None):
        """Writes a summary computed by the caller, at the current global step by default.

        Raises:
            RuntimeError: Without a summary writer.
        """
        if not self._summary_writer:
            raise RuntimeError("Writing a summary requires a summary writer.")
        if global_step is None and self._global_step is not None:
            global_step = training_util.global_step(sess, self._global_step)
        self._summary_writer.add_summary(summary, global_step)

    @contextlib.contextmanager
    def managed_session(self, master="", config=None, start_standard_services=True,
                        close_summary_writer=True):
        """A context manager yielding a ready session (see the module docstring).

        Leaving the block stops every thread, then closes the session; an exception from the
        block or a service is raised again after that, except OutOfRangeError.

        Example:
            >>> with sv.managed_session() as sess:
            ...     sess.run(train_op)
        """
        sess = None
        try:
            sess = self.prepare_or_wait_for_session(
                master=master, config=config, start_standard_services=start_standard_services)
            yield sess
        except Exception as e:  # noqa: BLE001 - recorded, then re-raised by stop()
            self.request_stop(e)
        finally:
            try:
                self.stop(close_summary_writer=close_summary_writer)
            finally:
                if sess is not None:
                    sess.close()

    # TF 1.x's CamelCase aliases.
    PrepareSession = prepare_or_wait_for_session
    StartQueueRunners = start_queue_runners
    StartStandardServices = start_standard_services
    Stop = stop
    RequestStop = request_stop
    Loop = loop
    ShouldStop = should_stop
    StopOnException = stop_on_exception
    WaitForStop = wait_for_stop
    SummaryComputed = summary_computed


__all__ = ["Supervisor", "SVStepCounterThread", "SVSummaryThread", "SVTimerCheckpointThread"]
