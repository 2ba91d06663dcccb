"""Plans: the pruned, ordered, placed subgraph one `Session.run` signature needs.

    prune (reverse reachability from fetches and targets, cut at fed tensors)
      → place (devices, TF's placer rules) → passes (passes/pipeline.py; device partitioning
      last) → client/executor.compile (one backend per device)
"""

import heapq
import os
import sys

from tensorflux import errors
from tensorflux.client import device_lib
from tensorflux.graph import device_spec
from tensorflux.graph.operation import op_error


class Plan:
    """An immutable description of one run: ops in execution order, feeds, fetches, targets.

    Passes never modify graph ops; they return a new Plan (`replace`) whose `aliases` map a
    tensor to the tensor that computes the same value (CSE) and whose `constants` hold values
    computed at plan time (constant folding). Backends resolve every input through `resolve`.
    `devices` maps each op to its device's full name (placement). A plan whose ops run on more
    than one device carries `segments` (passes/transfers.py): `(device, sub-plan)` pairs to run
    in order, each on its device's backend, joined by `_Send`/`_Recv` transfers.
    `concurrent` names the ops the numpy interpreter may run on its helper thread, beside the
    ops that follow them in `ops`, and `one_core` those whose oneDNN kernels then run on one
    core each (passes/concurrency.py). `frees` (op -> tensors released after it) and
    `reusable` (op -> input positions it may overwrite) are the memory plan
    (passes/memory.py); None until planned, and `replace` drops them, since they describe
    exactly this plan's ops, feeds and fetches.
    """

    __slots__ = ("ops", "feeds", "fetches", "targets", "devices", "stateful", "aliases",
                 "constants", "segments", "concurrent", "one_core", "frees", "reusable")

    def __init__(self, ops, feeds, fetches, targets, devices=None, aliases=None, constants=None,
                 segments=None, concurrent=frozenset(), one_core=frozenset(), frees=None,
                 reusable=None):
        self.ops = tuple(ops)
        self.feeds = tuple(feeds)
        self.fetches = tuple(fetches)
        self.targets = tuple(targets)
        self.devices = devices or {}
        self.aliases = aliases or {}
        self.constants = constants or {}
        self.segments = segments
        self.concurrent = concurrent
        self.one_core = one_core
        self.frees = frees
        self.reusable = reusable
        self.stateful = any(op.op_def.stateful for op in self.ops)

    def replace(self, **changes):
        """A new plan with `changes`; the memory plan carries over only if given again."""
        fields = {k: getattr(self, k) for k in ("ops", "feeds", "fetches", "targets", "devices",
                                                 "aliases", "constants", "segments",
                                                 "concurrent", "one_core")}
        fields.update(changes)
        return Plan(**fields)

    def device_names(self):
        """The distinct devices the plan's ops are placed on, in order of first use."""
        return list(dict.fromkeys(self.devices[op] for op in self.ops if op in self.devices))

    def resolve(self, t):
        """The tensor whose value `t` takes in this plan (following CSE aliases)."""
        while t in self.aliases:
            t = self.aliases[t]
        return t

    def __repr__(self):
        lines = ["Plan(%d ops, feeds=%s, fetches=%s, %d aliased, %d folded)" % (
            len(self.ops), [t.name for t in self.feeds], [t.name for t in self.fetches],
            len(self.aliases), len(self.constants))]
        for op in self.ops:
            tags = ("  (concurrent)" if op in self.concurrent else "") + \
                ("  (one core)" if op in self.one_core else "")
            if self.frees and op in self.frees:
                tags += "  (frees %s)" % ", ".join(t.name for t in self.frees[op])
            if self.reusable and op in self.reusable:
                tags += "  (may overwrite input %s)" % ", ".join(map(str, self.reusable[op]))
            lines.append("  %-40s %-20s %s%s" % (op.name, op.type, self.devices.get(op, ""), tags))
        for k, (device, sub) in enumerate(self.segments or ()):
            lines.append("  segment %d on %s: %d ops, %d inputs, %d outputs" % (
                k, device, len(sub.ops), len(sub.feeds), len(sub.fetches)))
        return "\n".join(lines)


def _all_fed(op, fed):
    return bool(op._outputs) and all(t in fed for t in op._outputs)


def _reads(i, t, refs):
    """Whether input `i` (tensor `t`) of an op with ref inputs `refs` needs its producer: a
    ref input does not, unless it comes through a RefSwitch (whose dead output means the op
    must not run: ops/switch_merge_ops.py)."""
    return i not in refs or t._op.type == "RefSwitch"


