"""XLA kernels of the FakeQuant ops (ops/quantization_ops.py), the numpy kernels' float32
formulas in jax: TF's nudged range, `floor(v + 0.5)` rounding, straight-through gradients."""

import jax.numpy as jnp

from tensorflux.backends.xla.kernel import NotCompilable, kernel

F32 = jnp.float32


def _nudge(lo, hi, num_bits, narrow_range):
    qmin = F32(1 if narrow_range else 0)
    qmax = F32((1 << num_bits) - 1)
    lo = jnp.asarray(lo, F32)
    hi = jnp.asarray(hi, F32)
    scale = (hi - lo) / (qmax - qmin)
    zero_from_min = qmin - lo / scale
    rounded = jnp.sign(zero_from_min) * jnp.floor(jnp.abs(zero_from_min) + F32(0.5))
    zero = jnp.where(zero_from_min < qmin, qmin, jnp.where(zero_from_min > qmax, qmax, rounded))
    zero = jnp.where(jnp.isnan(zero_from_min), F32(0), zero)
    return (qmin - zero) * scale, (qmax - zero) * scale, scale


def _fake_quant(x, nudged_min, nudged_max, scale):
    clamped = jnp.maximum(jnp.minimum(x, nudged_max), nudged_min)
    inverse = F32(1) / scale
    quant_zero = jnp.floor(-nudged_min * inverse + F32(0.5))
    out = jnp.floor((clamped - nudged_min) * inverse - quant_zero + F32(0.5)) * scale
    return jnp.where(scale == 0, nudged_min, out).astype(F32)


def _backprop(dy, x, nudged_min, nudged_max, scale, axes):
    inside = ((x >= nudged_min) & (x <= nudged_max)) | (scale == 0)
    zero = jnp.zeros_like(dy)
    below = jnp.where((x < nudged_min) & ~inside, dy, zero).sum(axis=axes)
    above = jnp.where((x > nudged_max) & ~inside, dy, zero).sum(axis=axes)
    return [jnp.where(inside, dy, zero), below.astype(F32), above.astype(F32)]


def _bits(op):
    num_bits = op.get_attr("num_bits")
    if not 2 <= num_bits <= 16:
        raise NotCompilable("num_bits out of range: the numpy kernel raises TF's error")
    return num_bits, op.get_attr("narrow_range")


def _args_nudge(op):
    lo, hi = op.get_attr("min"), op.get_attr("max")
    if not lo < hi:
        raise NotCompilable("min >= max: the numpy kernel raises TF's error")
    return _nudge(lo, hi, *_bits(op))


@kernel("FakeQuantWithMinMaxArgs")
def _fq_args(op):
    n_min, n_max, scale = _args_nudge(op)
    return lambda x: _fake_quant(x, n_min, n_max, scale)


@kernel("FakeQuantWithMinMaxArgsGradient")
def _fq_args_grad(op):
    n_min, n_max, _ = _args_nudge(op)
    return lambda dy, x: jnp.where((x >= n_min) & (x <= n_max), dy, jnp.zeros_like(dy))


@kernel("FakeQuantWithMinMaxVars")
@kernel("FakeQuantWithMinMaxVarsPerChannel")
def _fq_vars(op):
    num_bits, narrow = _bits(op)
    return lambda x, lo, hi: _fake_quant(x, *_nudge(lo, hi, num_bits, narrow))


@kernel("FakeQuantWithMinMaxVarsGradient")
def _fq_vars_grad(op):
    num_bits, narrow = _bits(op)

    def run(dy, x, lo, hi):
        return _backprop(dy, x, *_nudge(lo, hi, num_bits, narrow), axes=None)

    return run


@kernel("FakeQuantWithMinMaxVarsPerChannelGradient")
def _fq_per_channel_grad(op):
    num_bits, narrow = _bits(op)

    def run(dy, x, lo, hi):
        return _backprop(dy, x, *_nudge(lo, hi, num_bits, narrow),
                         axes=tuple(range(jnp.ndim(x) - 1)))

    return run
