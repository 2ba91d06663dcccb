"""Imports TF 2's resource-variable ops as tensorflux's reference-variable ops.

Graphs written by TF 2 in TF1 mode hold variables as resources: a `VarHandleOp` handle that
`ReadVariableOp`, `AssignVariableOp` and the `ResourceApply*` optimizer ops take. tensorflux
has reference variables (`VariableV2`), which give those graphs the same meaning, so the
importer renames each resource op to its reference twin: the handle becomes the variable op
(same name, so VariableDefs, collections and checkpoints still match), a read becomes an
`Identity`, an assignment an `Assign`. A handle passed into a cond branch arrives there as the
variable's value (read when the cond starts), which is what TF 2's branches read.

Example:
    >>> as_ref_node(NodeDef(name="v", op="VarHandleOp")).op
    'VariableV2'
"""

from tensorflux.graph import graph_protos

_RENAMED = {"VarHandleOp": "VariableV2", "ReadVariableOp": "Identity",
            "AssignVariableOp": "Assign", "AssignAddVariableOp": "AssignAdd",
            "AssignSubVariableOp": "AssignSub", "VarIsInitializedOp": "IsVariableInitialized",
            "VariableShape": "Shape"}
# Attributes of the reference op, from the resource op's attributes (None: dropped).
_ATTRS = {
    "VarHandleOp": {"dtype": "dtype", "shape": "shape", "container": "container",
                    "shared_name": "shared_name"},
    "ReadVariableOp": {"dtype": "T"},
    "AssignVariableOp": {"dtype": "T", "validate_shape": "validate_shape"},
    "AssignAddVariableOp": {"dtype": "T"}, "AssignSubVariableOp": {"dtype": "T"},
    "VarIsInitializedOp": {},
    "VariableShape": {"out_type": "out_type"},
}


def ref_type(op_type):
    """The reference op type standing for resource op `op_type`, or None."""
    from tensorflux.ops import registry

    if op_type in _RENAMED:
        return _RENAMED[op_type]
    if op_type.startswith("Resource") and op_type[8:] in registry.all_ops():
        return op_type[8:]  # ResourceApplyAdam -> ApplyAdam, same inputs and attributes
    return None


def as_ref_node(node):
    """`node` itself, or a copy of a resource-variable NodeDef as its reference-op twin."""
    new_type = ref_type(node.op)
    if new_type is None:
        return node
    out = graph_protos.NodeDef(name=node.name, op=new_type, input=list(node.input),
                               device=node.device)
    keep = _ATTRS.get(node.op)
    for key, value in node.attr.items():
        if keep is None:
            out.attr[key] = value
        elif key in keep:
            out.attr[keep[key]] = value
        elif key.startswith("_"):
            out.attr[key] = value
    if node.op == "AssignVariableOp" and "validate_shape" not in out.attr:
        out.attr["validate_shape"].b = False
    return out
