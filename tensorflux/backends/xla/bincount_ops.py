"""XLA kernel for Bincount (ops/bincount_ops.py); the output size is static."""

import jax.numpy as jnp

from tensorflux.backends.numpy.bincount_ops import check_bincount_args
from tensorflux.backends.xla.kernel import fail_if, kernel


@kernel("Bincount", static=(1,), checks=True)
def _bincount(op):
    def run(arr, size, weights):
        check_bincount_args(arr, size, weights)
        size = int(size)
        fail_if(jnp.any(arr < 0))
        ids = jnp.where(arr < 0, size, arr).ravel()  # out of range: dropped below
        w = weights.ravel() if weights.size else jnp.ones(ids.shape, weights.dtype)
        return jnp.zeros((size,), weights.dtype).at[ids].add(w, mode="drop")
    return run
