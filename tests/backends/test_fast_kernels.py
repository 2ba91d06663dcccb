"""The fast CPU kernels (oneDNN convolutions, pooling and matmul; chunked optimizer updates; the
one-multiply ReLU gradient) against the pure-numpy reference kernels they replace.

Every comparison builds one graph and runs it in two sessions, one compiled with
`TENSORFLUX_KERNELS=reference` and one with the default fast kernels, on random shapes, strides,
paddings, dilations and data formats. A spy counts the oneDNN calls, so a silent fallback to the
reference would fail the test.
"""

import os
import signal
import threading
import time

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.backends import onednn
from tensorflux.backends.numpy import jit_loops, nn_ops, training_ops
from tensorflux.backends.onednn import conv as onednn_conv
from tensorflux.backends.onednn import matmul as onednn_matmul
from tensorflux.backends.onednn import norm as onednn_norm
from tensorflux.backends.onednn import pool as onednn_pool
from tensorflux.backends.onednn import threads as onednn_threads


def test_onednn_loads():
    """The `test` extra installs oneDNN; the fast kernels are only tested where it loads."""
    assert onednn.available(), onednn.load_error()
    rt = onednn.library()
    assert rt.lib.version_info[0] == 3


@pytest.fixture
def calls(monkeypatch):
    """Counts calls of the oneDNN entry points the numpy kernels use."""
    counts = {}
    for mod, names in ((onednn_conv, ("forward", "backward_data", "backward_weights")),
                       (onednn_pool, ("forward", "max_forward_training", "max_backward")),
                       (onednn_matmul, ("matmul",))):
        for name in names:
            fn = getattr(mod, name)

            def spy(*a, _fn=fn, _key=mod.__name__.rsplit(".", 1)[1] + "." + name, **k):
                counts[_key] = counts.get(_key, 0) + 1
                return _fn(*a, **k)
            monkeypatch.setattr(mod, name, spy)
    return counts


def run_modes(monkeypatch, fetches, feeds, graph=None):
    """(fast results, reference results) of one `sess.run` in each kernel mode."""
    out = {}
    for mode in ("reference", "fast"):
        monkeypatch.setenv("TENSORFLUX_KERNELS", mode)
        with tf.Session(graph=graph or tf.get_default_graph()) as sess:
            out[mode] = sess.run(fetches, feeds)
    monkeypatch.delenv("TENSORFLUX_KERNELS")
    return out["fast"], out["reference"]


def assert_close(fast, ref, rtol=2e-5):
    for f, r in zip(fast, ref):
        assert f.shape == r.shape and f.dtype == r.dtype
        scale = max(1.0, float(np.abs(r).max())) if r.size else 1.0
        np.testing.assert_allclose(f, r, rtol=rtol, atol=rtol * scale)


def _rand(rng, *shape):
    return rng.randn(*shape).astype(np.float32)


# --- convolutions ------------------------------------------------------------------------------
def _conv_case(rng):
    n, c, o = rng.randint(1, 4), rng.randint(1, 9), rng.randint(1, 9)
    k = [rng.randint(1, 5), rng.randint(1, 5)]
    dil = [1, 1] if rng.rand() < 0.5 else [rng.randint(1, 3), rng.randint(1, 3)]
    stride = [1, 1] if dil != [1, 1] else [rng.randint(1, 4), rng.randint(1, 4)]
    size = [rng.randint((kk - 1) * d + 1, 13) for kk, d in zip(k, dil)]
    padding = ["SAME", "VALID", "EXPLICIT"][rng.randint(3)]
    fmt = "NHWC" if rng.rand() < 0.6 else "NCHW"
    return n, c, o, k, dil, stride, size, padding, fmt


@pytest.mark.parametrize("seed", range(24))
def test_conv2d_and_gradients_match_reference(monkeypatch, calls, seed):
    rng = np.random.RandomState(seed)
    n, c, o, k, dil, stride, size, padding, fmt = _conv_case(rng)
    if padding == "EXPLICIT":
        pads = [[0, 0], [rng.randint(3), rng.randint(3)], [rng.randint(3), rng.randint(3)], [0, 0]]
        if fmt == "NCHW":
            pads = [pads[0], pads[3], pads[1], pads[2]]
        padding = pads
    xs = [n] + size + [c] if fmt == "NHWC" else [n, c] + size
    x = tf.placeholder(tf.float32, xs)
    w = tf.placeholder(tf.float32, k + [c, o])
    strides = [1] + stride + [1] if fmt == "NHWC" else [1, 1] + stride
    dils = [1] + dil + [1] if fmt == "NHWC" else [1, 1] + dil
    y = tf.nn.conv2d(x, w, strides, padding, data_format=fmt, dilations=dils)
    dy = tf.placeholder(tf.float32, y.shape)
    dx, dw = tf.gradients(y, [x, w], grad_ys=dy)
    xv, wv = _rand(rng, *xs), _rand(rng, *(k + [c, o]))
    dyv = _rand(rng, *y.shape.as_list())
    fast, ref = run_modes(monkeypatch, [y, dx, dw], {x: xv, w: wv, dy: dyv})
    assert_close(fast, ref)
    assert calls == {"conv.forward": 1, "conv.backward_data": 1, "conv.backward_weights": 1}


def test_conv2d_nchw_output_is_contiguous(monkeypatch, calls):
    rng = np.random.RandomState(0)
    x = tf.placeholder(tf.float32, [2, 3, 9, 7])
    w = tf.constant(_rand(rng, 3, 3, 3, 5))
    y = tf.nn.conv2d(x, w, [1, 1, 2, 2], "SAME", data_format="NCHW")
    fast, ref = run_modes(monkeypatch, [y], {x: _rand(rng, 2, 3, 9, 7)})
    assert_close(fast, ref)
    assert fast[0].flags.c_contiguous and calls["conv.forward"] == 1


