"""`tf.distributions.Bernoulli`: 0/1 outcomes parameterized by `logits` or `probs`."""

import tensorflux as tf
from tensorflux.distributions import distribution, kullback_leibler, util
from tensorflux.graph import dtypes


class Bernoulli(distribution.Distribution):
    """Bernoulli(logits=None, probs=None), samples of integer `dtype` (int32 by default).

        >>> d = tf.distributions.Bernoulli(logits=[0., 2.])
        >>> d.log_prob([1, 0])
    """

    def __init__(self, logits=None, probs=None, dtype=dtypes.int32, validate_args=False,
                 allow_nan_stats=True, name="Bernoulli"):
        parameters = dict(locals())
        with tf.name_scope(name) as name:
            self._logits, self._probs = util.get_logits_and_probs(
                logits=logits, probs=probs, validate_args=validate_args, name=name)
        super().__init__(dtype=dtype, reparameterization_type=distribution.NOT_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                         parameters=parameters, graph_parents=[self._logits, self._probs],
                         name=name)

    @staticmethod
    def _param_shapes(sample_shape):
        return distribution.param_shapes_for(('logits',), sample_shape)

    @property
    def logits(self):
        """Log-odds of a `1` outcome (vs `0`)."""
        return self._logits

    @property
    def probs(self):
        """Probability of a `1` outcome (vs `0`)."""
        return self._probs

    def _batch_shape_tensor(self):
        return tf.shape(self._logits)

    def _batch_shape(self):
        return self._logits.shape

    def _event_shape(self):
        return tf.TensorShape([])

    def _sample_n(self, n, seed=None):
        new_shape = tf.concat([[n], self.batch_shape_tensor()], 0)
        uniform = tf.random_uniform(new_shape, seed=seed, dtype=self.probs.dtype)
        sample = tf.less(uniform, self.probs)
        return tf.cast(sample, self.dtype)

    def _log_prob(self, event):
        event = tf.cast(event, self.logits.dtype)
        logits = self.logits
        if not (event.shape.is_fully_defined() and logits.shape.is_fully_defined()
                and event.shape == logits.shape):
            logits, event = tf.ones_like(event) * logits, tf.ones_like(logits) * event
        return -tf.nn.sigmoid_cross_entropy_with_logits(labels=event, logits=logits)

    def _entropy(self):
        return (-self.logits * (tf.sigmoid(self.logits) - 1)
                + tf.nn.softplus(-self.logits))

    def _mean(self):
        return tf.identity(self.probs)

    def _variance(self):
        return self._mean() * (1. - self.probs)

    def _mode(self):
        """Returns `1` if `prob > 0.5` and `0` otherwise."""
        return tf.cast(self.probs > 0.5, self.dtype)


@kullback_leibler.RegisterKL(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(a, b, name=None):
    """KL(a || b) of two batches of Bernoullis."""
    with tf.name_scope(name, "kl_bernoulli_bernoulli", values=[a.logits, b.logits]):
        delta_probs0 = tf.nn.softplus(-b.logits) - tf.nn.softplus(-a.logits)
        delta_probs1 = tf.nn.softplus(b.logits) - tf.nn.softplus(a.logits)
        return (tf.sigmoid(a.logits) * delta_probs0
                + tf.sigmoid(-a.logits) * delta_probs1)
