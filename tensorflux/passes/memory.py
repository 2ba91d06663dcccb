"""Memory planning: when each value is released, and which inputs an op may overwrite.

Algorithm: one walk over the plan's ops in execution order (this pass runs after every pass
that adds, removes or reorders ops) records each tensor's last reader, resolving CSE aliases.

- `frees[op]`: the tensors whose last use is `op` (an output nobody reads dies at its own op).
  A backend releases them right after `op` runs, so intermediates do not outlive their
  readers: the step's peak memory is the live set, not the sum of every value.
- `reusable[op]`: positions of `op`'s inputs whose buffers `op` may overwrite with its result
  (buffer reuse: a ReLU or batch norm writing over its input instead of allocating). A kernel
  opts in for the positions it can write into; the backend also checks at run time that
  nothing else refers to the array.

Safety rules: released and reused values are never a fetched tensor, a folded constant, or a
variable's value (a variable is read where it is used, by the backend). A reused input is
also never a fed tensor (the user's array), an input passed twice to the op, an input of a
stateful op, or an input of an op on the helper thread (passes/concurrency.py: the calling
thread may still be reading it). A partitioned plan is planned segment by segment.
"""


def plan_memory(plan, config=None):
    """The plan with `frees` and `reusable` filled in (see the module docstring)."""
    if plan.segments:
        return plan.replace(segments=tuple((device, plan_memory(sub, config))
                                           for device, sub in plan.segments))
    last = {}
    produced = []
    for op in plan.ops:
        refs = op.op_def.ref_inputs
        for i, t in enumerate(op.inputs):
            if i not in refs or t.op.type == "RefSwitch":  # a RefSwitch's output guards `op`
                last[plan.resolve(t)] = op
        produced.extend((t, op) for t in op.outputs)
    for t, op in produced:
        last.setdefault(t, op)  # never read: released by its own op
    keep = {plan.resolve(t) for t in plan.fetches} | set(plan.constants)
    frees = {}
    for t, op in last.items():
        if t not in keep and t.op.type != "VariableV2":
            frees.setdefault(op, []).append(t)
    fed = set(plan.feeds)
    reusable = {}
    for op in plan.ops:
        if op.op_def.stateful or op in plan.concurrent:
            continue
        ins = [plan.resolve(t) for t in op.inputs]
        pos = tuple(i for i, t in enumerate(ins)
                    if last.get(t) is op and t not in keep and t not in fed and
                    t.op.type != "VariableV2" and ins.count(t) == 1)
        if pos:
            reusable[op] = pos
    return plan.replace(frees={op: tuple(ts) for op, ts in frees.items()}, reusable=reusable)


__all__ = ["plan_memory"]
