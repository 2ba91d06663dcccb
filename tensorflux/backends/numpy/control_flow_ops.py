"""numpy kernels for control-flow ops (ops/control_flow_ops.py)."""

from tensorflux.ops.registry import kernel


@kernel("NoOp")
def _no_op(op):
    return lambda: ()
