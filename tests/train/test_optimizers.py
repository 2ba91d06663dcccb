"""tf.train optimizers against real TensorFlow: values, slots, names, global step, errors."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.ops import registry, training_ops
from tensorflux.ops.indexed_slices import IndexedSlices

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "train")
with open(os.path.join(FIXTURES, "optimizers.json")) as _f:
    DATA = json.load(_f)


def _make(name, kwargs):
    return getattr(tf.train, name + "Optimizer")(**kwargs)


def _case_id(c):
    args = ",".join("%s=%s" % kv for kv in sorted(c["kwargs"].items()))
    return "%s(%s)%s" % (c["optimizer"], args, "-sparse" if c["sparse"] else "")


def _build(case):
    w = tf.Variable(np.array(case["w0"], np.float32), name="w")
    b = tf.Variable(np.array(case["b0"], np.float32), name="b")
    gw = tf.placeholder(tf.float32, np.shape(case["grads_w"][0]), name="gw")
    gb = tf.placeholder(tf.float32, [3], name="gb")
    if case["sparse"]:
        gw_in = IndexedSlices(gw, tf.constant(np.array(case["indices"], np.int32)),
                              tf.constant([5, 3]))
    else:
        gw_in = gw
    step = tf.train.get_or_create_global_step()
    opt = _make(case["optimizer"], case["kwargs"])
    train = opt.apply_gradients([(gw_in, w), (gb, b)], global_step=step)
    return w, b, gw, gb, step, opt, train


@pytest.mark.parametrize("case", DATA["cases"], ids=_case_id)
def test_steps_match_tensorflow(case):
    w, b, gw, gb, step, opt, train = _build(case)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for k, want in enumerate(case["steps"]):
            sess.run(train, {gw: np.array(case["grads_w"][k], np.float32),
                             gb: np.array(case["grads_b"][k], np.float32)})
            np.testing.assert_allclose(sess.run(w), want["w"], rtol=2e-5, atol=2e-6,
                                       err_msg="w after step %d" % (k + 1))
            np.testing.assert_allclose(sess.run(b), want["b"], rtol=2e-5, atol=2e-6,
                                       err_msg="b after step %d" % (k + 1))
            for key, value in want["slots"].items():
                var_name, _, slot = key.rpartition("/")
                if var_name in ("w", "b"):
                    t = opt.get_slot(w if var_name == "w" else b, slot)
                else:  # a non-slot variable of the optimizer (beta1_power)
                    t = [v for v in opt.variables() if v.op.name == key][0]
                np.testing.assert_allclose(sess.run(t), value, rtol=2e-5, atol=2e-6,
                                           err_msg="%s after step %d" % (key, k + 1))
        assert sess.run(step) == case["global_step"]


@pytest.mark.parametrize("case", DATA["cases"], ids=_case_id)
def test_slot_and_variable_names(case):
    w, b, _, _, _, opt, train = _build(case)
    assert opt.get_slot_names() == case["slot_names"]
    got = {"%s/%s" % (v.op.name, s): opt.get_slot(v, s).name
           for v in (w, b) for s in opt.get_slot_names()}
    assert got == case["slot_vars"]
    assert [v.name for v in opt.variables()] == case["variables"]
    assert [v.name for v in tf.global_variables()] == case["global_variables"]
    assert train.name == case["train_op"]
    for s in opt.get_slot_names():
        assert not opt.get_slot(w, s).trainable
        assert opt.get_slot(w, s) not in tf.trainable_variables()
    dense_updates = [n for n in case["update_ops"] if "Scatter" not in n]
    got_updates = sorted(op.name for op in tf.get_default_graph().get_operations()
                         if op.type in training_ops.OP_INPUTS)
    if case["optimizer"] in ("GradientDescent", "Adam") and case["sparse"]:
        # TF applies these with ScatterSub/ScatterAdd; tensorflux densifies the IndexedSlices
        got_updates = [n for n in got_updates if "update_b" in n]
    assert got_updates == dense_updates


@pytest.mark.parametrize("name", sorted(DATA["minimize"]["runs"]))
def test_minimize_small_model(name):
    run = DATA["minimize"]["runs"][name]
    xv = np.array(DATA["minimize"]["x"], np.float32)
    yv = np.array(DATA["minimize"]["y"], np.int64)
    x = tf.placeholder(tf.float32, [None, 4])
    y = tf.placeholder(tf.float32, [None, 3])
    with tf.variable_scope("model"):
        W = tf.get_variable("W", initializer=tf.constant(
            np.linspace(-1, 1, 12).reshape(4, 3).astype(np.float32)))
        bias = tf.get_variable("bias", [3], initializer=tf.zeros_initializer())
    logits = tf.matmul(x, W) + bias
    loss = tf.reduce_mean(tf.reduce_sum(tf.square(logits - y), axis=1))
    step = tf.train.create_global_step()
    train = _make(name, run["kwargs"]).minimize(loss, global_step=step, name="train")
    onehot = np.eye(3, dtype=np.float32)[yv]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        losses = []
        for _ in range(5):
            losses.append(sess.run(loss, {x: xv, y: onehot}))
            sess.run(train, {x: xv, y: onehot})
        np.testing.assert_allclose(losses, run["losses"], rtol=1e-5)
        np.testing.assert_allclose(sess.run(W), run["W"], rtol=1e-5, atol=1e-6)
        assert sess.run(step) == run["global_step"]
    assert train.name == run["train_op"]
    assert [v.name for v in tf.global_variables()] == run["global_variables"]
    assert [o.name for o in tf.get_collection(tf.GraphKeys.TRAIN_OP)] == \
        run["train_op_collection"]


# --- errors ------------------------------------------------------------------------------------
ERR = DATA["errors"]


def test_no_variables_to_optimize():
    x = tf.constant(1.0)
    with pytest.raises(ValueError) as e:
        tf.train.GradientDescentOptimizer(0.1).minimize(x * 2.0)
    assert str(e.value) == ERR["no_variables"]


def test_no_gradients_message():
    v = tf.Variable(1.0, name="v")
    u = tf.Variable(2.0, name="u")
    tf.multiply(v, 1.0)  # takes the name `mul`, as in the fixture's graph
    with pytest.raises(ValueError) as e:
        tf.train.GradientDescentOptimizer(0.1).minimize(u * 3.0, var_list=[v])
    assert str(e.value) == ERR["no_gradients"]


def test_apply_gradients_errors():
    v = tf.Variable(1.0, name="v")
    with pytest.raises(ValueError) as e:
        tf.train.GradientDescentOptimizer(0.1).apply_gradients([(None, v)])
    assert str(e.value) == ERR["apply_no_gradients"]
    with pytest.raises(ValueError) as e:
        tf.train.GradientDescentOptimizer(0.1).apply_gradients([])
    assert str(e.value) == ERR["apply_empty"]
    with pytest.raises(ValueError) as e:
        tf.train.GradientDescentOptimizer(0.1).minimize(v * 2.0, gate_gradients=7)
    assert str(e.value) == ERR["gate"]


def test_optimizer_argument_checks():
    with pytest.raises(ValueError, match="initial_accumulator_value must be positive"):
        tf.train.AdagradOptimizer(0.1, initial_accumulator_value=0.0)
    with pytest.raises(ValueError, match="learning_rate_power"):
        tf.train.FtrlOptimizer(0.1, learning_rate_power=0.5)
    with pytest.raises(ValueError, match="Invalid type"):
        v = tf.Variable(1, name="i")
        tf.train.GradientDescentOptimizer(0.1).minimize(tf.cast(v, tf.int32) * 2)


# --- global step -------------------------------------------------------------------------------
def test_global_step_helpers():
    assert tf.train.get_global_step() is None
    step = tf.train.get_or_create_global_step()
    assert step.name == "global_step:0"
    assert step.dtype.base_dtype == tf.int64
    assert step.shape.as_list() == []
    assert not step.trainable
    assert tf.get_collection(tf.GraphKeys.GLOBAL_STEP) == [step]
    assert step in tf.global_variables()
    assert tf.train.get_or_create_global_step() is step
    assert tf.train.get_global_step() is step
    with pytest.raises(ValueError) as e:
        tf.train.create_global_step()
    assert str(e.value) == ERR["global_step_exists"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert tf.train.global_step(sess, step) == 0


def test_global_step_found_by_name_and_type_checked():
    with tf.Graph().as_default() as g:
        v = tf.Variable(0, name="global_step", dtype=tf.int32)
        assert tf.train.get_global_step(g) is not None
        assert tf.train.get_global_step(g).name == v.name
    with tf.Graph().as_default() as g:
        g.add_to_collection(tf.GraphKeys.GLOBAL_STEP, tf.Variable(0.5, name="f"))
        with pytest.raises(TypeError, match="does not have integer type"):
            tf.train.get_global_step(g)


def test_global_step_increments_after_updates():
    w = tf.Variable([1.0, 2.0], name="w")
    step = tf.train.get_or_create_global_step()
    train = tf.train.GradientDescentOptimizer(0.5).minimize(tf.reduce_sum(w * w),
                                                             global_step=step)
    assert train.type == "AssignAdd"
    assert train.name == "GradientDescent"
    deps = [op.name for op in train.control_inputs]
    assert deps == ["GradientDescent/update"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
        assert sess.run(step) == 3
        np.testing.assert_allclose(sess.run(w), [0.0, 0.0])


# --- more behaviour ----------------------------------------------------------------------------
def test_compute_gradients_pairs_and_var_list():
    a = tf.Variable(2.0, name="a")
    b = tf.Variable(3.0, name="b")
    c = tf.Variable(4.0, name="c", trainable=False)
    loss = a * a + 3.0 * b + c
    opt = tf.train.GradientDescentOptimizer(0.1)
    gv = opt.compute_gradients(loss)
    assert [v for _, v in gv] == [a, b]
    gv2 = opt.compute_gradients(loss, var_list=[c, a])
    assert [v for _, v in gv2] == [c, a]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run([g for g, _ in gv]) == [4.0, 3.0]
        assert sess.run(gv2[0][0]) == 1.0
    gv3 = opt.compute_gradients(loss, var_list=[a], grad_loss=tf.constant(2.0))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(gv3[0][0]) == 8.0


def test_clipped_gradients_pipeline():
    w = tf.Variable([3.0, 4.0], name="w")
    loss = tf.reduce_sum(w * w)
    opt = tf.train.MomentumOptimizer(0.1, 0.9)
    grads, variables = zip(*opt.compute_gradients(loss))
    clipped, norm = tf.clip_by_global_norm(grads, 1.0)
    train = opt.apply_gradients(zip(clipped, variables))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert np.isclose(sess.run(norm), 10.0)
        sess.run(train)
        np.testing.assert_allclose(sess.run(w), [3.0 - 0.06, 4.0 - 0.08], rtol=1e-6)


def test_adam_beta_power_variables_colocated_and_updated():
    with tf.device("/cpu:0"):
        w = tf.Variable([1.0], name="zeta")
    a = tf.Variable([1.0], name="alpha")
    opt = tf.train.AdamOptimizer(0.1, beta1=0.5, beta2=0.25)
    train = opt.minimize(tf.reduce_sum(w * a))
    b1 = [v for v in opt.variables() if v.op.name == "beta1_power"][0]
    assert b1.op.colocation_groups() == [b"loc:@alpha"]  # the first variable by name
    assert opt.get_slot(w, "m").op.colocation_groups() == [b"loc:@zeta"]
    assert opt.get_slot(w, "m").device == w.device
    assert not b1.trainable
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        sess.run(train)
        assert np.isclose(sess.run(b1), 0.125)


def test_two_optimizers_get_distinct_slots():
    w = tf.Variable([1.0], name="w")
    loss = tf.reduce_sum(w * w)
    o1 = tf.train.AdamOptimizer()
    o1.minimize(loss)
    o2 = tf.train.AdamOptimizer()
    o2.minimize(loss)
    assert o1.get_slot(w, "m").name == "w/Adam:0"
    assert o2.get_slot(w, "m").name == "w/Adam_2:0"
    assert o2.get_slot(w, "v").name == "w/Adam_3:0"
    assert [v.name for v in o2.variables()] == ["beta1_power_1:0", "beta2_power_1:0",
                                                "w/Adam_2:0", "w/Adam_3:0"]


def test_slots_are_created_outside_control_dependencies():
    w = tf.Variable([1.0], name="w")
    loss = tf.reduce_sum(w * w)
    guard = tf.no_op(name="guard")
    with tf.control_dependencies([guard]):
        opt = tf.train.MomentumOptimizer(0.1, 0.9)
        opt.minimize(loss)
    slot = opt.get_slot(w, "momentum")
    assert slot.initializer.control_inputs == []
    assert slot.op.control_inputs == []


def test_learning_rate_tensor_and_callable():
    w = tf.Variable([1.0], name="w")
    lr = tf.placeholder(tf.float32, [])
    train = tf.train.GradientDescentOptimizer(lr).minimize(tf.reduce_sum(w * w))
    train2 = tf.train.GradientDescentOptimizer(lambda: 0.25).minimize(tf.reduce_sum(w * w))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train, {lr: 0.25})
        np.testing.assert_allclose(sess.run(w), [0.5])
        sess.run(train2)
        np.testing.assert_allclose(sess.run(w), [0.25])


def test_fetched_value_is_not_changed_by_a_later_update():
    w = tf.Variable([1.0, 2.0], name="w")
    read = w.value()
    train = tf.train.GradientDescentOptimizer(1.0).apply_gradients([(tf.constant([1.0, 1.0]),
                                                                     w)])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before, _ = sess.run([read, train])
        np.testing.assert_allclose(before, [1.0, 2.0])
        np.testing.assert_allclose(sess.run(w), [0.0, 1.0])


def test_reinitializing_resets_slots():
    w = tf.Variable([1.0], name="w")
    train = tf.train.AdagradOptimizer(0.1).minimize(tf.reduce_sum(w * w))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        first = sess.run(w)
        sess.run(tf.variables_initializer(tf.global_variables()))
        sess.run(train)
        np.testing.assert_allclose(sess.run(w), first)


def test_constraint_applied_after_update():
    w = tf.Variable([1.0, -1.0], name="w", constraint=lambda v: tf.maximum(v, 0.0))
    train = tf.train.GradientDescentOptimizer(1.0).apply_gradients([(tf.constant([0.5, 0.5]),
                                                                     w)])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        np.testing.assert_allclose(sess.run(w), [0.5, 0.0])


# --- the raw update ops ------------------------------------------------------------------------
def test_apply_op_shape_and_ref_checks():
    w = tf.Variable(np.zeros((2, 3), np.float32), name="w")
    with pytest.raises(ValueError, match="Shapes must be equal rank"):
        training_ops.apply_gradient_descent(w, 0.1, tf.zeros([3]))
    with pytest.raises(ValueError, match="Shape must be rank 0"):
        training_ops.apply_gradient_descent(w, tf.constant([0.1, 0.2]), tf.zeros([2, 3]))
    delta = tf.ones([2, 3]) * 1.0
    op = training_ops.apply_gradient_descent(w, 0.1, delta)
    assert op.op.type == "ApplyGradientDescent"
    assert op.shape.as_list() == [2, 3]
    assert tf.gradients(tf.reduce_sum(op), [delta])[0] is None
    with tf.Session() as sess:
        sess.run(w.initializer)
        np.testing.assert_allclose(sess.run(op), np.full((2, 3), -0.1), rtol=1e-6)


def test_apply_op_on_uninitialized_variable():
    w = tf.Variable(np.zeros(3, np.float32), name="w")
    op = training_ops.apply_gradient_descent(w, 0.1, tf.ones([3]))
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value w"):
            sess.run(op)


def test_sparse_apply_index_out_of_range():
    w = tf.Variable(np.zeros((3, 2), np.float32), name="w")
    acc = tf.Variable(np.ones((3, 2), np.float32), name="acc")
    op = training_ops.sparse_apply_adagrad(w, acc, 0.1, tf.ones([1, 2]), tf.constant([5]))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match="out of range"):
            sess.run(op)
        np.testing.assert_allclose(sess.run(w), np.zeros((3, 2)))  # state untouched


def test_sparse_apply_sums_repeated_rows():
    w = tf.Variable(np.zeros((3, 1), np.float32), name="w")
    acc = tf.Variable(np.zeros((3, 1), np.float32), name="acc")
    op = training_ops.sparse_apply_momentum(w, acc, 1.0, tf.constant([[1.0], [2.0]]),
                                            tf.constant([2, 2]), 0.5)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(op)
        np.testing.assert_allclose(sess.run(acc), [[0.0], [0.0], [3.0]])
        np.testing.assert_allclose(sess.run(w), [[0.0], [0.0], [-3.0]])


def test_apply_ops_are_not_differentiable():
    for op_type in training_ops.OP_INPUTS:
        opdef = registry.get(op_type)
        assert opdef.grad == registry.NOT_DIFFERENTIABLE
        assert opdef.stateful
        assert opdef.ref_inputs == training_ops.ref_positions(op_type)


# --- checkpoints written by TensorFlow --------------------------------------------------------
with open(os.path.join(FIXTURES, "checkpoints.json")) as _f:
    CKPT = json.load(_f)


@pytest.mark.parametrize("name", sorted(CKPT["runs"]))
def test_tf_checkpoint_restores_slots_and_training_continues(name):
    """A TF checkpoint of a model trained with Adam/RMSProp maps 1:1 onto our variables."""
    run = CKPT["runs"][name]
    xv = np.array(CKPT["x"], np.float32)
    yv = np.array(CKPT["y"], np.float32)
    x = tf.placeholder(tf.float32, [None, 4])
    y = tf.placeholder(tf.float32, [None, 3])
    with tf.variable_scope("dense"):
        W = tf.get_variable("kernel", [4, 3])
        bias = tf.get_variable("bias", [3], initializer=tf.zeros_initializer())
    loss = tf.reduce_mean(tf.square(tf.matmul(x, W) + bias - y))
    step = tf.train.get_or_create_global_step()
    train = _make(name, run["kwargs"]).minimize(loss, global_step=step)
    assert sorted(v.op.name for v in tf.global_variables()) == sorted(run["saved"])
    saver = tf.train.Saver()
    with tf.Session() as sess:
        saver.restore(sess, os.path.join(FIXTURES, run["prefix"]))
        for v in tf.global_variables():
            np.testing.assert_allclose(sess.run(v), run["saved"][v.op.name], rtol=1e-7,
                                       err_msg=v.op.name)
        for k, want in enumerate(run["after"]):
            sess.run(train, {x: xv, y: yv})
            for v in tf.global_variables():
                np.testing.assert_allclose(sess.run(v), want[v.op.name], rtol=1e-5,
                                           atol=1e-7,
                                           err_msg="%s after %d more steps" % (v.op.name, k + 1))


def test_loss_may_be_a_callable():
    w = tf.Variable([2.0], name="w")
    train = tf.train.GradientDescentOptimizer(0.25).minimize(lambda: tf.reduce_sum(w * w))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        np.testing.assert_allclose(sess.run(w), [1.0])


class _SignSGD(tf.train.Optimizer):
    """A user optimizer written the TF 1.x way: one `_apply_dense` hook and a slot."""

    def __init__(self, lr):
        super().__init__(False, "SignSGD")
        self._lr = lr
        self.sparse_indices = []

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "count", self._name)

    def _apply_dense(self, grad, var):
        count = self.get_slot(var, "count")
        return tf.group(var.assign_sub(self._lr * tf.sign(grad)), count.assign_add(
            tf.ones_like(count)))

    def _apply_sparse(self, grad, var):
        self.sparse_indices.append(grad.indices)
        return self._apply_dense(tf.convert_to_tensor(
            tf.scatter_nd(tf.expand_dims(grad.indices, 1), grad.values, [3, 2])), var)


def test_user_optimizer_subclass_with_dense_and_sparse_gradients():
    w = tf.Variable(np.zeros((3, 2), np.float32), name="w")
    opt = _SignSGD(0.5)
    dense = opt.apply_gradients([(tf.constant([[1.0, -1.0], [0.0, 2.0], [-3.0, 0.0]]), w)])
    sparse = opt.apply_gradients([(IndexedSlices(tf.constant([[1.0, 1.0], [-3.0, 1.0]]),
                                                 tf.constant([2, 2]), tf.constant([3, 2])),
                                   w)])
    assert opt.get_slot(w, "count").name == "w/SignSGD:0"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(dense)
        np.testing.assert_allclose(sess.run(w), [[-0.5, 0.5], [0.0, -0.5], [0.5, 0.0]])
        sess.run(sparse)  # repeated index 2: its rows are summed to [-2, 2] first
        np.testing.assert_allclose(sess.run(w), [[-0.5, 0.5], [0.0, -0.5], [1.0, -0.5]])
        assert sess.run(opt.sparse_indices[0]).tolist() == [2]
        np.testing.assert_allclose(sess.run(opt.get_slot(w, "count")), np.full((3, 2), 2.0))
