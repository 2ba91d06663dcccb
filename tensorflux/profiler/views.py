"""The scope and graph views of the profiler and their text tables (TF's tfprof_scope/_graph).

Scope view: every op sits under its name-scope parents (parents without an op of their own are
made up); a node is *accounted* when one of its op types matches `account_type_regexes`, and
*shown* when its own value passes the `min_*` filters and its name the show/hide regexes. A hidden
node's shown descendants move up to the nearest shown ancestor; with
`account_displayed_op_only`, `total_*` sums only what is shown.
"""

import re
import sys

from tensorflux.profiler.protos import GraphNodeProto

ROOT = "_TFProfRoot"
SCOPE_PARENT = "_kTFScopeParent"
TOTALS = ["run_count", "exec_micros", "accelerator_exec_micros", "cpu_exec_micros",
          "requested_bytes", "peak_bytes", "residual_bytes", "output_bytes", "parameters",
          "float_ops"]
_ORDER_FIELD = {"bytes": "total_requested_bytes", "peak_bytes": "total_peak_bytes",
                "residual_bytes": "total_residual_bytes", "output_bytes": "total_output_bytes",
                "micros": "total_exec_micros",
                "accelerator_micros": "total_accelerator_exec_micros",
                "cpu_micros": "total_cpu_exec_micros", "params": "total_parameters",
                "float_ops": "total_float_ops"}


# --- number formatting (tfprof_utils.cc) ---------------------------------------------------------
def format_number(n):
    if n < 1000:
        return "%d" % n
    if n < 1000000:
        return "%.2fk" % (n / 1000.0)
    if n < 1000000000:
        return "%.2fm" % (n / 1000000.0)
    return "%.2fb" % (n / 1000000000.0)


def format_time(micros):
    if micros < 1000:
        return "%dus" % micros
    if micros < 1000000:
        return "%.2fms" % (micros / 1000.0)
    return "%.2fsec" % (micros / 1000000.0)


def format_memory(n):
    if n < 1000:
        return "%dB" % n
    if n < 1000000:
        return "%.2fKB" % (n / 1000.0)
    return "%.2fMB" % (n / 1000000.0)


def full_match(regex, s):
    return re.fullmatch(regex, s) is not None


def matches_all(regexes):
    return len(regexes) == 1 and regexes[0] == ".*"


# --- shared show logic ---------------------------------------------------------------------------
def should_show(proto, name, opts, depth, multi=False):
    if name == ROOT:
        return True
    own = (lambda f: getattr(proto, "total_" + f)) if multi else (lambda f: getattr(proto, f))
    if (proto.total_requested_bytes < opts.min_bytes
            or proto.total_peak_bytes < opts.min_peak_bytes
            or proto.total_residual_bytes < opts.min_residual_bytes
            or proto.total_output_bytes < opts.min_output_bytes
            or proto.total_exec_micros < opts.min_micros
            or proto.total_accelerator_exec_micros < opts.min_accelerator_micros
            or proto.total_cpu_exec_micros < opts.min_cpu_micros
            or own("parameters") < opts.min_params
            or own("float_ops") < opts.min_float_ops
            or (not multi and proto.run_count < opts.min_occurrence)
            or depth > opts.max_depth):
        return False
    if not matches_all(opts.show_name_regexes):
        if not any(full_match(r, name) for r in opts.show_name_regexes):
            return False
    return not any(full_match(r, name) for r in opts.hide_name_regexes)


def should_trim(name, regexes):
    return any(full_match(r, name) for r in regexes)


def sort_nodes(nodes, opts):
    if not opts.order_by or not nodes:
        return list(nodes)
    field = _ORDER_FIELD.get(opts.order_by)
    if field is None:
        return sorted(nodes, key=lambda n: n.name)
    return sorted(nodes, key=lambda n: -getattr(n.proto, field))


def _account_types(node, regexes):
    if matches_all(regexes):
        return True
    return any(full_match(r, t) for r in regexes for t in node.op_types)


