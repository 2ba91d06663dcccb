"""Neural-network ops: activations, softmax, bias_add, dropout, top_k, in_top_k, embeddings.

Each activation has TF's dedicated gradient op (`ReluGrad`, `EluGrad`, …), which has its own
gradient, so second derivatives work.
"""

import collections
import numbers

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import (
    array_ops,
    constant_op,
    linalg_ops,
    manip_ops,
    math_ops,
    random_ops,
    reduction_ops,
    registry,
)
from tensorflux.ops._helpers import apply1, convert, same_shape
from tensorflux.ops.registry import ShapeError

ND = registry.NOT_DIFFERENTIABLE
TS = tensor_shape.TensorShape
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


# --- activations -------------------------------------------------------------------------------
def _grad_shape(op):
    g, x = op.inputs[0], op.inputs[1]
    if not g.shape.is_compatible_with(x.shape):
        raise ShapeError("Dimensions must be equal, but are %s and %s" % (g.shape, x.shape))
    return [(g.dtype.base_dtype, g.shape.merge_with(x.shape))]


def _act_grad(grad_type, use_output=True):
    def grad(op, g):
        t = op.outputs[0] if use_output else op.inputs[0]
        attrs = {"T": g.dtype.base_dtype}
        if "alpha" in op._attrs:
            attrs["alpha"] = op._attrs["alpha"]
        return [registry.make_tensor(grad_type, [g, t], attrs, name=grad_type)]
    return grad


def _grad_grad_zero(grad_type):
    """Gradient of `XGrad(dy, t)` when d/dt is zero almost everywhere (Relu, Relu6, LeakyRelu)."""
    def grad(op, gg):
        t = op.inputs[1]
        attrs = {"T": gg.dtype.base_dtype}
        if "alpha" in op._attrs:
            attrs["alpha"] = op._attrs["alpha"]
        return [registry.make_tensor(grad_type, [gg, t], attrs, name=grad_type),
                array_ops.zeros_like(t)]
    return grad


def _grad_grad_exp(grad_type):
    """Gradient of EluGrad/SeluGrad(dy, y): d/dy is dy itself where y < 0."""
    def grad(op, gg):
        dy, y = op.inputs
        first = registry.make_tensor(grad_type, [gg, y], {"T": gg.dtype.base_dtype},
                                     name=grad_type)
        zeros = array_ops.zeros_like(y)
        return [first, manip_ops.where(math_ops.less(y, zeros), math_ops.multiply(gg, dy), zeros)]
    return grad


registry.register("Relu", shape=same_shape, grad=_act_grad("ReluGrad"))
registry.register("ReluGrad", shape=_grad_shape, grad=_grad_grad_zero("ReluGrad"))
registry.register("Relu6", shape=same_shape, grad=_act_grad("Relu6Grad"))
registry.register("Relu6Grad", shape=_grad_shape, grad=_grad_grad_zero("Relu6Grad"))
registry.register("Elu", shape=same_shape, grad=_act_grad("EluGrad"))
registry.register("EluGrad", shape=_grad_shape, grad=_grad_grad_exp("EluGrad"))
registry.register("Selu", shape=same_shape, grad=_act_grad("SeluGrad"))
registry.register("SeluGrad", shape=_grad_shape, grad=_grad_grad_exp("SeluGrad"))
registry.register("LeakyRelu", shape=same_shape, grad=_act_grad("LeakyReluGrad", False))
registry.register("LeakyReluGrad", shape=_grad_shape, grad=_grad_grad_zero("LeakyReluGrad"))


def _act(op_type, features, name, attrs=None):
    return apply1(op_type, [features], dict(attrs or {}), name=name, input_names=["features"])


def relu(features, name=None):
    """max(features, 0) (op `Relu`).

    Example:
        >>> h = tf.nn.relu(tf.matmul(x, w) + b)
    """
    return _act("Relu", features, name)


def relu6(features, name=None):
    """min(max(features, 0), 6)."""
    g = graph_lib._graph_from_values([features])
    with g.as_default(), g.name_scope(name or "Relu6") as scope:
        features = convert(features, name="features")
        return _act("Relu6", features, scope)


def elu(features, name=None):
    """exp(x) - 1 for x < 0, x otherwise."""
    return _act("Elu", features, name)


def selu(features, name=None):
    """Scaled ELU: scale * (x if x > 0 else alpha * (exp(x) - 1))."""
    return _act("Selu", features, name)


