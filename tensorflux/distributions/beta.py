"""`tf.distributions.Beta`: densities on (0, 1), sampled as a ratio of two Gamma draws."""

import numpy as np

import tensorflux as tf
from tensorflux.distributions import distribution, kullback_leibler, util
from tensorflux.ops.gamma_ops import betainc, random_gamma


class Beta(distribution.Distribution):
    """Beta(concentration1, concentration0): density `x**(c1 - 1) (1 - x)**(c0 - 1) / B(c1, c0)`.

        >>> d = tf.distributions.Beta(concentration1=2., concentration0=3.)
        >>> d.mean()   # 0.4
    """

    def __init__(self, concentration1=None, concentration0=None, validate_args=False,
                 allow_nan_stats=True, name="Beta"):
        parameters = dict(locals())
        with tf.name_scope(name, values=[concentration1, concentration0]) as name:
            self._concentration1 = self._maybe_assert_valid_concentration(
                tf.convert_to_tensor(concentration1, name="concentration1"), validate_args)
            self._concentration0 = self._maybe_assert_valid_concentration(
                tf.convert_to_tensor(concentration0, name="concentration0"), validate_args)
            util.assert_same_float_dtype([self._concentration1, self._concentration0])
            self._total_concentration = self._concentration1 + self._concentration0
        super().__init__(dtype=self._total_concentration.dtype,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                         reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                         parameters=parameters,
                         graph_parents=[self._concentration1, self._concentration0,
                                        self._total_concentration],
                         name=name)

    @staticmethod
    def _param_shapes(sample_shape):
        return distribution.param_shapes_for(('concentration1', 'concentration0'), sample_shape)

    @property
    def concentration1(self):
        """Concentration parameter associated with a `1` outcome."""
        return self._concentration1

    @property
    def concentration0(self):
        """Concentration parameter associated with a `0` outcome."""
        return self._concentration0

    @property
    def total_concentration(self):
        """Sum of concentration parameters."""
        return self._total_concentration

    def _batch_shape_tensor(self):
        return tf.shape(self.total_concentration)

    def _batch_shape(self):
        return self.total_concentration.shape

    def _event_shape(self):
        return tf.TensorShape([])

    def _sample_n(self, n, seed=None):
        expanded_concentration1 = (tf.ones_like(self.total_concentration, dtype=self.dtype)
                                   * self.concentration1)
        expanded_concentration0 = (tf.ones_like(self.total_concentration, dtype=self.dtype)
                                   * self.concentration0)
        gamma1_sample = random_gamma(shape=[n], alpha=expanded_concentration1,
                                     dtype=self.dtype, seed=seed)
        gamma2_sample = random_gamma(shape=[n], alpha=expanded_concentration0,
                                     dtype=self.dtype,
                                     seed=distribution.gen_new_seed(seed, "beta"))
        return gamma1_sample / (gamma1_sample + gamma2_sample)

    def _log_prob(self, x):
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _prob(self, x):
        return tf.exp(self._log_prob(x))

    def _log_cdf(self, x):
        return tf.log(self._cdf(x))

    def _cdf(self, x):
        x = self._maybe_assert_valid_sample(x)
        return betainc(self.concentration1, self.concentration0, x)

    def _log_unnormalized_prob(self, x):
        x = self._maybe_assert_valid_sample(x)
        return (tf.math.xlogy(self.concentration1 - 1., x)
                + (self.concentration0 - 1.) * tf.log1p(-x))

    def _log_normalization(self):
        return tf.lbeta(tf.stack([self.concentration1, self.concentration0], axis=-1))

    def _entropy(self):
        return (self._log_normalization()
                - (self.concentration1 - 1.) * tf.digamma(self.concentration1)
                - (self.concentration0 - 1.) * tf.digamma(self.concentration0)
                + ((self.total_concentration - 2.) * tf.digamma(self.total_concentration)))

    def _mean(self):
        return self._concentration1 / self._total_concentration

    def _variance(self):
        return self._mean() * (1. - self._mean()) / (1. + self.total_concentration)

    def _mode(self):
        mode = (self.concentration1 - 1.) / (self.total_concentration - 2.)
        if self.allow_nan_stats:
            nan = tf.fill(tf.shape(mode), np.array(np.nan, dtype=self.dtype.as_numpy_dtype),
                          name="nan")
            zeros = tf.zeros_like(mode)
            is_defined = tf.logical_and(self.concentration1 + zeros > 1.,
                                        self.concentration0 + zeros > 1.)
            return tf.where(is_defined, mode, nan)
        with tf.control_dependencies([
                tf.assert_less(tf.ones([], dtype=self.dtype), self.concentration1,
                               message="Mode undefined for concentration1 <= 1."),
                tf.assert_less(tf.ones([], dtype=self.dtype), self.concentration0,
                               message="Mode undefined for concentration0 <= 1.")]):
            return tf.identity(mode)

    def _maybe_assert_valid_concentration(self, concentration, validate_args):
        if not validate_args:
            return concentration
        with tf.control_dependencies([tf.assert_positive(
                concentration, message="Concentration parameter must be positive.")]):
            return tf.identity(concentration)

    def _maybe_assert_valid_sample(self, x):
        util.assert_same_float_dtype([x], dtype=self.dtype)
        if not self.validate_args:
            return x
        with tf.control_dependencies([
                tf.assert_positive(x, message="sample must be positive"),
                tf.assert_less(x, tf.ones([], self.dtype),
                               message="sample must be less than `1`.")]):
            return tf.identity(x)


@kullback_leibler.RegisterKL(Beta, Beta)
def _kl_beta_beta(d1, d2, name=None):
    """KL(d1 || d2) of two batches of Betas."""
    def delta(fn, is_property=True):
        fn1 = getattr(d1, fn)
        fn2 = getattr(d2, fn)
        return (fn2 - fn1) if is_property else (fn2() - fn1())

    with tf.name_scope(name, "kl_beta_beta",
                       values=[d1.concentration1, d1.concentration0, d1.total_concentration,
                               d2.concentration1, d2.concentration0, d2.total_concentration]):
        return (delta("_log_normalization", is_property=False)
                - tf.digamma(d1.concentration1) * delta("concentration1")
                - tf.digamma(d1.concentration0) * delta("concentration0")
                + (tf.digamma(d1.total_concentration) * delta("total_concentration")))