class ShowNode:
    """A graph node as a view shows it: its proto (own stats and totals) and shown children."""

    def __init__(self, node):
        self.node = node
        self.name = node.name
        self.account = False
        self.proto = GraphNodeProto()
        self.children = []
        self.show_children = []
        self.formatted_str = ""
        self.reinit(-1)

    def reinit(self, step):
        p, n = self.proto, self.node
        p.name = n.name
        p.devices = [n.canonical_device] if n.canonical_device else []
        p.run_count = n.run_count(step)
        p.exec_micros = n.exec_micros(step)
        p.accelerator_exec_micros = n.accelerator_exec_micros(step)
        p.cpu_exec_micros = n.cpu_exec_micros(step)
        p.requested_bytes = n.requested_bytes(step)
        p.peak_bytes = n.peak_bytes(step)
        p.residual_bytes = n.residual_bytes(step)
        p.output_bytes = n.output_bytes(step)
        p.float_ops = n.float_ops(step)
        p.input_shapes = n.input_shapes()
        p.parameters = n.parameters()

    def reset_totals(self):
        self.formatted_str = ""
        self.proto.total_definition_count = 0
        for f in TOTALS:
            setattr(self.proto, "total_" + f, 0)
        self.proto.children = []

    def add_self(self):
        self.proto.total_definition_count += 1
        for f in TOTALS:
            setattr(self.proto, "total_" + f,
                    getattr(self.proto, "total_" + f) + getattr(self.proto, f))

    def aggregate(self, other):
        self.proto.total_definition_count += other.proto.total_definition_count
        for f in TOTALS:
            name = "total_" + f
            setattr(self.proto, name, getattr(self.proto, name) + getattr(other.proto, name))


def _format_node_memory(node, own, total):
    memory = format_memory(total)
    return (format_memory(own) + "/" if node.account else "--/") + memory


def _format_time(node, own, total):
    return (format_time(own) + "/" if node.account else "--/") + format_time(total)


def _format_count(node, own, total, unit):
    return (format_number(own) + "/" if node.account else "--/") + format_number(total) + unit


def format_node(node, opts):
    p, sel = node.proto, opts.select
    info = []
    if "params" in sel:
        shape = "x".join(str(d) for d in node.node.shape)
        if shape:
            info.append(shape)
        info.append(_format_count(node, p.parameters, p.total_parameters, " params"))
    if "float_ops" in sel:
        info.append(_format_count(node, p.float_ops, p.total_float_ops, " flops"))
    for key, f in (("bytes", "requested_bytes"), ("peak_bytes", "peak_bytes"),
                   ("residual_bytes", "residual_bytes"), ("output_bytes", "output_bytes")):
        if key in sel:
            info.append(_format_node_memory(node, getattr(p, f), getattr(p, "total_" + f)))
    if "micros" in sel:
        info.append(_format_time(node, p.exec_micros, p.total_exec_micros))
        info.append(_format_time(node, p.accelerator_exec_micros,
                                 p.total_accelerator_exec_micros))
        info.append(_format_time(node, p.cpu_exec_micros, p.total_cpu_exec_micros))
    if "accelerator_micros" in sel and "micros" not in sel:
        info.append(_format_time(node, p.accelerator_exec_micros,
                                 p.total_accelerator_exec_micros))
    if "cpu_micros" in sel and "micros" not in sel:
        info.append(_format_time(node, p.cpu_exec_micros, p.total_cpu_exec_micros))
    if "device" in sel and p.devices:
        info.append("|".join(p.devices))
    if "op_types" in sel:
        info.append("|".join(sorted(node.node.op_types)))
    if "occurrence" in sel:
        run = (format_number(p.run_count) + "/" if node.account else "--/") + format_number(
            p.total_run_count)
        definition = ("1/" if node.account else "--/") + format_number(p.total_definition_count)
        info.append(run + "|" + definition)
    if "input_shapes" in sel:
        shapes = []
        for i, s in sorted(node.node.input_shapes().items()):
            shapes.append("%d:%s" % (i, "x".join(str(d) for d in s) if s else "unknown"))
        info.append("|".join(shapes))
    return "%s (%s)" % (node.name, ", ".join(info))


