"""Convolutions: conv1d/2d/3d, depthwise, separable, atrous, transposed, and the backprop ops.

The gradient of a convolution is built from its two backprop ops (`Conv2DBackpropInput`,
`Conv2DBackpropFilter`), and each backprop op's gradient is again a convolution or backprop op,
so second derivatives work as in TensorFlow.
"""

import collections.abc

import numpy as np

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, constant_op, manip_ops, registry
from tensorflux.ops._helpers import apply1, convert
from tensorflux.ops.registry import ShapeError

TS = tensor_shape.TensorShape


# --- window geometry (shared by shape functions, kernels and pooling) ------------------------
def _trunc_div(a, b):
    """C++ integer division (truncates toward zero), as TF's size arithmetic uses."""
    q = abs(a) // b
    return q if a >= 0 else -q


def window_geometry(sizes, ksizes, strides, dilations, padding, explicit=None):
    """TF's windowed output sizes and (before, after) paddings for each spatial dimension.

    `padding` is "SAME", "VALID" or "EXPLICIT" (then `explicit` gives the (before, after) pairs).
    SAME puts the odd padding element after (right/bottom). A `None` size gives a `None` output.
    """
    outs, pads = [], []
    for i, (n, k, s, d) in enumerate(zip(sizes, ksizes, strides, dilations)):
        if s <= 0 or d <= 0:
            raise ShapeError("Strides and dilations must be positive, got stride %d, dilation %d"
                             % (s, d))
        ek = (k - 1) * d + 1 if k is not None else None
        if n is None or ek is None:
            outs.append(None)
            pads.append(tuple(explicit[i]) if padding == "EXPLICIT" else (0, 0))
            continue
        if padding in ("VALID", "EXPLICIT"):
            pb, pa = (0, 0) if padding == "VALID" else explicit[i]
            if n + pb + pa < ek:
                raise ShapeError("Negative dimension size caused by subtracting %d from %d"
                                 % (ek, n + pb + pa))
        if padding == "VALID":
            out = _trunc_div(n - ek + s, s)
        elif padding == "SAME":
            out = _trunc_div(n + s - 1, s)
            total = max(0, (out - 1) * s + ek - n)
            pb, pa = total // 2, total - total // 2
        elif padding == "EXPLICIT":
            out = _trunc_div(n + pb + pa - ek + s, s)
        else:
            raise ShapeError("Invalid padding %r" % padding)
        if out < 0:
            raise ShapeError("Computed output size would be negative: %d [input_size: %d, "
                             "effective_filter_size: %d, stride: %d]" % (out, n, ek, s))
        outs.append(out)
        pads.append((pb, pa))
    return outs, pads


def get_sequence(value, n, channel_index, name):
    """Expands an int or short list of strides/dilations/ksize to the full rank (TF's rule)."""
    if value is None:
        return [1] * (n + 2)
    if isinstance(value, (list, tuple)):
        value = list(value)
    elif isinstance(value, (int, np.integer)):
        value = [value]
    elif not isinstance(value, collections.abc.Sized):
        value = [value]
    else:
        value = list(value)
    value = [int(v) for v in value]
    if len(value) == n + 2:
        return value
    if len(value) == 1:
        value = value * n
    elif len(value) != n:
        raise ValueError("%s should be of length 1, %d or %d. Received: %s=%s of length %d"
                         % (name, n, n + 2, name, value, len(value)))
    return [1, 1] + value if channel_index == 1 else [1] + value + [1]


def convert_padding(padding, expected_length=4):
    """Splits TF's `padding` argument into (padding string, flat explicit paddings list)."""
    explicit = []
    if isinstance(padding, bytes):
        padding = padding.decode()
    if padding == "EXPLICIT":
        raise ValueError("'EXPLICIT' is not a valid value for `padding`. To use explicit padding, "
                         "`padding` must be a list.")
    if isinstance(padding, (list, tuple)):
        for i, pair in enumerate(padding):
            if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                raise ValueError("When `padding` is a list, each element of `padding` must be a "
                                 "list/tuple of size 2. Received: padding=%s with element at index "
                                 "%d" % (padding, i))
            explicit.extend(int(p) for p in pair)
        if len(padding) != expected_length:
            raise ValueError("When padding is a list, it must be of size %d. Received: padding=%s "
                             "of size %d" % (expected_length, padding, len(padding)))
        padding = "EXPLICIT"
    if padding not in ("SAME", "VALID", "EXPLICIT"):
        raise ValueError("padding must be one of SAME, VALID (or a list of explicit paddings), "
                         "got %r" % (padding,))
    return padding, explicit


