"""`tf.estimator.experimental`: early-stopping hooks, `InMemoryEvaluatorHook` and the supervised
input receiver.

An explicit re-export list.
"""

from tensorflux.estimator.early_stopping import (
    make_early_stopping_hook,
    stop_if_higher_hook,
    stop_if_lower_hook,
    stop_if_no_decrease_hook,
    stop_if_no_increase_hook,
)
from tensorflux.estimator.export.export import build_raw_supervised_input_receiver_fn
from tensorflux.estimator.hooks import InMemoryEvaluatorHook

__all__ = [
    "InMemoryEvaluatorHook", "build_raw_supervised_input_receiver_fn", "make_early_stopping_hook",
    "stop_if_higher_hook", "stop_if_lower_hook", "stop_if_no_decrease_hook",
    "stop_if_no_increase_hook",
]
