"""tf.cond, tf.case, tf.while_loop, map_fn / scan / foldl / foldr: values, laziness, state,
shapes, names and errors as TF 1.x, and finite-difference gradients.

Names, shapes and messages were checked against TensorFlow 2.21 (tf.compat.v1 graph mode, whose
cond / while_loop build the same If / While ops).
"""

import collections

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf


def _run(fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


# --- tf.cond ---------------------------------------------------------------------------------
def test_cond_picks_a_branch_and_names_like_tf():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    p = tf.placeholder(tf.bool, [], name="p")
    r = tf.cond(p, lambda: x * 2, lambda: x + 1)
    assert r.name == "cond/Identity:0" and r.shape.as_list() == [None, 3]
    assert r.op.inputs[0].op.type == "StatelessIf" and r.op.inputs[0].op.name == "cond"
    r2 = tf.cond(p, lambda: x, lambda: x)
    assert r2.name == "cond_1/Identity:0"
    xv = np.arange(6, dtype=np.float32).reshape(2, 3)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(r, {x: xv, p: True}), xv * 2)
        np.testing.assert_array_equal(sess.run(r, {x: xv, p: False}), xv + 1)
        np.testing.assert_array_equal(sess.run(r2, {x: xv, p: False}), xv)


def test_only_the_taken_branch_runs():
    calls = []

    def record(tag):
        def f(a):
            calls.append(tag)
            return a
        return f

    p = tf.placeholder(tf.bool, [])
    x = tf.constant([1.0, -1.0])
    r = tf.cond(p, lambda: tf.py_func(record("t"), [x], tf.float32),
                lambda: tf.py_func(record("f"), [x], tf.float32))
    bad = tf.cond(p, lambda: tf.identity(x),
                  lambda: tf.check_numerics(tf.log(x), "must not run"))
    with tf.Session() as sess:
        sess.run(r, {p: True})
        sess.run(r, {p: False})
        sess.run(r, {p: False})
        np.testing.assert_array_equal(sess.run(bad, {p: True}), [1, -1])
        with pytest.raises(tf.errors.InvalidArgumentError, match="must not run"):
            sess.run(bad, {p: False})
    assert calls == ["t", "f", "f"]


def test_stateful_branches_assign_the_session_variables():
    v = tf.Variable(10, name="v")
    p = tf.placeholder(tf.bool, [])
    r = tf.cond(p, lambda: tf.assign_add(v, 1), lambda: tf.assign_sub(v, 5))
    assert r.op.inputs[0].op.type == "If"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(r, {p: True}) == 11
        assert sess.run(r, {p: True}) == 12
        assert sess.run(r, {p: False}) == 7
        assert sess.run(v) == 7


def test_branch_reads_variable_after_assignment_by_control_dependency():
    v = tf.Variable(1.0)
    p = tf.placeholder(tf.bool, [])

    def true_fn():
        a = v.assign(5.0)
        with tf.control_dependencies([a]):
            return v.read_value() * 2

    r = tf.cond(p, true_fn, lambda: v.read_value())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(r, {p: False}) == 1.0
        assert sess.run(r, {p: True}) == 10.0
        assert sess.run(v) == 5.0


def test_random_ops_in_branches_draw_fresh_values():
    p = tf.placeholder(tf.bool, [])
    r = tf.cond(p, lambda: tf.random_uniform([3]), lambda: tf.zeros([3]))
    with tf.Session() as sess:
        a, b = sess.run(r, {p: True}), sess.run(r, {p: True})
    assert not np.array_equal(a, b) and np.all((a >= 0) & (a < 1))


def test_outer_control_dependencies_order_the_cond():
    v = tf.Variable(0)
    p = tf.placeholder(tf.bool, [])
    inc = tf.assign_add(v, 1)
    with tf.control_dependencies([inc]):
        r = tf.cond(p, lambda: v.read_value(), lambda: tf.constant(-1))

    def body_dep():
        with tf.control_dependencies([inc]):
            return tf.identity(v.read_value())

    r2 = tf.cond(p, body_dep, lambda: tf.constant(-1))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(r, {p: True}) == 1
        assert sess.run(r2, {p: True}) == 2
        assert sess.run(r2, {p: False}) == -1
        assert sess.run(v) == 3  # inc is a control input of the whole cond


