"""numpy kernels for functional control flow (ops/cond_ops.py): If, While and their gradients.

Each body is compiled once, lazily, into a sub-plan with the ordinary plan machinery (prune from
the body's outputs, cut at its input placeholders, passes, `interpreter.compile`). The session
state is threaded through, so variables read and assigned in a body are the session's; random
ops in a body get generators of their own (keyed by the functional op), so they never share a
stream with an outer op of the same name.
"""

import numpy as np

from tensorflux.backends.numpy import interpreter
from tensorflux.backends.numpy.list_ops import zeros_like_value
from tensorflux.client import plan as plan_lib
from tensorflux.ops.registry import kernel


class _BodyState:
    """The session state a body sees: the same variables, its own random generators."""

    __slots__ = ("variables", "rngs", "resources")

    def __init__(self, state, key):
        self.variables = state.variables
        self.rngs = state.rngs.setdefault(key, {})
        self.resources = state.resources


def _sub_state(state, key):
    return None if state is None else _BodyState(state, key)


class _Runner:
    """Runs one body: feeds its input placeholders from the op's arguments, fetches outputs.

    `extra_feeds` are tensors of the body fed from a stash; `extra_fetches` are tensors whose
    values the forward op records for the gradient. None entries of `outputs` are not fetched
    (the caller fills them in).
    """

    def __init__(self, body, extra_feeds=(), extra_fetches=()):
        self.arg_index = [i for i, p in enumerate(body.inputs) if p is not None]
        feeds = [body.inputs[i] for i in self.arg_index] + list(extra_feeds)
        self.out_index = [i for i, t in enumerate(body.outputs) if t is not None]
        fetches = [body.outputs[i] for i in self.out_index] + list(extra_fetches)
        self.n_out = len(body.outputs)
        ops = plan_lib.prune(fetches, (), feeds)
        plan = plan_lib.Plan(ops, feeds, fetches, ())
        from tensorflux.passes import pipeline

        self.run = interpreter.compile(pipeline.run(plan, None))
        self.n_fetch = len(self.out_index)

    def __call__(self, state, args, extra=()):
        values = [args[i] for i in self.arg_index]
        values.extend(extra)
        res = self.run(values, state)
        outs = [None] * self.n_out
        for k, i in enumerate(self.out_index):
            outs[i] = res[k]
        return outs, res[self.n_fetch:]


class _Lazy:
    """Compiles a runner on first use (a branch that never runs is never compiled)."""

    def __init__(self, make):
        self.make = make
        self.runner = None

    def __call__(self, *args, **kwargs):
        if self.runner is None:
            self.runner = self.make()
        return self.runner(*args, **kwargs)


class Record:
    """What a forward op stashes for its gradient (not a sequence: numpy keeps it whole)."""

    __slots__ = ("branch", "values", "iterations", "captures")

    def __init__(self, branch=None, values=None, iterations=None, captures=None):
        self.branch = branch
        self.values = values
        self.iterations = iterations
        self.captures = captures


def _record(v):
    if isinstance(v, np.ndarray):  # a constant-folded stash is a 0-d object array
        v = v.item()
    return v


def _truth(pred):
    pred = np.asarray(pred)
    if pred.ndim == 0:
        return bool(pred)
    return pred.size > 0


def _stateful(builder):
    """The stateful op types get `run(state, ...)`; the stateless ones `run(...)`."""

    def stateless(op):
        run = builder(op)
        return lambda *args: run(None, *args)

    return builder, stateless


# --- If ----------------------------------------------------------------------------------------
def _if_builder(op):
    keys = ("then_branch", "else_branch")
    stash = op._attrs.get("_stash")
    n_out = len(op._attrs["Tout"])
    multi = len(op.outputs) != 1
    runners = [_Lazy(lambda k=k: _Runner(op._attrs[k], (), stash.get(k, ()) if stash else ()))
               for k in keys]

    def run(state, pred, *args):
        i = 0 if _truth(pred) else 1
        outs, extra = runners[i](_sub_state(state, (op.name, i)), args)
        if stash is not None:
            fetched = stash.get(keys[i], ())
            return outs[:n_out] + [Record(branch=i, values=dict(zip(fetched, extra)))]
        return outs if multi else outs[0]

    return run


_if, _stateless_if = _stateful(_if_builder)
kernel("If")(_if)
kernel("StatelessIf")(_stateless_if)


@kernel("IfGrad")
def _if_grad(op):
    bodies = (op._attrs["then_branch"], op._attrs["else_branch"])
    stash = op._attrs["stash"]
    wrt = op._attrs["wrt"]
    n_args = len(bodies[0].inputs)
    has_record = len(op.inputs) > 1 + n_args
    runners = [_Lazy(lambda i=i: _Runner(bodies[i], stash[i])) for i in (0, 1)]
    multi = len(op.outputs) != 1

    def run(state, pred, *args):
        i = 0 if _truth(pred) else 1
        extra = ()
        if has_record:
            rec = _record(args[n_args])
            i = rec.branch
            extra = [rec.values[t] for t in stash[i]]
        outs, _ = runners[i](_sub_state(state, (op.name, i)), args[:n_args], extra)
        outs = [zeros_like_value(args[j]) if o is None else o for o, j in zip(outs, wrt)]
        return outs if multi else outs[0]

    return run


