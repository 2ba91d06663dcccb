"""Vocabulary tables: string -> id tables with out-of-vocabulary hash buckets, and their builders.

`IdTableWithHashBuckets` / `StaticVocabularyTable` look a key up in a static table and send the
keys it does not hold to `hash(key) % num_oov_buckets + table_size` (FarmHash Fingerprint64 by
default, as TF, so ids match TF's). The `index_table_from_*` and `index_to_string_table_from_*`
functions build the usual vocabulary tables from a tensor or a vocabulary file.

    >>> table = tf.contrib.lookup.index_table_from_tensor(["a", "b"], num_oov_buckets=1)
    >>> table.lookup(tf.constant(["a", "c"]))   # [0, 2]
"""

import collections
import functools

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import (
    array_ops,
    constant_op,
    control_flow_ops,
    fill_ops,
    hash_ops,
    manip_ops,
    math_ops,
    string_ops,
)
from tensorflux.ops.lookup_ops import (
    KeyValueTensorInitializer,
    LookupInterface,
    StaticHashTable,
    TextFileIdTableInitializer,
    TextFileIndex,
    TextFileStringTableInitializer,
)
from tensorflux.ops.sparse_tensor import SparseTensor


class HasherSpec(collections.namedtuple("HasherSpec", ["hasher", "key"])):
    """Which hash sends out-of-vocabulary keys to buckets: "fasthash", "legacy" or
    "stronghash" (with a two-integer key)."""

    __slots__ = ()


FastHashSpec = HasherSpec("fasthash", None)


class StrongHashSpec(HasherSpec):
    """The keyed SipHash-2-4 hasher; `key` is two unsigned integers."""

    __slots__ = ()

    def __new__(cls, key):
        if len(key) != 2:
            raise ValueError("`key` must have size 2, received %d" % len(key))
        if not isinstance(key[0], int) or not isinstance(key[1], int):
            raise TypeError("Invalid key %s. Must be unsigned integer values." % (key,))
        return super().__new__(cls, "stronghash", key)


def _as_string(tensor):
    if tensor.dtype.base_dtype == dtypes.string:
        return tensor
    return string_ops.as_string(tensor)


def _hash_fn(hasher_spec):
    if not isinstance(hasher_spec, HasherSpec):
        raise TypeError("`hasher_spec` must be of type HasherSpec, got %s." % type(hasher_spec))
    if hasher_spec.hasher == "fasthash":
        return hash_ops.string_to_hash_bucket_fast
    if hasher_spec.hasher == "legacy":
        return hash_ops.string_to_hash_bucket
    if hasher_spec.hasher == "stronghash":
        return functools.partial(hash_ops.string_to_hash_bucket_strong, key=hasher_spec.key)
    raise ValueError("Found unknown hasher %s in `hasher_spec`" % hasher_spec.hasher)


