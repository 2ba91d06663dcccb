"""`tf.profiler.profile`, `tf.profiler.advise` and the multi-step `tf.profiler.Profiler`.

Each call builds the op log (flops, trainable variables), the per-op records, then the asked
view, prints TF's report (options, doc, table) to stdout or a file, and returns the view's root.
"""

import sys

from tensorflux import errors
from tensorflux.graph import graph as graph_lib
from tensorflux.profiler import graph_nodes, op_view, tfprof_logger, views
from tensorflux.profiler.option_builder import ProfileOptionBuilder
from tensorflux.profiler.protos import AdviceProto, GraphNodeProto, MultiGraphNodeProto

_DEFAULT_PROFILE_OPTIONS = 0
_DEFAULT_ADVISE_OPTIONS = 0
_OUTPUT_TYPES = ["timeline", "stdout", "file", "pprof", "none"]
_CMD_DOC = {
    "scope": "scope: The nodes in the model graph are organized by their names, which is "
             "hierarchical like filesystem.",
    "code": "code: When python trace is available, the nodes are python lines and their are "
            "organized by the python call stack.",
    "op": "op: The nodes are operation kernel type, such as MatMul, Conv2D. Graph nodes "
          "belonging to the same type are aggregated together.",
}
_CPU_HELP = ("cpu execution time: The time from the start to the end of the operation. It's the "
             "sum of actual cpu run time plus the time that it spends waiting if part of "
             "computation is launched asynchronously.")
_ACC_HELP = ("accelerator execution time: Time spent executing on the accelerator. This is "
             "normally measured by the actual hardware library.")
_SELECT_DOC = {
    "bytes": "requested bytes: The memory requested by the operation, accumulatively.",
    "micros": "total execution time: Sum of accelerator execution time and cpu execution time."
              "\n" + _CPU_HELP + "\n" + _ACC_HELP,
    "params": "param: Number of parameters (in the Variable).",
    "float_ops": "flops: Number of float operations. Note: Please read the implementation for "
                 "the math behind it.",
    "tensor_value": "tensor_value: Not supported now.",
    "device": "device: which device is placed on.",
    "op_types": "op_types: The attributes of the operation, includes the Kernel name device "
                "placed on and user-defined strings.",
    "occurrence": "occurrence: The number of times it occurs",
    "input_shapes": "input shape: The shape of input tensors",
    "accelerator_micros": _ACC_HELP,
    "cpu_micros": _CPU_HELP,
    "peak_bytes": "peak bytes: The peak amount of memory that the operation is holding at some "
                  "point.",
    "residual_bytes": "residual bytes: The memory not de-allocated after the operation "
                      "finishes.",
    "output_bytes": "output bytes: The memory that is output from the operation (not "
                    "necessarilty allocated by the operation)",
}
_INT_OPTIONS = ["max_depth", "min_bytes", "min_peak_bytes", "min_residual_bytes",
                "min_output_bytes", "min_micros", "min_accelerator_micros", "min_cpu_micros",
                "min_params", "min_float_ops", "min_occurrence", "step"]
_LIST_OPTIONS = ["account_type_regexes", "start_name_regexes", "trim_name_regexes",
                 "show_name_regexes", "hide_name_regexes"]


class _Options:
    """An options dict read the way TF's `_build_options` and OptionsProto parsing read it."""

    def __init__(self, options):
        for name in _INT_OPTIONS:
            setattr(self, name, int(options.get(name, 10 if name == "max_depth" else 0)))
        if "step" not in options:
            self.step = -1
        self.order_by = options.get("order_by", "name")
        for name in _LIST_OPTIONS:
            setattr(self, name, list(options.get(name, [])))
        self.account_displayed_op_only = bool(options.get("account_displayed_op_only", False))
        self.select = sorted(set(options.get("select", [])))
        self.output_type, self.output_options = _parse_output(options.get("output", "stdout"))
        if options.get("dump_to_file"):
            self.output_type = "file"
            self.output_options = {"outfile": options["dump_to_file"]}

    def __str__(self):
        rows = [("-" + n, getattr(self, n)) for n in _INT_OPTIONS]
        rows.append(("-order_by", self.order_by))
        rows += [("-" + n, ",".join(getattr(self, n))) for n in _LIST_OPTIONS]
        rows.append(("-account_displayed_op_only",
                     "true" if self.account_displayed_op_only else "false"))
        rows.append(("-select", ",".join(self.select)))
        kv = ",".join("%s=%s" % item for item in sorted(self.output_options.items()))
        rows.append(("-output", "%s:%s" % (self.output_type, kv)))
        return "".join("%-28s%s\n" % row for row in rows)


