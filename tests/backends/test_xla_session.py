"""The XLA backend end to end: selection, promotion, donation, caching, fallback, errors."""

import logging

import numpy as np
import pytest

jax = pytest.importorskip("jax")

import tensorflux as tf  # noqa: E402
from tensorflux import errors  # noqa: E402
from tensorflux.backends.xla import compiler  # noqa: E402


def xla_config():
    config = tf.ConfigProto()
    config.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
    return config


def cpu_xla_config():
    """XLA on the CPU even where there is a GPU (GPU plans compile at once, and ops without an
    XLA kernel go to the CPU as separate segments: not what the CPU-side tests look at)."""
    config = tf.ConfigProto(device_count={"GPU": 0})
    config.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
    return config


@pytest.fixture(autouse=True)
def _numpy_default(monkeypatch):
    monkeypatch.setenv("TENSORFLUX_BACKEND", "numpy")
    monkeypatch.setenv("TENSORFLUX_XLA_MIN_RUNS", "0")
    monkeypatch.setattr(compiler, "_STRICT", True)


def runners(sess):
    return [r.call for r in sess._runners.values() if isinstance(r.call, compiler.PlanRunner)]


def runner_for(sess, fetch):
    for r in sess._runners.values():
        if isinstance(r.call, compiler.PlanRunner) and fetch in r.plan.fetches:
            return r.call
    raise AssertionError("no XLA runner for %s" % fetch)


# --- backend selection -------------------------------------------------------------------------
def test_global_jit_level_selects_xla():
    y = tf.constant(2.0) * tf.placeholder(tf.float32, [], name="a")
    with tf.Session(config=xla_config()) as sess:
        assert sess.run(y, {"a:0": 3.0}) == 6.0
        assert len(runners(sess)) == 1 and runners(sess)[0].mode == "xla"
    with tf.Session() as sess:
        assert sess.run(y, {"a:0": 3.0}) == 6.0
        assert runners(sess) == []


def test_environment_variable_selects_xla(monkeypatch):
    monkeypatch.setenv("TENSORFLUX_BACKEND", "xla")
    a = tf.placeholder(tf.float32, [])
    with tf.Session() as sess:
        assert sess.run(a + 1.0, {a: 1.0}) == 2.0
        assert len(runners(sess)) == 1


def test_x64_types_without_touching_jax_global_config():
    before = jax.config.jax_enable_x64
    big = np.int64(2**40 + 3)
    a = tf.placeholder(tf.int64, [])
    d = tf.placeholder(tf.float64, [])
    with tf.Session(config=xla_config()) as sess:
        r, f = sess.run([a * 2, d / 3.0], {a: big, d: 1.0})
    assert r.dtype == np.int64 and r == 2 * big
    assert f.dtype == np.float64 and f == 1.0 / 3.0
    assert jax.config.jax_enable_x64 == before


# --- promotion from the numpy interpreter -------------------------------------------------------
def test_plans_move_to_xla_after_n_runs(monkeypatch):
    monkeypatch.setenv("TENSORFLUX_XLA_MIN_RUNS", "3")
    a = tf.placeholder(tf.float32, [2])
    y = a * 2.0 + 1.0
    with tf.Session(config=cpu_xla_config()) as sess:
        for i in range(3):
            np.testing.assert_allclose(sess.run(y, {a: [i, 1.0]}), [2 * i + 1, 3.0])
            r = runner_for(sess, y)
            assert r.mode == "warmup" and r.compiles == 0
        np.testing.assert_allclose(sess.run(y, {a: [5.0, 1.0]}), [11.0, 3.0])
        assert r.mode == "xla" and r.compiles == 1
        sess.run(y, {a: [6.0, 1.0]})
        assert r.compiles == 1


def test_one_executable_per_feed_shape_bounded_lru(monkeypatch):
    monkeypatch.setenv("TENSORFLUX_XLA_CACHE_SIZE", "2")
    a = tf.placeholder(tf.float32, [None])
    y = tf.reduce_sum(a * a)
    with tf.Session(config=xla_config()) as sess:
        for n in (1, 2, 3, 2):
            assert sess.run(y, {a: np.ones(n, np.float32)}) == n
        r = runner_for(sess, y)
        assert r.compiles == 3 and len(r.entries) == 2
        assert list(r.entries) == [((3,),), ((2,),)]


