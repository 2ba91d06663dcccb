"""The canned estimators of TF 1.x: DNN, linear and "wide & deep" classifiers and regressors
built on `tf.estimator.Estimator`, a head, and `tf.feature_column`.

An explicit re-export list.
"""

from tensorflux.estimator.canned.baseline import BaselineClassifier, BaselineRegressor
from tensorflux.estimator.canned.dnn import DNNClassifier, DNNRegressor
from tensorflux.estimator.canned.dnn_linear_combined import (
    DNNLinearCombinedClassifier,
    DNNLinearCombinedRegressor,
)
from tensorflux.estimator.canned.linear import LinearClassifier, LinearRegressor

__all__ = [
    "BaselineClassifier", "BaselineRegressor", "DNNClassifier", "DNNLinearCombinedClassifier",
    "DNNLinearCombinedRegressor", "DNNRegressor", "LinearClassifier", "LinearRegressor",
]
