"""`tf.contrib.distributions.Independent`: reinterprets the rightmost batch dimensions of a
distribution as event dimensions (log_prob sums over them)."""

import tensorflux as tf
from tensorflux.distributions import distribution, kullback_leibler


class Independent(distribution.Distribution):
    """Independent(distribution, reinterpreted_batch_ndims=None).

    `reinterpreted_batch_ndims` defaults to all batch dimensions but the first.

        >>> ds = tf.contrib.distributions
        >>> d = ds.Independent(ds.Normal(loc=tf.zeros([4, 3]), scale=1.),
        ...                    reinterpreted_batch_ndims=1)
        >>> d.batch_shape, d.event_shape   # (4,), (3,)
    """

    def __init__(self, distribution, reinterpreted_batch_ndims=None, validate_args=False,
                 name=None):
        parameters = dict(locals())
        name = name or "Independent" + distribution.name
        self._distribution = distribution
        with tf.name_scope(name) as name:
            batch_ndims = distribution.batch_shape.ndims
            if reinterpreted_batch_ndims is None:
                if batch_ndims is None:
                    raise ValueError("reinterpreted_batch_ndims is needed when the "
                                     "distribution's batch rank is unknown")
                reinterpreted_batch_ndims = max(0, batch_ndims - 1)
            if not isinstance(reinterpreted_batch_ndims, int) or reinterpreted_batch_ndims < 0:
                raise ValueError("reinterpreted_batch_ndims must be a non-negative Python int, "
                                 "got %r" % (reinterpreted_batch_ndims,))
            if batch_ndims is not None and reinterpreted_batch_ndims > batch_ndims:
                raise ValueError("reinterpreted_batch_ndims({}) cannot exceed "
                                 "distribution.batch_ndims({})".format(
                                     reinterpreted_batch_ndims, batch_ndims))
            self._reinterpreted_batch_ndims = reinterpreted_batch_ndims
        super().__init__(dtype=distribution.dtype,
                         reparameterization_type=distribution.reparameterization_type,
                         validate_args=validate_args,
                         allow_nan_stats=distribution.allow_nan_stats,
                         parameters=parameters, graph_parents=list(distribution._graph_parents),
                         name=name)

    @property
    def distribution(self):
        return self._distribution

    @property
    def reinterpreted_batch_ndims(self):
        return self._reinterpreted_batch_ndims

    def _split(self, shape):
        k = self._reinterpreted_batch_ndims
        return (shape[:len(shape) - k], shape[len(shape) - k:]) if k else (shape, shape[:0])

    def _batch_shape(self):
        shape = self.distribution.batch_shape
        if shape.ndims is None:
            return shape
        return self._split(shape)[0]

    def _batch_shape_tensor(self):
        shape = self.distribution.batch_shape_tensor()
        n = tf.size(shape) - self._reinterpreted_batch_ndims
        return shape[:n]

    def _event_shape(self):
        batch = self.distribution.batch_shape
        if batch.ndims is None:
            return tf.TensorShape(None)
        return self._split(batch)[1].concatenate(self.distribution.event_shape)

    def _event_shape_tensor(self):
        shape = self.distribution.batch_shape_tensor()
        n = tf.size(shape) - self._reinterpreted_batch_ndims
        return tf.concat([shape[n:], self.distribution.event_shape_tensor()], 0)

    def _sum_reinterpreted(self, x, reduce=None):
        k = self._reinterpreted_batch_ndims
        reduce = reduce or tf.reduce_sum
        return reduce(x, axis=list(range(-k, 0))) if k else x

    def _sample_n(self, n, seed=None):
        return self.distribution.sample(sample_shape=n, seed=seed)

    def _log_prob(self, x):
        return self._sum_reinterpreted(self.distribution.log_prob(x))

    def _prob(self, x):
        return self._sum_reinterpreted(self.distribution.prob(x), tf.reduce_prod)

    def _log_cdf(self, x):
        return self._sum_reinterpreted(self.distribution.log_cdf(x))

    def _entropy(self):
        return self._sum_reinterpreted(self.distribution.entropy())

    def _mean(self):
        return self.distribution.mean()

    def _variance(self):
        return self.distribution.variance()

    def _stddev(self):
        return self.distribution.stddev()

    def _mode(self):
        return self.distribution.mode()


@kullback_leibler.RegisterKL(Independent, Independent)
def _kl_independent(a, b, name="kl_independent"):
    """KL(a || b) of two Independents over the same reinterpreted dimensions."""
    if (a.event_shape.ndims is not None and b.event_shape.ndims is not None
            and a.event_shape.is_fully_defined() and b.event_shape.is_fully_defined()
            and a.event_shape != b.event_shape):
        raise ValueError("Event shapes do not match: {} and {}".format(a.event_shape,
                                                                      b.event_shape))
    if a.reinterpreted_batch_ndims != b.reinterpreted_batch_ndims:
        raise NotImplementedError("KL between Independents with different "
                                  "reinterpreted_batch_ndims is not implemented.")
    with tf.name_scope(name, "kl_independent"):
        return a._sum_reinterpreted(kullback_leibler.kl_divergence(a.distribution,
                                                                   b.distribution))
