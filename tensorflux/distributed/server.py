"""`tf.train.Server`: one task of a cluster, serving its runtime (worker.py) over gRPC.

gRPC is the engine, as in TF: a task listens at its ClusterSpec address, and masters
(distributed sessions, master.py) in any process reach it there; `server.target`
("grpc://host:port") is what `tf.Session(target)` and `MonitoredTrainingSession(master=...)`
take. Methods carry protocol.py's messages as bytes through gRPC's generic handlers, so no
code is generated. grpcio is the `distributed` extra, imported when a server or a remote
session is first made.

Example:
    >>> cluster = tf.train.ClusterSpec({"ps": ["localhost:2222"], "worker": ["localhost:2223"]})
    >>> server = tf.train.Server(cluster, job_name="ps", task_index=0)
    >>> server.join()  # serves until the process ends
"""

import concurrent.futures
import logging
import queue
import socket
import threading
import time
import weakref

from tensorflux import errors
from tensorflux.distributed import cluster as cluster_lib
from tensorflux.distributed import protocol as wire_protocol
from tensorflux.distributed.worker import Worker

_servers = weakref.WeakValueDictionary()  # target -> the Server of this process serving it
_lock = threading.Lock()
_channels = {}  # address -> the gRPC channel this process's sessions reach it by
_log = logging.getLogger("tensorflux")


def local_server(target):
    """The Server of this process whose target is `target`, or None."""
    return _servers.get(target)


def _grpc():
    try:
        import grpc
    except ImportError:
        raise ImportError("Distributed TensorFlow needs grpcio: pip install "
                          "'tensorflux[distributed]'") from None
    return grpc


class Server:
    """An in-process server: one task of a cluster (TF's `tf.train.Server`).

    Args:
        server_or_cluster_def: A `tf.train.ServerDef`, `ClusterDef` or `ClusterSpec` (or a
            dict a ClusterSpec takes).
        job_name, task_index, protocol: override or complete the definition; a job with one
            task needs no `task_index`, a cluster with one job no `job_name`.
        config: the default `ConfigProto` of the sessions that run partitions here.
        start: start serving now (the default).
    """

    def __init__(self, server_or_cluster_def, job_name=None, task_index=None, protocol=None,
                 config=None, start=True):
        self._server_def = _make_server_def(server_or_cluster_def, job_name, task_index,
                                            protocol, config)
        sd = self._server_def
        if sd.protocol != "grpc":
            raise errors.InvalidArgumentError(
                None, None, "Could not start server because protocol %s is not supported; "
                "tensorflux serves grpc" % sd.protocol)
        self._cluster = cluster_lib.ClusterSpec(sd.cluster)
        try:
            address = self._cluster.task_address(sd.job_name, sd.task_index)
        except ValueError:
            raise errors.InternalError(None, None, "Task %d was not defined in job \"%s\""
                                       % (sd.task_index, sd.job_name)) from None
        self._host, _, port = address.rpartition(":")
        self._worker = Worker(sd.job_name, sd.task_index, config)
        self._worker.cluster = self._cluster
        grpc = _grpc()
        # No SO_REUSEPORT: a port another process (or server) listens on is an error, as TF's.
        self._grpc = grpc.server(_DaemonPool(16),
                                 options=wire_protocol.CHANNEL_OPTIONS + (("grpc.so_reuseport",
                                                                           0),))
        self._grpc.add_generic_rpc_handlers([_handler(grpc, self._worker)])
        bind = "%s:%s" % (self._host, port) if self._host in ("localhost", "127.0.0.1") \
            else "[::]:%s" % port
        try:
            self._port = _port_free(self._host, port) and self._grpc.add_insecure_port(bind)
        except RuntimeError:
            self._port = 0
        if not self._port:
            raise errors.UnknownError(None, None, "Could not start gRPC server")
        self._started = False
        self._stopped = threading.Event()
        with _lock:
            _servers[self.target] = self
        if start:
            self.start()

    @staticmethod
    def create_local_server(config=None, start=True):
        """A server of a one-task cluster on an unused port of localhost."""
        return Server({"localhost": ["localhost:0"]}, protocol="grpc", config=config,
                      start=start)

    @property
    def server_def(self):
        return self._server_def

    @property
    def target(self):
        """The session target of this server: "grpc://host:port"."""
        return "grpc://%s:%d" % (self._host, self._port)

    def start(self):
        if not self._started:
            self._grpc.start()
            self._started = True

    def join(self):
        """Blocks until the server shuts down (for a ps task: until the process ends)."""
        self.start()
        self._stopped.wait()

    def _stop(self):
        """Stops serving (tests; TF's servers stop only with their process)."""
        self._grpc.stop(None)
        self._stopped.set()
        with _lock:
            if _servers.get(self.target) is self:
                del _servers[self.target]


