"""Optional ops: a variant that holds a tuple of tensors, or nothing.

TF 2's `tf.cond` gradient passes forward intermediates from a branch to its gradient branch as
Optionals: the taken branch wraps them with `OptionalFromValue`, the other returns
`OptionalNone`, and the gradient branch unwraps them with `OptionalGetValue`. Imported TF 2
graphs with a cond in their train op contain these ops.

Example:
    >>> opt = optional_from_value([tf.constant(1.0)])
    >>> x, = optional_get_value(opt, [tf.float32], [tf.TensorShape([])])
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.ops import registry
from tensorflux.ops._helpers import convert

ND = registry.NOT_DIFFERENTIABLE
_SCALAR = tensor_shape.TensorShape([])

registry.register("OptionalFromValue", shape=lambda op: [(dtypes.variant, _SCALAR)], grad=ND)
registry.register("OptionalNone", shape=lambda op: [(dtypes.variant, _SCALAR)], grad=ND)
registry.register("OptionalHasValue", shape=lambda op: [(dtypes.bool, _SCALAR)], grad=ND)
registry.register("OptionalGetValue", grad=ND, shape=lambda op: list(
    zip(op._attrs["output_types"], op._attrs["output_shapes"])))


def optional_from_value(components, name=None):
    """An Optional holding `components` (a list of tensors)."""
    components = [convert(c) for c in components]
    attrs = {"Toutput_types": [c.dtype.base_dtype for c in components]}
    return registry.make_tensor("OptionalFromValue", components, attrs,
                                name=name or "OptionalFromValue")


def optional_none(name=None):
    """An Optional holding nothing."""
    return registry.make_tensor("OptionalNone", [], {}, name=name or "OptionalNone")


def optional_has_value(optional, name=None):
    """Whether `optional` holds a value (a bool scalar)."""
    return registry.make_tensor("OptionalHasValue", [optional], {},
                                name=name or "OptionalHasValue")


def optional_get_value(optional, output_types, output_shapes, name=None):
    """The tensors held by `optional`; running it on an empty Optional fails."""
    attrs = {"output_types": [dtypes.as_dtype(t) for t in output_types],
             "output_shapes": [tensor_shape.as_shape(s) for s in output_shapes]}
    return registry.make_op("OptionalGetValue", [optional], attrs,
                            name=name or "OptionalGetValue").outputs