def test_cond_structures_and_strict():
    p = tf.constant(True)
    x = tf.constant([1.0, 2.0])
    d = tf.cond(p, lambda: {"a": x, "b": (x, 3)}, lambda: {"a": -x, "b": (x * 0, 4)})
    assert sorted(d) == ["a", "b"] and isinstance(d["b"], tuple)
    assert d["a"].name == "cond/Identity:0" and d["b"][1].name == "cond/Identity_2:0"
    single = tf.cond(p, lambda: [x], lambda: [x])
    assert isinstance(single, tf.Tensor)
    strict = tf.cond(p, lambda: [x], lambda: [x], strict=True)
    assert isinstance(strict, list) and len(strict) == 1
    mixed = tf.cond(p, lambda: (x,), lambda: x)
    assert isinstance(mixed, tf.Tensor)
    py = tf.cond(p, lambda: 1, lambda: 2)
    assert py.dtype == tf.int32
    op = tf.cond(p, lambda: tf.no_op(), lambda: tf.no_op())
    assert op.dtype == tf.bool and op.shape.ndims == 0
    dv, sv, pv, ov = _run([d, single, py, op])
    assert dv["b"][1] == 3 and pv == 1 and ov
    np.testing.assert_array_equal(sv, [1, 2])


def test_cond_deprecated_fn_keywords():
    p = tf.placeholder(tf.bool, [])
    r = tf.cond(p, fn1=lambda: tf.constant(1), fn2=lambda: tf.constant(2))
    with tf.Session() as sess:
        assert sess.run(r, {p: False}) == 2
    with pytest.raises(TypeError, match="'true_fn' and 'fn1' may not be set simultaneously"):
        tf.cond(p, lambda: 1, lambda: 2, fn1=lambda: 1)


def test_cond_merges_branch_shapes():
    p = tf.placeholder(tf.bool, [])
    r = tf.cond(p, lambda: tf.zeros([2]), lambda: tf.zeros([3]))
    assert r.shape.as_list() == [None]
    r = tf.cond(p, lambda: tf.zeros([2, 3]), lambda: tf.zeros([2, 3]))
    assert r.shape.as_list() == [2, 3]
    r = tf.cond(p, lambda: tf.zeros([2]), lambda: tf.zeros([2, 3]))
    assert r.shape.ndims is None
    with tf.Session() as sess:
        assert sess.run(r, {p: False}).shape == (2, 3)


def test_cond_errors_like_tf():
    p = tf.placeholder(tf.bool, [])
    with pytest.raises(TypeError, match="^'pred' must not be a Python bool.$"):
        tf.cond(True, lambda: 1, lambda: 2)
    with pytest.raises(TypeError, match="has type int32 that does not match expected type of "
                                        "bool"):
        tf.cond(tf.constant(1), lambda: 1, lambda: 2)
    with pytest.raises(ValueError, match="Shape must be rank 0 but is rank 1"):
        tf.cond(tf.constant([True, False]), lambda: 1, lambda: 2)
    with pytest.raises(TypeError, match="cond\\(\\): 'false_fn' argument required"):
        tf.cond(p, lambda: 1)
    with pytest.raises(TypeError, match="'true_fn' must be callable."):
        tf.cond(p, 1, lambda: 2)
    with pytest.raises(ValueError, match="'true_fn' must have a return value."):
        tf.cond(p, lambda: None, lambda: 2)
    with pytest.raises(ValueError, match="Outputs of 'true_fn' and 'false_fn' must have the same "
                                         "type\\(s\\). Received float32 from 'true_fn' and int32 "
                                         "from 'false_fn'."):
        tf.cond(p, lambda: tf.zeros([2]), lambda: tf.zeros([3], tf.int32))
    with pytest.raises(ValueError, match="don't have the same nested structure"):
        tf.cond(p, lambda: tf.zeros([2]), lambda: [tf.zeros([3]), tf.zeros([3])])
    with pytest.raises(ValueError, match="must return at least one result"):
        tf.cond(p, lambda: [], lambda: [])


