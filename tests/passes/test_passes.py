"""Graph passes: each checked on a plan before and after, and for unchanged results."""

import numpy as np

import tensorflux as tf
from tensorflux.client import plan as plan_lib
from tensorflux.passes import constant_folding, cse


def _plan(fetches, feeds=()):
    ops = plan_lib.prune(list(fetches), [], tuple(feeds))
    return plan_lib.Plan(ops, tuple(feeds), list(fetches), [])


def test_cse_merges_identical_pure_ops():
    x = tf.placeholder(tf.float32, [3])
    a = tf.exp(x)
    b = tf.exp(x)
    y = a + b
    before = _plan([y], [x])
    after = cse.eliminate(before)
    assert [op.type for op in before.ops].count("Exp") == 2
    assert [op.type for op in after.ops].count("Exp") == 1
    assert after.resolve(b) is a
    with tf.Session() as sess:
        v = np.array([0.0, 1.0, 2.0], np.float32)
        np.testing.assert_allclose(sess.run(y, {x: v}), 2 * np.exp(v), rtol=1e-6)


def test_cse_merges_equal_constants_by_value():
    c1 = tf.constant([1.0, 2.0])
    c2 = tf.constant([1.0, 2.0])
    c3 = tf.constant([1.0, 3.0])
    after = cse.eliminate(_plan([c1 + c2 + c3]))
    assert after.resolve(c2) is c1
    assert after.resolve(c3) is c3


def test_cse_never_merges_stateful_ops():
    r1 = tf.random_normal([4], seed=1)
    r2 = tf.random_normal([4], seed=1)
    after = cse.eliminate(_plan([r1 - r2]))
    assert [op.type for op in after.ops].count("RandomStandardNormal") == 2
    v = tf.Variable(1.0)
    i1 = v.assign_add(1.0)
    i2 = v.assign_add(1.0)
    after = cse.eliminate(_plan([i1, i2]))
    assert [op.type for op in after.ops].count("AssignAdd") == 2


def test_cse_keeps_fed_tensors_apart():
    x = tf.placeholder(tf.float32, [])
    a = tf.square(x)
    b = tf.square(x)
    with tf.Session() as sess:
        assert sess.run(a + b, {x: 2.0, b: 10.0}) == 14.0


def test_constant_folding_replaces_constant_subgraphs():
    x = tf.placeholder(tf.float32, [None, 3])
    k = tf.constant(2.0) * tf.constant(3.0)
    y = x * k + tf.cast(tf.shape(tf.zeros([5, 3]))[0], tf.float32)
    before = _plan([y], [x])
    after = constant_folding.fold(before)
    folded = {op.type for op in before.ops} - {op.type for op in after.ops}
    # tf.shape of a fully known shape is itself a constant (as in TF), so no Shape op here.
    assert {"Const", "StridedSlice", "Cast"} <= folded
    assert sorted(op.type for op in after.ops) == ["Add", "Mul"]
    assert float(after.constants[k]) == 6.0
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(y, {x: np.ones((2, 3))}), np.full((2, 3), 11.0))


def test_constant_folding_materialises_static_shapes_only():
    x = tf.placeholder(tf.float32, [None, 3])
    s_dyn = tf.shape(x)
    s_static = tf.shape(tf.ones([2, 3]) + 1.0)
    after = constant_folding.fold(_plan([s_dyn, s_static], [x]))
    assert s_static in after.constants and s_dyn not in after.constants
    with tf.Session() as sess:
        a, b = sess.run([s_dyn, s_static], {x: np.zeros((7, 3))})
    assert list(a) == [7, 3] and list(b) == [2, 3]


def test_constant_folding_leaves_failing_ops_for_run_time():
    bad = tf.reshape(tf.constant([1, 2, 3]), tf.placeholder_with_default([2, 2], shape=[2]))
    after = constant_folding.fold(_plan([bad]))
    assert any(op.type == "Reshape" for op in after.ops)
    with tf.Session() as sess:
        try:
            sess.run(bad)
        except tf.errors.InvalidArgumentError as e:
            assert "Reshape" in str(e)
        else:
            raise AssertionError("expected InvalidArgumentError")


def test_folded_fetches_are_fresh_arrays():
    c = tf.constant([1.0, 2.0]) * 2.0
    with tf.Session() as sess:
        v = sess.run(c)
        v[0] = 100.0
        np.testing.assert_array_equal(sess.run(c), [2.0, 4.0])


def test_passes_off_with_l0():
    cfg = tf.ConfigProto()
    cfg.graph_options.optimizer_options.opt_level = tf.OptimizerOptions.L0
    x = tf.constant(1.0) + tf.constant(1.0)
    p = _plan([x])
    assert cse.eliminate(p, cfg) is p and constant_folding.fold(p, cfg) is p
    with tf.Session(config=cfg) as sess:
        assert sess.run(x) == 2.0
