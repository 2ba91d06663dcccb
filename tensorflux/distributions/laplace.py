"""`tf.distributions.Laplace`: density `exp(-|x - loc| / scale) / (2 scale)`, reparameterized."""

import math

import numpy as np

import tensorflux as tf
from tensorflux.distributions import distribution, util


def _log_cdf_laplace(x):
    with tf.name_scope("log_cdf_laplace", values=[x]):
        return _log_cdf_laplace_impl(x)


def _log_cdf_laplace_impl(x):
    lower_solution = -math.log(2.) + x
    safe_exp_neg_x = tf.exp(-tf.abs(x))
    upper_solution = tf.log1p(-0.5 * safe_exp_neg_x)
    return tf.where(x < 0., lower_solution, upper_solution)


class Laplace(distribution.Distribution):
    """Laplace(loc, scale).

        >>> d = tf.distributions.Laplace(loc=0., scale=1.)
        >>> d.cdf(0.)   # 0.5
    """

    def __init__(self, loc, scale, validate_args=False, allow_nan_stats=True, name="Laplace"):
        parameters = dict(locals())
        with tf.name_scope(name, values=[loc, scale]) as name:
            with tf.control_dependencies(util.maybe_assert_positive([scale], validate_args)):
                self._loc = util.identity_param(loc, "loc")
                self._scale = util.identity_param(scale, "scale")
                util.assert_same_float_dtype([self._loc, self._scale])
        super().__init__(dtype=self._loc.dtype,
                         reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                         parameters=parameters, graph_parents=[self._loc, self._scale],
                         name=name)

    @staticmethod
    def _param_shapes(sample_shape):
        return distribution.param_shapes_for(('loc', 'scale'), sample_shape)

    @property
    def loc(self):
        """Distribution parameter for the location."""
        return self._loc

    @property
    def scale(self):
        """Distribution parameter for scale."""
        return self._scale

    def _batch_shape_tensor(self):
        return tf.broadcast_dynamic_shape(tf.shape(self.loc), tf.shape(self.scale))

    def _batch_shape(self):
        return tf.broadcast_static_shape(self.loc.shape, self.scale.shape)

    def _event_shape(self):
        return tf.TensorShape([])

    def _sample_n(self, n, seed=None):
        shape = tf.concat([[n], self.batch_shape_tensor()], 0)
        # Uniform on the open interval (-1, 1): log1p(-|u|) stays finite.
        np_dtype = self.dtype.as_numpy_dtype
        minval = np.nextafter(np_dtype(-1.), np_dtype(0.))
        uniform_samples = tf.random_uniform(shape=shape, minval=minval, maxval=1.,
                                            dtype=self.dtype, seed=seed)
        return (self.loc - self.scale * tf.sign(uniform_samples)
                * tf.log1p(-tf.abs(uniform_samples)))

    def _log_prob(self, x):
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _prob(self, x):
        return tf.exp(self._log_prob(x))

    def _log_cdf(self, x):
        return _log_cdf_laplace(self._z(x))

    def _log_survival_function(self, x):
        return _log_cdf_laplace(-self._z(x))

    def _cdf(self, x):
        z = self._z(x)
        return 0.5 + 0.5 * tf.sign(z) * (1. - tf.exp(-tf.abs(z)))

    def _log_unnormalized_prob(self, x):
        return -tf.abs(self._z(x))

    def _log_normalization(self):
        return math.log(2.) + tf.log(self.scale)

    def _entropy(self):
        # Broadcast the scale to the full batch shape.
        scale = self.scale + tf.zeros_like(self.loc)
        return math.log(2.) + 1. + tf.log(scale)

    def _mean(self):
        return self.loc + tf.zeros_like(self.scale)

    def _stddev(self):
        return math.sqrt(2.) * self.scale + tf.zeros_like(self.loc)

    def _median(self):
        return self._mean()

    def _mode(self):
        return self._mean()

    def _z(self, x):
        return (x - self._loc) / self._scale
