"""Estimator.export_saved_model and the exporters (TF 1.15 semantics): the timestamped
SavedModel layout, its signatures from EstimatorSpec.export_outputs, reloading it in a fresh
graph with tf.saved_model.loader.load to get estimator.predict's values, serving input
receivers (raw tensors, serialized tf.train.Examples), and LatestExporter / BestExporter /
FinalExporter under train_and_evaluate with their garbage collection."""

import os
import time

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.estimator import early_stopping
from tensorflux.estimator import exporter as exporter_lib
from tensorflux.estimator.export import export as export_lib

X = np.linspace(-1.0, 1.0, 20, dtype=np.float32).reshape(20, 1)
Y = 3.0 * X + 1.0
DEFAULT = "serving_default"


@pytest.fixture(autouse=True)
def fresh_writers_and_fast_clock(monkeypatch):
    """Fresh event writers; the export-directory clock advances on `sleep` instead of waiting
    (two exports in one second still take two timestamps, as in TF)."""
    tf.summary.FileWriterCache.clear()
    offset = [0.0]

    class Clock:
        @staticmethod
        def time():
            return time.time() + offset[0]

        @staticmethod
        def sleep(seconds):
            offset[0] += seconds

    monkeypatch.setattr(export_lib, "time", Clock)
    yield
    tf.summary.FileWriterCache.clear()


def linear_model_fn(features, labels, mode, params):
    w = tf.get_variable("w", [1, 1], initializer=tf.zeros_initializer())
    b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
    y = tf.matmul(features["x"], w) + b
    predictions = {"y": y, "twice": 2.0 * y}
    if mode == tf.estimator.ModeKeys.PREDICT:
        export_fn = params.get("export_fn", lambda p: None)
        return tf.estimator.EstimatorSpec(mode, predictions=predictions,
                                          export_outputs=export_fn(predictions))
    loss = tf.reduce_mean(tf.square(y - labels))
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(
        loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op,
                                      eval_metric_ops={"mae": tf.metrics.mean_absolute_error(
                                          labels, y)})


def _input_fn(num_epochs=None, batch_size=5):
    return tf.estimator.inputs.numpy_input_fn({"x": X}, Y, batch_size=batch_size,
                                              num_epochs=num_epochs, shuffle=False)


def _raw_receiver_fn():
    return tf.estimator.export.build_raw_serving_input_receiver_fn(
        {"x": tf.placeholder(tf.float32, [None, 1], name="x")})


@pytest.fixture(scope="module")
def trained_dir(tmp_path_factory):
    model_dir = str(tmp_path_factory.mktemp("linear"))
    tf.estimator.Estimator(linear_model_fn, model_dir=model_dir, params={}).train(
        _input_fn(), steps=20)
    return model_dir


def _estimator(model_dir, export_fn=None):
    params = {"export_fn": export_fn} if export_fn else {}
    return tf.estimator.Estimator(linear_model_fn, model_dir=model_dir, params=params)


def _load_and_run(export_dir, feeds, signature=DEFAULT):
    """Loads the SavedModel in a fresh graph; runs every output of `signature`."""
    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING],
                                          export_dir)
        sig = meta.signature_def[signature]
        out = sess.run({k: v.name for k, v in sig.outputs.items()},
                       {sig.inputs[k].name: v for k, v in feeds.items()})
    return meta, out


def _example(x):
    return tf.train.Example(features=tf.train.Features(feature={
        "x": tf.train.Feature(float_list=tf.train.FloatList(value=[float(x)]))
    })).SerializeToString()


