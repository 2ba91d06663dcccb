"""CPU threads for the fast kernels' numpy parts: as many as oneDNN uses, in one small pool.

numpy releases the GIL inside its loops, so a large elementwise job split into one contiguous
range per thread runs on every core. `split(fn, n)` calls `fn(lo, hi)` on such ranges (the
calling thread takes the first) and returns when all are done; ranges are multiples of `align`
elements. The pool is made lazily and again after a fork (a forked child has no threads).
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

_POOL = {}
_LOCK = threading.Lock()


def workers():
    """Threads to use: $OMP_NUM_THREADS (as oneDNN's OpenMP does), else the usable cores; one
    inside `primitives.one_core()`."""
    from tensorflux.backends.onednn import primitives

    if primitives.on_one_core():
        return 1
    try:
        n = int(os.environ.get("OMP_NUM_THREADS", "0").split(",")[0])
    except ValueError:
        n = 0
    if n <= 0:
        n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
            (os.cpu_count() or 1)
    return max(1, n)


def _pool(size):
    with _LOCK:
        pool = _POOL.get("pool")
        if pool is None or _POOL["pid"] != os.getpid() or _POOL["size"] < size:
            pool = _POOL["pool"] = ThreadPoolExecutor(size, "tensorflux-fast")
            _POOL.update(pid=os.getpid(), size=size)
        return pool


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
    pool = _pool(len(ranges) - 1)
    futures = [pool.submit(fn, lo, hi) for lo, hi in ranges[1:]]
    try:
        fn(*ranges[0])
    finally:
        for f in futures:
            f.result()
