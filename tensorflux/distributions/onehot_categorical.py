"""`tf.contrib.distributions.OneHotCategorical`: a categorical whose samples are one-hot
vectors (event shape `[K]`)."""

import tensorflux as tf
from tensorflux.distributions import distribution, kullback_leibler, util
from tensorflux.graph import dtypes


class OneHotCategorical(distribution.Distribution):
    """OneHotCategorical(logits=None, probs=None, dtype=tf.int32).

        >>> d = tf.contrib.distributions.OneHotCategorical(logits=[0., 1., 2.])
        >>> d.sample(2, seed=1)   # int32 one-hot rows, shape [2, 3]
    """

    def __init__(self, logits=None, probs=None, dtype=dtypes.int32, validate_args=False,
                 allow_nan_stats=True, name="OneHotCategorical"):
        parameters = dict(locals())
        with tf.name_scope(name, values=[logits, probs]) as name:
            self._logits, self._probs = util.get_logits_and_probs(
                name=name, logits=logits, probs=probs, validate_args=validate_args,
                multidimensional=True)
            logits_shape_static = self._logits.shape.with_rank_at_least(1)
            if logits_shape_static.ndims is not None:
                self._batch_rank = tf.convert_to_tensor(
                    logits_shape_static.ndims - 1, dtype=tf.int32, name="batch_rank")
            else:
                with tf.name_scope(name="batch_rank"):
                    self._batch_rank = tf.rank(self._logits) - 1
            with tf.name_scope(name="event_size"):
                self._event_size = tf.shape(self._logits)[-1]
        super().__init__(dtype=dtype, reparameterization_type=distribution.NOT_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                         parameters=parameters, graph_parents=[self._logits, self._probs],
                         name=name)

    @property
    def event_size(self):
        """Scalar `int32` tensor: the number of classes."""
        return self._event_size

    @property
    def logits(self):
        """Vector of coordinatewise logits."""
        return self._logits

    @property
    def probs(self):
        """Vector of coordinatewise probabilities."""
        return self._probs

    def _batch_shape_tensor(self):
        return tf.shape(self.logits)[:-1]

    def _batch_shape(self):
        return self.logits.shape[:-1]

    def _event_shape_tensor(self):
        return tf.shape(self.logits)[-1:]

    def _event_shape(self):
        return self.logits.shape.with_rank_at_least(1)[-1:]

    def _sample_n(self, n, seed=None):
        sample_shape = tf.concat([[n], tf.shape(self.logits)], 0)
        logits = self.logits
        if logits.shape.ndims == 2:
            logits_2d = logits
        else:
            logits_2d = tf.reshape(logits, [-1, self.event_size])
        samples = tf.multinomial(logits_2d, n, seed=seed)
        samples = tf.transpose(samples)
        samples = tf.one_hot(samples, self.event_size, dtype=self.dtype)
        return tf.reshape(samples, sample_shape)

    def _log_prob(self, x):
        logits = self.logits
        x = tf.cast(x, logits.dtype)
        if (not x.shape.is_fully_defined() or not logits.shape.is_fully_defined()
                or x.shape != logits.shape):
            logits = tf.ones_like(x, dtype=logits.dtype) * logits
            x = tf.ones_like(logits, dtype=x.dtype) * x
        logits_shape = tf.shape(tf.reduce_sum(logits, -1))
        logits_2d = tf.reshape(logits, [-1, self.event_size])
        x_2d = tf.reshape(x, [-1, self.event_size])
        ret = -tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.stop_gradient(x_2d),
                                                          logits=logits_2d)
        return tf.reshape(ret, logits_shape)

    def _entropy(self):
        return -tf.reduce_sum(tf.nn.log_softmax(self.logits) * self.probs, axis=-1)

    def _mode(self):
        ret = tf.argmax(self.logits, axis=-1)
        ret = tf.one_hot(ret, self.event_size, dtype=self.dtype)
        ret.set_shape(self.logits.shape)
        return ret

    def _covariance(self):
        p = self.probs
        ret = -tf.matmul(p[..., tf.newaxis], p[..., tf.newaxis, :])
        return tf.matrix_set_diag(ret, p - tf.square(p))

    def _variance(self):
        return self.probs * (1. - self.probs)

    def _mean(self):
        return tf.identity(self.probs)


@kullback_leibler.RegisterKL(OneHotCategorical, OneHotCategorical)
def _kl_onehot_categorical_onehot_categorical(a, b, name=None):
    """KL(a || b) of two batches of one-hot categoricals."""
    with tf.name_scope(name, "kl_categorical_categorical", values=[a.logits, b.logits]):
        return tf.reduce_sum(tf.nn.softmax(a.logits)
                             * (tf.nn.log_softmax(a.logits) - tf.nn.log_softmax(b.logits)),
                             axis=-1)
