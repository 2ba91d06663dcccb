"""The XLA backend's `compile(plan)`: the whole plan as one function traced under `jax.jit`.

    run(feed_values, state) -> fetch values          (the numpy backend's contract)

- Promotion: a plan first runs on the numpy interpreter; after $TENSORFLUX_XLA_MIN_RUNS runs
  (default 3) it is traced and compiled, so one-off runs (initializers, a single evaluation)
  never wait for XLA. With 0 the first run compiles. A plan with ops placed on a GPU compiles at
  its first run: its ops belong on the GPU, not on the host's interpreter.
- Matmuls and convolutions on a GPU run in TF32 unless
  `tf.config.experimental.enable_tensor_float_32_execution(False)` turned it off (TensorFlow's
  default and switch; XLA's "tensorfloat32" and "highest" matmul precisions). The setting is
  read at each run and keys the executable.
- The executable's inputs are the feeds, the values of the variables the plan reads (session
  state, keyed by VariableV2 op name) and one PRNG key per random op; its outputs are the fetches,
  the new values of the variables it writes, the new PRNG keys, and an error flag. Buffers of
  variables read and rewritten are donated (XLA updates them in place). In plans with runtime
  checks each donated variable's output is `where(error, old value, new value)`, so a run whose
  check fires hands the old values back (they are put back into the session state before the
  numpy interpreter reruns the step and raises TF's error).
- One executable per feed-shape signature (plus the values of *static feeds*, see analysis.py),
  kept in a small per-plan LRU ($TENSORFLUX_XLA_CACHE_SIZE, default 8). A plan that keeps
  recompiling goes back to numpy for good.
- Fallback: a plan with an op XLA cannot run moves to numpy as a whole (logged once at debug
  level). Errors are the numpy backend's: when tracing fails, an uninitialized variable is read,
  or a runtime check fires (e.g. an out-of-range gather index), the run is repeated on the numpy
  interpreter, which raises TF's error, and the session state is left as it was.
- dtypes: jax runs with 64-bit types enabled *only inside this backend* (`jax.enable_x64`
  context), so int64/float64 behave as in TF and user code importing jax is unaffected.

On GPUs, XLA's command buffers (CUDA graphs) are left at XLA's defaults, which record fusions
and library calls but not convolutions. Adding convolutions (XLA_FLAGS
--xla_gpu_enable_command_buffer=...,CONVOLUTION) made the ResNet-50 v1 training step 26% slower
on an H200 (31.1 against 24.6 ms), and its tracing failed under the profiler.

Debugging: TENSORFLUX_XLA_STRICT=1 turns "XLA failed but numpy ran it" into an AssertionError;
TENSORFLUX_XLA_VERIFY=1 repeats every XLA run (without random ops) on numpy and compares.

Session state holds numpy arrays or jax arrays; numpy runs of a plan convert the variables they
touch to numpy first.
"""

import collections
import contextlib
import functools
import logging
import os

import jax
import jax.numpy as jnp
import numpy as np

from tensorflux.backends.numpy import interpreter
from tensorflux.backends.xla import analysis as analysis_lib
from tensorflux.backends.xla import kernel as kernel_lib
from tensorflux.backends.xla import split

BACKEND = "xla"
MIN_RUNS_ENV = "TENSORFLUX_XLA_MIN_RUNS"
CACHE_SIZE_ENV = "TENSORFLUX_XLA_CACHE_SIZE"
log = logging.getLogger("tensorflux.backends.xla")

_X64 = jax.enable_x64
_STRICT = os.environ.get("TENSORFLUX_XLA_STRICT", "") not in ("", "0")
_VERIFY = os.environ.get("TENSORFLUX_XLA_VERIFY", "") not in ("", "0")
_NUMPY = "numpy"  # an LRU entry meaning "this signature runs on numpy"


def _env_int(name, default):
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


class TraceState:
    """The functional session state stateful kernels see while tracing.

    `variables` maps variable keys to traced values (assignments rebind them); `rng_key(op)`
    splits the op's PRNG key and returns a fresh subkey.
    """

    __slots__ = ("variables", "rngs")

    def __init__(self, variables, rngs):
        self.variables = variables
        self.rngs = rngs

    def read(self, key):
        return self.variables[key]

    def rng_key(self, op):
        key, sub = jax.random.split(self.rngs[op.name])
        self.rngs[op.name] = key
        return sub


def _is_concrete(x):
    """Known while tracing (a numpy value, or a host object such as a cond's record)."""
    return not isinstance(x, jax.Array)


