"""`tf.train.SessionRunHook` and the values passed to it (TF 1.x's hook protocol).

A MonitoredSession calls, for every hook: `begin()` before the graph is finalized,
`after_create_session(session, coord)` once the session is ready, `before_run(run_context)`
and `after_run(run_context, run_values)` around every `run` call (the fetches a hook asks for
in `before_run` are run together with the caller's), and `end(session)` at the end.

Example:
    >>> class PrintLoss(tf.train.SessionRunHook):
    ...     def before_run(self, run_context):
    ...         return tf.train.SessionRunArgs(loss)
    ...     def after_run(self, run_context, run_values):
    ...         print(run_values.results)
"""

import collections


class SessionRunHook:
    """The base class: every method is a no-op."""

    def begin(self):
        """Called once before the session is created; the graph may still be changed."""

    def after_create_session(self, session, coord):
        """Called once the session has been created (and restored or initialized)."""

    def before_run(self, run_context):
        """Called before each `run`; may return SessionRunArgs to add fetches and feeds."""
        return None

    def after_run(self, run_context, run_values):
        """Called after each `run` with the results of this hook's fetches."""

    def end(self, session):
        """Called at the end of the session (not after an exception)."""


class SessionRunArgs(collections.namedtuple("SessionRunArgs",
                                            ["fetches", "feed_dict", "options"])):
    """What a hook adds to a `run` call: fetches (any fetch structure), feeds, run options."""

    def __new__(cls, fetches, feed_dict=None, options=None):
        return super().__new__(cls, fetches, feed_dict, options)


class SessionRunContext:
    """What a hook sees about the current `run` call; `request_stop()` ends the loop."""

    def __init__(self, original_args, session):
        self._original_args = original_args
        self._session = session
        self._stop_requested = False

    @property
    def original_args(self):
        """The caller's SessionRunArgs (fetches and feed_dict)."""
        return self._original_args

    @property
    def session(self):
        """The raw Session (running it does not call the hooks)."""
        return self._session

    @property
    def stop_requested(self):
        return self._stop_requested

    def request_stop(self):
        """Makes the MonitoredSession's `should_stop()` true after this run."""
        self._stop_requested = True


class SessionRunValues(collections.namedtuple("SessionRunValues",
                                              ["results", "options", "run_metadata"])):
    """The results of a hook's `before_run` fetches, with the run options and metadata."""
