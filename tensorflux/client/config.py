"""ConfigProto, RunOptions, RunMetadata and friends as plain Python objects with TF's fields."""


class _Message:
    """A tiny stand-in for a protobuf message: keyword construction, attribute access."""

    _fields = {}

    def __init__(self, **kwargs):
        for k, default in self._fields.items():
            setattr(self, k, default() if callable(default) else default)
        for k, v in kwargs.items():
            if k not in self._fields:
                raise ValueError("Protocol message %s has no \"%s\" field."
                                 % (type(self).__name__, k))
            setattr(self, k, v)

    def CopyFrom(self, other):  # noqa: N802 - protobuf's name
        self.__dict__.update(other.__dict__)

    def __repr__(self):
        items = ", ".join("%s=%r" % (k, getattr(self, k)) for k in self._fields)
        return "%s(%s)" % (type(self).__name__, items)


class OptimizerOptions(_Message):
    DEFAULT = 0
    OFF = -1
    ON_1 = 1
    ON_2 = 2
    L1 = 0
    L0 = -1
    _fields = {"do_common_subexpression_elimination": True, "do_constant_folding": True,
               "opt_level": 0, "global_jit_level": 0, "do_function_inlining": True,
               "max_folded_constant_in_bytes": 10 * 1024 * 1024}


OptimizerOptions.GlobalJitLevel = OptimizerOptions
OptimizerOptions.Level = OptimizerOptions


class GraphOptions(_Message):
    _fields = {"optimizer_options": OptimizerOptions, "enable_bfloat16_sendrecv": False,
               "infer_shapes": False, "place_pruned_graph": False, "build_cost_model": 0,
               "enable_recv_scheduling": False, "timeline_step": 0,
               "rewrite_options": lambda: RewriterConfig()}


class RewriterConfig(_Message):
    ON = 1
    OFF = 2
    DEFAULT = 0
    AGGRESSIVE = 3
    _fields = {"constant_folding": 0, "arithmetic_optimization": 0,
               "dependency_optimization": 0, "layout_optimizer": 0, "remapping": 0,
               "memory_optimization": 0, "auto_mixed_precision": 0,
               "disable_meta_optimizer": False}


class GPUOptions(_Message):
    _fields = {"allow_growth": False, "per_process_gpu_memory_fraction": 0.0,
               "visible_device_list": "", "allocator_type": "", "force_gpu_compatible": False}


class ConfigProto(_Message):
    """Session configuration (`tf.ConfigProto`).

    Honoured: `allow_soft_placement`, `log_device_placement`, `device_count`,
    `graph_options.optimizer_options.global_jit_level` (selects the XLA backend). Others are
    accepted for compatibility.
    """

    _fields = {"allow_soft_placement": False, "log_device_placement": False,
               "device_count": dict, "gpu_options": GPUOptions, "graph_options": GraphOptions,
               "inter_op_parallelism_threads": 0, "intra_op_parallelism_threads": 0,
               "use_per_session_threads": False, "operation_timeout_in_ms": 0,
               "isolate_session_state": False, "session_inter_op_thread_pool": list,
               "placement_period": 0, "device_filters": list}


class RunOptions(_Message):
    NO_TRACE = 0
    SOFTWARE_TRACE = 1
    HARDWARE_TRACE = 2
    FULL_TRACE = 3
    _fields = {"trace_level": 0, "timeout_in_ms": 0, "inter_op_thread_pool": 0,
               "output_partition_graphs": False, "report_tensor_allocations_upon_oom": False}


RunOptions.TraceLevel = RunOptions


class StepStats(_Message):
    _fields = {"dev_stats": list}


class RunMetadata(_Message):
    _fields = {"step_stats": StepStats, "partition_graphs": list, "cost_graph": None}