def test_static_feed_values_key_the_executable():
    a = tf.placeholder(tf.float32, [None])
    shape = tf.placeholder(tf.int32, [2])
    y = tf.reshape(a, shape)
    with tf.Session(config=xla_config()) as sess:
        assert sess.run(y, {a: np.arange(6.0), shape: [2, 3]}).shape == (2, 3)
        assert sess.run(y, {a: np.arange(6.0), shape: [3, 2]}).shape == (3, 2)
        r = runner_for(sess, y)
        assert r.mode == "xla" and r.compiles == 2 and r.analysis.static_feeds == [1]


def test_recompiling_plans_go_back_to_numpy(monkeypatch):
    monkeypatch.setenv("TENSORFLUX_XLA_CACHE_SIZE", "1")
    a = tf.placeholder(tf.float32, [None])
    y = a + 1.0
    with tf.Session(config=xla_config()) as sess:
        for n in range(1, 8):
            assert sess.run(y, {a: np.zeros(n, np.float32)}).shape == (n,)
        r = runner_for(sess, y)
        assert r.mode == "numpy" and r.compiles == 5


# --- fallback ------------------------------------------------------------------------------------
def test_plan_with_an_op_without_xla_kernel_runs_on_numpy(caplog):
    a = tf.placeholder(tf.int32, [None])
    u, _ = tf.unique(a)
    with tf.Session(config=xla_config()) as sess:
        with caplog.at_level(logging.DEBUG, logger="tensorflux.backends.xla"):
            np.testing.assert_array_equal(sess.run(u, {a: [3, 1, 3, 2]}), [3, 1, 2])
            np.testing.assert_array_equal(sess.run(u, {a: [5, 5]}), [5])
        assert runner_for(sess, u).mode == "numpy"
    logged = [r.getMessage() for r in caplog.records if "Unique" in r.getMessage()]
    assert len(logged) == 1 and "no XLA kernel" in logged[0]


def test_constant_subgraphs_without_xla_kernels_are_evaluated_while_tracing():
    a = tf.placeholder(tf.float32, [None])
    idx, _ = tf.unique(tf.constant([2, 0, 2, 1]))  # no XLA kernel, but known at trace time
    y = tf.gather(a, idx)
    with tf.Session(config=xla_config()) as sess:
        np.testing.assert_allclose(sess.run(y, {a: [10.0, 11.0, 12.0]}), [12.0, 10.0, 11.0])
        assert runner_for(sess, y).mode == "xla"


# --- errors --------------------------------------------------------------------------------------
def test_out_of_range_gather_reports_numpy_error_and_keeps_state():
    v = tf.Variable([1.0, 2.0, 3.0], name="v")
    i = tf.placeholder(tf.int32, [])
    with tf.control_dependencies([tf.assign_add(v, [1.0, 1.0, 1.0])]):
        y = tf.gather(v.read_value(), i)
    with tf.Session(config=xla_config()) as sess:
        sess.run(v.initializer)
        assert sess.run(y, {i: 2}) == 4.0
        with pytest.raises(errors.InvalidArgumentError, match=r"indices.* = 7 is not in \[0, 3\)"):
            sess.run(y, {i: 7})
        np.testing.assert_allclose(sess.run(v), [2.0, 3.0, 4.0])
        assert runner_for(sess, y).mode == "xla"
        assert runner_for(sess, y).analysis.donate == {"v"}  # donated despite the check
        assert sess.run(y, {i: 0}) == 3.0  # and the handed-back value is usable


def test_integer_division_by_zero_is_an_error():
    a = tf.placeholder(tf.int32, [2])
    y = tf.floordiv(a, tf.placeholder_with_default(np.array([1, 0], np.int32), [2]))
    with tf.Session(config=xla_config()) as sess:
        with pytest.raises(errors.InvalidArgumentError, match="Integer division by zero"):
            sess.run(y, {a: [4, 5]})


def test_uninitialized_variable_is_failed_precondition():
    v = tf.Variable(1.0, name="v")
    with tf.Session(config=xla_config()) as sess:
        with pytest.raises(errors.FailedPreconditionError, match="uninitialized value v"):
            sess.run(v * 2.0)


