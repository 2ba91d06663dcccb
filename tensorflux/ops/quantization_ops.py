"""Fake quantization and quantize/dequantize ops (`tf.quantization.*`).

FakeQuant* ops round a float tensor onto the grid of `2**num_bits` levels spanning [min, max]
after TF's *nudging*: the range is shifted so that 0.0 is exactly one of the levels (zero
padding stays exact once the model runs on integers). Their gradients are straight-through:
the incoming gradient passes for inputs inside the nudged range, and (for the *Vars ops) the
gradient of inputs clamped below / above the range goes to `min` / `max`.

QuantizeAndDequantizeV2/V3 simulate signed or unsigned integer rounding (TF 1.x gradient:
pass the gradient to the input unchanged). QuantizeV2/Dequantize convert between float and the
quantized dtypes (quint8, qint8, qint32, ...) in the MIN_COMBINED, MIN_FIRST and SCALED modes.
"""

import collections

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import registry
from tensorflux.ops._helpers import apply, convert
from tensorflux.ops.registry import ShapeError

_FLOAT_SCALAR = (dtypes.float32, tensor_shape.TensorShape([]))


def _with_rank(shape, rank, what="Shape"):
    if shape.ndims is not None and shape.ndims != rank:
        raise ShapeError("%s must be rank %d but is rank %d" % (what, rank, shape.ndims))


def _same_as_input(op):
    return [(op.inputs[0].dtype.base_dtype, op.inputs[0].shape)]


def _args_shape(op):
    return [(dtypes.float32, op.inputs[0].shape)]


def _args_grad_shape(op):
    shape = op.inputs[0].shape.merge_with(op.inputs[1].shape)
    return [(dtypes.float32, shape)]


def _vars_shape(op):
    _with_rank(op.inputs[1].shape, 0)
    _with_rank(op.inputs[2].shape, 0)
    return [(dtypes.float32, op.inputs[0].shape)]


def _vars_grad_shape(op):
    _with_rank(op.inputs[2].shape, 0)
    _with_rank(op.inputs[3].shape, 0)
    shape = op.inputs[0].shape.merge_with(op.inputs[1].shape)
    return [(dtypes.float32, shape), _FLOAT_SCALAR, _FLOAT_SCALAR]


def _channels(x_shape, min_shape, max_shape):
    """The per-channel depth: the last dimension of `x`, equal to the length of min and max."""
    _with_rank(min_shape, 1)
    _with_rank(max_shape, 1)
    depth = min_shape.merge_with(max_shape)
    if x_shape.ndims is not None:
        if not 1 <= x_shape.ndims <= 4:
            raise ShapeError("Shape must be at least rank 1 and at most rank 4 but is rank %d"
                             % x_shape.ndims)
        last = x_shape.dims[-1].value
        have = depth.dims[0].value
        if last is not None and have is not None and last != have:
            raise ShapeError("Dimensions must be equal, but are %d and %d" % (last, have))
        depth = depth.merge_with(tensor_shape.TensorShape([last]))
    return depth


def _per_channel_shape(op):
    _channels(op.inputs[0].shape, op.inputs[1].shape, op.inputs[2].shape)
    return [(dtypes.float32, op.inputs[0].shape)]


def _per_channel_grad_shape(op):
    shape = op.inputs[0].shape.merge_with(op.inputs[1].shape)
    depth = _channels(shape, op.inputs[2].shape, op.inputs[3].shape)
    return [(dtypes.float32, shape), (dtypes.float32, depth), (dtypes.float32, depth)]


def _fq_attrs(op):
    return {"num_bits": op.get_attr("num_bits"), "narrow_range": op.get_attr("narrow_range")}


def _args_grad(op, grad):
    attrs = _fq_attrs(op)
    return [fake_quant_with_min_max_args_gradient(
        grad, op.inputs[0], min=op.get_attr("min"), max=op.get_attr("max"), **attrs)]


def _vars_grad(op, grad):
    return list(fake_quant_with_min_max_vars_gradient(
        grad, op.inputs[0], op.inputs[1], op.inputs[2], **_fq_attrs(op)))


