"""XLA kernels for variable ops (ops/state_ops.py): they rebind values in the traced state."""

import jax.numpy as jnp

from tensorflux.backends.xla.kernel import kernel
from tensorflux.ops import state_ops


@kernel("Assign", reads_refs=False)
def _assign(op):
    key = state_ops.variable_key(op.inputs[0])
    validate = op._attrs.get("validate_shape", True)
    static = op.inputs[0].shape
    dtype = op.inputs[0].dtype.base_dtype.as_numpy_dtype

    def run(state, value):
        if validate and not static.is_compatible_with(value.shape):
            raise ValueError("Assign requires shapes of both tensors to match")
        value = jnp.asarray(value, dtype=dtype)
        state.variables[key] = value
        return value
    return run


def _update(fn):
    def builder(op):
        key = state_ops.variable_key(op.inputs[0])

        def run(state, value):
            old = state.read(key)
            new = fn(old, value)
            if new.shape != old.shape:
                raise ValueError("update changes the variable's shape")
            new = new.astype(old.dtype)
            state.variables[key] = new
            return new
        return run
    return builder


kernel("AssignAdd")(_update(jnp.add))
kernel("AssignSub")(_update(jnp.subtract))
