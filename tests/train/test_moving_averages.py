"""ExponentialMovingAverage and assign_moving_average against real TensorFlow."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.train.moving_averages import assign_moving_average

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "train")
with open(os.path.join(FIXTURES, "misc.json")) as _f:
    DATA = json.load(_f)["ema"]


def test_exponential_moving_average_matches_tensorflow():
    want = DATA["ema"]
    w = tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="w")
    with tf.variable_scope("scope"):
        b = tf.get_variable("b", initializer=tf.constant([0.5, -0.5]))
    frozen = tf.Variable(7.0, name="frozen", trainable=False)
    step = tf.train.get_or_create_global_step()
    ema = tf.train.ExponentialMovingAverage(0.9)
    assert ema.name == "ExponentialMovingAverage"
    assert ema.average_name(w) == want["before_name"]
    apply_op = ema.apply([w, b])
    ema2 = tf.train.ExponentialMovingAverage(0.99, num_updates=step, name="EMA2")
    apply2 = ema2.apply([w])
    loss = tf.reduce_sum(w) * 2.0 + tf.reduce_sum(b)
    ema3 = tf.train.ExponentialMovingAverage(0.5, zero_debias=True)
    apply3 = ema3.apply([loss])
    bump = tf.group(w.assign_add(tf.ones([2, 2])), b.assign(b * 2.0), step.assign_add(5))
    assert [apply_op.name, apply2.name, apply3.name] == want["apply_names"]
    assert {v.op.name: ema.average_name(v) for v in (w, b, frozen)} == want["average_names"]
    assert {v.op.name: ema.average(v).name for v in (w, b)} == want["average_vars"]
    assert (ema.average(frozen) is None) == want["frozen_average"]
    assert ema3.average(loss).name == want["loss_average"]
    assert {k: v.name for k, v in ema.variables_to_restore().items()} == want["to_restore"]
    assert [v.name for v in tf.global_variables()] == want["global_variables"]
    assert [v.name for v in tf.moving_average_variables()] == want["moving_average_variables"]
    assert all(not ema.average(v).trainable for v in (w, b))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for k, h in enumerate(want["history"]):
            sess.run([apply_op, apply2, apply3])
            np.testing.assert_allclose(sess.run(ema.average(w)), h["w"], rtol=1e-6,
                                       err_msg="step %d" % k)
            np.testing.assert_allclose(sess.run(ema.average(b)), h["b"], rtol=1e-6)
            np.testing.assert_allclose(sess.run(ema2.average(w)), h["w2"], rtol=1e-6)
            np.testing.assert_allclose(sess.run(ema3.average(loss)), h["loss"], rtol=1e-6)
            sess.run(bump)


def test_assign_moving_average_matches_tensorflow():
    want = DATA["assign"]
    avg = tf.Variable([0.0, 0.0], name="avg", trainable=False)
    avg2 = tf.Variable([0.0, 0.0], name="avg2", trainable=False)
    value = tf.placeholder(tf.float32, [2], name="value")
    up = assign_moving_average(avg, value, 0.8)
    up2 = assign_moving_average(avg2, value, 0.8, zero_debias=False)
    assert [up.name, up2.name] == want["names"]
    assert [v.name for v in tf.global_variables()] == want["global_variables"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for f, (a, a2) in zip(want["feeds"], want["seq"]):
            got, got2 = sess.run([up, up2], {value: f})
            np.testing.assert_allclose(got, a, rtol=1e-6)
            np.testing.assert_allclose(got2, a2, rtol=1e-6)


def test_shadow_starts_at_the_variable_value():
    w = tf.Variable([1.0, 2.0], name="w")
    ema = tf.train.ExponentialMovingAverage(0.5)
    ema.apply([w])
    with tf.Session() as sess:
        sess.run(w.initializer)
        sess.run(w.assign([5.0, 6.0]))
        sess.run(ema.average(w).initializer)
        np.testing.assert_allclose(sess.run(ema.average(w)), [5.0, 6.0])


def test_ema_rejects_integer_variables():
    v = tf.Variable(1, name="i")
    with pytest.raises(TypeError, match="must be half, float, or double"):
        tf.train.ExponentialMovingAverage(0.9).apply([v])


def test_ema_after_train_op():
    w = tf.Variable([1.0], name="w")
    opt = tf.train.GradientDescentOptimizer(0.5)
    train = opt.minimize(tf.reduce_sum(w * w))
    ema = tf.train.ExponentialMovingAverage(0.5)
    with tf.control_dependencies([train]):
        train_ema = ema.apply(tf.trainable_variables())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train_ema)
        np.testing.assert_allclose(sess.run(w), [0.0])
        np.testing.assert_allclose(sess.run(ema.average(w)), [0.5])
