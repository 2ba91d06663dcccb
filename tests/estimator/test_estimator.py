"""Estimator.train / evaluate / predict on a tiny linear model: steps and resuming, checkpoints
and events in model_dir, the evaluation and prediction results, hooks and listeners (TF 1.15
semantics)."""

import glob
import os
import re

import numpy as np
import pytest

import tensorflux as tf

X = np.linspace(-1.0, 1.0, 20, dtype=np.float32).reshape(20, 1)
Y = 3.0 * X + 1.0


@pytest.fixture(autouse=True)
def fresh_writers():
    tf.summary.FileWriterCache.clear()
    yield
    tf.summary.FileWriterCache.clear()


def linear_model_fn(features, labels, mode, params):
    w = tf.get_variable("w", [1, 1], initializer=tf.zeros_initializer())
    b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
    y = tf.matmul(features["x"], w) + b
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={"y": y, "twice": 2.0 * y})
    loss = tf.reduce_mean(tf.square(y - labels))
    train_op = tf.train.GradientDescentOptimizer(params.get("lr", 0.1)).minimize(
        loss, global_step=tf.train.get_global_step())
    metrics = {"mae": tf.metrics.mean_absolute_error(labels, y)}
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op,
                                      eval_metric_ops=metrics)


def _estimator(model_dir, **kwargs):
    return tf.estimator.Estimator(linear_model_fn, model_dir=str(model_dir),
                                  params={"lr": 0.1}, **kwargs)


def _input_fn(num_epochs=None, batch_size=5, shuffle=False, x=X, y=Y):
    return tf.estimator.inputs.numpy_input_fn({"x": x}, y, batch_size=batch_size,
                                              num_epochs=num_epochs, shuffle=shuffle)


def _checkpoint_steps(model_dir):
    return sorted(int(p.rsplit("-", 1)[1].split(".")[0])
                  for p in glob.glob(os.path.join(str(model_dir), "model.ckpt-*.index")))


def _event_values(directory):
    out = {}
    for path in sorted(glob.glob(os.path.join(str(directory), "events.out.tfevents.*"))):
        for event in tf.train.summary_iterator(path):
            for value in getattr(event.summary, "value", None) or []:
                out.setdefault(value.tag, []).append((event.step, value.simple_value))
    return out


class RecordingHook(tf.train.SessionRunHook):
    def __init__(self):
        self.calls = []

    def begin(self):
        self.calls.append("begin")

    def after_create_session(self, session, coord):
        self.calls.append("after_create_session")

    def before_run(self, run_context):
        self.calls.append("before_run")

    def after_run(self, run_context, run_values):
        self.calls.append("after_run")

    def end(self, session):
        self.calls.append("end")


# --- train -------------------------------------------------------------------------------------
def test_steps_are_incremental_and_training_resumes(tmp_path):
    est = _estimator(tmp_path)
    est.train(_input_fn(), steps=3)
    assert est.get_variable_value("global_step") == 3
    w3 = est.get_variable_value("w")
    est.train(_input_fn(), steps=2)
    assert est.get_variable_value("global_step") == 5
    assert not np.allclose(est.get_variable_value("w"), w3)  # restored, then trained on
    est.train(_input_fn(), max_steps=4)  # already past: skipped
    assert est.get_variable_value("global_step") == 5
    est.train(_input_fn(), max_steps=8)
    assert est.get_variable_value("global_step") == 8
    assert est.latest_checkpoint() == os.path.join(str(tmp_path), "model.ckpt-8")
    # Each call saves at its first step and at its end (the Saver keeps the 5 newest).
    assert _checkpoint_steps(tmp_path) == [0, 3, 5, 8]


def test_train_returns_self_and_records_relative_paths(tmp_path):
    est = _estimator(tmp_path)
    assert est.train(_input_fn(), steps=1) is est
    with open(os.path.join(str(tmp_path), "checkpoint")) as f:
        state = f.read()
    # save_relative_paths=True, as the Estimator's Saver in TF.
    assert 'model_checkpoint_path: "model.ckpt-1"' in state


def test_tf_random_seed_makes_shuffled_training_repeatable(tmp_path):
    def train(name, seed):
        config = tf.estimator.RunConfig(tf_random_seed=seed)
        est = _estimator(tmp_path / name, config=config)
        est.train(_input_fn(shuffle=True, batch_size=3), steps=4)
        return est.get_variable_value("w")

    np.testing.assert_array_equal(train("a", 3), train("b", 3))
    assert not np.array_equal(train("c", 3), train("d", 4))


