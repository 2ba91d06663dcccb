"""Activation layers: `ReLU`, `LeakyReLU`, `PReLU`, `ELU`, `ThresholdedReLU`, `Softmax`."""

import numpy as np

from tensorflux import nn
from tensorflux.graph import tensor_shape
from tensorflux.keras import activations, initializers, regularizers
from tensorflux.keras.engine.base_layer import Layer
from tensorflux.keras.layers.core import weight_config
from tensorflux.ops import math_ops


class ReLU(Layer):
    """`relu` with Keras' `max_value`, `negative_slope` and `threshold`.

    Example:
        >>> tf.keras.layers.ReLU(max_value=6.0)(x)
    """

    _passes_mask = True

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

    _passes_mask = True

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

    _passes_mask = True

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = float(alpha)

    def call(self, inputs):
        return activations.elu(inputs, self.alpha)

    def get_config(self):
        config = super().get_config()
        config["alpha"] = _floatx(self.alpha)
        return config


class PReLU(Layer):
    """Leaky ReLU with a learned slope: `x` for positive inputs, `alpha * x` otherwise.

    The variable `alpha` has the input's shape without the batch axis, with size 1 on each
    of `shared_axes` (axis indices of the full input, so `[1, 2]` shares a slope over rows and
    columns of `[N, H, W, C]` images: one per channel).

    Example:
        >>> tf.keras.layers.PReLU(shared_axes=[1, 2])(feature_maps)
    """

    _passes_mask = True

    def __init__(self, alpha_initializer="zeros", alpha_regularizer=None, alpha_constraint=None,
                 shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = alpha_constraint
        if shared_axes is not None and not isinstance(shared_axes, (list, tuple)):
            shared_axes = [shared_axes]
        self.shared_axes = None if shared_axes is None else list(shared_axes)

    _records_build_shape = True

    def get_config(self):
        config = super().get_config()
        config.update(shared_axes=self.shared_axes, **weight_config(self, "alpha"))
        return config

    def build(self, input_shape):
        shape = tensor_shape.as_shape(input_shape).as_list()[1:]
        for axis in self.shared_axes or []:
            shape[axis - 1] = 1
        if any(d is None for d in shape):
            raise ValueError("PReLU needs known sizes on the axes it does not share; input "
                             "shape %s, shared_axes %s." % (input_shape, self.shared_axes))
        self.alpha = self.add_weight("alpha", shape=shape, initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer,
                                     constraint=self.alpha_constraint)
        self.built = True

    def call(self, inputs):
        return nn.relu(inputs) - self.alpha * nn.relu(-inputs)


class ThresholdedReLU(Layer):
    """`x` where `x > theta`, 0 elsewhere.

    Example:
        >>> tf.keras.layers.ThresholdedReLU(theta=0.5)(x)
    """

    _passes_mask = True

    def __init__(self, theta=1.0, **kwargs):
        super().__init__(**kwargs)
        if theta is None or theta < 0:
            raise ValueError("Theta of a Thresholded ReLU layer cannot be None or negative, "
                             "but got %s." % (theta,))
        self.supports_masking = True
        self.theta = _floatx(theta)

    def call(self, inputs):
        above = math_ops.cast(math_ops.greater(inputs, self.theta), inputs.dtype)
        return inputs * above

    def get_config(self):
        config = super().get_config()
        config["theta"] = self.theta
        return config


class Softmax(Layer):
    """Softmax over `axis`."""

    _passes_mask = True

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