def test_shape_error_found_while_tracing_is_numpy_error():
    a = tf.placeholder(tf.float32, None)
    y = tf.reshape(a, [3, -1])
    with tf.Session(config=xla_config()) as sess:
        with pytest.raises(errors.InvalidArgumentError, match="Input to reshape"):
            sess.run(y, {a: np.zeros(4, np.float32)})
        assert sess.run(y, {a: np.zeros(6, np.float32)}).shape == (3, 2)


# --- variables and donation ----------------------------------------------------------------------
def test_donation_does_not_corrupt_fetched_values():
    v = tf.Variable(np.zeros(1000, np.float32), name="v")
    inc = tf.assign_add(v, tf.ones([1000]))
    with tf.Session(config=xla_config()) as sess:
        sess.run(v.initializer)
        fetched = [sess.run(inc)]
        for _ in range(3):
            fetched.append(sess.run(inc))
            fetched.append(sess.run(v))
        held = sess._state.variables["v"]
        assert isinstance(held, jax.Array)
        sess.run(inc)
        assert held.is_deleted()  # the buffer was donated to the update
        assert runner_for(sess, inc).analysis.donate == {"v"}
    for k, expect in enumerate([1, 2, 2, 3, 3, 4, 4]):
        np.testing.assert_array_equal(fetched[k], np.full(1000, expect, np.float32))


def test_donated_buffers_are_released_during_the_next_run():
    # the previous run's donated inputs are dropped after the next dispatch (freeing them
    # overlaps device work); until then the runner holds them, consumed: no memory
    v = tf.Variable(np.zeros(1000, np.float32), name="v")
    inc = tf.assign_add(v, tf.ones([1000]))
    with tf.Session(config=xla_config()) as sess:
        sess.run(v.initializer)
        sess.run(inc)
        runner = runner_for(sess, inc)
        old = sess._state.variables["v"]
        sess.run(inc)
        assert len(runner._retired) == 1 and runner._retired[0] is old
        assert old.is_deleted()
        sess.run(inc)
        assert runner._retired[0] is not old
        np.testing.assert_array_equal(sess.run(v), np.full(1000, 3, np.float32))


def test_read_only_host_values_move_to_the_device_once(tmp_path):
    # (done where runs are on a GPU, which would copy a host argument on every run)
    w = tf.Variable(np.full((4, 3), 2.0, np.float32), name="w")
    n = tf.Variable(np.int64(2 ** 40), name="n")
    x = tf.placeholder(tf.float32, [None, 4])
    y = tf.matmul(x, w) * tf.cast(n // 2 ** 39, tf.float32)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = saver.save(sess, str(tmp_path / "model"))
    with tf.Session(config=xla_config()) as sess:
        saver.restore(sess, path)  # host values
        sess.run(y, {x: np.ones((1, 4), np.float32)})
        runner = runner_for(sess, y)
        if not runner.upload_read_only:  # on a CPU: ask for it, as a GPU run does by itself
            runner.upload_read_only = True
            assert isinstance(sess._state.variables["w"], np.ndarray)
        np.testing.assert_array_equal(sess.run(y, {x: np.ones((2, 4), np.float32)}),
                                      np.full((2, 3), 16.0))
        held = sess._state.variables["w"]
        assert isinstance(held, jax.Array) and held.dtype == np.float32
        assert sess._state.variables["n"].dtype == np.int64
        np.testing.assert_array_equal(sess.run(y, {x: np.ones((2, 4), np.float32)}),
                                      np.full((2, 3), 16.0))
        assert sess._state.variables["w"] is held  # not uploaded again
        np.testing.assert_array_equal(sess.run(w), np.full((4, 3), 2.0))

def test_numpy_plans_and_saver_see_xla_variables(tmp_path):
    v = tf.Variable(np.arange(4, dtype=np.float32), name="v")
    step = tf.assign(v, v * 2.0)
    saver = tf.train.Saver()
    with tf.Session(config=xla_config()) as sess:
        sess.run(v.initializer)
        sess.run(step)
        path = saver.save(sess, str(tmp_path / "model"))
        u, _ = tf.unique(tf.cast(v, tf.int32))  # a numpy-only plan reading the variable
        np.testing.assert_array_equal(sess.run(u), [0, 2, 4, 6])
        sess.run(step)
        np.testing.assert_allclose(sess.run(v), [0, 4, 8, 12])
    with tf.Session() as sess:
        saver.restore(sess, path)
        np.testing.assert_allclose(sess.run(v), [0, 2, 4, 6])


def test_reads_see_assignments_ordered_before_them():
    v = tf.Variable(1.0, name="v")
    a = tf.assign(v, 5.0)
    with tf.control_dependencies([a]):
        after = v.read_value() + 0.0
    before = v.read_value() + 0.0
    with tf.Session(config=xla_config()) as sess:
        sess.run(v.initializer)
        assert sess.run([before, after]) == [1.0, 5.0]


# --- training -----------------------------------------------------------------------------------
def _train(optimizer, config, steps=25):
    g = tf.Graph()
    rng = np.random.default_rng(0)
    x_data = rng.normal(size=(64, 5)).astype(np.float32)
    y_data = (x_data @ rng.normal(size=(5, 1)) + 0.3).astype(np.float32)
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 5])
        y = tf.placeholder(tf.float32, [None, 1])
        w1 = tf.Variable(rng.normal(size=(5, 8)).astype(np.float32) * 0.5, name="w1")
        b1 = tf.Variable(np.zeros(8, np.float32), name="b1")
        w2 = tf.Variable(rng.normal(size=(8, 1)).astype(np.float32) * 0.5, name="w2")
        h = tf.nn.relu(tf.matmul(x, w1) + b1)
        loss = tf.reduce_mean(tf.square(tf.matmul(h, w2) - y))
        train = optimizer().minimize(loss)
        init = tf.global_variables_initializer()
    losses = []
    with tf.Session(graph=g, config=config) as sess:
        sess.run(init)
        for _ in range(steps):
            losses.append(sess.run([train, loss], {x: x_data, y: y_data})[1])
        final = sess.run([w1, b1, w2])
        modes = {r.mode for r in runners(sess)}
    return np.array(losses), final, modes


