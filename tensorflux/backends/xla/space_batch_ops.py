"""XLA kernels for SpaceToBatchND / BatchToSpaceND: the numpy backend's reshapes on jax."""

import jax.numpy as jnp
import numpy as np

from tensorflux.backends.numpy import space_batch_ops as ref
from tensorflux.backends.xla.kernel import kernel


def _args(block, amounts):
    return [int(b) for b in np.asarray(block).reshape(-1)], np.asarray(amounts, np.int64)


@kernel("SpaceToBatchND", static=(1, 2))
def _space_to_batch(op):
    def run(x, block, pads):
        block, pads = _args(block, pads)
        if any((x.shape[1 + i] + pads[i].sum()) % b for i, b in enumerate(block)):
            raise ValueError("padded shape not divisible by block_shape")
        return ref.space_to_batch(jnp, x, block, pads)
    return run


@kernel("BatchToSpaceND", static=(1, 2))
def _batch_to_space(op):
    def run(x, block, crops):
        block, crops = _args(block, crops)
        if x.shape[0] % int(np.prod(block)):
            raise ValueError("batch not divisible by the block size")
        return ref.batch_to_space(jnp, x, block, crops)
    return run
