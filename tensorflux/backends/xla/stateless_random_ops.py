"""XLA kernels for the stateless random ops: the numpy backend's Philox code on jax.numpy.

The values equal the numpy backend's (and TF's CPU kernels'). The `alg` input is not checked
here (it may be a traced value): every algorithm draws Philox streams.
"""

import jax.numpy as jnp
import numpy as np

from tensorflux.backends.numpy import philox
from tensorflux.backends.numpy.stateless_random_ops import _DRAW, _kind, dims
from tensorflux.backends.xla.kernel import fail_if, kernel
from tensorflux.ops import stateless_random_ops as sro


def _sized(draw, shape, dtype, *args):
    shape = dims(shape)
    size = int(np.prod(shape, dtype=np.int64))
    return draw(*args[:2], size, *args[2:], dtype, jnp).reshape(shape)


def _key_counter(key, counter):
    return jnp.ravel(key)[0], jnp.ravel(counter)[:2]


def _float_v1(op):
    draw, npd = _DRAW[_kind(op.type)], op._attrs["dtype"].as_numpy_dtype
    return lambda shape, seed: _sized(draw, shape, npd, *philox.seed_to_key_counter(seed, jnp))


def _float_v2(op):
    draw, npd = _DRAW[_kind(op.type)], op._attrs["dtype"].as_numpy_dtype
    return lambda shape, key, counter, alg: _sized(draw, shape, npd, *_key_counter(key, counter))


for _t in sro.FLOAT_OPS_V1:
    kernel(_t, static=(0,))(_float_v1)
for _t in sro.FLOAT_OPS_V2:
    kernel(_t, static=(0,))(_float_v2)


@kernel("StatelessRandomUniformInt", static=(0,), checks=True)
def _uniform_int(op):
    npd = op._attrs["dtype"].as_numpy_dtype

    def run(shape, seed, lo, hi):
        fail_if(lo >= hi)
        key, counter = philox.seed_to_key_counter(seed, jnp)
        return _sized(philox.uniform_int, shape, npd, key, counter, lo, hi)
    return run


@kernel("StatelessRandomUniformIntV2", static=(0,), checks=True)
def _uniform_int_v2(op):
    npd = op._attrs["dtype"].as_numpy_dtype

    def run(shape, key, counter, alg, lo, hi):
        fail_if(lo >= hi)
        return _sized(philox.uniform_int, shape, npd, *_key_counter(key, counter), lo, hi)
    return run


@kernel("StatelessRandomGetKeyCounter")
def _get_key_counter(op):
    def run(seed):
        key, counter = philox.seed_to_key_counter(seed, jnp)
        return jnp.reshape(key, (1,)), counter
    return run


@kernel("StatelessRandomGetKeyCounterAlg")
def _get_key_counter_alg(op):
    def run(seed):
        key, counter = philox.seed_to_key_counter(seed, jnp)
        return jnp.reshape(key, (1,)), counter, jnp.int32(sro.PHILOX)
    return run


@kernel("StatelessRandomGetAlg")
def _get_alg(op):
    return lambda: jnp.int32(sro.PHILOX)