class _Entry:
    """One executable: the jitted function and, once traced, where each fetch comes from."""

    __slots__ = ("fn", "fetch_src", "all_out", "distinct")

    def __init__(self, fn):
        self.fn = fn
        self.fetch_src = None  # per fetch: ("feed", i) / ("const", value) / ("out", j)
        self.all_out = False  # every fetch is an output, in order
        self.distinct = False  # the written variables are distinct traced values


def run_steps(an, vals, state):
    """Evaluates the analysed plan's ops in order; returns `get(tensor) -> value`.

    `vals` holds the feeds and constants (and receives every op's outputs); variable reads go to
    `state.variables` at the point of use, so they see assignments ordered before them. Ops
    whose inputs are all known run their numpy kernel (their outputs stay known).
    """
    plan = an.plan
    resolve = plan.resolve
    fed = set(plan.feeds)
    variables = state.variables

    def get(t):
        t = resolve(t)
        try:
            return vals[t]
        except KeyError:
            if t.op.type == "VariableV2":
                return variables[t.op.name]
            raise

    for op, fn_xla, _ in an.steps:
        opdef = op.op_def
        refs = opdef.ref_inputs
        ins = [get(t) for i, t in enumerate(op.inputs) if i not in refs]
        if fn_xla is None or (not opdef.stateful and all(map(_is_concrete, ins))):
            out = _numpy_eval(op, ins)
            xla_out = False
        else:
            out = fn_xla(state, *ins) if opdef.stateful else fn_xla(*ins)
            xla_out = True
        outs = op.outputs
        if len(outs) == 1:
            if xla_out and isinstance(out, (list, tuple)) and len(out) == 1:
                out = out[0]  # a one-way split or unstack returns a list of one
            out = (out,)
        for t, v in zip(outs, out):
            if t in fed:
                continue  # fed: the op still ran, but the feed wins
            if xla_out and isinstance(v, jax.Array):
                v = _as_declared(v, t)
            vals[t] = v
    return get


def _trace_fn(an, entry, static_values):
    """The Python function jax traces: (feeds, read-only vars, donated vars, rng keys) -> ..."""
    plan = an.plan
    resolve = plan.resolve
    in_ro = [k for k in an.in_keys if k not in an.donate]
    in_rw = [k for k in an.in_keys if k in an.donate]
    feed_pos = {t: i for i, t in enumerate(plan.feeds)}

    def fn(feeds, ro, rw, keys):
        trace = kernel_lib.Trace(allow_checks=an.checks)
        prev = kernel_lib.set_current(trace)
        try:
            vals = dict(plan.constants)
            for j, i in enumerate(an.dynamic_feeds):
                vals[plan.feeds[i]] = feeds[j]
            for i, v in static_values.items():
                vals[plan.feeds[i]] = v
            donated = dict(zip(in_rw, rw))
            variables = dict(zip(in_ro, ro))
            variables.update(donated)
            state = TraceState(variables, {op.name: k for op, k in zip(an.rng_ops, keys)})

            get = run_steps(an, vals, state)
            src, outs = [], []
            for t in plan.fetches:
                r = resolve(t)
                if r in feed_pos:
                    src.append(("feed", feed_pos[r]))
                    continue
                v = get(r)
                if _is_concrete(v):
                    src.append(("const", v))
                else:
                    src.append(("out", len(outs)))
                    outs.append(v)
            entry.fetch_src = src
            entry.all_out = all(kind == "out" for kind, _ in src)
            written = tuple(variables[k] for k in an.written)
            entry.distinct = len(set(map(id, written))) == len(written)
            new_keys = tuple(state.rngs[op.name] for op in an.rng_ops)
            err = None
            if trace.checks:
                err = functools.reduce(jnp.logical_or, [jnp.any(c) for c in trace.checks])
                if donated:  # a failed run must give the donated buffers' values back
                    written = tuple(jnp.where(err, donated[k], v) if k in donated else v
                                    for k, v in zip(an.written, written))
            return tuple(outs), written, new_keys, err
        finally:
            kernel_lib.set_current(prev)

    return fn


def _as_declared(v, t):
    """A kernel's result in its tensor's declared dtype (jax's type promotion may differ).

    A real result is never widened to a declared complex dtype: the numpy kernels return real
    values there (Real, Imag, Abs of complex inputs), and numpy is the reference.
    """
    want = np.dtype(t.dtype.base_dtype.as_numpy_dtype)
    if v.dtype == want or (want.kind == "c" and v.dtype.kind != "c"):
        return v
    return v.astype(want)


