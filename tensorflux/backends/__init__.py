"""Backends: each folder here compiles a plan into a callable (see `numpy/` for the reference).

XLA's GPU command buffers: XLA records runs of GPU work into CUDA graphs and launches each with
one call. By default it records fusions and library calls but not convolutions, so a conv
net's step breaks into a graph between every two convolutions, and the host launches about a
thousand kernels a step. Once convolutions are recorded too, the host stays well ahead of the
GPU. tensorflux adds them to XLA's default list through XLA_FLAGS, before JAX starts its
backends. It leaves XLA_FLAGS alone if the flag is already there (the user's choice) or if
TENSORFLUX_XLA_GPU_COMMAND_BUFFERS=0. It has no effect once JAX's backends have started, nor
on CPUs.
"""

import importlib
import os

_LOADED = {}
COMMAND_BUFFERS_ENV = "TENSORFLUX_XLA_GPU_COMMAND_BUFFERS"
# XLA's default command types, plus CONVOLUTION
COMMAND_BUFFER_TYPES = ("FUSION", "CUBLAS", "CUBLASLT", "CUSTOM_CALL", "CUDNN",
                        "DYNAMIC_SLICE_FUSION", "CONVOLUTION")


def get(name=None):
    """The backend module called `name` (default: $TENSORFLUX_BACKEND or "numpy")."""
    name = name or os.environ.get("TENSORFLUX_BACKEND", "numpy")
    if name not in _LOADED:
        try:
            _LOADED[name] = importlib.import_module("tensorflux.backends." + name)
        except ImportError as e:
            raise ValueError("Unknown or unavailable tensorflux backend %r: %s" % (name, e)) from e
    return _LOADED[name]


def xla_flags(flags, setting):
    """XLA_FLAGS with tensorflux's GPU command-buffer setting added (see the module docstring):
    `flags` as they are when they set command buffers themselves or when `setting` is "0"."""
    flags = flags or ""
    if setting == "0" or "xla_gpu_enable_command_buffer" in flags:
        return flags
    return (flags + " --xla_gpu_enable_command_buffer=" + ",".join(COMMAND_BUFFER_TYPES)).strip()


_flags = xla_flags(os.environ.get("XLA_FLAGS"), os.environ.get(COMMAND_BUFFERS_ENV, ""))
if _flags != os.environ.get("XLA_FLAGS", ""):
    os.environ["XLA_FLAGS"] = _flags
