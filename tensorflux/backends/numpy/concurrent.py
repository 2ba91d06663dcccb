"""The interpreter's run loop when some steps run on a helper thread (passes/concurrency.py).

The calling thread walks the program in order. A helper step is handed to the one helper
thread (a FIFO queue, so helper steps finish in program order) and the calling thread goes on
with the next steps. Rules that keep the result the same as the sequential loop's:

- A step waits for the helper steps that produce its inputs or that it follows by a control
  edge; a stateful step waits for every helper step handed over before it, so side effects
  keep their order. The run waits for all of them before it returns or raises.
- A helper step takes its inputs when it is handed over. An input that an earlier helper step
  is still computing is taken from that step's future on the helper thread (which has finished
  it by then: FIFO).
- A helper step's results reach the slots when the calling thread collects it, in program
  order; its inputs' and dead outputs' slots are freed then, not before.
- A helper step whose inputs are all at hand and small (under `MIN_ELEMENTS`), or that is a
  view (`VIEWS`), runs right away on the calling thread: the hand-over would cost more than it
  saves.
- Steps in `cores` (a pair of oneDNN operations, one handed over, the other run here) run
  inside `primitives.one_core()`: one core each, with primitives of their own.
- A helper step's error is raised, as that op's error, when it is collected; the steps the
  calling thread ran meanwhile were allowed to run (TF's executor does the same), and the
  session's all-or-nothing rollback of variables is unchanged.
"""

import numpy as np

from tensorflux import errors
from tensorflux.backends.onednn import primitives, threads

MIN_ELEMENTS = 1 << 17
# Op types whose kernels return a view of their input: on the helper only after a helper op.
VIEWS = frozenset(("Identity", "Reshape", "Squeeze", "ExpandDims", "StopGradient", "Snapshot",
                   "PreventGradient", "_Layout"))

class _From:
    """An input that helper step `fut` produces (output `index`, or its only output)."""

    __slots__ = ("fut", "index")

    def __init__(self, fut, index):
        self.fut = fut
        self.index = index

    def value(self):
        res = self.fut.result()
        return res if self.index is None else res[self.index]


def _call(fn, args):
    return fn(*[a.value() if type(a) is _From else a for a in args])


def _call_one_core(fn, args):
    with primitives.one_core():
        return _call(fn, args)


def _big(args):
    return any(isinstance(a, np.ndarray) and a.size >= MIN_ELEMENTS for a in args)


def make_run(program, steps, helper, cores, template, nfeeds, fetch_slots, kernel_error):
    """`run(feed_values, state)` for `program` (see interpreter.compile) whose steps listed in
    `helper` may run on the helper thread, and those in `cores` on one core each."""
    from tensorflux.backends.numpy.interpreter import KERNEL_ERRORS, run_step

    helper = frozenset(helper)
    cores = frozenset(cores)
    ops = [st[4] for st in steps]
    views = frozenset(k for k in helper if ops[k].type in VIEWS)
    producer = {}  # slot -> (helper step, output index or None)
    for k in helper:
        outs = steps[k][2]
        for j, s in enumerate(outs):
            producer[s] = (k, j if program[k][3] & 4 else None)
    step_of = {op: k for k, op in enumerate(ops)}
    waits = []
    for _, ins, _, _, op in steps:
        w = {producer[s][0] for s in ins if s in producer}
        w.update(step_of[c] for c in op.control_inputs if step_of.get(c) in helper)
        waits.append(tuple(sorted(w)))
    pool = threads.pool("tensorflux-inter-op", 1)  # the helper thread: one, so FIFO

    def run(feed_values, state):
        vals = template.copy()
        vals[:nfeeds] = feed_values
        pending = {}  # helper step -> future, in program order

        def collect(upto):
            """Stores the results of the helper steps up to `upto` (all of them: FIFO)."""
            for j in [j for j in pending if j <= upto]:
                fut = pending.pop(j)
                try:
                    res = fut.result()
                except errors.OpError:
                    raise
                except KERNEL_ERRORS as e:
                    raise kernel_error(ops[j], e) from e
                out = program[j][2]
                if program[j][3] & 4:
                    for o, r in zip(out, res):
                        vals[o] = r
                else:
                    vals[out] = res
                res = None
                for i in program[j][4]:
                    vals[i] = None

        k = 0
        try:
            for k, (fn, ins, out, mode, free) in enumerate(program):  # noqa: B007
                if k in helper:
                    args = []
                    for i in ins:
                        p = producer.get(i)
                        if p is not None and p[0] in pending:
                            args.append(_From(pending[p[0]], p[1]))
                        else:
                            args.append(vals[i])
                    if any(type(a) is _From for a in args) or (k not in views and _big(args)):
                        pending[k] = pool.submit(_call_one_core if k in cores else _call, fn,
                                                 args)
                        args = None
                        continue
                    args = None  # small: run it here, after what it follows
                if pending:
                    if mode & 1:
                        collect(k)
                    elif waits[k]:
                        collect(waits[k][-1])
                if k in cores:
                    with primitives.one_core():
                        run_step(vals, state, fn, ins, out, mode)
                else:
                    run_step(vals, state, fn, ins, out, mode)
                for i in free:
                    vals[i] = None
            collect(len(program))
        except errors.OpError:
            raise
        except KERNEL_ERRORS as e:
            raise kernel_error(ops[k], e) from e
        finally:
            for fut in pending.values():  # a failing run still waits for its helper steps
                fut.exception()
        return [vals[i] for i in fetch_slots]

    return run


__all__ = ["MIN_ELEMENTS", "VIEWS", "make_run"]
