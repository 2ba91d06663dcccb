"""tf.data.experimental and tf.contrib.data behaviour with no fixed oracle sequence: random
mixing and resampling (distribution, determinism per seed), TF 1.x-only transformations
(`sliding_window_batch`, contrib's drop-remainder batching), Options, and re-running the
whole-pipeline ops."""

import collections
import os

import numpy as np
import pytest

import tensorflux as tf


def drain(sess, nxt, limit=100000, feed=None):
    out = []
    for _ in range(limit):
        try:
            out.append(sess.run(nxt, feed))
        except tf.errors.OutOfRangeError:
            return out
    raise AssertionError("no OutOfRangeError after %d elements" % limit)


def _values(ds, init_times=1):
    it = tf.data.make_initializable_iterator(ds)
    nxt = it.get_next()
    runs = []
    with tf.Session() as sess:
        for _ in range(init_times):
            sess.run(it.initializer)
            runs.append(drain(sess, nxt))
    return runs if init_times > 1 else runs[0]


# --- sample_from_datasets ------------------------------------------------------------------------
def _sampled(seed, weights=(0.2, 0.8), n=400):
    with tf.Graph().as_default():
        datasets = [tf.data.Dataset.range(n), tf.data.Dataset.range(1000, 1000 + n)]
        ds = tf.data.experimental.sample_from_datasets(datasets, list(weights), seed=seed)
        return [int(v) for v in _values(ds.take(n))]


def test_sample_from_datasets_follows_the_weights():
    values = _sampled(seed=5)
    share = np.mean([v >= 1000 for v in values])
    assert 0.72 < share < 0.88, share
    # each dataset's elements come in their own order
    low = [v for v in values if v < 1000]
    assert low == list(range(len(low)))


def test_sample_from_datasets_is_deterministic_per_seed():
    assert _sampled(seed=3) == _sampled(seed=3)
    assert _sampled(seed=3) != _sampled(seed=4)


def test_sample_from_datasets_seeded_reinitialization_repeats():
    datasets = [tf.data.Dataset.range(50), tf.data.Dataset.range(100, 150)]
    ds = tf.data.experimental.sample_from_datasets(datasets, seed=11)
    first, second = _values(ds, init_times=2)
    assert first == second
    assert sorted(first) == list(range(50)) + list(range(100, 150))


def test_sample_from_datasets_drains_every_dataset_then_ends():
    datasets = [tf.data.Dataset.range(3), tf.data.Dataset.range(10, 20)]
    values = _values(tf.data.experimental.sample_from_datasets(datasets, [0.9, 0.1], seed=1))
    assert sorted(values) == [0, 1, 2] + list(range(10, 20))


def test_sample_from_datasets_stop_on_empty_dataset():
    datasets = [tf.data.Dataset.range(2), tf.data.Dataset.range(10, 1000)]
    values = _values(tf.data.experimental.sample_from_datasets(
        datasets, [0.5, 0.5], seed=2, stop_on_empty_dataset=True))
    assert len(values) < 100 and [v for v in values if v < 10] == [0, 1]


def test_sample_from_datasets_unseeded_default_weights_are_uniform():
    datasets = [tf.data.Dataset.from_tensors(np.int64(i)).repeat() for i in range(4)]
    values = _values(tf.data.experimental.sample_from_datasets(datasets).take(2000))
    counts = collections.Counter(int(v) for v in values)
    assert all(400 < counts[i] < 600 for i in range(4)), counts


def test_sample_from_a_dataset_of_weights_switches_sources():
    datasets = [tf.data.Dataset.from_tensors(np.int64(0)).repeat(),
                tf.data.Dataset.from_tensors(np.int64(1)).repeat()]
    weights = tf.data.Dataset.from_tensor_slices(
        np.array([[1.0, 0.0]] * 50 + [[0.0, 1.0]] * 50, np.float32))
    values = _values(tf.data.experimental.sample_from_datasets(datasets, weights, seed=1))
    assert values == [0] * 50 + [1] * 50
    with pytest.raises(TypeError, match="Invalid `weights`"):
        tf.data.experimental.sample_from_datasets(datasets, tf.data.Dataset.range(3))


