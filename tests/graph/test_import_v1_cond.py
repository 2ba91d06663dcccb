"""TF 1.x tf.cond graphs (Switch/Merge, dead tensors): TF's fixtures and the dead-tensor rules.

The fixtures come from real TensorFlow with control flow v2 disabled and reference variables
(tools/fixtures/gen_graph_def_v1.py): `cond.pb` conds on a placeholder (constants, nested, a
pair, a gradient, variable updates), `bn_cnn.*` a tf.layers CNN with batch norm and dropout on
a `training` placeholder and a Momentum train op, `frozen_cond.pb` a frozen graph with a cond.
"""

import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.backends.numpy import dead_loop, interpreter
from tensorflux.client import plan as plan_lib
from tensorflux.ops import registry
from tensorflux.ops import switch_merge_ops as smo

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "graph_def_v1")
COND_OUTPUTS = ["cond_out", "const_out", "nested_out", "pair_a", "pair_b", "cond_grad"]


def _fixture(name):
    return os.path.join(FIXTURES, name)


def _graph_def(name):
    with open(_fixture(name), "rb") as f:
        return tf.GraphDef.FromString(f.read())


def _xla_config():
    config = tf.ConfigProto(device_count={"GPU": 0})
    config.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
    return config


# --- TF's graphs --------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", ["numpy", "xla"])
def test_conds_give_tf_outputs_for_both_branches(backend):
    if backend == "xla":
        pytest.importorskip("jax")
    want = np.load(_fixture("cond.npz"))
    with tf.Graph().as_default() as g:
        tf.import_graph_def(_graph_def("cond.pb"), name="")
        assert {op.type for op in g.get_operations()} >= {"Switch", "Merge", "RefSwitch"}
        config = _xla_config() if backend == "xla" else None
        with tf.Session(config=config) as sess:
            for _ in range(5):  # past the XLA backend's warm-up runs
                for p in (True, False):
                    got = sess.run([n + ":0" for n in COND_OUTPUTS], {"x:0": want["x"], "p:0": p})
                    for n, v in zip(COND_OUTPUTS, got):
                        np.testing.assert_allclose(v, want["%s_%s" % (n, p)], rtol=1e-6,
                                                   err_msg=n)


def test_cond_branches_assign_variables_as_tf():
    want = np.load(_fixture("cond.npz"))
    with tf.Graph().as_default():
        tf.import_graph_def(_graph_def("cond.pb"), name="")
        with tf.Session() as sess:
            sess.run("v/Assign")
            for p in (True, False):  # p: v = sum(x); not p: v += 1 (the other assign idle)
                update = sess.run("update:0", {"x:0": want["x"], "p:0": p})
                np.testing.assert_allclose(update, want["update_%s" % p], rtol=1e-6)
                np.testing.assert_allclose(sess.run("v:0"), want["v_after_%s" % p], rtol=1e-6)


def test_traced_run_of_a_cond():
    want = np.load(_fixture("cond.npz"))
    with tf.Graph().as_default():
        tf.import_graph_def(_graph_def("cond.pb"), name="")
        with tf.Session() as sess:
            meta = tf.RunMetadata()
            got = sess.run("nested_out:0", {"x:0": want["x"], "p:0": False},
                           options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
                           run_metadata=meta)
    np.testing.assert_allclose(got, want["nested_out_False"], rtol=1e-6)
    names = {n.node_name for d in meta.step_stats.dev_stats for n in d.node_stats}
    assert "cond_2/Merge" in names and "cond_2/mul" in names
    assert "cond_2/cond/add" not in names  # the untaken branch did not run


def test_cond_graph_round_trips_through_as_graph_def():
    want = np.load(_fixture("cond.npz"))
    with tf.Graph().as_default() as g:
        tf.import_graph_def(_graph_def("cond.pb"), name="")
        exported = g.as_graph_def()
    with tf.Graph().as_default():
        tf.import_graph_def(exported, name="")
        with tf.Session() as sess:
            got = sess.run("cond_grad:0", {"x:0": want["x"], "p:0": False})
    np.testing.assert_allclose(got, want["cond_grad_False"], rtol=1e-6)


