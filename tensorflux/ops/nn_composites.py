"""`tf.nn` functions built from other ops: gelu, with_space_to_batch, collapse_repeated and
ctc_unique_labels (their gradients come from the ops they are made of)."""

import numpy as np

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import (
    array_ops,
    control_flow_ops,
    fill_ops,
    gather_ops,
    manip_ops,
    math_ops,
    pad_ops,
    reduction_ops,
    space_batch_ops,
)
from tensorflux.ops._helpers import convert
from tensorflux.ops.constant_op import constant_value


# --- gelu ------------------------------------------------------------------------------------
def gelu(features, approximate=False, name=None):
    """Gaussian error linear unit: x * P(X <= x) for X ~ N(0, 1) (TF 2.x's `tf.nn.gelu`).

    With `approximate`, the tanh approximation
    0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).

    Example:
        >>> tf.nn.gelu([-1.0, 0.0, 1.0])  # [-0.15865525, 0., 0.8413447]
    """
    with graph_lib.name_scope(name, "Gelu", [features]):
        features = convert(features, name="features")
        if not features.dtype.is_floating:
            raise ValueError("`features.dtype` must be a floating point tensor.Received:"
                             "features.dtype=%s" % (features.dtype,))
        if approximate:
            coeff = math_ops.cast(0.044715, features.dtype)
            return 0.5 * features * (1.0 + math_ops.tanh(
                0.7978845608028654 * (features + coeff * math_ops.pow(features, 3))))
        return 0.5 * features * math_ops.erfc(
            -features * math_ops.cast(0.7071067811865476, features.dtype))


# --- with_space_to_batch ---------------------------------------------------------------------
def required_space_to_batch_paddings(input_shape, block_shape, base_paddings=None, name=None):
    """(paddings, crops) that make `input_shape` + `base_paddings` divisible by `block_shape`:
    the extra padding goes at the end of each dimension, and `crops` removes it again."""
    with graph_lib.name_scope(name, "required_space_to_batch_paddings",
                              [input_shape, block_shape]):
        input_shape = convert(input_shape, dtype=dtypes.int32, name="input_shape")
        block_shape = convert(block_shape, dtype=dtypes.int32, name="block_shape")
        if not block_shape.shape.is_fully_defined() or block_shape.shape.ndims != 1:
            raise ValueError("Shape %s must be fully defined and of rank 1"
                             % block_shape.shape)
        num_block_dims = block_shape.shape.as_list()[0]
        if num_block_dims == 0:
            return (fill_ops.zeros([0, 2], dtypes.int32), fill_ops.zeros([0, 2], dtypes.int32))
        if not input_shape.shape.is_compatible_with([num_block_dims]):
            raise ValueError("Shapes %s and %s are incompatible"
                             % (input_shape.shape, [num_block_dims]))
        if base_paddings is not None:
            base_paddings = convert(base_paddings, dtype=dtypes.int32, name="base_paddings")
            if not base_paddings.shape.is_compatible_with([num_block_dims, 2]):
                raise ValueError("Shapes %s and %s are incompatible"
                                 % (base_paddings.shape, [num_block_dims, 2]))
        else:
            base_paddings = fill_ops.zeros([num_block_dims, 2], dtypes.int32)
        const = [constant_value(t) for t in (block_shape, input_shape, base_paddings)]
        if all(c is not None for c in const):
            block_shape, input_shape, base_paddings = const
        pad_start = base_paddings[:, 0]
        orig_pad_end = base_paddings[:, 1]
        full_input_shape = input_shape + pad_start + orig_pad_end
        pad_end_extra = (block_shape - full_input_shape % block_shape) % block_shape
        pad_end = orig_pad_end + pad_end_extra
        paddings = array_ops.stack([[pad_start[i], pad_end[i]] for i in range(num_block_dims)],
                                   name="paddings")
        crops = array_ops.stack([[0, pad_end_extra[i]] for i in range(num_block_dims)],
                                name="crops")
        return paddings, crops


def _base_paddings(filter_shape, num_spatial_dims, rate):
    pad_extra = (filter_shape[:num_spatial_dims] - 1) * rate
    start = pad_extra // 2
    end = pad_extra - start
    return array_ops.stack([[start[i], end[i]] for i in range(num_spatial_dims)])


