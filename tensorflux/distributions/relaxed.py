"""The contrib Gumbel-softmax ("Concrete") relaxations: `RelaxedBernoulli`,
`ExpRelaxedOneHotCategorical` and `RelaxedOneHotCategorical`, all reparameterized.

TF builds the two `Relaxed*` classes as transformed distributions (a logistic through a
sigmoid, an `ExpRelaxedOneHotCategorical` through `exp`); here the same densities are written
out: the base log-density at the inverse image plus the inverse log-det-Jacobian.
"""

import numpy as np

import tensorflux as tf
from tensorflux.distributions import distribution, util


def _tiny(dtype):
    return np.finfo(dtype.as_numpy_dtype).tiny


class RelaxedBernoulli(distribution.Distribution):
    """RelaxedBernoulli(temperature, logits=None, probs=None): values in (0, 1).

    `sigmoid((logits + L) / temperature)` with `L` a standard logistic draw.

        >>> d = tf.contrib.distributions.RelaxedBernoulli(0.5, logits=[0., 2.])
        >>> y = d.sample(seed=1)   # differentiable in logits
    """

    def __init__(self, temperature, logits=None, probs=None, validate_args=False,
                 allow_nan_stats=True, name="RelaxedBernoulli"):
        parameters = dict(locals())
        with tf.name_scope(name, values=[logits, probs, temperature]) as name:
            self._logits, self._probs = util.get_logits_and_probs(
                logits=logits, probs=probs, validate_args=validate_args)
            # A Python temperature takes the parameters' dtype (TF would insist on float32).
            temperature = tf.convert_to_tensor(temperature, name="temperature",
                                               preferred_dtype=self._logits.dtype)
            with tf.control_dependencies(util.maybe_assert_positive([temperature],
                                                                    validate_args)):
                self._temperature = tf.identity(temperature, name="temperature")
        super().__init__(dtype=self._logits.dtype,
                         reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                         parameters=parameters,
                         graph_parents=[self._logits, self._probs, self._temperature],
                         name=name)

    @property
    def temperature(self):
        """Temperature of the relaxation (towards 0 the samples approach 0/1)."""
        return self._temperature

    @property
    def logits(self):
        """Log-odds of `1`."""
        return self._logits

    @property
    def probs(self):
        """Probability of `1`."""
        return self._probs

    def _batch_shape_tensor(self):
        return tf.broadcast_dynamic_shape(tf.shape(self._temperature), tf.shape(self._logits))

    def _batch_shape(self):
        return tf.broadcast_static_shape(self._temperature.shape, self._logits.shape)

    def _event_shape(self):
        return tf.TensorShape([])

    def _sample_n(self, n, seed=None):
        shape = tf.concat([[n], self.batch_shape_tensor()], 0)
        uniform = tf.random_uniform(shape, minval=_tiny(self.dtype), maxval=1.,
                                    dtype=self.dtype, seed=seed)
        logistic = tf.log(uniform) - tf.log1p(-1. * uniform)
        return tf.sigmoid((logistic + self._logits) / self._temperature)

    def _log_prob(self, y):
        x = tf.log(y) - tf.log1p(-y)  # the logistic value that maps to y
        z = (x - self._logits / self._temperature) * self._temperature
        logistic_log_prob = -z - 2. * tf.nn.softplus(-z) + tf.log(self._temperature)
        return logistic_log_prob - tf.log(y) - tf.log1p(-y)


