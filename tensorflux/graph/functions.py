"""Graph functions of an imported GraphDef: If/While bodies and inlined calls, from FunctionDefs.

TF 2 writes `tf.cond` and `tf.while_loop` into TF1-style graphs as functional ops (`If`,
`StatelessIf`, `While`, `StatelessWhile`) whose bodies are FunctionDefs of the GraphDef's
`library`, and some graphs call functions with `PartitionedCall` / `StatefulPartitionedCall`
(or with the function's name as op type). The importer rebuilds them with tensorflux's own
machinery:

- each branch / loop function becomes a `FuncGraph` nested in the importing graph, wrapped in
  a `Body` (its argument placeholders and returned tensors), and the node becomes tensorflux's
  If / While op over those bodies (the ops `tf.cond` / `tf.while_loop` build);
- a call is inlined: the function's nodes go into the importing graph under the call's name
  scope, and an `IdentityN` named like the call node returns the function's results.

Inside a FunctionDef, node inputs name function arguments by name and node outputs as
`node:output_arg:index`; `_OUTPUT_ARGS` maps the output arg names of multi-output ops to
output positions. Bodies may contain functional ops themselves (nested conds), built the same
way. Functions with attribute placeholders (polymorphic functions), ops with several output
args missing from `_OUTPUT_ARGS`, and unknown functions raise a ValueError that names them.
"""

from tensorflux.graph import attr_values, dtypes, graph_protos, tensor_shape

IF_OPS = ("If", "StatelessIf")
WHILE_OPS = ("While", "StatelessWhile")
CALL_OPS = ("PartitionedCall", "StatefulPartitionedCall")
FUNC_ATTRS = {"If": ("then_branch", "else_branch"), "StatelessIf": ("then_branch", "else_branch"),
              "While": ("cond", "body"), "StatelessWhile": ("cond", "body"),
              "PartitionedCall": ("f",), "StatefulPartitionedCall": ("f",)}
# Attributes of functional nodes that the builders recompute from the bodies.
_REBUILT_ATTRS = {"Tin", "Tout", "T", "Tcond", "output_shapes", "_output_shapes"}

_BN = ("y", "batch_mean", "batch_variance", "reserve_space_1", "reserve_space_2",
       "reserve_space_3")
_BN_GRAD = ("x_backprop", "scale_backprop", "offset_backprop", "reserve_space_3",
            "reserve_space_4")
_XENT = ("loss", "backprop")
# Output arg names of ops with more than one output arg (TF's OpDefs), in output order.
_OUTPUT_ARGS = {
    "FusedBatchNorm": _BN[:5], "FusedBatchNormV2": _BN[:5], "FusedBatchNormV3": _BN,
    "FusedBatchNormGrad": _BN_GRAD, "FusedBatchNormGradV2": _BN_GRAD,
    "FusedBatchNormGradV3": _BN_GRAD[:3] + ("reserve_space_4", "reserve_space_5"),
    "BroadcastGradientArgs": ("r0", "r1"), "TopK": ("values", "indices"),
    "TopKV2": ("values", "indices"), "Unique": ("y", "idx"), "UniqueV2": ("y", "idx"),
    "UniqueWithCounts": ("y", "idx", "count"), "SoftmaxCrossEntropyWithLogits": _XENT,
    "SparseSoftmaxCrossEntropyWithLogits": _XENT, "MaxPoolWithArgmax": ("output", "argmax"),
    "StatelessRandomGetKeyCounter": ("key", "counter"),
    "StatelessRandomGetKeyCounterAlg": ("key", "counter", "alg"),
    "Svd": ("s", "u", "v"), "Qr": ("q", "r"), "SelfAdjointEigV2": ("e", "v"),
    "TensorListPopBack": ("output_handle", "tensor"),
    "TensorListConcatV2": ("tensor", "lengths"),
}