def attr_str(op, name):
    v = op._attrs[name]
    return v.decode() if isinstance(v, bytes) else v


def layout(fmt, rank):
    """(batch axis, channel axis, spatial axes) of a data format string."""
    if fmt.startswith("NC"):
        return 0, 1, list(range(2, rank))
    return 0, rank - 1, list(range(1, rank - 1))


def spatial_attrs(op, rank):
    """Strides, dilations, padding and explicit (before, after) pairs of a conv/pool op, spatial."""
    _, _, sp = layout(attr_str(op, "data_format"), rank)
    strides = [int(op._attrs["strides"][a]) for a in sp]
    dil = op._attrs.get("dilations")
    dil = [int(dil[a]) for a in sp] if dil is not None else [1] * len(sp)
    padding = attr_str(op, "padding")
    flat = list(op._attrs.get("explicit_paddings") or [])
    explicit = [(flat[2 * a], flat[2 * a + 1]) for a in sp] if padding == "EXPLICIT" else None
    return strides, dil, padding, explicit


def _check_attrs(op, rank, what="strides"):
    fmt = attr_str(op, "data_format")
    b, c, _ = layout(fmt, rank)
    for key in ("strides", "dilations"):
        v = op._attrs.get(key)
        if v is None:
            continue
        if len(v) != rank:
            raise ShapeError("Sliding window %s field must specify %d dimensions" % (key, rank))
        if v[b] != 1 or v[c] != 1:
            raise ShapeError("Current implementation does not yet support %s in the batch and "
                             "depth dimensions." % key)
    if attr_str(op, "padding") == "EXPLICIT":
        flat = list(op._attrs.get("explicit_paddings") or [])
        if len(flat) != 2 * rank:
            raise ShapeError("explicit_paddings attribute must contain %d values, but got: %d"
                             % (2 * rank, len(flat)))
        if flat[2 * b] or flat[2 * b + 1] or flat[2 * c] or flat[2 * c + 1]:
            raise ShapeError("Nonzero explicit padding in the batch or depth dimensions is not "
                             "supported")
        if any(p < 0 for p in flat):
            raise ShapeError("All elements of explicit_paddings must be nonnegative")


def _with_rank(shape, rank):
    if shape.ndims is not None and shape.ndims != rank:
        raise ShapeError("Shape must be rank %d but is rank %d" % (rank, shape.ndims))
    return shape.as_list() if shape.ndims is not None else [None] * rank


def _merge(a, b):
    if a is not None and b is not None and a != b:
        raise ShapeError("Dimensions must be equal, but are %d and %d" % (a, b))
    return a if a is not None else b


def _assemble(fmt, rank, batch, spatial, channels):
    if fmt.startswith("NC"):
        return TS([batch, channels] + list(spatial))
    return TS([batch] + list(spatial) + [channels])


# --- Conv2D / Conv3D ---------------------------------------------------------------------------
def _conv_shape(op):
    x, w = op.inputs
    rank = 5 if op.type.startswith("Conv3D") else 4
    _check_attrs(op, rank)
    xs = _with_rank(x.shape, rank)
    ws = _with_rank(w.shape, rank)
    fmt = attr_str(op, "data_format")
    b, c, sp = layout(fmt, rank)
    _merge(xs[c], ws[-2])
    strides, dil, padding, explicit = spatial_attrs(op, rank)
    out, _ = window_geometry([xs[a] for a in sp], ws[:-2], strides, dil, padding, explicit)
    return [(x.dtype.base_dtype, _assemble(fmt, rank, xs[b], out, ws[-1]))]


def _conv_attrs(op, keep=("strides", "padding", "explicit_paddings", "data_format",
                          "dilations", "use_cudnn_on_gpu")):
    return {k: op._attrs[k] for k in keep if k in op._attrs}