def test_conv2d_reads_strided_inputs_in_place(monkeypatch, calls):
    """A transposed/sliced input (a non-contiguous view) is read where it lies."""
    rng = np.random.RandomState(1)
    a = tf.placeholder(tf.float32, [8, 11, 3, 4])
    x = tf.transpose(a, [3, 0, 1, 2])[:, 1:7]  # [4, 6, 11, 3], non-contiguous
    w = tf.constant(_rand(rng, 2, 3, 3, 6))
    y = tf.nn.conv2d(x, w, [1, 1, 1, 1], "VALID")
    fast, ref = run_modes(monkeypatch, [y], {a: _rand(rng, 8, 11, 3, 4)})
    assert_close(fast, ref)
    assert calls["conv.forward"] == 1


def test_cnn_layer_shapes(monkeypatch, calls):
    """The deck's CNN layers (5x5 SAME, 1 and 32 input channels) and their gradients."""
    rng = np.random.RandomState(2)
    x = tf.placeholder(tf.float32, [4, 28, 28, 1])
    w1 = tf.constant(_rand(rng, 5, 5, 1, 32) * 0.2)
    w2 = tf.constant(_rand(rng, 5, 5, 32, 64) * 0.05)
    h = tf.nn.max_pool(tf.nn.relu(tf.nn.conv2d(x, w1, [1, 1, 1, 1], "SAME")), [1, 2, 2, 1],
                       [1, 2, 2, 1], "VALID")
    y = tf.nn.max_pool(tf.nn.relu(tf.nn.conv2d(h, w2, [1, 1, 1, 1], "SAME")), [1, 2, 2, 1],
                       [1, 2, 2, 1], "VALID")
    loss = tf.reduce_sum(y * y)
    grads = tf.gradients(loss, [x, w1, w2])
    fast, ref = run_modes(monkeypatch, [y] + grads, {x: _rand(rng, 4, 28, 28, 1)})
    assert_close(fast, ref, rtol=1e-4)
    assert calls["conv.forward"] == 2 and calls["pool.max_backward"] == 2


@pytest.mark.parametrize("seed", range(6))
def test_conv3d_and_gradients_match_reference(monkeypatch, calls, seed):
    rng = np.random.RandomState(100 + seed)
    n, c, o = rng.randint(1, 3), rng.randint(1, 5), rng.randint(1, 5)
    k = [rng.randint(1, 4) for _ in range(3)]
    stride = [rng.randint(1, 3) for _ in range(3)]
    size = [rng.randint(kk, 8) for kk in k]
    padding = "SAME" if seed % 2 else "VALID"
    x = tf.placeholder(tf.float32, [n] + size + [c])
    w = tf.placeholder(tf.float32, k + [c, o])
    y = tf.nn.conv3d(x, w, [1] + stride + [1], padding)
    dy = tf.placeholder(tf.float32, y.shape)
    dx, dw = tf.gradients(y, [x, w], grad_ys=dy)
    feeds = {x: _rand(rng, n, *size, c), w: _rand(rng, *k, c, o),
             dy: _rand(rng, *y.shape.as_list())}
    fast, ref = run_modes(monkeypatch, [y, dx, dw], feeds)
    assert_close(fast, ref)
    assert calls["conv.forward"] == 1 and calls["conv.backward_weights"] == 1


def test_conv2d_errors_are_the_references(monkeypatch):
    x = tf.placeholder(tf.float32, [1, 5, 5, None])
    w = tf.placeholder(tf.float32, [3, 3, 2, 4])
    y = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")
    for mode in ("reference", "fast"):
        monkeypatch.setenv("TENSORFLUX_KERNELS", mode)
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="input depth"):
                sess.run(y, {x: np.zeros([1, 5, 5, 3], np.float32),
                             w: np.zeros([3, 3, 2, 4], np.float32)})


def test_float64_and_float16_use_the_reference(monkeypatch, calls):
    rng = np.random.RandomState(3)
    for dt in (tf.float64, tf.float16):
        x = tf.placeholder(dt, [1, 6, 6, 2])
        w = tf.constant(rng.randn(3, 3, 2, 3), dt)
        y = tf.nn.max_pool(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"), [1, 2, 2, 1],
                           [1, 2, 2, 1], "SAME")
        fast, ref = run_modes(monkeypatch, [y], {x: rng.randn(1, 6, 6, 2)})
        np.testing.assert_array_equal(fast[0], ref[0])
        assert fast[0].dtype == dt.as_numpy_dtype
    assert calls == {}


# --- pooling -----------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(20))
def test_pooling_and_max_pool_grad_match_reference(monkeypatch, calls, seed):
    rng = np.random.RandomState(200 + seed)
    n, c = rng.randint(1, 4), rng.randint(1, 10)
    k = [rng.randint(1, 4), rng.randint(1, 4)]
    stride = [rng.randint(1, 4), rng.randint(1, 4)]
    size = [rng.randint(kk, 12) for kk in k]
    padding = "SAME" if rng.rand() < 0.5 else "VALID"
    fmt = "NHWC" if rng.rand() < 0.6 else "NCHW"
    xs = [n] + size + [c] if fmt == "NHWC" else [n, c] + size
    ks = [1] + k + [1] if fmt == "NHWC" else [1, 1] + k
    ss = [1] + stride + [1] if fmt == "NHWC" else [1, 1] + stride
    x = tf.placeholder(tf.float32, xs)
    mp = tf.nn.max_pool(x, ks, ss, padding, data_format=fmt)
    ap = tf.nn.avg_pool(x, ks, ss, padding, data_format=fmt)
    dy = tf.placeholder(tf.float32, mp.shape)
    dx = tf.gradients(mp, x, grad_ys=dy)[0]
    # Small integers: many ties, which must go to each window's first maximum, as TF does.
    xv = rng.randint(-3, 4, size=xs).astype(np.float32)
    feeds = {x: xv, dy: _rand(rng, *mp.shape.as_list())}
    workspaces = []
    bwd = onednn_pool.max_backward
    monkeypatch.setattr(onednn_pool, "max_backward",
                        lambda *a: workspaces.append(a[-1] is not None) or bwd(*a))
    fast, ref = run_modes(monkeypatch, [mp, ap, dx], feeds)
    assert_close(fast, ref)
    assert calls == {"pool.forward": 1, "pool.max_forward_training": 1, "pool.max_backward": 1}
    assert workspaces == [True]  # the gradient reused the forward pass's argmax