def leaky_relu(features, alpha=0.2, name=None):
    """x if x > 0 else alpha * x."""
    g = graph_lib._graph_from_values([features])
    with g.as_default(), g.name_scope(name or "LeakyRelu") as scope:
        features = convert(features, name="features")
        if features.dtype.is_integer:
            features = math_ops.cast(features, dtypes.float32)
        if isinstance(alpha, np.ndarray):
            alpha = alpha.item()
        return _act("LeakyRelu", features, scope, {"alpha": float(alpha)})


def crelu(features, name=None, axis=-1):
    """Concatenated ReLU: relu(concat([x, -x], axis)), doubling the depth."""
    g = graph_lib._graph_from_values([features])
    with g.as_default(), g.name_scope(name or "CRelu") as scope:
        features = convert(features, name="features")
        c = array_ops.concat([features, math_ops.negative(features)], axis, name=scope)
        return relu(c)


def softplus(features, name=None):
    """log(exp(x) + 1)."""
    return apply1("Softplus", [features], name=name, input_names=["features"])


def softsign(features, name=None):
    """x / (abs(x) + 1)."""
    return apply1("Softsign", [features], name=name, input_names=["features"])


def swish(features, beta=1.0):
    """x * sigmoid(beta * x) (`tf.nn.swish`, `tf.nn.silu`)."""
    g = graph_lib._graph_from_values([features])
    with g.as_default(), g.name_scope("swish"):
        features = convert(features, name="features")
        beta = convert(beta, dtype=features.dtype.base_dtype, name="beta")
        return math_ops.multiply(features, math_ops.sigmoid(math_ops.multiply(beta, features)))


silu = swish


# --- softmax -------------------------------------------------------------------------------------
def _softmax_shape(op):
    x = op.inputs[0]
    if x.shape.ndims is not None and x.shape.ndims < 1:
        raise ShapeError("Shape must be at least rank 1 but is rank %d" % x.shape.ndims)
    return [(x.dtype.base_dtype, x.shape)]


def _softmax_grad(op, g):
    y = op.outputs[0]
    s = reduction_ops.reduce_sum(math_ops.multiply(g, y), -1, keepdims=True)
    return [math_ops.multiply(math_ops.subtract(g, s), y)]


def _log_softmax_grad(op, g):
    p = math_ops.exp(op.outputs[0])
    return [math_ops.subtract(g, math_ops.multiply(
        reduction_ops.reduce_sum(g, -1, keepdims=True), p))]


registry.register("Softmax", shape=_softmax_shape, grad=_softmax_grad)
registry.register("LogSoftmax", shape=_softmax_shape, grad=_log_softmax_grad)


def _pick(new, new_name, old, old_name):
    if new is not None and old is not None:
        raise ValueError("Cannot specify both '%s' and '%s'" % (new_name, old_name))
    return new if new is not None else old


def _wrap_2d(op_type, logits, axis, name):
    """Applies a last-axis op along `axis`, transposing `axis` to the end and back if needed."""
    logits = convert(logits)
    ndims = logits.shape.ndims
    if axis == -1 or (ndims is not None and axis == ndims - 1):
        return apply1(op_type, [logits], name=name, input_names=["logits"])
    if isinstance(axis, Tensor):
        axis = constant_op.constant_value(axis)
        if axis is None:
            raise ValueError("A non-constant softmax axis is not supported")
        axis = int(axis)
    if ndims is None:
        raise ValueError("softmax along axis %d needs a known rank" % axis)
    if not -ndims <= axis < ndims:
        from tensorflux import errors

        raise errors.InvalidArgumentError(
            None, None, "`dim` must be in the range [%d, %d) where %d is the number of "
            "dimensions in the input. Received: dim=%d" % (-ndims, ndims, ndims, axis))
    axis %= ndims
    perm = list(range(ndims))
    perm[axis], perm[-1] = perm[-1], perm[axis]
    swapped = array_ops.transpose(logits, perm)
    y = apply1(op_type, [swapped], input_names=["logits"])
    return array_ops.transpose(y, perm, name=name or "transpose")


def softmax(logits, axis=None, name=None, dim=None):
    """exp(logits) / reduce_sum(exp(logits), axis), computed stably (op `Softmax`).

    Example:
        >>> probs = tf.nn.softmax(logits)
    """
    axis = _pick(axis, "axis", dim, "dim")
    return _wrap_2d("Softmax", logits, -1 if axis is None else axis, name)


