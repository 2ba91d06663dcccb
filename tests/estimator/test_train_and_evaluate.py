"""tf.estimator.train_and_evaluate (TF 1.15's local mode): TrainSpec / EvalSpec validation,
evaluation after each new checkpoint throttled by throttle_secs and at the end, the returned
(metrics, export results) tuple; the early-stopping hooks; add_metrics; the parse-spec
helpers, VocabInfo and tf.contrib.estimator."""

import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.estimator import early_stopping, training

X = np.linspace(-1.0, 1.0, 20, dtype=np.float32).reshape(20, 1)
Y = 3.0 * X + 1.0


@pytest.fixture(autouse=True)
def fresh_writers():
    tf.summary.FileWriterCache.clear()
    yield
    tf.summary.FileWriterCache.clear()


def model_fn(features, labels, mode):
    w = tf.get_variable("w", [1, 1], initializer=tf.zeros_initializer())
    b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
    y = tf.matmul(features["x"], w) + b
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={"y": y})
    loss = tf.reduce_mean(tf.square(y - labels))
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(
        loss, global_step=tf.train.get_global_step())
    metrics = {"mae": tf.metrics.mean_absolute_error(labels, y),
               "const": tf.metrics.mean(tf.ones_like(y))}  # never improves
    return tf.estimator.EstimatorSpec(mode, predictions={"y": y}, loss=loss,
                                      train_op=train_op, eval_metric_ops=metrics)


def train_fn():
    return tf.estimator.inputs.numpy_input_fn({"x": X}, Y, batch_size=5, num_epochs=None,
                                              shuffle=False)()


def eval_fn():
    return tf.estimator.inputs.numpy_input_fn({"x": X}, Y, batch_size=20, num_epochs=1,
                                              shuffle=False)()


def _estimator(model_dir, save_steps=5):
    config = tf.estimator.RunConfig(save_checkpoints_steps=save_steps,
                                    log_step_count_steps=None)
    return tf.estimator.Estimator(model_fn, model_dir=str(model_dir), config=config)


def _evaluated_steps(est):
    return list(early_stopping.read_eval_metrics(est.eval_dir()))


# --- specs ---------------------------------------------------------------------------------------
def test_train_spec_defaults_and_validation():
    spec = tf.estimator.TrainSpec(train_fn)
    assert spec.max_steps is None and spec.hooks == () and spec.saving_listeners == ()
    with pytest.raises(ValueError, match=r"Must specify max_steps > 0, given: 0"):
        tf.estimator.TrainSpec(train_fn, max_steps=0)
    with pytest.raises(TypeError, match="`input_fn` must be callable, given: 3"):
        tf.estimator.TrainSpec(3)
    with pytest.raises(TypeError, match="All hooks must be `SessionRunHook` instances"):
        tf.estimator.TrainSpec(train_fn, hooks=["hook"])
    with pytest.raises(TypeError, match="All saving_listeners must be"):
        tf.estimator.TrainSpec(train_fn, saving_listeners=[object()])


def test_eval_spec_defaults_and_validation():
    spec = tf.estimator.EvalSpec(eval_fn)
    assert (spec.steps, spec.name, spec.hooks, spec.exporters, spec.start_delay_secs,
            spec.throttle_secs) == (100, None, (), (), 120, 600)
    with pytest.raises(ValueError, match=r"Must specify steps > 0, given: -1"):
        tf.estimator.EvalSpec(eval_fn, steps=-1)
    with pytest.raises(TypeError, match="`name` must be string, given: 1"):
        tf.estimator.EvalSpec(eval_fn, name=1)
    with pytest.raises(ValueError, match=r"Must specify start_delay_secs >= 0, given: -1"):
        tf.estimator.EvalSpec(eval_fn, start_delay_secs=-1)
    with pytest.raises(ValueError, match=r"Must specify throttle_secs >= 0, given: -5"):
        tf.estimator.EvalSpec(eval_fn, throttle_secs=-5)
    with pytest.raises(TypeError, match="`exporters` must be an Exporter, an iterable"):
        tf.estimator.EvalSpec(eval_fn, exporters=[object()])
    receiver = tf.estimator.export.build_raw_serving_input_receiver_fn({})
    one = tf.estimator.LatestExporter("a", receiver)
    assert tf.estimator.EvalSpec(eval_fn, exporters=one).exporters == (one,)
    with pytest.raises(ValueError, match="`exporters` must have unique names"):
        tf.estimator.EvalSpec(eval_fn, exporters=[one, tf.estimator.FinalExporter("a",
                                                                                  receiver)])
    with pytest.raises(ValueError, match="An Exporter cannot have a name that is `None`"):
        tf.estimator.EvalSpec(eval_fn, exporters=[tf.estimator.FinalExporter("", receiver)])