def _per_channel_grad(op, grad):
    return list(fake_quant_with_min_max_vars_per_channel_gradient(
        grad, op.inputs[0], op.inputs[1], op.inputs[2], **_fq_attrs(op)))


registry.register("FakeQuantWithMinMaxArgs", shape=_args_shape, grad=_args_grad)
registry.register("FakeQuantWithMinMaxVars", shape=_vars_shape, grad=_vars_grad)
registry.register("FakeQuantWithMinMaxVarsPerChannel", shape=_per_channel_shape,
                  grad=_per_channel_grad)
# TF registers no gradients for the gradient ops; tensorflux marks them not differentiable.
registry.register("FakeQuantWithMinMaxArgsGradient", shape=_args_grad_shape,
                  grad=registry.NOT_DIFFERENTIABLE)
registry.register("FakeQuantWithMinMaxVarsGradient", shape=_vars_grad_shape,
                  grad=registry.NOT_DIFFERENTIABLE)
registry.register("FakeQuantWithMinMaxVarsPerChannelGradient", shape=_per_channel_grad_shape,
                  grad=registry.NOT_DIFFERENTIABLE)

FakeQuantWithMinMaxVarsGradient = collections.namedtuple(
    "FakeQuantWithMinMaxVarsGradient",
    ["backprops_wrt_input", "backprop_wrt_min", "backprop_wrt_max"])
FakeQuantWithMinMaxVarsPerChannelGradient = collections.namedtuple(
    "FakeQuantWithMinMaxVarsPerChannelGradient",
    ["backprops_wrt_input", "backprop_wrt_min", "backprop_wrt_max"])


def _check_float(t, op_type, arg):
    if t.dtype.base_dtype != dtypes.float32:
        raise TypeError("Value passed to parameter '%s' has DataType %s not in list of allowed "
                        "values: float32" % (arg, t.dtype.base_dtype.name))


def fake_quant_with_min_max_args(inputs, min=-6, max=6, num_bits=8,  # noqa: A002
                                 narrow_range=False, name=None):
    """Fake-quantizes float32 `inputs` onto `2**num_bits` levels of the nudged [min, max].

    Levels are `nudged_min + k * scale`; `narrow_range` drops the lowest level. Out-of-range
    values clamp to the nudged ends.

    Example:
        >>> tf.quantization.fake_quant_with_min_max_args([0.3, 7.0], min=-1.0, max=1.0)
        # -> [0.2980392, 0.99607843]
    """
    with graph_lib.name_scope(name, "FakeQuantWithMinMaxArgs", [inputs]) as scope:
        inputs = convert(inputs, preferred_dtype=dtypes.float32, name="inputs")
        _check_float(inputs, "FakeQuantWithMinMaxArgs", "inputs")
        attrs = {"min": float(min), "max": float(max), "num_bits": int(num_bits),
                 "narrow_range": bool(narrow_range)}
        return registry.make_tensor("FakeQuantWithMinMaxArgs", [inputs], attrs, name=scope)


def fake_quant_with_min_max_args_gradient(gradients, inputs, min=-6, max=6,  # noqa: A002
                                          num_bits=8, narrow_range=False, name=None):
    """`gradients` where `inputs` lies inside the nudged [min, max], else 0."""
    with graph_lib.name_scope(name, "FakeQuantWithMinMaxArgsGradient",
                              [gradients, inputs]) as scope:
        gradients = convert(gradients, preferred_dtype=dtypes.float32, name="gradients")
        inputs = convert(inputs, preferred_dtype=dtypes.float32, name="inputs")
        _check_float(gradients, "FakeQuantWithMinMaxArgsGradient", "gradients")
        _check_float(inputs, "FakeQuantWithMinMaxArgsGradient", "inputs")
        attrs = {"min": float(min), "max": float(max), "num_bits": int(num_bits),
                 "narrow_range": bool(narrow_range)}
        return registry.make_tensor("FakeQuantWithMinMaxArgsGradient", [gradients, inputs],
                                    attrs, name=scope)


