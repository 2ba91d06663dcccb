"""`tf.data.experimental` pipelines written once, run by real TensorFlow (fixtures,
`tools/fixtures/gen_data_experimental.py`) and by tensorflux (`test_data_experimental.py`).

A case is `fn(tf, tmp)` (`tmp`: an empty directory for the files it reads or writes, written
with plain Python so both sides read the same bytes). It returns a Dataset, or a dict with
"dataset" (optional), "first" (ops to run before anything else, e.g. a TFRecord writer) and
"fetch" (name -> tensor, fetched once). `record(tf, name)` builds it in a fresh graph and
returns what both sides must agree on: the dataset's structure, static shapes, every element
until OutOfRangeError (or the error that ended the iteration), the fetched values and the
Python error a bad argument raises at construction.
"""

import gzip
import os
import shutil
import tempfile

import numpy as np

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def _write(tmp, name, text, mode="w"):
    path = os.path.join(tmp, name)
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, mode) as f:
        f.write(text)
    return path


CSV = "a,b,c\n1,2.5,x\n2,,\"y,z\"\n3,4.0,w\n"


# --- counting and state ----------------------------------------------------------------------
@case
def counter_start_step(tf, tmp):
    return tf.data.experimental.Counter(5, 3).take(4)


@case
def counter_int32(tf, tmp):
    return tf.data.experimental.Counter(dtype=tf.int32).take(3)


@case
def scan_running_sum(tf, tmp):
    return tf.data.Dataset.range(6).apply(
        tf.data.experimental.scan(tf.constant(0, tf.int64), lambda s, x: (s + x, s * 10)))


@case
def scan_tuple_state(tf, tmp):
    def step(state, x):
        count, total = state
        total = total + tf.cast(x, tf.float32)
        return (count + 1, total), (total / tf.cast(count + 1, tf.float32), x)
    return tf.data.Dataset.range(1, 5).apply(
        tf.data.experimental.scan((tf.constant(0, tf.int64), tf.constant(0.0)), step))


@case
def scan_python_initial_state(tf, tmp):
    return tf.data.Dataset.from_tensor_slices([1.0, 2.0, 3.0]).apply(
        tf.data.experimental.scan(1.0, lambda s, x: (s * x, s)))


@case
def enumerate_strings(tf, tmp):
    return tf.data.Dataset.from_tensor_slices(["a", "b", "c"]).apply(
        tf.data.experimental.enumerate_dataset(start=3))


@case
def enumerate_tuple(tf, tmp):
    return tf.data.Dataset.from_tensor_slices(([1, 2], [3.0, 4.0])).apply(
        tf.data.experimental.enumerate_dataset())


# --- cardinality -------------------------------------------------------------------------------
@case
def cardinality_values(tf, tmp):
    card = tf.data.experimental.cardinality
    r = tf.data.Dataset.range(10)
    datasets = {
        "range": r, "range_step": tf.data.Dataset.range(2, 11, 3),
        "range_empty": tf.data.Dataset.range(5, 2),
        "slices": tf.data.Dataset.from_tensor_slices(np.zeros([7, 2])),
        "tensors": tf.data.Dataset.from_tensors([1, 2]),
        "batch": r.batch(3), "batch_drop": r.batch(3, drop_remainder=True),
        "padded_batch": r.map(lambda v: tf.fill([2], v)).padded_batch(4, [None]),
        "repeat_3": r.repeat(3), "repeat_forever": r.repeat(),
        "repeat_empty_forever": r.take(0).repeat(),
        "take": r.take(4), "take_more": r.take(40), "take_all": r.take(-1),
        "take_of_forever": r.repeat().take(6),
        "skip": r.skip(4), "skip_more": r.skip(40), "skip_all": r.skip(-1),
        "skip_of_forever": r.repeat().skip(3),
        "filter": r.filter(lambda v: v > 3), "map": r.map(lambda v: v * 2),
        "shuffle": r.shuffle(4, seed=1), "cache": r.cache(), "prefetch": r.prefetch(2),
        "concatenate": r.concatenate(tf.data.Dataset.range(3)),
        "concatenate_forever": r.concatenate(r.repeat()),
        "zip": tf.data.Dataset.zip((r, tf.data.Dataset.range(4))),
        "zip_forever": tf.data.Dataset.zip((r.repeat(), r.repeat())),
        "zip_forever_finite": tf.data.Dataset.zip((r.repeat(), tf.data.Dataset.range(4))),
        "flat_map": r.flat_map(tf.data.Dataset.from_tensors),
        "interleave": r.interleave(tf.data.Dataset.from_tensors, cycle_length=2),
        "unbatch": r.batch(2).unbatch(),
        "filter_take": r.filter(lambda v: v > 3).take(2),
        "filter_repeat": r.filter(lambda v: v > 3).repeat(),
        "counter": tf.data.experimental.Counter(),
        "counter_take": tf.data.experimental.Counter().take(5),
        "enumerate": r.apply(tf.data.experimental.enumerate_dataset()),
        "scan": r.apply(tf.data.experimental.scan(tf.constant(0, tf.int64),
                                                  lambda s, x: (s, x))),
        "text_lines": tf.data.TextLineDataset([_write(tmp, "l.txt", "a\nb\n")]),
    }
    fetch = {k: card(v) for k, v in datasets.items()}
    fetch["INFINITE_CARDINALITY"] = tf.constant(tf.data.experimental.INFINITE_CARDINALITY,
                                                tf.int64)
    fetch["UNKNOWN_CARDINALITY"] = tf.constant(tf.data.experimental.UNKNOWN_CARDINALITY,
                                               tf.int64)
    return {"fetch": fetch}


