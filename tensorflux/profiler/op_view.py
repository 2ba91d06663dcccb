"""The op view of the profiler (`cmd='op'`, TF's tfprof_op): graph nodes grouped by op type.

Op types are sorted by the `order_by` total; each accounted type's totals include every type
after it, and the result is a chain (each level has one child, the next type).
"""

from tensorflux.profiler.protos import MultiGraphNodeProto
from tensorflux.profiler.views import (
    ROOT,
    TOTALS,
    ShowNode,
    format_legend,
    format_memory,
    format_number,
    format_time,
    full_match,
    matches_all,
    should_show,
    should_trim,
    sort_nodes,
)


class _MultiNode:
    """All graph nodes of one op type."""

    def __init__(self, name, graph_nodes):
        self.name = name
        self.nodes = graph_nodes
        self.snapshot = []
        self.account = False
        self.proto = MultiGraphNodeProto(name=name)

    def reinit(self, step, regexes):
        if not regexes:
            picked = []
        elif matches_all(regexes):
            picked = list(self.nodes)
        else:
            picked = [n for r in regexes for n in self.nodes
                      if any(full_match(r, t) for t in n.op_types)]
        self.snapshot = sorted({n.name: n for n in picked}.values(), key=lambda n: n.name)
        p = self.proto
        p.graph_nodes = []
        for n in self.snapshot:
            sn = ShowNode(n)
            sn.reinit(step)
            sn.add_self()
            p.graph_nodes.append(sn.proto)
        p.name = self.name
        p.exec_micros = sum(n.exec_micros(step) for n in picked)
        p.accelerator_exec_micros = sum(n.accelerator_exec_micros(step) for n in picked)
        p.cpu_exec_micros = sum(n.cpu_exec_micros(step) for n in picked)
        p.requested_bytes = sum(n.requested_bytes(step) for n in picked)
        p.peak_bytes = sum(n.peak_bytes(step) for n in picked)
        p.residual_bytes = sum(n.residual_bytes(step) for n in picked)
        p.output_bytes = sum(n.output_bytes(step) for n in picked)
        p.float_ops = sum(n.float_ops(step) for n in picked)
        p.parameters = sum(n.parameters() for n in picked)
        return bool(picked) or matches_all(regexes)

    def reset_totals(self):
        for f in TOTALS[1:]:
            setattr(self.proto, "total_" + f, 0)
        self.proto.children = []

    def add_self(self):
        for f in TOTALS[1:]:
            setattr(self.proto, "total_" + f,
                    getattr(self.proto, "total_" + f) + getattr(self.proto, f))

    def aggregate(self, other):
        for f in TOTALS[1:]:
            name = "total_" + f
            setattr(self.proto, name, getattr(self.proto, name) + getattr(other.proto, name))


def _pct_field(text, total, root_total, own):
    accu = pct = 0.0
    if total > 0:
        accu = 100.0 * total / root_total
        pct = 100.0 * own / root_total
    return "%30s" % ("%s (%.2f%%, %.2f%%)" % (text, accu, pct))


