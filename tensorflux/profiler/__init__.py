"""`tf.profiler` (and `tf.contrib.tfprof`): parameter and FLOP counts, time and memory reports.

Example:
    >>> flops = tf.profiler.profile(
    ...     graph, options=tf.profiler.ProfileOptionBuilder.float_operation())  # doctest: +SKIP
    >>> flops.total_float_ops  # doctest: +SKIP
"""

from tensorflux.profiler import model_analyzer, option_builder, tfprof_logger
from tensorflux.profiler.model_analyzer import Profiler, advise, profile
from tensorflux.profiler.option_builder import ProfileOptionBuilder
from tensorflux.profiler.protos import (
    AdviceProto,
    GraphNodeProto,
    MultiGraphNodeProto,
    OpLogEntry,
    OpLogProto,
)
from tensorflux.profiler.stats import OpStats, RegisterStatistics, get_stats_for_node_def
from tensorflux.profiler.tfprof_logger import write_op_log

__all__ = ["AdviceProto", "GraphNodeProto", "MultiGraphNodeProto", "OpLogEntry", "OpLogProto",
           "OpStats", "ProfileOptionBuilder", "Profiler", "RegisterStatistics", "advise",
           "get_stats_for_node_def", "model_analyzer", "option_builder", "profile",
           "tfprof_logger", "write_op_log"]
