"""Lookup tables (`tf.lookup`, `tf.contrib.lookup`): the table ops and the table classes.

A table is a graph op whose output is a resource handle (`HashTableV2`, `MutableHashTableV2`,
`MutableHashTableOfTensorsV2`, `MutableDenseHashTableV2`); the first run that needs it creates
the table in the session's `state.resources` (kernels in `backends/numpy/lookup_ops.py`), so two
sessions hold two tables, as in TF. The other ops take the handle:

    InitializeTableV2 / InitializeTableFromTextFileV2   fill a static table (once)
    LookupTableFindV2                                  keys -> values (default when missing)
    LookupTableInsertV2 / RemoveV2 / SizeV2 / ExportV2 / ImportV2

Initializer ops go in the TABLE_INITIALIZERS collection (run by `tf.tables_initializer()`); a
lookup in a static table that was never initialized fails with FailedPreconditionError. All are
stateful and not differentiable.

    >>> table = tf.contrib.lookup.index_table_from_tensor(["a", "b"], num_oov_buckets=1)
    >>> ids = table.lookup(tf.constant(["b", "z"]))     # [1, 2]: "z" falls in the OOV bucket
"""

import uuid

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import constant_op, registry
from tensorflux.ops.sparse_tensor import SparseTensor

ND = registry.NOT_DIFFERENTIABLE
_HANDLE_TYPES = ("HashTableV2", "MutableHashTableV2", "MutableHashTableOfTensorsV2",
                 "MutableDenseHashTableV2")


def _handle_shape(op):
    return [(dtypes.resource, tensor_shape.TensorShape([]))]


def _value_shape(handle):
    """The shape of one value of the table behind `handle` ([] unless it holds tensors)."""
    shape = handle.op._attrs.get("value_shape") if handle.op.type in _HANDLE_TYPES else None
    return tensor_shape.as_shape(shape) if shape is not None else tensor_shape.TensorShape([])


def _find_shape(op):
    keys = op.inputs[1].shape
    value = _value_shape(op.inputs[0])
    if op.inputs[0].op.type in _HANDLE_TYPES and value.ndims == 0:
        shape = keys
    elif keys.ndims is not None and value.ndims is not None:
        shape = keys.concatenate(value)
    else:
        shape = tensor_shape.unknown_shape()
    return [(op._attrs["Tout"], shape)]


def _export_shape(op):
    # TF's too: a dense table exports its [buckets, key size] matrices, the others vectors.
    return [(op._attrs["Tkeys"], tensor_shape.unknown_shape()),
            (op._attrs["Tvalues"], tensor_shape.unknown_shape())]


def _none(op):
    return []


for _t in _HANDLE_TYPES:
    registry.register(_t, shape=_handle_shape, grad=ND, stateful=True)
for _t in ("InitializeTableV2", "InitializeTableFromTextFileV2", "LookupTableInsertV2",
           "LookupTableRemoveV2", "LookupTableImportV2"):
    registry.register(_t, shape=_none, grad=ND, stateful=True)
registry.register("LookupTableFindV2", shape=_find_shape, grad=ND, stateful=True)
registry.register("LookupTableSizeV2", shape=lambda op: [(dtypes.int64, tensor_shape.scalar())],
                  grad=ND, stateful=True)
registry.register("LookupTableExportV2", shape=_export_shape, grad=ND, stateful=True)


def _create(op_type, inputs, attrs, name):
    g = graph_lib._graph_from_values(inputs) if inputs else graph_lib.get_default_graph()
    return g.create_op(op_type, list(inputs), attrs, name=name, op_def=registry.get(op_type))


def _convert(x, dtype, name):
    return constant_op.convert_to_tensor(x, dtype=dtype, name=name)


def check_table_dtypes(table, key_dtype, value_dtype):
    """Raises TypeError unless `table` has keys of `key_dtype` and values of `value_dtype`."""
    if key_dtype.base_dtype != table.key_dtype:
        raise TypeError("Invalid key dtype for table, expected %s but got %s."
                        % (table.key_dtype, key_dtype))
    if value_dtype.base_dtype != table.value_dtype:
        raise TypeError("Invalid value dtype for table, expected %s but got %s."
                        % (table.value_dtype, value_dtype))


