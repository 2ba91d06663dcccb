"""Normalization: moments, batch_normalization, fused_batch_norm, l2_normalize, LRN.

`FusedBatchNormV3` follows TF's kernel: in training it normalises with the batch's biased
variance but returns the Bessel-corrected variance (for the moving average), and its reserve
outputs hold the batch mean and biased variance that `FusedBatchNormGradV3` consumes.
"""

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import (
    array_ops,
    linalg_ops,
    manip_ops,
    math_ops,
    reduction_ops,
    registry,
)
from tensorflux.ops._helpers import convert, same_shape
from tensorflux.ops.registry import ShapeError

TS = tensor_shape.TensorShape


# --- fused batch norm ----------------------------------------------------------------------------
def _fmt(op):
    f = op._attrs["data_format"]
    return f.decode() if isinstance(f, bytes) else f


def _channel(fmt, rank):
    return 1 if fmt.startswith("NC") else rank - 1


def _vec_check(t, c, what):
    s = t.shape
    if s.ndims is not None and s.ndims != 1:
        raise ShapeError("Shape must be rank 1 but is rank %d" % s.ndims)
    n = s[0].value if s.ndims else None
    if c is not None and n is not None and n != c:
        raise ShapeError("Dimensions must be equal, but are %d and %d" % (c, n))
    return c if c is not None else n


def _fbn_shape(op):
    x, scale, offset, mean, var = op.inputs
    xs = x.shape
    if xs.ndims is not None and xs.ndims not in (4, 5):
        raise ShapeError("Shape must be rank 4 but is rank %d" % xs.ndims)
    c = xs[_channel(_fmt(op), xs.ndims)].value if xs.ndims else None
    c = _vec_check(scale, c, "scale")
    c = _vec_check(offset, c, "offset")
    if not op._attrs["is_training"] or op._attrs.get("exponential_avg_factor", 1.0) != 1.0:
        c = _vec_check(mean, c, "mean")
        c = _vec_check(var, c, "variance")
    u = scale.dtype.base_dtype
    vec = TS([c])
    return [(x.dtype.base_dtype, xs), (u, vec), (u, vec), (u, vec), (u, vec),
            (u, tensor_shape.unknown_shape())]


def _fbn_grad(op, dy, *unused):
    x, scale = op.inputs[0], op.inputs[1]
    if op._attrs["is_training"]:
        r1, r2 = op.outputs[3], op.outputs[4]
    else:
        r1, r2 = op.inputs[3], op.inputs[4]
    attrs = {k: op._attrs[k] for k in ("epsilon", "data_format", "is_training", "T", "U")}
    g = registry.make_op("FusedBatchNormGradV3", [dy, x, scale, r1, r2, op.outputs[5]], attrs,
                         name="FusedBatchNormGradV3")
    return [g._outputs[0], g._outputs[1], g._outputs[2], None, None]


def _fbn_grad_shape(op):
    dy, x, scale = op.inputs[:3]
    u = scale.dtype.base_dtype
    c = scale.shape[0].value if scale.shape.ndims else None
    return [(x.dtype.base_dtype, x.shape.merge_with(dy.shape) if x.shape.is_compatible_with(
        dy.shape) else x.shape), (u, TS([c])), (u, TS([c])), (u, TS([0])), (u, TS([0]))]


def _composite_bn_grad(dy, x, scale, mean, var, epsilon, fmt, is_training):
    """FusedBatchNormGradV3 written with public ops, for its own (second-order) gradient."""
    rank = x.shape.ndims
    c = _channel(fmt, rank)
    axes = [i for i in range(rank) if i != c]
    bshape = [1] * rank
    bshape[c] = -1
    eps = convert(epsilon, dtype=x.dtype.base_dtype)
    scale_b = array_ops.reshape(scale, bshape)
    if is_training:
        mean_dy = reduction_ops.reduce_mean(dy, axes, keepdims=True)
        mean_x = reduction_ops.reduce_mean(x, axes, keepdims=True)
        var_x = reduction_ops.reduce_mean(
            math_ops.squared_difference(x, array_ops.stop_gradient(mean_x)), axes, keepdims=True)
        x_off = x - mean_x
        m = reduction_ops.reduce_mean(dy * x_off, axes, keepdims=True)
        inv = math_ops.rsqrt(var_x + eps)
        dx = scale_b * inv * (dy - mean_dy - math_ops.reciprocal(var_x + eps) * m * x_off)
        dscale = array_ops.reshape(inv, [-1]) * reduction_ops.reduce_sum(dy * x_off, axes)
    else:
        inv = math_ops.rsqrt(array_ops.reshape(var, bshape) + eps)
        dscale = reduction_ops.reduce_sum(dy * (x - array_ops.reshape(mean, bshape)) * inv, axes)
        dx = dy * scale_b * inv
    return dx, dscale, reduction_ops.reduce_sum(dy, axes)


