"""Backends: each folder here compiles a plan into a callable (see `numpy/` for the reference)."""

import importlib
import os

_LOADED = {}


def get(name=None):
    """The backend module called `name` (default: $TENSORFLUX_BACKEND or "numpy")."""
    name = name or os.environ.get("TENSORFLUX_BACKEND", "numpy")
    if name not in _LOADED:
        try:
            _LOADED[name] = importlib.import_module("tensorflux.backends." + name)
        except ImportError as e:
            raise ValueError("Unknown or unavailable tensorflux backend %r: %s" % (name, e)) from e
    return _LOADED[name]