def _vars_op(op_type, tensors, names, num_bits, narrow_range, name):
    attrs = {"num_bits": int(num_bits), "narrow_range": bool(narrow_range)}
    op = apply(op_type, tensors, attrs, name=name, same_dtype=False, input_names=names)
    for t, arg in zip(op.inputs, names):
        _check_float(t, op_type, arg)
    return op


def fake_quant_with_min_max_vars(inputs, min, max, num_bits=8,  # noqa: A002
                                 narrow_range=False, name=None):
    """Fake-quantizes `inputs` with a scalar range held in tensors (usually variables).

    Example:
        >>> lo, hi = tf.Variable(-1.0), tf.Variable(1.0)
        >>> y = tf.quantization.fake_quant_with_min_max_vars(x, lo, hi, num_bits=8)
    """
    return _vars_op("FakeQuantWithMinMaxVars", [inputs, min, max], ["inputs", "min", "max"],
                    num_bits, narrow_range, name)._outputs[0]


def fake_quant_with_min_max_vars_gradient(gradients, inputs, min, max,  # noqa: A002
                                          num_bits=8, narrow_range=False, name=None):
    """Backprops to (inputs, min, max) of FakeQuantWithMinMaxVars, as a namedtuple."""
    op = _vars_op("FakeQuantWithMinMaxVarsGradient", [gradients, inputs, min, max],
                  ["gradients", "inputs", "min", "max"], num_bits, narrow_range, name)
    return FakeQuantWithMinMaxVarsGradient(*op.outputs)


def fake_quant_with_min_max_vars_per_channel(inputs, min, max, num_bits=8,  # noqa: A002
                                             narrow_range=False, name=None):
    """Fake-quantizes `inputs` (rank 1 to 4) with one [min, max] range per last-axis channel."""
    return _vars_op("FakeQuantWithMinMaxVarsPerChannel", [inputs, min, max],
                    ["inputs", "min", "max"], num_bits, narrow_range, name)._outputs[0]


def fake_quant_with_min_max_vars_per_channel_gradient(gradients, inputs, min, max,  # noqa: A002
                                                      num_bits=8, narrow_range=False,
                                                      name=None):
    """Backprops to (inputs, min, max) of FakeQuantWithMinMaxVarsPerChannel."""
    op = _vars_op("FakeQuantWithMinMaxVarsPerChannelGradient", [gradients, inputs, min, max],
                  ["gradients", "inputs", "min", "max"], num_bits, narrow_range, name)
    return FakeQuantWithMinMaxVarsPerChannelGradient(*op.outputs)


# --- QuantizeAndDequantizeV2 / V3 ---------------------------------------------------------------
def _qdq_shape(op):
    for t in op.inputs[1:3]:
        _with_rank(t.shape, 0)
    if len(op.inputs) > 3:
        _with_rank(op.inputs[3].shape, 0)
    return _same_as_input(op)


def _qdq_v2_grad(op, grad):
    # TF 1.x: the gradient passes to the input unchanged (straight-through everywhere).
    return [grad, None, None]


def _qdq_v3_grad(op, grad):
    return [grad, None, None, None]


registry.register("QuantizeAndDequantizeV2", shape=_qdq_shape, grad=_qdq_v2_grad)
registry.register("QuantizeAndDequantizeV3", shape=_qdq_shape, grad=_qdq_v3_grad)

_ROUND_MODES_QDQ = ("HALF_TO_EVEN", "HALF_UP")


