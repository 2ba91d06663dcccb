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
