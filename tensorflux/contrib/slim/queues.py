"""`slim.queues.QueueRunners`: a context manager that runs the graph's queue runners for the
length of a `with` block, then stops and joins their threads.

Example:
    >>> with tf.Session() as sess:
    ...     sess.run(tf.local_variables_initializer())
    ...     with slim.queues.QueueRunners(sess):
    ...         images_value = sess.run(images)
"""

import contextlib
import threading

from tensorflux.graph import graph as graph_lib
from tensorflux.train import coordinator

_queue_runner_lock = threading.Lock()


class NestedQueueRunnerError(Exception):
    """A `QueueRunners` block was opened inside another."""


@contextlib.contextmanager
def QueueRunners(session):  # noqa: N802 - TF-Slim's public name
    """Starts the threads of the QUEUE_RUNNERS collection of the default graph in `session`;
    on exit asks them to stop and joins them (closing `session` if they do not end).

    Raises:
        NestedQueueRunnerError: If nested in another `QueueRunners` block.
    """
    if not _queue_runner_lock.acquire(False):
        raise NestedQueueRunnerError("QueueRunners cannot be nested")
    coord = coordinator.Coordinator()
    threads = []
    for qr in graph_lib.get_collection(graph_lib.GraphKeys.QUEUE_RUNNERS):
        threads.extend(qr.create_threads(session, coord=coord, daemon=True, start=True))
    try:
        yield
    finally:
        coord.request_stop()
        try:
            coord.join(threads, stop_grace_period_secs=120)
        except RuntimeError:
            session.close()
        _queue_runner_lock.release()


__all__ = ["NestedQueueRunnerError", "QueueRunners"]
