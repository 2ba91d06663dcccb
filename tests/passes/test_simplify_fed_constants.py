"""The simplify pass must not take a fed constant for its graph value (`x * ones` with the ones
fed is not `x`)."""

import numpy as np

import tensorflux as tf


def test_fed_ones_are_not_a_neutral_factor():
    with tf.Graph().as_default(), tf.Session() as sess:
        x = tf.constant([4.0, 9.0])
        one = tf.constant([1.0, 1.0])
        zero = tf.zeros([2])
        feed = {one: [2.0, 3.0]}
        np.testing.assert_allclose(sess.run(one * tf.sqrt(x), feed), [4.0, 9.0])
        np.testing.assert_allclose(sess.run(tf.sqrt(x) * one, feed), [4.0, 9.0])
        np.testing.assert_allclose(sess.run(tf.sqrt(x) / one, feed), [1.0, 1.0])
        np.testing.assert_allclose(sess.run(tf.sqrt(x) + zero, {zero: [2.0, 3.0]}), [4.0, 6.0])
        # unfed, the neutral operand still goes away and the value is unchanged
        np.testing.assert_allclose(sess.run(tf.sqrt(x) * one), [2.0, 3.0])


def test_fed_grad_ys_through_an_identity():
    # tf.test.compute_gradient feeds the constant behind `grad_ys`: each one-hot feed must
    # reach the backprop (complex Mul gradients multiply it by a folded Conj constant)
    with tf.Graph().as_default(), tf.Session() as sess:
        c = tf.constant([1 + 2j, 3 - 1j], dtype=tf.complex64)
        dy = tf.constant(1.0, shape=[2], dtype=tf.complex64)
        g = tf.gradients(c * c, c, tf.identity(dy))[0]
        out = sess.run(g, {dy: np.array([0, 1j], np.complex64)})
        np.testing.assert_allclose(out, [0, 2j * np.conj(3 - 1j)], rtol=1e-6)
