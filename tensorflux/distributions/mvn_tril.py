"""`tf.contrib.distributions.MultivariateNormalTriL` and `MultivariateNormalFullCovariance`:
normals on R^k with a dense lower-triangular scale `L` (covariance `L L^T`).

TF builds them from `LinearOperatorLowerTriangular`; here the scale is a plain tensor of
shape `batch_shape + [k, k]`, applied with broadcasting products so sample dimensions need
no reshaping, and inverted with `matrix_triangular_solve`.
"""

import math

import tensorflux as tf
from tensorflux.distributions import distribution, kullback_leibler
from tensorflux.distributions.mvn_diag import MultivariateNormalDiag


def _matvec(m, v):
    """`m @ v` over the last axes, broadcasting any leading (sample, batch) dimensions."""
    return tf.reduce_sum(m * v[..., tf.newaxis, :], -1)


class MultivariateNormalTriL(distribution.Distribution):
    """MultivariateNormalTriL(loc=None, scale_tril=None): `x = loc + scale_tril @ N(0, I)`.

    Only the lower triangle of `scale_tril` is used.

        >>> ds = tf.contrib.distributions
        >>> d = ds.MultivariateNormalTriL(loc=[0., 1.], scale_tril=[[1., 0.], [0.5, 2.]])
        >>> d.covariance()   # [[1, 0.5], [0.5, 4.25]]
    """

    def __init__(self, loc=None, scale_tril=None, validate_args=False, allow_nan_stats=True,
                 name="MultivariateNormalTriL"):
        parameters = dict(locals())
        if loc is None and scale_tril is None:
            raise ValueError("Must specify one or both of `loc`, `scale_tril`.")
        with tf.name_scope(name) as name:
            with tf.name_scope("init", values=[loc, scale_tril]):
                loc = None if loc is None else tf.convert_to_tensor(loc, name="loc")
                dtype = None if loc is None else loc.dtype
                if scale_tril is None:
                    scale_tril = tf.matrix_diag(tf.ones_like(loc))
                else:
                    scale_tril = tf.convert_to_tensor(scale_tril, name="scale_tril",
                                                      dtype=dtype)
                    scale_tril = tf.matrix_band_part(scale_tril, -1, 0)
                if loc is None:
                    loc = tf.zeros_like(tf.matrix_diag_part(scale_tril))
                if validate_args:
                    with tf.control_dependencies([tf.assert_none_equal(
                            tf.matrix_diag_part(scale_tril), tf.zeros([], scale_tril.dtype),
                            message="Singular operator:  Diagonal contained zero values.")]):
                        scale_tril = tf.identity(scale_tril)
        self._loc = loc
        self._scale_tril = scale_tril
        super().__init__(dtype=loc.dtype,
                         reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                         parameters=parameters, graph_parents=[loc, scale_tril], name=name)

    @property
    def loc(self):
        """The `loc` `Tensor` in `Y = scale @ X + loc`."""
        return self._loc

    @property
    def scale_tril(self):
        """The lower-triangular scale matrix."""
        return self._scale_tril

    def _batch_shape_tensor(self):
        return tf.broadcast_dynamic_shape(tf.shape(self._loc)[:-1],
                                          tf.shape(self._scale_tril)[:-2])

    def _batch_shape(self):
        return tf.broadcast_static_shape(self._loc.shape.with_rank_at_least(1)[:-1],
                                         self._scale_tril.shape.with_rank_at_least(2)[:-2])

    def _event_shape_tensor(self):
        return tf.shape(self._loc)[-1:]

    def _event_shape(self):
        return tf.broadcast_static_shape(self._loc.shape.with_rank_at_least(1)[-1:],
                                         self._scale_tril.shape.with_rank_at_least(2)[-1:])

    def _full_shape_tensor(self):
        return tf.concat([self.batch_shape_tensor(), self.event_shape_tensor()], 0)

    def _log_abs_det(self):
        return tf.reduce_sum(tf.log(tf.abs(tf.matrix_diag_part(self._scale_tril))), -1)

    def _inverse_scale(self):
        eye = tf.matrix_diag(tf.ones_like(tf.matrix_diag_part(self._scale_tril)))
        return tf.matrix_triangular_solve(self._scale_tril, eye, lower=True)

    def _sample_n(self, n, seed=None):
        shape = tf.concat([[n], self._full_shape_tensor()], 0)
        eps = tf.random_normal(shape=shape, dtype=self.dtype, seed=seed)
        return self._loc + _matvec(self._scale_tril, eps)

    def _log_prob(self, x):
        z = _matvec(self._inverse_scale(), x - self._loc)
        k = tf.cast(self.event_shape_tensor()[0], self.dtype)
        return (-0.5 * tf.reduce_sum(tf.square(z), -1) - self._log_abs_det()
                - 0.5 * k * math.log(2. * math.pi))

    def _entropy(self):
        k = tf.cast(self.event_shape_tensor()[0], self.dtype)
        return (0.5 * k * (1. + math.log(2. * math.pi)) + self._log_abs_det()
                + tf.zeros(self.batch_shape_tensor(), dtype=self.dtype))

    def _mean(self):
        return self._loc * tf.ones(self._full_shape_tensor(), dtype=self.dtype)

    def _mode(self):
        return self._mean()

    def _covariance(self):
        cov = tf.matmul(self._scale_tril, self._scale_tril, transpose_b=True)
        ones = tf.ones(self._full_shape_tensor(), dtype=self.dtype)
        return cov * ones[..., tf.newaxis]

    def _variance(self):
        return tf.matrix_diag_part(self._covariance())

    def _stddev(self):
        return tf.sqrt(self._variance())


