"""`tf.distributions.StudentT(df, loc, scale)`: heavy-tailed, sampled as normal / sqrt(gamma)."""

import numpy as np

import tensorflux as tf
from tensorflux.distributions import distribution, util
from tensorflux.ops.gamma_ops import betainc, random_gamma


class StudentT(distribution.Distribution):
    """Student's t with `df` degrees of freedom, location `loc` and scale `scale`.

        >>> d = tf.distributions.StudentT(df=3., loc=0., scale=1.)
        >>> d.log_prob(0.)
    """

    def __init__(self, df, loc, scale, validate_args=False, allow_nan_stats=True,
                 name="StudentT"):
        parameters = dict(locals())
        with tf.name_scope(name, values=[df, loc, scale]) as name:
            with tf.control_dependencies(util.maybe_assert_positive([df], validate_args)):
                self._df = util.identity_param(df, "df")
                self._loc = util.identity_param(loc, "loc")
                self._scale = util.identity_param(scale, "scale")
                util.assert_same_float_dtype((self._df, self._loc, self._scale))
        super().__init__(dtype=self._scale.dtype,
                         reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                         parameters=parameters,
                         graph_parents=[self._df, self._loc, self._scale], name=name)

    @staticmethod
    def _param_shapes(sample_shape):
        return distribution.param_shapes_for(('df', 'loc', 'scale'), sample_shape)

    @property
    def df(self):
        """Degrees of freedom in these Student's t distribution(s)."""
        return self._df

    @property
    def loc(self):
        """Locations of these Student's t distribution(s)."""
        return self._loc

    @property
    def scale(self):
        """Scaling factors of these Student's t distribution(s)."""
        return self._scale

    def _batch_shape_tensor(self):
        return tf.broadcast_dynamic_shape(
            tf.shape(self.df), tf.broadcast_dynamic_shape(tf.shape(self.loc),
                                                          tf.shape(self.scale)))

    def _batch_shape(self):
        return tf.broadcast_static_shape(
            self.df.shape, tf.broadcast_static_shape(self.loc.shape, self.scale.shape))

    def _event_shape(self):
        return tf.TensorShape([])

    def _sample_n(self, n, seed=None):
        # X ~ N(0, 1), Z ~ Chi2(df) = Gamma(df / 2, 1 / 2): Y = X / sqrt(Z / df) ~ StudentT(df).
        shape = tf.concat([[n], self.batch_shape_tensor()], 0)
        normal_sample = tf.random_normal(shape, dtype=self.dtype, seed=seed)
        df = self.df * tf.ones(self.batch_shape_tensor(), dtype=self.dtype)
        gamma_sample = random_gamma([n], 0.5 * df, beta=0.5, dtype=self.dtype,
                                    seed=distribution.gen_new_seed(seed, salt="student_t"))
        samples = normal_sample * tf.rsqrt(gamma_sample / df)
        return samples * self.scale + self.loc

    def _log_prob(self, x):
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _log_unnormalized_prob(self, x):
        y = (x - self.loc) / self.scale
        return -0.5 * (self.df + 1.) * tf.log1p(y**2. / self.df)

    def _log_normalization(self):
        return (tf.log(tf.abs(self.scale)) + 0.5 * tf.log(self.df) + 0.5 * np.log(np.pi)
                + tf.lgamma(0.5 * self.df) - tf.lgamma(0.5 * (self.df + 1.)))

    def _prob(self, x):
        return tf.exp(self._log_prob(x))

    def _cdf(self, x):
        # Take Abs(scale) to make subsequent where work correctly.
        y = (x - self.loc) / tf.abs(self.scale)
        x_t = self.df / (y**2. + self.df)
        neg_cdf = 0.5 * betainc(0.5 * self.df, 0.5 * tf.ones_like(x_t), x_t)
        y = y * tf.ones_like(neg_cdf)
        return tf.where(tf.less(y, 0.), neg_cdf, 1. - neg_cdf)

    def _entropy(self):
        v = tf.ones(self.batch_shape_tensor(), dtype=self.dtype)[..., tf.newaxis]
        u = v * self.df[..., tf.newaxis]
        beta_arg = tf.concat([u, v], -1) / 2.
        return (tf.log(tf.abs(self.scale)) + 0.5 * tf.log(self.df) + tf.lbeta(beta_arg)
                + 0.5 * (self.df + 1.)
                * (tf.digamma(0.5 * (self.df + 1.)) - tf.digamma(0.5 * self.df)))

    def _nan_where(self, defined, value):
        nan = tf.fill(tf.shape(value), np.array(np.nan, dtype=self.dtype.as_numpy_dtype),
                      name="nan")
        return tf.where(defined, value, nan)

    def _mean(self):
        ones = tf.ones(self.batch_shape_tensor(), dtype=self.dtype)
        mean = self.loc * ones
        if self.allow_nan_stats:
            return self._nan_where(self.df * ones > 1., mean)
        with tf.control_dependencies([tf.assert_less(
                tf.ones([], dtype=self.dtype), self.df,
                message="mean not defined for components of df <= 1")]):
            return tf.identity(mean)

    def _variance(self):
        ones = tf.ones(self.batch_shape_tensor(), dtype=self.dtype)
        df = self.df * ones
        denom = tf.where(df > 2., df - 2., tf.ones_like(df))
        var = ones * tf.square(self.scale) * df / denom
        inf = tf.fill(tf.shape(var), np.array(np.inf, dtype=self.dtype.as_numpy_dtype))
        result_where_defined = tf.where(df > 2., var, inf)
        if self.allow_nan_stats:
            return self._nan_where(df > 1., result_where_defined)
        with tf.control_dependencies([tf.assert_less(
                tf.ones([], dtype=self.dtype), self.df,
                message="variance not defined for components of df <= 1")]):
            return tf.identity(result_where_defined)

    def _mode(self):
        return tf.identity(self.loc)
