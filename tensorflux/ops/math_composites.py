"""tf.math functions built from other ops: reduce_variance, reduce_std, is_non_decreasing,
is_strictly_increasing, accumulate_n and cumulative_logsumexp (no op types of their own)."""

from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import array_ops, math_ops, reduction_ops, scan_ops
from tensorflux.ops._helpers import convert


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """The (biased) variance of the elements across `axis`: `mean(square(x - mean(x)))`.

    Example:
        >>> tf.math.reduce_variance([[1., 2.], [3., 4.]])  # 1.25
    """
    with graph_lib.name_scope(name or "reduce_variance"):
        x = convert(input_tensor, name="input_tensor")
        if not x.dtype.is_floating and not x.dtype.is_complex:
            raise TypeError("Input must be either real or complex, got %s" % x.dtype.name)
        means = reduction_ops.reduce_mean(x, axis, keepdims=True)
        deviations = math_ops.square(math_ops.abs(math_ops.subtract(x, means)))
        return reduction_ops.reduce_mean(deviations, axis, keepdims=keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """The standard deviation of the elements across `axis`: `sqrt(reduce_variance(x))`.

    Example:
        >>> tf.math.reduce_std([[1., 2.], [3., 4.]], axis=0)  # [1., 1.]
    """
    with graph_lib.name_scope(name or "reduce_std"):
        return math_ops.sqrt(reduce_variance(input_tensor, axis, keepdims))


def _diffs(x):
    """x flattened, minus itself shifted by one: `x[1:] - x[:-1]` (empty for < 2 elements)."""
    x = convert(x, name="x")
    if not (x.dtype.is_floating or x.dtype.is_integer or x.dtype.is_complex):
        raise TypeError("Expected x to be numeric, got %s" % x.dtype.name)
    flat = array_ops.reshape(x, [-1])
    return math_ops.subtract(flat[1:], flat[:-1])


def is_non_decreasing(x, name=None):
    """True when `x` (flattened) never decreases; true for fewer than two elements.

    Example:
        >>> tf.math.is_non_decreasing([1, 1, 2])  # True
    """
    with graph_lib.name_scope(name, "is_non_decreasing", [x]):
        d = _diffs(x)
        return reduction_ops.reduce_all(math_ops.less_equal(array_ops.zeros_like(d), d))


def is_strictly_increasing(x, name=None):
    """True when `x` (flattened) always increases; true for fewer than two elements.

    Example:
        >>> tf.math.is_strictly_increasing([1, 1, 2])  # False
    """
    with graph_lib.name_scope(name, "is_strictly_increasing", [x]):
        d = _diffs(x)
        return reduction_ops.reduce_all(math_ops.less(array_ops.zeros_like(d), d))


def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None):
    """The elementwise sum of a list of same-shape tensors (TF1's signature; it is `add_n`).

    Example:
        >>> tf.math.accumulate_n([a, b, a], shape=[2, 2], tensor_dtype=tf.float32)
    """
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("inputs must be a list of at least one Tensor with the same dtype and "
                         "shape")
    inputs = [convert(x) for x in inputs]
    if not all(isinstance(x, Tensor) for x in inputs):
        raise ValueError("inputs must be a list of at least one Tensor with the same dtype and "
                         "shape")
    if not all(x.dtype.base_dtype == inputs[0].dtype.base_dtype for x in inputs):
        raise ValueError("inputs must be a list of at least one Tensor with the same dtype and "
                         "shape")
    if tensor_dtype is not None and inputs[0].dtype.base_dtype != tensor_dtype:
        raise TypeError("tensor_dtype is %s, but input is of type %s"
                        % (tensor_dtype, inputs[0].dtype.name))
    if shape is not None:
        for x in inputs:
            x.shape.assert_is_compatible_with(shape)
    if len(inputs) == 1 and name is None:
        return inputs[0]
    return math_ops.add_n(inputs, name=name)


def cumulative_logsumexp(x, axis=0, exclusive=False, reverse=False, name=None):
    """`log(cumsum(exp(x)))` along `axis`, computed around the axis' maximum for stability.

    Elements far below the maximum (about 700 below, in float64) underflow to -inf in the
    running sums that precede the maximum.

    Example:
        >>> tf.math.cumulative_logsumexp([0., 0.])  # [0., 0.6931472]
    """
    with graph_lib.name_scope(name, "CumulativeLogsumexp", [x]) as scope:
        x = convert(x, name="x")
        top = array_ops.stop_gradient(reduction_ops.reduce_max(x, axis, keepdims=True))
        sums = scan_ops.cumsum(math_ops.exp(math_ops.subtract(x, top)), axis,
                               exclusive=exclusive, reverse=reverse)
        return math_ops.add(math_ops.log(sums), top, name=scope)
