"""Checks on a real GPU (skipped where JAX sees none; CI has none).

Run them on a machine with an NVIDIA GPU and JAX for CUDA: `tools/gpu_check.sh` does, together
with the XLA op suite on the GPU and the GPU benchmark. Elsewhere, tests/client/test_devices.py
covers the same paths with a simulated GPU (XLA on the CPU).
"""

import numpy as np
import pytest

jax = pytest.importorskip("jax")

import tensorflux as tf  # noqa: E402
from tensorflux.backends import devices as backend_devices  # noqa: E402
from tensorflux.backends.xla import compiler  # noqa: E402
from tensorflux.client import device_lib  # noqa: E402

pytestmark = pytest.mark.skipif(backend_devices.gpu_count() == 0, reason="JAX sees no GPU")

GPU0 = "/job:localhost/replica:0/task:0/device:GPU:0"
RNG = np.random.default_rng(7)


def _xla_runners(sess):
    out = []
    for r in sess._runners.values():
        call = r.call
        steps = getattr(call, "steps", None)
        if steps is None:
            out.append(call)
        else:
            out += [s[3] for s in steps]
    return [c for c in out if isinstance(c, compiler.PlanRunner)]


def _rel_err(got, ref):
    return float(np.linalg.norm(got - ref) / np.linalg.norm(ref))


def test_devices_tell_the_truth():
    assert tf.test.is_gpu_available()
    assert tf.test.gpu_device_name() == "/device:GPU:0"
    gpus = [d for d in device_lib.list_local_devices() if d.device_type == "GPU"]
    assert gpus and gpus[0].name == "/device:GPU:0"
    assert gpus[0].memory_limit > 1 << 30
    assert "name:" in gpus[0].physical_device_desc
    assert tf.config.experimental.list_physical_devices("GPU")[0].device_type == "GPU"


def test_ops_under_tf_device_gpu_run_on_the_gpu():
    x = tf.placeholder(tf.float32, [64, 32])
    with tf.device("/gpu:0"):
        w = tf.Variable(RNG.standard_normal((32, 16)).astype(np.float32), name="w")
        y = tf.nn.relu(tf.matmul(x, w))
        step = tf.assign_sub(w, 0.01 * tf.gradients(tf.reduce_sum(y), w)[0])
    xv = RNG.standard_normal((64, 32)).astype(np.float32)
    with tf.Session() as sess:
        sess.run(w.initializer)
        w0 = sess.run(w)
        got = sess.run(y, {x: xv})
        sess.run(step, {x: xv})
        runners = _xla_runners(sess)
        value = sess._state.variables["w"] if hasattr(sess, "_state") else None
        w1 = sess.run(w)
    np.testing.assert_allclose(got, np.maximum(xv @ w0, 0), rtol=2e-2, atol=2e-2)
    grad = xv.T @ (xv @ w0 > 0).astype(np.float32)
    np.testing.assert_allclose(w1, w0 - 0.01 * grad, rtol=2e-2, atol=2e-2)
    assert runners and all(r.mode == "xla" for r in runners)
    assert all(r._device is not None and r._device.platform == "gpu" for r in runners)
    if value is not None:  # the variable stays in GPU memory between runs
        assert {d.platform for d in value.devices()} == {"gpu"}


def test_tf32_is_the_default_and_can_be_turned_off():
    n = 1024
    a = RNG.standard_normal((n, n)).astype(np.float32)
    b = RNG.standard_normal((n, n)).astype(np.float32)
    ref = a.astype(np.float64) @ b.astype(np.float64)
    pa = tf.placeholder(tf.float32, [n, n])
    pb = tf.placeholder(tf.float32, [n, n])
    with tf.device("/gpu:0"):
        y = tf.matmul(pa, pb)
    errs = {}
    enabled = tf.config.experimental.tensor_float_32_execution_enabled()
    try:
        with tf.Session() as sess:
            for tf32 in (True, False):
                tf.config.experimental.enable_tensor_float_32_execution(tf32)
                errs[tf32] = _rel_err(sess.run(y, {pa: a, pb: b}), ref)
    finally:
        tf.config.experimental.enable_tensor_float_32_execution(enabled)
    assert errs[False] < 1e-5, errs  # full float32
    assert 1e-5 < errs[True] < 1e-2, errs  # TF32: 10-bit mantissa products


