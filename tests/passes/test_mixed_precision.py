"""Mixed precision: the float16 rewrite (before/after plans, values) and loss scaling."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.backends import devices as backend_devices
from tensorflux.client import plan as plan_lib
from tensorflux.passes import mixed_precision

GPU = "/job:localhost/replica:0/task:0/device:GPU:0"
CPU = "/job:localhost/replica:0/task:0/device:CPU:0"


@pytest.fixture(autouse=True)
def _rewrite_off(monkeypatch):
    monkeypatch.delenv("TF_ENABLE_AUTO_MIXED_PRECISION", raising=False)
    mixed_precision.set_graph_rewrite_enabled(False)
    yield
    mixed_precision.set_graph_rewrite_enabled(False)


@pytest.fixture
def fake_gpu(monkeypatch):
    """One "GPU" served by the XLA backend on JAX's CPU device (what a GPU machine runs)."""
    pytest.importorskip("jax")
    monkeypatch.setattr(backend_devices, "gpu_count", lambda: 1)
    monkeypatch.setenv("TENSORFLUX_XLA_MIN_RUNS", "0")


def _amp(gpu=True, cpu=False):
    config = tf.ConfigProto()
    rw = config.graph_options.rewrite_options
    rw.auto_mixed_precision = 1 if gpu else 0
    rw.auto_mixed_precision_cpu = 1 if cpu else 0
    return config


def _plan_on(fetches, feeds, device):
    ops = plan_lib.prune(list(fetches), [], tuple(feeds))
    return plan_lib.Plan(ops, tuple(feeds), list(fetches), [], devices={op: device for op in ops})


def _f16(x):
    return np.asarray(x, np.float32).astype(np.float16).astype(np.float32)


# --- the rewrite, before and after ----------------------------------------------------------------
def test_gpu_matmuls_get_float16_casts():
    x = tf.placeholder(tf.float32, [4, 3], name="x")
    w = tf.Variable(np.ones((3, 5), np.float32), name="w")
    h = tf.matmul(x, w, name="h")
    y = tf.matmul(h, tf.ones([5, 2]), name="y")  # reads h: no float32 round trip in between
    r = tf.nn.relu(y, name="r")  # follows its float16 input
    out = tf.reduce_mean(r * 2.0, name="out")  # scaling and reductions: float32
    before = _plan_on([out], [x], GPU)
    after = mixed_precision.rewrite(before, _amp())
    names = [op.name for op in after.ops]
    assert "h-0-CastToFp16-AutoMixedPrecision" in names
    assert "h-1-CastToFp16-AutoMixedPrecision" in names
    assert "h-0-CastToFp32-AutoMixedPrecision" in names
    assert "y-0-CastToFp16-AutoMixedPrecision" not in names  # h's float16 value is used
    ops = {op.name: op for op in after.ops if op.type == "MatMul"}
    assert ops["h"].outputs[0].dtype == tf.float16 and ops["y"].outputs[0].dtype == tf.float16
    assert ops["y"].inputs[0] is ops["h"].outputs[0]
    assert ops["h"] is not h.op  # a plan-only copy; the graph keeps its float32 op
    assert h.dtype == tf.float32 and w.dtype.base_dtype == tf.float32
    relu = [op for op in after.ops if op.type == "Relu"][0]
    assert relu.inputs[0] is ops["y"].outputs[0] and relu.outputs[0].dtype == tf.float16
    mul = [op for op in after.ops if op.type == "Mul"][0]
    assert after.resolve(mul.inputs[0]).op.type == "Cast"  # relu's float16 value, cast back
    assert after.resolve(y).op.type == "Cast"
    assert after.resolve(r).op.type == "Cast"
    assert all(after.devices[op] == GPU for op in after.ops)
    assert [op.type for op in before.ops].count("Cast") == 0
    assert mixed_precision.rewrite(before, None) is before


