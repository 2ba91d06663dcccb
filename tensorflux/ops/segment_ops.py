"""Segment reductions: unsorted_segment_sum/max/min/prod (and the mean/sqrt_n composites) and
the sorted segment_sum/mean/max/min."""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import array_ops, constant_op, manip_ops, registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError

TS = tensor_shape.TensorShape
_INDEX_TYPES = (dtypes.int32, dtypes.int64)


def _check_index_dtype(t, arg):
    if t.dtype.base_dtype not in _INDEX_TYPES:
        raise TypeError("Value passed to parameter '%s' has DataType %s not in list of allowed "
                        "values: int32, int64" % (arg, t.dtype.name))


def _rank_error(need, have):
    return ShapeError("Shape must be at least rank %d but is rank %d" % (need, have))


def _gather(params, indices):
    from tensorflux.ops import gather_ops

    return gather_ops.gather(params, indices)


# --- segment reductions ----------------------------------------------------------------------
def _gather_drop_negatives(params, ids):
    """gather(params, ids) with rows for negative ids set to zero (as TF's gradient does)."""
    from tensorflux.ops import math_ops

    zero_clipped = math_ops.maximum(ids, array_ops.zeros_like(ids))
    gathered = _gather(params, zero_clipped)
    is_positive = math_ops.greater_equal(ids, 0)
    is_positive_shape = array_ops.shape(is_positive)
    broadcastable = array_ops.concat(
        [is_positive_shape, array_ops.ones([array_ops.rank(gathered) -
                                            array_ops.rank(is_positive)], dtype=dtypes.int32)], 0)
    is_positive = array_ops.reshape(is_positive, broadcastable)
    is_positive = math_ops.logical_and(is_positive, array_ops.ones_like(gathered,
                                                                        dtype=dtypes.bool))
    return manip_ops.where(is_positive, gathered, array_ops.zeros_like(gathered))


def _uss_shape(op):
    data, ids, num = op.inputs
    dtype = data.dtype.base_dtype
    if num.shape.ndims is not None and num.shape.ndims != 0:
        raise ShapeError("Shape must be rank 0 but is rank %d" % num.shape.ndims)
    n = constant_op.constant_value(num)
    n = None if n is None else int(n)
    if data.shape.ndims is None or ids.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    d, i = data.shape.as_list(), ids.shape.as_list()
    if len(i) > len(d):
        raise _rank_error(len(i), len(d))
    for a, b in zip(d, i):
        if None not in (a, b) and a != b:
            raise ShapeError("Dimensions must be equal, but are %d and %d" % (a, b))
    return [(dtype, TS([n] + d[len(i):]))]


registry.register("UnsortedSegmentSum", shape=_uss_shape,
                  grad=lambda op, g: [_gather_drop_negatives(g, op.inputs[1]), None, None])


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """`out[j] = sum(data[i] for ids[i] == j)` for j < num_segments; negative ids are dropped.

    Example:
        >>> tf.unsorted_segment_sum([1., 2., 3.], [0, 2, 0], 3)  # [4., 0., 2.]
    """
    with graph_lib.name_scope(name, "UnsortedSegmentSum",
                              [data, segment_ids, num_segments]) as scope:
        data = convert(data, name="data")
        ids = convert(segment_ids, name="segment_ids")
        _check_index_dtype(ids, "segment_ids")
        num = num_segments if isinstance(num_segments, Tensor) else convert(
            num_segments, dtype=dtypes.int32, name="num_segments")
        return registry.make_tensor("UnsortedSegmentSum", [data, ids, num],
                                    {"Tindices": ids.dtype.base_dtype,
                                     "Tnumsegments": num.dtype.base_dtype}, name=scope)


def _segment_shape(op):
    data, ids = op.inputs
    dtype = data.dtype.base_dtype
    if ids.shape.ndims is not None and ids.shape.ndims != 1:
        raise ShapeError("Shape must be rank 1 but is rank %d" % ids.shape.ndims)
    if data.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    if data.shape.ndims < 1:
        raise _rank_error(1, data.shape.ndims)
    if ids.shape.ndims == 1 and not data.shape[0].is_compatible_with(ids.shape[0]):
        raise ShapeError("Dimensions must be equal, but are %d and %d"
                         % (data.shape[0].value, ids.shape[0].value))
    return [(dtype, TS([None] + data.shape.as_list()[1:]))]


def _segment_sum_grad(op, g):
    return [_gather(g, op.inputs[1]), None]


def _segment_mean_grad(op, g):
    from tensorflux.ops import math_ops

    data, ids = op.inputs
    input_rank = array_ops.rank(data)
    ones_shape = array_ops.concat([array_ops.shape(ids),
                                   array_ops.fill(manip_ops.expand_dims(input_rank - 1, 0), 1)], 0)
    ones = array_ops.fill(ones_shape, constant_op.constant(1, dtype=g.dtype.base_dtype))
    scaled = math_ops.divide(g, segment_sum(ones, ids))
    return [_gather(scaled, ids), None]


