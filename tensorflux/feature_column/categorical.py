"""The categorical feature columns of TF 1.x: ids from an in-memory or file vocabulary, from
integer values, from string hashes, from hashed feature crosses, and ids weighted by another
feature. Each gives a SparseTensor of ids (`_get_sparse_tensors`).

Example:
    >>> color = tf.feature_column.categorical_column_with_vocabulary_list("color", ["R", "G"])
"""

import collections
import os

import numpy as np

from tensorflux.feature_column import sparse_utils
from tensorflux.feature_column.columns import (
    _assert_key_is_string,
    _assert_string_or_int,
    _CategoricalColumn,
    _FeatureColumn,
)
from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import (
    array_ops,
    debug_ops,
    fill_ops,
    hash_ops,
    manip_ops,
    math_ops,
    parsing_config,
    string_ops,
)
from tensorflux.ops.sparse_tensor import SparseTensor, is_sparse


# --- categorical ------------------------------------------------------------------------------
def _sparse_values_cast(sp, dtype):
    return SparseTensor(sp.indices, math_ops.cast(sp.values, dtype), sp.dense_shape)


class _VocabularyListCategoricalColumn(_CategoricalColumn, collections.namedtuple(
        "_VocabularyListCategoricalColumn",
        ["key", "vocabulary_list", "dtype", "default_value", "num_oov_buckets"])):
    """Ids from the position of each value in an in-memory vocabulary."""

    @property
    def name(self):
        return self.key

    @property
    def _parse_example_spec(self):
        return {self.key: parsing_config.VarLenFeature(self.dtype)}

    def _transform_feature(self, inputs):
        input_tensor = sparse_utils.to_sparse_input_and_drop_ignore_values(inputs.get(self.key))
        if self.dtype.is_integer != input_tensor.dtype.is_integer:
            raise ValueError("Column dtype and SparseTensors dtype must be compatible. key: {}, "
                             "column dtype: {}, tensor dtype: {}"
                             .format(self.key, self.dtype, input_tensor.dtype))
        _assert_string_or_int(input_tensor.dtype,
                              prefix="column_name: {} input_tensor".format(self.key))
        if input_tensor.dtype.is_integer:
            input_tensor = _sparse_values_cast(input_tensor, dtypes.int64)
        ids = sparse_utils.lookup_ids(
            input_tensor.values, self.vocabulary_list, default_value=self.default_value,
            num_oov_buckets=self.num_oov_buckets, name="{}_lookup".format(self.key))
        return SparseTensor(input_tensor.indices, ids, input_tensor.dense_shape)

    @property
    def _num_buckets(self):
        return len(self.vocabulary_list) + self.num_oov_buckets

    def _get_sparse_tensors(self, inputs, weight_collections=None, trainable=None):
        return _CategoricalColumn.IdWeightPair(inputs.get(self), None)


def categorical_column_with_vocabulary_list(key, vocabulary_list, dtype=None, default_value=-1,
                                            num_oov_buckets=0):
    """A categorical column whose id is a value's index in `vocabulary_list`; unknown values
    get `default_value` (-1: dropped) or one of `num_oov_buckets` hash buckets after it.

    Example:
        >>> colors = tf.feature_column.categorical_column_with_vocabulary_list(
        ...     "color", ["R", "G", "B"], num_oov_buckets=2)
    """
    if vocabulary_list is None or len(vocabulary_list) < 1:
        raise ValueError("vocabulary_list {} must be non-empty, column_name: {}"
                         .format(vocabulary_list, key))
    if len(set(vocabulary_list)) != len(vocabulary_list):
        raise ValueError("Duplicate keys in vocabulary_list {}, column_name: {}"
                         .format(vocabulary_list, key))
    kind = np.array(vocabulary_list).dtype
    vocabulary_dtype = dtypes.string if kind.kind in "USO" else dtypes.as_dtype(kind)
    if num_oov_buckets:
        if default_value != -1:
            raise ValueError("Can't specify both num_oov_buckets and default_value in {}."
                             .format(key))
        if num_oov_buckets < 0:
            raise ValueError("Invalid num_oov_buckets {} in {}.".format(num_oov_buckets, key))
    _assert_string_or_int(vocabulary_dtype, prefix="column_name: {} vocabulary".format(key))
    if dtype is None:
        dtype = vocabulary_dtype
    else:
        dtype = dtypes.as_dtype(dtype)
        if dtype.is_integer != vocabulary_dtype.is_integer:
            raise ValueError("dtype {} and vocabulary dtype {} do not match, column_name: {}"
                             .format(dtype, vocabulary_dtype, key))
    _assert_string_or_int(dtype, prefix="column_name: {}".format(key))
    _assert_key_is_string(key)
    return _VocabularyListCategoricalColumn(
        key=key, vocabulary_list=tuple(vocabulary_list), dtype=dtype,
        default_value=default_value, num_oov_buckets=num_oov_buckets)