def test_off_by_default_and_not_on_cpus():
    x = tf.placeholder(tf.float32, [4, 3])
    y = tf.matmul(x, tf.ones([3, 2]))
    on_cpu = _plan_on([y], [x], CPU)
    assert mixed_precision.rewrite(on_cpu, _amp()) is on_cpu  # TF's rewrite is GPU-only
    on_gpu = _plan_on([y], [x], GPU)
    assert mixed_precision.rewrite(on_gpu, tf.ConfigProto()) is on_gpu
    assert mixed_precision.rewrite(on_gpu, _amp(gpu=False, cpu=True)) is on_gpu


def test_environment_switch_and_off_wins(monkeypatch):
    x = tf.placeholder(tf.float32, [4, 3])
    y = tf.matmul(x, tf.ones([3, 2]))
    plan = _plan_on([y], [x], GPU)
    monkeypatch.setenv("TF_ENABLE_AUTO_MIXED_PRECISION", "1")
    assert mixed_precision.rewrite(plan, None) is not plan
    off = tf.ConfigProto()
    off.graph_options.rewrite_options.auto_mixed_precision = 2
    assert mixed_precision.rewrite(plan, off) is plan


def test_fed_outputs_and_float64_are_left_alone():
    x = tf.placeholder(tf.float32, [2, 2])
    y = tf.matmul(x, x)
    d = tf.placeholder(tf.float64, [2, 2])
    e = tf.matmul(d, d)
    plan = _plan_on([y + 1.0, e], [x, y, d], GPU)
    assert mixed_precision.rewrite(plan, _amp()) is plan


def test_cpu_emulation_rounds_inputs_and_outputs():
    rng = np.random.RandomState(0)
    a = rng.randn(8, 16).astype(np.float32)
    b = rng.randn(16, 4).astype(np.float32)
    x = tf.placeholder(tf.float32, [8, 16])
    y = tf.matmul(x, tf.constant(b))
    with tf.Session(config=_amp(gpu=False, cpu=True)) as sess:
        got = sess.run(y, {x: a})
        plan = list(sess._runners.values())[0].plan
    np.testing.assert_array_equal(got, _f16(_f16(a) @ _f16(b)))
    assert not np.array_equal(got, a @ b)
    casts = [op for op in plan.ops if op.type == "Cast"]
    assert len(casts) == 4  # a rounding pair for x and one for the output
    folded = [t for t in plan.constants if "MatMul-1-CastToFp" in t.op.name]
    assert len(folded) == 2  # the constant's pair was done at plan time
    assert plan.resolve(y).dtype == tf.float32


def test_cpu_emulation_covers_convolution_gradients():
    rng = np.random.RandomState(1)
    xv = rng.randn(2, 6, 6, 3).astype(np.float32)
    wv = rng.randn(3, 3, 3, 4).astype(np.float32)
    x = tf.placeholder(tf.float32, [2, 6, 6, 3])
    w = tf.Variable(wv)
    y = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")
    loss = tf.reduce_sum(tf.square(y))
    grads = tf.gradients(loss, [x, w])
    results = {}
    for name, config in (("fp32", None), ("amp", _amp(gpu=False, cpu=True))):
        with tf.Session(config=config) as sess:
            sess.run(w.initializer)
            results[name] = sess.run([y] + grads, {x: xv})
            plans = [r.plan for r in sess._runners.values()]
    rewritten = {op.name.split("-")[0] for p in plans for op in p.ops
                 if "AutoMixedPrecision" in op.name}
    assert {"Conv2D", "gradients/Conv2D_grad/Conv2DBackpropInput",
            "gradients/Conv2D_grad/Conv2DBackpropFilter"} <= rewritten
    for got, want in zip(results["amp"], results["fp32"]):
        scale = np.abs(want).max()
        assert np.abs(got - want).max() <= 2e-2 * scale
        assert not np.array_equal(got, want)
    np.testing.assert_array_equal(results["amp"][0], _f16(results["amp"][0]))


