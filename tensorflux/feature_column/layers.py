"""`input_layer` and `linear_model`: a features dict and feature columns in, one dense tensor
out, with TF 1.x's scopes and variable names (`input_layer/<col>_embedding/embedding_weights`,
`linear_model/<col>/weights`, `linear_model/bias_weights`); columns are taken sorted by name.
"""

from tensorflux.feature_column import columns as fc
from tensorflux.feature_column import sparse_utils
from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.ops import (
    array_ops,
    constant_op,
    init_ops,
    linalg_ops,
    math_ops,
    nn_ops,
    sparse_structure_ops,
)
from tensorflux.ops.sparse_tensor import is_sparse
from tensorflux.variable_scope import get_variable, variable_scope


def _normalize_feature_columns(feature_columns):
    if isinstance(feature_columns, fc._FeatureColumn):
        feature_columns = [feature_columns]
    if isinstance(feature_columns, dict):
        raise ValueError("Expected feature_columns to be iterable, found dict.")
    feature_columns = list(feature_columns)
    if not feature_columns:
        raise ValueError("feature_columns must not be empty.")
    name_to_column = {}
    for column in feature_columns:
        if not isinstance(column, fc._FeatureColumn):
            raise ValueError("Items of feature_columns must be a _FeatureColumn. Given "
                             "(type {}): {}.".format(type(column), column))
        if column.name in name_to_column:
            raise ValueError("Duplicate feature column name found for columns: {} and {}. "
                             "This usually means that these columns refer to same base "
                             "feature. Either one must be discarded or a duplicated but "
                             "renamed item must be inserted in features dict."
                             .format(column, name_to_column[column.name]))
        name_to_column[column.name] = column
    return feature_columns


def _verify_static_batch_size_equality(tensors, columns):
    expected = None
    for tensor, column in zip(tensors, columns):
        batch_size = tensor.get_shape()[0]
        if batch_size.value is None:
            continue
        if expected is None:
            expected = (batch_size, column)
        elif not expected[0].is_compatible_with(batch_size):
            raise ValueError("Batch size (first dimension) of each feature must be same. "
                             "Batch size of columns ({}, {}): ({}, {})".format(
                                 expected[1].name, column.name, expected[0], batch_size))


def _weight_collections(weight_collections):
    weight_collections = list(weight_collections or [])
    for key in (GraphKeys.GLOBAL_VARIABLES, GraphKeys.MODEL_VARIABLES):
        if key not in weight_collections:
            weight_collections.append(key)
    return weight_collections


def input_layer(features, feature_columns, weight_collections=None, trainable=True,
                cols_to_vars=None, cols_to_output_tensors=None):
    """The dense input of a model: each `_DenseColumn`'s tensor, reshaped to
    `[batch, num_elements]`, concatenated in the order of the columns' names.

    Example:
        >>> columns = [tf.feature_column.numeric_column("x", shape=(4,))]
        >>> net = tf.feature_column.input_layer({"x": images}, columns)  # [batch, 4]
    """
    feature_columns = _normalize_feature_columns(feature_columns)
    for column in feature_columns:
        if not isinstance(column, fc._DenseColumn):
            raise ValueError("Items of feature_columns must be a _DenseColumn. You can wrap a "
                             "categorical column with an embedding_column or indicator_column. "
                             "Given: {}".format(column))
    weight_collections = _weight_collections(weight_collections)
    values = [v for v in features.values() if not is_sparse(v)]
    with variable_scope(None, default_name="input_layer", values=values):
        builder = fc._LazyBuilder(features)
        output_tensors = []
        ordered_columns = []
        for column in sorted(feature_columns, key=lambda x: x.name):
            ordered_columns.append(column)
            with variable_scope(None, default_name=column._var_scope_name) as scope:
                tensor = column._get_dense_tensor(builder, weight_collections=weight_collections,
                                                  trainable=trainable)
                num_elements = column._variable_shape.num_elements()
                batch_size = array_ops.shape(tensor)[0]
                output = array_ops.reshape(tensor, shape=(batch_size, num_elements))
                output.set_shape([tensor.get_shape().with_rank_at_least(1)[0], num_elements])
                output_tensors.append(output)
                if cols_to_vars is not None:
                    cols_to_vars[column] = graph_lib.get_collection(
                        GraphKeys.GLOBAL_VARIABLES, scope=scope.name + "/")
                if cols_to_output_tensors is not None:
                    cols_to_output_tensors[column] = output
        _verify_static_batch_size_equality(output_tensors, ordered_columns)
        return array_ops.concat(output_tensors, 1)


