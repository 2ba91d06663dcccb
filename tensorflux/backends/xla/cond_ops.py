"""XLA kernels for `tf.cond` (ops/cond_ops.py): If, StatelessIf and IfGrad.

When the predicate is known while the plan is traced (a constant, or a fed `is_training`
placeholder, which becomes a static feed: one executable per value), the chosen branch is traced
inline, into the same executable: its variable reads and assignments act on the plan's
variables, its random ops draw from keys derived from the If op's own key, and its runtime
checks join the plan's.

A predicate computed from data (the "all gradients finite" test of dynamic loss scaling) is
allowed where no gradient flows through the cond and neither branch draws random numbers: both
branches are traced, and the outputs and every variable either branch writes are selected
element-wise by the predicate (a branch that is not taken changes nothing; its runtime checks
are masked by the predicate). Branches whose outputs differ in shape or dtype cannot be
selected: such plans run on numpy.

The forward op's stash for the gradient (`Record`) is a host object holding the branch and its
traced values, read by IfGrad in the same trace.

While loops have no kernel here (their trip count is data; their gradient replays a tape of
iterations): plans with them run on numpy.
"""

import weakref

import jax
import jax.numpy as jnp
import numpy as np

from tensorflux.backends.numpy.cond_ops import Record
from tensorflux.backends.xla import analysis as analysis_lib
from tensorflux.backends.xla import kernel as kernel_lib
from tensorflux.backends.xla.kernel import NotCompilable, kernel
from tensorflux.client import plan as plan_lib

_BODIES = weakref.WeakKeyDictionary()  # op -> {branch key: _Body}


class _Body:
    """One branch body as an analysed sub-plan: args (+ stashed values) in, outputs out."""

    def __init__(self, body, extra_feeds=(), extra_fetches=()):
        from tensorflux.passes import pipeline

        self.arg_index = [i for i, p in enumerate(body.inputs) if p is not None]
        feeds = [body.inputs[i] for i in self.arg_index] + list(extra_feeds)
        self.out_index = [i for i, t in enumerate(body.outputs) if t is not None]
        fetches = [body.outputs[i] for i in self.out_index] + list(extra_fetches)
        self.n_out = len(body.outputs)
        self.n_fetch = len(self.out_index)
        plan = plan_lib.Plan(plan_lib.prune(fetches, (), feeds), feeds, fetches, ())
        self.an = analysis_lib.Analysis(pipeline.run(plan, None))
        if self.an.reason is not None:
            raise NotCompilable("cond branch: " + self.an.reason)
        n_args = len(self.arg_index)
        if any(j >= n_args for j in self.an.static_feeds):
            raise NotCompilable("cond branch needs a stashed value at compile time")
        # The op's arguments whose values the branch needs while tracing (a shape, an axis).
        self.static_args = [self.arg_index[j] for j in self.an.static_feeds]

    def run(self, state, key, args, extra=()):
        from tensorflux.backends.xla import compiler

        plan = self.an.plan
        vals = dict(plan.constants)
        vals.update(zip(plan.feeds, [args[i] for i in self.arg_index] + list(extra)))
        rngs = {}
        for j, op in enumerate(self.an.rng_ops):
            rngs[op.name] = jax.random.fold_in(key, j)
        variables = state.variables if state is not None else {}
        get = compiler.run_steps(self.an, vals, compiler.TraceState(variables, rngs))
        res = [get(t) for t in plan.fetches]
        outs = [None] * self.n_out
        for k, i in enumerate(self.out_index):
            outs[i] = res[k]
        return outs, res[self.n_fetch:]


def _body(op, key, extra_feeds=(), extra_fetches=()):
    per_op = _BODIES.setdefault(op, {})
    cache_key = (key, tuple(extra_feeds), tuple(extra_fetches))  # a stash can grow later
    b = per_op.get(cache_key)
    if b is None:
        b = per_op[cache_key] = _Body(op._attrs[key], extra_feeds, extra_fetches)
    return b


def _if_bodies(op):
    stash = op._attrs.get("_stash")
    return [_body(op, k, (), stash.get(k, ()) if stash else ())
            for k in ("then_branch", "else_branch")]


def _grad_bodies(op):
    stash = op._attrs["stash"]
    return [_body(op, k, stash[i]) for i, k in enumerate(("then_branch", "else_branch"))]


def _bodies(op):
    return _grad_bodies(op) if op.type == "IfGrad" else _if_bodies(op)


def _state_keys(op):
    """Variables either branch reads or writes (a write may not happen: it is read too)."""
    reads, writes = [], []
    for b in _bodies(op):
        for k in b.an.in_keys + b.an.written:
            if k not in reads:
                reads.append(k)
        for k in b.an.written:
            if k not in writes:
                writes.append(k)
    return reads, writes


def _static(op):
    """The pred (unless it may be traced, see `_selectable`) and static arguments."""
    args = sorted({a for b in _bodies(op) for a in b.static_args})
    pred = () if (op.type == "IfGrad" and _has_record(op)) or _selectable(op) else (0,)
    return pred + tuple(1 + a for a in args)


