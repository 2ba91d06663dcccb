"""Op families. Importing this package registers every op type in `registry`."""

from tensorflux.ops import (  # noqa: F401 - imported for their registrations
    array_ops,
    constant_op,
    control_flow_ops,
    conv_ops,
    diag_ops,
    fill_ops,
    gather_ops,
    init_ops,
    linalg_ops,
    manip_ops,
    math_ops,
    nn_loss_ops,
    nn_ops,
    norm_ops,
    pad_ops,
    pool_ops,
    random_ops,
    reduction_ops,
    slicing_ops,
    state_ops,
)
