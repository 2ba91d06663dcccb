"""The interpreter's run loop for plans with TF 1.x control flow: dead tensors.

A Switch (ops/switch_merge_ops.py) forwards its data to one output and leaves `DEAD` in the
other's slot. The rules, TF's executor's (core/common_runtime/executor.cc, propagator state):

- A step with a dead data input, a dead ref input (an Assign whose variable comes through a
  RefSwitch's dead output) or a dead control input (a control input op that did not run) does
  not run: its outputs are `DEAD` and the op counts as dead for the ops it controls. So a
  stateful op under the untaken branch leaves the session state as it was.
- Merge runs when any data input is live and outputs the first live one with its index; it is
  dead only when all its data inputs are (its control inputs only order it, as in TF).
- ControlTrigger always runs.
- Fetching a dead tensor raises InvalidArgumentError ("Retval[i] does not have value"); a dead
  target op is simply not run.

`interpreter.compile` picks this loop only for plans that hold a Switch or Merge, so the
ordinary loop (the per-run overhead of every other plan) is untouched. Steps run one after the
other on the calling thread: the helper-thread scheduling (concurrent.py) is not used here.
"""

from tensorflux import errors
from tensorflux.ops import switch_merge_ops

ORDINARY, MERGE, TRIGGER = 0, 1, 2


class _Dead:
    """The value of a dead tensor (one object: slots are compared with `is`)."""

    __slots__ = ()

    def __repr__(self):
        return "<dead tensor>"


DEAD = _Dead()


def needed(ops):
    """True when a plan with `ops` must run in this loop."""
    return any(switch_merge_ops.is_control_flow(op) for op in ops)


def kind(op):
    """How deadness reaches `op`: ORDINARY (any dead input), MERGE or TRIGGER (never dead)."""
    if op.type in ("Merge", "RefMerge"):
        return MERGE
    return TRIGGER if op.type == "ControlTrigger" else ORDINARY


def is_dead(op_kind, values, guards, control_dead):
    """Whether a step is dead, given its data input values, the values of its guarded ref
    inputs and whether any of its control inputs is dead."""
    if op_kind == MERGE:
        return all(v is DEAD for v in values)
    if op_kind == TRIGGER:
        return False
    return control_dead or any(v is DEAD for v in values) or any(v is DEAD for v in guards)


def check_fetches(values):
    """Raises TF's error if a fetched value is dead; returns `values`."""
    for i, v in enumerate(values):
        if v is DEAD:
            raise errors.InvalidArgumentError(None, None, "Retval[%d] does not have value" % i)
    return values


def _step_table(steps, guards):
    """Per step: (kind, slots whose deadness kills it, control-input steps, output slots)."""
    step_of = {st[4]: k for k, st in enumerate(steps) if st[4].type != "VariableV2"}
    table = []
    for k, (_, ins, outs, _, op) in enumerate(steps):
        controls = tuple(step_of[c] for c in op._control_inputs if c in step_of)
        table.append((kind(op), tuple(ins) + guards.get(k, ()), controls, tuple(outs)))
    return table


def make_run(program, steps, guards, template, nfeeds, fetch_slots, kernel_error):
    """`run(feed_values, state)` for `program` (see interpreter.compile) with dead tensors.

    `guards` maps a step's index to the slots of its ref inputs that come from a RefSwitch.
    """
    from tensorflux.backends.numpy.interpreter import KERNEL_ERRORS, run_step

    table = _step_table(steps, guards)
    ops = [st[4] for st in steps]

    def run(feed_values, state):
        vals = template.copy()
        vals[:nfeeds] = feed_values
        dead = [False] * len(program)
        k = 0
        try:
            for k, (fn, ins, out, mode, free) in enumerate(program):  # noqa: B007
                op_kind, checked, controls, outs = table[k]
                if op_kind == ORDINARY:  # is_dead(), without building lists on every step
                    gone = any(vals[i] is DEAD for i in checked) or any(dead[c] for c in controls)
                else:
                    gone = op_kind == MERGE and all(vals[i] is DEAD for i in ins)
                if gone:
                    dead[k] = True
                    for o in outs:
                        vals[o] = DEAD
                else:
                    run_step(vals, state, fn, ins, out, mode)
                for i in free:
                    vals[i] = None
        except errors.OpError:
            raise
        except KERNEL_ERRORS as e:
            raise kernel_error(ops[k], e) from e
        return check_fetches([vals[i] for i in fetch_slots])

    return run


__all__ = ["DEAD", "check_fetches", "is_dead", "kind", "make_run", "needed"]
