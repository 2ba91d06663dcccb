"""Builds a Saver's save/restore graph nodes exactly as TF's (V2, unsharded) Saver lays them out.

tensorflux's `Saver.save`/`restore` do their work in Python, but a graph exported to a `.meta`
file or a SavedModel is also run by real TensorFlow, which saves by fetching the SaverDef's
`save_tensor_name` and restores by running its `restore_op_name` with `filename_tensor_name`
fed. So the Saver also adds TF's nodes, with TF's names, op types, attributes and wiring (the
variables sorted by checkpoint name):

    save/Const                         filename (string scalar, fed by whoever runs the nodes)
    save/SaveV2/{tensor_names,shape_and_slices}, save/SaveV2(Const, names, slices, vars...)
    save/control_dependency            Identity(save/Const, ^save/SaveV2)
    save/RestoreV2/{tensor_names,shape_and_slices}, save/RestoreV2 -> one output per variable
    save/Assign, save/Assign_1, ...    Assign(var, save/RestoreV2:i), use_locking=True
    save/restore_all                   NoOp(^save/Assign, ...)

Running them in tensorflux works too (the SaveV2/RestoreV2 kernels use the same checkpoint
writer and reader as the Python path).
"""

from tensorflux.graph.tensor import Tensor
from tensorflux.ops import array_ops, control_flow_ops, io_ops, state_ops


def variable_refs(names_to_vars, graph):
    """`[(checkpoint name, variable ref tensor)]` sorted by name, or None.

    None when some entry is not a plain variable of `graph` (a partitioned variable, a
    saveable object, a tensor that is not a variable): no graph nodes are built then.
    """
    out = []
    for name in sorted(names_to_vars):
        ref = _ref_tensor(names_to_vars[name], graph)
        if ref is None:
            return None
        out.append((name, ref))
    return out


def _ref_tensor(var, graph):
    tensor = getattr(var, "_variable", var)
    if not isinstance(tensor, Tensor) or tensor.graph is not graph:
        return None
    try:
        key = state_ops.variable_key(tensor)
    except TypeError:
        return None
    return graph.get_operation_by_name(key).outputs[0]


def build_save(filename, refs):
    """SaveV2 of every variable; returns `save/control_dependency` (the filename, after it)."""
    names = [name for name, _ in refs]
    save = io_ops.save_v2(filename, names, [""] * len(refs), [ref for _, ref in refs],
                          name="SaveV2")
    with filename.graph.control_dependencies([save]):
        return array_ops.identity(filename, name="control_dependency")


def build_restore(filename, refs):
    """RestoreV2 and one Assign per variable; returns the `restore_all` NoOp."""
    names = [name for name, _ in refs]
    restored = io_ops.restore_v2(filename, names, [""] * len(refs),
                                 [ref.dtype.base_dtype for _, ref in refs], name="RestoreV2")
    assigns = []
    for (_, ref), value in zip(refs, restored):
        validate = ref.shape.is_fully_defined()
        assigns.append(state_ops.assign(ref, value, validate_shape=validate, use_locking=True,
                                        name="Assign").op)
    with filename.graph.control_dependencies(assigns):
        return control_flow_ops.no_op(name="restore_all")
