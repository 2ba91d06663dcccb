"""`tf.distributions.DirichletMultinomial`: multinomial counts whose class probabilities are
themselves Dirichlet-distributed (a compound distribution), event shape `[K]`."""

import tensorflux as tf
from tensorflux.distributions import distribution, util
from tensorflux.ops.gamma_ops import random_gamma


class DirichletMultinomial(distribution.Distribution):
    """DirichletMultinomial(total_count, concentration) (float counts, as in TF).

        >>> d = tf.distributions.DirichletMultinomial(5., concentration=[1., 2., 3.])
        >>> d.log_prob([1., 1., 3.])
    """

    def __init__(self, total_count, concentration, validate_args=False, allow_nan_stats=True,
                 name="DirichletMultinomial"):
        parameters = dict(locals())
        with tf.name_scope(name, values=[total_count, concentration]) as name:
            self._total_count = tf.convert_to_tensor(total_count, name="total_count")
            self._concentration = tf.convert_to_tensor(concentration, name="concentration")
            if validate_args:
                with tf.control_dependencies([tf.assert_positive(
                        self._concentration,
                        message="Concentration parameter must be positive.")]):
                    self._concentration = tf.identity(self._concentration)
            self._total_concentration = tf.reduce_sum(self._concentration, -1)
        super().__init__(dtype=self._concentration.dtype, validate_args=validate_args,
                         allow_nan_stats=allow_nan_stats,
                         reparameterization_type=distribution.NOT_REPARAMETERIZED,
                         parameters=parameters,
                         graph_parents=[self._total_count, self._concentration], name=name)

    @property
    def total_count(self):
        """Number of trials used to construct a sample."""
        return self._total_count

    @property
    def concentration(self):
        """Concentration parameter; expected prior counts for that coordinate."""
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
        n_draws = tf.cast(self.total_count, dtype=tf.int32)
        k = self.event_shape_tensor()[0]
        unnormalized_logits = tf.reshape(
            tf.log(random_gamma(shape=[n], alpha=self.concentration, dtype=self.dtype,
                                seed=seed)), shape=[-1, k])
        draws = tf.multinomial(logits=unnormalized_logits, num_samples=n_draws,
                               seed=distribution.gen_new_seed(seed, salt="dirichlet_multinomial"))
        x = tf.reduce_sum(tf.one_hot(draws, depth=k), -2)
        final_shape = tf.concat([[n], self.batch_shape_tensor(), [k]], 0)
        return tf.cast(tf.reshape(x, final_shape), self.dtype)

    def _log_prob(self, counts):
        ordered_prob = tf.lbeta(self.concentration + counts) - tf.lbeta(self.concentration)
        return ordered_prob + util.log_combinations(self.total_count, counts)

    def _prob(self, counts):
        return tf.exp(self._log_prob(counts))

    def _mean(self):
        return self.total_count * (self.concentration
                                   / self.total_concentration[..., tf.newaxis])

    def _covariance(self):
        x = self._variance_scale_term() * self._mean()
        return tf.matrix_set_diag(
            -tf.matmul(x[..., tf.newaxis], x[..., tf.newaxis, :]),  # outer product
            self._variance())

    def _variance(self):
        scale = self._variance_scale_term()
        x = scale * self._mean()
        return x * (self.total_count * scale - x)

    def _variance_scale_term(self):
        """Helper to `_covariance` and `_variance` which computes a shared scale."""
        c0 = self.total_concentration[..., tf.newaxis]
        return tf.sqrt((1. + c0 / self.total_count) / (1. + c0))
