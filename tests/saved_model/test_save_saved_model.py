"""SavedModels written by tensorflux: TF's layout and fields, reloaded with tensorflux."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.graph import graph_protos

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "saved_model")
DEFAULT = tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY


def _manifest():
    with open(os.path.join(FIXTURES, "manifest.json")) as f:
        return json.load(f)


def _build_cnn():
    """The fixture CNN's graph (same names as tools/fixtures/gen_saved_model.py)."""
    rng = np.random.RandomState(3)
    x = tf.placeholder(tf.float32, [None, 8, 8, 1], name="x")
    with tf.variable_scope("conv1"):
        w = tf.get_variable("weights", initializer=rng.randn(3, 3, 1, 4).astype(np.float32))
        b = tf.get_variable("biases", initializer=rng.randn(4).astype(np.float32))
        h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"), b))
    pool = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "VALID", name="pool")
    flat = tf.reshape(pool, [-1, 64], name="flat")
    with tf.variable_scope("fc"):
        w2 = tf.get_variable("weights", initializer=rng.randn(64, 3).astype(np.float32))
        b2 = tf.get_variable("biases", initializer=rng.randn(3).astype(np.float32))
        logits = tf.matmul(flat, w2) + b2
    probs = tf.nn.softmax(logits, name="probs")
    return x, probs, tf.argmax(probs, 1, name="label")


def _read_saved_model(export_dir):
    with open(os.path.join(export_dir, "saved_model.pb"), "rb") as f:
        return graph_protos.SavedModel.FromString(f.read())


def test_simple_save_layout_fields_and_reload(tmp_path):
    export_dir = str(tmp_path / "cnn")
    data = np.random.RandomState(0).rand(3, 8, 8, 1).astype(np.float32)
    with tf.Session(graph=tf.Graph()) as sess:
        x, probs, label = _build_cnn()
        sess.run(tf.global_variables_initializer())
        want = sess.run(probs, {x: data})
        tf.saved_model.simple_save(sess, export_dir, {"x": x}, {"probs": probs, "label": label})
    assert sorted(os.listdir(export_dir)) == ["saved_model.pb", "variables"]
    assert sorted(os.listdir(os.path.join(export_dir, "variables"))) == [
        "variables.data-00000-of-00001", "variables.index"]
    meta, = _read_saved_model(export_dir).meta_graphs
    tf_cnn = _manifest()["cnn"]
    from tests.saved_model.test_load_tf_saved_model import _signatures
    assert _signatures(meta) == tf_cnn["signatures"]
    assert list(meta.meta_info_def.tags) == tf_cnn["tags"]
    assert sorted(meta.collection_def) == tf_cnn["collections"]
    for key in ("filename_tensor_name", "restore_op_name", "sharded", "version"):
        assert getattr(meta.saver_def, key) == tf_cnn["saver_def"][key], key
    with tf.Session(graph=tf.Graph()) as sess:
        loaded = tf.saved_model.loader.load(sess, ["serve"], export_dir)
        sig = loaded.signature_def[DEFAULT]
        got = sess.run(sig.outputs["probs"].name, {sig.inputs["x"].name: data})
    np.testing.assert_allclose(got, want, rtol=1e-6)


