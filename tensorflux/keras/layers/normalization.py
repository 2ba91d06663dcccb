"""Keras `BatchNormalization` and `LayerNormalization`.

`BatchNormalization` is the `tf.layers` layer with Keras' base; `training` defaults to the
learning phase, and the moving-average updates stay on the layer (`layer.updates`, run by
`Model.fit`), not in `tf.GraphKeys.UPDATE_OPS` — as in TF 1.x Keras."""

from tensorflux import nn
from tensorflux.graph import tensor_shape
from tensorflux.keras import backend, initializers, regularizers
from tensorflux.keras.engine.base_layer import Layer
from tensorflux.keras.layers.core import weight_args, weight_config
from tensorflux.layers import normalization as tf_norm
from tensorflux.ops import array_ops


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
                 beta_regularizer=None, gamma_regularizer=None, **kwargs):
        tf_norm.BatchNormalization.__init__(
            self, axis=axis, momentum=momentum, epsilon=epsilon, center=center, scale=scale,
            **weight_args(beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
                          moving_mean_initializer=moving_mean_initializer,
                          moving_variance_initializer=moving_variance_initializer,
                          beta_regularizer=beta_regularizer,
                          gamma_regularizer=gamma_regularizer), **kwargs)

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
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = beta_constraint
        self.gamma_constraint = gamma_constraint
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
