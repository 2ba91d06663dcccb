"""numpy kernels for ops/sparse_segment_ops.py (SparseSegmentSum/Mean/SqrtN and their grads)."""

import numpy as np

from tensorflux.ops import sparse_segment_ops as sso
from tensorflux.ops.registry import kernel


def _check(indices, segment_ids, rows, num_segments):
    """TF's input checks: indices within data's rows, segment ids sorted and in range."""
    if len(indices) != len(segment_ids):
        raise ValueError("segment_ids and indices should have same size.")
    bad = (indices < 0) | (indices >= rows)
    if bad.any():
        k = int(np.argmax(bad))
        raise ValueError("Bad: indices[%d] == %d out of range [0, %d)" % (k, indices[k], rows))
    if len(segment_ids) and (np.diff(segment_ids) < 0).any():
        raise ValueError("segment ids are not increasing")
    if num_segments is not None and len(segment_ids) and segment_ids[-1] >= num_segments:
        raise ValueError("segment ids must be < num_segments")


def _scale(kind, counts, dtype):
    """Per-segment factor applied to the sums: 1, 1/n or 1/sqrt(n) (empty segments: 1)."""
    n = np.maximum(counts, 1).astype(np.float64)
    if kind == "Mean":
        return (1.0 / n).astype(dtype)
    if kind == "SqrtN":
        return (1.0 / np.sqrt(n)).astype(dtype)
    return np.ones(len(counts), dtype)


def _forward(op):
    kind = op.type[len("SparseSegment"):].replace("WithNumSegments", "")

    def run(data, indices, segment_ids, num_segments=None):
        data = np.asarray(data)
        indices, segment_ids = np.asarray(indices).ravel(), np.asarray(segment_ids).ravel()
        _check(indices, segment_ids, data.shape[0], num_segments)
        if num_segments is not None:
            out_rows = int(num_segments)
        else:
            out_rows = int(segment_ids[-1]) + 1 if len(segment_ids) else 0
        out = np.zeros((out_rows,) + data.shape[1:], data.dtype)
        np.add.at(out, segment_ids, data[indices])
        counts = np.bincount(segment_ids, minlength=out_rows)[:out_rows]
        scale = _scale(kind, counts, data.dtype).reshape((-1,) + (1,) * (data.ndim - 1))
        return (out * scale).astype(data.dtype)
    return run


def _backward(op):
    kind = [k for k, t in sso.KINDS.items() if t == op.type][0]

    def run(grad, indices, segment_ids, dim0):
        grad = np.asarray(grad)
        indices, segment_ids = np.asarray(indices).ravel(), np.asarray(segment_ids).ravel()
        counts = np.bincount(segment_ids, minlength=grad.shape[0])
        scale = _scale(kind, counts, grad.dtype).reshape((-1,) + (1,) * (grad.ndim - 1))
        out = np.zeros((int(dim0),) + grad.shape[1:], grad.dtype)
        np.add.at(out, indices, (grad * scale)[segment_ids])
        return out
    return run


for _kind, _grad_type in sso.KINDS.items():
    kernel("SparseSegment" + _kind)(_forward)
    kernel("SparseSegment%sWithNumSegments" % _kind)(_forward)
    kernel(_grad_type)(_backward)
