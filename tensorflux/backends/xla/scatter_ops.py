"""XLA kernels for variable scatter ops (ops/scatter_ops.py): they rebind the traced variable.

Out-of-range indices cannot raise inside XLA: they are flagged (`fail_if`) and the run repeats
on numpy, which raises TF's message and leaves the variable as it was.
"""

import jax.numpy as jnp

from tensorflux.backends.xla.kernel import NotCompilable, fail_if, kernel
from tensorflux.ops import state_ops


def _apply(mode, at, updates):
    if mode == "update":
        return at.set(updates, mode="drop")
    if mode == "add":
        return at.add(updates, mode="drop")
    if mode == "sub":
        return at.add(-updates, mode="drop")
    if mode == "mul":
        return at.multiply(updates, mode="drop")
    if mode == "div":
        return at.divide(updates, mode="drop")
    if mode == "min":
        return at.min(updates, mode="drop")
    return at.max(updates, mode="drop")


def _scatter(mode):
    def builder(op):
        key = state_ops.variable_key(op.inputs[0])
        if mode == "div" and not op.inputs[0].dtype.base_dtype.is_floating:
            raise NotCompilable("integer ScatterDiv rounds toward zero: numpy runs it")

        def run(state, indices, updates):
            old = state.read(key)
            fail_if((indices < 0) | (indices >= old.shape[0]))
            updates = jnp.broadcast_to(updates.astype(old.dtype), indices.shape + old.shape[1:])
            new = _apply(mode, old.at[indices], updates)
            state.variables[key] = new
            return new
        return run
    return builder


def _scatter_nd(mode):
    def builder(op):
        key = state_ops.variable_key(op.inputs[0])

        def run(state, indices, updates):
            old = state.read(key)
            depth = indices.shape[-1]
            if depth > old.ndim or updates.shape != indices.shape[:-1] + old.shape[depth:]:
                raise ValueError("bad scatter_nd shapes")
            limits = jnp.asarray(old.shape[:depth], dtype=indices.dtype)
            fail_if(((indices < 0) | (indices >= limits)).any(axis=-1))
            parts = tuple(indices[..., k] for k in range(depth))
            new = _apply(mode, old.at[parts], updates.astype(old.dtype))
            state.variables[key] = new
            return new
        return run
    return builder


for _mode in ("update", "add", "sub", "mul", "div", "min", "max"):
    kernel("Scatter" + _mode.capitalize(), checks=True)(_scatter(_mode))
for _mode in ("update", "add", "sub"):
    kernel("ScatterNd" + _mode.capitalize(), checks=True)(_scatter_nd(_mode))


def _tensor_scatter(mode):
    def builder(op):
        def run(tensor, indices, updates):
            depth = indices.shape[-1] if indices.ndim else 0
            if indices.ndim == 0 or depth > tensor.ndim or \
                    updates.shape != indices.shape[:-1] + tensor.shape[depth:]:
                raise ValueError("bad tensor_scatter shapes")
            limits = jnp.asarray(tensor.shape[:depth], dtype=indices.dtype)
            fail_if(((indices < 0) | (indices >= limits)).any(axis=-1))
            parts = tuple(indices[..., k] for k in range(depth))
            return _apply(mode, jnp.asarray(tensor).at[parts], updates.astype(tensor.dtype))
        return run
    return builder


for _mode in ("update", "add", "sub", "min", "max"):
    kernel("TensorScatter" + _mode.capitalize(), checks=True)(_tensor_scatter(_mode))