@case
def cardinality_fed_range(tf, tmp):
    n = tf.placeholder_with_default(tf.constant(7, tf.int64), [])
    return {"fetch": {"n": tf.data.experimental.cardinality(
        tf.data.Dataset.range(n).batch(2))}}


# --- single element ----------------------------------------------------------------------------
@case
def single_element(tf, tmp):
    ds = tf.data.Dataset.from_tensors((tf.constant(1), {"v": [2.0, 3.0]}))
    return {"fetch": {"one": tf.data.experimental.get_single_element(ds),
                      "mapped": tf.data.experimental.get_single_element(
                          tf.data.Dataset.range(5).skip(4).map(lambda v: v * 3))}}


@case
def single_element_empty(tf, tmp):
    return {"fetch": {"x": tf.data.experimental.get_single_element(
        tf.data.Dataset.range(0))}}


@case
def single_element_too_many(tf, tmp):
    return {"fetch": {"x": tf.data.experimental.get_single_element(
        tf.data.Dataset.range(3))}}


# --- errors ------------------------------------------------------------------------------------
@case
def ignore_errors_in_map(tf, tmp):
    ds = tf.data.Dataset.from_tensor_slices(["1", "x", "3", "", "5"]).map(
        lambda s: tf.strings.to_number(s, tf.float32))
    return ds.apply(tf.data.experimental.ignore_errors())


@case
def map_error_then_continue(tf, tmp):
    ds = tf.data.Dataset.from_tensor_slices(["1", "x", "3"]).map(
        lambda s: tf.strings.to_number(s, tf.float32))
    return {"dataset": ds, "continue": True}


# --- grouping ----------------------------------------------------------------------------------
@case
def group_by_window_batches(tf, tmp):
    return tf.data.Dataset.range(11).apply(tf.data.experimental.group_by_window(
        key_func=lambda v: v % 3, reduce_func=lambda key, window: window.batch(2),
        window_size=2))


@case
def group_by_window_key_in_reduce(tf, tmp):
    def reduce_func(key, window):
        return window.map(lambda v: v + 100 * key).batch(3)
    return tf.data.Dataset.range(10).apply(tf.data.experimental.group_by_window(
        lambda v: v % 2, reduce_func, window_size=3))


@case
def group_by_window_size_func(tf, tmp):
    ds = tf.data.Dataset.range(12).map(lambda v: (v, tf.cast(v, tf.float32) / 2))
    return ds.apply(tf.data.experimental.group_by_window(
        key_func=lambda a, b: a % 2, reduce_func=lambda key, w: w.batch(5),
        window_size_func=lambda key: key + 2))


@case
def bucket_by_length(tf, tmp):
    lengths = [1, 5, 3, 2, 6, 4, 1, 7, 2, 3]
    ds = tf.data.Dataset.from_tensor_slices(lengths).map(
        lambda n: tf.fill([n], n))
    return ds.apply(tf.data.experimental.bucket_by_sequence_length(
        lambda x: tf.shape(x)[0], bucket_boundaries=[3, 5], bucket_batch_sizes=[2, 2, 3]))


@case
def bucket_by_length_tuple_drop(tf, tmp):
    lengths = [1, 5, 3, 2, 6, 4, 1, 7, 2, 3]
    ds = tf.data.Dataset.from_tensor_slices(lengths).map(
        lambda n: (tf.fill([n], n), n * 10))
    return ds.apply(tf.data.experimental.bucket_by_sequence_length(
        lambda x, y: tf.shape(x)[0], [4], [2, 3], padding_values=(-1, 0),
        drop_remainder=True))


@case
def bucket_by_length_pad_to_boundary(tf, tmp):
    ds = tf.data.Dataset.from_tensor_slices([1, 5, 3, 2, 4, 1]).map(lambda n: tf.fill([n], n))
    return ds.apply(tf.data.experimental.bucket_by_sequence_length(
        lambda x: tf.shape(x)[0], [3, 6], [2, 2, 2], pad_to_bucket_boundary=True))


@case
def bucket_by_length_no_padding(tf, tmp):
    ds = tf.data.Dataset.range(7)
    return ds.apply(tf.data.experimental.bucket_by_sequence_length(
        lambda x: tf.cast(x, tf.int32), [3], [2, 2], no_padding=True))


@case
def bucket_by_length_bad_sizes(tf, tmp):
    return tf.data.Dataset.range(3).apply(tf.data.experimental.bucket_by_sequence_length(
        lambda x: x, [3], [2, 2, 2]))


