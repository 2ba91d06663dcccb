"""XLA kernels for indexing by index tensors (ops/gather_ops.py).

Out-of-range indices cannot raise inside XLA: each kernel flags them (`fail_if`), and the run is
then repeated on numpy, which raises TF's message. Ops whose output shape depends on index
values (Unique, ListDiff, Segment*, DynamicStitch with computed indices) have no kernel here;
with constant inputs they are evaluated while tracing.
"""

import jax
import jax.numpy as jnp
import numpy as np

from tensorflux.backends.xla.kernel import fail_if, kernel


def _out_of_range(indices, n):
    return (indices < 0) | (indices >= n)


def _take(params, indices, axis, batch):
    if batch == 0:
        return jnp.take(params, indices, axis=axis, mode="clip")
    return jax.vmap(lambda p, i: _take(p, i, axis - 1, batch - 1))(params, indices)


@kernel("GatherV2", static=(2,), checks=True)
def _gather(op):
    bd = op._attrs.get("batch_dims", 0)

    def run(params, indices, axis):
        axis = int(np.asarray(axis))
        if axis < -params.ndim or axis >= max(params.ndim, 1):
            raise ValueError("bad gather axis")
        axis %= params.ndim
        b = bd + indices.ndim if bd < 0 else bd
        if params.shape[:b] != indices.shape[:b]:
            raise ValueError("batch dimensions differ")
        fail_if(_out_of_range(indices, params.shape[axis]))
        return _take(params, indices, axis, b)
    return run


def _nd_parts(indices, shape):
    depth = indices.shape[-1]
    if depth > len(shape):
        raise ValueError("index depth larger than the rank")
    limits = jnp.asarray(shape[:depth], dtype=indices.dtype)
    fail_if(((indices < 0) | (indices >= limits)).any(axis=-1))
    return tuple(indices[..., k] for k in range(depth))


@kernel("GatherNd", checks=True)
def _gather_nd(op):
    def run(params, indices):
        if indices.ndim < 1:
            raise ValueError("indices must be at least a vector")
        return params[_nd_parts(indices, params.shape)]
    return run


@kernel("ScatterNd", static=(2,), checks=True)
def _scatter_nd(op):
    def run(indices, updates, shape):
        shape = tuple(int(d) for d in np.asarray(shape).ravel())
        depth = indices.shape[-1]
        if updates.shape != indices.shape[:-1] + shape[depth:]:
            raise ValueError("bad updates shape")
        out = jnp.zeros(shape, dtype=updates.dtype)
        return out.at[_nd_parts(indices, shape)].add(updates, mode="drop")
    return run


@kernel("UnsortedSegmentSum", static=(2,), checks=True)
def _unsorted_segment_sum(op):
    def run(data, ids, num):
        num = int(num)
        if data.shape[:ids.ndim] != ids.shape:
            raise ValueError("data.shape does not start with segment_ids.shape")
        fail_if(ids >= num)
        flat = ids.reshape(-1)
        rows = data.reshape((flat.shape[0],) + data.shape[ids.ndim:])
        flat = jnp.where(flat < 0, num, flat)  # negative ids are dropped, as TF does
        out = jnp.zeros((num,) + data.shape[ids.ndim:], dtype=data.dtype)
        return out.at[flat].add(rows, mode="drop")
    return run


@kernel("DynamicStitch", static=lambda op: range(op._attrs["N"]))
def _dynamic_stitch(op):
    n = op._attrs["N"]

    def run(*args):
        indices, data = args[:n], args[n:]
        inner = None
        for i, d in zip(indices, data):
            if d.shape[:i.ndim] != i.shape or (inner is not None and d.shape[i.ndim:] != inner):
                raise ValueError("bad dynamic_stitch shapes")
            inner = d.shape[i.ndim:]
        indices = [np.asarray(i) for i in indices]
        if any(i.size and i.min() < 0 for i in indices):
            raise ValueError("negative index")
        size = max([int(i.max()) + 1 for i in indices if i.size] or [0])
        out = jnp.zeros((size,) + inner, dtype=data[0].dtype)
        for i, d in zip(indices, data):
            out = out.at[i.ravel()].set(jnp.reshape(d, (-1,) + inner))
        return out
    return run
