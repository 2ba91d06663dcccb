"""Plan-only fused ops, created by `passes/fusion.py` (never by user code).

`_FusedConv` computes `activation(bias_add(conv_or_matmul(...)))` in one step: its `parts` attr
holds the original graph ops, whose kernels the backends compose (the numpy backend adds the
bias and applies the activation in place on the convolution's fresh output).

`_FusedConvBN` computes `relu(batch_norm(conv2d(x, w)) + residual)` for an inference-mode batch
norm (`FusedBatchNormV3` with `is_training=False`), residual and ReLU optional. Its inputs are
`x, w, scale, offset, mean, variance[, residual]`; `parts` holds (conv, batch norm, add or None,
relu or None). The numpy backend folds the normalization into the convolution:
`w * s` and `offset - mean * s` with `s = scale / sqrt(variance + epsilon)`.

`_MaskedMaxPoolGrad` stands for `ReluGrad(MaxPoolGrad(t, p, g), t)`, the gradient through
`max_pool(relu(...))`: it computes `MaxPoolGrad(t, p, g * (p > 0))`. The two are equal: a
position receives gradient only from windows whose maximum it is, so its value `t` is those
windows' `p`, and ReluGrad's factor `t > 0` is theirs. Inputs `t, p, g`; `parts` holds
(MaxPoolGrad, ReluGrad). The mask is applied to the pooled gradient, a fraction of the size.

`_FusedBatchNormRelu` is `relu(FusedBatchNormV3(x, ...)[0])` in training mode, with the batch
norm's other outputs unchanged: inputs those of the batch norm, outputs (the ReLU'd result,
then the batch norm's outputs 1-5); `parts` holds (FusedBatchNormV3, Relu).
`_FusedBatchNormReluGrad` is `FusedBatchNormGradV3(ReluGrad(g, y), x, scale, r1, r2, r3)` for
such a pair: inputs `g, y, x, scale, r1, r2, r3`, the batch norm gradient's outputs; `parts`
holds (ReluGrad, FusedBatchNormGradV3) and `forward` the `_FusedBatchNormRelu` whose output
is `y`. On oneDNN the forward pass records which elements the ReLU kept and the gradient pass
reads that record instead of `y`.

`_Layout` (passes/layout.py) views its input with the axes permuted by its `perm` attr, or,
with `vector` set, permutes the entries of a shape vector; the numpy kernel returns a view.
"""

from tensorflux.graph import tensor_shape
from tensorflux.ops import registry


def _fused_shape(op):
    last = [p for p in op._attrs["parts"] if p is not None][-1]
    t = last.outputs[0]
    return [(t.dtype.base_dtype, t.shape)]


registry.register("_FusedConv", shape=_fused_shape, grad=registry.NOT_DIFFERENTIABLE)
registry.register("_FusedConvBN", shape=_fused_shape, grad=registry.NOT_DIFFERENTIABLE)
registry.register("_MaskedMaxPoolGrad", shape=_fused_shape, grad=registry.NOT_DIFFERENTIABLE)


def _layout_shape(op):
    t = op.inputs[0]
    perm = op._attrs["perm"]
    if op._attrs["vector"] or t.shape.ndims is None:
        return [(t.dtype.base_dtype, t.shape)]
    dims = t.shape.as_list()
    return [(t.dtype.base_dtype, tensor_shape.TensorShape([dims[p] for p in perm]))]


registry.register("_Layout", shape=_layout_shape, grad=registry.NOT_DIFFERENTIABLE)


def _bn_relu_shapes(op):
    bn, relu = op._attrs["parts"]
    return [(t.dtype.base_dtype, t.shape) for t in [relu.outputs[0]] + list(bn.outputs[1:])]


def _bn_relu_grad_shapes(op):
    return [(t.dtype.base_dtype, t.shape) for t in op._attrs["parts"][1].outputs]


registry.register("_FusedBatchNormRelu", shape=_bn_relu_shapes,
                  grad=registry.NOT_DIFFERENTIABLE)
registry.register("_FusedBatchNormReluGrad", shape=_bn_relu_grad_shapes,
                  grad=registry.NOT_DIFFERENTIABLE)
