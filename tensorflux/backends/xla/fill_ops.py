"""XLA kernels for generated tensors (ops/fill_ops.py): Fill, *Like, Range, LinSpace, OneHot."""

import jax.numpy as jnp
import numpy as np

from tensorflux.backends.xla.kernel import kernel


@kernel("Fill", static=(0,))
def _fill(op):
    def run(dims, value):
        dims = [int(d) for d in np.asarray(dims).ravel()]
        if np.ndim(value) != 0 or any(d < 0 for d in dims):
            raise ValueError("bad fill")
        return jnp.full(dims, value, dtype=value.dtype)
    return run


@kernel("ZerosLike")
def _zeros_like(op):
    return lambda x: jnp.zeros(x.shape, x.dtype)


@kernel("OnesLike")
def _ones_like(op):
    return lambda x: jnp.ones(x.shape, x.dtype)


@kernel("Range", static=(0, 1, 2))
def _range(op):
    fn = op.op_def.kernels["numpy"](op)  # all inputs static: the numpy kernel is exact
    return fn


@kernel("LinSpace", static=(2,))
def _linspace(op):
    dt = op.outputs[0].dtype.as_numpy_dtype

    def run(start, stop, num):
        n = int(num)
        if n <= 0:
            raise ValueError("Requires num > 0: %d" % n)
        start = jnp.asarray(start, jnp.float64)
        stop = jnp.asarray(stop, jnp.float64)
        if n == 1:
            return jnp.reshape(start, (1,)).astype(dt)
        step = (stop - start) / (n - 1)
        out = start + jnp.arange(n, dtype=jnp.float64) * step
        return out.at[-1].set(stop).astype(dt)
    return run


@kernel("OneHot", static=(1,))
def _one_hot(op):
    axis = op._attrs["axis"]
    dt = op.outputs[0].dtype.as_numpy_dtype

    def run(indices, depth, on, off):
        d = int(depth)
        if d < 0 or (axis != -1 and not 0 <= axis <= indices.ndim):
            raise ValueError("bad one_hot")
        hot = jnp.expand_dims(indices, -1) == jnp.arange(d, dtype=indices.dtype)
        out = jnp.where(hot, on, off).astype(dt)
        return out if axis == -1 else jnp.moveaxis(out, -1, axis)
    return run
