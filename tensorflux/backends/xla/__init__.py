"""The XLA backend (JAX): a plan becomes one function traced under `jax.jit`.

`compile(plan)` returns `run(feed_values, state)`, the numpy backend's contract; see compiler.py
for promotion from the numpy interpreter, executable caching, donation and error reporting,
analysis.py for what must be known before tracing, and kernel.py for how kernels register
(`backends/xla/<same family file>.py`).
"""

from tensorflux import ops as _ops  # noqa: F401 - registers every op type first
from tensorflux.backends import numpy as _numpy  # noqa: F401 - numpy kernels: fallback and folding
from tensorflux.backends.xla import (  # noqa: F401 - importing registers the kernels
    array_extras,
    array_ops,
    bincount_ops,
    cond_ops,
    conv_ops,
    debug_ops,
    diag_ops,
    fill_ops,
    fused_ops,
    gather_ops,
    image_box_ops,
    image_color_ops,
    image_ops,
    image_patch_ops,
    image_transform_ops,
    linalg_ops,
    manip_ops,
    math_ops,
    matrix_ops,
    morphology_ops,
    nn_loss_ops,
    nn_ops,
    norm_ops,
    pad_ops,
    pool_ops,
    quantization_ops,
    random_ops,
    reduction_ops,
    scan_ops,
    scatter_ops,
    segment_ops,
    slicing_ops,
    space_batch_ops,
    sparse_ops,
    special_ops,
    spectral_ops,
    state_ops,
    stateless_random_ops,
    training_ops,
    transfer_ops,
)
from tensorflux.backends.xla.compiler import compile  # noqa: A004

__all__ = ["compile"]
