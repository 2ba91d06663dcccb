"""The old contrib feature-column API: `sparse_column_with_hash_bucket` (`_with_keys`,
`_with_integerized_feature`), `real_valued_column`, `bucketized_column`, `embedding_column`,
`input_from_feature_columns` and `create_feature_spec_for_parsing`.

The columns hash, sparsify and look up exactly like `tf.feature_column`'s (whose helpers they
use), and they are also core `_DenseColumn`/`_CategoricalColumn`s, so `input_layer` accepts them.
What differs from the core API, as in TF 1.15: an embedding table is a model variable named
`input_from_feature_columns/<col>_embedding/weights` (core: `.../embedding_weights`) whose
default initializer has stddev `1/sqrt(vocab_size)` (core: `1/sqrt(dimension)`); columns are
ordered by their `key` (a repr of the column: embedding columns before real-valued ones);
sparse columns default to the "sum" combiner.

Example:
    >>> words = tf.contrib.layers.sparse_column_with_hash_bucket("words", 1000)
    >>> age = tf.contrib.layers.real_valued_column("age")
    >>> columns = [tf.contrib.layers.embedding_column(words, 8), age]
    >>> net = tf.contrib.layers.input_from_feature_columns(features, columns)  # [batch, 9]
"""

import collections
import math

import tensorflux as tf
from tensorflux import variable_scope as vs
from tensorflux.contrib.framework import variables as framework_variables
from tensorflux.feature_column import columns as fc_core
from tensorflux.feature_column import sparse_utils
from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph.graph import GraphKeys
from tensorflux.ops import hash_ops, init_ops, parsing_config, string_ops
from tensorflux.ops.sparse_tensor import SparseTensor, is_sparse
from tensorflux.platform import tf_logging as logging

__all__ = [
    "bucketized_column", "check_feature_columns", "create_feature_spec_for_parsing",
    "embedding_column", "input_from_feature_columns", "real_valued_column",
    "sparse_column_with_hash_bucket", "sparse_column_with_integerized_feature",
    "sparse_column_with_keys",
]


class _FeatureColumn:
    """Base of the contrib columns: `key` (the sort key) and the column protocol."""

    def _key_without_properties(self, properties):
        """`Type(field=value, ...)` without `properties` (their reprs hold addresses)."""
        fields_values = ["{}={}".format(k, self[i]) for i, k in enumerate(self._fields)
                         if k not in properties]
        return "{}({})".format(type(self).__name__, ", ".join(fields_values))

    def _deep_embedding_lookup_arguments(self, input_tensor):
        raise NotImplementedError("No deep embedding lookup arguments for column {}."
                                  .format(self))

    def _to_dnn_input_layer(self, input_tensor, weight_collections=None, trainable=True,
                            output_rank=2):
        raise ValueError("Calling an abstract method.")

    def _checkpoint_path(self):
        return None


def _reshape_real_valued_tensor(input_tensor, output_rank, column_name=None):
    """Expands a tensor of rank `output_rank - 1`, or flattens its inner dimensions."""
    input_rank = input_tensor.get_shape().ndims
    if input_rank is None:
        raise ValueError("Error while processing column {}. Rank of input Tensor can not be "
                         "None.".format(column_name))
    if output_rank > input_rank + 1:
        raise ValueError("Error while processing column {}. Rank of input Tensor ({}) should "
                         "be the same as output_rank ({}). For example, sequence data should "
                         "typically be 3 dimensional (rank 3) while non-sequence data is "
                         "typically 2 dimensional (rank 2).".format(column_name, input_rank,
                                                                   output_rank))
    if output_rank == input_rank + 1:
        return tf.expand_dims(input_tensor, -1)
    if output_rank == input_rank:
        return input_tensor
    return _inner_flatten(input_tensor, output_rank)


