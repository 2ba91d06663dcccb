"""`tf.train.QueueRunner`: threads that keep running a queue's enqueue ops, and
`tf.train.start_queue_runners`, which starts those of a graph's QUEUE_RUNNERS collection.

Each runner thread loops `sess.run(enqueue_op)` until the coordinator asks it to stop or the
op reports that its input is exhausted (OutOfRangeError, e.g. `limit_epochs` reached its
count, or CancelledError); the last thread of a runner then closes the queue, so that
dequeues drain it and end with OutOfRangeError. Other errors go to the coordinator.

Example:
    >>> qr = tf.train.QueueRunner(queue, [queue.enqueue(x)] * 4)
    >>> tf.train.add_queue_runner(qr)
    >>> coord = tf.train.Coordinator()
    >>> threads = tf.train.start_queue_runners(sess, coord)
"""

import logging
import threading

from tensorflux import errors
from tensorflux.graph import graph as graph_lib

log = logging.getLogger("tensorflux")


class QueueRunner:
    """Holds a queue, the ops that fill it, and the threads that run them."""

    def __init__(self, queue=None, enqueue_ops=None, close_op=None, cancel_op=None,
                 queue_closed_exception_types=None, queue_runner_def=None, import_scope=None):
        if queue_runner_def is not None:
            raise NotImplementedError("QueueRunner from a QueueRunnerDef is not supported")
        if queue is None or not enqueue_ops:
            raise ValueError("Must provide queue and enqueue_ops.")
        self._queue = queue
        self._enqueue_ops = list(enqueue_ops)
        self._close_op = close_op if close_op is not None else queue.close()
        self._cancel_op = cancel_op if cancel_op is not None else queue.close(
            cancel_pending_enqueues=True)
        self._queue_closed_exception_types = tuple(
            queue_closed_exception_types or (errors.OutOfRangeError, errors.CancelledError))
        self._lock = threading.Lock()
        self._runs_per_session = {}
        self._exceptions_raised = []

    @property
    def queue(self):
        return self._queue

    @property
    def enqueue_ops(self):
        return self._enqueue_ops

    @property
    def close_op(self):
        return self._close_op

    @property
    def cancel_op(self):
        return self._cancel_op

    @property
    def queue_closed_exception_types(self):
        return self._queue_closed_exception_types

    @property
    def exceptions_raised(self):
        """The errors runner threads raised when they had no coordinator to report to."""
        return self._exceptions_raised

    @property
    def name(self):
        return self._queue.name

    def _finished(self, sess, close):
        """One of `sess`'s runner threads ends; the last one closes the queue (if `close`)."""
        with self._lock:
            self._runs_per_session[sess] -= 1
            if self._runs_per_session[sess] == 0 and close:
                try:
                    sess.run(self._close_op)
                except Exception as e:  # noqa: BLE001 - the session may be closed already
                    log.debug("Ignored exception closing queue %s: %s", self.name, e)

    def _run(self, sess, enqueue_op, coord=None):
        """A runner thread's body: run `enqueue_op` until told to stop or the input ends."""
        close = False
        try:
            while not (coord is not None and coord.should_stop()):
                try:
                    sess.run(enqueue_op)
                except self._queue_closed_exception_types:
                    close = True
                    return
        except Exception as e:  # noqa: BLE001 - reported to the coordinator, as TF does
            if coord is not None:
                coord.request_stop(e)
            else:
                log.error("Exception in QueueRunner: %s", e)
                with self._lock:
                    self._exceptions_raised.append(e)
                raise
        finally:
            self._finished(sess, close)

    def _close_on_stop(self, sess, coord):
        """Cancels the queue's pending enqueues once the coordinator asks for a stop."""
        coord.wait_for_stop()
        try:
            sess.run(self._cancel_op)
        except Exception as e:  # noqa: BLE001 - the session may be closed already
            log.debug("Ignored exception cancelling queue %s: %s", self.name, e)

    def create_threads(self, sess, coord=None, daemon=False, start=False):
        """Threads running the enqueue ops in `sess` (none if they already run there).

        Example:
            >>> threads = qr.create_threads(sess, coord=coord, start=True)
        """
        with self._lock:
            if self._runs_per_session.get(sess, 0) > 0:
                return []
            self._runs_per_session[sess] = len(self._enqueue_ops)
            self._exceptions_raised = []
        if hasattr(sess, "_shared"):  # a Session: log each run's writes from now on, so that a
            sess._shared = True  # failing run never undoes another thread's (client/session.py)
        threads = [threading.Thread(target=self._run, args=(sess, op, coord),
                                    name="QueueRunnerThread-%s-%s" % (self.name, op.name))
                   for op in self._enqueue_ops]
        if coord is not None:
            threads.append(threading.Thread(target=self._close_on_stop, args=(sess, coord),
                                            name="QueueRunnerThread-%s-close_on_stop"
                                            % self.name))
        for t in threads:
            if coord is not None:
                coord.register_thread(t)
            t.daemon = daemon
            if start:
                t.start()
        return threads


def add_queue_runner(qr, collection=graph_lib.GraphKeys.QUEUE_RUNNERS):
    """Adds `qr` to the default graph's `collection`, where `start_queue_runners` finds it."""
    graph_lib.get_default_graph().add_to_collection(collection, qr)


def start_queue_runners(sess=None, coord=None, daemon=True, start=True,
                        collection=graph_lib.GraphKeys.QUEUE_RUNNERS):
    """Starts the threads of every queue runner in `sess`'s graph's `collection`.

    Example:
        >>> coord = tf.train.Coordinator()
        >>> threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        >>> ...; coord.request_stop(); coord.join(threads)
    """
    if sess is None:
        from tensorflux.client import session as session_lib

        sess = session_lib.get_default_session()
        if sess is None:
            raise ValueError("Cannot start queue runners: No default session is registered. "
                             "Use `with sess.as_default()` or pass an explicit session to "
                             "tf.start_queue_runners(sess=sess)")
    tf_sess = getattr(sess, "_tf_sess", None)  # a MonitoredSession starts its own
    graph = sess.graph
    threads = []
    with graph.as_default():
        for qr in graph.get_collection(collection):
            threads.extend(qr.create_threads(tf_sess or sess, coord=coord, daemon=daemon,
                                             start=start))
    return threads


__all__ = ["QueueRunner", "add_queue_runner", "start_queue_runners"]
