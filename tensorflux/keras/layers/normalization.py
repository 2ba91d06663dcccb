"""Keras `BatchNormalization`: the `tf.layers` layer with Keras' base; `training` defaults to
the learning phase, and the moving-average updates stay on the layer (`layer.updates`, run by
`Model.fit`), not in `tf.GraphKeys.UPDATE_OPS` — as in TF 1.x Keras."""

from tensorflux.keras import backend, initializers
from tensorflux.keras.engine.base_layer import Layer
from tensorflux.keras.layers.core import weight_args, weight_config
from tensorflux.layers import normalization as tf_norm


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