def _inner_flatten(inputs, new_rank):
    """`inputs` (dense or sparse) with its dimensions from `new_rank - 1` on flattened."""
    with tf.name_scope(None, "InnerFlatten", [inputs]):
        if is_sparse(inputs):
            rank = inputs.dense_shape.get_shape().as_list()[0]
            if rank == new_rank:
                return inputs
            outer = inputs.dense_shape[:new_rank - 1]
            inner = inputs.dense_shape[new_rank - 1:]
            new_shape = tf.concat((outer, [tf.reduce_prod(inner)]), 0)
            return tf.sparse_reshape(inputs, new_shape)
        outer = tf.strided_slice(tf.shape(inputs), [0], [new_rank - 1])
        reshaped = tf.reshape(inputs, tf.concat((outer, [-1]), 0))
        static = inputs.get_shape().as_list()
        inner = 1
        for d in static[new_rank - 1:]:
            inner = None if d is None or inner is None else inner * d
        reshaped.set_shape(static[:new_rank - 1] + [inner])
        return reshaped


# --- sparse columns ----------------------------------------------------------------------------
class _SparseColumn(_FeatureColumn, fc_core._CategoricalColumn, collections.namedtuple(
        "_SparseColumn", ["column_name", "is_integerized", "bucket_size", "lookup_config",
                          "combiner", "dtype"])):
    """A categorical column: a `SparseTensor` of ids per example."""

    @property
    def name(self):
        return self.column_name

    @property
    def length(self):
        return self.bucket_size

    @property
    def config(self):
        return {self.column_name: parsing_config.VarLenFeature(self.dtype)}

    @property
    def key(self):
        return "{}".format(self)

    def id_tensor(self, input_tensor):
        return input_tensor

    def weight_tensor(self, input_tensor):
        del input_tensor
        return None

    def _to_dnn_input_layer(self, input_tensor, weight_collections=None, trainable=True,
                            output_rank=2):
        raise ValueError("SparseColumn is not supported in DNN. Please use embedding_column or "
                         "one_hot_column. column: {}".format(self))

    def _get_input_sparse_tensor(self, input_tensor):
        if not is_sparse(input_tensor):
            ignore_value = "" if input_tensor.dtype == dtypes.string else -1
            input_tensor = _reshape_real_valued_tensor(input_tensor, 2, self.name)
            input_tensor = sparse_utils.to_sparse_input_and_drop_ignore_values(
                input_tensor, ignore_value=ignore_value)
        return input_tensor

    def _transform_feature(self, inputs):
        return self._do_transform(self._get_input_sparse_tensor(inputs.get(self.name)))

    @property
    def _parse_example_spec(self):
        return self.config

    @property
    def _num_buckets(self):
        return self.length

    def _get_sparse_tensors(self, inputs, weight_collections=None, trainable=None):
        input_tensor = inputs.get(self)
        return fc_core._CategoricalColumn.IdWeightPair(self.id_tensor(input_tensor),
                                                       self.weight_tensor(input_tensor))


class _SparseColumnHashed(_SparseColumn):
    """See `sparse_column_with_hash_bucket`."""

    def _do_transform(self, input_tensor):
        if self.dtype.is_integer:
            sparse_values = string_ops.as_string(input_tensor.values)
        else:
            sparse_values = input_tensor.values
        sparse_id_values = hash_ops.string_to_hash_bucket_fast(
            sparse_values, self.bucket_size, name="lookup")
        return SparseTensor(input_tensor.indices, sparse_id_values, input_tensor.dense_shape)


def sparse_column_with_hash_bucket(column_name, hash_bucket_size, combiner="sum",
                                   dtype=dtypes.string, hash_keys=None):
    """A sparse column whose ids are `Fingerprint64(value) % hash_bucket_size` (integers are
    hashed as their decimal strings, like `categorical_column_with_hash_bucket`).

    Example:
        >>> words = sparse_column_with_hash_bucket("words", hash_bucket_size=1000)
    """
    if hash_keys is not None:
        raise NotImplementedError("hash_keys (string_to_hash_bucket_strong ids) are not "
                                  "supported.")
    dtype = dtypes.as_dtype(dtype)
    if dtype != dtypes.string and not dtype.is_integer:
        raise ValueError("dtype must be string or integer. dtype: {}, column_name: {}"
                         .format(dtype, column_name))
    if hash_bucket_size is None:
        raise ValueError("one of bucket_size or lookup_config must be set. column_name: {}"
                         .format(column_name))
    if hash_bucket_size < 1:
        raise ValueError("bucket_size must be at least 1. bucket_size: {}, column_name: {}"
                         .format(hash_bucket_size, column_name))
    return _SparseColumnHashed(column_name, False, hash_bucket_size, None, combiner, dtype)


