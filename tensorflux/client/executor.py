"""Running a placed plan: one backend call, or per-device segments in order; traced runs.

    compile(plan, backend_for) -> run(feed_values, state) -> fetch values
    trace(runner, feed_values, state) -> (fetch values, StepStats)

A plan on one device is compiled by that device's backend as it is. A partitioned plan
(passes/transfers.py) becomes a `SegmentedRun`: each segment compiled by its own device's
backend (`backend_for(device)`: numpy for CPUs unless the session asks for XLA, XLA for GPUs),
values handed from segment to segment through a flat list of slots.

Tracing (`RunOptions(trace_level=FULL_TRACE)`) never touches the untraced path: the session
checks the option once per run and calls `trace`, which runs numpy segments through a small
timing interpreter (one `NodeExecStats` per op, per device) and XLA segments as one timed call
(`_XlaRun`, as TF's XLA launches appear in its timelines).
"""

import time

import numpy as np

from tensorflux import errors
from tensorflux.backends.numpy import dead_loop, interpreter
from tensorflux.client import config as config_lib
from tensorflux.graph.operation import op_error
from tensorflux.ops import state_ops

# What the numpy interpreter turns into InvalidArgumentError naming the op.
_KERNEL_ERRORS = interpreter.KERNEL_ERRORS


def compile(plan, backend_for):  # noqa: A001 - the backend interface's name
    """`run(feed_values, state)` for a placed (and possibly partitioned) plan."""
    if plan.segments:
        return SegmentedRun(plan, backend_for)
    names = plan.device_names()
    backend = backend_for(names[0] if names else "")
    call = backend.compile(plan)
    if _backend_name(backend) == "numpy" and any(
            "/device:GPU:" in plan.devices.get(op, "") for op in plan.ops
            if op.type == "VariableV2"):
        # numpy ops reading a GPU variable directly: XLA may have left a jax array there.
        keys = _touched(plan)

        def run(feed_values, state):
            _variables_to_numpy(state, keys)
            return call(feed_values, state)
        return run
    return call


def _read_variable(op, state):
    try:
        v = state.variables[op.name]
    except KeyError:
        raise op_error(errors.FailedPreconditionError, op,
                       "Attempting to use uninitialized value %s" % op.name) from None
    return np.asarray(v)


class SegmentedRun:
    """Runs a partitioned plan's segments in order, each compiled by its device's backend."""

    def __init__(self, plan, backend_for):
        self.plan = plan
        self.backend_names = []
        slots = {t: i for i, t in enumerate(plan.feeds)}
        # (device, sub-plan, backend name, compiled, input slots, output slots, to_numpy)
        self.steps = []
        mixed = any(_backend_name(backend_for(d)) != "numpy" for d, _ in plan.segments)
        for device, sub in plan.segments:
            backend = backend_for(device)
            name = _backend_name(backend)
            ins = tuple(slots[t] for t in sub.feeds)
            outs = []
            for t in sub.fetches:
                slots[t] = len(slots)
                outs.append(slots[t])
            # A numpy segment after an XLA one may find jax arrays in the variables.
            to_numpy = _touched(sub) if mixed and name == "numpy" else ()
            self.steps.append((device, sub, name, backend.compile(sub), ins, tuple(outs),
                               to_numpy))
        self.nslots = len(slots)
        self.fetch_src = []  # per fetch: ("slot", i) / ("const", value) / ("var", op)
        for t in plan.fetches:
            r = plan.resolve(t)
            if r in slots:
                self.fetch_src.append(("slot", slots[r]))
            elif r in plan.constants:
                self.fetch_src.append(("const", plan.constants[r]))
            else:
                self.fetch_src.append(("var", r.op))

    def __call__(self, feed_values, state):
        vals = list(feed_values) + [None] * (self.nslots - len(feed_values))
        for _, _, _, call, ins, outs, to_numpy in self.steps:
            _variables_to_numpy(state, to_numpy)
            res = call([vals[i] for i in ins], state)
            for o, v in zip(outs, res):
                vals[o] = v
        return self._fetches(vals, state)

    def _fetches(self, vals, state):
        out = []
        for kind, x in self.fetch_src:
            if kind == "slot":
                out.append(vals[x])
            elif kind == "const":
                out.append(x)
            else:
                out.append(_read_variable(x, state))
        return out

    # --- tracing ------------------------------------------------------------------------------
    def trace(self, feed_values, state):
        vals = list(feed_values) + [None] * (self.nslots - len(feed_values))
        stats = {}
        for device, sub, name, call, ins, outs, to_numpy in self.steps:
            _variables_to_numpy(state, to_numpy)
            args = [vals[i] for i in ins]
            if name == "numpy":
                res, nodes = _traced_interpreter(sub, device)(args, state)
            else:
                res, nodes = _timed_call(call, sub, device, args, state)
            stats.setdefault(device, []).extend(nodes)
            for o, v in zip(outs, res):
                vals[o] = v
        return self._fetches(vals, state), _step_stats(stats)


