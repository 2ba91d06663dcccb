"""Pooling: max/avg pool in 1, 2 and 3 spatial dims, max_pool_with_argmax, and their grad ops.

`MaxPoolGrad` routes each output gradient to the first maximum of its window (row-major order),
as TensorFlow does; `AvgPoolGrad` spreads it over the window's valid (unpadded) elements.
"""

import collections

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, constant_op, manip_ops, registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.conv_ops import (
    _assemble,
    _check_attrs,
    _with_rank,
    attr_str,
    convert_padding,
    get_sequence,
    layout,
    spatial_attrs,
    window_geometry,
)
from tensorflux.ops.registry import ShapeError

TS = tensor_shape.TensorShape


def _rank(op):
    return 5 if "3D" in op.type else 4


def _check_ksize(op, rank):
    ks = op._attrs["ksize"]
    if len(ks) != rank:
        raise ShapeError("Sliding window ksize field must specify %d dimensions" % rank)
    b, c, _ = layout(attr_str(op, "data_format"), rank)
    if ks[b] != 1 or ks[c] != 1:
        raise ShapeError("Pooling is not yet supported on the batch nor depth dimension.")
    if any(k <= 0 for k in ks):
        raise ShapeError("Sliding window ksize for dimension must be positive")


def pool_output_shape(op, x_shape):
    rank = _rank(op)
    _check_attrs(op, rank)
    _check_ksize(op, rank)
    xs = _with_rank(x_shape, rank)
    fmt = attr_str(op, "data_format")
    b, c, sp = layout(fmt, rank)
    strides, _, padding, explicit = spatial_attrs(op, rank)
    ks = [op._attrs["ksize"][a] for a in sp]
    out, _ = window_geometry([xs[a] for a in sp], ks, strides, [1] * len(sp), padding, explicit)
    return _assemble(fmt, rank, xs[b], out, xs[c])


def _pool_shape(op):
    x = op.inputs[0]
    return [(x.dtype.base_dtype, pool_output_shape(op, x.shape))]


def _pool_attrs(op):
    return {k: op._attrs[k] for k in ("ksize", "strides", "padding", "explicit_paddings",
                                       "data_format") if k in op._attrs}


def _make(op_type, inputs, attrs):
    attrs = dict(attrs, T=inputs[-1].dtype.base_dtype)
    return registry.make_tensor(op_type, inputs, attrs, name=op_type)


def _max_pool_grad(op, g):
    grad_type = "MaxPool3DGrad" if op.type == "MaxPool3D" else "MaxPoolGrad"
    return [_make(grad_type, [op.inputs[0], op.outputs[0], g], _pool_attrs(op))]


def _max_pool_grad_grad(op, g):
    gg_type = "MaxPool3DGradGrad" if op.type == "MaxPool3DGrad" else "MaxPoolGradGrad"
    return [array_ops.zeros_like(op.inputs[0]), array_ops.zeros_like(op.inputs[1]),
            _make(gg_type, [op.inputs[0], op.inputs[1], g], _pool_attrs(op))]


def _max_pool_grad_grad_grad(op, g):
    grad_type = "MaxPool3DGrad" if op.type == "MaxPool3DGradGrad" else "MaxPoolGrad"
    return [array_ops.zeros_like(op.inputs[0]), array_ops.zeros_like(op.inputs[1]),
            _make(grad_type, [op.inputs[0], op.inputs[1], g], _pool_attrs(op))]


def _avg_pool_grad(op, g):
    grad_type = "AvgPool3DGrad" if op.type == "AvgPool3D" else "AvgPoolGrad"
    return [_make(grad_type, [array_ops.shape(op.inputs[0]), g], _pool_attrs(op))]


def _avg_pool_grad_grad(op, g):
    fwd = "AvgPool3D" if op.type == "AvgPool3DGrad" else "AvgPool"
    return [array_ops.stop_gradient(op.inputs[0]), _make(fwd, [g], _pool_attrs(op))]


def _grad_shape(op):
    """MaxPoolGrad: the shape of orig_input (checking the output gradient's shape)."""
    x = op.inputs[0]
    return [(x.dtype.base_dtype, x.shape)]


def _grad_grad_shape(op):
    x, y = op.inputs[0], op.inputs[1]
    return [(x.dtype.base_dtype, y.shape.merge_with(pool_output_shape(op, x.shape))
             if y.shape.is_compatible_with(pool_output_shape(op, x.shape)) else y.shape)]


def _avg_grad_shape(op):
    shape = constant_op.constant_value_as_shape(op.inputs[0], evaluate=True)
    if shape.ndims is None:
        shape = tensor_shape.unknown_shape(_rank(op))
    return [(op.inputs[1].dtype.base_dtype, shape)]