def log_softmax(logits, axis=None, name=None, dim=None):
    """logits - log(reduce_sum(exp(logits), axis)) (op `LogSoftmax`)."""
    axis = _pick(axis, "axis", dim, "dim")
    return _wrap_2d("LogSoftmax", logits, -1 if axis is None else axis, name)


def softmax_v2(logits, axis=None, name=None):
    return softmax(logits, axis=axis, name=name)


def log_softmax_v2(logits, axis=None, name=None):
    return log_softmax(logits, axis=axis, name=name)


# --- bias_add ------------------------------------------------------------------------------------
def _channel_axis(op, rank):
    fmt = op._attrs.get("data_format", b"NHWC")
    fmt = fmt.decode() if isinstance(fmt, bytes) else fmt
    return 1 if fmt.startswith("NC") else rank - 1


def _bias_add_shape(op):
    x, b = op.inputs
    if b.shape.ndims is not None and b.shape.ndims != 1:
        raise ShapeError("Shape must be rank 1 but is rank %d" % b.shape.ndims)
    if x.shape.ndims is None:
        return [(x.dtype.base_dtype, x.shape)]
    if x.shape.ndims < 2:
        raise ShapeError("Shape must be at least rank 2 but is rank %d" % x.shape.ndims)
    dims = x.shape.as_list()
    c = _channel_axis(op, len(dims))
    bd = b.shape.as_list()[0] if b.shape.ndims else None
    if dims[c] is not None and bd is not None and dims[c] != bd:
        raise ShapeError("Dimensions must be equal, but are %d and %d" % (dims[c], bd))
    dims[c] = dims[c] if dims[c] is not None else bd
    return [(x.dtype.base_dtype, TS(dims))]


def _bias_add_grad(op, g):
    attrs = {"data_format": op._attrs.get("data_format", b"NHWC"), "T": g.dtype.base_dtype}
    return [g, registry.make_tensor("BiasAddGrad", [g], attrs, name="BiasAddGrad")]


def _bias_add_grad_grad(op, gg):
    x = op.inputs[0]
    rank = x.shape.ndims
    if rank is None:
        raise ValueError("The gradient of BiasAddGrad needs a known rank")
    c = _channel_axis(op, rank)
    shape = [1] * rank
    shape[c] = -1
    return [manip_ops.broadcast_to(array_ops.reshape(gg, shape), array_ops.shape(x))]


def _bias_add_grad_shape(op):
    g = op.inputs[0]
    if g.shape.ndims is None:
        return [(g.dtype.base_dtype, TS([None]))]
    if g.shape.ndims < 2:
        raise ShapeError("Shape must be at least rank 2 but is rank %d" % g.shape.ndims)
    return [(g.dtype.base_dtype, TS([g.shape[_channel_axis(op, g.shape.ndims)]]))]


registry.register("BiasAdd", shape=_bias_add_shape, grad=_bias_add_grad)
registry.register("BiasAddGrad", shape=_bias_add_grad_shape, grad=_bias_add_grad_grad)


def bias_add(value, bias, data_format=None, name=None):
    """Adds a 1-D `bias` along the channel axis of `value` (op `BiasAdd`).

    Example:
        >>> y = tf.nn.bias_add(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"), b)
    """
    g = graph_lib._graph_from_values([value, bias])
    with g.as_default(), g.name_scope(name or "BiasAdd") as scope:
        fmt = "NHWC"
        if data_format is not None:
            if data_format.startswith("NC"):
                fmt = "NCHW"
            elif data_format.startswith("N") and data_format.endswith("C"):
                fmt = "NHWC"
            else:
                raise ValueError("`data_format` must be of the form `N...C` or `NC...`. "
                                 "Received: data_format=%s" % data_format)
        value = convert(value, name="input")
        bias = convert(bias, dtype=value.dtype.base_dtype, name="bias")
        return registry.make_tensor("BiasAdd", [value, bias],
                                    {"data_format": fmt.encode(), "T": value.dtype.base_dtype},
                                    name=scope)


def bias_add_grad(out_backprop, data_format="NHWC", name=None):
    out_backprop = convert(out_backprop)
    return registry.make_tensor("BiasAddGrad", [out_backprop], {
        "data_format": (data_format or "NHWC").encode(), "T": out_backprop.dtype.base_dtype},
        name=name or "BiasAddGrad")


