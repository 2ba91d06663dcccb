"""`tf.keras.initializers`: the TF initializers under Keras' class and string names.

Example:
    >>> tf.keras.layers.Dense(10, kernel_initializer="he_normal")
    >>> tf.keras.initializers.get("glorot_uniform")
"""

from tensorflux.ops import init_ops
from tensorflux.ops.init_ops import (
    Constant,
    GlorotNormal,
    GlorotUniform,
    Identity,
    Initializer,
    Ones,
    Orthogonal,
    VarianceScaling,
    Zeros,
    he_normal,
    he_uniform,
    lecun_normal,
    lecun_uniform,
)


class RandomNormal(init_ops.RandomNormal):
    """Normal values, Keras' default `stddev=0.05`."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None, dtype="float32"):
        super().__init__(mean, stddev, seed, dtype)


class RandomUniform(init_ops.RandomUniform):
    """Uniform values in `[minval, maxval)`, Keras' default `[-0.05, 0.05)` (`"uniform"`)."""

    def __init__(self, minval=-0.05, maxval=0.05, seed=None, dtype="float32"):
        super().__init__(minval, maxval, seed, dtype)


class TruncatedNormal(init_ops.TruncatedNormal):
    """Truncated normal values, Keras' default `stddev=0.05`."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None, dtype="float32"):
        super().__init__(mean, stddev, seed, dtype)


constant = Constant
glorot_normal = GlorotNormal
glorot_uniform = GlorotUniform
identity = Identity
ones = Ones
orthogonal = Orthogonal
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
zeros = Zeros

_BY_NAME = {
    "constant": Constant, "glorot_normal": GlorotNormal, "glorot_uniform": GlorotUniform,
    "he_normal": he_normal, "he_uniform": he_uniform, "identity": Identity,
    "lecun_normal": lecun_normal, "lecun_uniform": lecun_uniform, "ones": Ones,
    "orthogonal": Orthogonal, "random_normal": RandomNormal, "normal": RandomNormal,
    "uniform": RandomUniform, "random_uniform": RandomUniform,
    "truncated_normal": TruncatedNormal, "variance_scaling": VarianceScaling, "zeros": Zeros,
}


def _snake(name):
    from tensorflux.layers.base import to_snake_case

    return to_snake_case(name)


def get(identifier):
    """An initializer for a name (`"he_normal"`, `"GlorotUniform"`), a config dict, an
    initializer or None.

    Example:
        >>> init = tf.keras.initializers.get("zeros")
    """
    if identifier is None or callable(identifier) and not isinstance(identifier, type):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, init_ops.Initializer):
        return identifier()
    if isinstance(identifier, dict):
        cls = _BY_NAME[_snake(identifier["class_name"])]
        return cls(**identifier.get("config", {}))
    if isinstance(identifier, str):
        key = identifier if identifier in _BY_NAME else _snake(identifier)
        if key not in _BY_NAME:
            raise ValueError("Unknown initializer: " + identifier)
        return _BY_NAME[key]()
    raise ValueError("Could not interpret initializer identifier: " + str(identifier))


__all__ = [
    "Constant", "GlorotNormal", "GlorotUniform", "Identity", "Initializer", "Ones",
    "Orthogonal", "RandomNormal", "RandomUniform", "TruncatedNormal", "VarianceScaling",
    "Zeros", "constant", "get", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform",
    "identity", "lecun_normal", "lecun_uniform", "ones", "orthogonal", "random_normal",
    "random_uniform", "truncated_normal", "variance_scaling", "zeros",
]
