"""TF 1.x TensorArrays of an imported GraphDef as TensorLists.

TF 1.x writes a TensorArray as a resource (`TensorArrayV3` → handle, flow) that ops read and
write through the handle, threading a float `flow` scalar only to order them. tensorflux holds
arrays as TensorList values (ops/list_ops.py), so before the import this module rewrites the
TensorArray ops to list ops whose *flow* is the list itself:

    TensorArrayV3(size)                    -> TensorListReserve(element_shape, size)
    TensorArrayWriteV3(h, i, v, flow)      -> TensorListSetItem(flow, i, v)
    TensorArrayReadV3(h, i, flow)          -> TensorListGetItem(flow, i, element_shape)
    TensorArrayGatherV3(h, idx, flow)      -> TensorListGather(flow, idx, element_shape)
    TensorArrayScatterV3(h, idx, v, flow)  -> TensorListScatterIntoExistingList(flow, v, idx)
    TensorArraySizeV3(h, flow)             -> TensorListLength(flow)
    TensorArrayConcatV3(h, flow)           -> TensorListConcatV2(flow, element_shape, [])
    TensorArraySplitV3(h, v, lengths, flow) -> TensorListSplit(v, element_shape, lengths)
    TensorArrayCloseV3(h)                  -> NoOp

Both outputs of a `TensorArrayV3` are the list; handles are no longer read. The loop plumbing
that carries a flow (Enter, Merge, Switch, NextIteration, Exit, Identity) gets the variant
dtype, so that TF 1.x loops over TensorArrays (`tf.nn.dynamic_rnn`, `tf.map_fn`) functionalize
(functionalize.py) into While loops over lists. Gradient TensorArrays (`TensorArrayGradV3`) are
not rewritten: a graph holding them fails to import with an unknown-op error.
"""

from tensorflux.graph import graph_protos

DT_INT32, DT_INT64, DT_VARIANT = 3, 9, 21
_PLUMBING = {"Enter", "RefEnter", "Exit", "RefExit", "NextIteration", "RefNextIteration",
             "Merge", "RefMerge", "Switch", "RefSwitch", "Identity", "RefIdentity"}


_split = graph_protos.split_input


def _const(name, values, anchor):
    """An int32 Const node (a vector, or the scalar -1 for `None`), placed by a control input
    on `anchor` in the frame of the node that reads it."""
    node = graph_protos.NodeDef(name=name, op="Const")
    node.attr["dtype"].type = DT_INT32
    t = node.attr["value"].tensor
    t.dtype = DT_INT32
    if values is None:
        t.int_val.append(-1)
    else:
        t.tensor_shape.dim.add().size = len(values)
        t.int_val.extend(values)
    if anchor:
        node.input.append("^" + anchor)
    return node


def _element_shape(node):
    """The TensorArray's element shape as list-op values (-1: unknown), or None (rank)."""
    av = node.attr.get("element_shape")
    if av is None or av.shape.unknown_rank:
        return None
    return [d.size if d.size >= 0 else -1 for d in av.shape.dim]


def _anchor(inputs):
    """A data input to anchor a helper Const in the reading node's frame."""
    for inp in inputs:
        src, idx = _split(inp)
        if idx >= 0:
            return src
    return None


def rewrite_tensor_arrays(graph_def):
    """`graph_def` with its TF 1.x TensorArray ops as list ops (see the module docstring), or
    `graph_def` itself when it has none."""
    if not any(n.op.startswith("TensorArray") and n.op.endswith("V3") for n in graph_def.node):
        return graph_def
    by_name = {n.name: n for n in graph_def.node}
    shapes = {}  # TensorArrayV3 name -> element shape values
    dynamic = {}  # TensorArrayV3 name -> whether writes past its end grow it
    out_nodes = []
    for node in _array_ops_last(graph_def.node):
        out_nodes.extend(_rewrite(node, by_name, shapes, dynamic))
    lists = {n.name for n in out_nodes if n.op.startswith("TensorList") and n.op not in (
        "TensorListGetItem", "TensorListGather", "TensorListLength", "TensorListConcatV2")}
    for node in out_nodes:  # a TensorArrayV3's flow output (:1) is its list (:0)
        for k, inp in enumerate(node.input):
            src, idx = _split(inp)
            if idx == 1 and src in shapes:
                node.input[k] = src
    _carry_variant(out_nodes, lists)
    out = graph_protos.GraphDef()
    out.versions = graph_def.versions
    out.node.extend(out_nodes)
    out.library = graph_def.library
    return out


