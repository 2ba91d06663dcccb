"""CSV input pipelines: `tf.data.experimental.CsvDataset` (one tuple of scalars per record)
and `make_csv_dataset` (batches of feature dicts, column names and types read from the files
at graph construction, as TF does)."""

import collections
import csv
import glob
import gzip

import numpy as np

from tensorflux.data.dataset_ops import AUTOTUNE, Dataset
from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import constant_op
from tensorflux.tf_record import compression_string

_ACCEPTABLE_CSV_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64,
                         dtypes.string)


def _default_tensor(value, index):
    """A record default as a 1-D tensor of 0 (required column) or 1 element."""
    if isinstance(value, dtypes.DType) or (isinstance(value, type) and value is not str):
        t = constant_op.constant([], dtype=dtypes.as_dtype(value), name="record_default")
    elif isinstance(value, Tensor):
        t = value
    else:
        t = constant_op.convert_to_tensor(value, name="record_default")
    if t.dtype.base_dtype not in _ACCEPTABLE_CSV_TYPES:
        raise TypeError("Invalid `record_defaults`. The type of record default %d is %s, "
                        "not one of float32, float64, int32, int64, string."
                        % (index, t.dtype.base_dtype.name))
    if t.shape.ndims == 0:
        from tensorflux.ops import array_ops

        t = array_ops.reshape(t, [1])
    return t


def CsvDataset(filenames, record_defaults, compression_type=None, buffer_size=None,  # noqa: N802
               header=False, field_delim=",", use_quote_delim=True, na_value="",
               select_cols=None):
    """The records of CSV files as tuples of scalars, one per column: `record_defaults[i]`
    is a dtype (a required column) or a value of the column's dtype used for empty fields.

    Example:
        >>> ds = tf.data.experimental.CsvDataset("train.csv", [tf.float32, [0], ["none"]],
        ...                                      header=True)
    """
    del buffer_size
    if select_cols is not None and list(select_cols) != sorted(set(select_cols)):
        raise ValueError("select_cols is not strictly increasing.")
    if select_cols is not None and any(c < 0 for c in select_cols):
        raise ValueError("select_cols contains negative values.")
    if select_cols is not None and len(select_cols) != len(record_defaults):
        raise ValueError("Expected len(select_cols) == len(record_defaults) but got %d and %d"
                         % (len(select_cols), len(record_defaults)))
    names = constant_op.convert_to_tensor(filenames, dtype=dtypes.string, name="filenames")
    if names.shape.ndims not in (None, 0, 1):
        raise ValueError("`filenames` must be a `tf.Tensor` of rank 0 or 1, got shape %s"
                         % names.shape)
    defaults = [_default_tensor(v, i) for i, v in enumerate(record_defaults)]
    types = tuple(t.dtype.base_dtype for t in defaults)
    shapes = tuple(tensor_shape.TensorShape([]) for _ in defaults)
    return Dataset("csv", types, shapes, tensors=[names] + defaults,
                   compression=compression_string(compression_type), header=bool(header),
                   field_delim=field_delim, use_quote_delim=bool(use_quote_delim),
                   na_value=na_value, select_cols=list(select_cols or []))


# --- make_csv_dataset --------------------------------------------------------------------------
def _is_valid_int32(value):
    try:
        return np.int32(value) == np.int64(value)
    except (ValueError, OverflowError):
        return False


def _is_valid_int64(value):
    try:
        np.int64(value)
        return True
    except (ValueError, OverflowError):
        return False


def _is_valid_float(value, npd):
    try:
        with np.errstate(over="ignore"):
            return npd(value) < np.inf
    except ValueError:
        return False


def _infer_type(value, na_value, prev_type):
    """The least permissive type that still fits `value` and the column's earlier values."""
    if value in ("", na_value):
        return prev_type
    type_list = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64, dtypes.string]
    checks = [_is_valid_int32, _is_valid_int64, lambda v: _is_valid_float(v, np.float32),
              lambda v: _is_valid_float(v, np.float64), lambda v: True]
    for i, check in enumerate(checks):
        if check(value) and (prev_type is None or prev_type in type_list[:i + 1]):
            return type_list[i]
    return dtypes.string


def _reader(f, field_delim, use_quote_delim):
    return csv.reader(f, delimiter=field_delim,
                      quoting=csv.QUOTE_MINIMAL if use_quote_delim else csv.QUOTE_NONE)


def _rows(filenames, num_cols, field_delim, use_quote_delim, header, open_fn):
    for name in filenames:
        with open_fn(name) as f:
            rows = _reader(f, field_delim, use_quote_delim)
            row_num = 1
            if header:
                next(rows, None)
                row_num += 1
            for row in rows:
                if len(row) != num_cols:
                    raise ValueError("Problem inferring types: CSV row %d has %d number of "
                                     "fields. Expected: %d." % (row_num, len(row), num_cols))
                row_num += 1
                yield row