for _sfx in ("", "3D"):
    registry.register("MaxPool" + _sfx, shape=_pool_shape, grad=_max_pool_grad)
    registry.register("AvgPool" + _sfx, shape=_pool_shape, grad=_avg_pool_grad)
    registry.register("MaxPool%sGrad" % _sfx, shape=_grad_shape, grad=_max_pool_grad_grad)
    registry.register("MaxPool%sGradGrad" % _sfx, shape=_grad_grad_shape,
                      grad=_max_pool_grad_grad_grad)
    registry.register("AvgPool%sGrad" % _sfx, shape=_avg_grad_shape, grad=_avg_pool_grad_grad)


def _argmax_shape(op):
    x = op.inputs[0]
    out = pool_output_shape(op, x.shape)
    return [(x.dtype.base_dtype, out), (op._attrs["Targmax"], out)]


def _argmax_grad(op, g, unused_argmax_grad):
    attrs = dict(_pool_attrs(op), include_batch_in_index=op._attrs["include_batch_in_index"],
                 Targmax=op._attrs["Targmax"])
    attrs["T"] = g.dtype.base_dtype
    return [registry.make_tensor("MaxPoolGradWithArgmax", [op.inputs[0], g, op.outputs[1]],
                                 attrs, name="MaxPoolGradWithArgmax")]


def _grad_with_argmax_grad(op, g):
    attrs = dict(_pool_attrs(op), include_batch_in_index=op._attrs["include_batch_in_index"],
                 Targmax=op._attrs["Targmax"], T=g.dtype.base_dtype)
    return [array_ops.zeros_like(op.inputs[0]),
            registry.make_tensor("MaxPoolGradGradWithArgmax", [op.inputs[0], g, op.inputs[2]],
                                 attrs, name="MaxPoolGradGradWithArgmax"), None]


registry.register("MaxPoolWithArgmax", shape=_argmax_shape, grad=_argmax_grad)
registry.register("MaxPoolGradWithArgmax", shape=_grad_shape, grad=_grad_with_argmax_grad)
registry.register("MaxPoolGradGradWithArgmax",
                  shape=lambda op: [(op.inputs[0].dtype.base_dtype, op.inputs[2].shape)],
                  grad=registry.NOT_DIFFERENTIABLE)


# --- public wrappers -----------------------------------------------------------------------------
def _attrs(ksize, strides, padding, data_format, n, default_fmt, allow_explicit=True):
    data_format = data_format or default_fmt
    ci = 1 if data_format.startswith("NC") else n + 1
    ksize = get_sequence(ksize, n, ci, "ksize")
    if any(k == 0 for k in ksize):
        raise ValueError("`ksize` cannot be zero. Received: ksize=%s" % ksize)
    strides = get_sequence(strides, n, ci, "strides")
    padding, explicit = convert_padding(padding, n + 2)
    if padding == "EXPLICIT" and not allow_explicit:
        raise ValueError("Explicit padding is not supported for this pooling op")
    attrs = {"ksize": ksize, "strides": strides, "padding": padding.encode(),
             "data_format": data_format.encode()}
    if allow_explicit:
        attrs["explicit_paddings"] = explicit
    return attrs


def _pool(op_type, value, attrs, name, default_name):
    g = graph_lib._graph_from_values([value])
    with g.as_default(), g.name_scope(name or default_name) as scope:
        x = convert(value, name="input")
        attrs = dict(attrs, T=x.dtype.base_dtype)
        return registry.make_tensor(op_type, [x], attrs, name=scope)


def _pick(new, new_name, old, old_name):
    if new is not None and old is not None:
        raise ValueError("Cannot specify both '%s' and '%s'" % (new_name, old_name))
    return new if new is not None else old


def max_pool(value=None, ksize=None, strides=None, padding=None, data_format="NHWC", name=None,
             input=None):  # noqa: A002 - TF's keyword
    """2-D max pooling (op `MaxPool`); SAME pads with -inf, so padding never wins.

    Example:
        >>> h = tf.nn.max_pool(x, [1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    """
    value = _pick(input, "input", value, "value")
    return _pool("MaxPool", value, _attrs(ksize, strides, padding, data_format, 2, "NHWC"),
                 name, "MaxPool")


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    return _pool("MaxPool", input, _attrs(ksize, strides, padding, data_format, 2, "NHWC"),
                 name, "MaxPool2d")


def avg_pool(value=None, ksize=None, strides=None, padding=None, data_format="NHWC", name=None,
             input=None):  # noqa: A002 - TF's keyword
    """2-D average pooling (op `AvgPool`); SAME windows average only their valid elements."""
    value = _pick(input, "input", value, "value")
    return _pool("AvgPool", value, _attrs(ksize, strides, padding, data_format, 2, "NHWC",
                                          allow_explicit=False), name, "AvgPool")


