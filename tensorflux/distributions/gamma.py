"""`tf.distributions.Gamma` (concentration, rate) and its special case `Exponential(rate)`."""

import numpy as np

import tensorflux as tf
from tensorflux.distributions import distribution, kullback_leibler, util
from tensorflux.ops.gamma_ops import igamma, random_gamma


class Gamma(distribution.Distribution):
    """Gamma(concentration, rate): density `x**(c - 1) exp(-rate x) rate**c / Gamma(c)`.

        >>> d = tf.distributions.Gamma(concentration=2., rate=[1., 3.])
        >>> d.mean()   # [2., 2/3]
    """

    def __init__(self, concentration, rate, validate_args=False, allow_nan_stats=True,
                 name="Gamma"):
        parameters = dict(locals())
        with tf.name_scope(name, values=[concentration, rate]) as name:
            checks = util.maybe_assert_positive([concentration, rate], validate_args)
            with tf.control_dependencies(checks):
                self._concentration = util.identity_param(concentration, "concentration")
                self._rate = util.identity_param(rate, "rate")
                util.assert_same_float_dtype([self._concentration, self._rate])
        super().__init__(dtype=self._concentration.dtype,
                         reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                         parameters=parameters,
                         graph_parents=[self._concentration, self._rate], name=name)

    @staticmethod
    def _param_shapes(sample_shape):
        return distribution.param_shapes_for(('concentration', 'rate'), sample_shape)

    @property
    def concentration(self):
        """Concentration (shape) parameter."""
        return self._concentration

    @property
    def rate(self):
        """Rate (inverse scale) parameter."""
        return self._rate

    def _batch_shape_tensor(self):
        return tf.broadcast_dynamic_shape(tf.shape(self.concentration), tf.shape(self.rate))

    def _batch_shape(self):
        return tf.broadcast_static_shape(self.concentration.shape, self.rate.shape)

    def _event_shape(self):
        return tf.TensorShape([])

    def _sample_n(self, n, seed=None):
        return random_gamma(shape=[n], alpha=self.concentration, beta=self.rate,
                            dtype=self.dtype, seed=seed)

    def _log_prob(self, x):
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _cdf(self, x):
        x = self._maybe_assert_valid_sample(x)
        # Note that igamma returns the regularized incomplete gamma function, which is what
        # we want for the CDF.
        return igamma(self.concentration, self.rate * x)

    def _log_unnormalized_prob(self, x):
        x = self._maybe_assert_valid_sample(x)
        return tf.math.xlogy(self.concentration - 1., x) - self.rate * x

    def _log_normalization(self):
        return tf.lgamma(self.concentration) - self.concentration * tf.log(self.rate)

    def _entropy(self):
        return (self.concentration - tf.log(self.rate) + tf.lgamma(self.concentration)
                + ((1. - self.concentration) * tf.digamma(self.concentration)))

    def _mean(self):
        return self.concentration / self.rate

    def _variance(self):
        return self.concentration / tf.square(self.rate)

    def _stddev(self):
        return tf.sqrt(self.concentration) / self.rate

    def _mode(self):
        mode = (self.concentration - 1.) / self.rate
        if self.allow_nan_stats:
            nan = tf.fill(tf.shape(mode), np.array(np.nan, dtype=self.dtype.as_numpy_dtype),
                          name="nan")
            return tf.where(self.concentration + tf.zeros_like(mode) > 1., mode, nan)
        with tf.control_dependencies([tf.assert_less(
                tf.ones([], self.dtype), self.concentration,
                message="mode not defined when any concentration <= 1")]):
            return tf.identity(mode)

    def _maybe_assert_valid_sample(self, x):
        util.assert_same_float_dtype([x], dtype=self.dtype)
        if not self.validate_args:
            return x
        with tf.control_dependencies([tf.assert_positive(x)]):
            return tf.identity(x)


class Exponential(Gamma):
    """Exponential(rate): `Gamma(concentration=1, rate)`, sampled as `-log(U) / rate`."""

    def __init__(self, rate, validate_args=False, allow_nan_stats=True, name="Exponential"):
        parameters = dict(locals())
        with tf.name_scope(name, values=[rate]) as name:
            self._rate = tf.convert_to_tensor(rate, name="rate")
        super().__init__(concentration=tf.constant(1, dtype=self._rate.dtype, name="ones"),
                         rate=self._rate,
                         allow_nan_stats=allow_nan_stats, validate_args=validate_args,
                         name=name)
        self._parameters = parameters
        self._parameters.pop("self", None)
        self._parameters.pop("__class__", None)
        self._graph_parents += [self._rate]

    @staticmethod
    def _param_shapes(sample_shape):
        return distribution.param_shapes_for(("rate",), sample_shape)

    @property
    def rate(self):
        return self._rate

    def _sample_n(self, n, seed=None):
        shape = tf.concat([[n], tf.shape(self._rate)], 0)
        # Uniform on (0, 1): the smallest positive value keeps log() finite.
        sampled = tf.random_uniform(shape, minval=np.finfo(self.dtype.as_numpy_dtype).tiny,
                                    maxval=1., seed=seed, dtype=self.dtype)
        return -tf.log(sampled) / self._rate


@kullback_leibler.RegisterKL(Gamma, Gamma)
def _kl_gamma_gamma(g0, g1, name=None):
    """KL(g0 || g1) of two batches of Gammas."""
    with tf.name_scope(name, "kl_gamma_gamma",
                       values=[g0.concentration, g0.rate, g1.concentration, g1.rate]):
        return (((g0.concentration - g1.concentration) * tf.digamma(g0.concentration))
                + tf.lgamma(g1.concentration)
                - tf.lgamma(g0.concentration)
                + g1.concentration * tf.log(g0.rate)
                - g1.concentration * tf.log(g1.rate)
                + g0.concentration * (g1.rate / g0.rate - 1.))