class _SparseColumnIntegerized(_SparseColumn):
    """See `sparse_column_with_integerized_feature`."""

    def _do_transform(self, input_tensor):
        sparse_id_values = tf.mod(input_tensor.values, self.bucket_size, name="mod")
        return SparseTensor(input_tensor.indices, sparse_id_values, input_tensor.dense_shape)


def sparse_column_with_integerized_feature(column_name, bucket_size, combiner="sum",
                                           dtype=dtypes.int64):
    """A sparse column of integer ids used as they are (modulo `bucket_size`).

    Example:
        >>> item = sparse_column_with_integerized_feature("item_id", bucket_size=1000)
    """
    dtype = dtypes.as_dtype(dtype)
    if bucket_size is None:
        raise ValueError("bucket_size must be set if is_integerized is True. column_name: {}"
                         .format(column_name))
    if not dtype.is_integer:
        raise ValueError("dtype must be an integer if is_integerized is True. dtype: {}, "
                         "column_name: {}.".format(dtype, column_name))
    if bucket_size < 1:
        raise ValueError("bucket_size must be at least 1. bucket_size: {}, column_name: {}"
                         .format(bucket_size, column_name))
    return _SparseColumnIntegerized(column_name, True, bucket_size, None, combiner, dtype)


_SparseIdLookupConfig = collections.namedtuple(
    "_SparseIdLookupConfig",
    ["vocabulary_file", "keys", "num_oov_buckets", "vocab_size", "default_value"])


class _SparseColumnKeys(_SparseColumn):
    """See `sparse_column_with_keys`."""

    @property
    def length(self):
        return self.lookup_config.vocab_size + self.lookup_config.num_oov_buckets

    def _do_transform(self, input_tensor):
        values = input_tensor.values
        if self.dtype.is_integer:
            values = tf.cast(values, dtypes.int64)
        ids = sparse_utils.lookup_ids(values, list(self.lookup_config.keys),
                                      default_value=self.lookup_config.default_value,
                                      name="lookup")
        return SparseTensor(input_tensor.indices, ids, input_tensor.dense_shape)


def sparse_column_with_keys(column_name, keys, default_value=-1, combiner="sum",
                            dtype=dtypes.string):
    """A sparse column whose id is a value's index in `keys` (`default_value` when missing;
    -1 ids are dropped by the embedding lookup).

    Example:
        >>> gender = sparse_column_with_keys("gender", ["female", "male"])
    """
    dtype = dtypes.as_dtype(dtype)
    if dtype != dtypes.string and not dtype.is_integer:
        raise ValueError("dtype must be string or integer. dtype: {}, column_name: {}"
                         .format(dtype, column_name))
    keys = tuple(keys)
    if dtype.is_integer:
        keys = tuple(int(k) for k in keys)
    config = _SparseIdLookupConfig(vocabulary_file=None, keys=keys, num_oov_buckets=0,
                                   vocab_size=len(keys), default_value=default_value)
    return _SparseColumnKeys(column_name, False, None, config, combiner, dtype)