def test_frozen_graph_with_a_cond():
    want = np.load(_fixture("frozen_cond.npz"))
    with tf.Graph().as_default():
        tf.import_graph_def(_graph_def("frozen_cond.pb"), name="")
        with tf.Session() as sess:
            np.testing.assert_allclose(sess.run("probs:0", {"x:0": want["x"]}),
                                       want["probs_False"], rtol=1e-5)
            for t in (False, True):
                got = sess.run("probs:0", {"x:0": want["x"], "training:0": t})
                np.testing.assert_allclose(got, want["probs_%s" % t], rtol=1e-5)


@pytest.fixture(scope="module")
def bn_cnn():
    want = np.load(_fixture("bn_cnn.npz"))
    g = tf.Graph()
    with g.as_default():
        saver = tf.train.import_meta_graph(_fixture("bn_cnn.meta"))
        sess = tf.Session()
    saver.restore(sess, _fixture("bn_cnn.ckpt"))
    yield g, sess, want
    sess.close()


def test_batch_norm_dropout_cnn_inference_equals_tf(bn_cnn):
    _, sess, want = bn_cnn
    x = want["x"]
    np.testing.assert_allclose(sess.run("probs:0", {"x:0": x}), want["probs_eval"], rtol=1e-5,
                               atol=1e-6)
    for training in (False, True):
        key = "probs_train" if training else "probs_eval"
        np.testing.assert_allclose(sess.run("probs:0", {"x:0": x, "training:0": training}),
                                   want[key], rtol=1e-5, atol=1e-6)


def test_batch_norm_dropout_cnn_train_step_equals_tf(bn_cnn):
    g, sess, want = bn_cnn
    sess.run(g.get_operation_by_name("train"),
             {"x:0": want["x"], "y:0": want["y"], "training:0": True})
    with g.as_default():
        variables = tf.global_variables()
    assert sorted("step/" + v.op.name for v in variables) == sorted(
        k for k in want.files if k.startswith("step/"))
    for v in variables:
        np.testing.assert_allclose(sess.run(v), want["step/" + v.op.name], rtol=1e-5,
                                   atol=1e-6, err_msg=v.op.name)


# --- the dead-tensor rules, on graphs built with the ops ----------------------------------------
def _run(fetches, feed_dict=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed_dict)


def test_switch_forwards_to_one_side_and_merge_gives_its_index():
    with tf.Graph().as_default():
        x = tf.constant([1.0, 2.0])
        p = tf.placeholder(tf.bool, [])
        f, t = smo.switch(x, p)
        out, index = smo.merge([tf.negative(f), t * 10.0])
        assert out.shape.as_list() == [2] and index.dtype == tf.int32
        got = _run([out, index, t], {p: True})
        np.testing.assert_array_equal(got[0], [10.0, 20.0])
        assert got[1] == 1 and got[1].dtype == np.int32
        got = _run([out, index], {p: False})
        np.testing.assert_array_equal(got[0], [-1.0, -2.0])
        assert got[1] == 0


def test_fetching_a_dead_tensor_raises_like_tf():
    with tf.Graph().as_default():
        p = tf.placeholder(tf.bool, [])
        f, t = smo.switch(tf.constant(3.0), p)
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"Retval\[\d+\] does not"):
            _run([f, tf.sin(t)], {p: True})
        assert _run(tf.sin(t), {p: True}) == pytest.approx(np.sin(3.0))


def test_a_dead_control_input_kills_an_op_but_not_a_merge():
    with tf.Graph().as_default():
        p = tf.placeholder(tf.bool, [])
        f, t = smo.switch(tf.constant(0.0), p)
        with tf.control_dependencies([tf.identity(f)]):
            on_false = tf.constant(1.0)
        with tf.control_dependencies([tf.identity(t)]):
            on_true = tf.constant(2.0)
        out, index = smo.merge([on_false, on_true])
        assert _run([out, index], {p: True}) == [2.0, 1]
        assert _run([out, index], {p: False}) == [1.0, 0]
        with pytest.raises(tf.errors.InvalidArgumentError, match="does not have value"):
            _run(on_false, {p: True})
        with tf.control_dependencies([tf.identity(t)]):
            trigger = smo.control_trigger()
        with tf.control_dependencies([trigger]):
            after = tf.constant(5.0)
        assert _run(after, {p: False}) == 5.0  # ControlTrigger runs even when its input is dead


def test_merge_of_all_dead_inputs_is_dead():
    with tf.Graph().as_default():
        p = tf.placeholder(tf.bool, [])
        f, _ = smo.switch(tf.constant(1.0), p)
        out, _ = smo.merge([f, f + 1.0])
        with pytest.raises(tf.errors.InvalidArgumentError, match="does not have value"):
            _run(out, {p: True})


