"""Keras merge layers: `Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum`,
`Concatenate`, `Dot`, and their functional forms (`add`, `concatenate`, `dot`, …)."""

import functools

import numpy as np

from tensorflux import nn
from tensorflux.keras.engine.base_layer import Layer
from tensorflux.ops import array_ops, linalg_ops, math_ops


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


class Dot(Layer):
    """Per-example dot product of two tensors along `axes` (one int for both, or a pair);
    with `normalize=True` both are L2-normalized first, giving cosine similarities.

    The result has `x`'s remaining axes then `y`'s (`[N, 1]` when none remain), as tf_keras'
    `batch_dot`.

    Example:
        >>> scores = tf.keras.layers.Dot(axes=(2, 2))([queries, keys])    # [N, Tq, Tk]
    """

    _records_build_shape = True

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int) and len(axes) != 2:
            raise ValueError("Invalid format for argument `axes`: expected an int or a list "
                             "of 2 ints. Received: axes=%s" % (axes,))
        self.axes = axes if isinstance(axes, int) else tuple(int(a) for a in axes)
        self.normalize = normalize
        self.supports_masking = True

    def get_config(self):
        config = super().get_config()
        config.update(axes=self.axes, normalize=self.normalize)
        return config

    def _pair_axes(self, x, y):
        axes = (self.axes, self.axes) if isinstance(self.axes, int) else self.axes
        return [a % t.shape.ndims if a < 0 else a for a, t in zip(axes, (x, y))]

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
            raise ValueError("A `Dot` layer should be called on exactly 2 inputs.")
        x, y = inputs
        ax, ay = self._pair_axes(x, y)
        if x.shape.as_list()[ax] != y.shape.as_list()[ay]:
            raise ValueError("Incompatible input shapes for Dot: axis %d of %s and axis %d of "
                             "%s differ." % (ax, x.shape, ay, y.shape))
        if self.normalize:
            x = nn.l2_normalize(x, axis=ax)
            y = nn.l2_normalize(y, axis=ay)
        return batch_dot(x, y, ax, ay)


def _known_dims(tensor, axes):
    dims = [tensor.shape.as_list()[a] for a in axes]
    if any(d is None for d in dims):
        raise ValueError("Dot needs known sizes outside the batch axis; got shape %s."
                         % (tensor.shape,))
    return dims


def batch_dot(x, y, x_axis, y_axis):
    """Contracts `x`'s axis `x_axis` with `y`'s `y_axis`, example by example, as one batched
    matmul: `x` -> `[N, P, d]`, `y` -> `[N, d, Q]`, result reshaped to `[N] + x rest + y rest`.
    """
    x_rest = [a for a in range(1, x.shape.ndims) if a != x_axis]
    y_rest = [a for a in range(1, y.shape.ndims) if a != y_axis]
    x_dims, y_dims = _known_dims(x, x_rest), _known_dims(y, y_rest)
    depth = _known_dims(x, [x_axis])[0]
    x3 = array_ops.reshape(array_ops.transpose(x, [0] + x_rest + [x_axis]),
                           [-1, int(np.prod(x_dims)), depth])
    y3 = array_ops.reshape(array_ops.transpose(y, [0, y_axis] + y_rest),
                           [-1, depth, int(np.prod(y_dims))])
    out = linalg_ops.matmul(x3, y3)
    return array_ops.reshape(out, [-1] + (x_dims + y_dims or [1]))


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


def dot(inputs, axes, normalize=False, **kwargs):
    """Functional interface of `Dot`.

    Example:
        >>> similarity = tf.keras.layers.dot([a, b], axes=1, normalize=True)
    """
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
