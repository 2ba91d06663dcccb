"""Arithmetic simplification: neutral elements and no-op reshapes/casts leave the plan."""

import numpy as np

import tensorflux as tf
from tensorflux.client import plan as plan_lib
from tensorflux.passes import simplify


def _plan(fetches, feeds=()):
    ops = plan_lib.prune(list(fetches), [], tuple(feeds))
    return plan_lib.Plan(ops, tuple(feeds), list(fetches), [])


def test_neutral_elements_and_noops_are_aliased():
    x = tf.placeholder(tf.float32, [2, 3])
    y = tf.reshape(tf.cast((x + 0.0) * 1.0 - tf.zeros([2, 3]), tf.float32), [2, 3])
    z = tf.exp(tf.transpose(tf.identity(y), [0, 1]))
    before = _plan([z], [x])
    after = simplify.simplify(before)
    assert [op.type for op in after.ops if op.type not in ("Const",)] == ["Exp"]
    assert after.resolve(y) is x
    with tf.Session() as sess:
        v = np.arange(6, dtype=np.float32).reshape(2, 3)
        np.testing.assert_allclose(sess.run(z, {x: v}), np.exp(v), rtol=1e-6)


def test_broadcasting_neutral_element_is_kept():
    x = tf.placeholder(tf.float32, [3])
    y = x + tf.zeros([2, 3])  # the result has a different shape than x
    after = simplify.simplify(_plan([y], [x]))
    assert any(op.type == "Add" for op in after.ops)
    with tf.Session() as sess:
        assert sess.run(y, {x: [1, 2, 3]}).shape == (2, 3)


def test_ordering_identities_and_variable_reads_are_kept():
    v = tf.Variable(1.0)
    inc = v.assign_add(1.0)
    with tf.control_dependencies([inc]):
        after_inc = tf.identity(v.read_value())
    read = tf.identity(v._variable)
    after = simplify.simplify(_plan([after_inc, read]))
    kept = {op.name for op in after.ops}
    assert after_inc.op.name in kept and read.op.name in kept
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(after_inc) == 2.0


def test_non_neutral_constants_are_kept():
    x = tf.placeholder(tf.float32, [2])
    y = x * 2.0 + 1.0
    after = simplify.simplify(_plan([y], [x]))
    assert sorted(op.type for op in after.ops if op.type != "Const") == ["Add", "Mul"]