# --- export_saved_model --------------------------------------------------------------------------
def test_export_saved_model_layout_signature_and_reload(trained_dir, tmp_path):
    est = _estimator(trained_dir)
    base = str(tmp_path / "export")
    export_dir = est.export_saved_model(base, _raw_receiver_fn())
    assert isinstance(export_dir, bytes)  # TF 1.15 returns the path as bytes
    name = os.path.basename(export_dir).decode()
    assert len(name) == 10 and name.isdigit() and abs(int(name) - time.time()) < 60
    assert sorted(os.listdir(base)) == [name]  # the temp-<timestamp> dir was renamed
    assert sorted(os.listdir(export_dir)) == [b"saved_model.pb", b"variables"]
    assert sorted(os.listdir(os.path.join(export_dir, b"variables"))) == [
        b"variables.data-00000-of-00001", b"variables.index"]
    meta, out = _load_and_run(export_dir, {"x": X[:4]})
    assert list(meta.meta_info_def.tags) == ["serve"]
    sig = meta.signature_def[DEFAULT]
    assert list(meta.signature_def) == [DEFAULT]
    assert sig.method_name == "tensorflow/serving/predict"
    assert sig.inputs["x"].name == "x:0"
    assert sorted(sig.outputs) == ["twice", "y"]
    want = est.predict(tf.estimator.inputs.numpy_input_fn({"x": X[:4]}, shuffle=False),
                       yield_single_examples=False)
    want = next(want)
    np.testing.assert_allclose(out["y"], want["y"], rtol=1e-6)
    np.testing.assert_allclose(out["twice"], want["twice"], rtol=1e-6)
    assert not np.allclose(out["y"], 0.0)  # the trained weights, not the initial zeros


def test_export_savedmodel_alias_checkpoint_path_assets_extra_and_text(trained_dir, tmp_path):
    est = _estimator(trained_dir)
    extra = tmp_path / "vocab.txt"
    extra.write_text("a\nb\n")
    first = est.latest_checkpoint().replace("-20", "-0")
    assert os.path.exists(first + ".index")
    export_dir = est.export_savedmodel(str(tmp_path / "e"), _raw_receiver_fn(),
                                       assets_extra={"sub/v.txt": str(extra)}, as_text=True,
                                       checkpoint_path=first)
    assert os.path.exists(os.path.join(export_dir, b"saved_model.pbtxt"))
    assert not os.path.exists(os.path.join(export_dir, b"saved_model.pb"))
    with open(os.path.join(export_dir, b"assets.extra", b"sub", b"v.txt")) as f:
        assert f.read() == "a\nb\n"
    # Exported from the step-0 checkpoint: the initial zeros, not the trained weights.
    reader = tf.train.NewCheckpointReader(
        os.path.join(export_dir, b"variables", b"variables").decode())
    np.testing.assert_array_equal(reader.get_tensor("w"), [[0.0]])
    assert not np.allclose(tf.train.load_variable(trained_dir, "w"), 0.0)


def test_two_exports_in_one_second_get_distinct_timestamps(trained_dir, tmp_path):
    est = _estimator(trained_dir)
    a = est.export_saved_model(str(tmp_path), _raw_receiver_fn())
    b = est.export_saved_model(str(tmp_path), _raw_receiver_fn())
    assert int(os.path.basename(b)) > int(os.path.basename(a))


def test_export_without_checkpoint_or_receiver_fn_raises(tmp_path):
    est = _estimator(str(tmp_path / "empty"))
    with pytest.raises(ValueError, match="Couldn't find trained model at"):
        est.export_saved_model(str(tmp_path / "e"), _raw_receiver_fn())
    with pytest.raises(ValueError, match="must be defined"):
        est.export_saved_model(str(tmp_path / "e"), None)
    assert not os.path.exists(str(tmp_path / "e"))


def test_model_fn_with_variables_not_in_checkpoint_raises(trained_dir, tmp_path):
    def model_fn(features, mode):
        v = tf.get_variable("not_in_checkpoint", [1])
        return tf.estimator.EstimatorSpec(mode, predictions={"y": features["x"] * v})

    est = tf.estimator.Estimator(model_fn, model_dir=trained_dir)
    with pytest.raises(ValueError, match="Could not load all requested variables"):
        est.export_saved_model(str(tmp_path / "e"), _raw_receiver_fn())
    assert os.listdir(str(tmp_path / "e")) == []  # no half-written temp- directory left


