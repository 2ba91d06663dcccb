"""`tf.distributions.Dirichlet`: distributions over the (K-1)-simplex, event shape `[K]`."""

import numpy as np

import tensorflux as tf
from tensorflux.distributions import distribution, kullback_leibler, util
from tensorflux.ops.gamma_ops import random_gamma


class Dirichlet(distribution.Distribution):
    """Dirichlet(concentration) with `concentration` of shape `batch_shape + [K]`.

        >>> d = tf.distributions.Dirichlet([1., 2., 3.])
        >>> d.mean()   # [1/6, 2/6, 3/6]
    """

    def __init__(self, concentration, validate_args=False, allow_nan_stats=True,
                 name="Dirichlet"):
        parameters = dict(locals())
        with tf.name_scope(name, values=[concentration]) as name:
            self._concentration = self._maybe_assert_valid_concentration(
                tf.convert_to_tensor(concentration, name="concentration"), validate_args)
            self._total_concentration = tf.reduce_sum(self._concentration, -1)
        super().__init__(dtype=self._concentration.dtype, validate_args=validate_args,
                         allow_nan_stats=allow_nan_stats,
                         reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                         parameters=parameters,
                         graph_parents=[self._concentration, self._total_concentration],
                         name=name)

    @property
    def concentration(self):
        """Concentration parameter; expected counts for that coordinate."""
        return self._concentration

    @property
    def total_concentration(self):
        """Sum of last dim of concentration parameter."""
        return self._total_concentration

    def _batch_shape_tensor(self):
        return tf.shape(self.total_concentration)

    def _batch_shape(self):
        return self.total_concentration.shape

    def _event_shape_tensor(self):
        return tf.shape(self.concentration)[-1:]

    def _event_shape(self):
        return self.concentration.shape.with_rank_at_least(1)[-1:]

    def _sample_n(self, n, seed=None):
        gamma_sample = random_gamma(shape=[n], alpha=self.concentration, dtype=self.dtype,
                                    seed=seed)
        return gamma_sample / tf.reduce_sum(gamma_sample, -1, keepdims=True)

    def _log_prob(self, x):
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _prob(self, x):
        return tf.exp(self._log_prob(x))

    def _log_unnormalized_prob(self, x):
        x = self._maybe_assert_valid_sample(x)
        return tf.reduce_sum(tf.math.xlogy(self.concentration - 1., x), -1)

    def _log_normalization(self):
        return tf.lbeta(self.concentration)

    def _entropy(self):
        k = tf.cast(self.event_shape_tensor()[0], self.dtype)
        return (self._log_normalization()
                + ((self.total_concentration - k) * tf.digamma(self.total_concentration))
                - tf.reduce_sum((self.concentration - 1.) * tf.digamma(self.concentration),
                                axis=-1))

    def _mean(self):
        return self.concentration / self.total_concentration[..., tf.newaxis]

    def _covariance(self):
        x = self._variance_scale_term() * self._mean()
        return tf.matrix_set_diag(
            -tf.matmul(x[..., tf.newaxis], x[..., tf.newaxis, :]),  # outer product
            self._variance())

    def _variance(self):
        scale = self._variance_scale_term()
        x = scale * self._mean()
        return x * (scale - x)

    def _variance_scale_term(self):
        """Helper to `_covariance` and `_variance` which computes a shared scale."""
        return tf.rsqrt(1. + self.total_concentration[..., tf.newaxis])

    def _mode(self):
        k = tf.cast(self.event_shape_tensor()[0], self.dtype)
        mode = (self.concentration - 1.) / (self.total_concentration[..., tf.newaxis] - k)
        if self.allow_nan_stats:
            nan = tf.fill(tf.shape(mode), np.array(np.nan, dtype=self.dtype.as_numpy_dtype),
                          name="nan")
            defined = tf.reduce_all(self.concentration > 1., axis=-1, keepdims=True)
            return tf.where(defined & tf.ones_like(mode, dtype=tf.bool), mode, nan)
        with tf.control_dependencies([tf.assert_less(
                tf.ones([], self.dtype), self.concentration,
                message="Mode undefined when any concentration <= 1")]):
            return tf.identity(mode)

    def _maybe_assert_valid_concentration(self, concentration, validate_args):
        if not validate_args:
            return concentration
        with tf.control_dependencies([
                tf.assert_positive(concentration,
                                   message="Concentration parameter must be positive."),
                tf.assert_rank_at_least(concentration, 1,
                                        message="Concentration parameter must have >=1 dims.")]):
            return tf.identity(concentration)

    def _maybe_assert_valid_sample(self, x):
        util.assert_same_float_dtype([x], dtype=self.dtype)
        if not self.validate_args:
            return x
        with tf.control_dependencies([
                tf.assert_positive(x, message="samples must be positive"),
                tf.assert_near(tf.ones([], dtype=self.dtype), tf.reduce_sum(x, -1),
                               message="sample last-dimension must sum to `1`")]):
            return tf.identity(x)


@kullback_leibler.RegisterKL(Dirichlet, Dirichlet)
def _kl_dirichlet_dirichlet(d1, d2, name=None):
    """KL(d1 || d2) of two batches of Dirichlets."""
    with tf.name_scope(name, "kl_dirichlet_dirichlet",
                       values=[d1.concentration, d2.concentration]):
        digamma_sum_d1 = tf.digamma(tf.reduce_sum(d1.concentration, axis=-1, keepdims=True))
        digamma_diff = tf.digamma(d1.concentration) - digamma_sum_d1
        concentration_diff = d1.concentration - d2.concentration
        return (tf.reduce_sum(concentration_diff * digamma_diff, axis=-1)
                - tf.lbeta(d1.concentration) + tf.lbeta(d2.concentration))
