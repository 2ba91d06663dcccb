"""Op fusion: convolution (or matmul) + bias + activation become one `_FusedConv` step.

Algorithm: for each `Conv2D`, `DepthwiseConv2dNative`, `Conv3D` or `MatMul` in the plan, follow
its output: if its only consumer is a `BiasAdd` (or an `Add`/`AddV2` of a rank-1 tensor matching
the last dimension, as in `tf.nn.conv2d(...) + b`), take it; if that result's only consumer is
`Relu`, `Relu6`, `Elu`, `Tanh` or `Sigmoid`, take it too. The chain is replaced by one
plan-local `_FusedConv` op placed where its last member was; the last member's output becomes
an alias of the fused output.

Batch norm for inference: a channels-last `Conv2D` or `DepthwiseConv2dNative` whose only
consumer is a
`FusedBatchNormV3` with `is_training=False` (whose statistics outputs nobody reads), optionally
followed by an `Add`/`AddV2` with another tensor of the same shape (a residual connection) and
then a `Relu` or `Relu6`, becomes one `_FusedConvBN`: the backends fold the normalization into
the convolution's weights and bias and add the residual in the same step (on oneDNN: a sum
post-op of the convolution primitive, into the residual's own buffer when it dies there). The
activation is oneDNN's post-op (ReLU, or a clip to [0, 6]) when no input can hold NaN (that
post-op turns NaN into a number, where TF's fused kernels keep it), else a NaN-keeping numpy
pass; see backends/numpy/fused_ops.py.

Gradient through `max_pool(relu(x))`: `ReluGrad(MaxPoolGrad(t, p, g), t)` whose MaxPoolGrad
output nothing else reads becomes `_MaskedMaxPoolGrad` (ops/fused_ops.py): the ReLU mask is
applied to the pooled gradient before it is scattered, which saves a pass over the full-size
gradient.

Batch norm and ReLU in training: `relu(FusedBatchNormV3(x))` with `is_training` (channels-last,
the batch norm's `y` read by the ReLU only) becomes `_FusedBatchNormRelu`, placed where the batch
norm was; a `FusedBatchNormGradV3(ReluGrad(g, y), x, ...)` of that pair becomes
`_FusedBatchNormReluGrad`. On oneDNN the ReLU runs inside the batch norm's pass, which records
which elements it kept, and the gradient pass applies the ReLU's gradient from that record: one
pass over the activations less each way.

Safety: an intermediate that is fetched, fed, read by any other op of the plan, or that has
control outputs is never fused away; a fused op keeps its parts' control inputs;
channels-first convolutions are fused only with `BiasAdd` (whose `data_format` says where the
channels are).
"""

from tensorflux.ops import fused_ops  # noqa: F401 - registers the fused op types
from tensorflux.passes import plan_ops

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

    def used(t):
        return t in fetched or t in fed or bool(users.get(t))

    def fuse_chain(op_type, parts, inputs):
        """One plan-local `op_type` op for `parts` (None for absent ones), where the last was."""
        present = [p for p in parts if p is not None]
        last = present[-1]
        fused = plan_ops.new_op(last, last.name + "/fused", op_type, inputs, {"parts": parts},
                                last.device, _control_inputs(present))
        replace[last] = fused
        dropped.update(p for p in parts if p is not last and p is not None)
        aliases[last.outputs[0]] = fused._outputs[0]

    for op in plan.ops:
        if op.type not in _PRODUCERS or op in dropped or op._control_outputs:
            continue
        chain = _bn_chain(op, plan, sole_user, used, claimed=dropped | set(replace))
        if chain is not None:
            conv, bn, add, _ = chain
            inputs = [plan.resolve(t) for t in conv.inputs + bn.inputs[1:5]]
            if add is not None:
                inputs += [plan.resolve(t) for t in add.inputs
                           if plan.resolve(t) is not bn.outputs[0]]
            fuse_chain("_FusedConvBN", chain, inputs)
            continue
        bias = sole_user(op.outputs[0])
        if bias is None or not _is_bias(bias, op, plan):
            continue
        act = sole_user(bias.outputs[0])
        if act is not None and (act.type not in _ACTIVATIONS or act._control_inputs):
            act = None
        b = [plan.resolve(t) for t in bias.inputs if plan.resolve(t) != op.outputs[0]][0]
        fuse_chain("_FusedConv", (op, bias, act), [plan.resolve(t) for t in op.inputs] + [b])
    for op in plan.ops:  # ReluGrad(MaxPoolGrad(t, p, g), t) -> MaxPoolGrad(t, p, g * (p > 0))
        # gradient ops may carry control inputs (minimize under control_dependencies): the
        # fused op keeps them
        if op.type != "ReluGrad" or op in dropped or op in replace:
            continue
        grad = plan.resolve(op.inputs[0])
        mpg = grad.op
        if (mpg.type != "MaxPoolGrad" or mpg not in in_plan or mpg in dropped
                or mpg in replace or sole_user(grad) is not op
                or plan.resolve(mpg.inputs[0]) is not plan.resolve(op.inputs[1])):
            continue
        fuse_chain("_MaskedMaxPoolGrad", (mpg, op), [plan.resolve(t) for t in mpg.inputs])
    _fuse_batch_norm_relu(plan, sole_user, users, in_plan, dropped, replace, aliases)
    if not replace:
        return plan

    def final(t):
        while t in aliases:
            t = aliases[t]
        return t

    for fused in replace.values():  # an input may be the output of a chain fused after it
        fused._inputs = tuple(final(t) for t in fused._inputs)
    ops = [replace.get(op, op) for op in plan.ops if op not in dropped]
    devices = dict(plan.devices)
    for last, fused in replace.items():
        if last in devices:
            devices[fused] = devices[last]
    return plan.replace(ops=ops, aliases=aliases, devices=devices)


