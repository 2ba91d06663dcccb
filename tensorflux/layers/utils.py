"""Helpers shared by the layers: argument normalisation, output lengths, `smart_cond`."""

import numbers

from tensorflux.graph.tensor import Tensor
from tensorflux.ops import cond_ops, constant_op


def normalize_tuple(value, n, name, allow_zero=False):
    """`value` (an int or an iterable of n ints) as a tuple of n ints, checked positive."""
    error_msg = "The `%s` argument must be a tuple of %d integers. Received: %s" % (
        name, n, value)
    if isinstance(value, numbers.Integral):
        value_tuple = (int(value),) * n
    else:
        try:
            value_tuple = tuple(value)
        except TypeError:
            raise ValueError(error_msg) from None
        if len(value_tuple) != n:
            raise ValueError(error_msg)
        for single in value_tuple:
            try:
                int(single)
            except (ValueError, TypeError):
                raise ValueError(error_msg + "including element %s of type %s"
                                 % (single, type(single))) from None
        value_tuple = tuple(int(v) for v in value_tuple)
    if allow_zero:
        bad = {v for v in value_tuple if v < 0}
        req = ">= 0"
    else:
        bad = {v for v in value_tuple if v <= 0}
        req = "> 0"
    if bad:
        raise ValueError(error_msg + " including %s that does not satisfy the requirement `%s`."
                         % (bad, req))
    return value_tuple


def normalize_padding(value):
    """"valid"/"same"/"causal" in any case, lower-cased."""
    if isinstance(value, (list, tuple)):
        return value
    padding = value.lower()
    if padding not in ("valid", "same", "causal"):
        raise ValueError('The `padding` argument must be a list/tuple or one of "valid", "same" '
                         '(or "causal", only for `Conv1D). Received: %s' % padding)
    return padding


def normalize_data_format(value):
    if value is None:
        value = "channels_last"
    data_format = value.lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError('The `data_format` argument must be one of "channels_first", '
                         '"channels_last". Received: %s' % value)
    return data_format


def convert_data_format(data_format, ndim):
    """"channels_last"/"channels_first" as the op-level string for a rank-`ndim` input."""
    table = {"channels_last": {3: "NWC", 4: "NHWC", 5: "NDHWC"},
             "channels_first": {3: "NCW", 4: "NCHW", 5: "NCDHW"}}
    if data_format not in table:
        raise ValueError('Invalid data_format: %s. Expected values are ["channels_first", '
                         '"channels_last"]' % data_format)
    if ndim not in table[data_format]:
        raise ValueError("Input rank not supported: %d. Expected values are [3, 4, 5]" % ndim)
    return table[data_format][ndim]


def conv_output_length(input_length, filter_size, padding, stride, dilation=1):
    """Output length of a convolution or pooling along one spatial dimension."""
    if input_length is None:
        return None
    dilated = filter_size + (filter_size - 1) * (dilation - 1)
    if padding in ("same", "causal"):
        length = input_length
    elif padding == "valid":
        length = input_length - dilated + 1
    else:  # "full"
        length = input_length + dilated - 1
    return (length + stride - 1) // stride


def deconv_output_length(input_length, filter_size, padding, output_padding=None, stride=0,
                         dilation=1):
    """Output length of a transposed convolution along one spatial dimension."""
    if input_length is None:
        return None
    filter_size = filter_size + (filter_size - 1) * (dilation - 1)
    if output_padding is None:
        if padding == "valid":
            return input_length * stride + max(filter_size - stride, 0)
        if padding == "full":
            return input_length * stride - (stride + filter_size - 2)
        return input_length * stride
    pad = {"same": filter_size // 2, "valid": 0, "full": filter_size - 1}[padding]
    return (input_length - 1) * stride + filter_size - 2 * pad + output_padding


def constant_value(pred):
    """The Python bool of `pred` (a bool, 0/1, or a tensor of known value), or None."""
    if isinstance(pred, Tensor):
        v = constant_op.constant_value(pred)
        return None if v is None else bool(v)
    if hasattr(pred, "_as_graph_element"):  # a Variable: never static
        return None
    if pred in (0, 1):  # also True and False
        return bool(pred)
    raise TypeError("`pred` must be a Tensor, or a Python bool, or 1 or 0. Found instead: %s"
                    % type(pred))


def smart_cond(pred, true_fn, false_fn, name=None):
    """`true_fn()` or `false_fn()` when `pred` is static (a bool, or a tensor of known value);
    otherwise `tf.cond(pred, true_fn, false_fn)`.

    Layers keep their branches free of side effects: a moving-average update is one op whose
    decay is selected by `pred` (zero when false), so it can sit in `UPDATE_OPS` unconditionally.
    """
    value = constant_value(pred)
    if value is True:
        return true_fn()
    if value is False:
        return false_fn()
    return cond_ops.cond(pred, true_fn, false_fn, name=name)
