"""CRC-32C (Castagnoli) checksums and TF's masking, as used in checkpoints and record files.

TF never stores a raw CRC next to data it covers: it stores `mask(crc)` so that a CRC of a
string that itself contains CRCs stays well distributed (tsl/lib/hash/crc32c.h).
"""

import google_crc32c
import numpy as np

_MASK_DELTA = 0xA282EAD8
_U32 = 0xFFFFFFFF


def _as_crc_input(data):
    # google_crc32c's C extension takes bytes or a numpy uint8 array, not memoryview/bytearray.
    if isinstance(data, bytes):
        return data
    return np.frombuffer(data, dtype=np.uint8)


def crc32c(data):
    """Returns the (unmasked) CRC-32C of a bytes-like object.

    Example:
        >>> hex(crc32c(b"123456789"))
        '0xe3069283'
    """
    return google_crc32c.value(_as_crc_input(data))


def crc32c_extend(crc, data):
    """Extends an unmasked CRC-32C `crc` with more bytes, as if they had been appended."""
    return google_crc32c.extend(crc, _as_crc_input(data))


def mask(crc):
    """Masks a CRC the way TF stores it: rotate right by 15 bits, add a constant."""
    return ((((crc >> 15) | (crc << 17)) & _U32) + _MASK_DELTA) & _U32


def unmask(masked):
    """Inverts `mask`.

    Example:
        >>> unmask(mask(0x12345678)) == 0x12345678
        True
    """
    rot = (masked - _MASK_DELTA) & _U32
    return ((rot >> 17) | (rot << 15)) & _U32


def masked_crc32c(data):
    """Returns `mask(crc32c(data))`, the checksum TF writes into files.

    Example:
        >>> hex(masked_crc32c(b""))
        '0xa282ead8'
    """
    return mask(crc32c(data))
