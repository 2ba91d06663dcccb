"""A small tf.layers model trained from `get_next()` gives the losses of the same batches fed
through feed_dict, on the numpy backend and in an XLA session (global_jit_level ON_1)."""

import numpy as np
import pytest

import tensorflux as tf

RNG = np.random.default_rng(0)
X = RNG.normal(size=(40, 5)).astype(np.float32)
Y = (X @ RNG.normal(size=(5, 3)) > 0).astype(np.float32)
BATCH, STEPS = 8, 12  # 12 steps of 8 = more than one epoch of 40: the repeat is crossed


def _model(x, y):
    init = tf.glorot_uniform_initializer(seed=1)
    h = tf.layers.dense(x, 16, activation=tf.nn.relu, kernel_initializer=init)
    logits = tf.layers.dense(h, 3, kernel_initializer=init)
    loss = tf.losses.sigmoid_cross_entropy(y, logits)
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    return loss, train


def _batches():
    order = np.concatenate([np.arange(40)] * 3)
    return [(X[order[i:i + BATCH]], Y[order[i:i + BATCH]])
            for i in range(0, BATCH * STEPS, BATCH)]


def losses_from_dataset(config=None):
    with tf.Graph().as_default():
        ds = tf.data.Dataset.from_tensor_slices((X, Y)).repeat().batch(BATCH)
        x, y = ds.make_one_shot_iterator().get_next()
        loss, train = _model(x, y)
        with tf.Session(config=config) as sess:
            sess.run(tf.global_variables_initializer())
            return [sess.run([loss, train])[0] for _ in range(STEPS)]


def losses_from_feeds(config=None):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 5])
        y = tf.placeholder(tf.float32, [None, 3])
        loss, train = _model(x, y)
        with tf.Session(config=config) as sess:
            sess.run(tf.global_variables_initializer())
            return [sess.run([loss, train], {x: bx, y: by})[0] for bx, by in _batches()]


def test_training_from_get_next_matches_feed_dict():
    want = losses_from_feeds()
    got = losses_from_dataset()
    np.testing.assert_allclose(got, want, rtol=1e-6)
    assert got[-1] < got[0]


def test_training_from_get_next_in_an_xla_session(monkeypatch):
    pytest.importorskip("jax")
    monkeypatch.setenv("TENSORFLUX_XLA_MIN_RUNS", "0")
    config = tf.ConfigProto()
    config.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
    want = losses_from_feeds(config)  # the initializer's random numbers are XLA's here
    got = losses_from_dataset(config)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert got[-1] < got[0]


def test_iterator_ops_are_placed_on_the_cpu():
    from tensorflux.client import plan as plan_lib

    with tf.Graph().as_default():
        nxt = tf.data.Dataset.range(3).make_one_shot_iterator().get_next()
        ops = plan_lib.prune([nxt], [], [])
        placed = plan_lib.place(ops, None, backend="xla")
        assert {op.type for op in ops} >= {"OneShotIterator", "IteratorGetNext"}
        assert all("CPU" in placed[op] for op in ops)


def test_training_on_a_gpu_runs_the_iterator_on_the_cpu(monkeypatch):
    # a "GPU" served by XLA on JAX's CPU device, as in tests/client/test_devices.py
    pytest.importorskip("jax")
    from tensorflux.backends import devices as backend_devices

    monkeypatch.setattr(backend_devices, "gpu_count", lambda: 1)
    monkeypatch.setenv("TENSORFLUX_XLA_MIN_RUNS", "0")
    with tf.Graph().as_default():  # the same model fed from numpy: the initializers run on XLA
        x = tf.placeholder(tf.float32, [None, 5])
        y = tf.placeholder(tf.float32, [None, 3])
        with tf.device("/gpu:0"):
            loss, train = _model(x, y)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            want = [sess.run([loss, train], {x: bx, y: by})[0] for bx, by in _batches()]
    with tf.Graph().as_default():
        ds = tf.data.Dataset.from_tensor_slices((X, Y)).repeat().batch(BATCH)
        x, y = ds.make_one_shot_iterator().get_next()
        with tf.device("/gpu:0"):
            loss, train = _model(x, y)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = [sess.run([loss, train])[0] for _ in range(STEPS)]
            segments = list(sess._runners.values())[-1].call.steps
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert got[-1] < got[0]
    kinds = {(device.rsplit("/", 1)[-1], backend) for device, _, backend, *_ in segments}
    assert kinds == {("device:CPU:0", "numpy"), ("device:GPU:0", "xla")}