def trace(runner_call, plan, backend_for, feed_values, state):
    """Runs `plan` once with per-op timing; returns (fetch values, StepStats)."""
    if hasattr(runner_call, "trace"):  # a partitioned plan: SegmentedRun, DistributedRun
        return runner_call.trace(feed_values, state)
    names = plan.device_names()
    device = names[0] if names else "/job:localhost/replica:0/task:0/device:CPU:0"
    if _backend_name(backend_for(device)) == "numpy":
        values, nodes = _traced_interpreter(plan, device)(feed_values, state)
    else:
        values, nodes = _timed_call(runner_call, plan, device, feed_values, state)
    return values, _step_stats({device: nodes})


def _backend_name(backend):
    return getattr(backend, "__name__", "").rsplit(".", 1)[-1]


def _touched(plan):
    keys = set()
    for op in plan.ops:
        if op.type == "VariableV2":
            keys.add(op.name)
        for i in op.op_def.ref_inputs:
            try:
                keys.add(state_ops.variable_key(op.inputs[i]))
            except TypeError:
                pass
    return tuple(keys)


def _variables_to_numpy(state, keys):
    variables = state.variables
    for k in keys:
        v = variables.get(k)
        if v is not None and type(v) is not np.ndarray:
            variables[k] = np.asarray(v)


# --- the timing interpreter --------------------------------------------------------------------
def _traced_interpreter(plan, device):
    """`run(feed_values, state) -> (fetch values, [NodeExecStats])`: the numpy interpreter's
    semantics (lazy variable reads, fed outputs win, TF's errors) with a clock around each op."""
    steps = []
    for op in plan.ops:
        if op.type == "VariableV2":
            continue
        builder = op.op_def.kernels.get("numpy")
        if builder is None:
            raise op_error(errors.UnimplementedError, op,
                           "No numpy kernel for op '%s' (type %s)" % (op.name, op.type))
        steps.append((op, builder(op), op.op_def.ref_inputs, op.op_def.stateful))
    fed = set(plan.feeds)
    resolve = plan.resolve
    allocator = "GPU_0_bfc" if "/device:GPU:" in device else "cpu"
    flow = dead_loop.needed(plan.ops)  # TF 1.x control flow: dead tensors (dead_loop.py)

    def run(feed_values, state):
        env = dict(plan.constants)
        dead_ops = set()
        env.update(zip(plan.feeds, feed_values))

        def get(t):
            t = resolve(t)
            try:
                return env[t]
            except KeyError:
                if t.op.type == "VariableV2":
                    return _read_variable(t.op, state)
                raise

        nodes = []
        for op, fn, refs, stateful in steps:
            ins = [get(t) for i, t in enumerate(op.inputs) if i not in refs]
            if flow and _dead_step(op, ins, refs, get, dead_ops):
                dead_ops.add(op)
                env.update((t, dead_loop.DEAD) for t in op._outputs if t not in fed)
                continue
            start = time.time_ns()
            try:
                out = fn(state, *ins) if stateful else fn(*ins)
            except errors.OpError:
                raise
            except _KERNEL_ERRORS as e:
                raise op_error(errors.InvalidArgumentError, op,
                               "%s\n\t [[{{node %s}}]]" % (e, op.name)) from e
            end = time.time_ns()
            outs = () if not op._outputs else (out,) if len(op._outputs) == 1 else out
            for t, v in zip(op._outputs, outs):
                if t not in fed:
                    env[t] = v
            nodes.append(_node_stats(op.name, _label(op, resolve), start, end, outs, allocator))
        return dead_loop.check_fetches([get(t) for t in plan.fetches]), nodes

    return run


