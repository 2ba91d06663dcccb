"""What the XLA compiler must know about a plan before tracing it, found in one pass.

- Can every op be traced? Not in a plan with TF 1.x control flow (Switch/Merge: dead tensors).
  Otherwise an op is traced by its XLA kernel, or, when it is stateless and all its inputs are
  known at trace time (constants, folded values, shapes), evaluated by its numpy kernel while
  tracing (its value becomes a constant of the executable). Otherwise the plan runs on numpy.
- Which inputs must be concrete? A kernel's `static` inputs (a reshape's shape, a reduction's
  axes) must be computable at trace time; a feed they depend on becomes a *static feed*: its value
  is part of the compile key (one executable per value seen).
- Which variables does the plan read before writing (executable inputs), which does it write
  (outputs), which buffers may be donated, which ops draw random numbers.
"""

import numpy as np

from tensorflux.backends.xla import kernel as kernel_lib
from tensorflux.ops import state_ops, switch_merge_ops
from tensorflux.ops.func_graph import Body

# Ops whose output is known at trace time whatever their input (shapes are static under jit).
SHAPE_OPS = frozenset(["Shape", "Size", "Rank", "ShapeN"])


def xla_dtype_ok(dtype):
    try:
        return np.dtype(dtype.base_dtype.as_numpy_dtype).kind in "biufc"
    except (TypeError, AttributeError):
        return False


def touched_keys(plan):
    """Every variable key the plan's ops (and the bodies of its cond/while ops) read or write."""
    return _touched(plan.ops, set())


def _touched(ops, seen_graphs):
    keys = set()
    for op in ops:
        if op.type == "VariableV2":
            keys.add(op.name)
        for i in op.op_def.ref_inputs:
            try:
                keys.add(state_ops.variable_key(op.inputs[i]))
            except TypeError:
                pass
        for v in op._attrs.values():
            g = getattr(v, "graph", None) if isinstance(v, Body) else None
            if g is not None and g not in seen_graphs:
                seen_graphs.add(g)
                keys |= _touched(g.get_operations(), seen_graphs)
    return keys