def test_gpu_rewrite_runs_float16(fake_gpu):
    rng = np.random.RandomState(2)
    a = rng.randn(8, 16).astype(np.float32)
    b = rng.randn(16, 4).astype(np.float32)
    x = tf.placeholder(tf.float32, [8, 16])
    with tf.device("/gpu:0"):
        y = tf.matmul(x, tf.constant(b))
    with tf.Session(config=_amp()) as sess:
        got = sess.run(y, {x: a})
        plan = list(sess._runners.values())[0].plan
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, _f16(got))  # came out of a float16 op
    np.testing.assert_allclose(got, a @ b, rtol=2e-2, atol=2e-2)
    mm = [op for op in plan.ops if op.type == "MatMul"]
    assert mm[0].outputs[0].dtype == tf.float16
    assert any(v.dtype == np.float16 for v in plan.constants.values())  # b, cast once


# --- enable_mixed_precision_graph_rewrite and loss scaling ----------------------------------------
def test_public_names():
    exp = tf.train.experimental
    for name in ("DynamicLossScale", "FixedLossScale", "LossScale",
                 "MixedPrecisionLossScaleOptimizer", "enable_mixed_precision_graph_rewrite",
                 "disable_mixed_precision_graph_rewrite"):
        assert hasattr(exp, name)


def test_enable_wraps_and_turns_the_rewrite_on_for_new_sessions():
    opt = tf.train.experimental.enable_mixed_precision_graph_rewrite(
        tf.train.GradientDescentOptimizer(0.1))
    assert isinstance(opt, tf.train.experimental.MixedPrecisionLossScaleOptimizer)
    assert opt.get_name() == "GradientDescent"
    assert repr(opt.loss_scale) == ("DynamicLossScale(initial_loss_scale=32768.0, "
                                    "increment_period=2000, multiplier=2.0)")
    assert [v.name for v in tf.global_variables()] == ["current_loss_scale:0", "good_steps:0"]
    assert tf.trainable_variables() == []
    with tf.Session() as sess:
        assert sess._config.graph_options.rewrite_options.auto_mixed_precision == 1
    with pytest.raises(ValueError, match='"opt" must not already be an instance of a '
                                         "MixedPrecisionLossScaleOptimizer"):
        tf.train.experimental.enable_mixed_precision_graph_rewrite(opt)
    with pytest.raises(ValueError, match='"opt" must be an instance of a tf.train.Optimizer '
                                         "or a tf.keras.optimizers.Optimizer, but got: x"):
        tf.train.experimental.enable_mixed_precision_graph_rewrite("x")
    tf.train.experimental.disable_mixed_precision_graph_rewrite()
    with tf.Session() as sess:
        assert sess._config is None


def test_loss_scale_identifiers():
    exp = tf.train.experimental
    fixed = exp.MixedPrecisionLossScaleOptimizer(tf.train.GradientDescentOptimizer(0.1), 128)
    assert repr(fixed.loss_scale) == "FixedLossScale(128.0)"
    assert fixed.loss_scale.get_config() == {"loss_scale_value": 128.0}
    with pytest.raises(ValueError, match="loss_scale_value must be at least 1"):
        exp.FixedLossScale(0.5)
    with pytest.raises(ValueError, match="must be a Python int or float"):
        exp.FixedLossScale("8")
    with pytest.raises(ValueError, match="loss_scale cannot be None"):
        exp.MixedPrecisionLossScaleOptimizer(tf.train.GradientDescentOptimizer(0.1), None)
    with pytest.raises(ValueError, match="Could not interpret loss scale identifier"):
        exp.MixedPrecisionLossScaleOptimizer(tf.train.GradientDescentOptimizer(0.1), "big")
    with pytest.raises(ValueError, match='"opt" must be an instance of Optimizer'):
        exp.MixedPrecisionLossScaleOptimizer(3, "dynamic")
    config = exp.DynamicLossScale(4, 3, 2).get_config()
    assert config == {"initial_loss_scale": 4.0, "increment_period": 3, "multiplier": 2.0}


