"""Matrix diagonals and bands: matrix_diag(_part), matrix_set_diag, matrix_band_part, eye."""

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf

RNG = np.random.RandomState(0)


def run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


def test_matrix_diag():
    d = tf.matrix_diag([[1., 2.], [3., 4.]])
    assert d.name == "diag:0" and d.op.type == "MatrixDiag" and d.shape.as_list() == [2, 2, 2]
    np.testing.assert_array_equal(run(d), [[[1, 0], [0, 2]], [[3, 0], [0, 4]]])
    assert tf.matrix_diag(tf.placeholder(tf.float32, [3])).shape.as_list() == [3, 3]
    with pytest.raises(ValueError, match="Shape must be at least rank 1 but is rank 0"):
        tf.matrix_diag(tf.placeholder(tf.float32, []))
    with pytest.raises(NotImplementedError):
        tf.matrix_diag([1., 2.], k=1)


def test_matrix_diag_part_and_set_diag():
    x = RNG.randn(2, 3, 5).astype(np.float32)
    p = tf.matrix_diag_part(x)
    assert p.name == "diag_part:0" and p.shape.as_list() == [2, 3]
    np.testing.assert_array_equal(run(p), np.diagonal(x, axis1=1, axis2=2))
    s = tf.matrix_set_diag(x, np.ones((2, 3), np.float32))
    assert s.name == "set_diag:0" and s.shape.as_list() == [2, 3, 5]
    want = x.copy()
    want[:, [0, 1, 2], [0, 1, 2]] = 1
    np.testing.assert_array_equal(run(s), want)
    with pytest.raises(ValueError):
        tf.matrix_set_diag(x, np.ones((2, 4), np.float32))
    assert tf.matrix_diag_part(tf.placeholder(tf.float32, [None, 4])).shape.as_list() == [None]


def test_matrix_band_part():
    x = np.arange(1, 13, dtype=np.float32).reshape(3, 4)
    b = tf.matrix_band_part(x, 1, 0)
    assert b.name == "MatrixBandPart:0"
    assert b.op.inputs[1].op.name == "MatrixBandPart/num_lower"
    assert b.op.inputs[1].dtype == tf.int64
    np.testing.assert_array_equal(run(b), np.tril(x) - np.tril(x, -2))
    np.testing.assert_array_equal(run(tf.matrix_band_part(x, 0, -1)), np.triu(x))
    np.testing.assert_array_equal(run(tf.matrix_band_part(x, -1, -1)), x)


def test_eye():
    e = tf.eye(3)
    assert e.name == "eye/diag:0" and e.shape.as_list() == [3, 3] and e.dtype == tf.float32
    np.testing.assert_array_equal(run(e), np.eye(3))
    e = tf.eye(2, 3, dtype=tf.int32)
    assert e.name == "eye_1/set_diag:0"
    np.testing.assert_array_equal(run(e), np.eye(2, 3))
    e = tf.eye(2, batch_shape=[3])
    assert e.shape.as_list() == [3, 2, 2]
    np.testing.assert_array_equal(run(e), np.broadcast_to(np.eye(2), (3, 2, 2)))
    n = tf.placeholder(tf.int32, [])
    np.testing.assert_array_equal(run(tf.eye(n, 3), {n: 4}), np.eye(4, 3))
    with pytest.raises(TypeError, match="must be positive integer values"):
        tf.eye(2.0)


def test_diag_gradients():
    check_gradients(lambda x: tf.matrix_diag(x), {"x": RNG.randn(2, 3)},
                    op_types=["MatrixDiag"])
    check_gradients(lambda x: tf.matrix_diag_part(x), {"x": RNG.randn(2, 3, 3)},
                    op_types=["MatrixDiagPart"])
    check_gradients(lambda x: tf.matrix_diag_part(x), {"x": RNG.randn(3, 4)},
                    op_types=["MatrixDiagPart"])
    check_gradients(lambda x, d: tf.matrix_set_diag(x, d),
                    {"x": RNG.randn(2, 4, 3), "d": RNG.randn(2, 3)}, op_types=["MatrixSetDiag"])
    check_gradients(lambda x: tf.matrix_band_part(x, 1, 2), {"x": RNG.randn(2, 4, 5)},
                    op_types=["MatrixBandPart"])