class IdTableWithHashBuckets(LookupInterface):
    """A string/integer -> int64 id table whose missing keys go to `num_oov_buckets` hash
    buckets after the table's ids (a table of None: hash buckets only).

    Example:
        >>> table = tf.contrib.lookup.IdTableWithHashBuckets(
        ...     tf.contrib.lookup.HashTable(tf.contrib.lookup.TextFileIdTableInitializer(
        ...         "vocab.txt"), -1), num_oov_buckets=2)
    """

    def __init__(self, table, num_oov_buckets, hasher_spec=FastHashSpec, name=None,
                 key_dtype=None):
        if name:
            name = name.rstrip("/")
        if table:
            key_dtype = table.key_dtype if key_dtype is None else dtypes.as_dtype(key_dtype)
            supported = (dtypes.int64, dtypes.string)
            if table.key_dtype not in supported:
                raise TypeError("Invalid `key_dtype`, expected one of %s, received %s."
                                % (supported, key_dtype))
            if table.key_dtype.is_integer != key_dtype.is_integer:
                raise TypeError("Invalid `key dtype`, expected %s but got %s."
                                % ("integer" if key_dtype.is_integer else "non-integer",
                                   table.key_dtype))
            if table.value_dtype != dtypes.int64:
                raise TypeError("Invalid `value_dtype`: expected int64 but got %s."
                                % table.value_dtype)
            self._table = table
            name = name or table.name
        else:
            if num_oov_buckets <= 0:
                raise ValueError("`oov_buckets` must be > 0 if no `table` is supplied.")
            key_dtype = dtypes.string if key_dtype is None else dtypes.as_dtype(key_dtype)
            self._table = None
            name = name or "hash_bucket"
        if not key_dtype.is_integer and key_dtype != dtypes.string:
            raise TypeError("Invalid `key_dtype`, expected integer or string, got %s."
                            % key_dtype)
        self._num_oov_buckets = num_oov_buckets
        if not isinstance(hasher_spec, HasherSpec):
            raise TypeError("`hasher_spec` must be of type HasherSpec, got %s."
                            % type(hasher_spec))
        self._hasher_spec = hasher_spec
        self._table_name = name.split("/")[-1] if name else None
        super().__init__(key_dtype, dtypes.int64)

    @property
    def resource_handle(self):
        return self._table.resource_handle if self._table is not None else None

    @property
    def initializer(self):
        if self._table is not None:
            return self._table.initializer
        with graph_lib.name_scope(None, "init"):
            return control_flow_ops.no_op()

    init = initializer

    def size(self, name=None):
        """Table entries plus OOV buckets (an int64 scalar)."""
        with graph_lib.name_scope(name, "%s_Size" % self.name):
            if self._table:
                tsize = self._table.size()
            else:
                tsize = constant_op.convert_to_tensor(0, dtype=dtypes.int64)
            return tsize + self._num_oov_buckets

    def _hash(self):
        return _hash_fn(self._hasher_spec)

    def lookup(self, keys, name=None):
        """The ids of `keys` (a Tensor or SparseTensor), OOV keys in the hash buckets."""
        _check(keys, self._key_dtype)
        values = keys.values if isinstance(keys, SparseTensor) else keys
        if self._table and self._table.key_dtype.base_dtype == dtypes.int64:
            values = math_ops.cast(values, dtypes.int64)
        if self._num_oov_buckets == 0:
            ids = self._table.lookup(values, name=name)
        else:
            with graph_lib.name_scope(name, "%s_Lookup" % self.name):
                buckets = self._hash()(_as_string(values), num_buckets=self._num_oov_buckets,
                                       name="hash_bucket")
                if self._table:
                    ids = self._table.lookup(values)
                    buckets = math_ops.add(buckets, self._table.size())
                    is_id_non_default = math_ops.not_equal(ids, self._table.default_value)
                    ids = manip_ops.where_v2(is_id_non_default, ids, buckets)
                else:
                    ids = buckets
        if isinstance(keys, SparseTensor):
            return SparseTensor(keys.indices, ids, keys.dense_shape)
        return ids


def _check(keys, key_dtype):
    if keys.dtype.base_dtype != key_dtype:
        raise TypeError("Dtype of argument `keys` must be %s, received: %s"
                        % (key_dtype, keys.dtype))


class StaticVocabularyTable(IdTableWithHashBuckets):
    """`tf.lookup.StaticVocabularyTable`: ids from an initializer's table, OOV keys hashed
    (FarmHash) into `num_oov_buckets` buckets after them.

    Example:
        >>> init = tf.lookup.KeyValueTensorInitializer(["a", "b"], [0, 1], value_dtype=tf.int64)
        >>> table = tf.lookup.StaticVocabularyTable(init, num_oov_buckets=3)
    """

    def __init__(self, initializer, num_oov_buckets, lookup_key_dtype=None, name=None,
                 experimental_is_anonymous=False):
        if num_oov_buckets <= 0:
            raise ValueError("`num_oov_buckets` must be > 0; use StaticHashTable.")
        table = None
        if initializer:
            key_dtype = initializer.key_dtype
            if lookup_key_dtype is not None and (dtypes.as_dtype(lookup_key_dtype).is_integer
                                                 != key_dtype.is_integer):
                raise TypeError("Invalid `key_dtype`, expected %s but got %s."
                                % ("integer" if dtypes.as_dtype(lookup_key_dtype).is_integer
                                   else "non-integer", key_dtype))
            if initializer.value_dtype != dtypes.int64:
                raise TypeError("Invalid `value_dtype`, expected %s but got %s."
                                % (dtypes.int64, initializer.value_dtype))
            table = StaticHashTable(initializer, default_value=-1)
        super().__init__(table, num_oov_buckets, name=name, key_dtype=lookup_key_dtype)

    def _hash(self):
        return hash_ops.string_to_hash_bucket_fast


