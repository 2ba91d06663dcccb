"""Plans with a numpy-only tail: XLA runs the head, the numpy interpreter the rest after it.

A training step that also fetches a summary (`sess.run([train_op, merged])`) has ops XLA cannot
run (string-valued summaries, Print, py_func). Rather than moving the whole step to numpy, the
plan is split:

    tail = the ops without an XLA kernel, plus every op downstream of them (data or control)
    head = the rest: one XLA executable whose fetches are the plan's own (those it computes)
           plus the *boundary* (head values the tail reads)

The split is used only when it keeps the plan's meaning: tail ops must not read or write
variables (a read after the head would see the step's new values, not its start or the order the
plan gives). The head donates no buffers: if the tail fails, the session restores the variables
to their values before the run, so those buffers must still be valid.
"""

from tensorflux.backends.numpy import interpreter

_TRIVIAL = frozenset(["Const", "VariableV2", "Identity", "Snapshot", "StopGradient", "NoOp",
                      "Shape", "Size", "Rank", "PlaceholderWithDefault"])


def split_tail(plan, host_ops):
    """`(head plan, tail plan, boundary)` for `plan`, or None when the split is unsafe."""
    resolve = plan.resolve
    in_plan = set(plan.ops)
    users = {}
    for op in plan.ops:
        for t in op.inputs:
            users.setdefault(resolve(t).op, []).append(op)
        for c in op._control_inputs:
            users.setdefault(c, []).append(op)
    tail = set()
    stack = list(host_ops)
    while stack:
        op = stack.pop()
        if op in tail or op not in in_plan:
            continue
        tail.add(op)
        stack.extend(users.get(op, ()))
    fed = set(plan.feeds)
    for op in tail:
        if op.op_def.ref_inputs or op.type == "VariableV2":
            return None
        for t in op.inputs:
            r = resolve(t)
            if r not in fed and r not in plan.constants and r.op.type == "VariableV2":
                return None
    head_ops = [op for op in plan.ops if op not in tail]
    if not any(op.type not in _TRIVIAL for op in head_ops):
        return None  # nothing worth compiling before the tail
    boundary = []
    for op in plan.ops:
        if op not in tail:
            continue
        for t in op.inputs:
            r = resolve(t)
            if r not in fed and r not in plan.constants and r.op not in tail and \
                    r not in boundary:
                boundary.append(r)
    head_fetches = [t for t in plan.fetches if resolve(t).op not in tail] + boundary
    head_targets = [op for op in plan.targets if op not in tail]
    head_feeds = [t for t in plan.feeds if _used(t, head_ops, head_fetches, resolve)]
    head = plan.replace(ops=head_ops, feeds=head_feeds, fetches=head_fetches,
                        targets=head_targets)
    tail_ops = [op for op in plan.ops if op in tail]
    tail_feeds = boundary + [t for t in plan.feeds if _used(t, tail_ops, (), resolve)]
    tail_plan = plan.replace(ops=tail_ops, feeds=tail_feeds,
                             fetches=[t for t in plan.fetches if resolve(t).op in tail],
                             targets=[op for op in plan.targets if op in tail])
    return head, tail_plan, boundary


def _used(feed, ops, fetches, resolve):
    return any(resolve(t) is feed for t in fetches) or any(
        resolve(t) is feed for op in ops for t in op.inputs)


class SplitRunner:
    """`run(feed_values, state)` for a split plan: the head on XLA, then the tail on numpy."""

    def __init__(self, plan, head, tail, boundary, head_runner):
        self.head = head_runner
        self.tail = interpreter.compile(tail)
        feed_pos = {t: i for i, t in enumerate(plan.feeds)}
        self.head_feeds = [feed_pos[t] for t in head.feeds]
        n_own = len(head.fetches) - len(boundary)
        self.tail_inputs = [("head", n_own + k) for k in range(len(boundary))] + \
            [("feed", feed_pos[t]) for t in tail.feeds[len(boundary):]]
        head_pos = {t: i for i, t in enumerate(head.fetches[:n_own])}
        tail_pos = {t: i for i, t in enumerate(tail.fetches)}
        self.fetch_src = [("head", head_pos[t]) if t in head_pos else ("tail", tail_pos[t])
                          for t in plan.fetches]

    def __call__(self, feed_values, state):
        head_out = self.head([feed_values[i] for i in self.head_feeds], state)
        tail_in = [head_out[i] if src == "head" else feed_values[i]
                   for src, i in self.tail_inputs]
        tail_out = self.tail(tail_in, state)
        return [head_out[i] if src == "head" else tail_out[i] for src, i in self.fetch_src]

