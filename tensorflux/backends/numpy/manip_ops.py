"""numpy kernels for array manipulation ops (ops/manip_ops.py)."""

import numpy as np

from tensorflux.ops.registry import kernel


@kernel("Select")
def _select(op):
    def run(c, x, y):
        if c.ndim == 1 and x.ndim > 1:
            if c.shape[0] != x.shape[0]:
                raise ValueError("condition must have the size of x's first dimension")
            c = c.reshape((-1,) + (1,) * (x.ndim - 1))
        elif c.shape != x.shape and c.ndim != 0:
            raise ValueError("'then' and 'else' must have the same size. but received: %s vs. %s"
                             % (list(x.shape), list(c.shape)))
        if x.shape != y.shape:
            raise ValueError("'then' and 'else' must have the same size. but received: %s vs. %s"
                             % (list(x.shape), list(y.shape)))
        return np.where(c, x, y)
    return run


@kernel("SelectV2")
def _select_v2(op):
    return lambda c, x, y: np.where(c, x, y)


@kernel("Where")
def _where(op):
    return lambda c: np.argwhere(c).astype(np.int64)


@kernel("BroadcastTo")
def _broadcast_to(op):
    return lambda x, shape: np.ascontiguousarray(np.broadcast_to(x, [int(d) for d in shape]))


@kernel("ExpandDims")
def _expand(op):
    def run(x, axis):
        a = int(np.asarray(axis).ravel()[0])
        if a < -x.ndim - 1 or a > x.ndim:
            raise ValueError("Tried to expand dim index %d for tensor with %d dimensions"
                             % (a, x.ndim))
        return np.expand_dims(x, a)
    return run


@kernel("Squeeze")
def _squeeze(op):
    dims = tuple(op._attrs["squeeze_dims"])

    def run(x):
        if not dims:
            return np.squeeze(x)
        for d in dims:
            if x.shape[d] != 1:
                raise ValueError("Can not squeeze dim[%d], expected a dimension of 1, got %d"
                                 % (d % x.ndim, x.shape[d]))
        return np.squeeze(x, axis=tuple(d % x.ndim for d in dims))
    return run
