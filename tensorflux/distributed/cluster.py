"""`tf.train.ClusterSpec` and the JobDef, ClusterDef and ServerDef protocol buffers.

A ClusterSpec names the processes of a distributed computation: jobs ("ps", "worker"), each a
set of tasks with network addresses. It converts to and from the `ClusterDef` message a server
is started with. The messages serialize to TensorFlow's wire bytes (tensorflow/core/protobuf/
cluster.proto, tensorflow_server.proto) and print in protobuf's text format.

Example:
    >>> cluster = ClusterSpec({"ps": ["ps0:2222"], "worker": {1: "worker1:2222"}})
    >>> cluster.as_dict()
    {'ps': ['ps0:2222'], 'worker': {1: 'worker1:2222'}}
    >>> cluster.num_tasks("worker"), cluster.task_address("worker", 1)
    (1, 'worker1:2222')
"""

from tensorflux.client import config as config_lib
from tensorflux.graph import protowire as pw
from tensorflux.graph.graph_protos import MapField, MapMessage
from tensorflux.graph.text_format import _escape
from tensorflux.summary.proto import Field, Message


class _TaskMap(MapField):
    """JobDef's `map<int32, string> tasks`.

    Entries are written in descending key order: that is what TensorFlow's Python protobuf
    (upb, which fills its buffer back to front) writes for `SerializeToString(
    deterministic=True)`, so the bytes match TF's exactly.
    """

    def new(self, items=()):
        return {int(k): v for k, v in dict(items).items()}

    def encode(self, mapping):
        out = []
        for key in sorted(mapping, reverse=True):
            value = mapping[key]
            entry = pw.encode_varint_field(1, key) + pw.encode_bytes_field(2, value)
            out.append(pw.encode_bytes_field(self.number, entry))
        return b"".join(out)

    def decode_entry(self, raw):
        key, value = 0, ""
        for number, _, field_value in pw.iter_fields(raw):
            if number == 1:
                key = pw.to_signed32(field_value)
            elif number == 2:
                value = field_value.decode("utf-8")
        return key, value


class _TextFormat:
    """`str(message)`: protobuf's text format, as TF's messages print."""

    def __str__(self):
        out = []
        _write_text(self, "", out)
        return "".join(out)


def _write_text(msg, pad, out):
    fields = [(f.number, f) for f in msg.FIELDS] + [(m.number, m) for m in
                                                     getattr(msg, "MAPS", ())]
    for _, f in sorted(fields, key=lambda item: item[0]):
        if isinstance(f, MapField):
            mapping = getattr(msg, f.name)
            for key in sorted(mapping):
                value = mapping[key]
                out.append("%s%s {\n%s  key: %s\n%s  value: %s\n%s}\n" % (
                    pad, f.name, pad, _escape(key) if isinstance(key, str) else key, pad,
                    _escape(value) if isinstance(value, str) else value, pad))
            continue
        value = msg._values[f.name]
        values = value if f.repeated else [value]
        if not f.repeated and not f.is_message and value == f.default():
            continue
        if not f.repeated and f.is_message and not msg.HasField(f.name):
            continue
        for v in values:
            if f.is_message:
                out.append("%s%s {\n" % (pad, f.name))
                _write_text(v, pad + "  ", out)
                out.append("%s}\n" % pad)
            elif f.kind in ("string", "bytes"):
                out.append("%s%s: %s\n" % (pad, f.name, _escape(v)))
            elif f.kind == "bool":
                out.append("%s%s: %s\n" % (pad, f.name, "true" if v else "false"))
            else:
                out.append("%s%s: %s\n" % (pad, f.name, v))


class JobDef(_TextFormat, MapMessage):
    """One job: its `name` and `tasks`, a dict from task index to "host:port"."""

    FIELDS = (Field("name", 1, "string"),)
    MAPS = (_TaskMap("tasks", 2, "string"),)


class ClusterDef(_TextFormat, Message):
    """The jobs of a cluster (`job`, a repeated JobDef), as `ClusterSpec.as_cluster_def()`."""

    FIELDS = (Field("job", 1, JobDef, repeated=True),)


class _DeviceCountMap(MapField):
    """ConfigProto's `map<string, int32> device_count`."""

    def new(self, items=()):
        return dict(items)

    def encode(self, mapping):
        out = []
        for key in sorted(mapping):
            entry = pw.encode_bytes_field(1, key) + pw.encode_varint_field(2, mapping[key])
            out.append(pw.encode_bytes_field(self.number, entry))
        return b"".join(out)

    def decode_entry(self, raw):
        key, value = "", 0
        for number, _, field_value in pw.iter_fields(raw):
            if number == 1:
                key = field_value.decode("utf-8")
            elif number == 2:
                value = pw.to_signed32(field_value)
        return key, value


class _SessionConfig(_TextFormat, MapMessage):
    """The ConfigProto fields a ServerDef's `default_session_config` carries on the wire.

    Assigning a `tf.ConfigProto` copies its top-level scalar fields and `device_count`; the
    nested `gpu_options` and `graph_options` are not serialized, so a non-default one raises
    NotImplementedError rather than being dropped silently.
    """

    FIELDS = (Field("intra_op_parallelism_threads", 2, "int32"),
              Field("placement_period", 3, "int32"),
              Field("device_filters", 4, "string", repeated=True),
              Field("inter_op_parallelism_threads", 5, "int32"),
              Field("allow_soft_placement", 7, "bool"), Field("log_device_placement", 8, "bool"),
              Field("use_per_session_threads", 9, "bool"),
              Field("operation_timeout_in_ms", 11, "int64"),
              Field("isolate_session_state", 15, "bool"))
    MAPS = (_DeviceCountMap("device_count", 1, "bytes"),)

    @classmethod
    def from_config(cls, config):
        if isinstance(config, cls) or config is None:
            return config
        for nested in ("gpu_options", "graph_options"):
            if str(getattr(config, nested)):
                raise NotImplementedError(
                    "ServerDef.default_session_config: %s is not serialized" % nested)
        msg = cls(**{f.name: getattr(config, f.name) for f in cls.FIELDS})
        msg.device_count.update(config.device_count)
        return msg


