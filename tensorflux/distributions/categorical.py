"""`tf.distributions.Categorical`: class indices in `[0, K)` from `logits` or `probs` of
shape `batch_shape + [K]`."""

import tensorflux as tf
from tensorflux.distributions import distribution, kullback_leibler, util
from tensorflux.graph import dtypes


def _broadcast_cat_event_and_params(event, params, base_dtype):
    """Broadcasts `event` against `params[..., 0]` (and `params` against `event`)."""
    if event.dtype.is_integer:
        pass
    elif event.dtype.is_floating:
        event = tf.cast(event, dtype=tf.int32)
    else:
        raise TypeError("`value` should have integer `dtype` or `self.dtype` ({})"
                        .format(base_dtype))
    shape_known_statically = (params.shape.ndims is not None
                              and params.shape[:-1].is_fully_defined()
                              and event.shape.is_fully_defined())
    if not shape_known_statically or params.shape[:-1] != event.shape:
        params = params * tf.ones_like(event[..., tf.newaxis], dtype=params.dtype)
        params_shape = tf.shape(params)[:-1]
        event = event * tf.ones(params_shape, dtype=event.dtype)
        if params.shape.ndims is not None:
            event.set_shape(tf.TensorShape(params.shape[:-1]))
    return event, params


class Categorical(distribution.Distribution):
    """Categorical(logits=None, probs=None): one of K classes per batch member.

        >>> d = tf.distributions.Categorical(logits=[[0., 1., 2.]])
        >>> d.sample(4, seed=1)   # int32, shape [4, 1]
    """

    def __init__(self, logits=None, probs=None, dtype=dtypes.int32, validate_args=False,
                 allow_nan_stats=True, name="Categorical"):
        parameters = dict(locals())
        with tf.name_scope(name, values=[logits, probs]) as name:
            self._logits, self._probs = util.get_logits_and_probs(
                logits=logits, probs=probs, validate_args=validate_args, multidimensional=True,
                name=name)
            logits_shape_static = self._logits.shape.with_rank_at_least(1)
            if logits_shape_static.ndims is not None:
                self._batch_rank = tf.convert_to_tensor(
                    logits_shape_static.ndims - 1, dtype=tf.int32, name="batch_rank")
            else:
                with tf.name_scope(name="batch_rank"):
                    self._batch_rank = tf.rank(self._logits) - 1
            logits_shape = tf.shape(self._logits, name="logits_shape")
            if tf.dimension_value(logits_shape_static[-1]) is not None:
                self._event_size = tf.convert_to_tensor(
                    tf.dimension_value(logits_shape_static[-1]), dtype=tf.int32,
                    name="event_size")
            else:
                with tf.name_scope(name="event_size"):
                    self._event_size = logits_shape[-1]
            if logits_shape_static[:-1].is_fully_defined():
                self._batch_shape_val = tf.constant(logits_shape_static[:-1].as_list(),
                                                    dtype=tf.int32, name="batch_shape")
            else:
                with tf.name_scope(name="batch_shape"):
                    self._batch_shape_val = logits_shape[:-1]
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
        return tf.identity(self._batch_shape_val)

    def _batch_shape(self):
        return self.logits.shape[:-1]

    def _event_shape(self):
        return tf.TensorShape([])

    def _sample_n(self, n, seed=None):
        if self.logits.shape.ndims == 2:
            logits_2d = self.logits
        else:
            logits_2d = tf.reshape(self.logits, [-1, self.event_size])
        sample_dtype = tf.int64 if self.dtype.size > 4 else tf.int32
        draws = tf.multinomial(logits_2d, n, seed=seed, output_dtype=sample_dtype)
        draws = tf.reshape(tf.transpose(draws), tf.concat([[n], self.batch_shape_tensor()], 0))
        return tf.cast(draws, self.dtype)

    def _cdf(self, k):
        k = tf.convert_to_tensor(k, name="k")
        probs = self.probs
        if (not k.shape.is_fully_defined() or not probs.shape.is_fully_defined()
                or k.shape != probs.shape[:-1]):
            probs = tf.ones_like(k[..., tf.newaxis], dtype=probs.dtype) * probs
            k = tf.ones_like(probs[..., 0], dtype=k.dtype) * k
        batch_flattened_probs = tf.reshape(probs, (-1, self._event_size))
        batch_flattened_k = tf.reshape(k, [-1])
        to_sum_over = tf.where(
            tf.sequence_mask(batch_flattened_k, self._event_size),
            batch_flattened_probs, tf.zeros_like(batch_flattened_probs))
        batch_flattened_cdf = tf.reduce_sum(to_sum_over, axis=-1)
        return tf.reshape(batch_flattened_cdf, tf.shape(k))

    def _log_prob(self, k):
        k = tf.convert_to_tensor(k, name="k")
        k, logits = _broadcast_cat_event_and_params(k, self.logits,
                                                    base_dtype=self.dtype.base_dtype)
        return -tf.nn.sparse_softmax_cross_entropy_with_logits(labels=k, logits=logits)

    def _entropy(self):
        return -tf.reduce_sum(tf.nn.log_softmax(self.logits) * self.probs, axis=-1)

    def _mode(self):
        ret = tf.argmax(self.logits, axis=-1)
        ret = tf.cast(ret, self.dtype)
        ret.set_shape(self.batch_shape)
        return ret


@kullback_leibler.RegisterKL(Categorical, Categorical)
def _kl_categorical_categorical(a, b, name=None):
    """KL(a || b) of two batches of categoricals."""
    with tf.name_scope(name, "kl_categorical_categorical", values=[a.logits, b.logits]):
        delta_log_probs1 = tf.nn.log_softmax(a.logits) - tf.nn.log_softmax(b.logits)
        return tf.reduce_sum(tf.nn.softmax(a.logits) * delta_log_probs1, axis=-1)