def test_numpy_and_constant_preds_are_accepted():
    r = tf.cond(np.bool_(False), lambda: tf.constant(1), lambda: tf.constant(2))
    r2 = tf.cond(tf.constant(True), lambda: tf.constant(1), lambda: tf.constant(2))
    assert _run([r, r2]) == [2, 1]


def test_nested_conds():
    x = tf.placeholder(tf.float32, [])
    r = tf.cond(x > 0, lambda: tf.cond(x > 10, lambda: x * 100, lambda: x * 10),
                lambda: -x)
    with tf.Session() as sess:
        assert [sess.run(r, {x: v}) for v in (20.0, 2.0, -3.0)] == [2000.0, 20.0, 3.0]


def test_variables_made_in_a_branch_live_in_the_outer_graph():
    p = tf.placeholder(tf.bool, [])

    def true_fn():
        with tf.variable_scope("branch"):
            w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
        return w * 3.0

    r = tf.cond(p, true_fn, lambda: tf.zeros([2]))
    (w,) = tf.global_variables()
    assert w.name == "branch/w:0" and w.graph is tf.get_default_graph()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(r, {p: True}), [3, 3])


def test_initialized_value_uses_a_lazy_cond():
    v = tf.Variable([1.0, 2.0], name="v")
    w = tf.Variable(v.initialized_value() * 2, name="w")
    with tf.Session() as sess:
        sess.run(w.initializer)  # v is not initialized: its initial value is used
        np.testing.assert_array_equal(sess.run(w), [2, 4])
        sess.run(v.initializer)
        sess.run(tf.assign(v, [5.0, 5.0]))
        sess.run(w.initializer)
        np.testing.assert_array_equal(sess.run(w), [10, 10])


def test_cond_gradients_finite_differences():
    def f(x, y, p):
        return tf.cond(p, lambda: x * x * y, lambda: tf.sin(x) + y)

    for pv in (True, False):
        check_gradients(f, {"x": np.array([0.5, -1.2]), "y": np.array(1.5), "p": np.array(pv)},
                        op_types=["StatelessIf"])


def test_stateful_cond_gradient_finite_differences():
    def f(x, p):
        return tf.cond(p, lambda: tf.Print(x * x, [x]), lambda: x * 3.0)

    for pv in (True, False):
        check_gradients(f, {"x": np.array([0.5, -1.2]), "p": np.array(pv)},
                        op_types=["If"])


def test_cond_gradient_of_a_tensor_one_branch_ignores():
    x = tf.placeholder(tf.float32, [2])
    y = tf.placeholder(tf.float32, [2])
    p = tf.placeholder(tf.bool, [])
    r = tf.cond(p, lambda: x * 2, lambda: y * 3)
    gx, gy = tf.gradients(r, [x, y])
    feed = {x: [1, 2], y: [3, 4]}
    with tf.Session() as sess:
        feed[p] = True
        np.testing.assert_array_equal(sess.run([gx, gy], feed), [[2, 2], [0, 0]])
        feed[p] = False
        np.testing.assert_array_equal(sess.run([gx, gy], feed), [[0, 0], [3, 3]])


def test_cond_gradient_reuses_the_forward_random_values():
    x = tf.placeholder(tf.float32, [1000])
    p = tf.placeholder(tf.bool, [])
    r = tf.cond(p, lambda: x * tf.cast(tf.random_uniform([1000]) < 0.5, tf.float32),
                lambda: x)
    g = tf.gradients(tf.reduce_sum(r), x)[0]
    with tf.Session() as sess:
        rv, gv = sess.run([r, g], {x: np.ones(1000), p: True})
    np.testing.assert_array_equal(rv, gv)  # the mask the forward pass drew
    assert 300 < rv.sum() < 700


def test_cond_gradient_through_variable():
    w = tf.Variable([1.0, 2.0])
    p = tf.placeholder(tf.bool, [])
    loss = tf.reduce_sum(tf.cond(p, lambda: w * w, lambda: w * 5.0))
    (g,) = tf.gradients(loss, [w])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(g, {p: True}), [2, 4])
        np.testing.assert_array_equal(sess.run(g, {p: False}), [5, 5])


