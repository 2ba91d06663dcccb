"""numpy kernels for the parsing ops (ops/parsing_ops.py)."""

import numpy as np

from tensorflux.ops.registry import kernel


@kernel("DecodeRaw")
def _decode_raw(op):
    dtype = np.dtype(op._attrs["out_type"].as_numpy_dtype)
    if dtype.itemsize > 1:
        dtype = dtype.newbyteorder("<" if op._attrs["little_endian"] else ">")

    def run(data):
        data = np.asarray(data, dtype=object)
        flat = [bytes(b) for b in data.ravel()]
        sizes = {len(b) for b in flat}
        if any(n % dtype.itemsize for n in sizes):
            raise ValueError("Input to DecodeRaw has length %d that is not a multiple of %d, "
                             "the size of %s" % (min(n for n in sizes if n % dtype.itemsize),
                                                 dtype.itemsize, op._attrs["out_type"].name))
        if len(sizes) > 1:
            raise ValueError("DecodeRaw requires input strings to all be the same size, but "
                             "element 0 has size %d != %d" % (len(flat[0]), max(sizes)))
        width = (sizes.pop() if sizes else 0) // dtype.itemsize
        out = np.frombuffer(b"".join(flat), dtype=dtype).astype(dtype.newbyteorder("="))
        return out.reshape(data.shape + (width,))

    return run