def _scaled_model(loss_scale, optimizer):
    x = tf.placeholder(tf.float32, [None, 2])
    w = tf.Variable([[1.0], [2.0]], name="w")
    loss = tf.reduce_sum(tf.matmul(x, w))
    gs = tf.train.get_or_create_global_step()
    opt = tf.train.experimental.MixedPrecisionLossScaleOptimizer(optimizer, loss_scale)
    return x, w, gs, opt, opt.minimize(loss, global_step=gs)


def test_dynamic_loss_scale_halves_and_skips_on_overflow():
    ls = tf.train.experimental.DynamicLossScale()
    x, w, gs, opt, train = _scaled_model(ls, tf.train.MomentumOptimizer(0.1, 0.9))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(ls()) == 2.0 ** 15
        sess.run(train, {x: [[1.0, 1.0]]})
        w1, slot1 = sess.run([w, opt._optimizer.get_slot(w, "momentum")])
        np.testing.assert_allclose(w1, [[0.9], [1.9]], rtol=1e-6)
        assert sess.run([ls(), ls._num_good_steps, gs]) == [2.0 ** 15, 1, 1]
        sess.run(train, {x: [[np.inf, 1.0]]})  # non-finite gradient: nothing applied
        assert sess.run([ls(), ls._num_good_steps, gs]) == [2.0 ** 14, 0, 1]
        np.testing.assert_array_equal(sess.run(w), w1)
        np.testing.assert_array_equal(sess.run(opt._optimizer.get_slot(w, "momentum")), slot1)


def test_dynamic_loss_scale_grows_after_good_steps_and_stays_at_least_one():
    ls = tf.train.experimental.DynamicLossScale(initial_loss_scale=2, increment_period=3,
                                                multiplier=4)
    x, w, gs, _, train = _scaled_model(ls, tf.train.GradientDescentOptimizer(0.0))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        seen = []
        for _ in range(4):
            sess.run(train, {x: [[1.0, 1.0]]})
            seen.append(sess.run([ls(), ls._num_good_steps]))
        assert seen == [[2.0, 1], [2.0, 2], [8.0, 0], [8.0, 1]]
        for _ in range(3):
            sess.run(train, {x: [[np.nan, 1.0]]})
        assert sess.run([ls(), ls._num_good_steps, gs]) == [1.0, 0, 4]


@pytest.mark.filterwarnings("ignore:overflow encountered")
def test_loss_scale_increase_that_overflows_is_not_taken():
    ls = tf.train.experimental.DynamicLossScale(initial_loss_scale=3e38, increment_period=1)
    x, _, _, _, train = _scaled_model(ls, tf.train.GradientDescentOptimizer(0.0))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train, {x: [[1e-30, 1e-30]]})
        assert sess.run([ls(), ls._num_good_steps]) == [np.float32(3e38), 0]


def test_loss_scaling_does_not_change_training():
    rng = np.random.RandomState(3)
    xs = rng.randn(8, 2).astype(np.float32)

    def losses(wrap):
        with tf.Graph().as_default():
            x = tf.placeholder(tf.float32, [None, 2])
            w = tf.Variable([[0.5], [-0.5]])
            loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - 1.0))
            opt = tf.train.AdamOptimizer(0.1)
            if wrap:
                opt = tf.train.experimental.MixedPrecisionLossScaleOptimizer(opt, "dynamic")
            train = opt.minimize(loss)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                return [sess.run([train, loss], {x: xs})[1] for _ in range(5)]

    plain, scaled = losses(False), losses(True)
    np.testing.assert_allclose(scaled, plain, rtol=1e-5)
    assert plain[-1] < plain[0]


