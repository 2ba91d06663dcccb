"""`tf.contrib.util`: tensor protos (`make_tensor_proto`, `make_ndarray`), static values
(`constant_value`) and the op lists of a GraphDef (`ops_used_by_graph_def`,
`stripped_op_list_for_graph`).

Example:
    >>> proto = tf.contrib.util.make_tensor_proto([1, 2])
    >>> tf.contrib.util.make_ndarray(proto)  # array([1, 2], dtype=int32)
    >>> tf.contrib.util.ops_used_by_graph_def(graph.as_graph_def())  # ['Const', 'MatMul', ...]
"""

from tensorflux.compat.tf_internals import prepend_name_scope
from tensorflux.graph import graph_protos
from tensorflux.graph.tensor_util import make_ndarray, make_tensor_proto
from tensorflux.ops import registry
from tensorflux.ops.constant_op import constant_value
from tensorflux.summary.proto import Field, Message

__all__ = [
    "constant_value",
    "make_ndarray",
    "make_tensor_proto",
    "ops_used_by_graph_def",
    "prepend_name_scope",
    "stripped_op_list_for_graph",
]


class OpList(Message):
    """`OpList` (op_def.proto): the `op` signatures a graph uses."""

    FIELDS = (Field("op", 1, graph_protos.OpDefProto, repeated=True),)


def ops_used_by_graph_def(graph_def):
    """The op types `graph_def` uses, including those inside the functions it calls (directly
    or through `PartitionedCall`); a function's own name is not an op type and is left out.

    Example:
        >>> sorted(ops_used_by_graph_def(g.as_graph_def()))  # ['Add', 'Const']
    """
    graph_def = graph_protos.as_graph_def_message(graph_def)
    name_to_function = graph_def.library.function_defs() if graph_def.library else {}
    used_ops = set()
    functions_to_process = []

    def mark_op_as_used(op):
        if op not in used_ops and op in name_to_function:
            functions_to_process.append(name_to_function[op])
        used_ops.add(op)

    def process_node(node):
        mark_op_as_used(node.op)
        if node.op in ("PartitionedCall", "StatefulPartitionedCall"):
            mark_op_as_used(node.attr["f"].func.name)

    for node in graph_def.node:
        process_node(node)
    while functions_to_process:
        fun = functions_to_process.pop()
        for node in fun.node_def:
            process_node(node)
    return [op for op in used_ops if op not in name_to_function]


def stripped_op_list_for_graph(graph_def):
    """An `OpList` with one `OpDef` (name and statefulness) per registered op type that
    `graph_def` uses, sorted by name; unregistered types are left out, as in TF.

    Example:
        >>> [op.name for op in stripped_op_list_for_graph(g.as_graph_def()).op]  # ['Add', ...]
    """
    ops = []
    for name in sorted(ops_used_by_graph_def(graph_def)):
        try:
            op_def = registry.get(name)
        except (KeyError, LookupError, ValueError):
            continue
        ops.append(graph_protos.OpDefProto(name=name, is_stateful=bool(op_def.stateful)))
    return OpList(op=ops)
