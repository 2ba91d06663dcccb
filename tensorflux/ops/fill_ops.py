"""Generated tensors: fill, zeros/ones(_like), range, linspace, one_hot, sequence_mask, meshgrid.

These are re-exported by `array_ops`; this file imports the other families lazily so that
`array_ops` can import it at load time.
"""

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import constant_op, registry
from tensorflux.ops._helpers import convert, same_shape
from tensorflux.ops.registry import ShapeError

ND = registry.NOT_DIFFERENTIABLE
TS = tensor_shape.TensorShape


def _array_ops():
    from tensorflux.ops import array_ops

    return array_ops


# --- fills ---------------------------------------------------------------------------------
def _fill_shape(op):
    dims_t, value = op.inputs
    if dims_t.shape.ndims is not None and dims_t.shape.ndims != 1:
        raise ShapeError("Shape must be rank 1 but is rank %d" % dims_t.shape.ndims)
    if value.shape.ndims is not None and value.shape.ndims != 0:
        raise ShapeError("Shape must be rank 0 but is rank %d" % value.shape.ndims)
    v = constant_op.constant_value(dims_t)
    if v is not None and any(int(d) < 0 for d in np.asarray(v).ravel()):
        raise ShapeError("Fill dimensions must be >= 0")
    return [(value.dtype.base_dtype, constant_op.constant_value_as_shape(dims_t, evaluate=True))]


registry.register("Fill", shape=_fill_shape, grad=lambda op, g: [None, _sum_all(g)])
registry.register("ZerosLike", shape=same_shape, grad=ND)
registry.register("OnesLike", shape=same_shape, grad=ND)


def _sum_all(g):
    from tensorflux.ops import reduction_ops

    return reduction_ops.reduce_sum(g)


def fill(dims, value, name=None):
    """A tensor of shape `dims` filled with the scalar `value`.

    Example:
        >>> tf.fill([2, 3], 9)  # [[9, 9, 9], [9, 9, 9]]
    """
    with graph_lib.name_scope(name, "Fill", [dims, value]) as scope:
        dims = _index_tensor(dims, "dims")
        value = convert(value, name="value")
        return registry.make_tensor("Fill", [dims, value], {"index_type": dims.dtype.base_dtype},
                                    name=scope)


def _index_tensor(v, name, dtype=dtypes.int32):
    if isinstance(v, Tensor):
        return v
    if isinstance(v, tensor_shape.TensorShape):
        v = v.as_list()
    return convert(v, dtype=dtype, name=name)


def _static_dims(shape):
    """`shape` as a list of ints when it holds no tensors, else None."""
    if isinstance(shape, Tensor) or hasattr(shape, "_as_graph_element"):
        return None
    if isinstance(shape, tensor_shape.TensorShape):
        return shape.as_list() if shape.is_fully_defined() else None
    if isinstance(shape, (list, tuple)) and constant_op._contains_tensor(shape):
        return None
    dims = np.asarray(shape)
    if dims.size == 0 and dims.ndim == 1:  # [] or (): a scalar
        return []
    if dims.ndim > 1 or dims.dtype.kind not in "iu":
        return None
    return [int(d) for d in dims.ravel()] if dims.ndim else [int(dims)]


def _filled(shape, dtype, value, name, default_name):
    dtype = dtypes.as_dtype(dtype).base_dtype
    if dtype == dtypes.string:
        value = "" if value == 0 else "1"
    elif dtype == dtypes.bool:
        value = bool(value)
    with graph_lib.name_scope(name, default_name, [shape]) as scope:
        dims = _static_dims(shape)
        if dims is not None and int(np.prod(dims)) < 1000:
            return constant_op.constant(value, dtype=dtype, shape=dims, name=scope)
        if dims is not None:
            shape = constant_op.constant(dims, dtype=dtypes.int32, name="shape_as_tensor")
        elif not isinstance(shape, Tensor):
            shape = convert(shape, dtype=dtypes.int32)
        if shape.shape.ndims == 0:
            shape = _array_ops().reshape(shape, [-1])
        return fill(shape, constant_op.constant(value, dtype=dtype), name=scope)


def zeros(shape, dtype=dtypes.float32, name=None):
    """A tensor of zeros (a constant when the shape is static and small, else Fill).

    Example:
        >>> tf.zeros([3, 4], tf.int32)
    """
    return _filled(shape, dtype, 0, name, "zeros")


def ones(shape, dtype=dtypes.float32, name=None):
    """A tensor of ones (a constant when the shape is static and small, else Fill)."""
    return _filled(shape, dtype, 1, name, "ones")


