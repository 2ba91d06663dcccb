"""The plan interpreter: slots, steps, variable reads, and error reporting with the op's name."""

import ctypes
import sys

import numpy as np

from tensorflux import errors
from tensorflux.backends.numpy import dead_loop
from tensorflux.graph.operation import op_error
from tensorflux.ops import state_ops

BACKEND = "numpy"


_GENERATION = [0]


def variables_generation():
    """A number that changes whenever any session's variable values change (kernels caching
    something derived from variables, such as folded batch-norm weights, compare it)."""
    return _GENERATION[0]


class Variables(dict):
    """A session's variable values; every change bumps `variables_generation()`."""

    __slots__ = ()

    def __setitem__(self, key, value):
        _GENERATION[0] += 1
        dict.__setitem__(self, key, value)

    def __delitem__(self, key):
        _GENERATION[0] += 1
        dict.__delitem__(self, key)

    def update(self, *args, **kwargs):
        _GENERATION[0] += 1
        dict.update(self, *args, **kwargs)

    def clear(self):
        _GENERATION[0] += 1
        dict.clear(self)

    def pop(self, *args):
        _GENERATION[0] += 1
        return dict.pop(self, *args)

    def popitem(self):
        _GENERATION[0] += 1
        return dict.popitem(self)

    def setdefault(self, key, default=None):
        _GENERATION[0] += 1
        return dict.setdefault(self, key, default)


class RunContext:
    """Per-session state the stateful kernels see: variable values and per-op RNGs.

    `rescued` holds, during a failing run, variables' values that a compiled (XLA) run handed
    back after consuming their old buffers (donation): the Session restores those instead of
    the consumed arrays when it rolls the state back.
    """

    __slots__ = ("variables", "rngs", "resources", "rescued")

    def __init__(self):
        self.variables = Variables()
        self.rngs = {}
        self.resources = {}
        self.rescued = {}


def _read_var(key, op):
    """Reads variable `key` for `op`: an unset variable is TF's error, named at the reader."""
    def read(state):
        try:
            return state.variables[key]
        except KeyError:
            raise op_error(errors.FailedPreconditionError, op,
                           "Attempting to use uninitialized value %s" % key) from None
    return read


_ALLOCATOR = []


def keep_freed_memory():
    """With the fast kernels, asks glibc's malloc to keep freed large blocks for reuse.

    By default glibc returns every block over 32 MB (and any large free space at the top of its
    heap) to the kernel, so each step's big activations are page-faulted in again: measured
    ~135 ms of system time per ResNet-50 batch-8 inference step. Keeping them (as TensorFlow's
    own allocator does) costs no extra peak memory. Once per process, glibc only; switched off
    with `TENSORFLUX_KERNELS=reference`.
    """
    from tensorflux.backends import onednn

    if _ALLOCATOR or not sys.platform.startswith("linux") or onednn.kernels_mode() != "fast":
        return
    _ALLOCATOR.append(True)
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    mallopt(-3, 1 << 30)  # M_MMAP_THRESHOLD: blocks up to 1 GiB come from the heap
    mallopt(-1, 1 << 30)  # M_TRIM_THRESHOLD: keep up to 1 GiB of free heap top


def _donations(fn, mode, allowed):
    """Input positions the step may hand its kernel to overwrite (buffer reuse).

    A kernel offers this with `fn.donatable` (positions) and `fn.donated` (the same function,
    allowed to write its result into those inputs); the memory plan (passes/memory.py) says
    which inputs may be overwritten (`allowed`). At run time the array must also be referenced
    by nothing else (`_exclusive`): another slot holding it or a view of it, a variable, a
    user's array all keep the plain kernel.
    """
    pos = getattr(fn, "donatable", ())
    if not pos or mode & 1 or mode & 2 or not all(p in allowed for p in pos):
        return ()
    return tuple(pos)


def _refcount(args, p):
    a = args[p]
    return sys.getrefcount(a)


# The count `_refcount` sees for an array that only the argument list refers to.
_ONLY_IN_ARGS = _refcount([np.empty(1)], 0)


def _exclusive(args, p, sealed_ok=False):
    """True if `args[p]` is an array that owns its memory and nothing but `args` refers to.
    A read-only array qualifies only for kernels that unseal what they are given
    (`fn.donates_sealed`)."""
    a = args[p]
    if type(a) is not np.ndarray or a.base is not None or not (a.flags.writeable or sealed_ok):
        return False
    del a
    return _refcount(args, p) == _ONLY_IN_ARGS


