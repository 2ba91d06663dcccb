"""tf.contrib.opt: AdamW / MomentumW / extend_with_decoupled_weight_decay / LazyAdam against
numpy re-implementations of TF 1.15's update rules; slot names and decay_var_list."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.contrib import opt as opt_lib


@pytest.fixture(autouse=True)
def _fresh_graph():
    with tf.Graph().as_default():
        yield


def _f32(x):
    return float(np.float32(x))


def _power(beta, t):
    """`beta^t` as TF's float32 `beta1_power` variable holds it."""
    p = np.float32(beta)
    for _ in range(t - 1):
        p = np.float32(p * np.float32(beta))
    return float(p)


def _np_adam(var, m, v, g, t, lr, b1, b2, eps):
    """One step of TF 1.15's Adam; the hyper-parameters are float32 tensors cast to the
    variable's dtype, as in TF."""
    b1p, b2p = _power(b1, t), _power(b2, t)
    lr, b1, b2, eps = _f32(lr), _f32(b1), _f32(b2), _f32(eps)
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    lr_t = lr * np.sqrt(1 - b2p) / (1 - b1p)
    return var - lr_t * m / (np.sqrt(v) + eps), m, v


def _run_steps(opt, var0, grads, decay_var_list=None, extra_vars=()):
    """Applies `grads` (one array per step) with `opt`; returns the variable after each step."""
    var = tf.Variable(var0, name="var")
    g = tf.placeholder(tf.float64, var0.shape)
    pairs = [(g, var)] + [(tf.zeros_like(v), v) for v in extra_vars]
    train = opt.apply_gradients(pairs, decay_var_list=decay_var_list)
    out = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for grad in grads:
            sess.run(train, {g: grad})
            out.append(sess.run(var))
    return var, out


def test_adamw_matches_numpy():
    rng = np.random.RandomState(0)
    var0 = rng.randn(3, 2)
    grads = [rng.randn(3, 2) for _ in range(4)]
    wd, lr, b1, b2, eps = 0.01, 0.1, 0.9, 0.999, 1e-8
    _, got = _run_steps(opt_lib.AdamWOptimizer(wd, learning_rate=lr), var0, grads)
    var, m, v = var0.copy(), np.zeros_like(var0), np.zeros_like(var0)
    for t, grad in enumerate(grads, 1):
        var = var - wd * var
        var, m, v = _np_adam(var, m, v, grad, t, lr, b1, b2, eps)
        np.testing.assert_allclose(got[t - 1], var, rtol=1e-10)


def test_adamw_slots_and_names():
    var = tf.Variable(np.ones(2), name="w")
    loss = tf.reduce_sum(var * np.array([1.0, 2.0]))
    opt = opt_lib.AdamWOptimizer(1e-4)
    train = opt.minimize(loss)
    assert opt.get_name() == "AdamW"
    assert opt.get_slot_names() == ["m", "v"]
    assert opt.get_slot(var, "m").op.name == "w/AdamW"
    assert opt.get_slot(var, "v").op.name == "w/AdamW_1"
    assert train.name == "AdamW"
    names = {op.name for op in tf.get_default_graph().get_operations()}
    assert "AdamW/weight_decay" in names
    assert "AdamW/update_w/ApplyAdam" in names
    assert sorted(v.op.name for v in opt.variables()) == [
        "beta1_power", "beta2_power", "w/AdamW", "w/AdamW_1"]


def test_adamw_minimize_with_decay_var_list_and_global_step():
    """TF 1.15's `minimize` passes no `decay_var_list` on to its own `apply_gradients`, which
    resets it: every variable is decayed (only `apply_gradients(decay_var_list=)` limits it)."""
    a = tf.Variable(np.array([1.0, -2.0]), name="a")
    b = tf.Variable(np.array([3.0]), name="b")
    loss = tf.reduce_sum(a * np.array([0.5, 0.25])) + tf.reduce_sum(b * 2.0)
    step = tf.train.get_or_create_global_step()
    wd, lr = 0.1, 0.01
    train = opt_lib.AdamWOptimizer(wd, learning_rate=lr).minimize(
        loss, global_step=step, decay_var_list=[a])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        got_a, got_b, got_step = sess.run([a, b, step])
    exp_a, _, _ = _np_adam(np.array([1.0, -2.0]) * (1 - wd), 0, 0, np.array([0.5, 0.25]), 1,
                           lr, 0.9, 0.999, 1e-8)
    exp_b, _, _ = _np_adam(np.array([3.0]) * (1 - wd), 0, 0, np.array([2.0]), 1, lr, 0.9, 0.999,
                           1e-8)
    np.testing.assert_allclose(got_a, exp_a, rtol=1e-12)
    np.testing.assert_allclose(got_b, exp_b, rtol=1e-12)
    assert got_step == 1