# --- real-valued columns -----------------------------------------------------------------------
class _RealValuedColumn(_FeatureColumn, fc_core._DenseColumn, collections.namedtuple(
        "_RealValuedColumn", ["column_name", "dimension", "default_value", "dtype",
                              "normalizer"])):
    """A dense numeric column of `dimension` floats per example."""

    def __new__(cls, column_name, dimension, default_value, dtype, normalizer):
        if default_value is not None:
            default_value = tuple(default_value)
        return super().__new__(cls, column_name, dimension, default_value, dtype, normalizer)

    @property
    def name(self):
        return self.column_name

    @property
    def config(self):
        default_value = self.default_value
        if default_value is not None:
            default_value = list(default_value)
        return {self.column_name: parsing_config.FixedLenFeature([self.dimension], self.dtype,
                                                                 default_value)}

    @property
    def key(self):
        return self._key_without_properties(["normalizer"])

    @property
    def normalizer_fn(self):
        return self.normalizer

    def _normalized_input_tensor(self, input_tensor):
        return self.normalizer(input_tensor) if self.normalizer is not None else input_tensor

    def _to_dnn_input_layer(self, input_tensor, weight_collections=None, trainable=True,
                            output_rank=2):
        if input_tensor.dtype != dtypes.float32:
            input_tensor = tf.cast(input_tensor, dtypes.float32)
        return _reshape_real_valued_tensor(input_tensor, output_rank, self.name)

    @property
    def _variable_shape(self):
        return tensor_shape.TensorShape([self.dimension])

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        return inputs.get(self)

    def _transform_feature(self, inputs):
        return tf.cast(self._normalized_input_tensor(inputs.get(self.name)), dtypes.float32)

    @property
    def _parse_example_spec(self):
        return self.config


def real_valued_column(column_name, dimension=1, default_value=None, dtype=dtypes.float32,
                       normalizer=None):
    """A dense numeric column of `dimension` values (cast to float32, then `normalizer`).

    Example:
        >>> age = real_valued_column("age", default_value=0.0)
    """
    dtype = dtypes.as_dtype(dtype)
    if dimension is None:
        raise TypeError("dimension must be an integer. Use the _real_valued_var_len_column for "
                        "variable length features.dimension: {}, column_name: {}"
                        .format(dimension, column_name))
    if not isinstance(dimension, int):
        raise TypeError("dimension must be an integer. dimension: {}, column_name: {}"
                        .format(dimension, column_name))
    if dimension < 1:
        raise ValueError("dimension must be greater than 0. dimension: {}, column_name: {}"
                         .format(dimension, column_name))
    if not (dtype.is_integer or dtype.is_floating):
        raise ValueError("dtype must be convertible to float. dtype: {}, column_name: {}"
                         .format(dtype, column_name))
    if default_value is None:
        return _RealValuedColumn(column_name, dimension, default_value, dtype, normalizer)
    if isinstance(default_value, int) and not isinstance(default_value, bool):
        value = default_value if dtype.is_integer else float(default_value)
        return _RealValuedColumn(column_name, dimension, [value] * dimension, dtype,
                                 normalizer)
    if isinstance(default_value, float) and dtype.is_floating:
        return _RealValuedColumn(column_name, dimension, [default_value] * dimension, dtype,
                                 normalizer)
    if isinstance(default_value, list):
        if len(default_value) != dimension:
            raise ValueError("The length of default_value must be equal to dimension. "
                             "default_value: {}, dimension: {}, column_name: {}"
                             .format(default_value, dimension, column_name))
        all_int = all(isinstance(v, int) for v in default_value)
        all_float = all(isinstance(v, (int, float)) for v in default_value)
        if all_int and dtype.is_integer:
            return _RealValuedColumn(column_name, dimension, default_value, dtype, normalizer)
        if all_float and dtype.is_floating:
            return _RealValuedColumn(column_name, dimension,
                                     [float(v) for v in default_value], dtype, normalizer)
    raise TypeError("default_value must be compatible with dtype. default_value: {}, dtype: {}, "
                    "column_name: {}".format(default_value, dtype, column_name))


