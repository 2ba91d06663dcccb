"""Compatibility entry points: `tensorflux.compat.v1` (the same TF1 namespace)."""

from tensorflux.compat import v1  # noqa: F401