def test_fixed_loss_scale_scales_the_gradients_back():
    x, w, gs, opt, train = _scaled_model(1024, tf.train.GradientDescentOptimizer(0.5))
    grads = opt.compute_gradients(tf.reduce_sum(tf.matmul(x, w)))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        g = sess.run(grads[0][0], {x: [[1.0, 3.0]]})
        np.testing.assert_allclose(g, [[1.0], [3.0]])
        sess.run(train, {x: [[1.0, 3.0]]})
        np.testing.assert_allclose(sess.run(w), [[0.5], [0.5]])
        assert sess.run(gs) == 1


def test_float16_follows_through_batch_norm_relu_and_residual_sums():
    """A residual block and its gradient stay float16 between the convolutions on a GPU."""
    x = tf.placeholder(tf.float32, [2, 6, 6, 4], name="x")
    h = tf.layers.conv2d(x, 4, 3, padding="same", use_bias=False, name="c1")
    h = tf.nn.relu(tf.layers.batch_normalization(h, training=True, name="bn"))
    h = tf.layers.conv2d(h, 4, 3, padding="same", use_bias=False, name="c2")
    y = tf.nn.relu(h + x)
    loss = tf.reduce_mean(tf.square(y))
    grads = tf.gradients(loss * 128.0, tf.trainable_variables())
    unscaled = [g * (1.0 / 128.0) for g in grads]
    before = _plan_on(unscaled, [x], GPU)
    after = mixed_precision.rewrite(before, _amp())
    kinds = {}
    for op in after.ops:
        if op.type in ("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter",
                       "FusedBatchNormV3", "FusedBatchNormGradV3", "Relu", "ReluGrad",
                       "Add", "AddN", "Mean", "Mul"):
            kinds.setdefault(op.type, set()).add(op.outputs[0].dtype.name)
    for t in ("Conv2D", "Conv2DBackpropFilter", "FusedBatchNormV3", "FusedBatchNormGradV3",
              "Relu", "ReluGrad"):
        assert kinds[t] == {"float16"}, (t, kinds)
    assert "float16" in kinds["Add"]  # the residual sum (h + x; x is cast once)
    assert kinds["Mul"] == {"float32"}  # gradient scaling stays float32
    bn = [op for op in after.ops if op.type == "FusedBatchNormV3"][0]
    assert [t.dtype.name for t in bn.outputs[1:5]] == ["float32"] * 4  # statistics
    assert bn.inputs[1].dtype == tf.float32  # gamma stays a float32 variable
    # between the two convolutions no float16 -> float32 -> float16 round trip is left
    c2 = [op for op in after.ops if op.type == "Conv2D" and op.name.startswith("c2")][0]
    assert c2.inputs[0].op.type == "Relu" and c2.inputs[0].dtype == tf.float16
    # all gradients stay float32 to the caller, and finite
    assert all(after.resolve(g).dtype == tf.float32 for g in unscaled)


def test_follow_rewrite_trains_like_float32(fake_gpu):
    def run(config):
        g = tf.Graph()
        with g.as_default(), tf.device("/gpu:0"):
            tf.set_random_seed(1)
            x = tf.placeholder(tf.float32, [8, 8, 8, 3])
            h = tf.layers.conv2d(x, 8, 3, padding="same", use_bias=False)
            h = tf.nn.relu(tf.layers.batch_normalization(h, training=True))
            h = tf.layers.max_pooling2d(h, 2, 2)
            logits = tf.layers.dense(tf.layers.flatten(h), 3)
            labels = tf.constant(np.arange(8) % 3)
            loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
            with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
                op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
            init = tf.global_variables_initializer()
        xv = np.random.default_rng(0).standard_normal((8, 8, 8, 3)).astype(np.float32)
        with tf.Session(graph=g, config=config) as sess:
            sess.run(init)
            return [sess.run([op, loss], {x: xv})[1] for _ in range(15)]

    fp32, amp = run(None), run(_amp())
    np.testing.assert_allclose(amp, fp32, rtol=2e-2, atol=2e-2)
    assert amp[-1] < 0.7 * amp[0]
