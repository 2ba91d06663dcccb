"""`tf.contrib.tfprof`: TF 1.x's first home of the profiler (`model_analyzer`, `tfprof_logger`)."""

from tensorflux.contrib.tfprof import model_analyzer
from tensorflux.profiler import tfprof_logger

__all__ = ["model_analyzer", "tfprof_logger"]
