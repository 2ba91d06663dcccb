"""oneDNN through its C API (ctypes, no compiler): the numpy backend's fast CPU kernels.

The numpy backend's convolution, pooling and ReLU-gradient kernels call in here when oneDNN is
installed (`pip install tensorflux[fast]`, the `onednn-cpu-gomp` wheel) and
`$TENSORFLUX_KERNELS` is not `reference`; otherwise they run their pure-numpy reference code,
which every fast kernel is tested against. oneDNN runs on its OpenMP threads (default: one per
core; `OMP_NUM_THREADS` overrides), which sleep when idle (`OMP_WAIT_POLICY=PASSIVE` unless
or `GOMP_SPINCOUNT` set otherwise).

    >>> from tensorflux.backends import onednn
    >>> rt = onednn.runtime()   # None when oneDNN is absent or switched off
"""

import os

_STATE = {}


def kernels_mode():
    """`reference` (pure numpy) or `fast` (oneDNN where available), from $TENSORFLUX_KERNELS."""
    mode = os.environ.get("TENSORFLUX_KERNELS", "fast").strip().lower()
    if mode not in ("fast", "reference"):
        raise ValueError("TENSORFLUX_KERNELS must be 'fast' or 'reference', not %r" % mode)
    return mode


def load_error():
    """Why oneDNN could not be loaded (a string), or None if it loaded (or was not tried)."""
    return _STATE.get("error")


def library():
    """The oneDNN runtime, loading it on first use; None when it cannot be loaded."""
    if "runtime" not in _STATE:
        # OpenMP threads that sleep at once when idle (unless the user chose otherwise): with
        # the default spinning, a busy machine (other processes on the cores) stalls every
        # parallel region; measured 2.5x slower steps at load 24 on 2 cores. libgomp reads the
        # variable when it is loaded, so it is set only around the load.
        added = "OMP_WAIT_POLICY" not in os.environ and "GOMP_SPINCOUNT" not in os.environ
        if added:
            os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
        try:
            from tensorflux.backends.onednn import _capi, primitives

            _STATE["runtime"] = primitives.Runtime(_capi.load())
        except (OSError, RuntimeError) as e:
            _STATE["runtime"] = None
            _STATE["error"] = str(e)
        finally:
            if added:
                del os.environ["OMP_WAIT_POLICY"]
    return _STATE["runtime"]


def runtime():
    """The oneDNN runtime for fast kernels, or None (absent, or `TENSORFLUX_KERNELS=reference`)."""
    if kernels_mode() == "reference":
        return None
    return library()


def available():
    """True if oneDNN loads on this machine (whatever `TENSORFLUX_KERNELS` says)."""
    return library() is not None


__all__ = ["available", "kernels_mode", "library", "load_error", "runtime"]