class _BucketizedColumn(_FeatureColumn, fc_core._CategoricalColumn, fc_core._DenseColumn,
                        collections.namedtuple("_BucketizedColumn",
                                               ["source_column", "boundaries"])):
    """A real-valued column cut into buckets (see `bucketized_column`)."""

    def __new__(cls, source_column, boundaries):
        if not isinstance(source_column, _RealValuedColumn):
            raise TypeError("source_column must be an instance of _RealValuedColumn. "
                            "source_column: {}".format(source_column))
        if not isinstance(boundaries, (list, tuple)) or not boundaries:
            raise ValueError("boundaries must be a non-empty list or tuple. boundaries: {}"
                             .format(boundaries))
        sanitized = []
        for i in range(len(boundaries) - 1):
            if boundaries[i] == boundaries[i + 1]:
                continue
            if boundaries[i] < boundaries[i + 1]:
                sanitized.append(boundaries[i])
            else:
                raise ValueError("boundaries must be a sorted list. boundaries: {}"
                                 .format(boundaries))
        sanitized.append(boundaries[-1])
        return super().__new__(cls, source_column, tuple(sanitized))

    @property
    def name(self):
        return "{}_bucketized".format(self.source_column.name)

    @property
    def length(self):
        return len(self.boundaries) + 1

    @property
    def config(self):
        return self.source_column.config

    @property
    def key(self):
        return "{}".format(self)

    def _to_dnn_input_layer(self, input_tensor, weight_collections=None, trainable=True,
                            output_rank=2):
        if output_rank != 2:
            raise ValueError("BucketizedColumn currently only supports output_rank=2")
        return tf.reshape(
            tf.one_hot(tf.cast(input_tensor, dtypes.int64), self.length, 1.0, 0.0,
                       name="one_hot"),
            [-1, self.length * self.source_column.dimension], name="reshape")

    def to_sparse_tensor(self, input_tensor):
        """The bucket ids as a SparseTensor, offset by `length` per source dimension."""
        dimension = self.source_column.dimension
        batch_size = tf.shape(input_tensor, name="shape")[0]
        if dimension > 1:
            i1 = tf.reshape(tf.tile(tf.expand_dims(tf.range(0, batch_size), 1,
                                                   name="expand_dims"),
                                    [1, dimension], name="tile"), [-1], name="reshape")
            i2 = tf.tile(tf.range(0, dimension), [batch_size], name="tile")
            bucket_indices = tf.reshape(input_tensor, [-1], name="reshape") + self.length * i2
        else:
            i1 = tf.range(0, batch_size)
            i2 = tf.zeros([batch_size], dtype=dtypes.int32, name="zeros")
            bucket_indices = tf.reshape(input_tensor, [-1], name="reshape")
        indices = tf.cast(tf.transpose(tf.stack((i1, i2))), dtypes.int64)
        shape = tf.cast(tf.stack([batch_size, dimension]), dtypes.int64)
        return SparseTensor(indices, bucket_indices, shape)

    def _transform_feature(self, inputs):
        return fc_core.bucketize(inputs.get(self.source_column), list(self.boundaries),
                                 name="bucketize")

    @property
    def _parse_example_spec(self):
        return self.config

    @property
    def _num_buckets(self):
        return self.length * self.source_column.dimension

    def _get_sparse_tensors(self, inputs, weight_collections=None, trainable=None):
        return fc_core._CategoricalColumn.IdWeightPair(self.to_sparse_tensor(inputs.get(self)),
                                                       None)

    @property
    def _variable_shape(self):
        return tensor_shape.TensorShape([self.length * self.source_column.dimension])

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        return self._to_dnn_input_layer(inputs.get(self), weight_collections, trainable)


def bucketized_column(source_column, boundaries):
    """A `real_valued_column` discretised by sorted `boundaries` (one-hot in a DNN input).

    Example:
        >>> age_buckets = bucketized_column(real_valued_column("age"), [18, 25, 30, 40])
    """
    return _BucketizedColumn(source_column, boundaries)


# --- embedding columns -------------------------------------------------------------------------
_DeepEmbeddingLookupArguments = collections.namedtuple(
    "_DeepEmbeddingLookupArguments",
    ["input_tensor", "weight_tensor", "vocab_size", "initializer", "combiner", "dimension",
     "shared_embedding_name", "hash_key", "max_norm", "trainable"])


