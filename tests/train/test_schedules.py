"""Learning-rate schedules against real TensorFlow, and their use in an optimizer."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "train")
with open(os.path.join(FIXTURES, "schedules.json")) as _f:
    DATA = json.load(_f)


def _id(c):
    return "%s(%s)" % (c["fn"], ",".join("%s=%s" % kv for kv in sorted(c["kwargs"].items())))


@pytest.mark.parametrize("case", DATA["cases"], ids=_id)
def test_schedule_matches_tensorflow(case):
    step = tf.placeholder(tf.int64, [], name="step")
    lr = getattr(tf.train, case["fn"])(global_step=step, **case["kwargs"])
    assert lr.dtype.name == case["dtype"]
    if not case["name"].startswith("CosineDecay/"):  # TF leaves that one unnamed
        assert lr.name == case["name"]
    with tf.Session() as sess:
        got = [float(sess.run(lr, {step: s})) for s in DATA["steps"]]
    np.testing.assert_allclose(got, case["values"], rtol=2e-6, atol=1e-8)


@pytest.mark.parametrize("case", DATA["piecewise"], ids=lambda c: c["x_dtype"])
def test_piecewise_constant_matches_tensorflow(case):
    x = tf.placeholder(getattr(tf, case["x_dtype"]), [], name="x")
    lr = tf.train.piecewise_constant(x, case["boundaries"], case["values"])
    assert lr.dtype.name == case["dtype"]
    with tf.Session() as sess:
        got = [sess.run(lr, {x: v}).item() for v in case["xs"]]
    np.testing.assert_allclose(got, case["out"], rtol=1e-7)


def test_piecewise_constant_errors():
    with pytest.raises(ValueError) as e:
        tf.train.piecewise_constant(tf.constant(1, tf.int64), [1.0], [1, 2])
    assert str(e.value) == DATA["errors"]["boundary_dtype"]
    with pytest.raises(ValueError) as e:
        tf.train.piecewise_constant(tf.constant(1), [1, 2], [1.0, 2.0])
    assert str(e.value) == DATA["errors"]["lengths"]


def test_schedule_needs_a_global_step():
    with pytest.raises(ValueError, match="global_step is required for exponential_decay"):
        tf.train.exponential_decay(0.1, None, 10, 0.5)


def test_decayed_learning_rate_drives_an_optimizer():
    w = tf.Variable([1.0], name="w")
    step = tf.train.get_or_create_global_step()
    lr = tf.train.exponential_decay(1.0, step, decay_steps=1, decay_rate=0.5, staircase=True)
    train = tf.train.GradientDescentOptimizer(lr).minimize(tf.reduce_sum(w), global_step=step)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        seen = []
        for _ in range(3):
            seen.append(sess.run(lr))
            sess.run(train)
        np.testing.assert_allclose(seen, [1.0, 0.5, 0.25])
        np.testing.assert_allclose(sess.run(w), [1.0 - 1.75])
        assert sess.run(step) == 3


def test_noisy_linear_cosine_decay_is_near_the_noiseless_one():
    step = tf.constant(10, tf.int64)
    noisy = tf.train.noisy_linear_cosine_decay(0.1, step, 100, initial_variance=1e-6)
    clean = tf.train.linear_cosine_decay(0.1, step, 100)
    with tf.Session() as sess:
        a, b = sess.run([noisy, clean])
    assert abs(a - b) < 1e-3
    assert a != b
