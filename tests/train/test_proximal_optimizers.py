"""ProximalGradientDescent, ProximalAdagrad and AdagradDA optimizers and their update ops,
against trajectories recorded with TensorFlow (tools/fixtures/gen_train_stragglers.py)."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.ops import proximal_training_ops as pto
from tensorflux.ops import registry

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "stragglers")
with open(os.path.join(FIXTURES, "train.json")) as _f:
    FIX = json.load(_f)
ARRAYS = dict(np.load(os.path.join(FIXTURES, "train.npz")))


def _build(dtype):
    scope = {"tf": tf, "np": np, "DTYPE": dtype}
    exec(FIX["loss_code"], scope)  # noqa: S102 - the fixture's case table
    return scope


@pytest.mark.parametrize("case", FIX["cases"], ids=lambda c: c["name"])
def test_trajectory_matches_tf(case):
    with tf.Graph().as_default() as g:
        scope = _build(case["dtype"])
        step = tf.train.get_or_create_global_step()
        opt = eval(case["opt"], {"tf": tf, "step": step})  # noqa: S307
        train = opt.minimize(scope["loss"], global_step=step)
        assert [[op.name, op.type] for op in g.get_operations() if "Apply" in op.type] == \
            case["update_ops"]
        assert [v.name for v in tf.global_variables()] == case["var_names"]
        assert opt.get_slot_names() == case["slot_names"]
        for s, names in case["slots"].items():
            assert [opt.get_slot(v, s).name for v in (scope["w"], scope["e"])] == names
        tol = 1e-5 if case["dtype"] == "float32" else 1e-12
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for i in range(FIX["steps"]):
                sess.run(train)
                for v, val in zip(tf.global_variables(), sess.run(tf.global_variables())):
                    want = ARRAYS["%s/step%d/%s" % (case["name"], i, v.op.name)]
                    assert val.dtype == want.dtype
                    np.testing.assert_allclose(val, want, rtol=tol, atol=tol,
                                               err_msg="%s step %d" % (v.name, i))


@pytest.mark.parametrize("case", FIX["errors"], ids=lambda c: c["name"])
def test_errors_match_tf(case):
    with tf.Graph().as_default():
        scope = _build("float64" if "f64" in case["name"] else "float32")
        scope["step"] = tf.train.get_or_create_global_step()
        scope["tf"] = _RawOpsShim()
        with pytest.raises(Exception) as info:
            out = eval(case["code"], scope)  # noqa: S307
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                sess.run(out)
        assert type(info.value).__name__ == case["exception"]
        msg = case["message"].split(" for '{{node")[0]
        assert msg.rstrip(".") in str(info.value)


class _RawOpsShim:
    """`tf` with `tf.raw_ops.<Op>(**inputs)` mapped onto this module's wrappers."""

    def __getattr__(self, name):
        return self if name == "raw_ops" else getattr(tf, name)

    ApplyProximalGradientDescent = staticmethod(pto.apply_proximal_gradient_descent)
    ApplyProximalAdagrad = staticmethod(pto.apply_proximal_adagrad)
    SparseApplyProximalGradientDescent = staticmethod(pto.sparse_apply_proximal_gradient_descent)
    SparseApplyProximalAdagrad = staticmethod(pto.sparse_apply_proximal_adagrad)
    SparseApplyAdagradDA = staticmethod(pto.sparse_apply_adagrad_da)


def _run_op(build, var_values):
    with tf.Graph().as_default():
        vs = [tf.Variable(np.asarray(v), name="v%d" % i) for i, v in enumerate(var_values)]
        out = build(*vs)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            res = sess.run(out)
            return res, sess.run(vs)


def test_sparse_repeated_rows_are_applied_in_turn():
    # TF's kernels update a repeated row once per occurrence (not with the summed gradient).
    var = np.array([[1.0, -2.0], [0.5, 0.5]], np.float32)
    grad = np.array([[1.0, 1.0], [1.0, -1.0]], np.float32)
    out, (new,) = _run_op(lambda v: pto.sparse_apply_proximal_gradient_descent(
        v, 0.5, 0.2, 0.0, grad, [0, 0]), [var])
    row = var[0]
    for g in grad:
        prox = row - 0.5 * g
        row = np.sign(prox) * np.maximum(np.abs(prox) - 0.1, 0)
    np.testing.assert_allclose(new[0], row, rtol=1e-6)
    np.testing.assert_array_equal(new[1], var[1])
    np.testing.assert_array_equal(out, new)


def test_dense_proximal_adagrad_formula():
    var = np.array([1.0, -0.05, 0.3])
    acc = np.array([0.1, 0.2, 0.3])
    grad = np.array([0.5, 0.1, -2.0])
    _, (v, a) = _run_op(lambda v, a: pto.apply_proximal_adagrad(
        v, a, np.float64(0.2), np.float64(0.1), np.float64(0.5), grad), [var, acc])
    a_want = acc + grad ** 2
    step = 0.2 / np.sqrt(a_want)
    prox = var - grad * step
    v_want = np.sign(prox) * np.maximum(np.abs(prox) - step * 0.1, 0) / (1 + 0.5 * step)
    np.testing.assert_allclose(a, a_want, rtol=1e-14)
    np.testing.assert_allclose(v, v_want, rtol=1e-14)


def test_adagrad_da_global_step_and_shape():
    with tf.Graph().as_default():
        v = tf.Variable(tf.zeros([2, 3]))
        g = tf.Variable(tf.zeros([2, 3]))
        gg = tf.Variable(tf.ones([2, 3]))
        out = pto.apply_adagrad_da(v, g, gg, tf.ones([2, 3]), 0.1, 0.0, 0.0,
                                   tf.constant(2, tf.int64))
        assert out.op.type == "ApplyAdagradDA"
        assert out.shape.as_list() == [2, 3]
        assert out.op.get_attr("T") == tf.float32
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run(out)
    np.testing.assert_allclose(got, np.full([2, 3], -0.1 / np.sqrt(2.0)), rtol=1e-6)


def test_uninitialized_slot_fails_and_leaves_var():
    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0], name="v")
        acc = tf.Variable([0.1, 0.1], name="acc")
        out = pto.apply_proximal_adagrad(v, acc, 0.1, 0.0, 0.0, [1.0, 1.0])
        with tf.Session() as sess:
            sess.run(v.initializer)
            with pytest.raises(tf.errors.FailedPreconditionError):
                sess.run(out)
            np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])


def test_sparse_row_shape_error_at_run_time():
    with tf.Graph().as_default():
        v = tf.Variable(np.zeros((3, 2), np.float32))
        grad = tf.placeholder(tf.float32, [None, 2])
        out = pto.sparse_apply_proximal_gradient_descent(v, 0.1, 0.0, 0.0, grad, [0, 1])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            with pytest.raises(tf.errors.InvalidArgumentError):
                sess.run(out, {grad: np.zeros((3, 2), np.float32)})


@pytest.mark.parametrize("op_type", sorted(pto.OP_INPUTS))
def test_registry_entries(op_type):
    opdef = registry.get(op_type)
    assert opdef.grad is registry.NOT_DIFFERENTIABLE
    assert opdef.stateful
    assert opdef.ref_inputs == pto.ref_positions(op_type)


def test_public_names():
    for name in ("ProximalGradientDescentOptimizer", "ProximalAdagradOptimizer",
                 "AdagradDAOptimizer"):
        assert issubclass(getattr(tf.train, name), tf.train.Optimizer)
