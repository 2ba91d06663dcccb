"""Activation layers: `ReLU`, `LeakyReLU`, `ELU`, `Softmax`."""

import numpy as np

from tensorflux import nn
from tensorflux.keras import activations
from tensorflux.keras.engine.base_layer import Layer


class ReLU(Layer):
    """`relu` with Keras' `max_value`, `negative_slope` and `threshold`.

    Example:
        >>> tf.keras.layers.ReLU(max_value=6.0)(x)
    """

    def __init__(self, max_value=None, negative_slope=0, threshold=0, **kwargs):
        super().__init__(**kwargs)
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold

    def get_config(self):
        config = super().get_config()
        config.update(max_value=_floatx(self.max_value), negative_slope=_floatx(
            self.negative_slope), threshold=_floatx(self.threshold))
        return config

    def call(self, inputs):
        return activations.relu(inputs, alpha=self.negative_slope, max_value=self.max_value,
                                threshold=self.threshold)


class LeakyReLU(Layer):
    """`x` for positive inputs, `alpha * x` otherwise (Keras' default `alpha=0.3`)."""

    def __init__(self, alpha=0.3, **kwargs):
        super().__init__(**kwargs)
        self.alpha = float(alpha)

    def call(self, inputs):
        return nn.leaky_relu(inputs, alpha=self.alpha)

    def get_config(self):
        config = super().get_config()
        config["alpha"] = _floatx(self.alpha)
        return config


class ELU(Layer):
    """Exponential linear unit with scale `alpha`."""

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = float(alpha)

    def call(self, inputs):
        return activations.elu(inputs, self.alpha)

    def get_config(self):
        config = super().get_config()
        config["alpha"] = _floatx(self.alpha)
        return config


class Softmax(Layer):
    """Softmax over `axis`."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs):
        return nn.softmax(inputs, axis=self.axis)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config


def _floatx(value):
    """A hyper-parameter as tf_keras keeps it in its config: float32 (None stays None)."""
    return None if value is None else float(np.float32(value))
