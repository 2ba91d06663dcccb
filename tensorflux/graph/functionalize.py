"""TF 1.x while loops of an imported GraphDef as TF 2's functional `While`.

TF 1.x builds `tf.while_loop` without control flow v2 as a *frame*: per loop variable an
`Enter` → `Merge` (of the Enter and a `NextIteration`) → `Switch` on the frame's `LoopCond`,
whose false output leaves through an `Exit` and whose true output feeds the body; tensors the
loop only reads enter through constant Enters (`is_constant`). tensorflux runs loops as the
functional `While` op (ops/cond_ops.py), so before the import this module rewrites every frame
of a GraphDef into one `While` node whose cond and body are new FunctionDefs of the library,
the form TF 2 writes (TF's own functionalization in tf2xla does the same):

- cond: the frame's nodes that the LoopCond's predicate reads, with the Merges as arguments;
- body: the frame's other nodes, with the Switches' true outputs as arguments, returning what
  the NextIterations take;
- constant Enters become extra loop variables that the body passes through unchanged;
- control inputs that only place a node in the frame (on a Merge, Switch, LoopCond or the
  Identity after a Switch) are dropped; each Exit becomes an Identity of the While's output,
  under the Exit's own name, so the rest of the graph reads it unchanged.

Nested loops are rewritten inner first: the inner While then sits in the outer frame like any
other node, and ends up in the outer body. Loop-variable shapes are the entering tensors' shapes
(TF 1.x GraphDefs do not record shape invariants). A frame without one LoopCond raises a
ValueError naming the frame.

Example:
    >>> gd = functionalize_while_loops(graph_def)   # graph_def itself when it has no frames
"""

from tensorflux.graph import graph_protos

_ENTER = ("Enter", "RefEnter")
_EXIT = ("Exit", "RefExit")
_NEXT = ("NextIteration", "RefNextIteration")
_MERGE = ("Merge", "RefMerge")
_SWITCH = ("Switch", "RefSwitch")


_split = graph_protos.split_input


def _frame_name(node):
    av = node.attr.get("frame_name")
    value = av.s if av is not None else b""
    return value.decode() if isinstance(value, bytes) else value


def _is_constant(node):
    av = node.attr.get("is_constant")
    return bool(av is not None and av.b)


def _assign_frames(nodes):
    """node name -> frame name (None: outside every loop), and frame -> parent frame."""
    frame, parent = {}, {}
    pending = list(nodes)
    while pending:
        left = []
        for node in pending:
            srcs = [_split(i)[0] for i in node.input]
            known = [frame[s] for s in srcs if s in frame]
            if node.op in _ENTER:
                if srcs and not known:
                    left.append(node)
                    continue
                f = _frame_name(node)
                parent.setdefault(f, known[0] if known else None)
                frame[node.name] = f
            elif not srcs:
                frame[node.name] = None
            elif not known:
                left.append(node)
            elif node.op in _EXIT:
                frame[node.name] = parent.get(known[0])
            else:
                frame[node.name] = known[0]
        if len(left) == len(pending):  # inputs that are never resolved: leave them outside
            for node in left:
                frame[node.name] = None
            break
        pending = left
    return frame, parent


class _Loop:
    """The structure of one frame: its loop variables, constants and member nodes."""

    def __init__(self, name, members, by_name, consumers):
        self.name = name
        self.members = members
        enters = [n for n in members if n.op in _ENTER]
        conds = [n for n in members if n.op == "LoopCond"]
        if len(conds) != 1:
            raise ValueError("TF 1.x while loop '%s' has %d LoopCond nodes; tensorflux imports "
                             "loops with one." % (name, len(conds)))
        self.loop_cond = conds[0]
        self.constants = [n for n in enters if _is_constant(n)]
        self.vars = []  # (enter, merge, switch, next_iteration, exits)
        for enter in (n for n in enters if not _is_constant(n)):
            merge = _one(consumers.get(enter.name, ()), _MERGE, name, enter.name)
            switch = _one(consumers.get(merge.name, ()), _SWITCH, name, merge.name)
            nxt = [by_name[_split(i)[0]] for i in merge.input
                   if by_name[_split(i)[0]].op in _NEXT]
            if len(nxt) != 1:
                raise ValueError("TF 1.x while loop '%s': Merge '%s' has no NextIteration."
                                 % (name, merge.name))
            exits = [c for c in consumers.get(switch.name, ()) if c.op in _EXIT]
            self.vars.append((enter, merge, switch, nxt[0], exits))

    def pivots(self):
        """Nodes that control inputs name only to place a node in the frame."""
        out = {self.loop_cond.name}
        for _, merge, switch, _, _ in self.vars:
            out.update((merge.name, switch.name))
        return out


