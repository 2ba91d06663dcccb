"""Op log: per-op extra facts (flops from the statistics registry, `_trainable_variables` type).

`merge_default_with_oplog` is what every profiler entry point builds first, as in TF: it fills
shapes the graph leaves unknown from a RunMetadata's recorded output shapes (TF sets them on the
graph's tensors), asks each op for its "flops" statistic, and marks trainable variables.
"""

import os
import sys

from tensorflux.graph import tensor_shape
from tensorflux.graph.graph import GraphKeys
from tensorflux.profiler import flops_registry  # noqa: F401 - registers the flops rules
from tensorflux.profiler.protos import OpLogEntry, OpLogProto
from tensorflux.profiler.stats import get_stats_for_node_def

TRAINABLE_VARIABLES = "_trainable_variables"
REGISTERED_FLOP_STATS = "flops"


def _fill_missing_graph_shape(graph, run_meta):
    """Merge the run's output shapes into the graph's tensors whose static shape is partial."""
    for dev_stat in run_meta.step_stats.dev_stats:
        for node_stat in dev_stat.node_stats:
            if not node_stat.output:
                continue
            try:
                op = graph.get_operation_by_name(node_stat.node_name)
            except (KeyError, ValueError):
                continue
            if len(node_stat.output) != len(op.outputs):
                continue
            for i, out in enumerate(node_stat.output):
                tensor = op.outputs[i]
                if tensor.get_shape().is_fully_defined():
                    continue
                dims = [d.size for d in out.tensor_description.shape.dim]
                try:
                    tensor.set_shape(tensor.get_shape().merge_with(tensor_shape.TensorShape(dims)))
                except ValueError as e:
                    sys.stderr.write("Node %s incompatible shapes: %s.\n"
                                     % (node_stat.node_name, e))
    return graph


def _get_logged_ops(graph, run_meta=None, add_trainable_var=True):
    """{op name: OpLogEntry} for ops with flops and for trainable variables."""
    if run_meta:
        graph = _fill_missing_graph_shape(graph, run_meta)
    missing_shape = 0
    logged_ops = {}
    for op in graph.get_operations():
        try:
            stats = get_stats_for_node_def(graph, op.node_def, REGISTERED_FLOP_STATS)
        except ValueError:
            missing_shape += 1
            stats = None
        if stats is not None and stats.value:
            logged_ops[op.name] = OpLogEntry(name=op.name, float_ops=int(stats.value))
    if add_trainable_var:
        for v in graph.get_collection(GraphKeys.TRAINABLE_VARIABLES):
            name = v.op.name
            if name not in logged_ops:
                logged_ops[name] = OpLogEntry(name=name)
            logged_ops[name].types.append(TRAINABLE_VARIABLES)
    if missing_shape > 0 and not run_meta:
        sys.stderr.write("%d ops no flops stats due to incomplete shapes.\n" % missing_shape)
    return logged_ops


def merge_default_with_oplog(graph, op_log=None, run_meta=None, add_trainable_var=True):
    """The default op log of `graph` merged with the caller's `op_log` (theirs wins)."""
    logged_ops = _get_logged_ops(graph, run_meta, add_trainable_var=add_trainable_var)
    if not op_log:
        return OpLogProto(log_entries=list(logged_ops.values()))
    all_ops = {e.name: e.copy() for e in op_log.log_entries}
    for name, entry in logged_ops.items():
        if name in all_ops:
            all_ops[name].types.extend(entry.types)
            if entry.float_ops > 0 and all_ops[name].float_ops == 0:
                all_ops[name].float_ops = entry.float_ops
        else:
            all_ops[name] = entry
    return OpLogProto(log_entries=list(all_ops.values()))


def write_op_log(graph, log_dir, op_log=None, run_meta=None, add_trace=True):
    """Write `log_dir/tfprof_log`: `op_log` plus flops and trainable-variable types.

    Example:
        >>> tf.profiler.write_op_log(tf.get_default_graph(), "/tmp/logs")  # doctest: +SKIP
    """
    del add_trace  # code traces are not recorded
    op_log = merge_default_with_oplog(graph, op_log, run_meta)
    os.makedirs(log_dir, exist_ok=True)
    with open(os.path.join(log_dir, "tfprof_log"), "wb") as f:
        f.write(op_log.SerializeToString())