def _check_file(vocabulary_file):
    if vocabulary_file is None or (isinstance(vocabulary_file, str) and not vocabulary_file):
        raise ValueError("`vocabulary_file` must be specified and must not be empty.")


def index_table_from_file(vocabulary_file=None, num_oov_buckets=0, vocab_size=None,
                          default_value=-1, hasher_spec=FastHashSpec, key_dtype=dtypes.string,
                          name=None, key_column_index=TextFileIndex.WHOLE_LINE,
                          value_column_index=TextFileIndex.LINE_NUMBER, delimiter="\t"):
    """A table mapping each line of `vocabulary_file` to its line number (an int64 id); keys
    not in the file get `default_value`, or one of `num_oov_buckets` hash buckets.

    Example:
        >>> table = tf.contrib.lookup.index_table_from_file("vocab.txt", num_oov_buckets=1)
        >>> ids = table.lookup(tf.constant(["emerson", "lake", "palmer"]))
    """
    _check_file(vocabulary_file)
    key_dtype = dtypes.as_dtype(key_dtype)
    if num_oov_buckets < 0:
        raise ValueError("num_oov_buckets must be greater or equal than 0, got %d."
                         % num_oov_buckets)
    if vocab_size is not None and vocab_size < 1:
        value = vocabulary_file
        if isinstance(vocabulary_file, Tensor):
            value = constant_op.constant_value(vocabulary_file) or "?"
        raise ValueError("`vocab_size` must be greater than 0, got %d for vocabulary_file: %s."
                         % (vocab_size, value))
    if not key_dtype.is_integer and key_dtype.base_dtype != dtypes.string:
        raise TypeError("Dtype for `keys` should be either integer or string.")
    with graph_lib.name_scope(name, "string_to_index"):
        with graph_lib.name_scope(None, "hash_table"):
            init = TextFileIdTableInitializer(
                vocabulary_file, vocab_size=vocab_size,
                key_dtype=dtypes.int64 if key_dtype.is_integer else key_dtype,
                name="table_init", key_column_index=key_column_index,
                value_column_index=value_column_index, delimiter=delimiter)
            table = StaticHashTable(init, default_value)
        if num_oov_buckets:
            table = IdTableWithHashBuckets(table, num_oov_buckets=num_oov_buckets,
                                           hasher_spec=hasher_spec, key_dtype=key_dtype)
        return table