def compile(plan, backend=BACKEND):  # noqa: A001 - the backend interface's name
    """Compiles `plan` into `run(feed_values, state) -> fetch values`."""
    keep_freed_memory()
    if plan.frees is None:  # a plan that did not come through the pass pipeline
        from tensorflux.passes import memory

        plan = memory.plan_memory(plan)
    slots = {}
    for i, t in enumerate(plan.feeds):
        slots[t] = i
    nslots = len(plan.feeds)
    preset = {}  # slot -> constant value folded at plan time
    for t, value in plan.constants.items():
        if t not in slots:
            slots[t] = nslots
            preset[nslots] = value
            nslots += 1
    steps = []  # (fn, ins, outs, mode, op)
    # slots only this module knows, released after the step that uses them: variable reads
    # and the outputs of ops whose tensors are fed
    local_frees = {}
    reads = []
    guards = {}  # step -> slots of ref inputs that come through a RefSwitch (dead_loop.py)

    def new_slot():
        nonlocal nslots
        nslots += 1
        return nslots - 1

    def source(t, reader=None):
        """Slot holding `t`; a variable's output is read (lazily) right where it is used.

        An unset variable's error names the op that reads it (`v/read`), as TF's does; a
        variable fetched itself names the variable.
        """
        t = plan.resolve(t)
        if t in slots:
            return slots[t]
        if t.op.type == "VariableV2":
            s = new_slot()
            steps.append((_read_var(t.op.name, reader or t.op), (), (s,), 2, t.op))
            reads.append(s)
            return s
        raise KeyError(t.name)

    for op in plan.ops:
        if op.type == "VariableV2":
            continue
        opdef = op.op_def
        builder = opdef.kernels.get(backend) or opdef.kernels.get(BACKEND)
        if builder is None:
            raise op_error(errors.UnimplementedError, op,
                           "No %s kernel for op '%s' (type %s)" % (backend, op.name, op.type))
        fn = builder(op)
        refs = opdef.ref_inputs
        del reads[:]
        ins = tuple(source(t, op) for i, t in enumerate(op.inputs) if i not in refs)
        dropped = list(reads)
        guard = tuple(source(op.inputs[i]) for i in refs if op.inputs[i].op.type == "RefSwitch")
        if guard:
            guards[len(steps)] = guard
        outs = []
        for t in op.outputs:
            if t in slots:  # fed: the op still runs (for its side effects) but the feed wins
                outs.append(new_slot())
                dropped.append(outs[-1])
            else:
                slots[t] = new_slot()
                outs.append(slots[t])
        mode = (1 if opdef.stateful else 0) + (4 if len(outs) != 1 else 0)
        local_frees[len(steps)] = dropped
        steps.append((fn, ins, tuple(outs), mode, op))
    fetch_slots = [source(t) for t in plan.fetches]
    program = []
    helper = []  # steps that may run on the helper thread (passes/concurrency.py)
    for k, (fn, ins, outs, mode, op) in enumerate(steps):
        free = local_frees.get(k, [])
        if mode & 2 == 0:
            free = free + [slots[t] for t in plan.frees.get(op, ())]
        if op in plan.concurrent and mode in (0, 4):
            helper.append(k)
        pos = _donations(fn, mode, plan.reusable.get(op, ()))
        if pos:
            fn, mode = (fn, fn.donated, pos, getattr(fn, "donates_sealed", False)), mode | 8
        program.append((fn, ins, outs[0] if mode & 4 == 0 else outs, mode, tuple(free)))
    ops = [st[4] for st in steps]
    template = [None] * nslots
    for s, value in preset.items():
        template[s] = value
    nfeeds = len(plan.feeds)
    if dead_loop.needed(ops):  # TF 1.x control flow: a loop of its own, the one below unchanged
        return dead_loop.make_run(program, steps, guards, template, nfeeds, fetch_slots,
                                  _kernel_error)
    if helper:
        from tensorflux.backends.numpy import concurrent

        cores = [k for k, st in enumerate(steps) if st[4] in plan.one_core]
        return concurrent.make_run(program, steps, helper, cores, template, nfeeds,
                                   fetch_slots, _kernel_error)

    def run(feed_values, state):
        vals = template.copy()
        vals[:nfeeds] = feed_values
        k = 0
        try:
            for k, (fn, ins, out, mode, free) in enumerate(program):  # noqa: B007
                # the common modes inline (this loop is the per-run overhead), the rest there
                if mode == 0:
                    vals[out] = fn(*[vals[i] for i in ins])
                elif mode == 1:
                    vals[out] = fn(state, *[vals[i] for i in ins])
                elif mode == 2:
                    vals[out] = fn(state)
                else:
                    run_step(vals, state, fn, ins, out, mode)
                for i in free:
                    vals[i] = None
        except errors.OpError:
            raise
        except KERNEL_ERRORS as e:
            raise _kernel_error(ops[k], e) from e
        return [vals[i] for i in fetch_slots]

    return run


# What a kernel raises for bad input; the interpreter reports it as InvalidArgumentError.
KERNEL_ERRORS = (ValueError, IndexError, TypeError, ZeroDivisionError, FloatingPointError,
                 np.linalg.LinAlgError, KeyError, OverflowError)


def _kernel_error(op, e):
    return op_error(errors.InvalidArgumentError, op, "%s\n\t [[{{node %s}}]]" % (e, op.name))


def run_step(vals, state, fn, ins, out, mode):
    """Runs one step of any mode: `vals[out] = fn(...)` (see `compile` for the modes)."""
    if mode == 0:
        vals[out] = fn(*[vals[i] for i in ins])
    elif mode == 1:
        vals[out] = fn(state, *[vals[i] for i in ins])
    elif mode == 2:
        vals[out] = fn(state)
    elif mode & 8:  # the kernel may overwrite inputs whose slots die here
        plain, donated, pos, sealed_ok = fn
        args = [vals[i] for i in ins]
        for p in pos:
            vals[ins[p]] = None
        for p in pos:
            if not _exclusive(args, p, sealed_ok):
                donated = plain
        res = donated(*args)
        del args
        if mode & 4:
            for o, r in zip(out, res):
                vals[o] = r
        else:
            vals[out] = res
    else:
        res = fn(state, *[vals[i] for i in ins]) if mode & 1 else fn(*[vals[i] for i in ins])
        for o, r in zip(out, res):
            vals[o] = r
    # no reference is left behind here: later steps may reuse the arrays


__all__ = ["compile", "RunContext", "state_ops"]
