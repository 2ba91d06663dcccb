"""`tf.io` (and `tf.python_io`): file ops, `tf.io.gfile`, PNG/JPEG coding, TFRecord files.

Example:
    >>> with tf.io.TFRecordWriter("/tmp/data.tfrecord") as w:
    ...     w.write(b"record")
    >>> list(tf.io.tf_record_iterator("/tmp/data.tfrecord"))
    [b'record']
"""

import types

from tensorflux.graph.text_format import write_graph
from tensorflux.ops.codec_ops import (
    decode_bmp,
    decode_gif,
    extract_jpeg_shape,
    is_jpeg,
    parse_tensor,
    serialize_tensor,
)
from tensorflux.ops.image_io_extras import decode_and_crop_jpeg, decode_compressed
from tensorflux.ops.image_ops import decode_image, decode_jpeg, decode_png, encode_jpeg, encode_png
from tensorflux.ops.io_ops import matching_files, read_file, write_file
from tensorflux.ops.json_example_ops import decode_json_example
from tensorflux.ops.parsing_ops import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
    decode_csv,
    decode_raw,
    parse_example,
    parse_single_example,
)
from tensorflux.ops.sequence_parsing_ops import (
    parse_sequence_example,
    parse_single_sequence_example,
)
from tensorflux.ops.string_ops import decode_base64, encode_base64
from tensorflux.platform import gfile as _gfile
from tensorflux.tf_record import (
    TFRecordCompressionType,
    TFRecordOptions,
    TFRecordWriter,
    tf_record_iterator,
)

# tf.io.gfile: TF 2-style lower-case names over the same functions as tf.gfile.
gfile = types.SimpleNamespace(
    GFile=_gfile.GFile, copy=_gfile.Copy, exists=_gfile.Exists, glob=_gfile.Glob,
    isdir=_gfile.IsDirectory, listdir=_gfile.ListDirectory, makedirs=_gfile.MakeDirs,
    mkdir=_gfile.MkDir, remove=_gfile.Remove, rename=_gfile.Rename,
    rmtree=_gfile.DeleteRecursively, stat=_gfile.Stat, walk=_gfile.Walk)

__all__ = ["TFRecordCompressionType", "TFRecordOptions", "TFRecordWriter", "decode_image",
           "decode_jpeg", "decode_png", "encode_jpeg", "encode_png", "gfile", "matching_files",
           "read_file", "tf_record_iterator", "write_file", "write_graph"]
__all__ += ["decode_bmp", "decode_gif", "extract_jpeg_shape", "is_jpeg", "parse_tensor",
            "serialize_tensor"]
__all__ += ["FixedLenFeature", "FixedLenSequenceFeature", "VarLenFeature", "decode_csv",
            "decode_raw", "parse_example", "parse_single_example"]
__all__ += ["decode_and_crop_jpeg", "decode_base64", "decode_compressed", "encode_base64",
            "parse_sequence_example", "parse_single_sequence_example"]
__all__ += ["decode_json_example"]
