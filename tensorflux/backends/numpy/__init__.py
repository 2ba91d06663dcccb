"""The numpy backend: the reference semantics, a plain interpreter over a plan.

`compile(plan)` turns the plan's ops (already pruned, ordered and placed) into a list of steps
`(kernel, input slots, output slots, frees)` and returns `run(feed_values, state)`. Every
intermediate value is dropped right after its last use.
"""

from tensorflux import errors
from tensorflux import ops as _ops  # noqa: F401 - registers every op type first
from tensorflux.backends.numpy import (  # noqa: F401 - importing registers the kernels
    accumulator_ops,
    array_extras,
    array_ops,
    bincount_ops,
    bitcast_ops,
    candidate_sampling_ops,
    codec_ops,
    cond_ops,
    control_flow_ops,
    conv_ops,
    ctc_ops,
    data_flow_ops,
    dataset_ops,
    debug_ops,
    diag_ops,
    edit_distance_ops,
    fill_ops,
    fused_ops,
    gamma_ops,
    gather_ops,
    image_box_ops,
    image_color_ops,
    image_ops,
    image_patch_ops,
    image_transform_ops,
    io_ops,
    linalg_ops,
    list_ops,
    manip_ops,
    math_ops,
    matrix_ops,
    morphology_ops,
    nn_loss_ops,
    nn_ops,
    norm_ops,
    optional_ops,
    pad_ops,
    parsing_ops,
    pool_ops,
    random_ops,
    reader_ops,
    reduction_ops,
    scan_ops,
    scatter_ops,
    segment_ops,
    slicing_ops,
    space_batch_ops,
    sparse_math_ops,
    sparse_ops,
    sparse_segment_ops,
    sparse_structure_ops,
    special_ops,
    spectral_ops,
    state_ops,
    stateless_random_ops,
    string_ops,
    summary_ops,
    switch_merge_ops,
    training_ops,
    transfer_ops,
)
from tensorflux.backends.numpy.interpreter import compile  # noqa: A004

__all__ = ["compile", "errors"]