class _IdentityCategoricalColumn(_CategoricalColumn, collections.namedtuple(
        "_IdentityCategoricalColumn", ["key", "num_buckets", "default_value"])):
    """Integer features used as ids directly."""

    @property
    def name(self):
        return self.key

    @property
    def _parse_example_spec(self):
        return {self.key: parsing_config.VarLenFeature(dtypes.int64)}

    def _transform_feature(self, inputs):
        input_tensor = sparse_utils.to_sparse_input_and_drop_ignore_values(inputs.get(self.key))
        if not input_tensor.dtype.is_integer:
            raise ValueError("Invalid input, not integer. key: {} dtype: {}"
                             .format(self.key, input_tensor.dtype))
        values = math_ops.cast(input_tensor.values, dtypes.int64, name="values")
        num_buckets = math_ops.cast(self.num_buckets, dtypes.int64, name="num_buckets")
        zero = math_ops.cast(0, dtypes.int64, name="zero")
        if self.default_value is None:
            assert_less = debug_ops.assert_less(
                values, num_buckets, data=(values, num_buckets),
                name="assert_less_than_num_buckets")
            assert_greater = debug_ops.assert_greater_equal(
                values, zero, data=(values,), name="assert_greater_or_equal_0")
            with graph_lib.control_dependencies((assert_less, assert_greater)):
                values = array_ops.identity(values)
        else:
            out_of_range = math_ops.logical_or(math_ops.less(values, zero),
                                               math_ops.greater_equal(values, num_buckets))
            defaults = fill_ops.fill(array_ops.shape(values),
                                     math_ops.cast(self.default_value, dtypes.int64),
                                     name="default_values")
            values = manip_ops.where(out_of_range, defaults, values)
        return SparseTensor(input_tensor.indices, values, input_tensor.dense_shape)

    @property
    def _num_buckets(self):
        return self.num_buckets

    def _get_sparse_tensors(self, inputs, weight_collections=None, trainable=None):
        return _CategoricalColumn.IdWeightPair(inputs.get(self), None)


def categorical_column_with_identity(key, num_buckets, default_value=None):
    """A categorical column whose integer values are their own ids, in `[0, num_buckets)`.

    Example:
        >>> video_id = tf.feature_column.categorical_column_with_identity("video_id", 1000)
    """
    if num_buckets < 1:
        raise ValueError("num_buckets {} < 1, column_name {}".format(num_buckets, key))
    if default_value is not None and (default_value < 0 or default_value >= num_buckets):
        raise ValueError("default_value {} not in range [0, {}), column_name {}"
                         .format(default_value, num_buckets, key))
    _assert_key_is_string(key)
    return _IdentityCategoricalColumn(key=key, num_buckets=num_buckets,
                                      default_value=default_value)