def xw_plus_b(x, weights, biases, name=None):
    """matmul(x, weights) + biases, via bias_add."""
    g = graph_lib._graph_from_values([x, weights, biases])
    with g.as_default(), g.name_scope(name or "xw_plus_b") as scope:
        x = convert(x, name="x")
        weights = convert(weights, name="weights")
        biases = convert(biases, name="biases")
        return bias_add(linalg_ops.matmul(x, weights), biases, name=scope)


def relu_layer(x, weights, biases, name=None):
    """relu(matmul(x, weights) + biases)."""
    g = graph_lib._graph_from_values([x, weights, biases])
    with g.as_default(), g.name_scope(name or "relu_layer") as scope:
        x = convert(x, name="x")
        weights = convert(weights, name="weights")
        biases = convert(biases, name="biases")
        return relu(bias_add(linalg_ops.matmul(x, weights), biases), name=scope)


# --- dropout -------------------------------------------------------------------------------------
def _noise_shape(x, noise_shape):
    if noise_shape is None:
        return array_ops.shape(x)
    if isinstance(noise_shape, Tensor):
        return noise_shape
    try:
        ns = tensor_shape.as_shape(noise_shape)
    except (TypeError, ValueError):
        return noise_shape
    if x.shape.ndims is not None and ns.ndims == x.shape.ndims:
        dims = [xd if nd is None else nd for xd, nd in zip(x.shape.as_list(), ns.as_list())]
        if None not in dims:
            return dims
    return noise_shape


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """Zeroes elements with probability `rate` (= 1 - keep_prob), scaling the rest by 1/keep_prob.

    Example:
        >>> h = tf.nn.dropout(h, keep_prob=0.5)
    """
    if keep_prob is not None and rate is not None:
        raise ValueError("Cannot specify both 'rate' and 'keep_prob'")
    if keep_prob is not None:
        try:
            rate = 1.0 - keep_prob
        except TypeError:
            raise ValueError("`keep_prob` must be a floating point number or Tensor. Received: "
                             "keep_prob=%s" % (keep_prob,)) from None
    if rate is None:
        raise ValueError("`rate` must be provided. Received: rate=None")
    return dropout_v2(x, rate, noise_shape=noise_shape, seed=seed, name=name)


def dropout_v2(x, rate, noise_shape=None, seed=None, name=None):
    """TF2's dropout: keeps each element with probability 1 - rate, scaled by 1 / (1 - rate)."""
    g = graph_lib._graph_from_values([x])
    with g.as_default(), g.name_scope(name or "dropout"):
        is_number = isinstance(rate, numbers.Real)
        if is_number and not 0 <= rate < 1:
            raise ValueError("`rate` must be a scalar tensor or a float in the range [0, 1). "
                             "Received: rate=%s" % rate)
        x = convert(x, name="x")
        if not x.dtype.is_floating:
            raise ValueError("`x.dtype` must be a floating point tensor as `x` will be scaled. "
                             "Received: x_dtype=%s" % x.dtype)
        if is_number and rate == 0:
            random_ops.get_seed(seed)
            return x
        if is_number:
            scale = convert(1.0 / (1.0 - rate), dtype=x.dtype.base_dtype)
            ret = math_ops.multiply(x, scale)
            rate_t = rate
        else:
            rate_t = convert(rate)
            if rate_t.shape.ndims not in (None, 0):
                raise ValueError("Shape must be rank 0 but is rank %d" % rate_t.shape.ndims)
            if rate_t.dtype.base_dtype != x.dtype.base_dtype:
                rate_t = math_ops.cast(rate_t, x.dtype.base_dtype, name="rate")
            one = convert(1, dtype=x.dtype.base_dtype)
            ret = math_ops.realdiv(x, math_ops.subtract(one, rate_t))
        random_tensor = random_ops.random_uniform(_noise_shape(x, noise_shape), seed=seed,
                                                  dtype=x.dtype.base_dtype)
        keep_mask = math_ops.greater_equal(
            random_tensor, rate_t if isinstance(rate_t, Tensor)
            else convert(rate_t, dtype=x.dtype.base_dtype))
        zero = convert(0, dtype=x.dtype.base_dtype)
        out = manip_ops.where_v2(keep_mask, ret, zero)
        if out.shape.ndims is None or not out.shape.is_fully_defined():
            out.set_shape(x.shape)
        return out