def format_legend(opts, multi=False):
    sel, legends = opts.select, []
    counts = []
    if "params" in sel:
        counts.append("# parameters")
    if "float_ops" in sel:
        counts.append("# float_ops")
    if not multi:
        legends += counts
    for key, text in (("bytes", "requested bytes"), ("peak_bytes", "peak bytes"),
                      ("residual_bytes", "residual bytes"), ("output_bytes", "output bytes")):
        if key in sel:
            legends.append(text)
    if "micros" in sel:
        legends += ["total execution time", "accelerator execution time", "cpu execution time"]
    if "accelerator_micros" in sel and "micros" not in sel:
        legends.append("accelerator execution time")
    if "cpu_micros" in sel and "micros" not in sel:
        legends.append("cpu execution time")
    if multi:
        legends += counts
    if "device" in sel:
        legends.append("assigned devices")
    if "op_types" in sel:
        legends.append("op types")
    if "occurrence" in sel:
        legends.append("op occurrence (run|defined)" if multi else "op count (run|defined)")
    if "input_shapes" in sel:
        legends.append("input shapes")
    return "node name | %s\n" % " | ".join(legends)


def format_tree(nodes, text, proto):
    """Append the shown subtree's lines to `text` and copies of its protos to `proto`."""
    for node in nodes:
        text += node.formatted_str
        child = node.proto.copy()
        proto.children.append(child)
        text = format_tree(node.show_children, text, child)
    return text


# --- scope view ----------------------------------------------------------------------------------
class ScopeView:
    """Nodes organised by name scope (`cmd='scope'`)."""

    def __init__(self, nodes):
        self._map = {}
        for name in sorted(nodes):  # a scope's own op comes before the ops inside it
            self._add(nodes[name])
        children = {}
        roots = []
        for name in sorted(self._map):
            cut = name.rfind("/")
            if cut < 0:
                roots.append(self._map[name])
            else:
                children.setdefault(name[:cut], []).append(self._map[name])
        for name, sn in self._map.items():
            sn.children = children.get(name, [])
        self.root = self._parent(ROOT)
        self.root.children = roots

    def _parent(self, name):
        from tensorflux.profiler.graph_nodes import TFGraphNode

        if name not in self._map:
            self._map[name] = ShowNode(TFGraphNode(name, SCOPE_PARENT))
        return self._map[name]

    def _add(self, node):
        if node.name not in self._map:
            self._map[node.name] = ShowNode(node)
        name = node.name
        while "/" in name:
            name = name[:name.rfind("/")]
            self._parent(name)

    def show(self, opts):
        root = self.root
        root.reset_totals()
        roots = self._account(root.children, opts)
        root.show_children = []
        for n in roots:
            root.aggregate(n)
        if not matches_all(opts.start_name_regexes):
            roots = self._search_root(roots, opts.start_name_regexes)
        root.show_children = list(roots)
        root = self._print([root], opts, 1, 0)[0]
        text = format_legend(opts) + root.formatted_str
        proto = root.proto.copy()
        text = format_tree(root.show_children, text, proto)
        return proto, text

    def _search_root(self, roots, regexes):
        out = []
        for root in roots:
            if any(full_match(r, root.name) for r in regexes):
                out.append(root)
                continue
            out += self._search_root(root.show_children, regexes)
        return out

    def _print(self, roots, opts, depth, last_ident):
        show_nodes = []
        for node in roots:
            ident = last_ident
            show = should_show(node.proto, node.name, opts, depth)
            if show:
                ident += 2
            show_cnodes = []
            if not should_trim(node.name, opts.trim_name_regexes) and depth <= opts.max_depth:
                show_cnodes = self._print(node.show_children, opts, depth + 1, ident)
            if show:
                node.show_children = []
                if opts.account_displayed_op_only:
                    node.reset_totals()
                    node.add_self()
                for c in sort_nodes(show_cnodes, opts):
                    node.show_children.append(c)
                    if opts.account_displayed_op_only:
                        node.aggregate(c)
                node.formatted_str = "%s%s\n" % (" " * last_ident, format_node(node, opts))
                show_nodes.append(node)
            else:
                show_nodes += show_cnodes
        return show_nodes

    def _account(self, roots, opts):
        act_nodes = []
        for node in roots:
            node.reset_totals()
            act_cnodes = self._account(node.children, opts)
            node.reinit(opts.step)
            node.account = _account_types(node.node, opts.account_type_regexes)
            if node.account or act_cnodes:
                node.show_children = []
                node.reset_totals()
                node.add_self()
                for c in act_cnodes:
                    node.aggregate(c)
                    node.show_children.append(c)
                act_nodes.append(node)
        return act_nodes