avg_pool2d = avg_pool  # TF1's tf.nn.avg_pool2d is avg_pool itself


def max_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    """3-D max pooling (op `MaxPool3D`)."""
    return _pool("MaxPool3D", input, _attrs(ksize, strides, padding, data_format, 3, "NDHWC",
                                            allow_explicit=False), name, "MaxPool3D")


def avg_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    """3-D average pooling (op `AvgPool3D`)."""
    return _pool("AvgPool3D", input, _attrs(ksize, strides, padding, data_format, 3, "NDHWC",
                                            allow_explicit=False), name, "AvgPool3D")


def _pool1d(op_type, default_name, input, ksize, strides, padding, data_format,  # noqa: A002
            name):
    g = graph_lib._graph_from_values([input])
    with g.as_default(), g.name_scope(name or default_name) as scope:
        data_format = data_format or "NWC"
        ci = 1 if data_format.startswith("NC") else 2
        ksize = [1] + get_sequence(ksize, 1, ci, "ksize")
        strides = [1] + get_sequence(strides, 1, ci, "strides")
        padding, explicit = convert_padding(padding, 3)
        if padding == "EXPLICIT":
            if op_type != "MaxPool":
                raise ValueError("Explicit padding is not supported for average pooling")
            explicit = [0, 0] + explicit
        expanding_dim = 1 if data_format == "NWC" else 2
        fmt = "NHWC" if data_format == "NWC" else "NCHW"
        x = manip_ops.expand_dims(convert(input, name="input"), expanding_dim)
        attrs = {"ksize": ksize, "strides": strides, "padding": padding.encode(),
                 "data_format": fmt.encode(), "T": x.dtype.base_dtype}
        if op_type == "MaxPool":
            attrs["explicit_paddings"] = explicit
        y = registry.make_tensor(op_type, [x], attrs, name=scope)
        return manip_ops.squeeze(y, [expanding_dim])


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    """1-D max pooling of `[batch, width, channels]` (a MaxPool over an added height axis)."""
    return _pool1d("MaxPool", "MaxPool1d", input, ksize, strides, padding, data_format, name)


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    """1-D average pooling of `[batch, width, channels]`."""
    return _pool1d("AvgPool", "AvgPool1D", input, ksize, strides, padding, data_format, name)