# --- export outputs ------------------------------------------------------------------------------
def test_export_outputs_become_signatures(trained_dir, tmp_path):
    def outputs(p):
        return {"pred": tf.estimator.export.PredictOutput({"y": p["y"]}),
                DEFAULT: tf.estimator.export.RegressionOutput(tf.reshape(p["y"], [-1])),
                "class": tf.estimator.export.ClassificationOutput(scores=p["twice"])}

    spec = {"x": tf.FixedLenFeature([1], tf.float32)}
    receiver = tf.estimator.export.build_parsing_serving_input_receiver_fn(spec)
    export_dir = _estimator(trained_dir, outputs).export_saved_model(str(tmp_path), receiver)
    examples = [_example(v) for v in (-1.0, 0.0, 0.5)]
    meta, out = _load_and_run(export_dir, {"inputs": examples})
    assert sorted(meta.signature_def) == ["class", "pred", DEFAULT]
    assert meta.signature_def[DEFAULT].method_name == "tensorflow/serving/regress"
    assert meta.signature_def["class"].method_name == "tensorflow/serving/classify"
    assert sorted(meta.signature_def["class"].outputs) == ["scores"]
    assert meta.signature_def["pred"].inputs["examples"].name == "input_example_tensor:0"
    want = 3.0 * np.array([-1.0, 0.0, 0.5]) + 1.0
    np.testing.assert_allclose(out["outputs"], want, atol=1.0)
    _, pred = _load_and_run(export_dir, {"examples": examples}, "pred")
    np.testing.assert_allclose(pred["y"][:, 0], out["outputs"], rtol=1e-6)


def test_classify_signature_over_float_inputs_is_left_out(trained_dir, tmp_path):
    def outputs(p):
        return {DEFAULT: tf.estimator.export.PredictOutput(p),
                "class": tf.estimator.export.ClassificationOutput(scores=p["y"])}

    export_dir = _estimator(trained_dir, outputs).export_saved_model(
        str(tmp_path), _raw_receiver_fn())
    meta, _ = _load_and_run(export_dir, {"x": X[:2]})
    assert list(meta.signature_def) == [DEFAULT]


def test_single_export_output_is_also_serving_default(trained_dir, tmp_path):
    def outputs(p):
        return {"only": tf.estimator.export.PredictOutput(p["y"])}

    meta, out = _load_and_run(_estimator(trained_dir, outputs).export_saved_model(
        str(tmp_path), _raw_receiver_fn()), {"x": X[:2]})
    assert sorted(meta.signature_def) == ["only", DEFAULT]
    assert sorted(out) == ["output"]  # a lone tensor is named "output"


def test_bad_export_outputs_raise(trained_dir, tmp_path):
    def no_default(p):
        return {"a": tf.estimator.export.PredictOutput(p), "b":
                tf.estimator.export.PredictOutput(p)}

    with pytest.raises(ValueError, match="none of them is specified as the default"):
        _estimator(trained_dir, no_default).export_saved_model(str(tmp_path), _raw_receiver_fn())
    with pytest.raises(TypeError, match="Values in export_outputs must be ExportOutput"):
        _estimator(trained_dir, lambda p: {DEFAULT: p["y"]}).export_saved_model(
            str(tmp_path), _raw_receiver_fn())


