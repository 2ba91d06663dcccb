"""Keras `BatchNormalization`, `LayerNormalization`, `GroupNormalization`, `UnitNormalization`
and the preprocessing layer `Normalization`.

`BatchNormalization` is the `tf.layers` layer with Keras' base; `training` defaults to the
learning phase, and the moving-average updates stay on the layer (`layer.updates`, run by
`Model.fit`), not in `tf.GraphKeys.UPDATE_OPS` — as in TF 1.x Keras."""

import numpy as np

from tensorflux import nn
from tensorflux.graph import tensor_shape
from tensorflux.keras import backend, initializers
from tensorflux.keras.engine.base_layer import Layer
from tensorflux.keras.layers.core import weight_args, weight_config
from tensorflux.layers import normalization as tf_norm
from tensorflux.ops import array_ops, constant_op, math_ops


class BatchNormalization(Layer, tf_norm.BatchNormalization):
    """Normalizes over the batch in training, with the moving statistics in inference.

    Variables `gamma`, `beta`, `moving_mean`, `moving_variance`.

    Example:
        >>> h = tf.keras.layers.BatchNormalization()(h)          # learning phase decides
        >>> h = tf.keras.layers.BatchNormalization()(h, training=True)
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        tf_norm.BatchNormalization.__init__(
            self, axis=axis, momentum=momentum, epsilon=epsilon, center=center, scale=scale,
            **weight_args(beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
                          moving_mean_initializer=moving_mean_initializer,
                          moving_variance_initializer=moving_variance_initializer,
                          beta_regularizer=beta_regularizer,
                          gamma_regularizer=gamma_regularizer, beta_constraint=beta_constraint,
                          gamma_constraint=gamma_constraint), **kwargs)

    _records_build_shape = True

    def get_config(self):
        config = super().get_config()
        config.update(axis=self.axis, momentum=self.momentum, epsilon=self.epsilon,
                      center=self.center, scale=self.scale,
                      **weight_config(self, "beta", "gamma"),
                      moving_mean_initializer=initializers.serialize(
                          self.moving_mean_initializer),
                      moving_variance_initializer=initializers.serialize(
                          self.moving_variance_initializer))
        return config

    def call(self, inputs, training=None):
        if training is None:
            training = backend.learning_phase()
        return tf_norm.BatchNormalization.call(self, inputs, training=training)


class LayerNormalization(Layer):
    """Normalizes each example over `axis` (default: the last), then scales by `gamma` and
    shifts by `beta` (variables `gamma`, `beta` of the normalized axes' shape).

    Unlike BatchNormalization it has no moving statistics: training and inference agree.

    Example:
        >>> h = tf.keras.layers.LayerNormalization()(h)                # over features
        >>> h = tf.keras.layers.LayerNormalization(axis=[1, 2, 3])(images)
    """

    _passes_mask = True

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else int(axis)
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        args = weight_args(beta_initializer=beta_initializer,
                           gamma_initializer=gamma_initializer,
                           beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
                           beta_constraint=beta_constraint, gamma_constraint=gamma_constraint)
        for key, value in args.items():
            setattr(self, key, value)
        self.supports_masking = True

    _records_build_shape = True

    def get_config(self):
        config = super().get_config()
        config.update(axis=self.axis, epsilon=self.epsilon, center=self.center,
                      scale=self.scale, **weight_config(self, "beta", "gamma"))
        return config

    def _axes(self, ndims):
        """The normalized axes as sorted non-negative ints (tf_keras keeps them so after build,
        and its config then lists them)."""
        axes = [self.axis] if isinstance(self.axis, int) else self.axis
        out = sorted(a + ndims if a < 0 else a for a in axes)
        if any(not 0 < a < ndims for a in out) or len(set(out)) != len(out):
            raise ValueError("Invalid axis %s for an input of rank %d." % (self.axis, ndims))
        return out

    def build(self, input_shape):
        dims = tensor_shape.as_shape(input_shape).as_list()
        self.axis = self._axes(len(dims))
        shape = [dims[a] for a in self.axis]
        if any(d is None for d in shape):
            raise ValueError("LayerNormalization needs known sizes on axes %s; input shape %s."
                             % (self.axis, dims))
        self.gamma = self.add_weight("gamma", shape=shape, initializer=self.gamma_initializer,
                                     regularizer=self.gamma_regularizer,
                                     constraint=self.gamma_constraint) if self.scale else None
        self.beta = self.add_weight("beta", shape=shape, initializer=self.beta_initializer,
                                    regularizer=self.beta_regularizer,
                                    constraint=self.beta_constraint) if self.center else None
        self.built = True

    def call(self, inputs):
        ndims = inputs.shape.ndims
        broadcast = [inputs.shape.as_list()[a] if a in self.axis else 1 for a in range(ndims)]

        def shaped(weight):
            return None if weight is None else array_ops.reshape(weight, broadcast)

        mean, variance = nn.moments(inputs, self.axis, keepdims=True)
        return nn.batch_normalization(inputs, mean, variance, offset=shaped(self.beta),
                                      scale=shaped(self.gamma), variance_epsilon=self.epsilon)


class UnitNormalization(Layer):
    """Scales each example to unit L2 norm over `axis` (`tf.math.l2_normalize`).

    Example:
        >>> tf.keras.layers.UnitNormalization()(embeddings)
    """

    _passes_mask = True
    _records_build_shape = True

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else int(axis)
        self.supports_masking = True

    def call(self, inputs):
        return nn.l2_normalize(inputs, axis=self.axis)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config


class GroupNormalization(Layer):
    """Normalizes groups of channels (`groups`, -1 for one per channel) of each example, over
    the channels of the group and all other non-batch axes; then `gamma`, `beta` per channel.

    Example:
        >>> h = tf.keras.layers.GroupNormalization(groups=8)(feature_maps)
    """

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        args = weight_args(beta_initializer=beta_initializer,
                           gamma_initializer=gamma_initializer,
                           beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
                           beta_constraint=beta_constraint, gamma_constraint=gamma_constraint)
        for key, value in args.items():
            setattr(self, key, value)
        self.supports_masking = True

    _records_build_shape = True

    def build(self, input_shape):
        dims = tensor_shape.as_shape(input_shape).as_list()
        dim = dims[self.axis]
        if dim is None:
            raise ValueError("Axis %d of input tensor should have a defined dimension but the "
                             "layer received an input with shape %s." % (self.axis, dims))
        if self.groups == -1:
            self.groups = dim
        if dim < self.groups:
            raise ValueError("Number of groups (%d) cannot be more than the number of channels "
                             "(%d)." % (self.groups, dim))
        if dim % self.groups != 0:
            raise ValueError("Number of groups (%d) must be a multiple of the number of "
                             "channels (%d)." % (self.groups, dim))
        self.gamma = self.add_weight("gamma", shape=(dim,), initializer=self.gamma_initializer,
                                     regularizer=self.gamma_regularizer,
                                     constraint=self.gamma_constraint) if self.scale else None
        self.beta = self.add_weight("beta", shape=(dim,), initializer=self.beta_initializer,
                                    regularizer=self.beta_regularizer,
                                    constraint=self.beta_constraint) if self.center else None
        self.built = True

    def call(self, inputs):
        ndims = inputs.shape.ndims
        axis = self.axis % ndims
        dim = inputs.shape[axis].value
        dyn = array_ops.shape(inputs)
        grouped = [dyn[i] for i in range(ndims)]
        grouped[axis] = dim // self.groups
        grouped.insert(axis, self.groups)
        x = array_ops.reshape(inputs, array_ops.stack(grouped))
        axes = [a for a in range(1, ndims + 1) if a != axis]
        mean, variance = nn.moments(x, axes, keepdims=True)
        broadcast = [1] * (ndims + 1)
        broadcast[axis], broadcast[axis + 1] = self.groups, dim // self.groups

        def shaped(weight):
            return None if weight is None else array_ops.reshape(weight, broadcast)

        y = nn.batch_normalization(x, mean, variance, shaped(self.beta), shaped(self.gamma),
                                   self.epsilon)
        return array_ops.reshape(y, dyn)

    def get_config(self):
        config = super().get_config()
        config.update(groups=self.groups, axis=self.axis, epsilon=self.epsilon,
                      center=self.center, scale=self.scale,
                      **weight_config(self, "beta", "gamma"))
        return config


class Normalization(Layer):
    """Standardizes features: `(inputs - mean) / max(sqrt(variance), epsilon)` per position of
    `axis` (default: the last; `None` for one mean over everything), with `mean` and
    `variance` given, or learnt from data by `adapt` (then kept in the non-trainable weights
    `mean`, `variance`, `count`). `invert=True` undoes the standardization.

    Example:
        >>> norm = tf.keras.layers.Normalization()
        >>> norm.adapt(train_features)            # numpy [N, F]
        >>> h = norm(tf.keras.Input((F,)))
    """

    _records_build_shape = True

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        else:
            axis = tuple(axis)
        if 0 in axis:
            raise ValueError("The argument 'axis' may not be 0.")
        self.axis = axis
        if (mean is None) != (variance is None):
            raise ValueError("When setting values directly, both `mean` and `variance` must "
                             "be set. Got mean: {} and variance: {}".format(mean, variance))
        self.input_mean, self.input_variance = mean, variance
        self.invert = invert

    def build(self, input_shape):
        dims = tensor_shape.as_shape(input_shape).as_list()
        ndim = len(dims)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError("All `axis` values must be in the range [-ndim, ndim). Found "
                             "ndim: `{}`, axis: {}".format(ndim, self.axis))
        self._keep_axis = sorted(a if a >= 0 else a + ndim for a in self.axis)
        if any(dims[a] is None for a in self._keep_axis):
            raise ValueError("All `axis` values to be kept must have known shape. Got axis: "
                             "{}, input shape: {}".format(self.axis, dims))
        self._reduce_axis = [a for a in range(ndim) if a not in self._keep_axis]
        self._broadcast_shape = [dims[a] if a in self._keep_axis else 1 for a in range(ndim)]
        shape = tuple(dims[a] for a in self._keep_axis)
        dtype = self._dtype or backend.floatx()
        if self.input_mean is None:
            self.adapt_mean = self.add_weight("mean", shape=shape, initializer="zeros",
                                              trainable=False)
            self.adapt_variance = self.add_weight("variance", shape=shape, initializer="ones",
                                                  trainable=False)
            self.count = self.add_weight("count", shape=(), dtype="int64",
                                         initializer="zeros", trainable=False)
            self.mean = array_ops.reshape(self.adapt_mean, self._broadcast_shape)
            self.variance = array_ops.reshape(self.adapt_variance, self._broadcast_shape)
        else:
            mean = np.reshape(self.input_mean * np.ones(shape), self._broadcast_shape)
            variance = np.reshape(self.input_variance * np.ones(shape), self._broadcast_shape)
            self.mean = constant_op.constant(mean, dtype=dtype)
            self.variance = constant_op.constant(variance, dtype=dtype)
        self.built = True

    def adapt(self, data, batch_size=None, steps=None):
        """Sets `mean`, `variance` and `count` from `data` (a numpy array of inputs)."""
        data = np.asarray(data)
        if not self.built:
            self._build_input_shape = (None,) + data.shape[1:]
            self._dtype = self._dtype or backend.floatx()
            self.build(self._build_input_shape)
        if self.input_mean is not None:
            raise ValueError("Cannot adapt a Normalization layer built with `mean` and "
                             "`variance`.")
        axes = tuple(self._reduce_axis)
        mean = data.astype(np.float64).mean(axis=axes)
        variance = data.astype(np.float64).var(axis=axes)
        count = int(np.prod([data.shape[a] for a in axes])) if axes else 1
        backend.batch_set_value([(self.adapt_mean, mean), (self.adapt_variance, variance),
                                 (self.count, count)])

    def call(self, inputs):
        x = math_ops.cast(inputs, self._dtype or backend.floatx())
        scale = math_ops.maximum(math_ops.sqrt(self.variance), backend.epsilon())
        if self.invert:
            return self.mean + x * scale
        return (x - self.mean) / scale

    def get_config(self):
        config = super().get_config()

        def plain(value):
            return value.tolist() if isinstance(value, np.ndarray) else value

        config.update(axis=self.axis, invert=self.invert, mean=plain(self.input_mean),
                      variance=plain(self.input_variance))
        return config