def max_pool_v2(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    """N-D max pooling chosen by the input's rank (TF2's `tf.nn.max_pool`)."""
    x = convert(input)
    n = (x.shape.ndims or len(data_format or "")) - 2
    if n not in (1, 2, 3):
        raise ValueError("`input.shape.rank` must be 3, 4 or 5. Received: input.shape=%s of "
                         "rank %d." % (x.shape, n + 2))
    fn = {1: max_pool1d, 2: max_pool2d, 3: max_pool3d}[n]
    return fn(x, ksize, strides, padding, data_format=data_format, name=name)


def avg_pool_v2(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    """N-D average pooling chosen by the input's rank (TF2's `tf.nn.avg_pool`)."""
    x = convert(input)
    n = (x.shape.ndims or len(data_format or "")) - 2
    if n not in (1, 2, 3):
        raise ValueError("`input.shape.rank` must be 3, 4 or 5. Received: input.shape=%s of "
                         "rank %d." % (x.shape, n + 2))
    if n == 2:
        return _pool("AvgPool", x, _attrs(ksize, strides, padding, data_format, 2, "NHWC",
                                          allow_explicit=False), name, "AvgPool")
    fn = {1: avg_pool1d, 3: avg_pool3d}[n]
    return fn(x, ksize, strides, padding, data_format=data_format, name=name)


_MaxPoolWithArgmaxOutput = collections.namedtuple("MaxPoolWithArgmax", ["output", "argmax"])


def max_pool_with_argmax(input, ksize, strides, padding, data_format="NHWC",  # noqa: A002
                         Targmax=None, name=None, output_dtype=None,  # noqa: N803
                         include_batch_in_index=False):
    """Max pooling that also returns the flat index of each maximum.

    The index of `[b, y, x, c]` is `((b * height + y) * width + x) * channels + c`, without the
    batch term unless `include_batch_in_index`.
    """
    if data_format != "NHWC":
        raise ValueError("`data_format` values other  than 'NHWC' are not supported. Received: "
                         "data_format=%s" % data_format)
    targmax = dtypes.as_dtype(_pick(output_dtype, "output_dtype", Targmax, "Targmax") or
                              dtypes.int64)
    attrs = _attrs(ksize, strides, padding, "NHWC", 2, "NHWC", allow_explicit=False)
    attrs.update(Targmax=targmax, include_batch_in_index=bool(include_batch_in_index))
    g = graph_lib._graph_from_values([input])
    with g.as_default(), g.name_scope(name or "MaxPoolWithArgmax") as scope:
        x = convert(input, name="input")
        attrs["T"] = x.dtype.base_dtype
        op = registry.make_op("MaxPoolWithArgmax", [x], attrs, name=scope)
        return _MaxPoolWithArgmaxOutput(op._outputs[0], op._outputs[1])


def max_pool_grad(orig_input, orig_output, grad, ksize, strides, padding, data_format="NHWC",
                  name=None, explicit_paddings=()):
    """The gradient of max_pool as an op (`MaxPoolGrad`)."""
    padding = padding.decode() if isinstance(padding, bytes) else padding
    attrs = {"ksize": list(ksize), "strides": list(strides), "padding": padding.encode(),
             "explicit_paddings": list(explicit_paddings),
             "data_format": _fmt(data_format)}
    g = graph_lib._graph_from_values([orig_input, orig_output, grad])
    with g.as_default(), g.name_scope(name or "MaxPoolGrad") as scope:
        x = convert(orig_input, name="orig_input")
        y = convert(orig_output, dtype=x.dtype.base_dtype, name="orig_output")
        grad = convert(grad, dtype=x.dtype.base_dtype, name="grad")
        attrs["T"] = x.dtype.base_dtype
        return registry.make_tensor("MaxPoolGrad", [x, y, grad], attrs, name=scope)


def avg_pool_grad(orig_input_shape, grad, ksize, strides, padding, data_format="NHWC",
                  name=None):
    """The gradient of avg_pool as an op (`AvgPoolGrad`)."""
    padding = padding.decode() if isinstance(padding, bytes) else padding
    g = graph_lib._graph_from_values([grad])
    with g.as_default(), g.name_scope(name or "AvgPoolGrad") as scope:
        shape = convert(orig_input_shape, dtype=dtypes.int32, name="orig_input_shape")
        grad = convert(grad, name="grad")
        attrs = {"ksize": list(ksize), "strides": list(strides), "padding": padding.encode(),
                 "data_format": _fmt(data_format), "T": grad.dtype.base_dtype}
        return registry.make_tensor("AvgPoolGrad", [shape, grad], attrs, name=scope)


def _fmt(data_format):
    return data_format if isinstance(data_format, bytes) else (data_format or "NHWC").encode()


def pool(input, window_shape, pooling_type, padding, dilation_rate=None, strides=None,  # noqa
         name=None, data_format=None, dilations=None):
    """N-D ("MAX" or "AVG") pooling over 1 to 3 spatial dims (`tf.nn.pool`), without dilation."""
    dilation_rate = _pick(dilations, "dilations", dilation_rate, "dilation_rate")
    n = len(window_shape)
    if n < 1 or n > 3:
        raise ValueError("`len(window_shape)` must be 1, 2, or 3. Received: window_shape=%s of "
                         "length %d" % (window_shape, n))
    strides = [1] * n if strides is None else [int(s) for s in strides]
    if dilation_rate is not None and any(int(d) != 1 for d in dilation_rate):
        raise NotImplementedError("tf.nn.pool with dilation_rate > 1 is not supported")
    if any(s > w for s, w in zip(strides, window_shape)):
        raise ValueError("`strides` > `window_shape` not supported due to inconsistency between "
                         "CPU and GPU implementations. Received: strides=%s and window_shape=%s"
                         % (strides, window_shape))
    if pooling_type not in ("MAX", "AVG"):
        raise ValueError("%d-D %s pooling is not supported." % (n, pooling_type))
    g = graph_lib._graph_from_values([input])
    with g.as_default(), g.name_scope(name or "%s_pool" % pooling_type.lower()) as scope:
        x = convert(input, name="input")
        if x.shape.ndims is not None and x.shape.ndims != n + 2:
            raise ValueError("Shape %s must have rank %d" % (x.shape, n + 2))
        if n == 1:
            fn = max_pool1d if pooling_type == "MAX" else avg_pool1d
            return fn(x, window_shape, strides, padding, data_format=data_format or "NWC",
                      name=scope)
        if n == 2:
            op_type = "MaxPool" if pooling_type == "MAX" else "AvgPool"
            attrs = _attrs(window_shape, strides, padding, data_format, 2, "NHWC",
                           allow_explicit=False)
        else:
            op_type = "MaxPool3D" if pooling_type == "MAX" else "AvgPool3D"
            attrs = _attrs(window_shape, strides, padding, data_format, 3, "NDHWC",
                           allow_explicit=False)
        if op_type == "MaxPool":
            attrs["explicit_paddings"] = []
        attrs["T"] = x.dtype.base_dtype
        return registry.make_tensor(op_type, [x], attrs, name=scope)