def _check_keys(keys, key_dtype):
    if keys.dtype.base_dtype != key_dtype:
        raise TypeError("Dtype of argument `keys` must be %s, received: %s"
                        % (key_dtype, keys.dtype))


# --- tables ------------------------------------------------------------------------------------
class LookupInterface:
    """A lookup table that persists across steps: `lookup(keys)` and `size()`."""

    def __init__(self, key_dtype, value_dtype):
        self._key_dtype = dtypes.as_dtype(key_dtype)
        self._value_dtype = dtypes.as_dtype(value_dtype)

    @property
    def key_dtype(self):
        return self._key_dtype

    @property
    def value_dtype(self):
        return self._value_dtype

    @property
    def name(self):
        return self._table_name

    @property
    def resource_handle(self):
        return self._resource_handle

    def size(self, name=None):
        """The number of entries in the table (an int64 scalar)."""
        with graph_lib.name_scope(name, "%s_Size" % self.name, [self.resource_handle]):
            return _create("LookupTableSizeV2", [self.resource_handle], {},
                           "LookupTableSizeV2").outputs[0]

    def lookup(self, keys, name=None):
        raise NotImplementedError

    def __getitem__(self, keys):
        return self.lookup(keys)


class InitializableLookupTableBase(LookupInterface):
    """A table filled once by an initializer (whose op joins TABLE_INITIALIZERS)."""

    def __init__(self, default_value, initializer):
        super().__init__(initializer.key_dtype, initializer.value_dtype)
        self._initializer = initializer
        self._default_value = _convert(default_value, self._value_dtype, None)
        self._default_value.get_shape().merge_with(tensor_shape.TensorShape([]))
        with graph_lib.init_scope():
            self._resource_handle = self._create_resource()
        self._init_op = self._initialize()

    def _initialize(self):
        return self._initializer.initialize(self)

    @property
    def default_value(self):
        return self._default_value

    @property
    def initializer(self):
        return self._init_op

    @property
    def init(self):
        return self._init_op

    def lookup(self, keys, name=None):
        """The values of `keys` (a Tensor or SparseTensor); `default_value` for missing keys.

        Example:
            >>> table.lookup(tf.constant(["a", "zzz"]))   # [0, -1]
        """
        key_tensor = keys.values if isinstance(keys, SparseTensor) else keys
        _check_keys(keys, self._key_dtype)
        with graph_lib.name_scope(name, "%s_Lookup" % self.name,
                                  [self.resource_handle, key_tensor, self._default_value]):
            values = _create("LookupTableFindV2",
                             [self.resource_handle, key_tensor, self._default_value],
                             {"Tin": self._key_dtype, "Tout": self._value_dtype},
                             "LookupTableFindV2").outputs[0]
        values.set_shape(key_tensor.get_shape())
        if isinstance(keys, SparseTensor):
            return SparseTensor(keys.indices, values, keys.dense_shape)
        return values


class StaticHashTable(InitializableLookupTableBase):
    """An immutable hash table, filled by its initializer (`tf.lookup.StaticHashTable`).

    Example:
        >>> table = tf.lookup.StaticHashTable(
        ...     tf.lookup.KeyValueTensorInitializer([1, 2], [3, 4], value_dtype=tf.int64), -1)
        >>> out = table.lookup(tf.constant([1, 5], tf.int32))   # after tf.tables_initializer()
    """

    def __init__(self, initializer, default_value, name=None, experimental_is_anonymous=False):
        self._shared_name = (initializer._shared_name
                             or "hash_table_%s" % uuid.uuid4())
        self._name = name or "hash_table"
        super().__init__(default_value, initializer)
        self._value_shape = self._default_value.get_shape()

    def _create_resource(self):
        attrs = {"shared_name": self._shared_name, "container": "",
                 "use_node_name_sharing": False, "key_dtype": self._key_dtype,
                 "value_dtype": self._value_dtype}
        ref = _create("HashTableV2", [], attrs, self._name).outputs[0]
        self._table_name = ref.op.name.split("/")[-1]
        return ref

    def export(self, name=None):
        """(keys, values): every entry of the table, as two tensors."""
        with graph_lib.name_scope(name, "%s_Export" % self.name, [self.resource_handle]):
            return _export(self)