def test_conv_net_training_on_gpu_matches_numpy():
    """Three Momentum steps of a small conv net: GPU (TF32 off) against the numpy backend."""

    init = np.random.default_rng(5)
    kernel = init.normal(0, 0.3, (3, 3, 3, 8)).astype(np.float32)
    dense = init.normal(0, 0.1, (6 * 6 * 8, 5)).astype(np.float32)

    def train(device):
        g = tf.Graph()
        with g.as_default(), tf.device(device):
            # initial values from numpy: the backends' random generators differ
            x = tf.placeholder(tf.float32, [8, 12, 12, 3])
            y = tf.placeholder(tf.int64, [8])
            h = tf.layers.conv2d(x, 8, 3, padding="same", activation=tf.nn.relu,
                                 kernel_initializer=tf.constant_initializer(kernel))
            h = tf.layers.batch_normalization(h, training=True)
            h = tf.layers.max_pooling2d(h, 2, 2)
            logits = tf.layers.dense(tf.layers.flatten(h), 5,
                                     kernel_initializer=tf.constant_initializer(dense))
            loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
            with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
                op = tf.train.MomentumOptimizer(0.05, 0.9).minimize(loss)
            init = tf.global_variables_initializer()
            variables = tf.global_variables()
        rng = np.random.default_rng(0)
        xv = rng.standard_normal((8, 12, 12, 3)).astype(np.float32)
        yv = rng.integers(0, 5, 8)
        with tf.Session(graph=g) as sess:
            sess.run(init)
            losses = [sess.run([op, loss], {x: xv, y: yv})[1] for _ in range(3)]
            return losses, sess.run(variables)

    enabled = tf.config.experimental.tensor_float_32_execution_enabled()
    tf.config.experimental.enable_tensor_float_32_execution(False)
    try:
        gpu_losses, gpu_vars = train("/gpu:0")
    finally:
        tf.config.experimental.enable_tensor_float_32_execution(enabled)
    cpu_losses, cpu_vars = train("/cpu:0")
    np.testing.assert_allclose(gpu_losses, cpu_losses, rtol=1e-4, atol=1e-5)
    for a, b in zip(gpu_vars, cpu_vars):
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-4)


def test_mixed_precision_rewrite_trains_in_float16_on_gpu():
    g = tf.Graph()
    with g.as_default(), tf.device("/gpu:0"):
        x = tf.placeholder(tf.float32, [32, 16])
        y = tf.placeholder(tf.int64, [32])
        h = tf.layers.dense(x, 64, activation=tf.nn.relu)
        logits = tf.layers.dense(h, 4)
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        opt = tf.train.experimental.enable_mixed_precision_graph_rewrite(
            tf.train.GradientDescentOptimizer(0.5))
        op = opt.minimize(loss)
        init = tf.global_variables_initializer()
    rng = np.random.default_rng(1)
    xv = rng.standard_normal((32, 16)).astype(np.float32)
    yv = (xv[:, 0] > 0).astype(np.int64) + 2 * (xv[:, 1] > 0)
    with tf.Session(graph=g) as sess:
        sess.run(init)
        losses = [sess.run([op, loss], {x: xv, y: yv})[1] for _ in range(60)]
        runners = _xla_runners(sess)
        plans = [r.plan for r in runners]
    assert losses[-1] < 0.5 * losses[0], losses
    assert all(r.mode == "xla" for r in runners)
    half_matmuls = [op for p in plans for op in p.ops
                    if op.type == "MatMul" and op.inputs[0].dtype == tf.float16]
    assert half_matmuls, "the rewrite put no matmul in float16"


def test_transfers_between_cpu_and_gpu_can_be_compressed(monkeypatch):
    monkeypatch.setenv("TENSORFLUX_SENDRECV_DTYPE", "bfloat16")
    x = tf.placeholder(tf.float32, [1000])
    with tf.device("/cpu:0"):
        a = tf.sin(x)
    with tf.device("/gpu:0"):
        b = a * 3.0
    with tf.device("/cpu:0"):
        c = b + 1.0
    xv = RNG.uniform(-3, 3, 1000).astype(np.float32)
    with tf.Session() as sess:
        got = sess.run(c, {x: xv})
    want = np.sin(xv) * 3.0 + 1.0
    err = np.abs(got - want)
    assert err.max() > 0  # really went through 16 bits
    assert np.all(err <= 2 ** -8 * (np.abs(np.sin(xv) * 3.0) * 2 + 1e-30) + 1e-6)


def test_print_on_the_cpu_after_an_assignment_on_the_gpu(capsys):
    with tf.device("/gpu:0"):
        v = tf.Variable(2.0, name="v")
        inc = tf.assign_add(v, 1.0)
    with tf.control_dependencies([inc]):
        value = v.read_value()  # ordered after the assignment
    printed = tf.Print(value, [value], "v=")  # no GPU kernel: runs on the CPU
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(printed) == 3.0
        assert sess.run(v) == 3.0
    assert "v=[3]" in capsys.readouterr().err