# --- graph view ----------------------------------------------------------------------------------
class GraphView:
    """Nodes organised by dataflow (`cmd='graph'`): a node's children are its inputs; the roots
    are the ops no other op reads. Each node is shown once, under the first path reaching it."""

    def __init__(self, nodes):
        from tensorflux.profiler.graph_nodes import TFGraphNode

        self._map = {name: ShowNode(nodes[name]) for name in sorted(nodes)}
        used = set()
        for sn in self._map.values():
            for _, inp in sorted(sn.node.inputs.items()):
                used.add(inp)
                if inp in self._map:
                    sn.children.append(self._map[inp])
        roots = [sn for name, sn in self._map.items() if name not in used]
        self.root = ShowNode(TFGraphNode(ROOT, "_kTFGraphParent"))
        self.root.children = roots

    def show(self, opts):
        # The walk recurses along input chains, which can be as long as the graph.
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 4 * len(self._map) + 1000))
        try:
            return self._show(opts)
        finally:
            sys.setrecursionlimit(limit)

    def _show(self, opts):
        root = self.root
        root.reset_totals()
        root.show_children = []
        roots = self._account(root.children, opts, set())
        for n in roots:
            root.aggregate(n)
        if not matches_all(opts.start_name_regexes):
            roots = self._search_root(roots, opts.start_name_regexes, set())
        root.show_children = list(roots)
        root = self._print([root], opts, 1, 0, set())[0]
        text = format_legend(opts) + root.formatted_str
        proto = root.proto.copy()
        text = format_tree(root.show_children, text, proto)
        return proto, text

    def _search_root(self, roots, regexes, visited):
        out = []
        for root in roots:
            if root.name in visited:
                continue
            visited.add(root.name)
            if any(full_match(r, root.name) for r in regexes):
                out.append(root)
                continue
            out += self._search_root(root.show_children, regexes, visited)
        return out

    def _print(self, roots, opts, depth, last_ident, visits):
        show_nodes = []
        for node in roots:
            if node.name in visits:
                continue
            visits.add(node.name)
            show = should_show(node.proto, node.name, opts, depth)
            ident = last_ident + 2 if show else last_ident
            show_cnodes = []
            if not should_trim(node.name, opts.trim_name_regexes) and depth <= opts.max_depth:
                show_cnodes = self._print(node.show_children, opts, depth + 1, ident, visits)
            if show:
                node.show_children = []
                if opts.account_displayed_op_only:
                    node.reset_totals()
                    node.add_self()
                for c in sort_nodes(show_cnodes, opts):
                    node.show_children.append(c)
                    if opts.account_displayed_op_only:
                        node.aggregate(c)
                node.formatted_str = "%s%s\n" % (" " * last_ident, format_node(node, opts))
                show_nodes.append(node)
            else:
                show_nodes += show_cnodes
        return show_nodes

    def _account(self, roots, opts, visits):
        act_nodes = []
        for node in roots:
            if node.name in visits:
                continue
            visits.add(node.name)
            act_cnodes = self._account(node.children, opts, visits)
            node.reinit(opts.step)
            node.account = _account_types(node.node, opts.account_type_regexes)
            if node.account:
                node.show_children = []
                node.reset_totals()
                node.add_self()
                for c in act_cnodes:
                    node.aggregate(c)
                    node.show_children.append(c)
                act_nodes.append(node)
            else:
                act_nodes += act_cnodes
        return act_nodes