@pytest.mark.parametrize("optimizer", [
    lambda: tf.train.GradientDescentOptimizer(0.05),
    lambda: tf.train.AdamOptimizer(0.01),
    lambda: tf.train.MomentumOptimizer(0.02, 0.9, use_nesterov=True),
], ids=["sgd", "adam", "momentum"])
def test_training_loop_matches_numpy(optimizer):
    want, want_vars, _ = _train(optimizer, None)
    got, got_vars, modes = _train(optimizer, xla_config())
    assert modes == {"xla"}
    assert got[-1] < got[0] * 0.9
    np.testing.assert_allclose(got, want, rtol=1e-4)
    for a, b in zip(got_vars, want_vars):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


# --- plans split into an XLA head and a numpy tail -----------------------------------------------
def _summary_step(config):
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        w = tf.Variable(np.full((3, 1), 0.5, np.float32), name="w")
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - 1.0))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        merged = tf.summary.merge([tf.summary.histogram("w", w)])
        init = tf.global_variables_initializer()
    out = []
    with tf.Session(graph=g, config=config) as sess:
        sess.run(init)
        for step in range(3):
            xv = np.full((4, 3), step + 1.0, np.float32)
            out.append(sess.run([train, loss, merged], {x: xv})[1:])
        out.append(sess.run(w))
        modes = sorted(r.mode for r in runners(sess))
    return out, modes


def test_summaries_run_after_the_xla_part():
    want, _ = _summary_step(None)
    got, modes = _summary_step(cpu_xla_config())
    assert modes == ["split", "xla", "xla"]  # the step with summaries; initializer; read of w
    for (loss_a, summ_a), (loss_b, summ_b) in zip(got[:-1], want[:-1]):
        np.testing.assert_allclose(loss_a, loss_b, rtol=1e-5)
        assert len(summ_a) == len(summ_b)
    assert got[0][1] == want[0][1]  # same bytes: the histogram saw the initial (pre-step) w
    np.testing.assert_allclose(got[-1], want[-1], rtol=1e-5)


def test_print_after_an_assignment_sees_the_new_value():
    v = tf.Variable(2.0, name="v")
    inc = tf.assign_add(v, 1.0)
    with tf.control_dependencies([inc]):
        printed = tf.Print(v.read_value(), [v], "v=")
    with tf.Session(config=cpu_xla_config()) as sess:
        sess.run(v.initializer)
        assert sess.run(printed) == 3.0
        assert runner_for(sess, printed).mode in ("split", "numpy")
        assert sess.run(v) == 3.0