class HashTable(StaticHashTable):
    """TF 1.x's `tf.contrib.lookup.HashTable`: a StaticHashTable with an optional shared name.

    Example:
        >>> table = tf.contrib.lookup.HashTable(
        ...     tf.contrib.lookup.KeyValueTensorInitializer(["a", "b"], [0, 1]), -1)
    """

    def __init__(self, initializer, default_value, shared_name=None, name=None):
        self._requested_shared_name = shared_name
        super().__init__(initializer, default_value, name=name)

    def _create_resource(self):
        if self._requested_shared_name:
            self._shared_name = self._requested_shared_name
        return super()._create_resource()


def _export(table):
    attrs = {"Tkeys": table.key_dtype, "Tvalues": table.value_dtype}
    op = _create("LookupTableExportV2", [table.resource_handle], attrs, "LookupTableExportV2")
    return op.outputs[0], op.outputs[1]


class _MutableBase(LookupInterface):
    """What MutableHashTable and DenseHashTable share: insert, remove, lookup, export."""

    def size(self, name=None):
        with graph_lib.colocate_with(self.resource_handle):
            return super().size(name)

    def lookup(self, keys, dynamic_default_values=None, name=None):
        """The values of `keys`; the default value (or `dynamic_default_values`, one per key)
        where a key is missing."""
        with graph_lib.name_scope(name, "%s_lookup_table_find" % self.name,
                                  [self.resource_handle, keys, self._default_value]):
            keys = _convert(keys, self._key_dtype, "keys")
            default = (self._default_value if dynamic_default_values is None
                       else _convert(dynamic_default_values, self._value_dtype, None))
            with graph_lib.colocate_with(self.resource_handle):
                return _create("LookupTableFindV2", [self.resource_handle, keys, default],
                               {"Tin": self._key_dtype, "Tout": self._value_dtype},
                               "LookupTableFindV2").outputs[0]

    def insert(self, keys, values, name=None):
        """An op that sets `values[i]` as the value of `keys[i]` (replacing what was there)."""
        with graph_lib.name_scope(name, "%s_lookup_table_insert" % self.name,
                                  [self.resource_handle, keys, values]):
            keys = _convert(keys, self._key_dtype, "keys")
            values = _convert(values, self._value_dtype, "values")
            with graph_lib.colocate_with(self.resource_handle):
                return _create("LookupTableInsertV2", [self.resource_handle, keys, values],
                               {"Tin": self._key_dtype, "Tout": self._value_dtype},
                               "LookupTableInsertV2")

    def remove(self, keys, name=None):
        """An op that removes `keys` (missing keys are ignored)."""
        if keys.dtype != self._key_dtype:
            raise TypeError("Dtype of argument `keys` must be %s, received: %s"
                            % (self._key_dtype, keys.dtype))
        with graph_lib.name_scope(name, "%s_lookup_table_remove" % self.name,
                                  [self.resource_handle, keys, self._default_value]):
            return _create("LookupTableRemoveV2", [self.resource_handle, keys],
                           {"Tin": self._key_dtype}, "LookupTableRemoveV2")

    def export(self, name=None):
        """(keys, values): every entry of the table, as two tensors."""
        with graph_lib.name_scope(name, "%s_lookup_table_export_values" % self.name,
                                  [self.resource_handle]):
            with graph_lib.colocate_with(self.resource_handle):
                return _export(self)

    def import_values(self, keys, values, name=None):
        """An op that replaces the table's contents by `keys` -> `values` (a restore)."""
        with graph_lib.name_scope(name, "%s_table_restore" % self._name):
            return _create("LookupTableImportV2", [self.resource_handle,
                                                   _convert(keys, self._key_dtype, "keys"),
                                                   _convert(values, self._value_dtype,
                                                            "values")],
                           {"Tin": self._key_dtype, "Tout": self._value_dtype},
                           "LookupTableImportV2")


