"""numpy kernels for candidate sampling (ops/candidate_sampling_ops.py), as TF's range samplers.

Log-uniform draws `exp(u * log(range + 1)) - 1` (mod range); with `unique`, draws repeat until
`num_sampled` distinct classes are found and the expected counts use the number of tries:
`1 - (1 - p) ** tries` (computed as `-expm1(tries * log1p(-p))`), else `p * num_sampled`.
"""

import numpy as np

from tensorflux.backends.numpy.random_ops import _rng
from tensorflux.ops.registry import kernel


def _expected(p, num_sampled, tries):
    if tries == num_sampled:
        return p * num_sampled
    return -np.expm1(tries * np.log1p(-p))


def _sample(rng, true_classes, n, unique, draw, prob):
    """(sampled, true_expected, sampled_expected): draws `n` classes with `draw(rng, size)`
    (distinct ones when `unique`) and the expected counts from the probabilities `prob(c)`."""
    if unique:
        picked, seen, tries = [], set(), 0
        while len(picked) < n:
            for v in draw(rng, max(2 * n, 16)).tolist():
                tries += 1
                if v not in seen:
                    seen.add(v)
                    picked.append(v)
                    if len(picked) == n:
                        break
        sampled = np.array(picked, np.int64)
    else:
        sampled, tries = np.asarray(draw(rng, n), np.int64), n
    with np.errstate(divide="ignore"):
        true_exp = _expected(prob(true_classes), n, tries)
        samp_exp = _expected(prob(sampled), n, tries)
    return sampled.astype(np.int64), true_exp.astype(np.float32), samp_exp.astype(np.float32)


def _check_true(true_classes, num_true):
    if true_classes.ndim != 2 or true_classes.shape[1] != num_true:
        raise ValueError("true_classes must be a matrix with num_true=%d columns, got "
                         "shape %s" % (num_true, list(true_classes.shape)))


def _sampler(draw, prob):
    def builder(op):
        a = op._attrs
        n, unique, range_max, num_true = a["num_sampled"], a["unique"], a["range_max"], \
            a["num_true"]

        def run(state, true_classes):
            _check_true(true_classes, num_true)
            return _sample(_rng(state, op), true_classes, n, unique,
                           lambda rng, size: draw(rng, range_max, size),
                           lambda c: prob(c.astype(np.float64), range_max))
        return run
    return builder


def _log_uniform_draw(rng, range_max, size):
    v = np.exp(rng.random(size) * np.log1p(range_max)).astype(np.int64) - 1
    return v % range_max


def _log_uniform_prob(c, range_max):
    return np.log((c + 2.0) / (c + 1.0)) / np.log1p(range_max)


kernel("LogUniformCandidateSampler")(_sampler(_log_uniform_draw, _log_uniform_prob))
kernel("UniformCandidateSampler")(_sampler(
    lambda rng, range_max, size: rng.integers(0, range_max, size=size, dtype=np.int64),
    lambda c, range_max: np.full(c.shape, 1.0 / range_max)))


def _unigram_weights(attrs):
    """FixedUnigramSampler's float32 weights (TF's order, quirks included: after the reserved
    ids, the word ids of the unigrams restart at the number of weights kept so far)."""
    num_shards, shard = attrs["num_shards"], attrs["shard"]
    distortion = np.float32(attrs["distortion"])
    weights = [np.float32(0.0) for i in range(attrs["num_reserved_ids"])
               if i % num_shards == shard]
    if attrs["vocab_file"]:
        values = []
        with open(attrs["vocab_file"]) as f:
            for line in f.read().splitlines():
                if not line:
                    continue
                try:
                    values.append(float(line.split(",")[-1].strip()))
                except ValueError:
                    raise ValueError("Wrong vocabulary format at line: %s" % line) from None
    elif attrs["unigrams"]:
        values = attrs["unigrams"]
    else:
        raise ValueError("Must provide either vocab_file or unigrams.")
    word_id = len(weights)
    for w in values:
        if word_id % num_shards == shard:
            weights.append(np.power(np.float32(w), distortion, dtype=np.float32))
        word_id += 1
    weights = np.array(weights, np.float32)
    if len(weights) != attrs["range_max"]:
        raise ValueError("range is %d must be equal to weights size  %d"
                         % (attrs["range_max"], len(weights)))
    total = np.float32(0.0)
    for w in weights:  # a float32 running sum, as TF's total_weight_
        total = np.float32(total + w)
    return weights, total


def _weighted_draw(weights, total):
    p = weights.astype(np.float64) / float(total)
    p = p / p.sum()
    return lambda rng, size: rng.choice(len(weights), size=size, p=p).astype(np.int64)


def _weight_prob(weights, total):
    def prob(c):
        c = np.asarray(c, np.int64)
        inside = (c >= 0) & (c < len(weights))
        w = np.where(inside, weights[np.clip(c, 0, len(weights) - 1)], np.float32(0.0))
        return (w.astype(np.float32) / np.float32(total)).astype(np.float32).astype(np.float64)
    return prob


@kernel("FixedUnigramCandidateSampler")
def _fixed_unigram(op):
    a = op._attrs
    cache = []

    def run(state, true_classes):
        _check_true(true_classes, a["num_true"])
        if not cache:
            cache.append(_unigram_weights(a))
        weights, total = cache[0]
        return _sample(_rng(state, op), true_classes, a["num_sampled"], a["unique"],
                       _weighted_draw(weights, total), _weight_prob(weights, total))
    return run


@kernel("LearnedUnigramCandidateSampler")
def _learned_unigram(op):
    a = op._attrs
    range_max = a["range_max"]

    def run(state, true_classes):
        _check_true(true_classes, a["num_true"])
        key = ("LearnedUnigramCandidateSampler", op.name)
        counts = state.resources.get(key)
        if counts is None:
            counts = state.resources[key] = np.ones(range_max, np.int64)
        weights = counts.astype(np.float32)
        total = np.float32(counts.sum())
        out = _sample(_rng(state, op), true_classes, a["num_sampled"], a["unique"],
                      _weighted_draw(weights, total), _weight_prob(weights, total))
        for c in true_classes.reshape(-1).tolist():  # learns the true classes, as TF's Update
            if 0 <= c < range_max and counts[c] < 2 ** 31 - 1:
                counts[c] += 1
        return out
    return run


@kernel("ComputeAccidentalHits")
def _accidental_hits(op):
    def run(true_classes, sampled):
        pos = {int(c): j for j, c in enumerate(sampled.tolist())}  # last position wins, as TF
        rows, ids = [], []
        for i, row in enumerate(true_classes.tolist()):
            for c in row:
                j = pos.get(int(c))
                if j is not None:
                    rows.append(i)
                    ids.append(j)
        weights = np.full(len(rows), -np.finfo(np.float32).max, np.float32)
        return np.array(rows, np.int32), np.array(ids, np.int64), weights
    return run
