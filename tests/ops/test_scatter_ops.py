"""Variable scatter ops (tf.scatter_* and tf.scatter_nd_*) against real TensorFlow, and their
state rules: each run writes a new array (a value fetched earlier is not changed), an index
error leaves the variable as it was, and the XLA kernels agree with numpy.

The TensorFlow cases are the `scatter*` cases of tools/fixtures/gen_array_extras.py.
"""

import numpy as np
import pytest
from test_array_extras import ALL_CASES, ARRAYS, check_fixture_case, check_fixture_error

import tensorflux as tf

CASES = [c for c in ALL_CASES if c["name"].startswith("scatter")]


@pytest.mark.parametrize("spec", [c for c in CASES if not c["error"]],
                         ids=[c["name"] for c in CASES if not c["error"]])
def test_case_matches_tf(spec):
    check_fixture_case(spec, ARRAYS)


@pytest.mark.parametrize("spec", [c for c in CASES if c["error"]],
                         ids=[c["name"] for c in CASES if c["error"]])
def test_error_matches_tf(spec):
    check_fixture_error(spec, ARRAYS)


def _variable():
    return tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2), name="v")


def test_runs_accumulate_and_never_write_in_place():
    v = _variable()
    add = tf.scatter_add(v, [0, 0], [[1.0, 1.0], [2.0, 2.0]])
    with tf.Session() as sess:
        sess.run(v.initializer)
        before = sess.run(v)
        first = sess.run(add)
        second = sess.run(add)
        np.testing.assert_array_equal(before, np.arange(6).reshape(3, 2))
        np.testing.assert_array_equal(first[0], [3, 4])
        np.testing.assert_array_equal(second[0], [6, 7])
        np.testing.assert_array_equal(sess.run(v)[0], [6, 7])


def test_index_error_leaves_the_variable_unchanged():
    v = _variable()
    i = tf.placeholder(tf.int32, [2])
    upd = tf.scatter_update(v, i, [[9.0, 9.0], [8.0, 8.0]])
    nd = tf.scatter_nd_add(v, tf.reshape(i, [1, 2]), [5.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[1\] = 3 is not in "
                                                                 r"\[0, 3\)"):
            sess.run(upd, {i: [0, 3]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="does not index into shape"):
            sess.run(nd, {i: [3, 0]})
        np.testing.assert_array_equal(sess.run(v), np.arange(6).reshape(3, 2))
        np.testing.assert_array_equal(sess.run(nd, {i: [2, 1]})[2], [4, 10])


def test_integer_division_rounds_toward_zero_and_scalar_updates():
    w = tf.Variable([7, -7, 9, 4], name="w")
    div = tf.scatter_div(w, [0, 1, 1], [2, 2, 1])
    with tf.Session() as sess:
        sess.run(w.initializer)
        np.testing.assert_array_equal(sess.run(div), [3, -3, 9, 4])
        np.testing.assert_array_equal(sess.run(tf.scatter_update(w, [2, 3], 0)), [3, -3, 0, 0])


def test_not_differentiable_and_needs_a_variable():
    v = _variable()
    u = tf.placeholder(tf.float32, [1, 2])
    out = tf.scatter_update(v, [1], u)
    assert tf.gradients(out, u) == [None]
    with pytest.raises(TypeError, match="requires that input 'ref' be a mutable"):
        tf.scatter_add(tf.constant([1.0, 2.0]), [0], [1.0])
    with pytest.raises(TypeError, match="indices"):
        tf.scatter_add(v, [0.5], [[1.0, 2.0]])


@pytest.mark.parametrize("mode", ["update", "add", "sub", "mul", "div", "min", "max",
                                  "nd_update", "nd_add", "nd_sub"])
def test_xla_matches_numpy(mode, monkeypatch):
    pytest.importorskip("jax")
    from tensorflux.backends.xla import compiler

    monkeypatch.setenv("TENSORFLUX_XLA_MIN_RUNS", "0")
    monkeypatch.setattr(compiler, "_STRICT", True)
    results = []
    for jit in (False, True):
        g = tf.Graph()
        with g.as_default():
            v = tf.Variable(np.arange(1, 7, dtype=np.float32).reshape(3, 2), name="v")
            nd = mode.startswith("nd_")
            i = tf.placeholder(tf.int32, [2, 1] if nd else [2])
            u = tf.placeholder(tf.float32, [2, 2])
            op = getattr(tf, "scatter_" + mode)(v, i, u)
            config = tf.ConfigProto()
            if jit:
                config.graph_options.optimizer_options.global_jit_level = \
                    tf.OptimizerOptions.ON_1
            with tf.Session(graph=g, config=config) as sess:
                sess.run(v.initializer)
                # Repeated indices accumulate; for updates their order is undefined (as in TF).
                idx = [[2], [0]] if nd else ([2, 0] if mode == "update" else [2, 2])
                feed = {i: idx, u: [[2.0, -1.0], [4.0, 0.5]]}
                results.append([sess.run(op, feed), sess.run(op, feed), sess.run(v)])
                if jit:
                    modes = [r.call.mode for r in sess._runners.values()
                             if isinstance(r.call, compiler.PlanRunner)]
                    assert modes and all(m == "xla" for m in modes), modes
                    bad = {i: [[3], [0]] if nd else [0, 5], u: feed[u]}
                    with pytest.raises(tf.errors.InvalidArgumentError):
                        sess.run(op, bad)
                    np.testing.assert_array_equal(sess.run(v), results[-1][2])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-6)