def test_random_dataset_is_seeded_and_spread():
    def draw(seed):
        with tf.Graph().as_default():
            return [int(v) for v in _values(
                tf.data.experimental.RandomDataset(seed=seed).take(200))]

    first = draw(3)
    assert first == draw(3) and first != draw(4)
    assert len(set(first)) == 200
    assert 0.3 < np.mean([v < 0 for v in first]) < 0.7


# --- rejection_resample --------------------------------------------------------------------------
def test_rejection_resample_reaches_the_target_distribution():
    rng = np.random.RandomState(0)
    labels = (rng.rand(6000) < 0.2).astype(np.int32)  # 80% class 0, 20% class 1
    ds = tf.data.Dataset.from_tensor_slices((np.arange(6000), labels))
    ds = ds.apply(tf.data.experimental.rejection_resample(
        lambda x, y: y, target_dist=[0.5, 0.5], initial_dist=[0.8, 0.2], seed=3))
    assert ds.output_types == (tf.int32, (tf.int64, tf.int32))
    values = _values(ds)
    classes = np.array([c for c, _ in values])
    assert all(c == y for c, (_, y) in values)
    assert 0.45 < classes.mean() < 0.55
    assert len(values) > 2000


def test_rejection_resample_estimates_the_initial_distribution():
    labels = np.array([0, 0, 0, 1] * 1000, np.int64)
    ds = tf.data.Dataset.from_tensor_slices(labels).apply(
        tf.data.experimental.rejection_resample(lambda y: y, [0.5, 0.5], seed=1))
    classes = np.array([c for c, _ in _values(ds)])
    assert 0.42 < classes.mean() < 0.58


# --- TF 1.x-only transformations -------------------------------------------------------------
def test_sliding_window_batch_tf1_docstring_examples():
    a = tf.data.Dataset.from_tensor_slices(np.arange(1, 7).reshape(6, 1))
    win = tf.contrib.data.sliding_window_batch
    ds = a.apply(win(window_size=3))
    assert ds.output_shapes.as_list() == [None, 1]
    assert [v.ravel().tolist() for v in _values(ds)] == [[1, 2, 3], [2, 3, 4], [3, 4, 5],
                                                         [4, 5, 6]]
    assert [v.ravel().tolist() for v in _values(a.apply(win(3, window_shift=2)))] == [
        [1, 2, 3], [3, 4, 5]]
    assert [v.ravel().tolist() for v in _values(a.apply(win(3, window_stride=2)))] == [
        [1, 3, 5], [2, 4, 6]]
    assert [v.ravel().tolist() for v in _values(a.apply(win(2, stride=4)))] == [
        [1, 2], [5, 6]]
    with pytest.raises(ValueError, match="Cannot specify both `stride` and `window_shift`"):
        win(3, stride=1, window_shift=1)


def test_sliding_window_batch_tuple_elements():
    ds = tf.data.Dataset.range(4).map(lambda v: (v, tf.cast(v, tf.float32) * 0.5)).apply(
        tf.data.experimental.sliding_window_batch(2, window_shift=2))
    assert [s.as_list() for s in ds.output_shapes] == [[None], [None]]
    values = _values(ds)
    assert [a.tolist() for a, _ in values] == [[0, 1], [2, 3]]
    assert [b.tolist() for _, b in values] == [[0.0, 0.5], [1.0, 1.5]]


def test_contrib_drop_remainder_batching():
    ds = tf.data.Dataset.range(7).apply(tf.contrib.data.batch_and_drop_remainder(3))
    assert ds.output_shapes.as_list() == [3]
    assert [v.tolist() for v in _values(ds)] == [[0, 1, 2], [3, 4, 5]]
    ds = tf.data.Dataset.range(1, 6).map(lambda v: tf.fill([tf.cast(v, tf.int32)], v)).apply(
        tf.contrib.data.padded_batch_and_drop_remainder(2, [None]))
    assert ds.output_shapes.as_list() == [2, None]
    assert [v.tolist() for v in _values(ds)] == [[[1, 0], [2, 2]],
                                                 [[3, 3, 3, 0], [4, 4, 4, 4]]]


