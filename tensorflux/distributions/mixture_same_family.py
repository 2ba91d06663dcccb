"""`tf.contrib.distributions.MixtureSameFamily`: a mixture whose components are the last batch
dimension of one distribution (the mixture-density-network output layer)."""

import numpy as np

import tensorflux as tf
from tensorflux.distributions import distribution


class MixtureSameFamily(distribution.Distribution):
    """MixtureSameFamily(mixture_distribution, components_distribution).

    `mixture_distribution` is a Categorical over K components with batch shape `B`;
    `components_distribution` has batch shape `B + [K]`.

        >>> ds = tf.contrib.distributions
        >>> gm = ds.MixtureSameFamily(
        ...     mixture_distribution=ds.Categorical(probs=[0.3, 0.7]),
        ...     components_distribution=ds.Normal(loc=[-1., 1.], scale=[0.1, 0.5]))
        >>> gm.log_prob(0.5), gm.mean()
    """

    def __init__(self, mixture_distribution, components_distribution, validate_args=False,
                 allow_nan_stats=True, name="MixtureSameFamily"):
        parameters = dict(locals())
        with tf.name_scope(name) as name:
            self._mixture_distribution = mixture_distribution
            self._components_distribution = components_distribution
            event_ndims = components_distribution.event_shape.ndims
            if event_ndims is None:
                raise ValueError("`components_distribution` must have a known event rank")
            self._event_ndims = event_ndims
            if not mixture_distribution.dtype.is_integer:
                raise ValueError("`mixture_distribution.dtype` ({}) is not over integers"
                                 .format(mixture_distribution.dtype.name))
            if (mixture_distribution.event_shape.ndims is not None
                    and mixture_distribution.event_shape.ndims != 0):
                raise ValueError("`mixture_distribution` must have scalar `event_dim`s")
            km = tf.dimension_value(mixture_distribution.logits.shape.with_rank_at_least(1)[-1])
            kc = tf.dimension_value(
                components_distribution.batch_shape.with_rank_at_least(1)[-1])
            if km is not None and kc is not None and km != kc:
                raise ValueError("`mixture_distribution components` ({}) does not equal "
                                 "`components_distribution.batch_shape[-1]` ({})"
                                 .format(km, kc))
            self._num_components = km or kc or tf.shape(mixture_distribution.logits)[-1]
        super().__init__(dtype=components_distribution.dtype,
                         reparameterization_type=distribution.NOT_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                         parameters=parameters,
                         graph_parents=(mixture_distribution._graph_parents
                                        + components_distribution._graph_parents),
                         name=name)

    @property
    def mixture_distribution(self):
        return self._mixture_distribution

    @property
    def components_distribution(self):
        return self._components_distribution

    def _batch_shape_tensor(self):
        return self.components_distribution.batch_shape_tensor()[:-1]

    def _batch_shape(self):
        return self.components_distribution.batch_shape.with_rank_at_least(1)[:-1]

    def _event_shape_tensor(self):
        return self.components_distribution.event_shape_tensor()

    def _event_shape(self):
        return self.components_distribution.event_shape

    def _pad_mixture_dimensions(self, x):
        """Reshapes `[..., k]` mixture weights to broadcast against component statistics."""
        with tf.name_scope("pad_mix_dims", values=[x]):
            dist_batch_ndims = self.batch_shape.ndims
            cat_batch_ndims = self.mixture_distribution.batch_shape.ndims
            if dist_batch_ndims is None or cat_batch_ndims is None:
                raise ValueError("MixtureSameFamily needs known batch ranks")
            pad_ndims = (dist_batch_ndims if cat_batch_ndims == 0
                         else dist_batch_ndims - cat_batch_ndims)
            s = tf.shape(x)
            return tf.reshape(x, tf.concat([s[:-1], tf.ones([pad_ndims], dtype=tf.int32),
                                            s[-1:],
                                            tf.ones([self._event_ndims], dtype=tf.int32)], 0))

    def _pad_sample_dims(self, x):
        with tf.name_scope("pad_sample_dims", values=[x]):
            ndims = x.shape.ndims if x.shape.ndims is not None else tf.rank(x)
            shape = tf.shape(x)
            d = ndims - self._event_ndims
            return tf.reshape(x, tf.concat([shape[:d], [1], shape[d:]], 0))

    def _sample_n(self, n, seed=None):
        x = self.components_distribution.sample(n, seed=seed)  # [n, B, k, E]
        npdt = x.dtype.as_numpy_dtype
        mask = tf.one_hot(
            indices=self.mixture_distribution.sample(
                n, seed=distribution.gen_new_seed(seed, "mixture_same_family")),
            depth=self._num_components, on_value=np.ones([], dtype=npdt),
            off_value=np.zeros([], dtype=npdt))  # [n, B, k]
        mask = self._pad_mixture_dimensions(mask)  # [n, B, k, [1]*e]
        return tf.reduce_sum(x * mask, axis=-1 - self._event_ndims)  # [n, B, E]

    def _log_prob(self, x):
        x = self._pad_sample_dims(x)
        log_prob_x = self.components_distribution.log_prob(x)  # [S, B, k]
        log_mix_prob = tf.nn.log_softmax(self.mixture_distribution.logits, axis=-1)  # [B, k]
        return tf.reduce_logsumexp(log_prob_x + log_mix_prob, axis=-1)  # [S, B]

    def _log_cdf(self, x):
        x = self._pad_sample_dims(x)
        log_cdf_x = self.components_distribution.log_cdf(x)
        log_mix_prob = tf.nn.log_softmax(self.mixture_distribution.logits, axis=-1)
        return tf.reduce_logsumexp(log_cdf_x + log_mix_prob, axis=-1)

    def _mean(self):
        probs = self._pad_mixture_dimensions(self.mixture_distribution.probs)  # [B, k, [1]*e]
        return tf.reduce_sum(probs * self.components_distribution.mean(),
                             axis=-1 - self._event_ndims)  # [B, E]

    def _variance(self):
        # Law of total variance: Var(X) = E[Var(X | Y)] + Var(E[X | Y]).
        probs = self._pad_mixture_dimensions(self.mixture_distribution.probs)
        mean_cond_var = tf.reduce_sum(probs * self.components_distribution.variance(),
                                      axis=-1 - self._event_ndims)
        var_cond_mean = tf.reduce_sum(
            probs * tf.squared_difference(self.components_distribution.mean(),
                                          self._pad_sample_dims(self._mean())),
            axis=-1 - self._event_ndims)
        return mean_cond_var + var_cond_mean
