"""`tf.distributions.kl_divergence` and the `RegisterKL` decorator: KL functions keyed by a pair
of distribution classes, looked up along both classes' MRO (the closest registered pair wins)."""

import tensorflux as tf

_DIVERGENCES = {}


def _registered_kl(type_a, type_b):
    """The KL function registered for the closest pair of ancestors of `type_a`, `type_b`."""
    dist_to_children = None
    kl_fn = None
    for mro_to_a, parent_a in enumerate(type_a.__mro__):
        for mro_to_b, parent_b in enumerate(type_b.__mro__):
            candidate_dist = mro_to_a + mro_to_b
            candidate_kl_fn = _DIVERGENCES.get((parent_a, parent_b), None)
            if not kl_fn or (candidate_kl_fn and candidate_dist < dist_to_children):
                dist_to_children = candidate_dist
                kl_fn = candidate_kl_fn
    return kl_fn


def kl_divergence(distribution_a, distribution_b, allow_nan_stats=True, name=None):
    """The batchwise KL(distribution_a || distribution_b) from the registered function.

        >>> kl = tf.distributions.kl_divergence(tf.distributions.Normal(0., 1.),
        ...                                     tf.distributions.Normal(1., 2.))

    Raises NotImplementedError when no function is registered for the two types.
    """
    kl_fn = _registered_kl(type(distribution_a), type(distribution_b))
    if kl_fn is None:
        raise NotImplementedError(
            "No KL(distribution_a || distribution_b) registered for distribution_a "
            "type %s and distribution_b type %s"
            % (type(distribution_a).__name__, type(distribution_b).__name__))
    with tf.name_scope("KullbackLeibler"):
        kl_t = kl_fn(distribution_a, distribution_b, name=name)
        if allow_nan_stats:
            return kl_t
        kl_t = tf.identity(kl_t, name="kl")
        with tf.control_dependencies([tf.Assert(
                tf.logical_not(tf.reduce_any(tf.is_nan(kl_t))),
                ["KL calculation between %s and %s returned NaN values "
                 "(and was called with allow_nan_stats=False). Values:"
                 % (distribution_a.name, distribution_b.name), kl_t])]):
            return tf.identity(kl_t, name="checked_kl")


def cross_entropy(ref, other, allow_nan_stats=True, name=None):
    """`H[ref, other] = entropy(ref) + KL(ref || other)`."""
    with tf.name_scope(name, "cross_entropy"):
        return ref.entropy() + kl_divergence(ref, other, allow_nan_stats=allow_nan_stats)


class RegisterKL:
    """Decorator registering a KL function for a pair of distribution classes.

        >>> @RegisterKL(Normal, Normal)
        ... def _kl_normal_normal(a, b, name=None): ...
    """

    def __init__(self, dist_cls_a, dist_cls_b):
        self._key = (dist_cls_a, dist_cls_b)

    def __call__(self, kl_fn):
        if not callable(kl_fn):
            raise TypeError("kl_fn must be callable, received: %s" % kl_fn)
        if self._key in _DIVERGENCES:
            raise ValueError("KL(%s || %s) has already been registered to: %s"
                             % (self._key[0].__name__, self._key[1].__name__,
                                _DIVERGENCES[self._key]))
        _DIVERGENCES[self._key] = kl_fn
        return kl_fn
