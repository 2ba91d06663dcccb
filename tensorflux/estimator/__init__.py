"""`tf.estimator`: TF 1.x's high-level training API (Estimator, EstimatorSpec, RunConfig).

    classifier = tf.estimator.Estimator(model_fn=cnn_model_fn, model_dir="/tmp/cnn")
    classifier.train(input_fn=tf.estimator.inputs.numpy_input_fn(
        x={"x": images}, y=labels, batch_size=100, num_epochs=None, shuffle=True), steps=1000)

An explicit re-export list.
"""

from tensorflux.estimator import inputs
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
from tensorflux.estimator.model_fn import EstimatorSpec, ModeKeys
from tensorflux.estimator.run_config import RunConfig
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
]
