"""The TF 1.x feature columns: how a raw feature (a dense tensor or a SparseTensor in the
`features` dict) becomes a dense model input (`_DenseColumn`) or sparse ids
(`_CategoricalColumn`), with TF's names, validation and messages. This file holds the base
classes, numeric, bucketized, indicator and embedding columns; `categorical.py` the rest.

Example:
    >>> price = tf.feature_column.numeric_column("price")
    >>> bucketized = tf.feature_column.bucketized_column(price, boundaries=[10., 100.])
"""

import collections
import math

import numpy as np

from tensorflux.feature_column import sparse_utils
from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor_shape import TensorShape
from tensorflux.ops import (
    array_ops,
    constant_op,
    fill_ops,
    gather_ops,
    init_ops,
    manip_ops,
    math_ops,
    parsing_config,
    reduction_ops,
    sparse_math_ops,
    sparse_ops,
    sparse_structure_ops,
)
from tensorflux.ops.constant_op import convert_to_tensor as convert
from tensorflux.ops.sparse_tensor import SparseTensor, convert_to_tensor_or_sparse_tensor, is_sparse
from tensorflux.variable_scope import get_variable


class _FeatureColumn:
    """A named transformation of the raw features; `_var_scope_name` names its variables."""

    @property
    def _var_scope_name(self):
        return self.name


class _DenseColumn(_FeatureColumn):
    """A column that gives a dense float tensor of `_variable_shape` per example."""


class _CategoricalColumn(_FeatureColumn):
    """A column that gives sparse integer ids in `[0, _num_buckets)` (an `IdWeightPair`)."""

    IdWeightPair = collections.namedtuple("IdWeightPair", ["id_tensor", "weight_tensor"])


class _LazyBuilder:
    """The features dict, with each column's transformation built once and cached."""

    def __init__(self, features):
        self._features = features.copy()
        self._feature_tensors = {}

    def get(self, key):
        if key in self._feature_tensors:
            return self._feature_tensors[key]
        if key in self._features:
            tensor = self._get_raw_feature_as_tensor(key)
            self._feature_tensors[key] = tensor
            return tensor
        if isinstance(key, str):
            raise ValueError("Feature {} is not in features dictionary.".format(key))
        if not isinstance(key, _FeatureColumn):
            raise TypeError('"key" must be either a "str" or "_FeatureColumn". Provided: {}'
                            .format(key))
        column = key
        transformed = column._transform_feature(self)
        if transformed is None:
            raise ValueError("Column {} is not supported.".format(column.name))
        self._feature_tensors[column] = transformed
        return transformed

    def _get_raw_feature_as_tensor(self, key):
        raw = self._features[key]
        tensor = convert_to_tensor_or_sparse_tensor(raw)
        rank = tensor.get_shape().ndims
        if rank is None:
            return tensor
        if rank == 0:
            raise ValueError("Feature (key: {}) cannot have rank 0. Given: {}".format(key, raw))
        if rank != 1:
            return tensor
        if is_sparse(tensor):
            return sparse_structure_ops.sparse_reshape(tensor, [-1, 1])
        return manip_ops.expand_dims(tensor, -1)


# --- validation helpers ------------------------------------------------------------------------
def _assert_key_is_string(key):
    if not isinstance(key, str):
        raise ValueError("key must be a string. Got: type {}. Given key: {}".format(type(key), key))


def _assert_string_or_int(dtype, prefix):
    if dtype != dtypes.string and not dtype.is_integer:
        raise ValueError("{} dtype must be string or integer. dtype: {}.".format(prefix, dtype))


def _check_shape(shape, key):
    if not isinstance(shape, collections.abc.Iterable):
        shape = [shape]
    shape = tuple(shape)
    for dimension in shape:
        if not isinstance(dimension, (int, np.integer)):
            raise TypeError("shape dimensions must be integer. shape: {}, key: {}"
                            .format(shape, key))
        if dimension < 1:
            raise ValueError("shape dimensions must be greater than 0. shape: {}, key: {}"
                             .format(shape, key))
    return shape


