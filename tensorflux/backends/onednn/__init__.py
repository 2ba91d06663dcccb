"""oneDNN through its C API (ctypes, no compiler): the numpy backend's fast CPU kernels.

The numpy backend's convolution, pooling and ReLU-gradient kernels call in here when oneDNN is
installed (`pip install tensorflux[fast]`, the `onednn-cpu-gomp` wheel) and
`$TENSORFLUX_KERNELS` is not `reference`; otherwise they run their pure-numpy reference code,
which every fast kernel is tested against. oneDNN runs on its OpenMP threads (default: one per
core; `OMP_NUM_THREADS` overrides).

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
        try:
            from tensorflux.backends.onednn import _capi, primitives

            _STATE["runtime"] = primitives.Runtime(_capi.load())
        except (OSError, RuntimeError) as e:
            _STATE["runtime"] = None
            _STATE["error"] = str(e)
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