def _segment_minmax_grad(op, g):
    from tensorflux.ops import math_ops

    data, ids = op.inputs
    zeros = array_ops.zeros_like(data)
    gathered_outputs = _gather(op.outputs[0], ids)
    is_selected = math_ops.equal(data, gathered_outputs)
    num_selected = segment_sum(math_ops.cast(is_selected, g.dtype), ids)
    weighted = math_ops.divide(g, num_selected)
    return [manip_ops.where(is_selected, _gather(weighted, ids), zeros), None]


_SEGMENT_GRADS = {"SegmentSum": _segment_sum_grad, "SegmentMean": _segment_mean_grad,
                  "SegmentMax": _segment_minmax_grad, "SegmentMin": _segment_minmax_grad}
for _name, _grad in _SEGMENT_GRADS.items():
    registry.register(_name, shape=_segment_shape, grad=_grad)


def _segment_op(op_type, data, segment_ids, name):
    with graph_lib.name_scope(name, op_type, [data, segment_ids]) as scope:
        data = convert(data, name="data")
        ids = convert(segment_ids, name="segment_ids")
        _check_index_dtype(ids, "segment_ids")
        return registry.make_tensor(op_type, [data, ids], {"Tindices": ids.dtype.base_dtype},
                                    name=scope)


def segment_sum(data, segment_ids, name=None):
    """Sums rows of `data` with equal (sorted) `segment_ids`: `out[j] = sum(data[ids == j])`.

    Example:
        >>> tf.segment_sum([[1, 2], [3, 4], [5, 6]], [0, 0, 1])  # [[4, 6], [5, 6]]
    """
    return _segment_op("SegmentSum", data, segment_ids, name)


def segment_mean(data, segment_ids, name=None):
    """The mean of each segment (sorted `segment_ids`); empty segments give 0."""
    return _segment_op("SegmentMean", data, segment_ids, name)


def segment_max(data, segment_ids, name=None):
    """The max of each segment (sorted `segment_ids`); empty segments give 0."""
    return _segment_op("SegmentMax", data, segment_ids, name)


def segment_min(data, segment_ids, name=None):
    """The min of each segment (sorted `segment_ids`); empty segments give 0."""
    return _segment_op("SegmentMin", data, segment_ids, name)


# --- unsorted max/min/prod and the mean/sqrt_n composites --------------------------------------
def _gather_clipped(params, ids):
    """(gather(params, max(ids, 0)), ids >= 0 broadcast to the gathered shape)."""
    from tensorflux.ops import math_ops

    gathered = _gather(params, math_ops.maximum(ids, array_ops.zeros_like(ids)))
    ones = array_ops.ones([array_ops.rank(gathered) - array_ops.rank(ids)], dtype=dtypes.int32)
    is_positive = array_ops.reshape(math_ops.greater_equal(ids, 0),
                                    array_ops.concat([array_ops.shape(ids), ones], 0))
    is_positive = math_ops.logical_and(is_positive,
                                       array_ops.ones_like(gathered, dtype=dtypes.bool))
    return gathered, is_positive


def _unsorted_minmax_grad(op, g):
    """TF's rule: the gradient goes to the elements equal to their segment's result, split
    evenly between ties; elements with negative ids get none."""
    from tensorflux.ops import math_ops

    data, ids, num = op.inputs
    gathered_out, is_positive = _gather_clipped(op.outputs[0], ids)
    is_selected = math_ops.logical_and(math_ops.equal(data, gathered_out), is_positive)
    num_selected = unsorted_segment_sum(math_ops.cast(is_selected, g.dtype), ids, num)
    gathered_grad, _ = _gather_clipped(math_ops.divide(g, num_selected), ids)
    zeros = array_ops.zeros_like(gathered_grad)
    return [manip_ops.where(is_selected, gathered_grad, zeros), None, None]


def _unsorted_prod_grad(op, g):
    """TF's rule: prod / x_i, except where x_i == 0: there the product of the segment's other
    elements (zero when the segment holds two zeros or more)."""
    from tensorflux.ops import math_ops

    data, ids, num = op.inputs
    is_zero = math_ops.equal(data, array_ops.zeros_like(data))
    num_zeros = unsorted_segment_sum(math_ops.cast(is_zero, dtypes.int32), ids, num)
    g = manip_ops.where(math_ops.greater(num_zeros, 1), array_ops.zeros_like(g), g)
    non_zero_data = manip_ops.where(is_zero, array_ops.ones_like(data), data)
    non_zero_prod = unsorted_segment_prod(non_zero_data, ids, num)
    gathered_prod, _ = _gather_clipped(op.outputs[0], ids)
    gathered_non_zero_prod, _ = _gather_clipped(non_zero_prod, ids)
    safe_data = manip_ops.where(is_zero, array_ops.ones_like(data), data)
    partial = manip_ops.where(is_zero, gathered_non_zero_prod,
                              math_ops.divide(gathered_prod, safe_data))
    gathered_grad, is_positive = _gather_clipped(g, ids)
    gathered_grad = manip_ops.where(is_positive, gathered_grad, array_ops.zeros_like(partial))
    return [math_ops.multiply(gathered_grad, partial), None, None]


