"""tf.train.import_meta_graph: TF's .meta + checkpoint restored and run; tensorflux round trip."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "graph_def")
META = os.path.join(FIXTURES, "model.ckpt.meta")
CKPT = os.path.join(FIXTURES, "model.ckpt")


def _expected():
    return np.load(os.path.join(FIXTURES, "expected.npz"))


def _manifest():
    with open(os.path.join(FIXTURES, "manifest.json")) as f:
        return json.load(f)


@pytest.mark.parametrize("scope", [None, "restored"])
def test_tf_meta_graph_restores_and_runs_like_tf(scope):
    exp = _expected()
    p = scope + "/" if scope else ""
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(META, import_scope=scope)
        feed = {p + "x:0": exp["model_x"], p + "y:0": exp["model_y"]}
        with tf.Session() as sess:
            saver.restore(sess, CKPT)
            np.testing.assert_allclose(sess.run(p + "probs:0", feed), exp["model_probs"],
                                       rtol=1e-5)
            loss, = tf.get_collection(tf.GraphKeys.LOSSES)
            np.testing.assert_allclose(sess.run(loss, feed), exp["model_loss"], rtol=1e-5)
            sess.run(tf.get_collection(tf.GraphKeys.TRAIN_OP), feed)
            np.testing.assert_allclose(sess.run(p + "dense/w:0"), exp["model_w_after_step"],
                                       rtol=1e-5)
            np.testing.assert_allclose(sess.run(p + "dense/b:0"), exp["model_b_after_step"],
                                       rtol=1e-5)
            assert sess.run(tf.train.get_global_step()) == 2


def test_collections_come_back_as_tensorflux_objects():
    with tf.Graph().as_default():
        tf.train.import_meta_graph(META)
        for key, names in _manifest()["collections"].items():
            assert [x.name for x in tf.get_collection(key)] == names, key
        w, b = tf.trainable_variables()
        assert isinstance(w, tf.Variable) and w.initializer.name == "dense/w/Assign"
        assert tf.global_variables()[1] is w
        assert tf.train.get_global_step() is tf.global_variables()[0]
        with tf.Session() as sess:  # the imported initializers work too
            sess.run(tf.global_variables_initializer())
            assert sess.run(b).tolist() == [0.0, 0.0, 0.0]


def test_saver_nodes_are_rebuilt_not_imported(tmp_path):
    with tf.Graph().as_default() as g:
        saver = tf.train.import_meta_graph(META, clear_devices=True)
        # TF's save/ nodes are replaced by the returned Saver's own (same names, built once).
        savers = [op.name for op in g.get_operations() if op.type in ("SaveV2", "RestoreV2")]
        assert savers == ["save/SaveV2", "save/RestoreV2"]
        with tf.Session() as sess:
            saver.restore(sess, CKPT)
            path = saver.save(sess, str(tmp_path / "again"))
        reader = tf.train.load_checkpoint(path)
        np.testing.assert_array_equal(reader.get_tensor("dense/w"),
                                      tf.train.load_variable(CKPT, "dense/w"))


def _build_model():
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    y = tf.placeholder(tf.int64, [None], name="y")
    gs = tf.train.get_or_create_global_step()
    with tf.variable_scope("dense"):
        w = tf.get_variable("w", [4, 3], initializer=tf.random_normal_initializer(seed=1))
    logits = tf.matmul(x, w, name="logits")
    tf.nn.softmax(logits, name="probs")
    loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
    return tf.train.GradientDescentOptimizer(0.5).minimize(loss, global_step=gs)


def test_round_trip_of_tensorflux_export(tmp_path):
    x = np.random.RandomState(0).rand(5, 4).astype(np.float32)
    feed = {"x:0": x, "y:0": [0, 1, 2, 1, 0]}
    with tf.Graph().as_default():
        train = _build_model()
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train, feed)
            path = saver.save(sess, str(tmp_path / "model.ckpt"))
            probs = sess.run("probs:0", feed)
            sess.run(train, feed)
            w_next = sess.run("dense/w:0")
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(path + ".meta")
        with tf.Session() as sess:
            saver.restore(sess, path)
            np.testing.assert_allclose(sess.run("probs:0", feed), probs, rtol=1e-6)
            sess.run(tf.get_collection(tf.GraphKeys.TRAIN_OP)[0], feed)
            np.testing.assert_allclose(sess.run("dense/w:0"), w_next, rtol=1e-6)


def test_meta_graph_def_message_and_no_variables():
    with open(META, "rb") as f:
        meta = tf.MetaGraphDef.FromString(f.read())
    assert meta.saver_def.restore_op_name == "save/restore_all"
    assert meta.collection_def["train_op"].node_list.value == ["GradientDescent"]
    g = tf.Graph()
    with g.as_default():
        tf.constant(1.0, name="c")
    with tf.Graph().as_default() as g2:
        assert tf.train.import_meta_graph(tf.train.export_meta_graph(graph=g)) is None
        assert g2.get_operation_by_name("c").type == "Const"


def test_missing_file_raises():
    with tf.Graph().as_default(), pytest.raises(IOError, match="does not exist"):
        tf.train.import_meta_graph("no/such/file.meta")