def test_momentumw_matches_numpy_and_slot():
    rng = np.random.RandomState(1)
    var0 = rng.randn(4)
    grads = [rng.randn(4) for _ in range(3)]
    wd, lr, mom = 0.05, 0.1, 0.9
    opt = opt_lib.MomentumWOptimizer(wd, lr, mom)
    var_t, got = _run_steps(opt, var0, grads)
    assert opt.get_slot_names() == ["momentum"]
    assert opt.get_slot(var_t, "momentum").op.name == "var/MomentumW"
    var, acc = var0.copy(), np.zeros(4)
    for i, grad in enumerate(grads):
        var = var - wd * var
        acc = _f32(mom) * acc + grad
        var = var - _f32(lr) * acc
        np.testing.assert_allclose(got[i], var, rtol=1e-12)


def test_momentumw_nesterov():
    var0 = np.array([1.0, 2.0])
    grads = [np.array([0.5, -1.0]), np.array([0.25, 0.75])]
    wd, lr, mom = 0.1, 0.2, 0.5
    _, got = _run_steps(opt_lib.MomentumWOptimizer(wd, lr, mom, use_nesterov=True), var0, grads)
    var, acc = var0.copy(), np.zeros(2)
    for i, grad in enumerate(grads):
        var = var - wd * var
        acc = _f32(mom) * acc + grad
        var = var - _f32(lr) * (grad + _f32(mom) * acc)
        np.testing.assert_allclose(got[i], var, rtol=1e-12)


def test_extend_with_decoupled_weight_decay_sgd():
    sgdw_cls = opt_lib.extend_with_decoupled_weight_decay(tf.train.GradientDescentOptimizer)
    opt = sgdw_cls(weight_decay=0.5, learning_rate=0.1)
    assert isinstance(opt, tf.train.GradientDescentOptimizer)
    assert isinstance(opt, opt_lib.DecoupledWeightDecayExtension)
    var0 = np.array([2.0, -4.0])
    _, got = _run_steps(opt, var0, [np.array([1.0, 1.0])])
    np.testing.assert_allclose(got[0], var0 * 0.5 - _f32(0.1))


def test_decay_var_list_excludes_other_variables():
    opt = opt_lib.extend_with_decoupled_weight_decay(tf.train.GradientDescentOptimizer)(
        0.5, learning_rate=1.0)
    other = tf.Variable(np.array([8.0]), name="other")
    var, got = _run_steps(opt, np.array([2.0]), [np.array([0.0])], decay_var_list=[other],
                          extra_vars=[other])
    np.testing.assert_allclose(got[0], [2.0])


def test_weight_decay_tensor_and_callable():
    wd = tf.placeholder_with_default(np.float64(0.25), [])
    opt = opt_lib.MomentumWOptimizer(lambda: wd, 0.0, 0.0)
    with pytest.raises(TypeError):  # TF multiplies the callable itself, as here
        _run_steps(opt, np.array([4.0]), [np.array([1.0])])
    with tf.Graph().as_default():
        wd = tf.constant(0.25, tf.float64)
        _, got = _run_steps(opt_lib.MomentumWOptimizer(wd, 0.0, 0.0), np.array([4.0]),
                            [np.array([1.0])])
        np.testing.assert_allclose(got[0], [3.0])