def test_cond_gradient_does_not_rerun_side_effects():
    v = tf.Variable(0.0)
    x = tf.placeholder(tf.float32, [])
    p = tf.placeholder(tf.bool, [])

    def true_fn():
        with tf.control_dependencies([tf.assign_add(v, 1.0)]):
            return x * 2.0

    r = tf.cond(p, true_fn, lambda: x)
    (g,) = tf.gradients(r, x)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run([r, g], {x: 3.0, p: True}) == [6.0, 2.0]
        assert sess.run(v) == 1.0
        assert sess.run(g, {x: 3.0, p: True}) == 2.0  # the forward cond runs once for it
        assert sess.run(v) == 2.0


# --- tf.case ---------------------------------------------------------------------------------
def test_case_first_true_and_default():
    x = tf.placeholder(tf.int32, [])
    r = tf.case([(x < 0, lambda: tf.constant(-1)), (x < 10, lambda: tf.constant(1))],
                default=lambda: tf.constant(100))
    assert r.name.startswith("case/cond/")
    with tf.Session() as sess:
        assert [sess.run(r, {x: v}) for v in (-5, 5, 50)] == [-1, 1, 100]


def test_case_exclusive_and_missing_default():
    x = tf.placeholder(tf.int32, [])
    r = tf.case([(x < 0, lambda: tf.constant(-1)), (x < 10, lambda: tf.constant(1))],
                exclusive=True, default=lambda: tf.constant(100))
    nodefault = tf.case([(x < 0, lambda: tf.constant(-1)), (x > 10, lambda: tf.constant(1))])
    with tf.Session() as sess:
        assert sess.run(r, {x: 5}) == 1
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Input error: exclusive=True: more than 1 conditions"):
            sess.run(r, {x: -5})
        assert sess.run(nodefault, {x: -5}) == -1
        assert sess.run(nodefault, {x: 50}) == 1
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Input error: None of conditions evaluated as True:\] \[0 0\]"):
            sess.run(nodefault, {x: 5})


def test_case_dict_and_errors():
    a = tf.placeholder(tf.bool, [], name="a")
    b = tf.placeholder(tf.bool, [], name="b")
    r = tf.case({b: lambda: tf.constant(2), a: lambda: tf.constant(1)},
                default=lambda: tf.constant(0), exclusive=True)
    with tf.Session() as sess:
        assert sess.run(r, {a: False, b: True}) == 2
    with pytest.raises(TypeError, match="must be a list, tuple, or dict"):
        tf.case(3, default=lambda: 1)
    with pytest.raises(TypeError, match="must be a 2-tuple"):
        tf.case([(a,)], default=lambda: 1)
    with pytest.raises(TypeError, match="pred must be a Tensor, got: True"):
        tf.case([(True, lambda: 1)], default=lambda: 1)
    with pytest.raises(TypeError, match="pred must be Tensor of type bool"):
        tf.case([(tf.constant(1), lambda: 1)], default=lambda: 1)
    with pytest.raises(TypeError, match="must be callable"):
        tf.case([(a, 1)], default=lambda: 1)


# --- tf.while_loop ---------------------------------------------------------------------------
def test_while_loop_values_and_names_like_tf():
    i, x = tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, x * x), [0, 2.0])
    assert i.name == "while/Identity_2:0" and x.name == "while/Identity_3:0"
    op = i.op.inputs[0].op
    assert op.type == "StatelessWhile" and op.name == "while"
    assert [o.name for o in tf.get_default_graph().get_operations()
            if o.name.startswith("while/")][:2] == ["while/maximum_iterations",
                                                   "while/loop_counter"]
    assert _run([i, x]) == [3, 256.0]


def test_while_loop_structures():
    Pair = collections.namedtuple("Pair", "a b")
    out = tf.while_loop(lambda p, d: p.a < 5,
                        lambda p, d: (Pair(p.a + 1, p.b * 2), {"k": d["k"] + p.b}),
                        [Pair(tf.constant(0), tf.constant(1)), {"k": tf.constant(0)}])
    assert isinstance(out, tuple) and isinstance(out[0], Pair)
    p, d = _run(out)
    assert (p.a, p.b, d["k"]) == (5, 32, 31)
    single = tf.while_loop(lambda v: v < 10, lambda v: v + 3, [tf.constant(1)])
    assert isinstance(single, tf.Tensor)
    same = tf.while_loop(lambda v: v < 10, lambda v: (v + 3,), [tf.constant(1)],
                         return_same_structure=True)
    assert isinstance(same, tuple) and len(same) == 1
    bare = tf.while_loop(lambda v: v < 10, lambda v: v + 3, tf.constant(1))
    assert _run([single, same, bare]) == [10, (10,), 10]