class _DaemonPool(concurrent.futures.Executor):
    """The threads that run the RPC handlers, as daemons. A handler can block for good (a ps
    waiting in a queue or accumulator op for gradients that never come); a standard pool's
    threads are joined at exit, so such a handler would keep the process from ending, where
    a TF server ends with its process."""

    def __init__(self, max_workers):
        self._max = max_workers
        self._jobs = queue.SimpleQueue()
        self._threads = []
        self._idle = 0
        self._lock = threading.Lock()

    def submit(self, fn, *args, **kwargs):
        future = concurrent.futures.Future()
        with self._lock:
            self._jobs.put((future, fn, args, kwargs))
            if self._idle == 0 and len(self._threads) < self._max:
                t = threading.Thread(target=self._work, daemon=True,
                                     name="tensorflux-server-%d" % len(self._threads))
                self._threads.append(t)
                t.start()
            else:
                self._idle -= 1
        return future

    def _work(self):
        while True:
            job = self._jobs.get()
            if job is None:
                return
            future, fn, args, kwargs = job
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(fn(*args, **kwargs))
                except BaseException as e:  # noqa: BLE001 - the future carries it
                    future.set_exception(e)
            with self._lock:
                self._idle += 1

    def shutdown(self, wait=True, *, cancel_futures=False):
        for _ in self._threads:
            self._jobs.put(None)


def _make_server_def(server_or_cluster_def, job_name, task_index, protocol, config):
    """A ServerDef from the arguments of `Server` (TF's rules and messages)."""
    if isinstance(server_or_cluster_def, cluster_lib.ServerDef):
        sd = cluster_lib.ServerDef.FromString(server_or_cluster_def.SerializeToString())
        if job_name is not None:
            sd.job_name = job_name
        if task_index is not None:
            sd.task_index = task_index
        if protocol is not None:
            sd.protocol = protocol
        return sd
    try:
        spec = cluster_lib.ClusterSpec(server_or_cluster_def)
    except TypeError:
        raise TypeError("Could not convert `server_or_cluster_def` to a `tf.train.ServerDef` "
                        "or `tf.train.ClusterSpec`.") from None
    if job_name is None:
        if len(spec.jobs) != 1:
            raise ValueError("Must specify an explicit `job_name`.")
        job_name = spec.jobs[0]
    if task_index is None:
        indices = spec.task_indices(job_name)
        if len(indices) != 1:
            raise ValueError("Must specify an explicit `task_index`.")
        task_index = indices[0]
    return cluster_lib.ServerDef(cluster=spec.as_cluster_def(), job_name=job_name,
                                 task_index=task_index, protocol=protocol or "grpc")


def create_local_cluster(num_workers, num_ps, protocol="grpc", worker_config=None,
                         ps_config=None):
    """`tf.test.create_local_cluster`: servers of a cluster on unused localhost ports.

    Returns:
        (worker servers, ps servers), started.
    """
    attempts = 5
    for attempt in range(attempts):
        # a port found free can be taken (by another process) before its server binds it:
        # then the servers started so far stop, and the cluster is made on fresh ports
        ports = [_unused_port() for _ in range(num_workers + num_ps)]
        spec = {"worker": ["localhost:%d" % p for p in ports[:num_workers]]}
        if num_ps > 0:
            spec["ps"] = ["localhost:%d" % p for p in ports[num_workers:]]
        cluster = cluster_lib.ClusterSpec(spec)
        started = []
        try:
            for job, n, config in (("worker", num_workers, worker_config),
                                   ("ps", num_ps, ps_config)):
                for i in range(n):
                    started.append(Server(cluster, job, i, protocol=protocol, config=config))
        except errors.UnknownError:
            for server in started:
                server._stop()
            if attempt == attempts - 1:
                raise
            continue
        return started[:num_workers], started[num_workers:]