# --- top_k / in_top_k ----------------------------------------------------------------------------
def _top_k_shape(op):
    x, k_t = op.inputs
    if x.shape.ndims is not None and x.shape.ndims < 1:
        raise ShapeError("Shape must be at least rank 1 but is rank %d" % x.shape.ndims)
    k = constant_op.constant_value(k_t)
    idx_t = op._attrs.get("index_type", dtypes.int32)
    if x.shape.ndims is None:
        return [(x.dtype.base_dtype, tensor_shape.unknown_shape()),
                (idx_t, tensor_shape.unknown_shape())]
    dims = x.shape.as_list()
    if k is not None:
        k = int(k)
        if k < 0:
            raise ShapeError("Need k >= 0, got %d" % k)
        if dims[-1] is not None and dims[-1] < k:
            raise ShapeError("input must have last dimension >= k = %d but is %d"
                             % (k, dims[-1]))
    out = TS(dims[:-1] + [k])
    return [(x.dtype.base_dtype, out), (idx_t, out)]


def _top_k_grad(op, g, unused_indices_grad):
    """Scatters each value's gradient back to its input position (a one-hot sum)."""
    x = op.inputs[0]
    idx = op.outputs[1]
    n = array_ops.shape(x)[-1]
    positions = array_ops.range(0, n, dtype=idx.dtype.base_dtype)
    onehot = math_ops.cast(math_ops.equal(manip_ops.expand_dims(idx, -1), positions),
                           g.dtype.base_dtype)
    scattered = reduction_ops.reduce_sum(
        math_ops.multiply(manip_ops.expand_dims(g, -1), onehot), -2)
    return [scattered, None]


registry.register("TopKV2", shape=_top_k_shape, grad=_top_k_grad)
_TopKV2Output = collections.namedtuple("TopKV2", ["values", "indices"])  # TF's result type


def top_k(input, k=1, sorted=True, name=None, index_type=dtypes.int32):  # noqa: A002
    """The `k` largest entries of the last axis and their indices (ties: lower index first).

    Example:
        >>> values, indices = tf.nn.top_k(scores, k=5)
    """
    g = graph_lib._graph_from_values([input])
    with g.as_default(), g.name_scope(name or "TopKV2") as scope:
        x = convert(input, name="input")
        k_t = convert(k, dtype=dtypes.int32, name="k")
        op = registry.make_op("TopKV2", [x, k_t], {"sorted": bool(sorted),
                                                   "T": x.dtype.base_dtype,
                                                   "index_type": dtypes.as_dtype(index_type)},
                              name=scope)
        return _TopKV2Output(op._outputs[0], op._outputs[1])


def _in_top_k_shape(op):
    p, t, _ = op.inputs
    if p.shape.ndims is not None and p.shape.ndims != 2:
        raise ShapeError("Shape must be rank 2 but is rank %d" % p.shape.ndims)
    if t.shape.ndims is not None and t.shape.ndims != 1:
        raise ShapeError("Shape must be rank 1 but is rank %d" % t.shape.ndims)
    b = p.shape[0].value if p.shape.ndims else None
    tb = t.shape[0].value if t.shape.ndims else None
    if b is not None and tb is not None and b != tb:
        raise ShapeError("Dimensions must be equal, but are %d and %d" % (b, tb))
    return [(dtypes.bool, TS([b if b is not None else tb]))]


registry.register("InTopKV2", shape=_in_top_k_shape, grad=ND)


def in_top_k(predictions, targets, k, name=None):
    """Whether each target's prediction is among the top `k` (ties count as in)."""
    g = graph_lib._graph_from_values([predictions, targets])
    with g.as_default(), g.name_scope(name or "in_top_k"):
        p = convert(predictions, name="predictions")
        t = convert(targets, name="targets")
        k_t = convert(k, dtype=t.dtype.base_dtype, name="k")
        return registry.make_tensor("InTopKV2", [p, t, k_t], {"T": t.dtype.base_dtype},
                                    name=name or "InTopKV2")


# --- l2_loss, zero_fraction ----------------------------------------------------------------------
registry.register("L2Loss", shape=lambda op: [(op.inputs[0].dtype.base_dtype, TS([]))],
                  grad=lambda op, g: [math_ops.multiply(op.inputs[0], g)])


def l2_loss(t, name=None):
    """sum(t ** 2) / 2 (op `L2Loss`)."""
    return apply1("L2Loss", [t], name=name, input_names=["t"])


