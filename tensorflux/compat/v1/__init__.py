"""`import tensorflux.compat.v1 as tf; tf.disable_eager_execution()` — the TF1 namespace."""

import sys

import tensorflux as _tf

_self = sys.modules[__name__]
for _k in dir(_tf):
    if not _k.startswith("__"):
        setattr(_self, _k, getattr(_tf, _k))
