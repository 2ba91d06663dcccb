"""Partitioned variables: `tf.fixed_size_partitioner`, `tf.variable_axis_size_partitioner`,
`tf.min_max_variable_partitioner`, `PartitionedVariable`, and
`tf.get_variable(..., partitioner=...)`.

A partitioner maps `(shape, dtype)` to the number of parts along each axis (only one axis may
be split). `get_variable` then makes one variable per part, `<name>/part_<i>`, each holding a
contiguous slice (the first `size % parts` parts one row longer), records TF's
`SaveSliceInfo` on it, and returns a `PartitionedVariable`: a list of the parts that converts
to their concatenation wherever a tensor is needed.

Example:
    >>> w = tf.get_variable("w", [10, 4], partitioner=tf.fixed_size_partitioner(3))
    >>> [v.name for v in w]
    ['w/part_0:0', 'w/part_1:0', 'w/part_2:0']
"""

import math

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, constant_op, slicing_ops


# --- partitioners -----------------------------------------------------------------------------
def fixed_size_partitioner(num_shards, axis=0):
    """Splits axis `axis` into `num_shards` parts (fewer if the axis is shorter)."""

    def _partitioner(shape, **unused_args):
        partitions = [1] * shape.ndims
        partitions[axis] = min(num_shards, shape.dims[axis].value)
        return partitions

    return _partitioner


def variable_axis_size_partitioner(max_shard_bytes, axis=0, bytes_per_string_element=16,
                                   max_shards=None):
    """Splits axis `axis` so that each part holds at most `max_shard_bytes` bytes."""
    if max_shard_bytes < 1 or bytes_per_string_element < 1:
        raise ValueError("Both max_shard_bytes and bytes_per_string_element must be positive.")
    if max_shards and max_shards < 1:
        raise ValueError("max_shards must be positive.")

    def _partitioner(shape, dtype):
        if not isinstance(shape, tensor_shape.TensorShape):
            raise ValueError("shape is not a TensorShape: %s" % shape)
        if not shape.is_fully_defined():
            raise ValueError("shape is not fully defined: %s" % shape)
        if not isinstance(dtype, dtypes.DType):
            raise ValueError("dtype is not a DType: %s" % dtype)
        if dtype.base_dtype == dtypes.string:
            element_size = bytes_per_string_element
        else:
            element_size = dtype.size
        partitions = [1] * shape.ndims
        bytes_per_slice = 1.0 * (shape.num_elements() / shape.dims[axis].value) * element_size
        slices_per_shard = max(1, math.floor(max_shard_bytes / bytes_per_slice))
        axis_shards = int(math.ceil(1.0 * shape.dims[axis].value / slices_per_shard))
        if max_shards:
            axis_shards = min(max_shards, axis_shards)
        partitions[axis] = axis_shards
        return partitions

    return _partitioner


def min_max_variable_partitioner(max_partitions=1, axis=0, min_slice_size=256 << 10,
                                 bytes_per_string_element=16):
    """Splits axis `axis` into as many parts as keep each at least `min_slice_size` bytes,
    at most `max_partitions`."""
    if min_slice_size <= 0:
        raise ValueError("min_slice_size must be positive.")

    def _partitioner(shape, dtype):
        if not isinstance(shape, tensor_shape.TensorShape):
            raise ValueError("shape is not a TensorShape: %s" % shape)
        if not shape.is_fully_defined():
            raise ValueError("shape is not fully defined: %s" % shape)
        if dtype.base_dtype == dtypes.string:
            bytes_per_element = bytes_per_string_element
        else:
            bytes_per_element = dtype.size
        total_size_bytes = shape.num_elements() * bytes_per_element
        partitions = total_size_bytes / min_slice_size
        partitions_list = [1] * len(shape)
        partitions_list[axis] = max(1, min(shape.dims[axis].value, max_partitions,
                                           int(math.ceil(partitions))))
        return partitions_list

    return _partitioner


