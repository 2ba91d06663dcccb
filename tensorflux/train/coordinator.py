"""`tf.train.Coordinator`: a stop flag shared by threads, and the exception that stopped them;
`tf.train.LooperThread`: a thread that calls a function repeatedly until the stop.

`start_queue_runners` is re-exported from `train/queue_runner.py`, where the threads it starts are.

Example:
    >>> coord = tf.train.Coordinator()
    >>> threads = tf.train.start_queue_runners(sess, coord)
    >>> coord.request_stop(); coord.join(threads)
"""

import contextlib
import threading
import time

from tensorflux import errors


class Coordinator:
    """Coordinates the termination of a set of threads."""

    def __init__(self, clean_stop_exception_types=None):
        if clean_stop_exception_types is None:
            clean_stop_exception_types = (errors.OutOfRangeError,)
        self._clean_stop_exception_types = tuple(clean_stop_exception_types)
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self._exc_info_to_raise = None
        self._joined = False
        self._registered_threads = set()

    def request_stop(self, ex=None):
        """Asks every thread to stop; an exception `ex` is re-raised by `join()`."""
        with self._lock:
            if isinstance(ex, tuple):
                ex = ex[1]
            if ex is not None and not isinstance(ex, self._clean_stop_exception_types) and \
                    self._exc_info_to_raise is None:
                self._exc_info_to_raise = (type(ex), ex, ex.__traceback__)
            self._stop_event.set()

    def clear_stop(self):
        with self._lock:
            self._joined = False
            self._exc_info_to_raise = None
            self._stop_event.clear()

    def should_stop(self):
        return self._stop_event.is_set()

    @contextlib.contextmanager
    def stop_on_exception(self):
        """Requests a stop (recording the exception) if the block raises."""
        try:
            yield
        except Exception as e:  # noqa: BLE001 - recorded for join()
            self.request_stop(ex=e)

    def wait_for_stop(self, timeout=None):
        return self._stop_event.wait(timeout)

    def register_thread(self, thread):
        with self._lock:
            self._registered_threads.add(thread)

    def join(self, threads=None, stop_grace_period_secs=120, ignore_live_threads=False):
        """Waits for the threads to finish after a stop request; re-raises a recorded error."""
        threads = set(threads or []) | self._registered_threads
        while any(t.is_alive() for t in threads) and not self.wait_for_stop(1.0):
            pass
        deadline = time.time() + stop_grace_period_secs
        for t in threads:
            t.join(max(0.0, deadline - time.time()))
        stragglers = [t.name for t in threads if t.is_alive()]
        with self._lock:
            self._joined = True
            self._registered_threads = set()
            if self._exc_info_to_raise:
                _, ex, tb = self._exc_info_to_raise
                raise ex.with_traceback(tb)
        if stragglers and not ignore_live_threads:
            raise RuntimeError("Coordinator stopped with threads still running: %s"
                               % " ".join(stragglers))

    @property
    def joined(self):
        return self._joined

    def raise_requested_exception(self):
        with self._lock:
            if self._exc_info_to_raise:
                _, ex, tb = self._exc_info_to_raise
                raise ex.with_traceback(tb)


class LooperThread(threading.Thread):
    """A daemon thread that calls `run_loop()` (by default `target(*args, **kwargs)`) until the
    coordinator asks for a stop: back to back, or every `timer_interval_secs` seconds with the
    first call at once. An exception stops the coordinator (`join()` re-raises it).

    Subclasses (the Supervisor's services) override `start_loop`, `run_loop` and `stop_loop`.

    Example:
        >>> coord = tf.train.Coordinator()
        >>> looper = tf.train.LooperThread.loop(coord, 60, print_loss, (sess,))
        >>> ...; coord.request_stop(); coord.join([looper])
    """

    def __init__(self, coord, timer_interval_secs, target=None, args=None, kwargs=None):
        if not isinstance(coord, Coordinator):
            raise ValueError("'coord' argument must be a Coordinator: %s" % coord)
        super().__init__()
        self.daemon = True
        self._coord = coord
        self._timer_interval_secs = timer_interval_secs
        self._target = target
        if target:
            self._args = args or ()
            self._kwargs = kwargs or {}
        elif args or kwargs:
            raise ValueError("'args' and 'kwargs' argument require that you also pass "
                             "'target'")
        coord.register_thread(self)

    @staticmethod
    def loop(coord, timer_interval_secs, target, args=None, kwargs=None):
        """Starts and returns a LooperThread calling `target(*args, **kwargs)`."""
        looper = LooperThread(coord, timer_interval_secs, target=target, args=args,
                              kwargs=kwargs)
        looper.start()
        return looper

    def run(self):
        with self._coord.stop_on_exception():
            self.start_loop()
            if self._timer_interval_secs is None:
                while not self._coord.should_stop():
                    self.run_loop()
            else:
                # Calls fall on fixed time boundaries: a slow call does not shift later ones.
                next_time = time.time()
                while not self._coord.wait_for_stop(max(0.0, next_time - time.time())):
                    next_time += self._timer_interval_secs
                    self.run_loop()
            self.stop_loop()

    def start_loop(self):
        """Called once when the thread starts."""

    def stop_loop(self):
        """Called once when the thread stops (not after an exception)."""

    def run_loop(self):
        """Called at each boundary: runs `target`, if one was given."""
        if self._target:
            self._target(*self._args, **self._kwargs)


def start_queue_runners(sess=None, coord=None, daemon=True, start=True,
                        collection="queue_runners"):
    """See `tensorflux.train.queue_runner.start_queue_runners`."""
    from tensorflux.train import queue_runner

    return queue_runner.start_queue_runners(sess, coord, daemon, start, collection)


__all__ = ["Coordinator", "LooperThread", "start_queue_runners"]
