"""`tf.keras.constraints`: projections applied to a weight after each optimizer step
(`MaxNorm`, `NonNeg`, `UnitNorm`, `MinMaxNorm`), their names and (de)serialization.

A layer passes its `kernel_constraint`/`bias_constraint` to the variable it makes; the
optimizer assigns `constraint(variable)` right after each update, as Keras does.

Example:
    >>> tf.keras.layers.Dense(64, kernel_constraint=tf.keras.constraints.max_norm(2.0))
"""

from tensorflux.keras import backend
from tensorflux.keras.utils import generic_utils
from tensorflux.ops import math_ops, reduction_ops


class Constraint:
    """Base class: `__call__(w)` returns the projected weight tensor."""

    def __call__(self, w):
        return w

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _norms(w, axis):
    return math_ops.sqrt(reduction_ops.reduce_sum(math_ops.square(w), axis=axis,
                                                  keepdims=True))


class MaxNorm(Constraint):
    """Rescales each slice along `axis` whose L2 norm exceeds `max_value` to that norm.

    For a Dense kernel `(in, out)` the default `axis=0` constrains each unit's incoming
    weights; for a Conv2D kernel use `axis=[0, 1, 2]`.

    Example:
        >>> tf.keras.constraints.MaxNorm(max_value=3, axis=0)
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = math_ops.clip_by_value(norms, 0.0, self.max_value)
        return w * (desired / (backend.epsilon() + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Zeroes the negative weights."""

    def __call__(self, w):
        return w * math_ops.cast(math_ops.greater_equal(w, 0.0), w.dtype.base_dtype)


class UnitNorm(Constraint):
    """Scales each slice along `axis` to unit L2 norm."""

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        return w / (backend.epsilon() + _norms(w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Moves each slice's L2 norm into `[min_value, max_value]`, by a fraction `rate` of the
    way (`rate=1`: all the way)."""

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value, self.max_value = min_value, max_value
        self.rate, self.axis = rate, axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = (self.rate * math_ops.clip_by_value(norms, self.min_value, self.max_value)
                   + (1 - self.rate) * norms)
        return w * (desired / (backend.epsilon() + norms))

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate,
                "axis": self.axis}


# Keras' lower-case aliases (the 1.x/2.x function-style names).
max_norm = maxnorm = MaxNorm
non_neg = nonneg = NonNeg
unit_norm = unitnorm = UnitNorm
min_max_norm = MinMaxNorm

_BY_NAME = {"MaxNorm": MaxNorm, "NonNeg": NonNeg, "UnitNorm": UnitNorm,
            "MinMaxNorm": MinMaxNorm, "max_norm": MaxNorm, "maxnorm": MaxNorm,
            "non_neg": NonNeg, "nonneg": NonNeg, "unit_norm": UnitNorm, "unitnorm": UnitNorm,
            "min_max_norm": MinMaxNorm}


def serialize(constraint):
    """tf_keras' dict for a constraint (None for None).

    Example:
        >>> tf.keras.constraints.serialize(tf.keras.constraints.MaxNorm(3))["config"]
        {'max_value': 3, 'axis': 0}
    """
    if constraint is None:
        return None
    return {"module": "keras.constraints", "class_name": type(constraint).__name__,
            "config": constraint.get_config(), "registered_name": None}


def _unknown(name):
    return ValueError("Unknown constraint: '%s'. Please ensure you are using a "
                      "`keras.utils.custom_object_scope` and that this object is included in "
                      "the scope. See https://www.tensorflow.org/guide/keras/"
                      "save_and_serialize#registering_the_custom_object for details." % name)


def deserialize(config, custom_objects=None):
    """The constraint for a `serialize` dict or a name (custom objects are consulted)."""
    if isinstance(config, str):
        cls = generic_utils.lookup(config, custom_objects) or _BY_NAME.get(config)
        if cls is None:
            raise _unknown(config)
        return cls() if isinstance(cls, type) else cls
    name = config["class_name"]
    cls = generic_utils.lookup(name, custom_objects) or _BY_NAME.get(name)
    if cls is None:
        raise _unknown(name)
    if hasattr(cls, "from_config"):
        return cls.from_config(config.get("config", {}))
    return cls(**config.get("config", {}))


def get(identifier):
    """A constraint for None, a name (`"max_norm"`), a config dict or a callable.

    Example:
        >>> tf.keras.constraints.get("non_neg")
    """
    if identifier is None:
        return None
    if isinstance(identifier, (dict, str)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError("Could not interpret constraint function identifier: %s" % (identifier,))


__all__ = ["Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "deserialize", "get",
           "max_norm", "maxnorm", "min_max_norm", "non_neg", "nonneg", "serialize",
           "unit_norm", "unitnorm"]
