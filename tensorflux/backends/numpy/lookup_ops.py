"""numpy kernels for the lookup tables (ops/lookup_ops.py): tables held in the session state.

A table lives in the session's `state.resources` under ("LookupTable", shared_name or op name),
made by the first run of its handle op; the handle's value is the table object, which the
other kernels receive as their first input (so a table captured by a `tf.data` function is the
session's own). Hash tables keep a dict of Python keys (bytes for strings); the dense table
(lookup_dense.py) keeps TF's bucket layout. Messages and error classes are TF's.
"""

import threading

import numpy as np

from tensorflux import errors
from tensorflux.backends.numpy.lookup_dense import DenseError as _Error
from tensorflux.backends.numpy.lookup_dense import DenseTable
from tensorflux.graph.operation import op_error
from tensorflux.ops.registry import kernel

_CREATE = threading.Lock()


def _key(k):
    if isinstance(k, str):
        return k.encode("utf-8")
    return k.item() if isinstance(k, np.generic) else k


def _fmt(v):
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)


class Table:
    """A hash table: `static` ones are filled once by an initializer; mutable ones change."""

    def __init__(self, op):
        attrs = op._attrs
        self.key_dtype = attrs["key_dtype"]
        self.value_dtype = attrs["value_dtype"]
        shape = attrs.get("value_shape")
        self.value_shape = tuple(shape.as_list()) if shape is not None else ()
        self.static = op.type == "HashTableV2"
        self.initialized = not self.static
        self.data = {}
        self.lock = threading.Lock()

    def _rows(self, keys, values):
        keys = np.asarray(keys)
        values = np.asarray(values)
        if values.shape != keys.shape + self.value_shape:
            raise _Error(errors.InvalidArgumentError, "Expected shape %s for value, got %s"
                         % (_dims(keys.shape + self.value_shape), _dims(values.shape)))
        vals = values.reshape((keys.size,) + self.value_shape)
        if self.value_shape == ():
            return [(_key(k), _key(vals.reshape(-1)[i])) for i, k in enumerate(keys.reshape(-1))]
        return [(_key(k), np.array(vals[i])) for i, k in enumerate(keys.reshape(-1))]

    def initialize(self, rows):
        """Fills a static table; a second initialization must bring the same entries."""
        with self.lock:
            if self.initialized:
                if len(dict(rows)) != len(self.data) or any(
                        k not in self.data or self.data[k] != v for k, v in rows):
                    raise _Error(errors.FailedPreconditionError,
                                 "Table was already initialized with different data.")
                return
            data = {}
            for k, v in rows:
                if k in data and data[k] != v:
                    raise _Error(errors.FailedPreconditionError,
                                 "HashTable has different value for same key. Key %s has %s "
                                 "and trying to add value %s" % (_fmt(k), _fmt(data[k]),
                                                                 _fmt(v)))
                data[k] = v
            self.data = data
            self.initialized = True

    def find(self, keys, default):
        if not self.initialized:
            raise _Error(errors.FailedPreconditionError, "Table not initialized.")
        keys = np.asarray(keys)
        default = np.asarray(default)
        npd = self.value_dtype.as_numpy_dtype
        out = np.empty(keys.shape + self.value_shape, dtype=npd)
        dynamic = default.ndim > len(self.value_shape)
        if default.ndim == 0:
            default = default.item()
        if dynamic and default.shape != out.shape:
            raise _Error(errors.InvalidArgumentError,
                         "Expected shape %s for default value, got %s"
                         % (_dims(out.shape), _dims(default.shape)))
        flat_out = out.reshape((keys.size,) + self.value_shape)
        flat_default = default.reshape(flat_out.shape) if dynamic else None
        with self.lock:
            for i, k in enumerate(keys.reshape(-1)):
                v = self.data.get(_key(k))
                if v is None:
                    v = flat_default[i] if dynamic else default
                flat_out[i] = v
        return out

    def insert_arrays(self, keys, values):
        rows = self._rows(keys, values)
        with self.lock:
            self.data.update(rows)

    def import_arrays(self, keys, values):
        rows = self._rows(keys, values)
        with self.lock:
            self.data = dict(rows)

    def remove(self, keys):
        with self.lock:
            for k in np.asarray(keys).reshape(-1):
                self.data.pop(_key(k), None)

    def size(self):
        return len(self.data)

    def export(self):
        with self.lock:
            items = list(self.data.items())
        kd, vd = self.key_dtype.as_numpy_dtype, self.value_dtype.as_numpy_dtype
        keys = np.empty(len(items), dtype=kd)
        values = np.empty((len(items),) + self.value_shape, dtype=vd)
        for i, (k, v) in enumerate(items):
            keys[i] = k
            values[i] = v
        return [keys, values]


