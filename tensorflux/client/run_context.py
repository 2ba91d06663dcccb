"""What one `Session.run` tells the kernels that block: its deadline.

`RunOptions(timeout_in_ms=...)` (or `ConfigProto(operation_timeout_in_ms=...)`) bounds a run. A
kernel that waits (a queue's enqueue or dequeue) waits no longer than the deadline of the run
on its thread and then fails with TF's DeadlineExceededError; other kernels are not interrupted
(TF's runtime does not stop a running kernel either). Runs without a timeout pay nothing.
"""

import contextlib
import threading
import time

_LOCAL = threading.local()


def deadline():
    """The `time.monotonic()` by which this thread's run must finish, or None."""
    return getattr(_LOCAL, "deadline", None)


@contextlib.contextmanager
def timeout(ms):
    """Within: this thread's run has `ms` milliseconds (nested runs keep the earlier end)."""
    outer = deadline()
    end = time.monotonic() + ms / 1000.0
    _LOCAL.deadline = end if outer is None else min(outer, end)
    try:
        yield
    finally:
        _LOCAL.deadline = outer


__all__ = ["deadline", "timeout"]