def index_table_from_tensor(vocabulary_list=None, num_oov_buckets=0, default_value=-1,
                            hasher_spec=FastHashSpec, dtype=dtypes.string, name=None,
                            mapping=None):
    """A table mapping each element of the 1-D `vocabulary_list` (contrib: `mapping`) to its
    position; other keys get `default_value`, or one of `num_oov_buckets` hash buckets.

    Example:
        >>> table = tf.contrib.lookup.index_table_from_tensor(
        ...     mapping=tf.constant(["a", "b"]), num_oov_buckets=1, default_value=-1)
    """
    if vocabulary_list is None:
        vocabulary_list = mapping
    if vocabulary_list is None:
        raise ValueError("`vocabulary_list` must be specified.")
    dtype = dtypes.as_dtype(dtype)
    if num_oov_buckets < 0:
        raise ValueError("`num_oov_buckets` must be greater or equal than 0, got %d."
                         % num_oov_buckets)
    if not dtype.is_integer and dtype.base_dtype != dtypes.string:
        raise TypeError("`dtype` must either be integer or string.")
    with graph_lib.name_scope(name, "string_to_index"):
        keys = constant_op.convert_to_tensor(vocabulary_list)
        if keys.dtype.is_integer != dtype.is_integer:
            raise ValueError("Invalid `dtype`: Expected %s, got %s."
                             % ("integer" if dtype.is_integer else "non-integer", keys.dtype))
        if not dtype.is_integer and keys.dtype.base_dtype != dtype:
            raise ValueError("Invalid `dtype`: Expected %s, got %s." % (dtype, keys.dtype))
        num_elements = array_ops.size(keys)
        values = math_ops.cast(fill_ops.range(num_elements), dtypes.int64)
        with graph_lib.name_scope(None, "hash_table"):
            table_keys = math_ops.cast(keys, dtypes.int64) if keys.dtype.is_integer else keys
            init = KeyValueTensorInitializer(table_keys, values, table_keys.dtype.base_dtype,
                                             dtypes.int64, name="table_init")
            table = StaticHashTable(init, default_value)
        if num_oov_buckets:
            table = IdTableWithHashBuckets(table, num_oov_buckets=num_oov_buckets,
                                           hasher_spec=hasher_spec, key_dtype=dtype)
        return table


def index_to_string_table_from_file(vocabulary_file, vocab_size=None, default_value="UNK",
                                    name=None, key_column_index=TextFileIndex.LINE_NUMBER,
                                    value_column_index=TextFileIndex.WHOLE_LINE, delimiter="\t"):
    """A table mapping int64 ids (line numbers) to the lines of `vocabulary_file`.

    Example:
        >>> table = tf.contrib.lookup.index_to_string_table_from_file("vocab.txt")
        >>> words = table.lookup(tf.constant([0, 7], tf.int64))   # [b"...", b"UNK"]
    """
    _check_file(vocabulary_file)
    if vocab_size is not None and vocab_size < 1:
        raise ValueError("`vocab_size` must be greater than 0, got %s." % vocab_size)
    with graph_lib.name_scope(name, "index_to_string"):
        init = TextFileStringTableInitializer(
            vocabulary_file, vocab_size=vocab_size, name="table_init",
            key_column_index=key_column_index, value_column_index=value_column_index,
            delimiter=delimiter)
        return StaticHashTable(init, default_value)


def index_to_string_table_from_tensor(vocabulary_list=None, default_value="UNK", name=None,
                                      mapping=None):
    """A table mapping int64 ids to the strings of `vocabulary_list` (contrib: `mapping`).

    Example:
        >>> table = tf.contrib.lookup.index_to_string_table_from_tensor(["a", "b"])
        >>> table.lookup(tf.constant([1, 5], tf.int64))   # [b"b", b"UNK"]
    """
    if vocabulary_list is None:
        vocabulary_list = mapping
    if vocabulary_list is None:
        raise ValueError("`vocabulary_list` argument must be specified.")
    with graph_lib.name_scope(name, "index_to_string"):
        vocabulary_list = constant_op.convert_to_tensor(vocabulary_list, dtypes.string)
        num_elements = array_ops.size(vocabulary_list)
        keys = math_ops.cast(fill_ops.range(num_elements), dtypes.int64)
        init = KeyValueTensorInitializer(keys, vocabulary_list, dtypes.int64, dtypes.string,
                                         name="table_init")
        return StaticHashTable(init, default_value)


def string_to_index(tensor, mapping, default_value=-1, name=None):
    """Maps strings to their int64 position in `mapping` (tf.contrib.lookup's one-shot helper).

    Example:
        >>> ids = tf.contrib.lookup.string_to_index(tf.constant(["b", "x"]), ["a", "b"])  # [1, -1]
    """
    table = index_table_from_tensor(mapping=mapping, default_value=default_value, name=name)
    return table.lookup(tensor)


def index_to_string(tensor, mapping, default_value="UNK", name=None):
    """Maps int64 ids to the strings of `mapping` (tf.contrib.lookup's one-shot helper)."""
    table = index_to_string_table_from_tensor(mapping=mapping, default_value=default_value,
                                              name=name)
    return table.lookup(tensor)
