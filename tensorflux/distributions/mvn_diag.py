"""`tf.contrib.distributions.MultivariateNormalDiag`: a normal on R^k with a diagonal scale,
`x = loc + scale_diag * N(0, I)`.

TF builds it as an affine transform of a standard normal with a `LinearOperatorDiag`; with a
diagonal scale every quantity reduces to the per-coordinate formulas written here.
"""

import math

import tensorflux as tf
from tensorflux.distributions import distribution, kullback_leibler


class MultivariateNormalDiag(distribution.Distribution):
    """MultivariateNormalDiag(loc=None, scale_diag=None, scale_identity_multiplier=None).

    The scale is `diag(scale_diag + scale_identity_multiplier)`; with neither given it is the
    identity (then `loc` fixes the event size).

        >>> d = tf.contrib.distributions.MultivariateNormalDiag(loc=[1., -1], scale_diag=[1, 2.])
        >>> d.log_prob([0., 0.]), d.event_shape   # event_shape (2,)
    """

    def __init__(self, loc=None, scale_diag=None, scale_identity_multiplier=None,
                 validate_args=False, allow_nan_stats=True, name="MultivariateNormalDiag"):
        parameters = dict(locals())
        with tf.name_scope(name) as name:
            with tf.name_scope("init", values=[loc, scale_diag, scale_identity_multiplier]):
                if loc is None and scale_diag is None:
                    raise ValueError("Must specify one or both of `loc`, `scale_diag`.")
                if loc is not None:
                    loc = tf.convert_to_tensor(loc, name="loc")
                dtype = loc.dtype if loc is not None else None
                if scale_diag is not None:
                    scale_diag = tf.convert_to_tensor(scale_diag, name="scale_diag", dtype=dtype)
                    dtype = scale_diag.dtype
                if scale_identity_multiplier is not None:
                    multiplier = tf.convert_to_tensor(scale_identity_multiplier,
                                                      name="scale_identity_multiplier",
                                                      dtype=dtype)
                    multiplier = multiplier[..., tf.newaxis]
                    if scale_diag is None:
                        scale_diag = multiplier * tf.ones_like(loc)
                    else:
                        scale_diag = scale_diag + multiplier
                elif scale_diag is None:
                    scale_diag = tf.ones_like(loc)
                if loc is None:
                    loc = tf.zeros_like(scale_diag)
                if validate_args:
                    with tf.control_dependencies([tf.assert_none_equal(
                            scale_diag, tf.zeros([], scale_diag.dtype),
                            message="Singular operator:  Diagonal contained zero values.")]):
                        scale_diag = tf.identity(scale_diag)
        self._loc = loc
        self._scale_diag = scale_diag
        super().__init__(dtype=loc.dtype,
                         reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                         parameters=parameters, graph_parents=[loc, scale_diag], name=name)

    @property
    def loc(self):
        """The `loc` `Tensor` in `Y = scale @ X + loc`."""
        return self._loc

    @property
    def scale_diag(self):
        """The diagonal of the scale matrix (`scale_diag + scale_identity_multiplier`)."""
        return self._scale_diag

    def _batch_shape_tensor(self):
        return tf.broadcast_dynamic_shape(tf.shape(self._loc)[:-1],
                                          tf.shape(self._scale_diag)[:-1])

    def _batch_shape(self):
        return tf.broadcast_static_shape(self._loc.shape.with_rank_at_least(1)[:-1],
                                         self._scale_diag.shape.with_rank_at_least(1)[:-1])

    def _event_shape_tensor(self):
        return tf.shape(self._loc + self._scale_diag)[-1:]

    def _event_shape(self):
        return tf.broadcast_static_shape(self._loc.shape.with_rank_at_least(1)[-1:],
                                         self._scale_diag.shape.with_rank_at_least(1)[-1:])

    def _full_shape_tensor(self):
        return tf.concat([self.batch_shape_tensor(), self.event_shape_tensor()], 0)

    def _sample_n(self, n, seed=None):
        shape = tf.concat([[n], self._full_shape_tensor()], 0)
        eps = tf.random_normal(shape=shape, dtype=self.dtype, seed=seed)
        return self._loc + self._scale_diag * eps

    def _log_prob(self, x):
        z = (x - self._loc) / self._scale_diag
        k = tf.cast(self.event_shape_tensor()[0], self.dtype)
        return (-0.5 * tf.reduce_sum(tf.square(z), -1)
                - tf.reduce_sum(tf.log(tf.abs(self._scale_diag)), -1)
                - 0.5 * k * math.log(2. * math.pi))

    def _entropy(self):
        k = tf.cast(self.event_shape_tensor()[0], self.dtype)
        log_det = tf.reduce_sum(tf.log(tf.abs(self._scale_diag)), -1)
        return (0.5 * k * (1. + math.log(2. * math.pi)) + log_det
                + tf.zeros(self.batch_shape_tensor(), dtype=self.dtype))

    def _mean(self):
        return self._loc * tf.ones(self._full_shape_tensor(), dtype=self.dtype)

    def _mode(self):
        return self._mean()

    def _stddev(self):
        return tf.abs(self._scale_diag) * tf.ones(self._full_shape_tensor(), dtype=self.dtype)

    def _variance(self):
        return tf.square(self._stddev())

    def _covariance(self):
        return tf.matrix_diag(self._variance())


class MultivariateNormalDiagWithSoftplusScale(MultivariateNormalDiag):
    """MultivariateNormalDiag with `scale_diag = softplus(scale_diag)`."""

    def __init__(self, loc, scale_diag, validate_args=False, allow_nan_stats=True,
                 name="MultivariateNormalDiagWithSoftplusScale"):
        parameters = dict(locals())
        with tf.name_scope(name, values=[scale_diag]) as name:
            super().__init__(loc=loc, scale_diag=tf.nn.softplus(scale_diag),
                             validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                             name=name)
        parameters.pop("self", None)
        parameters.pop("__class__", None)
        self._parameters = parameters


@kullback_leibler.RegisterKL(MultivariateNormalDiag, MultivariateNormalDiag)
def _kl_mvn_diag_mvn_diag(a, b, name=None):
    """KL(a || b) of two batches of diagonal multivariate normals (summed over the event)."""
    with tf.name_scope(name, "kl_mvn", values=[a.loc, b.loc, a.scale_diag, b.scale_diag]):
        var_a = tf.square(a.scale_diag)
        var_b = tf.square(b.scale_diag)
        per_coordinate = (0.5 * (var_a / var_b + tf.squared_difference(a.loc, b.loc) / var_b
                                 - 1.)
                          + tf.log(tf.abs(b.scale_diag)) - tf.log(tf.abs(a.scale_diag)))
        return tf.reduce_sum(per_coordinate, -1)