def test_export_output_validation():
    with tf.Graph().as_default():
        f = tf.placeholder(tf.float32, [None])
        s = tf.placeholder(tf.string, [None])
        i = tf.placeholder(tf.int32, [None])
        with pytest.raises(ValueError, match="Classification scores must be a float32 Tensor"):
            tf.estimator.export.ClassificationOutput(scores=i)
        with pytest.raises(ValueError, match="Classification classes must be a string Tensor"):
            tf.estimator.export.ClassificationOutput(classes=f)
        with pytest.raises(ValueError, match="At least one of scores and classes must be set"):
            tf.estimator.export.ClassificationOutput()
        with pytest.raises(ValueError, match="Regression output value must be a float32"):
            tf.estimator.export.RegressionOutput(i)
        with pytest.raises(ValueError, match="Prediction output value must be a Tensor"):
            tf.estimator.export.PredictOutput({"a": 1.0})
        with pytest.raises(ValueError, match="Prediction output key must be a string"):
            tf.estimator.export.PredictOutput({1: f})
        out = tf.estimator.export.PredictOutput({("head", "probs"): f})
        assert list(out.outputs) == ["head/probs"]
        sig = tf.estimator.export.ClassificationOutput(classes=s).as_signature_def({"in": s})
        assert sorted(sig.outputs) == ["classes"]
        with pytest.raises(ValueError, match="Regression input must be a single string"):
            tf.estimator.export.RegressionOutput(f).as_signature_def({"a": s, "b": s})


# --- receivers -----------------------------------------------------------------------------------
def test_serving_input_receivers_wrap_and_validate():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        r = tf.estimator.export.ServingInputReceiver(x, x)
        assert r.features == {"feature": x} and r.receiver_tensors == {"input": x}
        assert r.receiver_tensors_alternatives is None
        t = tf.estimator.export.TensorServingInputReceiver(x, {"x": x})
        assert t.features is x and t.receiver_tensors == {"x": x}
        r = tf.estimator.export.ServingInputReceiver({1: x}, {"x": x}, {"alt": x})
        assert r.receiver_tensors_alternatives == {"alt": {"input": x}}
        with pytest.raises(ValueError, match="features must be defined"):
            tf.estimator.export.ServingInputReceiver(None, x)
        with pytest.raises(ValueError, match="receiver_tensor keys must be strings: 1"):
            tf.estimator.export.ServingInputReceiver(x, {1: x})
        with pytest.raises(ValueError, match="feature a must be a Tensor or SparseTensor"):
            tf.estimator.export.ServingInputReceiver({"a": 1.0}, x)
        with pytest.raises(ValueError, match="receiver_tensors_alternatives must be a dict"):
            tf.estimator.export.ServingInputReceiver(x, x, [x])


def test_raw_receiver_fn_placeholders_keep_names_and_default_batch_size():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [7, 3], name="images")
        fn = tf.estimator.export.build_raw_serving_input_receiver_fn({"img": x},
                                                                    default_batch_size=2)
    with tf.Graph().as_default():
        r = fn()
        p = r.receiver_tensors["img"]
        assert p.op.type == "Placeholder" and p.name == "images:0"
        assert p.shape.as_list() == [2, 3] and r.features["img"] is p


def test_tensor_receiver_and_alternatives_signatures(trained_dir, tmp_path):
    def model_fn(features, mode):
        w = tf.get_variable("w", [1, 1])
        b = tf.get_variable("b", [1])
        return tf.estimator.EstimatorSpec(mode, predictions=tf.matmul(features, w) + b)

    def receiver_fn():
        serialized = tf.placeholder(tf.string, [None], name="examples")
        x = tf.parse_example(serialized, {"x": tf.FixedLenFeature([1], tf.float32)})["x"]
        return tf.estimator.export.TensorServingInputReceiver(
            x, serialized, receiver_tensors_alternatives={"raw": {"x": x}})

    est = tf.estimator.Estimator(model_fn, model_dir=trained_dir)
    export_dir = est.export_saved_model(str(tmp_path), receiver_fn)
    meta, out = _load_and_run(export_dir, {"input": [_example(0.5)]})
    assert sorted(meta.signature_def) == ["raw:serving_default", DEFAULT]
    _, raw = _load_and_run(export_dir, {"x": [[0.5]]}, "raw:serving_default")
    np.testing.assert_allclose(out["output"], raw["output"])


