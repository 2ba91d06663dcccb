"""The plan interpreter: slots, steps, variable reads, and error reporting with the op's name."""

import ctypes
import sys

import numpy as np

from tensorflux import errors
from tensorflux.graph.operation import op_error
from tensorflux.ops import state_ops

BACKEND = "numpy"


class RunContext:
    """Per-session state the stateful kernels see: variable values and per-op RNGs."""

    __slots__ = ("variables", "rngs", "resources")

    def __init__(self):
        self.variables = {}
        self.rngs = {}
        self.resources = {}


def _read_var(key, op):
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


def compile(plan, backend=BACKEND):  # noqa: A001 - the backend interface's name
    """Compiles `plan` into `run(feed_values, state) -> fetch values`."""
    keep_freed_memory()
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

    def new_slot():
        nonlocal nslots
        nslots += 1
        return nslots - 1

    def source(t):
        """Slot holding `t`; a variable's output is read (lazily) right where it is used."""
        t = plan.resolve(t)
        if t in slots:
            return slots[t]
        if t.op.type == "VariableV2":
            s = new_slot()
            steps.append((_read_var(t.op.name, t.op), (), (s,), 2, t.op))
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
        ins = tuple(source(t) for i, t in enumerate(op.inputs) if i not in refs)
        outs = []
        for t in op.outputs:
            if t in slots:  # fed: the op still runs (for its side effects) but the feed wins
                outs.append(new_slot())
            else:
                slots[t] = new_slot()
                outs.append(slots[t])
        mode = (1 if opdef.stateful else 0) + (4 if len(outs) != 1 else 0)
        steps.append((fn, ins, tuple(outs), mode, op))
    fetch_slots = [source(t) for t in plan.fetches]
    # Free each slot after its last use (fetched slots are kept).
    keep = set(fetch_slots)
    last = {}
    for k, (_, ins, outs, _, _) in enumerate(steps):
        for s in ins:
            last[s] = k
        for s in outs:
            last.setdefault(s, k)
    frees = [[] for _ in steps]
    for s, k in last.items():
        if s not in keep and s not in preset:
            frees[k].append(s)
    program = [(fn, ins, outs[0] if mode < 4 else outs, mode, tuple(frees[k]))
               for k, (fn, ins, outs, mode, _) in enumerate(steps)]
    ops = [st[4] for st in steps]
    template = [None] * nslots
    for s, value in preset.items():
        template[s] = value
    nfeeds = len(plan.feeds)

    def run(feed_values, state):
        vals = template.copy()
        vals[:nfeeds] = feed_values
        k = 0
        try:
            for k, (fn, ins, out, mode, free) in enumerate(program):  # noqa: B007
                if mode == 0:
                    vals[out] = fn(*[vals[i] for i in ins])
                elif mode == 1:
                    vals[out] = fn(state, *[vals[i] for i in ins])
                elif mode == 2:
                    vals[out] = fn(state)
                else:
                    res = fn(state, *[vals[i] for i in ins]) if mode & 1 else \
                        fn(*[vals[i] for i in ins])
                    for o, r in zip(out, res):
                        vals[o] = r
                for i in free:
                    vals[i] = None
        except errors.OpError:
            raise
        except (ValueError, IndexError, TypeError, ZeroDivisionError, FloatingPointError,
                np.linalg.LinAlgError, KeyError, OverflowError) as e:
            op = ops[k]
            raise op_error(errors.InvalidArgumentError, op,
                           "%s\n\t [[{{node %s}}]]" % (e, op.name)) from e
        return [vals[i] for i in fetch_slots]

    return run


__all__ = ["compile", "RunContext", "state_ops"]
