"""Cross-entropy losses: softmax (dense and sparse labels), sigmoid, weighted sigmoid.

The softmax ops return the loss and its gradient (`backprop`) together, as TF's kernels do; the
registered gradient multiplies that saved backprop by the incoming loss gradient.
"""

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, linalg_ops, manip_ops, math_ops, nn_ops, registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError

TS = tensor_shape.TensorShape


def _xent_shape(op):
    x, labels = op.inputs
    xs = x.shape
    if xs.ndims is not None and xs.ndims != 2:
        raise ShapeError("Shape must be rank 2 but is rank %d" % xs.ndims)
    if op.type == "SparseSoftmaxCrossEntropyWithLogits":
        ls = labels.shape
        if ls.ndims is not None and ls.ndims != 1:
            raise ShapeError("Shape must be rank 1 but is rank %d" % ls.ndims)
        b = xs[0].value if xs.ndims else None
        lb = ls[0].value if ls.ndims else None
        if b is not None and lb is not None and b != lb:
            raise ShapeError("Dimensions must be equal, but are %d and %d" % (b, lb))
        batch = b if b is not None else lb
        full = TS([batch, xs[1].value if xs.ndims else None])
    else:
        ls = labels.shape
        if ls.ndims is not None and ls.ndims != 2:
            raise ShapeError("Shape must be rank 2 but is rank %d" % ls.ndims)
        from tensorflux.ops._helpers import broadcast_shapes

        full = broadcast_shapes(xs if xs.ndims is not None else TS([None, None]),
                                ls if ls.ndims is not None else TS([None, None]))
        batch = full[0].value
    dt = x.dtype.base_dtype
    return [(dt, TS([batch])), (dt, full)]


def _broadcast_mul(vec, mat):
    return math_ops.multiply(manip_ops.expand_dims(vec, -1), mat)


def _is_zeros(t):
    return t is None or t.op.type == "ZerosLike"


def _softmax_second_order(logits, grad_grad):
    """The part of the logits gradient that flows through the saved `backprop` output."""
    softmax = nn_ops.softmax(logits)
    inner = manip_ops.squeeze(linalg_ops.matmul(manip_ops.expand_dims(grad_grad, 1),
                                                manip_ops.expand_dims(softmax, 2)), axis=[1])
    return math_ops.multiply(math_ops.subtract(grad_grad, inner), softmax)


def _xent_grad(op, grad_loss, grad_grad):
    logits = op.inputs[0]
    grad = _broadcast_mul(grad_loss, op.outputs[1])
    if not _is_zeros(grad_grad):
        grad = math_ops.add(grad, _softmax_second_order(logits, grad_grad))
    if op.type == "SparseSoftmaxCrossEntropyWithLogits":
        return [grad, None]
    return [grad, _broadcast_mul(grad_loss, math_ops.negative(nn_ops.log_softmax(logits)))]


registry.register("SoftmaxCrossEntropyWithLogits", shape=_xent_shape, grad=_xent_grad)
registry.register("SparseSoftmaxCrossEntropyWithLogits", shape=_xent_shape, grad=_xent_grad)


def _ensure_args(name, labels, logits):
    if labels is None or logits is None:
        raise ValueError("Both `labels` and `logits` must be provided for %sReceived: labels=%s "
                         "and logits=%s" % (name, labels, logits))


def _flatten_outer_dims(x):
    dims = x.shape.as_list() if x.shape.ndims is not None else None
    if dims is not None and dims[-1] is not None:
        return array_ops.reshape(x, [-1, dims[-1]])
    last = array_ops.reshape(array_ops.shape(x)[-1], [1])
    return array_ops.reshape(x, array_ops.concat([[-1], last], 0))


