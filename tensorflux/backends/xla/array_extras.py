"""XLA kernels for the array extras (ops/array_extras.py). DynamicPartition (output shapes
depend on values) has none; the others are shape-static."""

import jax
import jax.numpy as jnp
import numpy as np

from tensorflux.backends.numpy.array_extras import check_unravel_dims
from tensorflux.backends.xla.kernel import fail_if, kernel


@kernel("Roll", static=(1, 2))
def _roll(op):
    def run(x, shift, axis):
        shift = tuple(int(s) for s in np.atleast_1d(shift))
        axis = tuple(int(a) for a in np.atleast_1d(axis))
        if len(shift) != len(axis):
            raise ValueError("shift and axis must have the same size")
        return jnp.roll(x, shift, axis)
    return run


def _bound(side):
    def builder(op):
        dtype = op._attrs["out_type"].as_numpy_dtype

        def run(seq, vals):
            if seq.shape[0] != vals.shape[0]:
                raise ValueError("leading dimensions differ")
            out = jax.vmap(lambda s, v: jnp.searchsorted(s, v, side=side))(seq, vals)
            return out.astype(dtype)
        return run
    return builder


kernel("LowerBound")(_bound("left"))
kernel("UpperBound")(_bound("right"))


@kernel("HistogramFixedWidth", static=(2,))
def _histogram(op):
    dtype = op._attrs["dtype"].as_numpy_dtype

    def run(values, value_range, nbins):
        nbins = int(nbins)
        if nbins <= 0:
            raise ValueError("nbins must be positive")
        # float64 like the numpy kernel, so both put boundary values in the same bin
        lo, hi = value_range[0].astype(jnp.float64), value_range[1].astype(jnp.float64)
        scaled = (values.ravel().astype(jnp.float64) - lo) / ((hi - lo) / nbins)
        idx = jnp.floor(jnp.clip(scaled, 0, nbins - 1)).astype(jnp.int32)
        return jnp.zeros(nbins, dtype).at[idx].add(jnp.ones((), dtype))
    return run


@kernel("EnsureShape")
def _ensure_shape(op):
    want = op._attrs["shape"]

    def run(x):
        if not want.is_compatible_with(x.shape):
            raise ValueError("EnsureShape: shape mismatch")
        return x
    return run


@kernel("ParallelConcat")
def _parallel_concat(op):
    return lambda *parts: jnp.concatenate(parts, axis=0)


@kernel("UnravelIndex", static=(1,), checks=True)
def _unravel_index(op):
    def run(indices, dims):
        dims = check_unravel_dims(dims)
        fail_if((indices < 0) | (indices >= int(np.prod(dims))))
        return jnp.stack(jnp.unravel_index(indices, dims)).astype(indices.dtype)
    return run
