"""numpy kernel for EditDistance (ops/edit_distance_ops.py)."""

import numpy as np

from tensorflux.ops.registry import kernel


def levenshtein(a, b):
    """Insertions + deletions + substitutions turning sequence `a` into `b` (one DP row)."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


def _groups(indices, values, shape, what):
    """Sequence key (all but the last index) -> the values in order of the last index."""
    if indices.ndim != 2 or indices.shape[1] != shape.size or values.shape[0] != indices.shape[0]:
        raise ValueError("%s indices, values and shape do not agree: %s, %s, %s"
                         % (what, list(indices.shape), list(values.shape), list(shape)))
    out = {}
    for idx, v in sorted(zip(map(tuple, indices.tolist()), values.tolist())):
        out.setdefault(idx[:-1], []).append(v)
    return out


@kernel("EditDistance")
def _edit_distance(op):
    normalize = op._attrs["normalize"]

    def run(h_idx, h_vals, h_shape, t_idx, t_vals, t_shape):
        if h_shape.size != t_shape.size:
            raise ValueError("hypothesis and truth have different ranks: %d vs. %d"
                             % (h_shape.size, t_shape.size))
        hyp = _groups(h_idx, h_vals, h_shape, "hypothesis")
        truth = _groups(t_idx, t_vals, t_shape, "truth")
        out = np.zeros(np.maximum(h_shape[:-1], t_shape[:-1]), np.float32)
        for key in set(hyp) | set(truth):
            a, b = hyp.get(key, []), truth.get(key, [])
            d = float(levenshtein(a, b))
            if normalize:
                d = d / len(b) if b else (np.inf if a else 0.0)
            out[key] = d
        return out
    return run
