"""numpy kernels for the array extras (ops/array_extras.py)."""

import numpy as np

from tensorflux.ops.registry import kernel


@kernel("Roll")
def _roll(op):
    def run(x, shift, axis):
        shift, axis = np.atleast_1d(shift), np.atleast_1d(axis)
        if shift.shape != axis.shape:
            raise ValueError("shift and axis must have the same size")
        for a in axis:
            if not -x.ndim <= a < x.ndim:
                raise ValueError("axis %d is out of range" % a)
        return np.roll(x, tuple(int(s) for s in shift), tuple(int(a) for a in axis))
    return run


def _bound(side):
    def builder(op):
        npd = op._attrs["out_type"].as_numpy_dtype

        def run(seq, vals):
            if seq.shape[0] != vals.shape[0]:
                raise ValueError("Leading dim_size of both tensors must match.")
            out = [np.searchsorted(s, v, side=side) for s, v in zip(seq, vals)]
            return np.asarray(out, npd).reshape(vals.shape)
        return run
    return builder


kernel("LowerBound")(_bound("left"))
kernel("UpperBound")(_bound("right"))


@kernel("DynamicPartition")
def _dynamic_partition(op):
    n = op._attrs["num_partitions"]

    def run(data, parts):
        bad = (parts < 0) | (parts >= n)
        if bad.any():
            at = np.argwhere(bad)[0]
            raise ValueError("partitions[%s] = %d is not in [0, %d)"
                             % (",".join(str(int(i)) for i in at), parts[tuple(at)], n))
        if data.shape[:parts.ndim] != parts.shape:
            raise ValueError("data.shape must start with partitions.shape, got data.shape = %s, "
                             "partitions.shape = %s" % (list(data.shape), list(parts.shape)))
        rows = data.reshape((-1,) + data.shape[parts.ndim:])
        flat = parts.reshape(-1)
        return tuple(rows[flat == k] for k in range(n))
    return run


@kernel("HistogramFixedWidth")
def _histogram(op):
    npd = op._attrs["dtype"].as_numpy_dtype

    def run(values, value_range, nbins):
        nbins = int(nbins)
        lo, hi = float(value_range[0]), float(value_range[1])
        if nbins <= 0:
            raise ValueError("nbins should be a positive number, but got '%d'" % nbins)
        if not lo < hi:
            raise ValueError("value_range should satisfy value_range[0] < value_range[1], "
                             "but got '[%g, %g]'" % (lo, hi))
        step = (hi - lo) / nbins
        with np.errstate(invalid="ignore"):
            idx = np.floor(np.clip((values.astype(np.float64).ravel() - lo) / step, 0, nbins - 1))
        return np.bincount(idx.astype(np.int64), minlength=nbins).astype(npd)
    return run


@kernel("EnsureShape")
def _ensure_shape(op):
    want = op._attrs["shape"]

    def run(x):
        if not want.is_compatible_with(x.shape):
            raise ValueError("Shape of tensor %s %s is not compatible with expected shape %s."
                             % (op.inputs[0].op.name, list(x.shape), want))
        return x
    return run


@kernel("ParallelConcat")
def _parallel_concat(op):
    return lambda *parts: np.concatenate(parts, axis=0)


def check_unravel_dims(dims):
    """The dims as ints; TF's errors for a non-positive one."""
    dims = [int(d) for d in np.ravel(dims)]
    if any(d <= 0 for d in dims):
        raise ValueError("Input dims must be > 0, got %s" % dims)
    return dims


@kernel("UnravelIndex")
def _unravel_index(op):
    def run(indices, dims):
        dims = check_unravel_dims(dims)
        if np.any((indices < 0) | (indices >= int(np.prod(dims)))):
            raise ValueError("index is out of bound as with dims")
        return np.stack(np.unravel_index(indices, dims)).astype(indices.dtype)
    return run