def _cut(tensors):
    """Stand-ins for an op's inputs with no path between them (stop_gradient copies), so that
    differentiating a composite with respect to them gives partial derivatives only."""
    return [array_ops.stop_gradient(t) for t in tensors]


def _fbn_grad_grad(op, ggx, ggscale, ggoffset, *unused):
    from tensorflux.gradients import gradients

    dy, x, scale, mean, var = _cut(op.inputs[:5])
    outs = _composite_bn_grad(dy, x, scale, mean, var, op._attrs["epsilon"], _fmt(op),
                              op._attrs["is_training"])
    gs = gradients(list(outs), [dy, x, scale], grad_ys=[ggx, ggscale, ggoffset])
    return gs + [None, None, None]


registry.register("FusedBatchNormV3", shape=_fbn_shape, grad=_fbn_grad)
registry.register("FusedBatchNormGradV3", shape=_fbn_grad_shape, grad=_fbn_grad_grad)


def fused_batch_norm(x, scale, offset, mean=None, variance=None, epsilon=0.001,
                     data_format="NHWC", is_training=True, name=None,
                     exponential_avg_factor=1.0):
    """Batch normalization in one op (`FusedBatchNormV3`) for 4-D (or 5-D) inputs.

    Returns `(y, batch_mean, batch_variance)`; in training the variance is Bessel-corrected, in
    inference the given `mean`/`variance` come back unchanged.

    Example:
        >>> y, m, v = tf.nn.fused_batch_norm(x, gamma, beta, is_training=True)
    """
    if (not is_training or exponential_avg_factor != 1.0) and (mean is None or variance is None):
        raise ValueError("Both `mean` and `variance` must be a 1D tensor when `is_training` is "
                         "False or `exponential_avg_factor` != 1.0. Received: `mean` %r and "
                         "`variance` %r" % (mean, variance))
    g = graph_lib._graph_from_values([x, scale, offset])
    with g.as_default():
        x = convert(x, name="input")
        scale = convert(scale, name="scale")
        offset = convert(offset, name="offset")
        u = scale.dtype.base_dtype
        mean = convert([], dtype=u) if mean is None else convert(mean, dtype=u)
        variance = convert([], dtype=u) if variance is None else convert(variance, dtype=u)
        attrs = {"T": x.dtype.base_dtype, "U": u, "epsilon": float(epsilon),
                 "exponential_avg_factor": float(exponential_avg_factor),
                 "data_format": (data_format or "NHWC").encode(),
                 "is_training": bool(is_training)}
        op = registry.make_op("FusedBatchNormV3", [x, scale, offset, mean, variance], attrs,
                              name=name or "FusedBatchNormV3")
        return op._outputs[0], op._outputs[1], op._outputs[2]


# --- composites ----------------------------------------------------------------------------------
def _pick(new, new_name, old, old_name):
    if new is not None and old is not None:
        raise ValueError("Cannot specify both '%s' and '%s'" % (new_name, old_name))
    return new if new is not None else old


def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """Mean and (biased) variance of `x` over `axes`.

    Example:
        >>> mean, var = tf.nn.moments(x, axes=[0, 1, 2])
    """
    keep = _pick(keepdims, "keepdims", keep_dims, "keep_dims")
    keep = bool(keep) if keep is not None else False
    g = graph_lib._graph_from_values([x])
    with g.as_default(), g.name_scope(name or "moments"):
        x = convert(x)
        half = x.dtype.base_dtype == dtypes.float16
        y = math_ops.cast(x, dtypes.float32) if half else x
        mean = reduction_ops.reduce_mean(y, axes, keepdims=True, name="mean")
        variance = reduction_ops.reduce_mean(
            math_ops.squared_difference(y, array_ops.stop_gradient(mean)), axes, keepdims=True,
            name="variance")
        if not keep:
            mean = manip_ops.squeeze(mean, axes)
            variance = manip_ops.squeeze(variance, axes)
        if half:
            return math_ops.cast(mean, dtypes.float16), math_ops.cast(variance, dtypes.float16)
        return mean, variance


