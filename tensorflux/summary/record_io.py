"""TFRecord framing, as event files use it: write records and read them back with CRC checks.

Each record is `uint64 length | uint32 masked_crc32c(length bytes) | data |
uint32 masked_crc32c(data)`, little-endian (TensorBoard's `record_writer.py`).
"""

import struct

from tensorflux import errors
from tensorflux.train import crc


def encode_record(data):
    """The framed bytes of one record."""
    header = struct.pack("<Q", len(data))
    return (header + struct.pack("<I", crc.masked_crc32c(header)) + data
            + struct.pack("<I", crc.masked_crc32c(data)))


def iter_records(path, check_crc=True):
    """Yields the data of every record in a TFRecord / event file.

    A truncated final record (a writer still busy) ends the iteration quietly; a corrupted one
    raises `tf.errors.DataLossError`.
    """
    with open(path, "rb") as f:
        while True:
            header = f.read(12)
            if len(header) < 12:
                return
            length, header_crc = struct.unpack("<QI", header)
            if check_crc and crc.masked_crc32c(header[:8]) != header_crc:
                raise errors.DataLossError(None, None, "corrupted record at %d in %s: length "
                                           "CRC mismatch" % (f.tell() - 12, path))
            data = f.read(length)
            footer = f.read(4)
            if len(data) < length or len(footer) < 4:
                return
            if check_crc and crc.masked_crc32c(data) != struct.unpack("<I", footer)[0]:
                raise errors.DataLossError(None, None, "corrupted record in %s: data CRC "
                                           "mismatch" % path)
            yield data


class RecordWriter:
    """Appends framed records to a file."""

    def __init__(self, path, mode="wb"):
        self._path = path
        self._file = open(path, mode)  # noqa: SIM115 - closed by close()

    def write(self, data):
        self._file.write(encode_record(data))

    def flush(self):
        self._file.flush()

    def close(self):
        if not self._file.closed:
            self._file.flush()
            self._file.close()

    @property
    def closed(self):
        return self._file.closed