def _numpy_eval(op, ins):
    """A stateless op whose inputs are all known at trace time: run its numpy kernel now."""
    fn = op.op_def.kernels["numpy"](op)
    return fn(*[np.asarray(x) if isinstance(x, (list, tuple)) else x for x in ins])


def _static_key(value):
    a = np.asarray(value)
    return (a.shape, a.dtype.str, a.tobytes())


def _precision(on_gpu):
    """The matmul/convolution precision context of a run (TF32 or full float32 on GPUs)."""
    if not on_gpu:
        return contextlib.nullcontext()
    from tensorflux import config

    tf32 = config.experimental.tensor_float_32_execution_enabled()
    return jax.default_matmul_precision("tensorfloat32" if tf32 else "highest")


def _initial_rng_key(op):
    s1, s2 = op._attrs.get("seed", 0) or 0, op._attrs.get("seed2", 0) or 0
    if not (s1 or s2):
        return np.frombuffer(os.urandom(8), dtype=np.uint32).copy()
    words = [(int(s1) ^ (int(s1) >> 32)) & 0xFFFFFFFF, (int(s2) ^ (int(s2) >> 32)) & 0xFFFFFFFF]
    return np.array(words, dtype=np.uint32)


def _device_for(plan):
    """The jax device the executable runs on (None: jax's default, a GPU when there is one)."""
    placed = [plan.devices.get(op, "") for op in plan.ops]
    for name in placed:
        if "/device:GPU:" in name:
            index = int(name.rsplit(":", 1)[1])
            gpus = [d for d in jax.devices() if d.platform == "gpu"]
            return gpus[index] if index < len(gpus) else None
    requested = [op.device for op in plan.ops if op.device]
    if requested and all("CPU" in d.upper() for d in requested) and len(requested) == len(
            plan.ops):
        cpu = jax.devices("cpu")[0]
        return None if jax.devices()[0] == cpu else cpu
    return None