def test_contrib_data_names_are_the_experimental_functions():
    for name in ("parallel_interleave", "shuffle_and_repeat", "map_and_batch", "group_by_window",
                 "bucket_by_sequence_length", "Counter", "CsvDataset", "make_csv_dataset",
                 "sample_from_datasets", "choose_from_datasets", "get_single_element",
                 "enumerate_dataset", "ignore_errors", "unbatch", "scan", "prefetch_to_device",
                 "TFRecordWriter", "sliding_window_batch", "rejection_resample", "unique",
                 "copy_to_device", "group_by_reducer", "Reducer", "RandomDataset"):
        assert getattr(tf.contrib.data, name) is getattr(tf.data.experimental, name), name
    ds = tf.data.Dataset.range(1, 4).apply(tf.contrib.data.sloppy_interleave(
        lambda v: tf.data.Dataset.from_tensors(v).repeat(v), cycle_length=2))
    assert sorted(_values(ds)) == [1, 2, 2, 3, 3, 3]


def test_contrib_assert_element_shape():
    ds = tf.data.Dataset.range(4).batch(2).map(lambda v: (v, tf.cast(v, tf.float32)))
    checked = ds.apply(tf.contrib.data.assert_element_shape(([2], [2])))
    assert [s.as_list() for s in checked.output_shapes] == [[2], [2]]
    assert [a.tolist() for a, _ in _values(checked)] == [[0, 1], [2, 3]]
    with pytest.raises(ValueError):
        ds.apply(tf.contrib.data.assert_element_shape(([3, 1], [2])))
    bad = tf.data.Dataset.range(3).batch(2).apply(tf.contrib.data.assert_element_shape([2]))
    nxt = tf.data.make_one_shot_iterator(bad).get_next()
    with tf.Session() as sess:
        assert sess.run(nxt).tolist() == [0, 1]
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(nxt)


# --- Options -----------------------------------------------------------------------------------
def test_options_are_stored_merged_and_checked():
    options = tf.data.Options()
    assert options.experimental_deterministic is None
    options.experimental_deterministic = False
    options.experimental_optimization.map_parallelization = True
    options.experimental_threading.private_threadpool_size = 4
    with pytest.raises(AttributeError):
        options.no_such_option = 1
    with pytest.raises(AttributeError):
        options.experimental_optimization.no_such_option = 1
    other = tf.data.Options()
    other.experimental_slack = True
    ds = tf.data.Dataset.range(3).with_options(options).map(lambda v: v).with_options(other)
    merged = ds.options()
    assert merged.experimental_deterministic is False
    assert merged.experimental_slack is True
    assert merged.experimental_optimization.map_parallelization is True
    assert merged.experimental_threading.private_threadpool_size == 4
    assert tf.data.Dataset.range(3).options() == tf.data.Options()
    assert _values(ds) == [0, 1, 2]
    with pytest.raises(TypeError):
        ds.with_options({"experimental_slack": True})


# --- whole-pipeline ops and re-initialization ------------------------------------------------
def test_get_single_element_runs_again_each_time():
    x = tf.placeholder(tf.int64, [])
    single = tf.data.experimental.get_single_element(
        tf.data.Dataset.range(10).skip(x).take(1))
    with tf.Session() as sess:
        assert sess.run(single, {x: 3}) == 3
        assert sess.run(single, {x: 7}) == 7
        with pytest.raises(tf.errors.InvalidArgumentError, match="Dataset was empty."):
            sess.run(single, {x: 10})


