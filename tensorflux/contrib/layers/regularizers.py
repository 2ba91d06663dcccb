"""Weight regularizers of `tf.contrib.layers`: `l1_regularizer`, `l2_regularizer`,
`l1_l2_regularizer`, `sum_regularizer`, `apply_regularization`."""

import numbers

from tensorflux import nn
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.ops import constant_op, math_ops, reduction_ops


def _check_scale(scale, what="scale"):
    if isinstance(scale, numbers.Integral):
        raise ValueError("%s cannot be an integer: %s" % (what, scale))
    if isinstance(scale, numbers.Real) and scale < 0.0:
        raise ValueError("Setting a scale less than 0 on a regularizer: %g." % scale)


def l1_regularizer(scale, scope=None):
    """`scale * sum(|w|)`; a scale of 0 gives a regularizer returning None.

    Example:
        >>> reg = tf.contrib.layers.l1_regularizer(0.01)
    """
    _check_scale(scale)
    if isinstance(scale, numbers.Real) and scale == 0.0:
        return lambda _: None

    def l1(weights, name=None):
        with graph_lib.name_scope(scope, "l1_regularizer", [weights]) as name:
            my_scale = constant_op.convert_to_tensor(scale, dtype=weights.dtype.base_dtype,
                                                     name="scale")
            return math_ops.multiply(my_scale,
                                     reduction_ops.reduce_sum(math_ops.abs(weights)), name=name)

    return l1


def l2_regularizer(scale, scope=None):
    """`scale * sum(w ** 2) / 2` (`tf.nn.l2_loss`); a scale of 0 gives a regularizer returning
    None.

    Example:
        >>> net = slim.conv2d(x, 64, [3, 3], weights_regularizer=slim.l2_regularizer(0.0005))
    """
    _check_scale(scale)
    if isinstance(scale, numbers.Real) and scale == 0.0:
        return lambda _: None

    def l2(weights):
        with graph_lib.name_scope(scope, "l2_regularizer", [weights]) as name:
            my_scale = constant_op.convert_to_tensor(scale, dtype=weights.dtype.base_dtype,
                                                     name="scale")
            return math_ops.multiply(my_scale, nn.l2_loss(weights), name=name)

    return l2


def sum_regularizer(regularizer_list, scope=None):
    """A regularizer returning the sum of the given regularizers' losses."""
    regularizer_list = [r for r in regularizer_list if r is not None]
    if not regularizer_list:
        return None

    def sum_reg(weights):
        with graph_lib.name_scope(scope, "sum_regularizer", [weights]) as name:
            tensors = [t for t in (r(weights) for r in regularizer_list) if t is not None]
            return math_ops.add_n(tensors, name=name) if tensors else None

    return sum_reg


def l1_l2_regularizer(scale_l1=1.0, scale_l2=1.0, scope=None):
    """`l1_regularizer(scale_l1) + l2_regularizer(scale_l2)`."""
    _check_scale(scale_l1, "scale_l1")
    _check_scale(scale_l2, "scale_l2")
    scope = scope or "l1_l2_regularizer"
    if scale_l1 == 0.0:
        return l2_regularizer(scale_l2, scope)
    if scale_l2 == 0.0:
        return l1_regularizer(scale_l1, scope)
    return sum_regularizer([l1_regularizer(scale_l1), l2_regularizer(scale_l2)], scope=scope)


def apply_regularization(regularizer, weights_list=None):
    """Sums `regularizer(w)` over `weights_list` (default: the `WEIGHTS` collection), adds the
    sum to `REGULARIZATION_LOSSES` and returns it."""
    if not weights_list:
        weights_list = graph_lib.get_collection(GraphKeys.WEIGHTS)
    if not weights_list:
        raise ValueError("No weights to regularize.")
    with graph_lib.name_scope("get_regularization_penalty", values=weights_list) as scope:
        penalties = [regularizer(w) for w in weights_list]
        penalties = [p if p is not None else constant_op.constant(0.0) for p in penalties]
        for p in penalties:
            if p.get_shape().ndims != 0:
                raise ValueError("regularizer must return a scalar Tensor instead of a Tensor "
                                 "with rank %d." % p.get_shape().ndims)
        summed = math_ops.add_n(penalties, name=scope)
        graph_lib.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, summed)
        return summed