def _conv_grads(forward, backprop_input, backprop_filter):
    """The gradients of a convolution family: each is built from the family's other two ops.

    conv(x, w) -> [input(shape(x), w, g), filter(x, shape(w), g)];
    input(sizes, w, dy) -> [None, filter(g, shape(w), dy), conv(g, w)];
    filter(x, sizes, dy) -> [input(shape(x), g, dy), None, conv(x, g)].
    """
    def conv_grad(op, g):
        x, w = op.inputs
        a = _conv_attrs(op)
        return [_make(backprop_input, [array_ops.shape(x), w, g], a),
                _make(backprop_filter, [x, array_ops.shape(w), g], a)]

    def input_grad(op, g):
        _, w, dy = op.inputs
        a = _conv_attrs(op)
        return [None, _make(backprop_filter, [g, array_ops.shape(w), dy], a),
                _make(forward, [g, w], a)]

    def filter_grad(op, g):
        x, _, dy = op.inputs
        a = _conv_attrs(op)
        return [_make(backprop_input, [array_ops.shape(x), g, dy], a), None,
                _make(forward, [x, g], a)]

    return conv_grad, input_grad, filter_grad


def _make(op_type, inputs, attrs, name=None):
    attrs = dict(attrs, T=inputs[-1].dtype.base_dtype)
    return registry.make_tensor(op_type, inputs, attrs, name=name or op_type)


def _sizes_shape(op):
    """Shape function of a backprop op: the shape given by its sizes input."""
    idx = 0 if op.type.endswith(("Input", "InputV2")) else 1
    rank = 5 if "3D" in op.type else 4
    _check_attrs(op, rank)
    shape = constant_op.constant_value_as_shape(op.inputs[idx], evaluate=True)
    if shape.ndims is None:
        shape = tensor_shape.unknown_shape(rank)
    elif shape.ndims != rank:
        raise ShapeError("Shape must be rank %d but is rank %d" % (rank, shape.ndims))
    return [(op.inputs[2].dtype.base_dtype, shape)]


for _family in (("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter"),
                ("Conv3D", "Conv3DBackpropInputV2", "Conv3DBackpropFilterV2")):
    _grads = _conv_grads(*_family)
    registry.register(_family[0], shape=_conv_shape, grad=_grads[0])
    registry.register(_family[1], shape=_sizes_shape, grad=_grads[1])
    registry.register(_family[2], shape=_sizes_shape, grad=_grads[2])


def _fmt_bytes(data_format, default):
    fmt = data_format or default
    return fmt.encode() if isinstance(fmt, str) else fmt


def _conv2d_attrs(strides, padding, explicit, data_format, dilations, use_cudnn_on_gpu=True):
    return {"strides": [int(s) for s in strides], "padding": padding.encode(),
            "explicit_paddings": list(explicit), "data_format": _fmt_bytes(data_format, "NHWC"),
            "dilations": [int(d) for d in dilations],
            "use_cudnn_on_gpu": bool(use_cudnn_on_gpu)}


def _pick(new, new_name, old, old_name):
    if new is not None and old is not None:
        raise ValueError("Cannot specify both '%s' and '%s'" % (new_name, old_name))
    return new if new is not None else old


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True,  # noqa: A002
           data_format="NHWC", dilations=(1, 1, 1, 1), name=None, filters=None):
    """2-D convolution of a 4-D `input` with a `[h, w, in, out]` filter (op `Conv2D`).

    Example:
        >>> y = tf.nn.conv2d(x, w, strides=[1, 2, 2, 1], padding="SAME")
    """
    filter = _pick(filters, "filters", filter, "filter")  # noqa: A001
    padding, explicit = convert_padding(padding)
    data_format = data_format or "NHWC"
    ci = 1 if data_format.startswith("NC") else 3
    strides = get_sequence(strides, 2, ci, "strides")
    dilations = get_sequence(dilations, 2, ci, "dilations")
    return apply1("Conv2D", [input, filter],
                  _conv2d_attrs(strides, padding, explicit, data_format, dilations,
                                use_cudnn_on_gpu), name=name, input_names=["input", "filter"])