def test_cardinality_of_a_fed_dataset():
    n = tf.placeholder(tf.int64, [])
    card = tf.data.experimental.cardinality(tf.data.Dataset.range(n).batch(4))
    assert card.dtype == tf.int64 and card.shape.as_list() == []
    with tf.Session() as sess:
        assert sess.run(card, {n: 9}) == 3
        assert sess.run(card, {n: 8}) == 2


def test_tfrecord_writer_rewrites_the_file(tmp_path):
    path = str(tmp_path / "w.tfrecord")
    n = tf.placeholder(tf.int64, [])
    write = tf.data.experimental.TFRecordWriter(path).write(
        tf.data.Dataset.range(n).map(tf.as_string))
    with tf.Session() as sess:
        sess.run(write, {n: 5})
        sess.run(write, {n: 2})
    assert list(tf.python_io.tf_record_iterator(path)) == [b"0", b"1"]


def test_group_by_window_reinitializes():
    ds = tf.data.Dataset.range(7).apply(tf.data.experimental.group_by_window(
        lambda v: v % 2, lambda k, w: w.batch(3), window_size=3))
    first, second = _values(ds, init_times=2)
    assert [v.tolist() for v in first] == [v.tolist() for v in second] == [
        [0, 2, 4], [1, 3, 5], [6]]


def test_ignore_errors_after_filter_and_before_batch():
    ds = tf.data.Dataset.from_tensor_slices(["1", "x", "3", "y", "5", "6"]).map(
        lambda s: tf.strings.to_number(s)).filter(lambda v: v > 1.0).apply(
        tf.data.experimental.ignore_errors()).batch(2)
    assert [v.tolist() for v in _values(ds)] == [[3.0, 5.0], [6.0]]


def test_make_csv_dataset_shuffles_deterministically_with_a_seed(tmp_path):
    path = str(tmp_path / "d.csv")
    with open(path, "w") as f:
        f.write("a,b\n" + "".join("%d,%d\n" % (i, i * i) for i in range(40)))

    def run():
        with tf.Graph().as_default():
            ds = tf.data.experimental.make_csv_dataset(path, 8, num_epochs=1, shuffle_seed=4)
            return [v["a"].tolist() for v in _values(ds)]

    first = run()
    assert first == run()
    flat = [v for batch in first for v in batch]
    assert sorted(flat) == list(range(40)) and flat != list(range(40))


def test_fixed_length_record_dataset_cifar_like(tmp_path):
    records = np.arange(2 * 7, dtype=np.uint8).reshape(2, 7)
    path = os.path.join(str(tmp_path), "batch.bin")
    records.tofile(path)
    ds = tf.data.FixedLengthRecordDataset([path], record_bytes=7).map(
        lambda r: tf.decode_raw(r, tf.uint8))
    assert [v.tolist() for v in _values(ds)] == records.tolist()


# --- SparseTensor components ---------------------------------------------------------------------
def _sparse_ds():
    return tf.data.Dataset.range(3).map(
        lambda v: tf.SparseTensor([[0], [2]], tf.stack([v, v * 10]), [3]))


def test_sparse_components_through_a_reinitializable_iterator():
    ds = _sparse_ds()
    assert ds.output_classes is tf.SparseTensor
    assert ds.output_types == tf.int64 and ds.output_shapes.as_list() == [3]
    it = tf.data.Iterator.from_structure(ds.output_types, ds.output_shapes,
                                         output_classes=ds.output_classes)
    nxt = it.get_next()
    assert isinstance(nxt, tf.SparseTensor) and nxt.shape.as_list() == [3]
    dense = tf.sparse.to_dense(nxt)
    with tf.Session() as sess:
        sess.run(it.make_initializer(ds))
        assert sess.run(dense).tolist() == [0, 0, 0]
        value = sess.run(nxt)
        assert value.indices.tolist() == [[0], [2]] and value.values.tolist() == [1, 10]


def test_iterator_checks_sparse_classes():
    it = tf.data.Iterator.from_structure(tf.int64, tf.TensorShape([3]))
    with pytest.raises(TypeError, match="Expected output classes"):
        it.make_initializer(_sparse_ds())