# --- cond with a predicate computed from data -------------------------------------------------
def _data_cond_graph():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [3], name="x")
        idx = tf.placeholder(tf.int32, [], name="idx")
        v = tf.Variable([1.0, 2.0, 3.0], name="v")
        count = tf.Variable(0, name="count")

        def taken():
            # the gather's index is only valid when this branch is taken
            with tf.control_dependencies([tf.assign_add(v, x), tf.assign_add(count, 1)]):
                return tf.gather(x, idx) * 2.0

        def skipped():
            return tf.constant(-1.0)

        out = tf.cond(tf.reduce_all(tf.is_finite(x)), taken, skipped)
        init = tf.global_variables_initializer()
    return g, x, idx, v, count, out, init


@pytest.mark.parametrize("config", [None, "xla"])
def test_cond_on_a_data_predicate_selects_on_xla(config):
    """Dynamic loss scaling's idiom: update variables only when every value is finite."""
    g, x, idx, v, count, out, init = _data_cond_graph()
    cfg = xla_config() if config else None
    with tf.Session(graph=g, config=cfg) as sess:
        sess.run(init)
        got = [sess.run(out, {x: [1.0, 2.0, 3.0], idx: 2}),
               sess.run(out, {x: [1.0, np.inf, 3.0], idx: 7}),  # skipped: bad index unused
               sess.run(out, {x: [0.5, 0.5, 0.5], idx: 0})]
        assert got == [6.0, -1.0, 1.0]
        np.testing.assert_array_equal(sess.run(v), [2.5, 4.5, 6.5])
        assert sess.run(count) == 2
        if config:
            assert runner_for(sess, out).mode == "xla"
            # the taken branch's bad index is still TF's error, with nothing changed
            with pytest.raises(errors.InvalidArgumentError):
                sess.run(out, {x: [1.0, 1.0, 1.0], idx: 9})
            np.testing.assert_array_equal(sess.run(v), [2.5, 4.5, 6.5])
            assert sess.run(count) == 2


def test_mixed_precision_training_step_compiles_whole():
    """The loss-scaled update (a cond on "all gradients finite") runs inside the executable."""
    results = []
    for config in (None, xla_config()):
        g = tf.Graph()
        with g.as_default():
            x = tf.placeholder(tf.float32, [8, 4])
            y = tf.placeholder(tf.float32, [8, 1])
            w = tf.get_variable("w", [4, 1], initializer=tf.ones_initializer())
            loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
            opt = tf.train.experimental.MixedPrecisionLossScaleOptimizer(
                tf.train.GradientDescentOptimizer(0.01), "dynamic")
            train = opt.minimize(loss)
            init = tf.global_variables_initializer()
            with tf.Session(graph=g, config=config) as sess:
                sess.run(init)
                for i in range(5):
                    xv = np.full([8, 4], np.inf if i == 2 else 1.0, np.float32)
                    sess.run(train, {x: xv, y: np.zeros([8, 1], np.float32)})
                results.append(sess.run(tf.global_variables()))
                if config is not None:
                    assert [r.mode for r in runners(sess)] == ["xla"] * 3  # init, step, read
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    assert results[1][1] == 2.0 ** 15 / 2  # the non-finite step halved the scale


def test_two_variables_written_with_one_value_stay_independent():
    a = tf.Variable([1.0, 2.0], name="a")
    b = tf.Variable([0.0, 0.0], name="b")
    x = tf.placeholder(tf.float32, [2])
    same = x * 2.0
    both = tf.group(tf.assign(a, same), tf.assign(b, same))
    bump = tf.assign_add(a, [10.0, 10.0])
    with tf.Session(config=xla_config()) as sess:
        sess.run([a.initializer, b.initializer])
        sess.run(both, {x: [1.0, 3.0]})
        sess.run(bump)
        np.testing.assert_allclose(sess.run(a), [12.0, 16.0])
        np.testing.assert_allclose(sess.run(b), [2.0, 6.0])  # not changed through a
        assert all(r.mode == "xla" for r in runners(sess))

