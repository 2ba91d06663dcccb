"""numpy kernels for the plan-only transfer ops (ops/transfer_ops.py): 16-bit wire formats."""

import numpy as np

from tensorflux.ops.registry import kernel


def bfloat16_bits(x):
    """float32 -> the uint16 bits of the nearest bfloat16 (ties to even; NaN stays NaN)."""
    x = np.asarray(x, dtype=np.float32)
    bits = x.view(np.uint32)
    rounded = ((bits + (np.uint32(0x7FFF) + ((bits >> 16) & np.uint32(1)))) >> 16)
    out = rounded.astype(np.uint16)
    nan = np.isnan(x)
    if nan.any():  # a NaN's payload could carry into the exponent: make it a quiet NaN
        out = np.where(nan, ((bits >> 16) | np.uint32(0x40)).astype(np.uint16), out)
    return out


def from_bfloat16_bits(u):
    """uint16 bfloat16 bits -> float32 (exact)."""
    return (np.asarray(u, dtype=np.uint16).astype(np.uint32) << 16).view(np.float32)


def to_float16(x):
    with np.errstate(over="ignore"):  # out of range becomes +-inf, as TF's cast
        return np.asarray(x, dtype=np.float32).astype(np.float16)


_ENCODE = {"bfloat16": bfloat16_bits, "float16": to_float16}
_DECODE = {"bfloat16": from_bfloat16_bits,
           "float16": lambda h: np.asarray(h).astype(np.float32)}


@kernel("_Send")
def _send(op):
    encode = _ENCODE.get(op._attrs["wire_dtype"])
    if encode is None:
        return lambda x: x
    return encode


@kernel("_Recv")
def _recv(op):
    decode = _DECODE.get(op._attrs["wire_dtype"])
    if decode is None:
        return lambda x: x
    return decode
