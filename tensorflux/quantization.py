"""`tf.quantization`: fake quantization (for quantization-aware training) and conversion
between float tensors and the quantized dtypes, as in TF 1.15.

    >>> import tensorflux as tf
    >>> y = tf.quantization.fake_quant_with_min_max_vars(x, min_var, max_var, num_bits=8)

`quantized_concat` is not provided.
"""

from tensorflux.ops.quantization_ops import (
    dequantize,
    fake_quant_with_min_max_args,
    fake_quant_with_min_max_args_gradient,
    fake_quant_with_min_max_vars,
    fake_quant_with_min_max_vars_gradient,
    fake_quant_with_min_max_vars_per_channel,
    fake_quant_with_min_max_vars_per_channel_gradient,
    quantize,
    quantize_and_dequantize,
    quantize_and_dequantize_v2,
    quantize_and_dequantize_v3,
)

__all__ = [
    "dequantize",
    "fake_quant_with_min_max_args",
    "fake_quant_with_min_max_args_gradient",
    "fake_quant_with_min_max_vars",
    "fake_quant_with_min_max_vars_gradient",
    "fake_quant_with_min_max_vars_per_channel",
    "fake_quant_with_min_max_vars_per_channel_gradient",
    "quantize",
    "quantize_and_dequantize",
    "quantize_and_dequantize_v2",
    "quantize_and_dequantize_v3",
]