def test_while_loop_maximum_iterations():
    r = tf.while_loop(lambda i: i < 100, lambda i: i + 1, [0], maximum_iterations=4)
    x = tf.placeholder(tf.float32, [])
    i, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * y), [0, x],
                         maximum_iterations=2)
    with tf.Session() as sess:
        assert sess.run(r) == 4
        assert sess.run([i, y], {x: 2.0}) == [2, 16.0]
    with pytest.raises(ValueError, match="'maximum_iterations' must be a scalar"):
        tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0], maximum_iterations=[1, 2])


def test_while_loop_shape_invariants():
    def body(a):
        return tf.concat([a, a], 0)

    with pytest.raises(ValueError, match="Input tensor 'zeros:0' enters the loop with shape "
                                         "\\(1,\\), but has shape \\(2,\\) after one iteration."):
        tf.while_loop(lambda a: tf.shape(a)[0] < 10, body, [tf.zeros([1])])
    w = tf.while_loop(lambda a: tf.shape(a)[0] < 10, body, [tf.zeros([1])],
                      shape_invariants=[tf.TensorShape([None])])
    assert w.shape.as_list() == [None]
    assert _run(w).shape == (16,)
    with pytest.raises(ValueError, match="The shape invariant specified for zeros_2:0 is not "
                                         "compatible with the initial shape"):
        tf.while_loop(lambda a: a[0] < 3, lambda a: a + 1, [tf.zeros([1])],
                      shape_invariants=[tf.TensorShape([2])])


def test_while_loop_errors():
    with pytest.raises(ValueError, match="'loop_vars' must be provided."):
        tf.while_loop(lambda i: i < 3, lambda i: i + 1, [])
    with pytest.raises(TypeError, match="'cond' must be callable."):
        tf.while_loop(1, lambda i: i + 1, [0])
    with pytest.raises(TypeError, match="'parallel_iterations' must be a positive integer."):
        tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0], parallel_iterations=0)
    with pytest.raises(TypeError, match="enters the loop with type int32 but has type float32"):
        tf.while_loop(lambda i: i < 3, lambda i: tf.cast(i + 1, tf.float32), [0])
    with pytest.raises(ValueError, match="don't have the same"):
        tf.while_loop(lambda i, j: i < 3, lambda i, j: (i + 1, j, j), [0, 1])
    with pytest.raises(TypeError, match="Input 'input' of 'LoopCond' Op has type int32"):
        tf.while_loop(lambda i: 5, lambda i: i + 1, [0])


def test_while_gradient_is_8x7():
    x = tf.placeholder(tf.float32, [])
    y = tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, x * x), [0, x])[1]
    (g,) = tf.gradients(y, x)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(g, {x: 1.1}), 8 * 1.1 ** 7, rtol=1e-5)


def test_while_gradients_finite_differences():
    def f(x, w):
        def body(i, acc):
            return i + 1, tf.tanh(acc * w) + x

        return tf.while_loop(lambda i, acc: i < 4, body, [0, x])[1]

    check_gradients(f, {"x": np.array([0.3, -0.5]), "w": np.array([1.2, 0.4])},
                    op_types=["StatelessWhile"])


def test_stateful_while_gradient_finite_differences():
    def f(x):
        def body(i, acc):
            return i + 1, tf.Print(acc * x, [i], first_n=0)

        return tf.while_loop(lambda i, acc: i < 3, body, [0, tf.ones_like(x)])[1]

    check_gradients(f, {"x": np.array([0.7, 1.3])}, op_types=["While"])