# --- mixing datasets ---------------------------------------------------------------------------
@case
def choose_from_datasets_round_robin(tf, tmp):
    datasets = [tf.data.Dataset.from_tensors("foo").repeat(),
                tf.data.Dataset.from_tensors("bar").repeat(),
                tf.data.Dataset.from_tensors("baz").repeat()]
    choice = tf.data.Dataset.range(3).repeat(3)
    return tf.data.experimental.choose_from_datasets(datasets, choice)


@case
def choose_from_datasets_exhausted(tf, tmp):
    datasets = [tf.data.Dataset.range(3), tf.data.Dataset.range(10, 12)]
    choice = tf.data.Dataset.from_tensor_slices(np.array([1, 1, 1, 0, 1, 0, 0, 0, 0],
                                                         np.int64))
    return tf.data.experimental.choose_from_datasets(datasets, choice)


@case
def choose_from_datasets_stop_on_empty(tf, tmp):
    datasets = [tf.data.Dataset.range(3), tf.data.Dataset.range(10, 12)]
    choice = tf.data.Dataset.from_tensor_slices(np.array([1, 1, 1, 0, 0], np.int64))
    return tf.data.experimental.choose_from_datasets(datasets, choice,
                                                     stop_on_empty_dataset=True)


@case
def choose_from_datasets_out_of_range(tf, tmp):
    datasets = [tf.data.Dataset.range(3), tf.data.Dataset.range(10, 12)]
    choice = tf.data.Dataset.from_tensor_slices(np.array([0, 2, 1], np.int64))
    return tf.data.experimental.choose_from_datasets(datasets, choice)


@case
def choose_from_datasets_bad_choice_type(tf, tmp):
    return tf.data.experimental.choose_from_datasets(
        [tf.data.Dataset.range(3)], tf.data.Dataset.range(3).map(lambda v: tf.cast(v, tf.int32)))


@case
def choose_from_datasets_bad_types(tf, tmp):
    return tf.data.experimental.choose_from_datasets(
        [tf.data.Dataset.range(3), tf.data.Dataset.from_tensors(1.0)], tf.data.Dataset.range(2))


@case
def sample_from_one_weight(tf, tmp):
    datasets = [tf.data.Dataset.range(4), tf.data.Dataset.range(10, 13)]
    return tf.data.experimental.sample_from_datasets(datasets, weights=[1.0, 0.0], seed=3)


@case
def sample_from_datasets_shapes(tf, tmp):
    datasets = [tf.data.Dataset.from_tensors([1.0, 2.0]),
                tf.data.Dataset.from_tensors([3.0, 4.0, 5.0])]
    ds = tf.data.experimental.sample_from_datasets(datasets, seed=1)
    return {"dataset": ds, "sort": True}


@case
def parallel_interleave_blocks(tf, tmp):
    return tf.data.Dataset.range(1, 6).apply(tf.data.experimental.parallel_interleave(
        lambda v: tf.data.Dataset.from_tensors(v).repeat(v), cycle_length=2, block_length=2))


@case
def parallel_interleave_cycle3(tf, tmp):
    return tf.data.Dataset.range(4).apply(tf.data.experimental.parallel_interleave(
        lambda v: tf.data.Dataset.range(v * 10, v * 10 + v + 1), cycle_length=3))


# --- readers -----------------------------------------------------------------------------------
@case
def csv_dataset_header(tf, tmp):
    path = _write(tmp, "a.csv", CSV)
    return tf.data.experimental.CsvDataset(
        path, [tf.int32, [-1.0], ["none"]], header=True)


@case
def csv_dataset_select_cols_na(tf, tmp):
    path = _write(tmp, "b.csv", "1;NA;x;7\n2;3.5;y;8\n3;4.5;NA;9\n")
    return tf.data.experimental.CsvDataset(
        [path, path], [tf.constant([0.0], tf.float64), tf.constant(["?"]), tf.int64],
        field_delim=";", na_value="NA", select_cols=[1, 2, 3]).batch(4)


@case
def csv_dataset_gzip(tf, tmp):
    path = _write(tmp, "c.csv.gz", b"5,6\n7,8\n", mode="wb")
    return tf.data.experimental.CsvDataset(path, [tf.int64, tf.int64], compression_type="GZIP")


@case
def csv_dataset_missing_field(tf, tmp):
    path = _write(tmp, "d.csv", "1,2\n3,\n")
    return tf.data.experimental.CsvDataset(path, [tf.int32, tf.int32])


@case
def csv_dataset_wrong_field_count(tf, tmp):
    path = _write(tmp, "e.csv", "1,2\n3,4,5\n")
    return tf.data.experimental.CsvDataset(path, [tf.int32, tf.int32])


@case
def csv_dataset_bad_number(tf, tmp):
    path = _write(tmp, "f.csv", "1,2\n3,x\n")
    return tf.data.experimental.CsvDataset(path, [tf.int32, tf.int32])