def zeros_like(tensor, dtype=None, name=None, optimize=True):
    """Zeros with the shape (and by default the dtype) of `tensor`.

    When the static shape is fully known the result does not depend on `tensor`'s value (as in
    TF), so it needs no feed.
    """
    with graph_lib.name_scope(name, "zeros_like", [tensor]) as scope:
        tensor = convert(tensor, name="tensor")
        dtype = tensor.dtype.base_dtype if dtype is None else dtypes.as_dtype(dtype).base_dtype
        variant = dtype == dtypes.variant  # a list or Optional of zeros, never a constant
        if optimize and tensor.shape.is_fully_defined() and not variant:
            return zeros(tensor.shape, dtype=dtype, name=scope)
        if dtype != tensor.dtype.base_dtype:
            return zeros(_array_ops().shape(tensor), dtype=dtype, name=scope)
        out = registry.make_tensor("ZerosLike", [tensor], name=scope)
        out._handle_data = tensor._handle_data
        return out


def ones_like(tensor, dtype=None, name=None, optimize=True):
    """Ones with the shape (and by default the dtype) of `tensor`."""
    with graph_lib.name_scope(name, "ones_like", [tensor]) as scope:
        tensor = convert(tensor, name="tensor")
        dtype = tensor.dtype.base_dtype if dtype is None else dtypes.as_dtype(dtype).base_dtype
        if optimize and tensor.shape.is_fully_defined():
            return ones(tensor.shape, dtype=dtype, name=scope)
        if dtype != tensor.dtype.base_dtype:
            out = ones(_array_ops().shape(tensor), dtype=dtype, name=scope)
            out.set_shape(tensor.shape)
            return out
        return registry.make_tensor("OnesLike", [tensor], name=scope)


# --- range ---------------------------------------------------------------------------------
def _range_shape(op):
    vals = [constant_op.constant_value(x) for x in op.inputs]
    dt = op.inputs[0].dtype.base_dtype
    for x in op.inputs:
        if x.shape.ndims is not None and x.shape.ndims != 0:
            raise ShapeError("Shape must be rank 0 but is rank %d" % x.shape.ndims)
    if any(v is None for v in vals):
        return [(dt, TS([None]))]
    a, b, c = (v.item() for v in vals)
    if c == 0:
        raise ShapeError("Requires delta != 0")
    if c > 0 and a > b:
        raise ShapeError("Requires start <= limit when delta > 0: %s/%s" % (a, b))
    if c < 0 and a < b:
        raise ShapeError("Requires start >= limit when delta < 0: %s/%s" % (a, b))
    n = int(np.ceil(abs(b - a) / abs(c))) if dt.is_floating else (abs(b - a) + abs(c) - 1) \
        // abs(c)
    return [(dt, TS([n]))]


registry.register("Range", shape=_range_shape, grad=ND)


def _range(start, limit, delta, dtype=None, name="range"):
    return registry.make_tensor("Range", [convert(start, dtype), convert(limit, dtype),
                                          convert(delta, dtype)], name=name)


_RANGE_TYPES = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64]


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001 - TF's name
    """Like Python's range, as a 1-D tensor; the dtype is the widest of the arguments'.

    Example:
        >>> tf.range(3, 18, 3)  # [3, 6, 9, 12, 15]
    """
    if limit is None:
        start, limit = 0, start
    with graph_lib.name_scope(name, "Range", [start, limit, delta]) as scope:
        ts = [convert(v, dtype=dtype, name=n) for v, n in zip((start, limit, delta),
                                                                ("start", "limit", "delta"))]
        if dtype is None:
            for t in ts:
                if t.dtype.base_dtype not in _RANGE_TYPES:
                    raise TypeError("Value passed to parameter 'start' has DataType %s not in "
                                    "list of allowed values: bfloat16, half, float32, float64, "
                                    "int8, int16, int32, int64, uint16, uint32" % t.dtype.name)
            dtype = max((t.dtype.base_dtype for t in ts), key=_RANGE_TYPES.index)
            from tensorflux.ops import math_ops

            ts = [math_ops.cast(t, dtype) for t in ts]
        return registry.make_tensor("Range", ts, {"Tidx": dtypes.as_dtype(dtype).base_dtype},
                                    name=scope)




