"""Colour ops of `tf.image`: HSV/YIQ/YUV conversions, hue, saturation and gamma adjustment.

`RGBToHSV`, `HSVToRGB`, `AdjustHue` and `AdjustSaturation` are kernel ops, as in TF (kernels in
backends/*/image_color_ops.py). RGBToHSV's gradient is the analytic derivative of the piecewise
HSV formulas, with TF's tie-breaking (red, then green, then blue counts as the maximum);
HSVToRGB's is the derivative of its clipped ramps. AdjustHue and AdjustSaturation are not
differentiable, as in TF 1.x. The YIQ/YUV conversions and `adjust_gamma` are compositions of
ordinary ops, so their gradients come for free.
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import (
    array_ops,
    constant_op,
    control_flow_ops,
    linalg_ops,
    manip_ops,
    math_ops,
    random_ops,
    reduction_ops,
    registry,
)
from tensorflux.ops._helpers import convert
from tensorflux.ops.image_ops import _check, convert_image_dtype
from tensorflux.ops.registry import ShapeError

TS = tensor_shape.TensorShape


# --- shape functions --------------------------------------------------------------------------
def _colorspace_shape(op):
    """RGBToHSV / HSVToRGB: rank >= 1 and a last dimension of 3; the shape is unchanged."""
    shape = op.inputs[0].shape
    if shape.ndims is not None:
        if shape.ndims < 1:
            raise ShapeError("Shape must be at least rank 1 but is rank %d" % shape.ndims)
        last = shape.as_list()[-1]
        if last is not None and last != 3:
            raise ShapeError("Dimension must be 3 but is %d" % last)
        shape = TS(shape.as_list()[:-1] + [3])
    return [(op.inputs[0].dtype.base_dtype, shape)]


def _adjust_shape(op):
    """AdjustHue / AdjustSaturation: rank >= 3, the shape is unchanged; the factor a scalar."""
    shape = op.inputs[0].shape
    if shape.ndims is not None and shape.ndims < 3:
        raise ShapeError("Shape must be at least rank 3 but is rank %d" % shape.ndims)
    factor = op.inputs[1].shape
    if factor.ndims not in (None, 0):
        raise ShapeError("Shape must be rank 0 but is rank %d" % factor.ndims)
    return [(op.inputs[0].dtype.base_dtype, shape)]


# --- gradients --------------------------------------------------------------------------------
def _channels(x):
    """The three channels of `x` as [..., 1] tensors."""
    return [manip_ops.expand_dims(c, -1) for c in array_ops.unstack(x, num=3, axis=-1)]


def _as_float(condition, dtype):
    return math_ops.cast(condition, dtype)


def _rgb_to_hsv_grad(op, grad):
    """d(h, s, v)/d(r, g, b) of the branch each pixel took, applied to the incoming gradient.

    With V the max channel, m the min and C = V - m: dV = e_max; dS = e_max m / V^2 - e_min / V
    (0 where V <= 0); H = n / (6C) + const with n linear in (r, g, b), so
    dH = dn / (6C) - n (e_max - e_min) / (6C^2) (0 where C = 0).
    """
    rgb = op.inputs[0]
    dtype = rgb.dtype.base_dtype
    r, g, b = array_ops.unstack(rgb, num=3, axis=-1)
    is_max = array_ops.stack([
        _as_float(math_ops.logical_and(r >= g, r >= b), dtype),
        _as_float(math_ops.logical_and(g > r, g >= b), dtype),
        _as_float(math_ops.logical_and(b > r, b > g), dtype)], axis=-1)
    is_min = array_ops.stack([
        _as_float(math_ops.logical_and(r < g, r < b), dtype),
        _as_float(math_ops.logical_and(g <= r, g < b), dtype),
        _as_float(math_ops.logical_and(b <= r, b <= g), dtype)], axis=-1)
    value = reduction_ops.reduce_max(rgb, axis=-1, keepdims=True)
    low = reduction_ops.reduce_min(rgb, axis=-1, keepdims=True)
    chroma = value - low
    d_value = is_max
    d_sat = _as_float(value > 0, dtype) * (
        is_max * math_ops.div_no_nan(low, value * value) - math_ops.div_no_nan(is_min, value))
    # The hue's numerator n = (g - b), (b - r) or (r - g) as red, green or blue is the max.
    max_r, max_g, max_b = array_ops.unstack(is_max, num=3, axis=-1)
    d_num = array_ops.stack([max_b - max_g, max_r - max_b, max_g - max_r], axis=-1)
    num = reduction_ops.reduce_sum(d_num * rgb, axis=-1, keepdims=True)
    six_c = 6.0 * chroma
    d_hue = _as_float(chroma > 0, dtype) * (
        math_ops.div_no_nan(d_num, six_c)
        - math_ops.div_no_nan(num * (is_max - is_min), six_c * chroma))
    g_h, g_s, g_v = _channels(grad)
    return [g_h * d_hue + g_s * d_sat + g_v * d_value]


# HSVToRGB: channel c = ((1 - s) + s * clip(ramp_c(6h), 0, 1)) * v, with
# ramp_c(x) = sign_c * |x - centre_c| + offset_c.
_RAMP_CENTRE = [3.0, 2.0, 4.0]
_RAMP_SIGN = [1.0, -1.0, -1.0]
_RAMP_OFFSET = [-1.0, 2.0, 2.0]


def _hsv_to_rgb_grad(op, grad):
    """Derivative of HSVToRGB: the clipped ramps are piecewise linear in the hue."""
    dtype = op.inputs[0].dtype.base_dtype
    h, s, v = _channels(op.inputs[0])

    def const(values):
        return constant_op.constant(values, dtype=dtype)

    diff = 6.0 * h - const(_RAMP_CENTRE)
    ramp = const(_RAMP_SIGN) * math_ops.abs(diff) + const(_RAMP_OFFSET)
    clipped = math_ops.minimum(math_ops.maximum(ramp, 0.0), 1.0)
    inside = _as_float(math_ops.logical_and(ramp > 0, ramp < 1), dtype)
    d_ramp = 6.0 * const(_RAMP_SIGN) * math_ops.sign(diff) * inside
    g_h = reduction_ops.reduce_sum(grad * v * s * d_ramp, axis=-1, keepdims=True)
    g_s = reduction_ops.reduce_sum(grad * v * (clipped - 1.0), axis=-1, keepdims=True)
    g_v = reduction_ops.reduce_sum(grad * (1.0 - s + s * clipped), axis=-1, keepdims=True)
    return [array_ops.concat([g_h, g_s, g_v], axis=-1)]


registry.register("RGBToHSV", shape=_colorspace_shape, grad=_rgb_to_hsv_grad)
registry.register("HSVToRGB", shape=_colorspace_shape, grad=_hsv_to_rgb_grad)
# TF 1.x registers no gradient for these two; they are marked so (not "not written").
registry.register("AdjustHue", shape=_adjust_shape, grad=registry.NOT_DIFFERENTIABLE)
registry.register("AdjustSaturation", shape=_adjust_shape, grad=registry.NOT_DIFFERENTIABLE)


# --- HSV --------------------------------------------------------------------------------------
def _colorspace_op(op_type, images, name):
    g = graph_lib._graph_from_values([images])
    with g.as_default(), g.name_scope(name or op_type) as scope:
        images = convert(images, name="images")
        dtype = images.dtype.base_dtype
        if not dtype.is_floating:
            raise TypeError("Value passed to parameter 'images' has DataType %s not in list of "
                            "allowed values: float16, bfloat16, float32, float64" % dtype.name)
        return registry.make_tensor(op_type, [images], {"T": dtype}, name=scope)


def rgb_to_hsv(images, name=None):
    """Converts float RGB images (last dimension 3, values in [0, 1]) to HSV, all in [0, 1].

    Example:
        >>> hsv = tf.image.rgb_to_hsv(tf.constant([[1.0, 0.5, 0.0]]))  # [[1/12, 1, 1]]
    """
    return _colorspace_op("RGBToHSV", images, name)


def hsv_to_rgb(images, name=None):
    """Converts float HSV images (last dimension 3, values in [0, 1]) to RGB.

    Example:
        >>> rgb = tf.image.hsv_to_rgb(tf.constant([[0.0, 1.0, 1.0]]))  # pure red
    """
    return _colorspace_op("HSVToRGB", images, name)


def _adjust(op_type, image, factor, scope_name, name):
    """TF's recipe: uint8 etc. go through float32 and back; float16/32 go straight in."""
    with graph_lib.name_scope(name, scope_name, [image]):
        image = convert(image, name="image")
        orig = image.dtype.base_dtype
        if orig in (dtypes.float16, dtypes.float32):
            flt = image
        else:
            flt = convert_image_dtype(image, dtypes.float32)
        factor = convert(factor, dtype=dtypes.float32)
        adjusted = registry.make_tensor(op_type, [flt, factor], {"T": flt.dtype.base_dtype},
                                        name=op_type)
        return convert_image_dtype(adjusted, orig)


