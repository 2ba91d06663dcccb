"""`tf.import_graph_def`: rebuilds a GraphDef's nodes in the default graph, through the registry.

Every node becomes an ordinary op (`Graph.create_op` with its OpDef), so shapes are inferred,
gradients work and the Session runs it like any other. The GraphDef is checked as a whole
first (op types, inputs, functions, `input_map` keys, `return_elements`), nodes are created in
dependency order whatever order the GraphDef lists them in, and an error half-way (a shape
function rejecting the imported shapes) removes what was added: a failed import leaves the
graph as it was.

TF 2's functional control flow (If/While over FunctionDefs of the `library`) and function
calls (PartitionedCall) are rebuilt by `functions.py`. TF 1.x conditionals (Switch/Merge, as
`tf.cond` writes them without control flow v2) are ordinary ops (ops/switch_merge_ops.py); TF 1.x
while loops (Enter/Exit/NextIteration/LoopCond frames) are first rewritten into functional While
nodes (`functionalize.py`), after their TF 1.x TensorArrays become TensorLists
(`tensor_arrays_v1.py`).
TF 2's resource-variable ops are imported as reference-variable ops (`resource_variables.py`).
"""

import contextlib

from tensorflux.graph import (
    attr_values,
    functionalize,
    functions,
    graph_protos,
    resource_variables,
    tensor_arrays_v1,
)
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.operation import Operation
from tensorflux.graph.tensor import Tensor

_LOOP_OPS = {"Enter", "RefEnter", "Exit", "RefExit", "NextIteration", "RefNextIteration",
             "LoopCond"}


def _div_no_nan(inputs, attrs, name):
    from tensorflux.ops import math_ops

    return math_ops.div_no_nan(inputs[0], inputs[1], name=name).op


# TF primitives that tensorflux builds from other ops: op type -> builder(inputs, attrs, name).
_COMPOSITES = {"DivNoNan": _div_no_nan}


def import_graph_def(graph_def, input_map=None, return_elements=None, name=None, op_dict=None,
                     producer_op_list=None):
    """Imports the nodes of `graph_def` into the default graph.

    Args:
        graph_def: A `GraphDef` (or its serialized bytes).
        input_map: Optional dict from tensor names in `graph_def` (`"x:0"`, `"x"` meaning
            `"x:0"`, `"^op"` for a control input) to Tensors (Operations for `"^op"`) of the
            default graph that replace them.
        return_elements: Optional list of op names (returns Operations) and tensor names
            (returns Tensors) in `graph_def`.
        name: Prefix for the imported names; None means "import", "" none.
        op_dict: Ignored (deprecated in TF).
        producer_op_list: Ignored (TF uses it to strip default attrs).

    Returns:
        The list of Operations/Tensors for `return_elements`, or None.

    Raises:
        ValueError: For an op type tensorflux does not have, an input that is not in
            `graph_def`, an `input_map` key not in `graph_def`, a `return_elements` name not
            in it, a dtype mismatch, or TF 1.x while loops / functions tensorflux cannot
            rebuild.

    Example:
        >>> gd = g1.as_graph_def()
        >>> with tf.Graph().as_default():
        ...     y, = tf.import_graph_def(gd, input_map={"x:0": tf.constant(2.0)},
        ...                              return_elements=["y:0"])
    """
    del op_dict, producer_op_list
    gd = graph_protos.as_graph_def_message(graph_def)
    gd = functionalize.functionalize_while_loops(tensor_arrays_v1.rewrite_tensor_arrays(gd))
    input_map = _normalize_input_map(input_map)
    nodes, library = _check_nodes(gd)
    _check_names(input_map, return_elements, nodes)
    order = dependency_order(gd.node, "GraphDef has a cycle through node '%s'; tensorflux "
                                      "cannot import graphs with loops.")
    g = graph_lib.get_default_graph()
    mark = _Mark(g)
    try:
        with g.name_scope(_scope_name(name)) as scope:
            created = _create_ops(g, order, input_map, scope, library)
    except BaseException:
        mark.rollback()
        raise
    return _return_elements(return_elements, created)


def _scope_name(name):
    if name is None:
        return "import"
    return name if name else None


def _normalize_input_map(input_map):
    if input_map is None:
        return {}
    if not isinstance(input_map, dict):
        raise TypeError("input_map must be a dictionary mapping strings to Tensor objects.")
    out = {}
    for key, value in input_map.items():
        if not isinstance(key, str):
            raise TypeError("input_map must be a dictionary mapping strings to Tensor objects.")
        if key.startswith("^"):
            if isinstance(value, Tensor):
                value = value.op
            if not isinstance(value, Operation):
                raise TypeError("input_map entry %r must map to an Operation" % key)
        else:
            value = _as_tensor(value, key)
            key = key if ":" in key else key + ":0"
        out[key] = value
    return out


def _as_tensor(value, key):
    if hasattr(value, "_as_graph_element") and not isinstance(value, Tensor):
        value = value._as_graph_element()
    if not isinstance(value, Tensor):
        from tensorflux.ops import constant_op

        value = constant_op.convert_to_tensor(value)
    return value


_split_input = graph_protos.split_input


def check_op_type(node, library, where=None):
    """Raises a ValueError for TF 1.x while loops and op types tensorflux does not have."""
    from tensorflux.ops import registry

    where = where or "Node '%s'" % node.name
    if node.op in _LOOP_OPS:
        raise ValueError("%s has op type %s: tensorflux cannot import TF 1.x control flow "
                         "loops (tf.while_loop graphs written without control flow v2)."
                         % (where, node.op))
    if functions.is_functional(node, library) or resource_variables.ref_type(node.op):
        return
    if node.op not in registry.all_ops() and node.op not in _COMPOSITES:
        raise ValueError("%s: Op type not registered '%s' in tensorflux. Make sure the Op and "
                         "Kernel are registered." % (where, node.op))


