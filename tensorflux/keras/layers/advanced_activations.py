"""Activation layers: `ReLU`, `LeakyReLU`, `ELU`, `Softmax`."""

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


class ELU(Layer):
    """Exponential linear unit with scale `alpha`."""

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = float(alpha)

    def call(self, inputs):
        return activations.elu(inputs, self.alpha)


class Softmax(Layer):
    """Softmax over `axis`."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs):
        return nn.softmax(inputs, axis=self.axis)
