"""`tf.contrib.estimator`: TF 1.15's contrib names for the Estimator extensions
(`add_metrics`, `forward_features`, the early-stopping hooks, `InMemoryEvaluatorHook`).

An explicit re-export list.
"""

from tensorflux.estimator.early_stopping import (
    make_early_stopping_hook,
    read_eval_metrics,
    stop_if_higher_hook,
    stop_if_lower_hook,
    stop_if_no_decrease_hook,
    stop_if_no_increase_hook,
)
from tensorflux.estimator.extenders import add_metrics, forward_features
from tensorflux.estimator.hooks import InMemoryEvaluatorHook

__all__ = [
    "InMemoryEvaluatorHook", "add_metrics", "forward_features", "make_early_stopping_hook",
    "read_eval_metrics", "stop_if_higher_hook", "stop_if_lower_hook",
    "stop_if_no_decrease_hook", "stop_if_no_increase_hook",
]