class _HashedCategoricalColumn(_CategoricalColumn, collections.namedtuple(
        "_HashedCategoricalColumn", ["key", "hash_bucket_size", "dtype"])):
    """Ids from FarmHash Fingerprint64 of the value, modulo the bucket count."""

    @property
    def name(self):
        return self.key

    @property
    def _parse_example_spec(self):
        return {self.key: parsing_config.VarLenFeature(self.dtype)}

    def _transform_feature(self, inputs):
        input_tensor = sparse_utils.to_sparse_input_and_drop_ignore_values(inputs.get(self.key))
        _assert_string_or_int(input_tensor.dtype,
                              prefix="column_name: {} input_tensor".format(self.key))
        if self.dtype.is_integer != input_tensor.dtype.is_integer:
            raise ValueError("Column dtype and SparseTensors dtype must be compatible. key: {}, "
                             "column dtype: {}, tensor dtype: {}"
                             .format(self.key, self.dtype, input_tensor.dtype))
        if self.dtype == dtypes.string:
            values = input_tensor.values
        else:
            values = string_ops.as_string(input_tensor.values)
        ids = hash_ops.string_to_hash_bucket_fast(values, self.hash_bucket_size,
                                                      name="lookup")
        return SparseTensor(input_tensor.indices, ids, input_tensor.dense_shape)

    @property
    def _num_buckets(self):
        return self.hash_bucket_size

    def _get_sparse_tensors(self, inputs, weight_collections=None, trainable=None):
        return _CategoricalColumn.IdWeightPair(inputs.get(self), None)


def categorical_column_with_hash_bucket(key, hash_bucket_size, dtype=dtypes.string):
    """A categorical column whose id is `Fingerprint64(value) % hash_bucket_size` (integer
    values are hashed as their decimal strings).

    Example:
        >>> keywords = tf.feature_column.categorical_column_with_hash_bucket("keywords", 10000)
    """
    if hash_bucket_size is None:
        raise ValueError("hash_bucket_size must be set. key: {}".format(key))
    if hash_bucket_size < 1:
        raise ValueError("hash_bucket_size must be at least 1. hash_bucket_size: {}, key: {}"
                         .format(hash_bucket_size, key))
    _assert_key_is_string(key)
    dtype = dtypes.as_dtype(dtype)
    _assert_string_or_int(dtype, prefix="column_name: {}".format(key))
    return _HashedCategoricalColumn(key, hash_bucket_size, dtype)


# --- crossed -----------------------------------------------------------------------------------
def _collect_leaf_level_keys(cross):
    leaf_level_keys = []
    for k in cross.keys:
        if isinstance(k, _CrossedColumn):
            leaf_level_keys.extend(_collect_leaf_level_keys(k))
        else:
            leaf_level_keys.append(k)
    return leaf_level_keys


class _CrossedColumn(_CategoricalColumn, collections.namedtuple(
        "_CrossedColumn", ["keys", "hash_bucket_size", "hash_key"])):
    """Hashed combinations of several categorical features."""

    @property
    def name(self):
        names = [k.name if isinstance(k, _FeatureColumn) else k
                 for k in _collect_leaf_level_keys(self)]
        return "_X_".join(sorted(names))

    @property
    def _parse_example_spec(self):
        config = {}
        for key in self.keys:
            if isinstance(key, _FeatureColumn):
                config.update(key._parse_example_spec)
            else:
                config[key] = parsing_config.VarLenFeature(dtypes.string)
        return config

    def _transform_feature(self, inputs):
        feature_tensors = []
        for key in _collect_leaf_level_keys(self):
            if isinstance(key, str):
                feature_tensors.append(inputs.get(key))
            else:
                pair = key._get_sparse_tensors(inputs)
                if pair.weight_tensor is not None:
                    raise ValueError("crossed_column does not support weight_tensor, but the "
                                     "given column populates weight_tensor. Given column: {}"
                                     .format(key.name))
                feature_tensors.append(pair.id_tensor)
        return sparse_utils.sparse_cross_hashed(feature_tensors,
                                                num_buckets=self.hash_bucket_size,
                                                hash_key=self.hash_key)

    @property
    def _num_buckets(self):
        return self.hash_bucket_size

    def _get_sparse_tensors(self, inputs, weight_collections=None, trainable=None):
        return _CategoricalColumn.IdWeightPair(inputs.get(self), None)


