"""XLA kernel for plan-local fused ops (ops/fused_ops.py): the parts' kernels composed."""

import jax.numpy as jnp

from tensorflux.backends.xla.kernel import kernel


@kernel("_FusedConv")
def _fused_conv(op):
    conv, bias, act = op._attrs["parts"]
    conv_fn = conv.op_def.kernels["xla"](conv)
    bias_fn = bias.op_def.kernels["xla"](bias)
    act_fn = act.op_def.kernels["xla"](act) if act is not None else None
    n = len(conv.inputs)
    bias_first = bias.type != "BiasAdd" and bias.inputs[0] is not conv.outputs[0]

    def run(*args):
        y = conv_fn(*args[:n])
        y = bias_fn(args[n], y) if bias_first else bias_fn(y, args[n])
        return act_fn(y) if act_fn is not None else y
    return run


@kernel("_FusedConvBN")
def _fused_conv_bn(op):
    conv, bn, add, act = op._attrs["parts"]
    conv_fn = conv.op_def.kernels["xla"](conv)
    bn_fn = bn.op_def.kernels["xla"](bn)
    act_fn = act.op_def.kernels["xla"](act) if act is not None else None

    def run(x, w, scale, offset, mean, var, *residual):
        y = bn_fn(conv_fn(x, w), scale, offset, mean, var)[0]
        if residual:
            y = y + residual[0]
        return act_fn(y) if act_fn is not None else y
    return run


@kernel("_MaskedMaxPoolGrad")
def _masked_max_pool_grad(op):
    mpg, _ = op._attrs["parts"]
    mpg_fn = mpg.op_def.kernels["xla"](mpg)

    def run(t, p, g):
        return mpg_fn(t, p, g * (p > 0).astype(g.dtype))
    return run


@kernel("_Layout")
def _layout(op):
    perm = list(op._attrs["perm"])
    if op._attrs["vector"]:
        return lambda x: jnp.asarray(x)[jnp.asarray(perm)]
    return lambda x: jnp.transpose(x, perm)


@kernel("_FusedBatchNormRelu")
def _fused_batch_norm_relu(op):
    bn, relu = op._attrs["parts"]
    bn_fn = bn.op_def.kernels["xla"](bn)
    relu_fn = relu.op_def.kernels["xla"](relu)

    def run(*args):
        outs = bn_fn(*args)
        return (relu_fn(outs[0]),) + tuple(outs[1:])
    return run


@kernel("_FusedBatchNormReluGrad")
def _fused_batch_norm_relu_grad(op):
    rg, bng = op._attrs["parts"]
    rg_fn = rg.op_def.kernels["xla"](rg)
    bng_fn = bng.op_def.kernels["xla"](bng)

    def run(g, y, x, scale, r1, r2, r3):
        return bng_fn(rg_fn(g, y), x, scale, r1, r2, r3)
    return run