def _format_op_node(node, root, opts):
    p, r, sel = node.proto, root.proto, opts.select
    attrs = []
    for key, f in (("bytes", "requested_bytes"), ("peak_bytes", "peak_bytes"),
                   ("residual_bytes", "residual_bytes"), ("output_bytes", "output_bytes")):
        if key in sel:
            own = getattr(p, f)
            accu = pct = 0.0
            if own > 0:
                accu = 100.0 * getattr(p, "total_" + f) / getattr(r, "total_" + f)
                pct = 100.0 * own / getattr(r, "total_" + f)
            attrs.append("%30s" % ("%s (%.2f%%, %.2f%%)" % (format_memory(own), accu, pct)))
    times = [("exec_micros", "micros"), ("accelerator_exec_micros", "accelerator_micros"),
             ("cpu_exec_micros", "cpu_micros")]
    for f, key in times:
        if "micros" in sel or (key in sel and key != "micros"):
            attrs.append(_pct_field(format_time(getattr(p, f)), getattr(p, "total_" + f),
                                    getattr(r, "total_" + f), getattr(p, f)))
    if "params" in sel:
        attrs.append(_pct_field(format_number(p.parameters) + " params", p.total_parameters,
                                r.total_parameters, p.parameters))
    if "float_ops" in sel:
        attrs.append(_pct_field(format_number(p.float_ops) + " float_ops", p.total_float_ops,
                                r.total_float_ops, p.float_ops))
    if "device" in sel:
        attrs.append("|".join(sorted({n.canonical_device for n in node.snapshot})))
    if "op_types" in sel:
        attrs.append("|".join(sorted(set().union(*[n.op_types for n in node.snapshot]))))
    if "occurrence" in sel:
        runs = sum(g.run_count for g in p.graph_nodes)
        attrs.append("%10s" % ("%d|%d" % (runs, len(p.graph_nodes))))
    text = "%-25s%s\n" % (node.name, ", ".join(attrs))
    if "input_shapes" in sel:
        shapes = _format_input_shapes(p)
        if shapes:
            text = "%s\n%s\n\n" % (text, shapes)
    return text


def _format_input_shapes(proto):
    counts = {}
    for g in proto.graph_nodes:
        parts = ["%d:%s" % (i, "x".join(str(d) for d in s) if s else "unknown")
                 for i, s in sorted(g.input_shapes.items())]
        key = "input_type: %s" % ",\t".join(parts)
        defined, runs, micros = counts.get(key, (0, 0, 0))
        counts[key] = (defined + 1, runs + g.run_count, micros + g.exec_micros)
    items = sorted(sorted(counts.items()), key=lambda kv: -kv[1][1])
    return "\n".join("%s\t(run*%d|defined*%d)\texec_time: %s" % (k, v[1], v[0], format_time(v[2]))
                     for k, v in items)


class OpView:
    """Nodes aggregated by op type (`cmd='op'`); the result is a chain, one child per level."""

    def __init__(self, nodes):
        by_type = {}
        for node in nodes.values():
            by_type.setdefault(node.op, []).append(node)
        self._nodes = [_MultiNode(t, by_type[t]) for t in sorted(by_type)]
        self.root = _MultiNode(ROOT, [])

    def show(self, opts):
        root = self.root
        root.reset_totals()
        text = _format_op_node(root, root, opts)
        if not self._nodes:
            return root.proto.copy(), text
        for n in self._nodes:
            n.account = n.reinit(opts.step, opts.account_type_regexes)
            n.reset_totals()
            n.add_self()
        nodes = sort_nodes(self._nodes, opts)
        pre, account_nodes = None, []
        for n in reversed(nodes):
            if n.account:
                if pre is not None:
                    n.aggregate(pre)
                account_nodes.append(n)
                pre = n
        account_nodes.reverse()
        if pre is not None:
            root.aggregate(pre)
        start = 0
        if opts.start_name_regexes and not matches_all(opts.start_name_regexes):
            start = next((i for i, n in enumerate(account_nodes)
                          if any(full_match(r, n.name) for r in opts.start_name_regexes)),
                         len(account_nodes))
        show_nodes = []
        for depth, n in enumerate(account_nodes[start:]):
            if should_trim(n.name, opts.trim_name_regexes) or depth > opts.max_depth:
                break
            if (should_show(n.proto, n.name, opts, depth, multi=True)
                    and opts.min_occurrence <= len(n.snapshot)):
                show_nodes.append(n)
        pre = None
        for n in reversed(show_nodes):
            if opts.account_displayed_op_only:
                n.reset_totals()
                n.add_self()
                if pre is not None:
                    n.aggregate(pre)
            pre = n
        if opts.account_displayed_op_only:
            root.reset_totals()
            if pre is not None:
                root.aggregate(pre)
        text = format_legend(opts, multi=True)
        for n in show_nodes:
            text += _format_op_node(n, root, opts)
        proto = root.proto.copy()
        level = proto
        for n in show_nodes:
            child = n.proto.copy()
            child.children = []
            level.children = [child]
            level = child
        return proto, text
