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


def FixedLengthRecordDataset(filenames, record_bytes, header_bytes=None,  # noqa: N802
                             footer_bytes=None, buffer_size=None, compression_type=None,
                             num_parallel_reads=None):
    """The fixed-length records of binary files: each file's bytes after `header_bytes` and
    before `footer_bytes`, cut into `record_bytes`-long scalar strings (a body that is not a
    whole number of records is an InvalidArgumentError); `compression_type` "", "ZLIB" or
    "GZIP".

    Example:
        >>> ds = tf.data.FixedLengthRecordDataset(["data_batch_1.bin"], 3073)   # CIFAR-10
        >>> ds = ds.map(lambda r: tf.decode_raw(r, tf.uint8))
    """
    from tensorflux.data.dataset_ops import _int64

    del buffer_size, num_parallel_reads
    compression = compression_string(compression_type)
    tensors = [_filenames(filenames), _int64(header_bytes or 0, "header_bytes"),
               _int64(record_bytes, "record_bytes"), _int64(footer_bytes or 0, "footer_bytes")]
    return Dataset("fixed_length_records", dtypes.string, tensor_shape.TensorShape([]),
                   tensors=tensors, compression=compression)


class TFRecordWriter:
    """Writes the elements of a dataset of scalar strings to a TFRecord file, when the op
    `write(dataset)` returns is run (`tf.data.experimental.TFRecordWriter`).

    Example:
        >>> op = tf.data.experimental.TFRecordWriter("out.tfrecord").write(records)
        >>> sess.run(op)
    """

    def __init__(self, filename, compression_type=None):
        self._filename = constant_op.convert_to_tensor(filename, dtype=dtypes.string,
                                                       name="filename")
        self._compression = compression_string(compression_type)

    def write(self, dataset):
        """The op that writes every element of `dataset` (scalar strings) to the file."""
        from tensorflux.ops import dataset_extra_ops

        if not isinstance(dataset, Dataset):
            raise TypeError("Invalid `dataset.` Expected a `tf.data.Dataset` object but got "
                            "%s." % type(dataset))
        if dataset.output_types != dtypes.string or \
                not tensor_shape.TensorShape([]).is_compatible_with(dataset.output_shapes):
            raise TypeError("Invalid `dataset`. Expected a`dataset` that produces scalar "
                            "`tf.string` elements, but got a dataset which produces elements "
                            "with shapes %s and types %s."
                            % (dataset.output_shapes, dataset.output_types))
        return dataset_extra_ops.dataset_to_tf_record(dataset, self._filename,
                                                      self._compression)


__all__ += ["FixedLengthRecordDataset", "TFRecordWriter"]