def _one(nodes, types, frame, after):
    found = [n for n in nodes if n.op in types]
    if len(found) != 1:
        raise ValueError("TF 1.x while loop '%s': expected one %s after '%s', found %d."
                         % (frame, types[0], after, len(found)))
    return found[0]


def _backward(roots, by_name, members, stop):
    """Names of frame members reachable backward from `roots` without passing `stop`."""
    seen, stack = set(), list(roots)
    while stack:
        name = stack.pop()
        if name in seen or name in stop or name not in members:
            continue
        seen.add(name)
        stack.extend(_split(i)[0] for i in by_name[name].input)
    return seen


def functionalize_while_loops(graph_def):
    """`graph_def` with each TF 1.x while loop (frame) replaced by a functional While node and
    two FunctionDefs (see the module docstring); `graph_def` itself when it holds no frame."""
    if not any(n.op in _ENTER for n in graph_def.node):
        return graph_def
    frame, parent = _assign_frames(graph_def.node)
    library = _Library(graph_def)
    nodes = list(graph_def.node)
    for f in sorted(parent, key=lambda f: (-_depth(f, parent), f)):  # inner loops first
        by_name = {n.name: n for n in nodes}
        consumers = {}
        for node in nodes:
            for inp in node.input:
                consumers.setdefault(_split(inp)[0], []).append(node)
        loop = _Loop(f, [n for n in nodes if frame.get(n.name) == f], by_name, consumers)
        new, gone = _rewrite(loop, by_name, library)
        for node in new:  # the While and the Exits' Identities live in the enclosing frame
            frame[node.name] = parent[f]
        nodes = [n for n in nodes if n.name not in gone] + new
    out = graph_protos.GraphDef()
    out.versions = graph_def.versions
    out.node.extend(nodes)
    out.library = library.finish()
    return out


def _depth(f, parent):
    depth = 0
    while parent.get(f) is not None:
        f = parent[f]
        depth += 1
    return depth


class _Library:
    """The GraphDef's function library plus the new cond and body functions."""

    def __init__(self, graph_def):
        self.old = graph_def.library
        self.names = set(graph_def.library.function_names()) if graph_def.library else set()
        self.new = []

    def unique(self, base):
        name, k = base, 0
        while name in self.names:
            k += 1
            name = "%s_%d" % (base, k)
        self.names.add(name)
        return name

    def add(self, fdef):
        self.new.append(fdef.SerializeToString())

    def finish(self):
        lib = graph_protos.FunctionDefLibrary()
        if self.old is not None:
            lib.function.extend(self.old.function)
            lib.gradient.extend(self.old.gradient)
        lib.function.extend(self.new)
        return lib


def _dtype_of(enter):
    return enter.attr["T"].type