def _infer_column_defaults(filenames, num_cols, field_delim, use_quote_delim, na_value,
                           header, num_rows, select_columns, open_fn):
    if select_columns is None:
        select_columns = range(num_cols)
    inferred = [None] * len(select_columns)
    rows = _rows(filenames, num_cols, field_delim, use_quote_delim, header, open_fn)
    for i, row in enumerate(rows):
        if num_rows is not None and i >= num_rows:
            break
        for j, col in enumerate(select_columns):
            inferred[j] = _infer_type(row[col], na_value, inferred[j])
    inferred = [t or dtypes.string for t in inferred]
    return [constant_op.constant([0 if t != dtypes.string else ""], dtype=t) for t in inferred]


def _infer_column_names(filenames, field_delim, use_quote_delim, open_fn):
    with open_fn(filenames[0]) as f:
        names = next(_reader(f, field_delim, use_quote_delim), None)
    if names is None:
        raise ValueError("Failed when reading the header line of %s. Is it an empty file?"
                         % filenames[0])
    for name in filenames[1:]:
        with open_fn(name) as f:
            other = next(_reader(f, field_delim, use_quote_delim), None)
        if other is None:
            raise ValueError("Failed when reading the header line of %s. Is it an empty file?"
                             % name)
        if other != names:
            raise ValueError("All input CSV files should have the same column names in the "
                             "header row. File %s has different column names." % name)
    return names


def _sorted_col_indices(select_columns, column_names):
    index = {n: i for i, n in enumerate(column_names)}
    results = []
    for v in select_columns:
        if isinstance(v, int):
            if v < 0 or v >= len(column_names):
                raise ValueError("Column index %d specified in `select_columns` should be > 0 "
                                 " and <= %d, which is the number of columns."
                                 % (v, len(column_names)))
            results.append(v)
        elif v not in index:
            raise ValueError("Column %s specified in `select_columns` must be of one of the "
                             "columns: %s." % (v, index.keys()))
        else:
            results.append(index[v])
    unique = sorted(set(results))
    if len(unique) != len(select_columns):
        ordered = sorted(results)
        duplicates = {a for a, b in zip(ordered[:-1], ordered[1:]) if a == b}
        raise ValueError("The `select_columns` argument contains duplicate columns: %s."
                         % duplicates)
    return unique


def _file_names(file_pattern):
    if isinstance(file_pattern, list):
        if not file_pattern:
            raise ValueError("Argument `file_pattern` should not be empty.")
        names = [n for entry in file_pattern for n in glob.glob(entry)]
    else:
        names = glob.glob(file_pattern)
    if not names:
        raise ValueError("No files match `file_pattern` %s." % (file_pattern,))
    return sorted(names)


def make_csv_dataset(file_pattern, batch_size, column_names=None, column_defaults=None,
                     label_name=None, select_columns=None, field_delim=",",
                     use_quote_delim=True, na_value="", header=True, num_epochs=None,
                     shuffle=True, shuffle_buffer_size=10000, shuffle_seed=None,
                     prefetch_buffer_size=None, num_parallel_reads=None, sloppy=False,
                     num_rows_for_inference=100, compression_type=None, ignore_errors=False,
                     encoding="utf-8"):
    """Batches of `(features, label)` (or `features`) read from CSV files: `features` maps
    each column name to a `[batch]` tensor. Column names come from the header and column
    types from the first `num_rows_for_inference` rows unless given. Repeats forever
    (`num_epochs=None`, fixed batch size) and shuffles by default.

    Example:
        >>> ds = tf.data.experimental.make_csv_dataset("train*.csv", 32, label_name="label")
        >>> features, label = ds.make_one_shot_iterator().get_next()
    """
    from tensorflux.data import experimental_ops

    if num_parallel_reads is None:
        num_parallel_reads = 1
    filenames = _file_names(file_pattern)
    dataset = Dataset.from_tensor_slices(filenames)
    if shuffle:
        dataset = dataset.shuffle(len(filenames), shuffle_seed)

    compression = compression_string(compression_type)

    def open_fn(name):
        if compression == "GZIP":
            return gzip.open(name, "rt", encoding=encoding)
        if compression == "ZLIB":
            raise ValueError("`compression_type` %s is not supported for probing columns."
                             % compression_type)
        return open(name, encoding=encoding, newline="")  # noqa: SIM115 - closed by caller

    if column_names is None:
        if not header:
            raise ValueError("Expected `column_names` or `header` arguments. Neither is "
                             "provided.")
        column_names = _infer_column_names(filenames, field_delim, use_quote_delim, open_fn)
    column_names = list(column_names)
    if len(column_names) != len(set(column_names)):
        ordered = sorted(column_names)
        duplicates = {a for a, b in zip(ordered[:-1], ordered[1:]) if a == b}
        raise ValueError("Either `column_names` argument or CSV header row contains duplicate "
                         "column names: %s." % duplicates)
    if select_columns is not None:
        select_columns = _sorted_col_indices(select_columns, column_names)
    if column_defaults is not None:
        column_defaults = [constant_op.constant([], dtype=x)
                           if isinstance(x, dtypes.DType) and x in _ACCEPTABLE_CSV_TYPES else x
                           for x in column_defaults]
    else:
        column_defaults = _infer_column_defaults(
            filenames, len(column_names), field_delim, use_quote_delim, na_value, header,
            num_rows_for_inference, select_columns, open_fn)
    if select_columns is not None and len(column_defaults) != len(select_columns):
        raise ValueError("If specified, `column_defaults` and `select_columns` must have the "
                         "same length: `column_defaults` has length %d, `select_columns` has "
                         "length %d." % (len(column_defaults), len(select_columns)))
    if select_columns is not None and len(column_names) > len(select_columns):
        column_names = [column_names[i] for i in select_columns]
    if label_name is not None and label_name not in column_names:
        raise ValueError("`label_name` provided must be one of the columns: %s. Received: %s."
                         % (column_names, label_name))

    def filename_to_dataset(filename):
        ds = CsvDataset(filename, record_defaults=column_defaults, field_delim=field_delim,
                        use_quote_delim=use_quote_delim, na_value=na_value,
                        select_cols=select_columns, header=header,
                        compression_type=compression_type)
        if ignore_errors:
            ds = ds.apply(experimental_ops.ignore_errors())
        return ds

    def map_fn(*columns):
        features = collections.OrderedDict(zip(column_names, columns))
        if label_name is not None:
            label = features.pop(label_name)
            return features, label
        return features

    cycle = 1 if num_parallel_reads == AUTOTUNE else num_parallel_reads
    dataset = dataset.interleave(filename_to_dataset, cycle_length=cycle)
    if shuffle:
        dataset = dataset.shuffle(shuffle_buffer_size, shuffle_seed)
    if num_epochs != 1:
        dataset = dataset.repeat(num_epochs)
    dataset = dataset.batch(batch_size, drop_remainder=num_epochs is None)
    dataset = dataset.map(map_fn)
    return dataset.prefetch(AUTOTUNE if prefetch_buffer_size is None else prefetch_buffer_size)