def _parse_output(spec):
    if not spec:
        return "stdout", {}
    kind, _, rest = spec.partition(":")
    if kind not in _OUTPUT_TYPES:
        raise ValueError("E.g. Unknown output type: %s, Valid types: %s\n"
                         % (kind, ",".join(sorted(_OUTPUT_TYPES))))
    out = {}
    for kv in filter(None, rest.split(",")):
        parts = [p for p in kv.split("=") if p]
        if len(parts) < 2:
            raise ValueError("Visualize format: -output timeline:key=value,key=value,...")
        if parts[0] != "outfile":
            raise ValueError("Unrecognized options %s for output_type: %s\n" % (parts[0], kind))
        out[parts[0]] = "=".join(parts[1:])
    if kind in ("timeline", "file", "pprof") and "outfile" not in out:
        raise ValueError("Missing required output_options for %s\nE.g. -output %s:outfile=...\n"
                         % (kind, kind))
    return kind, out


def _query_doc(cmd, opts):
    if cmd == "graph":  # TF prints the scope view's text for the graph view too
        cmd = "scope"
    helps = [_SELECT_DOC.get(s, "Unknown select: " + s) for s in opts.select]
    return "\nDoc:\n%s\n%s\n\n" % (_CMD_DOC.get(cmd, "Unknown command: " + cmd),
                                   "\n".join(helps))


def _show(cmd, opts, nodes, steps):
    """Run one view; write its text where `opts` says; return the root proto."""
    empty = MultiGraphNodeProto() if cmd in ("op", "code") else GraphNodeProto()
    if opts.step >= 0 and opts.step not in steps:
        sys.stderr.write("Options -step=%d not found.\nAvailable steps: %s\n"
                         % (opts.step, "".join("%d " % s for s in sorted(steps))))
        return empty
    if opts.output_type == "pprof":
        sys.stderr.write("Only 'code' view supports pprof output now.\n")
        return (MultiGraphNodeProto if cmd == "op" else GraphNodeProto)(name=views.ROOT)
    if cmd == "op":
        view = op_view.OpView(nodes)
    elif cmd == "scope":
        view = views.ScopeView(nodes)
    else:
        view = views.GraphView(nodes)
    proto, text = view.show(opts)
    text = _query_doc(cmd, opts) + "Profile:\n" + text
    if opts.output_type == "stdout":
        sys.stdout.write(text)
    elif opts.output_type == "file":
        with open(opts.output_options["outfile"], "w") as f:
            f.write(text)
    elif opts.output_type == "timeline":
        sys.stderr.write("tf.profiler: timeline output is not supported; nothing written.\n")
    return proto


def _run(cmd, options, nodes, steps):
    if cmd == "code":
        raise NotImplementedError(
            "tf.profiler: the 'code' view (python call stacks) is not supported; use "
            "cmd='scope', 'graph' or 'op'.")
    try:
        opts = _Options(options)
    except ValueError as e:
        sys.stderr.write("INVALID_ARGUMENT: %s\n" % e)
        return MultiGraphNodeProto() if cmd in ("op", "code") else GraphNodeProto()
    if opts.output_type != "stdout":
        return _show(cmd, opts, nodes, steps)
    sys.stdout.write("\n=========================Options=============================\n")
    sys.stdout.write(str(opts))
    sys.stdout.write("\n==================Model Analysis Report======================\n")
    try:
        return _show(cmd, opts, nodes, steps)
    finally:
        sys.stdout.write("\n======================End of Report==========================\n")
        sys.stdout.flush()


