"""TF 2's stateless random ops: values are a pure function of (shape, seed or key/counter, alg).

TF 2 writes these into TF1-style graphs (`tf.compat.v1` variable initializers call
`stateless_random_uniform` & co.), so `import_graph_def` needs them. The V1 ops take a
2-element `seed`; the V2 ops take the `key` and `counter` that `StatelessRandomGetKeyCounter`
derives from a seed, and an `alg` (1 = Philox, 3 = auto; both mean Philox here). The kernels
reproduce TF's CPU Philox-4x32-10 streams (`backends/numpy/philox.py`), so the values equal
TF's. The ops are stateless (constant folding and CSE may treat them as pure) and not
differentiable, as in TF.

Example:
    >>> key, counter = stateless_random_get_key_counter(tf.constant([1, 2]))
    >>> u = stateless_random_uniform_v2([2, 3], key, counter, tf.constant(1))
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.ops import constant_op, registry
from tensorflux.ops._helpers import convert

ND = registry.NOT_DIFFERENTIABLE
TS = tensor_shape.TensorShape
PHILOX, THREEFRY, AUTO_SELECT = 1, 2, 3
FLOAT_OPS_V1 = ("StatelessRandomUniform", "StatelessRandomNormal", "StatelessTruncatedNormal")
FLOAT_OPS_V2 = ("StatelessRandomUniformV2", "StatelessRandomNormalV2",
                "StatelessTruncatedNormalV2")


def _sample_shape(op):
    shape = constant_op.constant_value_as_shape(op.inputs[0])
    if op.inputs[0].shape.ndims not in (None, 1):
        raise registry.ShapeError("Shape must be rank 1 but is rank %d"
                                  % op.inputs[0].shape.ndims)
    return [(op._attrs["dtype"], shape)]


def _int_shape(op):
    for t in op.inputs[-2:]:
        if t.shape.ndims not in (None, 0):
            raise registry.ShapeError("minval and maxval must be scalars")
    return _sample_shape(op)


for _name in FLOAT_OPS_V1 + FLOAT_OPS_V2:
    registry.register(_name, shape=_sample_shape, grad=ND)
registry.register("StatelessRandomUniformInt", shape=_int_shape, grad=ND)
registry.register("StatelessRandomUniformIntV2", shape=_int_shape, grad=ND)
registry.register("StatelessRandomGetKeyCounter", grad=ND,
                  shape=lambda op: [(dtypes.uint64, TS([1])), (dtypes.uint64, TS([2]))])
registry.register("StatelessRandomGetKeyCounterAlg", grad=ND,
                  shape=lambda op: [(dtypes.uint64, TS([1])), (dtypes.uint64, TS([2])),
                                    (dtypes.int32, TS([]))])
registry.register("StatelessRandomGetAlg", grad=ND, shape=lambda op: [(dtypes.int32, TS([]))])


def _seed(seed):
    seed = convert(seed, name="seed")
    if seed.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError("seed must be int32 or int64, got %s" % seed.dtype.name)
    return seed


def stateless_random_get_key_counter(seed, name=None):
    """The (key, counter) pair TF's V2 stateless ops use for a 2-element `seed`."""
    seed = _seed(seed)
    op = registry.make_op("StatelessRandomGetKeyCounter", [seed], {"Tseed": seed.dtype},
                          name=name or "StatelessRandomGetKeyCounter")
    return op.outputs[0], op.outputs[1]


def _v2(op_type, shape, key, counter, alg, dtype, name, extra=()):
    shape = convert(shape, dtype=dtypes.int32, name="shape")
    alg = convert(alg, dtype=dtypes.int32, name="alg")
    attrs = {"dtype": dtypes.as_dtype(dtype).base_dtype, "Tshape": shape.dtype}
    return registry.make_tensor(op_type, [shape, key, counter, alg] + list(extra), attrs,
                                name=name or op_type)


def stateless_random_uniform_v2(shape, key, counter, alg=PHILOX, dtype=dtypes.float32,
                                name=None):
    """Floats in [0, 1) drawn from (key, counter)."""
    return _v2("StatelessRandomUniformV2", shape, key, counter, alg, dtype, name)


def stateless_random_normal_v2(shape, key, counter, alg=PHILOX, dtype=dtypes.float32,
                               name=None):
    """Standard normal floats drawn from (key, counter)."""
    return _v2("StatelessRandomNormalV2", shape, key, counter, alg, dtype, name)


def stateless_truncated_normal_v2(shape, key, counter, alg=PHILOX, dtype=dtypes.float32,
                                  name=None):
    """Standard normal floats within 2 standard deviations, drawn from (key, counter)."""
    return _v2("StatelessTruncatedNormalV2", shape, key, counter, alg, dtype, name)


def stateless_random_uniform_int_v2(shape, key, counter, alg, minval, maxval, name=None):
    """Integers in [minval, maxval) drawn from (key, counter)."""
    minval = convert(minval, name="minval")
    maxval = convert(maxval, dtype=minval.dtype, name="maxval")
    return _v2("StatelessRandomUniformIntV2", shape, key, counter, alg, minval.dtype, name,
               (minval, maxval))


def stateless_random_v1(op_type, shape, seed, dtype=dtypes.float32, name=None):
    """One of the V1 float ops (`FLOAT_OPS_V1`) for a 2-element `seed`."""
    shape = convert(shape, dtype=dtypes.int32, name="shape")
    seed = _seed(seed)
    attrs = {"dtype": dtypes.as_dtype(dtype).base_dtype, "T": shape.dtype, "Tseed": seed.dtype}
    return registry.make_tensor(op_type, [shape, seed], attrs, name=name or op_type)
