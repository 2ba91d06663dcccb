"""XLA kernels for pooling (ops/pool_ops.py) via `lax.reduce_window`.

Max pooling pads with -inf (TF's SAME semantics); average pooling divides each window's sum by
its number of unpadded elements. The max-pool gradients are the exact VJP/JVP of the forward
pool, which XLA implements with SelectAndScatter: the first maximum of a window (row-major)
takes the gradient, as in TF.
"""

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from tensorflux.backends.xla.kernel import fail_if, kernel
from tensorflux.ops import conv_ops


class PoolGeometry:
    """A pool op's layout, window, strides and padding, resolved from its attrs."""

    def __init__(self, op, rank):
        fmt = conv_ops.attr_str(op, "data_format")
        _, _, self.spatial = conv_ops.layout(fmt, rank)
        self.rank = rank
        self.strides, _, self.padding, self.explicit = conv_ops.spatial_attrs(op, rank)
        self.ksize = [int(op._attrs["ksize"][a]) for a in self.spatial]

    def resolve(self, shape):
        sizes = [shape[a] for a in self.spatial]
        return conv_ops.window_geometry(sizes, self.ksize, self.strides, [1] * len(sizes),
                                        self.padding, self.explicit)

    def full(self, values, fill):
        out = [fill] * self.rank
        for a, v in zip(self.spatial, values):
            out[a] = v
        return tuple(out)

    def window(self, x, init, fn, pads):
        return lax.reduce_window(x, init, fn, self.full(self.ksize, 1),
                                 self.full(self.strides, 1), self.full(pads, (0, 0)))


def _lowest(dtype):
    return -jnp.inf if jnp.issubdtype(dtype, jnp.floating) else jnp.iinfo(dtype).min


def _max_pool(geo, x):
    _, pads = geo.resolve(x.shape)
    return geo.window(x, np.array(_lowest(x.dtype), x.dtype), lax.max, pads)


def _valid_counts(geo, shape, out, pads):
    """Number of unpadded elements of each window, broadcastable against the output."""
    total = np.ones([1] * geo.rank, np.float64)
    for a, o, (pb, _), k, s in zip(geo.spatial, out, pads, geo.ksize, geo.strides):
        start = np.arange(o) * s - pb
        cnt = np.minimum(start + k, shape[a]) - np.maximum(start, 0)
        sh = [1] * geo.rank
        sh[a] = o
        total = total * cnt.reshape(sh)
    return total


def _avg_pool(geo, x):
    out, pads = geo.resolve(x.shape)
    s = geo.window(x, np.array(0, x.dtype), lax.add, pads)
    return (s / _valid_counts(geo, x.shape, out, pads).astype(x.dtype)).astype(x.dtype)


def _pool(rank, fn):
    def builder(op):
        geo = PoolGeometry(op, rank)
        return lambda x: fn(geo, x)
    return builder


def _max_grad(rank):
    def builder(op):
        geo = PoolGeometry(op, rank)

        def run(x, unused_y, g):
            y, vjp = jax.vjp(lambda v: _max_pool(geo, v), x)
            if y.shape != g.shape:
                raise ValueError("gradient shape differs from the pool's output")
            (dx,) = vjp(g.astype(x.dtype))
            return dx.astype(g.dtype)
        return run
    return builder


def _max_grad_grad(rank):
    def builder(op):
        geo = PoolGeometry(op, rank)

        def run(x, unused_y, gg):
            if gg.shape != x.shape:
                raise ValueError("gradient shape differs from the input")
            _, dy = jax.jvp(lambda v: _max_pool(geo, v), (x,), (gg.astype(x.dtype),))
            return dy.astype(gg.dtype)
        return run
    return builder


def _avg_grad(rank):
    def builder(op):
        geo = PoolGeometry(op, rank)

        def run(shape, g):
            spec = jax.ShapeDtypeStruct(tuple(int(d) for d in np.asarray(shape).ravel()),
                                        g.dtype)
            (dx,) = jax.linear_transpose(lambda v: _avg_pool(geo, v), spec)(g)
            return dx
        return run
    return builder


