"""`tf.distributions.Multinomial`: counts of `total_count` draws over K classes, event `[K]`."""

import tensorflux as tf
from tensorflux.distributions import distribution, util


class Multinomial(distribution.Distribution):
    """Multinomial(total_count, logits=None, probs=None) (float counts, as in TF).

        >>> d = tf.distributions.Multinomial(total_count=5., probs=[.2, .3, .5])
        >>> d.log_prob([1., 1., 3.])
    """

    def __init__(self, total_count, logits=None, probs=None, validate_args=False,
                 allow_nan_stats=True, name="Multinomial"):
        parameters = dict(locals())
        with tf.name_scope(name, values=[total_count, logits, probs]) as name:
            self._total_count = tf.convert_to_tensor(total_count, name="total_count")
            self._logits, self._probs = util.get_logits_and_probs(
                probs=probs, logits=logits, multidimensional=True, validate_args=validate_args,
                name=name)
            self._mean_val = self._total_count[..., tf.newaxis] * self._probs
        super().__init__(dtype=self._probs.dtype,
                         reparameterization_type=distribution.NOT_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                         parameters=parameters,
                         graph_parents=[self._total_count, self._logits, self._probs],
                         name=name)

    @property
    def total_count(self):
        """Number of trials used to construct a sample."""
        return self._total_count

    @property
    def logits(self):
        """Vector of coordinatewise logits."""
        return self._logits

    @property
    def probs(self):
        """Probability of drawing a `1` in that coordinate."""
        return self._probs

    def _batch_shape_tensor(self):
        return tf.shape(self._mean_val)[:-1]

    def _batch_shape(self):
        return self._mean_val.shape.with_rank_at_least(1)[:-1]

    def _event_shape_tensor(self):
        return tf.shape(self._mean_val)[-1:]

    def _event_shape(self):
        return self._mean_val.shape.with_rank_at_least(1)[-1:]

    def _sample_n(self, n, seed=None):
        n_draws = tf.cast(self.total_count, dtype=tf.int32)
        k = self.event_shape_tensor()[0]
        # Broadcast total_count and logits to one batch shape, then flatten the batch.
        n_draws = tf.ones_like(self.logits[..., 0], dtype=n_draws.dtype) * n_draws
        logits = tf.ones_like(n_draws[..., tf.newaxis], dtype=self.logits.dtype) * self.logits
        flat_logits = tf.reshape(logits, [-1, k])
        flat_ndraws = n * tf.reshape(n_draws, [-1])

        def _sample_single(args):
            logits, n_draw = args[0], args[1]  # [K], []
            x = tf.multinomial(logits[tf.newaxis, ...], n_draw, seed)  # [1, n * n_draw]
            x = tf.reshape(x, shape=[n, -1])  # [n, n_draw]
            return tf.reduce_sum(tf.one_hot(x, depth=k, dtype=self.dtype), axis=-2)  # [n, k]

        x = tf.map_fn(_sample_single, [flat_logits, flat_ndraws], dtype=self.dtype)
        x = tf.transpose(x, perm=[1, 0, 2])
        final_shape = tf.concat([[n], self.batch_shape_tensor(), [k]], 0)
        return tf.reshape(x, final_shape)

    def _log_prob(self, counts):
        return self._log_unnormalized_prob(counts) - self._log_normalization(counts)

    def _log_unnormalized_prob(self, counts):
        return tf.reduce_sum(counts * tf.nn.log_softmax(self.logits), -1)

    def _log_normalization(self, counts):
        return -util.log_combinations(self.total_count, counts)

    def _mean(self):
        return tf.identity(self._mean_val)

    def _covariance(self):
        p = self.probs * tf.ones_like(self.total_count)[..., tf.newaxis]
        return tf.matrix_set_diag(
            -tf.matmul(self._mean_val[..., tf.newaxis], p[..., tf.newaxis, :]),
            self._variance())

    def _variance(self):
        p = self.probs * tf.ones_like(self.total_count)[..., tf.newaxis]
        return self._mean_val - self._mean_val * p
