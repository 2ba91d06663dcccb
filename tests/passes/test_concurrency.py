"""The concurrency pass (passes/concurrency.py) and the interpreter's helper thread
(backends/numpy/concurrent.py): plans before and after, and results equal to one thread's."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux import errors
from tensorflux.backends.numpy import concurrent
from tensorflux.client import plan as plan_lib
from tensorflux.passes import concurrency, pipeline

SHAPE = [32, 64, 64, 3]  # 393,216 elements: above the hand-over threshold


def _plan(fetches, feeds=()):
    ops = plan_lib.prune(list(fetches), [], tuple(feeds))
    return plan_lib.Plan(ops, tuple(feeds), list(fetches), [])


def _config(threads):
    return tf.ConfigProto(inter_op_parallelism_threads=threads)


def _branch(x):
    y = tf.cast(x, tf.float32) * (1 / 255.0)
    y = tf.reverse(y, [2])
    m = tf.reduce_mean(y, axis=[1, 2, 3], keepdims=True)
    return tf.transpose(tf.tanh(y - m), [0, 3, 1, 2])


def _two_branches():
    x1 = tf.placeholder(tf.uint8, SHAPE)
    x2 = tf.placeholder(tf.uint8, SHAPE)
    out = tf.concat([_branch(x1), _branch(x2)], 1)
    rng = np.random.default_rng(0)
    feed = {x1: rng.integers(0, 255, SHAPE, np.uint8), x2: rng.integers(0, 255, SHAPE, np.uint8)}
    return x1, x2, out, feed


def _topological(plan):
    seen = set()
    for op in plan.ops:
        for t in op.inputs:
            p = plan.resolve(t).op
            assert p not in plan.ops or p in seen, (op.name, p.name)
        for c in op.control_inputs:
            assert c not in plan.ops or c in seen, (op.name, c.name)
        seen.add(op)


def test_independent_branches_split_between_threads():
    x1, x2, out, _ = _two_branches()
    before = _plan([out], [x1, x2])
    after = concurrency.schedule(before, _config(2))
    assert not before.concurrent
    # one whole branch goes to the helper (and perhaps the concat that joins them)
    names = sorted(op.name for op in after.concurrent if op.type != "ConcatV2")
    branch = {n.rsplit("_", 1)[-1] == "1" or n == "transpose_1" for n in names}
    assert len(names) >= 5 and len(branch) == 1, names
    assert sorted(op.name for op in after.ops) == sorted(op.name for op in before.ops)
    _topological(after)
    assert all(op.type in concurrency._HELPER_TYPES for op in after.concurrent)
    # each helper op is handed over before the calling thread's ops that overlap it
    first_helper = min(after.ops.index(op) for op in after.concurrent)
    assert first_helper <= 2


def test_one_thread_chains_and_small_ops_are_left_alone():
    x1, x2, out, _ = _two_branches()
    before = _plan([out], [x1, x2])
    assert concurrency.schedule(before, _config(1)) is before
    y = tf.placeholder(tf.float32, SHAPE)
    chain = tf.transpose(tf.tanh(tf.exp(y) * 2.0), [0, 3, 1, 2])  # nothing independent
    p = _plan([chain], [y])
    assert concurrency.schedule(p, _config(2)) is p
    s1, s2 = tf.placeholder(tf.float32, [8, 8]), tf.placeholder(tf.float32, [8, 8])
    small = _plan([tf.exp(s1) + tf.tanh(s2)], [s1, s2])  # too small to hand over
    assert concurrency.schedule(small, _config(2)) is small


def test_stateful_ops_keep_their_order():
    x1, x2, out, _ = _two_branches()
    v = tf.Variable(0.0)
    a1 = v.assign_add(1.0)
    with tf.control_dependencies([a1]):
        a2 = v.assign(v * 3.0)
    with tf.control_dependencies([out, a2]):
        a3 = v.assign_add(2.0)
    before = _plan([a3], [x1, x2])
    after = concurrency.schedule(before, _config(2))
    assert after.concurrent
    stateful = [op for op in before.ops if op.op_def.stateful]
    assert [op for op in after.ops if op.op_def.stateful] == stateful
    _topological(after)
    assert not any(op.op_def.stateful for op in after.concurrent)


def test_variables_are_never_handed_over():
    w = tf.Variable(tf.ones(SHAPE))
    x = tf.placeholder(tf.float32, SHAPE)
    out = tf.exp(w) + tf.tanh(x * 2.0)
    after = concurrency.schedule(_plan([out], [x]), _config(2))
    assert all(plan_lib.Plan.resolve(after, t).op.type != "VariableV2"
               for op in after.concurrent for t in op.inputs)


def test_results_equal_one_thread():
    x1, x2, out, feed = _two_branches()
    with tf.Session(config=_config(1)) as s1, tf.Session(config=_config(2)) as s2:
        want = s1.run(out, feed)
        got = s2.run(out, feed)
        runner = next(iter(s2._runners.values()))
        assert runner.plan.concurrent
        for _ in range(3):  # repeated runs reuse the plan and the helper thread
            np.testing.assert_array_equal(s2.run(out, feed), want)
    np.testing.assert_array_equal(got, want)


def test_helper_error_is_the_ops_error_and_state_is_kept():
    x = tf.placeholder(tf.float32, SHAPE)
    idx = tf.placeholder(tf.int32, [SHAPE[0]])
    v = tf.Variable(5.0)
    bad = tf.gather(tf.exp(x), idx)  # on the helper, fails for an index out of range
    other = tf.transpose(tf.tanh(x * 2.0), [0, 3, 1, 2])
    with tf.control_dependencies([other]):
        bump = v.assign_add(1.0)
    with tf.control_dependencies([bump]):
        out = tf.reduce_sum(bad) + tf.reduce_sum(other)
    feed = {x: np.ones(SHAPE, np.float32), idx: np.arange(SHAPE[0], dtype=np.int32)}
    with tf.Session(config=_config(2)) as sess:
        sess.run(v.initializer)
        ok = sess.run(out, feed)
        assert np.isfinite(ok)
        plan = next(p.plan for p in sess._runners.values() if p.plan.concurrent)
        assert "GatherV2" in {op.type for op in plan.concurrent}
        feed[idx] = np.full([SHAPE[0]], 99, np.int32)
        with pytest.raises(errors.InvalidArgumentError, match="GatherV2"):
            sess.run(out, feed)
        assert sess.run(v) == 6.0  # the failing run's assign_add was rolled back


def test_control_edges_from_helper_ops_are_waited_for():
    x1, x2, out, feed = _two_branches()
    v = tf.Variable(0.0)
    with tf.control_dependencies([out.op]):
        done = v.assign_add(1.0)
    with tf.Session(config=_config(2)) as sess:
        sess.run(v.initializer)
        for _ in range(3):
            sess.run(done, feed)
        assert sess.run(v) == 3.0


def test_training_step_matches_one_thread():
    def build():
        tf.reset_default_graph()
        tf.set_random_seed(1)
        x = tf.placeholder(tf.float32, [64, 32, 32, 3])
        y = tf.placeholder(tf.int32, [64])
        a = tf.layers.conv2d(x, 8, 3, activation=tf.nn.relu)
        b = tf.layers.conv2d(tf.tanh(x) * 2.0, 8, 3, activation=tf.nn.elu)
        logits = tf.layers.dense(tf.layers.flatten(tf.concat([a, b], -1)), 10)
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        return x, y, loss, tf.train.AdamOptimizer(1e-3).minimize(loss)

    rng = np.random.default_rng(3)
    xs = rng.standard_normal([64, 32, 32, 3]).astype(np.float32)
    ys = rng.integers(0, 10, [64]).astype(np.int32)
    losses = {}
    for threads in (1, 2):
        x, y, loss, train = build()
        with tf.Session(config=_config(threads)) as sess:
            sess.run(tf.global_variables_initializer())
            losses[threads] = [sess.run([loss, train], {x: xs, y: ys})[0] for _ in range(3)]
    assert losses[1] == losses[2]


def test_every_op_suite_case_runs_on_the_helper(monkeypatch):
    """The XLA suite's cases (every op type with an XLA kernel) run with every movable op on
    the helper thread, however small, and must give what one thread gives."""
    suite = pytest.importorskip("tests.backends.test_xla_consistency")

    def everything(plan, config=None):
        if plan.segments or concurrency.inter_op_threads(config) < 2:
            return plan
        return plan.replace(concurrent=frozenset(
            op for op in plan.ops if concurrency._helper_ok(op, plan)))

    monkeypatch.setattr(concurrent, "MIN_ELEMENTS", 0)
    monkeypatch.setattr(pipeline, "PASSES", [everything if p is concurrency.schedule else p
                                             for p in pipeline.PASSES])
    handed = set()
    for name in sorted(suite.CASES):
        g, feeds, fetches, variables, init = suite.build(suite.CASES[name])
        results = []
        for threads in (1, 2):
            with tf.Session(graph=g, config=_config(threads)) as sess:
                if init is not None:
                    sess.run(init)
                out = sess.run(fetches, feeds)
                results.append((out if isinstance(fetches, (list, tuple)) else [out],
                                sess.run(variables) if variables else []))
                if threads == 2:
                    for r in sess._runners.values():
                        handed.update(op.type for op in r.plan.concurrent)
        (want, want_vars), (got, got_vars) = results
        names = fetches if isinstance(fetches, (list, tuple)) else [fetches]
        for t, a, b in zip(names, got, want):
            if a is not None:
                suite.assert_same(a, b, "%s: %s" % (name, getattr(t, "name", t)))
        for v, a, b in zip(variables, got_vars, want_vars):
            suite.assert_same(a, b, v.name)
    assert len(handed) > 40, sorted(handed)


def _conv_pair():
    x = tf.placeholder(tf.float32, [32, 14, 14, 32])
    w = tf.constant(np.random.default_rng(1).standard_normal([5, 5, 32, 64]).astype(np.float32))
    y = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")
    loss = tf.reduce_sum(tf.square(y))
    dx, dw = tf.gradients(loss, [x, w])
    feed = {x: np.random.default_rng(2).standard_normal([32, 14, 14, 32]).astype(np.float32)}
    return x, dx, dw, feed


@pytest.mark.skipif(not concurrency.one_core_available() or
                    concurrency.onednn.runtime() is None, reason="needs oneDNN with GNU OpenMP")
def test_independent_onednn_gradients_run_side_by_side_on_one_core_each():
    x, dx, dw, feed = _conv_pair()
    with tf.Session(config=_config(2)) as sess:
        got = sess.run([dx, dw], feed)
        plan = next(r.plan for r in sess._runners.values())
        pair = sorted(op.type for op in plan.one_core)
        assert pair == ["Conv2DBackpropFilter", "Conv2DBackpropInput"], pair
        assert len(plan.concurrent & plan.one_core) == 1  # one on the helper, one here
        again = sess.run([dx, dw], feed)
    with tf.Session(config=_config(1)) as sess:
        want = sess.run([dx, dw], feed)
        assert not next(r.plan for r in sess._runners.values()).one_core
    for a, b, c in zip(got, again, want):
        np.testing.assert_array_equal(a, b)  # the same every run
        # one core or two: oneDNN may sum the batch in another order
        np.testing.assert_allclose(a, c, rtol=1e-4, atol=1e-4 * np.abs(c).max())


def test_dependent_or_unbalanced_onednn_ops_are_not_paired():
    x = tf.placeholder(tf.float32, [32, 14, 14, 32])
    w = tf.ones([5, 5, 32, 32])
    y = tf.nn.conv2d(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"), w, [1, 1, 1, 1], "SAME")
    chain = concurrency.schedule(_plan([y], [x]), _config(2))
    assert not chain.one_core  # the second reads the first
    small = tf.nn.conv2d(x, tf.ones([1, 1, 32, 4]), [1, 1, 1, 1], "SAME")
    big = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")
    p = concurrency.schedule(_plan([small, big], [x]), _config(2))
    assert not p.one_core  # 1x1x32x4 against 5x5x32x32: far from balanced


@pytest.mark.skipif(not concurrency.one_core_available() or
                    concurrency.onednn.runtime() is None, reason="needs oneDNN with GNU OpenMP")
def test_a_failing_pair_raises_the_ops_error_and_the_session_goes_on():
    x = tf.placeholder(tf.float32, [None, 14, 14, 32])
    gy = tf.placeholder(tf.float32, [None, 14, 14, 64])
    w = tf.constant(np.ones([5, 5, 32, 64], np.float32))
    dx = tf.nn.conv2d_backprop_input(tf.shape(x), w, gy, [1, 1, 1, 1], "SAME")
    dw = tf.nn.conv2d_backprop_filter(x, [5, 5, 32, 64], gy, [1, 1, 1, 1], "SAME")
    good = {x: np.ones([4, 14, 14, 32], np.float32), gy: np.ones([4, 14, 14, 64], np.float32)}
    with tf.Session(config=_config(2)) as sess:
        want = sess.run([dx, dw], good)
        plan = next(r.plan for r in sess._runners.values())
        assert len(plan.one_core) == 2
        with pytest.raises(errors.InvalidArgumentError, match="out_backprop"):
            sess.run([dx, dw], {x: good[x], gy: np.ones([3, 14, 14, 64], np.float32)})
        for a, b in zip(sess.run([dx, dw], good), want):
            np.testing.assert_array_equal(a, b)
