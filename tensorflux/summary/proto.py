"""The protobuf messages of TensorBoard event files, encoded by hand (no protobuf package).

`Event`, `Summary` (with `Summary.Value`, `Summary.Image`, `Summary.Audio`), `HistogramProto`,
`SummaryMetadata`, `SessionLog`, `LogMessage`, `TaggedRunMetadata` and a small `TensorProto`,
with TF's field numbers (tensorflow/core/framework/summary.proto, core/util/event.proto). They
behave like the generated classes for what TF1 code does with them: keyword construction,
attribute access, `value.add(...)`, `SerializeToString()`, `FromString()`/`ParseFromString()`,
`HasField()`, `WhichOneof()`, equality.

Example:
    >>> s = Summary(value=[Summary.Value(tag="loss", simple_value=0.25)])
    >>> Summary.FromString(s.SerializeToString()).value[0].simple_value
    0.25
"""

import struct

from tensorflux.graph import protowire as pw

_SCALARS = {"double", "float", "int64", "int32", "uint64", "enum", "bool", "string", "bytes"}


class Field:
    """One field: its number, kind (a scalar kind or a Message class), repeated, oneof group."""

    def __init__(self, name, number, kind, repeated=False, oneof=None):
        self.name, self.number, self.kind = name, number, kind
        self.repeated, self.oneof = repeated, oneof

    @property
    def is_message(self):
        return not isinstance(self.kind, str)

    def default(self):
        if self.repeated:
            return RepeatedComposite(self.kind) if self.is_message else []
        if self.is_message:
            return None
        return {"string": "", "bytes": b"", "bool": False, "double": 0.0, "float": 0.0}.get(
            self.kind, 0)


class RepeatedComposite(list):
    """A repeated message field: a list with protobuf's `add(**fields)`."""

    def __init__(self, cls, items=()):
        super().__init__(items)
        self._cls = cls

    def add(self, **kwargs):
        item = self._cls(**kwargs)
        self.append(item)
        return item


class Message:
    """Base class: subclasses list their `FIELDS` as `Field`s."""

    FIELDS = ()

    def __init__(self, **kwargs):
        object.__setattr__(self, "_values", {})
        object.__setattr__(self, "_present", set())
        for f in self.FIELDS:
            self._values[f.name] = f.default()
        for k, v in kwargs.items():
            self._field(k, ValueError)
            setattr(self, k, v)

    @classmethod
    def _field(cls, name, error=AttributeError):
        for f in cls.FIELDS:
            if f.name == name:
                return f
        raise error('Protocol message %s has no "%s" field.' % (cls.__name__, name))

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        f = self._field(name)
        value = self._values[f.name]
        if value is None and f.is_message:
            value = f.kind()
            self._values[f.name] = value  # reading creates an (unset, empty) sub-message
        return value

    def __setattr__(self, name, value):
        f = self._field(name)
        if f.repeated:
            items = list(value)
            value = RepeatedComposite(f.kind, items) if f.is_message else items
        elif f.kind == "string" and isinstance(value, bytes):
            value = value.decode("utf-8")
        elif f.kind == "bytes" and isinstance(value, str):
            value = value.encode("utf-8")
        elif f.kind in ("double", "float"):
            value = float(value)
        elif f.kind in ("int64", "int32", "uint64", "enum"):
            value = int(value)
        elif f.kind == "bool":
            value = bool(value)
        if f.oneof is not None:
            for other in self.FIELDS:
                if other.oneof == f.oneof and other is not f:
                    self._values[other.name] = other.default()
                    self._present.discard(other.name)
        self._values[f.name] = value
        self._present.add(f.name)

    # --- protobuf's message API -----------------------------------------------------------------
    def HasField(self, name):  # noqa: N802 - protobuf's name
        f = self._field(name, ValueError)
        if f.repeated:
            raise ValueError("Protocol message has no singular \"%s\" field." % name)
        value = self._values[name]
        if f.oneof is not None or f.is_message:
            return name in self._present or (f.is_message and value is not None and
                                             bool(value.SerializeToString()))
        return value != f.default()

    def WhichOneof(self, group):  # noqa: N802 - protobuf's name
        for f in self.FIELDS:
            if f.oneof == group and self.HasField(f.name):
                return f.name
        return None

    def ClearField(self, name):  # noqa: N802 - protobuf's name
        f = self._field(name)
        self._values[name] = f.default()
        self._present.discard(name)

    def CopyFrom(self, other):  # noqa: N802 - protobuf's name
        self.ParseFromString(other.SerializeToString())

    def MergeFrom(self, other):  # noqa: N802 - protobuf's name
        self.MergeFromString(other.SerializeToString())

    def SerializeToString(self, deterministic=None):  # noqa: N802 - protobuf's name
        fields = sorted(self.FIELDS, key=lambda f: f.number)
        return b"".join(self._encode_field(f) for f in fields)

    def _encode_field(self, f):
        """The wire bytes of one field (empty when it is unset)."""
        value = self._values[f.name]
        if f.repeated:
            return _encode_repeated(f, value)
        if f.is_message:
            if value is not None:
                body = value.SerializeToString()
                if body or f.name in self._present:
                    return pw.encode_bytes_field(f.number, body)
            return b""
        if f.name in self._present and f.oneof is not None:
            return _encode_scalar(f, value)
        return _encode_scalar(f, value) if value != f.default() else b""

    @classmethod
    def FromString(cls, data):  # noqa: N802 - protobuf's name
        msg = cls()
        msg.MergeFromString(data)
        return msg

    def ParseFromString(self, data):  # noqa: N802 - protobuf's name
        for f in self.FIELDS:
            self.ClearField(f.name)
        self.MergeFromString(data)

    def MergeFromString(self, data):  # noqa: N802 - protobuf's name
        by_number = {f.number: f for f in self.FIELDS}
        for number, wire, raw in pw.iter_fields(data):
            f = by_number.get(number)
            if f is None:
                continue
            if f.repeated:
                current = self._values[f.name]
                current.extend(_decode_repeated(f, wire, raw))
                self._present.add(f.name)
            elif f.is_message:
                sub = self._values[f.name]
                if sub is None:
                    sub = f.kind()
                sub.MergeFromString(raw)
                setattr(self, f.name, sub)
            else:
                setattr(self, f.name, _decode_scalar(f, wire, raw))
        return len(data)

    def ByteSize(self):  # noqa: N802 - protobuf's name
        return len(self.SerializeToString())

    def __eq__(self, other):
        return type(self) is type(other) and self.SerializeToString() == \
            other.SerializeToString()

    def __ne__(self, other):
        return not self == other

    __hash__ = None

    def __repr__(self):
        parts = []
        for f in self.FIELDS:
            v = self._values[f.name]
            if (f.repeated and v) or (not f.repeated and f.name in self._present):
                parts.append("%s=%r" % (f.name, v))
        return "%s(%s)" % (type(self).__name__, ", ".join(parts))


