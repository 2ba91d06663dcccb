"""Segment reductions: unsorted_segment_sum, segment_sum/mean/max/min."""

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf

RNG = np.random.RandomState(0)
P = np.arange(24, dtype=np.float32).reshape(2, 4, 3)


def run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


# --- segment reductions ----------------------------------------------------------------------
DATA = np.array([[1., 2.], [3., 4.], [5., 6.], [-1., 7.]], np.float32)
IDS = [0, 0, 2, 2]


def test_unsorted_segment_sum():
    s = tf.unsorted_segment_sum(DATA, [2, 0, -1, 2], 3)
    assert s.name == "UnsortedSegmentSum:0" and s.shape.as_list() == [3, 2]
    np.testing.assert_array_equal(run(s), [[3, 4], [0, 0], [0, 9]])
    s = tf.unsorted_segment_sum(P, [[0, 1, 1, 0], [2, 2, 0, 1]], 3)
    assert s.shape.as_list() == [3, 3]
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 2"):
        tf.unsorted_segment_sum(tf.zeros([3, 2]), [0, 1], 2)
    i = tf.placeholder(tf.int32, [4])
    with pytest.raises(tf.errors.InvalidArgumentError, match="out of range"):
        run(tf.unsorted_segment_sum(DATA, i, 2), {i: [0, 1, 2, 0]})


@pytest.mark.parametrize("fn,want", [
    (tf.segment_sum, [[4, 6], [0, 0], [4, 13]]),
    (tf.segment_mean, [[2, 3], [0, 0], [2, 6.5]]),
    (tf.segment_max, [[3, 4], [0, 0], [5, 7]]),
    (tf.segment_min, [[1, 2], [0, 0], [-1, 6]]),
])
def test_segment_reductions(fn, want):
    s = fn(DATA, IDS)
    assert s.shape.as_list() == [None, 2]
    np.testing.assert_array_equal(run(s), want)


def test_segment_errors():
    i = tf.placeholder(tf.int32, [None])
    s = tf.segment_sum(DATA, i)
    with pytest.raises(tf.errors.InvalidArgumentError, match="not increasing"):
        run(s, {i: [0, 2, 1, 2]})
    with pytest.raises(tf.errors.InvalidArgumentError, match="same size as dimension 0"):
        run(s, {i: [0, 1]})
    with pytest.raises(ValueError, match="Dimensions must be equal"):
        tf.segment_sum(DATA, [0, 1])


def test_segment_gradients():
    ids = [0, 1, 1, 3]
    check_gradients(lambda x: tf.unsorted_segment_sum(x, [3, -1, 0, 3], 4),
                    {"x": RNG.randn(4, 2)}, op_types=["UnsortedSegmentSum"])
    check_gradients(lambda x: tf.segment_sum(x, ids), {"x": RNG.randn(4, 2)},
                    op_types=["SegmentSum"])
    check_gradients(lambda x: tf.segment_mean(x, ids), {"x": RNG.randn(4, 2)},
                    op_types=["SegmentMean"])
    check_gradients(lambda x: tf.segment_max(x, ids), {"x": RNG.randn(4, 2)},
                    op_types=["SegmentMax"])
    check_gradients(lambda x: tf.segment_min(x, ids), {"x": RNG.randn(4, 2)},
                    op_types=["SegmentMin"])
