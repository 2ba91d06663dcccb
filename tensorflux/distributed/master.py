"""The master of a distributed session: places a step's ops on the cluster's tasks, splits it
into per-task partitions and runs them, in order, on their tasks.

    Session("grpc://host:port") -> connect(target) -> Master
    Session.run -> prune -> Master.runner: place (TF's rules, over every task's devices)
      -> schedule by task -> partitions -> DistributedRun: each partition on its task

Algorithm (`DistributedRun`):
1. Place: the plan's ops go on the cluster's devices with TF's placer rules
   (client/plan.py): an op without a job goes to the master's own task (the one the target
   names), colocated ops (a variable's read, assign and apply ops) go with their variable.
2. Schedule: the ops re-ordered to switch tasks as rarely as possible (schedule.py): a
   training step becomes the worker's constants, one ps run reading every variable, the
   worker's forward and backward passes, one ps run applying every update.
3. Partitions: the maximal runs of one task's ops. Every tensor a partition reads from another
   task (or from the caller's feeds) is sent with the request; every tensor a later partition
   or the caller needs comes back in the reply (TF's Send/Recv pairs, one round trip per
   partition). A reference edge between tasks is an error, as in TF. A resource handle (a
   queue's, an accumulator's) never travels: a partition of the handle's task that needs it
   runs the handle op again, a lookup by name in the task's state.
4. Run: each partition on its task (`worker.Worker.run_partition`), in order: directly for the
   master's own task when its server lives in this process, over gRPC otherwise. Each task's
   state holds its own variables, shared by every session that reaches the task.

With `graph_options.enable_bfloat16_sendrecv` (TF's switch, which TF too applies between
processes) float32 tensors cross between tasks as bfloat16 (protocol.py).
"""

import numpy as np

from tensorflux import errors
from tensorflux.client import plan as plan_lib
from tensorflux.distributed import schedule
from tensorflux.graph import dtypes
from tensorflux.graph.operation import op_error
from tensorflux.passes import transfers


def connect(target, config=None):
    """The Master of a session whose target is `target` ("grpc://host:port")."""
    if not isinstance(target, str):
        target = target.decode() if isinstance(target, bytes) else str(target)
    if not target.startswith("grpc://"):
        raise errors.NotFoundError(
            None, None, "No session factory registered for the given session options: "
            "{target: \"%s\" config: %s} Registered factories are {GRPC_SESSION, "
            "DIRECT_SESSION}." % (target, "" if config is None else str(config).strip()))
    return Master(target, config)


class Master:
    """What a distributed session knows of its cluster: the tasks, their devices, and a
    channel (or, in this process, the Worker itself) to each."""

    def __init__(self, target, config=None):
        from tensorflux.distributed import server as server_lib

        self.target = target
        self.config = config
        self._timeout_ms = getattr(config, "operation_timeout_in_ms", 0) or 0
        local = server_lib.local_server(target)
        if local is not None:
            worker = local._worker
            cluster = local._cluster
            job, task = worker.job_name, worker.task_index
        else:
            worker = server_lib.RemoteWorker(target[len("grpc://"):], "the session target",
                                              self._timeout_ms)
            cluster, job, task = worker.status()
        self.cluster = cluster
        self.local_prefix = "/job:%s/replica:0/task:%d" % (job, task)
        self._workers = {self.local_prefix: worker}
        self._handles = {}  # (task prefix, graph) -> (graph version, handle)
        devices = [self.local_prefix + "/device:CPU:0"]
        for name in cluster.jobs:
            for index in cluster.task_indices(name):
                prefix = "/job:%s/replica:0/task:%d" % (name, index)
                if prefix != self.local_prefix:
                    devices.append(prefix + "/device:CPU:0")
        self.devices = devices

    def cluster_devices(self):
        """What `Session.list_devices` shows: as TF, the session's own task first, then the
        others (in job and task order; TF's order of those varies from run to run)."""
        return self.devices[:1] + sorted(self.devices[1:], key=lambda d: (_job_task(_task(d)), d))

    def worker(self, prefix):
        w = self._workers.get(prefix)
        if w is None:
            from tensorflux.distributed import server as server_lib

            job, task = _job_task(prefix)
            address = self.cluster.task_address(job, task)
            w = self._workers[prefix] = server_lib.RemoteWorker(address, prefix,
                                                                 self._timeout_ms)
        return w

    def handle(self, prefix, graph):
        """The graph's handle on the task, registering the graph (again, if it grew)."""
        key = (prefix, graph)
        known = self._handles.get(key)
        if known is not None and known[0] == graph._version:
            return known[1]
        worker = self.worker(prefix)
        payload = graph if getattr(worker, "in_process", True) else \
            graph.as_graph_def().SerializeToString()
        handle = worker.register_graph(payload)
        self._handles[key] = (graph._version, handle)
        return handle

    def forget(self, prefix, graph):
        self._handles.pop((prefix, graph), None)

    def runner(self, graph, ops, feeds, fetches, targets, layout, logged):
        """A session runner (client/session.py's `_Runner`) for this step on the cluster."""
        from tensorflux.client.session import _Runner

        for op in ops:
            if op.type == "Placeholder":
                from tensorflux.ops import array_ops

                raise array_ops.unfed_placeholder_error(op)
        placed = plan_lib.place(ops, self.config, "numpy", logged, devices=self.devices)
        plan = plan_lib.Plan(ops, feeds, fetches, targets, devices=placed)
        return _Runner(DistributedRun(self, graph, plan), layout, plan)

    # --- variables, for the Saver ------------------------------------------------------------
    def variable_task(self, graph, key):
        """The task (device prefix) that holds the variable named `key`."""
        op = graph._ops_by_name.get(key)
        if op is None:
            return _task(self.devices[0])
        # `logged={op}`: a placement log line belongs to a run, not to the Saver's lookup.
        return _task(plan_lib.place([op], self.config, "numpy", {op},
                                    devices=self.devices)[op])

    def read_variable(self, graph, key):
        return self.worker(self.variable_task(graph, key)).read_variables([key])[0]

    def assign_variables(self, graph, values):
        by_task = {}
        for key, value in values.items():
            by_task.setdefault(self.variable_task(graph, key), {})[key] = value
        for prefix, part in by_task.items():
            self.worker(prefix).assign_variables(part)

    def reset(self, containers=None):
        for device in self.devices:
            self.worker(_task(device)).reset(containers)


