"""Grayscale morphology: `tf.nn.dilation2d` (op Dilation2D), `tf.nn.erosion2d` and the gradients.

Dilation is max-plus "convolution": each output is the max over a (dilated, strided) window of
`input + filter`, per channel; padding never wins. Erosion is dilation of the negated input by
the mirrored filter, negated (TF builds it exactly so). The gradient of the max goes to the first
maximum of each window in row-major filter order; the two backprop ops take the forward inputs
and recompute it. Kernels: backends/*/morphology_ops.py.
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import registry
from tensorflux.ops._helpers import convert
from tensorflux.ops.registry import ShapeError

TS = tensor_shape.TensorShape

# TF's Dilation2D accepts the real number types.
ALLOWED = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.uint8, dtypes.int16, dtypes.int8,
           dtypes.int64, dtypes.bfloat16, dtypes.uint16, dtypes.float16, dtypes.uint32,
           dtypes.uint64)


def geometry(size, k, stride, rate, padding):
    """(output size, padding before) of one spatial dim, as TF's windowed-output rule gives it.

    The effective window is `(k - 1) * rate + 1`; SAME puts the odd padding element after. An
    unknown size (None) gives an unknown output size.
    """
    if size is None or k is None:
        return None, 0
    eff = (k - 1) * rate + 1
    if padding == "VALID":
        out = int((size - eff + stride) / stride)  # C's division: truncates toward zero
        if out < 0:
            raise ShapeError("Computed output size would be negative: %d [input_size: %d, "
                             "effective_filter_size: %d, stride: %d]" % (out, size, eff, stride))
        return out, 0
    out = (size + stride - 1) // stride
    return out, max(0, (out - 1) * stride + eff - size) // 2


def _with_rank(shape, rank):
    if shape.ndims is None:
        return [None] * rank
    if shape.ndims != rank:
        raise ShapeError("Shape must be rank %d but is rank %d" % (rank, shape.ndims))
    return shape.as_list()


def _dilation_shape(op):
    x, w = _with_rank(op.inputs[0].shape, 4), _with_rank(op.inputs[1].shape, 3)
    if x[3] is not None and w[2] is not None and x[3] != w[2]:
        raise ShapeError("Dimensions must be equal, but are %d and %d" % (x[3], w[2]))
    strides, rates = op._attrs["strides"], op._attrs["rates"]
    padding = _padding(op)
    out = [None, None]
    # TF infers the spatial sizes only when all four are known, and the depth from the filter.
    if None not in x[1:3] + w[:2]:
        out = [geometry(x[i + 1], w[i], strides[i + 1], rates[i + 1], padding)[0]
               for i in (0, 1)]
    return [(op.inputs[0].dtype.base_dtype, TS([x[0]] + out + [w[2]]))]


def _padding(op):
    padding = op._attrs["padding"]
    return padding.decode() if isinstance(padding, bytes) else padding


def _backprop_attrs(op):
    return {k: op._attrs[k] for k in ("T", "strides", "rates", "padding")}


def _dilation_grad(op, grad):
    """TF's rule: both gradients from the forward inputs and the output gradient."""
    inputs = [op.inputs[0], op.inputs[1], grad]
    attrs = _backprop_attrs(op)
    return [registry.make_tensor("Dilation2DBackpropInput", inputs, attrs,
                                 name="Dilation2DBackpropInput"),
            registry.make_tensor("Dilation2DBackpropFilter", inputs, attrs,
                                 name="Dilation2DBackpropFilter")]


def _backprop_shape(which):
    def shape(op):
        _dilation_shape(op)  # the same input checks as the forward op
        t = op.inputs[which]
        return [(t.dtype.base_dtype, t.shape)]
    return shape


registry.register("Dilation2D", shape=_dilation_shape, grad=_dilation_grad)
# TF registers no gradient for the two backprop ops.
registry.register("Dilation2DBackpropInput", shape=_backprop_shape(0),
                  grad=registry.NOT_DIFFERENTIABLE)