# --- slices ------------------------------------------------------------------------------------
class SaveSliceInfo:
    """Where a part sits in its full variable (TF's `Variable.SaveSliceInfo`)."""

    def __init__(self, full_name=None, full_shape=None, var_offset=None, var_shape=None,
                 save_slice_info_def=None, import_scope=None):
        self.full_name = full_name
        self.full_shape = full_shape
        self.var_offset = var_offset
        self.var_shape = var_shape

    @property
    def spec(self):
        """TF's slice spec string, e.g. `"10 4 0,4:0,4"`."""
        full = " ".join("%d" % d for d in self.full_shape) + " "
        return full + ":".join("%d,%d" % (o, s) for o, s in zip(self.var_offset,
                                                                 self.var_shape))


class _PartitionInfo:
    """Passed to initializers as `partition_info`: the full shape and this part's offset."""

    def __init__(self, full_shape, var_offset):
        self.full_shape = list(full_shape)
        self.var_offset = list(var_offset)

    def single_offset(self, shape):
        dim = self.single_slice_dim(shape)
        return 0 if dim is None else self.var_offset[dim]

    def single_slice_dim(self, shape):
        for i, (full, part) in enumerate(zip(self.full_shape, shape)):
            if full != part:
                return i
        return None


def _call_partitioner(partitioner, shape, dtype):
    if not shape.is_fully_defined():
        raise ValueError("Shape of a new partitioned variable must be fully defined, but "
                         "instead was %s." % (shape,))
    if shape.ndims < 1:
        raise ValueError("A partitioned Variable must have rank at least 1, shape: %s" % shape)
    slicing = partitioner(shape=shape, dtype=dtype)
    if not isinstance(slicing, (list, tuple)):
        raise ValueError("Partitioner must return a sequence, but saw: %s" % slicing)
    if len(slicing) != shape.ndims:
        raise ValueError("Partitioner returned a partition list that does not match the "
                         "Variable's rank: %s vs. %s" % (slicing, shape))
    if any(p < 1 for p in slicing):
        raise ValueError("Partitioner returned zero partitions for some axes: %s" % slicing)
    if sum(p > 1 for p in slicing) > 1:
        raise ValueError("Can only slice a variable along one dimension: shape: %s, "
                         "partitioning: %s" % (shape, slicing))
    return list(slicing)


def _slice_dim_and_count(partitions):
    for i, p in enumerate(partitions):
        if p > 1:
            return i, p
    return 0, 1


def _iter_slices(full_shape, num_slices, slice_dim):
    extra = full_shape[slice_dim] % num_slices
    base = full_shape[slice_dim] // num_slices
    offset = [0] * len(full_shape)
    for i in range(num_slices):
        shape = list(full_shape)
        shape[slice_dim] = base + (1 if i < extra else 0)
        yield list(offset), shape
        offset[slice_dim] += shape[slice_dim]


