"""numpy kernels for fractional pooling (ops/fractional_pool_ops.py).

The pooling sequences are drawn as TF's `fractional_pool_common.cc` draws them: a Philox
generator keyed by `seed` with counter `(0, seed2)`; each sequence reserves its samples
(whole 128-bit blocks) in turn, rows first. Pseudo-random sequences use one double
`u` in [0, max_u): boundaries ceil(alpha * (i + u)); random ones shuffle the step sizes
(k + 1 for the first `size % n`, k after) with TF's Fisher-Yates over `word % (n - i)`.
"""

import math

import numpy as np

from tensorflux import errors
from tensorflux.backends.numpy import philox
from tensorflux.graph.operation import op_error
from tensorflux.ops.registry import kernel


class _Generator:
    """TF's GuardedPhiloxRandom: `reserve(n)` gives the words of the next ceil(n / 4) blocks."""

    def __init__(self, seed, seed2):
        self.key = np.uint64(seed & 0xFFFFFFFFFFFFFFFF)
        self.counter = [np.uint64(0), np.uint64(seed2 & 0xFFFFFFFFFFFFFFFF)]
        self.offset = 0

    def reserve(self, samples):
        n = (samples + 3) // 4
        offsets = np.arange(self.offset, self.offset + n, dtype=np.uint64)
        self.offset += n
        return philox.blocks(self.key, self.counter, offsets, np).reshape(-1)


def _pseudo_random_steps(n_in, n_out, gen):
    alpha = n_in / n_out
    k = n_in // n_out
    max_u = min((k + 2) / alpha - 1, (n_in + 1 - k) / alpha - (n_out - 1))
    words = gen.reserve(2)
    u = float(philox._unit_float64(words[0], words[1], np)) * max_u
    cum = [1] + [int(math.ceil(alpha * (i + u))) for i in range(1, n_out)] + [n_in + 1]
    return np.diff(cum)


def _random_steps(n_in, n_out, gen):
    k, extra = divmod(n_in, n_out)
    steps = [k + 1] * extra + [k] * (n_out - extra)
    words = gen.reserve(n_out)
    for i in range(n_out - 1):
        j = i + int(words[i]) % (n_out - i)
        steps[i], steps[j] = steps[j], steps[i]
    return np.asarray(steps)


def pooling_sequence(n_in, n_out, gen, pseudo_random):
    """The cumulative pooling sequence [0, ..., n_in] of `n_out` regions."""
    steps = (_pseudo_random_steps if pseudo_random else _random_steps)(n_in, n_out, gen)
    return np.concatenate([[0], np.cumsum(steps)]).astype(np.int64)


def _regions(seq, size, overlapping):
    """(start, end) row ranges (end exclusive) of each cell of a pooling sequence."""
    out = []
    for i in range(len(seq) - 1):
        end = seq[i + 1] + 1 if overlapping else seq[i + 1]
        out.append((int(seq[i]), int(min(end, size))))
    return out


def _check_sequence(seq, size, what):
    seq = np.asarray(seq).astype(np.int64, copy=False)
    if seq.ndim != 1 or seq.size < 2:
        raise ValueError("%s must be a vector of at least 2 elements" % what)
    if np.any(seq < 0) or np.any(seq > size) or np.any(np.diff(seq) <= 0):
        raise ValueError("%s must be increasing from 0 to at most %d: %s"
                         % (what, size, seq.tolist()))
    return seq


def _seeds(state, op):
    """(seed, seed2) for this run: the op's own, or random ones as TF draws them."""
    a = op._attrs
    if a["deterministic"]:
        if a["seed"] or a["seed2"]:
            return a["seed"], a["seed2"]
        fixed = state.rngs.get(op.name)
        if fixed is None:  # TF draws the seeds once, when the kernel is built
            fixed = state.rngs[op.name] = tuple(
                int(s) for s in np.random.default_rng().integers(1, 2 ** 63, 2))
        return fixed
    if a["seed"] or a["seed2"]:
        raise ValueError("Both seed and seed2 should be 0 if deterministic is false.")
    rng = state.rngs.setdefault(op.name, np.random.default_rng())
    return tuple(int(s) for s in rng.integers(1, 2 ** 63, 2))


def _pool_kernel(reduce_fn, kind):
    def builder(op):
        ratio = op._attrs["pooling_ratio"]
        overlapping = op._attrs["overlapping"]
        pseudo = op._attrs["pseudo_random"]
        if ratio[0] != 1.0 or ratio[3] != 1.0:
            def unsupported(state, x):
                raise op_error(errors.UnimplementedError, op,
                               "Fractional %s pooling is not yet supported on the batch nor "
                               "channel dimension." % kind)
            return unsupported

        def run(state, x):
            if x.ndim != 4:
                raise ValueError("tensor_in must be 4-dimensional")
            out_size = [int(math.floor(x.shape[i] / ratio[i])) for i in range(4)]
            for i in range(4):
                if x.shape[i] < ratio[i] or out_size[i] <= 0:
                    raise ValueError("Pooling ratio is higher than input dimension size for "
                                     "dimension %d. Input dim size: %d pooling ratio: %g"
                                     % (i, x.shape[i], ratio[i]))
            gen = _Generator(*_seeds(state, op))
            rows = pooling_sequence(x.shape[1], out_size[1], gen, pseudo)
            cols = pooling_sequence(x.shape[2], out_size[2], gen, pseudo)
            return [pool_with_sequences(x, rows, cols, overlapping, reduce_fn), rows, cols]
        return run
    return builder