class Analysis:
    """The facts `compiler` needs about one plan (see the module docstring)."""

    def __init__(self, plan):
        self.plan = plan
        self.reason = None  # why the plan cannot run on XLA, or None
        self.feed_index = {t: i for i, t in enumerate(plan.feeds)}
        self.static_feeds = []  # feed positions whose values are part of the compile key
        self.dynamic_feeds = []  # feed positions passed to the executable
        self.steps = []  # (op, xla_fn or None, spec or None) in plan order
        self.in_keys = []  # variables read before any write: executable inputs
        self.written = []  # variables the plan writes: executable outputs
        self.donate = set()  # input variables whose buffers the executable may reuse
        self.rng_ops = []  # ops holding a PRNG key in the session state
        self.checks = False  # some kernel may flag a runtime error
        self.touched = set()  # every variable the plan reads or writes (numpy runs convert them)
        self.host_ops = []  # ops only the numpy backend can run (split.py may run them after)
        self._static_memo = {}
        try:
            self._run()
        except RecursionError:
            self.reason = "the plan's shape computations are too deep to analyse"

    # --- the pass ---------------------------------------------------------------------------
    def _run(self):
        plan = self.plan
        self.touched = touched_keys(plan)
        flow = next((op for op in plan.ops if switch_merge_ops.is_control_flow(op)), None)
        if flow is not None:  # dead tensors: the whole plan runs on numpy (no split either)
            return self._fail("TF 1.x control flow: op %s (type %s)" % (flow.name, flow.type))
        for t in plan.feeds:
            if not xla_dtype_ok(t.dtype):
                return self._fail("feed %s has dtype %s" % (t.name, t.dtype.name))
        self.host_ops = [op for op in plan.ops if self._needs_host(op)]
        if self.host_ops:
            op = self.host_ops[0]
            return self._fail("no XLA kernel for op %s (type %s)" % (op.name, op.type))
        required = set()
        written_now = set()
        no_validate = set()
        for op in plan.ops:
            if op.type == "VariableV2":
                continue
            opdef = op.op_def
            builder = opdef.kernels.get("xla")
            spec = kernel_lib.spec(op.type) if builder is not None else None
            refs = opdef.ref_inputs
            ins = [t for i, t in enumerate(op.inputs) if i not in refs]
            fn = None
            if builder is not None:
                try:
                    fn = builder(op)
                except kernel_lib.NotCompilable as e:
                    return self._fail("op %s (%s): %s" % (op.name, op.type, e))
                for i in spec.static_inputs(op):
                    if not self._can_static(op.inputs[i], True):
                        return self._fail("input %d of op %s (%s) is not known at compile time"
                                          % (i, op.name, op.type))
                    required.add(op.inputs[i])
                for i in spec.preferred_static_inputs(op):
                    if self._can_static(op.inputs[i], True):
                        required.add(op.inputs[i])
                if spec.may_check(op):
                    self.checks = True
            for t in ins:
                self._read_if_variable(t, written_now)
            if fn is not None and opdef.stateful:
                reads, writes = spec.variables(op)
                for key in reads:
                    if key not in written_now and key not in self.in_keys:
                        self.in_keys.append(key)
                for key in writes:
                    written_now.add(key)
                    if key not in self.written:
                        self.written.append(key)
                for i in refs:
                    key = state_ops.variable_key(op.inputs[i])
                    if spec.reads_refs and key not in written_now and key not in self.in_keys:
                        self.in_keys.append(key)
                    written_now.add(key)
                    if key not in self.written:
                        self.written.append(key)
                    if op.type == "Assign" and not op._attrs.get("validate_shape", True):
                        no_validate.add(key)
                if spec.uses_rng(op):
                    self.rng_ops.append(op)
            self.steps.append((op, fn, spec))
        for t in plan.fetches:
            self._read_if_variable(t, written_now)
        static = set()
        for t in required:
            self._collect_static_feeds(t, static, set())
        self.static_feeds = sorted(static)
        self.dynamic_feeds = [i for i in range(len(plan.feeds)) if i not in static]
        self.donate = (set(self.in_keys) & set(self.written)) - no_validate

    def _needs_host(self, op):
        """An op XLA cannot run: no XLA kernel, and not computable while tracing."""
        opdef = op.op_def
        if op.type == "VariableV2" or "xla" in opdef.kernels:
            return False
        return opdef.stateful or "numpy" not in opdef.kernels or not all(
            self._can_static(t, False) for i, t in enumerate(op.inputs)
            if i not in opdef.ref_inputs)

    def _fail(self, reason):
        self.reason = reason

    def _read_if_variable(self, t, written_now):
        t = self.plan.resolve(t)
        if t in self.feed_index or t in self.plan.constants:
            return
        if t.op.type == "VariableV2":
            key = t.op.name
            if key not in written_now and key not in self.in_keys:
                self.in_keys.append(key)

    # --- values known at trace time -----------------------------------------------------------
    def _can_static(self, t, allow_feeds):
        """Whether `t`'s value can be known while tracing (making feeds static if allowed)."""
        t = self.plan.resolve(t)
        memo_key = (t, allow_feeds)
        if memo_key in self._static_memo:
            return self._static_memo[memo_key]
        if t in self.feed_index:
            ok = allow_feeds
        elif t in self.plan.constants or t.op.type == "Const" or t.op.type in SHAPE_OPS:
            ok = True
        else:
            op = t.op
            opdef = op.op_def
            ok = (not opdef.stateful and "numpy" in opdef.kernels and all(
                self._can_static(x, allow_feeds) for i, x in enumerate(op.inputs)
                if i not in opdef.ref_inputs))
        self._static_memo[memo_key] = ok
        return ok

    def _collect_static_feeds(self, t, out, seen):
        t = self.plan.resolve(t)
        if t in seen:
            return
        seen.add(t)
        if t in self.feed_index:
            out.add(self.feed_index[t])
            return
        if t in self.plan.constants or t.op.type == "Const" or t.op.type in SHAPE_OPS:
            return
        op = t.op
        for i, x in enumerate(op.inputs):
            if i not in op.op_def.ref_inputs:
                self._collect_static_feeds(x, out, seen)
