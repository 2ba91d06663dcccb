"""oneDNN through its C API (ctypes, no compiler): the numpy backend's fast CPU kernels.

With oneDNN installed (`pip install tensorflux[fast]`: the `onednn-cpu-gomp` wheel, oneDNN 3.2
built with GNU OpenMP) and `$TENSORFLUX_KERNELS` not `reference`, the numpy backend's float32
kernels run here: Conv2D/Conv3D and their input and filter gradients, MaxPool/AvgPool (2-D,
3-D) and the max-pool gradient, 2-D MatMul, BiasAddGrad (a GEMV), inference-mode
FusedBatchNormV3, and the fusion pass's conv/matmul + bias. Otherwise (other dtypes, shapes
oneDNN declines, `TENSORFLUX_KERNELS=reference`, oneDNN absent) the pure-numpy reference
kernels run; every fast kernel is tested against them (`tests/backends/test_fast_kernels.py`).
Known differences: max pooling skips NaN inputs (as TensorFlow's CPU kernel does; the
reference propagates them); results differ from the reference by float32 rounding.

Modules: `_capi` (prototypes and enum values of `dnnl.h`), `primitives` (memory descriptors
from numpy strides, the primitive cache, execution), `conv`, `pool`, `matmul`, `norm` (the
operations), `threads` (the thread pool that the numpy-side fast paths share).

oneDNN runs on its OpenMP threads (default: one per usable core; `OMP_NUM_THREADS` overrides),
which sleep when idle (`OMP_WAIT_POLICY=PASSIVE` unless `OMP_WAIT_POLICY` or `GOMP_SPINCOUNT` is
set). A process forked after oneDNN ran falls back to numpy (GNU OpenMP would hang there).

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