def conv2d_backprop_input(input_sizes, filter=None, out_backprop=None, strides=None,  # noqa: A002
                          padding=None, use_cudnn_on_gpu=True, data_format="NHWC",
                          dilations=(1, 1, 1, 1), name=None, filters=None):
    """The gradient of conv2d with respect to its input (op `Conv2DBackpropInput`)."""
    filter = _pick(filters, "filters", filter, "filter")  # noqa: A001
    padding, explicit = convert_padding(padding)
    return _backprop_input("Conv2DBackpropInput", input_sizes, filter, out_backprop,
                           _conv2d_attrs(strides, padding, explicit, data_format, dilations,
                                         use_cudnn_on_gpu), name)


def _backprop_input(op_type, input_sizes, filter, out_backprop, attrs, name):  # noqa: A002
    g = graph_lib._graph_from_values([filter, out_backprop])
    with g.as_default(), g.name_scope(name or op_type) as scope:
        sizes = convert(input_sizes, dtype=dtypes.int32, name="input_sizes")
        filter = convert(filter, name="filter")  # noqa: A001
        dy = convert(out_backprop, dtype=filter.dtype.base_dtype, name="out_backprop")
        attrs = dict(attrs, T=filter.dtype.base_dtype)
        return registry.make_tensor(op_type, [sizes, filter, dy], attrs, name=scope)


def conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding,  # noqa: A002
                           use_cudnn_on_gpu=True, data_format="NHWC", dilations=(1, 1, 1, 1),
                           name=None):
    """The gradient of conv2d with respect to its filter (op `Conv2DBackpropFilter`)."""
    padding, explicit = convert_padding(padding)
    return _backprop_filter("Conv2DBackpropFilter", input, filter_sizes, out_backprop,
                            _conv2d_attrs(strides, padding, explicit, data_format, dilations,
                                          use_cudnn_on_gpu), name)


def _backprop_filter(op_type, input, filter_sizes, out_backprop, attrs, name):  # noqa: A002
    g = graph_lib._graph_from_values([input, out_backprop])
    with g.as_default(), g.name_scope(name or op_type) as scope:
        x = convert(input, name="input")
        sizes = convert(filter_sizes, dtype=dtypes.int32, name="filter_sizes")
        dy = convert(out_backprop, dtype=x.dtype.base_dtype, name="out_backprop")
        attrs = dict(attrs, T=x.dtype.base_dtype)
        return registry.make_tensor(op_type, [x, sizes, dy], attrs, name=scope)


def conv1d(value=None, filters=None, stride=None, padding=None, use_cudnn_on_gpu=None,
           data_format=None, name=None, input=None, dilations=None):  # noqa: A002
    """1-D convolution of `[batch, width, in]` with `[width, in, out]` filters (via Conv2D)."""
    value = _pick(input, "input", value, "value")
    g = graph_lib._graph_from_values([value, filters])
    with g.as_default(), g.name_scope(name or "conv1d") as scope:
        if data_format is None or data_format in ("NHWC", "NWC"):
            data_format, spatial_start, ci = "NHWC", -3, 2
        elif data_format in ("NCHW", "NCW"):
            data_format, spatial_start, ci = "NCHW", -2, 1
        else:
            raise ValueError("`data_format` must be 'NWC' or 'NCW'. Received: data_format=%s"
                             % data_format)
        strides = [1] + get_sequence(stride, 1, ci, "stride")
        dilations = [1] + get_sequence(dilations, 1, ci, "dilations")
        value = manip_ops.expand_dims(convert(value), spatial_start)
        filters = manip_ops.expand_dims(convert(filters), 0)
        padding, explicit = convert_padding(padding)
        y = apply1("Conv2D", [value, filters],
                   _conv2d_attrs(strides, padding, explicit, data_format, dilations,
                                 True if use_cudnn_on_gpu is None else use_cudnn_on_gpu),
                   name=scope, input_names=["input", "filter"])
        return manip_ops.squeeze(y, [spatial_start])


def _conv3d_attrs(strides, padding, data_format, dilations):
    padding, _ = convert_padding(padding)
    if padding == "EXPLICIT":
        raise ValueError("Conv3D does not support explicit padding")
    return {"strides": [int(s) for s in strides], "padding": padding.encode(),
            "data_format": _fmt_bytes(data_format, "NDHWC"),
            "dilations": [int(d) for d in dilations]}


