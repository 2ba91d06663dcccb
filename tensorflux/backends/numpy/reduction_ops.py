"""numpy kernels for reductions and argmax/argmin (ops/reduction_ops.py)."""

import numpy as np

from tensorflux.ops.registry import kernel


def _axes(axis, rank):
    ax = np.asarray(axis).ravel()
    for a in ax:
        if a < -rank or a >= rank:
            raise ValueError("Invalid reduction dimension (%d for input with %d dimension(s)"
                             % (a, rank))
    return tuple(int(a) % rank if rank else int(a) for a in ax)


def _reducer(fn, empty_ok=True):
    def builder(op):
        keep = op._attrs["keep_dims"]

        def run(x, axis):
            ax = _axes(axis, x.ndim)
            if x.ndim == 0:
                return x.copy()
            r = fn(x, axis=ax, keepdims=keep)
            return np.asarray(r, dtype=x.dtype) if r.dtype != x.dtype else r
        return run
    return builder


def _mean(x, axis, keepdims):
    if x.dtype.kind in "iu":
        s = np.sum(x, axis=axis, keepdims=keepdims, dtype=np.int64)
        n = max(1, int(np.prod([x.shape[a] for a in axis])) if axis else 1)
        return (np.trunc(s / n)).astype(x.dtype)
    return np.mean(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _max(x, axis, keepdims):
    if x.size == 0:
        fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
        shape = [1 if i in axis else d for i, d in enumerate(x.shape)] if keepdims else \
            [d for i, d in enumerate(x.shape) if i not in axis]
        return np.full(shape, fill, x.dtype)
    return np.max(x, axis=axis, keepdims=keepdims)


def _min(x, axis, keepdims):
    if x.size == 0:
        fill = np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).max
        shape = [1 if i in axis else d for i, d in enumerate(x.shape)] if keepdims else \
            [d for i, d in enumerate(x.shape) if i not in axis]
        return np.full(shape, fill, x.dtype)
    return np.min(x, axis=axis, keepdims=keepdims)


kernel("Sum")(_reducer(lambda x, axis, keepdims: np.sum(x, axis=axis, keepdims=keepdims,
                                                         dtype=x.dtype)))
kernel("Mean")(_reducer(_mean))
kernel("Prod")(_reducer(lambda x, axis, keepdims: np.prod(x, axis=axis, keepdims=keepdims,
                                                           dtype=x.dtype)))
kernel("Max")(_reducer(_max))
kernel("Min")(_reducer(_min))
kernel("All")(_reducer(np.all))
kernel("Any")(_reducer(np.any))


def _arg(fn):
    def builder(op):
        out = op._attrs["output_type"].as_numpy_dtype

        def run(x, axis):
            a = int(axis)
            if a < -x.ndim or a >= x.ndim:
                raise ValueError("Expected dimension in the range [%d, %d), but got %d"
                                 % (-x.ndim, x.ndim, a))
            if x.shape[a] == 0:
                raise ValueError("Reduction axis %d is empty in shape %s" % (a, list(x.shape)))
            return fn(x, axis=a).astype(out)
        return run
    return builder


kernel("ArgMax")(_arg(np.argmax))
kernel("ArgMin")(_arg(np.argmin))