def _rewrite(node, by_name, shapes, dynamic):
    """The node(s) standing for `node` (itself when it is not a TensorArray op)."""
    op, inputs, name = node.op, list(node.input), node.name
    data = [i for i in inputs if not i.startswith("^")]
    controls = [i for i in inputs if i.startswith("^")]

    def new(op_type, ins, attrs):
        n = graph_protos.NodeDef(name=name, op=op_type, device=node.device)
        n.input.extend(ins + controls)
        for key, (kind, value) in attrs.items():
            if kind == "type":
                n.attr[key].type = value
            elif kind == "bool":
                n.attr[key].b = value
            elif kind == "int":
                n.attr[key].i = value
        return n

    def dtype():
        return node.attr["dtype"].type

    def shape_of(handle):
        return shapes.get(_split(_trace_handle(handle, by_name))[0])

    if op == "TensorArrayV3":
        shapes[name] = _element_shape(node)
        av = node.attr.get("dynamic_size")
        dynamic[name] = bool(av is not None and av.b)
        c = _const(name + "/element_shape", shapes[name], _anchor(data))
        return [c, new("TensorListReserve", [c.name, data[0]],
                       {"element_dtype": ("type", dtype()), "shape_type": ("type", DT_INT32)})]
    if op == "TensorArrayWriteV3":
        grows = dynamic.get(_split(_trace_handle(data[0], by_name))[0], True)
        return [new("TensorListSetItem", [data[3], data[1], data[2]],
                    {"element_dtype": ("type", node.attr["T"].type),
                     "resize_if_index_out_of_bounds": ("bool", grows)})]
    if op == "TensorArrayReadV3":
        c = _const(name + "/element_shape", shape_of(data[0]), _anchor(data[1:]))
        return [c, new("TensorListGetItem", [data[2], data[1], c.name],
                       {"element_dtype": ("type", dtype())})]
    if op == "TensorArrayGatherV3":
        c = _const(name + "/element_shape", shape_of(data[0]), _anchor(data[1:]))
        return [c, new("TensorListGather", [data[2], data[1], c.name],
                       {"element_dtype": ("type", dtype())})]
    if op == "TensorArrayScatterV3":
        return [new("TensorListScatterIntoExistingList", [data[3], data[2], data[1]],
                    {"element_dtype": ("type", node.attr["T"].type)})]
    if op == "TensorArraySizeV3":
        return [new("TensorListLength", [data[1]], {})]
    if op == "TensorArrayConcatV3":
        shape = shape_of(data[0])
        c = _const(name + "/element_shape", None if shape is None else [-1] + shape[1:],
                   _anchor(data[1:]))
        lead = _const(name + "/leading_dims", [], _anchor(data[1:]))
        lead.attr["dtype"].type = DT_INT64
        lead.attr["value"].tensor.dtype = DT_INT64
        return [c, lead, new("TensorListConcatV2", [data[1], c.name, lead.name],
                             {"element_dtype": ("type", dtype()),
                              "shape_type": ("type", DT_INT32)})]
    if op == "TensorArraySplitV3":
        c = _const(name + "/element_shape", shape_of(data[0]), _anchor(data[1:]))
        return [c, new("TensorListSplit", [data[1], c.name, data[2]],
                       {"element_dtype": ("type", node.attr["T"].type),
                        "shape_type": ("type", DT_INT32)})]
    if op == "TensorArrayCloseV3":
        return [new("NoOp", [], {})]
    return [node]


def _array_ops_last(nodes):
    """The nodes with every TensorArrayV3 first, so that the ops reading an array know its
    element shape whatever order the GraphDef lists them in."""
    return [n for n in nodes if n.op == "TensorArrayV3"] + [n for n in nodes
                                                          if n.op != "TensorArrayV3"]


def _trace_handle(handle, by_name):
    """The TensorArrayV3 a handle comes from, through Enters and Identities."""
    src, idx = _split(handle)
    seen = set()
    while src in by_name and src not in seen:
        seen.add(src)
        node = by_name[src]
        if node.op == "TensorArrayV3":
            return src
        if node.op in _PLUMBING and node.input:
            src, idx = _split(node.input[0])
            continue
        break
    return src


def _carry_variant(nodes, lists):
    """Loop plumbing that passes a list on is variant-typed (its `T` attr), to a fixpoint."""
    changed = True
    while changed:
        changed = False
        for node in nodes:
            if node.op not in _PLUMBING or node.name in lists:
                continue
            srcs = [_split(i)[0] for i in node.input if not i.startswith("^")]
            if any(s in lists for s in srcs):
                lists.add(node.name)
                node.attr["T"].type = DT_VARIANT
                changed = True


__all__ = ["rewrite_tensor_arrays"]