def _bn_chain(conv, plan, sole_user, used, claimed):
    """(conv, batch norm, add or None, relu or None) of an inference batch-norm chain, or None.
    Ops in `claimed` already belong to another chain (a residual sum of two batch norms)."""
    if conv.type not in ("Conv2D", "DepthwiseConv2dNative") or not _channels_last(conv):
        return None
    bn = sole_user(conv.outputs[0])
    if (bn is None or bn.type != "FusedBatchNormV3" or bn._control_inputs
            or bn._attrs.get("is_training", True) or not _channels_last(bn)
            or plan.resolve(bn.inputs[0]) is not conv.outputs[0]
            or any(used(t) for t in bn.outputs[1:])):
        return None
    y = bn.outputs[0]
    if y.dtype.base_dtype != conv.outputs[0].dtype.base_dtype:
        return None
    add = sole_user(y)
    if add is not None and (add in claimed or not _is_residual_add(add, y, plan)):
        add = None
    act = sole_user((add or bn).outputs[0])
    if act is not None and (act in claimed or act.type not in ("Relu", "Relu6")
                            or act._control_inputs):
        act = None
    return conv, bn, add, act


def _is_residual_add(op, y, plan):
    """`op` adds `y` and one other tensor of exactly `y`'s (fully known) shape and dtype."""
    if op.type not in ("Add", "AddV2") or op._control_inputs:
        return False
    ins = [plan.resolve(t) for t in op.inputs]
    if sum(t is y for t in ins) != 1:
        return False
    other = [t for t in ins if t is not y][0]
    return (other.dtype.base_dtype == y.dtype.base_dtype and y.shape.is_fully_defined()
            and other.shape.is_fully_defined() and other.shape == y.shape
            and op.outputs[0].shape == y.shape)


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


def _control_inputs(parts):
    """The control inputs of all `parts`, each once: a fused op keeps them."""
    return list(dict.fromkeys(c for p in parts for c in p._control_inputs))


def _plain(op):
    return not (op._control_inputs or op._control_outputs)


def _fuse_batch_norm_relu(plan, sole_user, users, in_plan, dropped, replace, aliases):
    """relu(FusedBatchNormV3(x) in training) and its gradient pair (see the module docstring)."""
    def free(op):
        return op in in_plan and op not in dropped and op not in replace and _plain(op)

    forward = {}  # (x, scale) -> the fused forward op
    for bn in plan.ops:
        if bn.type != "FusedBatchNormV3" or not free(bn) or not bn._attrs.get("is_training") \
                or not _channels_last(bn):
            continue
        relu = sole_user(bn.outputs[0])
        if relu is None or relu.type != "Relu" or not free(relu) or \
                plan.resolve(relu.inputs[0]) is not bn.outputs[0]:
            continue
        inputs = [plan.resolve(t) for t in bn.inputs]
        fused = plan_ops.new_op(bn, relu.name + "/fused", "_FusedBatchNormRelu", inputs,
                                {"parts": (bn, relu)}, bn.device)
        replace[bn] = fused  # where the batch norm was: its statistics' readers follow it
        dropped.add(relu)
        aliases[relu.outputs[0]] = fused._outputs[0]
        for k in range(1, 6):
            aliases[bn.outputs[k]] = fused._outputs[k]
        forward[(inputs[0], inputs[1])] = fused
    if not forward:
        return

    def final(t):
        t = plan.resolve(t)
        while t in aliases:
            t = aliases[t]
        return t

    for grad in plan.ops:
        # Training graphs put control edges on gradient ops: `minimize` under
        # control_dependencies(update_ops) gives each one the moving-average updates as control
        # inputs (the fused op keeps both parts' control inputs), and the gate on an op's
        # gradients waits for the batch norm gradient (the fused op takes its place).
        if grad.type != "FusedBatchNormGradV3" or grad not in in_plan or grad in dropped or \
                grad in replace or not grad._attrs.get("is_training") or \
                not _channels_last(grad):
            continue
        dy = plan.resolve(grad.inputs[0])
        rg = dy.op
        if rg.type != "ReluGrad" or rg not in in_plan or rg in dropped or rg in replace or \
                rg._control_outputs or sole_user(dy) is not grad:
            continue
        x, scale = final(grad.inputs[1]), final(grad.inputs[2])
        fwd = forward.get((x, scale))
        y = final(rg.inputs[1])
        if fwd is None or y is not fwd.outputs[0] or \
                [final(t) for t in grad.inputs[3:5]] != fwd.outputs[3:5]:
            continue
        inputs = [final(rg.inputs[0]), y, x, scale] + [final(t) for t in grad.inputs[3:]]
        fused = plan_ops.new_op(grad, grad.name + "/fused", "_FusedBatchNormReluGrad", inputs,
                                {"parts": (rg, grad), "forward": fwd}, grad.device,
                                _control_inputs((rg, grad)))
        replace[grad] = fused
        dropped.add(rg)
        for k in range(5):
            aliases[grad.outputs[k]] = fused._outputs[k]
