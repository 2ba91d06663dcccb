"""`tf.estimator.classifier_parse_example_spec` and `regressor_parse_example_spec`: the
`tf.parse_example` spec of a canned estimator's features plus its label (and weight) column,
for input_fns that read `tf.train.Example`s (TF 1.15's `canned/parsing_utils.py`)."""

from tensorflux.feature_column import columns as fc
from tensorflux.graph import dtypes
from tensorflux.ops.parsing_ops import FixedLenFeature


def classifier_parse_example_spec(feature_columns, label_key, label_dtype=dtypes.int64,
                                  label_default=None, weight_column=None):
    """The parse spec of `feature_columns`, plus `label_key`: a `[1]` label of `label_dtype`.

    Example:
        >>> spec = tf.estimator.classifier_parse_example_spec(
        ...     [age, country], label_key="clicked", label_default=0)
        >>> features = tf.parse_example(serialized, spec)
        >>> labels = features.pop("clicked")
    """
    parsing_spec = fc.make_parse_example_spec(feature_columns)
    label_spec = FixedLenFeature((1,), label_dtype, label_default)
    return _add_label_and_weight_to_parsing_spec(parsing_spec, label_key, label_spec,
                                                 weight_column)


def regressor_parse_example_spec(feature_columns, label_key, label_dtype=dtypes.float32,
                                 label_default=None, label_dimension=1, weight_column=None):
    """The parse spec of `feature_columns`, plus `label_key`: a `[label_dimension]` label.

    Example:
        >>> spec = tf.estimator.regressor_parse_example_spec([age], label_key="price")
    """
    parsing_spec = fc.make_parse_example_spec(feature_columns)
    label_spec = FixedLenFeature((label_dimension,), label_dtype, label_default)
    return _add_label_and_weight_to_parsing_spec(parsing_spec, label_key, label_spec,
                                                 weight_column)


def _add_label_and_weight_to_parsing_spec(parsing_spec, label_key, label_spec,
                                          weight_column=None):
    if label_key in parsing_spec:
        raise ValueError("label should not be used as feature. label_key: {}, features: {}"
                         .format(label_key, parsing_spec.keys()))
    parsing_spec[label_key] = label_spec
    if weight_column is None:
        return parsing_spec
    if isinstance(weight_column, str):
        weight_column = fc.numeric_column(weight_column)
    if not isinstance(weight_column, fc._NumericColumn):
        raise ValueError("weight_column should be an instance of "
                         "tf.feature_column.numeric_column. Given type: {} value: {}"
                         .format(type(weight_column), weight_column))
    if weight_column.key in parsing_spec:
        raise ValueError("weight_column should not be used as feature. weight_column: {}, "
                         "features: {}".format(weight_column.key, parsing_spec.keys()))
    parsing_spec.update(weight_column._parse_example_spec)
    return parsing_spec
