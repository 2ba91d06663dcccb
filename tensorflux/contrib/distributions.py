"""`tf.contrib.distributions`: the core `tf.distributions` plus the contrib-only families
(the multivariate normals, `OneHotCategorical`, the Gumbel-softmax relaxations, the
softplus-parameterized variants).

    >>> ds = tf.contrib.distributions
    >>> q = ds.MultivariateNormalDiag(loc=mu, scale_diag=sigma)
    >>> kl = ds.kl_divergence(q, ds.MultivariateNormalDiag(loc=tf.zeros_like(mu)))
"""

import tensorflux as tf
from tensorflux.distributions import (
    FULLY_REPARAMETERIZED,
    NOT_REPARAMETERIZED,
    Bernoulli,
    Beta,
    Categorical,
    Dirichlet,
    DirichletMultinomial,
    Distribution,
    Exponential,
    Gamma,
    Laplace,
    Multinomial,
    Normal,
    RegisterKL,
    ReparameterizationType,
    StudentT,
    Uniform,
    kl_divergence,
)
from tensorflux.distributions.independent import Independent
from tensorflux.distributions.mixture_same_family import MixtureSameFamily
from tensorflux.distributions.mvn_diag import (
    MultivariateNormalDiag,
    MultivariateNormalDiagWithSoftplusScale,
)
from tensorflux.distributions.mvn_tril import (
    MultivariateNormalFullCovariance,
    MultivariateNormalTriL,
)
from tensorflux.distributions.onehot_categorical import OneHotCategorical
from tensorflux.distributions.relaxed import (
    ExpRelaxedOneHotCategorical,
    RelaxedBernoulli,
    RelaxedOneHotCategorical,
)


class NormalWithSoftplusScale(Normal):
    """Normal with `scale = softplus(scale)`."""

    def __init__(self, loc, scale, validate_args=False, allow_nan_stats=True,
                 name="NormalWithSoftplusScale"):
        parameters = dict(locals())
        with tf.name_scope(name, values=[scale]) as name:
            super().__init__(loc=loc, scale=tf.nn.softplus(scale, name="softplus_scale"),
                             validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                             name=name)
        parameters.pop("self", None)
        parameters.pop("__class__", None)
        self._parameters = parameters


__all__ = [
    "Bernoulli", "Beta", "Categorical", "Dirichlet", "DirichletMultinomial", "Distribution",
    "ExpRelaxedOneHotCategorical", "Exponential", "FULLY_REPARAMETERIZED", "Gamma",
    "Independent", "Laplace", "MixtureSameFamily", "Multinomial", "MultivariateNormalDiag",
    "MultivariateNormalDiagWithSoftplusScale", "MultivariateNormalFullCovariance",
    "MultivariateNormalTriL", "NOT_REPARAMETERIZED", "Normal", "NormalWithSoftplusScale",
    "OneHotCategorical", "RegisterKL", "RelaxedBernoulli", "RelaxedOneHotCategorical",
    "ReparameterizationType", "StudentT", "Uniform", "kl_divergence",
]
