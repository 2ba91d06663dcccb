"""The profiler's result messages with TF's field names (tfprof_output.proto, tfprof_log.proto).

`str(node)` prints protobuf text format: set fields only, in field-number order.
"""

class _Message:
    # (name, field number, kind) with kind "int", "str", "strs", "msgs", "shape_map", "shapes"
    _fields = ()

    def __init__(self, **kwargs):
        for name, _, kind in self._fields:
            setattr(self, name, _default(kind))
        for k, v in kwargs.items():
            setattr(self, k, v)

    def __eq__(self, other):
        return type(self) is type(other) and all(
            getattr(self, n) == getattr(other, n) for n, _, _ in self._fields)

    def __str__(self):
        return "".join(_text(self, 0))

    __repr__ = __str__

    def copy(self):
        values = {}
        for name, _, kind in self._fields:
            value = getattr(self, name)
            if kind in ("strs", "shapes"):
                value = [list(v) if isinstance(v, list) else v for v in value]
            elif kind == "msgs":
                value = [m.copy() for m in value]
            elif kind == "shape_map":
                value = {k: list(v) for k, v in value.items()}
            values[name] = value
        return type(self)(**values)


def _default(kind):
    return {"int": 0, "str": "", "bool": False}.get(kind, {} if kind == "shape_map" else [])


def _shape_text(shape, indent):
    pad = " " * indent
    if shape is None:
        return [pad + "unknown_rank: true\n"]
    out = []
    for d in shape:
        out += [pad + "dim {\n", pad + "  size: %d\n" % d, pad + "}\n"]
    return out


def _text(msg, indent):
    pad = " " * indent
    out = []
    for name, _, kind in sorted(msg._fields, key=lambda f: f[1]):
        value = getattr(msg, name)
        if kind in ("int", "bool") and value:
            out.append("%s%s: %s\n" % (pad, name, "true" if value is True else int(value)))
        elif kind == "str" and value:
            out.append('%s%s: "%s"\n' % (pad, name, value))
        elif kind == "strs":
            out += ['%s%s: "%s"\n' % (pad, name, v) for v in value]
        elif kind == "msgs":
            for m in value:
                out += ["%s%s {\n" % (pad, name)] + _text(m, indent + 2) + [pad + "}\n"]
        elif kind == "shapes":
            for s in value:
                out += ["%s%s {\n" % (pad, name)] + _shape_text(s, indent + 2) + [pad + "}\n"]
        elif kind == "shape_map":
            for k in sorted(value):
                out += ["%s%s {\n" % (pad, name), "%s  key: %d\n" % (pad, k),
                        "%s  value {\n" % pad]
                out += _shape_text(value[k] or None, indent + 4)
                out += ["%s  }\n" % pad, pad + "}\n"]
    return out


class GraphNodeProto(_Message):
    """One node of the scope/graph view: its own stats, `total_*` over shown descendants."""

    _fields = (
        ("name", 1, "str"), ("exec_micros", 2, "int"), ("requested_bytes", 3, "int"),
        ("parameters", 4, "int"), ("total_exec_micros", 6, "int"),
        ("total_requested_bytes", 7, "int"), ("total_parameters", 8, "int"),
        ("devices", 10, "strs"), ("shapes", 11, "shapes"), ("children", 12, "msgs"),
        ("float_ops", 13, "int"), ("total_float_ops", 14, "int"),
        ("input_shapes", 16, "shape_map"), ("accelerator_exec_micros", 17, "int"),
        ("cpu_exec_micros", 18, "int"), ("total_accelerator_exec_micros", 19, "int"),
        ("total_cpu_exec_micros", 20, "int"), ("run_count", 21, "int"),
        ("total_run_count", 22, "int"), ("total_definition_count", 23, "int"),
        ("peak_bytes", 24, "int"), ("residual_bytes", 25, "int"), ("output_bytes", 26, "int"),
        ("total_peak_bytes", 27, "int"), ("total_residual_bytes", 28, "int"),
        ("total_output_bytes", 29, "int"),
    )


class MultiGraphNodeProto(_Message):
    """One node of the op/code view: an op type (or code line) aggregating graph nodes."""

    _fields = (
        ("name", 1, "str"), ("exec_micros", 2, "int"), ("requested_bytes", 3, "int"),
        ("parameters", 4, "int"), ("float_ops", 5, "int"), ("total_exec_micros", 6, "int"),
        ("total_requested_bytes", 7, "int"), ("total_parameters", 8, "int"),
        ("total_float_ops", 9, "int"), ("graph_nodes", 10, "msgs"), ("children", 11, "msgs"),
        ("accelerator_exec_micros", 12, "int"), ("cpu_exec_micros", 13, "int"),
        ("total_accelerator_exec_micros", 14, "int"), ("total_cpu_exec_micros", 15, "int"),
        ("peak_bytes", 16, "int"), ("residual_bytes", 17, "int"), ("output_bytes", 18, "int"),
        ("total_peak_bytes", 19, "int"), ("total_residual_bytes", 20, "int"),
        ("total_output_bytes", 21, "int"),
    )


class OpLogEntry(_Message):
    """Extra facts about one op: added `types` (for account_type_regexes) and `float_ops`."""

    _fields = (("name", 1, "str"), ("float_ops", 2, "int"), ("types", 3, "strs"))


class _Entries(list):
    """A repeated message field: a list with protobuf's `add(**fields)`."""

    def add(self, **fields):
        entry = OpLogEntry(**fields)
        self.append(entry)
        return entry


class OpLogProto(_Message):
    """A list of `OpLogEntry` (what `tf.profiler.write_op_log` writes).

    Example:
        >>> log = tf.profiler.OpLogProto()
        >>> log.log_entries.add(name="conv1/Conv2D", types=["my_type"]).name
        'conv1/Conv2D'
    """

    _fields = (("log_entries", 1, "msgs"),)

    def __init__(self, log_entries=(), **kwargs):
        super().__init__(**kwargs)
        self.log_entries = _Entries(log_entries)

    def SerializeToString(self):  # noqa: N802 - protobuf's name
        from tensorflux.graph import protowire as pw

        out = b""
        for e in self.log_entries:
            body = pw.encode_bytes_field(1, e.name.encode())
            if e.float_ops:
                body += pw.encode_varint_field(2, int(e.float_ops))
            for t in e.types:
                body += pw.encode_bytes_field(3, t.encode())
            out += pw.encode_bytes_field(1, body)
        return out


class AdviceProto:
    """What `tf.profiler.advise` returns: `checkers[name].reports`, a list of strings."""

    class Checker:
        def __init__(self, reports=()):
            self.reports = list(reports)

    def __init__(self):
        self.checkers = {}

    def __str__(self):
        out = []
        for name in sorted(self.checkers):
            out += ["checkers {\n", '  key: "%s"\n' % name, "  value {\n"]
            out += ['    reports: "%s"\n' % r for r in self.checkers[name].reports]
            out += ["  }\n", "}\n"]
        return "".join(out)
