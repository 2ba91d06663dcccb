"""ConfigProto, RunOptions, RunMetadata and friends as plain Python objects with TF's fields.

`str(message)` gives protobuf's text format, as TF's messages print.
"""


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

    def __str__(self):
        return "".join(_text_format(self, ""))


def _text_format(msg, indent):
    """protobuf text format: fields that differ from their default, nested messages in braces."""
    for k, default in msg._fields.items():
        v = getattr(msg, k)
        values = v if isinstance(v, list) else [v]
        if not isinstance(v, list):
            if isinstance(v, _Message):
                if not str(v):
                    continue
            elif v == (default() if callable(default) else default) or v is None:
                continue
        for x in values:
            if isinstance(x, _Message):
                yield "%s%s {\n" % (indent, k)
                yield from _text_format(x, indent + "  ")
                yield "%s}\n" % indent
            elif isinstance(x, dict):
                for key, val in x.items():
                    yield '%s%s {\n%s  key: "%s"\n%s  value: %s\n%s}\n' % (
                        indent, k, indent, key, indent, val, indent)
            else:
                yield "%s%s: %s\n" % (indent, k, _text_value(msg, k, x))


def _text_value(msg, field, x):
    if field in getattr(msg, "_enums", {}):
        return msg._enums[field].get(x, x)
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, str):
        return '"%s"' % x.replace("\\", "\\\\").replace('"', '\\"')
    return str(x)


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
               "auto_mixed_precision_mkl": 0, "auto_mixed_precision_cpu": 0,
               "disable_meta_optimizer": False}


class GPUOptions(_Message):
    _fields = {"allow_growth": False, "per_process_gpu_memory_fraction": 0.0,
               "visible_device_list": "", "allocator_type": "", "force_gpu_compatible": False}


class ConfigProto(_Message):
    """Session configuration (`tf.ConfigProto`).

    Honoured: `allow_soft_placement`, `log_device_placement`, `device_count` (`{"CPU": N}`
    makes N CPU devices, `{"GPU": 0}` hides the GPUs), `inter_op_parallelism_threads` (1 runs
    one op at a time; 0, the default, or more lets independent ops run side by side on a
    helper thread where that pays, see passes/concurrency.py),
    `graph_options.optimizer_options.global_jit_level` (selects the XLA backend),
    `graph_options.enable_bfloat16_sendrecv` (cross-device float32 transfers travel as bfloat16;
    $TENSORFLUX_SENDRECV_DTYPE=float16 picks float16 instead, see passes/transfers.py),
    `graph_options.rewrite_options.auto_mixed_precision` (float16 matrix products on GPUs) and
    `auto_mixed_precision_cpu` (the same rewrite emulated on CPUs, see
    passes/mixed_precision.py), `gpu_options.allow_growth` and
    `gpu_options.per_process_gpu_memory_fraction` (the GPU allocator's, when given before the
    GPU is first used). Others are accepted for compatibility.
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


# --- what a traced run records (tensorflow/core/framework/step_stats.proto) -------------------
_DATA_TYPES = {1: "DT_FLOAT", 2: "DT_DOUBLE", 3: "DT_INT32", 4: "DT_UINT8", 5: "DT_INT16",
               6: "DT_INT8", 7: "DT_STRING", 8: "DT_COMPLEX64", 9: "DT_INT64", 10: "DT_BOOL",
               14: "DT_BFLOAT16", 17: "DT_UINT16", 18: "DT_COMPLEX128", 19: "DT_HALF",
               20: "DT_RESOURCE", 21: "DT_VARIANT", 22: "DT_UINT32", 23: "DT_UINT64"}


class AllocationDescription(_Message):
    _fields = {"requested_bytes": 0, "allocated_bytes": 0, "allocator_name": "",
               "allocation_id": 0, "has_single_reference": False, "ptr": 0}


class TensorShapeProto(_Message):
    class Dim(_Message):
        _fields = {"size": 0, "name": ""}

    _fields = {"dim": list, "unknown_rank": False}


class TensorDescription(_Message):
    _fields = {"dtype": 0, "shape": TensorShapeProto,
               "allocation_description": AllocationDescription}
    _enums = {"dtype": _DATA_TYPES}


class NodeOutput(_Message):
    _fields = {"slot": 0, "tensor_description": TensorDescription}


class AllocatorMemoryUsed(_Message):
    _fields = {"allocator_name": "", "total_bytes": 0, "peak_bytes": 0, "live_bytes": 0}


class NodeExecStats(_Message):
    """One op's execution: absolute start, times relative to it, outputs (step_stats.proto)."""

    _fields = {"node_name": "", "all_start_micros": 0, "op_start_rel_micros": 0,
               "op_end_rel_micros": 0, "all_end_rel_micros": 0, "memory": list,
               "output": list, "timeline_label": "", "scheduled_micros": 0, "thread_id": 0,
               "all_start_nanos": 0, "op_start_rel_nanos": 0, "op_end_rel_nanos": 0,
               "all_end_rel_nanos": 0, "scheduled_nanos": 0}


class DeviceStepStats(_Message):
    _fields = {"device": "", "node_stats": list}


class StepStats(_Message):
    _fields = {"dev_stats": list}


class RunMetadata(_Message):
    _fields = {"step_stats": StepStats, "partition_graphs": list, "cost_graph": None}