def test_max_pool_grad_of_other_arrays_recomputes_the_argmax(monkeypatch):
    """A MaxPoolGrad fed with arrays that are not its MaxPool's last input and output."""
    rng = np.random.RandomState(14)
    x = tf.placeholder(tf.float32, [2, 6, 6, 3])
    y = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    dx = tf.gradients(y, x)[0]
    xv = rng.randint(-3, 4, size=[2, 6, 6, 3]).astype(np.float32)
    x2 = rng.randint(-3, 4, size=[2, 6, 6, 3]).astype(np.float32)
    for mode in ("reference", "fast"):
        monkeypatch.setenv("TENSORFLUX_KERNELS", mode)
        with tf.Session() as sess:
            yv = sess.run(y, {x: xv})
            got = sess.run(dx, {x: x2, y: yv})  # y fed: the forward is not run
            want = sess.run(dx, {x: x2})
            np.testing.assert_array_equal(got, want)


def test_pool3d_matches_reference(monkeypatch, calls):
    rng = np.random.RandomState(4)
    x = tf.placeholder(tf.float32, [2, 5, 6, 7, 3])
    mp = tf.nn.max_pool3d(x, [1, 2, 2, 2, 1], [1, 2, 1, 2, 1], "SAME")
    ap = tf.nn.avg_pool3d(x, [1, 3, 2, 2, 1], [1, 1, 2, 2, 1], "VALID")
    dx = tf.gradients(mp, x)[0]
    fast, ref = run_modes(monkeypatch, [mp, ap, dx],
                          {x: rng.randint(-2, 3, size=[2, 5, 6, 7, 3]).astype(np.float32)})
    assert_close(fast, ref)
    assert calls["pool.forward"] == 1 and calls["pool.max_forward_training"] == 1
    assert calls["pool.max_backward"] == 1


def test_max_pool_ignores_nan_as_tensorflow_does(monkeypatch):
    """A documented difference: oneDNN (like TF's CPU kernel) skips NaN in a max window."""
    x = np.arange(1, 33, dtype=np.float32).reshape(1, 4, 4, 2)
    x[0, 1, 1, :] = np.nan
    y = tf.nn.max_pool(tf.constant(x), [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    fast, ref = run_modes(monkeypatch, [y], {})
    assert fast[0][0, 0, 0, 0] == 9.0  # what TF 2.21 returns
    assert np.isnan(ref[0][0, 0, 0, 0])


# --- matmul, ReLU gradient ---------------------------------------------------------------------
@pytest.mark.parametrize("ta,tb", [(False, False), (True, False), (False, True), (True, True)])
def test_matmul_matches_reference(monkeypatch, calls, ta, tb):
    rng = np.random.RandomState(5)
    m, k, n = 37, 300, 129
    a = tf.placeholder(tf.float32, [k, m] if ta else [m, k])
    b = tf.placeholder(tf.float32, [n, k] if tb else [k, n])
    c = tf.matmul(a, b, transpose_a=ta, transpose_b=tb)
    feeds = {a: _rand(rng, *a.shape.as_list()), b: _rand(rng, *b.shape.as_list())}
    fast, ref = run_modes(monkeypatch, [c], feeds)
    assert_close(fast, ref)
    assert calls == {"matmul.matmul": 1}


def test_relu_grad_matches_reference_on_finite_gradients(monkeypatch):
    rng = np.random.RandomState(6)
    x = tf.placeholder(tf.float32, [50, 7])
    g = tf.placeholder(tf.float32, [50, 7])
    dx = tf.gradients(tf.nn.relu(x), x, grad_ys=g)[0]
    xv = _rand(rng, 50, 7)
    xv[0, :3] = [0.0, -0.0, np.nan]
    fast, ref = run_modes(monkeypatch, [dx], {x: xv, g: _rand(rng, 50, 7)})
    np.testing.assert_array_equal(fast[0], ref[0])


# --- optimizer updates -------------------------------------------------------------------------
def _train_graph(opt_fn, seed=7):
    rng = np.random.RandomState(seed)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(seed)
        x = tf.placeholder(tf.float32, [16, 12])
        w = tf.Variable(rng.randn(12, 5).astype(np.float32), name="w")
        b = tf.Variable(np.zeros(5, np.float32), name="b")
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b))
        train = opt_fn().minimize(loss)
        init = tf.global_variables_initializer()
    return g, x, w, b, train, init, rng.randn(16, 12).astype(np.float32)


@pytest.mark.parametrize("opt_fn", [
    lambda: tf.train.AdamOptimizer(0.01),
    lambda: tf.train.MomentumOptimizer(0.05, 0.9),
    lambda: tf.train.MomentumOptimizer(0.05, 0.9, use_nesterov=True),
    lambda: tf.train.GradientDescentOptimizer(0.1),
], ids=["adam", "momentum", "nesterov", "sgd"])
@pytest.mark.parametrize("split", ["whole", "threads", "compiled"])
def test_optimizer_updates_are_bitwise_the_references(monkeypatch, opt_fn, split):
    used = []
    if split != "whole":  # tiny chunks, every update split across threads
        monkeypatch.setattr(training_ops, "_CHUNK", 7)
        monkeypatch.setattr(training_ops, "_PARALLEL_MIN", 1)
        monkeypatch.setattr(onednn_threads, "workers", lambda: 3)
    if split == "compiled":  # every update one compiled loop per thread (jit_loops)
        for rule in jit_loops._PYTHON:
            assert jit_loops.loop(rule, np.float32, wait=True) is not None
        monkeypatch.setattr(training_ops, "_JIT_MIN", 1)
        run_compiled = training_ops._run_compiled

        def spy(*a):
            used.append(run_compiled(*a))
            return used[-1]
        monkeypatch.setattr(training_ops, "_run_compiled", spy)
    g, x, w, b, train, init, xv = _train_graph(opt_fn)
    results = {}
    for mode in ("reference", "fast"):
        monkeypatch.setenv("TENSORFLUX_KERNELS", mode)
        with tf.Session(graph=g) as sess:
            sess.run(init)
            for _ in range(5):
                sess.run(train, {x: xv})
            results[mode] = sess.run([w, b] + list(g.get_collection("variables")))
    for f, r in zip(results["fast"], results["reference"]):
        np.testing.assert_array_equal(f, r)
    assert all(used) and len(used) == (10 if split == "compiled" else 0)