registry.register("UnsortedSegmentMax", shape=_uss_shape, grad=_unsorted_minmax_grad)
registry.register("UnsortedSegmentMin", shape=_uss_shape, grad=_unsorted_minmax_grad)
registry.register("UnsortedSegmentProd", shape=_uss_shape, grad=_unsorted_prod_grad)


def _unsorted_op(op_type, data, segment_ids, num_segments, name):
    with graph_lib.name_scope(name, op_type, [data, segment_ids, num_segments]) as scope:
        data = convert(data, name="data")
        ids = convert(segment_ids, name="segment_ids")
        _check_index_dtype(ids, "segment_ids")
        num = num_segments if isinstance(num_segments, Tensor) else convert(
            num_segments, dtype=dtypes.int32, name="num_segments")
        _check_index_dtype(num, "num_segments")
        return registry.make_tensor(op_type, [data, ids, num],
                                    {"Tindices": ids.dtype.base_dtype,
                                     "Tnumsegments": num.dtype.base_dtype}, name=scope)


def unsorted_segment_max(data, segment_ids, num_segments, name=None):
    """`out[j] = max(data[i] for ids[i] == j)`; an empty segment gives the dtype's lowest value.

    Example:
        >>> tf.math.unsorted_segment_max([1., 5., 3.], [0, 0, 1], 2)  # [5., 3.]
    """
    return _unsorted_op("UnsortedSegmentMax", data, segment_ids, num_segments, name)


def unsorted_segment_min(data, segment_ids, num_segments, name=None):
    """`out[j] = min(data[i] for ids[i] == j)`; an empty segment gives the dtype's largest value.
    """
    return _unsorted_op("UnsortedSegmentMin", data, segment_ids, num_segments, name)


def unsorted_segment_prod(data, segment_ids, num_segments, name=None):
    """`out[j] = prod(data[i] for ids[i] == j)`; an empty segment gives 1."""
    return _unsorted_op("UnsortedSegmentProd", data, segment_ids, num_segments, name)


def _segment_counts(data, ids, num):
    """How many rows each segment has (at least 1), shaped to broadcast against the sums."""
    from tensorflux.ops import math_ops

    ones = array_ops.ones(array_ops.shape(ids), dtype=data.dtype.base_dtype)
    n = unsorted_segment_sum(ones, ids, num)
    if data.shape.ndims is not None and ids.shape.ndims is not None:
        for _ in range(data.shape.ndims - ids.shape.ndims):  # static shapes stay known
            n = manip_ops.expand_dims(n, -1)
    else:
        inner = array_ops.ones([array_ops.rank(data) - array_ops.rank(ids)], dtype=dtypes.int32)
        num = math_ops.cast(manip_ops.expand_dims(num, 0), dtypes.int32)
        n = array_ops.reshape(n, array_ops.concat([num, inner], 0))
    return math_ops.maximum(n, array_ops.ones_like(n))


def _unsorted_composite(default_name, data, segment_ids, num_segments, name, scale):
    from tensorflux.ops import math_ops

    with graph_lib.name_scope(name, default_name, [data, segment_ids, num_segments]):
        data = convert(data, name="data")
        ids = convert(segment_ids, name="segment_ids")
        num = convert(num_segments, dtype=dtypes.int32, name="num_segments")
        summed = unsorted_segment_sum(data, ids, num)
        return math_ops.divide(summed, scale(_segment_counts(data, ids, num)))


def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    """The mean of each segment; an empty segment gives 0.

    Example:
        >>> tf.math.unsorted_segment_mean([1., 5., 3.], [0, 0, 1], 3)  # [3., 3., 0.]
    """
    return _unsorted_composite("UnsortedSegmentMean", data, segment_ids, num_segments, name,
                               lambda n: n)


def unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None):
    """Each segment's sum divided by the square root of its size; an empty segment gives 0."""
    from tensorflux.ops import math_ops

    dtype = convert(data).dtype if not isinstance(data, Tensor) else data.dtype
    if not dtype.is_floating and not dtype.is_complex:
        raise TypeError("Value passed to parameter 'x' has DataType %s not in list of allowed "
                        "values: bfloat16, float16, float32, float64, complex64, complex128"
                        % dtype.base_dtype.name)
    return _unsorted_composite("UnsortedSegmentSqrtN", data, segment_ids, num_segments, name,
                               math_ops.sqrt)