def test_keep_checkpoint_max_and_save_steps(tmp_path):
    config = tf.estimator.RunConfig(save_checkpoints_steps=2, keep_checkpoint_max=2)
    est = _estimator(tmp_path, config=config)
    est.train(_input_fn(), steps=7)
    assert _checkpoint_steps(tmp_path) == [6, 7]
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert [os.path.basename(p) for p in state.all_model_checkpoint_paths] == [
        "model.ckpt-6", "model.ckpt-7"]


def test_training_stops_when_the_input_ends(tmp_path):
    est = _estimator(tmp_path)
    est.train(_input_fn(num_epochs=1, batch_size=8))  # 20 rows: batches of 8, 8, 4
    assert est.get_variable_value("global_step") == 3


def test_input_fn_may_return_a_dataset(tmp_path):
    def input_fn():
        return tf.data.Dataset.from_tensor_slices(({"x": X}, Y)).batch(5)

    est = _estimator(tmp_path)
    est.train(input_fn)
    assert est.get_variable_value("global_step") == 4

    def predict_input_fn():
        return tf.data.Dataset.from_tensor_slices({"x": X[:3]}).batch(2)

    assert len(list(est.predict(predict_input_fn))) == 3


def test_loss_and_steps_per_sec_summaries(tmp_path):
    config = tf.estimator.RunConfig(save_summary_steps=2, log_step_count_steps=2)
    est = _estimator(tmp_path, config=config)
    est.train(_input_fn(), steps=6)
    values = _event_values(tmp_path)
    assert [step for step, _ in values["loss"]] == [1, 3, 5]
    assert "global_step/sec" in values
    assert os.path.getsize(os.path.join(str(tmp_path), "graph.pbtxt")) > 0


def test_train_logs_loss_and_step(tmp_path, capsys):
    tf.logging.set_verbosity(tf.logging.INFO)
    try:
        _estimator(tmp_path, config=tf.estimator.RunConfig(log_step_count_steps=2)).train(
            _input_fn(), steps=3)
    finally:
        tf.logging.set_verbosity(tf.logging.WARN)
    log = capsys.readouterr().err
    first = np.float32(np.mean(Y[:5] ** 2))  # the first batch's loss at w = b = 0
    assert re.search(r"INFO:tensorflow:loss = %.4f\d*, step = 1\n" % first, log)
    assert re.search(r"INFO:tensorflow:loss = [0-9.e-]+, step = 3 \([0-9.]+ sec\)\n", log)
    assert "INFO:tensorflow:global_step/sec: " in log
    assert "Saving checkpoints for 3 into %s" % os.path.join(str(tmp_path), "model.ckpt") in log


def test_train_argument_errors(tmp_path):
    est = _estimator(tmp_path)
    with pytest.raises(ValueError, match="Can not provide both steps and max_steps."):
        est.train(_input_fn(), steps=1, max_steps=1)
    with pytest.raises(ValueError, match=r"Must specify steps > 0, given: 0"):
        est.train(_input_fn(), steps=0)
    with pytest.raises(ValueError, match=r"Must specify max_steps > 0, given: -1"):
        est.train(_input_fn(), max_steps=-1)
    with pytest.raises(TypeError, match="Hooks must be a SessionRunHook, given: 3"):
        est.train(_input_fn(), steps=1, hooks=[3])
    with pytest.raises(TypeError, match="saving_listeners must be a list of "
                                        "CheckpointSaverListener"):
        est.train(_input_fn(), steps=1, saving_listeners=[object()])
    assert est.latest_checkpoint() is None  # nothing was written


# --- evaluate ----------------------------------------------------------------------------------
def test_evaluate_returns_metrics_loss_and_step(tmp_path):
    est = _estimator(tmp_path)
    est.train(_input_fn(), steps=4)
    results = est.evaluate(_input_fn(num_epochs=1))
    assert sorted(results) == ["global_step", "loss", "mae"]
    assert results["global_step"] == 4
    prediction = X @ est.get_variable_value("w") + est.get_variable_value("b")
    np.testing.assert_allclose(results["mae"], np.mean(np.abs(prediction - Y)), rtol=1e-5)
    # "loss" is the mean over batches of the model's (per-batch mean) loss.
    batch_losses = [np.mean((prediction[i:i + 5] - Y[i:i + 5]) ** 2) for i in range(0, 20, 5)]
    np.testing.assert_allclose(results["loss"], np.mean(batch_losses), rtol=1e-5)
    values = _event_values(tmp_path / "eval")
    assert values["mae"] == [(4, pytest.approx(results["mae"]))]
    assert "global_step" not in values