class MutableHashTable(_MutableBase):
    """A hash table whose entries change at run time (`insert`, `remove`).

    Values may be tensors (a non-scalar `default_value` gives a MutableHashTableOfTensorsV2).

    Example:
        >>> table = tf.contrib.lookup.MutableHashTable(tf.string, tf.int64, default_value=-1)
        >>> sess.run(table.insert(tf.constant(["a"]), tf.constant([7], tf.int64)))
        >>> sess.run(table.lookup(tf.constant(["a", "b"])))   # [7, -1]
    """

    def __init__(self, key_dtype, value_dtype, default_value, shared_name=None,
                 name="MutableHashTable", checkpoint=True, experimental_is_anonymous=False):
        super().__init__(key_dtype, value_dtype)
        self._default_value = _convert(default_value, self._value_dtype, None)
        self._value_shape = self._default_value.get_shape()
        self._checkpoint = checkpoint
        self._name = name
        self._shared_name = shared_name
        op_type = ("MutableHashTableV2" if self._value_shape.ndims == 0
                   else "MutableHashTableOfTensorsV2")
        attrs = {"shared_name": shared_name or "", "container": "",
                 "use_node_name_sharing": bool(checkpoint and not shared_name),
                 "key_dtype": self._key_dtype, "value_dtype": self._value_dtype}
        if op_type == "MutableHashTableOfTensorsV2":
            attrs["value_shape"] = self._value_shape
        self._resource_handle = _create(op_type, [], attrs, name).outputs[0]
        self._table_name = self._resource_handle.op.name.split("/")[-1]
        if checkpoint:
            graph_lib.add_to_collection(GraphKeys.SAVEABLE_OBJECTS, TableSaveable(self, name))


class DenseHashTable(_MutableBase):
    """A mutable hash table over tensors, with reserved `empty_key` and `deleted_key` values
    (`tf.lookup.experimental.DenseHashTable`, `tf.contrib.lookup.MutableDenseHashTable`).

    Example:
        >>> table = tf.contrib.lookup.MutableDenseHashTable(tf.int64, tf.int64, -1,
        ...                                                 empty_key=0, deleted_key=-1)
    """

    def __init__(self, key_dtype, value_dtype, default_value, empty_key, deleted_key=None,
                 initial_num_buckets=None, shared_name=None, name="MutableDenseHashTable",
                 checkpoint=True, experimental_is_anonymous=False):
        super().__init__(key_dtype, value_dtype)
        self._default_value = _convert(default_value, self._value_dtype, "default_value")
        self._value_shape = self._default_value.get_shape()
        self._name = name
        self._checkpoint = checkpoint
        if deleted_key is None:
            raise ValueError("`deleted_key` must be given: a key value no real key takes")
        empty = _convert(empty_key, self._key_dtype, "empty_key")
        deleted = _convert(deleted_key, self._key_dtype, "deleted_key")
        attrs = {"shared_name": shared_name or "", "container": "",
                 "use_node_name_sharing": bool(checkpoint and not shared_name),
                 "key_dtype": self._key_dtype, "value_dtype": self._value_dtype,
                 "value_shape": self._value_shape,
                 "initial_num_buckets": int(initial_num_buckets or 131072),
                 "max_load_factor": 0.8}
        self._resource_handle = _create("MutableDenseHashTableV2", [empty, deleted], attrs,
                                        name).outputs[0]
        self._table_name = self._resource_handle.op.name.split("/")[-1]
        if checkpoint:
            graph_lib.add_to_collection(GraphKeys.SAVEABLE_OBJECTS, TableSaveable(self, name))

    def insert_or_assign(self, keys, values, name=None):
        return self.insert(keys, values, name)

    def erase(self, keys, name=None):
        if keys.dtype != self._key_dtype:
            raise TypeError("Signature mismatch. Keys must be dtype %s, got %s."
                            % (self._key_dtype, keys.dtype))
        return self.remove(keys, name)