def test_train_and_evaluate_argument_types(tmp_path):
    est = _estimator(tmp_path)
    train_spec, eval_spec = tf.estimator.TrainSpec(train_fn), tf.estimator.EvalSpec(eval_fn)
    with pytest.raises(TypeError, match="`eval_spec` must have type `tf.estimator.EvalSpec`"):
        tf.estimator.train_and_evaluate(est, train_spec, None)
    with pytest.raises(TypeError, match="`estimator` must have type `tf.estimator.Estimator`"):
        tf.estimator.train_and_evaluate("est", train_spec, eval_spec)
    with pytest.raises(TypeError, match="`train_spec` must have type"):
        tf.estimator.train_and_evaluate(est, eval_spec, eval_spec)
    assert not os.listdir(str(tmp_path))


# --- the loop ------------------------------------------------------------------------------------
def test_evaluates_every_new_checkpoint_when_not_throttled(tmp_path):
    est = _estimator(tmp_path)
    result = tf.estimator.train_and_evaluate(
        est, tf.estimator.TrainSpec(train_fn, max_steps=15),
        tf.estimator.EvalSpec(eval_fn, steps=None, throttle_secs=0))
    assert isinstance(result, tuple) and len(result) == 2
    metrics, export_results = result
    assert export_results == []
    assert metrics["global_step"] == 15
    assert sorted(metrics) == ["const", "global_step", "loss", "mae"]
    assert metrics == est.evaluate(eval_fn, steps=None)  # the final checkpoint's metrics
    # The step-0 checkpoint (before any training) is not evaluated.
    assert _evaluated_steps(est)[:3] == [5, 10, 15]


def test_throttle_secs_skips_checkpoints_but_evaluates_the_last(tmp_path):
    est = _estimator(tmp_path)
    metrics, _ = tf.estimator.train_and_evaluate(
        est, tf.estimator.TrainSpec(train_fn, max_steps=15),
        tf.estimator.EvalSpec(eval_fn, steps=2, throttle_secs=600, name="held_out"))
    assert metrics["global_step"] == 15
    assert list(early_stopping.read_eval_metrics(est.eval_dir("held_out"))) == [5, 15]
    assert not os.path.exists(est.eval_dir())


def test_end_of_training_evaluates_a_checkpoint_off_the_schedule(tmp_path):
    est = _estimator(tmp_path, save_steps=10)
    metrics, _ = tf.estimator.train_and_evaluate(
        est, tf.estimator.TrainSpec(train_fn, max_steps=15),
        tf.estimator.EvalSpec(eval_fn, steps=None, throttle_secs=0))
    assert metrics["global_step"] == 15
    assert _evaluated_steps(est) == [10, 15]


def test_already_trained_model_returns_no_evaluation(tmp_path):
    est = _estimator(tmp_path)
    est.train(train_fn, max_steps=5)
    result = tf.estimator.train_and_evaluate(
        est, tf.estimator.TrainSpec(train_fn, max_steps=5),
        tf.estimator.EvalSpec(eval_fn, throttle_secs=0))
    assert result == (None, None)


def test_user_hooks_and_listeners_run(tmp_path):
    class Count(tf.train.SessionRunHook):
        runs = 0

        def after_run(self, run_context, run_values):
            Count.runs += 1

    class Saves(tf.train.CheckpointSaverListener):
        steps = []

        def after_save(self, session, global_step_value):
            Saves.steps.append(global_step_value)

    eval_hook = Count()
    tf.estimator.train_and_evaluate(
        _estimator(tmp_path), tf.estimator.TrainSpec(train_fn, max_steps=10, hooks=[Count()],
                                                     saving_listeners=[Saves()]),
        tf.estimator.EvalSpec(eval_fn, steps=None, hooks=[eval_hook], throttle_secs=0))
    assert Count.runs == 10 + 2  # 10 training steps, one batch per evaluation
    assert Saves.steps == [0, 5, 10]


# --- early stopping ------------------------------------------------------------------------------
def _train_with_hook(tmp_path, make_hook, max_steps=40):
    est = _estimator(tmp_path)
    hook = make_hook(est)
    metrics, _ = tf.estimator.train_and_evaluate(
        est, tf.estimator.TrainSpec(train_fn, max_steps=max_steps, hooks=[hook]),
        tf.estimator.EvalSpec(eval_fn, steps=None, throttle_secs=0))
    return est, metrics


