"""Arithmetic simplification.

Algorithm: walk the plan's ops in order and alias away computations whose result is already
available: `x + 0`, `0 + x`, `x - 0`, `x * 1`, `1 * x`, `x / 1` (when the constant is a scalar or
broadcasts to x's own shape, so the result's shape and dtype are x's), `Identity` chains, a
`Cast` to the dtype the tensor already has, `Reshape` to its own static shape, a `Transpose` with
the identity permutation, and `Neg(Neg(x))`. The simplified op's output becomes an alias of `x`
and the op leaves the plan.

Safety: ops with control inputs, or that other ops depend on by control edge, stay (their
ordering role would be lost); so do ops whose outputs are fed, Identities that read a variable
(their read must happen where they run) and anything stateful. Below a TF 1.x Switch only
identities go (an operand thought constant may be dead there: ops/switch_merge_ops.py).
Constants are recognised through constant folding's results and `Const` ops.
"""

import numpy as np

from tensorflux.ops import constant_op, switch_merge_ops

_ADD_ZERO = {"Add": (0, 1), "AddV2": (0, 1), "Sub": (0,)}
_MUL_ONE = {"Mul": (0, 1), "RealDiv": (0,), "Div": (0,)}


def _const(plan, t):
    t = plan.resolve(t)
    if t in plan.feeds:  # a fed tensor holds the feed, not its op's value
        return None
    if t in plan.constants:
        return plan.constants[t]
    return constant_op.constant_value(t) if t.op.type == "Const" else None


def _same_result(x, out):
    """True when `out` must have x's exact static shape and dtype."""
    return (x.dtype.base_dtype == out.dtype.base_dtype and x.shape.is_fully_defined()
            and out.shape.is_fully_defined() and x.shape.as_list() == out.shape.as_list())


def _identity_operand(plan, op):
    """The input tensor `op`'s output equals, or None."""
    t = op.type
    ins = op.inputs
    if t in ("Identity", "Snapshot") and ins[0].op.type != "VariableV2":
        return ins[0]
    if t in _ADD_ZERO or t in _MUL_ONE:
        neutral = 0 if t in _ADD_ZERO else 1
        slots = _ADD_ZERO.get(t) or _MUL_ONE.get(t)
        for keep in slots:
            other = ins[1 - keep]
            c = _const(plan, other)
            if c is not None and np.all(np.asarray(c) == neutral) and \
                    _same_result(ins[keep], op.outputs[0]):
                return ins[keep]
        return None
    if t == "Cast" and ins[0].dtype.base_dtype == op.outputs[0].dtype.base_dtype:
        return ins[0]
    if t == "Reshape" and _same_result(ins[0], op.outputs[0]) and _const(plan, ins[1]) is not None:
        # (a shape only the run knows may still be wrong: the static shape assumes it is not)
        return ins[0]
    if t == "Transpose":
        perm = _const(plan, ins[1])
        if perm is not None and list(np.asarray(perm)) == list(range(len(perm))):
            return ins[0]
    if t == "Neg" and ins[0].op.type == "Neg" and not ins[0].op._control_inputs:
        return ins[0].op.inputs[0]
    return None


def simplify(plan, config=None):
    """Returns `plan` with neutral arithmetic and no-op reshapes/casts aliased away."""
    if config is not None:
        opts = config.graph_options.optimizer_options
        if opts.opt_level == -1:
            return plan
    fed = set(plan.feeds)
    aliases = dict(plan.aliases)
    kept = []
    work = plan.replace(aliases=aliases)
    maybe_dead = switch_merge_ops.may_be_dead(plan.ops, plan.resolve)
    for op in plan.ops:
        d = op.op_def
        removable = (not d.stateful and not op._control_inputs and not op._control_outputs
                     and not any(t in fed for t in op.outputs) and len(op.outputs) == 1
                     and (op not in maybe_dead or op.type in ("Identity", "Snapshot")))
        src = _identity_operand(work, op) if removable else None
        if src is None:
            kept.append(op)
            continue
        aliases[op.outputs[0]] = src
    if len(kept) == len(plan.ops):
        return plan
    return plan.replace(ops=kept, aliases=aliases)