def zero_fraction(value, name=None):
    """The fraction of zeros in `value`, as a float32 scalar."""
    g = graph_lib._graph_from_values([value])
    with g.as_default(), g.name_scope(name or "zero_fraction"):
        value = convert(value, name="value")
        size = array_ops.size(value, out_type=dtypes.int64)
        with g.name_scope("count_nonzero"):
            zero = array_ops.zeros([], dtype=value.dtype.base_dtype)
            nonzero = reduction_ops.reduce_sum(
                math_ops.cast(math_ops.not_equal(value, zero), dtypes.int64),
                name="nonzero_count")
        with g.name_scope("counts_to_fraction"):
            num_zero = math_ops.subtract(size, nonzero)
            frac = math_ops.truediv(math_ops.cast(num_zero, dtypes.float32),
                                    math_ops.cast(size, dtypes.float32))
        return array_ops.identity(frac, "fraction")


# --- embedding_lookup ----------------------------------------------------------------------------
def _clip_rows(x, ids, max_norm):
    if max_norm is None:
        return x
    ids_rank = ids.shape.ndims
    x_rank = x.shape.ndims
    if ids_rank is None or x_rank is None:
        raise ValueError("max_norm needs static ranks")
    axes = list(range(ids_rank, x_rank))
    sq = reduction_ops.reduce_sum(math_ops.square(x), axes, keepdims=True)
    norm = math_ops.sqrt(sq)
    mn = convert(max_norm, dtype=x.dtype.base_dtype)
    scale = manip_ops.where(math_ops.greater(norm, mn),
                            math_ops.realdiv(mn, math_ops.maximum(norm, mn)),
                            array_ops.ones_like(norm))
    return math_ops.multiply(x, scale)


def embedding_lookup(params, ids, partition_strategy="mod", name=None, validate_indices=True,
                     max_norm=None):
    """Rows of `params` (a tensor, or a list of partitions) for each id in `ids`.

    With several partitions, `partition_strategy` "mod" places id `i` in partition `i % n`,
    "div" in contiguous blocks (the first `total % n` partitions one row longer).

    Example:
        >>> vectors = tf.nn.embedding_lookup(embeddings, word_ids)
    """
    if partition_strategy not in ("mod", "div"):
        raise ValueError("Unrecognized partition strategy: " + str(partition_strategy))
    if params is None:
        raise ValueError("params must be specified")
    if isinstance(params, (list, tuple)) and not params:
        raise ValueError("Need at least one param")
    if hasattr(params, "_get_variable_list"):  # a PartitionedVariable: its parts
        params = params._get_variable_list()
    plist = list(params) if isinstance(params, (list, tuple)) else [params]
    g = graph_lib._graph_from_values(plist + [ids])
    with g.as_default(), g.name_scope(name or "embedding_lookup") as scope:
        plist = [convert(p, name="params") for p in plist]
        ids = convert(ids, name="ids")
        if len(plist) == 1:
            out = array_ops.gather(plist[0], ids, name=scope)
            return array_ops.identity(_clip_rows(out, ids, max_norm))
        n = len(plist)
        table = array_ops.concat(plist, 0)
        if partition_strategy == "div":
            flat = ids
        else:
            rows = [p.shape[0].value for p in plist]
            if any(r is None for r in rows):
                sizes = array_ops.stack([array_ops.shape(p)[0] for p in plist])
                offsets = math_ops.subtract(_cumsum(sizes), sizes)
            else:
                offsets = convert(np.concatenate([[0], np.cumsum(rows)[:-1]]).astype(
                    ids.dtype.as_numpy_dtype))
            n_t = convert(n, dtype=ids.dtype.base_dtype)
            part = math_ops.floormod(ids, n_t)
            flat = math_ops.add(array_ops.gather(math_ops.cast(offsets, ids.dtype), part),
                                math_ops.floordiv(ids, n_t))
        out = array_ops.gather(table, flat, name=scope)
        return _clip_rows(out, ids, max_norm)


def _cumsum(x):
    """Cumulative sum of a short 1-D int vector built from existing ops (a lower-triangular sum)."""
    n = array_ops.size(x)
    i = array_ops.range(0, n)
    lower = math_ops.cast(math_ops.less_equal(manip_ops.expand_dims(i, 0),
                                              manip_ops.expand_dims(i, 1)), x.dtype)
    return reduction_ops.reduce_sum(math_ops.multiply(lower, manip_ops.expand_dims(x, 0)), 1)
