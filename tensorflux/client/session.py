"""Session and InteractiveSession: run any subgraph of a Graph with feeds.

`Session.run` reads top to bottom: normalise fetches → plan (prune → place → passes, the last
of which splits a multi-device plan into segments → compile, cached per signature) → run with
feeds and the session's variables → rebuild the structure. `RunOptions(trace_level=FULL_TRACE)`
runs the same plan through client/executor.py's timing interpreter instead (step stats in
`run_metadata`); untraced runs never pay for it.
"""

import contextlib
import itertools
import os
import sys
import threading

import numpy as np

from tensorflux import backends, errors
from tensorflux.backends.numpy.interpreter import RunContext, Variables
from tensorflux.client import executor, run_context
from tensorflux.client import plan as plan_lib
from tensorflux.client.config import ConfigProto, OptimizerOptions, RewriterConfig
from tensorflux.client.fetch import FetchMapper
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.operation import Operation, op_error
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import array_ops


class _Runner:
    """A compiled plan plus what `run` needs to map its outputs back to the fetch elements."""

    __slots__ = ("call", "layout", "plan", "fed_fetch", "stateful")

    def __init__(self, call, layout, plan):
        self.call = call
        self.layout = layout  # per element: index into the plan's fetch values, or -1 (an op)
        self.plan = plan
        # fetch index -> feed index, for fetches of fed tensors
        self.fed_fetch = {i: plan.feeds.index(t) for i, t in enumerate(plan.fetches)
                          if t in plan.feeds}
        self.stateful = plan.stateful