def _selectable(op):
    """Whether a traced predicate can pick the branch by selection (see the module docstring)."""
    return (op.type in ("If", "StatelessIf") and op._attrs.get("_stash") is None
            and not _rng(op))


def _prefer_static(op):
    return (0,) if _selectable(op) else ()


def _checks(op):
    return any(b.an.checks for b in _bodies(op))


def _rng(op):
    return any(b.an.rng_ops for b in _bodies(op))


def _truth(pred):
    pred = np.asarray(pred)
    return bool(pred) if pred.ndim == 0 else pred.size > 0


def _branch_key(state, op):
    if state is not None and op.name in state.rngs:
        return state.rng_key(op)
    return jax.random.PRNGKey(0)


def _if_builder(op):
    stash = op._attrs.get("_stash")
    n_out = len(op._attrs["Tout"])
    multi = len(op.outputs) != 1
    bodies = _if_bodies(op)

    def run(state, pred, *args):
        if not _is_known(pred):
            return _run_selected(op, bodies, state, pred, args, multi)
        i = 0 if _truth(pred) else 1
        outs, extra = bodies[i].run(state, _branch_key(state, op), args)
        if stash is not None:
            fetched = stash.get(("then_branch", "else_branch")[i], ())
            return outs[:n_out] + [Record(branch=i, values=dict(zip(fetched, extra)))]
        return outs if multi else outs[0]

    return run


def _is_known(pred):
    return not isinstance(pred, jax.Array)  # traced values are jax arrays; known ones numpy


def _run_selected(op, bodies, state, pred, args, multi):
    """Both branches traced; outputs and written variables chosen by the traced `pred`."""
    if pred.ndim != 0:
        pred = pred.size > 0  # TF's truth of a non-scalar predicate: its size, known statically
        return _run_known(op, bodies, state, bool(pred), args, multi)
    pred = pred.astype(bool)
    trace = kernel_lib.current()
    variables = state.variables if state is not None else None
    before = dict(variables) if variables is not None else None
    results = []
    for i, keep in enumerate((pred, jnp.logical_not(pred))):
        if variables is not None:
            variables.clear()
            variables.update(before)
        first = len(trace.checks) if trace is not None else 0
        outs, _ = bodies[i].run(state, jax.random.PRNGKey(0), args)
        if trace is not None:
            trace.checks[first:] = [jnp.logical_and(keep, c) for c in trace.checks[first:]]
        results.append((outs, dict(variables) if variables is not None else None))
    (outs_t, vars_t), (outs_f, vars_f) = results
    outs = [_select(pred, a, b) for a, b in zip(outs_t, outs_f)]
    if variables is not None:
        variables.clear()
        for k in set(vars_t) | set(vars_f):
            a, b = vars_t.get(k, before.get(k)), vars_f.get(k, before.get(k))
            variables[k] = a if a is b else _select(pred, a, b)
    return outs if multi else outs[0]


def _run_known(op, bodies, state, truth, args, multi):
    outs, _ = bodies[0 if truth else 1].run(state, _branch_key(state, op), args)
    return outs if multi else outs[0]


def _select(pred, a, b):
    if a is None or b is None:
        return a if b is None else b
    a, b = jnp.asarray(a), jnp.asarray(b)
    if a.shape != b.shape or a.dtype != b.dtype:
        raise NotCompilable("cond branches return %s %s and %s %s: cannot select between them"
                            % (a.dtype, a.shape, b.dtype, b.shape))
    return jnp.where(pred, a, b)


def _stateless_if(op):
    run = _if_builder(op)
    return lambda *args: run(None, *args)


_SPEC = dict(static=_static, checks=_checks, rng=_rng, state_keys=_state_keys,
             prefer_static=_prefer_static)
kernel("If", **_SPEC)(_if_builder)
kernel("StatelessIf", **_SPEC)(_stateless_if)


def _has_record(op):
    return len(op.inputs) > 1 + len(op._attrs["then_branch"].inputs)


@kernel("IfGrad", **_SPEC)
def _if_grad(op):
    stash = op._attrs["stash"]
    wrt = op._attrs["wrt"]
    n_args = len(op._attrs["then_branch"].inputs)
    has_record = _has_record(op)
    bodies = _grad_bodies(op)
    multi = len(op.outputs) != 1

    def run(state, pred, *args):
        extra = ()
        if has_record:
            rec = args[n_args]
            if not isinstance(rec, Record):
                raise NotCompilable("IfGrad's record is not known while tracing")
            i = rec.branch
            extra = [rec.values[t] for t in stash[i]]
        else:
            i = 0 if _truth(pred) else 1
        outs, _ = bodies[i].run(state, _branch_key(state, op), args[:n_args], extra)
        outs = [jnp.zeros_like(args[j]) if o is None else o for o, j in zip(outs, wrt)]
        return outs if multi else outs[0]

    return run