def test_stop_if_no_decrease_hook_stops_training(tmp_path):
    est, metrics = _train_with_hook(
        tmp_path, lambda est: tf.estimator.experimental.stop_if_no_decrease_hook(
            est, "const", max_steps_without_decrease=5, run_every_secs=None,
            run_every_steps=1))
    # Evaluations at 5 (the best) and 10 (no decrease for 5 steps). The Estimator's checkpoint
    # hook (a chief-only hook, run first, as in TF) evaluates step 10 before the early-stopping
    # hook looks, so training stops at step 10, already saved and evaluated.
    assert metrics["global_step"] == 10
    assert _evaluated_steps(est) == [5, 10]


def test_stop_if_no_increase_and_threshold_hooks(tmp_path):
    _, metrics = _train_with_hook(
        tmp_path / "a", lambda est: tf.estimator.experimental.stop_if_no_increase_hook(
            est, "const", 10, run_every_secs=None, run_every_steps=1))
    assert metrics["global_step"] == 15
    _, metrics = _train_with_hook(
        tmp_path / "b", lambda est: tf.estimator.experimental.stop_if_higher_hook(
            est, "const", 0.5, min_steps=10, run_every_secs=None, run_every_steps=1))
    assert metrics["global_step"] == 10
    _, metrics = _train_with_hook(
        tmp_path / "c", lambda est: tf.estimator.experimental.stop_if_lower_hook(
            est, "loss", -1.0, run_every_secs=None, run_every_steps=1), max_steps=10)
    assert metrics["global_step"] == 10  # never below the threshold: trains to the end


def test_make_early_stopping_hook_validation_and_workers(tmp_path):
    est = _estimator(tmp_path)
    with pytest.raises(TypeError, match="`estimator` must have type `tf.estimator.Estimator`"):
        tf.estimator.experimental.make_early_stopping_hook("est", lambda: True)
    with pytest.raises(ValueError, match="Only one of `run_every_secs` and `run_every_steps`"):
        tf.estimator.experimental.make_early_stopping_hook(est, lambda: True, 60, 10)
    with pytest.raises(TypeError, match="`should_stop_fn` must be callable"):
        tf.estimator.experimental.make_early_stopping_hook(est, True)
    hook = tf.estimator.experimental.make_early_stopping_hook(est, lambda: True,
                                                              run_every_secs=None,
                                                              run_every_steps=3)
    est.train(train_fn, hooks=[hook], max_steps=100)
    assert tf.train.load_variable(est.model_dir, "global_step") == 1  # checked at once
    with tf.Graph().as_default():  # a worker's hook stops when it sees the chief's signal
        tf.train.create_global_step()
        worker = early_stopping._CheckForStoppingHook()
        signal = tf.assign(early_stopping._get_or_create_stop_var(), True)
        with tf.train.MonitoredTrainingSession(hooks=[worker]) as sess:
            assert not sess.should_stop()
            sess.run(signal)
            assert sess.should_stop()


def test_in_memory_evaluator_hook(tmp_path):
    est = _estimator(tmp_path, save_steps=100)
    hook = tf.estimator.experimental.InMemoryEvaluatorHook(est, eval_fn, every_n_iter=4,
                                                           name="mem")
    est.train(train_fn, max_steps=10, hooks=[hook])
    recorded = early_stopping.read_eval_metrics(est.eval_dir("mem"))
    assert list(recorded) == [0, 4, 8, 10]  # before training, every 4 steps, at the end
    assert recorded[0]["loss"] == pytest.approx(float(np.mean(Y ** 2)), rel=1e-5)
    from_checkpoint = est.evaluate(eval_fn, name="ckpt")
    assert from_checkpoint["global_step"] == 10
    assert recorded[10]["loss"] == pytest.approx(float(from_checkpoint["loss"]), rel=1e-5)
    with pytest.raises(ValueError, match="invalid every_n_iter=0"):
        tf.estimator.experimental.InMemoryEvaluatorHook(est, eval_fn, every_n_iter=0)


def test_read_eval_metrics_orders_by_step(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path))
    for step, loss in ((20, 0.5), (10, 1.0)):
        writer.add_summary(tf.Summary(value=[tf.Summary.Value(tag="loss", simple_value=loss)]),
                           step)
    writer.add_summary(tf.Summary(value=[tf.Summary.Value(tag="acc", simple_value=0.25)]), 10)
    writer.close()
    assert list(early_stopping.read_eval_metrics(str(tmp_path)).items()) == [
        (10, {"loss": 1.0, "acc": 0.25}), (20, {"loss": 0.5})]
    assert early_stopping.read_eval_metrics(str(tmp_path / "none")) == {}


