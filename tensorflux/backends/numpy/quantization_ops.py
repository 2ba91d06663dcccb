"""numpy kernels of the fake-quantization and quantize/dequantize ops, in TF's float32 arithmetic.

Every formula follows TF's CPU kernels step by step in float32 (the nudged range, `floor(v +
0.5)` rounding), so that results agree with TF bit for bit, not just to a tolerance.
"""

import numpy as np

from tensorflux.ops.registry import kernel

F32 = np.float32


def _fmt(v):
    return "%g" % v


def check_num_bits(num_bits):
    if not 2 <= num_bits <= 16:
        raise ValueError("num_bits must be between 2 and 16, inclusive")


def nudge(lo, hi, num_bits, narrow_range):
    """TF's nudged (min, max, scale): the grid of `2**num_bits` levels on which 0.0 lies.

    Works on scalars or per-channel vectors (float32). The zero point `qmin - lo / scale` is
    rounded half away from zero and clamped to [qmin, qmax].
    """
    qmin = F32(1 if narrow_range else 0)
    qmax = F32((1 << num_bits) - 1)
    lo = np.asarray(lo, F32)
    hi = np.asarray(hi, F32)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        scale = ((hi - lo) / (qmax - qmin)).astype(F32)
        zero_from_min = (qmin - lo / scale).astype(F32)
        rounded = np.where(np.isnan(zero_from_min), F32(0),
                           np.sign(zero_from_min) * np.floor(np.abs(zero_from_min) + F32(0.5)))
        zero = np.where(zero_from_min < qmin, qmin,
                        np.where(zero_from_min > qmax, qmax, rounded)).astype(F32)
        nudged_min = ((qmin - zero) * scale).astype(F32)
        nudged_max = ((qmax - zero) * scale).astype(F32)
    return nudged_min, nudged_max, scale


def _fake_quant(x, nudged_min, nudged_max, scale):
    """Rounds `x` onto the nudged grid; the output is `k * scale` for integer `k`, so the
    level at 0.0 comes out as exactly 0.0."""
    x = np.asarray(x, F32)
    clamped = np.maximum(np.minimum(x, nudged_max), nudged_min)
    shifted = (clamped - nudged_min).astype(F32)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        inverse = (F32(1) / scale).astype(F32)
        quant_zero = np.floor((-nudged_min * inverse).astype(F32) + F32(0.5)).astype(F32)
        steps = ((shifted * inverse).astype(F32) - quant_zero).astype(F32)
        out = (np.floor(steps + F32(0.5)).astype(F32) * scale).astype(F32)
    # A zero-width range (min == max == 0) maps everything to 0, as TF does.
    return np.where(scale == 0, nudged_min, out).astype(F32)


def _attrs(op):
    return op.get_attr("num_bits"), op.get_attr("narrow_range")


def _check_args_range(lo, hi, num_bits):
    if not lo < hi:
        raise ValueError("min has to be smaller than max, was: %s >= %s" % (_fmt(lo), _fmt(hi)))
    check_num_bits(num_bits)


@kernel("FakeQuantWithMinMaxArgs")
def _fq_args(op):
    lo, hi = op.get_attr("min"), op.get_attr("max")
    num_bits, narrow = _attrs(op)

    def run(x):
        _check_args_range(lo, hi, num_bits)
        n_min, n_max, scale = nudge(lo, hi, num_bits, narrow)
        return _fake_quant(x, n_min, n_max, scale)

    return run


@kernel("FakeQuantWithMinMaxArgsGradient")
def _fq_args_grad(op):
    lo, hi = op.get_attr("min"), op.get_attr("max")
    num_bits, narrow = _attrs(op)

    def run(dy, x):
        _check_args_range(lo, hi, num_bits)
        n_min, n_max, _ = nudge(lo, hi, num_bits, narrow)
        inside = (x >= n_min) & (x <= n_max)
        return np.where(inside, dy, F32(0)).astype(F32)

    return run


@kernel("FakeQuantWithMinMaxVars")
def _fq_vars(op):
    num_bits, narrow = _attrs(op)

    def run(x, lo, hi):
        check_num_bits(num_bits)
        n_min, n_max, scale = nudge(lo, hi, num_bits, narrow)
        return _fake_quant(x, n_min, n_max, scale)

    return run


def _vars_backprop(dy, x, n_min, n_max, scale, axes):
    dy = np.asarray(dy, F32)
    # A zero-width range (min == max) passes the whole gradient to the input, as TF does.
    inside = ((x >= n_min) & (x <= n_max)) | (scale == 0)
    below = np.where((x < n_min) & ~inside, dy, F32(0)).sum(axis=axes, dtype=F32)
    above = np.where((x > n_max) & ~inside, dy, F32(0)).sum(axis=axes, dtype=F32)
    return [np.where(inside, dy, F32(0)).astype(F32), np.asarray(below, F32),
            np.asarray(above, F32)]


