"""`tf.contrib.tfprof.model_analyzer`: `print_model_analysis` and its option dicts.

The older spelling of `tf.profiler.profile` (same results, same printed report).
"""

from tensorflux.profiler.model_analyzer import Profiler
from tensorflux.profiler.model_analyzer import advise as _advise
from tensorflux.profiler.model_analyzer import profile as _profile
from tensorflux.profiler.tfprof_logger import TRAINABLE_VARIABLES

_DEFAULT_PROFILE_OPTIONS = 0
_DEFAULT_ADVISE_OPTIONS = 0


def _options(**changes):
    options = {"max_depth": 10000, "min_bytes": 0, "min_micros": 0, "min_params": 0,
               "min_float_ops": 0, "order_by": "name", "account_type_regexes": [".*"],
               "start_name_regexes": [".*"], "trim_name_regexes": [], "show_name_regexes": [".*"],
               "hide_name_regexes": [], "account_displayed_op_only": True, "select": ["params"],
               "output": "stdout", "dump_to_file": ""}
    options.update(changes)
    return options


TRAINABLE_VARS_PARAMS_STAT_OPTIONS = _options(account_type_regexes=[TRAINABLE_VARIABLES])
FLOAT_OPS_OPTIONS = _options(min_float_ops=1, order_by="float_ops", select=["float_ops"])
PRINT_ALL_TIMING_MEMORY = _options(min_bytes=1, min_micros=1, select=["micros", "bytes"])
ALL_ADVICE = {"ExpensiveOperationChecker": {}, "AcceleratorUtilizationChecker": {},
              "JobChecker": {}, "OperationChecker": {}}


def advise(graph, run_meta=None, tfprof_options=_DEFAULT_ADVISE_OPTIONS):
    return _advise(graph, run_meta, tfprof_options)


def print_model_analysis(graph, run_meta=None, op_log=None, tfprof_cmd="scope",
                         tfprof_options=_DEFAULT_PROFILE_OPTIONS):
    """Profile `graph` and print the report (`tf.profiler.profile` under its old name).

    Example:
        >>> from tensorflux.contrib.tfprof import model_analyzer
        >>> model_analyzer.print_model_analysis(
        ...     graph, tfprof_options=model_analyzer.FLOAT_OPS_OPTIONS)  # doctest: +SKIP
    """
    return _profile(graph, run_meta, op_log, tfprof_cmd, tfprof_options)


__all__ = ["ALL_ADVICE", "FLOAT_OPS_OPTIONS", "PRINT_ALL_TIMING_MEMORY", "Profiler",
           "TRAINABLE_VARS_PARAMS_STAT_OPTIONS", "advise", "print_model_analysis"]