def test_while_gradient_with_zero_iterations_and_back_prop_false():
    x = tf.placeholder(tf.float32, [2])
    n = tf.placeholder(tf.int32, [])
    y = tf.while_loop(lambda i, v: i < n, lambda i, v: (i + 1, v * 3.0), [0, x])[1]
    (g,) = tf.gradients(tf.reduce_sum(y), x)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(g, {x: [1, 2], n: 0}), [1, 1])
        np.testing.assert_array_equal(sess.run(g, {x: [1, 2], n: 2}), [9, 9])
    z = tf.while_loop(lambda i, v: i < 2, lambda i, v: (i + 1, v * 3.0), [0, x],
                      back_prop=False)[1]
    assert tf.gradients(z, x) == [None]


def test_stateful_while_body():
    v = tf.Variable(0)
    total = tf.Variable(0)

    def body(i):
        with tf.control_dependencies([tf.assign_add(v, 1)]):
            with tf.control_dependencies([tf.assign_add(total, v.read_value())]):
                return i + 1

    r = tf.while_loop(lambda i: i < 4, body, [0])
    assert r.op.inputs[0].op.type == "While"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(r) == 4
        assert sess.run([v, total]) == [4, 1 + 2 + 3 + 4]
        sess.run(r)
        assert sess.run(v) == 8


def test_random_op_in_loop_and_its_gradient():
    x = tf.placeholder(tf.float32, [500])

    def body(i, acc):
        return i + 1, acc * tf.cast(tf.random_uniform([500]) < 0.8, tf.float32)

    y = tf.while_loop(lambda i, acc: i < 2, body, [0, x])[1]
    (g,) = tf.gradients(tf.reduce_sum(y), x)
    with tf.Session() as sess:
        yv, gv = sess.run([y, g], {x: np.ones(500)})
    np.testing.assert_array_equal(yv, gv)  # the same masks as the forward pass
    assert 0.4 < yv.mean() < 0.9


def test_nested_cond_in_while_and_while_in_while():
    x = tf.placeholder(tf.float32, [])

    def body(i, acc):
        return i + 1, tf.cond(tf.equal(i % 2, 0), lambda: acc * x, lambda: acc + x)

    y = tf.while_loop(lambda i, acc: i < 4, body, [0, tf.constant(1.0)])[1]

    def outer_body(i, acc):
        inner = tf.while_loop(lambda j, a: j < i, lambda j, a: (j + 1, a * x), [0, acc])[1]
        return i + 1, inner

    z = tf.while_loop(lambda i, acc: i < 3, outer_body, [0, tf.constant(1.0)])[1]
    with tf.Session() as sess:
        xv = 1.5
        assert sess.run(y, {x: xv}) == pytest.approx(((1 * xv + xv) * xv) + xv)
        assert sess.run(z, {x: xv}) == pytest.approx(xv ** 3)


def test_nested_control_flow_gradients_finite_differences():
    def f(x):
        def body(i, acc):
            inner = tf.while_loop(lambda j, a: j < 2, lambda j, a: (j + 1, a * x), [0, acc])[1]
            return i + 1, tf.cond(tf.equal(i % 2, 0), lambda: inner * x, lambda: tf.sin(inner))

        return tf.while_loop(lambda i, acc: i < 3, body, [0, tf.ones_like(x)])[1]

    check_gradients(f, {"x": np.array([0.9, 1.1])}, op_types=["StatelessWhile"])


def test_while_loop_with_get_variable_in_body():
    def body(i, h):
        with tf.variable_scope("cell", reuse=tf.AUTO_REUSE):
            w = tf.get_variable("w", [], initializer=tf.constant_initializer(2.0))
        return i + 1, h * w

    y = tf.while_loop(lambda i, h: i < 3, body, [0, tf.constant(1.0)])[1]
    (w,) = tf.trainable_variables()
    assert w.name == "cell/w:0"
    (g,) = tf.gradients(y, w)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run([y, g]) == [8.0, 12.0]


