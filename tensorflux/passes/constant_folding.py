"""Constant folding.

Algorithm: walk the plan's ops in execution order. An op is folded when every tensor it reads
is known at plan time — a `Const`, or an output folded earlier — or when it only asks for static
facts that are fully known (`Shape`, `Size`, `Rank` of a tensor with a fully defined shape).
Folding runs the op's numpy kernel once, stores the outputs in `plan.constants` and drops the
op from the plan.

Safety: stateful ops and ops with fed outputs are never folded, nor are ops reading fed tensors,
nor ops downstream of a TF 1.x Switch (their value may be dead: ops/switch_merge_ops.py).
An output larger than the cap (`max_folded_constant_in_bytes`, 10 MB like TF) is not stored;
an op whose kernel fails is left in the plan, so the error surfaces at run time with its name.
"""

import numpy as np

from tensorflux.ops import constant_op, switch_merge_ops

_STATIC_FACTS = ("Shape", "Size", "Rank")
_DEFAULT_CAP = 10 * 1024 * 1024


def fold(plan, config=None):
    """Returns `plan` with every foldable op replaced by its value."""
    cap = _DEFAULT_CAP
    if config is not None:
        opts = config.graph_options.optimizer_options
        if not opts.do_constant_folding or opts.opt_level == -1:
            return plan
        cap = opts.max_folded_constant_in_bytes
    from tensorflux import backends

    backends.get("numpy")  # kernels registered
    fed = set(plan.feeds)
    constants = dict(plan.constants)
    kept = []
    maybe_dead = switch_merge_ops.may_be_dead(plan.ops, plan.resolve)
    for op in plan.ops:
        d = op.op_def
        if d.stateful or d.ref_inputs or op in maybe_dead or any(t in fed for t in op.outputs):
            kept.append(op)
            continue
        inputs = [plan.resolve(t) for t in op.inputs]
        static = op.type in _STATIC_FACTS and op.inputs[0].shape.is_fully_defined()
        if not static and not all(t in constants for t in inputs):
            kept.append(op)
            continue
        values = _evaluate(op, inputs, constants, static)
        if values is None or any(v.nbytes > cap for v in values):
            kept.append(op)
            continue
        for t, v in zip(op.outputs, values):
            v.setflags(write=False)
            constants[t] = v
    if len(kept) == len(plan.ops):
        return plan
    return plan.replace(ops=kept, constants=constants)


def _evaluate(op, inputs, constants, static):
    if static:  # Shape/Size/Rank of a fully known shape: any array of that shape will do
        args = [np.empty(op.inputs[0].shape.as_list(), dtype=np.bool_)]
    else:
        args = [constants[t] for t in inputs]
    return constant_op.run_numpy_kernel(op, args)
