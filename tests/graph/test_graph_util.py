"""tf.graph_util (freezing, sub-graphs, training-node removal) and tf.train.write_graph."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "graph_def")


def _expected():
    return np.load(os.path.join(FIXTURES, "expected.npz"))


def _read(name):
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return f.read()


def test_tf_frozen_graph_runs_like_tf():
    exp = _expected()
    with tf.Graph().as_default():
        tf.import_graph_def(tf.GraphDef.FromString(_read("frozen.pb")), name="")
        with tf.Session() as sess:
            probs = sess.run("probs:0", {"x:0": exp["model_x"]})
    np.testing.assert_allclose(probs, exp["frozen_probs"], rtol=1e-5)


def test_freezing_an_imported_tf_model_matches_tf():
    exp = _expected()
    with tf.Graph().as_default() as g:
        saver = tf.train.import_meta_graph(os.path.join(FIXTURES, "model.ckpt.meta"))
        with tf.Session() as sess:
            saver.restore(sess, os.path.join(FIXTURES, "model.ckpt"))
            frozen = tf.graph_util.convert_variables_to_constants(
                sess, g.as_graph_def(), ["probs"])
    with open(os.path.join(FIXTURES, "manifest.json")) as f:
        assert sorted(n.name for n in frozen.node) == json.load(f)["frozen_nodes"]
    assert {n.op for n in frozen.node if n.name in ("dense/w", "dense/b")} == {"Const"}
    with tf.Graph().as_default():
        probs, = tf.import_graph_def(frozen, return_elements=["probs:0"])
        with tf.Session() as sess:
            out = sess.run(probs, {"import/x:0": exp["model_x"]})
    np.testing.assert_allclose(out, exp["frozen_probs"], rtol=1e-5)


def _graph_with_variables():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        w = tf.Variable([[1.0], [2.0]], name="w")
        v = tf.Variable([[3.0], [4.0]], name="v")
        y = tf.matmul(x, w, name="y")
        tf.identity(tf.check_numerics(y, "bad"), name="out")
        tf.matmul(x, v, name="unused")
    return g, (w, v)


def test_whitelist_and_blacklist():
    g, (w, v) = _graph_with_variables()
    with tf.Session(graph=g) as sess:
        sess.run([w.initializer, v.initializer])
        gd = g.as_graph_def()
        kept = tf.graph_util.convert_variables_to_constants(
            sess, gd, ["out", "unused"], variable_names_blacklist=["v"])
        only = tf.graph_util.convert_variables_to_constants(
            sess, gd, ["out", "unused"], variable_names_whitelist=["v"])
    ops = {n.name: n.op for n in kept.node}
    assert ops["w"] == "Const" and ops["v"] == "VariableV2"
    ops = {n.name: n.op for n in only.node}
    assert ops["w"] == "VariableV2" and ops["v"] == "Const"


def test_extract_sub_graph_and_remove_training_nodes():
    g, _ = _graph_with_variables()
    gd = g.as_graph_def()
    sub = tf.graph_util.extract_sub_graph(gd, ["y"])
    assert [n.name for n in sub.node] == ["x", "w", "w/read", "y"]
    with pytest.raises(TypeError):
        tf.graph_util.extract_sub_graph(gd, "y")
    lean = tf.graph_util.remove_training_nodes(gd, protected_nodes=["out"])
    names = {n.name for n in lean.node}
    assert "w/read" not in names and "out" in names
    assert next(n for n in lean.node if n.name == "y").input == ["x", "w"]
    assert next(n for n in lean.node if n.name == "out").input == ["y"]


def test_write_graph_text_matches_tf(tmp_path):
    gd = tf.GraphDef.FromString(_read("cnn.pb"))
    nodes = list(gd.node)[::-1]  # the fixture's .pb lists the nodes reversed
    del gd.node[:]
    gd.node.extend(nodes)
    path = tf.train.write_graph(gd, str(tmp_path), "cnn.pbtxt")
    assert path == os.path.join(str(tmp_path), "cnn.pbtxt")
    with open(path, "rb") as f:
        assert f.read() == _read("cnn.pbtxt")


def test_write_graph_binary_round_trips(tmp_path):
    g, _ = _graph_with_variables()
    path = tf.io.write_graph(g, str(tmp_path / "new_dir"), "g.pb", as_text=False)
    with tf.gfile.GFile(path, "rb") as f:
        gd = tf.GraphDef.FromString(f.read())
    assert [n.name for n in gd.node] == [op.name for op in g.get_operations()]


def _nodes(g):
    gd = tf.GraphDef()
    gd.ParseFromString(g.as_graph_def().SerializeToString())
    return {n.name: n for n in gd.node}


def test_graph_def_has_tf_s_colocation_attr():
    """`_class: loc:@v` on what TF colocates with a variable (its read, assign and initializer
    ops), so TensorFlow importing the graph places them together."""
    with tf.Graph().as_default() as g:
        w = tf.get_variable("w", [3, 2], initializer=tf.random_uniform_initializer())
        tf.assign_add(w, tf.ones([3, 2]), name="bump")
        nodes = _nodes(g)
    for name in ("w/read", "w/Assign", "bump", "w/Initializer/random_uniform"):
        assert list(nodes[name].attr["_class"].list.s) == [b"loc:@w"], name
    assert "_class" not in nodes["w"].attr


def test_graph_def_types_select_fill_and_list_ops_as_tf():
    """TF's importer checks "T" against the value inputs and needs "N" on list ops."""
    with tf.Graph().as_default() as g:
        cond = tf.placeholder(tf.bool, [2], name="cond")
        a = tf.placeholder(tf.int32, [2], name="a")
        tf.where(cond, a, a, name="sel")
        tf.fill([2], 1.5, name="filled")
        tf.add_n([a, a, a], name="summed")
        tf.stack([a, a], name="stacked")
        tf.concat([a, a, a, a], 0, name="joined")
        nodes = _nodes(g)
    assert nodes["sel"].attr["T"].type == tf.int32.as_datatype_enum
    assert nodes["filled"].attr["T"].type == tf.float32.as_datatype_enum
    assert nodes["summed"].attr["N"].i == 3
    assert nodes["stacked"].attr["N"].i == 2
    assert nodes["joined"].attr["N"].i == 4