def profile(graph=None, run_meta=None, op_log=None, cmd="scope",
            options=_DEFAULT_PROFILE_OPTIONS):
    """Profile a graph: parameters, float operations, time and memory, by scope or op type.

    Args:
      graph: a `tf.Graph` (default: the default graph).
      run_meta: optional `tf.RunMetadata` from a traced `Session.run`; supplies run-time shapes
        (for flops of ops with partially known static shapes), times and memory.
      op_log: optional `OpLogProto` assigning extra types / flops to ops.
      cmd: 'scope' (GraphNodeProto by name scope) or 'op' (MultiGraphNodeProto by op type).
      options: an options dict, see `ProfileOptionBuilder` (default: trainable parameters).

    Returns:
      The root node; `total_float_ops` / `total_parameters` hold the totals.

    Example:
        >>> opts = tf.profiler.ProfileOptionBuilder.float_operation()
        >>> flops = tf.profiler.profile(graph, options=opts)  # doctest: +SKIP
        >>> flops.total_float_ops  # doctest: +SKIP
    """
    if graph is None:
        graph = graph_lib.get_default_graph()
    if isinstance(options, int) and options == _DEFAULT_PROFILE_OPTIONS:
        options = ProfileOptionBuilder.trainable_variables_parameter()
    if cmd not in ("scope", "graph", "op", "code"):
        raise errors.InvalidArgumentError(None, None, "unknown cmd: %s\n" % cmd)
    op_log = tfprof_logger.merge_default_with_oplog(graph, op_log, run_meta)
    nodes, steps = graph_nodes.build_nodes(graph, op_log, run_meta)
    return _run(cmd, options, nodes, steps)


def advise(graph=None, run_meta=None, options=_DEFAULT_ADVISE_OPTIONS):
    """Run the profiler's checkers; returns an `AdviceProto` (`checkers[name].reports`).

    Only the 'ExpensiveOperationChecker' is implemented: it reports the op types with the most
    execution time of `run_meta` (nothing without one).
    """
    if graph is None:
        graph = graph_lib.get_default_graph()
    if isinstance(options, int) and options == _DEFAULT_ADVISE_OPTIONS:
        options = {"ExpensiveOperationChecker": {}}
    op_log = tfprof_logger.merge_default_with_oplog(graph, run_meta=run_meta)
    nodes, _ = graph_nodes.build_nodes(graph, op_log, run_meta)
    return _advise(nodes, options)


def _advise(nodes, options):
    advice = AdviceProto()
    if "ExpensiveOperationChecker" in (options or {}):
        by_type = {}
        for n in nodes.values():
            t = by_type.setdefault(n.op, [0, 0])
            t[0] += n.exec_micros(-1)
            t[1] += 1
        top = sorted(by_type.items(), key=lambda kv: (-kv[1][0], kv[0]))[:3]
        reports = ["top %d operation type: %s, cpu: %s, accelerator: 0us, total: %s (%d nodes)"
                   % (i + 1, name, views.format_time(us), views.format_time(us), count)
                   for i, (name, (us, count)) in enumerate(top) if us > 0]
        advice.checkers["ExpensiveOperationChecker"] = AdviceProto.Checker(reports)
    return advice


class Profiler:
    """A graph profiled over several traced steps (`add_step`), viewed many ways.

    Example:
        >>> profiler = tf.profiler.Profiler(sess.graph)  # doctest: +SKIP
        >>> profiler.add_step(0, run_meta)  # doctest: +SKIP
        >>> profiler.profile_name_scope(ProfileOptionBuilder.trainable_variables_parameter())
    """

    def __init__(self, graph=None, op_log=None):
        if graph is None:
            graph = graph_lib.get_default_graph()
        self._graph = graph
        self._op_log = tfprof_logger.merge_default_with_oplog(graph, op_log=op_log)
        self._nodes, self._steps = graph_nodes.build_nodes(graph, self._op_log)

    def add_step(self, step, run_meta):
        """Add the statistics of one traced run as step `step`."""
        op_log = tfprof_logger.merge_default_with_oplog(self._graph, run_meta=run_meta)
        for op in self._graph.get_operations():
            if op.name not in self._nodes:
                self._nodes[op.name] = graph_nodes.TFGraphNode.from_op(op, self._nodes)
        graph_nodes.add_run_meta(self._nodes, step, run_meta)
        self._steps.add(step)
        for entry in op_log.log_entries:
            node = self._nodes.get(entry.name)
            if node is not None:
                node.op_types.update(entry.types)
                if entry.float_ops:
                    node.static_float_ops = int(entry.float_ops)

    def profile_name_scope(self, options):
        """GraphNodeProto of the scope view."""
        return _run("scope", options, self._nodes, self._steps)

    def profile_operations(self, options):
        """MultiGraphNodeProto of the op-type view."""
        return _run("op", options, self._nodes, self._steps)

    def profile_graph(self, options):
        return _run("graph", options, self._nodes, self._steps)

    def profile_python(self, options):
        return _run("code", options, self._nodes, self._steps)

    def advise(self, options):
        return _advise(self._nodes, options)

    def serialize_to_string(self):
        return self._op_log.SerializeToString()
