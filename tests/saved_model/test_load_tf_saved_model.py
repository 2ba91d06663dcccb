"""tf.saved_model.loader.load on SavedModels written by real TensorFlow (fixtures from
tools/fixtures/gen_saved_model.py): outputs, signatures, assets, main_op, errors."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.graph import graph_protos

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "saved_model")
CNN = os.path.join(FIXTURES, "cnn")
MULTI = os.path.join(FIXTURES, "multi")
SERVING = tf.saved_model.tag_constants.SERVING
DEFAULT = tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY


def _expected():
    return np.load(os.path.join(FIXTURES, "expected.npz"))


def _manifest():
    with open(os.path.join(FIXTURES, "manifest.json")) as f:
        return json.load(f)


def _signatures(meta):
    def info(m):
        return {k: {"name": v.name, "dtype": v.dtype,
                    "shape": None if v.tensor_shape.unknown_rank else
                    [d.size for d in v.tensor_shape.dim]} for k, v in m.items()}
    return {key: {"method_name": s.method_name, "inputs": info(s.inputs),
                  "outputs": info(s.outputs)} for key, s in meta.signature_def.items()}


@pytest.mark.parametrize("scope", [None, "imported"])
def test_simple_save_cnn_runs_like_tf(scope):
    exp = _expected()
    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.loader.load(sess, [SERVING], CNN, import_scope=scope)
        sig = meta.signature_def[DEFAULT]
        p = scope + "/" if scope else ""
        probs, label = sess.run([p + sig.outputs["probs"].name, p + sig.outputs["label"].name],
                                {p + sig.inputs["x"].name: exp["cnn_x"]})
    np.testing.assert_allclose(probs, exp["cnn_probs"], rtol=1e-5)
    np.testing.assert_array_equal(label, exp["cnn_label"])


def test_signatures_tags_and_collections_match_tf():
    manifest = _manifest()
    loaded = {}
    with tf.Session(graph=tf.Graph()) as sess:
        loaded["cnn"] = tf.saved_model.load(sess, ["serve"], CNN)
    for tag, key in (("serve", "multi_serve"), ("train", "multi_train")):
        with tf.Session(graph=tf.Graph()) as sess:
            loaded[key] = tf.saved_model.loader.load(sess, [tag], MULTI)
    for key, meta in loaded.items():
        want = manifest[key]
        assert _signatures(meta) == want["signatures"], key
        assert list(meta.meta_info_def.tags) == want["tags"]
        assert sorted(meta.collection_def) == want["collections"]
        assert meta.saver_def.restore_op_name == want["saver_def"]["restore_op_name"]
        assert meta.saver_def.sharded == want["saver_def"]["sharded"]


def test_builder_model_serving_graph_runs_main_op_and_reads_asset():
    exp = _expected()
    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.loader.load(sess, ["serve"], MULTI)
        sig = meta.signature_def[DEFAULT]
        probs, vocab = sess.run([sig.outputs["probs"].name, sig.outputs["vocab"].name],
                                {sig.inputs["x"].name: exp["multi_x"]})
        classify = meta.signature_def["classify"]
        x = tf.saved_model.utils.get_tensor_from_tensor_info(sig.inputs["x"])
        assert x.op.type == "Placeholder" and x.dtype == tf.float32
    np.testing.assert_allclose(probs, exp["multi_probs"], rtol=1e-5)
    assert vocab == exp["multi_vocab"].item() == b"cat\ndog\nbird\n"
    assert tf.saved_model.signature_def_utils.is_valid_signature(classify)
    assert tf.saved_model.signature_def_utils.is_valid_signature(sig)


def test_builder_model_training_graph_trains_like_tf():
    exp = _expected()
    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.TRAINING], MULTI)
        sig = meta.signature_def["train"]
        feed = {sig.inputs["x"].name: exp["multi_x"], sig.inputs["y"].name: exp["multi_y"]}
        np.testing.assert_allclose(sess.run(sig.outputs["loss"].name, feed),
                                   exp["multi_loss"], rtol=1e-5)
        sess.run(tf.get_collection(tf.GraphKeys.TRAIN_OP), feed)
        w = [v for v in tf.global_variables() if v.op.name == "dense/w"][0]
        np.testing.assert_allclose(sess.run(w), exp["multi_w_after_step"], rtol=1e-5)


def test_xla_backend_loads_and_runs():
    exp = _expected()
    config = tf.ConfigProto()
    config.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
    with tf.Session(graph=tf.Graph(), config=config) as sess:
        meta = tf.saved_model.loader.load(sess, [SERVING], CNN)
        sig = meta.signature_def[DEFAULT]
        probs = sess.run(sig.outputs["probs"].name, {sig.inputs["x"].name: exp["cnn_x"]})
    np.testing.assert_allclose(probs, exp["cnn_probs"], rtol=1e-5)


def test_wrong_tags_raise_runtime_error_listing_available():
    with tf.Session(graph=tf.Graph()) as sess:
        with pytest.raises(RuntimeError, match="could not be found in SavedModel") as err:
            tf.saved_model.loader.load(sess, ["serve", "train"], MULTI)
    assert "{'train'}" in str(err.value) and "{'serve'}" in str(err.value)


def test_missing_directory_raises_ioerror(tmp_path):
    missing = str(tmp_path / "nope")
    with tf.Session(graph=tf.Graph()) as sess:
        with pytest.raises(IOError, match="SavedModel file does not exist at: "):
            tf.saved_model.loader.load(sess, [SERVING], missing)
    assert not tf.saved_model.loader.maybe_saved_model_directory(missing)
    assert tf.saved_model.contains_saved_model(CNN)


def test_saved_model_proto_round_trips_tf_bytes():
    for path in (CNN, MULTI):
        with open(os.path.join(path, "saved_model.pb"), "rb") as f:
            data = f.read()
        sm = graph_protos.SavedModel.FromString(data)
        again = sm.SerializeToString()
        # Same fields and bytes; only NodeDef attr map order may differ from TF's.
        assert len(again) == len(data)
        assert graph_protos.SavedModel.FromString(again) == sm
        assert sm.saved_model_schema_version == 1
        for meta in sm.meta_graphs:
            for sig in meta.signature_def.values():
                assert graph_protos.SignatureDef.FromString(sig.SerializeToString()) == sig
    serve = graph_protos.SavedModel.FromString(
        open(os.path.join(MULTI, "saved_model.pb"), "rb").read()).meta_graphs[1]
    raw = serve.collection_def["saved_model_assets"].any_list.value[0]
    asset = graph_protos.AssetFileDef.FromString(graph_protos.Any.FromString(raw).value)
    assert (asset.tensor_info.name, asset.filename) == ("asset_path:0", "labels.txt")