def _adjust(orig, fill_value, spatial_dims):
    """`orig` (one row per spatial dim) spread to one row per dimension 1..max(spatial_dims),
    with `fill_value` rows for the other dimensions (numpy when `orig` is constant)."""
    const = orig if isinstance(orig, np.ndarray) else constant_value(orig)
    src = const if const is not None else orig
    fill_dims = list(np.shape(const)[1:]) if const is not None else orig.shape.as_list()[1:]
    dtype = np.int32
    parts, prev, i = [], 0, 0
    while i < len(spatial_dims):
        start_i, start_dim = i, spatial_dims[i]
        if start_dim > 1:
            parts.append(np.full([start_dim - 1 - prev] + fill_dims, fill_value, dtype))
        while i + 1 < len(spatial_dims) and spatial_dims[i + 1] == spatial_dims[i] + 1:
            i += 1
        parts.append(src[start_i:i + 1])
        prev = spatial_dims[i]
        i += 1
    if const is not None:
        return np.concatenate(parts).astype(dtype)
    return array_ops.concat(parts, 0)


def with_space_to_batch(input, dilation_rate, padding, op, filter_shape=None,  # noqa: A002
                        spatial_dims=None, data_format=None):
    """Runs `op(input, num_spatial_dims, padding)` on `input` with its `spatial_dims` split by
    `dilation_rate` (space_to_batch_nd ... op ... batch_to_space_nd): a dilated ("atrous")
    version of any op that works on undilated inputs.

    Example:
        >>> y = tf.nn.with_space_to_batch(x, [2, 2], "VALID",
        ...     lambda x, n, p: tf.nn.conv2d(x, w, [1, 1, 1, 1], p))
    """
    input = convert(input, name="input")  # noqa: A001
    input_shape = input.shape
    dilation_rate = convert(dilation_rate, dtype=dtypes.int32, name="dilation_rate")
    if dilation_rate.shape.ndims not in (None, 1):
        raise ValueError("`dilation_rate.shape.rank` must be 1. Received: dilation_rate=%s of "
                         "rank %d" % (dilation_rate, dilation_rate.shape.ndims))
    if not dilation_rate.shape.is_fully_defined():
        raise ValueError("`dilation_rate.shape` must be fully defined. Received: "
                         "dilation_rate=%s with shape %s" % (dilation_rate, dilation_rate.shape))
    num_spatial_dims = dilation_rate.shape.as_list()[0]
    channels_first = data_format is not None and data_format.startswith("NC")
    start = 2 if channels_first else 1
    if spatial_dims is None:
        spatial_dims = range(start, num_spatial_dims + start)
    orig_spatial_dims = list(spatial_dims)
    spatial_dims = sorted(set(int(x) for x in orig_spatial_dims))
    if spatial_dims != orig_spatial_dims or any(x < 1 for x in spatial_dims):
        raise ValueError("`spatial_dims` must be a monotonically increasing sequence of "
                         "positive integers. Received: spatial_dims=%s" % orig_spatial_dims)
    expected_rank = spatial_dims[-1] if channels_first else spatial_dims[-1] + 1
    if input_shape.ndims is not None and input_shape.ndims < expected_rank:
        raise ValueError("`input.shape.rank` must be at least %d. Received: input.shape=%s "
                         "with rank %d" % (expected_rank, input_shape, input_shape.ndims))
    const_rate = constant_value(dilation_rate)
    rate = dilation_rate
    if const_rate is not None:
        rate = const_rate
        if np.any(const_rate < 1):
            raise ValueError("`dilation_rate` must be positive. Received: dilation_rate=%s"
                             % const_rate)
        if np.all(const_rate == 1):
            return op(input, num_spatial_dims, padding)
    if padding == "SAME":
        if filter_shape is None:
            raise ValueError("`filter_shape` must be specified for `padding='SAME'`. "
                             "Received: filter_shape=None and padding=SAME")
        filter_shape = convert(filter_shape, name="filter_shape")
        const_filter = constant_value(filter_shape)
        if const_filter is not None:
            filter_shape = const_filter
        base_paddings = _base_paddings(filter_shape, num_spatial_dims, rate)
    elif padding == "VALID":
        base_paddings = np.zeros([num_spatial_dims, 2], np.int32)
    else:
        raise ValueError("`padding` must be one of 'SAME' or 'VALID'. Received: padding=%s"
                         % padding)
    spatial_shape = None
    if input_shape.ndims is not None:
        dims = input_shape.as_list()
        spatial_shape = [dims[i] for i in spatial_dims]
    if spatial_shape is None or None in spatial_shape:
        shape_t = array_ops.shape(input)
        spatial_shape = array_ops.stack([shape_t[i] for i in spatial_dims])
    paddings, crops = required_space_to_batch_paddings(spatial_shape, dilation_rate,
                                                       base_paddings=base_paddings)
    block = _adjust(rate if const_rate is not None else dilation_rate, 1, spatial_dims)
    paddings = _adjust(paddings, 0, spatial_dims)
    crops = _adjust(crops, 0, spatial_dims)
    converted = space_batch_ops.space_to_batch_nd(input, block, paddings)
    result = op(converted, num_spatial_dims, "VALID")
    return space_batch_ops.batch_to_space_nd(result, block, crops)