def prune(fetches, targets, feeds):
    """Ops needed to compute `fetches` and run `targets`, in a valid execution order.

    Fed tensors cut the graph: their producers run only if needed for something else. Among
    ready ops, stateless ones go first, so a variable read sees the value from the start of the
    run unless a data or control dependency orders it after an assignment.
    """
    fed = set(feeds)
    needed = {}
    stack = [t.op for t in fetches if t not in fed] + list(targets)
    while stack:
        op = stack.pop()
        if op in needed:
            continue
        needed[op] = True
        refs = op.op_def.ref_inputs if op.op_def is not None else ()
        for i, t in enumerate(op._inputs):
            if t not in fed and _reads(i, t, refs):
                stack.append(t._op)
        # A control input whose outputs are all fed counts as done: as in TF, an op whose
        # outputs are fed never runs (a fed placeholder must not raise "You must feed").
        stack.extend(c for c in op._control_inputs if not _all_fed(c, fed))
    deps = {}
    users = {op: [] for op in needed}
    for op in needed:
        refs = op.op_def.ref_inputs
        pre = set()
        for i, t in enumerate(op._inputs):
            if t not in fed and _reads(i, t, refs) and t._op in needed:
                pre.add(t._op)
        for c in op._control_inputs:
            if c in needed:
                pre.add(c)
        deps[op] = len(pre)
        for p in pre:
            users[p].append(op)
    ready = [(op.op_def.stateful, op._id, op) for op, n in deps.items() if n == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        _, _, op = heapq.heappop(ready)
        order.append(op)
        for u in users[op]:
            deps[u] -= 1
            if deps[u] == 0:
                heapq.heappush(ready, (u.op_def.stateful, u._id, u))
    if len(order) != len(needed):
        raise errors.InvalidArgumentError(None, None, "Graph has a cycle among the ops to run")
    return order


LOCAL_PREFIX = device_lib.LOCAL_PREFIX


def available_devices(config=None):
    """Device names this process can run ops on: its CPUs, plus the GPUs the XLA backend sees."""
    return device_lib.device_names(config)


def place(ops, config, backend="numpy", logged=None, devices=None):
    """Maps each op onto an available device (TF's placement rules); returns {op: device}.

    - An op without a device request goes to the default device: GPU:0 when a GPU exists and
      the backend is XLA or some op of the plan asks for a GPU (TF's default, GPU:0, except that
      a plan that never mentions a GPU stays on the CPU's numpy backend, which needs no JAX);
      else CPU:0. An op with no XLA kernel (string, summary, file ops, py_func, while loops)
      has no GPU kernel and defaults to CPU:0, as in TF. TF's "generator" heuristic: such an op
      with no inputs and one output (a constant) goes where all its consumers are.
    - Colocation: ops of one colocation group (`colocate_with`, `Variable`'s initializer, read
      and assign ops) and ops taking a variable by reference (Assign*, Apply*) go where the
      variable goes, whatever device they asked for (as TF's placer).
    - A request no device satisfies raises TF's InvalidArgumentError, unless
      `allow_soft_placement` (then a GPU request gets a GPU if any, anything else CPU:0).
    - A plan with TF 1.x control flow (Switch/Merge) runs whole on the default device.
    - `log_device_placement` prints TF's `name: (Type): device` lines (stdout, and stderr as
      TF's INFO log), each op once per `logged` set (one per session).
    """
    if devices is not None:  # a cluster's devices, the first the default; listed sorted
        need_gpu, avail = False, sorted(devices, key=_device_order)
        cpu_default = default = devices[0]
    else:
        need_gpu = backend == "xla" or any("GPU" in op.device.upper() for op in ops)
        avail = device_lib.device_names(config, need_gpu)
        cpu_default = default = avail[0]
    if need_gpu:
        default = next((d for d in avail if "/device:GPU:" in d), default)
        if default != cpu_default:
            from tensorflux import backends

            backends.get("xla")  # its kernels registered: _gpu_capable can tell
    soft = bool(config is not None and config.allow_soft_placement)
    placed = {}
    deferred = []
    pinned = set()  # a distributed plan's ops that stay with their variable
    for members, outside in _colocation_groups(ops):
        if devices is not None and any(op.type in _VARIABLE_OPS for op in members + outside):
            pinned.update(members)
        if len(members) == 1 and not outside:
            op = members[0]
            if not op.device:
                if _is_generator(op):
                    deferred.append(op)
                else:
                    placed[op] = default if _gpu_capable(op) else cpu_default
                continue
            requester = op
        else:
            requester = _requester(members, outside)
        dev = default if requester is None else _place_one(requester, avail, soft, default)
        for op in members:
            placed[op] = dev
    for op in deferred:
        where = {placed[c] for t in op._outputs for c in t._consumers if c in placed}
        placed[op] = where.pop() if len(where) == 1 else default
    if len(set(placed.values())) > 1 and _has_control_flow(ops):
        # Across tasks, variables (and the ops they are colocated with) stay on their task.
        placed = {op: dev if op in pinned else default for op, dev in placed.items()}
    if config is not None and config.log_device_placement:
        _log_placement(ops, placed, logged)
    return placed


def _device_order(name):
    """Sort key of full device names: job, then task and device index as numbers."""
    spec = device_spec.DeviceSpec.from_string(name)
    return (spec.job or "", spec.replica or 0, spec.task or 0, spec.device_type or "",
            spec.device_index or 0)


_PLAN_LEVEL = frozenset(("VariableV2", "Placeholder", "Const", "NoOp"))
_VARIABLE_OPS = frozenset(("VariableV2", "VarHandleOp"))


def _has_control_flow(ops):
    """Whether `ops` hold TF 1.x Switch/Merge: their dead tensors never cross devices, so such
    a plan runs whole on the default device (on numpy: the dead-aware loop)."""
    from tensorflux.ops import switch_merge_ops

    return any(switch_merge_ops.is_control_flow(op) for op in ops)


def _gpu_capable(op):
    """Whether the XLA backend (the GPUs' backend) can run `op` (TF: it has a GPU kernel)."""
    opdef = op.op_def
    return opdef is None or op.type in _PLAN_LEVEL or "xla" in opdef.kernels


def _is_generator(op):
    """TF's generator node: no inputs, one output that is not a reference, no side effects."""
    return (not op._inputs and len(op._outputs) == 1 and not op._control_inputs
            and not op._outputs[0].dtype.is_ref_dtype and op.op_def is not None
            and not op.op_def.stateful)


def _colocation_groups(ops):
    """The plan's ops grouped by colocation (groups and reference edges), in plan order.

    Yields (plan ops of the group, graph ops outside the plan that the group follows: a
    variable that this run does not touch but that the group is colocated with).
    """
    parent = {}  # union-find over the ops that take part in some colocation

    def find(k):
        parent.setdefault(k, k)
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    def target(op):
        """The op (or, when it is not in the graph, the name) `op` is colocated with."""
        name = op._colocation
        if not name:
            return None
        return op.graph._ops_by_name.get(name, name) if op.graph is not None else name

    for op in ops:
        loc = target(op)
        if loc is not None:
            union(loc, op)
        for i in (op.op_def.ref_inputs if op.op_def is not None else ()):
            if i < len(op._inputs):
                src = op._inputs[i]._op
                union(src, op)
                if target(src) is not None:
                    union(target(src), src)
    groups = {}
    for op in ops:
        root = find(op) if op in parent else op
        groups.setdefault(root, ([], []))[0].append(op)
    in_plan = set(ops) if parent else ()
    for k in list(parent):
        if not isinstance(k, str) and k not in in_plan:
            groups[find(k)][1].append(k)
    return groups.values()


def _requester(group, outside):
    """The op whose device request the group follows (None: no member asked for one).

    Variables first (ops taking a variable by reference follow it), then the ops others are
    colocated with, then the first member that asked for a device.
    """
    everyone = list(group) + list(outside)
    for op in everyone:
        if op.type == "VariableV2" and op.device:
            return op
    targets = {op._colocation for op in everyone if op._colocation}
    for op in everyone:
        if op.name in targets and op.device:
            return op
    for op in group:
        if op.device:
            return op
    return None


def _log_placement(ops, placed, logged):
    """TF's placer log: ops in plan order, generators (constants) last."""
    order = ([op for op in ops if not _is_generator(op)]
             + [op for op in ops if _is_generator(op)])
    for op in order:
        if logged is not None:
            if op in logged:
                continue
            logged.add(op)
        line = "%s: (%s): %s" % (op.name, op.type, placed[op])
        print(line)
        print("I tensorflow/core/common_runtime/placer.cc:162] " + line, file=sys.stderr)


def _place_one(op, avail, soft, default=None):
    if not op.device:
        return default or avail[0]
    spec = device_spec.DeviceSpec.from_string(op.device)
    for name in ([default] if default else []) + avail:
        cand = device_spec.DeviceSpec.from_string(name)
        if (spec.job in (None, cand.job) and spec.replica in (None, cand.replica)
                and spec.task in (None, cand.task)
                and (spec.device_type is None or spec.device_type == cand.device_type)
                and (spec.device_index is None or spec.device_index == cand.device_index)):
            return name
    if soft:
        if spec.device_type == "GPU":
            gpus = [a for a in avail if "/device:GPU:" in a]
            if gpus:
                return gpus[0]
        return avail[0]
    hint = ""
    if spec.device_type == "GPU":
        hint = " The requested device appears to be a GPU, but CUDA is not enabled."
    raise op_error(errors.InvalidArgumentError, op,
                   "Cannot assign a device for operation %s: {{node %s}} was explicitly assigned "
                   "to %s but available devices are [ %s ]. Make sure the device specification "
                   "refers to a valid device.%s" % (op.name, op.name, op.device,
                                                     ", ".join(avail), hint))


def debug_enabled():
    return os.environ.get("TENSORFLUX_DEBUG", "") not in ("", "0")