def pool_with_sequences(x, rows, cols, overlapping, reduce_fn):
    """Pools NHWC `x` over the regions of the given cumulative sequences."""
    rr = _regions(rows, x.shape[1], overlapping)
    cc = _regions(cols, x.shape[2], overlapping)
    out = np.empty((x.shape[0], len(rr), len(cc), x.shape[3]), x.dtype)
    for i, (r0, r1) in enumerate(rr):
        for j, (c0, c1) in enumerate(cc):
            out[:, i, j, :] = reduce_fn(x[:, r0:r1, c0:c1, :])
    return out


def _max(region):
    return region.max(axis=(1, 2))


def _mean(region):
    # Integer inputs: TF's mean truncates toward zero like its integer division.
    if np.issubdtype(region.dtype, np.integer):
        total = region.sum(axis=(1, 2), dtype=np.int64)
        n = region.shape[1] * region.shape[2]
        return (np.sign(total) * (np.abs(total) // n)).astype(region.dtype)
    return region.mean(axis=(1, 2), dtype=np.float64 if region.dtype == np.float64 else None)


kernel("FractionalMaxPool")(_pool_kernel(_max, "max"))
kernel("FractionalAvgPool")(_pool_kernel(_mean, "average"))


@kernel("FractionalMaxPoolGrad")
def _max_pool_grad(op):
    overlapping = op._attrs["overlapping"]

    def run(x, y, grad, rows, cols):
        rows = _check_sequence(rows, x.shape[1], "row_pooling_sequence")
        cols = _check_sequence(cols, x.shape[2], "col_pooling_sequence")
        rr = _regions(rows, x.shape[1], overlapping)
        cc = _regions(cols, x.shape[2], overlapping)
        want = (x.shape[0], len(rr), len(cc), x.shape[3])
        if tuple(grad.shape) != want or tuple(y.shape) != want:
            raise ValueError("out_backprop and orig_output must have shape %s, got %s and %s"
                             % (list(want), list(grad.shape), list(y.shape)))
        if not np.array_equal(pool_with_sequences(x, rows, cols, overlapping, _max), y,
                              equal_nan=np.issubdtype(x.dtype, np.floating)):
            raise ValueError("tensor_out_dup is not the same as tensor_out")
        dx = np.zeros(x.shape, grad.dtype)
        n_idx, d_idx = np.meshgrid(np.arange(x.shape[0]), np.arange(x.shape[3]),
                                   indexing="ij")
        for i, (r0, r1) in enumerate(rr):
            for j, (c0, c1) in enumerate(cc):
                region = x[:, r0:r1, c0:c1, :]
                flat = region.reshape(x.shape[0], -1, x.shape[3])
                # First maximum in row-major order (TF's strict "<" scan).
                arg = np.argmax(flat, axis=1)
                h = r0 + arg // (c1 - c0)
                w = c0 + arg % (c1 - c0)
                np.add.at(dx, (n_idx, h, w, d_idx), grad[:, i, j, :])
        return dx
    return run


@kernel("FractionalAvgPoolGrad")
def _avg_pool_grad(op):
    overlapping = op._attrs["overlapping"]

    def run(shape, grad, rows, cols):
        shape = [int(s) for s in np.asarray(shape).reshape(-1)]
        if len(shape) != 4:
            raise ValueError("original input tensor shape must be 1-dimensional and 4 elements")
        rows = _check_sequence(rows, shape[1], "row_pooling_sequence")
        cols = _check_sequence(cols, shape[2], "col_pooling_sequence")
        rr = _regions(rows, shape[1], overlapping)
        cc = _regions(cols, shape[2], overlapping)
        want = (shape[0], len(rr), len(cc), shape[3])
        if tuple(grad.shape) != want:
            raise ValueError("out_backprop must have shape %s, got %s"
                             % (list(want), list(grad.shape)))
        acc = np.zeros(shape, np.float64)
        for i, (r0, r1) in enumerate(rr):
            for j, (c0, c1) in enumerate(cc):
                n = (r1 - r0) * (c1 - c0)
                acc[:, r0:r1, c0:c1, :] += (grad[:, i, j, :] / n)[:, None, None, :]
        return acc.astype(grad.dtype)
    return run
