"""Protobuf text format (`.pbtxt`) for the message classes, and `tf.io.write_graph`.

The writer follows protobuf's `text_format.MessageToString`: fields in field-number order,
two-space indents, map entries as `key`/`value` pairs sorted by key, enums by name
(`DT_FLOAT`), bytes and strings C-escaped (octal for non-printable bytes), floats in their
shortest round-trip form.

Example:
    >>> print(message_to_string(VersionDef(producer=27)))
    producer: 27
    <BLANKLINE>
"""

import os

import numpy as np

from tensorflux.graph import graph_protos
from tensorflux.graph.graph_protos import AttrValue, MapMessage, SaverDef
from tensorflux.summary.proto import TensorProto

_DATA_TYPES = {1: "DT_FLOAT", 2: "DT_DOUBLE", 3: "DT_INT32", 4: "DT_UINT8", 5: "DT_INT16",
               6: "DT_INT8", 7: "DT_STRING", 8: "DT_COMPLEX64", 9: "DT_INT64", 10: "DT_BOOL",
               11: "DT_QINT8", 12: "DT_QUINT8", 13: "DT_QINT32", 14: "DT_BFLOAT16",
               15: "DT_QINT16", 16: "DT_QUINT16", 17: "DT_UINT16", 18: "DT_COMPLEX128",
               19: "DT_HALF", 20: "DT_RESOURCE", 21: "DT_VARIANT", 22: "DT_UINT32",
               23: "DT_UINT64"}
_ESCAPES = {10: "\\n", 13: "\\r", 9: "\\t", 34: '\\"', 39: "\\'", 92: "\\\\"}


def _enum_name(msg_cls, field, value):
    if field.name in ("type", "dtype") and msg_cls in (AttrValue, AttrValue.ListValue,
                                                       TensorProto):
        if value in _DATA_TYPES:
            return _DATA_TYPES[value]
        if value - 100 in _DATA_TYPES:
            return _DATA_TYPES[value - 100] + "_REF"
    if msg_cls is SaverDef and field.name == "version":
        return {0: "LEGACY", 1: "V1", 2: "V2"}.get(value, str(value))
    return str(value)


def _escape(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    out = []
    for b in data:
        if b in _ESCAPES:
            out.append(_ESCAPES[b])
        elif 32 <= b < 127:
            out.append(chr(b))
        else:
            out.append("\\%03o" % b)
    return '"' + "".join(out) + '"'


def _float(value, kind):
    if kind == "float":
        text = str(np.float32(value))
    else:
        text = repr(float(value))
    if text in ("inf", "-inf", "nan"):
        return {"inf": "inf", "-inf": "-inf", "nan": "nan"}[text]
    return text[:-2] if text.endswith(".0") else text


def _scalar(msg_cls, field, value):
    kind = field.kind
    if kind in ("string", "bytes"):
        return _escape(value)
    if kind == "bool":
        return "true" if value else "false"
    if kind in ("float", "double"):
        return _float(value, kind)
    if kind == "enum":
        return _enum_name(msg_cls, field, value)
    return str(int(value))


def _is_set(msg, field):
    value = msg._values[field.name]
    if field.repeated:
        return bool(value)
    if field.oneof is not None or field.is_message:
        return msg.HasField(field.name)
    return value != field.default()


def _write(msg, indent, out):
    pad = "  " * indent
    fields = [(f.number, "field", f) for f in msg.FIELDS]
    if isinstance(msg, MapMessage):
        fields += [(m.number, "map", m) for m in msg.MAPS]
    for _, what, f in sorted(fields, key=lambda x: x[0]):
        if what == "map":
            mapping = getattr(msg, f.name)
            for key in sorted(mapping):
                out.append("%s%s {\n%s  key: %s\n" % (pad, f.name, pad, _escape(key)))
                value = mapping[key]
                if isinstance(value, bytes):
                    out.append("%s  value: %s\n" % (pad, _escape(value)))
                else:
                    out.append("%s  value {\n" % pad)
                    _write(value, indent + 2, out)
                    out.append("%s  }\n" % pad)
                out.append("%s}\n" % pad)
            continue
        if not _is_set(msg, f):
            continue
        values = msg._values[f.name] if f.repeated else [getattr(msg, f.name)]
        for v in values:
            if f.is_message:
                out.append("%s%s {\n" % (pad, f.name))
                _write(v, indent + 1, out)
                out.append("%s}\n" % pad)
            else:
                out.append("%s%s: %s\n" % (pad, f.name, _scalar(type(msg), f, v)))


def message_to_string(message):
    """The text format of a message (a GraphDef, NodeDef, MetaGraphDef, …)."""
    out = []
    _write(message, 0, out)
    return "".join(out)


def write_graph(graph_or_graph_def, logdir, name, as_text=True):
    """Writes a graph's GraphDef to `logdir/name`, as text (`.pbtxt`) or binary (`.pb`).

    Args:
        graph_or_graph_def: A `tf.Graph` or a `GraphDef`.
        logdir: Directory to write to (created if missing).
        name: File name.
        as_text: Protobuf text format if True, serialized bytes if False.

    Returns:
        The path written.

    Example:
        >>> tf.train.write_graph(sess.graph, "/tmp/model", "graph.pbtxt")
        '/tmp/model/graph.pbtxt'
    """
    if hasattr(graph_or_graph_def, "as_graph_def"):
        graph_or_graph_def = graph_or_graph_def.as_graph_def()
    gd = graph_protos.as_graph_def_message(graph_or_graph_def)
    logdir = os.fspath(logdir)
    if logdir and not os.path.isdir(logdir):
        os.makedirs(logdir, exist_ok=True)
    path = os.path.join(logdir, name)
    data = message_to_string(gd).encode("utf-8") if as_text else gd.SerializeToString()
    from tensorflux.train import atomic_file

    atomic_file.atomic_write(path, data)
    return path