def conv3d(input, filter=None, strides=None, padding=None, data_format="NDHWC",  # noqa: A002
           dilations=(1, 1, 1, 1, 1), name=None, filters=None):
    """3-D convolution of a 5-D `input` with a `[d, h, w, in, out]` filter (op `Conv3D`)."""
    filter = _pick(filters, "filters", filter, "filter")  # noqa: A001
    return apply1("Conv3D", [input, filter],
                  _conv3d_attrs(strides, padding, data_format, dilations),
                  name=name, input_names=["input", "filter"])


def conv3d_backprop_input_v2(input_sizes, filter, out_backprop, strides, padding,  # noqa: A002
                             data_format="NDHWC", dilations=(1, 1, 1, 1, 1), name=None):
    return _backprop_input("Conv3DBackpropInputV2", input_sizes, filter, out_backprop,
                           _conv3d_attrs(strides, padding, data_format, dilations), name)


def conv3d_backprop_filter_v2(input, filter_sizes, out_backprop, strides, padding,  # noqa: A002
                              data_format="NDHWC", dilations=(1, 1, 1, 1, 1), name=None):
    return _backprop_filter("Conv3DBackpropFilterV2", input, filter_sizes, out_backprop,
                            _conv3d_attrs(strides, padding, data_format, dilations), name)


conv3d_backprop_filter = conv3d_backprop_filter_v2


def _transpose_checks(value, filter, output_shape, axis, rank):  # noqa: A002
    if not value.shape[axis].is_compatible_with(filter.shape[rank - 1]):
        raise ValueError("input channels does not match filter's input channels, {} != {}".format(
            value.shape[axis], filter.shape[rank - 1]))
    out = convert(output_shape, dtype=dtypes.int32, name="output_shape")
    if not out.shape.is_compatible_with(TS([rank])):
        raise ValueError("output_shape must have shape ({},), got {}".format(rank, out.shape))
    if isinstance(output_shape, (list, tuple, np.ndarray)):
        dim = output_shape[axis]
        if not filter.shape[rank - 2].is_compatible_with(
                tensor_shape.Dimension(None if dim is None else int(dim))):
            raise ValueError("output_shape does not match filter's output channels, "
                             "{} != {}".format(dim, filter.shape[rank - 2]))
    return out


def conv2d_transpose(value=None, filter=None, output_shape=None, strides=None,  # noqa: A002
                     padding="SAME", data_format="NHWC", name=None, input=None, filters=None,
                     dilations=None):
    """The transpose of conv2d ("deconvolution"): `Conv2DBackpropInput` with `output_shape`.

    The filter is `[h, w, out_channels, in_channels]`.
    """
    value = _pick(input, "input", value, "value")
    filter = _pick(filters, "filters", filter, "filter")  # noqa: A001
    g = graph_lib._graph_from_values([value, filter, output_shape])
    with g.as_default(), g.name_scope(name or "conv2d_transpose") as scope:
        value = convert(value, name="value")
        filter = convert(filter, name="filter")  # noqa: A001
        data_format = data_format or "NHWC"
        ci = 1 if data_format.startswith("NC") else 3
        out = _transpose_checks(value, filter, output_shape, ci, 4)
        strides = get_sequence(strides, 2, ci, "strides")
        dilations = get_sequence(dilations, 2, ci, "dilations")
        padding, explicit = convert_padding(padding)
        attrs = _conv2d_attrs(strides, padding, explicit, data_format, dilations)
        attrs["T"] = filter.dtype.base_dtype
        return registry.make_tensor("Conv2DBackpropInput", [out, filter, value], attrs,
                                    name=scope)


