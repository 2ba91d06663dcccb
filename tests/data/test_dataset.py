"""tf.data behaviour that has no fixed oracle sequence: shuffling, feeding, reinitializable
iterators, random ops in map functions, graph-construction errors."""

import numpy as np
import pytest

import tensorflux as tf


def drain(sess, nxt, limit=1000, feed=None):
    out = []
    for _ in range(limit):
        try:
            out.append(sess.run(nxt, feed))
        except tf.errors.OutOfRangeError:
            return out
    raise AssertionError("no OutOfRangeError after %d elements" % limit)


# --- shuffle -------------------------------------------------------------------------------------
def test_shuffle_is_a_permutation_in_each_epoch_and_reshuffles():
    ds = tf.data.Dataset.range(50).shuffle(20, seed=7).repeat(3)
    nxt = tf.data.make_one_shot_iterator(ds).get_next()
    with tf.Session() as sess:
        values = drain(sess, nxt)
    epochs = [values[i * 50:(i + 1) * 50] for i in range(3)]
    for e in epochs:
        assert sorted(e) == list(range(50))
    assert epochs[0] != list(range(50))
    assert epochs[0] != epochs[1] and epochs[1] != epochs[2]


def test_shuffle_without_reshuffle_repeats_the_order():
    ds = tf.data.Dataset.range(30).shuffle(30, reshuffle_each_iteration=False).repeat(2)
    nxt = tf.data.make_one_shot_iterator(ds).get_next()
    with tf.Session() as sess:
        values = drain(sess, nxt)
    assert values[:30] == values[30:] and sorted(values[:30]) == list(range(30))


def test_shuffle_buffer_of_one_keeps_the_order():
    ds = tf.data.Dataset.range(10).shuffle(1)
    nxt = tf.data.make_one_shot_iterator(ds).get_next()
    with tf.Session() as sess:
        assert drain(sess, nxt) == list(range(10))


def test_small_buffer_only_moves_elements_a_little():
    ds = tf.data.Dataset.range(100).shuffle(3, seed=1)
    nxt = tf.data.make_one_shot_iterator(ds).get_next()
    with tf.Session() as sess:
        values = drain(sess, nxt)
    assert sorted(values) == list(range(100))
    assert all(v <= i + 2 for i, v in enumerate(values))  # at most buffer_size - 1 ahead


def _seeded_order(op_seed, graph_seed=None):
    """One shuffled order; a seeded one must come back when the iterator is re-initialized."""
    with tf.Graph().as_default():
        if graph_seed is not None:
            tf.set_random_seed(graph_seed)
        ds = tf.data.Dataset.range(40).shuffle(40, seed=op_seed)
        it = tf.data.make_initializable_iterator(ds)
        nxt = it.get_next()
        with tf.Session() as sess:
            sess.run(it.initializer)
            first = drain(sess, nxt)
            sess.run(it.initializer)
            again = drain(sess, nxt)
            assert (again == first) == (op_seed is not None or graph_seed is not None)
        return first


def test_same_seed_same_order_across_sessions_and_graphs():
    assert _seeded_order(3) == _seeded_order(3)
    assert _seeded_order(3) != _seeded_order(4)
    assert _seeded_order(None, graph_seed=5) == _seeded_order(None, graph_seed=5)


def test_unseeded_shuffles_differ():
    orders = {tuple(_seeded_order(None)) for _ in range(3)}
    assert len(orders) > 1


def test_shuffle_and_repeat():
    ds = tf.data.Dataset.range(8).apply(tf.data.experimental.shuffle_and_repeat(8, 2, seed=1))
    nxt = tf.data.make_one_shot_iterator(ds).get_next()
    with tf.Session() as sess:
        values = drain(sess, nxt)
    assert sorted(values[:8]) == sorted(values[8:]) == list(range(8))