# --- PartitionedVariable ---------------------------------------------------------------------
class PartitionedVariable:
    """A variable stored as several parts; iterate over it for the parts."""

    def __init__(self, name, shape, dtype, variable_list, partitions):
        if not isinstance(variable_list, (list, tuple)):
            raise TypeError("variable_list is not a list or tuple: %s" % variable_list)
        if not isinstance(partitions, (list, tuple)):
            raise TypeError("partitions is not a list or tuple: %s" % partitions)
        if not all(p >= 1 for p in partitions):
            raise ValueError("partition values must be positive: %s" % partitions)
        if not variable_list:
            raise ValueError("variable_list may not be empty")
        self._variable_list = sorted(variable_list,
                                     key=lambda v: v._get_save_slice_info().var_offset)
        self._name = name
        self._shape = tensor_shape.as_shape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._partitions = list(partitions)
        self._as_tensor = None

    def __iter__(self):
        return iter(self._variable_list)

    def __len__(self):
        num_partition_axes = len([p for p in self._partitions if p > 1])
        if num_partition_axes > 1:
            raise ValueError("Cannot get a length of %d tensors because it is partitioned "
                             "along %d axes" % (len(self._variable_list), num_partition_axes))
        return len(self._variable_list)

    def _partition_axes(self):
        if all(p == 1 for p in self._partitions):
            return [0]
        return [i for i, p in enumerate(self._partitions) if p > 1]

    def _concat(self):
        """The full value: the parts concatenated, as an Identity named after the variable."""
        if len(self._variable_list) == 1:
            with graph_lib.name_scope(None):
                return array_ops.identity(self._variable_list[0], name=self._name)
        axis = self._partition_axes()[0]
        with graph_lib.name_scope(self._name + "/ConcatPartitions/"):
            concatenated = array_ops.concat([v.value() for v in self._variable_list], axis)
        with graph_lib.name_scope(None):
            return array_ops.identity(concatenated, name=self._name)

    def as_tensor(self):
        with graph_lib.control_dependencies(None):
            return self._concat()

    def _get_variable_list(self):
        return self._variable_list

    def _get_partitions(self):
        return self._partitions

    @property
    def name(self):
        return self._name

    @property
    def dtype(self):
        return self._dtype

    @property
    def shape(self):
        return self._shape

    def get_shape(self):
        return self._shape

    @property
    def graph(self):
        return self._variable_list[0].graph

    def assign(self, value, use_locking=False, name=None, read_value=True):
        """Assigns slices of `value` to the parts; returns the grouped assign ops."""
        from tensorflux.ops import control_flow_ops

        value = constant_op.convert_to_tensor(value, dtype=self._dtype)
        assigns = []
        for v in self._variable_list:
            info = v._get_save_slice_info()
            part = slicing_ops.slice(value, info.var_offset, info.var_shape)
            assigns.append(v.assign(part, use_locking=use_locking, read_value=False))
        return control_flow_ops.group(*assigns, name=name)

    def __repr__(self):
        return "<tf.PartitionedVariable '%s' shape=%s dtype=%s parts=%d>" % (
            self._name, self._shape, self._dtype.name, len(self._variable_list))


def _to_tensor(v, dtype=None, name=None, as_ref=False):
    if as_ref:
        raise NotImplementedError("PartitionedVariable doesn't support being used as a "
                                  "reference.")
    if dtype is not None and not dtype.is_compatible_with(v.dtype):
        raise ValueError("Incompatible type conversion requested to type '%s' for variable "
                         "of type '%s'" % (dtype.name, v.dtype.name))
    return v.as_tensor()


constant_op.register_tensor_conversion_function(PartitionedVariable, _to_tensor)


