"""numpy kernel of Bitcast: a byte-level view, with TF's last-dimension rule."""

import numpy as np

from tensorflux.ops.bitcast_ops import type_size
from tensorflux.ops.registry import kernel


def _to_bits(x, dtype):
    # bfloat16 is held as float32: its bits are the float32's high half.
    if dtype.name == "bfloat16":
        return (np.ascontiguousarray(x, np.float32).view(np.uint32) >> 16).astype(np.uint16)
    return np.ascontiguousarray(x)


def _from_bits(bits, dtype):
    if dtype.name == "bfloat16":
        return (bits.view(np.uint16).astype(np.uint32) << 16).view(np.float32)
    return bits.view(dtype.as_numpy_dtype)


@kernel("Bitcast")
def _bitcast(op):
    src, dst = op.inputs[0].dtype.base_dtype, op._attrs["type"].base_dtype
    in_size, out_size = type_size(src), type_size(dst)

    def run(x):
        x = np.asarray(x)
        if in_size < out_size:
            divisor = out_size // in_size
            if x.ndim < 1 or x.shape[-1] != divisor:
                raise ValueError("Cannot bitcast from %d to %d: shape %s does not end in %d"
                                 % (src.as_datatype_enum, dst.as_datatype_enum,
                                    list(x.shape), divisor))
        bits = _to_bits(x, src)
        flat = bits.reshape(-1).view(np.uint8)
        if in_size > out_size:
            shape = x.shape + (in_size // out_size,)
        elif in_size < out_size:
            shape = x.shape[:-1]
        else:
            shape = x.shape
        out_np = np.uint16 if dst.name == "bfloat16" else dst.as_numpy_dtype
        return _from_bits(flat.view(out_np).reshape(shape), dst).copy()

    return run
