"""XLA kernels for NaN-safe products and special functions (ops/special_ops.py)."""

import jax.numpy as jnp
import jax.scipy.special as jsp

from tensorflux.backends.xla.kernel import kernel


def _zero_where(cond, value):
    return jnp.where(cond, jnp.zeros((), value.dtype), value)


@kernel("Xlogy")
def _xlogy(op):
    return lambda x, y: _zero_where(x == 0, x * jnp.log(y))


@kernel("Xdivy")
def _xdivy(op):
    return lambda x, y: _zero_where(x == 0, x / y)


@kernel("MulNoNan")
def _mul_no_nan(op):
    return lambda x, y: _zero_where(y == 0, x * y)


@kernel("Erfinv")
def _erfinv(op):
    return lambda x: jsp.erfinv(x).astype(x.dtype)


@kernel("Ndtri")
def _ndtri(op):
    return lambda x: jsp.ndtri(x).astype(x.dtype)
