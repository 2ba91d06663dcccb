"""numpy kernel for plan-local fused ops (ops/fused_ops.py): conv + bias + activation in place."""

import numpy as np

from tensorflux.backends.numpy import conv_ops, linalg_ops, nn_ops
from tensorflux.ops.registry import kernel

_IN_PLACE = {
    "Relu": nn_ops.relu_in_place,  # threaded for large arrays
    "Relu6": lambda y: np.clip(y, 0, 6, out=y),
    "Tanh": lambda y: np.tanh(y, out=y),
}


# Fast paths (oneDNN) computing conv/matmul + bias in one primitive: builder(conv, bias) -> run.
_FAST_BIAS = {"Conv2D": conv_ops.fused_bias_kernel, "Conv3D": conv_ops.fused_bias_kernel,
              "MatMul": linalg_ops.fused_bias_kernel}


@kernel("_FusedConv")
def _fused_conv(op):
    conv, bias, act = op._attrs["parts"]
    conv_fn = conv.op_def.kernels["numpy"](conv)
    bias_fn = bias.op_def.kernels["numpy"](bias)
    act_fn = act.op_def.kernels["numpy"](act) if act is not None else None
    n = len(conv.inputs)
    bias_first = bias.type != "BiasAdd" and bias.inputs[0] is not conv.outputs[0]
    fmt = bias._attrs.get("data_format", b"NHWC")
    fmt = fmt.decode() if isinstance(fmt, bytes) else fmt
    last_axis = bias.type != "BiasAdd" or not fmt.startswith("NC")
    fast = _FAST_BIAS[conv.type](conv, bias) if conv.type in _FAST_BIAS else None

    def run(*args):
        y = fast(*args) if fast is not None else None  # oneDNN: bias inside the product
        if y is not None:
            owned = True
        else:
            y = conv_fn(*args[:n])
            b = args[n]
            owned = isinstance(y, np.ndarray) and y.flags.writeable and y.flags.c_contiguous
            if owned and last_axis and b.dtype == y.dtype:
                np.add(y, b, out=y)
            else:
                y = bias_fn(b, y) if bias_first else bias_fn(y, b)
                owned = False
        if act_fn is not None:
            if owned and act.type in _IN_PLACE:
                _IN_PLACE[act.type](y)
            else:
                y = act_fn(y)
        return y
    return run
