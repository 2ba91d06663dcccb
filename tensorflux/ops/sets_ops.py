"""Set operations over the last dimension (`tf.sets`): intersection, union, difference, size.

The sets are the values along the last dimension of a dense tensor, or of a SparseTensor's
rows; the result is a SparseTensor whose last dimension lists each group's result set, sorted,
padded to the largest set (TF's `DenseToDenseSetOperation`, `DenseToSparseSetOperation`,
`SparseToSparseSetOperation`, `SetSize`; kernels in backends/numpy/sets_ops.py).

    >>> a = tf.constant([[1, 2, 3], [4, 5, 6]])
    >>> b = tf.constant([[1, 3, 9], [6, 6, 6]])
    >>> tf.sets.set_intersection(a, b)   # SparseTensor: [[1, 3], [6]] padded to [2, 2]

Integers (8 to 64 bits, signed, uint8 and uint16) and strings only; not differentiable.
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.ops import registry
from tensorflux.ops.registry import ShapeError
from tensorflux.ops.sparse_tensor import SparseTensor, convert_to_tensor_or_sparse_tensor

ND = registry.NOT_DIFFERENTIABLE
_VALID_DTYPES = frozenset([dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64, dtypes.uint8,
                           dtypes.uint16, dtypes.string])


def _rank_of_dense(t):
    rank = t.shape.ndims
    if rank is not None and rank < 2:
        raise ShapeError("Shape must be at least rank 2 but is rank %d" % rank)
    return rank


def _rank_of_sparse(indices, shape):
    for dim in (indices.shape[1] if indices.shape.ndims == 2 else None,
                shape.shape[0] if shape.shape.ndims == 1 else None):
        value = getattr(dim, "value", dim)
        if value is not None:
            return value
    return None


def _set_outputs(op, rank):
    out_type = op._attrs["T"]
    return [(dtypes.int64, tensor_shape.TensorShape([None, rank])),
            (out_type, tensor_shape.TensorShape([None])),
            (dtypes.int64, tensor_shape.TensorShape([rank]))]


def _dense_dense_shape(op):
    r1, r2 = _rank_of_dense(op.inputs[0]), _rank_of_dense(op.inputs[1])
    if r1 is not None and r2 is not None and r1 != r2:
        raise ShapeError("Shape must be rank %d but is rank %d" % (r1, r2))
    return _set_outputs(op, r1 if r1 is not None else r2)


def _dense_sparse_shape(op):
    r1 = _rank_of_dense(op.inputs[0])
    return _set_outputs(op, r1 if r1 is not None else _rank_of_sparse(*op.inputs[1:4:2]))


def _sparse_sparse_shape(op):
    r1 = _rank_of_sparse(op.inputs[0], op.inputs[2])
    return _set_outputs(op, r1 if r1 is not None else _rank_of_sparse(op.inputs[3],
                                                                       op.inputs[5]))


def _set_size_shape(op):
    return [(dtypes.int32, tensor_shape.unknown_shape())]  # TF's too: rank 1 less, unknown


registry.register("DenseToDenseSetOperation", shape=_dense_dense_shape, grad=ND)
registry.register("DenseToSparseSetOperation", shape=_dense_sparse_shape, grad=ND)
registry.register("SparseToSparseSetOperation", shape=_sparse_sparse_shape, grad=ND)
registry.register("SetSize", shape=_set_size_shape, grad=ND)


def set_size(a, validate_indices=True):
    """The number of unique values in each set (the last dimension) of SparseTensor `a`, as an
    int32 tensor of `a`'s shape without its last dimension.

    Example:
        >>> st = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], [1, 2, 7], [2, 3])
        >>> tf.sets.set_size(st)   # [2, 1]
    """
    a = convert_to_tensor_or_sparse_tensor(a, name="a")
    if not isinstance(a, SparseTensor):
        raise TypeError("Expected `SparseTensor`, got %s." % a)
    if a.values.dtype.base_dtype not in _VALID_DTYPES:
        raise TypeError("Invalid dtype `%s` not in supported dtypes: `%s`."
                        % (a.values.dtype, _VALID_DTYPES))
    return registry.make_tensor("SetSize", [a.indices, a.values, a.dense_shape],
                                {"validate_indices": bool(validate_indices),
                                 "T": a.values.dtype.base_dtype}, name="SetSize")


def _convert_to_tensors_or_sparse_tensors(a, b):
    a = convert_to_tensor_or_sparse_tensor(a, name="a")
    if a.dtype.base_dtype not in _VALID_DTYPES:
        raise TypeError("'a' has invalid dtype `%s` not in supported dtypes: `%s`."
                        % (a.dtype, _VALID_DTYPES))
    b = convert_to_tensor_or_sparse_tensor(b, name="b")
    if b.dtype.base_dtype != a.dtype.base_dtype:
        raise TypeError("Types don't match, %s vs %s." % (a.dtype, b.dtype))
    if isinstance(a, SparseTensor) and not isinstance(b, SparseTensor):
        return b, a, True
    return a, b, False


def _set_operation(a, b, set_operation, validate_indices=True):
    attrs = {"set_operation": set_operation, "validate_indices": bool(validate_indices),
             "T": a.dtype.base_dtype}
    if isinstance(a, SparseTensor):
        if not isinstance(b, SparseTensor):
            raise ValueError("Sparse,Dense is not supported, but Dense,Sparse is. Please flip "
                             "the order of your inputs.")
        op = registry.make_op("SparseToSparseSetOperation",
                              [a.indices, a.values, a.dense_shape, b.indices, b.values,
                               b.dense_shape], attrs, name="SparseToSparseSetOperation")
    elif isinstance(b, SparseTensor):
        op = registry.make_op("DenseToSparseSetOperation",
                              [a, b.indices, b.values, b.dense_shape], attrs,
                              name="DenseToSparseSetOperation")
    else:
        op = registry.make_op("DenseToDenseSetOperation", [a, b], attrs,
                              name="DenseToDenseSetOperation")
    indices, values, shape = op.outputs
    return SparseTensor(indices, values, shape)


def set_intersection(a, b, validate_indices=True):
    """The elements in both `a` and `b`, set by set (a SparseTensor).

    Example:
        >>> tf.sets.set_intersection([[1, 2]], [[2, 3]])   # values [2]
    """
    a, b, _ = _convert_to_tensors_or_sparse_tensors(a, b)
    return _set_operation(a, b, "intersection", validate_indices)


def set_difference(a, b, aminusb=True, validate_indices=True):
    """The elements of `a` not in `b` (`aminusb`), or of `b` not in `a`, set by set.

    Example:
        >>> tf.sets.set_difference([[1, 2]], [[2, 3]])   # values [1]
    """
    a, b, flipped = _convert_to_tensors_or_sparse_tensors(a, b)
    if flipped:
        aminusb = not aminusb
    return _set_operation(a, b, "a-b" if aminusb else "b-a", validate_indices)


def set_union(a, b, validate_indices=True):
    """The elements in `a` or `b`, set by set.

    Example:
        >>> tf.sets.set_union([[1, 2]], [[2, 3]])   # values [1, 2, 3]
    """
    a, b, _ = _convert_to_tensors_or_sparse_tensors(a, b)
    return _set_operation(a, b, "union", validate_indices)



__all__ = ["set_difference", "set_intersection", "set_size", "set_union"]
