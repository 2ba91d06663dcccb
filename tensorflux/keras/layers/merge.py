"""Keras merge layers: `Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum`,
`Concatenate`, and their functional forms (`add`, `concatenate`, …)."""

import functools

from tensorflux.keras.engine.base_layer import Layer
from tensorflux.ops import array_ops, math_ops


class _Merge(Layer):
    """Combines a list of tensors of the same shape element-wise."""

    _records_build_shape = True

    def _merge(self, a, b):
        raise NotImplementedError

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) < 2:
            raise ValueError("A merge layer should be called on a list of at least 2 inputs. "
                             "Got %s inputs." % (len(inputs) if isinstance(inputs, list) else 1))
        return functools.reduce(self._merge, inputs)


class Add(_Merge):
    """Sum of the inputs.

    Example:
        >>> y = tf.keras.layers.Add()([a, b])
    """

    def _merge(self, a, b):
        return a + b


class Subtract(_Merge):
    """`inputs[0] - inputs[1]`."""

    def call(self, inputs):
        if len(inputs) != 2:
            raise ValueError("A `Subtract` layer should be called on exactly 2 inputs")
        return inputs[0] - inputs[1]


class Multiply(_Merge):
    """Element-wise product of the inputs."""

    def _merge(self, a, b):
        return a * b


class Maximum(_Merge):
    def _merge(self, a, b):
        return math_ops.maximum(a, b)


class Minimum(_Merge):
    def _merge(self, a, b):
        return math_ops.minimum(a, b)


class Average(_Merge):
    """Mean of the inputs."""

    def call(self, inputs):
        return super().call(inputs) / float(len(inputs))

    def _merge(self, a, b):
        return a + b


class Concatenate(Layer):
    """Concatenates a list of tensors along `axis`.

    Example:
        >>> y = tf.keras.layers.Concatenate()([a, b])     # last axis
    """

    _records_build_shape = True

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config

    def call(self, inputs):
        return array_ops.concat(list(inputs), axis=self.axis)


def _functional(cls):
    def fn(inputs, **kwargs):
        return cls(**kwargs)(inputs)

    fn.__name__ = cls.__name__.lower()
    fn.__doc__ = "Functional interface of `%s`: `%s(inputs)`." % (cls.__name__, fn.__name__)
    return fn


add, subtract, multiply = _functional(Add), _functional(Subtract), _functional(Multiply)
average, maximum, minimum = _functional(Average), _functional(Maximum), _functional(Minimum)


def concatenate(inputs, axis=-1, **kwargs):
    """Functional interface of `Concatenate`.

    Example:
        >>> y = tf.keras.layers.concatenate([a, b])
    """
    return Concatenate(axis=axis, **kwargs)(inputs)
