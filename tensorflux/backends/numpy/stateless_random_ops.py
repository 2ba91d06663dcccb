"""numpy kernels for the stateless random ops (ops/stateless_random_ops.py), on TF's Philox."""

import numpy as np

from tensorflux.backends.numpy import philox
from tensorflux.ops import stateless_random_ops as sro
from tensorflux.ops.registry import kernel

_DRAW = {"Uniform": philox.uniform, "Normal": philox.normal,
         "TruncatedNormal": philox.truncated_normal}


def _kind(op_type):
    return op_type.replace("Stateless", "").replace("Random", "").replace("V2", "")


def check_alg(alg):
    """Raises for an algorithm other than Philox (TF's Threefry streams are not reproduced)."""
    if int(alg) not in (sro.PHILOX, sro.AUTO_SELECT):
        raise ValueError("Stateless random algorithm %d is not supported by tensorflux "
                         "(only Philox, 1, and auto-select, 3)" % int(alg))


def dims(shape):
    return tuple(int(d) for d in np.asarray(shape).ravel())


def key_counter(key, counter):
    """TF's key/counter tensors as (uint64 key, two uint64 counter words)."""
    return np.asarray(key).ravel()[0], np.asarray(counter).ravel()[:2]


def _sized(draw, shape, dtype, *args):
    shape = dims(shape)
    return draw(*args[:2], int(np.prod(shape, dtype=np.int64)), *args[2:], dtype,
                np).reshape(shape)


def _float_v1(op):
    draw, npd = _DRAW[_kind(op.type)], op._attrs["dtype"].as_numpy_dtype

    def run(shape, seed):
        return _sized(draw, shape, npd, *philox.seed_to_key_counter(seed, np))
    return run


def _float_v2(op):
    draw, npd = _DRAW[_kind(op.type)], op._attrs["dtype"].as_numpy_dtype

    def run(shape, key, counter, alg):
        check_alg(alg)
        return _sized(draw, shape, npd, *key_counter(key, counter))
    return run


def _check_range(lo, hi):
    if not lo < hi:
        raise ValueError("Need minval < maxval: %s >= %s" % (lo, hi))


for _t in sro.FLOAT_OPS_V1:
    kernel(_t)(_float_v1)
for _t in sro.FLOAT_OPS_V2:
    kernel(_t)(_float_v2)


@kernel("StatelessRandomUniformInt")
def _uniform_int(op):
    npd = op._attrs["dtype"].as_numpy_dtype

    def run(shape, seed, lo, hi):
        _check_range(lo, hi)
        key, counter = philox.seed_to_key_counter(seed, np)
        return _sized(philox.uniform_int, shape, npd, key, counter, lo, hi)
    return run


@kernel("StatelessRandomUniformIntV2")
def _uniform_int_v2(op):
    npd = op._attrs["dtype"].as_numpy_dtype

    def run(shape, key, counter, alg, lo, hi):
        check_alg(alg)
        _check_range(lo, hi)
        return _sized(philox.uniform_int, shape, npd, *key_counter(key, counter), lo, hi)
    return run


@kernel("StatelessRandomGetKeyCounter")
def _get_key_counter(op):
    def run(seed):
        key, counter = philox.seed_to_key_counter(seed, np)
        return np.array([key], np.uint64), np.asarray(counter, np.uint64)
    return run


@kernel("StatelessRandomGetKeyCounterAlg")
def _get_key_counter_alg(op):
    def run(seed):
        key, counter = philox.seed_to_key_counter(seed, np)
        return (np.array([key], np.uint64), np.asarray(counter, np.uint64),
                np.int32(sro.PHILOX))
    return run


@kernel("StatelessRandomGetAlg")
def _get_alg(op):
    return lambda: np.int32(sro.PHILOX)


def multinomial(logits, num_samples, key, counter):
    """TF's CPU multinomial on one Philox stream: sample j of row b reads 32-bit words
    `2 * (b * num_samples + j)` and the next as a double in [0, 1) (TF runs the rows as one
    shard for batches this small), then takes the class whose running sum of
    `exp(logit - max)` first exceeds it; non-finite logits get no mass."""
    logits = np.asarray(logits)
    batch, classes = logits.shape
    n_words = 2 * batch * num_samples
    words = philox.blocks(key, counter, np.arange(-(-n_words // 4), dtype=np.uint64),
                          np).reshape(-1)[:n_words].reshape(batch, num_samples, 2)
    unit = philox._unit_float64(words[..., 0], words[..., 1], np)
    out = np.zeros((batch, num_samples), np.int64)
    for b in range(batch):
        row = logits[b]
        finite = np.isfinite(row)
        top = float(row[finite].max()) if finite.any() else float(np.finfo(row.dtype).min)
        mass = np.where(finite, np.exp(row.astype(np.float64) - top), 0.0)
        cdf = np.cumsum(mass)
        out[b] = np.searchsorted(cdf, unit[b] * cdf[-1], side="right")
    return out


@kernel("StatelessMultinomial")
def _stateless_multinomial(op):
    npd = op._attrs["output_dtype"].as_numpy_dtype

    def run(logits, num_samples, seed):
        n = int(num_samples)
        if n < 0:
            raise ValueError("num_samples should be nonnegative, got %d" % n)
        if np.asarray(logits).shape[1] == 0 and np.asarray(logits).shape[0]:
            raise ValueError("num_classes should be positive, got 0")
        key, counter = philox.seed_to_key_counter(seed, np)
        return multinomial(logits, n, key, counter).astype(npd)
    return run
