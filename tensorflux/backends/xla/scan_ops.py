"""XLA kernels for cumulative sums and products (ops/scan_ops.py); the axis is static."""

import jax.numpy as jnp
import numpy as np

from tensorflux.backends.numpy.scan_ops import scan_axis
from tensorflux.backends.xla.kernel import kernel


def _scan(fn, identity):
    def builder(op):
        exclusive, reverse = op._attrs["exclusive"], op._attrs["reverse"]

        def run(x, axis):
            a = scan_axis(x, axis)
            y = jnp.flip(x, a) if reverse else x
            out = fn(y, axis=a, dtype=x.dtype)
            if exclusive:
                first = jnp.full(out.shape[:a] + (1,) + out.shape[a + 1:], identity, x.dtype)
                rest = jnp.take(out, np.arange(out.shape[a] - 1), axis=a)
                out = jnp.concatenate([first, rest], axis=a)
            return jnp.flip(out, a) if reverse else out
        return run
    return builder


kernel("Cumsum", static=(1,))(_scan(jnp.cumsum, 0))
kernel("Cumprod", static=(1,))(_scan(jnp.cumprod, 1))