# --- exporters -----------------------------------------------------------------------------------
def test_exporter_argument_validation():
    fn = _raw_receiver_fn()
    with pytest.raises(ValueError, match="`exports_to_keep`, if provided, must be positive"):
        tf.estimator.LatestExporter("l", fn, exports_to_keep=0)
    with pytest.raises(ValueError, match="must be a positive number. Got -1"):
        tf.estimator.BestExporter("b", fn, exports_to_keep=-1)
    with pytest.raises(ValueError, match="`compare_fn` must not be None"):
        tf.estimator.BestExporter("b", fn, compare_fn=None)
    with pytest.raises(ValueError, match="must include current_eval_result argument"):
        tf.estimator.BestExporter("b", fn, compare_fn=lambda best_eval_result: True)
    with pytest.raises(ValueError, match="has following not expected args"):
        tf.estimator.BestExporter("b", fn, compare_fn=lambda best_eval_result,
                                  current_eval_result, other: True)
    with pytest.raises(ValueError, match="best_eval_result cannot be empty or no loss"):
        exporter_lib._loss_smaller({}, {"loss": 1.0})
    assert exporter_lib._loss_smaller({"loss": 2.0}, {"loss": 1.0})
    assert tf.estimator.FinalExporter("final", fn).name == "final"
    assert issubclass(tf.estimator.BestExporter, tf.estimator.Exporter)


def test_garbage_collection_keeps_newest_timestamped_dirs(tmp_path):
    for name in ("1500000001", "1500000003", "1500000002", "temp-1500000004", "123",
                 "1500000000"):
        os.makedirs(str(tmp_path / name))
    exporter_lib._garbage_collect_exports(str(tmp_path), 2)
    assert sorted(os.listdir(str(tmp_path))) == ["123", "1500000002", "1500000003",
                                                 "temp-1500000004"]


def _dirs(path):
    return sorted(os.listdir(path)) if os.path.isdir(path) else []


def test_train_and_evaluate_with_exporters_custom_model(tmp_path):
    model_dir = str(tmp_path / "m")
    config = tf.estimator.RunConfig(save_checkpoints_steps=5, log_step_count_steps=None)
    est = tf.estimator.Estimator(linear_model_fn, model_dir=model_dir, config=config,
                                 params={})
    fn = _raw_receiver_fn()

    def higher_mae_is_better(best_eval_result, current_eval_result):  # always gets worse
        return current_eval_result["mae"] > best_eval_result["mae"]

    exporters = [tf.estimator.LatestExporter("latest", fn, exports_to_keep=2),
                 tf.estimator.BestExporter("best", fn, exports_to_keep=5),
                 tf.estimator.BestExporter("worst", fn, compare_fn=higher_mae_is_better),
                 tf.estimator.FinalExporter("final", fn)]
    eval_spec = tf.estimator.EvalSpec(_input_fn(num_epochs=1, batch_size=20), steps=None,
                                      exporters=exporters, throttle_secs=0)
    metrics, exports = tf.estimator.train_and_evaluate(
        est, tf.estimator.TrainSpec(_input_fn(), max_steps=20), eval_spec)
    assert metrics["global_step"] == 20
    assert list(early_stopping.read_eval_metrics(est.eval_dir())) == [5, 10, 15, 20]
    export_base = os.path.join(model_dir, "export")
    assert _dirs(export_base) == ["best", "final", "latest", "worst"]
    assert len(_dirs(os.path.join(export_base, "latest"))) == 2  # 4 exports, 2 kept
    assert len(_dirs(os.path.join(export_base, "best"))) == 4  # the loss fell every time
    assert len(_dirs(os.path.join(export_base, "worst"))) == 1  # only the first
    assert len(_dirs(os.path.join(export_base, "final"))) == 1
    latest, best, worst, final = exports  # the last evaluation's results, exporter order
    assert worst is None
    assert os.path.dirname(final) == os.path.join(export_base, "final").encode()
    assert os.path.basename(latest).decode() == _dirs(os.path.join(export_base, "latest"))[-1]
    _, out = _load_and_run(final, {"x": X})
    want = np.concatenate([p["y"] for p in est.predict(
        tf.estimator.inputs.numpy_input_fn({"x": X}, shuffle=False))])
    np.testing.assert_allclose(out["y"][:, 0], want, rtol=1e-6)