def sufficient_statistics(x, axes, shift=None, keep_dims=None, name=None, keepdims=None):
    """(count, sum(x - shift), sum((x - shift) ** 2), shift) over `axes`."""
    axes = sorted(set(axes))
    keep = _pick(keepdims, "keepdims", keep_dims, "keep_dims")
    keep = bool(keep) if keep is not None else False
    g = graph_lib._graph_from_values([x, shift])
    with g.as_default(), g.name_scope(name or "sufficient_statistics"):
        x = convert(x, name="x")
        dims = x.shape.as_list() if x.shape.ndims is not None else None
        if dims is not None and all(dims[d] is not None for d in axes):
            counts = convert(float(np.prod([dims[d] for d in axes])), dtype=x.dtype.base_dtype)
        else:
            shape = math_ops.cast(array_ops.shape(x), x.dtype.base_dtype)
            counts = reduction_ops.reduce_prod(array_ops.gather(shape, axes), name="count")
        if shift is not None:
            shift = convert(shift, name="shift")
            m_ss = math_ops.subtract(x, shift)
            v_ss = math_ops.squared_difference(x, shift)
        else:
            m_ss = x
            v_ss = math_ops.square(x)
        m_ss = reduction_ops.reduce_sum(m_ss, axes, keepdims=keep, name="mean_ss")
        v_ss = reduction_ops.reduce_sum(v_ss, axes, keepdims=keep, name="var_ss")
    return counts, m_ss, v_ss, shift


def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    """Mean and variance from sufficient statistics."""
    g = graph_lib._graph_from_values([counts, mean_ss, variance_ss, shift])
    with g.as_default(), g.name_scope(name or "normalize"):
        divisor = math_ops.reciprocal(convert(counts), name="divisor")
        if shift is not None:
            shifted_mean = math_ops.multiply(mean_ss, divisor, name="shifted_mean")
            mean = math_ops.add(shifted_mean, shift, name="mean")
        else:
            shifted_mean = math_ops.multiply(mean_ss, divisor, name="mean")
            mean = shifted_mean
        variance = math_ops.subtract(math_ops.multiply(variance_ss, divisor),
                                     math_ops.square(shifted_mean), name="variance")
    return mean, variance


def weighted_moments(x, axes, frequency_weights, name=None, keep_dims=None, keepdims=None):
    """Mean and variance of `x` over `axes`, each element weighted by `frequency_weights`."""
    keep = _pick(keepdims, "keepdims", keep_dims, "keep_dims")
    keep = bool(keep) if keep is not None else False
    g = graph_lib._graph_from_values([x, frequency_weights])
    with g.as_default(), g.name_scope(name or "weighted_moments"):
        x = convert(x, name="x")
        w = convert(frequency_weights, name="frequency_weights")
        half = x.dtype.base_dtype == dtypes.float16
        if half:
            x = math_ops.cast(x, dtypes.float32)
        w = math_ops.cast(w, x.dtype.base_dtype)
        weighted_sum = reduction_ops.reduce_sum(w * x, axes, name="weighted_input_sum",
                                                keepdims=True)
        sum_of_weights = reduction_ops.reduce_sum(w + array_ops.zeros_like(x), axes,
                                                  name="sum_of_weights", keepdims=True)
        mean = math_ops.div_no_nan(weighted_sum, sum_of_weights)
        distsq = reduction_ops.reduce_sum(w * math_ops.squared_difference(x, mean), axes,
                                          name="weighted_distsq", keepdims=True)
        variance = math_ops.div_no_nan(distsq, sum_of_weights)
        if not keep:
            mean = manip_ops.squeeze(mean, axes)
            variance = manip_ops.squeeze(variance, axes)
        if half:
            return math_ops.cast(mean, dtypes.float16), math_ops.cast(variance, dtypes.float16)
        return mean, variance