def _check_default_value(shape, default_value, dtype, key):
    if default_value is None:
        return None
    if isinstance(default_value, (int, float, np.integer, np.floating)):
        if dtype.is_integer and not isinstance(default_value, (int, np.integer)):
            raise ValueError("The data type of default_value does not match given dtype. "
                             "default_value: {}, dtype: {}, key: {}"
                             .format(default_value, dtype, key))
        return _nested_tuple(np.full(shape, default_value, dtype=object).tolist())
    value = np.asarray(default_value)
    if value.shape != tuple(shape):
        raise ValueError("The shape of default_value must be equal to given shape. "
                         "default_value: {}, shape: {}, key: {}"
                         .format(default_value, shape, key))
    if dtype.is_integer and not np.issubdtype(value.dtype, np.integer):
        raise ValueError("The data type of default_value does not match given dtype. "
                         "default_value: {}, dtype: {}, key: {}".format(default_value, dtype, key))
    return _nested_tuple(value.tolist())


def _nested_tuple(x):
    return tuple(_nested_tuple(v) for v in x) if isinstance(x, list) else x


# --- numeric and bucketized --------------------------------------------------------------------
class _NumericColumn(_DenseColumn, collections.namedtuple(
        "_NumericColumn", ["key", "shape", "default_value", "dtype", "normalizer_fn"])):
    """A real-valued feature of a fixed shape."""

    @property
    def name(self):
        return self.key

    @property
    def _parse_example_spec(self):
        return {self.key: parsing_config.FixedLenFeature(self.shape, self.dtype,
                                                         self.default_value)}

    def _transform_feature(self, inputs):
        input_tensor = inputs.get(self.key)
        if is_sparse(input_tensor):
            raise ValueError("The corresponding Tensor of numerical column must be a Tensor. "
                             "SparseTensor is not supported. key: {}".format(self.key))
        if self.normalizer_fn is not None:
            input_tensor = self.normalizer_fn(input_tensor)
        return math_ops.cast(input_tensor, dtypes.float32)

    @property
    def _variable_shape(self):
        return TensorShape(self.shape)

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        return inputs.get(self)


def numeric_column(key, shape=(1,), default_value=None, dtype=dtypes.float32,
                   normalizer_fn=None):
    """A real-valued column: the feature `key`, cast to float32, of per-example `shape`.

    Example:
        >>> price = tf.feature_column.numeric_column("price", normalizer_fn=lambda x: x / 100)
    """
    shape = _check_shape(shape, key)
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_integer or dtype.is_floating):
        raise ValueError("dtype must be convertible to float. dtype: {}, key: {}"
                         .format(dtype, key))
    default_value = _check_default_value(shape, default_value, dtype, key)
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError("normalizer_fn must be a callable. Given: {}".format(normalizer_fn))
    _assert_key_is_string(key)
    return _NumericColumn(key, shape=shape, default_value=default_value, dtype=dtype,
                          normalizer_fn=normalizer_fn)


def bucketize(input_tensor, boundaries, name=None):
    """The bucket of each value: the number of `boundaries` <= it (TF's `Bucketize`), int32."""
    with graph_lib.name_scope(name, "Bucketize", [input_tensor]):
        input_tensor = convert(input_tensor)
        bounds = constant_op.constant(list(boundaries), dtype=input_tensor.dtype)
        above = math_ops.greater_equal(manip_ops.expand_dims(input_tensor, -1), bounds)
        return reduction_ops.reduce_sum(math_ops.cast(above, dtypes.int32), axis=-1)


class _BucketizedColumn(_DenseColumn, _CategoricalColumn, collections.namedtuple(
        "_BucketizedColumn", ["source_column", "boundaries"])):
    """A numeric column cut into buckets; dense as one-hot, categorical as bucket ids."""

    @property
    def name(self):
        return "{}_bucketized".format(self.source_column.name)

    @property
    def _parse_example_spec(self):
        return self.source_column._parse_example_spec

    def _transform_feature(self, inputs):
        return bucketize(inputs.get(self.source_column), self.boundaries)

    @property
    def _variable_shape(self):
        return TensorShape(tuple(self.source_column.shape) + (len(self.boundaries) + 1,))

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        input_tensor = inputs.get(self)
        return fill_ops.one_hot(math_ops.cast(input_tensor, dtypes.int64),
                                depth=len(self.boundaries) + 1, on_value=1.0, off_value=0.0)

    @property
    def _num_buckets(self):
        return (len(self.boundaries) + 1) * self.source_column.shape[0]

    def _get_sparse_tensors(self, inputs, weight_collections=None, trainable=None):
        input_tensor = inputs.get(self)
        batch_size = array_ops.shape(input_tensor)[0]
        source_dimension = self.source_column.shape[0]
        i1 = array_ops.reshape(manip_ops.tile(manip_ops.expand_dims(
            fill_ops.range(0, batch_size), 1), [1, source_dimension]), (-1,))
        i2 = manip_ops.tile(fill_ops.range(0, source_dimension), [batch_size])
        bucket_indices = (array_ops.reshape(input_tensor, (-1,))
                          + (len(self.boundaries) + 1) * i2)
        indices = math_ops.cast(array_ops.transpose(array_ops.stack((i1, i2))), dtypes.int64)
        dense_shape = math_ops.cast(array_ops.stack([batch_size, source_dimension]),
                                    dtypes.int64)
        sparse = SparseTensor(indices=indices,
                              values=math_ops.cast(bucket_indices, dtypes.int64),
                              dense_shape=dense_shape)
        return _CategoricalColumn.IdWeightPair(sparse, None)


