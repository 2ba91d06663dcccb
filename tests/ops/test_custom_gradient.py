"""tf.custom_gradient in graph mode: the gradient comes from grad_fn only (TF's IdentityN
override), with several inputs/outputs, variables, and TF's errors."""

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf


def test_log1pexp_is_stable():
    @tf.custom_gradient
    def log1pexp(x):
        e = tf.exp(x)

        def grad(dy):
            return dy * (1 - 1 / (1 + e))

        return tf.log(1 + e), grad

    x = tf.placeholder(tf.float32, [])
    y = log1pexp(x)
    assert y.op.type == "IdentityN"
    [dx] = tf.gradients(y, x)
    with tf.Session() as sess:
        assert sess.run(dx, {x: 100.0}) == 1.0
    # without the custom gradient the same expression gives NaN
    naive = tf.gradients(tf.log(1 + tf.exp(x)), x)[0]
    with tf.Session() as sess, np.errstate(invalid="ignore", over="ignore"):
        assert np.isnan(sess.run(naive, {x: 100.0}))


def test_gradient_only_from_grad_fn():
    @tf.custom_gradient
    def clip_grad(x):
        def grad(dy):
            return tf.clip_by_value(dy, -0.5, 0.5)
        return tf.identity(x), grad

    x = tf.placeholder(tf.float32, [3])
    y = clip_grad(x * 1.0)
    [dx] = tf.gradients(10.0 * y, x)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(dx, {x: [1.0, 2.0, 3.0]}), [0.5, 0.5, 0.5])
        np.testing.assert_allclose(sess.run(y, {x: [1.0, 2.0, 3.0]}), [1.0, 2.0, 3.0])


def test_several_inputs_and_outputs_finite_differences():
    @tf.custom_gradient
    def f(a, b):
        s, p = a + b, a * b

        def grad(ds, dp):
            return ds + dp * b, ds + dp * a  # the true gradient

        return (s, p), grad

    def build(a, b):
        s, p = f(a, b)
        return [tf.sin(s), p * p]

    check_gradients(build, {"a": np.array([0.3, -1.2]), "b": np.array([2.0, 0.7])},
                    op_types=["IdentityN"])


def test_grad_fn_receives_variables():
    x = tf.placeholder(tf.float32, [2])

    @tf.custom_gradient
    def scale(x):
        w = tf.get_variable("w", [], initializer=tf.constant_initializer(3.0))

        def grad(dy, variables=None):
            assert len(variables) == 1 and variables[0].op.name == "w"
            return dy * 100.0, [tf.reduce_sum(dy * x) * 1000.0]

        return x * w, grad

    y = scale(x)
    w = tf.trainable_variables()[0]
    dx, dw = tf.gradients(tf.reduce_sum(y), [x, w])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        gx, gw = sess.run([dx, dw], {x: [1.0, 2.0]})
    np.testing.assert_allclose(gx, [100.0, 100.0])
    assert gw == pytest.approx(3000.0)


def test_variables_need_the_keyword():
    v = tf.Variable(2.0, name="v")

    @tf.custom_gradient
    def f(x):
        return x * v, lambda dy: dy

    with pytest.raises(TypeError, match="grad_fn must accept a keyword argument 'variables'"):
        f(tf.constant(1.0))


def test_wrong_number_of_gradients():
    @tf.custom_gradient
    def f(a, b):
        return a + b, lambda dy: dy

    y = f(tf.constant(1.0), tf.constant(2.0))
    with pytest.raises(ValueError, match="expected to return 2 gradients but returned 1"):
        tf.gradients(y, y.op.inputs[1])


def test_optimizer_trains_through_custom_gradient():
    w = tf.Variable(5.0)

    @tf.custom_gradient
    def halve_grad(x):
        return tf.identity(x), lambda dy: 0.5 * dy

    loss = tf.square(halve_grad(w))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        assert sess.run(w) == pytest.approx(5.0 - 0.1 * 0.5 * 10.0)