def _dead_step(op, ins, refs, get, dead_ops):
    """Whether `op` must not run: a dead input, guarded ref input or control input."""
    guards = [get(op.inputs[i]) for i in refs if op.inputs[i].op.type == "RefSwitch"]
    return dead_loop.is_dead(dead_loop.kind(op), ins, guards,
                             any(c in dead_ops for c in op._control_inputs))


def _timed_call(call, plan, device, args, state):
    """An XLA segment as one node: TF's timelines show XLA launches the same way."""
    start = time.time_ns()
    res = call(args, state)
    end = time.time_ns()
    inputs = ", ".join(_input_name(t) for t in plan.feeds)
    allocator = "GPU_0_bfc" if "/device:GPU:" in device else "cpu"
    return res, [_node_stats("_XlaRun", "_XlaRun = _XlaRun(%s)" % inputs, start, end, res,
                             allocator)]


def _input_name(t):
    return t.op.name if t.value_index == 0 else "%s:%d" % (t.op.name, t.value_index)


def _label(op, resolve):
    """TF's timeline label: `name = Type(input, input:1, ...)`."""
    ins = [_input_name(resolve(t)) for t in op.inputs]
    return "%s = %s(%s)" % (op.name, op.type, ", ".join(ins))


def _node_stats(name, label, start_ns, end_ns, outs, allocator):
    dur_ns = end_ns - start_ns
    outputs, total = [], 0
    for slot, v in enumerate(outs):
        a = v if isinstance(v, np.ndarray) else np.asarray(v) if v is not None else None
        if a is None or a.dtype == object:
            continue
        nbytes = int(a.nbytes)
        total += nbytes
        desc = config_lib.TensorDescription(
            dtype=_dtype_enum(a.dtype),
            shape=config_lib.TensorShapeProto(
                dim=[config_lib.TensorShapeProto.Dim(size=int(n)) for n in a.shape]),
            allocation_description=config_lib.AllocationDescription(
                requested_bytes=nbytes, allocated_bytes=nbytes, allocator_name=allocator))
        outputs.append(config_lib.NodeOutput(slot=slot, tensor_description=desc))
    memory = []
    if total:
        memory.append(config_lib.AllocatorMemoryUsed(allocator_name=allocator,
                                                     total_bytes=total, peak_bytes=total,
                                                     live_bytes=total))
    return config_lib.NodeExecStats(
        node_name=name, all_start_micros=start_ns // 1000, op_start_rel_micros=0,
        op_end_rel_micros=dur_ns // 1000, all_end_rel_micros=dur_ns // 1000,
        all_start_nanos=start_ns, op_start_rel_nanos=0, op_end_rel_nanos=dur_ns,
        all_end_rel_nanos=dur_ns, scheduled_micros=start_ns // 1000, scheduled_nanos=start_ns,
        timeline_label=label, output=outputs, memory=memory)


def _dtype_enum(npd):
    from tensorflux.graph import dtypes

    try:
        return dtypes.as_dtype(npd).as_datatype_enum
    except (TypeError, ValueError, KeyError):
        return 0


def _step_stats(by_device):
    return config_lib.StepStats(dev_stats=[
        config_lib.DeviceStepStats(device=d, node_stats=nodes) for d, nodes in by_device.items()])


# --- RunOptions(output_partition_graphs=True) ----------------------------------------------------
class _PlacedOp:
    """An op as a partition graph shows it: its inputs as the plan reads them, its device the
    one it was placed on."""

    def __init__(self, op, device, resolve):
        self._op = op
        self.name = op.name
        self.type = op.type
        self.device = device
        self._attrs = op._attrs
        self.inputs = [resolve(t) for t in op.inputs]
        self.control_inputs = list(op._control_inputs)


class _OpList:
    def __init__(self, ops):
        self._ops = ops

    def get_operations(self):
        return list(self._ops)


def partition_graphs(plan):
    """One GraphDef per device segment (the whole plan when it runs on one device)."""
    from tensorflux.graph import graph_def

    parts = plan.segments or [(None, plan)]
    out = []
    for device, sub in parts:
        ops = [_PlacedOp(op, device or sub.devices.get(op, ""), sub.resolve) for op in sub.ops]
        out.append(graph_def.GraphDef(_OpList(ops)))
    return out