def _encode_scalar(f, value):
    k = f.kind
    if k == "double":
        return pw.encode_double_field(f.number, value)
    if k == "float":
        return pw.encode_float_field(f.number, value)
    if k in ("string", "bytes"):
        return pw.encode_bytes_field(f.number, value)
    return pw.encode_varint_field(f.number, int(value))


def _encode_repeated(f, values):
    if not values:
        return b""
    if f.is_message:
        return b"".join(pw.encode_bytes_field(f.number, v.SerializeToString()) for v in values)
    if f.kind in ("string", "bytes"):
        return b"".join(pw.encode_bytes_field(f.number, v) for v in values)
    if f.kind == "double":  # packed
        return pw.encode_bytes_field(f.number, struct.pack("<%dd" % len(values), *values))
    if f.kind == "float":
        return pw.encode_bytes_field(f.number, struct.pack("<%df" % len(values), *values))
    return pw.encode_bytes_field(f.number, b"".join(pw.encode_varint(int(v)) for v in values))


def _decode_scalar(f, wire, raw):
    k = f.kind
    if k == "double":
        return struct.unpack("<d", raw.to_bytes(8, "little"))[0]
    if k == "float":
        return struct.unpack("<f", raw.to_bytes(4, "little"))[0]
    if k == "string":
        return raw.decode("utf-8")
    if k == "bytes":
        return raw
    if k in ("int64", "int32", "enum"):
        return pw.to_signed64(raw) if k == "int64" else pw.to_signed32(raw)
    if k == "bool":
        return bool(raw)
    return raw