def crossed_column(keys, hash_bucket_size, hash_key=None):
    """A categorical column of hashed feature crosses: each combination of the keys' values
    (raw string features by name, or categorical columns) maps to one of
    `hash_bucket_size` ids.

    Example:
        >>> tf.feature_column.crossed_column(["education", "occupation"], 1000)
    """
    if not hash_bucket_size or hash_bucket_size < 1:
        raise ValueError("hash_bucket_size must be > 1. hash_bucket_size: {}"
                         .format(hash_bucket_size))
    if not keys or len(keys) < 2:
        raise ValueError("keys must be a list with length > 1. Given: {}".format(keys))
    for key in keys:
        if not isinstance(key, (str, _CategoricalColumn)):
            raise ValueError("Unsupported key type. All keys must be either string, or "
                             "categorical column except _HashedCategoricalColumn. Given: {}"
                             .format(key))
        if isinstance(key, _HashedCategoricalColumn):
            raise ValueError("categorical_column_with_hash_bucket is not supported for "
                             "crossing. Hashing before crossing will increase probability of "
                             "collision. Instead, use the feature name as a string. Given: {}"
                             .format(key))
    return _CrossedColumn(keys=tuple(keys), hash_bucket_size=hash_bucket_size,
                          hash_key=hash_key)


# --- weighted and file vocabularies -------------------------------------------------------------
class _WeightedCategoricalColumn(_CategoricalColumn, collections.namedtuple(
        "_WeightedCategoricalColumn", ["categorical_column", "weight_feature_key", "dtype"])):
    """A categorical column whose ids carry the weights of another feature."""

    @property
    def name(self):
        return "{}_weighted_by_{}".format(self.categorical_column.name, self.weight_feature_key)

    @property
    def _parse_example_spec(self):
        config = dict(self.categorical_column._parse_example_spec)
        if self.weight_feature_key in config:
            raise ValueError("Parse config {} already exists for {}.".format(
                config[self.weight_feature_key], self.weight_feature_key))
        config[self.weight_feature_key] = parsing_config.VarLenFeature(self.dtype)
        return config

    @property
    def _num_buckets(self):
        return self.categorical_column._num_buckets

    def _transform_feature(self, inputs):
        weight_tensor = inputs.get(self.weight_feature_key)
        if self.dtype != weight_tensor.dtype.base_dtype:
            raise ValueError("Bad dtype, expected {}, but got {}.".format(
                self.dtype, weight_tensor.dtype))
        if not is_sparse(weight_tensor):
            weight_tensor = sparse_utils.to_sparse_input_and_drop_ignore_values(
                weight_tensor, ignore_value=0.0)
        if not weight_tensor.dtype.is_floating:
            weight_tensor = _sparse_values_cast(weight_tensor, dtypes.float32)
        return (inputs.get(self.categorical_column), weight_tensor)

    def _get_sparse_tensors(self, inputs, weight_collections=None, trainable=None):
        ids, weights = inputs.get(self)
        return _CategoricalColumn.IdWeightPair(ids, weights)


def weighted_categorical_column(categorical_column, weight_feature_key, dtype=dtypes.float32):
    """A categorical column whose ids are weighted by the values of `weight_feature_key`
    (same indices as the ids), e.g. term frequencies.

    Example:
        >>> words = tf.feature_column.weighted_categorical_column(word_ids, "frequencies")
    """
    dtype = None if dtype is None else dtypes.as_dtype(dtype)
    if dtype is None or not (dtype.is_integer or dtype.is_floating):
        raise ValueError("dtype {} is not convertible to float.".format(dtype))
    return _WeightedCategoricalColumn(categorical_column=categorical_column,
                                      weight_feature_key=weight_feature_key, dtype=dtype)