# --- iterators -----------------------------------------------------------------------------------
def test_initializable_iterator_fed_twice():
    x = tf.placeholder(tf.float32, [None, 2])
    ds = tf.data.Dataset.from_tensor_slices(x).map(lambda r: tf.reduce_sum(r)).batch(2)
    it = ds.make_initializable_iterator()
    nxt = it.get_next()
    assert nxt.shape.as_list() == [None]
    with tf.Session() as sess:
        sess.run(it.initializer, {x: np.ones([3, 2])})
        got = drain(sess, nxt)
        assert [g.tolist() for g in got] == [[2.0, 2.0], [2.0]]
        sess.run(it.initializer, {x: np.arange(8).reshape(4, 2)})
        got = drain(sess, nxt)
        assert [g.tolist() for g in got] == [[1.0, 5.0], [9.0, 13.0]]


def test_from_structure_switches_between_datasets():
    train = tf.data.Dataset.from_tensor_slices((np.zeros([4, 3], np.float32),
                                                np.arange(4))).batch(2).repeat()
    valid = tf.data.Dataset.from_tensor_slices((np.ones([3, 3], np.float32),
                                                np.arange(3) + 10)).batch(2)
    it = tf.data.Iterator.from_structure(train.output_types, train.output_shapes)
    x, y = it.get_next()
    assert x.shape.as_list() == [None, 3] and y.dtype == tf.int64
    train_init, valid_init = it.make_initializer(train), it.make_initializer(valid)
    with pytest.raises(ValueError, match="does not have an initializer"):
        it.initializer  # noqa: B018 - the property raises
    with tf.Session() as sess:
        sess.run(train_init)
        assert sess.run(y).tolist() == [0, 1]
        sess.run(valid_init)
        assert [v.tolist() for v in drain(sess, y)] == [[10, 11], [12]]
        sess.run(train_init)
        assert sess.run(y).tolist() == [0, 1]
        assert sess.run(y).tolist() == [2, 3]
        assert sess.run(y).tolist() == [0, 1]


def test_one_shot_iterator_refuses_placeholders():
    x = tf.placeholder(tf.float32, [None])
    ds = tf.data.Dataset.from_tensor_slices(x * 2.0).batch(2)
    with pytest.raises(ValueError, match="Cannot capture a placeholder"):
        ds.make_one_shot_iterator()


def test_sessions_have_their_own_iterators():
    nxt = tf.data.Dataset.range(3).make_one_shot_iterator().get_next()
    with tf.Session() as a, tf.Session() as b:
        assert [a.run(nxt), a.run(nxt), b.run(nxt), a.run(nxt)] == [0, 1, 0, 2]


def test_one_element_per_run_even_when_fetched_twice():
    nxt = tf.data.Dataset.range(3).make_one_shot_iterator().get_next()
    y = nxt * 10
    with tf.Session() as sess:
        assert sess.run([nxt, y]) == [0, 0]
        assert sess.run([y, nxt]) == [10, 1]


def test_nested_get_next_structure_and_names():
    ds = tf.data.Dataset.from_tensor_slices({"a": np.zeros([2, 3]),
                                             "b": (np.arange(2), ["x", "y"])})
    it = tf.data.make_one_shot_iterator(ds)
    el = it.get_next(name="element")
    assert set(el) == {"a", "b"} and isinstance(el["b"], tuple)
    assert el["a"].op.name == "element" and el["a"].op.type == "IteratorGetNext"
    assert it.output_classes == {"a": tf.Tensor, "b": (tf.Tensor, tf.Tensor)}
    with tf.Session() as sess:
        v = sess.run(el)
    assert v["b"][1] == b"x" and v["a"].dtype == np.float64


# --- functions -----------------------------------------------------------------------------------
def test_random_ops_in_map_and_seeded_reproducibility():
    def values(seed):
        with tf.Graph().as_default():
            tf.set_random_seed(seed)
            ds = tf.data.Dataset.range(5).map(
                lambda v: tf.random_uniform([2]) + tf.cast(v, tf.float32))
            nxt = tf.data.make_one_shot_iterator(ds).get_next()
            with tf.Session() as sess:
                return np.stack(drain(sess, nxt))
    a, b = values(1), values(1)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, values(2))
    frac = a - np.arange(5)[:, None]
    assert (frac >= 0).all() and (frac < 1).all() and len(np.unique(frac)) == 10