def bucketized_column(source_column, boundaries):
    """A numeric column discretised by `boundaries`: bucket i holds
    `boundaries[i-1] <= x < boundaries[i]`.

    Example:
        >>> age = tf.feature_column.bucketized_column(age_col, boundaries=[18, 25, 30])
    """
    if not isinstance(source_column, _NumericColumn):
        raise ValueError("source_column must be a column generated with numeric_column(). "
                         "Given: {}".format(source_column))
    if len(source_column.shape) > 1:
        raise ValueError("source_column must be one-dimensional column. Given: {}"
                         .format(source_column))
    if not boundaries or not isinstance(boundaries, (list, tuple)):
        raise ValueError("boundaries must be a sorted list.")
    for i in range(len(boundaries) - 1):
        if boundaries[i] >= boundaries[i + 1]:
            raise ValueError("boundaries must be a sorted list.")
    return _BucketizedColumn(source_column, tuple(boundaries))


# --- dense wrappers of categorical columns -----------------------------------------------------
class _IndicatorColumn(_DenseColumn, collections.namedtuple(
        "_IndicatorColumn", ["categorical_column"])):
    """A categorical column as a multi-hot vector of `_num_buckets` counts."""

    @property
    def name(self):
        return "{}_indicator".format(self.categorical_column.name)

    @property
    def _parse_example_spec(self):
        return self.categorical_column._parse_example_spec

    def _transform_feature(self, inputs):
        id_weight_pair = self.categorical_column._get_sparse_tensors(inputs)
        id_tensor = id_weight_pair.id_tensor
        weight_tensor = id_weight_pair.weight_tensor
        if weight_tensor is not None:
            weighted = sparse_math_ops.sparse_merge(
                sp_ids=id_tensor, sp_values=weight_tensor,
                vocab_size=int(self._variable_shape[-1]))
            weighted = sparse_structure_ops.sparse_slice(weighted, [0, 0],
                                                         weighted.dense_shape)
            # scatter_nd sums the weights of an id that occurs twice in a row.
            return gather_ops.scatter_nd(weighted.indices, weighted.values,
                                          weighted.dense_shape)
        dense_id_tensor = sparse_ops.sparse_tensor_to_dense(id_tensor, default_value=-1)
        one_hot_id_tensor = fill_ops.one_hot(dense_id_tensor, depth=self._variable_shape[-1],
                                             on_value=1.0, off_value=0.0)
        return reduction_ops.reduce_sum(one_hot_id_tensor, axis=[-2])

    @property
    def _variable_shape(self):
        return TensorShape([1, self.categorical_column._num_buckets])

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        return inputs.get(self)


def indicator_column(categorical_column):
    """A multi-hot dense representation of `categorical_column`.

    Example:
        >>> tf.feature_column.indicator_column(colors)  # "G" -> [0., 1., 0.]
    """
    return _IndicatorColumn(categorical_column)


