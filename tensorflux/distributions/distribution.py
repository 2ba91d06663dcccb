"""`tf.distributions.Distribution`: the base class every distribution family extends.

A family writes the private hooks (`_sample_n`, `_log_prob`, `_cdf`, `_entropy`, `_mean`, ...);
the public methods here open the distribution's name scope (`Normal/log_prob/...`), convert
arguments and fall back between related hooks (`prob` from `log_prob`, `stddev` from
`variance`, ...) exactly as TF 1.x does.

    >>> d = tf.distributions.Normal(loc=0., scale=[1., 2.])
    >>> d.batch_shape, d.sample(5).shape
    (TensorShape([2]), TensorShape([5, 2]))
"""

import contextlib
import hashlib

import numpy as np

import tensorflux as tf
from tensorflux.graph import tensor_shape
from tensorflux.graph.tensor import Tensor


class ReparameterizationType:
    """Whether samples are a differentiable function of the parameters."""

    def __init__(self, rep_type):
        self._rep_type = rep_type

    def __repr__(self):
        return "<Reparameterization Type: %s>" % self._rep_type

    def __eq__(self, other):
        return self is other

    def __hash__(self):
        return id(self)


FULLY_REPARAMETERIZED = ReparameterizationType("FULLY_REPARAMETERIZED")
NOT_REPARAMETERIZED = ReparameterizationType("NOT_REPARAMETERIZED")


def param_shapes_for(names, sample_shape):
    """`_param_shapes` of a family whose parameters all have the sample's shape."""
    s = tf.convert_to_tensor(sample_shape, dtype=tf.int32)
    return {name: s for name in names}


def gen_new_seed(seed, salt):
    """TF's derived op seed for the second sampler of one distribution (None stays None)."""
    if seed is None:
        return None
    digest = hashlib.md5((str(seed) + salt).encode("utf-8")).hexdigest()
    return int(digest[:8], 16) & 0x7FFFFFFF