def test_map_captures_a_variables_value_when_the_iterator_starts():
    # TF 1.x reference variables: the captured tensor is an input of the iterator's initializer
    v = tf.Variable(1.0)
    ds = tf.data.Dataset.range(3).map(lambda i: tf.cast(i, tf.float32) * v)
    it = ds.make_initializable_iterator()
    nxt = it.get_next()
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(it.initializer)
        sess.run(v.assign(10.0))
        assert drain(sess, nxt) == [0.0, 1.0, 2.0]
        sess.run(it.initializer)
        assert drain(sess, nxt) == [0.0, 10.0, 20.0]


def test_py_func_in_map():
    ds = tf.data.Dataset.range(3).map(lambda i: tf.py_func(lambda x: x * 2, [i], tf.int64))
    nxt = tf.data.make_one_shot_iterator(ds).get_next()
    with tf.Session() as sess:
        assert drain(sess, nxt) == [0, 2, 4]


def test_shape_errors_are_raised_where_the_function_is_written():
    ds = tf.data.Dataset.from_tensor_slices(np.zeros([4, 3], np.float32))
    with pytest.raises(ValueError, match="Dimensions must be equal"):
        ds.map(lambda r: tf.matmul(tf.reshape(r, [1, 3]), tf.zeros([2, 2])))
    with pytest.raises(ValueError, match="scalar boolean"):
        ds.filter(lambda r: r > 0)
    with pytest.raises(TypeError, match="must return a `Dataset`"):
        ds.flat_map(lambda r: r)
    with pytest.raises(ValueError, match="not compatible"):
        tf.data.Dataset.from_tensor_slices((np.zeros([3]), np.zeros([4])))


def test_eager_iteration_is_refused():
    with pytest.raises(RuntimeError, match="eager execution"):
        iter(tf.data.Dataset.range(3))


def test_from_generator():
    def gen():
        yield [1, 2]
        yield [3]
    ds = tf.data.Dataset.from_generator(gen, tf.int32, tf.TensorShape([None])).repeat(2)
    nxt = tf.data.make_one_shot_iterator(ds).get_next()
    assert nxt.shape.as_list() == [None] and nxt.dtype == tf.int32
    with tf.Session() as sess:
        assert [v.tolist() for v in drain(sess, nxt)] == [[1, 2], [3], [1, 2], [3]]


def test_text_line_dataset(tmp_path):
    import gzip

    (tmp_path / "a.txt").write_bytes(b"x,y\n1,2\r\n3,4")
    with gzip.open(tmp_path / "b.txt.gz", "wb") as f:
        f.write(b"5,6\n")
    files = [str(tmp_path / "a.txt")]
    ds = tf.data.TextLineDataset(files).skip(1).concatenate(
        tf.data.TextLineDataset(str(tmp_path / "b.txt.gz"), compression_type="GZIP"))
    nxt = tf.data.make_one_shot_iterator(ds).get_next()
    assert nxt.dtype == tf.string and nxt.shape.ndims == 0
    with tf.Session() as sess:
        assert drain(sess, nxt) == [b"1,2", b"3,4", b"5,6"]


def test_namespaces():
    import tensorflux.compat.v1 as v1

    assert v1.data.Dataset is tf.data.Dataset
    assert tf.data.experimental.AUTOTUNE == -1
    ds = tf.data.Dataset.range(3)
    assert tf.data.get_output_types(ds) == tf.int64
    assert tf.data.get_output_shapes(ds) == tf.TensorShape([])


def test_tensorflow_module_alias():
    from tensorflux.compat import tensorflow_alias

    tensorflow_alias.install_as_tensorflow()
    try:
        import tensorflow.compat.v1 as v1
        from tensorflow.python.data.ops import dataset_ops, iterator_ops

        assert v1.data.Dataset is dataset_ops.DatasetV1 is tf.data.Dataset
        assert iterator_ops.Iterator is tf.data.Iterator
    finally:
        tensorflow_alias.uninstall()
