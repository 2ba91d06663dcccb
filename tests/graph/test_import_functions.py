"""Importing TF 2 graphs: FunctionDefs (If/While/calls), stateless random ops, resource variables.

The fixtures come from real TensorFlow (tools/fixtures/gen_graph_def.py): `functions.pb` holds
tf.cond, a nested tf.cond, tf.while_loop, a tf.function call, a cond gradient and stateless
random ops; `tf2_cnn.*` a tf.layers CNN with a `training` placeholder and an Adam train op, as
TF 2 writes it in TF1 mode.
"""

import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.graph import graph_protos as gp
from tensorflux.ops import registry
from tensorflux.ops import stateless_random_ops as sro

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "graph_def")
OUTPUTS = ["cond_out", "nested_out", "while_out", "call_out", "call_sum", "cond_grad",
           "uniform", "normal", "truncated", "uniform_int"]


def _fixture(name):
    return os.path.join(FIXTURES, name)


def _functions_graph_def():
    with open(_fixture("functions.pb"), "rb") as f:
        return tf.GraphDef.FromString(f.read())


# --- stateless random ops ---------------------------------------------------------------------
def _draw(make, seed=(7, 11)):
    with tf.Graph().as_default():
        key, counter = sro.stateless_random_get_key_counter(tf.constant(seed, tf.int64))
        out = make(key, counter)
        with tf.Session() as sess:
            return sess.run(out)


@pytest.mark.parametrize("dtype", [tf.float16, tf.float32, tf.float64])
def test_stateless_float_ops_shapes_dtypes_and_distributions(dtype):
    def make(key, counter):
        return [f([40, 50], key, counter, dtype=dtype) for f in (
            sro.stateless_random_uniform_v2, sro.stateless_random_normal_v2,
            sro.stateless_truncated_normal_v2)]

    u, n, t = _draw(make)
    for v in (u, n, t):
        assert v.shape == (40, 50) and v.dtype == dtype.as_numpy_dtype
    u, n, t = (v.astype(np.float64) for v in (u, n, t))
    assert u.min() >= 0 and u.max() < 1 and abs(u.mean() - 0.5) < 0.03
    assert abs(n.mean()) < 0.06 and abs(n.std() - 1) < 0.05 and np.abs(n).max() > 2.5
    assert np.abs(t).max() < 2 and abs(t.mean()) < 0.06 and abs(t.std() - 0.88) < 0.05


def test_stateless_ops_are_deterministic_functions_of_their_seed():
    def make(key, counter):
        return [sro.stateless_random_uniform_v2([5], key, counter),
                sro.stateless_random_uniform_int_v2([1000], key, counter, 1, -3, 4)]

    (u1, i1), (u2, i2), (u3, _) = _draw(make), _draw(make), _draw(make, seed=(7, 12))
    np.testing.assert_array_equal(u1, u2)
    np.testing.assert_array_equal(i1, i2)
    assert not np.array_equal(u1, u3)
    assert i1.dtype == np.int32 and i1.min() == -3 and i1.max() == 3
    with tf.Graph().as_default():
        seed = tf.constant([7, 11], tf.int64)
        a = sro.stateless_random_v1("StatelessRandomNormal", [3], seed)
        assert not registry.get(a.op.type).stateful
        assert not registry.get(a.op.type).differentiable
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(a), sess.run(a))


def test_stateless_ops_reject_bad_algorithms_and_ranges():
    with tf.Graph().as_default():
        key, counter = sro.stateless_random_get_key_counter(tf.constant([1, 2]))
        threefry = sro.stateless_random_uniform_v2([2], key, counter, alg=sro.THREEFRY)
        empty = sro.stateless_random_uniform_int_v2([2], key, counter, 1, 5, 5)
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="algorithm 2"):
                sess.run(threefry)
            with pytest.raises(tf.errors.InvalidArgumentError, match="minval < maxval"):
                sess.run(empty)


