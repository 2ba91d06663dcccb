"""`tf.keras.initializers`: the TF initializers under Keras' class and string names.

Example:
    >>> tf.keras.layers.Dense(10, kernel_initializer="he_normal")
    >>> tf.keras.initializers.get("glorot_uniform")

`serialize` gives tf_keras' dicts (`{"class_name": "GlorotUniform", "config": {"seed": None},
...}`). Like tf_keras in graph mode, an initializer made from a class with a `dtype` argument
(`RandomNormal(...)`) lists its dtype, one named by a string (`"uniform"`) does not.
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


class _NamedVarianceScaling(VarianceScaling):
    """A `VarianceScaling` preset under its own class name (serialized as `{"seed": ...}`)."""

    _preset = (1.0, "fan_in", "truncated_normal")

    def __init__(self, seed=None, dtype="float32"):
        super().__init__(*self._preset, seed=seed, dtype=dtype)


class HeNormal(_NamedVarianceScaling):
    """Truncated normal with stddev `sqrt(2 / fan_in)`."""

    _preset = (2.0, "fan_in", "truncated_normal")


class HeUniform(_NamedVarianceScaling):
    """Uniform in `±sqrt(6 / fan_in)`."""

    _preset = (2.0, "fan_in", "uniform")


class LecunNormal(_NamedVarianceScaling):
    """Truncated normal with stddev `sqrt(1 / fan_in)`."""


class LecunUniform(_NamedVarianceScaling):
    """Uniform in `±sqrt(3 / fan_in)`."""

    _preset = (1.0, "fan_in", "uniform")


constant = Constant
he_normal = HeNormal
he_uniform = HeUniform
lecun_normal = LecunNormal
lecun_uniform = LecunUniform
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
    "he_normal": HeNormal, "he_uniform": HeUniform, "identity": Identity,
    "lecun_normal": LecunNormal, "lecun_uniform": LecunUniform, "ones": Ones,
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
        return deserialize(identifier)
    if isinstance(identifier, str):
        key = identifier if identifier in _BY_NAME else _snake(identifier)
        if key not in _BY_NAME:
            raise ValueError("Unknown initializer: " + identifier)
        initializer = _BY_NAME[key]()
        initializer._config_dtype = False  # tf_keras' string names give v2 initializers
        return initializer
    raise ValueError("Could not interpret initializer identifier: " + str(identifier))


# The config keys of each class as tf_keras writes them (`dtype` added where the class has it).
_CONFIG_KEYS = {
    "Zeros": (), "Ones": (), "GlorotUniform": ("seed",), "GlorotNormal": ("seed",),
    "HeNormal": ("seed",), "HeUniform": ("seed",), "LecunNormal": ("seed",),
    "LecunUniform": ("seed",), "Constant": ("value", "dtype"),
    "RandomNormal": ("mean", "stddev", "seed", "dtype"),
    "TruncatedNormal": ("mean", "stddev", "seed", "dtype"),
    "RandomUniform": ("minval", "maxval", "seed", "dtype"),
    "VarianceScaling": ("scale", "mode", "distribution", "seed", "dtype"),
    "Orthogonal": ("gain", "seed", "dtype"), "Identity": ("gain", "dtype"),
}


def serialize(initializer):
    """tf_keras' dict for an initializer (None for None).

    Example:
        >>> tf.keras.initializers.serialize(tf.keras.initializers.Zeros())["class_name"]
        'Zeros'
    """
    if initializer is None:
        return None
    name = type(initializer).__name__
    if name not in _CONFIG_KEYS:
        raise NotImplementedError("Cannot serialize initializer %r for a Keras model file."
                                  % (initializer,))
    config = {}
    for key in _CONFIG_KEYS[name]:
        if key == "dtype":
            if getattr(initializer, "_config_dtype", True):
                config["dtype"] = initializer.dtype.name
        else:
            config[key] = getattr(initializer, key)
    return {"module": "keras.initializers", "class_name": name, "config": config,
            "registered_name": None}


def deserialize(config, custom_objects=None):
    """The initializer for a `serialize` dict (`{"class_name": ..., "config": {...}}`)."""
    name = config["class_name"]
    if custom_objects and name in custom_objects:
        return custom_objects[name](**config.get("config", {}))
    key = _snake(name)
    if key not in _BY_NAME:
        raise ValueError("Unknown initializer: " + name)
    kwargs = dict(config.get("config", {}))
    initializer = _BY_NAME[key](**kwargs)
    initializer._config_dtype = "dtype" in kwargs
    return initializer


__all__ = [
    "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity",
    "Initializer", "LecunNormal", "LecunUniform", "Ones", "Orthogonal", "RandomNormal",
    "RandomUniform", "TruncatedNormal", "VarianceScaling", "Zeros", "constant", "deserialize",
    "get", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform",
    "identity", "lecun_normal", "lecun_uniform", "ones", "orthogonal", "random_normal",
    "random_uniform", "serialize", "truncated_normal", "variance_scaling", "zeros",
]