class PlanRunner:
    """The callable `compile` returns: numpy runs first, then the plan's XLA executables."""

    def __init__(self, plan, min_runs=None, donate=True):
        self.plan = plan
        self.on_gpu = any("/device:GPU:" in d for d in plan.devices.values())
        if min_runs is None:
            min_runs = 0 if self.on_gpu else max(0, _env_int(MIN_RUNS_ENV, 3))
        self.min_runs = min_runs
        self.donate = donate
        self.cache_size = max(1, _env_int(CACHE_SIZE_ENV, 8))
        self.calls = 0
        self.mode = "warmup"  # -> "xla" or "numpy"
        self.analysis = None
        self.entries = collections.OrderedDict()
        self.compiles = 0
        self._numpy_run = None
        self._touched = None
        self._device = None
        self._last = None  # the entry the previous call used (skips the LRU bookkeeping)
        # the buffers the previous run donated (consumed, holding no device memory): freeing
        # several hundred array objects takes about a millisecond of host time, so it is done
        # while the next run's executable works on the device, not while the device waits
        self._retired = ()
        # on a GPU a host array passed to the executable is copied to the device on every run
        self.upload_read_only = self.on_gpu
        self._split = None

    # --- the numpy path -----------------------------------------------------------------------
    def run_numpy(self, feed_values, state):
        if self._numpy_run is None:
            self._numpy_run = interpreter.compile(self.plan)
            if self._touched is None:
                self._touched = _touched_keys(self.plan)
        variables = state.variables
        for k in self._touched:
            v = variables.get(k)
            if v is not None and type(v) is not np.ndarray:
                variables[k] = np.asarray(v)
        return self._numpy_run(feed_values, state)

    # --- dispatch -------------------------------------------------------------------------------
    def __call__(self, feed_values, state):
        if self.mode == "xla":
            return self.run_xla(feed_values, state)
        if self.mode == "split":
            return self._split(feed_values, state)
        if self.mode == "warmup":
            if self.calls >= self.min_runs:
                self._promote()
                return self(feed_values, state)
            self.calls += 1
        return self.run_numpy(feed_values, state)

    def _promote(self):
        an = analysis_lib.Analysis(self.plan)
        self._touched = an.touched
        if an.reason is not None and an.host_ops and self._promote_split(an):
            return
        if an.reason is not None:
            self.mode = "numpy"
            log.debug("plan with fetches %s runs on numpy, not XLA: %s",
                      [t.name for t in self.plan.fetches], an.reason)
            return
        if not self.donate:
            an.donate = set()
        self.analysis = an
        self._device = _device_for(self.plan)
        self._in_ro = [k for k in an.in_keys if k not in an.donate]
        self._in_rw = [k for k in an.in_keys if k in an.donate]
        self.mode = "xla"

    def _promote_split(self, an):
        """XLA for the head of the plan, numpy for the ops after it (split.py), if that is safe."""
        parts = split.split_tail(self.plan, an.host_ops)
        if parts is None:
            return False
        head, tail, boundary = parts
        head_runner = PlanRunner(head, min_runs=0, donate=False)
        head_runner._promote()
        if head_runner.mode != "xla":
            return False
        self._split = split.SplitRunner(self.plan, head, tail, boundary, head_runner)
        self.mode = "split"
        log.debug("plan with fetches %s runs on XLA with a numpy tail of %d ops (%s)",
                  [t.name for t in self.plan.fetches], len(tail.ops),
                  ", ".join(sorted({op.type for op in an.host_ops})))
        return True

    def _demote(self, why):
        self.mode = "numpy"
        self.entries.clear()
        self._last = None
        log.debug("plan with fetches %s goes back to numpy: %s",
                  [t.name for t in self.plan.fetches], why)

    # --- the XLA path ---------------------------------------------------------------------------
    def _entry(self, key, feed_values):
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
            return entry
        self.compiles += 1
        if self.compiles > 4 * self.cache_size:
            self._demote("more than %d compiles" % (4 * self.cache_size))
            return _NUMPY
        an = self.analysis
        static_values = {i: np.asarray(feed_values[i]) for i in an.static_feeds}
        entry = _Entry(None)
        fn = _trace_fn(an, entry, static_values)
        entry.fn = jax.jit(fn, donate_argnums=(2,) if self._in_rw else ())
        self.entries[key] = entry
        if len(self.entries) > self.cache_size:
            self.entries.popitem(last=False)
        return entry

    def run_xla(self, feed_values, state):
        an = self.analysis
        dyn = tuple([feed_values[i] for i in an.dynamic_feeds])
        key = tuple([x.shape for x in dyn])
        if an.static_feeds:
            key += tuple([_static_key(feed_values[i]) for i in an.static_feeds])
        entry = self.entries.get(key)
        if entry is None or entry is not self._last:
            entry = self._entry(key, feed_values)
            if entry is _NUMPY or self.mode != "xla":
                return self.run_numpy(feed_values, state)
            self._last = entry
        variables = state.variables
        try:
            ro = tuple([variables[k] for k in self._in_ro])
            rw = tuple([variables[k] for k in self._in_rw])
        except KeyError:  # an uninitialized variable: numpy raises TF's error
            return self.run_numpy(feed_values, state)
        rngs = state.rngs
        keys = ()
        if an.rng_ops:
            keys = tuple([rngs.get((BACKEND, op.name)) for op in an.rng_ops])
            keys = tuple([_initial_rng_key(op) if k is None else k
                          for op, k in zip(an.rng_ops, keys)])
        before = self._snapshot(state) if _VERIFY and not an.rng_ops else None
        try:
            with _X64(True), _precision(self.on_gpu), _on(self._device):
                if self.upload_read_only and ro and not _on_device(ro):
                    ro = self._upload(variables, ro)
                outs, written, new_keys, err = self._call(entry, dyn, ro, rw, keys)
                # the error flag and the fetched values cross to the host in one batch: on a GPU
                # each value read alone is a wait and a transfer of its own
                err, outs = jax.device_get((err, outs))
                flagged = err is not None and bool(err)
                if len(written) > 1 and not flagged and not entry.distinct:
                    written = _distinct(written)
        except Exception as e:  # noqa: BLE001 - numpy decides what the error is
            return self._recover(feed_values, state, key, e)
        if flagged:
            for k, v in zip(an.written, written):
                if k in an.donate:  # the old value, handed back in a new buffer
                    variables[k] = state.rescued[k] = v
            return self._recover(feed_values, state, None, None)
        if entry.all_out:
            result = [np.asarray(o) for o in outs]
        else:
            result = []
            for kind, v in entry.fetch_src:
                if kind == "out":
                    result.append(np.asarray(outs[v]))
                elif kind == "feed":
                    result.append(feed_values[v])
                else:
                    result.append(v)
        variables.update(zip(an.written, written))
        for op, k in zip(an.rng_ops, new_keys):
            rngs[(BACKEND, op.name)] = k
        if before is not None:
            self._verify(feed_values, before, result, state)
        return result

    def _upload(self, variables, ro):
        """`ro` with its host arrays put on the device, and stored back in `variables`: a
        read-only variable whose value came from the host (a restored checkpoint, `load`, a
        numpy run) crosses to the device once, not on every run."""
        ro = tuple([jax.device_put(x) if isinstance(x, np.ndarray) else x for x in ro])
        variables.update(zip(self._in_ro, ro))
        return ro

    def _call(self, entry, dyn, ro, rw, keys):
        if rw and not _on_device(rw):
            rw = tuple(x if isinstance(x, jax.Array) else jax.device_put(x) for x in rw)
        out = entry.fn(dyn, ro, rw, tuple(keys))
        self._retired = rw  # frees the previous run's donated buffers, now, not after the wait
        return out

    def _recover(self, feed_values, state, key, exc):
        """XLA failed (`exc`) or flagged a runtime error: the numpy interpreter decides.

        numpy raises TF's error when there is one; when it succeeds instead, its results are
        this run's, and the signature (if it failed to compile) runs on numpy from now on.
        """
        if exc is not None:
            log.debug("XLA could not run a plan with fetches %s (%s: %s); running it on numpy",
                      [t.name for t in self.plan.fetches], type(exc).__name__, exc)
            if key in self.entries:
                self.entries[key] = _NUMPY
            self._last = None
        result = self.run_numpy(feed_values, state)
        if _STRICT:
            raise AssertionError("XLA %s where numpy ran the plan with fetches %s" % (
                "failed (%s: %s)" % (type(exc).__name__, exc) if exc is not None else
                "flagged a runtime error", [t.name for t in self.plan.fetches])) from exc
        return result

    # --- self-checking (TENSORFLUX_XLA_VERIFY=1): every XLA run is repeated on numpy ----------
    def _snapshot(self, state):
        return {k: np.array(v) for k, v in state.variables.items()
                if k in self.analysis.touched}

    def _verify(self, feed_values, before, result, state):
        ctx = interpreter.RunContext()
        ctx.variables.update(before)
        if self._numpy_run is None:
            self._numpy_run = interpreter.compile(self.plan)
        expect = self._numpy_run(feed_values, ctx)
        names = [t.name for t in self.plan.fetches] + list(self.analysis.written)
        got = list(result) + [state.variables[k] for k in self.analysis.written]
        want = list(expect) + [ctx.variables[k] for k in self.analysis.written]
        for name, g, w in zip(names, got, want):
            _assert_close(name, np.asarray(g), np.asarray(w))