def test_stateless_ops_equal_tensorflow_values():
    want = np.load(_fixture("functions.npz"))
    with tf.Graph().as_default():
        tf.import_graph_def(_functions_graph_def(), name="")
        with tf.Session() as sess:
            for name in ("uniform", "normal", "truncated", "uniform_int"):
                got = sess.run(name + ":0")
                assert got.dtype == want[name + "_True"].dtype
                np.testing.assert_allclose(got, want[name + "_True"], rtol=1e-6, atol=1e-7)


# --- If / While / PartitionedCall -------------------------------------------------------------
@pytest.mark.parametrize("p", [True, False])
def test_imported_functions_compute_what_tensorflow_did(p):
    want = np.load(_fixture("functions.npz"))
    with tf.Graph().as_default():
        tf.import_graph_def(_functions_graph_def(), name="")
        feed = {"x:0": want["x"], "p:0": p, "n:0": want["n"]}
        with tf.Session() as sess:
            got = sess.run([n + ":0" for n in OUTPUTS], feed)
    for name, value in zip(OUTPUTS, got):
        np.testing.assert_allclose(value, want["%s_%s" % (name, p)], rtol=1e-5, atol=1e-6,
                                   err_msg=name)


def test_functional_ops_become_tensorflux_control_flow():
    with tf.Graph().as_default() as g:
        tf.import_graph_def(_functions_graph_def(), name="imp")
        types = {op.type for op in g.get_operations()}
        assert {"StatelessIf", "StatelessWhile", "IdentityN"} <= types
        assert not types & {"PartitionedCall", "StatefulPartitionedCall"}
        nested = g.get_operation_by_name("imp/cond_1")
        inner = {op.type for op in nested._attrs["then_branch"].graph.get_operations()}
        assert "StatelessIf" in inner  # the nested cond lives in the outer cond's branch
        # tensorflux's own gradient of an imported cond agrees with TF's gradient graph
        x, p = g.get_tensor_by_name("imp/x:0"), g.get_tensor_by_name("imp/p:0")
        out = g.get_tensor_by_name("imp/cond_out:0")
        grad, = tf.gradients(tf.reduce_sum(out * out), x)
        with tf.Session() as sess:
            for pv in (True, False):
                feed = {x: [0.5, -1.0, 2.0], p: pv}
                a, b = sess.run([grad, "imp/cond_grad:0"], feed)
                np.testing.assert_allclose(a, b, rtol=1e-6)


# --- hand-built functions: clear errors ---------------------------------------------------------
def _call_graph(fdef, op="PartitionedCall"):
    gd = gp.GraphDef()
    a = gd.node.add(name="a", op="Placeholder")
    a.attr["dtype"].type = 1
    a.attr["shape"].shape.dim.add(size=2)
    call = gd.node.add(name="call", op=op, input=["a"])
    call.attr["f"].func.name = fdef.signature.name
    gd.library.function.append(fdef.SerializeToString())
    return gd


def _fdef(nodes, ret, arg_type=1, type_attr=""):
    sig = gp.OpDefProto(name="my_f", input_arg=[gp.OpDefProto.ArgDef(
        name="a", type=arg_type, type_attr=type_attr)],
        output_arg=[gp.OpDefProto.ArgDef(name="out", type=1)])
    return gp.FunctionDef(signature=sig, node_def=nodes, ret={"out": ret})


def _node(name, op, inputs, **types):
    node = gp.NodeDef(name=name, op=op, input=inputs)
    for key, value in types.items():
        node.attr[key].type = value
    return node


def test_inlined_call_of_a_hand_built_function():
    fdef = _fdef([_node("sq", "Square", ["a"], T=1), _node("neg", "Neg", ["sq:y:0"], T=1)],
                 b"neg:y:0")
    with tf.Graph().as_default() as g:
        tf.import_graph_def(_call_graph(fdef), name="")
        assert g.get_operation_by_name("call/sq").type == "Square"
        with tf.Session() as sess:
            np.testing.assert_allclose(sess.run("call:0", {"a:0": [1.0, 3.0]}), [-1.0, -9.0])
        # a node whose op type is the function's name is a call as well
        tf.import_graph_def(_call_graph(fdef, op="my_f"), name="by_name")
        with tf.Session() as sess:
            np.testing.assert_allclose(sess.run("by_name/call:0", {"by_name/a:0": [2.0, 0.0]}),
                                       [-4.0, 0.0])