def softmax_cross_entropy_with_logits_v2(labels=None, logits=None, axis=None, name=None,
                                         dim=None):
    """Cross entropy between `labels` (a distribution) and softmax(`logits`) along `axis`.

    Gradients flow into both logits and labels (use stop_gradient on labels to block that).

    Example:
        >>> loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(
        ...     labels=y_, logits=y))
    """
    if axis is not None and dim is not None:
        raise ValueError("Cannot specify both 'axis' and 'dim'")
    axis = -1 if axis is None and dim is None else (axis if axis is not None else dim)
    _ensure_args("softmax_cross_entropy_with_logits", labels, logits)
    g = graph_lib._graph_from_values([logits, labels])
    with g.as_default(), g.name_scope(name or "softmax_cross_entropy_with_logits") as scope:
        logits = convert(logits, name="logits")
        labels = convert(labels, name="labels")
        half = logits.dtype.base_dtype in (dtypes.float16, dtypes.bfloat16)
        precise = math_ops.cast(logits, dtypes.float32) if half else logits
        labels = math_ops.cast(labels, precise.dtype.base_dtype)
        shape = logits.shape
        rank = shape.ndims
        if axis != -1:
            if rank is None:
                raise ValueError("softmax_cross_entropy along axis %s needs a known rank" % axis)
            ax = axis % rank
            perm = [i for i in range(rank) if i != ax] + [ax]
            precise = array_ops.transpose(precise, perm)
            labels = array_ops.transpose(labels, perm)
        in_shape = precise.shape
        flat_logits = _flatten_outer_dims(precise)
        flat_labels = _flatten_outer_dims(labels)
        op = registry.make_op("SoftmaxCrossEntropyWithLogits", [flat_logits, flat_labels],
                              {"T": flat_logits.dtype.base_dtype}, name=scope)
        cost = op._outputs[0]
        if in_shape.ndims is not None and in_shape[:-1].is_fully_defined():
            cost = array_ops.reshape(cost, in_shape.as_list()[:-1])
        else:
            dyn = array_ops.shape(precise)
            cost = array_ops.reshape(cost, dyn[:-1])
        if shape.ndims is not None:
            dims = shape.as_list()
            del dims[axis]
            cost.set_shape(dims)
        return math_ops.cast(cost, logits.dtype.base_dtype) if half else cost


def softmax_cross_entropy_with_logits(labels=None, logits=None, dim=-1, name=None, axis=None,
                                      _sentinel=None):
    """TF1's softmax cross entropy: like the v2 op, but no gradient flows into `labels`."""
    if axis is not None:
        dim = axis
    _ensure_args("softmax_cross_entropy_with_logits", labels, logits)
    g = graph_lib._graph_from_values([logits, labels])
    with g.as_default(), g.name_scope(name or "softmax_cross_entropy_with_logits_sg") as scope:
        labels = array_ops.stop_gradient(labels, name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, axis=dim,
                                                name=scope)


def sparse_softmax_cross_entropy_with_logits(labels=None, logits=None, name=None,
                                             _sentinel=None):
    """Cross entropy of softmax(`logits`) against integer class `labels` (one per row).

    Example:
        >>> loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
    """
    _ensure_args("sparse_softmax_cross_entropy_with_logits", labels, logits)
    g = graph_lib._graph_from_values([labels, logits])
    with g.as_default(), g.name_scope(name or "SparseSoftmaxCrossEntropyWithLogits"):
        labels = convert(labels)
        logits = convert(logits)
        half = logits.dtype.base_dtype == dtypes.float16
        precise = math_ops.cast(logits, dtypes.float32) if half else logits
        ls, xs = labels.shape, logits.shape
        if xs.ndims == 0:
            raise ValueError("`logits` cannot be a scalar. Received logits=%s`" % logits)
        if xs.ndims is not None and ls.ndims is not None and ls.ndims != xs.ndims - 1:
            raise ValueError("`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: "
                             "labels.shape=%s of rank %d and logits.shape=%s of rank %d"
                             % (ls, ls.ndims, xs, xs.ndims))
        if ls.is_fully_defined() and xs.ndims is not None and xs[:-1].is_fully_defined() and \
                ls != xs[:-1]:
            raise ValueError("`labels.shape` must equal `logits.shape` except for the last "
                             "dimension. Received: labels.shape=%s and logits.shape=%s"
                             % (ls, xs))
        attrs = {"T": precise.dtype.base_dtype, "Tlabels": labels.dtype.base_dtype}
        op_name = name or "SparseSoftmaxCrossEntropyWithLogits"
        if xs.ndims == 2:
            cost = registry.make_op("SparseSoftmaxCrossEntropyWithLogits", [precise, labels],
                                    attrs, name=op_name)._outputs[0]
        else:
            flat_logits = _flatten_outer_dims(precise)
            flat_labels = array_ops.reshape(labels, [-1])
            cost = registry.make_op("SparseSoftmaxCrossEntropyWithLogits",
                                    [flat_logits, flat_labels], attrs, name=op_name)._outputs[0]
            target = ls.as_list() if ls.is_fully_defined() else array_ops.shape(labels)
            cost = array_ops.reshape(cost, target)
            cost.set_shape(ls)
        return math_ops.cast(cost, dtypes.float16) if half else cost