def _on_device(values):
    """Whether every value is a jax Array (one type check per distinct type)."""
    return all(issubclass(t, jax.Array) for t in set(map(type, values)))


def _on(device):
    """A context placing new arrays on `device` (None: jax's default)."""
    return jax.default_device(device) if device is not None else contextlib.nullcontext()


def _distinct(values):
    """The written variables as distinct buffers (one array is never two variables' value)."""
    seen = set()
    out = []
    for v in values:
        if id(v) in seen:
            v = jnp.array(v, copy=True)
        seen.add(id(v))
        out.append(v)
    return tuple(out)


def _assert_close(name, got, want):
    if got.shape != want.shape or got.dtype != want.dtype:
        raise AssertionError("XLA/numpy mismatch for %s: %s %s vs %s %s" % (
            name, got.dtype, got.shape, want.dtype, want.shape))
    if got.dtype.kind in "fc":
        size = got.dtype.itemsize // (2 if got.dtype.kind == "c" else 1)
        tol = 1e-2 if size <= 2 else (1e-3 if size <= 4 else 1e-6)
        finite = np.isfinite(want)
        scale = max(1.0, float(np.abs(want[finite]).max())) if finite.any() else 1.0
        ok = np.allclose(got, want, rtol=tol, atol=tol * scale, equal_nan=True)
    else:
        ok = np.array_equal(got, want)
    if not ok:
        raise AssertionError("XLA/numpy mismatch for %s:\n%s\nvs\n%s" % (name, got, want))


def _touched_keys(plan):
    return analysis_lib.touched_keys(plan)


def compile(plan):  # noqa: A001 - the backend interface's name
    """Compiles `plan` into `run(feed_values, state) -> fetch values` (see the module docstring)."""
    return PlanRunner(plan)