def test_evaluate_steps_name_and_checkpoint_path(tmp_path):
    est = _estimator(tmp_path)
    est.train(_input_fn(), steps=2)
    first = est.latest_checkpoint()
    est.train(_input_fn(), steps=2)
    one_batch = est.evaluate(_input_fn(num_epochs=1), steps=1, name="first_batch",
                             checkpoint_path=first)
    assert one_batch["global_step"] == 2
    prediction = X[:5] @ est.get_variable_value("w") + est.get_variable_value("b")
    assert not np.isclose(one_batch["loss"], np.mean((prediction - Y[:5]) ** 2))
    assert glob.glob(os.path.join(str(tmp_path), "eval_first_batch", "events.out.*"))
    with pytest.raises(ValueError, match=r"Must specify steps > 0, given: 0"):
        est.evaluate(_input_fn(num_epochs=1), steps=0)


def test_evaluate_without_checkpoint_initializes(tmp_path):
    results = _estimator(tmp_path).evaluate(_input_fn(num_epochs=1))
    assert results["global_step"] == 0
    np.testing.assert_allclose(results["mae"], np.mean(np.abs(Y)), rtol=1e-6)


def test_metric_named_loss_is_refused(tmp_path):
    def model_fn(features, labels, mode):
        spec = linear_model_fn(features, labels, mode, {})
        return spec._replace(eval_metric_ops={"loss": tf.metrics.mean(spec.loss)})

    est = tf.estimator.Estimator(model_fn, model_dir=str(tmp_path))
    with pytest.raises(ValueError, match='Metric with name "loss" is not allowed'):
        est.evaluate(_input_fn(num_epochs=1))


# --- predict -----------------------------------------------------------------------------------
def test_predict_yields_examples_batches_and_keys(tmp_path):
    est = _estimator(tmp_path)
    est.train(_input_fn(), steps=3)
    w, b = est.get_variable_value("w"), est.get_variable_value("b")
    predict_fn = tf.estimator.inputs.numpy_input_fn({"x": X[:7]}, batch_size=3, shuffle=False)
    examples = list(est.predict(predict_fn))
    assert len(examples) == 7 and set(examples[0]) == {"y", "twice"}
    np.testing.assert_allclose([e["y"][0] for e in examples], (X[:7] @ w + b)[:, 0], rtol=1e-6)
    batches = list(est.predict(predict_fn, yield_single_examples=False))
    assert [len(batch["y"]) for batch in batches] == [3, 3, 1]
    only = list(est.predict(predict_fn, predict_keys=["twice"]))
    assert set(only[0]) == {"twice"}
    with pytest.raises(ValueError, match="Expected to run at least one output"):
        list(est.predict(predict_fn, predict_keys=["nope"]))


def test_predict_tensor_predictions_and_early_stop(tmp_path):
    def model_fn(features, mode):
        w = tf.get_variable("w", [], initializer=tf.ones_initializer())
        return tf.estimator.EstimatorSpec(mode, predictions=features * w)

    est = tf.estimator.Estimator(model_fn, model_dir=str(tmp_path))
    input_fn = tf.estimator.inputs.numpy_input_fn(np.arange(5, dtype=np.float32), batch_size=2,
                                                  shuffle=False)
    assert [float(v) for v in est.predict(input_fn)] == [0.0, 1.0, 2.0, 3.0, 4.0]
    with pytest.raises(ValueError, match="predict_keys argument is not valid"):
        list(est.predict(input_fn, predict_keys=["a"]))
    generator = est.predict(input_fn)
    assert float(next(generator)) == 0.0
    generator.close()  # leaving early closes the session and restores the default graph
    assert tf.get_default_graph().get_operations() == []


def test_without_checkpoint(tmp_path):
    est = _estimator(tmp_path)
    # TF 1.12+ predicts with freshly initialized variables when model_dir has no checkpoint.
    predict_fn = tf.estimator.inputs.numpy_input_fn({"x": X[:2]}, shuffle=False)
    assert [float(p["y"][0]) for p in est.predict(predict_fn)] == [0.0, 0.0]
    message = "Could not find trained model in model_dir: %s." % tmp_path
    with pytest.raises(ValueError, match=message):
        est.get_variable_names()
    with pytest.raises(ValueError, match=message):
        est.get_variable_value("w")
    assert est.latest_checkpoint() is None