def test_stateful_ops_in_a_dead_branch_do_not_run():
    with tf.Graph().as_default():
        v = tf.Variable(1.0)
        w = tf.Variable(1.0)
        p = tf.placeholder(tf.bool, [])
        _, t = smo.switch(tf.constant(7.0), p)
        by_value = tf.assign(v, t)  # the dead value
        with tf.control_dependencies([tf.identity(t)]):
            by_control = tf.assign_add(w, 1.0)  # a dead control input
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run([by_value.op, by_control.op], {p: False})  # dead targets: not run
            assert sess.run([v, w]) == [1.0, 1.0]
            sess.run([by_value.op, by_control.op], {p: True})
            assert sess.run([v, w]) == [7.0, 2.0]


def test_an_assign_through_a_dead_ref_switch_does_not_run():
    with tf.Graph().as_default() as g:
        v = tf.Variable(1.0)
        p = tf.placeholder(tf.bool, [])
        ref = g.create_op("RefSwitch", [v._variable, p], {"T": tf.float32},
                          op_def=registry.get("RefSwitch"))
        assign = tf.assign(ref.outputs[1], tf.constant(9.0))  # a live value
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(assign.op, {p: False})
            assert sess.run(v) == 1.0
            sess.run(assign.op, {p: True})
            assert sess.run(v) == 9.0


def test_constant_folding_keeps_what_may_be_dead():
    with tf.Graph().as_default():
        p = tf.placeholder(tf.bool, [])
        f, t = smo.switch(tf.constant(2.0), p)
        with tf.control_dependencies([tf.identity(t)]):
            c = tf.constant(3.0) * tf.constant(4.0)  # foldable but for its dead control input
        out, _ = smo.merge([f * 1.0, c])
        assert _run(out, {p: True}) == 12.0
        assert _run(out, {p: False}) == 2.0


def test_shapes_and_registry_marks():
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float32, [2, 3])
        b = tf.placeholder(tf.float32, [2, None])
        assert smo.merge([a, b])[0].shape.as_list() == [2, None]
        assert smo.merge([a, tf.placeholder(tf.float32, [2])])[0].shape.ndims is None
        with pytest.raises(ValueError, match="rank 0"):
            smo.switch(a, tf.placeholder(tf.bool, [2]))
    for name in ("Switch", "RefSwitch", "Merge", "RefMerge", "ControlTrigger"):
        opdef = registry.get(name)
        assert opdef.grad == registry.NOT_DIFFERENTIABLE and "numpy" in opdef.kernels


def _compiled(fetches, feeds):
    ops = plan_lib.prune(fetches, [], feeds)
    return interpreter.compile(plan_lib.Plan(ops, feeds, fetches, []))


def test_only_plans_with_control_flow_use_the_dead_aware_loop():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [])
        p = tf.placeholder(tf.bool, [])
        plain = _compiled([x * 2.0], [x])
        assert plain.__module__ == interpreter.__name__
        assert plain.__qualname__ == "compile.<locals>.run"
        assert plain([np.float32(3.0)], interpreter.RunContext()) == [6.0]
        fetches = [smo.merge(list(smo.switch(x, p)))[0]]
        flow = _compiled(fetches, [x, p])
        assert flow.__module__ == dead_loop.__name__
        assert flow([np.float32(3.0), np.bool_(True)], interpreter.RunContext()) == [3.0]
        from tensorflux.backends.xla import analysis

        plan = plan_lib.Plan(plan_lib.prune(fetches, [], [x, p]), [x, p], fetches, [])
        an = analysis.Analysis(plan)
        assert an.reason.startswith("TF 1.x control flow") and not an.host_ops  # numpy, no split


def test_a_cond_placed_over_two_devices_runs_whole_on_one():
    with tf.Graph().as_default():
        p = tf.placeholder(tf.bool, [])
        with tf.device("/cpu:1"):
            f, t = smo.switch(tf.constant(3.0), p)
        with tf.device("/cpu:0"):
            out, index = smo.merge([tf.sin(f), tf.cos(t)])
        with tf.Session(config=tf.ConfigProto(device_count={"CPU": 2})) as sess:
            got = sess.run([out, index], {p: True})
    assert got[0] == pytest.approx(np.cos(3.0)) and got[1] == 1