def _check_nodes(gd):
    """({name: NodeDef}, Library); raises for duplicates, control flow, unknown op types."""
    library = functions.Library(gd.library)
    nodes = {}
    for node in gd.node:
        if node.name in nodes:
            raise ValueError("Node '%s' is not unique" % node.name)
        nodes[node.name] = node
        check_op_type(node, library)
        for name in functions.func_names(node).values():
            library.get(name, "Node '%s' (op %s)" % (node.name, node.op))
    for node in gd.node:
        for inp in node.input:
            src, _ = _split_input(inp)
            if src not in nodes:
                raise ValueError("Node '%s': Unknown input node '%s'" % (node.name, inp))
    return nodes, library


def _check_names(input_map, return_elements, nodes):
    missing = [k for k in input_map if _split_input(k)[0] not in nodes]
    if missing:
        raise ValueError("Attempted to map inputs that were not found in graph_def: [%s]"
                         % ", ".join(sorted(missing)))
    for el in return_elements or ():
        if not isinstance(el, str):
            raise TypeError("return_elements must be a list of strings.")
        if _split_input(el)[0] not in nodes:
            raise ValueError("Requested return_element %r not found in graph_def." % el)


def dependency_order(node_list, cycle_message):
    """The NodeDefs with every node after its inputs; a list already in that order keeps it.

    A depth-first walk from each node in list order emits its unvisited inputs first. Inputs
    naming no node of the list (a function's arguments) are not followed; a cycle raises
    ValueError(cycle_message % node name). Serves GraphDefs and FunctionDefs (whose inputs
    read `node:out_arg:index`; either way the node is the name before the first colon).
    """
    nodes = {n.name: n for n in node_list}
    order, done, active = [], set(), set()
    for root in node_list:
        if root.name in done:
            continue
        stack = [(root, iter(root.input))]
        active.add(root.name)
        while stack:
            node, pending = stack[-1]
            for inp in pending:
                src = inp.lstrip("^").split(":", 1)[0]
                if src in active:
                    raise ValueError(cycle_message % src)
                if src in nodes and src not in done:
                    active.add(src)
                    stack.append((nodes[src], iter(nodes[src].input)))
                    break
            else:
                stack.pop()
                active.discard(node.name)
                done.add(node.name)
                order.append(node)
    return order


def _create_ops(g, order, input_map, scope, library):
    created = {}
    for node in order:
        created[node.name] = _create_op(g, node, created, input_map, scope, library)
    return created


def make_node(g, node, inputs, library):
    """The op for NodeDef `node` over `inputs` in graph `g` (a composite, a functional op or
    an ordinary registered op)."""
    from tensorflux.ops import registry

    if functions.is_functional(node, library):
        return functions.make_functional(g, node, inputs, library)
    node = resource_variables.as_ref_node(node)
    attrs = attr_values.node_attrs(node)
    if node.op in _COMPOSITES:
        return _COMPOSITES[node.op](inputs, attrs, node.name)
    return g.create_op(node.op, inputs, attrs, name=node.name, op_def=registry.get(node.op))


def _create_op(g, node, created, input_map, scope, library):
    inputs, controls = [], []
    for i, inp in enumerate(node.input):
        src, idx = _split_input(inp)
        if idx < 0:
            controls.append(input_map.get(inp, created[src]))
            continue
        producer = created[src]
        if idx >= len(producer.outputs):
            raise ValueError("Node '%s': input %d refers to output %d of '%s', which has %d "
                             "outputs" % (node.name, i, idx, src, len(producer.outputs)))
        t = producer.outputs[idx]
        mapped = input_map.get("%s:%d" % (src, idx))
        if mapped is not None:
            if mapped.dtype.base_dtype != t.dtype.base_dtype:
                raise ValueError("Input %d of node %s was passed %s from %s incompatible with "
                                 "expected %s." % (i, scope + node.name, mapped.dtype.name,
                                                   mapped.name, t.dtype.base_dtype.name))
            t = mapped
        inputs.append(t)
    # As in TF, the outer control_dependencies() reach only the imported ops without inputs.
    outer = g.control_dependencies(None) if node.input else contextlib.nullcontext()
    with outer:
        op = make_node(g, node, inputs, library)
    op._add_control_inputs(controls)
    if node.device:
        op._set_device(node.device)
    loc = [created[n].name for n in attr_values.colocation_names(node) if n in created]
    if loc and loc[0] != op.name:
        op._colocation = loc[0]
    return op


def _return_elements(return_elements, created):
    if return_elements is None:
        return None
    out = []
    for el in return_elements:
        src, idx = _split_input(el)
        op = created[src]
        if ":" not in el:
            out.append(op)
        elif idx < len(op.outputs):
            out.append(op.outputs[idx])
        else:
            raise ValueError("Requested return_element %r not found in graph_def: %s has %d "
                             "outputs." % (el, src, len(op.outputs)))
    return out


class _Mark:
    """Where the graph stood before an import, to undo a failed one."""

    def __init__(self, g):
        self.g = g
        self.count = len(g._ops)
        self.names = dict(g._names_in_use)
        self.version = g._version

    def rollback(self):
        g = self.g
        added = g._ops[self.count:]
        for op in reversed(added):
            for t in op.inputs:
                if op in t._consumers:
                    t._consumers.remove(op)
            for c in op.control_inputs:
                if op in c._control_outputs:
                    c._control_outputs.remove(op)
            g._ops_by_name.pop(op.name, None)
        del g._ops[self.count:]
        g._names_in_use = self.names
        g._version = self.version + 1