class ServerDef(_TextFormat, Message):
    """What a `tf.train.Server` is started with: the cluster, this task, and the protocol.

    Example:
        >>> sd = ServerDef(cluster=ClusterSpec({"ps": ["a:1"]}).as_cluster_def(),
        ...                job_name="ps", task_index=0, protocol="grpc")
        >>> ServerDef.FromString(sd.SerializeToString()).job_name
        'ps'
    """

    FIELDS = (Field("cluster", 1, ClusterDef), Field("job_name", 2, "string"),
              Field("task_index", 3, "int32"), Field("default_session_config", 4, _SessionConfig),
              Field("protocol", 5, "string"), Field("port", 6, "int32"),
              Field("replica", 8, "int32"))

    def __setattr__(self, name, value):
        if name == "default_session_config" and isinstance(value, config_lib.ConfigProto):
            value = _SessionConfig.from_config(value)
        super().__setattr__(name, value)


class ClusterSpec:
    """A cluster as a set of tasks, organized into jobs (`tf.train.ClusterSpec`).

    Args:
        cluster: A dict from job name to a list of addresses or a dict from task index to
            address; another ClusterSpec; or a ClusterDef.

    Raises:
        TypeError: If `cluster` is none of those, or a job name or task address is not a
            string.

    Example:
        >>> ClusterSpec({"worker": ["w0:2222", "w1:2222"]}).job_tasks("worker")
        ['w0:2222', 'w1:2222']
    """

    def __init__(self, cluster):
        if isinstance(cluster, dict):
            self._cluster_spec = {}
            for job_name, tasks in cluster.items():
                if isinstance(tasks, (list, tuple)):
                    job_tasks = dict(enumerate(tasks))
                elif isinstance(tasks, dict):
                    job_tasks = {int(i): task for i, task in tasks.items()}
                else:
                    raise TypeError("The tasks for job %r must be a list or a dictionary "
                                    "from integers to strings." % job_name)
                self._cluster_spec[job_name] = job_tasks
            self._make_cluster_def()
        elif isinstance(cluster, ClusterDef):
            self._cluster_def = cluster
            self._cluster_spec = {job.name: dict(job.tasks) for job in cluster.job}
        elif isinstance(cluster, ClusterSpec):
            self._cluster_def = ClusterDef.FromString(cluster.as_cluster_def().SerializeToString())
            self._cluster_spec = {job.name: dict(job.tasks) for job in self._cluster_def.job}
        else:
            raise TypeError("`cluster` must be a dictionary mapping one or more job names to "
                            "lists of network addresses, or a `ClusterDef` protocol buffer")

    def _make_cluster_def(self):
        # Jobs sorted by name, so the ClusterDef is deterministic (as TF does).
        self._cluster_def = ClusterDef()
        for job_name, tasks in sorted(self._cluster_spec.items()):
            if not isinstance(job_name, (str, bytes)):
                raise TypeError("Job name %r must be bytes or unicode" % job_name)
            job_def = self._cluster_def.job.add(name=job_name)
            for i, address in sorted(tasks.items()):
                if not isinstance(address, (str, bytes)):
                    raise TypeError("Task address %r must be bytes or unicode" % address)
                job_def.tasks[i] = address.decode("utf-8") if isinstance(address, bytes) \
                    else address

    def __bool__(self):
        return bool(self._cluster_spec)

    def __eq__(self, other):
        return self._cluster_spec == other

    def __ne__(self, other):
        return self._cluster_spec != other

    __hash__ = None

    def __repr__(self):
        jobs = self.as_dict()
        items = [repr(k) + ": " + repr(jobs[k]) for k in sorted(jobs)]
        return "ClusterSpec({" + ", ".join(items) + "})"

    def as_dict(self):
        """Job name -> list of addresses (dense task indices) or {index: address} (sparse)."""
        out = {}
        for job in self.jobs:
            indices = self.task_indices(job)
            if not indices:
                out[job] = {}
            elif max(indices) + 1 == len(indices):
                out[job] = self.job_tasks(job)
            else:
                out[job] = {i: self.task_address(job, i) for i in indices}
        return out

    def as_cluster_def(self):
        """The `ClusterDef` message of this cluster."""
        return self._cluster_def

    @property
    def jobs(self):
        """The job names, in the order they were given."""
        return list(self._cluster_spec)

    def _job(self, job_name):
        try:
            return self._cluster_spec[job_name]
        except KeyError:
            raise ValueError("No such job in cluster: %r" % job_name) from None

    def num_tasks(self, job_name):
        """The number of tasks of `job_name` (ValueError for an unknown job)."""
        return len(self._job(job_name))

    def task_indices(self, job_name):
        """The sorted task indices of `job_name`."""
        return sorted(self._job(job_name))

    def task_address(self, job_name, task_index):
        """The address of one task (ValueError for an unknown job or index)."""
        job = self._job(job_name)
        try:
            return job[task_index]
        except KeyError:
            raise ValueError("No task with index %r in job %r"
                             % (task_index, job_name)) from None

    def job_tasks(self, job_name):
        """A list indexed by task index, with None where a sparse job has no task."""
        job = self._job(job_name)
        out = [None] * (max(job) + 1)
        for i, address in job.items():
            out[i] = address
        return out
