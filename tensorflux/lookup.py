"""`tf.lookup`: TF 1.15's lookup-table namespace (ops/lookup_ops.py).

    >>> init = tf.lookup.KeyValueTensorInitializer(["a", "b"], [0, 1], value_dtype=tf.int64)
    >>> table = tf.lookup.StaticHashTable(init, default_value=-1)
    >>> ids = table.lookup(tf.constant(["b", "c"]))   # [1, -1] after tf.tables_initializer()

`tf.lookup.experimental` holds the mutable tables (`MutableHashTable`, `DenseHashTable`).
"""

import types

from tensorflux.ops.lookup_ops import (
    DenseHashTable,
    KeyValueTensorInitializer,
    MutableHashTable,
    StaticHashTable,
    StaticVocabularyTable,
    TextFileIndex,
    TextFileInitializer,
)

experimental = types.ModuleType("tensorflux.lookup.experimental",
                                "`tf.lookup.experimental`: the mutable lookup tables.")
experimental.DenseHashTable = DenseHashTable
experimental.MutableHashTable = MutableHashTable
experimental.__all__ = ["DenseHashTable", "MutableHashTable"]

__all__ = ["KeyValueTensorInitializer", "StaticHashTable", "StaticVocabularyTable",
           "TextFileIndex", "TextFileInitializer", "experimental"]