def test_adamw_sparse_gradient_decays_touched_rows_once():
    emb = tf.Variable(np.arange(8.0).reshape(4, 2) + 1.0, name="emb")
    ids = tf.constant([2, 0])
    loss = tf.reduce_sum(tf.gather(emb, ids))
    wd, lr = 0.1, 0.01
    train = opt_lib.AdamWOptimizer(wd, learning_rate=lr).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        got = sess.run(emb)
    var0 = np.arange(8.0).reshape(4, 2) + 1.0
    grad = np.zeros((4, 2))
    grad[[2, 0]] = 1.0
    decayed = var0.copy()
    decayed[[2, 0]] *= 1 - wd
    expected, _, _ = _np_adam(decayed, 0, 0, grad, 1, lr, 0.9, 0.999, 1e-8)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_lazy_adam_sparse_updates_only_touched_rows():
    rng = np.random.RandomState(2)
    var0 = rng.randn(5, 3)
    emb = tf.Variable(var0, name="emb")
    ids = tf.placeholder(tf.int32, [None])
    weights = tf.placeholder(tf.float64, [None, 3])
    loss = tf.reduce_sum(tf.gather(emb, ids) * weights)
    opt = opt_lib.LazyAdamOptimizer(0.1)
    train = opt.minimize(loss)
    assert opt.get_slot_names() == ["m", "v"]
    assert opt.get_slot(emb, "m").op.name == "emb/Adam"
    steps = [([1, 3], rng.randn(2, 3)), ([3, 3, 0], rng.randn(3, 3))]
    var, m, v = var0.copy(), np.zeros((5, 3)), np.zeros((5, 3))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for t, (idx, w) in enumerate(steps, 1):
            sess.run(train, {ids: idx, weights: w})
            uniq = sorted(set(idx))
            g = np.zeros((5, 3))
            np.add.at(g, idx, w)
            rows = np.array(uniq)
            b1, b2 = _f32(0.9), _f32(0.999)
            m[rows] = b1 * m[rows] + (1 - b1) * g[rows]
            v[rows] = b2 * v[rows] + (1 - b2) * g[rows] ** 2
            lr = _f32(0.1) * np.sqrt(1 - _power(0.999, t)) / (1 - _power(0.9, t))
            var[rows] -= lr * m[rows] / (np.sqrt(v[rows]) + _f32(1e-8))
            np.testing.assert_allclose(sess.run(emb), var, rtol=1e-10)
            np.testing.assert_allclose(sess.run(opt.get_slot(emb, "m")), m, rtol=1e-10)
        assert sess.run(emb)[2].tolist() == var0[2].tolist()  # never touched


def test_lazy_adam_dense_is_adam():
    rng = np.random.RandomState(3)
    var0 = rng.randn(3)
    grads = [rng.randn(3) for _ in range(3)]
    var = tf.Variable(var0)
    g = tf.placeholder(tf.float64, [3])
    train = opt_lib.LazyAdamOptimizer(0.05).apply_gradients([(g, var)])
    x, m, v = var0.copy(), 0.0, 0.0
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for t, grad in enumerate(grads, 1):
            sess.run(train, {g: grad})
            x, m, v = _np_adam(x, m, v, grad, t, 0.05, 0.9, 0.999, 1e-8)
            np.testing.assert_allclose(sess.run(var), x, rtol=1e-10)


def test_moving_average_optimizer_averages_and_swapping_saver(tmp_path):
    w = tf.Variable(np.array([1.0, 2.0]), name="w")
    loss = tf.reduce_sum(w * np.array([1.0, -1.0]))
    opt = opt_lib.MovingAverageOptimizer(tf.train.GradientDescentOptimizer(0.5),
                                         average_decay=0.5)
    train = opt.minimize(loss)
    assert train.name == "train_with_avg"
    avg = [v for v in tf.global_variables() if v.op.name == "w/ExponentialMovingAverage"]
    assert len(avg) == 1
    with pytest.raises(ValueError, match="Variable to swap w/ExponentialMovingAverage is not"):
        opt.swapping_saver(var_list=[w])
    saver = opt.swapping_saver()
    var, shadow = np.array([1.0, 2.0]), np.array([1.0, 2.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
            var = var - _f32(0.5) * np.array([1.0, -1.0])
            shadow = shadow - 0.5 * (shadow - var)  # applied after the update
        np.testing.assert_allclose(sess.run(w), var)
        np.testing.assert_allclose(sess.run(avg[0]), shadow, rtol=1e-6)
        path = saver.save(sess, str(tmp_path / "model.ckpt"))
    with tf.Graph().as_default():
        w2 = tf.Variable(np.zeros(2), name="w")
        with tf.Session() as sess:
            tf.train.Saver([w2]).restore(sess, path)
            np.testing.assert_allclose(sess.run(w2), shadow, rtol=1e-6)


def test_moving_average_optimizer_needs_minimize_first():
    opt = opt_lib.MovingAverageOptimizer(tf.train.GradientDescentOptimizer(0.1))
    with pytest.raises(RuntimeError, match="Must call apply_gradients or minimize"):
        opt.swapping_saver()