class DistributedRun:
    """`run(feed_values, state)` for a plan placed on several tasks (module docstring)."""

    def __init__(self, master, graph, plan):
        self.master = master
        self.graph = graph
        self.wire = transfers.wire_format(master.config)
        fed = set(plan.feeds)
        order, task_of = _schedule(plan)
        runs = []
        for op in order:
            prefix = task_of[op]
            if runs and runs[-1][0] == prefix:
                runs[-1][1].append(op)
            else:
                runs.append((prefix, [op]))
        where = {op: k for k, (_, ops) in enumerate(runs) for op in ops}
        needed_later = {}  # tensor -> True: read by another partition or fetched
        for t in plan.fetches:
            if t not in fed:
                needed_later[t] = True
        handles = [[] for _ in runs]  # per partition: handle ops it runs again
        inputs = [{} for _ in runs]  # per partition: tensors sent with its request, in order
        for k, (prefix, ops) in enumerate(runs):
            for op in ops:
                refs = op.op_def.ref_inputs if op.op_def is not None else ()
                for i, t in enumerate(op._inputs):
                    if t in fed:
                        if i not in refs:
                            inputs[k][t] = True
                        continue
                    if t.op not in where or where[t.op] == k:
                        continue
                    local = task_of[t.op] == prefix
                    if _makes_handle(t.op):
                        if not local:
                            raise op_error(
                                errors.InvalidArgumentError, op,
                                "Trying to access resource %s located in device %s from "
                                "device %s" % (t.op.name, task_of[t.op], prefix))
                        if t.op not in handles[k]:  # a lookup by name: run it here again
                            handles[k].append(t.op)
                        continue
                    if i in refs:
                        if not local:
                            raise op_error(
                                errors.InvalidArgumentError, op,
                                "Trying to access a reference to %s, located in %s, from "
                                "%s: a reference cannot cross tasks" % (
                                    t.name, task_of[t.op], prefix))
                        continue  # the same task's variable: read there by reference
                    needed_later[t] = True
                    inputs[k][t] = True
        self.partitions = [
            (prefix, tuple(op.name for op in handles[k] + ops), tuple(inputs[k]),
             tuple(t for op in ops for t in op._outputs if t in needed_later))
            for k, (prefix, ops) in enumerate(runs)]
        self.fetches = plan.fetches
        self.feeds = plan.feeds

    def __call__(self, feed_values, state, trace=None):
        values = dict(zip(self.feeds, feed_values))
        master = self.master
        for prefix, names, ins, outs in self.partitions:
            worker = master.worker(prefix)
            feeds = [(t.name, values[t]) for t in ins]
            out_names = tuple(t.name for t in outs)
            for attempt in (0, 1):
                handle = master.handle(prefix, self.graph)
                try:
                    res = worker.run_partition(handle, names, feeds, out_names, wire=self.wire,
                                               graph=self.graph, trace=trace)
                    break
                except errors.AbortedError:  # the task restarted: register the graph again
                    if attempt:
                        raise
                    master.forget(prefix, self.graph)
            for t, v in zip(outs, res):
                values[t] = v if type(v) is np.ndarray else np.asarray(v)
        return [values[t] for t in self.fetches]

    def trace(self, feed_values, state):
        """The run with every task's ops timed (FULL_TRACE): (fetch values, StepStats with
        one DeviceStepStats per task device)."""
        from tensorflux.client import config as config_lib

        nodes = []
        values = self(feed_values, state, trace=nodes)
        by_device = {}
        for device, node in nodes:
            by_device.setdefault(device, []).append(node)
        return values, config_lib.StepStats(dev_stats=[
            config_lib.DeviceStepStats(device=d, node_stats=n) for d, n in by_device.items()])


def _makes_handle(op):
    """Whether `op` creates or looks up a task's resource by name (a queue, an accumulator, a
    reader, a resource variable's handle): its output is a reference into the task's state,
    which never travels; a partition that needs it runs the op again (it is idempotent)."""
    if op._inputs or op.op_def is None or not op.op_def.stateful or op.type == "VariableV2":
        return False
    return bool(op._outputs) and all(t.dtype.base_dtype in (dtypes.resource, dtypes.string)
                                     for t in op._outputs)


def _schedule(plan):
    """The plan's ops in an order that switches tasks as rarely as possible."""
    return schedule.schedule(plan, lambda op: _task(plan.devices[op]))


def _task(device):
    """"/job:ps/replica:0/task:0" of a full device name."""
    return device.split("/device:")[0]


def _job_task(prefix):
    parts = dict(p.split(":", 1) for p in prefix.strip("/").split("/"))
    return parts["job"], int(parts["task"])