@pytest.mark.parametrize("op_type", ["ApplyGradientDescent", "ApplyMomentum", "ApplyAdam"])
def test_scalar_variable_updates_take_zero_dim_arrays(monkeypatch, op_type):
    """A 0-d gradient array (what a distributed task receives for a scalar variable) takes
    the reference rule: the fast rules slice their arrays."""
    monkeypatch.setenv("TENSORFLUX_KERNELS", "fast")
    opt = {"ApplyGradientDescent": tf.train.GradientDescentOptimizer(0.1),
           "ApplyMomentum": tf.train.MomentumOptimizer(0.1, 0.9),
           "ApplyAdam": tf.train.AdamOptimizer(0.1)}[op_type]
    with tf.Graph().as_default():
        v = tf.Variable(2.0, name="v")
        g = tf.placeholder(tf.float32, [])
        train = opt.apply_gradients([(g, v)])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train, {g: np.array(1.0, np.float32)})
            got = sess.run(v)
    assert got == np.float32(1.9) if op_type != "ApplyAdam" else abs(got - 1.9) < 1e-6


def test_numba_compiles_every_optimizer_loop():
    """The `test` extra installs numba (the `fast` extra's single-pass optimizer updates)."""
    for rule in jit_loops._PYTHON:
        for dtype in (np.float32, np.float64):
            assert jit_loops.loop(rule, dtype, wait=True) is not None, (rule, dtype)


def test_compiled_updates_take_read_only_inputs_and_float64(monkeypatch):
    """Large updates (not shrunk thresholds) of both dtypes, gradients that are read-only
    arrays, split across threads: bitwise the reference rule, and the variable changes."""
    rng = np.random.RandomState(5)
    n = 3 * training_ops._JIT_MIN + 5
    cases = [(np.float32, tf.train.AdamOptimizer(0.01)),
             (np.float64, tf.train.MomentumOptimizer(0.05, 0.9, use_nesterov=True))]
    for dtype, opt in cases:
        for rule in ("adam", "momentum_nesterov"):
            jit_loops.loop(rule, dtype, wait=True)
        g = tf.Graph()
        with g.as_default():
            v = tf.Variable(rng.randn(n).astype(dtype))
            grad = tf.placeholder(dtype, [n])
            train = opt.apply_gradients([(grad, v)])
            init = tf.global_variables_initializer()
        gv = rng.randn(n).astype(dtype)
        gv.setflags(write=False)
        out = {}
        for mode in ("reference", "fast"):
            monkeypatch.setenv("TENSORFLUX_KERNELS", mode)
            with tf.Session(graph=g) as sess:
                sess.run(init)
                start = sess.run(v)
                for _ in range(3):
                    sess.run(train, {grad: gv})
                out[mode] = sess.run(v)
        np.testing.assert_array_equal(out["fast"], out["reference"])
        assert out["fast"].dtype == dtype and not np.array_equal(out["fast"], start)


def test_first_request_for_a_loop_compiles_in_the_background(monkeypatch):
    monkeypatch.setattr(jit_loops, "_STATE", {})
    assert jit_loops.loop("gradient_descent", np.float32) is None  # compiling: numpy path
    fn = jit_loops.loop("gradient_descent", np.float32, wait=True)
    assert fn is not None and jit_loops.loop("gradient_descent", np.float32) is fn
    var = np.arange(4, dtype=np.float32)
    delta = np.ones(4, np.float32)
    out = np.empty(4, np.float32)
    fn(var, delta, np.float32(0.5), out)
    np.testing.assert_array_equal(out, var - np.float32(0.5) * delta)


def test_optimizer_reuses_buffers_without_touching_fetched_values(monkeypatch):
    monkeypatch.setenv("TENSORFLUX_KERNELS", "fast")
    g, x, w, b, train, init, xv = _train_graph(lambda: tf.train.AdamOptimizer(0.1))
    with tf.Session(graph=g) as sess:
        sess.run(init)
        kept = []
        for _ in range(6):
            before, _ = sess.run([w, train], {x: xv})  # w read before the update, same run
            kept.append((before, before.copy()))
        for arr, copy in kept:  # no later update wrote into an array the user holds
            np.testing.assert_array_equal(arr, copy)
        values = [v for v in sess._state.variables.values()]
        spares = sess._state.resources[training_ops._SPARES]
        assert spares.spare, "the optimizer never kept a spare buffer"
        assert all(not any(s is v for v in values) for s in spares.spare.values())


def test_spare_buffer_held_elsewhere_is_not_reused():
    state = type("S", (), {})()
    state.resources = {}
    sp = training_ops._spares(state)
    a, b = np.zeros(4, np.float32), np.ones(4, np.float32)
    sp.stored("k", None, a)
    sp.stored("k", a, b)  # a is now the spare
    view = a[1:]  # someone still looks at a
    c = sp.take("k", b)
    assert c is not a and view.base is a
    del view
    sp.stored("k", b, c)  # b becomes the spare; nobody else holds it
    b_id = id(b)
    del b
    assert id(sp.take("k", c)) == b_id


def test_failed_run_restores_variables_after_a_fast_update(monkeypatch):
    monkeypatch.setenv("TENSORFLUX_KERNELS", "fast")
    g, x, w, b, train, init, xv = _train_graph(lambda: tf.train.AdamOptimizer(0.1))
    with g.as_default():
        with tf.control_dependencies([train]):
            bad = tf.debugging.check_numerics(tf.log(tf.constant(-1.0)), "boom")
    with tf.Session(graph=g) as sess:
        sess.run(init)
        for _ in range(3):  # spares exist now
            sess.run(train, {x: xv})
        w0 = sess.run(w)
        for _ in range(3):
            with pytest.raises(tf.errors.InvalidArgumentError):
                sess.run(bad, {x: xv})
            np.testing.assert_array_equal(sess.run(w), w0)
        sess.run(train, {x: xv})
        assert not np.array_equal(sess.run(w), w0)