def quantize_and_dequantize(input, input_min, input_max, signed_input=True,  # noqa: A002
                            num_bits=8, range_given=False, round_mode="HALF_TO_EVEN",
                            name=None, narrow_range=False, axis=None):
    """Rounds `input` onto a signed/unsigned `num_bits` integer grid and back to float.

    Without `range_given` the range is the input's own [min, max]. The scale keeps 0 exact and
    is set by whichever end of the range needs the smaller scale.

    Example:
        >>> tf.quantization.quantize_and_dequantize([0.3, -1.0], -1.0, 1.0, range_given=True)
    """
    _check_axis(axis)
    if round_mode not in _ROUND_MODES_QDQ:
        raise ValueError("round_mode must be one of %s, got %r" % (list(_ROUND_MODES_QDQ),
                                                                   round_mode))
    with graph_lib.name_scope(name, "QuantizeAndDequantizeV2",
                              [input, input_min, input_max]) as scope:
        x = convert(input, name="input")
        lo = convert(input_min, dtype=x.dtype.base_dtype, name="input_min")
        hi = convert(input_max, dtype=x.dtype.base_dtype, name="input_max")
        attrs = {"T": x.dtype.base_dtype, "signed_input": bool(signed_input),
                 "num_bits": int(num_bits),
                 "range_given": bool(range_given), "round_mode": round_mode,
                 "narrow_range": bool(narrow_range), "axis": -1 if axis is None else int(axis)}
        return registry.make_tensor("QuantizeAndDequantizeV2", [x, lo, hi], attrs, name=scope)


def quantize_and_dequantize_v2(input, input_min, input_max, signed_input=True,  # noqa: A002
                               num_bits=8, range_given=False, round_mode="HALF_TO_EVEN",
                               name=None, narrow_range=False, axis=None):
    """The raw QuantizeAndDequantizeV2 op (same as `quantize_and_dequantize` in TF 1.x)."""
    return quantize_and_dequantize(input, input_min, input_max, signed_input, num_bits,
                                   range_given, round_mode, name, narrow_range, axis)


def quantize_and_dequantize_v3(input, input_min, input_max, num_bits,  # noqa: A002
                               signed_input=True, range_given=True, narrow_range=False,
                               axis=-1, name=None):
    """QuantizeAndDequantizeV3: as V2 with `num_bits` a tensor (round half to even)."""
    _check_axis(axis)
    with graph_lib.name_scope(name, "QuantizeAndDequantizeV3",
                              [input, input_min, input_max, num_bits]) as scope:
        x = convert(input, name="input")
        lo = convert(input_min, dtype=x.dtype.base_dtype, name="input_min")
        hi = convert(input_max, dtype=x.dtype.base_dtype, name="input_max")
        bits = convert(num_bits, dtype=dtypes.int32, name="num_bits")
        attrs = {"T": x.dtype.base_dtype, "signed_input": bool(signed_input),
                 "range_given": bool(range_given), "narrow_range": bool(narrow_range),
                 "axis": int(axis)}
        return registry.make_tensor("QuantizeAndDequantizeV3", [x, lo, hi, bits], attrs,
                                    name=scope)


# --- QuantizeV2 / Dequantize ----------------------------------------------------------------
_MODES = ("MIN_COMBINED", "MIN_FIRST", "SCALED")
_ROUND_MODES = ("HALF_AWAY_FROM_ZERO", "HALF_TO_EVEN")
_QUANTIZED = ("qint8", "quint8", "qint32", "qint16", "quint16")

QuantizeV2 = collections.namedtuple("QuantizeV2", ["output", "output_min", "output_max"])


def _quantize_shape(op):
    return [(op.get_attr("T"), op.inputs[0].shape), _FLOAT_SCALAR, _FLOAT_SCALAR]


def _dequantize_shape(op):
    return [(op.get_attr("dtype"), op.inputs[0].shape)]


registry.register("QuantizeV2", shape=_quantize_shape, grad=registry.NOT_DIFFERENTIABLE)
registry.register("Dequantize", shape=_dequantize_shape, grad=registry.NOT_DIFFERENTIABLE)


def _check_axis(axis):
    if axis is not None and axis != -1:
        raise NotImplementedError("per-axis quantization (axis=%r) is not supported" % (axis,))


def _check_attr(value, allowed, what):
    if value not in allowed:
        raise ValueError("Value for attr '%s' of \"%s\" is not in the list of allowed values: %s"
                         % (what, value, ", ".join('"%s"' % a for a in allowed)))


