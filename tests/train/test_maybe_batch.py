"""tf.train.maybe_batch and friends: only the elements `keep_input` keeps reach the batch."""

import numpy as np
import pytest

import tensorflux as tf


def _batches(out, n):
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        try:
            return [sess.run(out) for _ in range(n)]
        finally:
            coord.request_stop()
            coord.join(threads)


def test_vector_keep_input_enqueue_many():
    with tf.Graph().as_default():
        x = tf.constant([1, 2, 3, 4, 5, 6])
        keep = tf.constant([True, False, True, True, False, True])
        b = tf.train.maybe_batch([x], keep, 2, enqueue_many=True)
        # (a one-element list gives a tensor back, as in TF)
        assert b.name == "batch:0" and b.shape.as_list() == [2]
        got = np.concatenate(_batches(b, 4))
    assert got.tolist() == [1, 3, 4, 6, 1, 3, 4, 6]


def test_scalar_keep_input_drops_the_element():
    with tf.Graph().as_default():
        counter = tf.train.range_input_producer(10, shuffle=False).dequeue()
        b = tf.train.maybe_batch({"v": counter}, tf.equal(counter % 3, 0), 3)
        assert b["v"].name == "batch:0"
        got = [r["v"].tolist() for r in _batches(b, 2)]
    assert got == [[0, 3, 6], [9, 0, 3]]


def test_scalar_keep_input_with_enqueue_many():
    with tf.Graph().as_default():
        rows = tf.constant([[1, 1], [2, 2]])
        keep = tf.placeholder_with_default(True, [])
        b = tf.train.maybe_batch(rows, keep, 3, enqueue_many=True)
        got = _batches(b, 1)[0]
    assert got.tolist() == [[1, 1], [2, 2], [1, 1]]


def test_maybe_shuffle_batch_and_joins():
    with tf.Graph().as_default():
        x = tf.constant([0, 1, 2, 3, 4, 5, 6, 7])
        keep = tf.equal(x % 2, 0)
        s = tf.train.maybe_shuffle_batch([x], 4, 32, 4, keep, enqueue_many=True, seed=1)
        j = tf.train.maybe_batch_join([[x], [x + 100]], keep, 4, enqueue_many=True)
        sj = tf.train.maybe_shuffle_batch_join([[x], [x + 100]], 4, 32, 4, keep,
                                               enqueue_many=True, seed=2)
        assert s.name == "shuffle_batch:0"
        assert j.name == "batch_join:0" and sj.name == "shuffle_batch_join:0"
        out = _batches([s, j, sj], 3)
    for part in (0, 1, 2):
        vals = np.concatenate([o[part] for o in out])
        assert all(v % 2 == 0 for v in vals)
    assert set(np.concatenate([o[0] for o in out])) <= {0, 2, 4, 6}


def test_keep_input_errors():
    with tf.Graph().as_default():
        x = tf.constant([1, 2])
        with pytest.raises(ValueError, match="cannot be a vector when `enqueue_many=False`"):
            tf.train.maybe_batch([x], [True, False], 2)
        with pytest.raises(ValueError, match="must be 0 or 1 dimensions"):
            tf.train.maybe_batch([x], [[True]], 2, enqueue_many=True)
        with pytest.raises(ValueError, match="must be known at graph construction"):
            tf.train.maybe_batch([x], tf.placeholder(tf.bool), 2, enqueue_many=True)