def _dims(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _handle_kernel(op):
    key = ("LookupTable", op._attrs.get("shared_name") or op.name)

    def run(state, *reserved):
        table = state.resources.get(key)
        if table is None:
            with _CREATE:
                table = state.resources.get(key)
                if table is None:
                    try:
                        table = DenseTable(op, *reserved) if reserved else Table(op)
                    except _Error as e:
                        raise op_error(e.cls, op, str(e)) from None
                    state.resources[key] = table
        return table

    return run


for _t in ("HashTableV2", "MutableHashTableV2", "MutableHashTableOfTensorsV2",
           "MutableDenseHashTableV2"):
    kernel(_t)(_handle_kernel)


def session_table(state, handle_op):
    """The table `handle_op` makes, in the session `state` (made now if no run made it yet):
    what a Saver restores a table's checkpointed entries into."""
    reserved = []
    if handle_op.type == "MutableDenseHashTableV2":  # its empty and deleted keys
        from tensorflux.ops.constant_op import constant_value

        reserved = [constant_value(t) for t in handle_op.inputs]
        if any(r is None for r in reserved):
            raise errors.UnimplementedError(
                None, handle_op, "restoring a dense hash table whose empty or deleted key is "
                "computed at run time")
    return _handle_kernel(handle_op)(state, *reserved)


def _check_types(table, keys_dtype, values_dtype=None):
    if keys_dtype != table.key_dtype:
        raise _Error(errors.InvalidArgumentError, "Key must be type %s but got %s"
                     % (table.key_dtype.name, keys_dtype.name))
    if values_dtype is not None and values_dtype != table.value_dtype:
        raise _Error(errors.InvalidArgumentError, "Value must be type %s but got %s"
                     % (table.value_dtype.name, values_dtype.name))


def _guard(op, fn):
    """`fn(table, *args)` as a kernel: the table's errors become the op's; the dtypes of the
    op's keys (and values) must be the table's."""
    in_types = [t.dtype.base_dtype for t in op.inputs[1:3]]
    if op.type in ("LookupTableImportV2", "InitializeTableV2", "LookupTableInsertV2",
                   "LookupTableFindV2"):
        check = in_types
    elif op.type == "LookupTableRemoveV2":
        check = in_types[:1]
    else:
        check = []

    def run(state, table, *args):
        try:
            if check:
                _check_types(table, *check)
            if isinstance(table, Table):  # (it locks itself, finer-grained)
                return fn(table, *args)
            with table.lock:
                return fn(table, *args)
        except _Error as e:
            raise op_error(e.cls, op, str(e)) from None
    return run


@kernel("LookupTableFindV2")
def _find(op):
    return _guard(op, lambda table, keys, default: table.find(keys, default))


def _initialize(op):
    def fn(table, keys, values):
        if table.static:
            keys, values = np.asarray(keys), np.asarray(values)
            if keys.shape != values.shape:
                raise _Error(errors.InvalidArgumentError, "Keys and values must have the same "
                             "size %d vs %d" % (keys.size, values.size))
            table.initialize(table._rows(keys, values))
        else:
            table.import_arrays(keys, values)
        return []
    return _guard(op, fn)


kernel("InitializeTableV2")(_initialize)
kernel("LookupTableImportV2")(_initialize)


def _static_refuses(table, what):
    if table.static:
        raise _Error(errors.UnimplementedError, "%s not supported by HashTable" % what)


@kernel("LookupTableInsertV2")
def _insert(op):
    def fn(table, keys, values):
        _static_refuses(table, "Insert")
        table.insert_arrays(keys, values)
        return []
    return _guard(op, fn)


@kernel("LookupTableRemoveV2")
def _remove(op):
    def fn(table, keys):
        _static_refuses(table, "Remove")
        table.remove(keys)
        return []
    return _guard(op, fn)


@kernel("LookupTableSizeV2")
def _size(op):
    return _guard(op, lambda table: np.array(table.size(), np.int64))


@kernel("LookupTableExportV2")
def _export(op):
    return _guard(op, lambda table: table.export())


# --- text files ----------------------------------------------------------------------------
def _parse(text, dtype, line_no):
    try:
        if dtype.is_integer:
            return int(text)
        if dtype.is_floating:
            return float(text)
    except ValueError:
        raise _Error(errors.InvalidArgumentError, "Field %s in line %d is not a valid %s."
                     % (text, line_no, dtype.name)) from None
    return text.encode("utf-8")


def _read_vocab(filename, attrs, key_dtype, value_dtype):
    """The (key, value) rows of a vocabulary file, read as TF's TextFileLineIterator does."""
    key_index, value_index = attrs["key_index"], attrs["value_index"]
    vocab_size, delimiter = attrs["vocab_size"], attrs["delimiter"]
    if isinstance(delimiter, bytes):  # an attr read from a GraphDef
        delimiter = delimiter.decode("utf-8")
    offset = attrs.get("offset", 0)
    try:
        with open(filename, "rb") as f:
            raw = f.read()
    except OSError:
        raise _Error(errors.NotFoundError, "%s; No such file or directory"
                     % filename) from None
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if vocab_size != -1:
        if len(lines) < vocab_size:
            raise _Error(errors.InvalidArgumentError, "Invalid vocab_size in %s: expected %d "
                         "but got %d" % (filename, vocab_size, len(lines)))
        lines = lines[:vocab_size]
    rows, position = [], 0
    need = max(key_index, value_index) + 1
    for i, raw_line in enumerate(lines):
        position += len(raw_line) + 1
        line = raw_line.decode("utf-8")
        line = line[:-1] if line.endswith("\r") else line
        if not line:
            raise _Error(errors.InvalidArgumentError, "Invalid content in %s: empty line "
                         "found at position %d." % (filename, position))
        cols = line.split(delimiter) if delimiter else list(line)
        if need > len(cols):
            raise _Error(errors.InvalidArgumentError, "Invalid number of columns in %s line "
                         "%d (%s) : expected at least %d got %d"
                         % (filename, i, line, need, len(cols)))
        rows.append(tuple(i + extra if index == -1 else
                          _parse(line if index == -2 else cols[index], dtype, i)
                          for index, dtype, extra in ((key_index, key_dtype, 0),
                                                      (value_index, value_dtype, offset))))
    return rows


@kernel("InitializeTableFromTextFileV2")
def _init_from_file(op):
    attrs = op._attrs

    def fn(table, filename):
        name = np.asarray(filename).reshape(-1)[0]
        name = name.decode("utf-8") if isinstance(name, bytes) else str(name)
        rows = _read_vocab(name, attrs, table.key_dtype, table.value_dtype)
        table.initialize(rows)
        return []
    return _guard(op, fn)