def quantize(input, min_range, max_range, T, mode="MIN_COMBINED",  # noqa: A002, N803
             round_mode="HALF_AWAY_FROM_ZERO", name=None, narrow_range=False, axis=None,
             ensure_minimum_range=0.01):
    """Quantizes float `input` in [min_range, max_range] to the quantized dtype `T`.

    Returns the namedtuple `(output, output_min, output_max)`: the codes and the range they
    actually represent (the range is widened to include 0 and to a minimum width).

    Example:
        >>> q = tf.quantization.quantize([0.0, 0.5, 1.0], 0.0, 1.0, tf.quint8)
        >>> # q.output -> [0, 128, 255]
    """
    _check_axis(axis)
    T = dtypes.as_dtype(T)  # noqa: N806 - TF's argument name
    if T.name not in _QUANTIZED:
        raise TypeError("Value passed to parameter 'T' has DataType %s not in list of allowed "
                        "values: qint8, quint8, qint32, qint16, quint16" % T.name)
    _check_attr(mode, _MODES, "mode")
    _check_attr(round_mode, _ROUND_MODES, "round_mode")
    with graph_lib.name_scope(name, "QuantizeV2", [input, min_range, max_range]) as scope:
        x = convert(input, dtype=dtypes.float32, name="input")
        lo = convert(min_range, dtype=dtypes.float32, name="min_range")
        hi = convert(max_range, dtype=dtypes.float32, name="max_range")
        attrs = {"T": T, "mode": mode, "round_mode": round_mode,
                 "narrow_range": bool(narrow_range), "axis": -1 if axis is None else int(axis),
                 "ensure_minimum_range": float(ensure_minimum_range)}
        op = registry.make_op("QuantizeV2", [x, lo, hi], attrs, name=scope)
        return QuantizeV2(*op.outputs)


def quantize_v2(input, min_range, max_range, T, mode="MIN_COMBINED",  # noqa: A002, N803
                name=None, round_mode="HALF_AWAY_FROM_ZERO", narrow_range=False, axis=None,
                ensure_minimum_range=0.01):
    """`tf.quantize_v2`: the deprecated spelling of `tf.quantization.quantize`."""
    return quantize(input, min_range, max_range, T, mode, round_mode, name, narrow_range,
                    axis, ensure_minimum_range)


def dequantize(input, min_range, max_range, mode="MIN_COMBINED", name=None,  # noqa: A002
               axis=None, narrow_range=False, dtype=dtypes.float32):
    """Converts quantized `input` (codes for [min_range, max_range]) back to float."""
    _check_axis(axis)
    _check_attr(mode, _MODES, "mode")
    with graph_lib.name_scope(name, "Dequantize", [input, min_range, max_range]) as scope:
        x = convert(input, name="input")
        if not x.dtype.base_dtype.is_quantized:
            raise TypeError("Value passed to parameter 'input' has DataType %s not in list of "
                            "allowed values: qint8, quint8, qint32, qint16, quint16"
                            % x.dtype.base_dtype.name)
        lo = convert(min_range, dtype=dtypes.float32, name="min_range")
        hi = convert(max_range, dtype=dtypes.float32, name="max_range")
        attrs = {"T": x.dtype.base_dtype, "mode": mode, "narrow_range": bool(narrow_range),
                 "axis": -1 if axis is None else int(axis), "dtype": dtypes.as_dtype(dtype)}
        return registry.make_tensor("Dequantize", [x, lo, hi], attrs, name=scope)


__all__ = [
    "dequantize",
    "fake_quant_with_min_max_args",
    "fake_quant_with_min_max_args_gradient",
    "fake_quant_with_min_max_vars",
    "fake_quant_with_min_max_vars_gradient",
    "fake_quant_with_min_max_vars_per_channel",
    "fake_quant_with_min_max_vars_per_channel_gradient",
    "quantize",
    "quantize_and_dequantize",
    "quantize_and_dequantize_v2",
    "quantize_and_dequantize_v3",
    "quantize_v2",
]
