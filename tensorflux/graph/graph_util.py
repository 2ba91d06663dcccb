"""`tf.graph_util`: freezing (variables to constants), sub-graph extraction, training-node removal.

All functions work on `GraphDef` messages and return new ones; the input is not modified.

Example:
    >>> frozen = tf.graph_util.convert_variables_to_constants(
    ...     sess, sess.graph.as_graph_def(), ["probs"])
    >>> tf.io.write_graph(frozen, "/tmp", "frozen.pb", as_text=False)
"""

import numpy as np

from tensorflux.graph import dtypes, graph_protos
from tensorflux.graph.graph_protos import AttrValue
from tensorflux.graph.importer import import_graph_def  # noqa: F401 - TF re-exports it here
from tensorflux.summary.proto import TensorProto, TensorShapeProto

_VARIABLE_OPS = {"Variable", "VariableV2", "VarHandleOp"}
_TRAINING_OPS = {"CheckNumerics", "Identity", "StopGradient", "PreventGradient"}


def _node_name(name):
    """The op name of an input string: `"^a"`, `"a:1"` and `"a"` all give `"a"`."""
    name = name[1:] if name.startswith("^") else name
    return name.rsplit(":", 1)[0] if ":" in name and name.rsplit(":", 1)[1].isdigit() else name


def _copy(gd):
    return graph_protos.GraphDef.FromString(graph_protos.as_graph_def_message(gd)
                                            .SerializeToString())


def extract_sub_graph(graph_def, dest_nodes):
    """The part of `graph_def` that `dest_nodes` need (their transitive inputs), in order.

    Args:
        graph_def: A `GraphDef`.
        dest_nodes: Node names to keep with everything they depend on.

    Raises:
        TypeError: If `dest_nodes` is a string rather than a list.
        AssertionError: If a destination node is not in `graph_def`.

    Example:
        >>> sub = tf.graph_util.extract_sub_graph(gd, ["probs"])
    """
    if isinstance(dest_nodes, str):
        raise TypeError("dest_nodes must be a list.")
    gd = _copy(graph_def)
    by_name = {n.name: n for n in gd.node}
    for d in dest_nodes:
        assert d in by_name, "%s is not in graph" % d
    keep, stack = set(), list(dest_nodes)
    while stack:
        name = stack.pop()
        if name in keep:
            continue
        keep.add(name)
        stack.extend(_node_name(i) for i in by_name[name].input)
    out = graph_protos.GraphDef()
    out.node.extend(n for n in gd.node if n.name in keep)
    out.versions = gd.versions
    out.library = gd.library
    return out


def _const_node(name, value, dtype):
    arr = np.ascontiguousarray(np.asarray(value, dtype=dtype.as_numpy_dtype))
    proto = TensorProto(dtype=dtype.as_datatype_enum, tensor_shape=TensorShapeProto(
        dim=[TensorShapeProto.Dim(size=d) for d in arr.shape]))
    if dtype == dtypes.string:
        proto.string_val = [v if isinstance(v, bytes) else str(v).encode() for v in arr.ravel()]
    else:
        proto.tensor_content = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
    node = graph_protos.NodeDef(name=name, op="Const")
    node.attr["dtype"] = AttrValue(type=dtype.as_datatype_enum)
    node.attr["value"] = AttrValue(tensor=proto)
    return node


def convert_variables_to_constants(sess, input_graph_def, output_node_names,
                                   variable_names_whitelist=None,
                                   variable_names_blacklist=None):
    """Freezes a graph: each variable becomes a `Const` holding its value in `sess`.

    The result keeps only what `output_node_names` need; variable reads (`Identity`)
    stay, now reading the constants.

    Args:
        sess: The Session holding the variables' values.
        input_graph_def: The `GraphDef` to freeze (`sess.graph.as_graph_def()`).
        output_node_names: Names of the nodes to keep (with their inputs).
        variable_names_whitelist: Only these variables are frozen (None: all).
        variable_names_blacklist: These variables are not frozen.

    Returns:
        A new `GraphDef`.

    Example:
        >>> frozen = tf.graph_util.convert_variables_to_constants(sess, gd, ["probs"])
    """
    sub = extract_sub_graph(input_graph_def, output_node_names)
    frozen = []
    for node in sub.node:
        if node.op not in _VARIABLE_OPS:
            continue
        if variable_names_whitelist is not None and node.name not in variable_names_whitelist:
            continue
        if variable_names_blacklist is not None and node.name in variable_names_blacklist:
            continue
        frozen.append(node.name)
    values = sess.run([name + ":0" for name in frozen]) if frozen else []
    out = graph_protos.GraphDef()
    converted = dict(zip(frozen, values))
    for node in sub.node:
        if node.name in converted:
            dtype = dtypes.as_dtype(node.attr["dtype"].type)
            new = _const_node(node.name, converted[node.name], dtype)
            new.device = node.device
            out.node.append(new)
        else:
            out.node.append(graph_protos.NodeDef.FromString(node.SerializeToString()))
    out.versions = sub.versions
    out.library = sub.library
    return out


def remove_training_nodes(input_graph, protected_nodes=None):
    """Removes `Identity`/`CheckNumerics`/`StopGradient` nodes, rewiring their consumers.

    Nodes in `protected_nodes`, and identities that carry control inputs, are kept.

    Example:
        >>> lean = tf.graph_util.remove_training_nodes(frozen, protected_nodes=["probs"])
    """
    gd = _copy(input_graph)
    protected = set(protected_nodes or ())
    removed = {}
    for node in gd.node:
        if (node.op in _TRAINING_OPS and node.name not in protected and len(node.input) == 1
                and not node.input[0].startswith("^")):
            removed[node.name] = node.input[0]

    def resolve(inp):
        control = inp.startswith("^")
        name = _node_name(inp)
        seen = set()
        while name in removed and name not in seen:
            seen.add(name)
            inp = removed[name]
            name = _node_name(inp)
        return "^" + name if control else inp

    out = graph_protos.GraphDef()
    for node in gd.node:
        if node.name in removed:
            continue
        new = graph_protos.NodeDef.FromString(node.SerializeToString())
        new.input = [resolve(i) for i in node.input]
        out.node.append(new)
    out.versions = gd.versions
    return out


def tensor_shape_from_node_def_name(graph, input_name):
    """The static shape of tensor `input_name` ("op" means "op:0") in `graph`."""
    name = input_name if ":" in input_name else input_name + ":0"
    return graph.get_tensor_by_name(name).get_shape()



__all__ = ["convert_variables_to_constants", "extract_sub_graph", "import_graph_def",
           "remove_training_nodes", "tensor_shape_from_node_def_name"]
