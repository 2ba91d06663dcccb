"""XLA kernels for random ops (ops/random_ops.py): one PRNG key per op, threaded through the state.

The streams differ from the numpy backend's (numpy's Generator vs. jax's threefry); seeds still
make runs repeatable, and each run draws fresh numbers, as in TF.
"""

import jax
import jax.numpy as jnp
import numpy as np

from tensorflux.backends.xla.kernel import fail_if, kernel


def _dims(shape):
    return tuple(int(d) for d in np.asarray(shape).ravel())


@kernel("RandomStandardNormal", static=(0,), rng=True)
def _normal(op):
    dt = op._attrs["dtype"].as_numpy_dtype
    return lambda state, shape: jax.random.normal(state.rng_key(op), _dims(shape), dt)


@kernel("TruncatedNormal", static=(0,), rng=True)
def _truncated(op):
    dt = op._attrs["dtype"].as_numpy_dtype
    return lambda state, shape: jax.random.truncated_normal(state.rng_key(op), -2.0, 2.0,
                                                            _dims(shape), dt)


@kernel("RandomUniform", static=(0,), rng=True)
def _uniform(op):
    dt = op._attrs["dtype"].as_numpy_dtype
    return lambda state, shape: jax.random.uniform(state.rng_key(op), _dims(shape), dt)


@kernel("RandomUniformInt", static=(0,), rng=True, checks=True)
def _uniform_int(op):
    def run(state, shape, lo, hi):
        fail_if(lo >= hi)
        return jax.random.randint(state.rng_key(op), _dims(shape), lo, hi, dtype=lo.dtype)
    return run


@kernel("RandomShuffle", rng=True)
def _shuffle(op):
    def run(state, x):
        if x.ndim == 0:
            return x
        return jax.random.permutation(state.rng_key(op), x, axis=0, independent=False)
    return run


@kernel("Multinomial", static=(1,), rng=True)
def _multinomial(op):
    dt = op._attrs["output_dtype"].as_numpy_dtype

    def run(state, logits, n):
        n = int(n)
        z = logits.astype(jnp.float64) if logits.dtype != jnp.float64 else logits
        draws = jax.random.categorical(state.rng_key(op), z, axis=-1, shape=(n, z.shape[0]))
        return draws.T.astype(dt)
    return run
