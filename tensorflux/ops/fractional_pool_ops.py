"""Fractional max / average pooling (`FractionalMaxPool`, `FractionalAvgPool`) and their
gradient ops.

Pooling regions of non-integer average size (Graham 2014): along rows and columns, an output
of `floor(size / ratio)` cells whose region boundaries form a cumulative "pooling sequence"
`0 = s[0] < s[1] < ... < s[n] = size`, every step `floor(ratio)` or `ceil(ratio)` long. Cell `i`
pools rows `s[i] .. s[i+1] - 1` (`.. s[i+1]` when `overlapping`, clipped to the input). The
sequences are random; each op also returns the two it used, which its gradient op takes.

The kernels draw the sequences exactly as TF's CPU kernels do (Philox under `(seed, seed2)`),
so with `deterministic=True` and a non-zero seed the sequences are TF's own.
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, registry
from tensorflux.ops._helpers import convert

_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64)


def _pool_shape(op):
    x = op.inputs[0]
    ratio = op._attrs["pooling_ratio"]
    _check_rank(x.shape, 4)
    shape = x.shape if x.shape.ndims is not None else tensor_shape.unknown_shape(4)
    dims = []
    for i, d in enumerate(shape.as_list()):
        dims.append(None if d is None else int(d // ratio[i]))
    dtype = x.dtype.base_dtype
    # As TF's shape function: the sequences' static length is the output's (one short of the
    # n + 1 boundaries they hold at run time).
    return [(dtype, tensor_shape.TensorShape(dims)),
            (dtypes.int64, tensor_shape.TensorShape([dims[1]])),
            (dtypes.int64, tensor_shape.TensorShape([dims[2]]))]


def _max_pool_grad(op, g, _row_grad, _col_grad):
    return [fractional_max_pool_grad(op.inputs[0], op.outputs[0], g, op.outputs[1],
                                     op.outputs[2], overlapping=op._attrs["overlapping"])]


def _avg_pool_grad(op, g, _row_grad, _col_grad):
    x = op.inputs[0]
    shape = x.shape.as_list() if x.shape.is_fully_defined() else \
        array_ops.shape(x, out_type=dtypes.int64)
    return [fractional_avg_pool_grad(shape, g, op.outputs[1], op.outputs[2],
                                     overlapping=op._attrs["overlapping"])]


def _max_grad_shape(op):
    x, _, grad = op.inputs[:3]
    _check_rank(grad.shape, 4)
    return [(x.dtype.base_dtype, x.shape.with_rank(4) if x.shape.ndims is not None else
             tensor_shape.unknown_shape(4))]


def _avg_grad_shape(op):
    from tensorflux.ops.constant_op import constant_value

    shape = constant_value(op.inputs[0])
    dtype = op.inputs[1].dtype.base_dtype
    _check_rank(op.inputs[1].shape, 4)
    if shape is None:
        return [(dtype, tensor_shape.unknown_shape(4))]
    return [(dtype, tensor_shape.TensorShape([int(d) for d in shape]))]


def _check_rank(shape, rank):
    if shape.ndims is not None and shape.ndims != rank:
        raise registry.ShapeError("Shape must be rank %d but is rank %d" % (rank, shape.ndims))


# The pools are random (a fresh sequence per run unless `deterministic`): stateful, so that
# no pass merges or folds them.
registry.register("FractionalMaxPool", shape=_pool_shape, grad=_max_pool_grad, stateful=True)
registry.register("FractionalAvgPool", shape=_pool_shape, grad=_avg_pool_grad, stateful=True)
# TF registers no gradient for the gradient ops (tf.gradients raises LookupError).
registry.register("FractionalMaxPoolGrad", shape=_max_grad_shape, grad=None)
registry.register("FractionalAvgPoolGrad", shape=_avg_grad_shape, grad=None)


# --- public wrappers -------------------------------------------------------------------------
def _pool(op_type, value, pooling_ratio, pseudo_random, overlapping, deterministic, seed, seed2,
          name):
    ratio = [float(r) for r in pooling_ratio]
    if len(ratio) < 4:
        raise ValueError("Attr 'pooling_ratio' of '%s' Op passed list of length %d less than "
                         "minimum 4." % (op_type, len(ratio)))
    g = graph_lib._graph_from_values([value])
    with g.as_default(), g.name_scope(name or op_type) as scope:
        x = convert(value, name="value")
        if x.dtype.base_dtype not in _TYPES:
            raise TypeError("Value passed to parameter 'value' has DataType %s not in list of "
                            "allowed values: float32, float64, int32, int64" % x.dtype.name)
        for r in ratio:
            if r < 1.0:
                raise ValueError("pooling_ratio cannot be smaller than 1, got: %g" % r)
        attrs = {"T": x.dtype.base_dtype, "pooling_ratio": ratio,
                 "pseudo_random": bool(pseudo_random), "overlapping": bool(overlapping),
                 "deterministic": bool(deterministic), "seed": int(seed), "seed2": int(seed2)}
        op = registry.make_op(op_type, [x], attrs, name=scope)
        return op._outputs[0], op._outputs[1], op._outputs[2]


def fractional_max_pool(value, pooling_ratio, pseudo_random=False, overlapping=False,
                        deterministic=False, seed=0, seed2=0, name=None):
    """Max pooling over regions of non-integer average size `pooling_ratio` (a list of 4
    floats; the batch and channel ratios must be 1.0).

    Returns `(output, row_pooling_sequence, col_pooling_sequence)`. `pseudo_random` draws the
    boundaries as ceil(ratio * (i + u)) for one random u, else a random shuffle of the step
    sizes; `overlapping` makes neighbouring regions share their boundary row/column;
    `deterministic` with `seed`/`seed2` fixes the sequences (with seeds 0, one random draw
    per session). `seed` and `seed2` must be 0 unless `deterministic`.

    Example:
        >>> y, rows, cols = tf.nn.fractional_max_pool(x, [1.0, 1.44, 1.73, 1.0])
    """
    return _pool("FractionalMaxPool", value, pooling_ratio, pseudo_random, overlapping,
                 deterministic, seed, seed2, name)


def fractional_avg_pool(value, pooling_ratio, pseudo_random=False, overlapping=False,
                        deterministic=False, seed=0, seed2=0, name=None):
    """`fractional_max_pool` with the mean of each region instead of its max.

    Example:
        >>> y, rows, cols = tf.nn.fractional_avg_pool(x, [1.0, 1.5, 1.5, 1.0], overlapping=True)
    """
    return _pool("FractionalAvgPool", value, pooling_ratio, pseudo_random, overlapping,
                 deterministic, seed, seed2, name)


def fractional_max_pool_grad(orig_input, orig_output, out_backprop, row_pooling_sequence,
                             col_pooling_sequence, overlapping=False, name=None):
    """The gradient of `fractional_max_pool` as an op: `out_backprop` sent to the first max of
    each region."""
    g = graph_lib._graph_from_values([orig_input, orig_output, out_backprop])
    with g.as_default(), g.name_scope(name or "FractionalMaxPoolGrad") as scope:
        x = convert(orig_input, name="orig_input")
        y = convert(orig_output, dtype=x.dtype.base_dtype, name="orig_output")
        grad = convert(out_backprop, dtype=x.dtype.base_dtype, name="out_backprop")
        rows = convert(row_pooling_sequence, dtype=dtypes.int64, name="row_pooling_sequence")
        cols = convert(col_pooling_sequence, dtype=dtypes.int64, name="col_pooling_sequence")
        return registry.make_tensor(
            "FractionalMaxPoolGrad", [x, y, grad, rows, cols],
            {"T": x.dtype.base_dtype, "overlapping": bool(overlapping)}, name=scope)


def fractional_avg_pool_grad(orig_input_tensor_shape, out_backprop, row_pooling_sequence,
                             col_pooling_sequence, overlapping=False, name=None):
    """The gradient of `fractional_avg_pool` as an op: `out_backprop` spread evenly over each
    region."""
    g = graph_lib._graph_from_values([out_backprop])
    with g.as_default(), g.name_scope(name or "FractionalAvgPoolGrad") as scope:
        shape = convert(orig_input_tensor_shape, dtype=dtypes.int64,
                        name="orig_input_tensor_shape")
        grad = convert(out_backprop, name="out_backprop")
        rows = convert(row_pooling_sequence, dtype=dtypes.int64, name="row_pooling_sequence")
        cols = convert(col_pooling_sequence, dtype=dtypes.int64, name="col_pooling_sequence")
        return registry.make_tensor(
            "FractionalAvgPoolGrad", [shape, grad, rows, cols],
            {"T": grad.dtype.base_dtype, "overlapping": bool(overlapping)}, name=scope)
