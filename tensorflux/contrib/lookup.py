"""`tf.contrib.lookup`: TF 1.x's lookup tables (ops/lookup_ops.py, ops/lookup_vocab.py).

    >>> table = tf.contrib.lookup.index_table_from_tensor(
    ...     mapping=tf.constant(["a", "b"]), num_oov_buckets=1, default_value=-1)
    >>> ids = table.lookup(tf.constant(["a", "z"]))   # [0, 2] after tf.tables_initializer()
"""

from tensorflux.ops.lookup_ops import DenseHashTable as MutableDenseHashTable
from tensorflux.ops.lookup_ops import (
    FastHashSpec,
    HasherSpec,
    HashTable,
    IdTableWithHashBuckets,
    InitializableLookupTableBase,
    KeyValueTensorInitializer,
    LookupInterface,
    MutableHashTable,
    StrongHashSpec,
    TableInitializerBase,
    TextFileIdTableInitializer,
    TextFileIndex,
    TextFileInitializer,
    TextFileStringTableInitializer,
    index_table_from_file,
    index_table_from_tensor,
    index_to_string_table_from_file,
    index_to_string_table_from_tensor,
)
from tensorflux.ops.lookup_vocab import index_to_string, string_to_index

__all__ = [
    "FastHashSpec", "HashTable", "HasherSpec", "IdTableWithHashBuckets",
    "InitializableLookupTableBase", "KeyValueTensorInitializer", "LookupInterface",
    "MutableDenseHashTable", "MutableHashTable", "StrongHashSpec", "TableInitializerBase",
    "TextFileIdTableInitializer", "TextFileIndex", "TextFileInitializer",
    "TextFileStringTableInitializer", "index_table_from_file", "index_table_from_tensor",
    "index_to_string", "index_to_string_table_from_file", "index_to_string_table_from_tensor",
    "string_to_index",
]
