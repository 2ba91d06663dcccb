"""`tf.keras.regularizers`: `l1`, `l2`, `l1_l2` weight penalties (`L1L2`).

Example:
    >>> tf.keras.layers.Dense(10, kernel_regularizer=tf.keras.regularizers.l2(1e-4))
"""

from tensorflux.ops import math_ops, reduction_ops


class Regularizer:
    """Base class: a callable from a weight tensor to a scalar penalty."""

    def __call__(self, x):
        return 0.0

    def get_config(self):
        return {}


class L1L2(Regularizer):
    """`l1 * sum(|x|) + l2 * sum(x^2)`."""

    def __init__(self, l1=0.0, l2=0.0):  # noqa: E741 - Keras' names
        self.l1 = float(l1)
        self.l2 = float(l2)

    def __call__(self, x):
        penalty = 0.0
        if self.l1:
            penalty += self.l1 * reduction_ops.reduce_sum(math_ops.abs(x))
        if self.l2:
            penalty += self.l2 * reduction_ops.reduce_sum(math_ops.square(x))
        return penalty

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


def l1(l=0.01):  # noqa: E741 - Keras' name
    """`l * sum(|x|)`."""
    return L1L2(l1=l)


def l2(l=0.01):  # noqa: E741 - Keras' name
    """`l * sum(x^2)`.

    Example:
        >>> reg = tf.keras.regularizers.l2(5e-4)
    """
    return L1L2(l2=l)


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
        return L1L2(**identifier.get("config", {}))
    raise ValueError("Could not interpret regularizer identifier: " + str(identifier))


__all__ = ["L1L2", "Regularizer", "get", "l1", "l1_l2", "l2"]
