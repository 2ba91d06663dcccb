"""`tf.math.bincount` (op Bincount): how often each non-negative integer occurs in an array.

    >>> tf.math.bincount([1, 1, 3])                      # [0, 2, 0, 1]
    >>> tf.math.bincount([1, 1, 3], minlength=6)         # [0, 2, 0, 1, 0, 0]
    >>> tf.math.bincount([1, 1, 3], weights=[.5, .5, 2.])  # [0., 1., 0., 2.]

Values at or above the output size (`maxlength`) are dropped; a negative value is an
InvalidArgumentError when the op runs. Counts are not differentiable.
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, constant_op, math_ops, reduction_ops, registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError


def _bincount_shape(op):
    _, size, weights = op.inputs
    if size.shape.ndims not in (None, 0):
        raise ShapeError("Shape must be rank 0 but is rank %d" % size.shape.ndims)
    n = constant_op.constant_value(size)
    return [(weights.dtype.base_dtype, tensor_shape.TensorShape([None if n is None else int(n)]))]


registry.register("Bincount", shape=_bincount_shape, grad=registry.NOT_DIFFERENTIABLE)


def _output_size(arr, minlength, maxlength):
    """max(arr) + 1 (0 for an empty arr), clipped to [minlength, maxlength] when given."""
    nonempty = math_ops.cast(math_ops.greater(array_ops.size(arr), 0), dtypes.int32)
    size = math_ops.multiply(nonempty, math_ops.add(reduction_ops.reduce_max(arr), 1))
    if minlength is not None:
        size = math_ops.maximum(convert(minlength, dtype=dtypes.int32, name="minlength"), size)
    if maxlength is not None:
        size = math_ops.minimum(convert(maxlength, dtype=dtypes.int32, name="maxlength"), size)
    return size


def bincount(arr, weights=None, minlength=None, maxlength=None, dtype=dtypes.int32, name=None):
    """Counts (or sums `weights` over) the occurrences of each value of the int32 tensor `arr`.

    Args:
        arr: int32 tensor of non-negative values, any shape.
        weights: optional tensor of `arr`'s shape; the output then sums them and has their dtype.
        minlength: optional; the output has at least this many bins.
        maxlength: optional; the output has at most this many bins (bigger values are dropped).
        dtype: the counts' dtype when `weights` is None.
        name: optional name scope.

    Returns:
        A vector of length `max(arr) + 1` (0 for an empty `arr`), clipped to the given limits.

    Example:
        >>> tf.math.bincount([0, 2, 2], minlength=4)  # [1, 0, 2, 0]
    """
    with graph_lib.name_scope(name, "bincount", [arr, weights]):
        arr = convert(arr, dtype=dtypes.int32, name="arr")
        size = _output_size(arr, minlength, maxlength)
        if weights is None:
            weights = constant_op.constant([], dtype=dtypes.as_dtype(dtype))
        else:
            weights = convert(weights, name="weights")
            if not arr.shape.is_compatible_with(weights.shape):
                raise ValueError("weights must have the same shape as arr, got %s and %s"
                                 % (weights.shape, arr.shape))
        return registry.make_tensor("Bincount", [arr, size, weights],
                                    {"T": weights.dtype.base_dtype})