def _port_free(host, port):
    """Whether `port` can be listened on (gRPC binding "localhost" succeeds when one of its
    IPv4 and IPv6 addresses is free; TF's server fails when the port is taken)."""
    if not port.isdigit() or int(port) == 0:
        return True
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:  # the server listens on loopback for a local name, on every interface otherwise
            s.bind(("127.0.0.1" if host in ("localhost", "127.0.0.1") else "0.0.0.0", int(port)))
        except OSError:
            return False
    return True


def _unused_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


# --- the service -------------------------------------------------------------------------------
def _handler(grpc, worker):
    """gRPC's generic handler for the worker service's methods, each bytes -> bytes."""

    def status(data, context):
        cluster_def = worker.cluster.as_cluster_def().SerializeToString()
        return wire_protocol.StatusResponse(
            cluster_def=cluster_def, job_name=worker.job_name, task_index=worker.task_index,
            device=list(worker.devices)).SerializeToString()

    def register(data, context):
        req = wire_protocol.RegisterGraphRequest.FromString(data)
        return wire_protocol.RegisterGraphResponse(
            graph_handle=worker.register_graph(req.graph_def)).SerializeToString()

    def run(data, context):
        rest, feeds = wire_protocol.split_tensors(data, 3)  # `send`, read without copies
        req = wire_protocol.RunGraphRequest.FromString(rest)
        resp = wire_protocol.RunGraphResponse()
        chunks = []
        trace = [] if req.trace else None
        try:
            values = worker.run_partition(req.graph_handle, tuple(req.op), feeds,
                                          tuple(req.recv_key), req.timeout_in_ms, trace=trace)
            chunks = wire_protocol.tensor_chunks(1, zip(req.recv_key, values), req.wire_dtype)
            resp.node = [wire_protocol.NodeTiming(
                device=device, name=n.node_name, label=n.timeline_label,
                start_ns=n.all_start_nanos, end_ns=n.all_start_nanos + n.all_end_rel_nanos)
                for device, n in trace or ()]
        except Exception as e:  # noqa: BLE001 - every failure goes back to the master
            resp.error_code, resp.error_message, resp.error_node = wire_protocol.error_fields(e)
        return b"".join([resp.SerializeToString()] + chunks)

    def variables(data, context):
        rest, values = wire_protocol.split_tensors(data, 2)
        req = wire_protocol.VariablesRequest.FromString(rest)
        resp = wire_protocol.VariablesResponse()
        chunks = []
        try:
            if values:
                worker.assign_variables(dict(values))
            else:
                chunks = wire_protocol.tensor_chunks(
                    1, zip(req.name, worker.read_variables(req.name)))
        except Exception as e:  # noqa: BLE001
            resp.error_code, resp.error_message, _ = wire_protocol.error_fields(e)
        return b"".join([resp.SerializeToString()] + chunks)

    def reset(data, context):
        worker.reset(list(wire_protocol.ResetRequest.FromString(data).container) or None)
        return b""

    methods = {"GetStatus": status, "RegisterGraph": register, "RunGraph": run,
               "Variables": variables, "Reset": reset}
    return grpc.method_handlers_generic_handler(
        wire_protocol.SERVICE.strip("/"),
        {name: grpc.unary_unary_rpc_method_handler(fn) for name, fn in methods.items()})


def _serialize(message):
    return message if isinstance(message, bytes) else message.SerializeToString()