# --- switches, threads -------------------------------------------------------------------------
def test_reference_mode_switches_everything_off(monkeypatch, calls):
    monkeypatch.setenv("TENSORFLUX_KERNELS", "reference")
    assert onednn.runtime() is None
    x = tf.constant(np.ones([1, 4, 4, 1], np.float32))
    y = tf.nn.max_pool(tf.nn.conv2d(x, tf.ones([2, 2, 1, 1]), [1, 1, 1, 1], "SAME"),
                       [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    with tf.Session() as sess:
        sess.run(tf.matmul(tf.reshape(y, [1, 4]), tf.ones([4, 2])))
    assert calls == {}


def test_unknown_kernels_mode_is_an_error(monkeypatch):
    monkeypatch.setenv("TENSORFLUX_KERNELS", "fastest")
    with pytest.raises(ValueError, match="TENSORFLUX_KERNELS"):
        onednn.kernels_mode()


@pytest.mark.parametrize("split", [False, True], ids=["whole", "threads"])
def test_concurrent_sessions_get_the_same_results(monkeypatch, split):
    if split:  # every elementwise fast path split across the shared pool, from 3 threads
        monkeypatch.setattr(nn_ops, "_CHUNK", 256)
        monkeypatch.setattr(nn_ops, "_PARALLEL_MIN", 1)
        monkeypatch.setattr(onednn_threads, "workers", lambda: 3)
    rng = np.random.RandomState(8)
    x = tf.placeholder(tf.float32, [4, 16, 16, 8])
    w = tf.constant(_rand(rng, 3, 3, 8, 16))
    y = tf.nn.max_pool(tf.nn.relu(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")), [1, 2, 2, 1],
                       [1, 2, 2, 1], "SAME")
    dx = tf.gradients(y, x)[0]
    xv = _rand(rng, 4, 16, 16, 8)
    with tf.Session() as sess:
        want = sess.run(dx, {x: xv})
        errors = []

        def work():
            for _ in range(5):
                if not np.array_equal(sess.run(dx, {x: xv}), want):
                    errors.append("mismatch")

        threads = [threading.Thread(target=work) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors


# --- batch normalization -----------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["NHWC", "NCHW"])
def test_inference_batch_norm_matches_reference(monkeypatch, fmt):
    rng = np.random.RandomState(9)
    shape = [3, 5, 6, 7] if fmt == "NHWC" else [3, 7, 5, 6]
    x = tf.placeholder(tf.float32, shape)
    scale, offset = tf.constant(_rand(rng, 7)), tf.constant(_rand(rng, 7))
    mean, var = tf.constant(_rand(rng, 7)), tf.constant(np.abs(_rand(rng, 7)) + 0.1)
    y = tf.nn.fused_batch_norm(x, scale, offset, mean, var, epsilon=1e-3, data_format=fmt,
                               is_training=False)
    calls = []
    monkeypatch.setattr(onednn_norm, "batch_norm_inference",
                        lambda *a, _f=onednn_norm.batch_norm_inference: calls.append(1) or _f(*a))
    fast, ref = run_modes(monkeypatch, list(y), {x: _rand(rng, *shape)})
    assert_close(fast, ref)
    assert calls == [1] and fast[0].flags.c_contiguous


@pytest.mark.parametrize("fmt,factor", [("NHWC", 1.0), ("NCHW", 1.0), ("NHWC", 0.25),
                                        ("NDHWC", 1.0)])
def test_training_batch_norm_and_its_gradient_match_reference(monkeypatch, fmt, factor):
    rng = np.random.RandomState(19)
    shape = {"NHWC": [4, 5, 6, 7], "NCHW": [4, 7, 5, 6], "NDHWC": [2, 3, 4, 5, 7]}[fmt]
    x = tf.placeholder(tf.float32, shape)
    scale, offset = tf.constant(_rand(rng, 7)), tf.constant(_rand(rng, 7))
    mean, var = tf.constant(_rand(rng, 7)), tf.constant(np.abs(_rand(rng, 7)) + 0.1)
    outs = tf.nn.fused_batch_norm(x, scale, offset, mean=mean, variance=var, epsilon=1e-3,
                                  data_format=fmt, is_training=True,
                                  exponential_avg_factor=factor)
    y = outs[0]
    loss = tf.reduce_sum(y * tf.constant(_rand(rng, *shape)))
    grads = tf.gradients(loss, [x, scale, offset])
    seen = []
    for name in ("batch_norm_training", "batch_norm_backward"):
        monkeypatch.setattr(onednn_norm, name,
                            lambda *a, _f=getattr(onednn_norm, name), _n=name, **k:
                            seen.append(_n) or _f(*a, **k))
    xv = (_rand(rng, *shape) * 3 + 2).astype(np.float32)
    fast, ref = run_modes(monkeypatch, list(outs[:3]) + grads, {x: xv})
    assert_close(fast, ref, rtol=1e-4)
    assert sorted(seen) == ["batch_norm_backward", "batch_norm_training"]


@pytest.mark.parametrize("shape", [[100, 10], [7, 5, 6, 13], [2, 3, 4, 5, 6]])
def test_bias_add_grad_matches_reference(monkeypatch, calls, shape):
    rng = np.random.RandomState(10)
    x = tf.placeholder(tf.float32, shape)
    b = tf.constant(_rand(rng, shape[-1]))
    g = tf.placeholder(tf.float32, shape)
    db = tf.gradients(tf.nn.bias_add(x, b), b, grad_ys=g)[0]
    fast, ref = run_modes(monkeypatch, [db], {x: _rand(rng, *shape), g: _rand(rng, *shape)})
    assert_close(fast, ref)
    assert calls == {"matmul.matmul": 1}


# --- fused conv/matmul + bias (+ activation), as the fusion pass makes them ----------------------
@pytest.mark.parametrize("fmt,bias_kind", [("NHWC", "bias_add"), ("NCHW", "bias_add"),
                                           ("NHWC", "add"), ("NHWC", "add_first")])
def test_fused_conv_bias_relu_matches_reference(monkeypatch, fmt, bias_kind):
    rng = np.random.RandomState(11)
    shape = [2, 9, 8, 3] if fmt == "NHWC" else [2, 3, 9, 8]
    x = tf.placeholder(tf.float32, shape)
    w = tf.constant(_rand(rng, 3, 3, 3, 5))
    b = tf.constant(_rand(rng, 5))
    strides = [1, 2, 1, 1] if fmt == "NHWC" else [1, 1, 2, 1]
    y = tf.nn.conv2d(x, w, strides, "SAME", data_format=fmt)
    if bias_kind == "bias_add":
        y = tf.nn.bias_add(y, b, data_format=fmt)
    else:
        y = y + b if bias_kind == "add" else b + y
    out = tf.nn.relu(y)
    biases = []
    fwd = onednn_conv.forward
    monkeypatch.setattr(onednn_conv, "forward", lambda *a, **kw: biases.append(
        a[6] if len(a) > 6 else None) or fwd(*a, **kw))
    fast, ref = run_modes(monkeypatch, [out], {x: _rand(rng, *shape)})
    assert_close(fast, ref)
    assert fast[0].flags.c_contiguous
    assert len(biases) == 1 and biases[0] is not None  # the bias went into the primitive


def test_fused_matmul_bias_matches_reference(monkeypatch):
    rng = np.random.RandomState(12)
    a = tf.placeholder(tf.float32, [20, 30])
    w = tf.constant(_rand(rng, 40, 30))
    b = tf.constant(_rand(rng, 40))
    out = tf.nn.relu(tf.nn.bias_add(tf.matmul(a, w, transpose_b=True), b))
    biases = []
    mm = onednn_matmul.matmul
    monkeypatch.setattr(onednn_matmul, "matmul",
                        lambda *a: biases.append(a[3] if len(a) > 3 else None) or mm(*a))
    fast, ref = run_modes(monkeypatch, [out], {a: _rand(rng, 20, 30)})
    assert_close(fast, ref)
    assert len(biases) == 1 and biases[0] is not None


def test_threaded_relu_and_relu_grad_match_reference(monkeypatch):
    monkeypatch.setattr(nn_ops, "_CHUNK", 64)
    monkeypatch.setattr(nn_ops, "_PARALLEL_MIN", 1)
    monkeypatch.setattr(onednn_threads, "workers", lambda: 3)
    rng = np.random.RandomState(13)
    x = tf.placeholder(tf.float32, [3, 10, 11, 4])
    w = tf.constant(_rand(rng, 2, 2, 4, 6))
    b = tf.constant(_rand(rng, 6))
    y = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"), b))
    g = tf.placeholder(tf.float32, y.shape)
    dx = tf.gradients(y, x, grad_ys=g)[0]
    xv = _rand(rng, 3, 10, 11, 4)
    xv[0, 0, 0, 0] = np.nan
    y2 = tf.nn.relu(x)  # not fused
    fast, ref = run_modes(monkeypatch, [y, dx, y2],
                          {x: xv, g: _rand(rng, *y.shape.as_list())})
    np.testing.assert_array_equal(fast[2], ref[2])
    assert np.isnan(fast[0]).sum() == np.isnan(ref[0]).sum() > 0  # NaN survives the ReLU
    np.testing.assert_allclose(np.nan_to_num(fast[0]), np.nan_to_num(ref[0]), rtol=2e-5,
                               atol=1e-4)
    assert_close(fast[1:], ref[1:])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_child_falls_back_to_numpy_instead_of_hanging():
    """GNU OpenMP hangs in a child forked after the parent ran parallel regions."""
    rng = np.random.RandomState(15)
    x = tf.placeholder(tf.float32, [4, 12, 12, 8])
    y = tf.nn.conv2d(x, tf.constant(_rand(rng, 3, 3, 8, 8)), [1, 1, 1, 1], "SAME")
    xv = _rand(rng, 4, 12, 12, 8)
    with tf.Session() as sess:
        want = sess.run(y, {x: xv})
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: must finish (the parent waits with a time limit)
            os.close(r)
            try:
                ok = np.allclose(sess.run(y, {x: xv}), want, rtol=1e-5, atol=1e-4)
                os.write(w, b"ok" if ok else b"mismatch")
            finally:
                os._exit(0)
        os.close(w)
        deadline = time.time() + 60
        while time.time() < deadline:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.05)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        result = os.read(r, 16)
        os.close(r)
    assert result == b"ok"


# --- the interpreter's buffer reuse (donated inputs) -------------------------------------------
@pytest.fixture
def donations(monkeypatch):
    """Counts the kernels that ran on a donated input."""
    seen = []
    for fn in (nn_ops.fast_relu, nn_ops.fast_relu_grad):
        inner = fn.donated
        monkeypatch.setattr(fn, "donated", lambda *a, _i=inner: seen.append(1) or _i(*a))
    return seen


def test_relu_reuses_its_dead_input(monkeypatch, donations):
    monkeypatch.setenv("TENSORFLUX_KERNELS", "fast")
    rng = np.random.RandomState(16)
    w = _rand(rng, 5, 6)
    x = tf.placeholder(tf.float32, [4, 5])
    y = tf.nn.relu(tf.matmul(x, tf.constant(w)))
    xv = _rand(rng, 4, 5)
    with tf.Session() as sess:
        got = sess.run(y, {x: xv})
    np.testing.assert_allclose(got, np.maximum(xv @ w, 0), rtol=1e-5, atol=1e-5)
    assert donations == [1]


def test_inputs_still_in_use_are_never_overwritten(monkeypatch, donations):
    monkeypatch.setenv("TENSORFLUX_KERNELS", "fast")
    rng = np.random.RandomState(17)
    x = tf.placeholder(tf.float32, [4, 5])
    v = tf.Variable(_rand(rng, 4, 5))
    h = tf.matmul(x, tf.constant(_rand(rng, 5, 5)))
    alias = tf.identity(h)  # the same array in a second slot
    fetched = tf.matmul(x, tf.constant(_rand(rng, 5, 5)))
    twice = tf.matmul(x, tf.constant(_rand(rng, 5, 5)))
    outs = [tf.nn.relu(x), tf.nn.relu(v), tf.nn.relu(h), alias, tf.nn.relu(fetched), fetched,
            tf.nn.relu(twice), twice * 2.0]
    xv = _rand(rng, 4, 5)
    keep = xv.copy()
    with tf.Session() as sess:
        sess.run(v.initializer)
        v0 = sess.run(v)
        r = sess.run(outs, {x: xv})
        np.testing.assert_array_equal(xv, keep)  # the user's fed array
        np.testing.assert_array_equal(sess.run(v), v0)  # the variable
        np.testing.assert_array_equal(r[0], np.maximum(xv, 0))
        np.testing.assert_array_equal(r[2], np.maximum(r[3], 0))  # alias kept its values
        assert (r[3] < 0).any()
        np.testing.assert_array_equal(r[4], np.maximum(r[5], 0))  # fetched kept its values
        assert (r[5] < 0).any()
        np.testing.assert_allclose(r[7], 2 * np.maximum(r[7] / 2, -np.inf))
        assert (r[7] < 0).any()  # `twice` was read again after its Relu
    assert donations == []


def test_inference_batch_norm_and_relu_chain_runs_in_place(monkeypatch, donations):
    rng = np.random.RandomState(18)
    x = tf.placeholder(tf.float32, [2, 6, 6, 3])
    h = tf.nn.conv2d(x, tf.constant(_rand(rng, 3, 3, 3, 8)), [1, 1, 1, 1], "SAME")
    h = tf.nn.elu(h)  # not a convolution: the batch norm is not folded into one
    c = [tf.constant(_rand(rng, 8)) for _ in range(3)] + [tf.constant(np.abs(_rand(rng, 8)))]
    h = tf.nn.fused_batch_norm(h, c[0], c[1], c[2], c[3], is_training=False)[0]
    y = tf.nn.relu(h)
    dx = tf.gradients(tf.reduce_sum(y * y), x)[0]
    in_place = []
    bn = onednn_norm.batch_norm_inference
    monkeypatch.setattr(onednn_norm, "batch_norm_inference",
                        lambda *a: in_place.append(a[-1]) or bn(*a))
    fast, ref = run_modes(monkeypatch, [y, dx], {x: _rand(rng, 2, 6, 6, 3)})
    assert_close(fast, ref)
    assert len(donations) >= 1
    fast, ref = run_modes(monkeypatch, [y], {x: _rand(rng, 2, 6, 6, 3)})  # forward only
    assert_close(fast, ref)
    assert in_place == [False, True]  # with gradients the elu output is still needed


def test_one_core_gives_a_thread_its_own_single_threaded_primitives():
    from tensorflux.backends.onednn import primitives, threads

    rt = onednn.runtime()
    if rt is None or not primitives.one_core_available():
        pytest.skip("needs oneDNN with GNU OpenMP")
    gomp = primitives._gomp()
    before = gomp.omp_get_max_threads()
    x = np.random.RandomState(0).rand(4, 8, 8, 3).astype(np.float32)
    w = np.random.RandomState(1).rand(3, 3, 3, 5).astype(np.float32)
    geom = ((1, 1), (1, 1), ((1, 1), (1, 1)))
    want = onednn_conv.forward(rt, x, w, geom, (4, 8, 8, 5), False)
    n = len(rt.cache)
    with primitives.one_core():
        assert primitives.on_one_core() and threads.workers() == 1
        assert gomp.omp_get_max_threads() == 1
        with primitives.one_core():  # nests
            got = onednn_conv.forward(rt, x, w, geom, (4, 8, 8, 5), False)
        assert primitives.on_one_core()
    assert not primitives.on_one_core() and gomp.omp_get_max_threads() == before
    assert len(rt.cache) == n + 1  # a primitive of its own
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_read_only_weights_are_reordered_once_each(monkeypatch):
    """One cached primitive serves every layer of its shapes: each read-only filter keeps its
    own reordered copy (reordered on first use only), a writeable one is reordered on every
    call, and a copy goes when its filter does."""
    import gc

    from tensorflux.backends.onednn import primitives

    rt = onednn.runtime()
    rng = np.random.RandomState(3)
    x = rng.rand(2, 6, 6, 16).astype(np.float32)
    geom = ((1, 1), (1, 1), ((1, 1), (1, 1)))
    filters = [rng.rand(3, 3, 16, 32).astype(np.float32) - 0.5 for _ in range(3)]
    want = [onednn_conv.forward(rt, x, w.copy(), geom, (2, 6, 6, 32), False) for w in filters]
    for w in filters:
        w.setflags(write=False)
    count = [0]
    reorder = primitives._reorder

    def spy(*a):
        count[0] += 1
        return reorder(*a)
    monkeypatch.setattr(primitives, "_reorder", spy)
    for _ in range(3):
        for w, y in zip(filters, want):
            np.testing.assert_array_equal(
                onednn_conv.forward(rt, x, w, geom, (2, 6, 6, 32), False), y)
    assert count[0] == 3  # once per filter, not once per call
    live = onednn_conv.forward(rt, x, filters[0].copy(), geom, (2, 6, 6, 32), False)
    np.testing.assert_array_equal(live, want[0])
    assert count[0] == 4  # a writeable filter is reordered each time
    prims = [p for p in rt.cache.values() if getattr(p, "_reordered", None)]
    ours = [(p, k) for p in prims for k, (ref, _) in p._reordered.items()
            if any(ref() is w for w in filters)]
    assert len(ours) == 3
    del filters, w
    gc.collect()
    assert not any(k in p._reordered for p, k in ours)
    assert all(ref() is not None for p in prims for ref, _ in p._reordered.values())


@pytest.mark.parametrize("seed", range(10))
def test_depthwise_conv_and_gradients_match_reference(monkeypatch, seed):
    """Depthwise convolutions run as oneDNN grouped convolutions (one group per channel, the
    `[KH, KW, C, M]` filter read in place), forward and both gradients."""
    rng = np.random.RandomState(100 + seed)
    n, c, m = rng.randint(1, 3), rng.randint(1, 6), rng.randint(1, 4)
    k = [rng.randint(1, 4), rng.randint(1, 4)]
    rate = [1, 1] if seed % 3 else [2, 1]
    stride = [1, 1] if rate != [1, 1] else [rng.randint(1, 3)] * 2
    size = [rng.randint((kk - 1) * r + 1, 11) for kk, r in zip(k, rate)]
    padding = ["SAME", "VALID"][seed % 2]
    fmt = "NCHW" if seed % 4 == 3 else "NHWC"
    used = []
    forward = onednn_conv.forward

    def spy(*a, **kw):
        used.append(kw.get("depthwise", False))
        return forward(*a, **kw)
    monkeypatch.setattr(onednn_conv, "forward", spy)
    xs = [n] + size + [c] if fmt == "NHWC" else [n, c] + size
    x = tf.placeholder(tf.float32, xs)
    w = tf.placeholder(tf.float32, k + [c, m])
    strides = [1] + stride + [1] if fmt == "NHWC" else [1, 1] + stride
    y = tf.nn.depthwise_conv2d(x, w, strides, padding, rate=rate, data_format=fmt)
    dy = tf.placeholder(tf.float32, y.shape)
    dx, dw = tf.gradients(y, [x, w], grad_ys=dy)
    feeds = {x: _rand(rng, *xs), w: _rand(rng, *(k + [c, m])),
             dy: _rand(rng, *y.shape.as_list())}
    fast, ref = run_modes(monkeypatch, [y, dx, dw], feeds)
    assert_close(fast, ref)
    assert used and all(used)


def test_relu6_grad_matches_reference_on_finite_gradients(monkeypatch):
    rng = np.random.RandomState(7)
    x = tf.placeholder(tf.float32, [300, 4000])
    g = tf.placeholder(tf.float32, [300, 4000])
    y = tf.nn.relu6(x)
    dx, = tf.gradients(y, x, grad_ys=g)
    xv = rng.uniform(-3, 9, (300, 4000)).astype(np.float32)
    xv[0, :4] = [0.0, 6.0, np.nan, -0.0]
    fast, ref = run_modes(monkeypatch, [y, dx], {x: xv, g: _rand(rng, 300, 4000)})
    np.testing.assert_array_equal(fast[0], ref[0])
    np.testing.assert_array_equal(fast[1], ref[1])


def test_conv_batch_norm_relu6_is_one_primitive_with_a_clip(monkeypatch):
    """MobileNet's conv + inference batch norm + Relu6: the folded convolution clips to [0, 6]
    as a oneDNN post-op (the fusion pass makes it one _FusedConvBN step)."""
    rng = np.random.RandomState(21)
    x = tf.placeholder(tf.float32, [2, 7, 7, 8])
    w = tf.Variable(_rand(rng, 1, 1, 8, 16) * 3)
    scale, offset = tf.constant(_rand(rng, 16)), tf.constant(_rand(rng, 16))
    mean, var = tf.constant(_rand(rng, 16)), tf.constant(np.abs(_rand(rng, 16)) + 0.1)
    y, _, _ = tf.nn.fused_batch_norm(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"), scale, offset,
                                     mean, var, is_training=False)
    out = tf.nn.relu6(y)
    posts = []
    forward = onednn_conv.forward

    def spy(*a, **kw):
        posts.append(a[8] if len(a) > 8 else kw.get("relu", False))
        return forward(*a, **kw)
    monkeypatch.setattr(onednn_conv, "forward", spy)
    out_fast, out_ref = {}, {}
    for mode, store in (("reference", out_ref), ("fast", out_fast)):
        monkeypatch.setenv("TENSORFLUX_KERNELS", mode)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            store["y"] = sess.run(out, {x: _rand(np.random.RandomState(1), 2, 7, 7, 8)})
    assert_close([out_fast["y"]], [out_ref["y"]])
    assert out_ref["y"].max() == 6.0 and out_ref["y"].min() == 0.0  # the clip bites
    assert posts == [6.0]


@pytest.mark.parametrize("multiplier", [1, 2])
def test_depthwise_batch_norm_relu6_folds_into_one_primitive(monkeypatch, multiplier):
    """MobileNet's depthwise conv + inference batch norm + Relu6: the batch norm folds into the
    depthwise filter (output channel c*M + m scales filter [.., c, m]), one oneDNN primitive;
    the same values on the reference kernels and on XLA."""
    rng = np.random.RandomState(22)
    c, m = 6, multiplier
    x = tf.placeholder(tf.float32, [2, 9, 9, c])
    w = tf.Variable(_rand(rng, 3, 3, c, m) * 3)
    bn = [tf.constant(v) for v in (_rand(rng, c * m), _rand(rng, c * m), _rand(rng, c * m),
                                   np.abs(_rand(rng, c * m)) + 0.1)]
    conv = tf.nn.depthwise_conv2d(x, w, [1, 2, 2, 1], "SAME")
    y, _, _ = tf.nn.fused_batch_norm(conv, *bn, is_training=False)
    out = tf.nn.relu6(y)
    calls = []
    forward = onednn_conv.forward

    def spy(*a, **kw):
        calls.append((a[8] if len(a) > 8 else kw.get("relu"), kw.get("depthwise", a[-1])))
        return forward(*a, **kw)
    monkeypatch.setattr(onednn_conv, "forward", spy)
    xv = _rand(np.random.RandomState(2), 2, 9, 9, c)
    results = {}
    pytest.importorskip("jax")  # the test extra installs it
    xla = tf.ConfigProto()
    xla.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
    configs = {"reference": None, "fast": None, "xla": xla}
    for mode, config in configs.items():
        monkeypatch.setenv("TENSORFLUX_KERNELS", "reference" if mode == "reference" else "fast")
        with tf.Session(config=config) as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3 if mode == "xla" else 1):  # XLA compiles after a few runs
                results[mode] = sess.run(out, {x: xv})
    assert_close([results["fast"]], [results["reference"]])
    np.testing.assert_allclose(results["xla"], results["reference"], rtol=1e-4, atol=1e-4)
    assert results["reference"].max() == 6.0
    assert calls[0] == (6.0, True)
