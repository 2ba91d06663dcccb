"""Single-pass optimizer update loops compiled with numba, when it is installed.

numpy performs one operation per pass over memory: Adam's rule is twelve of them (three
arithmetic passes for `m`, four for `v`, five for the variable), so even in cache-sized chunks
an update of the deck CNN's 3.2M-weight dense layer costs 4.5 ms on 2 cores. One compiled loop
reads `var, m, v, grad` once and writes the three results: 1.8 ms. TensorFlow's Eigen kernel is
such a loop.

Exactness: each loop performs the reference rule's operations (training_ops.py) in the same
order and in the variable's dtype; numba's default (no `fastmath`) neither reorders nor fuses
floating-point operations, so the results are bitwise the reference's (tested).

No wait for a compile: the first request for a loop starts compiling it on a background thread
and returns None, so that update runs on the numpy path; later requests get the compiled loop
once it is ready. Compiled code is cached on disk (numba's `cache=True`), so later processes
load it instead of compiling. Without numba, or if the compile fails, every request returns None.
The loops release the GIL (`nogil`), and the caller splits an update into one range per thread,
passing each loop slices: a loop over `range(len)` from 0 is vectorized, one over `range(lo, hi)`
is not (numba cannot rule out negative indices there): 2.6 against 8 ms on one core.
"""

import os
import threading
import time

import numpy as np

_LOCK = threading.Lock()
_STATE = {}  # (rule, dtype name) -> "compiling" | compiled function | None (unavailable)


def _after_fork_in_child():
    """A forked child has no compile thread: forget compiles that were under way (they start
    again on the next request) and take a fresh lock (the parent's may have been held)."""
    global _LOCK
    _LOCK = threading.Lock()
    for key in [k for k, v in _STATE.items() if isinstance(v, str)]:
        del _STATE[key]


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _adam(var, m, v, g, alpha, b1c, b2c, eps, nvar, nm, nv):
    for i in range(var.shape[0]):
        gi = g[i]
        mi = m[i]
        vi = v[i]
        mi = (gi - mi) * b1c + mi
        vi = (gi * gi - vi) * b2c + vi
        nm[i] = mi
        nv[i] = vi
        nvar[i] = var[i] - (mi * alpha) / (np.sqrt(vi) + eps)


def _momentum(var, accum, g, lr, momentum, nvar, nacc):
    for i in range(var.shape[0]):
        a = accum[i] * momentum + g[i]
        nacc[i] = a
        nvar[i] = var[i] - a * lr


def _momentum_nesterov(var, accum, g, lr, momentum, nvar, nacc):
    for i in range(var.shape[0]):
        gi = g[i]
        a = accum[i] * momentum + gi
        nacc[i] = a
        nvar[i] = var[i] - (gi * lr + a * momentum * lr)


def _gradient_descent(var, delta, alpha, nvar):
    for i in range(var.shape[0]):
        nvar[i] = var[i] - alpha * delta[i]


# rule -> (loop, (array inputs, scalars, outputs)): the order of the loop's arguments
_PYTHON = {"adam": (_adam, (4, 4, 3)), "momentum": (_momentum, (3, 2, 2)),
           "momentum_nesterov": (_momentum_nesterov, (3, 2, 2)),
           "gradient_descent": (_gradient_descent, (2, 1, 1))}


def _compile(rule, dtype):
    try:
        import numba

        python, (nin, nscal, nout) = _PYTHON[rule]
        fn = numba.njit(nogil=True, cache=True, error_model="numpy")(python)
        scalar = {"float32": numba.float32, "float64": numba.float64}[dtype]
        # the inputs may be read-only arrays (sealed values), the outputs are not
        ro = numba.types.Array(scalar, 1, "C", readonly=True)
        sig = numba.void(*([ro] * nin + [scalar] * nscal + [scalar[::1]] * nout))
        fn.compile(sig)
        fn.disable_compile()  # any other argument types are an error, not a silent compile
        result = fn
    except Exception:  # noqa: BLE001 - no numba, or it cannot compile here: the numpy path
        result = None
    with _LOCK:
        _STATE[(rule, dtype)] = result
    return result


def loop(rule, dtype, wait=False):
    """The compiled loop for `rule` ("adam", "momentum", "momentum_nesterov",
    "gradient_descent") over 1-D contiguous arrays of `dtype` (float32 or float64), or None
    while it compiles (started on the first call) or where numba is missing.

    Example (with numba installed):
        fn = loop("gradient_descent", np.float32, wait=True)
        fn(var, delta, np.float32(0.1), out)  # out = var - 0.1 * delta
    """
    key = (rule, np.dtype(dtype).name)
    with _LOCK:
        state = _STATE.get(key, "new")
        if state == "new":
            _STATE[key] = "compiling"
            if not wait:
                threading.Thread(target=_compile, args=key, daemon=True,
                                 name="tensorflux-jit").start()
                return None
    if state == "new":
        return _compile(rule, key[1])
    if state == "compiling":
        if not wait:
            return None
        while _STATE.get(key) == "compiling":
            time.sleep(0.01)
        return _STATE.get(key)
    return state


__all__ = ["loop"]
