"""What devices this machine has, as far as tensorflux's backends can use them."""

import functools
import os


@functools.lru_cache(maxsize=None)
def gpu_count():
    """Number of GPUs visible to JAX (0 when JAX is missing or has no GPU backend)."""
    if os.environ.get("TENSORFLUX_NO_GPU"):
        return 0
    try:
        import importlib.util

        if importlib.util.find_spec("jax") is None:
            return 0
        import jax

        return len([d for d in jax.devices() if d.platform == "gpu"])
    except Exception:  # noqa: BLE001 - any JAX start-up failure means "no GPU"
        return 0
