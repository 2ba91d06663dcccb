"""Device partitioning: a plan placed on several devices becomes segments joined by transfers.

Algorithm (runs last, on a placed plan; a plan on one device is returned unchanged):
1. Schedule: re-order the plan's ops to switch devices as rarely as possible. Among the ops
   whose inputs are ready, stateless ops go first (as `plan.prune` orders them), preferring
   those on the device that ran last; stateful ops keep prune's order among themselves. So
   every variable read still sees what it saw in the one-device order.
2. Transfers: every tensor that an op on device D reads from an op on device S != D gets one
   `_Send` (on S, right after its producer) / `_Recv` (on D, right before its first reader)
   pair, shared by all of its readers on D (ops/transfer_ops.py). Fed tensors go straight to
   every device that reads them, folded constants live everywhere, and variables are read
   where they are used (the session's state is shared), so none of these is transferred.
3. Segments: the maximal runs of ops on one device, each a sub-plan with its own feeds (the
   plan's feeds and the values earlier segments produce) and fetches (what later segments and
   the caller need). client/executor.py compiles each on its device's backend (numpy for
   CPUs, XLA for GPUs) and runs them in order.

Compression: with `graph_options.enable_bfloat16_sendrecv` (TF's switch; TF applies it between
processes only, tensorflux between any two devices) float32 values travel as bfloat16, with
$TENSORFLUX_SENDRECV_DTYPE=float16 as float16 ("none" turns compression off whatever the
config says). Only float32 tensors are compressed; error bounds are in ops/transfer_ops.py.

Safety: ops are never merged or dropped; a segment that reads a variable directly includes the
variable op, so its read happens inside that segment, in order.
"""

import heapq
import os

from tensorflux.graph import dtypes
from tensorflux.ops import transfer_ops
from tensorflux.passes import plan_ops

WIRE_ENV = "TENSORFLUX_SENDRECV_DTYPE"


def wire_format(config=None):
    """The 16-bit format float32 transfers use ("" for none), from $TENSORFLUX_SENDRECV_DTYPE
    or `config.graph_options.enable_bfloat16_sendrecv`."""
    env = os.environ.get(WIRE_ENV, "").strip().lower()
    if env in ("none", "off", "0", "float32"):
        return ""
    if env:
        if env not in transfer_ops.WIRE_DTYPES:
            raise ValueError("%s must be bfloat16, float16 or none, not %r" % (WIRE_ENV, env))
        return env
    if config is not None and config.graph_options.enable_bfloat16_sendrecv:
        return "bfloat16"
    return ""


def partition(plan, config=None):
    """Returns `plan` split into per-device segments joined by `_Send`/`_Recv` pairs."""
    compute = [op for op in plan.ops if op.type != "VariableV2"]
    names = plan.device_names()
    default = names[0] if names else ""

    def dev(op):
        return plan.devices.get(op, default)

    if len({dev(op) for op in compute}) <= 1:
        return plan
    order = _schedule(plan, compute, dev)
    order, devices, recvs = _insert_transfers(plan, order, dev, wire_format(config))
    segments = _segments(plan, order, devices, recvs)
    variables = [op for op in plan.ops if op.type == "VariableV2"]
    for op in variables:
        devices[op] = dev(op)
    return plan.replace(ops=variables + order, devices=devices, segments=tuple(segments))


def _producer(plan, t, fed, pos):
    """The op in `pos` that computes `t`'s value, or None (fed, folded, a variable, outside)."""
    r = plan.resolve(t)
    if r in fed or r in plan.constants:
        return None
    return r.op if r.op in pos else None


def dependencies(plan, ops, pos):
    """({op: the ops that wait for it}, {op: how many ops it waits for}) among `ops` (`pos`:
    op -> position): data edges except reference inputs (a variable is read in place), and
    control edges (an op CSE merged away counts as its stand-in)."""
    fed = set(plan.feeds)
    users = {op: [] for op in ops}
    waiting = {}
    for op in ops:
        refs = op.op_def.ref_inputs if op.op_def is not None else ()
        pre = set()
        for i, t in enumerate(op.inputs):
            p = None if i in refs else _producer(plan, t, fed, pos)
            if p is not None and p is not op:
                pre.add(p)
        for c in op._control_inputs:
            if c not in pos and c._outputs:  # merged by CSE: follow its stand-in
                c = plan.resolve(c._outputs[0]).op
            if c in pos:
                pre.add(c)
        waiting[op] = len(pre)
        for p in pre:
            users[p].append(op)
    return users, waiting


