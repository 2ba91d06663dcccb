"""`tf.distributions`: TF 1.x's probability distributions, composed from public ops.

    >>> import tensorflux as tf
    >>> d = tf.distributions.Normal(loc=0., scale=1.)
    >>> kl = tf.distributions.kl_divergence(d, tf.distributions.Normal(1., 2.))
"""

from tensorflux.distributions.bernoulli import Bernoulli
from tensorflux.distributions.beta import Beta
from tensorflux.distributions.categorical import Categorical
from tensorflux.distributions.dirichlet import Dirichlet
from tensorflux.distributions.dirichlet_multinomial import DirichletMultinomial
from tensorflux.distributions.distribution import (
    FULLY_REPARAMETERIZED,
    NOT_REPARAMETERIZED,
    Distribution,
    ReparameterizationType,
)
from tensorflux.distributions.gamma import Exponential, Gamma
from tensorflux.distributions.kullback_leibler import RegisterKL, kl_divergence
from tensorflux.distributions.laplace import Laplace
from tensorflux.distributions.multinomial import Multinomial
from tensorflux.distributions.normal import Normal
from tensorflux.distributions.student_t import StudentT
from tensorflux.distributions.uniform import Uniform

__all__ = [
    "Bernoulli", "Beta", "Categorical", "Dirichlet", "DirichletMultinomial", "Distribution",
    "Exponential", "FULLY_REPARAMETERIZED", "Gamma", "Laplace", "Multinomial",
    "NOT_REPARAMETERIZED", "Normal", "RegisterKL", "ReparameterizationType", "StudentT",
    "Uniform", "kl_divergence",
]
