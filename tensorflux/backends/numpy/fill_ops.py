"""numpy kernels for generated tensors (ops/fill_ops.py): Fill, *Like, Range, LinSpace, OneHot."""

import numpy as np

from tensorflux.ops.registry import kernel


@kernel("Fill")
def _fill(op):
    def run(dims, value):
        if np.ndim(value) != 0:
            raise ValueError("value must be a scalar, got shape %s" % list(np.shape(value)))
        dims = [int(d) for d in np.asarray(dims).ravel()]
        if any(d < 0 for d in dims):
            raise ValueError("Fill dimensions must be >= 0")
        return np.full(dims, value, dtype=value.dtype)
    return run


@kernel("ZerosLike")
def _zeros_like(op):
    if op.inputs[0].dtype.base_dtype.name == "variant":  # a TensorList, or an Optional (TF 2
        from tensorflux.backends.numpy import list_ops, optional_ops  # cond gradients)

        return lambda x: (list_ops.zeros_like(x) if list_ops.is_list(x) else
                          optional_ops.zeros_like(x))
    return lambda x: np.zeros_like(x)


@kernel("OnesLike")
def _ones_like(op):
    return lambda x: np.ones_like(x)


@kernel("Range")
def _range(op):
    dt = op.outputs[0].dtype.as_numpy_dtype

    def run(start, limit, delta):
        start, limit, delta = start.item(), limit.item(), delta.item()
        if delta == 0:
            raise ValueError("Requires delta != 0: %s" % delta)
        if delta > 0 and start > limit:
            raise ValueError("Requires start <= limit when delta > 0: %s/%s" % (start, limit))
        if delta < 0 and start < limit:
            raise ValueError("Requires start >= limit when delta < 0: %s/%s" % (start, limit))
        if np.issubdtype(dt, np.integer):
            return np.arange(start, limit, delta, dtype=dt)
        n = int(np.ceil(abs(limit - start) / abs(delta)))
        return (start + np.arange(n, dtype=np.float64) * delta).astype(dt)
    return run


@kernel("LinSpace")
def _linspace(op):
    dt = op.outputs[0].dtype.as_numpy_dtype

    def run(start, stop, num):
        n = int(num)
        if n <= 0:
            raise ValueError("Requires num > 0: %d" % n)
        if n == 1:
            return np.array([start], dtype=dt)
        step = (float(stop) - float(start)) / (n - 1)
        out = float(start) + np.arange(n, dtype=np.float64) * step
        out[-1] = stop
        return out.astype(dt)
    return run


@kernel("OneHot")
def _one_hot(op):
    axis = op._attrs["axis"]
    dt = op.outputs[0].dtype.as_numpy_dtype

    def run(indices, depth, on, off):
        d = int(depth)
        if d < 0:
            raise ValueError("depth must be non-negative, got: %d" % d)
        if axis != -1 and not 0 <= axis <= indices.ndim:
            raise ValueError("Expected axis to be -1 or between [0, %d).  But received: %d"
                             % (indices.ndim + 1, axis))
        hot = np.expand_dims(indices, -1) == np.arange(d)
        out = np.where(hot, on, off).astype(dt)
        return out if axis == -1 else np.ascontiguousarray(np.moveaxis(out, -1, axis))
    return run
