"""`tf.feature_column`: TF 1.x feature columns, `input_layer` and `linear_model`.

    price = tf.feature_column.numeric_column("price")
    color = tf.feature_column.categorical_column_with_vocabulary_list("color", ["R", "G", "B"])
    columns = [price, tf.feature_column.indicator_column(color)]
    net = tf.feature_column.input_layer(features, columns)

An explicit re-export list.
"""

from tensorflux.feature_column.categorical import (
    categorical_column_with_hash_bucket,
    categorical_column_with_identity,
    categorical_column_with_vocabulary_file,
    categorical_column_with_vocabulary_list,
    crossed_column,
    weighted_categorical_column,
)
from tensorflux.feature_column.columns import (
    bucketized_column,
    embedding_column,
    indicator_column,
    make_parse_example_spec,
    numeric_column,
    shared_embedding_columns,
)
from tensorflux.feature_column.layers import input_layer, linear_model

__all__ = [
    "bucketized_column", "categorical_column_with_hash_bucket",
    "categorical_column_with_identity", "categorical_column_with_vocabulary_file",
    "categorical_column_with_vocabulary_list", "crossed_column",
    "embedding_column", "indicator_column", "input_layer", "linear_model",
    "make_parse_example_spec", "numeric_column", "shared_embedding_columns",
    "weighted_categorical_column",
]
