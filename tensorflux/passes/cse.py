"""Common subexpression elimination.

Algorithm: walk the plan's ops in execution order, keying each op by (type, attributes, the
resolved tensors it reads, its control inputs). An op whose key was already seen computes the
same values as the earlier op: its outputs become aliases of the earlier op's outputs and it is
dropped from the plan.

Safety: stateful ops (variables, assignments, random ops, printing, py_func…), ops reading a
variable by reference and placeholders are never merged; neither is an op whose output is fed
(the feed must win). Large constants are compared by identity, not by value.
"""

import numpy as np

from tensorflux.graph import dtypes, tensor_shape

_MAX_VALUE_ELEMENTS = 4096


def _freeze(v):
    if isinstance(v, np.ndarray):
        if v.size <= _MAX_VALUE_ELEMENTS and v.dtype != object:
            return ("nd", v.dtype.str, v.shape, v.tobytes())
        return ("id", id(v))
    if isinstance(v, (list, tuple)):
        return tuple(_freeze(x) for x in v)
    if isinstance(v, dict):
        return tuple(sorted((k, _freeze(x)) for k, x in v.items()))
    if isinstance(v, tensor_shape.TensorShape):
        return ("shape", None if v.ndims is None else tuple(v.as_list()))
    if isinstance(v, dtypes.DType):
        return ("dtype", v.name)
    try:
        hash(v)
    except TypeError:
        return ("id", id(v))
    return v


def _mergeable(op, fed):
    d = op.op_def
    if d.stateful or d.ref_inputs or op.type in ("Placeholder", "PlaceholderWithDefault"):
        return False
    return not any(t in fed for t in op.outputs)


def eliminate(plan, config=None):
    """Returns `plan` with duplicate computations aliased to their first occurrence."""
    if config is not None:
        opts = config.graph_options.optimizer_options
        if not opts.do_common_subexpression_elimination or opts.opt_level == -1:
            return plan
    fed = set(plan.feeds)
    aliases = dict(plan.aliases)
    seen = {}
    kept = []
    for op in plan.ops:
        if not _mergeable(op, fed):
            kept.append(op)
            continue
        key = (op.type, _freeze(op._attrs),
               tuple(_resolve(aliases, t) for t in op.inputs),
               tuple(sorted(c._id for c in op._control_inputs)))
        first = seen.get(key)
        if first is None:
            seen[key] = op
            kept.append(op)
        else:
            for mine, theirs in zip(op.outputs, first.outputs):
                aliases[mine] = theirs
    if len(kept) == len(plan.ops):
        return plan
    return plan.replace(ops=kept, aliases=aliases)


def _resolve(aliases, t):
    while t in aliases:
        t = aliases[t]
    return t
