"""numpy kernel for DecodeJSONExample (ops/json_example_ops.py).

The JSON object is written field by field in the order it appears in the text, as protobuf's
JSON-to-binary converter does: map entries keep their JSON order, repeated scalars are written
unpacked, and a field given as an empty object or list is still written (empty). Field names may
be the proto names (`int64_list`) or their JSON names (`int64List`); `null` means "absent".
"""

import base64
import binascii
import json
import math
import struct

import numpy as np

from tensorflux.ops.registry import kernel

_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1
_FLOAT_MAX = float(np.finfo(np.float32).max)


class _JsonError(ValueError):
    pass


class _Object(list):
    """A JSON object: its (key, value) pairs in text order (JSON arrays stay plain lists)."""


def _varint(n):
    if n < 0:
        n += 1 << 64
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _tag(number, wire):
    return _varint((number << 3) | wire)


def _delimited(number, payload):
    return _tag(number, 2) + _varint(len(payload)) + payload


def _int64(v):
    if isinstance(v, bool):
        raise _JsonError("expected integer, but got a boolean")
    if isinstance(v, str):
        try:
            v = int(v.strip())
        except ValueError:
            raise _JsonError("invalid integer: %r" % v) from None
    elif isinstance(v, float):
        if not v.is_integer():
            raise _JsonError("expected integer, but JSON number had fractional part")
        v = int(v)
    elif not isinstance(v, int):
        raise _JsonError("expected integer, but got %s" % type(v).__name__)
    if not _INT64_MIN <= v <= _INT64_MAX:
        raise _JsonError("integer out of range: %d" % v)
    return _tag(1, 0) + _varint(v)


def _float(v):
    if isinstance(v, bool):
        raise _JsonError("expected number, but got a boolean")
    if isinstance(v, str):
        special = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
        if v in special:
            v = special[v]
        else:
            try:
                v = float(v)
            except ValueError:
                raise _JsonError("invalid number: %r" % v) from None
            if not math.isfinite(v):
                raise _JsonError("invalid number: %r" % v)
    elif not isinstance(v, (int, float)):
        raise _JsonError("expected number, but got %s" % type(v).__name__)
    v = float(v)
    if math.isfinite(v) and abs(v) > _FLOAT_MAX:
        raise _JsonError("float out of range: %r" % v)
    return _tag(1, 5) + struct.pack("<f", v)


def _bytes(v):
    if not isinstance(v, str):
        raise _JsonError("expected base64 string, but got %s" % type(v).__name__)
    s = v.replace("-", "+").replace("_", "/").rstrip("=")
    try:
        data = base64.b64decode(s + "=" * (-len(s) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise _JsonError("invalid base64: %r" % v) from None
    return _delimited(1, data)


def _fields(obj, names, where):
    """(number, value) per present field of JSON object `obj`, in JSON order."""
    if not isinstance(obj, _Object):
        raise _JsonError("%s: expected an object" % where)
    out = []
    for key, value in obj:
        if key not in names:
            raise _JsonError("%s: no such field: '%s'" % (where, key))
        if value is not None:
            out.append((names[key], value))
    return out


def _value_list(obj, encode, where):
    payload = b""
    for _, values in _fields(obj, {"value": 1}, where):
        if not isinstance(values, list) or isinstance(values, _Object):
            raise _JsonError("%s.value: expected a list" % where)
        payload += b"".join(encode(v) for v in values)
    return payload


_KINDS = {"bytes_list": 1, "bytesList": 1, "float_list": 2, "floatList": 2,
          "int64_list": 3, "int64List": 3}
_ENCODERS = {1: _bytes, 2: _float, 3: _int64}


def _feature(obj, where):
    payload = b""
    kinds = set()
    for number, value in _fields(obj, _KINDS, where):
        if number in kinds or kinds:
            raise _JsonError("%s: more than one value for oneof 'kind'" % where)
        kinds.add(number)
        payload += _delimited(number, _value_list(value, _ENCODERS[number], where))
    return payload


def _features(obj, where):
    payload = b""
    for _, feature_map in _fields(obj, {"feature": 1}, where):
        if not isinstance(feature_map, _Object):
            raise _JsonError("%s.feature: expected an object" % where)
        for key, value in feature_map:
            entry = _delimited(1, key.encode("utf-8"))
            if value is not None:
                entry += _delimited(2, _feature(value, "%s.feature[%s]" % (where, key)))
            payload += _delimited(1, entry)
    return payload


def _example(text):
    try:
        obj = json.loads(text, object_pairs_hook=_Object)
    except ValueError as e:
        raise _JsonError(str(e)) from None
    payload = b""
    for _, value in _fields(obj, {"features": 1}, "Example"):
        payload += _delimited(1, _features(value, "features"))
    return payload


def decode_json_example(text):
    """The serialized `tf.train.Example` for one JSON text (bytes or str)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("Error while parsing JSON: invalid UTF-8") from None
    try:
        return _example(text)
    except _JsonError as e:
        raise ValueError("Error while parsing JSON: %s" % e) from None


@kernel("DecodeJSONExample")
def _decode_json_example(op):
    def run(x):
        x = np.asarray(x, dtype=object)
        out = np.empty(x.shape, dtype=object)
        for i, s in np.ndenumerate(x):
            out[i] = decode_json_example(s)
        return out
    return run