for _sfx, _rank in (("", 4), ("3D", 5)):
    kernel("MaxPool" + _sfx)(_pool(_rank, _max_pool))
    kernel("AvgPool" + _sfx)(_pool(_rank, _avg_pool))
    kernel("MaxPool%sGrad" % _sfx)(_max_grad(_rank))
    kernel("MaxPool%sGradGrad" % _sfx)(_max_grad_grad(_rank))
    kernel("AvgPool%sGrad" % _sfx, static=(0,))(_avg_grad(_rank))


# --- argmax variants (NHWC only, as in TF) ------------------------------------------------------
def _window_argmax(geo, x):
    """(output sizes, pads, window offset of each output's first maximum) of NHWC `x`."""
    out, pads = geo.resolve(x.shape)
    xp = jnp.pad(x, geo.full(pads, (0, 0)), constant_values=_lowest(x.dtype))
    best, idx = None, None
    kh, kw = geo.ksize
    sh, sw = geo.strides
    for i in range(kh * kw):
        r, c = divmod(i, kw)
        v = xp[:, r:r + (out[0] - 1) * sh + 1:sh, c:c + (out[1] - 1) * sw + 1:sw, :]
        if best is None:
            best, idx = v, jnp.zeros(v.shape, jnp.int32)
            continue
        m = v > best
        best = jnp.where(m, v, best)
        idx = jnp.where(m, i, idx)
    return out, pads, idx


def _batch_offsets(argmax, x_shape, include_batch):
    argmax = argmax.astype(jnp.int64)
    if include_batch:
        return argmax
    per = int(np.prod(x_shape[1:]))
    return argmax + jnp.arange(x_shape[0], dtype=jnp.int64).reshape(
        (-1,) + (1,) * (argmax.ndim - 1)) * per


@kernel("MaxPoolWithArgmax")
def _max_pool_with_argmax(op):
    geo = PoolGeometry(op, 4)
    include_batch = op._attrs["include_batch_in_index"]
    npd = op._attrs["Targmax"].as_numpy_dtype

    def run(x):
        out, pads, idx = _window_argmax(geo, x)
        n, h, w, c = x.shape
        kh, kw = jnp.divmod(idx.astype(jnp.int64), geo.ksize[1])
        rows = (np.arange(out[0]) * geo.strides[0] - pads[0][0]).reshape(1, -1, 1, 1) + kh
        cols = (np.arange(out[1]) * geo.strides[1] - pads[1][0]).reshape(1, 1, -1, 1) + kw
        flat = (rows * w + cols) * c + np.arange(c).reshape(1, 1, 1, -1)
        if include_batch:
            flat = flat + np.arange(n).reshape(-1, 1, 1, 1) * (h * w * c)
        y = jnp.take(x.reshape(-1), _batch_offsets(flat, x.shape, include_batch))
        return y, flat.astype(npd)
    return run


@kernel("MaxPoolGradWithArgmax", checks=True)
def _max_pool_grad_with_argmax(op):
    include_batch = op._attrs["include_batch_in_index"]

    def run(x, g, argmax):
        flat = _batch_offsets(argmax, x.shape, include_batch).ravel()
        size = int(np.prod(x.shape))
        fail_if((flat < 0) | (flat >= size))
        dx = jnp.zeros(size, g.dtype).at[flat].add(g.ravel(), mode="drop")
        return dx.reshape(x.shape)
    return run


@kernel("MaxPoolGradGradWithArgmax")
def _max_pool_grad_grad_with_argmax(op):
    include_batch = op._attrs["include_batch_in_index"]

    def run(x, gg, argmax):
        return jnp.take(gg.reshape(-1), _batch_offsets(argmax, x.shape, include_batch),
                        mode="clip")
    return run