class TableSaveable:
    """A mutable table's contents in checkpoints (TF's `MutableHashTable._Saveable`): the
    entries `<name>-keys` and `<name>-values`, `name` being the table's constructor name. The
    Saver saves them through the table's export ops (made here, as TF makes them) and restores
    them into the session's table (`restore_to_session`), after every entry is checked."""

    def __init__(self, table, name):
        self.table = table
        self.name = name
        self.spec_names = [name + "-keys", name + "-values"]
        self._export = table.export()
        self.dtypes = [table.key_dtype, table.value_dtype]

    def save_from_session(self, sess):
        return sess.run(list(self._export))

    def check(self, arrays):
        """Raises TF's error where `arrays` (of the right dtypes: the Saver checks those)
        cannot be this table's contents."""
        from tensorflux import errors

        keys, values = (np.asarray(a) for a in arrays)
        if isinstance(self.table, DenseHashTable):  # TF's bucket layout: [buckets, width]
            want = keys.shape[:1] + values.shape[1:2]
            bad = values.ndim != 2 or keys.ndim != 2
        else:
            want = keys.shape[:1] + tuple(self.table._value_shape.as_list())
            bad = self.table._value_shape.is_fully_defined() and values.shape != want
        if values.shape[:1] != keys.shape[:1] or bad:
            raise errors.InvalidArgumentError(
                None, None, "Expected shape %s for value, got %s (restoring %s)"
                % (list(want), list(values.shape), self.name))

    def restore_to_session(self, sess, arrays):
        from tensorflux.backends.numpy import lookup_ops as np_lookup

        np_lookup.session_table(sess._state, self.table.resource_handle.op).import_arrays(
            *arrays)


# --- initializers ------------------------------------------------------------------------------
class TableInitializerBase:
    """What fills a static table: key and value dtypes and `initialize(table) -> op`."""

    def __init__(self, key_dtype, value_dtype):
        self._key_dtype = dtypes.as_dtype(key_dtype)
        self._value_dtype = dtypes.as_dtype(value_dtype)

    @property
    def key_dtype(self):
        return self._key_dtype

    @property
    def value_dtype(self):
        return self._value_dtype

    def initialize(self, table):
        raise NotImplementedError

    @property
    def _shared_name(self):
        return ""


class KeyValueTensorInitializer(TableInitializerBase):
    """Fills a table from a tensor of keys and a tensor of values (same length).

    Example:
        >>> init = tf.lookup.KeyValueTensorInitializer(["a", "b"], [1, 2],
        ...                                            value_dtype=tf.int64)
    """

    def __init__(self, keys, values, key_dtype=None, value_dtype=None, name=None):
        with graph_lib.init_scope():
            self._keys = _convert(keys, key_dtype, "keys")
            self._values = _convert(values, value_dtype, "values")
        self._name = name if name is not None else "key_value_init"
        super().__init__(self._keys.dtype, self._values.dtype)

    def initialize(self, table):
        check_table_dtypes(table, self._keys.dtype, self._values.dtype)
        with graph_lib.name_scope(self._name, values=[table.resource_handle, self._keys,
                                                      self._values]) as scope:
            init_op = _create("InitializeTableV2",
                              [table.resource_handle, self._keys, self._values],
                              {"Tkey": self._keys.dtype.base_dtype,
                               "Tval": self._values.dtype.base_dtype}, scope)
        graph_lib.add_to_collection(graph_lib.GraphKeys.TABLE_INITIALIZERS, init_op)
        return init_op


class TextFileIndex:
    """Which part of a line is a key or value: a column number, or one of these."""

    WHOLE_LINE = -2
    LINE_NUMBER = -1