class _EmbeddingColumn(_FeatureColumn, fc_core._DenseColumn, collections.namedtuple(
        "_EmbeddingColumn", ["sparse_id_column", "dimension", "combiner", "initializer",
                             "ckpt_to_load_from", "tensor_name_in_ckpt",
                             "shared_embedding_name", "shared_vocab_size", "max_norm",
                             "trainable"])):
    """A dense embedding of a sparse column's ids (see `embedding_column`)."""

    def __new__(cls, sparse_id_column, dimension, combiner="mean", initializer=None,
                ckpt_to_load_from=None, tensor_name_in_ckpt=None, shared_embedding_name=None,
                shared_vocab_size=None, max_norm=None, trainable=True):
        if initializer is not None and not callable(initializer):
            raise ValueError("initializer must be callable if specified. Embedding of "
                             "column_name: {}".format(sparse_id_column.name))
        if (ckpt_to_load_from is None) != (tensor_name_in_ckpt is None):
            raise ValueError("Must specify both `ckpt_to_load_from` and `tensor_name_in_ckpt` "
                             "or none of them.")
        if initializer is None:
            logging.warn("The default stddev value of initializer was changed from "
                         "\"1/sqrt(vocab_size)\" to \"1/sqrt(dimension)\" in core "
                         "implementation (tf.feature_column.embedding_column).")
            stddev = 1 / math.sqrt(sparse_id_column.length)
            initializer = init_ops.truncated_normal_initializer(mean=0.0, stddev=stddev)
        return super().__new__(cls, sparse_id_column, dimension, combiner, initializer,
                               ckpt_to_load_from, tensor_name_in_ckpt, shared_embedding_name,
                               shared_vocab_size, max_norm, trainable)

    @property
    def name(self):
        if self.shared_embedding_name is None:
            return "{}_embedding".format(self.sparse_id_column.name)
        return "{}_shared_embedding".format(self.sparse_id_column.name)

    @property
    def length(self):
        if self.shared_vocab_size is None:
            return self.sparse_id_column.length
        return self.shared_vocab_size

    @property
    def config(self):
        return self.sparse_id_column.config

    @property
    def key(self):
        return self._key_without_properties(["initializer"])

    def _deep_embedding_lookup_arguments(self, input_tensor):
        return _DeepEmbeddingLookupArguments(
            input_tensor=self.sparse_id_column.id_tensor(input_tensor),
            weight_tensor=self.sparse_id_column.weight_tensor(input_tensor),
            vocab_size=self.length, dimension=self.dimension, initializer=self.initializer,
            combiner=self.combiner, shared_embedding_name=self.shared_embedding_name,
            hash_key=None, max_norm=self.max_norm, trainable=self.trainable)

    def _checkpoint_path(self):
        if self.ckpt_to_load_from is not None:
            return self.ckpt_to_load_from, self.tensor_name_in_ckpt
        return None

    @property
    def _variable_shape(self):
        return tensor_shape.TensorShape([self.dimension])

    def _get_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        return _embeddings_from_arguments(
            self, self._deep_embedding_lookup_arguments(inputs.get(self)), weight_collections,
            trainable)

    def _transform_feature(self, inputs):
        return inputs.get(self.sparse_id_column)

    @property
    def _parse_example_spec(self):
        return self.config


def embedding_column(sparse_id_column, dimension, combiner="mean", initializer=None,
                     ckpt_to_load_from=None, tensor_name_in_ckpt=None, max_norm=None,
                     trainable=True):
    """A `dimension`-wide embedding of `sparse_id_column` for DNN inputs (rows combined with
    `combiner`; default initializer truncated normal with stddev `1/sqrt(vocab_size)`).

    Example:
        >>> emb = embedding_column(sparse_column_with_hash_bucket("w", 100), dimension=8)
    """
    return _EmbeddingColumn(sparse_id_column, dimension, combiner, initializer,
                            ckpt_to_load_from, tensor_name_in_ckpt, max_norm=max_norm,
                            trainable=trainable)