class ExpRelaxedOneHotCategorical(distribution.Distribution):
    """The log of a `RelaxedOneHotCategorical` sample: `log_softmax((logits + G) / t)`."""

    def __init__(self, temperature, logits=None, probs=None, dtype=None, validate_args=False,
                 allow_nan_stats=True, name="ExpRelaxedOneHotCategorical"):
        parameters = dict(locals())
        with tf.name_scope(name, values=[logits, probs, temperature]) as name:
            self._logits, self._probs = util.get_logits_and_probs(
                name=name, logits=logits, probs=probs, validate_args=validate_args,
                multidimensional=True, dtype=dtype)
            with tf.control_dependencies(util.maybe_assert_positive([temperature],
                                                                    validate_args)):
                self._temperature = tf.convert_to_tensor(temperature, name="temperature",
                                                         preferred_dtype=self._logits.dtype)
                self._temperature = tf.identity(self._temperature, name="temperature")
                self._temperature_2d = tf.reshape(self._temperature, [-1, 1],
                                                  name="temperature_2d")
            with tf.name_scope(name="event_size"):
                self._event_size = tf.shape(self._logits)[-1]
        super().__init__(dtype=self._logits.dtype,
                         reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                         parameters=parameters,
                         graph_parents=[self._logits, self._probs, self._temperature],
                         name=name)

    @property
    def event_size(self):
        """Scalar `int32` tensor: the number of classes."""
        return self._event_size

    @property
    def temperature(self):
        """Batchwise temperature tensor of a RelaxedCategorical."""
        return self._temperature

    @property
    def logits(self):
        """Vector of coordinatewise logits."""
        return self._logits

    @property
    def probs(self):
        """Vector of probabilities summing to one."""
        return self._probs

    def _batch_shape_tensor(self):
        return tf.shape(self._logits)[:-1]

    def _batch_shape(self):
        return self.logits.shape[:-1]

    def _event_shape_tensor(self):
        return tf.shape(self.logits)[-1:]

    def _event_shape(self):
        return self.logits.shape.with_rank_at_least(1)[-1:]

    def _sample_n(self, n, seed=None):
        sample_shape = tf.concat([[n], tf.shape(self.logits)], 0)
        logits = self.logits * tf.ones(sample_shape, dtype=self.dtype)
        logits_2d = tf.reshape(logits, [-1, self.event_size])
        # Uniform on the open interval (0, 1): the smallest positive normal number keeps
        # log(-log(u)) finite.
        uniform = tf.random_uniform(shape=tf.shape(logits_2d), minval=_tiny(self.dtype),
                                    maxval=1., dtype=self.dtype, seed=seed)
        gumbel = -tf.log(-tf.log(uniform))
        noisy_logits = tf.div(gumbel + logits_2d, self._temperature_2d)
        samples = tf.nn.log_softmax(noisy_logits)
        return tf.reshape(samples, sample_shape)

    def _log_prob(self, x):
        logits = self.logits
        if (not x.shape.is_fully_defined() or not logits.shape.is_fully_defined()
                or x.shape != logits.shape):
            logits = tf.ones_like(x, dtype=logits.dtype) * logits
            x = tf.ones_like(logits, dtype=x.dtype) * x
        logits_shape = tf.shape(tf.reduce_sum(logits, axis=[-1]))
        logits_2d = tf.reshape(logits, [-1, self.event_size])
        x_2d = tf.reshape(x, [-1, self.event_size])
        k = tf.cast(self.event_size, x.dtype)
        log_norm_const = tf.lgamma(k) + (k - 1.) * tf.log(self.temperature)
        log_softmax = tf.nn.log_softmax(logits_2d - x_2d * self._temperature_2d)
        log_unnorm_prob = tf.reduce_sum(log_softmax, [-1], keepdims=False)
        return tf.reshape(log_norm_const + log_unnorm_prob, logits_shape)


class RelaxedOneHotCategorical(ExpRelaxedOneHotCategorical):
    """RelaxedOneHotCategorical(temperature, logits=None, probs=None): the Gumbel-softmax.

    Samples `softmax((logits + G) / temperature)` (G standard Gumbel) lie on the simplex and
    approach one-hot vectors as the temperature goes to 0.

        >>> d = tf.contrib.distributions.RelaxedOneHotCategorical(0.5, logits=[0., 1., 2.])
        >>> y = d.sample(seed=1)
    """

    def __init__(self, temperature, logits=None, probs=None, dtype=None, validate_args=False,
                 allow_nan_stats=True, name="RelaxedOneHotCategorical"):
        parameters = dict(locals())
        super().__init__(temperature, logits=logits, probs=probs, dtype=dtype,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                         name=name)
        parameters.pop("self", None)
        parameters.pop("__class__", None)
        self._parameters = parameters

    def _sample_n(self, n, seed=None):
        return tf.exp(super()._sample_n(n, seed))

    def _log_prob(self, y):
        log_y = tf.log(y)
        return super()._log_prob(log_y) - tf.reduce_sum(log_y, axis=-1)
