"""Queue ops built inside a `tf.cond` branch run only when that branch is taken (as in TF1)."""

import numpy as np

import tensorflux as tf


def _queue_and_pred():
    q = tf.FIFOQueue(10, tf.float32, shapes=[[]])
    return q, tf.placeholder(tf.bool, [])


def test_enqueue_under_cond_runs_only_with_its_branch():
    with tf.Graph().as_default():
        q, p = _queue_and_pred()
        enq = tf.cond(p, lambda: q.enqueue(1.0), tf.no_op)
        with tf.Session() as sess:
            sess.run(enq, {p: False})
            assert sess.run(q.size()) == 0
            sess.run(enq, {p: True})
            assert sess.run(q.size()) == 1
            assert sess.run(q.dequeue()) == 1.0


def test_enqueue_many_in_false_branch():
    with tf.Graph().as_default():
        q, p = _queue_and_pred()
        enq = tf.cond(p, tf.no_op, lambda: q.enqueue_many([[1.0, 2.0, 3.0]]))
        with tf.Session() as sess:
            sess.run(enq, {p: True})
            assert sess.run(q.size()) == 0
            sess.run(enq, {p: False})
            assert sess.run(q.size()) == 3


def test_dequeue_under_cond():
    with tf.Graph().as_default():
        q, p = _queue_and_pred()
        d = tf.cond(p, lambda: q.dequeue() + 0.0, lambda: tf.constant(-1.0))
        dm = tf.cond(p, lambda: q.dequeue_many(2), lambda: tf.constant([-1.0, -1.0]))
        size = tf.cond(p, q.size, lambda: tf.constant(-1))
        with tf.Session() as sess:
            sess.run(q.enqueue_many([[1.0, 2.0, 3.0, 4.0]]))
            assert sess.run(d, {p: False}) == -1.0
            assert sess.run(q.size()) == 4
            assert sess.run(d, {p: True}) == 1.0
            assert sess.run(size, {p: True}) == 3
            np.testing.assert_array_equal(sess.run(dm, {p: True}), [2.0, 3.0])
            assert sess.run(size, {p: False}) == -1
            assert sess.run(q.size()) == 1


def test_close_under_cond():
    with tf.Graph().as_default():
        q, p = _queue_and_pred()
        close = tf.cond(p, q.close, tf.no_op)
        with tf.Session() as sess:
            sess.run(close, {p: False})
            assert not sess.run(q.is_closed())
            sess.run(close, {p: True})
            assert sess.run(q.is_closed())


def test_queue_ops_outside_cond_stay_in_queue_graph():
    g = tf.Graph()
    with g.as_default():
        q = tf.FIFOQueue(3, tf.int32, shapes=[[]])
    with tf.Graph().as_default():  # another default graph: ops still go to the queue's graph
        enq = q.enqueue(5)
    assert enq.graph is g
    assert enq.name == "fifo_queue_enqueue"
