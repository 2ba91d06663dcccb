"""XLA kernels for reductions and argmax/argmin (ops/reduction_ops.py)."""

import jax.numpy as jnp
import numpy as np

from tensorflux.backends.xla.kernel import kernel


def _axes(axis, rank):
    ax = [int(a) for a in np.asarray(axis).ravel()]
    for a in ax:
        if a < -rank or a >= rank:
            raise ValueError("Invalid reduction dimension %d for rank %d" % (a, rank))
    ax = [a % rank for a in ax]
    if len(set(ax)) != len(ax):
        raise ValueError("duplicate value in 'axis'")
    return tuple(ax)


def _reducer(fn):
    def builder(op):
        keep = op._attrs["keep_dims"]

        def run(x, axis):
            ax = _axes(axis, x.ndim)
            if x.ndim == 0:
                return x
            return fn(x, ax, keep)
        return run
    return builder


def _is_int(x):
    return jnp.issubdtype(x.dtype, jnp.integer)


def _sum(x, ax, keep):
    return jnp.sum(x, axis=ax, keepdims=keep, dtype=x.dtype)


def _mean(x, ax, keep):
    if _is_int(x):
        s = jnp.sum(x, axis=ax, keepdims=keep, dtype=jnp.int64)
        n = max(1, int(np.prod([x.shape[a] for a in ax])) if ax else 1)
        return jnp.trunc(s / n).astype(x.dtype)
    return jnp.mean(x, axis=ax, keepdims=keep, dtype=x.dtype)


def _extreme(fn, lowest):
    def run(x, ax, keep):
        if x.dtype == jnp.bool_:
            init = not lowest
        elif jnp.issubdtype(x.dtype, jnp.floating):
            init = -np.inf if lowest else np.inf
        else:
            info = jnp.iinfo(x.dtype)
            init = info.min if lowest else info.max
        return fn(x, axis=ax, keepdims=keep, initial=init)
    return run


kernel("Sum", static=(1,))(_reducer(_sum))
kernel("Mean", static=(1,))(_reducer(_mean))
kernel("Prod", static=(1,))(_reducer(lambda x, ax, keep: jnp.prod(x, axis=ax, keepdims=keep,
                                                                    dtype=x.dtype)))
kernel("Max", static=(1,))(_reducer(_extreme(jnp.max, True)))
kernel("Min", static=(1,))(_reducer(_extreme(jnp.min, False)))
kernel("All", static=(1,))(_reducer(lambda x, ax, keep: jnp.all(x, axis=ax, keepdims=keep)))
kernel("Any", static=(1,))(_reducer(lambda x, ax, keep: jnp.any(x, axis=ax, keepdims=keep)))


def _arg(fn):
    def builder(op):
        out = op._attrs["output_type"].as_numpy_dtype

        def run(x, axis):
            a = int(np.asarray(axis).ravel()[0])
            if a < -x.ndim or a >= x.ndim or x.shape[a] == 0:
                raise ValueError("bad argmax/argmin dimension %d for shape %s" % (a, x.shape))
            return fn(x, axis=a).astype(out)
        return run
    return builder


kernel("ArgMax", static=(1,))(_arg(jnp.argmax))
kernel("ArgMin", static=(1,))(_arg(jnp.argmin))