def _csv_files(tmp):
    _write(tmp, "p1.csv", "id,score,name,label\n1,0.5,ann,0\n2,1.5,bob,1\n3,,cy,0\n")
    _write(tmp, "p2.csv", "id,score,name,label\n4,2.5,dee,1\n5,3.5,ed,1\n")
    return os.path.join(tmp, "p*.csv")


@case
def make_csv_inferred(tf, tmp):
    return tf.data.experimental.make_csv_dataset(
        _csv_files(tmp), batch_size=2, label_name="label", shuffle=False, num_epochs=1)


@case
def make_csv_select_defaults(tf, tmp):
    return tf.data.experimental.make_csv_dataset(
        _csv_files(tmp), batch_size=3, select_columns=["name", "id"],
        column_defaults=[tf.int64, ["?"]], shuffle=False, num_epochs=2)


@case
def make_csv_column_names_no_header(tf, tmp):
    path = _write(tmp, "n.csv", "1,2.0\n3,4.0\n5,6.0\n")
    return tf.data.experimental.make_csv_dataset(
        path, batch_size=2, column_names=["x", "y"], header=False, shuffle=False)


@case
def make_csv_bad_label(tf, tmp):
    return tf.data.experimental.make_csv_dataset(
        _csv_files(tmp), batch_size=2, label_name="nope", shuffle=False)


@case
def make_csv_bad_select(tf, tmp):
    return tf.data.experimental.make_csv_dataset(
        _csv_files(tmp), batch_size=2, select_columns=["id", "zz"], shuffle=False)


@case
def make_csv_no_files(tf, tmp):
    return tf.data.experimental.make_csv_dataset(os.path.join(tmp, "none*.csv"), batch_size=2)


@case
def make_csv_no_names(tf, tmp):
    path = _write(tmp, "q.csv", "1,2\n")
    return tf.data.experimental.make_csv_dataset(path, batch_size=2, header=False)


@case
def make_csv_duplicate_names(tf, tmp):
    path = _write(tmp, "r.csv", "a,b,a\n1,2,3\n")
    return tf.data.experimental.make_csv_dataset(path, batch_size=2)


@case
def make_csv_defaults_length(tf, tmp):
    return tf.data.experimental.make_csv_dataset(
        _csv_files(tmp), batch_size=2, select_columns=["id", "name"],
        column_defaults=[tf.int32], shuffle=False)


@case
def tfrecord_writer_roundtrip(tf, tmp):
    path = os.path.join(tmp, "out.tfrecord")
    records = tf.data.Dataset.from_tensor_slices(["alpha", "beta", "", "gamma"])
    write = tf.data.experimental.TFRecordWriter(path).write(records)
    return {"first": [write], "dataset": tf.data.TFRecordDataset(path)}


@case
def tfrecord_writer_gzip(tf, tmp):
    path = os.path.join(tmp, "out.tfrecord.gz")
    records = tf.data.Dataset.range(3).map(lambda v: tf.as_string(v))
    write = tf.data.experimental.TFRecordWriter(path, "GZIP").write(records)
    return {"first": [write], "dataset": tf.data.TFRecordDataset(path, "GZIP")}


@case
def fixed_length_records(tf, tmp):
    a = _write(tmp, "a.bin", b"HH" + bytes(range(9)) + b"F", mode="wb")
    b = _write(tmp, "b.bin", b"HH" + bytes(range(20, 26)) + b"F", mode="wb")
    return tf.data.FixedLengthRecordDataset([a, b], 3, header_bytes=2, footer_bytes=1).map(
        lambda r: tf.decode_raw(r, tf.uint8))


@case
def fixed_length_records_remainder(tf, tmp):
    a = _write(tmp, "c.bin", bytes(range(11)), mode="wb")
    return tf.data.FixedLengthRecordDataset(a, 4)


@case
def fixed_length_records_gzip(tf, tmp):
    a = _write(tmp, "d.bin.gz", b"abcdefgh", mode="wb")
    return tf.data.FixedLengthRecordDataset(a, 2, header_bytes=1, footer_bytes=1,
                                            compression_type="GZIP")


# --- identity transformations ------------------------------------------------------------------
@case
def copy_to_device_identity(tf, tmp):
    return tf.data.Dataset.range(4).batch(2).apply(
        tf.data.experimental.copy_to_device("/cpu:0"))


@case
def prefetch_to_device_identity(tf, tmp):
    return tf.data.Dataset.range(3).map(lambda v: (v, tf.cast(v, tf.float32))).apply(
        tf.data.experimental.prefetch_to_device("/cpu:0", 2))


@case
def with_options_elements(tf, tmp):
    options = tf.data.Options()
    options.experimental_deterministic = False
    options.experimental_optimization.map_parallelization = True
    return tf.data.Dataset.range(4).with_options(options).map(lambda v: v + 1)


# --- argument errors and more ---------------------------------------------------------------
@case
def scan_growing_state(tf, tmp):
    def step(state, x):
        return tf.concat([state, [x]], 0), tf.reduce_sum(state)
    return tf.data.Dataset.range(1, 5).apply(
        tf.data.experimental.scan(tf.constant([], tf.int64), step))