def _embeddings_from_arguments(column, args, weight_collections, trainable, output_rank=2):
    """The embedding lookup of `args`: creates the model variable `weights` in the current
    variable scope (and restores it from a checkpoint if the column says so)."""
    input_tensor = _inner_flatten(args.input_tensor, output_rank)
    weight_tensor = None
    if args.weight_tensor is not None:
        weight_tensor = _inner_flatten(args.weight_tensor, output_rank)
    if args.shared_embedding_name is not None:
        raise NotImplementedError("shared embedding columns are not supported.")
    embeddings = framework_variables.model_variable(
        name="weights", shape=[args.vocab_size, args.dimension], dtype=dtypes.float32,
        initializer=args.initializer, trainable=(trainable and args.trainable),
        collections=weight_collections)
    checkpoint = column._checkpoint_path()
    if checkpoint is not None:
        path, tensor_name = checkpoint
        tf.train.init_from_checkpoint(path, {tensor_name: embeddings})
    return tf.nn.safe_embedding_lookup_sparse(
        [embeddings], input_tensor, sparse_weights=weight_tensor, combiner=args.combiner,
        name=column.name + "weights", max_norm=args.max_norm)


# --- input layer and parsing spec --------------------------------------------------------------
def check_feature_columns(feature_columns):
    """ValueError if two columns have the same key."""
    seen_keys = set()
    for f in feature_columns:
        key = f.key
        if key in seen_keys:
            raise ValueError("Duplicate feature column key found for column: {}. This usually "
                             "means that the column is almost identical to another column, and "
                             "one must be discarded.".format(f.name))
        seen_keys.add(key)


def input_from_feature_columns(columns_to_tensors, feature_columns, weight_collections=None,
                               trainable=True, scope=None, cols_to_outs=None):
    """The input layer of a DNN: each column's dense tensor, concatenated in the order of the
    columns' keys, in variable scope `input_from_feature_columns/<column name>`.

    Example:
        >>> net = input_from_feature_columns(features, [embedding_column(words, 8), age])
    """
    columns_to_tensors = dict(columns_to_tensors)
    check_feature_columns(feature_columns)
    if cols_to_outs is not None and not isinstance(cols_to_outs, dict):
        raise ValueError("cols_to_outs must be a dict unless None")
    values = [v for v in columns_to_tensors.values() if not is_sparse(v)]
    with vs.variable_scope(scope, default_name="input_from_feature_columns", values=values):
        output_tensors = []
        builder = fc_core._LazyBuilder(columns_to_tensors)
        if weight_collections:
            weight_collections = list(dict.fromkeys(list(weight_collections)
                                                    + [GraphKeys.GLOBAL_VARIABLES]))
        for column in sorted(set(feature_columns), key=lambda x: x.key):
            with vs.variable_scope(None, default_name=column.name, values=values):
                transformed_tensor = builder.get(column)
                try:
                    arguments = column._deep_embedding_lookup_arguments(transformed_tensor)
                    output_tensors.append(_embeddings_from_arguments(
                        column, arguments, weight_collections, trainable, output_rank=2))
                except NotImplementedError as ee:
                    try:
                        output_tensors.append(column._to_dnn_input_layer(
                            transformed_tensor, weight_collections, trainable, output_rank=2))
                    except ValueError as e:
                        raise ValueError("Error creating input layer for column: {}.\n{}, {}"
                                         .format(column.name, e, ee)) from None
                if cols_to_outs is not None:
                    cols_to_outs[column] = output_tensors[-1]
        return tf.concat(output_tensors, 1)


def create_feature_spec_for_parsing(feature_columns):
    """The `tf.parse_example` spec of the columns: `{name: VarLenFeature | FixedLenFeature}`.

    Example:
        >>> create_feature_spec_for_parsing([real_valued_column("age")])
        {'age': FixedLenFeature(shape=[1], dtype=tf.float32, default_value=None)}
    """
    if isinstance(feature_columns, dict):
        feature_columns = feature_columns.values()
    features_config = {}
    for column in feature_columns:
        features_config.update(column.config)
    return features_config
