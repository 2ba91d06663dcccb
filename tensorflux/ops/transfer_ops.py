"""Plan-only transfer ops, created by `passes/transfers.py` (never by user code).

A tensor that an op on device D reads from device S travels as a `_Send` (on S) / `_Recv`
(on D) pair, TF's names. The pair can compress float32 values to 16 bits on the wire
(`wire_dtype` attr):

- `"bfloat16"`: `_Send` rounds each float32 to bfloat16 (round to nearest, ties to even: the
  upper 16 bits of the rounded float32) and sends those bits as uint16; `_Recv` puts them back
  as the upper half of a float32. Relative error <= 2**-8 for normal values (|x| >= 2**-126);
  NaN stays NaN, +-inf stays +-inf, and values within half a bfloat16 step of float32's maximum
  round to +-inf (as TF's float32 -> bfloat16 cast).
- `"float16"`: IEEE half precision (numpy's / XLA's conversion, round to nearest even).
  Relative error <= 2**-11 for 2**-14 <= |x| <= 65504; smaller values lose precision (absolute
  error <= 2**-25, below 2**-25 they become 0); |x| >= 65520 becomes +-inf (TF's Cast to
  float16 does the same: no saturation).
- `""`: no compression, the value travels as it is.

The values a `_Recv` returns have the sent tensor's dtype, so consumers never see the wire type.
"""

from tensorflux.graph import dtypes
from tensorflux.ops import registry

WIRE_DTYPES = ("", "bfloat16", "float16")


def wire_dtype(dtype, wire):
    """The dtype a tensor of `dtype` travels as when the transfer compresses to `wire`."""
    if wire == "bfloat16":
        return dtypes.uint16
    if wire == "float16":
        return dtypes.float16
    return dtype


def _send_shape(op):
    t = op.inputs[0]
    return [(wire_dtype(t.dtype.base_dtype, op._attrs["wire_dtype"]), t.shape)]


def _recv_shape(op):
    return [(op._attrs["T"], op.inputs[0].shape)]


registry.register("_Send", shape=_send_shape, grad=registry.NOT_DIFFERENTIABLE)
registry.register("_Recv", shape=_recv_shape, grad=registry.NOT_DIFFERENTIABLE)