def _schedule(plan, ops, dev):
    """`ops` re-ordered to minimise device switches (see the module docstring, step 1)."""
    pos = {op: i for i, op in enumerate(ops)}
    users, waiting = dependencies(plan, ops, pos)
    stateless = {}  # device -> heap of (position, op)
    stateful = []  # heap of (graph id, position, op)

    def push(op):
        if op.op_def.stateful:
            heapq.heappush(stateful, (op._id or 0, pos[op], op))
        else:
            heapq.heappush(stateless.setdefault(dev(op), []), (pos[op], op))

    for op in ops:
        if waiting[op] == 0:
            push(op)
    order = []
    current = None
    while True:
        if stateless.get(current):
            op = heapq.heappop(stateless[current])[1]
        else:
            nonempty = [(h[0][0], d) for d, h in stateless.items() if h]
            if nonempty:
                current = min(nonempty)[1]
                op = heapq.heappop(stateless[current])[1]
            elif stateful:
                op = heapq.heappop(stateful)[2]
                current = dev(op)
            else:
                break
        order.append(op)
        for u in users[op]:
            waiting[u] -= 1
            if waiting[u] == 0:
                push(u)
    if len(order) != len(ops):  # cannot happen for a plan prune ordered; keep its order
        return list(ops)
    return order


def _insert_transfers(plan, order, dev, wire):
    """`order` with a `_Send`/`_Recv` pair per (tensor, reading device); devices of all ops."""
    fed = set(plan.feeds)
    pos = {op: i for i, op in enumerate(order)}
    devices = {op: dev(op) for op in order}
    recvs = {}  # (tensor, device) -> the _Recv's output
    after, before = {}, {}
    n = 0
    for op in order:
        d = devices[op]
        refs = op.op_def.ref_inputs
        for i, t in enumerate(op.inputs):
            p = None if i in refs else _producer(plan, t, fed, pos)
            if p is None or devices[p] == d:
                continue
            r = plan.resolve(t)
            if (r, d) in recvs:
                continue
            s = devices[p]
            fmt = wire if r.dtype.base_dtype == dtypes.float32 else ""
            attrs = {"T": r.dtype.base_dtype, "wire_dtype": fmt, "send_device": s,
                     "recv_device": d, "tensor_name": r.name}
            send = plan_ops.new_op(p, "%s/_%d" % (p.name, n), "_Send", [r], attrs, s)
            recv = plan_ops.new_op(p, "%s/_%d" % (p.name, n + 1), "_Recv", [send._outputs[0]],
                                   dict(attrs), d)
            n += 2
            devices[send], devices[recv] = s, d
            after.setdefault(p, []).append(send)
            before.setdefault(op, []).append(recv)
            recvs[(r, d)] = recv._outputs[0]
    out = []
    for op in order:
        out.extend(before.get(op, ()))
        out.append(op)
        out.extend(after.get(op, ()))
    return out, devices, recvs


def _segments(plan, order, devices, recvs):
    """The maximal one-device runs of `order`, each as a (device, sub-plan) pair."""
    runs = []
    for op in order:
        if runs and runs[-1][0] == devices[op]:
            runs[-1][1].append(op)
        else:
            runs.append((devices[op], [op]))
    fed = set(plan.feeds)
    aliases = {}  # device -> the plan's aliases plus "read the _Recv's copy"
    for (r, d), out in recvs.items():
        aliases.setdefault(d, dict(plan.aliases))[r] = out
    needs = []  # per run: (variable ops it reads, tensors it takes from outside)
    for d, ops in runs:
        resolve = _resolver(aliases.get(d, plan.aliases))
        produced = {t for op in ops for t in op._outputs}
        variables, outside = {}, {}
        for op in ops:
            refs = op.op_def.ref_inputs
            for i, t in enumerate(op.inputs):
                r = resolve(t)
                if r in fed:
                    outside[r] = True
                elif r in plan.constants:
                    continue
                elif r.op.type == "VariableV2":
                    variables[r.op] = True
                elif i not in refs and r not in produced:
                    outside[r] = True
        needs.append((list(variables), list(outside)))
    wanted = {plan.resolve(t) for t in plan.fetches}
    for _, outside in needs:
        wanted.update(outside)
    segments = []
    for (d, ops), (variables, outside) in zip(runs, needs):
        fetches = [t for op in ops for t in op._outputs if t in wanted and t not in fed]
        all_ops = variables + ops
        sub = plan.replace(ops=all_ops, feeds=outside, fetches=fetches, targets=(),
                           devices={op: d for op in all_ops},
                           aliases=aliases.get(d, plan.aliases), segments=None)
        segments.append((d, sub))
    return segments


def _resolver(aliases):
    def resolve(t):
        while t in aliases:
            t = aliases[t]
        return t
    return resolve
