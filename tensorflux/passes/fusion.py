"""Op fusion: convolution (or matmul) + bias + activation become one `_FusedConv` step.

Algorithm: for each `Conv2D`, `DepthwiseConv2dNative`, `Conv3D` or `MatMul` in the plan, follow
its output: if its only consumer is a `BiasAdd` (or an `Add`/`AddV2` of a rank-1 tensor matching
the last dimension, as in `tf.nn.conv2d(...) + b`), take it; if that result's only consumer is
`Relu`, `Relu6`, `Elu`, `Tanh` or `Sigmoid`, take it too. The chain is replaced by one
plan-local `_FusedConv` op placed where its last member was; the last member's output becomes
an alias of the fused output.

Safety: an intermediate that is fetched, fed, read by any other op of the plan, or that has
control edges is never fused away; channels-first convolutions are fused only with `BiasAdd`
(whose `data_format` says where the channels are).
"""

from tensorflux.graph.operation import Operation
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import fused_ops, registry

_PRODUCERS = ("Conv2D", "DepthwiseConv2dNative", "Conv3D", "MatMul")
_ACTIVATIONS = ("Relu", "Relu6", "Elu", "Tanh", "Sigmoid")


def _channels_last(op):
    fmt = op._attrs.get("data_format", b"NHWC")
    fmt = fmt.decode() if isinstance(fmt, bytes) else fmt
    return op.type == "MatMul" or not fmt.startswith("NC")


def fuse(plan, config=None):
    """Returns `plan` with conv/matmul + bias (+ activation) chains fused."""
    if config is not None and config.graph_options.optimizer_options.opt_level == -1:
        return plan
    fed = set(plan.feeds)
    fetched = {plan.resolve(t) for t in plan.fetches}
    users = {}
    for op in plan.ops:
        for t in op.inputs:
            users.setdefault(plan.resolve(t), []).append(op)
    in_plan = set(plan.ops)

    def sole_user(t):
        if t in fetched or t in fed or t.op._control_outputs:
            return None
        us = users.get(t, [])
        return us[0] if len(us) == 1 and us[0] in in_plan else None

    replace = {}  # last op of a chain -> fused op
    dropped = set()
    aliases = dict(plan.aliases)
    for op in plan.ops:
        if op.type not in _PRODUCERS or op in dropped or op._control_outputs:
            continue
        bias = sole_user(op.outputs[0])
        if bias is None or not _is_bias(bias, op, plan):
            continue
        act = sole_user(bias.outputs[0])
        if act is not None and (act.type not in _ACTIVATIONS or act._control_inputs):
            act = None
        parts = (op, bias, act)
        b = [plan.resolve(t) for t in bias.inputs if plan.resolve(t) != op.outputs[0]][0]
        inputs = [plan.resolve(t) for t in op.inputs] + [b]
        last = act or bias
        fused = Operation(op.graph, last.name + "/fused", "_FusedConv", inputs, {"parts": parts},
                          last.device, [], registry.get("_FusedConv"))
        fused._id = last._id
        fused._outputs = [Tensor(fused, 0, *fused_ops._fused_shape(fused)[0])]
        replace[last] = fused
        dropped.update(p for p in parts if p is not last and p is not None)
        aliases[last.outputs[0]] = fused._outputs[0]
    if not replace:
        return plan
    ops = [replace.get(op, op) for op in plan.ops if op not in dropped]
    devices = dict(plan.devices)
    for last, fused in replace.items():
        if last in devices:
            devices[fused] = devices[last]
    return plan.replace(ops=ops, aliases=aliases, devices=devices)


def _is_bias(op, producer, plan):
    if op._control_inputs:
        return False
    if op.type == "BiasAdd":
        return plan.resolve(op.inputs[0]) is producer.outputs[0]
    if op.type not in ("Add", "AddV2") or not _channels_last(producer):
        return False
    out = producer.outputs[0]
    others = [t for t in op.inputs if plan.resolve(t) is not out]
    if len(others) != 1:
        return False
    b = others[0]
    if b.dtype.base_dtype != out.dtype.base_dtype or b.shape.ndims != 1:
        return False
    c = out.shape[-1].value if out.shape.ndims else None
    return c is not None and b.shape[0].value == c and op.outputs[0].shape == out.shape