__all__ = ["CsvDataset", "make_csv_dataset"]


def parse_example_dataset(features, num_parallel_calls=1, deterministic=None):
    """A transformation parsing a dataset of vectors of serialized `tf.train.Example`s into
    dicts of features (`tf.parse_example`; a `VarLenFeature` gives a SparseTensor).

    Example:
        >>> features = {"x": tf.FixedLenFeature([2], tf.int64)}
        >>> ds = tf.data.TFRecordDataset(files).batch(32).apply(
        ...     tf.data.experimental.parse_example_dataset(features))
    """
    del num_parallel_calls, deterministic
    if features is None:
        raise ValueError("Argument `features` is required, but not specified.")

    def apply(dataset):
        from tensorflux.ops import parsing_ops

        if dataset.output_types != dtypes.string:
            raise TypeError("Input dataset should be a dataset of vectors of strings")
        return dataset.map(lambda serialized: parsing_ops.parse_example(serialized, features))
    return apply


def make_batched_features_dataset(file_pattern, batch_size, features, reader=None,
                                  label_key=None, reader_args=None, num_epochs=None,
                                  shuffle=True, shuffle_buffer_size=10000, shuffle_seed=None,
                                  prefetch_buffer_size=None, reader_num_threads=None,
                                  parser_num_threads=None, sloppy_ordering=False,
                                  drop_final_batch=False):
    """Batches of parsed `tf.train.Example` features (a dict, or `(features, label)` with
    `label_key`) read from the files matching `file_pattern` (TFRecord by default).

    Example:
        >>> ds = tf.data.experimental.make_batched_features_dataset(
        ...     "train-*.tfrecord", 32, {"x": tf.FixedLenFeature([2], tf.float32),
        ...                              "y": tf.FixedLenFeature([], tf.int64)}, label_key="y")
    """
    from tensorflux.data.readers import TFRecordDataset

    del parser_num_threads, sloppy_ordering
    reader = TFRecordDataset if reader is None else reader
    if reader_num_threads is None or reader_num_threads == AUTOTUNE:
        reader_num_threads = 1
    reader_args = list(reader_args or [])
    dataset = Dataset.list_files(file_pattern, shuffle=shuffle, seed=shuffle_seed)
    dataset = dataset.interleave(lambda filename: reader(filename, *reader_args),
                                 cycle_length=reader_num_threads)
    if dataset.output_types == (dtypes.string, dtypes.string):
        dataset = dataset.map(lambda _, v: v)
    if shuffle:
        dataset = dataset.shuffle(shuffle_buffer_size, shuffle_seed)
    if num_epochs != 1:
        dataset = dataset.repeat(num_epochs)
    dataset = dataset.batch(batch_size, drop_remainder=drop_final_batch or num_epochs is None)
    dataset = dataset.apply(parse_example_dataset(features))
    if label_key:
        if label_key not in features:
            raise ValueError("The `label_key` provided (%s) must be one of the `features` keys: "
                             "%s." % (label_key, features.keys()))
        dataset = dataset.map(lambda x: (x, x.pop(label_key)))
    return dataset.prefetch(AUTOTUNE if prefetch_buffer_size is None else prefetch_buffer_size)


__all__ += ["make_batched_features_dataset", "parse_example_dataset"]