class MultivariateNormalFullCovariance(MultivariateNormalTriL):
    """MultivariateNormalFullCovariance(loc=None, covariance_matrix=None): the scale is the
    Cholesky factor of `covariance_matrix` (symmetric positive definite)."""

    def __init__(self, loc=None, covariance_matrix=None, validate_args=False,
                 allow_nan_stats=True, name="MultivariateNormalFullCovariance"):
        parameters = dict(locals())
        if loc is None and covariance_matrix is None:
            raise ValueError("Must specify one or both of `loc`, `covariance_matrix`.")
        with tf.name_scope(name, values=[loc, covariance_matrix]) as name:
            scale_tril = None
            if covariance_matrix is not None:
                covariance_matrix = tf.convert_to_tensor(covariance_matrix,
                                                         name="covariance_matrix")
                scale_tril = tf.cholesky(covariance_matrix)
            super().__init__(loc=loc, scale_tril=scale_tril, validate_args=validate_args,
                             allow_nan_stats=allow_nan_stats, name=name)
        parameters.pop("self", None)
        parameters.pop("__class__", None)
        self._parameters = parameters


def _dense_scale(d):
    if isinstance(d, MultivariateNormalDiag):
        return tf.matrix_diag(d.scale_diag)
    return d.scale_tril


def _kl_mvn_mvn(a, b, name=None):
    """KL(a || b) of two batches of multivariate normals with lower-triangular scales."""
    with tf.name_scope(name, "kl_mvn", values=[a.loc, b.loc]):
        scale_a, scale_b = _dense_scale(a), _dense_scale(b)
        b_inv_a = tf.matrix_triangular_solve(
            scale_b * tf.ones_like(scale_a), scale_a * tf.ones_like(scale_b), lower=True)
        eye = tf.matrix_diag(tf.ones_like(tf.matrix_diag_part(scale_b)))
        b_inv = tf.matrix_triangular_solve(scale_b, eye, lower=True)
        delta = _matvec(b_inv, b.loc - a.loc)
        k = tf.cast(tf.shape(a.loc)[-1], a.dtype)

        def log_abs_det(s):
            return tf.reduce_sum(tf.log(tf.abs(tf.matrix_diag_part(s))), -1)

        return (0.5 * (tf.reduce_sum(tf.square(b_inv_a), [-2, -1])
                       + tf.reduce_sum(tf.square(delta), -1) - k)
                + log_abs_det(scale_b) - log_abs_det(scale_a))


for _a, _b in ((MultivariateNormalTriL, MultivariateNormalTriL),
               (MultivariateNormalTriL, MultivariateNormalDiag),
               (MultivariateNormalDiag, MultivariateNormalTriL)):
    kullback_leibler.RegisterKL(_a, _b)(_kl_mvn_mvn)
