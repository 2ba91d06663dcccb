"""numpy kernels for the parsing ops (ops/parsing_ops.py)."""

import numpy as np

from tensorflux.graph import protowire as pw
from tensorflux.ops.registry import kernel


@kernel("DecodeRaw")
def _decode_raw(op):
    dtype = np.dtype(op._attrs["out_type"].as_numpy_dtype)
    if dtype.itemsize > 1:
        dtype = dtype.newbyteorder("<" if op._attrs["little_endian"] else ">")

    def run(data):
        data = np.asarray(data, dtype=object)
        flat = [bytes(b) for b in data.ravel()]
        sizes = {len(b) for b in flat}
        if any(n % dtype.itemsize for n in sizes):
            raise ValueError("Input to DecodeRaw has length %d that is not a multiple of %d, "
                             "the size of %s" % (min(n for n in sizes if n % dtype.itemsize),
                                                 dtype.itemsize, op._attrs["out_type"].name))
        if len(sizes) > 1:
            raise ValueError("DecodeRaw requires input strings to all be the same size, but "
                             "element 0 has size %d != %d" % (len(flat[0]), max(sizes)))
        width = (sizes.pop() if sizes else 0) // dtype.itemsize
        out = np.frombuffer(b"".join(flat), dtype=dtype).astype(dtype.newbyteorder("="))
        return out.reshape(data.shape + (width,))

    return run


# --- ParseExample, ParseSingleExample ---------------------------------------------------------
_KINDS = {1: "string", 2: "float", 3: "int64"}  # Feature's oneof field number -> data type


def _tf_name(dtype):
    """TF's DataTypeString, which error messages use ("float" for float32)."""
    return "float" if dtype.name == "float32" else dtype.name


def _list_values(kind, raw):
    """The values of a BytesList / FloatList / Int64List message body, as a numpy array."""
    items = []
    for number, wire, value in pw.iter_fields(raw):
        if number != 1:
            continue
        if kind == "string":
            items.append(value)
        elif kind == "float":
            items.append(np.frombuffer(value, "<f4") if wire == pw.WIRE_LEN else
                         np.array([value], "<u4").view("<f4"))
        elif wire == pw.WIRE_LEN:
            items.append(np.array(pw.decode_packed_varints(value), np.uint64).view(np.int64))
        else:
            items.append(np.array([value], np.uint64).view(np.int64))
    if kind == "string":
        out = np.empty(len(items), dtype=object)
        out[:] = items
        return out
    dtype = np.float32 if kind == "float" else np.int64
    return np.concatenate(items).astype(dtype) if items else np.zeros(0, dtype)


def _decode_feature(raw):
    """`(data type or None, raw list body)` of a serialized Feature (last oneof field wins)."""
    kind, body = None, b""
    for number, _, value in pw.iter_fields(raw, {1: 2, 2: 2, 3: 2}):
        if number in _KINDS:
            kind, body = _KINDS[number], value
    return kind, body


def decode_example(data):
    """`{key: (data type or None, raw list body)}` of a serialized `tf.train.Example`."""
    features = {}
    for number, _, body in pw.iter_fields(data, {1: 2}):
        if number != 1:
            continue
        for entry_number, _, entry in pw.iter_fields(body, {1: 2}):
            if entry_number != 1:
                continue
            key, value = "", b""
            for n, _, v in pw.iter_fields(entry, {1: 2, 2: 2}):
                if n == 1:
                    key = v.decode("utf-8")
                elif n == 2:
                    value = v
            features[key] = _decode_feature(value)
    return features