registry.register("Dilation2DBackpropFilter", shape=_backprop_shape(1),
                  grad=registry.NOT_DIFFERENTIABLE)


def _list_attr(value, what):
    value = [int(v) for v in value]
    if len(value) < 4:
        raise ValueError("Attr '%s' of 'Dilation2D' Op passed list of length %d less than "
                         "minimum 4." % (what, len(value)))
    return value


def _padding_attr(padding):
    padding = padding.decode() if isinstance(padding, bytes) else padding
    if padding not in ("SAME", "VALID"):
        raise ValueError("Attr 'padding' of 'Dilation2D' Op passed string '%s' not in: \"SAME\", "
                         "\"VALID\"." % (padding,))
    return padding.encode()


def _pick(new, new_name, old, old_name):
    if new is not None and old is not None:
        raise ValueError("Cannot specify both '%s' and '%s'." % (old_name, new_name))
    return new if new is not None else old


def _dilation(input, filter, strides, rates, padding, name):  # noqa: A002 - TF's names
    attrs = {"strides": _list_attr(strides, "strides"), "rates": _list_attr(rates, "rates"),
             "padding": _padding_attr(padding)}
    g = graph_lib._graph_from_values([input, filter])
    with g.as_default(), g.name_scope(name or "Dilation2D") as scope:
        x = convert(input, name="input")
        dtype = x.dtype.base_dtype
        if dtype not in ALLOWED:
            raise TypeError("Value passed to parameter 'input' has DataType %s not in list of "
                            "allowed values: %s" % (dtype.name, ", ".join(d.name for d in ALLOWED)))
        w = convert(filter, dtype=None if hasattr(filter, "dtype") else dtype, name="filter")
        if w.dtype.base_dtype != dtype:
            raise TypeError("Input 'filter' of 'Dilation2D' Op has type %s that does not match "
                            "type %s of argument 'input'." % (w.dtype.base_dtype.name, dtype.name))
        attrs["T"] = dtype
        return registry.make_tensor("Dilation2D", [x, w], attrs, name=scope)


def dilation2d(input=None, filter=None, strides=None, rates=None, padding=None,  # noqa: A002
               name=None, filters=None, dilations=None):
    """Grayscale dilation of a `[batch, H, W, C]` batch by a `[kh, kw, C]` structuring function.

    `output[b, y, x, c] = max_{dy, dx} input[b, y*sy + rh*dy, x*sx + rw*dx, c] + filter[dy, dx, c]`
    over the in-image positions. `strides` and `rates` are 4-element lists (`[1, s, s, 1]`);
    `filters` and `dilations` are TF 2's names for `filter` and `rates`.

    Example:
        >>> y = tf.nn.dilation2d(images, tf.zeros([3, 3, 1]), [1, 1, 1, 1], [1, 1, 1, 1], "SAME")
    """
    filter = _pick(filters, "filters", filter, "filter")  # noqa: A001
    rates = _pick(dilations, "dilations", rates, "rates")
    return _dilation(input, filter, strides, rates, padding, name)


def erosion2d(value, kernel, strides, rates, padding, name=None):
    """Grayscale erosion: `-dilation2d(-value, reverse(kernel, [0, 1]))`, as TF builds it.

    Example:
        >>> y = tf.nn.erosion2d(images, tf.zeros([3, 3, 1]), [1, 1, 1, 1], [1, 1, 1, 1], "SAME")
    """
    from tensorflux.ops import manip_ops, math_ops

    with graph_lib.name_scope(name, "erosion2d", [value, kernel]) as scope:
        negated = math_ops.negative(value)
        mirrored = manip_ops.reverse_v2(kernel, [0, 1])
        dilated = _dilation(negated, mirrored, strides, rates, padding, scope)
        return math_ops.negative(dilated)
