"""`tf.test.compute_gradient` / `compute_gradient_error`: TF 1.x's gradient checker (Jacobians
[x_size, y_size], lists for a list of x, IndexedSlices, complex as pairs of reals, feeds,
init targets), values as real TF 1.x gives them."""

import numpy as np
import pytest

import tensorflux as tf


def test_jacobian_layout_is_x_rows_y_columns():
    with tf.Graph().as_default(), tf.Session():
        x = tf.constant([[1.0, 2.0], [3.0, 4.0]], dtype=tf.float64)
        w = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=tf.float64)
        jt, jn = tf.test.compute_gradient(x, [2, 2], tf.matmul(x, w), [2, 3],
                                          x_init_value=np.array([[1.0, 2.0], [3.0, 4.0]]))
        assert jt.shape == (4, 6) and jt.dtype == np.float64 and jn.dtype == np.float64
        expected = [[1, 2, 3, 0, 0, 0], [4, 5, 6, 0, 0, 0], [0, 0, 0, 1, 2, 3],
                    [0, 0, 0, 4, 5, 6]]
        np.testing.assert_allclose(jt, expected)
        np.testing.assert_allclose(jn, expected, atol=1e-8)


def test_list_of_x_gives_a_list_of_pairs():
    with tf.Graph().as_default(), tf.Session():
        x = tf.constant(np.ones((2, 2)))
        w = tf.constant(np.ones((2, 3)))
        result = tf.test.compute_gradient([x, w], [[2, 2], [2, 3]], tf.matmul(x, w), [2, 3],
                                          x_init_value=[np.ones((2, 2)), np.ones((2, 3))])
        assert isinstance(result, list) and len(result) == 2
        assert all(isinstance(pair, tuple) for pair in result)
        assert result[0][0].shape == (4, 6) and result[1][0].shape == (6, 6)
        for jt, jn in result:
            np.testing.assert_allclose(jt, jn, atol=1e-8)


def test_indexed_slices_gradient():
    with tf.Graph().as_default(), tf.Session():
        p = tf.constant(np.arange(6.0).reshape(3, 2))
        g = tf.gather(p, [2, 0, 2])
        jt, jn = tf.test.compute_gradient(p, [3, 2], g, [3, 2],
                                          x_init_value=np.arange(6.0).reshape(3, 2))
        expected = np.zeros((6, 6))
        for out_row, in_row in enumerate([2, 0, 2]):
            for c in range(2):
                expected[2 * in_row + c, 2 * out_row + c] = 1
        np.testing.assert_allclose(jt, expected)
        np.testing.assert_allclose(jn, expected, atol=1e-8)


def test_complex_is_twice_as_many_reals():
    with tf.Graph().as_default(), tf.Session():
        c = tf.constant([1 + 2j, 3 - 1j], dtype=tf.complex64)
        jt, jn = tf.test.compute_gradient(c, [2], c * c, [2],
                                          x_init_value=np.array([1 + 2j, 3 - 1j], np.complex64))
        assert jt.shape == (4, 4) and jt.dtype == np.float32
        # d(z^2) = 2z dz: [[Re, Im] rows of the real and imaginary parts of x]
        expected = [[2, 4, 0, 0], [-4, 2, 0, 0], [0, 0, 6, -2], [0, 0, 2, 6]]
        np.testing.assert_allclose(jt, expected, rtol=1e-6)
        np.testing.assert_allclose(jn, expected, atol=1e-2)


def test_error_feeds_and_init_targets():
    with tf.Graph().as_default(), tf.Session():
        f = tf.constant([1.0, 2.0, 3.0])
        err = tf.test.compute_gradient_error(f, [3], tf.exp(f), [3],
                                             x_init_value=np.array([0.5, 1.0, 1.5], np.float32))
        assert 0 < err < 1e-2
        linear = tf.test.compute_gradient_error(
            f, [3], tf.identity(f) * 2.0, [3], delta=0.5,
            x_init_value=np.array([0.5, 1.0, 1.5], np.float32))
        assert linear == 0.0
        z = tf.zeros([0, 2])
        assert tf.test.compute_gradient_error(z, [0, 2], z * 3, [0, 2]) == 0
        ph = tf.placeholder(tf.float32, [2])
        v = tf.Variable([1.0, 2.0])
        jt, jn = tf.test.compute_gradient(v, [2], v * ph, [2], init_targets=[v.initializer],
                                          extra_feed_dict={ph: [3.0, 4.0]},
                                          x_init_value=np.array([1.0, 1.0], np.float32))
        np.testing.assert_allclose(jt, [[3.0, 0.0], [0.0, 4.0]])
        np.testing.assert_allclose(jn, [[3.0, 0.0], [0.0, 4.0]], rtol=1e-3)


def test_a_wrong_gradient_shows_up():
    @tf.custom_gradient
    def bad_square(x):
        return x * x, lambda dy: dy * x  # should be 2 * x

    with tf.Graph().as_default(), tf.Session():
        x = tf.constant([1.0, 2.0], dtype=tf.float64)
        err = tf.test.compute_gradient_error(x, [2], bad_square(x), [2],
                                             x_init_value=np.array([1.0, 2.0]))
        assert err == pytest.approx(2.0, rel=1e-6)


def test_random_init_and_shape_check():
    with tf.Graph().as_default(), tf.Session():
        x = tf.placeholder(tf.float64, [2, 3])
        jt, jn = tf.test.compute_gradient(x, [2, 3], tf.reduce_sum(tf.sin(x), 1), [2])
        assert jt.shape == (6, 2)
        np.testing.assert_allclose(jt, jn, atol=1e-6)
        with pytest.raises(AssertionError, match="x_shape"):
            tf.test.compute_gradient(x, [2, 3], tf.sin(x), [2, 3], x_init_value=np.ones((3, 2)))
        with pytest.raises(AssertionError, match="Don't support type int32 for x"):
            i = tf.placeholder(tf.int32, [2])
            tf.test.compute_gradient(i, [2], tf.cast(i, tf.float32), [2])
