"""Keras regularization layers: `SpatialDropout1D/2D/3D`, `GaussianNoise`, `GaussianDropout`,
`AlphaDropout` and `ActivityRegularization`.

The random layers change their input only in training: `training=True/False` (or a bool
tensor) when given, else the Keras learning phase (`tf.keras.backend.learning_phase()`, fed
True by `fit`); in inference they are the identity, as in tf_keras.
"""

import math

from tensorflux.graph import dtypes
from tensorflux.keras import backend, regularizers
from tensorflux.keras.engine.base_layer import Layer
from tensorflux.keras.layers.core import Dropout
from tensorflux.layers import utils as tf_utils
from tensorflux.ops import array_ops, math_ops, random_ops

# SELU's constants (Klambauer et al., 2017), which AlphaDropout's affine correction uses.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def in_train_phase(noisy_fn, inputs, training):
    """`noisy_fn()` when `training` (default: the learning phase) holds, else `inputs`."""
    if training is None:
        training = backend.learning_phase()
    return tf_utils.smart_cond(training, noisy_fn, lambda: array_ops.identity(inputs))


class _SpatialDropout(Dropout):
    """Dropout of whole feature maps: one keep/drop decision per (example, channel)."""

    _rank = 2

    def __init__(self, rate, data_format=None, **kwargs):
        super().__init__(rate, **kwargs)
        self.data_format = data_format or backend.image_data_format()
        if self.data_format not in ("channels_first", "channels_last"):
            raise ValueError('`data_format` must be "channels_last" or "channels_first". '
                             "Received: %s" % (self.data_format,))

    def _get_noise_shape(self, inputs):
        """`[N, 1, …, 1, C]` (channels_last) or `[N, C, 1, …, 1]` (channels_first)."""
        shape = array_ops.shape(inputs)
        ones = [1] * self._rank
        if self.data_format == "channels_first":
            dims = [shape[0], shape[1]] + ones
        else:
            dims = [shape[0]] + ones + [shape[self._rank + 1]]
        return array_ops.stack([math_ops.cast(d, dtypes.int32) for d in dims])


class SpatialDropout1D(_SpatialDropout):
    """Drops whole channels of `[batch, steps, channels]` inputs (rate `rate`) in training.

    Example:
        >>> h = tf.keras.layers.SpatialDropout1D(0.2)(h)
    """

    _rank = 1

    def __init__(self, rate, **kwargs):
        super().__init__(rate, data_format="channels_last", **kwargs)


class SpatialDropout2D(_SpatialDropout):
    """Drops whole feature maps of 4-D inputs in training.

    tf_keras leaves `data_format` out of the config; so does tensorflux.

    Example:
        >>> h = tf.keras.layers.SpatialDropout2D(0.1)(feature_maps)
    """


class SpatialDropout3D(_SpatialDropout):
    """Drops whole feature volumes of 5-D inputs in training."""

    _rank = 3


class GaussianNoise(Layer):
    """Adds zero-mean Gaussian noise of standard deviation `stddev` in training.

    Example:
        >>> h = tf.keras.layers.GaussianNoise(0.1)(x)
    """

    _passes_mask = True

    _records_build_shape = True  # tf_keras' random layers have a `build`

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.stddev = stddev
        self.seed = seed

    def get_config(self):
        config = super().get_config()
        config.update(stddev=self.stddev, seed=self.seed)
        return config

    def call(self, inputs, training=None):
        def noised():
            noise = random_ops.random_normal(array_ops.shape(inputs), mean=0.0,
                                             stddev=self.stddev, dtype=inputs.dtype,
                                             seed=self.seed)
            return inputs + noise

        return in_train_phase(noised, inputs, training)


class GaussianDropout(Layer):
    """Multiplies by Gaussian noise of mean 1 and variance `rate / (1 - rate)` in training.

    Example:
        >>> h = tf.keras.layers.GaussianDropout(0.2)(h)
    """

    _passes_mask = True

    _records_build_shape = True  # tf_keras' random layers have a `build`

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.rate = rate
        self.seed = seed

    def get_config(self):
        config = super().get_config()
        config.update(rate=self.rate, seed=self.seed)
        return config

    def call(self, inputs, training=None):
        if not 0 < self.rate < 1:
            return array_ops.identity(inputs)

        def noised():
            stddev = math.sqrt(self.rate / (1.0 - self.rate))
            noise = random_ops.random_normal(array_ops.shape(inputs), mean=1.0, stddev=stddev,
                                             dtype=inputs.dtype, seed=self.seed)
            return inputs * noise

        return in_train_phase(noised, inputs, training)


class AlphaDropout(Layer):
    """Dropout for SELU networks: dropped units are set to SELU's negative saturation value,
    then an affine map restores the input's mean and variance (for zero-mean, unit-variance
    inputs). tf_keras' config keeps `rate` and `seed`, not `noise_shape`.

    Example:
        >>> h = tf.keras.layers.AlphaDropout(0.1)(tf.keras.layers.Dense(64, "selu")(x))
    """

    _passes_mask = True

    _records_build_shape = True  # tf_keras' random layers have a `build`

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed

    def get_config(self):
        config = super().get_config()
        config.update(rate=self.rate, seed=self.seed)
        return config

    def _dropped(self, inputs):
        rate = float(self.rate)
        alpha_p = -_SELU_ALPHA * _SELU_SCALE
        shape = self.noise_shape or array_ops.shape(inputs)
        uniform = random_ops.random_uniform(shape, dtype=inputs.dtype, seed=self.seed)
        kept = math_ops.cast(math_ops.greater_equal(uniform, rate), inputs.dtype)
        a = ((1.0 - rate) * (1.0 + rate * alpha_p ** 2)) ** -0.5
        b = -a * alpha_p * rate
        return a * (inputs * kept + alpha_p * (1.0 - kept)) + b

    def call(self, inputs, training=None):
        if not 0 < self.rate < 1:
            return array_ops.identity(inputs)
        return in_train_phase(lambda: self._dropped(inputs), inputs, training)


class ActivityRegularization(Layer):
    """Identity that adds `l1 * sum(|x|) + l2 * sum(x^2)`, divided by the batch size, to the
    layer's (and so the model's) losses.

    Example:
        >>> h = tf.keras.layers.ActivityRegularization(l1=1e-4)(h)
    """

    _passes_mask = True

    def __init__(self, l1=0.0, l2=0.0, **kwargs):  # noqa: E741 - Keras' names
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1 = l1
        self.l2 = l2

    def get_config(self):
        config = super().get_config()
        config.update(l1=self.l1, l2=self.l2)
        return config

    def call(self, inputs):
        # A new tensor: a Keras node's output must not be its input (as tf_keras ensures).
        return array_ops.identity(inputs)
