"""XLA kernels for the unsorted segment max/min/prod (ops/segment_ops.py); the number of
segments is static. UnsortedSegmentSum's kernel is in gather_ops.py."""

import jax.numpy as jnp

from tensorflux.backends.numpy.segment_ops import unsorted_identity
from tensorflux.backends.xla.kernel import fail_if, kernel

_AT_METHOD = {"max": "max", "min": "min", "prod": "multiply"}


def _unsorted_kernel(reduce_name):
    def builder(op):
        def run(data, ids, num):
            num = int(num)
            if data.shape[:ids.ndim] != ids.shape:
                raise ValueError("data.shape does not start with segment_ids.shape")
            fail_if(jnp.any(ids >= num))
            flat = ids.reshape(-1)
            flat = jnp.where(flat < 0, num, flat)  # negative ids are dropped, as TF does
            rows = data.reshape((flat.shape[0],) + data.shape[ids.ndim:])
            init = unsorted_identity(reduce_name, data.dtype)
            out = jnp.full((num,) + data.shape[ids.ndim:], init, dtype=data.dtype)
            update = getattr(out.at[flat], _AT_METHOD[reduce_name])
            return update(rows, mode="drop")
        return run
    return builder


for _name, _reduce in [("UnsortedSegmentMax", "max"), ("UnsortedSegmentMin", "min"),
                       ("UnsortedSegmentProd", "prod")]:
    kernel(_name, static=(2,), checks=True)(_unsorted_kernel(_reduce))
