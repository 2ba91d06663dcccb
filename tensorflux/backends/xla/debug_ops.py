"""XLA kernels for debugging ops (ops/debug_ops.py): checks that XLA flags and numpy reports.

Print, PrintV2 and py_func have no kernel here: they need the host, and plans holding them run
them after the XLA part (split.py) or on numpy.
"""

import jax.numpy as jnp

from tensorflux.backends.xla.kernel import fail_if, kernel


@kernel("Assert", checks=True)
def _assert(op):
    def run(state, cond, *data):
        if jnp.ndim(cond) != 0:
            raise ValueError("Assert's condition must be a scalar")
        fail_if(jnp.logical_not(cond))
        return ()
    return run


@kernel("CheckNumerics", checks=True)
def _check_numerics(op):
    def run(x):
        fail_if(jnp.logical_not(jnp.all(jnp.isfinite(x))))
        return x
    return run


@kernel("IdentityN")
def _identity_n(op):
    return lambda *xs: list(xs) if len(xs) != 1 else xs[0]
