"""Slot variables: per-variable accumulators named `<var>/<Optimizer>`, `<var>/<Optimizer>_1`, ...

A slot lives in the variable scope `<primary op name>/<name>` (made unique the way TF's
`variable_scope(None, default_name=...)` does), so the first Adam slot of `w` is `w/Adam` and
the second `w/Adam_1`, and a TF checkpoint's slot names map onto ours one to one. Slots are
non-trainable, colocated with their primary, and created outside any control dependencies.
"""

from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, init_ops
from tensorflux.variable_scope import get_variable, get_variable_scope, variable_scope


def _prefix(primary):
    return primary.op.name


def _create_slot_var(primary, val, shape, dtype, validate_shape):
    scope = get_variable_scope()
    partitioner = scope.partitioner
    scope.set_partitioner(None)
    try:
        shape = shape if callable(val) else None
        slot = get_variable("", initializer=val, trainable=False, shape=shape, dtype=dtype,
                            validate_shape=validate_shape)
    finally:
        scope.set_partitioner(partitioner)
    info = primary._get_save_slice_info() if hasattr(primary, "_get_save_slice_info") else None
    if info is not None and hasattr(info, "full_name"):
        n = slot.shape.ndims
        if n is None or n > 0:
            real_slot_name = slot.name[len(primary.op.name + "/"):-2]
            slot._set_save_slice_info(type(info)(
                info.full_name + "/" + real_slot_name, info.full_shape[:n],
                info.var_offset[:n], info.var_shape[:n]))
    return slot


def _in_slot_scope(primary, name, make):
    g = primary.graph
    with g.as_default(), g.control_dependencies(None):
        with variable_scope(None, _prefix(primary) + "/" + name):
            with g.colocate_with(primary.op):
                return make()


def create_slot(primary, val, name, colocate_with_primary=True):
    """A slot of `primary` initialised to the tensor `val` (its shape and dtype)."""
    validate_shape = val.get_shape().is_fully_defined()
    return _in_slot_scope(primary, name, lambda: _create_slot_var(
        primary, val, None, None, validate_shape))


def create_slot_with_initializer(primary, initializer, shape, dtype, name,
                                 colocate_with_primary=True):
    """A slot of `primary` made by `initializer(shape, dtype)`."""
    validate_shape = shape.is_fully_defined()
    return _in_slot_scope(primary, name, lambda: _create_slot_var(
        primary, initializer, shape, dtype, validate_shape))


def create_zeros_slot(primary, name, dtype=None, colocate_with_primary=True):
    """A slot of zeros with `primary`'s shape (and dtype unless given)."""
    if dtype is None:
        dtype = primary.dtype.base_dtype
    shape = primary.get_shape()
    if shape.is_fully_defined():
        return create_slot_with_initializer(primary, init_ops.zeros_initializer(), shape, dtype,
                                            name, colocate_with_primary)
    with graph_lib.control_dependencies(None):
        val = array_ops.zeros(array_ops.shape(primary), dtype=dtype)
    return create_slot(primary, val, name, colocate_with_primary)
