"""Random ops and TF's seed rules: graph seed, op seed, sessions, consecutive runs."""

import numpy as np
import pytest

import tensorflux as tf


def _seeds(g, op_type):
    return [(op.get_attr("seed"), op.get_attr("seed2")) for op in g.get_operations()
            if op.type == op_type]


def test_seed_attributes_follow_tf_rules():
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(42)
        tf.random_normal([2])
        tf.random_normal([2])
        tf.random_uniform([2], seed=7)
    normal = _seeds(g, "RandomStandardNormal")
    assert [s for s, _ in normal] == [42, 42]
    assert normal[0][1] != normal[1][1]  # op seeds differ: the ops draw different values
    assert _seeds(g, "RandomUniform") == [(42, 7)]
    h = tf.Graph()
    with h.as_default():
        tf.random_uniform([2], seed=7)  # op seed only: TF's default graph seed
        tf.random_uniform([2])  # no seed at all
    assert _seeds(h, "RandomUniform") == [(87654321, 7), (0, 0)]
    k = tf.Graph()
    with k.as_default():
        tf.set_random_seed(0)
        tf.random_uniform([2], seed=0)
    assert _seeds(k, "RandomUniform") == [(0, 2**31 - 1)]  # (0, 0) means "unseeded"


def _two_sessions(fetch):
    with tf.Session() as s1:
        a = s1.run(fetch)
    with tf.Session() as s2:
        b = s2.run(fetch)
    return a, b


def test_graph_seed_makes_sessions_agree():
    tf.set_random_seed(1234)
    x = tf.random_normal([5])
    y = tf.random_normal([5])
    (x1, y1), (x2, y2) = _two_sessions([x, y])
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.allclose(x1, y1)  # different ops differ


def test_op_seed_makes_sessions_and_graphs_agree():
    x = tf.random_uniform([5], seed=3)
    a, b = _two_sessions(x)
    np.testing.assert_array_equal(a, b)
    with tf.Graph().as_default():
        z = tf.random_uniform([5], seed=3)
        c, _ = _two_sessions(z)
    np.testing.assert_array_equal(a, c)


def test_consecutive_runs_differ():
    tf.set_random_seed(5)
    x = tf.random_normal([4])
    with tf.Session() as sess:
        first, second = sess.run(x), sess.run(x)
    assert not np.allclose(first, second)
    with tf.Session() as sess:  # a new session starts the sequence again
        np.testing.assert_array_equal(sess.run(x), first)
        np.testing.assert_array_equal(sess.run(x), second)


def test_unseeded_ops_differ_between_sessions():
    x = tf.random_normal([8])
    a, b = _two_sessions(x)
    assert not np.allclose(a, b)


def test_one_run_reuses_a_random_value():
    x = tf.random_normal([3], seed=1)
    with tf.Session() as sess:
        a, b = sess.run([x, x * 1.0])
    np.testing.assert_array_equal(a, b)


def test_random_op_names_shapes_and_dtypes():
    n = tf.random_normal([2, 3], mean=1.0, stddev=2.0)
    u = tf.random_uniform([4], minval=-1, maxval=1, dtype=tf.float64)
    t = tf.truncated_normal([5])
    i = tf.random_uniform([6], maxval=10, dtype=tf.int32)
    assert n.name == "random_normal:0" and n.shape.as_list() == [2, 3]
    assert u.name == "random_uniform:0" and u.dtype == tf.float64
    assert t.name == "truncated_normal:0"
    assert i.op.type == "RandomUniformInt" and i.dtype == tf.int32
    names = {op.name for op in tf.get_default_graph().get_operations()}
    assert {"random_normal/RandomStandardNormal", "random_normal/mul", "random_normal/mean",
            "random_normal/stddev", "random_uniform/sub", "random_uniform/mul",
            "truncated_normal/TruncatedNormal", "truncated_normal/mul"} <= names
    with pytest.raises(ValueError, match="Must specify maxval for integer dtype"):
        tf.random_uniform([2], dtype=tf.int32)


def test_random_value_ranges():
    tf.set_random_seed(9)
    u = tf.random_uniform([1000], minval=2.0, maxval=3.0)
    t = tf.truncated_normal([1000], mean=5.0, stddev=0.5)
    i = tf.random_uniform([1000], minval=-3, maxval=4, dtype=tf.int64)
    n = tf.random_normal([4000], mean=-1.0, stddev=3.0)
    with tf.Session() as sess:
        uv, tv, iv, nv = sess.run([u, t, i, n])
    assert uv.min() >= 2.0 and uv.max() < 3.0
    assert tv.min() >= 4.0 and tv.max() <= 6.0
    assert iv.min() >= -3 and iv.max() <= 3 and set(iv.tolist()) == set(range(-3, 4))
    assert abs(nv.mean() + 1.0) < 0.2 and abs(nv.std() - 3.0) < 0.2


def test_random_shuffle_and_multinomial():
    tf.set_random_seed(2)
    s = tf.random_shuffle(tf.range(10))
    m = tf.multinomial(tf.log([[0.0001, 0.9999]]), 20)
    with tf.Session() as sess:
        sv, mv = sess.run([s, m])
    assert sorted(sv.tolist()) == list(range(10))
    assert mv.shape == (1, 20) and mv.dtype == np.int64
    assert mv.sum() >= 18


def test_initializers_with_graph_seed_are_reproducible():
    tf.set_random_seed(11)
    v = tf.get_variable("v", [3, 3])
    w = tf.get_variable("w", [3, 3])
    init = tf.global_variables_initializer()

    def values():
        with tf.Session() as sess:
            sess.run(init)
            return sess.run([v, w])

    (v1, w1), (v2, w2) = values(), values()
    np.testing.assert_array_equal(v1, v2)
    np.testing.assert_array_equal(w1, w2)
    assert not np.allclose(v1, w1)
