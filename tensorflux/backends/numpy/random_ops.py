"""numpy kernels for random ops (ops/random_ops.py): one Generator per op per session."""

import numpy as np

from tensorflux.ops.registry import kernel


def _rng(state, op):
    rng = state.rngs.get(op.name)
    if rng is None:
        s1, s2 = op._attrs["seed"], op._attrs["seed2"]
        rng = np.random.default_rng([s1, s2]) if (s1 or s2) else np.random.default_rng()
        state.rngs[op.name] = rng
    return rng


def _dims(shape):
    return [int(d) for d in np.asarray(shape).ravel()]


@kernel("RandomStandardNormal")
def _normal(op):
    npd = op._attrs["dtype"].as_numpy_dtype
    return lambda state, shape: _rng(state, op).standard_normal(_dims(shape)).astype(npd)


@kernel("TruncatedNormal")
def _truncated(op):
    npd = op._attrs["dtype"].as_numpy_dtype

    def run(state, shape):
        rng = _rng(state, op)
        out = rng.standard_normal(_dims(shape))
        bad = np.abs(out) > 2
        while bad.any():
            out[bad] = rng.standard_normal(int(bad.sum()))
            bad = np.abs(out) > 2
        return out.astype(npd)
    return run


@kernel("RandomUniform")
def _uniform(op):
    npd = op._attrs["dtype"].as_numpy_dtype
    return lambda state, shape: _rng(state, op).random(_dims(shape)).astype(npd)


@kernel("RandomUniformInt")
def _uniform_int(op):
    def run(state, shape, lo, hi):
        if lo >= hi:
            raise ValueError("Need minval < maxval: %s >= %s" % (lo, hi))
        return _rng(state, op).integers(lo, hi, size=_dims(shape)).astype(lo.dtype)
    return run


@kernel("RandomShuffle")
def _shuffle(op):
    def run(state, x):
        if x.ndim == 0:
            return x
        return x[_rng(state, op).permutation(x.shape[0])]
    return run


@kernel("Multinomial")
def _multinomial(op):
    npd = op._attrs["output_dtype"].as_numpy_dtype

    def run(state, logits, n):
        rng = _rng(state, op)
        z = logits.astype(np.float64)
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        c = np.cumsum(p, axis=1)
        u = rng.random((logits.shape[0], int(n)))
        return np.minimum((u[:, :, None] > c[:, None, :]).sum(-1), logits.shape[1] - 1).astype(npd)
    return run