def test_builder_two_meta_graphs_main_op_and_assets(tmp_path):
    asset = tmp_path / "labels.txt"
    asset.write_text("cat\ndog\n")
    export_dir = str(tmp_path / "multi")
    with tf.Session(graph=tf.Graph()) as sess:
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        w = tf.get_variable("w", initializer=np.array([[1.0], [2.0]], np.float32))
        scale = tf.get_variable("scale", initializer=3.0, trainable=False,
                                collections=[tf.GraphKeys.LOCAL_VARIABLES])
        path = tf.constant(str(asset), name="asset_path")
        tf.add_to_collection(tf.GraphKeys.ASSET_FILEPATHS, path)
        vocab_var = tf.Variable(tf.read_file(path), trainable=False, name="vocab_var",
                                collections=[tf.GraphKeys.LOCAL_VARIABLES])
        y = tf.identity(tf.matmul(x, w) * scale, name="y")
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        sess.run(w.assign([[5.0], [7.0]]))
        builder = tf.saved_model.builder.SavedModelBuilder(export_dir)
        sig = tf.saved_model.signature_def_utils.predict_signature_def(
            {"x": x}, {"y": y, "vocab": tf.identity(vocab_var, name="vocab")})
        builder.add_meta_graph_and_variables(
            sess, ["train"], signature_def_map={"predict": sig},
            assets_collection=tf.get_collection(tf.GraphKeys.ASSET_FILEPATHS),
            main_op=tf.local_variables_initializer())
        with pytest.raises(AssertionError, match="already been saved"):
            builder.add_meta_graph_and_variables(sess, ["x"])
        builder.add_meta_graph(["serve", "gpu"], signature_def_map={DEFAULT: sig})
        builder.save()
    asset.unlink()  # the loader must use the copy under assets/
    assert os.listdir(os.path.join(export_dir, "assets")) == ["labels.txt"]
    sm = _read_saved_model(export_dir)
    assert [list(m.meta_info_def.tags) for m in sm.meta_graphs] == [["train"], ["serve", "gpu"]]
    assert [m.saver_def.restore_op_name for m in sm.meta_graphs] == [
        "save/restore_all", "save_1/restore_all"]
    for tags, key in ((["train"], "predict"), (["gpu", "serve"], DEFAULT)):
        with tf.Session(graph=tf.Graph()) as sess:
            meta = tf.saved_model.loader.load(sess, tags, export_dir)
            s = meta.signature_def[key]
            out, vocab = sess.run([s.outputs["y"].name, s.outputs["vocab"].name],
                                  {s.inputs["x"].name: [[1.0, 1.0]]})
        np.testing.assert_allclose(out, [[36.0]])
        assert vocab == b"cat\ndog\n"


def test_existing_non_empty_export_dir_is_refused(tmp_path):
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(AssertionError, match="Export directory already exists, and isn't "
                                             "empty"):
        tf.saved_model.builder.SavedModelBuilder(str(tmp_path))
    assert os.listdir(tmp_path) == ["keep.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    tf.saved_model.Builder(str(empty))  # an empty directory is fine


def test_add_meta_graph_first_and_bad_signatures_raise(tmp_path):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None], name="x")
        builder = tf.saved_model.builder.SavedModelBuilder(str(tmp_path / "m"))
        with pytest.raises(AssertionError, match="has not been saved yet"):
            builder.add_meta_graph(["serve"])
        bad = graph_protos.SignatureDef()
        bad.inputs["x"].CopyFrom(graph_protos.TensorInfo(dtype=1))
        with tf.Session() as sess, pytest.raises(AssertionError, match="encoding"):
            builder.add_meta_graph_and_variables(sess, ["serve"], {"s": bad})
        with pytest.raises(ValueError, match="cannot be None or empty"):
            tf.saved_model.predict_signature_def({}, {"x": x})
        with pytest.raises(ValueError, match="string"):
            tf.saved_model.regression_signature_def(x, x)


def test_signature_helpers_and_tensor_info():
    sdu = tf.saved_model.signature_def_utils
    with tf.Graph().as_default():
        ex = tf.placeholder(tf.string, [None], name="ex")
        pred = tf.placeholder(tf.float32, [None, 1], name="pred")
        sp = tf.sparse_placeholder(tf.float32, name="sp")
        reg = sdu.regression_signature_def(ex, pred)
        assert reg.method_name == tf.saved_model.REGRESS_METHOD_NAME
        assert sdu.is_valid_signature(reg)
        assert not sdu.is_valid_signature(sdu.build_signature_def({}, {}, "bogus"))
        info = tf.saved_model.utils.build_tensor_info(pred)
        assert (info.name, info.dtype, [d.size for d in info.tensor_shape.dim]) == (
            "pred:0", 1, [-1, 1])
        sp_info = tf.saved_model.build_tensor_info(sp)
        assert sp_info.WhichOneof("encoding") == "coo_sparse"
        back = tf.saved_model.get_tensor_from_tensor_info(
            graph_protos.TensorInfo.FromString(sp_info.SerializeToString()))
        assert back.values.name == sp.values.name
        op = tf.saved_model.main_op.main_op()
        assert op.type == "NoOp"