class TextFileInitializer(TableInitializerBase):
    """Fills a table from a text file, one entry per line: keys and values are whole lines,
    line numbers, or columns split by `delimiter` (TextFileIndex).

    Example:
        >>> init = tf.lookup.TextFileInitializer(
        ...     "vocab.txt", tf.string, tf.lookup.TextFileIndex.WHOLE_LINE,
        ...     tf.int64, tf.lookup.TextFileIndex.LINE_NUMBER)
    """

    def __init__(self, filename, key_dtype, key_index, value_dtype, value_index,
                 vocab_size=None, delimiter="\t", name=None, value_index_offset=0):
        if not isinstance(filename, Tensor) and not filename:
            raise ValueError("`filename` argument required for tf.lookup.TextFileInitializer")
        key_dtype = dtypes.as_dtype(key_dtype)
        value_dtype = dtypes.as_dtype(value_dtype)
        for what, index, dt in (("key", key_index, key_dtype),
                                ("value", value_index, value_dtype)):
            if index < -2:
                raise ValueError("`%s_index` should be >= -2, received: %s." % (what, index))
            if index == TextFileIndex.LINE_NUMBER and dt != dtypes.int64:
                raise ValueError("`%s_dtype` must be int64 if `%s_index` is -1, received: %s"
                                 % (what, what, dt))
            if index == TextFileIndex.WHOLE_LINE and not dt.is_integer and dt != dtypes.string:
                raise ValueError("`%s_dtype` should be either integer or string for `%s_index` "
                                 "-2, received: %s" % (what, what, dt))
        if vocab_size is not None and vocab_size <= 0:
            raise ValueError("`vocab_size` should be > 0, received: %s" % vocab_size)
        self._filename_arg = filename
        self._filename = filename
        self._key_index = key_index
        self._value_index = value_index
        self._vocab_size = vocab_size
        self._delimiter = delimiter
        self._name = name
        self._offset = value_index_offset
        super().__init__(key_dtype, value_dtype)

    def initialize(self, table):
        check_table_dtypes(table, self.key_dtype, self.value_dtype)
        with graph_lib.name_scope(self._name, "text_file_init",
                                  [table.resource_handle]) as scope:
            filename = _convert(self._filename, dtypes.string, "asset_filepath")
            attrs = {"key_index": int(self._key_index), "value_index": int(self._value_index),
                     "vocab_size": -1 if self._vocab_size is None else int(self._vocab_size),
                     "delimiter": self._delimiter, "offset": int(self._offset)}
            init_op = _create("InitializeTableFromTextFileV2", [table.resource_handle,
                                                                filename], attrs, scope)
        graph_lib.add_to_collection(graph_lib.GraphKeys.TABLE_INITIALIZERS, init_op)
        if filename.op.type == "Const":
            graph_lib.add_to_collection(graph_lib.GraphKeys.ASSET_FILEPATHS, filename)
        return init_op

    @property
    def _shared_name(self):
        parts = [self._filename_arg]
        if self._vocab_size:
            parts.append("%d" % self._vocab_size)
        parts += [self._key_index, self._value_index]
        if self._offset:
            parts.append(self._offset)
        return "hash_table_" + "_".join(str(p) for p in parts)


class TextFileStringTableInitializer(TextFileInitializer):
    """int64 line numbers -> string lines of a vocabulary file (by default)."""

    def __init__(self, filename, key_column_index=TextFileIndex.LINE_NUMBER,
                 value_column_index=TextFileIndex.WHOLE_LINE, vocab_size=None,
                 delimiter="\t", name="text_file_string_table_init"):
        super().__init__(filename, dtypes.int64, key_column_index, dtypes.string,
                         value_column_index, vocab_size=vocab_size, delimiter=delimiter,
                         name=name)


class TextFileIdTableInitializer(TextFileInitializer):
    """string lines -> int64 line numbers of a vocabulary file (by default)."""

    def __init__(self, filename, key_column_index=TextFileIndex.WHOLE_LINE,
                 value_column_index=TextFileIndex.LINE_NUMBER, vocab_size=None,
                 delimiter="\t", name="text_file_id_table_init", key_dtype=dtypes.string):
        super().__init__(filename, key_dtype, key_column_index, dtypes.int64,
                         value_column_index, vocab_size=vocab_size, delimiter=delimiter,
                         name=name)


from tensorflux.ops.lookup_vocab import (  # noqa: E402 - they build on the classes above
    FastHashSpec,
    HasherSpec,
    IdTableWithHashBuckets,
    StaticVocabularyTable,
    StrongHashSpec,
    index_table_from_file,
    index_table_from_tensor,
    index_to_string_table_from_file,
    index_to_string_table_from_tensor,
)

__all__ = [
    "DenseHashTable", "FastHashSpec", "HashTable", "HasherSpec", "IdTableWithHashBuckets",
    "InitializableLookupTableBase", "KeyValueTensorInitializer", "LookupInterface",
    "MutableHashTable", "StaticHashTable", "StaticVocabularyTable", "StrongHashSpec",
    "TableInitializerBase", "TextFileIdTableInitializer", "TextFileIndex",
    "TextFileInitializer", "TextFileStringTableInitializer", "check_table_dtypes",
    "index_table_from_file", "index_table_from_tensor", "index_to_string_table_from_file",
    "index_to_string_table_from_tensor",
]