def _rows_by_rest(sp):
    """The 2-D shape `[rows, -1]` of a SparseTensor, as a tensor."""
    return array_ops.stack([sp.dense_shape[0], constant_op.constant(-1, dtype=dtypes.int64)])


def _create_weighted_sum(column, builder, units, sparse_combiner, weight_collections,
                         trainable):
    """One column's contribution `[batch, units]` to a linear model, with its `weights`."""
    if isinstance(column, fc._CategoricalColumn):
        pair = column._get_sparse_tensors(builder, weight_collections=weight_collections,
                                          trainable=trainable)
        id_tensor = sparse_structure_ops.sparse_reshape(
            pair.id_tensor, _rows_by_rest(pair.id_tensor))
        weight_tensor = pair.weight_tensor
        if weight_tensor is not None:
            weight_tensor = sparse_structure_ops.sparse_reshape(
                weight_tensor, _rows_by_rest(weight_tensor))
        weight = get_variable(
            name="weights", shape=(column._num_buckets, units), initializer=init_ops.Zeros(),
            trainable=trainable, collections=weight_collections)
        return sparse_utils.safe_embedding_lookup_sparse(
            weight, id_tensor, sparse_weights=weight_tensor, combiner=sparse_combiner,
            name="weighted_sum")
    tensor = column._get_dense_tensor(builder, weight_collections=weight_collections,
                                      trainable=trainable)
    num_elements = column._variable_shape.num_elements()
    batch_size = array_ops.shape(tensor)[0]
    static_batch = tensor.get_shape().with_rank_at_least(1)[0]
    tensor = array_ops.reshape(tensor, shape=(batch_size, num_elements))
    tensor.set_shape([static_batch, num_elements])
    weight = get_variable(
        name="weights", shape=[num_elements, units], initializer=init_ops.Zeros(),
        trainable=trainable, collections=weight_collections)
    return linalg_ops.matmul(tensor, weight, name="weighted_sum")


def linear_model(features, feature_columns, units=1, sparse_combiner="sum",
                 weight_collections=None, trainable=True, cols_to_vars=None):
    """A linear prediction `[batch, units]`: the sum of each column's weighted value plus a
    bias. Categorical columns are looked up (combined by `sparse_combiner`), dense columns
    multiplied; all weights start at zero.

    Example:
        >>> prediction = tf.feature_column.linear_model(features, [price, colors])
    """
    feature_columns = _normalize_feature_columns(feature_columns)
    for column in feature_columns:
        if not isinstance(column, (fc._DenseColumn, fc._CategoricalColumn)):
            raise ValueError("Items of feature_columns must be either a _DenseColumn or "
                             "_CategoricalColumn. Given: {}".format(column))
    weight_collections = _weight_collections(weight_collections)
    values = [v for v in features.values() if not is_sparse(v)]
    with variable_scope(None, default_name="linear_model", values=values):
        builder = fc._LazyBuilder(features)
        weighted_sums = []
        ordered_columns = []
        for column in sorted(feature_columns, key=lambda x: x.name):
            ordered_columns.append(column)
            with variable_scope(None, default_name=column._var_scope_name) as scope:
                weighted_sums.append(_create_weighted_sum(
                    column, builder, units, sparse_combiner, weight_collections, trainable))
                if cols_to_vars is not None:
                    cols_to_vars[column] = graph_lib.get_collection(
                        GraphKeys.GLOBAL_VARIABLES, scope=scope.name + "/")
        _verify_static_batch_size_equality(weighted_sums, ordered_columns)
        predictions_no_bias = math_ops.add_n(weighted_sums, name="weighted_sum_no_bias")
        bias = get_variable(
            "bias_weights", shape=[units], initializer=init_ops.Zeros(), trainable=trainable,
            collections=weight_collections)
        predictions = nn_ops.bias_add(predictions_no_bias, bias, name="weighted_sum")
        if cols_to_vars is not None:
            cols_to_vars["bias"] = [bias]
        return predictions
