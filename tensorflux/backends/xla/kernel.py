"""How XLA kernels register, and the per-trace context they talk to.

An XLA kernel is a builder `builder(op) -> fn(*inputs)` (or `fn(state, *inputs)` for stateful ops)
that works on jax arrays while the plan is being traced under `jax.jit`. It registers with

    @kernel("Reshape", static=(1,))
    def _reshape(op): ...

`static` names the inputs (or `static(op)` returns them) whose *values* decide the output's
shape (a reshape's shape, a reduction's axes): the compiler makes sure they arrive as concrete
numpy arrays, or runs the plan on the numpy backend when it cannot. `prefer_static(op)` names
inputs that are made concrete when they can be (a fed `is_training` flag becomes a static
feed) and otherwise arrive traced (a cond's predicate computed from data). `checks(op) -> bool` says
whether the kernel may call `fail_if` (a runtime condition XLA cannot raise, such as an
out-of-range gather index), `reads_refs` whether a stateful kernel reads the variables it takes
by reference (`Assign` does not), `rng` whether it draws random numbers (it then gets
`state.rng_key(op)`), and `state_keys(op) -> (reads, writes)` which other variables it touches
(a cond branch's).
"""

import threading

from tensorflux.ops import registry


class KernelSpec:
    """What the compiler needs to know about one op type's XLA kernel besides the builder."""

    __slots__ = ("static", "prefer_static", "checks", "reads_refs", "rng", "state_keys")

    def __init__(self, static=(), checks=None, reads_refs=True, rng=False, state_keys=None,
                 prefer_static=None):
        self.static = static if callable(static) else tuple(static)
        self.prefer_static = prefer_static
        self.checks = checks
        self.reads_refs = reads_refs
        self.rng = rng
        self.state_keys = state_keys

    def static_inputs(self, op):
        return tuple(self.static(op)) if callable(self.static) else self.static

    def preferred_static_inputs(self, op):
        return tuple(self.prefer_static(op)) if self.prefer_static is not None else ()

    def may_check(self, op):
        return bool(self.checks(op)) if callable(self.checks) else bool(self.checks)

    def uses_rng(self, op):
        return bool(self.rng(op)) if callable(self.rng) else bool(self.rng)

    def variables(self, op):
        """(keys read, keys written) besides ref inputs: a cond branch's variables."""
        return self.state_keys(op) if self.state_keys is not None else ((), ())


SPECS = {}
UNREGISTERED = []  # op types a kernel was written for that the registry does not know (yet)


def kernel(op_type, static=(), checks=None, reads_refs=True, rng=False, state_keys=None,
           prefer_static=None):
    """Registers an XLA kernel builder for `op_type` (see the module docstring)."""

    def deco(builder):
        try:
            registry.get(op_type)
        except KeyError:
            UNREGISTERED.append(op_type)
            return builder
        registry.kernel(op_type, backend="xla")(builder)
        SPECS[op_type] = KernelSpec(static, checks, reads_refs, rng, state_keys,
                                    prefer_static)
        return builder

    return deco


def spec(op_type):
    return SPECS.get(op_type)


class NotCompilable(Exception):
    """Raised by a builder or kernel for a case XLA cannot express (the plan runs on numpy)."""


# --- the trace in progress --------------------------------------------------------------------
_local = threading.local()


class Trace:
    """Collects the runtime checks kernels register while one plan is traced."""

    __slots__ = ("checks", "allow_checks")

    def __init__(self, allow_checks):
        self.checks = []
        self.allow_checks = allow_checks


def current():
    return getattr(_local, "trace", None)


def set_current(trace):
    prev = current()
    _local.trace = trace
    return prev


def fail_if(pred):
    """Records a traced boolean: when true at run time, the run reports the numpy backend's error.

    The compiled plan computes every such condition; when one holds, its results are discarded
    and the run is repeated on the numpy backend, which raises the exact error TF would.
    """
    trace = current()
    if trace is None:
        return
    if not trace.allow_checks:
        raise NotCompilable("a runtime check in a plan compiled without checks")
    trace.checks.append(pred)
