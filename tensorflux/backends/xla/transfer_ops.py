"""XLA kernels for the plan-only transfer ops (ops/transfer_ops.py): 16-bit wire formats.

On a GPU the `_Send` runs inside the device's executable, so only the 16-bit values leave it.
"""

import jax
import jax.numpy as jnp

from tensorflux.backends.xla.kernel import kernel


def _encode(wire):
    if wire == "bfloat16":  # XLA's convert rounds to nearest even
        return lambda x: jax.lax.bitcast_convert_type(
            jnp.asarray(x, jnp.float32).astype(jnp.bfloat16), jnp.uint16)
    if wire == "float16":
        return lambda x: jnp.asarray(x, jnp.float32).astype(jnp.float16)
    return lambda x: x


def _decode(wire):
    if wire == "bfloat16":
        return lambda u: jax.lax.bitcast_convert_type(
            jnp.asarray(u, jnp.uint16), jnp.bfloat16).astype(jnp.float32)
    if wire == "float16":
        return lambda h: jnp.asarray(h).astype(jnp.float32)
    return lambda x: x


@kernel("_Send")
def _send(op):
    return _encode(op._attrs["wire_dtype"])


@kernel("_Recv")
def _recv(op):
    return _decode(op._attrs["wire_dtype"])