def _rewrite(loop, by_name, library):
    """(the nodes replacing the frame, the names of the frame's nodes)."""
    member_names = {n.name for n in loop.members}
    n_vars = len(loop.vars)
    args = ["arg_%d" % k for k in range(n_vars + len(loop.constants))]
    const_arg = {c.name: args[n_vars + j] for j, c in enumerate(loop.constants)}
    pivots = loop.pivots()
    structure = pivots | {n.name for e, _, _, nxt, _ in loop.vars for n in (e, nxt)}
    pred = loop.loop_cond.input[0]
    # cond: from the predicate back to the Merges
    merge_arg = {merge.name: args[k] for k, (_, merge, _, _, _) in enumerate(loop.vars)}
    cond_names = _backward([_split(pred)[0]], by_name, member_names,
                           structure | set(const_arg))
    switch_arg = {switch.name: args[k] for k, (_, _, switch, _, _) in enumerate(loop.vars)}
    body_names = member_names - structure - set(const_arg) - cond_names
    base = loop.name.replace("/", "_").strip("_") or "while"
    dtypes = [_dtype_of(e) for e, _, _, _, _ in loop.vars] + [_dtype_of(c) for c in
                                                               loop.constants]
    cond_name = library.unique(base + "_cond")
    body_name = library.unique(base + "_body")

    def arg_for(src, idx, arg_map):
        if src in const_arg:
            return const_arg[src]
        if src in arg_map:
            if arg_map is switch_arg and idx != 1:
                raise ValueError("TF 1.x while loop '%s': the body reads the exit side of "
                                 "Switch '%s'." % (loop.name, src))
            return arg_map[src]
        return None

    def function(name, names, arg_map, rets):
        fdef = graph_protos.FunctionDef()
        sig = fdef.signature
        sig.name = name
        for a, dt in zip(args, dtypes):
            sig.input_arg.append(graph_protos.OpDefProto.ArgDef(name=a, type=dt))
        for k, (ret, dt) in enumerate(rets):
            sig.output_arg.append(graph_protos.OpDefProto.ArgDef(name="out_%d" % k, type=dt))
            fdef.ret["out_%d" % k] = _fn_input(ret, arg_for, arg_map, by_name).encode()
        for node in (by_name[n] for n in sorted(names)):
            copy = graph_protos.NodeDef(name=node.name, op=node.op, device=node.device)
            for key, value in node.attr.items():
                copy.attr[key] = value
            for inp in node.input:
                src, idx = _split(inp)
                if idx < 0:
                    if src in pivots or src in structure or src not in names:
                        continue  # only placed the node in the frame
                    copy.input.append(inp)
                    continue
                copy.input.append(_fn_input(inp, arg_for, arg_map, by_name))
            fdef.node_def.append(copy)
        library.add(fdef)

    function(cond_name, cond_names, merge_arg, [(pred, 10)])  # DT_BOOL
    rets = [(nxt.input[0], dt) for (_, _, _, nxt, _), dt in zip(loop.vars, dtypes)]
    rets += [(args[n_vars + j], dtypes[n_vars + j]) for j in range(len(loop.constants))]
    function(body_name, body_names, switch_arg, rets)
    while_name = _unique_node(base + "_While", by_name)
    node = graph_protos.NodeDef(name=while_name, op="While")
    node.input.extend([e.input[0] for e, _, _, _, _ in loop.vars] +
                      [c.input[0] for c in loop.constants])
    node.attr["T"].list.type.extend(dtypes)
    node.attr["cond"].func.name = cond_name
    node.attr["body"].func.name = body_name
    node.attr["parallel_iterations"].i = 10
    out = [node]
    for k, (_, _, _, _, exits) in enumerate(loop.vars):
        for ex in exits:
            ident = graph_protos.NodeDef(name=ex.name, op="Identity", device=ex.device)
            ident.input.append("%s:%d" % (while_name, k))
            ident.attr["T"].type = dtypes[k]
            out.append(ident)
    return out, member_names | {ex.name for _, _, _, _, exits in loop.vars for ex in exits}


def _fn_input(inp, arg_for, arg_map, by_name):
    """A GraphDef input `node:idx` as a FunctionDef input (`node:output:idx` or an argument)."""
    from tensorflux.graph import functions

    src, idx = _split(inp)
    arg = arg_for(src, idx, arg_map)
    if arg is not None:
        return arg
    if src not in by_name:
        return inp  # already an argument name (a pass-through return)
    names = functions._OUTPUT_ARGS.get(by_name[src].op)
    if names is not None:
        return "%s:%s:0" % (src, names[idx])
    return "%s:output:%d" % (src, idx)


def _unique_node(base, by_name):
    name, k = base, 0
    while name in by_name:
        k += 1
        name = "%s_%d" % (base, k)
    by_name[name] = None
    return name


__all__ = ["functionalize_while_loops"]
