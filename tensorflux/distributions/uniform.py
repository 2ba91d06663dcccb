"""`tf.distributions.Uniform`: the continuous uniform on `[low, high)`, reparameterized."""

import math

import tensorflux as tf
from tensorflux.distributions import distribution, util


class Uniform(distribution.Distribution):
    """Uniform(low=0., high=1.).

        >>> d = tf.distributions.Uniform(low=[0., 1.], high=3.)
        >>> d.prob(2.)   # [1/3, 1/2]
    """

    def __init__(self, low=0., high=1., validate_args=False, allow_nan_stats=True,
                 name="Uniform"):
        parameters = dict(locals())
        with tf.name_scope(name, values=[low, high]) as name:
            checks = ([tf.assert_less(low, high, message="uniform not defined when low >= high.")]
                      if validate_args else [])
            with tf.control_dependencies(checks):
                self._low = util.identity_param(low, "low")
                self._high = util.identity_param(high, "high")
                util.assert_same_float_dtype([self._low, self._high])
        super().__init__(dtype=self._low.dtype,
                         reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                         parameters=parameters, graph_parents=[self._low, self._high],
                         name=name)

    @staticmethod
    def _param_shapes(sample_shape):
        return distribution.param_shapes_for(('low', 'high'), sample_shape)

    @property
    def low(self):
        """Lower boundary of the output interval."""
        return self._low

    @property
    def high(self):
        """Upper boundary of the output interval."""
        return self._high

    def range(self, name="range"):
        """`high - low`."""
        with self._name_scope(name):
            return self.high - self.low

    def _batch_shape_tensor(self):
        return tf.broadcast_dynamic_shape(tf.shape(self.low), tf.shape(self.high))

    def _batch_shape(self):
        return tf.broadcast_static_shape(self.low.shape, self.high.shape)

    def _event_shape(self):
        return tf.TensorShape([])

    def _sample_n(self, n, seed=None):
        shape = tf.concat([[n], self.batch_shape_tensor()], 0)
        samples = tf.random_uniform(shape=shape, dtype=self.dtype, seed=seed)
        return self.low + self.range() * samples

    def _prob(self, x):
        broadcasted_x = x * tf.ones(self.batch_shape_tensor(), dtype=x.dtype)
        return tf.where(
            tf.is_nan(broadcasted_x), broadcasted_x,
            tf.where(tf.logical_or(broadcasted_x < self.low, broadcasted_x >= self.high),
                     tf.zeros_like(broadcasted_x),
                     tf.ones_like(broadcasted_x) / self.range()))

    def _cdf(self, x):
        broadcast_shape = tf.broadcast_dynamic_shape(tf.shape(x), self.batch_shape_tensor())
        zeros = tf.zeros(broadcast_shape, dtype=self.dtype)
        ones = tf.ones(broadcast_shape, dtype=self.dtype)
        broadcasted_x = x * ones
        result_if_not_big = tf.where(broadcasted_x < self.low, zeros,
                                     (broadcasted_x - self.low) / self.range())
        return tf.where(broadcasted_x >= self.high, ones, result_if_not_big)

    def _entropy(self):
        return tf.log(self.range())

    def _mean(self):
        return (self.low + self.high) / 2.

    def _variance(self):
        return tf.square(self.range()) / 12.

    def _stddev(self):
        return self.range() / math.sqrt(12.)
