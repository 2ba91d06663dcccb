"""Norm clipping: `tf.clip_by_norm`, `tf.clip_by_global_norm`, `tf.global_norm`,
`tf.clip_by_average_norm` (`tf.clip_by_value` lives in math_ops). Built from public ops, so
their gradients come from those ops; IndexedSlices are clipped on their values.
"""

import collections.abc

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, math_ops, reduction_ops
from tensorflux.ops.constant_op import constant, convert_to_tensor
from tensorflux.ops.indexed_slices import IndexedSlices


def _values(t, name):
    return convert_to_tensor(t.values if isinstance(t, IndexedSlices) else t, name=name)


def _check_sequence(t_list):
    if not isinstance(t_list, collections.abc.Sequence) or isinstance(t_list, str):
        raise TypeError("`t_list` should be a sequence of tensors. Received %s."
                        % type(t_list))


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """Scales `t` so that its L2 norm (over `axes`) is at most `clip_norm`.

    Example:
        >>> tf.clip_by_norm(tf.constant([3.0, 4.0]), 1.0)  # [0.6, 0.8]
    """
    with graph_lib.name_scope(name, "clip_by_norm", [t, clip_norm]) as name:
        values = _values(t, "t")
        l2sum = reduction_ops.reduce_sum(values * values, axes, keepdims=True)
        pred = l2sum > 0
        # Two selects keep the gradient finite where the norm is zero.
        l2sum_safe = array_ops.where(pred, l2sum, array_ops.ones_like(l2sum))
        l2norm = array_ops.where(pred, math_ops.sqrt(l2sum_safe), l2sum)
        intermediate = values * clip_norm
        values.shape.assert_is_compatible_with(intermediate.shape)
        values_clip = array_ops.identity(intermediate / math_ops.maximum(l2norm, clip_norm),
                                         name=name)
        if isinstance(t, IndexedSlices):
            return IndexedSlices(values_clip, t.indices, t.dense_shape)
        return values_clip


def global_norm(t_list, name=None):
    """sqrt(sum of the squared L2 norms of every tensor in `t_list`); None entries are skipped."""
    from tensorflux.ops import nn_ops

    _check_sequence(t_list)
    t_list = list(t_list)
    with graph_lib.name_scope(name, "global_norm", [t for t in t_list if t is not None]) \
            as name:
        values = [_values(t, "t_%d" % i) if t is not None else None
                  for i, t in enumerate(t_list)]
        half_squared_norms = []
        for v in values:
            if v is not None:
                with graph_lib.colocate_with(v):
                    half_squared_norms.append(nn_ops.l2_loss(v))
        half_squared_norm = reduction_ops.reduce_sum(array_ops.stack(half_squared_norms))
        return math_ops.sqrt(half_squared_norm * constant(2.0, dtype=half_squared_norm.dtype),
                             name="global_norm")


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """Scales every tensor by `clip_norm / max(global_norm, clip_norm)`.

    Returns (the clipped list, the global norm). A non-finite norm makes every value NaN.

    Example:
        >>> grads, norm = tf.clip_by_global_norm(grads, 5.0)
    """
    _check_sequence(t_list)
    t_list = list(t_list)
    if use_norm is None:
        use_norm = global_norm(t_list, name)
    present = [t for t in t_list if t is not None]
    with graph_lib.name_scope(name, "clip_by_global_norm", present + [clip_norm]) as name:
        scale_for_finite = clip_norm * math_ops.minimum(
            1.0 / use_norm, constant(1.0, dtype=use_norm.dtype) / clip_norm)
        scale = scale_for_finite + (use_norm - use_norm)  # NaN when the norm is not finite
        values = [_values(t, "t_%d" % i) if t is not None else None
                  for i, t in enumerate(t_list)]
        clipped = []
        for i, v in enumerate(values):
            if v is None:
                clipped.append(None)
                continue
            with graph_lib.colocate_with(v):
                clipped.append(array_ops.identity(v * math_ops.cast(scale, v.dtype),
                                                  name="%s_%d" % (name, i)))
        out = [IndexedSlices(c, t.indices, t.dense_shape) if isinstance(t, IndexedSlices) else c
               for c, t in zip(clipped, t_list)]
    return out, use_norm


def clip_by_average_norm(t, clip_norm, name=None):
    """Clips `t` so that its L2 norm divided by its number of elements is at most clip_norm."""
    with graph_lib.name_scope(name, "clip_by_average_norm", [t, clip_norm]) as name:
        t = convert_to_tensor(t, name="t")
        n_element = math_ops.cast(array_ops.size(t), dtypes.float32)
        l2norm_inv = math_ops.rsqrt(reduction_ops.reduce_sum(
            t * t, array_ops.range(array_ops.rank(t))))
        return array_ops.identity(
            t * clip_norm * math_ops.minimum(l2norm_inv * n_element,
                                             constant(1.0) / clip_norm), name=name)