# --- While -------------------------------------------------------------------------------------
def _slices(xs, idx):
    out = []
    for x in xs:
        if not 0 <= idx < len(x):
            raise IndexError("slice index %d of dimension 0 out of bounds." % idx)
        out.append(x[idx])
    return out


def _while_builder(op):
    n_vars, n_xs = op._attrs["n_vars"], op._attrs["n_xs"]
    n_ys = len(op._attrs["Tout"]) - n_vars
    reverse = op._attrs["reverse"]
    ys_spec = [(dt.as_numpy_dtype, shp) for dt, shp in
               zip(op._attrs["Tout"][n_vars:], op._attrs["output_shapes"][n_vars:])]
    stash = op._attrs.get("_stash")
    fetched = stash.get("body", ()) if stash is not None else ()
    cond = _Lazy(lambda: _Runner(op._attrs["cond"]))
    body = _Lazy(lambda: _Runner(op._attrs["body"], (), fetched))
    no_slices = [None] * n_xs

    def run(state, *args):
        vals = list(args[:n_vars])
        xs = args[n_vars:n_vars + n_xs]
        caps = list(args[n_vars + n_xs:])
        sub = _sub_state(state, op.name)
        iterations = [] if stash is not None else None
        ys = [[] for _ in range(n_ys)]
        k = 0
        while True:
            (c,), _ = cond(sub, vals + no_slices + caps)
            if not _truth(c):
                break
            idx = None
            if n_xs:
                idx = len(xs[0]) - 1 - k if reverse else k
            outs, extra = body(sub, vals + _slices(xs, idx) + caps)
            if iterations is not None:
                iterations.append((vals, idx, extra))
            vals = outs[:n_vars]
            for j in range(n_ys):
                ys[j].append(outs[n_vars + j])
            k += 1
        res = vals
        for y, (npd, shp) in zip(ys, ys_spec):
            if reverse:
                y.reverse()
            if y:
                res.append(np.stack(y))
            else:
                dims = [0] + [d or 0 for d in shp.as_list()[1:]] if shp.ndims else [0]
                res.append(np.zeros(dims, dtype=npd))
        if iterations is not None:
            res.append(Record(iterations=iterations, captures=(xs, caps)))
        return res

    return run


_while, _stateless_while = _stateful(_while_builder)
kernel("While")(_while)
kernel("StatelessWhile")(_stateless_while)


@kernel("WhileGrad")
def _while_grad(op):
    gbody = op._attrs["body"]
    var_wrt, x_wrt, cap_wrt = op._attrs["var_wrt"], op._attrs["x_wrt"], op._attrs["cap_wrt"]
    stash = op._attrs["stash"]
    fwd = op.inputs[0].op
    n_vars, n_xs = fwd._attrs["n_vars"], fwd._attrs["n_xs"]
    reverse = fwd._attrs["reverse"]
    positions = [fwd._attrs["_stash"]["body"].index(t) for t in stash]
    runner = _Lazy(lambda: _Runner(gbody, stash))
    nv, nx = len(var_wrt), len(x_wrt)
    multi = len(op.outputs) != 1

    def run(state, rec, *gys):
        rec = _record(rec)
        xs, caps = rec.captures
        g, gy_stacked = list(gys[:nv]), gys[nv:]
        gxs = [np.zeros_like(xs[j - n_vars]) for j in x_wrt]
        gcaps = [None] * len(cap_wrt)
        sub = _sub_state(state, op.name)
        n_it = len(rec.iterations)
        for k in reversed(range(n_it)):
            vals, idx, extra = rec.iterations[k]
            pos = n_it - 1 - k if reverse else k
            feed = list(vals) + (_slices(xs, idx) if n_xs else []) + list(caps) + g + [
                gy[pos] for gy in gy_stacked]
            outs, _ = runner(sub, feed, [extra[p] for p in positions])
            g = [zeros_like_value(vals[i]) if o is None else o
                 for o, i in zip(outs[:nv], var_wrt)]
            for m, o in enumerate(outs[nv:nv + nx]):
                if o is not None:
                    gxs[m][idx] += o
            for m, o in enumerate(outs[nv + nx:]):
                if o is not None:
                    gcaps[m] = o if gcaps[m] is None else gcaps[m] + o
        gcaps = [zeros_like_value(caps[j - n_vars - n_xs]) if v is None else v
                 for v, j in zip(gcaps, cap_wrt)]
        res = g + gxs + gcaps
        return res if multi else res[0]

    return run
