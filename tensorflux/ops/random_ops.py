"""Random ops with TF's graph-seed/op-seed rules (`set_random_seed` makes runs reproducible).

Each op draws from its own generator, created per Session from (seed, seed2): two sessions of
one graph see the same sequence, and successive runs of one op give new values.
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import array_ops, constant_op, math_ops, registry
from tensorflux.ops._helpers import convert

ND = registry.NOT_DIFFERENTIABLE
DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2**31 - 1


def get_seed(op_seed):
    """TF's rule: the (graph seed, op seed) pair of a new random op; (None, None) = unseeded."""
    g = graph_lib.get_default_graph()
    global_seed = g.seed
    if global_seed is not None:
        if op_seed is None:
            op_seed = g._last_id()
        seeds = (int(global_seed), int(op_seed))
    elif op_seed is not None:
        seeds = (DEFAULT_GRAPH_SEED, int(op_seed))
    else:
        seeds = (None, None)
    if seeds == (0, 0):
        seeds = (0, _MAXINT32)
    return seeds


def set_random_seed(seed):
    """Sets the graph-level seed of the default graph."""
    graph_lib.get_default_graph().seed = seed


def _shape_from_arg(op):
    return constant_op.constant_value_as_shape(op.inputs[0], evaluate=True)


def _random_shape(op):
    return [(op._attrs["dtype"], _shape_from_arg(op))]


for _name in ("RandomStandardNormal", "TruncatedNormal", "RandomUniform"):
    registry.register(_name, shape=_random_shape, grad=ND, stateful=True)
registry.register("RandomUniformInt",
                  shape=lambda op: [(op.inputs[1].dtype.base_dtype, _shape_from_arg(op))],
                  grad=ND, stateful=True)
registry.register("RandomShuffle", shape=lambda op: [(op.inputs[0].dtype.base_dtype,
                                                      op.inputs[0].shape)],
                  grad=ND, stateful=True)
registry.register("Multinomial", shape=lambda op: [(op._attrs["output_dtype"], tensor_shape.
                                                    TensorShape([op.inputs[0].shape[0], None]))],
                  grad=ND, stateful=True)


def _seed_attrs(seed, dtype=None):
    s1, s2 = get_seed(seed)
    attrs = {"seed": s1 or 0, "seed2": s2 or 0}
    if dtype is not None:
        attrs["dtype"] = dtype
    return attrs


def _shape_tensor(shape):
    if isinstance(shape, Tensor):
        return shape
    if isinstance(shape, tensor_shape.TensorShape):
        shape = shape.as_list()
    return convert(shape, dtype=dtypes.int32, name="shape")


def _float_dtype(dtype):
    dtype = dtypes.as_dtype(dtype).base_dtype
    if not dtype.is_floating:
        raise ValueError("Invalid dtype %s for a random normal/uniform op; expected a float type"
                         % dtype.name)
    return dtype


def random_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Samples from a normal distribution: `mean + stddev * N(0, 1)`."""
    dtype = _float_dtype(dtype)
    with graph_lib.name_scope(name, "random_normal", [shape, mean, stddev]) as scope:
        shape_t = _shape_tensor(shape)
        mean_t = convert(mean, dtype=dtype, name="mean")
        std_t = convert(stddev, dtype=dtype, name="stddev")
        rnd = registry.make_tensor("RandomStandardNormal", [shape_t], _seed_attrs(seed, dtype),
                                   name="RandomStandardNormal")
        return math_ops.add(rnd * std_t, mean_t, name=scope)  # TF's op names: mul, then add


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Normal samples, redrawn when more than 2 standard deviations from the mean."""
    dtype = _float_dtype(dtype)
    with graph_lib.name_scope(name, "truncated_normal", [shape, mean, stddev]) as scope:
        shape_t = _shape_tensor(shape)
        mean_t = convert(mean, dtype=dtype, name="mean")
        std_t = convert(stddev, dtype=dtype, name="stddev")
        rnd = registry.make_tensor("TruncatedNormal", [shape_t], _seed_attrs(seed, dtype),
                                   name="TruncatedNormal")
        return math_ops.add(rnd * std_t, mean_t, name=scope)


def random_uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """Uniform samples in [minval, maxval) (maxval defaults to 1 for floats)."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    if maxval is None:
        if dtype.is_integer:
            raise ValueError("Must specify maxval for integer dtype %r" % dtype)
        maxval = 1
    with graph_lib.name_scope(name, "random_uniform", [shape, minval, maxval]) as scope:
        shape_t = _shape_tensor(shape)
        lo = convert(minval, dtype=dtype, name="min")
        hi = convert(maxval, dtype=dtype, name="max")
        if dtype.is_integer:
            return registry.make_tensor("RandomUniformInt", [shape_t, lo, hi],
                                        _seed_attrs(seed), name=scope)
        rnd = registry.make_tensor("RandomUniform", [shape_t], _seed_attrs(seed, dtype),
                                   name="RandomUniform")
        return math_ops.add(rnd * (hi - lo), lo, name=scope)  # TF's op names: sub, mul, add


def random_shuffle(value, seed=None, name=None):
    """Shuffles a tensor along its first dimension."""
    return registry.make_tensor("RandomShuffle", [convert(value)], _seed_attrs(seed),
                                name=name or "RandomShuffle")


def multinomial(logits, num_samples, seed=None, name=None, output_dtype=None):
    """Draws `num_samples` class indices per row of unnormalised log-probabilities."""
    with graph_lib.name_scope(name, "multinomial", [logits]) as scope:
        logits = convert(logits, name="logits")
        n = convert(num_samples, dtype=dtypes.int32, name="num_samples")
        attrs = _seed_attrs(seed)
        attrs["output_dtype"] = dtypes.as_dtype(output_dtype or dtypes.int64)
        return registry.make_tensor("Multinomial", [logits, n], attrs, name=scope)


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    return multinomial(logits, num_samples, seed=seed, name=name, output_dtype=dtype)


def random_crop(value, size, seed=None, name=None):
    """Randomly crops `value` to `size` (static shapes)."""
    with graph_lib.name_scope(name, "random_crop", [value, size]) as scope:
        value = convert(value, name="value")
        size = convert(size, dtype=dtypes.int32, name="size")
        limit = math_ops.add(math_ops.subtract(array_ops.shape(value), size), 1)
        offset = math_ops.floormod(random_uniform(array_ops.shape(limit), dtype=dtypes.int32,
                                                  maxval=dtypes.int32.max, seed=seed), limit)
        from tensorflux.ops import slicing_ops

        return slicing_ops.slice(value, offset, size, name=scope)