def test_best_exporter_reads_best_from_event_files_after_restart(tmp_path):
    model_dir = str(tmp_path / "m")
    config = tf.estimator.RunConfig(save_checkpoints_steps=10, log_step_count_steps=None)
    eval_fn = _input_fn(num_epochs=1, batch_size=20)
    fn = _raw_receiver_fn()

    def run(max_steps, exporter):
        est = tf.estimator.Estimator(linear_model_fn, model_dir=model_dir, config=config,
                                     params={})
        return tf.estimator.train_and_evaluate(
            est, tf.estimator.TrainSpec(_input_fn(), max_steps=max_steps),
            tf.estimator.EvalSpec(eval_fn, steps=None, exporters=exporter, throttle_secs=0))

    run(10, tf.estimator.BestExporter("best", fn))
    assert len(_dirs(os.path.join(model_dir, "export", "best"))) == 1

    def lower_mae_is_better(best_eval_result, current_eval_result):
        return current_eval_result["mae"] < best_eval_result["mae"] - 1e9  # never better

    # A new exporter (a restarted job) takes the recorded step-10 evaluation as its best.
    _, exports = run(20, tf.estimator.BestExporter("best", fn, compare_fn=lower_mae_is_better))
    assert exports == [None]
    assert len(_dirs(os.path.join(model_dir, "export", "best"))) == 1


def test_dnn_classifier_train_and_evaluate_parsing_export(tmp_path):
    rng = np.random.RandomState(0)
    labels = np.repeat(np.arange(3), 10).astype(np.int64)
    x = np.array([[0.0, 0.0], [2.0, 2.0], [-2.0, 2.0]])[labels] + rng.normal(
        scale=0.3, size=(30, 2))
    features = {"a": x[:, 0].astype(np.float32), "b": x[:, 1].astype(np.float32)}
    columns = [tf.feature_column.numeric_column("a"), tf.feature_column.numeric_column("b")]
    config = tf.estimator.RunConfig(tf_random_seed=1, save_checkpoints_steps=10,
                                    log_step_count_steps=None)
    est = tf.estimator.DNNClassifier([8], columns, n_classes=3, model_dir=str(tmp_path),
                                     config=config)

    def train_fn():
        return tf.data.Dataset.from_tensor_slices((features, labels)).repeat().batch(10)

    def eval_fn():
        return tf.data.Dataset.from_tensor_slices((features, labels)).batch(30)

    spec = tf.feature_column.make_parse_example_spec(columns)
    receiver = tf.estimator.export.build_parsing_serving_input_receiver_fn(spec)
    exporters = [tf.estimator.LatestExporter("latest", receiver, exports_to_keep=2),
                 tf.estimator.BestExporter("best", receiver)]
    metrics, exports = tf.estimator.train_and_evaluate(
        est, tf.estimator.TrainSpec(train_fn, max_steps=30),
        tf.estimator.EvalSpec(eval_fn, steps=None, exporters=exporters, throttle_secs=0))
    assert metrics["global_step"] == 30 and metrics["accuracy"] > 0.6
    assert len(_dirs(os.path.join(str(tmp_path), "export", "latest"))) == 2  # of 3
    assert 1 <= len(_dirs(os.path.join(str(tmp_path), "export", "best"))) <= 3

    serialized = [tf.train.Example(features=tf.train.Features(feature={
        k: tf.train.Feature(float_list=tf.train.FloatList(value=[float(features[k][i])]))
        for k in ("a", "b")})).SerializeToString() for i in (0, 15, 29)]
    # TF's canned classifier signatures: classify (the default) and predict.
    meta, out = _load_and_run(exports[0], {"examples": serialized}, "predict")
    assert sorted(meta.signature_def) == ["classification", "predict", DEFAULT]
    assert sorted(meta.signature_def["predict"].outputs) == [
        "class_ids", "classes", "logits", "probabilities"]
    assert meta.signature_def["predict"].inputs["examples"].name == "input_example_tensor:0"
    classify = meta.signature_def[DEFAULT]
    assert classify.method_name == "tensorflow/serving/classify"
    assert classify.inputs["inputs"].name == "input_example_tensor:0"
    assert classify.outputs["scores"].name == "dnn/head/predictions/probabilities:0"
    assert classify.outputs["classes"].name == "dnn/head/Tile:0"
    _, scores = _load_and_run(exports[0], {"inputs": serialized})
    np.testing.assert_array_equal(scores["classes"], [[b"0", b"1", b"2"]] * 3)
    np.testing.assert_allclose(scores["scores"], out["probabilities"])
    # TF 1.x's ParseExample layout (what TensorFlow's importer checks): keys are inputs.
    node, = [n for n in meta.graph_def.node if n.op == "ParseExample"]
    assert (node.attr["Nsparse"].i, node.attr["Ndense"].i) == (0, 2)
    assert "dense_keys" not in node.attr and len(node.input) == 2 + 2 + 2
    predict_fn = tf.estimator.inputs.numpy_input_fn(
        {k: v[[0, 15, 29]] for k, v in features.items()}, shuffle=False)
    want = list(est.predict(predict_fn))
    np.testing.assert_allclose(out["probabilities"],
                               np.stack([p["probabilities"] for p in want]), rtol=1e-5)
    assert [c[0] for c in out["classes"]] == [p["classes"][0] for p in want]


