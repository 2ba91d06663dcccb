"""`tf.random`: TF 1.15's random namespace, the same functions as `tf.random_normal` & co.

    >>> import tensorflux as tf
    >>> noise = tf.random.normal([2, 3], stddev=0.1, seed=1)

The `stateless_*` samplers give TF's exact numbers for a given seed (Philox, as TF's CPU
kernels). `gamma` is `tf.random_gamma`. The `Generator` API, the poisson/binomial samplers and the
stateless gamma sampler are not provided: tensorflux has no kernels for them.
"""

from tensorflux.ops.candidate_sampling_ops import (
    fixed_unigram_candidate_sampler,
    learned_unigram_candidate_sampler,
    log_uniform_candidate_sampler,
    uniform_candidate_sampler,
)
from tensorflux.ops.gamma_ops import random_gamma
from tensorflux.ops.random_ops import (
    categorical,
    get_seed,
    multinomial,
    random_normal,
    random_shuffle,
    random_uniform,
    set_random_seed,
    truncated_normal,
)
from tensorflux.ops.stateless_random_ops import (
    stateless_categorical,
    stateless_multinomial,
    stateless_truncated_normal,
)
from tensorflux.ops.stateless_random_ops import stateless_random_normal as stateless_normal
from tensorflux.ops.stateless_random_ops import stateless_random_uniform as stateless_uniform

gamma = random_gamma
normal = random_normal
uniform = random_uniform
shuffle = random_shuffle

__all__ = [
    "categorical", "fixed_unigram_candidate_sampler", "gamma", "get_seed",
    "learned_unigram_candidate_sampler", "log_uniform_candidate_sampler", "multinomial", "normal",
    "set_random_seed", "shuffle", "stateless_categorical", "stateless_multinomial",
    "stateless_normal", "stateless_truncated_normal", "stateless_uniform", "truncated_normal",
    "uniform", "uniform_candidate_sampler",
]