@kernel("FakeQuantWithMinMaxVarsGradient")
def _fq_vars_grad(op):
    num_bits, narrow = _attrs(op)

    def run(dy, x, lo, hi):
        check_num_bits(num_bits)
        n_min, n_max, scale = nudge(lo, hi, num_bits, narrow)
        return _vars_backprop(dy, x, n_min, n_max, scale, None)

    return run


def _check_depth(x, lo, hi):
    if x.ndim < 1 or lo.shape != (x.shape[-1],) or hi.shape != (x.shape[-1],):
        raise ValueError("min and max must have the shape [%d] of the last dimension of inputs, "
                         "got %s and %s" % (x.shape[-1] if x.ndim else 0, list(lo.shape),
                                           list(hi.shape)))


@kernel("FakeQuantWithMinMaxVarsPerChannel")
def _fq_per_channel(op):
    num_bits, narrow = _attrs(op)

    def run(x, lo, hi):
        check_num_bits(num_bits)
        _check_depth(np.asarray(x), np.asarray(lo), np.asarray(hi))
        n_min, n_max, scale = nudge(lo, hi, num_bits, narrow)
        return _fake_quant(x, n_min, n_max, scale)

    return run


@kernel("FakeQuantWithMinMaxVarsPerChannelGradient")
def _fq_per_channel_grad(op):
    num_bits, narrow = _attrs(op)

    def run(dy, x, lo, hi):
        check_num_bits(num_bits)
        x = np.asarray(x)
        _check_depth(x, np.asarray(lo), np.asarray(hi))
        n_min, n_max, scale = nudge(lo, hi, num_bits, narrow)
        return _vars_backprop(dy, x, n_min, n_max, scale, tuple(range(x.ndim - 1)))

    return run


# --- QuantizeAndDequantizeV2 / V3 -------------------------------------------------------------
def _round(v, mode):
    if mode == "HALF_UP":
        return np.floor(v + v.dtype.type(0.5))
    return np.rint(v)  # HALF_TO_EVEN


def quantize_and_dequantize(x, lo, hi, signed, num_bits, range_given, round_mode, narrow):
    """TF's QuantizeAndDequantizeOneScaleImpl: the scale keeps 0 exact and fits both ends."""
    x = np.asarray(x)
    t = x.dtype.type
    if range_given:
        lo, hi = t(lo), t(hi)
        if lo > hi:
            raise ValueError("Invalid range: input_min %s > input_max %s" % (_fmt(lo), _fmt(hi)))
    elif x.size:
        lo, hi = t(x.min()), t(x.max())
    else:
        lo, hi = t(0), t(0)
    if signed:
        min_q = -(1 << (num_bits - 1)) + (1 if narrow else 0)
        max_q = (1 << (num_bits - 1)) - 1
    else:
        min_q, max_q = 0, (1 << num_bits) - 1
    min_q, max_q = t(min_q), t(max_q)
    big = t(np.finfo(x.dtype).max)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        from_min = t(min_q / lo) if min_q * lo > 0 else big
        from_max = t(max_q / hi) if max_q * hi > 0 else big
        if from_min < from_max:
            scale, inverse = from_min, t(lo / min_q)
            hi = t(max_q * inverse)
        else:
            scale, inverse = from_max, t(hi / max_q)
            lo = t(min_q * inverse)
        v = np.minimum(np.maximum(x, lo), hi) if range_given else x
        out = _round((v * scale).astype(x.dtype), round_mode) * inverse
    return out.astype(x.dtype)


@kernel("QuantizeAndDequantizeV2")
def _qdq_v2(op):
    attrs = op.attrs

    def run(x, lo, hi):
        return quantize_and_dequantize(x, lo, hi, attrs["signed_input"], attrs["num_bits"],
                                       attrs["range_given"], attrs["round_mode"],
                                       attrs["narrow_range"])

    return run


@kernel("QuantizeAndDequantizeV3")
def _qdq_v3(op):
    attrs = op.attrs

    def run(x, lo, hi, num_bits):
        num_bits = int(num_bits)
        if not 0 < num_bits < (63 if attrs["signed_input"] else 62):
            raise ValueError("num_bits is out of range: %d" % num_bits)
        return quantize_and_dequantize(x, lo, hi, attrs["signed_input"], num_bits,
                                       attrs["range_given"], "HALF_TO_EVEN",
                                       attrs["narrow_range"])

    return run


# --- QuantizeV2 / Dequantize ------------------------------------------------------------------
def _limits(dtype):
    info = np.iinfo(dtype.as_numpy_dtype)
    return int(info.min), int(info.max)


def _round_away(v):
    return np.sign(v) * np.floor(np.abs(v) + v.dtype.type(0.5))