def test_canned_binary_classifier_and_regressor_signatures(tmp_path):
    columns = [tf.feature_column.numeric_column("x")]
    receiver = tf.estimator.export.build_parsing_serving_input_receiver_fn(
        tf.feature_column.make_parse_example_spec(columns))

    def input_fn():
        return {"x": tf.constant(X)}, tf.constant((Y > 1.0).astype(np.int64))

    classifier = tf.estimator.LinearClassifier(columns, model_dir=str(tmp_path / "c"))
    classifier.train(input_fn, steps=2)
    export_dir = classifier.export_saved_model(str(tmp_path / "ce"), receiver)
    meta, out = _load_and_run(export_dir, {"inputs": [_example(0.5)]}, "regression")
    assert sorted(meta.signature_def) == ["classification", "predict", "regression", DEFAULT]
    assert meta.signature_def[DEFAULT].method_name == "tensorflow/serving/classify"
    _, pred = _load_and_run(export_dir, {"examples": [_example(0.5)]}, "predict")
    np.testing.assert_allclose(out["outputs"], pred["logistic"], rtol=1e-6)  # the logistic

    regressor = tf.estimator.LinearRegressor(columns, model_dir=str(tmp_path / "r"))
    regressor.train(lambda: ({"x": tf.constant(X)}, tf.constant(Y)), steps=2)
    meta, _ = _load_and_run(regressor.export_saved_model(str(tmp_path / "re"), receiver),
                            {"inputs": [_example(0.5)]})
    assert sorted(meta.signature_def) == ["predict", "regression", DEFAULT]
    assert meta.signature_def[DEFAULT].method_name == "tensorflow/serving/regress"
    # Over raw tensors, the classify and regress signatures cannot be served: only predict.
    raw = tf.estimator.export.build_raw_serving_input_receiver_fn(
        {"x": tf.placeholder(tf.float32, [None, 1], name="x")})
    meta, out = _load_and_run(regressor.export_saved_model(str(tmp_path / "rr"), raw),
                              {"x": X[:2]}, "predict")
    assert list(meta.signature_def) == ["predict"]
    assert out["predictions"].shape == (2, 1)