# --- the client side ---------------------------------------------------------------------------
class RemoteWorker:
    """A task in another process (or behind its own server), reached over gRPC; the same
    methods as worker.Worker."""

    in_process = False

    def __init__(self, address, name, timeout_ms=0):
        grpc = _grpc()
        self._grpc = grpc
        self.address, self.name = address, name
        self._timeout = timeout_ms / 1000.0 if timeout_ms else None
        with _lock:  # one channel per address, shared by every session of the process
            self._channel = _channels.get(address)
            if self._channel is None:
                self._channel = _channels[address] = grpc.insecure_channel(
                    address, options=wire_protocol.CHANNEL_OPTIONS)
        self._ready = False
        self._calls = {}

    def _call(self, method, request, response_cls=None, timeout=None):
        """Calls `method` with a message (or its bytes); returns the reply as a message of
        `response_cls`, or as bytes when None."""
        if not self._ready:
            self._wait_ready()
        fn = self._calls.get(method)
        if fn is None:
            fn = self._calls[method] = self._channel.unary_unary(
                wire_protocol.SERVICE + method, request_serializer=_serialize,
                response_deserializer=response_cls.FromString if response_cls else None)
        try:  # once the task has answered, a task that went away fails the call at once
            return fn(request, timeout=timeout or self._timeout, wait_for_ready=False)
        except self._grpc.RpcError as e:
            code = e.code()
            if code == self._grpc.StatusCode.DEADLINE_EXCEEDED:
                raise errors.DeadlineExceededError(None, None, "Timed out waiting for %s (%s)"
                                                   % (self.name, self.address)) from None
            raise errors.UnavailableError(None, None, "%s (%s): %s" % (
                self.name, self.address, e.details())) from None

    def _wait_ready(self):
        """Waits for the task to come up, saying so every 10 s, as TF's CreateSession does."""
        start = time.monotonic()
        future = self._grpc.channel_ready_future(self._channel)
        while True:
            wait = 10.0
            if self._timeout is not None:
                wait = min(wait, self._timeout - (time.monotonic() - start))
                if wait <= 0:
                    raise errors.DeadlineExceededError(
                        None, None, "Timed out waiting for %s (%s) to come up"
                        % (self.name, self.address))
            try:
                future.result(timeout=wait)
                break
            except self._grpc.FutureTimeoutError:
                _log.warning("CreateSession still waiting for response from worker: %s",
                             self.name)
        self._ready = True

    def status(self):
        resp = self._call("GetStatus", wire_protocol.StatusRequest(), wire_protocol.StatusResponse)
        cluster = cluster_lib.ClusterSpec(cluster_lib.ClusterDef.FromString(resp.cluster_def))
        return cluster, resp.job_name, resp.task_index

    def register_graph(self, graph_def_bytes):
        resp = self._call("RegisterGraph", wire_protocol.RegisterGraphRequest(
            graph_def=graph_def_bytes), wire_protocol.RegisterGraphResponse)
        return resp.graph_handle

    def run_partition(self, handle, ops, feeds, fetches, timeout_in_ms=0, wire="",
                      graph=None, trace=None):
        req = wire_protocol.RunGraphRequest(
            graph_handle=handle, op=list(ops), recv_key=list(fetches), wire_dtype=wire,
            timeout_in_ms=timeout_in_ms, trace=trace is not None).SerializeToString()
        data = b"".join([req] + wire_protocol.tensor_chunks(3, feeds, wire))
        rest, recv = wire_protocol.split_tensors(self._call("RunGraph", data), 1)
        resp = wire_protocol.RunGraphResponse.FromString(rest)
        if resp.error_code:
            wire_protocol.raise_error(resp.error_code, resp.error_message, resp.error_node, graph)
        if trace is not None:
            from tensorflux.client import executor

            trace.extend((n.device, executor._node_stats(n.name, n.label, n.start_ns, n.end_ns,
                                                         (), "cpu")) for n in resp.node)
        return [value for _, value in recv]

    def read_variables(self, names):
        data = wire_protocol.VariablesRequest(name=list(names)).SerializeToString()
        rest, values = wire_protocol.split_tensors(self._call("Variables", data), 1)
        resp = wire_protocol.VariablesResponse.FromString(rest)
        if resp.error_code:
            wire_protocol.raise_error(resp.error_code, resp.error_message)
        return [value for _, value in values]

    def assign_variables(self, values):
        data = b"".join(wire_protocol.tensor_chunks(2, values.items()))
        resp = wire_protocol.VariablesResponse.FromString(self._call("Variables", data))
        if resp.error_code:
            wire_protocol.raise_error(resp.error_code, resp.error_message)

    def reset(self, containers=None):
        self._call("Reset", wire_protocol.ResetRequest(container=list(containers or ())),
                   wire_protocol.ResetResponse)
