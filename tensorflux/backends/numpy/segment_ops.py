"""numpy kernels for segment reductions (ops/segment_ops.py)."""

import numpy as np

from tensorflux.ops.registry import kernel


def _segments(data, ids):
    if ids.ndim != 1:
        raise ValueError("segment_ids should be a vector.")
    if data.ndim < 1 or ids.size != data.shape[0]:
        raise ValueError("segment_ids should be the same size as dimension 0 of input.")
    if ids.size and ids[0] < 0:
        raise ValueError("segment ids must be >= 0")
    if ids.size > 1 and (np.diff(ids) < 0).any():
        i = int(np.argmax(np.diff(ids) < 0))
        raise ValueError("segment ids are not increasing: %d > %d" % (ids[i], ids[i + 1]))
    return int(ids[-1]) + 1 if ids.size else 0


def _segment_kernel(reduce_name):
    def builder(op):
        def run(data, ids):
            n = _segments(data, ids)
            shape = (n,) + data.shape[1:]
            counts = np.bincount(ids, minlength=n).reshape((n,) + (1,) * (data.ndim - 1))
            if reduce_name in ("sum", "mean"):
                out = np.zeros(shape, dtype=data.dtype)
                np.add.at(out, ids, data)
                if reduce_name == "mean":
                    out = (out / np.maximum(counts, 1)).astype(data.dtype)
                return out
            fn = np.maximum if reduce_name == "max" else np.minimum
            if np.issubdtype(data.dtype, np.floating):
                init = -np.inf if reduce_name == "max" else np.inf
            else:
                info = np.iinfo(data.dtype)
                init = info.min if reduce_name == "max" else info.max
            out = np.full(shape, init, dtype=data.dtype)
            fn.at(out, ids, data)
            return np.where(counts > 0, out, np.zeros((), data.dtype))
        return run
    return builder


kernel("SegmentSum")(_segment_kernel("sum"))
kernel("SegmentMean")(_segment_kernel("mean"))
kernel("SegmentMax")(_segment_kernel("max"))
kernel("SegmentMin")(_segment_kernel("min"))


def _unsorted_rows(data, ids, num):
    """(flat ids, rows of data) of the non-negative ids, after TF's checks."""
    if data.shape[:ids.ndim] != ids.shape:
        raise ValueError("data.shape = %s does not start with segment_ids.shape = %s"
                         % (list(data.shape), list(ids.shape)))
    flat_ids = ids.ravel()
    too_big = flat_ids >= num
    if too_big.any():
        i = int(np.argmax(too_big))
        raise ValueError("segment_ids[%d] = %d is out of range [0, %d)" % (i, flat_ids[i], num))
    rows = data.reshape((flat_ids.size,) + data.shape[ids.ndim:])
    keep = flat_ids >= 0
    return flat_ids[keep], rows[keep]


def unsorted_identity(reduce_name, dtype):
    """The value of an empty segment: 0 for sums, 1 for products, else TF's numeric_limits
    lowest (max) or max (min)."""
    if reduce_name in ("sum", "prod"):
        return int(reduce_name == "prod")
    info = np.finfo(dtype) if np.issubdtype(dtype, np.floating) else np.iinfo(dtype)
    return info.min if reduce_name == "max" else info.max


def _unsorted_kernel(reduce_name, ufunc):
    def builder(op):
        def run(data, ids, num):
            num = int(num)
            flat_ids, rows = _unsorted_rows(data, ids, num)
            init = unsorted_identity(reduce_name, data.dtype)
            out = np.full((num,) + data.shape[ids.ndim:], init, dtype=data.dtype)
            ufunc.at(out, flat_ids, rows)
            return out
        return run
    return builder


kernel("UnsortedSegmentSum")(_unsorted_kernel("sum", np.add))
kernel("UnsortedSegmentMax")(_unsorted_kernel("max", np.maximum))
kernel("UnsortedSegmentMin")(_unsorted_kernel("min", np.minimum))
kernel("UnsortedSegmentProd")(_unsorted_kernel("prod", np.multiply))
