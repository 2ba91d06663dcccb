"""The "flops" statistic of each op type, with TensorFlow's formulas.

Only these op types count float operations in the profiler, and only when the shapes a rule
reads are fully defined (a rule raises ValueError otherwise and the op is skipped).
Convolution and pooling rules accept NHWC only, as TF's do.
"""

import numpy as np

from tensorflux.graph import graph_util
from tensorflux.profiler.stats import OpStats, RegisterStatistics


def _shape(graph, name):
    shape = graph_util.tensor_shape_from_node_def_name(graph, name)
    shape.assert_is_fully_defined()
    return shape


def _attr(node, name, default=None):
    value = node.attr.get(name, default)
    return getattr(value, "value", value)


def _list_product(values):
    result = 1
    for v in values:
        result *= v
    return result


def _unary(graph, node, ops_per_element=1):
    return OpStats("flops", _shape(graph, node.input[0]).num_elements() * ops_per_element)


def _binary(graph, node, ops_per_element=1):
    return OpStats("flops", _shape(graph, node.name).num_elements() * ops_per_element)


def _reduction(graph, node, reduce_flops=1, finalize_flops=0):
    n_in = _shape(graph, node.input[0]).num_elements()
    n_out = _shape(graph, node.name).num_elements()
    return OpStats("flops", n_in * reduce_flops + n_out * (finalize_flops - reduce_flops))


def _verify_nhwc(node):
    fmt = _attr(node, "data_format", b"NHWC")
    if isinstance(fmt, str):
        fmt = fmt.encode()
    if fmt != b"NHWC":
        raise ValueError("Only NHWC format is supported in flops computations")


def _register(op_types, fn):
    for op_type in op_types:
        RegisterStatistics(op_type, "flops")(fn)


# --- unary ---------------------------------------------------------------------------------------
_register(["Reciprocal", "Square", "Log", "Neg", "AssignSub", "AssignAdd"], _unary)
_register(["Rsqrt"], lambda graph, node: _unary(graph, node, 2))
_register(["Softmax"], lambda graph, node: _unary(graph, node, 5))


def _l2_loss_flops(graph, node):
    # TF's kernel does 3*N-1 operations.
    return OpStats("flops", _shape(graph, node.input[0]).num_elements() * 3 - 1)


_register(["L2Loss"], _l2_loss_flops)

# --- binary (one per output element) -------------------------------------------------------------
_register(["Add", "AddV2", "Sub", "Mul", "RealDiv", "Maximum", "Minimum", "Pow", "GreaterEqual",
           "Greater", "LessEqual", "Less", "Equal", "NotEqual"], _binary)
_register(["RsqrtGrad"], lambda graph, node: _binary(graph, node, 4))
_register(["SquaredDifference"], lambda graph, node: _binary(graph, node, 2))

# --- reductions ----------------------------------------------------------------------------------
_register(["Mean"], lambda graph, node: _reduction(graph, node, 1, 1))
_register(["Sum", "ArgMax", "ArgMin", "BiasAddGrad"], _reduction)


# --- convolution and pooling ---------------------------------------------------------------------
def _pool_flops(graph, node):
    _verify_nhwc(node)
    out = _shape(graph, node.name)
    return OpStats("flops", _list_product(_attr(node, "ksize")) * out.num_elements())


_register(["AvgPool", "MaxPool"], _pool_flops)


def _avg_pool_grad_flops(graph, node):
    _verify_nhwc(node)
    grad = _shape(graph, node.input[1])
    return OpStats("flops", _list_product(_attr(node, "ksize")) * grad.num_elements() * 2)


def _max_pool_grad_flops(graph, node):
    _verify_nhwc(node)
    orig_out = _shape(graph, node.input[1]).num_elements()
    return OpStats("flops", _list_product(_attr(node, "ksize")) * orig_out + orig_out)


_register(["AvgPoolGrad"], _avg_pool_grad_flops)
_register(["MaxPoolGrad"], _max_pool_grad_flops)


def _conv_backprop_input_flops(graph, node):
    _verify_nhwc(node)
    out = _shape(graph, node.name)
    kernel = _shape(graph, node.input[1])
    strides = _attr(node, "strides")
    return OpStats("flops", 2 * out.num_elements() * kernel.num_elements()
                   / (out.as_list()[-1] * strides[1] * strides[2]))


def _conv_backprop_filter_flops(graph, node):
    _verify_nhwc(node)
    image = _shape(graph, node.input[0])
    kernel = _shape(graph, node.name)
    strides = _attr(node, "strides")
    return OpStats("flops", 2 * image.num_elements() * kernel.num_elements()
                   / (image.as_list()[-1] * strides[1] * strides[2]))


_register(["Conv2DBackpropInput"], _conv_backprop_input_flops)
_register(["Conv2DBackpropFilter"], _conv_backprop_filter_flops)


def _conv_flops(graph, node, in_depth=True, spatial=2):
    _shape(graph, node.input[0])
    filt = _shape(graph, node.input[1]).as_list()
    out = _shape(graph, node.name).as_list()
    window = _list_product(filt[:spatial + (1 if in_depth else 0)])
    return OpStats("flops", int(np.prod(out, dtype=np.int64)) * window * 2)


_register(["Conv2D"], _conv_flops)
_register(["Conv3D"], lambda graph, node: _conv_flops(graph, node, spatial=3))
_register(["DepthwiseConv2dNative", "Dilation2D"],
          lambda graph, node: _conv_flops(graph, node, in_depth=False))


def _bias_add_flops(graph, node):
    return OpStats("flops", _shape(graph, node.input[0]).num_elements())


_register(["BiasAdd"], _bias_add_flops)


# --- other ---------------------------------------------------------------------------------------
def _add_n_flops(graph, node):
    if not node.input:
        return OpStats("flops", 0)
    n = _shape(graph, node.input[0]).num_elements()
    return OpStats("flops", n * (len(node.input) - 1))


def _mat_mul_flops(graph, node, batched=False):
    a = _shape(graph, node.input[0]).as_list()
    if batched:
        # TF's rule reads a `transpose_a` attr, which TF's batched ops lack (theirs is `adj_x`):
        # it always takes the last dimension of `a` as the inner one.
        k = a[-1]
    else:
        k = a[0] if _attr(node, "transpose_a", False) else a[1]
    out = _shape(graph, node.name).as_list()
    return OpStats("flops", k * int(np.prod(out)) * 2)


_register(["AddN"], _add_n_flops)
_register(["MatMul"], _mat_mul_flops)
_register(["BatchMatMul", "BatchMatMulV2", "BatchMatMulV3"],
          lambda graph, node: _mat_mul_flops(graph, node, batched=True))
