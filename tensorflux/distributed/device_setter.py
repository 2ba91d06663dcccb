"""`tf.train.replica_device_setter`: a device function that puts variables on ps tasks.

In between-graph replication every worker builds the same graph; the variables (and other
stateful resources listed in `STANDARD_PS_OPS`) go to the parameter-server job, one ps task
after another, and every other op goes to the worker's own device. The function merges with
any device the op already asked for (inner `tf.device` scopes win field by field).

Also `GreedyLoadBalancingStrategy` and `byte_size_load_fn` (TF 1.x's
`tf.contrib.training`), a ps strategy that puts each variable on the least loaded ps task.
"""

import logging

import numpy as np

from tensorflux.distributed.cluster import ClusterSpec
from tensorflux.graph.device_spec import DeviceSpec

STANDARD_PS_OPS = ("Variable", "VariableV2", "AutoReloadVariable",
                   "MutableHashTable", "MutableHashTableV2",
                   "MutableHashTableOfTensors", "MutableHashTableOfTensorsV2",
                   "MutableDenseHashTable", "MutableDenseHashTableV2",
                   "VarHandleOp", "BoostedTreesEnsembleResourceHandleOp",
                   "BoostedTreesQuantileStreamResourceHandleOp",
                   "ResourceConditionalAccumulator",
                   "DecisionTreeResource")


class _RoundRobinStrategy:
    """The default ps strategy: task 0, 1, …, num_tasks - 1, then 0 again."""

    def __init__(self, num_tasks):
        self._num_tasks = num_tasks
        self._next_task = 0

    def __call__(self, unused_op):
        task = self._next_task
        self._next_task = (self._next_task + 1) % self._num_tasks
        return task


def _op_type(op):
    """The op type of an Operation (`op.type`) or of a NodeDef (`op.op`)."""
    op_type = getattr(op, "type", None)
    return op_type if isinstance(op_type, str) else op.op


class _ReplicaDeviceChooser:
    """Holds the setter's settings; `device_function(op)` is what `tf.device` receives."""

    def __init__(self, ps_tasks, ps_device, worker_device, merge_devices, ps_ops,
                 ps_strategy):
        self._ps_tasks = ps_tasks
        self._ps_device = ps_device
        self._worker_device = worker_device
        self._merge_devices = merge_devices
        self._ps_ops = ps_ops
        self._ps_strategy = ps_strategy

    def device_function(self, op):
        """The device string for `op`, merged with the device it already has."""
        if not self._merge_devices and op.device:
            return op.device
        current = DeviceSpec.from_string(op.device or "")
        if self._ps_tasks and self._ps_device and _op_type(op) in self._ps_ops:
            ps = DeviceSpec.from_string(self._ps_device)
            # Only pick a task when the op's own job (if any) is the ps job: a task index
            # chosen for the ps job means nothing in another one.
            if ps.job and (not current.job or current.job == ps.job):
                ps = ps.replace(task=self._ps_strategy(op))
            return ps.make_merged_spec(current).to_string()
        worker = DeviceSpec.from_string(self._worker_device or "")
        return worker.make_merged_spec(current).to_string()


def replica_device_setter(ps_tasks=0, ps_device="/job:ps", worker_device="/job:worker",
                          merge_devices=True, cluster=None, ps_ops=None, ps_strategy=None):
    """A device function for `tf.device` that places variables on ps tasks, round-robin.

    Args:
        ps_tasks: Number of ps tasks; ignored when `cluster` is given.
        ps_device: The ps job's device ("" uses no ps job).
        worker_device: The device of every other op ("" leaves them unplaced).
        merge_devices: If True, fields the op's own device leaves unset are filled in; if
            False, an op that already has a device keeps it unchanged.
        cluster: A ClusterSpec, a dict for one, or a ClusterDef; the number of tasks of the
            ps job sets `ps_tasks`.
        ps_ops: Op types placed on ps (default `STANDARD_PS_OPS`).
        ps_strategy: Callable from an op to its ps task index (default round-robin).

    Returns:
        The device function, or None when there are no ps tasks.

    Raises:
        TypeError: If `cluster` is not a cluster description, or `ps_strategy` is not
            callable.

    Example:
        >>> setter = replica_device_setter(cluster={"ps": ["ps0:1", "ps1:1"], "worker": ["w:1"]})
        >>> with tf.device(setter):  # doctest: +SKIP
        ...     v1 = tf.Variable(1.0)  # /job:ps/task:0
        ...     v2 = tf.Variable(2.0)  # /job:ps/task:1
    """
    if cluster is not None:
        if isinstance(cluster, ClusterSpec):
            cluster_spec = cluster.as_dict()
        else:
            cluster_spec = ClusterSpec(cluster).as_dict()
        ps_job_name = DeviceSpec.from_string(ps_device).job
        if ps_job_name not in cluster_spec or cluster_spec[ps_job_name] is None:
            return None
        ps_tasks = len(cluster_spec[ps_job_name])
    if ps_tasks == 0:
        return None
    if ps_ops is None:
        ps_ops = list(STANDARD_PS_OPS)
    if not merge_devices:
        logging.getLogger("tensorflow").warning(
            "DEPRECATION: It is recommended to set merge_devices=true in "
            "replica_device_setter")
    if ps_strategy is None:
        ps_strategy = _RoundRobinStrategy(ps_tasks)
    if not callable(ps_strategy):
        raise TypeError("ps_strategy must be callable")
    chooser = _ReplicaDeviceChooser(ps_tasks, ps_device, worker_device, merge_devices, ps_ops,
                                    ps_strategy)
    return chooser.device_function


class GreedyLoadBalancingStrategy:
    """A ps strategy that puts each op on the ps task with the least load so far.

    The load of an op is `load_fn(op)` (for example `byte_size_load_fn`); ties go to the
    lowest task index. This is `tf.contrib.training.GreedyLoadBalancingStrategy`.

    Example:
        >>> strategy = GreedyLoadBalancingStrategy(2, byte_size_load_fn)
        >>> setter = replica_device_setter(ps_tasks=2, ps_strategy=strategy)
    """

    def __init__(self, num_tasks, load_fn):
        self._num_tasks = num_tasks
        self._load_fn = load_fn
        self._ps_loads = np.zeros(num_tasks)

    def __call__(self, op):
        task = int(np.argmin(self._ps_loads))
        self._ps_loads[task] += self._load_fn(op)
        return task


def byte_size_load_fn(op):
    """The byte size of the single output of `op` (for variables: the variable's size).

    A scalar or partly known output shape falls back to the op's `shape` attr, as a
    variable op's is.

    Raises:
        ValueError: If `op` does not have exactly one output, or its shape is not fully
            defined.
    """
    if len(op.outputs) != 1:
        raise ValueError("Op %s must have a single output" % op)
    output = op.outputs[0]
    shape = output.get_shape()
    if not shape.is_fully_defined():
        from tensorflux.graph.tensor_shape import TensorShape

        shape = TensorShape(op.get_attr("shape"))
    shape.assert_is_fully_defined()
    return shape.num_elements() * output.dtype.base_dtype.size