def conv3d_transpose(value=None, filter=None, output_shape=None, strides=None,  # noqa: A002
                     padding="SAME", data_format="NDHWC", name=None, input=None, filters=None,
                     dilations=None):
    """The transpose of conv3d: `Conv3DBackpropInputV2` with `output_shape`."""
    value = _pick(input, "input", value, "value")
    filter = _pick(filters, "filters", filter, "filter")  # noqa: A001
    g = graph_lib._graph_from_values([value, filter, output_shape])
    with g.as_default(), g.name_scope(name or "conv3d_transpose") as scope:
        value = convert(value, name="value")
        filter = convert(filter, name="filter")  # noqa: A001
        data_format = data_format or "NDHWC"
        ci = 1 if data_format.startswith("NC") else 4
        out = _transpose_checks(value, filter, output_shape, ci, 5)
        strides = get_sequence(strides, 3, ci, "strides")
        dilations = get_sequence(dilations, 3, ci, "dilations")
        attrs = _conv3d_attrs(strides, padding, data_format, dilations)
        attrs["T"] = filter.dtype.base_dtype
        return registry.make_tensor("Conv3DBackpropInputV2", [out, filter, value], attrs,
                                    name=scope)


def convolution(input, filter=None, padding=None, strides=None, dilation_rate=None,  # noqa: A002
                name=None, data_format=None, filters=None, dilations=None):
    """N-D convolution (1, 2 or 3 spatial dims chosen by the filter's rank), with dilation."""
    filter = _pick(filters, "filters", filter, "filter")  # noqa: A001
    dilation_rate = _pick(dilations, "dilations", dilation_rate, "dilation_rate")
    g = graph_lib._graph_from_values([input, filter])
    with g.as_default(), g.name_scope(name or "convolution") as scope:
        x = convert(input, name="input")
        w = convert(filter, name="filter")
        n = (w.shape.ndims or x.shape.ndims or 0) - 2
        if n not in (1, 2, 3):
            raise ValueError("`num_spatial_dims` must be 1, 2, or 3. Received: "
                             "num_spatial_dims=%d." % n)
        channels_first = data_format is not None and data_format.startswith("NC")
        ci = 1 if channels_first else n + 1
        strides = get_sequence(strides, n, ci, "strides")
        dilation_rate = get_sequence(dilation_rate, n, ci, "dilations")
        if n == 1:
            sl = slice(2, None) if channels_first else slice(1, -1)
            return conv1d(x, w, strides[sl], padding, data_format=data_format,
                          dilations=dilation_rate[sl], name=scope)
        if n == 2:
            return conv2d(x, w, strides, padding, data_format=data_format or "NHWC",
                          dilations=dilation_rate, name=scope)
        return conv3d(x, w, strides, padding, data_format=data_format or "NDHWC",
                      dilations=dilation_rate, name=scope)


def atrous_conv2d(value, filters, rate, padding, name=None):
    """Dilated ("atrous") 2-D convolution with stride 1 and dilation `rate`."""
    return convolution(value, filters, padding, dilation_rate=np.broadcast_to(rate, (2,)).tolist(),
                       name=name)


def atrous_conv2d_transpose(value, filters, output_shape, rate, padding, name=None):
    """The transpose of atrous_conv2d (filter `[h, w, out_channels, in_channels]`)."""
    g = graph_lib._graph_from_values([value, filters, output_shape])
    with g.as_default(), g.name_scope(name or "atrous_conv2d_transpose") as scope:
        value = convert(value, name="value")
        filters = convert(filters, name="filters")
        if rate < 1:
            raise ValueError("rate {} cannot be less than one".format(rate))
        out = convert(output_shape, dtype=dtypes.int32, name="output_shape")
        attrs = _conv2d_attrs([1, 1, 1, 1], convert_padding(padding)[0], [], "NHWC",
                              [1, rate, rate, 1])
        attrs["T"] = filters.dtype.base_dtype
        return registry.make_tensor("Conv2DBackpropInput", [out, filters, value], attrs,
                                    name=scope)


# --- depthwise and separable -----------------------------------------------------------------
def _depthwise_shape(op):
    x, w = op.inputs
    _check_attrs(op, 4)
    xs, ws = _with_rank(x.shape, 4), _with_rank(w.shape, 4)
    fmt = attr_str(op, "data_format")
    b, c, sp = layout(fmt, 4)
    _merge(xs[c], ws[2])
    strides, dil, padding, explicit = spatial_attrs(op, 4)
    out, _ = window_geometry([xs[a] for a in sp], ws[:2], strides, dil, padding, explicit)
    depth = None if ws[2] is None or ws[3] is None else ws[2] * ws[3]
    return [(x.dtype.base_dtype, _assemble(fmt, 4, xs[b], out, depth))]