class _Parser:
    """Parses a batch of examples for one op's configuration; errors use TF's wording."""

    def __init__(self, attrs, single):
        self.attrs = attrs
        self.single = single

    def where(self, key, index, name):
        if self.single:
            return "Key: %s.  " % key
        return "Name: %s, Key: %s, Index: %d.  " % (name, key, index)

    def values(self, example, key, dtype, index, name, dense):
        kind, body = example.get(key, (None, b""))
        expected = _tf_name(dtype)
        if kind is not None and kind != expected:
            if dense:
                message = "Data types don't match. Data type: %s but expected type: %s" % (
                    kind, expected)
            else:
                message = "Data types don't match. Expected type: %s, Actual type: %s" % (
                    expected, kind)
            raise ValueError(self.where(key, index, name) + message)
        return None if kind is None else _list_values(kind, body)

    def dense(self, examples, names, key, dtype, shape, default):
        """The dense output of one key: `[batch] + shape` values."""
        size = int(np.prod(shape))
        rows = []
        for i, (example, name) in enumerate(zip(examples, names)):
            values = self.values(example, key, dtype, i, name, dense=True)
            if values is None:
                if default.size == 0 and size > 0:
                    prefix = "" if self.single else "Name: %s, " % name
                    raise ValueError("%sFeature: %s (data type: %s) is required but could not "
                                     "be found." % (prefix, key, _tf_name(dtype)))
                values = default.reshape(-1)
            elif values.size != size:
                raise ValueError(self.where(key, i, name) + self.size_error(
                    dtype, values.size, size, shape))
            rows.append(values)
        out = np.array(rows, dtype=dtype.as_numpy_dtype).reshape([len(rows)] + list(shape))
        return out

    def size_error(self, dtype, got, size, shape):
        if self.single and got > size and dtype.name != "string":
            return ("Can't parse serialized Example: Some %s_list slice was not parsed."
                    % _tf_name(dtype))
        return "Number of %s values != expected.  Values size: %d but output shape: [%s]" % (
            _tf_name(dtype), got, ",".join(str(d) for d in shape))

    def sequence(self, examples, names, key, dtype, shape, pad):
        """A FixedLenSequenceFeature: `[batch, longest] + shape`, padded with `pad`."""
        step = int(np.prod(shape[1:]))
        rows = []
        for i, (example, name) in enumerate(zip(examples, names)):
            values = self.values(example, key, dtype, i, name, dense=True)
            values = np.zeros(0, dtype.as_numpy_dtype) if values is None else values
            if step and values.size % step:
                raise ValueError(self.where(key, i, name) + "Number of %s values is not a "
                                 "multiple of stride length. Saw %d values but output shape "
                                 "is: [?,%s]" % (_tf_name(dtype), values.size,
                                                 ",".join(str(d) for d in shape[1:])))
            rows.append(values.reshape([-1] + list(shape[1:])))
        longest = max([len(r) for r in rows], default=0)
        out = np.full([len(rows), longest] + list(shape[1:]), pad, dtype=dtype.as_numpy_dtype)
        for i, r in enumerate(rows):
            out[i, :len(r)] = r
        return out

    def sparse(self, examples, names, key, dtype):
        """`(indices, values, dense_shape)` of a VarLenFeature over the batch."""
        lists = [self.values(ex, key, dtype, i, name, dense=False)
                 for i, (ex, name) in enumerate(zip(examples, names))]
        lists = [np.zeros(0, dtype.as_numpy_dtype) if v is None else v for v in lists]
        longest = max([len(v) for v in lists], default=0)
        indices = np.array([[i, j] for i, v in enumerate(lists) for j in range(len(v))],
                           dtype=np.int64).reshape(-1, 2)
        values = (np.concatenate(lists) if lists else np.zeros(0)).astype(dtype.as_numpy_dtype)
        return indices, values, np.array([len(lists), longest], np.int64)


def _as_bytes(value):
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def _decode_all(serialized):
    examples = []
    for data in serialized:
        data = _as_bytes(data)
        try:
            examples.append(decode_example(data))
        except (ValueError, UnicodeDecodeError):
            raise ValueError("Could not parse example input, value: '%s'"
                             % data.decode("latin-1")) from None
    return examples


def _as_text(key):
    return key.decode("utf-8") if isinstance(key, bytes) else key


