"""Plans: the pruned, ordered, placed subgraph one `Session.run` signature needs.

    prune (reverse reachability from fetches and targets, cut at fed tensors)
      → passes (passes/pipeline.py) → place (devices) → backend.compile
"""

import heapq
import os
import sys

from tensorflux import errors
from tensorflux.graph import device_spec
from tensorflux.graph.operation import op_error


class Plan:
    """An immutable description of one run: ops in execution order, feeds, fetches, targets.

    Passes never modify graph ops; they return a new Plan (`replace`) whose `aliases` map a
    tensor to the tensor that computes the same value (CSE) and whose `constants` hold values
    computed at plan time (constant folding). Backends resolve every input through `resolve`.
    """

    __slots__ = ("ops", "feeds", "fetches", "targets", "devices", "stateful", "aliases",
                 "constants")

    def __init__(self, ops, feeds, fetches, targets, devices=None, aliases=None, constants=None):
        self.ops = tuple(ops)
        self.feeds = tuple(feeds)
        self.fetches = tuple(fetches)
        self.targets = tuple(targets)
        self.devices = devices or {}
        self.aliases = aliases or {}
        self.constants = constants or {}
        self.stateful = any(op.op_def.stateful for op in self.ops)

    def replace(self, **changes):
        fields = {k: getattr(self, k) for k in ("ops", "feeds", "fetches", "targets", "devices",
                                                 "aliases", "constants")}
        fields.update(changes)
        return Plan(**fields)

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
            lines.append("  %-40s %-20s %s" % (op.name, op.type, self.devices.get(op, "")))
        return "\n".join(lines)


def _all_fed(op, fed):
    return bool(op._outputs) and all(t in fed for t in op._outputs)


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
            if t not in fed and i not in refs:
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
            if t not in fed and i not in refs and t._op in needed:
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


LOCAL_PREFIX = "/job:localhost/replica:0/task:0"


def available_devices():
    """Device names this process can run ops on: the CPU, plus GPUs the XLA backend sees."""
    devs = [LOCAL_PREFIX + "/device:CPU:0"]
    from tensorflux.backends import devices

    for i in range(devices.gpu_count()):
        devs.append(LOCAL_PREFIX + "/device:GPU:%d" % i)
    return devs


def place(ops, config):
    """Maps each op's requested device onto an available one (TF's placement rules)."""
    need_gpu = any("GPU" in op.device for op in ops)
    avail = available_devices() if need_gpu else [LOCAL_PREFIX + "/device:CPU:0"]
    soft = bool(config is not None and config.allow_soft_placement)
    log = bool(config is not None and config.log_device_placement)
    placed = {}
    for op in ops:
        placed[op] = _place_one(op, avail, soft)
        if log:
            print("%s: (%s): %s" % (op.name, op.type, placed[op]), file=sys.stderr)
    return placed


def _place_one(op, avail, soft):
    if not op.device:
        return avail[0]
    spec = device_spec.DeviceSpec.from_string(op.device)
    for name in avail:
        cand = device_spec.DeviceSpec.from_string(name)
        if (spec.job in (None, "localhost") and spec.replica in (None, 0)
                and spec.task in (None, 0)
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