def _same_shape_check(labels, logits):
    if not labels.shape.is_compatible_with(logits.shape):
        raise ValueError("`logits` and `labels` must have the same shape, received (%s vs %s)."
                         % (logits.shape, labels.shape))


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None, _sentinel=None):
    """Elementwise logistic loss `max(x, 0) - x * z + log(1 + exp(-abs(x)))`, computed stably."""
    _ensure_args("sigmoid_cross_entropy_with_logits", labels, logits)
    g = graph_lib._graph_from_values([logits, labels])
    with g.as_default(), g.name_scope(name or "logistic_loss") as scope:
        logits = convert(logits, name="logits")
        labels = convert(labels, name="labels")
        _same_shape_check(labels, logits)
        zeros = array_ops.zeros_like(logits, dtype=logits.dtype)
        cond = math_ops.greater_equal(logits, zeros)
        relu_logits = manip_ops.where(cond, logits, zeros)
        neg_abs_logits = manip_ops.where(cond, math_ops.negative(logits), logits)
        return math_ops.add(relu_logits - logits * labels,
                            math_ops.log1p(math_ops.exp(neg_abs_logits)), name=scope)


def weighted_cross_entropy_with_logits(labels=None, logits=None, pos_weight=None, name=None,
                                       targets=None):
    """Logistic loss with the positive term weighted by `pos_weight`."""
    if labels is not None and targets is not None:
        raise ValueError("Cannot specify both 'labels' and 'targets'")
    labels = labels if labels is not None else targets
    g = graph_lib._graph_from_values([logits, labels])
    with g.as_default(), g.name_scope(name or "logistic_loss") as scope:
        logits = convert(logits, name="logits")
        labels = convert(labels, name="labels")
        _same_shape_check(labels, logits)
        log_weight = 1 + (pos_weight - 1) * labels
        return math_ops.add(
            (1 - labels) * logits,
            log_weight * (math_ops.log1p(math_ops.exp(-math_ops.abs(logits))) +
                          nn_ops.relu(-logits)), name=scope)


def log_poisson_loss(targets, log_input, compute_full_loss=False, name=None):
    """exp(log_input) - log_input * targets (+ Stirling's term when `compute_full_loss`)."""
    g = graph_lib._graph_from_values([targets, log_input])
    with g.as_default(), g.name_scope(name or "log_poisson_loss"):
        log_input = convert(log_input, name="log_input")
        targets = convert(targets, name="targets")
        _same_shape_check(targets, log_input)
        result = math_ops.exp(log_input) - log_input * targets
        if compute_full_loss:
            point_five = convert(0.5, dtype=targets.dtype.base_dtype)
            two_pi = convert(2 * np.pi, dtype=targets.dtype.base_dtype)
            stirling = (targets * math_ops.log(targets)) - targets + point_five * math_ops.log(
                two_pi * targets)
            ones = array_ops.ones_like(targets)
            zeros = array_ops.zeros_like(targets)
            cond = math_ops.logical_and(math_ops.greater_equal(targets, zeros),
                                        math_ops.less_equal(targets, ones))
            result += manip_ops.where(cond, zeros, stirling)
        return result
