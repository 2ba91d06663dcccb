"""Variable ops: VariableV2, Assign/AssignAdd/AssignSub, IsVariableInitialized.

A variable's value lives in the Session. Ops that take a variable *by reference* (the first input
of Assign and of every optimizer Apply op) name it in `ref_inputs`: the plan does not read it,
the kernel updates the session's state instead.
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import registry
from tensorflux.ops._helpers import convert

ND = registry.NOT_DIFFERENTIABLE


def _variable_shape(op):
    return [(op._attrs["dtype"]._as_ref, op._attrs["shape"])]  # TF: float32_ref, ...


registry.register("VariableV2", shape=_variable_shape, grad=ND, stateful=True)


def variable_op(shape, dtype, name="Variable", container="", shared_name=""):
    g = graph_lib.get_default_graph()
    return g.create_op("VariableV2", [], {"shape": tensor_shape.as_shape(shape),
                                          "dtype": dtypes.as_dtype(dtype).base_dtype,
                                          "container": container, "shared_name": shared_name},
                       name=name, op_def=registry.get("VariableV2"))._outputs[0]


def _merge_error(a, b):
    """TF's message for two shapes that must be equal but are not (None when they agree)."""
    if a.is_compatible_with(b):
        return None
    if a.ndims != b.ndims:
        return "Shapes must be equal rank, but are %d and %d" % (a.ndims, b.ndims)
    for i, (x, y) in enumerate(zip(a.as_list(), b.as_list())):
        if x is not None and y is not None and x != y:
            return ("Dimension %d in both shapes must be equal, but are %d and %d. Shapes are "
                    "%s and %s." % (i, x, y, registry._shape_str(a), registry._shape_str(b)))
    return None


def _assign_shape(op):
    ref, value = op.inputs
    validate = op._attrs.get("validate_shape", True)
    err = _merge_error(ref.shape, value.shape) if validate else None
    if err:
        raise registry.ShapeError(err)
    shape = ref.shape if validate else value.shape
    return [(ref.dtype.base_dtype._as_ref, shape)]  # TF's Assign outputs the ref


def _assign_update_shape(op):
    ref, value = op.inputs
    err = _merge_error(ref.shape, value.shape)
    if err:
        raise registry.ShapeError(err)
    return [(ref.dtype.base_dtype._as_ref, ref.shape)]


registry.register("Assign", shape=_assign_shape, grad=ND, stateful=True, ref_inputs=(0,))
registry.register("AssignAdd", shape=_assign_update_shape, grad=ND, stateful=True,
                  ref_inputs=(0,))
registry.register("AssignSub", shape=_assign_update_shape, grad=ND, stateful=True,
                  ref_inputs=(0,))
registry.register("IsVariableInitialized",
                  shape=lambda op: [(dtypes.bool, tensor_shape.TensorShape([]))], grad=ND,
                  stateful=True, ref_inputs=(0,))


def _ref_and_value(op_type, ref, value, name, attrs):
    vt = ref._variable if hasattr(ref, "_variable") else ref
    with graph_lib.name_scope(name or op_type) as scope:
        value = convert(value, dtype=vt.dtype.base_dtype, name="value")
        return registry.make_tensor(op_type, [vt, value], attrs, name=scope)


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """Stores `value` in the variable `ref`; returns the new value."""
    validate = True if validate_shape is None else bool(validate_shape)
    return _ref_and_value("Assign", ref, value, name,
                          {"validate_shape": validate, "use_locking": bool(use_locking)})


def assign_add(ref, value, use_locking=None, name=None):
    return _ref_and_value("AssignAdd", ref, value, name, {"use_locking": bool(use_locking)})


def assign_sub(ref, value, use_locking=None, name=None):
    return _ref_and_value("AssignSub", ref, value, name, {"use_locking": bool(use_locking)})


def is_variable_initialized(ref, name=None):
    vt = ref._variable if hasattr(ref, "_variable") else ref
    return registry.make_tensor("IsVariableInitialized", [vt],
                                {"dtype": vt.dtype.base_dtype}, name=name or
                                "IsVariableInitialized")


def variable_key(ref_tensor):
    """The session-state key of the variable a ref input points to (its VariableV2 op name)."""
    op = ref_tensor.op
    while op.type in ("Identity", "RefIdentity", "RefSwitch") and op.inputs:
        op = op.inputs[0].op
    if op.type != "VariableV2":
        raise TypeError("Input '%s' of op must be a variable reference, got %s (op %s)"
                        % (ref_tensor.name, op.type, op.name))
    return op.name