# --- hooks, listeners, params, warm start -----------------------------------------------------
def test_hooks_are_called_in_every_mode(tmp_path):
    spec_hooks = {"train": RecordingHook(), "eval": RecordingHook(), "infer": RecordingHook()}

    def model_fn(features, labels, mode, params):
        spec = linear_model_fn(features, labels, mode, params)
        field = {"train": "training_hooks", "eval": "evaluation_hooks",
                 "infer": "prediction_hooks"}[mode]
        return spec._replace(**{field: [spec_hooks[mode]]})

    est = tf.estimator.Estimator(model_fn, model_dir=str(tmp_path), params={})
    train_hook, eval_hook, predict_hook = RecordingHook(), RecordingHook(), RecordingHook()
    est.train(_input_fn(), steps=2, hooks=[train_hook])
    est.evaluate(_input_fn(num_epochs=1, batch_size=10), hooks=[eval_hook])
    list(est.predict(_input_fn(num_epochs=1, batch_size=10), hooks=[predict_hook]))
    two_runs = ["begin", "after_create_session"] + ["before_run", "after_run"] * 2
    for hook in (train_hook, spec_hooks["train"]):  # StopAtStepHook ends after step 2
        assert hook.calls == two_runs + ["end"]
    # The input ends during a third run: its before_run is called, then the session ends.
    for hook in (eval_hook, predict_hook, spec_hooks["eval"], spec_hooks["infer"]):
        assert hook.calls == two_runs + ["before_run", "end"]


def test_variables_a_hook_makes_in_begin_are_checkpointed(tmp_path):
    # the Estimator's Saver is deferred (TF's defer_build=True) and built by Scaffold.finalize,
    # which runs after the hooks' begin()
    class CountingHook(tf.train.SessionRunHook):
        def begin(self):
            self.count = tf.Variable(0, name="hook_runs")
            self.bump = tf.assign_add(self.count, 1)

        def before_run(self, run_context):
            return tf.train.SessionRunArgs(self.bump)

    est = _estimator(tmp_path)
    est.train(_input_fn(), steps=3, hooks=[CountingHook()])
    assert "hook_runs" in est.get_variable_names()
    assert est.get_variable_value("hook_runs") == 3


def test_saving_listeners(tmp_path):
    saved = []

    class Listener(tf.train.CheckpointSaverListener):
        def after_save(self, session, global_step_value):
            saved.append(global_step_value)

    _estimator(tmp_path).train(_input_fn(), steps=3, saving_listeners=[Listener()])
    assert saved == [0, 3]
    config = tf.estimator.RunConfig(save_checkpoints_secs=None)
    with pytest.raises(ValueError, match="There should be a CheckpointSaverHook"):
        _estimator(tmp_path / "x", config=config).train(_input_fn(), steps=1,
                                                         saving_listeners=[Listener()])


def test_params_mode_and_config_reach_the_functions(tmp_path):
    seen = []

    def input_fn(params, mode, config):
        seen.append(("input_fn", params["n"], mode, config.model_dir))
        return {"x": tf.constant(X)}, tf.constant(Y)

    def model_fn(features, labels, mode, params, config):
        seen.append(("model_fn", params["n"], mode, config.model_dir))
        return linear_model_fn(features, labels, mode, {})

    est = tf.estimator.Estimator(model_fn, model_dir=str(tmp_path), params={"n": 7})
    est.train(input_fn, steps=1)
    est.evaluate(input_fn, steps=1)
    where = str(tmp_path)
    assert seen == [("input_fn", 7, "train", where), ("model_fn", 7, "train", where),
                    ("input_fn", 7, "eval", where), ("model_fn", 7, "eval", where)]


def test_warm_start_from_another_model_dir(tmp_path):
    old = _estimator(tmp_path / "old")
    old.train(_input_fn(), steps=5)
    new = _estimator(tmp_path / "new", warm_start_from=str(tmp_path / "old"))
    new.train(_input_fn(), steps=1, hooks=[])
    w_old = old.get_variable_value("w")
    w_new = new.get_variable_value("w")
    assert new.get_variable_value("global_step") == 1  # only trainable variables warm-start
    assert abs(w_new.item() - w_old.item()) < abs(w_old.item()) * 0.5
    settings = tf.estimator.WarmStartSettings(str(tmp_path / "old"), vars_to_warm_start="b")
    partial = _estimator(tmp_path / "partial", warm_start_from=settings)
    predictions = list(partial.predict(_input_fn(num_epochs=1, x=X[:1], y=None)))
    np.testing.assert_allclose(predictions[0]["y"], old.get_variable_value("b"))