class Library:
    """The FunctionDefs of a GraphDef's library, by name."""

    def __init__(self, library):
        self.defs = library.function_defs() if library is not None else {}

    def __contains__(self, name):
        return name in self.defs

    def get(self, name, where):
        if name not in self.defs:
            raise ValueError("%s calls function '%s', which is not in the GraphDef's library"
                             % (where, name))
        fdef = self.defs[name]
        for arg in list(fdef.signature.input_arg) + list(fdef.signature.output_arg):
            if not arg.type or arg.number_attr or arg.type_list_attr:
                raise ValueError("Function '%s' (used by %s) has a polymorphic argument '%s'; "
                                 "tensorflux imports functions with fixed argument types only"
                                 % (name, where, arg.name))
        return fdef


def func_names(node):
    """{attr key: function name} of a functional node (If/While/call)."""
    out = {}
    for key in FUNC_ATTRS.get(node.op, ()):
        av = node.attr.get(key)
        if av is None or av.WhichOneof("value") != "func":
            raise ValueError("Node '%s' (op %s) has no function attribute '%s'"
                             % (node.name, node.op, key))
        out[key] = av.func.name
    return out


def is_functional(node, library):
    return node.op in FUNC_ATTRS or node.op in library


def make_functional(g, node, inputs, library):
    """Builds functional node `node` (If/While/call) in graph `g` over `inputs`; returns the op."""
    from tensorflux.graph import function_bodies

    where = "Node '%s' (op %s)" % (node.name, node.op)
    if node.op in library:
        return function_bodies.inline_call(g, node, library.get(node.op, where), inputs,
                                           library)
    names = func_names(node)
    fdefs = {k: library.get(name, where) for k, name in names.items()}
    attrs = plain_attrs(node)
    if node.op in IF_OPS:
        return function_bodies.make_if(g, node, fdefs, inputs, attrs, library)
    if node.op in WHILE_OPS:
        return function_bodies.make_while(g, node, fdefs, inputs, attrs, library)
    return function_bodies.inline_call(g, node, fdefs["f"], inputs, library)


def plain_attrs(node):
    """The node's attributes other than its functions and the ones rebuilt from the bodies."""
    skip = set(FUNC_ATTRS.get(node.op, ())) | _REBUILT_ATTRS
    plain = graph_protos.NodeDef(name=node.name, op=node.op)
    for key, value in node.attr.items():
        if key not in skip:
            plain.attr[key] = value
    return attr_values.node_attrs(plain)


def output_index(op, src_type, arg, idx, where):
    """The position in `op.outputs` of output `idx` of output arg `arg` of a body node."""
    names = _OUTPUT_ARGS.get(src_type)
    if names is None:
        pos = idx  # one output arg (a single tensor, or a list indexed by idx)
    elif arg in names:
        pos = names.index(arg) + idx
    else:
        raise ValueError("%s: tensorflux does not know output '%s' of op type %s"
                         % (where, arg, src_type))
    if pos >= len(op.outputs):
        raise ValueError("%s refers to output %s:%d of '%s', which has %d outputs"
                         % (where, arg, idx, op.name, len(op.outputs)))
    return pos


def arg_dtype(arg):
    return dtypes.as_dtype(arg.type)


def merged_shapes(body_outputs):
    """Per output, the most specific shape compatible with every body's output."""
    shapes = []
    for outs in zip(*body_outputs):
        shape = outs[0].shape
        for t in outs[1:]:
            shape = shape.most_specific_compatible_shape(t.shape)
        shapes.append(shape)
    return shapes


def loop_shapes(node, inputs):
    """A While node's loop variable shapes: its `output_shapes` attr, else the inputs'. A
    resource loop variable (a handle, shape []) is an imported reference variable here, so it
    takes the variable's shape."""
    given = [tensor_shape.unknown_shape() if t.shape.ndims is None else t.shape for t in inputs]
    av = node.attr.get("output_shapes")
    if av is None or len(av.list.shape) != len(inputs):
        return given
    types = list(node.attr["T"].list.type) if "T" in node.attr else []
    resource = dtypes.resource.as_datatype_enum
    return [given[k] if k < len(types) and types[k] == resource else
            attr_values.shape_proto_to_shape(s) for k, s in enumerate(av.list.shape)]
