"""CPU threads for the fast kernels' numpy parts: as many as oneDNN uses, in one small pool.

numpy releases the GIL inside its loops, so a large elementwise job split into one contiguous
range per thread runs on every core. `split(fn, n)` calls `fn(lo, hi)` on such ranges (the
calling thread takes the first) and returns when all are done; ranges are multiples of `align`
elements. Pools (`pool(name, size)`, one per name, so that a task of one pool may wait for
another's) are made lazily and again after a fork (a forked child has no threads).
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

from tensorflux.backends.onednn import primitives

_POOLS = {}  # name -> (pid, size, pool)
_LOCK = threading.Lock()


def usable_cores():
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def workers():
    """Threads to use: $OMP_NUM_THREADS (as oneDNN's OpenMP does), else the usable cores; one
    inside `primitives.one_core()`."""
    if primitives.on_one_core():
        return 1
    try:
        n = int(os.environ.get("OMP_NUM_THREADS", "0").split(",")[0])
    except ValueError:
        n = 0
    return max(1, n if n > 0 else usable_cores())


def pool(name, size):
    """The thread pool `name` with at least `size` threads (made again after a fork)."""
    with _LOCK:
        entry = _POOLS.get(name)
        if entry is None or entry[0] != os.getpid() or entry[1] < size:
            entry = _POOLS[name] = (os.getpid(), size, ThreadPoolExecutor(size, name))
        return entry[2]


def split(fn, n, min_size, align=1):
    """Runs `fn(lo, hi)` over `[0, n)`: in one call when `n < min_size` or with one thread,
    else in one contiguous range per thread."""
    k = workers() if n >= min_size else 1
    per = -(-n // max(k, 1))
    per = -(-per // align) * align
    if k <= 1 or per >= n:
        fn(0, n)
        return
    ranges = [(lo, min(n, lo + per)) for lo in range(0, n, per)]
    helpers = pool("tensorflux-fast", len(ranges) - 1)
    futures = [helpers.submit(fn, lo, hi) for lo, hi in ranges[1:]]
    try:
        fn(*ranges[0])
    finally:
        for f in futures:
            f.result()
