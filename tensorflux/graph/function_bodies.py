"""Builds the nodes of a FunctionDef into a graph: If/While bodies and inlined calls.

See `functions.py` for the overall scheme. `build_nodes` is the one loop that turns a
FunctionDef's `node_def` list into ops of a target graph (a `FuncGraph` for a body, the
importing graph for an inlined call), resolving `arg`, `node:out_arg:idx` and `^node` inputs;
`make_if`, `make_while` and `inline_call` wrap it for each kind of functional node.
"""

from tensorflux.graph import dtypes, functions


class _Scope:
    """Resolves input names inside one function: arguments, node outputs, control inputs."""

    def __init__(self, fdef, args):
        self.fname = fdef.signature.name
        self.args = {a.name: t for a, t in zip(fdef.signature.input_arg, args)}
        self.created = {}  # node name -> (Operation, op type in the FunctionDef)

    def tensor(self, name, where):
        if ":" not in name:
            if name in self.args:
                return self.args[name]
            if name in self.created:
                return self.created[name][0].outputs[0]
            raise ValueError("%s: unknown input '%s' in function '%s'"
                             % (where, name, self.fname))
        parts = name.split(":")
        src = parts[0]
        if src not in self.created:
            raise ValueError("%s: unknown input node '%s' in function '%s'"
                             % (where, src, self.fname))
        op, src_type = self.created[src]
        arg = parts[1]
        idx = int(parts[2]) if len(parts) > 2 else 0
        if arg.isdigit() and len(parts) == 2:  # `node:idx`, as in a GraphDef
            return op.outputs[int(arg)]
        return op.outputs[functions.output_index(op, src_type, arg, idx, where)]

    def control(self, name, where):
        src = name[1:]
        if src not in self.created:
            raise ValueError("%s: unknown control input '%s' in function '%s'"
                             % (where, name, self.fname))
        return self.created[src][0]


def build_nodes(g, fdef, args, library):
    """Creates the function's nodes in `g` (the default graph) with arguments `args`.

    Returns:
        (the tensors of the function's outputs in signature order, the ops that must run with
        the function: its control outputs and its stateful ops).
    """
    from tensorflux.graph import importer

    scope = _Scope(fdef, args)
    for node in importer.dependency_order(
            fdef.node_def, "Function '%s' has a cycle through node '%%s'" % fdef.signature.name):
        where = "Node '%s' of function '%s'" % (node.name, scope.fname)
        importer.check_op_type(node, library, where)
        inputs = [scope.tensor(i, where) for i in node.input if not i.startswith("^")]
        controls = [scope.control(i, where) for i in node.input if i.startswith("^")]
        op = importer.make_node(g, node, inputs, library)
        op._add_control_inputs(controls)
        scope.created[node.name] = (op, node.op)
    outs = []
    for arg in fdef.signature.output_arg:
        ret = fdef.ret.get(arg.name)
        if ret is None:
            raise ValueError("Function '%s' does not return its output '%s'"
                             % (scope.fname, arg.name))
        outs.append(scope.tensor(ret.decode(), "Output '%s'" % arg.name))
    controls = [scope.created[v.decode()][0] for v in fdef.control_ret.values()
                if v.decode() in scope.created]
    controls += [op for op, _ in scope.created.values()
                 if op.op_def is not None and op.op_def.stateful and op not in controls]
    return outs, controls


def _with_controls(g, outs, controls):
    """Outputs that run only after `controls` (a function's control outputs)."""
    if not controls:
        return outs
    from tensorflux.ops import array_ops

    with g.control_dependencies(controls):
        return [array_ops.identity(t) for t in outs]


def function_body(outer, fdef, args, shapes, library):
    """The `Body` of `fdef` as a FuncGraph nested in `outer`, for call-site tensors `args` (a
    resource argument takes their dtype: an imported resource variable is a reference one)
    with shapes `shapes`."""
    from tensorflux.ops.func_graph import Body, FuncGraph

    fg = FuncGraph(outer, "")
    phs = []
    for a, t, shp in zip(fdef.signature.input_arg, args, shapes):
        dtype = functions.arg_dtype(a)
        if dtype == dtypes.resource:
            dtype = t.dtype.base_dtype
        phs.append(fg.placeholder(dtype, shp, a.name))
    with fg.as_default():
        outs, controls = build_nodes(fg, fdef, phs, library)
        outs = _with_controls(fg, outs, controls)
    fg.forward_count = len(fg._ops)
    return Body(fg, phs, outs)


def _check_arity(node, fdef, n_in, n_out=None):
    sig = fdef.signature
    if len(sig.input_arg) != n_in or (n_out is not None and len(sig.output_arg) != n_out):
        raise ValueError("Node '%s' (op %s) passes %d inputs to function '%s', which takes %d "
                         "and returns %d" % (node.name, node.op, n_in, sig.name,
                                             len(sig.input_arg), len(sig.output_arg)))


def make_if(g, node, fdefs, inputs, attrs, library):
    """An If / StatelessIf op over bodies built from the then/else FunctionDefs."""
    from tensorflux.ops import registry

    args = inputs[1:]
    shapes = [t.shape for t in args]
    then_def, else_def = fdefs["then_branch"], fdefs["else_branch"]
    n_out = len(then_def.signature.output_arg)
    for fdef in (then_def, else_def):
        _check_arity(node, fdef, len(args), n_out)
    bodies = [function_body(g, fdef, args, shapes, library)
              for fdef in (then_def, else_def)]
    attrs.update({"then_branch": bodies[0], "else_branch": bodies[1], "Tcond": dtypes.bool,
                  "Tin": [t.dtype.base_dtype for t in args],
                  "Tout": [t.dtype.base_dtype for t in bodies[0].outputs],
                  "output_shapes": functions.merged_shapes([b.outputs for b in bodies])})
    return g.create_op(node.op, inputs, attrs, name=node.name, op_def=registry.get(node.op))


def make_while(g, node, fdefs, inputs, attrs, library):
    """A While / StatelessWhile op: TF's loop variables are tensorflux's `n_vars` variables."""
    from tensorflux.ops import registry

    shapes = functions.loop_shapes(node, inputs)
    _check_arity(node, fdefs["cond"], len(inputs), 1)
    _check_arity(node, fdefs["body"], len(inputs), len(inputs))
    cond = function_body(g, fdefs["cond"], inputs, shapes, library)
    body = function_body(g, fdefs["body"], inputs, shapes, library)
    types = [t.dtype.base_dtype for t in inputs]
    attrs.update({"cond": cond, "body": body, "n_vars": len(inputs), "n_xs": 0,
                  "reverse": False, "T": types, "Tout": types, "output_shapes": shapes})
    attrs.setdefault("parallel_iterations", 10)
    return g.create_op(node.op, inputs, attrs, name=node.name, op_def=registry.get(node.op))


def inline_call(g, node, fdef, inputs, library):
    """Inlines a function call: its nodes under scope `node.name/`, results via IdentityN."""
    from tensorflux.ops import registry

    _check_arity(node, fdef, len(inputs))
    with g.name_scope(g._scopes.name_scope + node.name + "/"):
        outs, controls = build_nodes(g, fdef, inputs, library)
    attrs = {"T": [t.dtype.base_dtype for t in outs]}
    with g.control_dependencies(controls):
        if outs:
            return g.create_op("IdentityN", outs, attrs, name=node.name,
                               op_def=registry.get("IdentityN"))
        return g.create_op("NoOp", [], {}, name=node.name, op_def=registry.get("NoOp"))