# --- get_variable(partitioner=...) -------------------------------------------------------------
def get_partitioned_variable(store, name, partitioner, shape=None, dtype=dtypes.float32,
                             initializer=None, reuse=None, **kwargs):
    """What `_VariableStore.get_variable` does when given a partitioner (TF's rules)."""
    from tensorflux.graph.tensor import Tensor

    dtype = dtypes.as_dtype(dtype or dtypes.float32).base_dtype
    partitioned = store.__dict__.setdefault("_partitioned_vars", {})
    if name in store._vars:
        raise ValueError("A partitioner was provided, but an unpartitioned version of the "
                         "variable was found: %s.  Perhaps a variable of the same name was "
                         "already created without partitioning?" % name)
    shape = tensor_shape.as_shape(shape)
    if isinstance(initializer, Tensor):
        shape = shape.merge_with(initializer.get_shape())
    partitions = _call_partitioner(partitioner, shape, dtype)
    if name in partitioned:
        if reuse is False or reuse is None:
            raise ValueError("Partitioned variable with name %s already exists. Did you mean to "
                             "set reuse=True or reuse=tf.AUTO_REUSE in VarScope?" % name)
        existing = partitioned[name]
        if not shape.is_compatible_with(existing.get_shape()):
            raise ValueError("Trying to reuse partitioned variable %s, but specified shape %s "
                             "and found shape %s." % (name, shape, existing.get_shape()))
        if dtype != existing.dtype:
            raise ValueError("Trying to reuse partitioned variable %s, but specified dtype %s "
                             "and found dtype %s." % (name, dtype.name, existing.dtype.name))
        if existing._get_partitions() != partitions:
            raise ValueError("Trying to reuse partitioned variable %s, but specified partitions "
                             "%s and found partitions %s." % (name, partitions,
                                                              existing._get_partitions()))
        return existing
    if reuse is True:
        raise ValueError("PartitionedVariable %s does not exist, or was not created with "
                         "tf.get_variable(). Did you mean to set reuse=False or "
                         "reuse=tf.AUTO_REUSE in VarScope?" % name)
    slice_dim, num_slices = _slice_dim_and_count(partitions)
    parts = []
    full = shape.as_list()
    for i, (offset, part_shape) in enumerate(_iter_slices(full, num_slices, slice_dim)):
        info = _PartitionInfo(full, offset)
        part_name = "%s/part_%d" % (name, i)
        if initializer is None or callable(initializer):
            init, init_shape = _with_partition_info(initializer, info, dtype), part_shape
        else:
            with graph_lib.name_scope(part_name + "/PartitionedInitializer"):
                value = constant_op.convert_to_tensor(initializer, dtype=None if isinstance(
                    initializer, Tensor) else dtype)
                init = slicing_ops.slice(value, offset, part_shape)
            init_shape = None
        var = store.get_variable(part_name, shape=init_shape, dtype=dtype, initializer=init,
                                 reuse=reuse, **kwargs)
        var._set_save_slice_info(SaveSliceInfo(name, full, offset, part_shape))
        parts.append(var)
    pv = PartitionedVariable(name=name, shape=shape, dtype=dtype, variable_list=parts,
                             partitions=partitions)
    partitioned[name] = pv
    return pv


def _with_partition_info(initializer, info, dtype):
    """An initializer called with this part's `partition_info` (fans use the full shape)."""
    if initializer is None:
        from tensorflux.ops import init_ops

        initializer = init_ops.glorot_uniform_initializer() if dtype.is_floating else \
            init_ops.zeros_initializer()
    if isinstance(initializer, type):
        initializer = initializer(dtype=dtype)

    def init(shape, dtype=None, partition_info=None):
        return initializer(shape, dtype=dtype, partition_info=info)

    return init


def create_partitioned_variables(shape, slicing, initializer, dtype=dtypes.float32,
                                 trainable=True, collections=None, name=None, reuse=None):
    """The parts (a list of Variables) of a variable split as `slicing` says (deprecated in
    TF 1.x; `get_variable(partitioner=...)` is the replacement)."""
    import importlib

    variable_scope = importlib.import_module("tensorflux.variable_scope")
    if len(shape) != len(slicing):
        raise ValueError("The 'shape' and 'slicing' of a partitioned Variable must have the "
                         "length: shape: %s, slicing: %s" % (shape, slicing))
    if len(shape) < 1:
        raise ValueError("A partitioned Variable must have rank at least 1: shape: %s" % shape)
    with variable_scope.variable_scope(name, "PartitionedVariable", reuse=reuse) as scope:
        store = variable_scope._get_default_variable_store()
        with graph_lib.name_scope(None):
            pv = get_partitioned_variable(store, scope.name, lambda **unused: list(slicing),
                                          shape=shape, dtype=dtype, initializer=initializer,
                                          reuse=reuse, trainable=trainable,
                                          collections=collections)
    return list(pv)


def _install_save_slice_info():
    """`tf.Variable.SaveSliceInfo`, where TF keeps the class."""
    import importlib

    importlib.import_module("tensorflux.variables").Variable.SaveSliceInfo = SaveSliceInfo


_install_save_slice_info()