def _parse_kernel(op, single):
    attrs = op._attrs
    parser = _Parser(attrs, single)

    n_sparse, n_dense = len(attrs["sparse_types"]), len(attrs["Tdense"])

    def run(serialized, *rest):
        if single:
            names, defaults = [], rest
            sparse_keys, dense_keys = attrs["sparse_keys"], attrs["dense_keys"]
        else:  # ParseExample: names, the keys (string scalars), then the defaults
            names, keys, defaults = rest[0], rest[1:1 + n_sparse + n_dense], \
                rest[1 + n_sparse + n_dense:]
            keys = [np.asarray(k).reshape(-1)[0] for k in keys]
            sparse_keys, dense_keys = keys[:n_sparse], keys[n_sparse:]
        serialized = np.asarray(serialized, dtype=object).reshape(-1)
        names = [_as_bytes(n).decode("utf-8", "replace") for n in np.ravel(names)]
        names = names if len(names) else ["<unknown>"] * len(serialized)
        examples = _decode_all(serialized)
        sparse = [parser.sparse(examples, names, _as_text(k), t)
                  for k, t in zip(sparse_keys, attrs["sparse_types"])]
        dense = []
        for key, dtype, shape, default in zip(dense_keys, attrs["Tdense"],
                                              attrs["dense_shapes"], defaults):
            key = _as_text(key)  # bytes from a tensor or a graph imported from a GraphDef
            default = np.asarray(default, dtype=dtype.as_numpy_dtype)
            shape = shape.as_list()
            if shape and shape[0] is None:
                dense.append(parser.sequence(examples, names, key, dtype, shape, default))
            else:
                dense.append(parser.dense(examples, names, key, dtype, shape, default))
        if single:
            sparse = [(i[:, 1:], v, s[1:]) for i, v, s in sparse]
            dense = [d.reshape(d.shape[1:]) for d in dense]
        outs = ([s[0] for s in sparse] + [s[1] for s in sparse] + [s[2] for s in sparse]
                + dense)
        return outs[0] if len(outs) == 1 else outs  # a one-output op returns its array

    return run


kernel("ParseExample")(lambda op: _parse_kernel(op, single=False))
kernel("ParseSingleExample")(lambda op: _parse_kernel(op, single=True))


# --- DecodeCSV --------------------------------------------------------------------------------
def _csv_fields(line, delim, quoted):
    """The fields of one CSV line (TF's rules: `""` escapes a quote inside a quoted field)."""
    fields, i, n = [], 0, len(line)
    while True:
        if quoted and i < n and line[i] == '"':
            chars, i = [], i + 1
            while True:
                if i >= n:
                    raise ValueError("Quoted field has to end with quote followed by delim or "
                                     "end")
                if line[i] == '"':
                    if i + 1 < n and line[i + 1] == '"':
                        chars.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                chars.append(line[i])
                i += 1
            if i < n and line[i] != delim:
                raise ValueError("Quote inside a string has to be escaped by another quote")
            fields.append("".join(chars))
        else:
            end = line.find(delim, i)
            end = n if end < 0 else end
            field = line[i:end]
            if (quoted and '"' in field) or "\r" in field or "\n" in field:
                raise ValueError("Unquoted fields cannot have quotes/CRLFs inside")
            fields.append(field)
            i = end
        if i >= n:
            return fields
        i += 1  # the delimiter


_CSV_NAMES = {"float32": "float", "float64": "double"}


def _csv_value(field, dtype, column, record):
    kind = _CSV_NAMES.get(dtype.name, dtype.name)
    if dtype.name == "string":
        return field.encode("utf-8")
    try:
        value = float(field) if dtype.is_floating else int(field, 10)
    except ValueError:
        raise ValueError("Field %d in record %d is not a valid %s: %s"
                         % (column, record, kind, field)) from None
    if dtype.is_integer and not dtype.min <= value <= dtype.max:
        raise ValueError("Field %d in record %d is not a valid %s: %s"
                         % (column, record, kind, field))
    return value


@kernel("DecodeCSV")
def _decode_csv(op):
    attrs = op._attrs
    types = [t.dtype.base_dtype for t in op.inputs[1:]]
    select = attrs["select_cols"]

    def run(records, *defaults):
        records = np.asarray(records, dtype=object)
        columns = [[] for _ in types]
        for r, line in enumerate(records.ravel()):
            line = line if isinstance(line, str) else bytes(line).decode("utf-8")
            fields = _csv_fields(line, attrs["field_delim"], attrs["use_quote_delim"])
            if select:
                if len(fields) <= select[-1]:
                    raise ValueError("Expect %d fields but have %d in record %d"
                                     % (select[-1] + 1, len(fields), r))
                fields = [fields[c] for c in select]
            if len(fields) != len(types):
                raise ValueError("Expect %d fields but have %d in record %d"
                                 % (len(types), len(fields), r))
            for c, (field, dtype, default) in enumerate(zip(fields, types, defaults)):
                if field == "" or field == attrs["na_value"]:
                    default = np.ravel(default)
                    if default.size == 0:
                        raise ValueError("Field %d is required but missing in record %d!"
                                         % (c, r))
                    columns[c].append(default[0])
                else:
                    columns[c].append(_csv_value(field, dtype, c, r))
        return [np.array(col, dtype=t.as_numpy_dtype).reshape(records.shape)
                for col, t in zip(columns, types)]

    return run