class BaseSession:
    """What Session and InteractiveSession share."""

    def __init__(self, target="", graph=None, config=None):
        if graph is None:
            graph = graph_lib.get_default_graph()
        if not isinstance(graph, graph_lib.Graph):
            raise TypeError("graph must be a tf.Graph, but got %s" % type(graph))
        if config is not None and not isinstance(config, ConfigProto):
            raise TypeError("config must be a tf.ConfigProto, but got %s" % type(config))
        self._graph = graph
        _apply_gpu_options(config)
        self._config = _with_mixed_precision(config)
        self._op_timeout_ms = getattr(config, "operation_timeout_in_ms", 0) or 0
        self._target = target
        self._state = _new_state()
        self._runners = {}
        self._compile_lock = threading.Lock()
        self._owner = None  # the first thread to run a stateful plan
        self._shared = False  # set once another thread runs one (queue runners)
        self._feed_specs = {}
        self._closed = False
        self._backend_name = _backend_name(config)
        self._default_ctx = None
        self._graph_ctx = None
        self._logged = set()  # ops whose placement log_device_placement already printed
        self._pinned = None  # a cluster task's device: the master placed its partitions
        self._master = None  # a distributed session's master (distributed/master.py)
        if target:
            from tensorflux.distributed import master

            self._master = master.connect(target, self._config)

    # --- properties ---------------------------------------------------------------------
    @property
    def graph(self):
        return self._graph

    @property
    def graph_def(self):
        return self._graph.as_graph_def()

    @property
    def sess_str(self):
        return self._target

    def list_devices(self):
        from tensorflux.client import device_lib

        if self._master is not None:  # every task's devices, in the cluster's order
            return [device_lib.SessionDevice(d, "CPU", device_lib.CPU_MEMORY_LIMIT)
                    for d in self._master.cluster_devices()]
        return device_lib.session_devices(self._config)

    # --- running ----------------------------------------------------------------------------
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Runs the ops and evaluates the tensors in `fetches`, substituting `feed_dict` values.

        Example:
            >>> sess.run(c, {b: 3.0})
            15.0
        """
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        if type(fetches) is Tensor and fetches.graph is self._graph:
            mapper, elements = None, (fetches,)
        else:
            mapper = FetchMapper(self._graph, fetches)
            elements = tuple(mapper.elements)
        given = None
        if feed_dict:
            feed_tensors, feed_values, given = self._feeds(feed_dict)
        else:
            feed_tensors, feed_values = (), []
        key = (elements, feed_tensors, self._graph._version)
        runner = self._runners.get(key)
        if runner is None:
            runner = self._make_runner(elements, feed_tensors)
        values = self._call(runner, feed_values, options, run_metadata)
        if given:  # a fetched feed is the value as given, as in TF: a str stays a str
            for k, j in enumerate(runner.layout):
                if runner.fed_fetch.get(j) in given:
                    values[k] = given[runner.fed_fetch[j]]
        if mapper is None:
            return values[0]
        return mapper.build(values)

    def _call(self, runner, feed_values, options=None, run_metadata=None):
        timeout = self._op_timeout_ms
        if options is not None and options.timeout_in_ms > 0:
            timeout = options.timeout_in_ms
        if timeout > 0:
            with run_context.timeout(timeout):
                return self._call_now(runner, feed_values, options, run_metadata)
        return self._call_now(runner, feed_values, options, run_metadata)

    def _call_now(self, runner, feed_values, options, run_metadata):
        state = self._state
        call = runner.call
        if options is not None:
            if options.trace_level:
                call = self._traced(runner, run_metadata)
            if options.output_partition_graphs and run_metadata is not None:
                run_metadata.partition_graphs = executor.partition_graphs(runner.plan)
        if not runner.stateful:
            out = call(feed_values, state)
        elif self._shared or self._from_another_thread():
            out = _run_logged(call, feed_values, state)
        else:
            out = _run_with_snapshot(call, feed_values, state)
        fed = runner.fed_fetch
        results = []
        for j in runner.layout:
            if j < 0:
                results.append(None)
                continue
            v = out[j]
            if j in fed:
                results.append(v)
            elif type(v) is np.ndarray:
                results.append(v[()] if v.ndim == 0 else v.copy())
            else:
                results.append(v)
        return results

    def _feeds(self, feed_dict):
        """(feed tensors, their values, {position: value as given} for string feeds whose str
        elements were encoded to bytes, as TF's runtime holds strings)."""
        tensors, values, given = [], [], {}
        for key, value in feed_dict.items():
            spec = self._feed_specs.get(key)
            if spec is None and _is_sparse_key(key):
                # A SparseTensor is fed as its three tensors (a value or a 3-tuple).
                for k, v in zip((key.indices, key.values, key.dense_shape), value):
                    t, vals, raw = self._feeds({k: v})
                    given.update((len(values) + i, r) for i, r in raw.items())
                    tensors += t
                    values += vals
                continue
            if spec is None:
                spec = self._feed_spec(key)
            t, npd, dims = spec
            if isinstance(value, Tensor):
                raise TypeError("The value of a feed cannot be a tf.Tensor object. Acceptable "
                                "feed values include Python scalars, strings, lists, numpy "
                                "ndarrays, or TensorHandles. For reference, the tensor object "
                                "was %s which was passed to the argument `feed_dict` with key "
                                "%s." % (value, t))
            if type(value) is np.ndarray and value.dtype == npd:
                arr = value
            else:
                arr = _convert_feed(value, npd, t)
            if dims is not None:
                _check_feed_shape(arr, dims, t)
            if npd is object and _has_str(arr):
                given[len(values)] = arr
                arr = _encode_strings(arr)
            tensors.append(t)
            values.append(arr)
        return tuple(tensors), values, given

    def _feed_spec(self, key):
        try:
            t = self._graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
        except (TypeError, ValueError, KeyError) as e:
            raise TypeError("Cannot interpret feed_dict key as Tensor: " + str(e)) from None
        shape = t.get_shape()
        dims = None if shape.ndims is None else tuple(shape.as_list())
        spec = (t, t.dtype.as_numpy_dtype, dims)
        if isinstance(key, Tensor):
            self._feed_specs[key] = spec
        return spec

    def _from_another_thread(self):
        """Whether this run comes from a thread other than the session's first: from then on
        runs log their writes, so a failing run undoes only its own (see `_run_logged`)."""
        me = threading.get_ident()
        if self._owner is None:
            self._owner = me
        elif self._owner != me:
            self._shared = True
        return self._shared

    def _make_runner(self, elements, feed_tensors):
        """The cached runner for this signature, made under a lock: runs from several threads
        (queue runners) share one plan cache."""
        with self._compile_lock:
            key = (tuple(elements), tuple(feed_tensors), self._graph._version)
            runner = self._runners.get(key)
            if runner is None:
                runner = self._runners[key] = self._new_runner(elements, feed_tensors)
            return runner

    def _partition_runner(self, ops, feeds, fetches):
        """The runner of one partition of a distributed step (distributed/worker.py): the ops
        named `ops`, in that order, fed the tensors named `feeds`, fetching those named
        `fetches`; ops that nothing in the partition reads are its targets."""
        key = ("partition", ops, feeds, fetches)
        runner = self._runners.get(key)
        if runner is not None:
            return runner
        with self._compile_lock:
            g = self._graph
            op_list = [g.get_operation_by_name(n) for n in ops]
            fetch_tensors = [g.get_tensor_by_name(n) for n in fetches]
            fetched = {t.op for t in fetch_tensors}
            read = {t.op for op in op_list for t in op._inputs} | {
                c for op in op_list for c in op._control_inputs}
            targets = [op for op in op_list if op not in read and op not in fetched]
            feed_tensors = tuple(g.get_tensor_by_name(n) for n in feeds)
            runner = self._new_runner(fetch_tensors + targets, feed_tensors, ops=op_list)
            self._runners[key] = runner
        return runner

    def _new_runner(self, elements, feed_tensors, ops=None):
        fetches, targets, layout = [], [], []
        index = {}
        for el in elements:
            if isinstance(el, Operation):
                targets.append(el)
                layout.append(-1)
            else:
                if el not in index:
                    index[el] = len(fetches)
                    fetches.append(el)
                layout.append(index[el])
        if ops is None:
            ops = plan_lib.prune(fetches, targets, feed_tensors)
        if self._master is not None:
            return self._master.runner(self._graph, ops, feed_tensors, fetches, targets,
                                       tuple(layout), self._logged)
        for op in ops:
            if op.type == "Placeholder":  # unfed: fail before anything runs
                raise array_ops.unfed_placeholder_error(op)
        from tensorflux.passes import pipeline

        # Place before the passes (as TF does): a folded op must still fail on a bad device.
        if self._pinned is not None:
            placed = dict.fromkeys(ops, self._pinned)
        else:
            placed = plan_lib.place(ops, self._config, self._backend_name, self._logged)
        plan = plan_lib.Plan(ops, feed_tensors, fetches, targets, devices=placed)
        plan = pipeline.run(plan, self._config)
        if plan_lib.debug_enabled():
            print(plan)
        return _Runner(executor.compile(plan, self._backend_for), tuple(layout), plan)

    def _backend_for(self, device):
        """The backend that runs ops placed on `device`: XLA on GPUs, else the session's."""
        return backends.get("xla" if "/device:GPU:" in device else self._backend_name)

    def _traced(self, runner, run_metadata):
        """A call that runs `runner`'s plan with per-op timing into `run_metadata.step_stats`."""
        def call(feed_values, state):
            values, step_stats = executor.trace(runner.call, runner.plan, self._backend_for,
                                                feed_values, state)
            if run_metadata is not None:
                run_metadata.step_stats = step_stats
            return values
        return call

    def make_callable(self, fetches, feed_list=None, accept_options=False):
        """Returns a function `f(*feed_values)` that runs `fetches` with minimal overhead."""
        mapper = FetchMapper(self._graph, fetches)
        feed_list = list(feed_list or [])
        specs = [self._feed_spec(f) for f in feed_list]
        feed_tensors = tuple(s[0] for s in specs)
        elements = tuple(mapper.elements)
        single = type(fetches) is Tensor or isinstance(fetches, Operation) or isinstance(
            fetches, str) or hasattr(fetches, "_as_graph_element")

        def call(*args, **kwargs):
            if len(args) != len(feed_list):
                raise TypeError("Invalid number of arguments: expected %d, got %d"
                                % (len(feed_list), len(args)))
            if self._closed:
                raise RuntimeError("Attempted to use a closed Session.")
            runner = self._runners.get((elements, feed_tensors, self._graph._version))
            if runner is None:
                runner = self._make_runner(elements, feed_tensors)
            vals = [a if type(a) is np.ndarray and a.dtype == s[1] else
                    _convert_feed(a, s[1], s[0]) for a, s in zip(args, specs)]
            vals = [_encode_strings(v) if _has_str(v) else v for v in vals]
            for v, (t, _, dims) in zip(vals, specs):
                if dims is not None:
                    _check_feed_shape(v, dims, t)
            out = self._call(runner, vals, kwargs.get("options"), kwargs.get("run_metadata"))
            return out[0] if single else mapper.build(out)
        return call

    def partial_run_setup(self, fetches, feeds=None):
        raise errors.UnimplementedError(None, None, "partial_run is not supported by tensorflux")

    # --- lifecycle ----------------------------------------------------------------------------
    def close(self):
        if not self._closed:
            self._closed = True
            from tensorflux.backends.numpy import data_flow_ops

            data_flow_ops.cancel_all(self._state.resources)  # wakes queue runner threads
            self._state = _new_state()
            self._runners.clear()

    def as_default(self):
        return _default_session_stack.get_controller(self)

    def __enter__(self):
        if self._graph is not graph_lib.get_default_graph():
            self._graph_ctx = self._graph.as_default()
            self._graph_ctx.__enter__()
        self._default_ctx = self.as_default()
        self._default_ctx.__enter__()
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._default_ctx is not None:
            self._default_ctx.__exit__(exc_type, exc, tb)
            self._default_ctx = None
        if self._graph_ctx is not None:
            self._graph_ctx.__exit__(exc_type, exc, tb)
            self._graph_ctx = None
        self.close()

    def __del__(self):
        try:
            self._closed = True
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass

    # --- hooks for the Saver and initializers -------------------------------------------------
    def _variable_value(self, key):
        if self._master is not None:  # the task that holds the variable has its value
            return self._master.read_variable(self._graph, key)
        try:
            return self._state.variables[key]
        except KeyError:
            raise errors.FailedPreconditionError(
                None, None, "Attempting to use uninitialized value %s" % key) from None

    def _set_variable_values(self, values):
        if self._master is not None:
            self._master.assign_variables(self._graph, values)
            return
        self._state.variables.update(values)


class _WriteLog(threading.local):
    """Per thread: the variables the thread's current stateful run wrote, as
    `{key: (value before the run, value the run last wrote)}` (None outside a run)."""

    log = None


_writes = _WriteLog()
_MISSING = object()


class _LoggedVariables(Variables):
    """A session's variable values that record each write into the writing thread's run log,
    so that a failing run undoes its own writes only (queue-runner threads run concurrently)."""

    __slots__ = ()

    def __setitem__(self, key, value):
        log = _writes.log
        if log is not None:
            entry = log.get(key)
            log[key] = (dict.get(self, key, _MISSING) if entry is None else entry[0], value)
        Variables.__setitem__(self, key, value)

    def update(self, *args, **kwargs):
        log = _writes.log
        if log is None:
            Variables.update(self, *args, **kwargs)
            return
        new = dict(*args, **kwargs)
        again = {k: log[k][0] for k in new.keys() & log.keys()}  # written before in this run
        # an XLA run writes hundreds of variables at once: the log grows by C-level calls
        n = len(new)
        before = map(dict.get, itertools.repeat(self, n), new, itertools.repeat(_MISSING, n))
        log.update(zip(new, zip(before, new.values())))
        for k, b in again.items():
            log[k] = (b, new[k])
        Variables.update(self, new)


def _run_with_snapshot(call, feed_values, state):
    """One thread's stateful run: a failure puts back the variables as they were before it
    (a copy of the dict of references: cheaper per run than logging every write)."""
    snapshot = dict(state.variables)
    try:
        out = call(feed_values, state)
    except BaseException:
        state.variables.clear()
        state.variables.update(snapshot)
        if state.rescued:  # old buffers an XLA run consumed, and their values
            for k, v in state.rescued.items():
                if _is_consumed(state.variables.get(k)):
                    state.variables[k] = v
            state.rescued.clear()
        raise
    if state.rescued:
        state.rescued.clear()
    return out


def _run_logged(call, feed_values, state):
    """A stateful run in a session used by several threads: its writes are logged
    (`_LoggedVariables`), and a failure undoes those only, where they were not overwritten by
    another thread since."""
    outer = _writes.log
    log = _writes.log = {}
    try:
        out = call(feed_values, state)
    except BaseException:
        _roll_back(state, log)
        raise
    finally:
        _writes.log = outer
    if outer is not None:  # a run inside a run (a py_func): its writes are the outer's
        for k, (before, written) in log.items():
            outer[k] = (outer[k][0] if k in outer else before, written)
    if state.rescued:
        for k in log:
            state.rescued.pop(k, None)
    return out


def _new_state():
    state = RunContext()
    state.variables = _LoggedVariables()
    return state


def _roll_back(state, log):
    """Undoes a failing run's writes (`log`): each variable gets its value from before the run
    back, unless another thread wrote it since (it no longer holds what this run wrote)."""
    variables = state.variables
    for k, (before, written) in log.items():
        if dict.get(variables, k, _MISSING) is not written:
            continue
        if _is_consumed(before):  # a buffer an XLA run took over: its value, handed back
            before = state.rescued.pop(k, before)
        if before is _MISSING:
            Variables.__delitem__(variables, k)
        else:
            Variables.__setitem__(variables, k, before)  # not logged: this is no run's write
    for k in log:
        state.rescued.pop(k, None)


def _apply_gpu_options(config):
    """`gpu_options.allow_growth` and `per_process_gpu_memory_fraction`, for the XLA backend's
    GPU allocator: they take effect when given before the GPU is first used (as in TF, where
    the first session's options win), through JAX's XLA_PYTHON_CLIENT_* variables."""
    if config is None or "jax" in sys.modules and _jax_backends_started():
        return
    opts = config.gpu_options
    if opts.allow_growth:
        os.environ["XLA_PYTHON_CLIENT_PREALLOCATE"] = "false"
    if opts.per_process_gpu_memory_fraction:
        os.environ["XLA_PYTHON_CLIENT_MEM_FRACTION"] = "%g" % opts.per_process_gpu_memory_fraction


def _jax_backends_started():
    try:
        from jax._src import xla_bridge

        return bool(getattr(xla_bridge, "_backends", None))
    except Exception:  # noqa: BLE001 - a JAX without this detail: assume it started
        return True


def _is_consumed(value):
    """A device array whose buffer a compiled run took over (donated): unusable from now on."""
    if value is None or type(value) is np.ndarray:
        return False
    deleted = getattr(value, "is_deleted", None)
    return bool(deleted is not None and deleted())


def _is_sparse_key(key):
    return not isinstance(key, Tensor) and hasattr(key, "dense_shape") and hasattr(
        key, "indices") and hasattr(key, "values")


def _check_feed_shape(arr, dims, t):
    shp = arr.shape
    if len(shp) != len(dims) or any(d is not None and d != s for d, s in zip(dims, shp)):
        raise ValueError("Cannot feed value of shape %s for Tensor %s, which has shape %s"
                         % (str(shp), t.name, str(t.get_shape())))


def _convert_feed(value, npd, t):
    # TF converts with numpy (a float fed to an int tensor is truncated); only a Python int
    # that does not fit is refused.
    if isinstance(value, int) and not isinstance(value, bool) and npd is not object \
            and np.dtype(npd).kind in "iu":
        info = np.iinfo(npd)
        if not info.min <= value <= info.max:
            raise TypeError("Type of feed value %r with type %s is not compatible with Tensor "
                            "type %s. Try explicitly setting the type of the feed tensor to a "
                            "larger type (e.g. int64)." % (value, type(value), t.dtype))
    try:
        arr = np.asarray(value, dtype=npd)
    except (TypeError, ValueError) as e:
        raise ValueError("Cannot convert feed value for Tensor %s to %s: %s"
                         % (t.name, t.dtype.name, e)) from None
    return arr


def _has_str(arr):
    return arr.dtype == object and any(isinstance(x, str) for x in arr.flat)


# TF's runtime holds strings as bytes: a str fed to a string tensor is encoded (UTF-8)
_encode_strings = np.vectorize(lambda x: x.encode() if isinstance(x, str) else x, otypes=[object])


def _with_mixed_precision(config):
    """`config`, turned to the float16 rewrite when `enable_mixed_precision_graph_rewrite` was
    called before this session was made (as TF: sessions made earlier keep float32)."""
    from tensorflux.passes import mixed_precision

    if not mixed_precision.graph_rewrite_enabled():
        return config
    import copy

    config = copy.deepcopy(config) if config is not None else ConfigProto()
    config.graph_options.rewrite_options.auto_mixed_precision = RewriterConfig.ON
    return config


def _backend_name(config):
    import os

    if config is not None:
        level = config.graph_options.optimizer_options.global_jit_level
        if level in (OptimizerOptions.ON_1, OptimizerOptions.ON_2):
            return "xla"
    return os.environ.get("TENSORFLUX_BACKEND", "numpy")


class Session(BaseSession):
    """A TF1 Session: holds the variables' values and runs parts of its graph.

    Example:
        >>> with tf.Session() as sess:
        ...     sess.run(tf.global_variables_initializer())
        ...     print(sess.run(y))
    """

    @staticmethod
    def reset(target, containers=None, config=None):
        """Clears the state (variables, queues) of every task of `target`'s cluster, as TF's
        `Session.reset` clears their resource containers. Sessions on them see it at once."""
        if not target:
            return
        from tensorflux.distributed import master

        master.connect(target, config).reset(containers)


class InteractiveSession(BaseSession):
    """A Session that installs itself as the default, for shells and notebooks."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        self._default_ctx = self.as_default()
        self._default_ctx.__enter__()
        self._explicit_graph = None
        if self._graph is not graph_lib.get_default_graph():
            self._explicit_graph = self._graph.as_default()
            self._explicit_graph.__enter__()

    def close(self):
        super().close()
        if self._default_ctx is not None:
            try:
                self._default_ctx.__exit__(None, None, None)
            except (AssertionError, ValueError):
                pass
            self._default_ctx = None
        if getattr(self, "_explicit_graph", None) is not None:
            self._explicit_graph.__exit__(None, None, None)
            self._explicit_graph = None


# --- the default session -------------------------------------------------------------------
class _DefaultSessionStack(threading.local):
    def __init__(self):
        super().__init__()
        self.stack = []

    def get_default(self):
        return self.stack[-1] if self.stack else None

    @contextlib.contextmanager
    def get_controller(self, sess):
        self.stack.append(sess)
        try:
            yield sess
        finally:
            if sess in self.stack:
                self.stack.remove(sess)


_default_session_stack = _DefaultSessionStack()


def get_default_session():
    return _default_session_stack.get_default()


def _clear_default_session():
    _default_session_stack.stack.clear()


def _eval_using_default_session(tensors, feed_dict, graph, session=None):
    if session is None:
        session = get_default_session()
        if session is None:
            raise ValueError("Cannot evaluate tensor using `eval()`: No default session is "
                             "registered. Use `with sess.as_default()` or pass an explicit "
                             "session to `eval(session=sess)`")
        if session.graph is not graph:
            raise ValueError("Cannot use the default session to evaluate tensor: the tensor's "
                             "graph is different from the session's graph. Pass an explicit "
                             "session to `eval(session=sess)`.")
    elif session.graph is not graph:
        raise ValueError("Cannot use the given session to evaluate tensor: the tensor's graph "
                         "is different from the session's graph.")
    return session.run(tensors, feed_dict)


def _run_using_default_session(operation, feed_dict, graph, session=None):
    if session is None:
        session = get_default_session()
        if session is None:
            raise ValueError("Cannot execute operation using `run()`: No default session is "
                             "registered. Use `with sess.as_default():` or pass an explicit "
                             "session to `run(session=sess)`")
        if session.graph is not graph:
            raise ValueError("Cannot use the default session to execute operation: the "
                             "operation's graph is different from the session's graph. Pass "
                             "an explicit session to run(session=sess).")
    session.run(operation, feed_dict)


__all__ = ["Session", "InteractiveSession", "get_default_session", "op_error"]