class _EmbeddingColumn(_DenseColumn, collections.namedtuple("_EmbeddingColumn", [
        "categorical_column", "dimension", "combiner", "initializer", "ckpt_to_load_from",
        "tensor_name_in_ckpt", "max_norm", "trainable"])):
    """A categorical column looked up in a trainable `[num_buckets, dimension]` table."""

    @property
    def name(self):
        return "{}_embedding".format(self.categorical_column.name)

    @property
    def _parse_example_spec(self):
        return self.categorical_column._parse_example_spec

    def _transform_feature(self, inputs):
        return inputs.get(self.categorical_column)

    @property
    def _variable_shape(self):
        return TensorShape([self.dimension])

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        pair = self.categorical_column._get_sparse_tensors(
            inputs, weight_collections=weight_collections, trainable=trainable)
        embedding_weights = get_variable(
            name="embedding_weights",
            shape=(self.categorical_column._num_buckets, self.dimension),
            dtype=dtypes.float32, initializer=self.initializer,
            trainable=self.trainable and trainable, collections=weight_collections)
        if self.ckpt_to_load_from is not None:
            from tensorflux.train import checkpoint_utils

            checkpoint_utils.init_from_checkpoint(
                self.ckpt_to_load_from, {self.tensor_name_in_ckpt: embedding_weights})
        return sparse_utils.safe_embedding_lookup_sparse(
            embedding_weights, pair.id_tensor, sparse_weights=pair.weight_tensor,
            combiner=self.combiner, name="%s_weights" % self.name)


def embedding_column(categorical_column, dimension, combiner="mean", initializer=None,
                     ckpt_to_load_from=None, tensor_name_in_ckpt=None, max_norm=None,
                     trainable=True):
    """A dense column of learned `dimension`-vectors for the ids of `categorical_column`,
    combined per example by `combiner` ('mean', 'sqrtn' or 'sum').

    Example:
        >>> tf.feature_column.embedding_column(video_id, dimension=16)
    """
    if dimension is None or dimension < 1:
        raise ValueError("Invalid dimension {}.".format(dimension))
    if (ckpt_to_load_from is None) != (tensor_name_in_ckpt is None):
        raise ValueError("Must specify both `ckpt_to_load_from` and `tensor_name_in_ckpt` or "
                         "none of them.")
    if initializer is not None and not callable(initializer):
        raise ValueError("initializer must be callable if specified. Embedding of column_name: "
                         "{}".format(categorical_column.name))
    if max_norm is not None:
        raise NotImplementedError("embedding_column(max_norm=...) is not supported.")
    if initializer is None:
        initializer = init_ops.truncated_normal_initializer(
            mean=0.0, stddev=1 / math.sqrt(dimension))
    return _EmbeddingColumn(
        categorical_column=categorical_column, dimension=dimension, combiner=combiner,
        initializer=initializer, ckpt_to_load_from=ckpt_to_load_from,
        tensor_name_in_ckpt=tensor_name_in_ckpt, max_norm=max_norm, trainable=trainable)


def make_parse_example_spec(feature_columns):
    """The `tf.parse_example` features spec that the columns' raw features need.

    Example:
        >>> spec = tf.feature_column.make_parse_example_spec([price, colors])
        >>> features = tf.parse_example(serialized, features=spec)
    """
    result = {}
    for column in feature_columns:
        if not isinstance(column, _FeatureColumn):
            raise ValueError("All feature_columns must be _FeatureColumn instances. Given: {}"
                             .format(column))
        config = column._parse_example_spec
        for key, value in config.items():
            if key in result and value != result[key]:
                raise ValueError("feature_columns contain different parse_spec for key {}. "
                                 "Given {} and {}".format(key, value, result[key]))
        result.update(config)
    return result