class Distribution:
    """A batch of probability distributions with shared methods (TF 1.x API)."""

    def __init__(self, dtype, reparameterization_type, validate_args, allow_nan_stats,
                 parameters=None, graph_parents=None, name=None):
        graph_parents = [] if graph_parents is None else graph_parents
        for i, t in enumerate(graph_parents):
            if t is None or not isinstance(t, Tensor):
                raise ValueError("Graph parent item %d is not a Tensor; %s." % (i, t))
        if not name or name[-1] != "/":  # not yet a name scope
            with tf.name_scope(name or type(self).__name__) as name:
                pass
        self._dtype = dtype
        self._reparameterization_type = reparameterization_type
        self._allow_nan_stats = allow_nan_stats
        self._validate_args = validate_args
        self._parameters = dict(parameters or {})
        self._parameters.pop("self", None)
        self._parameters.pop("__class__", None)
        self._graph_parents = graph_parents
        self._name = name

    # ---- properties -------------------------------------------------------------------------

    @property
    def name(self):
        return self._name

    @property
    def dtype(self):
        return self._dtype

    @property
    def parameters(self):
        return dict(self._parameters)

    @property
    def reparameterization_type(self):
        return self._reparameterization_type

    @property
    def allow_nan_stats(self):
        return self._allow_nan_stats

    @property
    def validate_args(self):
        return self._validate_args

    def copy(self, **override_parameters_kwargs):
        """A new distribution of the same type with some constructor arguments replaced."""
        parameters = dict(self.parameters, **override_parameters_kwargs)
        return type(self)(**parameters)

    @classmethod
    def param_shapes(cls, sample_shape, name="DistributionParamShapes"):
        """Shapes of the constructor parameters giving samples of shape `sample_shape`."""
        with tf.name_scope(name, values=[sample_shape]):
            return cls._param_shapes(sample_shape)

    @classmethod
    def param_static_shapes(cls, sample_shape):
        """`param_shapes` as TensorShapes (`sample_shape` must be fully defined)."""
        if isinstance(sample_shape, tensor_shape.TensorShape):
            if not sample_shape.is_fully_defined():
                raise ValueError("TensorShape sample_shape must be fully defined")
            sample_shape = sample_shape.as_list()
        params = cls.param_shapes(sample_shape)
        static_params = {}
        for name, shape in params.items():
            static_shape = tf.get_static_value(shape)
            if static_shape is None:
                raise ValueError(
                    "sample_shape must be a fully-defined TensorShape or list/tuple")
            static_params[name] = tensor_shape.TensorShape(static_shape.tolist())
        return static_params

    @staticmethod
    def _param_shapes(sample_shape):
        raise NotImplementedError("_param_shapes not implemented")

    @contextlib.contextmanager
    def _name_scope(self, name=None, values=None):
        with tf.name_scope(self.name):
            with tf.name_scope(name, values=(list(values or []) + self._graph_parents)) as scope:
                yield scope

    # ---- shapes -----------------------------------------------------------------------------

    @property
    def batch_shape(self):
        return tensor_shape.as_shape(self._batch_shape())

    def _batch_shape(self):
        return tensor_shape.TensorShape(None)

    def batch_shape_tensor(self, name="batch_shape_tensor"):
        with self._name_scope(name):
            if self.batch_shape.is_fully_defined():
                return tf.convert_to_tensor(self.batch_shape.as_list(), dtype=tf.int32,
                                            name="batch_shape")
            return self._batch_shape_tensor()

    def _batch_shape_tensor(self):
        raise NotImplementedError(
            "batch_shape_tensor is not implemented: {}".format(type(self).__name__))

    @property
    def event_shape(self):
        return tensor_shape.as_shape(self._event_shape())

    def _event_shape(self):
        return tensor_shape.TensorShape(None)

    def event_shape_tensor(self, name="event_shape_tensor"):
        with self._name_scope(name):
            if self.event_shape.is_fully_defined():
                return tf.convert_to_tensor(self.event_shape.as_list(), dtype=tf.int32,
                                            name="event_shape")
            return self._event_shape_tensor()

    def _event_shape_tensor(self):
        raise NotImplementedError(
            "event_shape_tensor is not implemented: {}".format(type(self).__name__))

    def is_scalar_event(self, name="is_scalar_event"):
        with self._name_scope(name):
            return tf.convert_to_tensor(self.event_shape.ndims == 0, name="is_scalar_event")

    def is_scalar_batch(self, name="is_scalar_batch"):
        with self._name_scope(name):
            return tf.convert_to_tensor(self.batch_shape.ndims == 0, name="is_scalar_batch")

    # ---- sampling ---------------------------------------------------------------------------

    def sample(self, sample_shape=(), seed=None, name="sample"):
        """Draws `sample_shape + batch_shape + event_shape` samples."""
        with self._name_scope(name, values=[sample_shape]):
            sample_shape = tf.convert_to_tensor(sample_shape, dtype=tf.int32,
                                                name="sample_shape")
            static = tf.get_static_value(sample_shape)
            if static is not None:
                static = np.reshape(static, [-1]).astype(np.int32)
                sample_shape = tf.constant(static, dtype=tf.int32, name="sample_shape")
                n = int(np.prod(static))
            else:
                sample_shape = tf.reshape(sample_shape, [-1], name="sample_shape")
                n = tf.reduce_prod(sample_shape)
            samples = self._sample_n(n, seed)
            batch_event_shape = tf.shape(samples)[1:]
            final_shape = tf.concat([sample_shape, batch_event_shape], 0)
            samples = tf.reshape(samples, final_shape)
            return self._set_sample_static_shape(samples, static)

    def _set_sample_static_shape(self, x, static_sample_shape):
        """Merges what is statically known of the sample, batch and event shapes into `x`."""
        sample_shape = tensor_shape.TensorShape(
            None if static_sample_shape is None else static_sample_shape.tolist())
        ndims = x.shape.ndims
        sample_ndims = sample_shape.ndims
        batch_ndims = self.batch_shape.ndims
        event_ndims = self.event_shape.ndims
        if (ndims is None and sample_ndims is not None and batch_ndims is not None
                and event_ndims is not None):
            ndims = sample_ndims + batch_ndims + event_ndims
            x.set_shape([None] * ndims)
        if ndims is not None and sample_ndims is not None:
            x.set_shape(x.shape.merge_with(
                sample_shape.concatenate([None] * (ndims - sample_ndims))))
        if ndims is not None and event_ndims is not None:
            x.set_shape(x.shape.merge_with(tensor_shape.TensorShape(
                [None] * (ndims - event_ndims)).concatenate(self.event_shape)))
        if batch_ndims is not None:
            if ndims is not None:
                if sample_ndims is None and event_ndims is not None:
                    sample_ndims = ndims - batch_ndims - event_ndims
                elif event_ndims is None and sample_ndims is not None:
                    event_ndims = ndims - batch_ndims - sample_ndims
            if sample_ndims is not None and event_ndims is not None:
                x.set_shape(x.shape.merge_with(tensor_shape.TensorShape(
                    [None] * sample_ndims).concatenate(self.batch_shape)
                    .concatenate(self.event_shape)))
        return x

    def _sample_n(self, n, seed=None):
        raise NotImplementedError("sample_n is not implemented: {}".format(type(self).__name__))

    # ---- densities --------------------------------------------------------------------------

    def _convert_value(self, value):
        return tf.convert_to_tensor(value, name="value", preferred_dtype=self.dtype)

    def _call_with_fallback(self, name, value, primary, fallback, via):
        with self._name_scope(name, values=[value]):
            value = self._convert_value(value)
            try:
                return primary(value)
            except NotImplementedError as original:
                try:
                    return via(fallback(value))
                except NotImplementedError:
                    raise original from None

    def log_prob(self, value, name="log_prob"):
        return self._call_with_fallback(name, value, self._log_prob, self._prob, tf.log)

    def prob(self, value, name="prob"):
        return self._call_with_fallback(name, value, self._prob, self._log_prob, tf.exp)

    def log_cdf(self, value, name="log_cdf"):
        return self._call_with_fallback(name, value, self._log_cdf, self._cdf, tf.log)

    def cdf(self, value, name="cdf"):
        return self._call_with_fallback(name, value, self._cdf, self._log_cdf, tf.exp)

    def log_survival_function(self, value, name="log_survival_function"):
        return self._call_with_fallback(name, value, self._log_survival_function, self._cdf,
                                        lambda c: tf.log1p(-c))

    def survival_function(self, value, name="survival_function"):
        return self._call_with_fallback(name, value, self._survival_function, self._cdf,
                                        lambda c: 1. - c)

    def _not_implemented(self, what):
        raise NotImplementedError("{} is not implemented: {}".format(what, type(self).__name__))

    def _log_prob(self, value):
        self._not_implemented("log_prob")

    def _prob(self, value):
        self._not_implemented("prob")

    def _log_cdf(self, value):
        self._not_implemented("log_cdf")

    def _cdf(self, value):
        self._not_implemented("cdf")

    def _log_survival_function(self, value):
        self._not_implemented("log_survival_function")

    def _survival_function(self, value):
        self._not_implemented("survival_function")

    # ---- statistics -------------------------------------------------------------------------

    def entropy(self, name="entropy"):
        with self._name_scope(name):
            return self._entropy()

    def _entropy(self):
        self._not_implemented("entropy")

    def mean(self, name="mean"):
        with self._name_scope(name):
            return self._mean()

    def _mean(self):
        self._not_implemented("mean")

    def quantile(self, value, name="quantile"):
        with self._name_scope(name, values=[value]):
            return self._quantile(self._convert_value(value))

    def _quantile(self, value):
        self._not_implemented("quantile")

    def variance(self, name="variance"):
        with self._name_scope(name):
            try:
                return self._variance()
            except NotImplementedError as original:
                try:
                    return tf.square(self._stddev())
                except NotImplementedError:
                    raise original from None

    def _variance(self):
        self._not_implemented("variance")

    def stddev(self, name="stddev"):
        with self._name_scope(name):
            try:
                return self._stddev()
            except NotImplementedError as original:
                try:
                    return tf.sqrt(self._variance())
                except NotImplementedError:
                    raise original from None

    def _stddev(self):
        self._not_implemented("stddev")

    def covariance(self, name="covariance"):
        with self._name_scope(name):
            return self._covariance()

    def _covariance(self):
        self._not_implemented("covariance")

    def mode(self, name="mode"):
        with self._name_scope(name):
            return self._mode()

    def _mode(self):
        self._not_implemented("mode")

    def cross_entropy(self, other, name="cross_entropy"):
        from tensorflux.distributions import kullback_leibler

        with self._name_scope(name):
            return kullback_leibler.cross_entropy(self, other)

    def kl_divergence(self, other, name="kl_divergence"):
        from tensorflux.distributions import kullback_leibler

        with self._name_scope(name):
            return kullback_leibler.kl_divergence(self, other)

    # ---- printing ---------------------------------------------------------------------------

    def __str__(self):
        return ("tfp.distributions.{type_name}(\"{self_name}\", batch_shape={batch}, "
                "event_shape={event}, dtype={dtype})".format(
                    type_name=type(self).__name__, self_name=self.name,
                    batch=_shape_str(self.batch_shape), event=_shape_str(self.event_shape),
                    dtype=self.dtype.name))

    def __repr__(self):
        return ("<tfp.distributions.{type_name} '{self_name}' batch_shape={batch} "
                "event_shape={event} dtype={dtype}>".format(
                    type_name=type(self).__name__, self_name=self.name,
                    batch=_shape_str(self.batch_shape), event=_shape_str(self.event_shape),
                    dtype=self.dtype.name))


def _shape_str(shape):
    if shape.ndims is None:
        return "?"
    dims = ["?" if d is None else str(d) for d in shape.as_list()]
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"
