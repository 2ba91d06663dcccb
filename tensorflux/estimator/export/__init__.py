"""`tf.estimator.export`: serving input receivers and export outputs for
`Estimator.export_saved_model`.

    feature_spec = tf.feature_column.make_parse_example_spec(feature_columns)
    fn = tf.estimator.export.build_parsing_serving_input_receiver_fn(feature_spec)
    export_dir = estimator.export_saved_model("/tmp/export", fn)

An explicit re-export list.
"""

from tensorflux.estimator.export.export import (
    ServingInputReceiver,
    TensorServingInputReceiver,
    build_parsing_serving_input_receiver_fn,
    build_raw_serving_input_receiver_fn,
)
from tensorflux.estimator.export.export_output import (
    ClassificationOutput,
    ExportOutput,
    PredictOutput,
    RegressionOutput,
)

__all__ = [
    "ClassificationOutput", "ExportOutput", "PredictOutput", "RegressionOutput",
    "ServingInputReceiver", "TensorServingInputReceiver",
    "build_parsing_serving_input_receiver_fn", "build_raw_serving_input_receiver_fn",
]
