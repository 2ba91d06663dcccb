"""`tf.contrib.opt.ScipyOptimizerInterface` (TF 1.x external_optimizer.py semantics):
L-BFGS-B by default, var_list, feeds, fetches with loss_callback, step_callback, bounds,
constraints through SLSQP, and the keyword checks."""

import numpy as np
import pytest

import tensorflux as tf

pytest.importorskip("scipy")


def test_unconstrained_quadratic_with_callbacks():
    with tf.Graph().as_default(), tf.Session() as sess:
        vector = tf.Variable([7.0, 7.0], name="vector")
        other = tf.Variable(3.0, name="other")
        target = tf.placeholder(tf.float32, [2])
        loss = tf.reduce_sum(tf.square(vector - target))
        opt = tf.contrib.opt.ScipyOptimizerInterface(loss, var_list=[vector],
                                                     options={"maxiter": 100})
        sess.run(tf.global_variables_initializer())
        losses, steps = [], []
        opt.minimize(sess, feed_dict={target: [1.0, 2.0]}, fetches=[loss],
                     loss_callback=losses.append, step_callback=steps.append)
        np.testing.assert_allclose(sess.run(vector), [1.0, 2.0], atol=1e-4)
        assert sess.run(other) == 3.0  # not in var_list
        assert losses[0] == pytest.approx(61.0) and losses[-1] < 1e-6
        assert steps and steps[-1].shape == (2,)


def test_default_session_trainable_variables_and_shapes():
    with tf.Graph().as_default(), tf.Session() as sess:
        w = tf.Variable(np.ones((2, 3), np.float32))
        b = tf.Variable(np.zeros(3, np.float32))
        loss = tf.reduce_sum(tf.square(w - 2.0)) + tf.reduce_sum(tf.square(b + 1.0))
        opt = tf.contrib.opt.ScipyOptimizerInterface(loss)  # all trainable variables
        sess.run(tf.global_variables_initializer())
        with sess.as_default():
            opt.minimize()
        np.testing.assert_allclose(sess.run(w), np.full((2, 3), 2.0), atol=1e-4)
        np.testing.assert_allclose(sess.run(b), np.full(3, -1.0), atol=1e-4)


def test_bounds_and_constraints():
    with tf.Graph().as_default(), tf.Session() as sess:
        vector = tf.Variable([7.0, 7.0])
        loss = tf.reduce_sum(tf.square(vector))
        opt = tf.contrib.opt.ScipyOptimizerInterface(
            loss, var_to_bounds={vector: ([1.0, -np.inf], [np.inf, 5.0])})
        sess.run(tf.global_variables_initializer())
        opt.minimize(sess)
        np.testing.assert_allclose(sess.run(vector), [1.0, 0.0], atol=1e-4)

        sess.run(vector.initializer)
        opt = tf.contrib.opt.ScipyOptimizerInterface(
            loss, equalities=[vector[0] + vector[1] - 2.0], inequalities=[vector[0] - 1.5],
            method="SLSQP")
        opt.minimize(sess)
        np.testing.assert_allclose(sess.run(vector), [1.5, 0.5], atol=1e-4)


def test_unused_variable_gets_a_zero_gradient():
    with tf.Graph().as_default(), tf.Session() as sess:
        used = tf.Variable(5.0)
        unused = tf.Variable(3.0)
        loss = tf.square(used - 1.0)
        opt = tf.contrib.opt.ScipyOptimizerInterface(loss, var_list=[used, unused])
        sess.run(tf.global_variables_initializer())
        opt.minimize(sess)
        assert sess.run(used) == pytest.approx(1.0, abs=1e-4) and sess.run(unused) == 3.0


def test_keyword_checks():
    with tf.Graph().as_default(), tf.Session() as sess:
        v = tf.Variable(1.0)
        loss = tf.square(v)
        sess.run(v.initializer)
        with pytest.raises(ValueError, match="var_to_bounds"):
            tf.contrib.opt.ScipyOptimizerInterface(loss, bounds=[(0, 1)]).minimize(sess)
        with pytest.raises(ValueError, match="'jac' is set automatically"):
            tf.contrib.opt.ScipyOptimizerInterface(loss, jac=False).minimize(sess)