def _decode_repeated(f, wire, raw):
    if f.is_message:
        return [f.kind.FromString(raw)]
    if f.kind in ("string", "bytes"):
        return [_decode_scalar(f, wire, raw)]
    if wire != pw.WIRE_LEN:  # an unpacked element
        return [_decode_scalar(f, wire, raw)]
    if f.kind == "double":
        return list(struct.unpack("<%dd" % (len(raw) // 8), raw))
    if f.kind == "float":
        return list(struct.unpack("<%df" % (len(raw) // 4), raw))
    vals = pw.decode_packed_varints(raw)
    if f.kind in ("int64", "int32", "enum"):
        vals = [pw.to_signed64(v) for v in vals]
    if f.kind == "bool":
        vals = [bool(v) for v in vals]
    return vals


# --- tensor.proto, tensor_shape.proto ----------------------------------------------------------
class TensorShapeProto(Message):
    class Dim(Message):
        FIELDS = (Field("size", 1, "int64"), Field("name", 2, "string"))

    FIELDS = (Field("dim", 2, Dim, repeated=True), Field("unknown_rank", 3, "bool"))


class TensorProto(Message):
    FIELDS = (Field("dtype", 1, "enum"), Field("tensor_shape", 2, TensorShapeProto),
              Field("version_number", 3, "int32"), Field("tensor_content", 4, "bytes"),
              Field("float_val", 5, "float", repeated=True),
              Field("double_val", 6, "double", repeated=True),
              Field("int_val", 7, "int32", repeated=True),
              Field("string_val", 8, "bytes", repeated=True),
              Field("int64_val", 10, "int64", repeated=True),
              Field("bool_val", 11, "bool", repeated=True),
              Field("half_val", 13, "int32", repeated=True))


# --- summary.proto ----------------------------------------------------------------------------
class HistogramProto(Message):
    FIELDS = (Field("min", 1, "double"), Field("max", 2, "double"), Field("num", 3, "double"),
              Field("sum", 4, "double"), Field("sum_squares", 5, "double"),
              Field("bucket_limit", 6, "double", repeated=True),
              Field("bucket", 7, "double", repeated=True))


class SummaryDescription(Message):
    FIELDS = (Field("type_hint", 1, "string"),)


class SummaryMetadata(Message):
    class PluginData(Message):
        FIELDS = (Field("plugin_name", 1, "string"), Field("content", 2, "bytes"))

    FIELDS = (Field("plugin_data", 1, PluginData), Field("display_name", 2, "string"),
              Field("summary_description", 3, "string"), Field("data_class", 4, "enum"))


class Summary(Message):
    class Image(Message):
        FIELDS = (Field("height", 1, "int32"), Field("width", 2, "int32"),
                  Field("colorspace", 3, "int32"), Field("encoded_image_string", 4, "bytes"))

    class Audio(Message):
        FIELDS = (Field("sample_rate", 1, "float"), Field("num_channels", 2, "int64"),
                  Field("length_frames", 3, "int64"), Field("encoded_audio_string", 4, "bytes"),
                  Field("content_type", 5, "string"))

    class Value(Message):
        FIELDS = ()  # filled in below (refers to Summary.Image etc.)

    FIELDS = ()


Summary.Value.FIELDS = (
    Field("node_name", 7, "string"), Field("tag", 1, "string"),
    Field("metadata", 9, SummaryMetadata),
    Field("simple_value", 2, "float", oneof="value"),
    Field("obsolete_old_style_histogram", 3, "bytes", oneof="value"),
    Field("image", 4, Summary.Image, oneof="value"),
    Field("histo", 5, HistogramProto, oneof="value"),
    Field("audio", 6, Summary.Audio, oneof="value"),
    Field("tensor", 8, TensorProto, oneof="value"))
Summary.FIELDS = (Field("value", 1, Summary.Value, repeated=True),)


# --- event.proto ----------------------------------------------------------------------------------
class LogMessage(Message):
    UNKNOWN, DEBUGGING, INFO, WARN, ERROR, FATAL = 0, 10, 20, 30, 40, 50
    FIELDS = (Field("level", 1, "enum"), Field("message", 2, "string"))


class SessionLog(Message):
    STATUS_UNSPECIFIED, START, STOP, CHECKPOINT = 0, 1, 2, 3
    FIELDS = (Field("status", 1, "enum"), Field("checkpoint_path", 2, "string"),
              Field("msg", 3, "string"))


class TaggedRunMetadata(Message):
    FIELDS = (Field("tag", 1, "string"), Field("run_metadata", 2, "bytes"))


class Event(Message):
    FIELDS = (Field("wall_time", 1, "double"), Field("step", 2, "int64"),
              Field("file_version", 3, "string", oneof="what"),
              Field("graph_def", 4, "bytes", oneof="what"),
              Field("summary", 5, Summary, oneof="what"),
              Field("log_message", 6, LogMessage, oneof="what"),
              Field("session_log", 7, SessionLog, oneof="what"),
              Field("tagged_run_metadata", 8, TaggedRunMetadata, oneof="what"),
              Field("meta_graph_def", 9, "bytes", oneof="what"))