def _min_first_steps(dtype):
    bits = 8 * np.dtype(dtype.as_numpy_dtype).itemsize
    steps = float(1 << bits)
    return steps, steps / (steps - 1.0)


def quantize(x, lo, hi, dtype, mode, round_mode, narrow, ensure_minimum_range):
    """QuantizeV2: returns (codes, output_min, output_max)."""
    x = np.asarray(x, F32)
    lo, hi = F32(lo), F32(hi)
    if hi < lo:
        raise ValueError("input_max_range must be larger than input_min_range.")
    lowest, highest = _limits(dtype)
    min_range = min(F32(0), lo)
    epsilon = F32(max(F32(1), max(abs(lo), abs(hi))) * F32(ensure_minimum_range))
    max_range = F32(max(F32(0), max(hi, F32(min_range + epsilon))))
    np_t = dtype.as_numpy_dtype
    if mode == "MIN_COMBINED":
        scale = F32((float(highest) - float(lowest)) / float(max_range - min_range))
        shifted = (np.minimum(np.maximum(x, min_range), max_range) - min_range) * scale
        if lowest < 0:
            half = F32((float(highest) - lowest + 1) / 2.0)
            codes = _round_away((shifted - half).astype(F32))
        else:
            codes = np.trunc(shifted + F32(0.5))
    elif mode == "MIN_FIRST":
        if min_range == max_range:
            codes = np.full(x.shape, lowest, np.float64)
        else:
            steps, adjust = _min_first_steps(dtype)
            scale = F32(steps / ((float(max_range) - float(min_range)) * adjust))
            if dtype.name == "quint8":  # TF's quint8 path rounds the shifted value once
                codes = np.rint(((x - min_range) * scale).astype(F32))
            else:
                codes = (_round_away((x * scale).astype(F32))
                         - _round_away(F32(min_range * scale)) + F32(lowest))
    else:  # SCALED
        min_out = lowest + (1 if narrow else 0)
        big = F32(np.finfo(F32).max)
        from_min = F32(min_out / min_range) if min_out * min_range > 0 else big
        from_max = F32(highest / max_range) if highest * max_range > 0 else big
        scale = min(from_min, from_max)
        min_range, max_range = F32(min_out / scale), F32(highest / scale)
        v = (np.minimum(np.maximum(x, min_range), max_range) * scale).astype(F32)
        codes = np.rint(v) if round_mode == "HALF_TO_EVEN" else _round_away(v)
    codes = np.asarray(codes, np.float64)
    if dtype.name == "qint32" and mode == "MIN_COMBINED":
        # TF's float -> int32 conversion turns out-of-range values (2**31) into INT32_MIN.
        codes = np.where((codes > highest) | (codes < lowest), lowest, codes)
    codes = np.clip(codes, lowest, highest).astype(np_t)
    return [codes, np.asarray(min_range, F32), np.asarray(max_range, F32)]


def dequantize(q, lo, hi, dtype, mode, narrow):
    q = np.asarray(q)
    lo, hi = F32(lo), F32(hi)
    lowest, highest = _limits(dtype)
    if mode == "MIN_COMBINED":
        scale = F32((hi - lo) / (F32(highest) - F32(lowest)))
        half = F32((float(highest) - lowest + 1) / 2.0) if lowest < 0 else F32(0)
        return ((q.astype(F32) + half) * scale + lo).astype(F32)
    if mode == "MIN_FIRST":
        if lo == hi:
            return np.full(q.shape, lo, F32)
        steps, adjust = _min_first_steps(dtype)
        scale = F32((float(hi) - float(lo)) * adjust / steps)
        # TF snaps min_range onto the grid of the scale before adding the codes.
        lo_snapped = F32(_round_away(F32(lo / scale)) * scale)
        return ((q.astype(F32) - F32(lowest)) * scale + lo_snapped).astype(F32)
    min_out = lowest + (1 if narrow else 0)
    if lowest == 0:
        scale = F32(hi / F32(highest))
    else:
        scale = max(F32(lo / F32(min_out)), F32(hi / F32(highest)))
    return (q.astype(F32) * scale).astype(F32)


@kernel("QuantizeV2")
def _quantize(op):
    attrs = op.attrs

    def run(x, lo, hi):
        return quantize(x, lo, hi, attrs["T"], attrs["mode"], attrs["round_mode"],
                        attrs["narrow_range"], attrs["ensure_minimum_range"])

    return run


@kernel("Dequantize")
def _dequantize(op):
    attrs = op.attrs
    np_out = attrs["dtype"].as_numpy_dtype

    def run(q, lo, hi):
        return dequantize(q, lo, hi, attrs["T"], attrs["mode"],
                          attrs["narrow_range"]).astype(np_out)

    return run
