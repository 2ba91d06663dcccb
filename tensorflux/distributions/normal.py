"""`tf.distributions.Normal`: the univariate normal, reparameterized (`loc + scale * N(0, 1)`)."""

import math

import tensorflux as tf
from tensorflux.distributions import distribution, kullback_leibler, util


class Normal(distribution.Distribution):
    """Normal(loc, scale) with batch shape `broadcast(loc.shape, scale.shape)`.

        >>> d = tf.distributions.Normal(loc=0., scale=1.)
        >>> d.log_prob(0.5), d.sample([3], seed=1)
    """

    def __init__(self, loc, scale, validate_args=False, allow_nan_stats=True, name="Normal"):
        parameters = dict(locals())
        with tf.name_scope(name, values=[loc, scale]) as name:
            with tf.control_dependencies(util.maybe_assert_positive([scale], validate_args)):
                self._loc = util.identity_param(loc, "loc")
                self._scale = util.identity_param(scale, "scale")
                util.assert_same_float_dtype([self._loc, self._scale])
        super().__init__(dtype=self._scale.dtype,
                         reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                         parameters=parameters, graph_parents=[self._loc, self._scale],
                         name=name)

    @staticmethod
    def _param_shapes(sample_shape):
        return distribution.param_shapes_for(("loc", "scale"), sample_shape)

    @property
    def loc(self):
        """Distribution parameter for the mean."""
        return self._loc

    @property
    def scale(self):
        """Distribution parameter for the standard deviation."""
        return self._scale

    def _batch_shape_tensor(self):
        return tf.broadcast_dynamic_shape(tf.shape(self.loc), tf.shape(self.scale))

    def _batch_shape(self):
        return tf.broadcast_static_shape(self.loc.shape, self.scale.shape)

    def _event_shape(self):
        return tf.TensorShape([])

    def _sample_n(self, n, seed=None):
        shape = tf.concat([[n], self.batch_shape_tensor()], 0)
        sampled = tf.random_normal(shape=shape, mean=0., stddev=1., dtype=self.loc.dtype,
                                   seed=seed)
        return sampled * self.scale + self.loc

    def _log_prob(self, x):
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _log_cdf(self, x):
        return util.log_ndtr(self._z(x))

    def _cdf(self, x):
        return util.ndtr(self._z(x))

    def _log_survival_function(self, x):
        return util.log_ndtr(-self._z(x))

    def _survival_function(self, x):
        return util.ndtr(-self._z(x))

    def _log_unnormalized_prob(self, x):
        return -0.5 * tf.square(self._z(x))

    def _log_normalization(self):
        return 0.5 * math.log(2. * math.pi) + tf.log(self.scale)

    def _entropy(self):
        # Broadcast the scale to the full batch shape.
        scale = self.scale * tf.ones_like(self.loc)
        return 0.5 * math.log(2. * math.pi * math.e) + tf.log(scale)

    def _mean(self):
        return self.loc * tf.ones_like(self.scale)

    def _quantile(self, p):
        return self._inv_z(tf.math.ndtri(p))

    def _stddev(self):
        return self.scale * tf.ones_like(self.loc)

    def _variance(self):
        return tf.square(self._stddev())

    def _mode(self):
        return self._mean()

    def _z(self, x):
        """Standardizes `x`: `(x - loc) / scale`."""
        with tf.name_scope("standardize", values=[x]):
            return (x - self.loc) / self.scale

    def _inv_z(self, z):
        with tf.name_scope("reconstruct", values=[z]):
            return z * self.scale + self.loc


@kullback_leibler.RegisterKL(Normal, Normal)
def _kl_normal_normal(n_a, n_b, name=None):
    """KL(n_a || n_b) of two batches of normals."""
    with tf.name_scope(name, "kl_normal_normal", [n_a.loc, n_b.loc]):
        one = tf.constant(1, dtype=n_a.dtype)
        two = tf.constant(2, dtype=n_a.dtype)
        half = tf.constant(0.5, dtype=n_a.dtype)
        s_a_squared = tf.square(n_a.scale)
        s_b_squared = tf.square(n_b.scale)
        ratio = s_a_squared / s_b_squared
        return (tf.squared_difference(n_a.loc, n_b.loc) / (two * s_b_squared)
                + half * (ratio - one - tf.log(ratio)))