class _VocabularyFileCategoricalColumn(_CategoricalColumn, collections.namedtuple(
        "_VocabularyFileCategoricalColumn", ["key", "vocabulary_file", "vocabulary_size",
                                             "num_oov_buckets", "dtype", "default_value"])):
    """Ids from the line number of each value in a vocabulary file (read when the graph is
    built)."""

    @property
    def name(self):
        return self.key

    @property
    def _parse_example_spec(self):
        return {self.key: parsing_config.VarLenFeature(self.dtype)}

    def _vocabulary(self):
        with open(self.vocabulary_file, encoding="utf-8") as f:
            lines = [line.rstrip("\n") for line in f][:self.vocabulary_size]
        if len(lines) < self.vocabulary_size:
            raise ValueError("Invalid vocab_size {} for file {}: it has {} lines.".format(
                self.vocabulary_size, self.vocabulary_file, len(lines)))
        return [int(x) for x in lines] if self.dtype.is_integer else lines

    def _transform_feature(self, inputs):
        input_tensor = sparse_utils.to_sparse_input_and_drop_ignore_values(inputs.get(self.key))
        if self.dtype.is_integer != input_tensor.dtype.is_integer:
            raise ValueError("Column dtype and SparseTensors dtype must be compatible. key: {}, "
                             "column dtype: {}, tensor dtype: {}"
                             .format(self.key, self.dtype, input_tensor.dtype))
        _assert_string_or_int(input_tensor.dtype,
                              prefix="column_name: {} input_tensor".format(self.key))
        if input_tensor.dtype.is_integer:
            input_tensor = _sparse_values_cast(input_tensor, dtypes.int64)
        ids = sparse_utils.lookup_ids(
            input_tensor.values, self._vocabulary(), default_value=self.default_value,
            num_oov_buckets=self.num_oov_buckets, name="{}_lookup".format(self.key))
        return SparseTensor(input_tensor.indices, ids, input_tensor.dense_shape)

    @property
    def _num_buckets(self):
        return self.vocabulary_size + self.num_oov_buckets

    def _get_sparse_tensors(self, inputs, weight_collections=None, trainable=None):
        return _CategoricalColumn.IdWeightPair(inputs.get(self), None)


def categorical_column_with_vocabulary_file(key, vocabulary_file, vocabulary_size=None,
                                            num_oov_buckets=0, default_value=None,
                                            dtype=dtypes.string):
    """A categorical column whose id is a value's line number in `vocabulary_file` (one
    value per line; the first `vocabulary_size` lines).

    Example:
        >>> states = tf.feature_column.categorical_column_with_vocabulary_file(
        ...     "states", "/us/states.txt", vocabulary_size=50, num_oov_buckets=5)
    """
    if not vocabulary_file:
        raise ValueError("Missing vocabulary_file in {}.".format(key))
    if vocabulary_size is None:
        if not os.path.exists(vocabulary_file):
            raise ValueError("vocabulary_file in {} does not exist.".format(key))
        with open(vocabulary_file, encoding="utf-8") as f:
            vocabulary_size = sum(1 for _ in f)
    if vocabulary_size < 1:
        raise ValueError("Invalid vocabulary_size in {}.".format(key))
    if num_oov_buckets:
        if default_value is not None:
            raise ValueError("Can't specify both num_oov_buckets and default_value in {}."
                             .format(key))
        if num_oov_buckets < 0:
            raise ValueError("Invalid num_oov_buckets {} in {}.".format(num_oov_buckets, key))
    dtype = dtypes.as_dtype(dtype)
    _assert_string_or_int(dtype, prefix="column_name: {}".format(key))
    _assert_key_is_string(key)
    return _VocabularyFileCategoricalColumn(
        key=key, vocabulary_file=vocabulary_file, vocabulary_size=vocabulary_size,
        num_oov_buckets=0 if num_oov_buckets is None else num_oov_buckets,
        default_value=-1 if default_value is None else default_value, dtype=dtype)
