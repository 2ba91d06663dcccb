"""One task's runtime: the graphs masters registered with it, its variables, and how it runs
the partitions of a step that are placed on it.

A task (`/job:ps/replica:0/task:0`) keeps one state (variables, queues, readers) for all the
sessions that reach it, as TF's resource manager does: between-graph replicated workers that
build the same model each register their own graph, and their variables of one name are one
variable here. A partition is run by a Session over the registered graph that shares that
state and runs every op it is sent on this task's CPU (the master placed them); it goes
through the usual plan stages
(passes, oneDNN kernels, the memory plan), cached per partition.

Graphs come as GraphDef bytes over gRPC (imported once, keyed by their digest, so workers
with identical graphs share one copy), or, from a master in the same process, as the Graph
object itself (`register_graph`), which saves an import and keeps Python-side objects
(py_func, dataset generators) working.
"""

import collections
import hashlib
import threading
import weakref

from tensorflux import errors
from tensorflux.client import device_lib
from tensorflux.client import session as session_lib
from tensorflux.graph import graph as graph_lib
from tensorflux.graph import graph_protos

_MAX_GRAPHS = 32  # registered graphs kept per task (older ones are imported again if needed)


class Worker:
    """The runtime of task `task_index` of job `job_name`.

    Example:
        >>> w = Worker("ps", 0)
        >>> w.devices
        ['/job:ps/replica:0/task:0/device:CPU:0']
    """

    def __init__(self, job_name, task_index, config=None):
        self.job_name = job_name
        self.task_index = int(task_index)
        self.prefix = "/job:%s/replica:0/task:%d" % (job_name, self.task_index)
        self.devices = device_lib.device_names(config, need_gpu=False, prefix=self.prefix)
        self.config = config
        self.state = session_lib._new_state()
        self._sessions = collections.OrderedDict()  # handle -> Session over the graph
        self._local = weakref.WeakKeyDictionary()  # in-process Graph -> handle
        self._lock = threading.Lock()

    # --- graphs ------------------------------------------------------------------------------
    def register_graph(self, graph):
        """A handle for `graph` (a Graph object, or GraphDef bytes), importing it if new."""
        with self._lock:
            if isinstance(graph, graph_lib.Graph):
                handle = self._local.get(graph)
                if handle is None:
                    handle = self._local[graph] = "local-%d" % id(graph)
                    self._add(handle, graph)
                return handle
            handle = hashlib.sha1(graph).hexdigest()
            if handle in self._sessions:
                self._sessions.move_to_end(handle)
                return handle
        imported = graph_lib.Graph()
        with imported.as_default():
            from tensorflux.graph.importer import import_graph_def

            import_graph_def(graph_protos.GraphDef.FromString(graph), name="")
        with self._lock:
            self._add(handle, imported)
            while len(self._sessions) > _MAX_GRAPHS:
                self._sessions.popitem(last=False)
        return handle

    def _add(self, handle, graph):
        sess = session_lib.Session(graph=graph, config=self.config)
        sess._state = self.state
        sess._pinned = self.devices[0]  # the master placed every op it sends here
        self._sessions[handle] = sess

    def _session(self, handle):
        sess = self._sessions.get(handle)
        if sess is None:
            raise errors.AbortedError(None, None, "Graph handle is not found: %s. Possibly, "
                                      "this worker just restarted." % handle)
        return sess

    # --- running -----------------------------------------------------------------------------
    in_process = True

    def run_partition(self, handle, ops, feeds, fetches, timeout_in_ms=0, wire="",
                      graph=None, trace=None):
        """Runs the ops named `ops` (in that order) of graph `handle` with `feeds` (a list of
        (tensor name, value) pairs for every tensor they read from outside), and returns the
        values of the tensors named `fetches`. With a list as `trace`, the run is timed op by
        op (FULL_TRACE) and (device, NodeExecStats) pairs are appended to it. (`wire` and
        `graph` are the remote call's: in one process values are not compressed, and errors
        name the caller's graph's ops.)"""
        sess = self._session(handle)
        feed_names = tuple(name for name, _ in feeds)
        runner = sess._partition_runner(tuple(ops), feed_names, tuple(fetches))
        options = metadata = None
        if timeout_in_ms or trace is not None:
            from tensorflux.client.config import RunMetadata, RunOptions

            options = RunOptions(timeout_in_ms=int(timeout_in_ms))
            if trace is not None:
                options.trace_level = RunOptions.FULL_TRACE
                metadata = RunMetadata()
        values = sess._call(runner, [value for _, value in feeds], options, metadata)
        if metadata is not None:
            trace.extend((dev.device, node) for dev in metadata.step_stats.dev_stats
                         for node in dev.node_stats)
        return values

    # --- variables -----------------------------------------------------------------------------
    def read_variables(self, names):
        """The values of the variables `names` (FailedPreconditionError if one is unset)."""
        out = []
        for name in names:
            try:
                out.append(self.state.variables[name])
            except KeyError:
                raise errors.FailedPreconditionError(
                    None, None, "Attempting to use uninitialized value %s" % name) from None
        return out

    def assign_variables(self, values):
        """Sets variables from a {name: value} dict (a restore: all of them, or none)."""
        self.state.variables.update(values)

    def reset(self, containers=None):
        """Drops the task's state (TF's `Session.reset`): variables, queues, readers."""
        if containers and "" not in containers:
            return
        from tensorflux.backends.numpy import data_flow_ops

        data_flow_ops.cancel_all(self.state.resources)
        self.state.variables.clear()
        self.state.resources.clear()