_grads = _conv_grads("DepthwiseConv2dNative", "DepthwiseConv2dNativeBackpropInput",
                     "DepthwiseConv2dNativeBackpropFilter")
registry.register("DepthwiseConv2dNative", shape=_depthwise_shape, grad=_grads[0])
registry.register("DepthwiseConv2dNativeBackpropInput", shape=_sizes_shape, grad=_grads[1])
registry.register("DepthwiseConv2dNativeBackpropFilter", shape=_sizes_shape, grad=_grads[2])


def _depthwise_attrs(strides, padding, data_format, dilations):
    padding, explicit = convert_padding(padding)
    return {"strides": [int(s) for s in strides], "padding": padding.encode(),
            "explicit_paddings": explicit, "data_format": _fmt_bytes(data_format, "NHWC"),
            "dilations": [int(d) for d in (dilations or [1, 1, 1, 1])]}


def depthwise_conv2d_native(input, filter, strides, padding, data_format="NHWC",  # noqa: A002
                            dilations=(1, 1, 1, 1), name=None):
    """Per-channel 2-D convolution with a `[h, w, in, multiplier]` filter."""
    return apply1("DepthwiseConv2dNative", [input, filter],
                  _depthwise_attrs(strides, padding, data_format, dilations), name=name,
                  input_names=["input", "filter"])


def depthwise_conv2d_native_backprop_input(input_sizes, filter, out_backprop, strides,  # noqa
                                           padding, data_format="NHWC",
                                           dilations=(1, 1, 1, 1), name=None):
    return _backprop_input("DepthwiseConv2dNativeBackpropInput", input_sizes, filter,
                           out_backprop, _depthwise_attrs(strides, padding, data_format,
                                                          dilations), name)


def depthwise_conv2d_native_backprop_filter(input, filter_sizes, out_backprop, strides,  # noqa
                                            padding, data_format="NHWC",
                                            dilations=(1, 1, 1, 1), name=None):
    return _backprop_filter("DepthwiseConv2dNativeBackpropFilter", input, filter_sizes,
                            out_backprop, _depthwise_attrs(strides, padding, data_format,
                                                           dilations), name)


def _rate_dilations(rate, data_format):
    rate = [1, 1] if rate is None else [int(r) for r in np.broadcast_to(rate, (2,))]
    return [1, 1] + rate if data_format == "NCHW" else [1] + rate + [1]


def depthwise_conv2d(input, filter, strides, padding, rate=None, name=None,  # noqa: A002
                     data_format=None, dilations=None):
    """Depthwise 2-D convolution: each input channel gets its own `multiplier` filters."""
    rate = _pick(dilations, "dilations", rate, "rate")
    g = graph_lib._graph_from_values([input, filter])
    with g.as_default(), g.name_scope(name or "depthwise") as scope:
        x = convert(input, name="tensor_in")
        w = convert(filter, name="filter_in")
        return depthwise_conv2d_native(x, w, strides, padding, data_format=data_format,
                                       dilations=_rate_dilations(rate, data_format), name=scope)


def separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding,  # noqa: A002
                     rate=None, name=None, data_format=None, dilations=None):
    """A depthwise convolution followed by a 1x1 (pointwise) convolution."""
    rate = _pick(dilations, "dilations", rate, "rate")
    g = graph_lib._graph_from_values([input, depthwise_filter, pointwise_filter])
    with g.as_default(), g.name_scope(name or "separable_conv2d") as scope:
        x = convert(input, name="tensor_in")
        dw = convert(depthwise_filter, name="depthwise_filter")
        pw = convert(pointwise_filter, name="pointwise_filter")
        ps = _with_rank(pw.shape, 4) if pw.shape.ndims is not None else [None] * 4
        if (ps[0] not in (None, 1)) or (ps[1] not in (None, 1)):
            raise ValueError("pointwise_filter must be [1, 1, in, out], got %s" % pw.shape)
        depthwise = depthwise_conv2d_native(x, dw, strides, padding, data_format=data_format,
                                            dilations=_rate_dilations(rate, data_format),
                                            name="depthwise")
        return conv2d(depthwise, pw, [1, 1, 1, 1], padding="VALID",
                      data_format=data_format or "NHWC", name=scope)
