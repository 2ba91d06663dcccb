"""XLA kernels for array ops (ops/array_ops.py): identities, shapes, reshape, concat, stack."""

import jax.numpy as jnp
import numpy as np

from tensorflux.backends.numpy import array_ops as numpy_array_ops
from tensorflux.backends.xla.kernel import fail_if, kernel


def _ints(v):
    return [int(x) for x in np.asarray(v).ravel()]


@kernel("PlaceholderWithDefault")
@kernel("Identity")
@kernel("Snapshot")
@kernel("StopGradient")
@kernel("PreventGradient")
def _identity(op):
    return lambda x: x


# Shapes are static under jit: these return numpy values, which stay known while tracing.
@kernel("Shape")
def _shape(op):
    dt = op._attrs.get("out_type").as_numpy_dtype
    return lambda x: np.array(x.shape, dtype=dt)


@kernel("Size")
def _size(op):
    dt = op._attrs.get("out_type").as_numpy_dtype
    return lambda x: np.array(int(np.prod(x.shape)), dtype=dt)


@kernel("ShapeN")
def _shape_n(op):
    dt = op._attrs.get("out_type").as_numpy_dtype
    return lambda *xs: [np.array(x.shape, dtype=dt) for x in xs]


@kernel("BroadcastArgs", static=(0, 1))
def _broadcast_args(op):
    def run(s0, s1):
        return np.array(numpy_array_ops.broadcast_args(s0, s1), dtype=np.asarray(s0).dtype)
    return run


@kernel("Rank")
def _rank(op):
    return lambda x: np.array(len(x.shape), dtype=np.int32)


@kernel("Reshape", static=(1,))
def _reshape(op):
    def run(x, shape):
        shape = _ints(shape)
        if shape.count(-1) > 1 or any(d < -1 for d in shape):
            raise ValueError("bad reshape %s" % shape)
        return jnp.reshape(x, shape)
    return run


@kernel("Transpose", static=(1,))
def _transpose(op):
    def run(x, perm):
        perm = _ints(perm)
        if sorted(perm) != list(range(x.ndim)):
            raise ValueError("bad permutation %s for rank %d" % (perm, x.ndim))
        return jnp.transpose(x, perm)
    return run


@kernel("InvertPermutation", checks=True)
def _invperm(op):
    def run(x):
        n = x.shape[0]
        counts = jnp.zeros(n, jnp.int32).at[jnp.where(x < 0, n, x)].add(1, mode="drop")
        fail_if(counts != 1)
        return jnp.zeros_like(x).at[x].set(jnp.arange(n, dtype=x.dtype), mode="drop")
    return run


@kernel("ConcatV2", static=(-1,))
def _concat(op):
    def run(*args):
        axis = int(np.asarray(args[-1]))
        vals = args[:-1]
        r = vals[0].ndim
        if axis < -r or axis >= r or any(v.ndim != r for v in vals):
            raise ValueError("bad concat")
        return jnp.concatenate(vals, axis=axis)
    return run


@kernel("Pack")
def _pack(op):
    axis = op._attrs["axis"]

    def run(*vals):
        if any(v.shape != vals[0].shape for v in vals):
            raise ValueError("Shapes of all inputs must match")
        return jnp.stack(vals, axis=axis)
    return run


@kernel("Unpack")
def _unpack(op):
    axis, num = op._attrs["axis"], op._attrs["num"]

    def run(x):
        if x.shape[axis] != num:
            raise ValueError("Input shape axis %d must equal %d" % (axis, num))
        return [jnp.take(x, i, axis=axis) for i in range(num)]
    return run