# --- map_fn, scan, foldl, foldr --------------------------------------------------------------
def test_map_fn():
    e = np.arange(12, dtype=np.float32).reshape(4, 3)
    m = tf.map_fn(lambda v: v * 2, tf.constant(e))
    assert m.shape.as_list() == [4, 3] and m.name.startswith("map/")
    pair = tf.map_fn(lambda t: (t[0] + t[1], tf.reduce_sum(t[0])), (tf.constant(e), e * 10),
                     dtype=(tf.float32, tf.float32))
    ints = tf.map_fn(lambda v: tf.cast(v, tf.int32), tf.constant(e), dtype=tf.int32)
    mv, (a, b), iv = _run([m, pair, ints])
    np.testing.assert_array_equal(mv, e * 2)
    np.testing.assert_array_equal(a, e * 11)
    np.testing.assert_array_equal(b, e.sum(1))
    assert iv.dtype == np.int32
    with pytest.raises(ValueError, match="1\\+ dimensional"):
        tf.map_fn(lambda v: v, tf.constant(1.0))
    with pytest.raises(TypeError, match="fn must be callable"):
        tf.map_fn(3, tf.constant([1.0]))


def test_map_fn_over_unknown_length():
    x = tf.placeholder(tf.float32, [None, 2])
    m = tf.map_fn(lambda v: tf.reduce_sum(v), x)
    assert m.shape.as_list() == [None]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(m, {x: np.ones((5, 2))}), [2] * 5)
        assert sess.run(m, {x: np.ones((0, 2))}).shape == (0,)


def test_scan_and_folds():
    e = np.arange(12, dtype=np.float32).reshape(4, 3)
    t = tf.constant(e)
    outs = [tf.scan(lambda a, v: a + v, t),
            tf.scan(lambda a, v: a + v, t, reverse=True),
            tf.scan(lambda a, v: a * 2 + v, t, initializer=tf.ones([3])),
            tf.foldl(lambda a, v: a - v, t),
            tf.foldr(lambda a, v: a - v, t),
            tf.foldl(lambda a, v: a + tf.reduce_sum(v), t, initializer=tf.constant(0.0)),
            tf.scan(lambda a, v: (a[0] + v, a[1] * 2), t, initializer=(tf.zeros([3]),
                                                                        tf.constant(1.0)))]
    assert outs[0].shape.as_list() == [4, 3]
    sc, scr, sci, fl, fr, fls, (s1, s2) = _run(outs)
    np.testing.assert_array_equal(sc, np.cumsum(e, 0))
    np.testing.assert_array_equal(scr, np.cumsum(e[::-1], 0)[::-1])
    acc, rows = np.ones(3, np.float32), []
    for row in e:
        acc = acc * 2 + row
        rows.append(acc)
    np.testing.assert_array_equal(sci, rows)
    np.testing.assert_array_equal(fl, e[0] - e[1] - e[2] - e[3])
    np.testing.assert_array_equal(fr, e[3] - e[2] - e[1] - e[0])
    assert fls == e.sum()
    np.testing.assert_array_equal(s1, np.cumsum(e, 0))
    np.testing.assert_array_equal(s2, [2, 4, 8, 16])


def test_map_fn_and_scan_gradients_finite_differences():
    check_gradients(lambda x: tf.map_fn(lambda v: tf.sin(v) * v, x),
                    {"x": np.random.RandomState(0).randn(4, 3)}, op_types=["StatelessWhile"])
    check_gradients(lambda x, w: tf.scan(lambda a, v: tf.tanh(a * w + v), x),
                    {"x": np.random.RandomState(1).randn(5, 2),
                     "w": np.array([0.5, -0.7])}, op_types=["StatelessWhile"])
    check_gradients(lambda x: tf.scan(lambda a, v: a * v, x, reverse=True,
                                      initializer=tf.ones([2], tf.float64)),
                    {"x": np.random.RandomState(2).randn(3, 2)})
    check_gradients(lambda x: tf.foldr(lambda a, v: a * v + 1.0, x),
                    {"x": np.random.RandomState(3).randn(4, 2)})


def test_loops_without_back_prop_have_no_gradient():
    x = tf.placeholder(tf.float32, [3, 2])
    outs = [tf.map_fn(lambda v: v * 2.0, x, back_prop=False),
            tf.scan(lambda a, v: a + v, x, back_prop=False),
            tf.foldl(lambda a, v: a + v, x, back_prop=False)]
    assert tf.gradients(outs, x) == [None]
