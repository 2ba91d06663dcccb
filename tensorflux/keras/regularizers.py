"""`tf.keras.regularizers`: `l1`, `l2`, `l1_l2` weight penalties (`L1L2`).

Example:
    >>> tf.keras.layers.Dense(10, kernel_regularizer=tf.keras.regularizers.l2(1e-4))
"""

import numpy as np

from tensorflux.ops import math_ops, reduction_ops


def _floatx(value):
    """A factor as tf_keras keeps it: cast to float32 (so `0.01` reads back `0.00999…`)."""
    return float(np.float32(value))


class Regularizer:
    """Base class: a callable from a weight tensor to a scalar penalty."""

    def __call__(self, x):
        return 0.0

    def get_config(self):
        return {}


class L1L2(Regularizer):
    """`l1 * sum(|x|) + l2 * sum(x^2)`."""

    def __init__(self, l1=0.0, l2=0.0):  # noqa: E741 - Keras' names
        self.l1 = _floatx(l1)
        self.l2 = _floatx(l2)

    def __call__(self, x):
        penalty = 0.0
        if self.l1:
            penalty += self.l1 * reduction_ops.reduce_sum(math_ops.abs(x))
        if self.l2:
            penalty += self.l2 * reduction_ops.reduce_sum(math_ops.square(x))
        return penalty

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    """`l1 * sum(|x|)`."""

    def __init__(self, l1=0.01, **kwargs):  # noqa: E741 - Keras' names
        super().__init__(l1=kwargs.pop("l", l1))

    def get_config(self):
        return {"l1": self.l1}


class L2(L1L2):
    """`l2 * sum(x^2)`."""

    def __init__(self, l2=0.01, **kwargs):  # noqa: E741 - Keras' names
        super().__init__(l2=kwargs.pop("l", l2))

    def get_config(self):
        return {"l2": self.l2}


def l1(l=0.01):  # noqa: E741 - Keras' name
    """`l * sum(|x|)`."""
    return L1(l)


def l2(l=0.01):  # noqa: E741 - Keras' name
    """`l * sum(x^2)`.

    Example:
        >>> reg = tf.keras.regularizers.l2(5e-4)
    """
    return L2(l)


def l1_l2(l1=0.01, l2=0.01):  # noqa: E741
    return L1L2(l1=l1, l2=l2)


def get(identifier):
    """A regularizer for None, a callable, `"l1"`/`"l2"`/`"l1_l2"` or a config dict."""
    if identifier is None or callable(identifier):
        return identifier
    if isinstance(identifier, str):
        table = {"l1": l1, "l2": l2, "l1_l2": l1_l2}
        if identifier not in table:
            raise ValueError("Unknown regularizer: " + identifier)
        return table[identifier]()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    raise ValueError("Could not interpret regularizer identifier: " + str(identifier))


_CLASSES = {"L1L2": L1L2, "L1": L1, "L2": L2}


def serialize(regularizer):
    """tf_keras' dict for a regularizer (None for None).

    Example:
        >>> tf.keras.regularizers.serialize(tf.keras.regularizers.l2(0.5))["config"]
        {'l2': 0.5}
    """
    if regularizer is None:
        return None
    name = type(regularizer).__name__
    if name not in _CLASSES:
        raise NotImplementedError("Cannot serialize regularizer %r for a Keras model file."
                                  % (regularizer,))
    return {"module": "keras.regularizers", "class_name": name,
            "config": regularizer.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    """The regularizer for a `serialize` dict."""
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _CLASSES.get(name)
    if cls is None:
        raise ValueError("Unknown regularizer: " + name)
    return cls(**config.get("config", {}))


__all__ = ["L1", "L1L2", "L2", "Regularizer", "deserialize", "get", "l1", "l1_l2", "l2",
           "serialize"]
