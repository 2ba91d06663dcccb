"""Partitioned-tensor slices: TF's ordered-code slice keys and reassembly of full tensors.

A tensor saved in pieces (a partitioned variable, or any tensor in a V1 checkpoint) is stored
as slices. Each slice is a list of extents `(start, length)`, where `length=None` means the
whole dimension. In a table, a slice lives under the key
`EncodeTensorNameSlice(name, slice)` (tensor_slice_util / saved_tensor_slice_util.cc):
`OrderedCode` of `0`, the name, the rank, then each extent's start and length (-1 = all).
"""

import numpy as np

_FULL_EXTENT = -1


def _write_num_increasing(value):
    # OrderedCode::WriteNumIncreasing: a length byte, then the big-endian bytes of the number.
    size = (value.bit_length() + 7) // 8
    return bytes([size]) + value.to_bytes(size, "big")


def _write_string(text):
    # OrderedCode::WriteString: escape 0x00 and 0xff, then terminate with 0x00 0x01.
    return text.replace(b"\x00", b"\x00\xff").replace(b"\xff", b"\xff\x00") + b"\x00\x01"


def _write_signed_num_increasing(value):
    # OrderedCode::WriteSignedNumIncreasing: `len` two's-complement big-endian bytes whose
    # first bits are a unary length header (1s then a 0), so byte order sorts numerically.
    magnitude = ~value if value < 0 else value
    length = magnitude.bit_length() // 7 + 1
    raw = bytearray((value & ((1 << (8 * length)) - 1)).to_bytes(length, "big"))
    if length == 10:  # the header needs 10 bits: 0xff then 0b11 in the second byte
        raw[0] ^= 0xFF
        raw[1] ^= 0xC0
    elif length == 9:
        raw[0] ^= 0xFF
        raw[1] ^= 0x80
    else:
        raw[0] ^= (0xFF << (8 - length)) & 0xFF
    return bytes(raw)


def encode_tensor_name_slice(name, extents):
    """Returns the table key of one slice of tensor `name`.

    Args:
        name: The tensor name (str).
        extents: One `(start, length)` per dimension; `length=None` for the whole dimension.

    Returns:
        The key as bytes (always starting with a zero byte, so it sorts before named keys).
    """
    key = _write_num_increasing(0) + _write_string(name.encode("utf-8"))
    key += _write_num_increasing(len(extents))
    for start, length in extents:
        if length is None:
            start, length = 0, _FULL_EXTENT
        key += _write_signed_num_increasing(start) + _write_signed_num_increasing(length)
    return key


def slice_index(extents, shape):
    """Turns extents into a numpy index for a tensor of `shape`, checking the bounds."""
    if extents and len(extents) != len(shape):
        raise ValueError(f"slice of rank {len(extents)} for a tensor of shape {list(shape)}")
    index = []
    for (start, length), dim in zip(extents, shape):
        if length is None or length == _FULL_EXTENT:
            index.append(slice(0, dim))
            continue
        if start < 0 or length < 0 or start + length > dim:
            raise ValueError(f"slice [{start}, {start + length}) is outside a dimension of "
                             f"size {dim}")
        index.append(slice(start, start + length))
    return tuple(index)


def slice_shape(extents, shape):
    """Returns the shape of the slice `extents` of a tensor of `shape`."""
    index = slice_index(extents, shape)
    return tuple(s.stop - s.start for s in index) if index else tuple(shape)


def assemble(shape, dtype, pieces):
    """Builds a full tensor from its slices.

    Args:
        shape: The full tensor's shape.
        dtype: The numpy dtype of the result.
        pieces: `(extents, array)` pairs that together cover the tensor.

    Returns:
        The full numpy array.

    Raises:
        ValueError: If a slice is out of bounds, has the wrong shape, or the slices leave
            part of the tensor uncovered.
    """
    full = np.zeros(shape, dtype=dtype)
    covered = np.zeros(shape, dtype=bool)
    for extents, array in pieces:
        index = slice_index(extents, shape)
        expected = slice_shape(extents, shape)
        if tuple(array.shape) != expected:
            raise ValueError(f"slice data has shape {list(array.shape)}, expected "
                             f"{list(expected)}")
        full[index] = array
        covered[index] = True
    if not covered.all():
        raise ValueError(f"the saved slices do not cover the whole tensor of shape {list(shape)}")
    return full