# --- shared embeddings -------------------------------------------------------------------------
class _SharedEmbeddingColumn(_DenseColumn, collections.namedtuple("_SharedEmbeddingColumn", [
        "categorical_column", "dimension", "combiner", "initializer",
        "shared_embedding_collection_name", "ckpt_to_load_from", "tensor_name_in_ckpt",
        "max_norm", "trainable"])):
    """An embedding column whose table is shared with other columns (found through the graph
    collection `shared_embedding_collection_name`)."""

    @property
    def name(self):
        return "{}_shared_embedding".format(self.categorical_column.name)

    @property
    def _var_scope_name(self):
        return self.shared_embedding_collection_name

    @property
    def _parse_example_spec(self):
        return self.categorical_column._parse_example_spec

    def _transform_feature(self, inputs):
        return inputs.get(self.categorical_column)

    @property
    def _variable_shape(self):
        return TensorShape([self.dimension])

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        pair = self.categorical_column._get_sparse_tensors(
            inputs, weight_collections=weight_collections, trainable=trainable)
        embedding_shape = (self.categorical_column._num_buckets, self.dimension)
        shared = graph_lib.get_collection(self.shared_embedding_collection_name)
        if shared:
            embedding_weights = shared[0]
            if tuple(embedding_weights.get_shape().as_list()) != embedding_shape:
                raise ValueError("Shared embedding collection {} contains variable {} of "
                                 "unexpected shape {}. Expected shape is {}.".format(
                                     self.shared_embedding_collection_name,
                                     embedding_weights.name, embedding_weights.get_shape(),
                                     embedding_shape))
        else:
            embedding_weights = get_variable(
                name="embedding_weights", shape=embedding_shape, dtype=dtypes.float32,
                initializer=self.initializer, trainable=self.trainable and trainable,
                collections=weight_collections)
            graph_lib.add_to_collection(self.shared_embedding_collection_name,
                                        embedding_weights)
        if self.ckpt_to_load_from is not None:
            from tensorflux.train import checkpoint_utils

            checkpoint_utils.init_from_checkpoint(
                self.ckpt_to_load_from, {self.tensor_name_in_ckpt: embedding_weights})
        return sparse_utils.safe_embedding_lookup_sparse(
            embedding_weights, pair.id_tensor, sparse_weights=pair.weight_tensor,
            combiner=self.combiner, name="%s_weights" % self.name)


def shared_embedding_columns(categorical_columns, dimension, combiner="mean",
                             initializer=None, shared_embedding_collection_name=None,
                             ckpt_to_load_from=None, tensor_name_in_ckpt=None, max_norm=None,
                             trainable=True):
    """Embedding columns that share one table: the categorical columns must have the same
    number of buckets. The table is named after the sorted column names
    (`<a>_<b>_shared_embedding/embedding_weights`).

    Example:
        >>> watched, impressed = tf.feature_column.shared_embedding_columns(
        ...     [watched_video_id, impression_video_id], dimension=10)
    """
    if initializer is not None and not callable(initializer):
        raise ValueError("initializer must be callable if specified.")
    if initializer is None:
        initializer = init_ops.truncated_normal_initializer(
            mean=0.0, stddev=1.0 / math.sqrt(dimension))
    if (ckpt_to_load_from is None) != (tensor_name_in_ckpt is None):
        raise ValueError("Must specify both `ckpt_to_load_from` and `tensor_name_in_ckpt` or "
                         "none of them.")
    if max_norm is not None:
        raise NotImplementedError("shared_embedding_columns(max_norm=...) is not supported.")
    if dimension is None or dimension < 1:
        raise ValueError("Invalid dimension {}.".format(dimension))
    if not categorical_columns:
        raise ValueError("categorical_columns must not be empty.")
    c0 = categorical_columns[0]
    for c in categorical_columns:
        if not isinstance(c, _CategoricalColumn):
            raise ValueError("All categorical_columns must be subclasses of "
                             "_CategoricalColumn. Given: {}, of type: {}".format(c, type(c)))
        if not isinstance(c, type(c0)):
            raise ValueError("To use shared_embedding_column, all categorical_columns must "
                             "have the same type, or be weighted_categorical_column of the "
                             "same type. Given column: {} of type: {} does not match given "
                             "column: {} of type: {}".format(c0, type(c0), c, type(c)))
        if c0._num_buckets != c._num_buckets:
            raise ValueError("To use shared_embedding_column, all categorical_columns must "
                             "have the same number of buckets. Given column: {} with buckets: "
                             "{} does not match column: {} with buckets: {}".format(
                                 c0, c0._num_buckets, c, c._num_buckets))
    if not shared_embedding_collection_name:
        shared_embedding_collection_name = "_".join(c.name for c in sorted(
            categorical_columns, key=lambda x: x.name))
        shared_embedding_collection_name += "_shared_embedding"
    return [_SharedEmbeddingColumn(
        categorical_column=c, dimension=dimension, combiner=combiner, initializer=initializer,
        shared_embedding_collection_name=shared_embedding_collection_name,
        ckpt_to_load_from=ckpt_to_load_from, tensor_name_in_ckpt=tensor_name_in_ckpt,
        max_norm=max_norm, trainable=trainable) for c in categorical_columns]
