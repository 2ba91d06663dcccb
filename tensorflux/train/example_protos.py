"""`tf.train.Example` and its parts (`Features`, `Feature`, `BytesList`, `FloatList`,
`Int64List`, `SequenceExample`, `FeatureList`, `FeatureLists`) as protobuf messages by hand.

Field numbers are TensorFlow's (tensorflow/core/example/example.proto, feature.proto). The
classes behave like protobuf's generated ones for what TF1 input pipelines do with them:
keyword construction (nested messages, dicts or lists), `ex.features.feature["k"].int64_list
.value`, `append`/`extend` on repeated fields with protobuf's type checks, `SerializeToString`
(map keys sorted, as protobuf's deterministic serializer writes them), `ParseFromString`,
`FromString`, `WhichOneof("kind")`, equality and text-format `str()`.

Example:
    >>> ex = Example(features=Features(feature={
    ...     "label": Feature(int64_list=Int64List(value=[3]))}))
    >>> Example.FromString(ex.SerializeToString()).features.feature["label"].int64_list.value
    [3]
"""

import struct

import numpy as np

from tensorflux.graph.graph_protos import MapField, MapMessage
from tensorflux.summary.proto import Field

_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1


def _check_bytes(v):
    if isinstance(v, (bytes, np.bytes_)):
        return bytes(v)
    if isinstance(v, (bytearray, memoryview)):
        return bytes(v)
    raise TypeError("expected bytes, %s found" % type(v).__name__)


def _check_float(v):
    if isinstance(v, (str, bytes)):
        raise TypeError("must be real number, not %s" % type(v).__name__)
    return struct.unpack("<f", struct.pack("<f", float(v)))[0]


def _check_int64(v):
    if isinstance(v, (float, np.floating, str, bytes)):
        raise TypeError("'%s' object cannot be interpreted as an integer" % type(v).__name__)
    v = int(v)
    if not _INT64_MIN <= v <= _INT64_MAX:
        raise ValueError("Value out of range: %d" % v)
    return v


class _TypedList(list):
    """A repeated scalar field: checks and converts what is stored, and tells its owner."""

    def __init__(self, convert, owner, items=()):
        super().__init__(convert(v) for v in items)
        self._convert = convert
        self._owner = owner

    def _changed(self):
        self._owner._child_modified()

    def append(self, v):
        super().append(self._convert(v))
        self._changed()

    def extend(self, items):
        super().extend([self._convert(v) for v in items])
        self._changed()

    def insert(self, i, v):
        super().insert(i, self._convert(v))
        self._changed()

    def __setitem__(self, i, v):
        v = [self._convert(x) for x in v] if isinstance(i, slice) else self._convert(v)
        super().__setitem__(i, v)
        self._changed()


class _Message(MapMessage):
    """The base: dicts accepted for sub-messages, and mutation reported to a oneof parent."""

    def __init__(self, **kwargs):
        object.__setattr__(self, "_parent", None)
        for m in self.MAPS:
            if isinstance(kwargs.get(m.name), dict):
                kwargs[m.name] = {k: m.value_kind(**v) if isinstance(v, dict) else v
                                  for k, v in kwargs[m.name].items()}
        super().__init__(**kwargs)

    def __setattr__(self, name, value):
        if any(f.name == name for f in self.FIELDS):
            f = self._field(name)
            if f.is_message and isinstance(value, dict) and not f.repeated:
                value = f.kind(**value)
            elif f.is_message and f.repeated:
                value = [f.kind(**v) if isinstance(v, dict) else v for v in value]
        super().__setattr__(name, value)

    def __getattr__(self, name):
        value = super().__getattr__(name)
        if isinstance(value, _Message) and value._parent is None:
            object.__setattr__(value, "_parent", (self, name))
        return value

    def _child_modified(self):
        if self._parent is not None:
            parent, name = self._parent
            parent._set_present(name)

    def _set_present(self, name):
        f = self._field(name)
        if f.oneof is not None:
            for other in self.FIELDS:
                if other.oneof == f.oneof and other is not f:
                    self._values[other.name] = other.default()
                    self._present.discard(other.name)
        self._present.add(name)
        self._child_modified()

    def __str__(self):
        return "".join(_text_lines(self, ""))


class _ValueList(_Message):
    """`BytesList`, `FloatList`, `Int64List`: one repeated `value` field, type-checked."""

    CONVERT = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(self._values["value"], _TypedList):
            self._values["value"] = _TypedList(type(self).CONVERT, self)

    def __setattr__(self, name, value):
        if name == "value":
            self._values["value"] = _TypedList(type(self).CONVERT, self, value)
            self._present.add("value")
            return
        super().__setattr__(name, value)

    def ClearField(self, name):  # noqa: N802 - protobuf's name
        super().ClearField(name)
        if name == "value":
            self._values["value"] = _TypedList(type(self).CONVERT, self)


class BytesList(_ValueList):
    CONVERT = staticmethod(_check_bytes)
    FIELDS = (Field("value", 1, "bytes", repeated=True),)


class FloatList(_ValueList):
    CONVERT = staticmethod(_check_float)
    FIELDS = (Field("value", 1, "float", repeated=True),)


class Int64List(_ValueList):
    CONVERT = staticmethod(_check_int64)
    FIELDS = (Field("value", 1, "int64", repeated=True),)


class Feature(_Message):
    FIELDS = (Field("bytes_list", 1, BytesList, oneof="kind"),
              Field("float_list", 2, FloatList, oneof="kind"),
              Field("int64_list", 3, Int64List, oneof="kind"))


class Features(_Message):
    MAPS = (MapField("feature", 1, Feature),)


class FeatureList(_Message):
    FIELDS = (Field("feature", 1, Feature, repeated=True),)


class FeatureLists(_Message):
    MAPS = (MapField("feature_list", 1, FeatureList),)


class Example(_Message):
    FIELDS = (Field("features", 1, Features),)


class SequenceExample(_Message):
    FIELDS = (Field("context", 1, Features), Field("feature_lists", 2, FeatureLists))


def _text_value(value):
    if isinstance(value, bytes):
        return '"%s"' % "".join(chr(b) if 32 <= b < 127 and b not in (34, 39, 92) else
                                "\\%03o" % b for b in value)
    if isinstance(value, float):
        text = str(np.float32(value))
        return text[:-2] if text.endswith(".0") else text
    return str(value)


def _text_lines(msg, indent):
    """protobuf's text format of `msg` (what `str(example)` prints)."""
    for f in msg.FIELDS:
        value = msg._values[f.name]
        if f.repeated:
            for v in value:
                if f.is_message:
                    yield "%s%s {\n" % (indent, f.name)
                    yield from _text_lines(v, indent + "  ")
                    yield "%s}\n" % indent
                else:
                    yield "%s%s: %s\n" % (indent, f.name, _text_value(v))
        elif f.is_message and msg.HasField(f.name):
            yield "%s%s {\n" % (indent, f.name)
            yield from _text_lines(value, indent + "  ")
            yield "%s}\n" % indent
    for m in msg.MAPS:
        for key in sorted(getattr(msg, m.name)):
            yield '%s%s {\n%s  key: "%s"\n%s  value {\n' % (indent, m.name, indent, key, indent)
            yield from _text_lines(getattr(msg, m.name)[key], indent + "    ")
            yield "%s  }\n%s}\n" % (indent, indent)


__all__ = ["BytesList", "Example", "Feature", "FeatureList", "FeatureLists", "Features",
           "FloatList", "Int64List", "SequenceExample"]
