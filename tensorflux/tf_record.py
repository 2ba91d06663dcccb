"""TFRecord files (`tf.python_io` / `tf.io`): `TFRecordWriter`, `tf_record_iterator`,
`TFRecordOptions` and `TFRecordCompressionType`, plain or GZIP / ZLIB compressed.

A file is a sequence of framed records (`summary/record_io.py`: length, masked CRC-32C of the
length, data, masked CRC-32C of the data); a compressed file is that sequence as one gzip or
zlib stream, as TF's `ZlibOutputBuffer` writes it. Readers (`tf.TFRecordReader`,
`tf.data.TFRecordDataset`) share `read_records`.

Example:
    >>> opts = tf.python_io.TFRecordOptions(tf.python_io.TFRecordCompressionType.GZIP)
    >>> with tf.python_io.TFRecordWriter("/tmp/data.tfrecord.gz", opts) as w:
    ...     w.write(b"record")
    >>> list(tf.python_io.tf_record_iterator("/tmp/data.tfrecord.gz", opts))
    [b'record']
"""

import struct
import zlib

from tensorflux import errors
from tensorflux.summary import record_io
from tensorflux.train import crc

_WBITS = {"": None, "ZLIB": zlib.MAX_WBITS, "GZIP": zlib.MAX_WBITS + 16}


class TFRecordCompressionType:
    """The compression of a TFRecord file."""

    NONE = 0
    ZLIB = 1
    GZIP = 2


class TFRecordOptions:
    """How a TFRecord file is compressed: `compression_type` is a `TFRecordCompressionType`
    or one of "", "ZLIB", "GZIP"; `compression_level` (0-9) tunes the writer.

    Example:
        >>> tf.python_io.TFRecordOptions(tf.python_io.TFRecordCompressionType.ZLIB)
    """

    compression_type_map = {TFRecordCompressionType.NONE: "", TFRecordCompressionType.ZLIB:
                            "ZLIB", TFRecordCompressionType.GZIP: "GZIP"}

    def __init__(self, compression_type=None, flush_mode=None, input_buffer_size=None,
                 output_buffer_size=None, window_bits=None, compression_level=None,
                 compression_method=None, mem_level=None, compression_strategy=None):
        del flush_mode, input_buffer_size, output_buffer_size, compression_method
        del mem_level, compression_strategy
        self.compression_type = compression_type
        self.window_bits = window_bits
        self.compression_level = compression_level
        compression_string(self)  # validates the type

    @classmethod
    def get_compression_type_string(cls, options):
        """"", "ZLIB" or "GZIP" for options, a compression type or a string."""
        return compression_string(options)


def compression_string(options):
    """"", "ZLIB" or "GZIP" for None, a `TFRecordOptions`, a type constant or a string."""
    if isinstance(options, TFRecordOptions):
        options = options.compression_type
    if options is None:
        return ""
    if isinstance(options, str):
        name = options.upper()
        if name not in _WBITS:
            raise ValueError("Unsupported compression_type: %r (use '', 'ZLIB' or 'GZIP')"
                             % options)
        return name
    if options in TFRecordOptions.compression_type_map:
        return TFRecordOptions.compression_type_map[options]
    raise ValueError("Unsupported compression_type: %r" % (options,))


class TFRecordWriter:
    """Writes records (bytes) to a TFRecord file, compressed as `options` says.

    Example:
        >>> with tf.python_io.TFRecordWriter("/tmp/d.tfrecord") as w:
        ...     w.write(tf.train.Example().SerializeToString())
    """

    def __init__(self, path, options=None):
        self._compression = compression_string(options)
        self._file = open(path, "wb")  # noqa: SIM115 - closed by close()
        self._compressor = None
        if self._compression:
            level = getattr(options, "compression_level", None)
            self._compressor = zlib.compressobj(
                zlib.Z_DEFAULT_COMPRESSION if level is None else level, zlib.DEFLATED,
                _WBITS[self._compression])

    def write(self, record):
        """Appends one record (bytes; a str is written as UTF-8)."""
        data = record.encode("utf-8") if isinstance(record, str) else bytes(record)
        framed = record_io.encode_record(data)
        self._file.write(self._compressor.compress(framed) if self._compressor else framed)

    def flush(self):
        if self._compressor is not None:
            self._file.write(self._compressor.flush(zlib.Z_SYNC_FLUSH))
        self._file.flush()

    def close(self):
        if self._file.closed:
            return
        if self._compressor is not None:
            self._file.write(self._compressor.flush())
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *unused):
        self.close()


def decompress(data, compression, path=""):
    """The framed records held by the file contents `data`."""
    if not compression:
        return data
    try:
        return zlib.decompressobj(_WBITS[compression]).decompress(data)
    except zlib.error as e:
        raise errors.DataLossError(None, None, "%s: not a %s-compressed TFRecord file (%s)"
                                   % (path, compression, e)) from None


def read_records(data, path=""):
    """Yields `(byte offset, record)` for the framed records in `data` (uncompressed bytes);
    a corrupted record raises `tf.errors.DataLossError`, a truncated last one ends quietly."""
    pos = 0
    while pos + 12 <= len(data):
        length, length_crc = struct.unpack_from("<QI", data, pos)
        if crc.masked_crc32c(data[pos:pos + 8]) != length_crc:
            raise errors.DataLossError(None, None, "corrupted record at %d in %s" % (pos, path))
        end = pos + 12 + length
        if end + 4 > len(data):
            return
        body = data[pos + 12:end]
        if crc.masked_crc32c(body) != struct.unpack_from("<I", data, end)[0]:
            raise errors.DataLossError(None, None, "corrupted record at %d in %s" % (pos, path))
        yield pos, bytes(body)
        pos = end + 4


def tf_record_iterator(path, options=None):
    """Yields the records of a TFRecord file (DataLossError on a corrupted record).

    Example:
        >>> for record in tf.python_io.tf_record_iterator("/tmp/d.tfrecord"):
        ...     example = tf.train.Example.FromString(record)
    """
    compression = compression_string(options)
    if not compression:
        return record_io.iter_records(path)
    with open(path, "rb") as f:
        data = decompress(f.read(), compression, path)
    return (record for _, record in read_records(data, path))


__all__ = ["TFRecordCompressionType", "TFRecordOptions", "TFRecordWriter", "compression_string",
           "decompress", "read_records", "tf_record_iterator"]
