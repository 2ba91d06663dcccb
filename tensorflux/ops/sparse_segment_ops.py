"""`tf.sparse.segment_sum` / `segment_mean` / `segment_sqrt_n`: segment reductions of the rows
`data[indices]` (TF's SparseSegmentSum/Mean/SqrtN and their `WithNumSegments` forms).

They are the embedding-bag ops: `out[s] = reduce(data[indices[i]] for i with segment_ids[i] ==
s)`, with `segment_ids` sorted. The gradient with respect to `data` scatters the output
gradient back through `indices` (TF's SparseSegmentSumGrad/MeanGrad/SqrtNGrad ops), a dense
tensor with `data`'s shape.

Example:
    >>> emb = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    >>> tf.sparse.segment_mean(emb, [0, 2, 1], [0, 0, 1])  # [[3, 4], [3, 4]]
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, constant_op, registry
from tensorflux.ops._helpers import convert

ND = registry.NOT_DIFFERENTIABLE
TS = tensor_shape.TensorShape
KINDS = {"Sum": "SparseSegmentSumGrad", "Mean": "SparseSegmentMeanGrad",
         "SqrtN": "SparseSegmentSqrtNGrad"}


def _segment_shape(op):
    data = op.inputs[0]
    rest = data.shape[1:] if data.shape.ndims is not None else tensor_shape.unknown_shape()
    for t in op.inputs[1:3]:
        t.shape.with_rank(1)
    rows = None
    if op.type.endswith("WithNumSegments"):
        value = constant_op.constant_value(op.inputs[3])
        rows = None if value is None else int(value)
    return [(data.dtype.base_dtype, TS([rows]).concatenate(rest))]


def _grad_shape(op):
    grad = op.inputs[0]
    rest = grad.shape[1:] if grad.shape.ndims is not None else tensor_shape.unknown_shape()
    value = constant_op.constant_value(op.inputs[3])
    rows = None if value is None else int(value)
    return [(grad.dtype.base_dtype, TS([rows]).concatenate(rest))]


def _make_grad(grad_type):
    def grad_fn(op, grad):
        data, indices, segment_ids = op.inputs[:3]
        dim0 = array_ops.shape(data)[0]
        out = registry.make_tensor(grad_type, [grad, indices, segment_ids, dim0],
                                   {"T": grad.dtype.base_dtype,
                                    "Tidx": indices.dtype.base_dtype,
                                    "Tsegmentids": segment_ids.dtype.base_dtype})
        return [out] + [None] * (len(op.inputs) - 1)
    return grad_fn


for _kind, _grad_type in KINDS.items():
    registry.register("SparseSegment" + _kind, shape=_segment_shape, grad=_make_grad(_grad_type))
    registry.register("SparseSegment%sWithNumSegments" % _kind, shape=_segment_shape,
                      grad=_make_grad(_grad_type))
    registry.register(_grad_type, shape=_grad_shape, grad=ND)


def _index(x, name):
    """An int32/int64 index tensor (ints default to int32, as in TF)."""
    x = convert(x, name=name)
    if x.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError("Value passed to parameter '%s' has DataType %s not in list of allowed "
                        "values: int32, int64" % (name, x.dtype.name))
    return x


def _segment(kind, data, indices, segment_ids, name, num_segments):
    op_type = "SparseSegment" + kind
    if num_segments is not None:
        op_type += "WithNumSegments"
    g = graph_lib._graph_from_values([data, indices, segment_ids])
    with g.as_default(), g.name_scope(name or op_type) as scope:
        data = convert(data, name="data")
        indices = _index(indices, "indices")
        segment_ids = _index(segment_ids, "segment_ids")
        inputs = [data, indices, segment_ids]
        attrs = {"T": data.dtype.base_dtype, "Tidx": indices.dtype.base_dtype,
                 "Tsegmentids": segment_ids.dtype.base_dtype, "sparse_gradient": False}
        if num_segments is not None:
            num_segments = _index(num_segments, "num_segments")
            inputs.append(num_segments)
            attrs["Tnumsegments"] = num_segments.dtype.base_dtype
        return registry.make_tensor(op_type, inputs, attrs, name=scope)


def sparse_segment_sum(data, indices, segment_ids, name=None, num_segments=None):
    """Sums of the rows `data[indices]` grouped by the sorted `segment_ids`.

    Example:
        >>> tf.sparse.segment_sum([[1.0], [2.0], [4.0]], [0, 2, 2], [0, 0, 1])  # [[5], [4]]
    """
    return _segment("Sum", data, indices, segment_ids, name, num_segments)


def sparse_segment_mean(data, indices, segment_ids, name=None, num_segments=None):
    """Means of the rows `data[indices]` grouped by the sorted `segment_ids` (0 when empty)."""
    return _segment("Mean", data, indices, segment_ids, name, num_segments)


def sparse_segment_sqrt_n(data, indices, segment_ids, name=None, num_segments=None):
    """Sums of the rows `data[indices]` per segment divided by sqrt(segment size)."""
    return _segment("SqrtN", data, indices, segment_ids, name, num_segments)