# --- CTC label helpers -----------------------------------------------------------------------
def _dim(t, i):
    """`t.shape[i]`, static when known, else from `tf.shape`."""
    v = t.shape[i].value if t.shape.ndims is not None else None
    return v or array_ops.shape(t)[i]


def collapse_repeated(labels, seq_length, name=None):
    """Merges runs of a repeated label into one: ([batch, max_len] labels, new lengths).

    Example:
        >>> tf.nn.collapse_repeated([[1, 1, 2, 2, 3]], [5])  # ([[1, 2, 3]], [3])
    """
    with graph_lib.name_scope(name, "collapse_repeated_labels", [labels, seq_length]):
        labels = convert(labels, name="labels")
        seq_length = convert(seq_length, name="seq_length")
        label_mask = array_ops.concat([
            fill_ops.ones_like(labels[:, :1], dtypes.bool),
            math_ops.not_equal(labels[:, 1:], labels[:, :-1])], axis=1)
        maxlen = _dim(labels, 1)
        seq_mask = fill_ops.sequence_mask(seq_length, maxlen=maxlen)
        label_mask = math_ops.logical_and(label_mask, seq_mask)
        new_seq_len = reduction_ops.reduce_sum(math_ops.cast(label_mask, dtypes.int32), axis=1)
        new_maxlen = reduction_ops.reduce_max(new_seq_len)
        idx_mask = fill_ops.sequence_mask(new_seq_len, maxlen=new_maxlen)
        flat_labels = array_ops.reshape(labels, [-1])
        flat_label_mask = array_ops.reshape(label_mask, [-1])
        flat_idx_mask = array_ops.reshape(idx_mask, [-1])
        idx = fill_ops.range(_dim(flat_idx_mask, 0))
        flat = gather_ops.scatter_nd(
            indices=manip_ops.expand_dims(gather_ops.boolean_mask(idx, flat_idx_mask), axis=1),
            updates=gather_ops.boolean_mask(flat_labels, flat_label_mask),
            shape=array_ops.shape(flat_idx_mask))
        batch_size = _dim(labels, 0)
        return (array_ops.reshape(flat, [batch_size, new_maxlen]),
                math_ops.cast(new_seq_len, seq_length.dtype))


def ctc_unique_labels(labels, name=None):
    """Per row of `labels` [batch, max_len]: its unique labels in first-seen order, padded with
    0 (int64), and each label's index into them (int32).

    Example:
        >>> tf.nn.ctc_unique_labels([[3, 4, 4, 3]])  # ([[3, 4, 0, 0]], [[0, 1, 1, 0]])
    """
    with graph_lib.name_scope(name, "ctc_unique_labels", [labels]):
        labels = convert(labels, name="labels")

        def _unique(x):
            y, idx = gather_ops.unique(x)
            y = pad_ops.pad(y, [[0, _dim(idx, 0) - _dim(y, 0)]])
            return [math_ops.cast(y, dtypes.int64), idx]

        return control_flow_ops.map_fn(_unique, labels, dtype=[dtypes.int64, dtypes.int32])