# --- linspace --------------------------------------------------------------------------------
def _linspace_shape(op):
    start, stop, num = op.inputs
    for t in (start, stop, num):
        if t.shape.ndims is not None and t.shape.ndims != 0:
            raise ShapeError("Shape must be rank 0 but is rank %d" % t.shape.ndims)
    n = constant_op.constant_value(num)
    if n is not None and int(n) <= 0:
        raise ShapeError("Requires num > 0: %d" % int(n))
    return [(start.dtype.base_dtype, TS([None if n is None else int(n)]))]


def _linspace_grad(op, g):
    from tensorflux.ops import math_ops, reduction_ops

    num = op.inputs[2]
    dt = g.dtype.base_dtype
    steps = math_ops.cast(range(0, num), dt)
    denom = math_ops.maximum(math_ops.cast(num, dt) - 1, constant_op.constant(1, dtype=dt))
    g_stop = reduction_ops.reduce_sum(g * (steps / denom))
    g_start = reduction_ops.reduce_sum(g) - g_stop
    return [g_start, g_stop, None]


registry.register("LinSpace", shape=_linspace_shape, grad=_linspace_grad)


def lin_space(start, stop, num, name=None):
    """`num` evenly spaced values from `start` to `stop`, both included.

    Example:
        >>> tf.linspace(10.0, 12.0, 3)  # [10.0, 11.0, 12.0]
    """
    with graph_lib.name_scope(name, "LinSpace", [start, stop, num]) as scope:
        start = convert(start, name="start")
        stop = convert(stop, dtype=start.dtype.base_dtype, name="stop")
        num = convert(num, dtype=num.dtype if isinstance(num, Tensor) else dtypes.int32,
                      name="num")
        if not start.dtype.is_floating:
            raise TypeError("Value passed to parameter 'start' has DataType %s not in list of "
                            "allowed values: bfloat16, float16, float32, float64"
                            % start.dtype.name)
        if num.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
            raise TypeError("Value passed to parameter 'num' has DataType %s not in list of "
                            "allowed values: int32, int64" % num.dtype.name)
        return registry.make_tensor("LinSpace", [start, stop, num],
                                    {"T": start.dtype.base_dtype,
                                     "Tidx": num.dtype.base_dtype}, name=scope)


linspace = lin_space


# --- one_hot ---------------------------------------------------------------------------------
def _one_hot_shape(op):
    indices, depth, on, off = op.inputs
    axis = op._attrs["axis"]
    for t in (depth, on, off):
        if t.shape.ndims is not None and t.shape.ndims != 0:
            raise ShapeError("Shape must be rank 0 but is rank %d" % t.shape.ndims)
    if axis < -1:
        raise ShapeError("axis must be >= -1")
    d = constant_op.constant_value(depth)
    if d is not None and int(d) < 0:
        raise ShapeError("depth must be non-negative, got: %d" % int(d))
    if indices.shape.ndims is None:
        return [(on.dtype.base_dtype, tensor_shape.unknown_shape())]
    dims = indices.shape.as_list()
    if axis > len(dims):
        raise ShapeError("Expected axis to be -1 or between [0, %d).  But received: %d"
                         % (len(dims) + 1, axis))
    dims.insert(len(dims) if axis == -1 else axis, None if d is None else int(d))
    return [(on.dtype.base_dtype, TS(dims))]


registry.register("OneHot", shape=_one_hot_shape, grad=ND)

_INDEX_TYPES = (dtypes.uint8, dtypes.int8, dtypes.int32, dtypes.int64)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """One-hot rows: `on_value` where `indices` points, `off_value` elsewhere.

    The dtype comes from `dtype`, else from `on_value`/`off_value`, else float32. Indices
    outside `[0, depth)` give a row of `off_value`.

    Example:
        >>> tf.one_hot([0, 2, -1], 3)  # [[1, 0, 0], [0, 0, 1], [0, 0, 0]]
    """
    with graph_lib.name_scope(name, "one_hot", [indices, depth, on_value, off_value]) as scope:
        on_exists, off_exists = on_value is not None, off_value is not None
        if on_exists:
            on_value = convert(on_value)
        if off_exists:
            off_value = convert(off_value)
        on_dtype = on_value.dtype.base_dtype if on_exists else None
        off_dtype = off_value.dtype.base_dtype if off_exists else None
        if dtype is not None:
            dtype = dtypes.as_dtype(dtype).base_dtype
        if on_exists or off_exists:
            if dtype is not None:
                if on_exists and on_dtype != dtype:
                    raise TypeError("dtype {0} of on_value does not match dtype parameter {1}"
                                    .format(on_dtype, dtype))
                if off_exists and off_dtype != dtype:
                    raise TypeError("dtype {0} of off_value does not match dtype parameter {1}"
                                    .format(off_dtype, dtype))
            else:
                dtype = on_dtype if on_exists else off_dtype
        elif dtype is None:
            dtype = dtypes.float32
        if not on_exists:
            on_value, on_dtype = convert(1, dtype, name="on_value"), dtype
        if not off_exists:
            off_value, off_dtype = convert(0, dtype, name="off_value"), dtype
        if on_dtype != off_dtype:
            raise TypeError("dtype {0} of on_value does not match dtype {1} of off_value"
                            .format(on_dtype, off_dtype))
        indices = convert(indices, name="indices")
        if indices.dtype.base_dtype not in _INDEX_TYPES:
            raise TypeError("Value passed to parameter 'indices' has DataType %s not in list of "
                            "allowed values: uint8, int8, int32, int64" % indices.dtype.name)
        depth = convert(depth, dtype=dtypes.int32, name="depth")
        return registry.make_tensor("OneHot", [indices, depth, on_value, off_value],
                                    {"axis": -1 if axis is None else int(axis),
                                     "T": dtype, "TI": indices.dtype.base_dtype}, name=scope)