def adjust_hue(image, delta, name=None):
    """Rotates the hue of RGB image(s) by `delta` (a fraction of the colour wheel, in [-1, 1]).

    Example:
        >>> shifted = tf.image.adjust_hue(image, 0.25)
    """
    return _adjust("AdjustHue", image, delta, "adjust_hue", name)


def adjust_saturation(image, saturation_factor, name=None):
    """Multiplies the saturation of RGB image(s) by `saturation_factor` (clipped to [0, 1]).

    Example:
        >>> gray_ish = tf.image.adjust_saturation(image, 0.3)
    """
    return _adjust("AdjustSaturation", image, saturation_factor, "adjust_saturation", name)


def random_hue(image, max_delta, seed=None):
    """`adjust_hue` by a delta drawn uniformly from [-max_delta, max_delta), max_delta <= 0.5.

    Example:
        >>> image = tf.image.random_hue(image, 0.08)
    """
    if max_delta > 0.5:
        raise ValueError("max_delta must be <= 0.5.")
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    delta = random_ops.random_uniform([], -max_delta, max_delta, seed=seed)
    return adjust_hue(image, delta)


def random_saturation(image, lower, upper, seed=None):
    """`adjust_saturation` by a factor drawn uniformly from [lower, upper).

    Example:
        >>> image = tf.image.random_saturation(image, 0.5, 1.5)
    """
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")
    factor = random_ops.random_uniform([], lower, upper, seed=seed)
    return adjust_saturation(image, factor)


