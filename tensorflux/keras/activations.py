"""`tf.keras.activations`: activation functions by name (`"relu"`, `"softmax"`, …) and `get`.

Example:
    >>> tf.keras.activations.get("relu")(x)
"""

from tensorflux import nn
from tensorflux.ops import manip_ops, math_ops


def linear(x):
    return x


def relu(x, alpha=0.0, max_value=None, threshold=0):
    """`max(x, 0)`, with Keras' optional leak `alpha`, cap `max_value` and `threshold`."""
    negative = None
    if alpha != 0:
        negative = nn.relu(-x + threshold) if threshold != 0 else nn.relu(-x)
    clip = max_value is not None
    if threshold != 0:
        x = x * math_ops.cast(math_ops.greater(x, threshold), x.dtype.base_dtype)
    elif max_value == 6:
        x, clip = nn.relu6(x), False
    else:
        x = nn.relu(x)
    if clip:
        x = math_ops.clip_by_value(x, 0.0, float(max_value))
    if negative is not None:
        x = x - alpha * negative
    return x


def softmax(x, axis=-1):
    """Softmax over `axis` (the last by default)."""
    return nn.softmax(x, axis=axis)


def elu(x, alpha=1.0):
    out = nn.elu(x)
    return out if alpha == 1 else manip_ops.where(math_ops.greater(x, 0.0), out, alpha * out)


def selu(x):
    return nn.selu(x)


def softplus(x):
    return nn.softplus(x)


def softsign(x):
    return nn.softsign(x)


def tanh(x):
    return math_ops.tanh(x)


def sigmoid(x):
    return math_ops.sigmoid(x)


def hard_sigmoid(x):
    """`clip(0.2 * x + 0.5, 0, 1)`."""
    return math_ops.clip_by_value(0.2 * x + 0.5, 0.0, 1.0)


def exponential(x):
    return math_ops.exp(x)


def swish(x):
    """`x * sigmoid(x)` (Ramachandran et al., 2017), also called SiLU.

    Example:
        >>> tf.keras.layers.Dense(64, activation="swish")
    """
    return x * math_ops.sigmoid(x)


_BY_NAME = {fn.__name__: fn for fn in (linear, relu, softmax, elu, selu, softplus, softsign,
                                        tanh, sigmoid, hard_sigmoid, exponential, swish)}


def serialize(activation):
    """The name tf_keras stores for an activation (`"linear"` for None)."""
    if activation is None:
        return "linear"
    return getattr(activation, "__name__", activation)


def deserialize(name, custom_objects=None):
    from tensorflux.keras.utils import generic_utils

    custom = generic_utils.lookup(name, custom_objects)
    if custom is not None:
        return custom
    if name not in _BY_NAME:
        raise ValueError("Unknown activation function:" + str(name))
    return _BY_NAME[name]


def get(identifier):
    """A callable for a name, a callable or None (-> `linear`).

    Example:
        >>> tf.keras.activations.get("tanh") is tf.keras.activations.tanh
        True
    """
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError("Could not interpret activation function identifier:", identifier)


__all__ = ["deserialize", "elu", "exponential", "get", "hard_sigmoid", "linear", "relu",
           "selu", "serialize", "sigmoid", "softmax", "softplus", "softsign", "swish", "tanh"]