# --- sequence_mask, meshgrid (composites) ----------------------------------------------------
def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool, name=None):
    """`mask[i, j] = j < lengths[i]`, shape `lengths.shape + [maxlen]`.

    Example:
        >>> tf.sequence_mask([1, 3, 2], 5)  # [[T, F, F, F, F], [T, T, T, F, F], [T, T, F, F, F]]
    """
    from tensorflux.ops import manip_ops, math_ops, reduction_ops

    with graph_lib.name_scope(name, "SequenceMask", [lengths, maxlen]):
        lengths = convert(lengths)
        if maxlen is None:
            maxlen = reduction_ops.reduce_max(lengths, name="Max")
            maxlen = math_ops.maximum(constant_op.constant(0, maxlen.dtype), maxlen)
        else:
            maxlen = convert(maxlen)
        if maxlen.shape.ndims is not None and maxlen.shape.ndims != 0:
            raise ValueError("Argument `maxlen` must be scalar for sequence_mask, received "
                             "`maxlen` = %s with shape '%s' instead" % (maxlen, maxlen.shape))
        row_vector = _range(constant_op.constant(0, maxlen.dtype), maxlen,
                            constant_op.constant(1, maxlen.dtype), name="Range")
        matrix = math_ops.cast(manip_ops.expand_dims(lengths, -1), maxlen.dtype)
        result = math_ops.less(row_vector, matrix)
        dtype = dtypes.as_dtype(dtype).base_dtype if dtype is not None else None
        if dtype is None or dtype == dtypes.bool:
            return result
        return math_ops.cast(result, dtype)


def meshgrid(*args, **kwargs):
    """N-D coordinate grids from 1-D coordinate vectors (`indexing` "xy" or "ij").

    Example:
        >>> X, Y = tf.meshgrid([1, 2, 3], [4, 5])  # both of shape [2, 3]
    """
    indexing = kwargs.pop("indexing", "xy")
    name = kwargs.pop("name", "meshgrid")
    if kwargs:
        key = list(kwargs.keys())[0]
        raise TypeError("'{}' is an invalid keyword argument for this function".format(key))
    if indexing not in ("xy", "ij"):
        raise ValueError("Argument `indexing` parameter must be either 'xy' or 'ij', got '%s'"
                         % indexing)
    array_ops = _array_ops()
    with graph_lib.name_scope(name, "meshgrid", [a for a in args if isinstance(a, Tensor)]):
        ndim = len(args)
        s0 = (1,) * ndim
        if not ndim:
            return []
        output, conv = [], []
        for i, x in enumerate(args):
            x = x if isinstance(x, Tensor) else convert(x, name="stack")
            conv.append(x)
            output.append(array_ops.reshape(x, list(s0[:i] + (-1,) + s0[i + 1:])))
        shapes = [array_ops.size(x) for x in conv]
        output_dtype = conv[0].dtype.base_dtype
        if indexing == "xy" and ndim > 1:
            output[0] = array_ops.reshape(output[0], [1, -1] + [1] * (ndim - 2))
            output[1] = array_ops.reshape(output[1], [-1, 1] + [1] * (ndim - 2))
            shapes[0], shapes[1] = shapes[1], shapes[0]
        mult_fact = ones(shapes, output_dtype)
        return [x * mult_fact for x in output]
