"""XLA kernels for array manipulation ops (ops/manip_ops.py)."""

import jax.numpy as jnp
import numpy as np

from tensorflux.backends.xla.kernel import fail_if, kernel


def _ints(v):
    return [int(x) for x in np.asarray(v).ravel()]


@kernel("Select")
def _select(op):
    def run(c, x, y):
        if c.ndim == 1 and x.ndim > 1:
            if c.shape[0] != x.shape[0]:
                raise ValueError("condition must have the size of x's first dimension")
            c = jnp.reshape(c, (-1,) + (1,) * (x.ndim - 1))
        elif c.shape != x.shape and c.ndim != 0:
            raise ValueError("'then' and 'else' must have the same size")
        if x.shape != y.shape:
            raise ValueError("'then' and 'else' must have the same size")
        return jnp.where(c, x, y)
    return run


@kernel("SelectV2")
def _select_v2(op):
    return lambda c, x, y: jnp.where(c, x, y)


@kernel("BroadcastTo", static=(1,))
def _broadcast_to(op):
    return lambda x, shape: jnp.broadcast_to(x, _ints(shape))


@kernel("ExpandDims", static=(1,))
def _expand(op):
    def run(x, axis):
        a = _ints(axis)[0]
        if a < -x.ndim - 1 or a > x.ndim:
            raise ValueError("bad expand_dims axis")
        return jnp.expand_dims(x, a)
    return run


@kernel("Squeeze")
def _squeeze(op):
    dims = tuple(op._attrs["squeeze_dims"])

    def run(x):
        if not dims:
            return jnp.squeeze(x)
        if any(d < -x.ndim or d >= x.ndim or x.shape[d] != 1 for d in dims):
            raise ValueError("bad squeeze dims")
        return jnp.squeeze(x, axis=tuple(d % x.ndim for d in dims))
    return run


def _split_at(x, a, sizes):
    out, start = [], 0
    for s in sizes:
        index = [slice(None)] * x.ndim
        index[a] = slice(start, start + s)
        out.append(x[tuple(index)])
        start += s
    return out


@kernel("Split", static=(0,))
def _split(op):
    n = op._attrs["num_split"]

    def run(axis, x):
        a = int(np.asarray(axis))
        if a < -x.ndim or a >= x.ndim or x.shape[a] % n:
            raise ValueError("bad split")
        a %= x.ndim
        return _split_at(x, a, [x.shape[a] // n] * n)
    return run


@kernel("SplitV", static=(1, 2))
def _split_v(op):
    n = op._attrs["num_split"]

    def run(x, sizes, axis):
        a = int(np.asarray(axis))
        if a < -x.ndim or a >= x.ndim:
            raise ValueError("bad split axis")
        a %= x.ndim
        sizes = _ints(sizes)
        d = x.shape[a]
        known = sum(s for s in sizes if s != -1)
        if len(sizes) != n or sizes.count(-1) > 1:
            raise ValueError("bad split sizes")
        if -1 in sizes:
            sizes[sizes.index(-1)] = d - known
        if sum(sizes) != d or any(s < 0 for s in sizes):
            raise ValueError("bad split sizes")
        return _split_at(x, a, sizes)
    return run


@kernel("Tile", static=(1,))
def _tile(op):
    def run(x, multiples):
        m = _ints(multiples)
        if len(m) != x.ndim or any(k < 0 for k in m):
            raise ValueError("bad multiples")
        return jnp.tile(x, m) if x.ndim else x
    return run


@kernel("ReverseV2", static=(1,))
def _reverse(op):
    def run(x, axis):
        axes = _ints(axis)
        if any(a < -x.ndim or a >= x.ndim for a in axes):
            raise ValueError("bad reverse axis")
        norm = [a % x.ndim for a in axes]
        if len(set(norm)) != len(norm):
            raise ValueError("axis specified more than once")
        return jnp.flip(x, axis=tuple(norm)) if norm else x
    return run


@kernel("ReverseSequence", checks=True)
def _reverse_sequence(op):
    seq, batch = op._attrs["seq_dim"], op._attrs["batch_dim"]

    def run(x, lengths):
        if lengths.shape != (x.shape[batch],):
            raise ValueError("bad seq_lengths shape")
        y = jnp.moveaxis(x, (batch, seq), (0, 1))
        t = y.shape[1]
        fail_if((lengths < 0) | (lengths > t))
        pos = jnp.arange(t)[None, :]
        n = lengths.astype(jnp.int64)[:, None]
        src = jnp.where(pos < n, n - 1 - pos, pos)  # (batch, t): index each output reads
        src = jnp.reshape(src, src.shape + (1,) * (y.ndim - 2))
        y = jnp.take_along_axis(y, jnp.broadcast_to(src, y.shape), axis=1)
        return jnp.moveaxis(y, (0, 1), (batch, seq))
    return run