@pytest.mark.parametrize("fdef,match", [
    (_fdef([], b"a", arg_type=0, type_attr="T"), "polymorphic argument 'a'"),
    (_fdef([_node("t", "TopKV2", ["a", "a"], T=1), ], b"t:nope:0"), "output 'nope'"),
    (_fdef([_node("q", "NoSuchOp", ["a"])], b"q:y:0"), "function 'my_f'.*NoSuchOp"),
    (_fdef([_node("sq", "Square", ["zz"], T=1)], b"sq:y:0"), "unknown input 'zz'"),
    (_fdef([], b"gone:y:0"), "unknown input node 'gone'"),
])
def test_unsupported_function_features_raise_clear_errors(fdef, match):
    with tf.Graph().as_default() as g:
        with pytest.raises(ValueError, match=match):
            tf.import_graph_def(_call_graph(fdef))
        assert g.get_operations() == []  # a failed import leaves the graph as it was


def test_attribute_placeholders_are_rejected():
    node = _node("sq", "Square", ["a"])
    node.attr["T"].placeholder = "T"
    with tf.Graph().as_default(), pytest.raises(ValueError, match="placeholder"):
        tf.import_graph_def(_call_graph(_fdef([node], b"sq:y:0")))


# --- a TF 2 tf.layers CNN: import_meta_graph, restore, run, train ---------------------------------
@pytest.fixture(scope="module")
def cnn():
    want = np.load(_fixture("tf2_cnn.npz"))
    g = tf.Graph()
    with g.as_default():
        saver = tf.train.import_meta_graph(_fixture("tf2_cnn.meta"))
        sess = tf.Session()
    yield g, saver, sess, want
    sess.close()


def test_cnn_initializers_equal_tensorflow(cnn):
    g, _, sess, want = cnn
    with g.as_default():
        sess.run(tf.global_variables_initializer())
        variables = tf.global_variables()
    assert sorted("init/" + v.op.name for v in variables) == sorted(
        k for k in want.files if k.startswith("init/"))
    for v in variables:
        np.testing.assert_allclose(sess.run(v), want["init/" + v.op.name], rtol=1e-6,
                                   atol=1e-7, err_msg=v.op.name)


def test_cnn_restored_outputs_and_train_steps_match_tensorflow(cnn):
    g, saver, sess, want = cnn
    saver.restore(sess, _fixture("tf2_cnn.ckpt"))
    x, y = want["x"], want["y"]
    np.testing.assert_allclose(sess.run("probs:0", {"x:0": x}), want["probs_eval"], rtol=1e-5,
                               atol=1e-6)
    np.testing.assert_allclose(sess.run("probs:0", {"x:0": x, "training:0": True}),
                               want["probs_train"], rtol=1e-5, atol=1e-6)
    feed = {"x:0": x, "y:0": y, "training:0": True}
    train = g.get_operation_by_name("train")
    sess.run(train, feed)
    with g.as_default():
        variables = tf.global_variables()
        loss = tf.get_collection(tf.GraphKeys.LOSSES)[0]
    moving = [v for v in variables if "moving_" in v.op.name]
    assert len(moving) == 2
    for v in variables:
        np.testing.assert_allclose(sess.run(v), want["step/" + v.op.name], rtol=1e-5,
                                   atol=1e-6, err_msg=v.op.name)
    losses = np.array([sess.run([loss, train], feed)[0] for _ in range(3)])
    assert np.all(np.isfinite(losses)) and np.all(np.diff(losses) < 0)
    np.testing.assert_allclose(losses, want["losses"], rtol=1e-5)
