"""The order a distributed step runs its ops in: as few switches between tasks as possible.

Every switch to a remote task is one round trip, so a training step should be four runs:
the worker's constants, the ps reading every variable, the worker's forward and backward
passes, the ps applying every update (and the worker's last NoOp).

Algorithm (Kahn's topological sort with a preference):
1. Ready ops are kept per task. The next op is, in this order of preference:
   a. a ready stateless op on the current task (earliest in the plan's order first);
   b. the earliest ready stateful op (graph order), if it is on the current task;
   c. else the earliest ready stateless op of another task (switching to it);
   d. else the earliest ready stateful op (switching to its task).
2. A variable op (VariableV2, VarHandleOp) counts as stateless: it only reads its value, which
   a run sees as of its start unless a data or control edge orders the read after a write.
3. A NoOp (a group of control edges: `tf.group`, an optimizer's "update") runs wherever the
   schedule is when it becomes ready, as soon as it is: it has no values to move, so its own
   placement would only cost a round trip.

Safety: stateful ops keep their graph order among the ready ones (as the one-device order),
data and control edges are all respected, and a plan that cannot be fully ordered (which
pruning rules out) keeps its own order.
"""

import heapq

from tensorflux.passes import transfers

_READS = frozenset(("VariableV2", "VarHandleOp"))


def schedule(plan, task_of):
    """`plan.ops` re-ordered to switch tasks (`task_of(op)`) as rarely as possible.

    Returns:
        (ops in order, {op: the task that runs it}).
    """
    ops = list(plan.ops)
    pos = {op: i for i, op in enumerate(ops)}
    users, waiting = transfers.dependencies(plan, ops, pos)
    stateless = {}  # task -> heap of (position, op)
    stateful = []  # heap of (graph id, position, op)
    free = []  # ready NoOps: heap of (position, op)

    def push(op):
        if op.type == "NoOp":
            heapq.heappush(free, (pos[op], op))
        elif _is_stateful(op):
            heapq.heappush(stateful, (op._id or 0, pos[op], op))
        else:
            heapq.heappush(stateless.setdefault(task_of(op), []), (pos[op], op))

    for op in ops:
        if waiting[op] == 0:
            push(op)
    order = []
    where = {}
    current = None
    while True:
        if free:
            op = heapq.heappop(free)[1]
            where[op] = current if current is not None else task_of(op)
            order.append(op)
            for u in users[op]:
                waiting[u] -= 1
                if waiting[u] == 0:
                    push(u)
            continue
        if stateless.get(current):
            op = heapq.heappop(stateless[current])[1]
        elif stateful and task_of(stateful[0][2]) == current:
            op = heapq.heappop(stateful)[2]
        else:
            nonempty = [(h[0][0], t) for t, h in stateless.items() if h]
            if nonempty:
                current = min(nonempty)[1]
                op = heapq.heappop(stateless[current])[1]
            elif stateful:
                op = heapq.heappop(stateful)[2]
                current = task_of(op)
            else:
                break
        order.append(op)
        where[op] = current
        for u in users[op]:
            waiting[u] -= 1
            if waiting[u] == 0:
                push(u)
    if len(order) != len(ops):
        return ops, {op: task_of(op) for op in ops}
    return order, where


def _is_stateful(op):
    return op.op_def is not None and op.op_def.stateful and op.type not in _READS