def test_cardinality_of_sparse_slices():
    st = tf.SparseTensor([[0, 1], [0, 2], [1, 0]], [5, 6, 7], [4, 3])
    card = tf.data.experimental.cardinality(tf.data.Dataset.from_tensor_slices(st))
    with tf.Session() as sess:
        assert sess.run(card) == 4


def test_sparse_components_cannot_be_unbatched_or_padded():
    with pytest.raises(NotImplementedError):
        _sparse_ds().batch(2).unbatch()
    with pytest.raises(TypeError, match="Batching of padded sparse tensors"):
        _sparse_ds().padded_batch(2, [None])


def test_sparse_components_shuffle_and_zip():
    ds = tf.data.Dataset.zip((_sparse_ds(), tf.data.Dataset.range(3))).shuffle(3, seed=1)
    values = _values(ds)
    assert sorted(int(v) for _, v in values) == [0, 1, 2]
    assert all(st.values.tolist() == [v, 10 * v] for st, v in values)


def test_dense_to_sparse_batch_static_structure():
    ds = tf.data.Dataset.range(1, 4).map(lambda v: tf.fill([tf.cast(v, tf.int32)], v)).apply(
        tf.contrib.data.dense_to_sparse_batch(2, [4]))
    assert ds.output_classes is tf.SparseTensor
    assert ds.output_shapes.as_list() == [None, 4]
    first, second = _values(ds)
    assert first.dense_shape.tolist() == [2, 4] and second.dense_shape.tolist() == [1, 4]
    assert second.indices.tolist() == [[0, 0], [0, 1], [0, 2]]


# --- Dataset.window ------------------------------------------------------------------------------
def test_window_dataset_cannot_be_iterated_directly():
    ds = tf.data.Dataset.range(5).window(2)
    with pytest.raises(TypeError, match="dataset of datasets"):
        tf.data.make_one_shot_iterator(ds)
    with pytest.raises(NotImplementedError):
        _sparse_ds().window(2)


def test_window_reinitializes_and_repeats():
    ds = tf.data.Dataset.range(5).window(2, 1, drop_remainder=True).flat_map(
        lambda w: w.batch(2)).repeat(2)
    first, second = _values(ds, init_times=2)
    want = [[0, 1], [1, 2], [2, 3], [3, 4]] * 2
    assert [v.tolist() for v in first] == [v.tolist() for v in second] == want


# --- Optional ------------------------------------------------------------------------------------
def test_get_next_as_optional_ends_with_an_empty_optional():
    it = tf.data.make_initializable_iterator(
        tf.data.Dataset.range(2).map(lambda v: (v, tf.cast(v, tf.float32))))
    opt = tf.data.experimental.get_next_as_optional(it)
    assert opt.output_types == (tf.int64, tf.float32)
    has, value = opt.has_value(), opt.get_value()
    assert has.dtype == tf.bool and [v.dtype for v in value] == [tf.int64, tf.float32]
    with tf.Session() as sess:
        sess.run(it.initializer)
        assert sess.run(has)          # pulls element 0
        assert sess.run(value) == (1, 1.0)
        assert not sess.run(has)
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(value)
        sess.run(it.initializer)
        both = sess.run({"has": has})
        assert both["has"]


def test_optional_from_value_and_one_shot_iterator():
    opt = tf.data.experimental.Optional.from_value({"a": 1.0, "b": [1, 2]})
    with tf.Session() as sess:
        assert sess.run(opt.has_value())
        got = sess.run(opt.get_value())
        assert got["a"] == 1.0 and got["b"].tolist() == [1, 2]
    it = tf.data.make_one_shot_iterator(tf.data.Dataset.range(1))
    opt = tf.contrib.data.get_next_as_optional(it)
    with tf.Session() as sess:
        assert sess.run(opt.get_value()) == 0
        assert not sess.run(opt.has_value())
