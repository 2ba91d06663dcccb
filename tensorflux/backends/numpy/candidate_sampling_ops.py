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


def _sampler(draw, prob):
    def builder(op):
        a = op._attrs
        n, unique, range_max, num_true = a["num_sampled"], a["unique"], a["range_max"], \
            a["num_true"]

        def run(state, true_classes):
            if true_classes.ndim != 2 or true_classes.shape[1] != num_true:
                raise ValueError("true_classes must be a matrix with num_true=%d columns, got "
                                 "shape %s" % (num_true, list(true_classes.shape)))
            rng = _rng(state, op)
            if unique:
                picked, seen, tries = [], set(), 0
                while len(picked) < n:
                    for v in draw(rng, range_max, max(2 * n, 16)).tolist():
                        tries += 1
                        if v not in seen:
                            seen.add(v)
                            picked.append(v)
                            if len(picked) == n:
                                break
                sampled = np.array(picked, np.int64)
            else:
                sampled, tries = draw(rng, range_max, n), n
            true_exp = _expected(prob(true_classes.astype(np.float64), range_max), n, tries)
            samp_exp = _expected(prob(sampled.astype(np.float64), range_max), n, tries)
            return (sampled.astype(np.int64), true_exp.astype(np.float32),
                    samp_exp.astype(np.float32))
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
