"""TF1 queues: FIFO order, blocking, close semantics and messages (fixtures from real TF)."""

import json
import os
import re
import threading

import numpy as np
import pytest

import tensorflux as tf

TIMEOUT = 20.0
FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "queues", "queues.json")


@pytest.fixture(scope="module")
def expected():
    with open(FIXTURE) as f:
        return json.load(f)


def _error(sess, fetch):
    try:
        sess.run(fetch)
    except tf.errors.OpError as e:
        text = str(e).split("\n")[0]
        return [type(e).__name__, re.sub(r"'_\d+_", "'_N_", text)]
    return None


def _normalised(pair):
    return [pair[0], re.sub(r"'_\d+_", "'_N_", pair[1])]


def test_closed_queue_messages_match_tf(expected):
    want = expected["closed"]
    with tf.Graph().as_default(), tf.Session() as sess:
        q = tf.FIFOQueue(10, tf.float32, shapes=[[]])
        r = tf.RandomShuffleQueue(10, 2, tf.float32, seed=1)
        p = tf.PaddingFIFOQueue(10, [tf.float32], shapes=[[None]])
        sess.run(q.enqueue(1.0))
        sess.run([q.close(), r.close(), p.close()])
        assert _error(sess, q.dequeue_many(3)) == _normalised(want["fifo_dequeue_many"])
        assert sess.run(q.dequeue()) == want["fifo_dequeue_ok"]
        assert _error(sess, q.dequeue()) == _normalised(want["fifo_dequeue"])
        assert _error(sess, q.enqueue(2.0)) == _normalised(want["fifo_enqueue"])
        assert _error(sess, r.dequeue()) == _normalised(want["shuffle_dequeue"])
        assert _error(sess, p.dequeue()) == _normalised(want["padding_dequeue"])
        assert [q.name, r.name, p.name] == want["names"]
    with tf.Graph().as_default(), tf.Session() as sess:
        q = tf.FIFOQueue(10, tf.int32, shapes=[[]], name="my_queue")
        sess.run(q.enqueue_many([[1, 2, 3]]))
        sess.run(q.close())
        assert sess.run(q.dequeue_up_to(5)).tolist() == want["up_to"]
        assert _error(sess, q.dequeue_up_to(5)) == _normalised(want["up_to_empty"])


def test_fifo_order_sizes_and_padding(expected):
    want = expected["behaviour"]
    with tf.Graph().as_default(), tf.Session() as sess:
        q = tf.FIFOQueue(10, [tf.int32, tf.string], shapes=[[], []])
        sess.run(q.enqueue_many([[1, 2, 3], [b"a", b"b", b"c"]]))
        assert sess.run(q.size()) == want["size"]
        nums, words = sess.run(q.dequeue_many(2))
        assert [nums.tolist(), [w.decode() for w in words]] == want["dequeue_many"]
        closed = [bool(sess.run(q.is_closed()))]
        sess.run(q.close())
        assert closed + [bool(sess.run(q.is_closed()))] == want["is_closed"]
        p = tf.PaddingFIFOQueue(5, [tf.int32], shapes=[[None]])
        sess.run(p.enqueue([[1, 2, 3]]))
        sess.run(p.enqueue([[4]]))
        assert sess.run(p.dequeue_many(2)).tolist() == want["padded"]


def test_static_shapes_names_and_dict_elements():
    with tf.Graph().as_default():
        q = tf.FIFOQueue(4, [tf.float32, tf.int64], shapes=[[2], []], names=["x", "y"])
        many = q.dequeue_many(3)
        assert sorted(many) == ["x", "y"]
        assert many["x"].shape.as_list() == [3, 2]
        assert q.dequeue_up_to(3)["y"].shape.as_list() == [None]
        assert q.names == ["x", "y"] and q.dtypes == [tf.float32, tf.int64]
        with pytest.raises(ValueError):
            q.enqueue([[1.0, 2.0], 3])  # a queue with names takes a dict
        with tf.Session() as sess:
            sess.run(q.enqueue({"x": [1.0, 2.0], "y": 3}))
            got = sess.run(q.dequeue())
            assert got["y"] == 3 and got["x"].tolist() == [1.0, 2.0]


def _start(fn):
    result = []

    def target():
        try:
            result.append(fn())
        except Exception as e:  # noqa: BLE001 - checked by the test
            result.append(e)
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, result


def test_blocking_dequeue_is_released_by_enqueue_from_another_thread():
    with tf.Graph().as_default(), tf.Session() as sess:
        q = tf.FIFOQueue(2, tf.int32, shapes=[[]])
        thread, result = _start(lambda: sess.run(q.dequeue_many(2)))
        thread.join(0.2)
        assert thread.is_alive()  # blocked: nothing to dequeue yet
        sess.run(q.enqueue(7))
        sess.run(q.enqueue(8))
        thread.join(TIMEOUT)
        assert not thread.is_alive() and result[0].tolist() == [7, 8]


