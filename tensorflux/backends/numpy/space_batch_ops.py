"""numpy kernels for SpaceToBatchND / BatchToSpaceND (ops/space_batch_ops.py)."""

import numpy as np

from tensorflux.ops.registry import kernel


def _check(x, block, amounts, what):
    block, amounts = np.asarray(block).reshape(-1), np.asarray(amounts)
    m = block.size
    if amounts.shape != (m, 2):
        raise ValueError("%s should have shape [%d, 2] instead of %s"
                         % (what, m, list(amounts.shape)))
    if x.ndim < 1 + m:
        raise ValueError("input rank should be >= %d instead of %d" % (1 + m, x.ndim))
    if (block < 1).any():
        raise ValueError("All values in block_shape must be positive, got value, %d instead."
                         % block[block < 1][0])
    if (amounts < 0).any():
        raise ValueError("All values in %s must be non-negative" % what)
    return [int(b) for b in block], amounts.astype(np.int64)


def space_to_batch(xp, x, block, pads):
    """Pads, then moves tile offsets into the batch; `xp` is numpy or jax.numpy."""
    m = len(block)
    x = xp.pad(x, [(0, 0)] + [tuple(int(v) for v in p) for p in pads] +
               [(0, 0)] * (x.ndim - 1 - m))
    batch, rest = x.shape[0], x.shape[1 + m:]
    split = [batch]
    for i, b in enumerate(block):
        split += [x.shape[1 + i] // b, b]
    x = x.reshape(split + list(rest))
    perm = [2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)]
    perm += list(range(1 + 2 * m, x.ndim))
    x = xp.transpose(x, perm)
    return x.reshape([batch * int(np.prod(block))] + list(x.shape[1 + m:1 + 2 * m]) + list(rest))


def batch_to_space(xp, x, block, crops):
    """Moves batch tiles back into the spatial dimensions, then crops."""
    m = len(block)
    batch = x.shape[0] // int(np.prod(block))
    spatial, rest = list(x.shape[1:1 + m]), list(x.shape[1 + m:])
    x = x.reshape(list(block) + [batch] + spatial + rest)
    perm = [m]
    for i in range(m):
        perm += [m + 1 + i, i]
    perm += list(range(1 + 2 * m, x.ndim))
    x = xp.transpose(x, perm)
    x = x.reshape([batch] + [d * b for d, b in zip(spatial, block)] + rest)
    index = [slice(None)] + [slice(int(c[0]), x.shape[1 + i] - int(c[1]))
                             for i, c in enumerate(crops)]
    return x[tuple(index)]


@kernel("SpaceToBatchND")
def _space_to_batch(op):
    def run(x, block, pads):
        block, pads = _check(x, block, pads, "paddings")
        for i, b in enumerate(block):
            padded = x.shape[1 + i] + pads[i].sum()
            if padded % b:
                raise ValueError("padded_shape[%d]=%d is not divisible by block_shape[%d]=%d"
                                 % (i, padded, i, b))
        return space_to_batch(np, x, block, pads)
    return run


@kernel("BatchToSpaceND")
def _batch_to_space(op):
    def run(x, block, crops):
        block, crops = _check(x, block, crops, "crops")
        prod = int(np.prod(block))
        if x.shape[0] % prod:
            raise ValueError("Input batch dimension (%d) is not divisible by product of block "
                             "sizes (%d)" % (x.shape[0], prod))
        for i, b in enumerate(block):
            if crops[i].sum() > x.shape[1 + i] * b:
                raise ValueError("crops must be less than or equal to input size in dimension "
                                 "%d" % (1 + i))
        return batch_to_space(np, x, block, crops)
    return run