def batch_norm_with_global_normalization(t=None, m=None, v=None, beta=None, gamma=None,
                                         variance_epsilon=None, scale_after_normalization=None,
                                         name=None, input=None, mean=None,  # noqa: A002
                                         variance=None):
    """TF's old batch norm entry point: batch_normalization with gamma only when asked."""
    t = _pick(input, "input", t, "t")
    m = _pick(mean, "mean", m, "m")
    v = _pick(variance, "variance", v, "v")
    return batch_normalization(t, m, v, beta, gamma if scale_after_normalization else None,
                               variance_epsilon, name)


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """(x - mean) / sqrt(variance + eps) * scale + offset, as `x * inv + (offset - mean * inv)`."""
    g = graph_lib._graph_from_values([x, mean, variance, scale, offset])
    with g.as_default(), g.name_scope(name or "batchnorm"):
        x = convert(x)
        mean = convert(mean)
        variance = convert(variance)
        inv = math_ops.rsqrt(variance + variance_epsilon)
        if scale is not None:
            inv *= scale
        shift = offset - mean * inv if offset is not None else -mean * inv
        return x * math_ops.cast(inv, x.dtype) + math_ops.cast(shift, x.dtype)


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """x / sqrt(max(sum(x ** 2, axis), epsilon))."""
    axis = _pick(axis, "axis", dim, "dim")
    g = graph_lib._graph_from_values([x])
    with g.as_default(), g.name_scope(name or "l2_normalize") as scope:
        x = convert(x, name="x")
        square_sum = reduction_ops.reduce_sum(math_ops.square(x), axis, keepdims=True)
        inv_norm = math_ops.rsqrt(math_ops.maximum(
            square_sum, convert(epsilon, dtype=x.dtype.base_dtype)))
        return math_ops.multiply(x, inv_norm, name=scope)


# --- local response normalization -----------------------------------------------------------
def _lrn_shape(op):
    x = op.inputs[0]
    if x.shape.ndims is not None and x.shape.ndims != 4:
        raise ShapeError("Shape must be rank 4 but is rank %d" % x.shape.ndims)
    return same_shape(op)


def _lrn_grad(op, g):
    attrs = {k: op._attrs[k] for k in ("depth_radius", "bias", "alpha", "beta", "T")}
    return [registry.make_tensor("LRNGrad", [g, op.inputs[0], op.outputs[0]], attrs,
                                 name="LRNGrad")]


def _composite_lrn_grad(dy, x, y, depth_radius, bias, alpha, beta):
    """LRNGrad written with public ops (the channel window sum is a banded matmul)."""
    c = x.shape[-1].value if x.shape.ndims else None
    if c is None:
        raise ValueError("The gradient of LRNGrad needs a known channel count")
    idx = np.arange(c)
    band = convert((np.abs(idx[:, None] - idx[None, :]) <= depth_radius).astype(
        x.dtype.as_numpy_dtype))

    def window(t):
        return array_ops.reshape(linalg_ops.matmul(array_ops.reshape(t, [-1, c]), band),
                                 array_ops.shape(t))

    norm = bias + alpha * window(math_ops.square(x))
    return dy * math_ops.pow(norm, -beta) - (2 * alpha * beta) * x * window(dy * y / norm)


def _lrn_grad_grad(op, gg):
    from tensorflux.gradients import gradients

    dy, x, y = _cut(op.inputs)
    a = op._attrs
    out = _composite_lrn_grad(dy, x, y, a["depth_radius"], a["bias"], a["alpha"], a["beta"])
    return gradients(out, [dy, x, y], grad_ys=gg)


registry.register("LRN", shape=_lrn_shape, grad=_lrn_grad)
registry.register("LRNGrad", shape=lambda op: [(op.inputs[1].dtype.base_dtype,
                                                 op.inputs[1].shape)], grad=_lrn_grad_grad)


def local_response_normalization(input, depth_radius=5, bias=1, alpha=1, beta=0.5,  # noqa: A002
                                 name=None):
    """x / (bias + alpha * sum(x ** 2 over a window of 2 * depth_radius + 1 channels)) ** beta."""
    g = graph_lib._graph_from_values([input])
    with g.as_default(), g.name_scope(name or "LRN") as scope:
        x = convert(input, name="input")
        return registry.make_tensor("LRN", [x], {
            "depth_radius": int(depth_radius), "bias": float(bias), "alpha": float(alpha),
            "beta": float(beta), "T": x.dtype.base_dtype}, name=scope)


lrn = local_response_normalization
