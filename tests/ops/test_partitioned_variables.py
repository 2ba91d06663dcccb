"""Partitioners and get_variable(partitioner=...): part names, shapes and slice specs (as TF
1.x), reuse rules, conversion to the concatenated tensor, training, embedding lookups."""

import numpy as np
import pytest

import tensorflux as tf


@pytest.fixture(autouse=True)
def fresh_graph():
    tf.reset_default_graph()
    yield


def test_fixed_size_partitioner_parts():
    w = tf.get_variable("w", [10, 4], initializer=tf.ones_initializer(),
                        partitioner=tf.fixed_size_partitioner(3))
    assert type(w).__name__ == "PartitionedVariable"
    assert [v.name for v in w] == ["w/part_0:0", "w/part_1:0", "w/part_2:0"]
    assert [v.shape.as_list() for v in w] == [[4, 4], [3, 4], [3, 4]]
    assert [v._save_slice_info.spec for v in w] == ["10 4 0,4:0,4", "10 4 4,3:0,4",
                                                    "10 4 7,3:0,4"]
    assert w.get_shape().as_list() == [10, 4] and w.dtype == tf.float32 and len(w) == 3
    assert [v.name for v in tf.trainable_variables()] == [v.name for v in w]
    t = tf.convert_to_tensor(w)
    assert t.name == "w:0" and t.shape.as_list() == [10, 4]
    y = tf.matmul(tf.ones([2, 10]), w)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(y), np.full((2, 4), 10.0))


def test_partitioner_counts_match_tf():
    p = tf.variable_axis_size_partitioner(max_shard_bytes=100)
    assert p(tf.TensorShape([10, 4]), tf.float32) == [2, 1]
    assert p(tf.TensorShape([7, 3]), tf.float64) == [2, 1]
    m = tf.min_max_variable_partitioner(max_partitions=5, min_slice_size=64)
    assert m(tf.TensorShape([10, 4]), tf.float32) == [3, 1]
    assert m(tf.TensorShape([3, 100]), tf.float32) == [3, 1]
    assert tf.fixed_size_partitioner(8)(tf.TensorShape([5, 2])) == [5, 1]
    assert tf.fixed_size_partitioner(2, axis=1)(tf.TensorShape([5, 6])) == [1, 2]


def test_value_initializer_is_sliced_and_scope_partitioner():
    value = np.arange(14.0).reshape(7, 2)
    emb = tf.get_variable("emb", initializer=tf.constant(value),
                          partitioner=tf.fixed_size_partitioner(3))
    assert [v.shape.as_list() for v in emb] == [[3, 2], [2, 2], [2, 2]]
    with tf.variable_scope("sc", partitioner=tf.fixed_size_partitioner(2)):
        z = tf.get_variable("z", [6])
    assert [v.name for v in z] == ["sc/z/part_0:0", "sc/z/part_1:0"]
    # TF's "mod" strategy: id i is row i // 3 of part i % 3
    look = tf.nn.embedding_lookup(emb, list(range(7)))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(list(emb)[0]), value[:3])
        np.testing.assert_array_equal(sess.run(tf.convert_to_tensor(emb)), value)
        np.testing.assert_array_equal(sess.run(look), [[0, 1], [6, 7], [10, 11], [2, 3],
                                                       [8, 9], [12, 13], [4, 5]])


def test_reuse_rules():
    w = tf.get_variable("w", [10, 4], partitioner=tf.fixed_size_partitioner(3))
    with pytest.raises(ValueError, match="Partitioned variable with name w already exists"):
        tf.get_variable("w", [10, 4], partitioner=tf.fixed_size_partitioner(3))
    with pytest.raises(ValueError, match="No partitioner was provided, but a partitioned "
                                         "version of the variable was found: w/part_0"):
        tf.get_variable("w", [10, 4])
    with tf.variable_scope("", reuse=True):
        assert tf.get_variable("w", [10, 4], partitioner=tf.fixed_size_partitioner(3)) is w
        with pytest.raises(ValueError, match="specified partitions \\[2, 1\\] and found "
                                             "partitions \\[3, 1\\]"):
            tf.get_variable("w", [10, 4], partitioner=tf.fixed_size_partitioner(2))
        with pytest.raises(ValueError, match="PartitionedVariable nope does not exist"):
            tf.get_variable("nope", [4], partitioner=tf.fixed_size_partitioner(2))
    tf.get_variable("plain", [4])
    with pytest.raises(ValueError, match="unpartitioned version of the variable was found"):
        tf.get_variable("plain", [4], partitioner=tf.fixed_size_partitioner(2))
    with pytest.raises(ValueError, match="Can only slice a variable along one dimension"):
        tf.get_variable("two", [4, 4], partitioner=lambda shape, dtype: [2, 2])


def test_glorot_uses_the_full_shape():
    tf.set_random_seed(1)
    w = tf.get_variable("w", [1000, 2], partitioner=tf.fixed_size_partitioner(4))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        value = sess.run(tf.convert_to_tensor(w))
    limit = np.sqrt(6.0 / 1002)  # a part alone ([250, 2]) would allow sqrt(6 / 252)
    assert np.abs(value).max() <= limit and np.abs(value).max() > 0.9 * limit


def test_training_updates_every_part():
    w = tf.get_variable("w", [6, 1], initializer=tf.zeros_initializer(),
                        partitioner=tf.fixed_size_partitioner(2))
    x = tf.constant(np.eye(6, dtype=np.float32))
    loss = tf.reduce_sum(tf.square(tf.matmul(x, w) - 1.0))
    train = tf.train.GradientDescentOptimizer(0.25).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(20):
            sess.run(train)
        np.testing.assert_allclose(sess.run(tf.convert_to_tensor(w)), np.ones((6, 1)),
                                   atol=1e-5)
        saver = tf.train.Saver()
        assert sorted(saver._names) == ["w/part_0", "w/part_1"]


def test_assign_and_create_partitioned_variables():
    parts = tf.create_partitioned_variables([6, 2], [3, 1], tf.zeros_initializer(), name="cpv")
    assert [v.name for v in parts] == ["cpv/part_0:0", "cpv/part_1:0", "cpv/part_2:0"]
    w = tf.get_variable("w", [5], partitioner=tf.fixed_size_partitioner(2))
    op = w.assign(np.arange(5.0, dtype=np.float32))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(op)
        np.testing.assert_array_equal(sess.run(list(w)[1]), [3.0, 4.0])
    assert tf.Variable.SaveSliceInfo("a", [4], [0], [2]).spec == "4 0,2"
