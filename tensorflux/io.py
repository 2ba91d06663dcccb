"""`tf.io` (and `tf.python_io`): file ops, `tf.io.gfile`, PNG/JPEG coding, TFRecord files.

Example:
    >>> with tf.io.TFRecordWriter("/tmp/data.tfrecord") as w:
    ...     w.write(b"record")
    >>> list(tf.io.tf_record_iterator("/tmp/data.tfrecord"))
    [b'record']
"""

import types

from tensorflux.graph.text_format import write_graph
from tensorflux.ops.image_ops import decode_image, decode_jpeg, decode_png, encode_jpeg, encode_png
from tensorflux.ops.io_ops import matching_files, read_file, write_file
from tensorflux.platform import gfile as _gfile
from tensorflux.summary import record_io


class TFRecordCompressionType:
    NONE = 0
    ZLIB = 1
    GZIP = 2


class TFRecordOptions:
    """Record file options; only uncompressed files are supported."""

    compression_type_map = {TFRecordCompressionType.NONE: "", TFRecordCompressionType.ZLIB:
                            "ZLIB", TFRecordCompressionType.GZIP: "GZIP"}

    def __init__(self, compression_type=None, **unused_options):
        if compression_type in (None, "", TFRecordCompressionType.NONE):
            self.compression_type = TFRecordCompressionType.NONE
        else:
            raise NotImplementedError("compressed TFRecord files are not supported by "
                                      "tensorflux")

    @classmethod
    def get_compression_type_string(cls, options):
        return "" if options is None else cls.compression_type_map[options.compression_type]


class TFRecordWriter:
    """Writes records (bytes) to a TFRecord file, framed with masked CRC-32C checksums."""

    def __init__(self, path, options=None):
        if isinstance(options, str) and options:
            raise NotImplementedError("compressed TFRecord files are not supported by "
                                      "tensorflux")
        self._writer = record_io.RecordWriter(path)

    def write(self, record):
        self._writer.write(record.encode("utf-8") if isinstance(record, str) else bytes(record))

    def flush(self):
        self._writer.flush()

    def close(self):
        self._writer.close()

    def __enter__(self):
        return self

    def __exit__(self, *unused):
        self.close()


def tf_record_iterator(path, options=None):
    """Yields the records of a TFRecord file (DataLossError on a corrupted record)."""
    return record_io.iter_records(path)


# tf.io.gfile: TF 2-style lower-case names over the same functions as tf.gfile.
gfile = types.SimpleNamespace(
    GFile=_gfile.GFile, copy=_gfile.Copy, exists=_gfile.Exists, glob=_gfile.Glob,
    isdir=_gfile.IsDirectory, listdir=_gfile.ListDirectory, makedirs=_gfile.MakeDirs,
    mkdir=_gfile.MkDir, remove=_gfile.Remove, rename=_gfile.Rename,
    rmtree=_gfile.DeleteRecursively, stat=_gfile.Stat, walk=_gfile.Walk)

__all__ = ["TFRecordCompressionType", "TFRecordOptions", "TFRecordWriter", "decode_image",
           "decode_jpeg", "decode_png", "encode_jpeg", "encode_png", "gfile", "matching_files",
           "read_file", "tf_record_iterator", "write_file", "write_graph"]