@case
def scan_bad_state_type(tf, tmp):
    return tf.data.Dataset.range(3).apply(tf.data.experimental.scan(
        tf.constant(0, tf.int64), lambda s, x: (tf.cast(s, tf.float32), x)))


@case
def scan_not_a_pair(tf, tmp):
    return tf.data.Dataset.range(3).apply(tf.data.experimental.scan(
        tf.constant(0, tf.int64), lambda s, x: s + x))


@case
def group_by_window_int32_key(tf, tmp):
    return tf.data.Dataset.range(3).apply(tf.data.experimental.group_by_window(
        lambda v: tf.cast(v, tf.int32), lambda k, w: w.batch(2), window_size=2))


@case
def group_by_window_both_sizes(tf, tmp):
    return tf.data.Dataset.range(3).apply(tf.data.experimental.group_by_window(
        lambda v: v, lambda k, w: w.batch(2), window_size=2, window_size_func=lambda k: k))


@case
def group_by_window_reduce_not_dataset(tf, tmp):
    return tf.data.Dataset.range(3).apply(tf.data.experimental.group_by_window(
        lambda v: v, lambda k, w: k, window_size=2))


@case
def group_by_window_dict_elements(tf, tmp):
    ds = tf.data.Dataset.from_tensor_slices({"a": np.arange(6), "b": np.arange(6) * 1.5})
    return ds.apply(tf.data.experimental.group_by_window(
        lambda e: e["a"] // 4, lambda k, w: w.batch(10), window_size=10))


@case
def csv_dataset_too_few_fields(tf, tmp):
    path = _write(tmp, "g.csv", "1,2,3\n4,5\n")
    return tf.data.experimental.CsvDataset(path, [tf.int32, tf.int32, tf.int32])


@case
def csv_dataset_exclude_cols(tf, tmp):
    path = _write(tmp, "h.csv", "1,a,2.5\n2,b,3.5\n")
    return tf.data.experimental.CsvDataset(path, [tf.int64, tf.float64], exclude_cols=[1])


@case
def csv_dataset_quotes_off(tf, tmp):
    path = _write(tmp, "i.csv", "x y,1\nz,2\n")
    return tf.data.experimental.CsvDataset(path, [tf.string, tf.int32],
                                           use_quote_delim=False)


@case
def make_csv_gzip_quoted(tf, tmp):
    path = _write(tmp, "g.csv.gz", b'name,val\n"a,b",1\n"c""d",2\n', mode="wb")
    return tf.data.experimental.make_csv_dataset(path, batch_size=4, compression_type="GZIP",
                                                 shuffle=False, num_epochs=1)


@case
def make_csv_repeat_fixed_batch(tf, tmp):
    path = _write(tmp, "s.csv", "x,y\n1,1e40\n2,3\n3,4\n")
    return tf.data.experimental.make_csv_dataset(path, batch_size=2, shuffle=False,
                                                 label_name="x")


@case
def sample_bad_weights(tf, tmp):
    return tf.data.experimental.sample_from_datasets(
        [tf.data.Dataset.range(3), tf.data.Dataset.range(3)], weights=[0.5, 0.25, 0.25])


@case
def single_element_not_dataset(tf, tmp):
    return {"fetch": {"x": tf.data.experimental.get_single_element(tf.constant(1))}}


@case
def tfrecord_writer_bad_dataset(tf, tmp):
    return {"first": [tf.data.experimental.TFRecordWriter(os.path.join(tmp, "x")).write(
        tf.data.Dataset.range(3))]}


@case
def cardinality_more(tf, tmp):
    card = tf.data.experimental.cardinality
    r = tf.data.Dataset.range(10)
    path = _write(tmp, "m.csv", "1\n2\n")
    datasets = {
        "csv": tf.data.experimental.CsvDataset(path, [tf.int32]),
        "fixed": tf.data.FixedLengthRecordDataset(path, 1),
        "choose": tf.data.experimental.choose_from_datasets([r, r], r.map(lambda v: v % 2)),
        "sample": tf.data.experimental.sample_from_datasets([r, r], seed=1),
        "group": r.apply(tf.data.experimental.group_by_window(
            lambda v: v % 2, lambda k, w: w.batch(2), window_size=2)),
        "ignore_errors": r.apply(tf.data.experimental.ignore_errors()),
        "options": r.with_options(tf.data.Options()),
        "enumerate_take": r.apply(tf.data.experimental.enumerate_dataset()).take(3),
        "batch_of_forever": r.repeat().batch(4),
        "counter_batch": tf.data.experimental.Counter().batch(3).take(2).repeat(2),
    }
    return {"fetch": {k: card(v) for k, v in datasets.items()}}


@case
def unique_ints(tf, tmp):
    return tf.data.Dataset.from_tensor_slices([1, 3, 1, 2, 3, 3, 5]).apply(
        tf.data.experimental.unique())


@case
def unique_strings(tf, tmp):
    return tf.data.Dataset.from_tensor_slices(["b", "a", "b", "", "a"]).apply(
        tf.data.experimental.unique())


@case
def unique_bad_type(tf, tmp):
    return tf.data.Dataset.from_tensor_slices([1.0, 1.0]).apply(tf.data.experimental.unique())


@case
def sample_then_batch_shapes(tf, tmp):
    datasets = [tf.data.Dataset.range(5), tf.data.Dataset.range(100, 103)]
    ds = tf.data.experimental.sample_from_datasets(datasets, [0.5, 0.5], seed=7).batch(8)
    return {"dataset": ds.unbatch(), "sort": True}


@case
def take_while_less(tf, tmp):
    return tf.data.Dataset.range(10).apply(tf.data.experimental.take_while(lambda v: v < 4))


@case
def take_while_bad_predicate(tf, tmp):
    return tf.data.Dataset.range(10).apply(tf.data.experimental.take_while(lambda v: v))


@case
def assert_cardinality_ok(tf, tmp):
    ds = tf.data.Dataset.range(6).filter(lambda v: v < 3).apply(
        tf.data.experimental.assert_cardinality(3))
    return {"dataset": ds, "fetch": {"n": tf.data.experimental.cardinality(ds)}}


@case
def assert_cardinality_too_many(tf, tmp):
    return tf.data.Dataset.range(6).apply(tf.data.experimental.assert_cardinality(4))


@case
def assert_cardinality_too_few(tf, tmp):
    return tf.data.Dataset.range(3).apply(tf.data.experimental.assert_cardinality(5))


@case
def random_dataset_structure(tf, tmp):
    ds = tf.data.experimental.RandomDataset(seed=4)
    return {"dataset": ds.take(3).map(lambda v: v * 0),
            "fetch": {"n": tf.data.experimental.cardinality(ds)}}


@case
def sample_weights_dataset(tf, tmp):
    datasets = [tf.data.Dataset.range(5), tf.data.Dataset.range(100, 104)]
    weights = tf.data.Dataset.from_tensors([0.3, 0.7]).repeat()
    ds = tf.data.experimental.sample_from_datasets(datasets, weights, seed=2)
    return {"dataset": ds, "sort": True}


@case
def group_by_reducer_sum(tf, tmp):
    reducer = tf.data.experimental.Reducer(
        init_func=lambda key: (key, tf.constant(0, tf.int64)),
        reduce_func=lambda state, x: (state[0], state[1] + x),
        finalize_func=lambda key, total: (key, total))
    return tf.data.Dataset.from_tensor_slices(np.array([5, 2, 7, 4, 9, 6], np.int64)).apply(
        tf.data.experimental.group_by_reducer(lambda x: 2 - x % 3, reducer))


@case
def group_by_reducer_growing_state(tf, tmp):
    reducer = tf.data.experimental.Reducer(
        init_func=lambda key: tf.zeros([0], tf.int64),
        reduce_func=lambda state, x: tf.concat([state, [x]], 0),
        finalize_func=lambda state: state)
    return tf.data.Dataset.range(7).apply(
        tf.data.experimental.group_by_reducer(lambda x: x % 2, reducer)).padded_batch(2, [None])


# --- SparseTensor components ------------------------------------------------------------------
def _sparse(tf, v):
    return tf.SparseTensor([[0], [2]], tf.stack([v, v * 10]), [3])


@case
def sparse_map_batch(tf, tmp):
    return tf.data.Dataset.range(4).map(lambda v: (_sparse(tf, v), v)).batch(3)


@case
def sparse_map_to_dense(tf, tmp):
    ds = tf.data.Dataset.range(3).map(lambda v: _sparse(tf, v))
    return ds.map(lambda st: tf.sparse.to_dense(st) + 1)


@case
def sparse_from_tensor_slices(tf, tmp):
    st = tf.SparseTensor([[0, 1], [2, 0], [2, 1]], [5.0, 6.0, 7.0], [3, 2])
    return tf.data.Dataset.from_tensor_slices((st, [1, 2, 3]))


@case
def sparse_from_tensors_repeat(tf, tmp):
    st = tf.SparseTensor([[0, 1], [1, 0]], ["a", "b"], [2, 3])
    return tf.data.Dataset.from_tensors({"s": st, "d": 1.5}).repeat(2)


@case
def sparse_single_element(tf, tmp):
    ds = tf.data.Dataset.range(5).skip(4).map(lambda v: _sparse(tf, v))
    return {"fetch": {"x": tf.data.experimental.get_single_element(ds)}}


@case
def dense_to_sparse_batch_fixed(tf, tmp):
    ds = tf.data.Dataset.range(1, 6).map(lambda v: tf.fill([tf.cast(v, tf.int32)], v))
    return ds.apply(tf.data.experimental.dense_to_sparse_batch(2, [5]))


@case
def dense_to_sparse_batch_unknown_dim(tf, tmp):
    ds = tf.data.Dataset.range(1, 5).map(lambda v: tf.fill([2, tf.cast(v, tf.int32)], v))
    return ds.apply(tf.data.experimental.dense_to_sparse_batch(3, [2, None]))


@case
def dense_to_sparse_batch_too_long(tf, tmp):
    ds = tf.data.Dataset.range(1, 6).map(lambda v: tf.fill([tf.cast(v, tf.int32)], v))
    return ds.apply(tf.data.experimental.dense_to_sparse_batch(2, [3]))


@case
def sparse_parse_var_len(tf, tmp):
    def example(values):
        return tf.train.Example(features=tf.train.Features(feature={
            "v": tf.train.Feature(int64_list=tf.train.Int64List(value=values))}))
    records = [example(v).SerializeToString() for v in ([1, 2], [], [3, 4, 5])]
    ds = tf.data.Dataset.from_tensor_slices(records).map(
        lambda r: tf.parse_single_example(r, {"v": tf.VarLenFeature(tf.int64)})["v"])
    return ds.batch(2)


# --- Example files -----------------------------------------------------------------------------
def _example_files(tf, tmp):
    def example(i):
        return tf.train.Example(features=tf.train.Features(feature={
            "x": tf.train.Feature(float_list=tf.train.FloatList(value=[i, i / 2.0])),
            "y": tf.train.Feature(int64_list=tf.train.Int64List(value=[i % 2])),
            "tags": tf.train.Feature(int64_list=tf.train.Int64List(value=list(range(i % 3))))}))
    for f in range(2):
        with tf.python_io.TFRecordWriter(os.path.join(tmp, "ex-%d.tfrecord" % f)) as w:
            for i in range(3 * f, 3 * f + 3):
                w.write(example(i).SerializeToString())
    return os.path.join(tmp, "ex-*.tfrecord")



def _features(tf):
    return {"x": tf.FixedLenFeature([2], tf.float32), "y": tf.FixedLenFeature([], tf.int64),
            "tags": tf.VarLenFeature(tf.int64)}


@case
def list_files_sorted(tf, tmp):
    pattern = _example_files(tf, tmp)
    return tf.data.Dataset.list_files(pattern, shuffle=False).map(
        lambda name: tf.strings.regex_replace(name, ".*/", ""))


@case
def parse_example_dataset_batches(tf, tmp):
    pattern = _example_files(tf, tmp)
    files = tf.data.Dataset.list_files(pattern, shuffle=False)
    return files.flat_map(tf.data.TFRecordDataset).batch(4).apply(
        tf.data.experimental.parse_example_dataset(_features(tf)))


@case
def make_batched_features(tf, tmp):
    pattern = _example_files(tf, tmp)
    return tf.data.experimental.make_batched_features_dataset(
        pattern, 4, _features(tf), label_key="y", num_epochs=1, shuffle=False)


@case
def make_batched_features_bad_label(tf, tmp):
    pattern = _example_files(tf, tmp)
    return tf.data.experimental.make_batched_features_dataset(
        pattern, 4, _features(tf), label_key="z", num_epochs=1, shuffle=False)


# --- Dataset methods of TF 1.x: shard, reduce ----------------------------------------------------
@case
def shard_second_of_three(tf, tmp):
    return tf.data.Dataset.range(10).shard(3, 1)


@case
def shard_bad_index(tf, tmp):
    return tf.data.Dataset.range(10).shard(3, 3)


@case
def shard_bad_count(tf, tmp):
    return tf.data.Dataset.range(10).shard(0, 0)


@case
def shard_cardinality(tf, tmp):
    r = tf.data.Dataset.range(10)
    return {"fetch": {"a": tf.data.experimental.cardinality(r.shard(3, 0)),
                      "b": tf.data.experimental.cardinality(r.shard(3, 2)),
                      "c": tf.data.experimental.cardinality(r.repeat().shard(3, 2))}}


@case
def reduce_sum_and_count(tf, tmp):
    ds = tf.data.Dataset.range(1, 6)
    total = ds.reduce(tf.constant(0, tf.int64), lambda s, x: s + x)
    pair = ds.map(lambda v: tf.cast(v, tf.float32)).reduce(
        (0.0, tf.constant(0, tf.int64)), lambda s, x: (s[0] + x, s[1] + 1))
    empty = tf.data.Dataset.range(0).reduce(tf.constant(7, tf.int64), lambda s, x: s + x)
    grow = ds.reduce(tf.zeros([0], tf.int64), lambda s, x: tf.concat([s, [x]], 0))
    return {"fetch": {"total": total, "pair": pair, "empty": empty, "grow": grow,
                      "grow_shape_unknown": tf.constant(grow.shape.as_list() == [None])}}


@case
def window_flat_map_batch(tf, tmp):
    return tf.data.Dataset.range(7).window(3, 2).flat_map(lambda w: w.batch(3))


@case
def window_stride_drop(tf, tmp):
    return tf.data.Dataset.range(8).window(3, 1, 2, drop_remainder=True).flat_map(
        lambda w: w.batch(3))


@case
def window_tuple_zip(tf, tmp):
    ds = tf.data.Dataset.range(5).map(lambda v: (v, tf.cast(v, tf.float32) / 2))
    return ds.window(2).flat_map(lambda a, b: tf.data.Dataset.zip((a.batch(2), b.batch(2))))


@case
def window_dict_interleave(tf, tmp):
    ds = tf.data.Dataset.range(6).map(lambda v: {"v": v, "w": v * 10})
    return ds.window(3, 3).interleave(lambda d: d["w"].map(lambda x: x + 1), cycle_length=2)


@case
def window_bad_size(tf, tmp):
    return tf.data.Dataset.range(3).window(0).flat_map(lambda w: w)


@case
def window_cardinality(tf, tmp):
    r = tf.data.Dataset.range(10)
    card = tf.data.experimental.cardinality
    return {"fetch": {"plain": card(r.window(3)), "shift": card(r.window(3, 2)),
                      "drop": card(r.window(3, 2, drop_remainder=True)),
                      "stride_drop": card(r.window(3, 1, 2, drop_remainder=True)),
                      "forever": card(r.repeat().window(3))}}


@case
def from_sparse_tensor_slices_rows(tf, tmp):
    st = tf.SparseTensor([[0, 1], [2, 0], [2, 2]], [5, 6, 7], [3, 3])
    return tf.data.Dataset.from_sparse_tensor_slices(st)


@case
def legacy_function_variants(tf, tmp):
    ds = tf.data.Dataset.range(6).map_with_legacy_function(lambda v: v * 2)
    ds = ds.filter_with_legacy_function(lambda v: v > 2)
    return ds.apply(tf.data.experimental.map_and_batch_with_legacy_function(lambda v: v + 1, 2))


# --- recording ---------------------------------------------------------------------------------
def _describe(types):
    if isinstance(types, dict):
        return {"dict": {k: _describe(types[k]) for k in sorted(types)}}
    if isinstance(types, tuple):
        return {"tuple": [_describe(t) for t in types]}
    return types.name


def _flat(x):
    if isinstance(x, dict):
        return [v for k in sorted(x) for v in _flat(x[k])]
    if isinstance(x, tuple):
        return [v for item in x for v in _flat(item)]
    return [x]


def _value(v):
    arr = np.asarray(v)
    if arr.dtype.kind in "OS":
        return np.vectorize(lambda s: s.decode("latin-1") if isinstance(s, bytes) else s,
                            otypes=[object])(arr).tolist()
    return arr.tolist()


def _message(e):
    return [type(e).__name__, str(e.message).split("\n")[0]]


def _drain(tf, sess, nxt, message, limit, keep_going=False):
    """Every element until the end; an error ends the draining too, unless `keep_going`
    (then it is recorded in place of the element and the next `get_next` goes on)."""
    elements, error = [], None
    for _ in range(limit):
        try:
            value = sess.run(nxt)
        except tf.errors.OutOfRangeError:
            break
        except tf.errors.OpError as e:
            if keep_going:
                elements.append(["error"] + message(e))
                continue
            error = message(e)
            break
        elements.append([_value(v) for v in _flat(value)])
    return elements, error


def record(tf, name, message=_message, limit=60):
    """Runs case `name` in a new graph; returns its JSON-able record (the temporary
    directory reads "TMP" in messages)."""
    tmp = tempfile.mkdtemp()

    def message_in(e):
        return [text.replace(tmp, "TMP") for text in message(e)]

    try:
        with tf.Graph().as_default():
            out = {"structure": None, "shapes": None, "elements": [], "error": None,
                   "fetch": None, "build_error": None}
            try:
                built = CASES[name](tf, tmp)
            except (TypeError, ValueError) as e:
                out["build_error"] = [type(e).__name__,
                                      str(e).split("\n")[0].replace(tmp, "TMP")]
                return out
            if not isinstance(built, dict):
                built = {"dataset": built}
            ds = built.get("dataset")
            nxt = it = None
            if ds is not None:
                out["structure"] = _describe(tf.data.get_output_types(ds))
                out["shapes"] = [s.as_list() if s.ndims is not None else None
                                 for s in _flat(tf.data.get_output_shapes(ds))]
                it = tf.data.make_initializable_iterator(ds)
                nxt = it.get_next()
            with tf.Session() as sess:
                for op in built.get("first", []):
                    sess.run(op)
                if "fetch" in built:
                    out["fetch"] = {}
                    for key in sorted(built["fetch"]):
                        try:
                            value = sess.run(built["fetch"][key])
                            out["fetch"][key] = [_value(v) for v in _flat(value)]
                        except tf.errors.OpError as e:
                            out["fetch"][key] = {"error": message_in(e)}
                if it is not None:
                    try:
                        sess.run(it.initializer)
                    except tf.errors.OpError as e:  # a bad argument checked when it starts
                        out["error"] = ["initializer"] + message_in(e)
                        return out
                    out["elements"], out["error"] = _drain(tf, sess, nxt, message_in, limit,
                                                           built.get("continue", False))
                    if built.get("sort"):
                        out["elements"] = sorted(out["elements"], key=repr)
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
