"""TF 2's stateless random ops: values are a pure function of (shape, seed or key/counter, alg).

TF 2 writes these into TF1-style graphs (`tf.compat.v1` variable initializers call
`stateless_random_uniform` & co.), so `import_graph_def` needs them. The V1 ops take a
2-element `seed`; the V2 ops take the `key` and `counter` that `StatelessRandomGetKeyCounter`
derives from a seed, and an `alg` (1 = Philox, 3 = auto; both mean Philox here). The kernels
reproduce TF's CPU Philox-4x32-10 streams (`backends/numpy/philox.py`), so the values equal
TF's. `stateless_random_uniform` & co. below are `tf.random.stateless_*`, built as TF 2 builds
them. The ops are stateless (constant folding and CSE may treat them as pure) and not
differentiable, as in TF.

Example:
    >>> key, counter = stateless_random_get_key_counter(tf.constant([1, 2]))
    >>> u = stateless_random_uniform_v2([2, 3], key, counter, tf.constant(1))
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import constant_op, registry
from tensorflux.ops._helpers import convert

ND = registry.NOT_DIFFERENTIABLE
TS = tensor_shape.TensorShape
PHILOX, THREEFRY, AUTO_SELECT = 1, 2, 3
FLOAT_OPS_V1 = ("StatelessRandomUniform", "StatelessRandomNormal", "StatelessTruncatedNormal")
FLOAT_OPS_V2 = ("StatelessRandomUniformV2", "StatelessRandomNormalV2",
                "StatelessTruncatedNormalV2")


def _sample_shape(op):
    shape = constant_op.constant_value_as_shape(op.inputs[0], evaluate=True)
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


# --- tf.random.stateless_* (TF 2's graph: key/counter from the seed, then a V2 op) -------------
def _multinomial_shape(op):
    logits = op.inputs[0]
    batch = logits.shape[0].value if logits.shape.ndims == 2 else None
    if logits.shape.ndims not in (None, 2):
        raise registry.ShapeError("Shape must be rank 2 but is rank %d" % logits.shape.ndims)
    n = constant_op.constant_value(op.inputs[1])
    return [(op._attrs["output_dtype"], TS([batch, None if n is None else int(n)]))]


registry.register("StatelessMultinomial", shape=_multinomial_shape, grad=ND)


def _affine(sample, scale, offset, name):
    """`sample * scale + offset` as TF writes it (Mul, then an AddV2 named `name`)."""
    scaled = sample * scale
    return registry.make_tensor("AddV2", [scaled, offset], {"T": scaled.dtype.base_dtype},
                                name=name)


def _key_counter_alg(seed, op_type=None):
    key, counter = stateless_random_get_key_counter(seed)
    alg_name = (op_type + "/alg") if op_type else "alg"
    return key, counter, convert(PHILOX, dtype=dtypes.int32, name=alg_name)


def stateless_random_uniform(shape, seed, minval=0, maxval=None, dtype=dtypes.float32,
                             name=None):
    """Uniform values in [minval, maxval) that depend only on `shape`, `seed` (2 ints) and
    `dtype`: the same numbers as TF's for the same arguments.

    Integer dtypes need both bounds (TF's full-range ints, both None, are not provided).

    Example:
        >>> tf.random.stateless_uniform([2, 3], seed=[1, 2])  # same values on every run
    """
    dtype = dtypes.as_dtype(dtype).base_dtype
    if dtype.is_integer and (minval is None) != (maxval is None):
        raise ValueError("For integer `dtype` argument <dtype: '%s'>, argument `minval` and "
                         "`maxval` must be both None or not None. Got `minval`=%s and "
                         "`maxval`=%s." % (dtype.name, minval, maxval))
    if dtype.is_integer and maxval is None:
        raise ValueError("tensorflux does not provide full-range integer stateless_uniform; "
                         "give minval and maxval")
    with graph_lib.name_scope(name, "stateless_random_uniform", []) as scope:
        shape = _shape(shape)
        minval = convert(minval, dtype=dtype, name="min")
        maxval = convert(1 if maxval is None else maxval, dtype=dtype, name="max")
        if dtype.is_integer:
            key, counter, alg = _key_counter_alg(seed)
            return registry.make_tensor(
                "StatelessRandomUniformIntV2", [shape, key, counter, alg, minval, maxval],
                {"dtype": dtype, "Tshape": shape.dtype}, name=scope)
        key, counter, alg = _key_counter_alg(seed, "StatelessRandomUniformV2")
        rnd = _v2("StatelessRandomUniformV2", shape, key, counter, alg, dtype, None)
        return _affine(rnd, maxval - minval, minval, scope)


def _shape(shape):
    if isinstance(shape, TS):
        shape = shape.as_list()
    if hasattr(shape, "dtype") and hasattr(shape, "op"):
        return shape
    return convert(shape, dtype=dtypes.int32, name="shape")


def _stateless_normal(op_type, scope_name, shape, seed, mean, stddev, dtype, name):
    dtype = dtypes.as_dtype(dtype).base_dtype
    with graph_lib.name_scope(name, scope_name, []) as scope:
        shape = _shape(shape)
        mean = convert(mean, dtype=dtype, name="mean")
        stddev = convert(stddev, dtype=dtype, name="stddev")
        key, counter, alg = _key_counter_alg(seed, op_type)
        rnd = _v2(op_type, shape, key, counter, alg, dtype, None)
        return _affine(rnd, stddev, mean, scope)


def stateless_random_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32,
                            name=None):
    """Normal values that depend only on `shape`, `seed` (2 ints) and `dtype` (TF's numbers).

    Example:
        >>> tf.random.stateless_normal([3], seed=[1, 2], stddev=0.1)
    """
    return _stateless_normal("StatelessRandomNormalV2", "stateless_random_normal", shape, seed,
                             mean, stddev, dtype, name)


def stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32,
                               name=None):
    """Normal values within 2 standard deviations of `mean`, a pure function of `seed`."""
    return _stateless_normal("StatelessTruncatedNormalV2", "stateless_truncated_normal", shape,
                             seed, mean, stddev, dtype, name)


def _multinomial(logits, num_samples, seed, output_dtype, scope_name, name):
    with graph_lib.name_scope(name, scope_name, [logits]):
        logits = convert(logits, name="logits")
        with graph_lib.name_scope(None, "StatelessMultinomial", []) as scope:
            num_samples = convert(num_samples, dtype=dtypes.int32, name="num_samples")
            seed = _seed(seed)
            output_dtype = dtypes.as_dtype(output_dtype).base_dtype
            return registry.make_tensor(
                "StatelessMultinomial", [logits, num_samples, seed],
                {"T": logits.dtype.base_dtype, "output_dtype": output_dtype,
                 "Tseed": seed.dtype.base_dtype}, name=scope)


def stateless_categorical(logits, num_samples, seed, dtype=dtypes.int64, name=None):
    """`num_samples` class ids per row of `logits` [batch, classes], a pure function of `seed`
    (TF's numbers).

    Example:
        >>> tf.random.stateless_categorical([[0.0, 1.0]], 5, seed=[7, 8])  # shape [1, 5]
    """
    return _multinomial(logits, num_samples, seed, dtype, "stateless_categorical", name)


def stateless_multinomial(logits, num_samples, seed, output_dtype=dtypes.int64, name=None):
    """TF 1's deprecated name of `stateless_categorical`."""
    return _multinomial(logits, num_samples, seed, output_dtype, "stateless_multinomial", name)
