"""`tf.data.TextLineDataset` and `tf.data.TFRecordDataset`: the lines of text files, or the
records of TFRecord files, one string element each."""

from tensorflux.data.dataset_ops import Dataset
from tensorflux.graph import dtypes, tensor_shape
from tensorflux.ops import constant_op
from tensorflux.tf_record import compression_string


def TextLineDataset(filenames, compression_type=None, buffer_size=None,  # noqa: N802
                    num_parallel_reads=None):
    """The lines of `filenames` (a string or a list of them, read in order), without their
    line endings; `compression_type` "" or "GZIP".

    Example:
        >>> lines = tf.data.TextLineDataset(["a.csv", "b.csv"]).skip(1)
    """
    del buffer_size, num_parallel_reads
    compression = (compression_type or "").upper()
    if compression not in ("", "GZIP"):
        raise ValueError("Unsupported compression_type %r: use '' or 'GZIP'." % compression_type)
    names = constant_op.convert_to_tensor(filenames, dtype=dtypes.string, name="filenames")
    if names.shape.ndims not in (None, 0, 1):
        raise ValueError("`filenames` must be a `tf.Tensor` of rank 0 or 1, got shape %s"
                         % names.shape)
    return Dataset("text_lines", dtypes.string, tensor_shape.TensorShape([]), tensors=[names],
                   compression=compression)


def _filenames(filenames):
    names = constant_op.convert_to_tensor(filenames, dtype=dtypes.string, name="filenames")
    if names.shape.ndims not in (None, 0, 1):
        raise TypeError("`filenames` must be a `tf.Tensor` of rank 0 or 1, got shape %s"
                        % names.shape)
    return names


def TFRecordDataset(filenames, compression_type=None, buffer_size=None,  # noqa: N802
                    num_parallel_reads=None):
    """The records of the TFRecord files `filenames` (a string or a list of them, read in
    order) as scalar strings; `compression_type` "", "ZLIB" or "GZIP".

    Example:
        >>> ds = tf.data.TFRecordDataset(["train-0.tfrecord"]).map(parse_fn).batch(32)
    """
    del buffer_size, num_parallel_reads
    compression = compression_string(compression_type)
    return Dataset("tf_records", dtypes.string, tensor_shape.TensorShape([]),
                   tensors=[_filenames(filenames)], compression=compression)


__all__ = ["TFRecordDataset", "TextLineDataset"]