# --- gamma ------------------------------------------------------------------------------------
def adjust_gamma(image, gamma=1, gain=1):
    """Gamma correction `gain * image ** gamma` on the [0, 1] float scale, saturating back.

    Example:
        >>> darker = tf.image.adjust_gamma(image, gamma=2.0)
    """
    with graph_lib.name_scope(None, "adjust_gamma", [image, gamma, gain]):
        image = convert(image, name="image")
        orig = image.dtype.base_dtype
        if orig in (dtypes.float16, dtypes.float32):
            flt = image
        else:
            flt = convert_image_dtype(image, dtypes.float32)
        checks = _check(gamma >= 0, "Gamma should be a non-negative real number.")
        if checks:
            gamma = control_flow_ops.with_dependencies(checks, gamma)
        adjusted = gain * flt ** gamma
        return convert_image_dtype(adjusted, orig, saturate=True)


# --- YIQ and YUV: one 3x3 matrix each (rows: input channels, columns: output channels) ---------
_RGB_TO_YIQ = [[0.299, 0.59590059, 0.2115],
               [0.587, -0.27455667, -0.52273617],
               [0.114, -0.32134392, 0.31119955]]
_YIQ_TO_RGB = [[1, 1, 1],
               [0.95598634, -0.27201283, -1.10674021],
               [0.6208248, -0.64720424, 1.70423049]]
_RGB_TO_YUV = [[0.299, -0.14714119, 0.61497538],
               [0.587, -0.28886916, -0.51496512],
               [0.114, 0.43601035, -0.10001026]]
_YUV_TO_RGB = [[1, 1, 1],
               [0, -0.394642334, 2.03206185],
               [1.13988303, -0.58062185, 0]]


def _mix_channels(images, matrix, scope_name):
    with graph_lib.name_scope(None, scope_name, [images]):
        images = convert(images, name="images")
        kernel = constant_op.constant(matrix, dtype=images.dtype.base_dtype, name="kernel")
        ndims = images.shape.ndims
        if ndims is None:
            raise ValueError("'images' must have a known rank.")
        return linalg_ops.tensordot(images, kernel, axes=[[ndims - 1], [0]])


def rgb_to_yiq(images):
    """RGB to YIQ (NTSC) on float images; the last dimension is the 3 channels.

    Example:
        >>> yiq = tf.image.rgb_to_yiq(rgb)
    """
    return _mix_channels(images, _RGB_TO_YIQ, "rgb_to_yiq")


def yiq_to_rgb(images):
    """YIQ to RGB, the inverse of `rgb_to_yiq`.

    Example:
        >>> rgb = tf.image.yiq_to_rgb(yiq)
    """
    return _mix_channels(images, _YIQ_TO_RGB, "yiq_to_rgb")


def rgb_to_yuv(images):
    """RGB to YUV (Y in [0, 1], U and V centred on 0) on float images.

    Example:
        >>> yuv = tf.image.rgb_to_yuv(rgb)
    """
    return _mix_channels(images, _RGB_TO_YUV, "rgb_to_yuv")


def yuv_to_rgb(images):
    """YUV to RGB, the inverse of `rgb_to_yuv`.

    Example:
        >>> rgb = tf.image.yuv_to_rgb(yuv)
    """
    return _mix_channels(images, _YUV_TO_RGB, "yuv_to_rgb")
