"""`tf.estimator`: TF 1.x's high-level training API (Estimator, EstimatorSpec, RunConfig).

    classifier = tf.estimator.Estimator(model_fn=cnn_model_fn, model_dir="/tmp/cnn")
    classifier.train(input_fn=tf.estimator.inputs.numpy_input_fn(
        x={"x": images}, y=labels, batch_size=100, num_epochs=None, shuffle=True), steps=1000)
    tf.estimator.train_and_evaluate(
        classifier, tf.estimator.TrainSpec(train_input_fn, max_steps=1000),
        tf.estimator.EvalSpec(eval_input_fn, exporters=tf.estimator.LatestExporter(
            "latest", tf.estimator.export.build_parsing_serving_input_receiver_fn(spec))))

An explicit re-export list.
"""

from tensorflux.estimator import experimental, export, inputs
from tensorflux.estimator.canned import (
    BaselineClassifier,
    BaselineRegressor,
    DNNClassifier,
    DNNLinearCombinedClassifier,
    DNNLinearCombinedRegressor,
    DNNRegressor,
    LinearClassifier,
    LinearRegressor,
)
from tensorflux.estimator.estimator import Estimator
from tensorflux.estimator.exporter import BestExporter, Exporter, FinalExporter, LatestExporter
from tensorflux.estimator.extenders import add_metrics
from tensorflux.estimator.model_fn import EstimatorSpec, ModeKeys
from tensorflux.estimator.parsing_utils import (
    classifier_parse_example_spec,
    regressor_parse_example_spec,
)
from tensorflux.estimator.run_config import RunConfig
from tensorflux.estimator.training import EvalSpec, TrainSpec, train_and_evaluate
from tensorflux.estimator.vocab_info import VocabInfo
from tensorflux.estimator.warm_starting import WarmStartSettings
from tensorflux.train.basic_session_run_hooks import (
    CheckpointSaverHook,
    CheckpointSaverListener,
    FeedFnHook,
    FinalOpsHook,
    GlobalStepWaiterHook,
    LoggingTensorHook,
    NanLossDuringTrainingError,
    NanTensorHook,
    SecondOrStepTimer,
    StepCounterHook,
    StopAtStepHook,
    SummarySaverHook,
)
from tensorflux.train.session_run_hook import (
    SessionRunArgs,
    SessionRunContext,
    SessionRunHook,
    SessionRunValues,
)

__all__ = [
    "BaselineClassifier", "BaselineRegressor", "DNNClassifier", "DNNLinearCombinedClassifier",
    "DNNLinearCombinedRegressor", "DNNRegressor", "LinearClassifier", "LinearRegressor",
    "CheckpointSaverHook", "CheckpointSaverListener", "Estimator", "EstimatorSpec", "FeedFnHook",
    "FinalOpsHook", "GlobalStepWaiterHook", "LoggingTensorHook", "ModeKeys",
    "NanLossDuringTrainingError", "NanTensorHook", "RunConfig", "SecondOrStepTimer",
    "SessionRunArgs", "SessionRunContext", "SessionRunHook", "SessionRunValues",
    "StepCounterHook", "StopAtStepHook", "SummarySaverHook", "WarmStartSettings", "inputs",
    "BestExporter", "EvalSpec", "Exporter", "FinalExporter", "LatestExporter", "TrainSpec",
    "VocabInfo", "add_metrics", "classifier_parse_example_spec", "experimental", "export",
    "regressor_parse_example_spec", "train_and_evaluate",
]