def test_full_queue_blocks_enqueue_and_close_cancels_it():
    with tf.Graph().as_default(), tf.Session() as sess:
        q = tf.FIFOQueue(1, tf.int32, shapes=[[]])
        sess.run(q.enqueue(1))
        thread, result = _start(lambda: sess.run(q.enqueue(2)))
        thread.join(0.2)
        assert thread.is_alive()
        sess.run(q.close(cancel_pending_enqueues=True))
        thread.join(TIMEOUT)
        assert not thread.is_alive() and isinstance(result[0], tf.errors.CancelledError)
        assert sess.run(q.dequeue()) == 1


def test_closing_the_session_cancels_blocked_dequeues_and_enqueues():
    """As TF (checked with TensorFlow 2.21): every op blocked on a queue gets CancelledError."""
    with tf.Graph().as_default():
        q = tf.FIFOQueue(2, tf.int32, shapes=[[]])
        full = tf.FIFOQueue(1, tf.int32, shapes=[[]])
        sess = tf.Session()
        sess.run(full.enqueue(1))
        started = [_start(lambda t=t: sess.run(t))
                   for t in (q.dequeue(), q.dequeue_many(2), full.enqueue(2))]
        started[0][0].join(0.2)
        sess.close()
        messages = []
        for thread, result in started:
            thread.join(TIMEOUT)
            assert not thread.is_alive() and isinstance(result[0], tf.errors.CancelledError)
            messages.append(str(result[0]).splitlines()[0])
        assert messages == ["Dequeue operation was cancelled"] * 2 + [
            "Enqueue operation was cancelled"]


def test_random_shuffle_queue_keeps_min_after_dequeue_and_permutes():
    with tf.Graph().as_default(), tf.Session() as sess:
        q = tf.RandomShuffleQueue(100, 5, tf.int32, shapes=[[]], seed=3)
        sess.run(q.enqueue_many([np.arange(20, dtype=np.int32)]))
        got = [int(sess.run(q.dequeue())) for _ in range(15)]
        assert sess.run(q.size()) == 5
        # a sixteenth dequeue would leave fewer than min_after_dequeue: it blocks
        thread, result = _start(lambda: sess.run(q.dequeue()))
        thread.join(0.2)
        assert thread.is_alive()
        sess.run(q.close())  # once closed, min_after_dequeue no longer holds elements back
        thread.join(TIMEOUT)
        got += [int(result[0])] + sess.run(q.dequeue_up_to(10)).tolist()
        assert sorted(got) == list(range(20)) and got != list(range(20))


def test_count_up_to():
    with tf.Graph().as_default(), tf.Session() as sess:
        v = tf.Variable(0)
        n = tf.count_up_to(v, 2)
        sess.run(v.initializer)
        assert [sess.run(n), sess.run(n)] == [0, 1]
        with pytest.raises(tf.errors.OutOfRangeError, match="Reached limit of 2"):
            sess.run(n)


def test_run_timeout_ends_a_blocked_queue_op_as_tf():
    """RunOptions.timeout_in_ms and ConfigProto.operation_timeout_in_ms bound a blocked enqueue
    or dequeue with TF's DeadlineExceededError; the queue and the session keep working, and
    the timed-out dequeue took nothing (checked with TensorFlow 2.21)."""
    import time

    with tf.Graph().as_default():
        q = tf.FIFOQueue(1, tf.int32, shapes=[[]])
        for config, options in ((None, tf.RunOptions(timeout_in_ms=150)),
                                (tf.ConfigProto(operation_timeout_in_ms=150), None)):
            with tf.Session(config=config) as sess:
                start = time.monotonic()
                with pytest.raises(tf.errors.DeadlineExceededError,
                                   match="Timed out waiting for notification"):
                    sess.run(q.dequeue(), options=options)
                assert 0.14 <= time.monotonic() - start < 5
                sess.run(q.enqueue(4), options=options)
                with pytest.raises(tf.errors.DeadlineExceededError):
                    sess.run(q.enqueue(5), options=options)  # full: blocks, then times out
                assert sess.run(q.dequeue(), options=options) == 4
                assert sess.run(q.size()) == 0
        with tf.Session() as sess:  # no timeout: a long wait is not cut short
            thread, result = _start(lambda: sess.run(q.dequeue()))
            thread.join(0.3)
            assert thread.is_alive()
            sess.run(q.enqueue(9))
            thread.join(TIMEOUT)
            assert result == [9]


def test_shapes_of_one_component_read_as_tf_reads_them():
    """TF's `_as_shape_list`: () and [] are one scalar component, [2, 3] one component."""
    assert tf.FIFOQueue(2, tf.int64, shapes=()).shapes == [tf.TensorShape([])]
    assert tf.FIFOQueue(2, tf.int64, shapes=[]).shapes == [tf.TensorShape([])]
    assert tf.FIFOQueue(2, tf.int64, shapes=[2, 3]).shapes == [tf.TensorShape([2, 3])]
    two = tf.FIFOQueue(2, [tf.int64, tf.float32], shapes=[[], [3]])
    assert two.shapes == [tf.TensorShape([]), tf.TensorShape([3])]