# --- extenders, parse specs, VocabInfo, contrib --------------------------------------------------
def test_add_metrics(tmp_path):
    est = _estimator(tmp_path)
    est.train(train_fn, max_steps=5)

    def metric_fn(labels, predictions, features, config):
        assert config.model_dir == est.model_dir and "x" in features
        return {"rmse": tf.metrics.root_mean_squared_error(labels, predictions["y"]),
                "mae": tf.metrics.mean(tf.zeros([1]))}  # replaces the model's own

    extended = tf.estimator.add_metrics(est, metric_fn)
    assert isinstance(extended, tf.estimator.Estimator)
    assert extended.model_dir == est.model_dir
    base, result = est.evaluate(eval_fn), extended.evaluate(eval_fn)
    assert sorted(result) == ["const", "global_step", "loss", "mae", "rmse"]
    assert result["mae"] == 0.0 and base["mae"] > 0.0
    np.testing.assert_allclose(result["rmse"] ** 2, base["loss"], rtol=1e-5)
    with pytest.raises(ValueError, match="has following not expected args"):
        tf.estimator.add_metrics(est, lambda labels, mode: {})


def test_forward_features(tmp_path):
    est = _estimator(tmp_path)
    est.train(train_fn, max_steps=1)
    fwd = tf.contrib.estimator.forward_features(est, "x")
    predictions = list(fwd.predict(tf.estimator.inputs.numpy_input_fn({"x": X[:3]},
                                                                       shuffle=False)))
    np.testing.assert_allclose([p["x"] for p in predictions], X[:3])
    with pytest.raises(TypeError, match="keys should be either a string or a list"):
        tf.contrib.estimator.forward_features(est, 3)


def test_parse_example_specs():
    age = tf.feature_column.numeric_column("age")
    spec = tf.estimator.classifier_parse_example_spec([age], label_key="clicked",
                                                      label_default=0, weight_column="w")
    assert spec == {"age": tf.FixedLenFeature((1,), tf.float32),
                    "clicked": tf.FixedLenFeature((1,), tf.int64, 0),
                    "w": tf.FixedLenFeature((1,), tf.float32)}
    spec = tf.estimator.regressor_parse_example_spec([age], label_key="price",
                                                     label_dimension=2)
    assert spec["price"] == tf.FixedLenFeature((2,), tf.float32)
    with pytest.raises(ValueError, match="label should not be used as feature. label_key: age"):
        tf.estimator.classifier_parse_example_spec([age], label_key="age")
    with pytest.raises(ValueError, match="weight_column should not be used as feature"):
        tf.estimator.classifier_parse_example_spec([age], "y", weight_column="age")
    with pytest.raises(ValueError, match="weight_column should be an instance of"):
        tf.estimator.classifier_parse_example_spec([age], "y", weight_column=3)


def test_parse_example_with_one_dense_feature_keeps_its_shape():
    example = tf.train.Example(features=tf.train.Features(feature={
        "a": tf.train.Feature(float_list=tf.train.FloatList(value=[1.0, 2.0]))}))
    with tf.Graph().as_default(), tf.Session() as sess:
        parsed = tf.parse_example([example.SerializeToString()] * 3,
                                  {"a": tf.FixedLenFeature([2], tf.float32)})
        assert sess.run(parsed["a"]).shape == (3, 2)


def test_vocab_info_and_warm_start_settings():
    info = tf.estimator.VocabInfo("new.txt", 10, 1, "old.txt")
    assert (info.old_vocab_size, info.backup_initializer, info.axis) == (-1, None, 0)
    with pytest.raises(ValueError, match="The only supported values for the axis argument"):
        tf.estimator.VocabInfo("new.txt", 10, 1, "old.txt", axis=2)
    assert tf.estimator.WarmStartSettings("/ckpt").vars_to_warm_start == ".*"


def test_public_names():
    assert tf.estimator.train_and_evaluate is training.train_and_evaluate
    assert tf.contrib.estimator.add_metrics is tf.estimator.add_metrics
    assert tf.contrib.estimator.stop_if_no_decrease_hook is \
        tf.estimator.experimental.stop_if_no_decrease_hook
    for name in ("make_early_stopping_hook", "stop_if_higher_hook", "stop_if_lower_hook",
                 "stop_if_no_increase_hook", "forward_features", "InMemoryEvaluatorHook"):
        assert hasattr(tf.contrib.estimator, name), name
    for name in ("ServingInputReceiver", "TensorServingInputReceiver", "PredictOutput",
                 "ClassificationOutput", "RegressionOutput", "ExportOutput",
                 "build_parsing_serving_input_receiver_fn",
                 "build_raw_serving_input_receiver_fn"):
        assert hasattr(tf.estimator.export, name), name
