"""`import tensorflux.compat.v1 as tf; tf.disable_eager_execution()` — the TF1 namespace."""

import sys

import tensorflux as _tf

_self = sys.modules[__name__]
for _k in dir(_tf):
    if not _k.startswith("__"):
        setattr(_self, _k, getattr(_tf, _k))


def __getattr__(name):
    # A name bound on tensorflux after this module was first imported (an import cycle
    # through tensorflux/__init__.py) is still found.
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_tf, name)
