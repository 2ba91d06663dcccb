"""Stateful metric objects in `compile`/`fit`/`evaluate` (AUC, Precision, Recall, MeanIoU,
accuracy objects): History, per-batch logs and evaluate results against real tf_keras in graph
mode (fixtures made by tools/fixtures/gen_keras_stateful_metrics.py from the cases in
keras_stateful_metrics_cases.py)."""

import json
import os

import keras_stateful_metrics_cases as cases
import numpy as np
import pytest

import tensorflux as tf

K = tf.keras.backend
FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras_stateful_metrics")


@pytest.fixture(autouse=True)
def fresh_session():
    K.clear_session()
    yield
    K.clear_session()


def fixture(name):
    with open(os.path.join(FIXTURES, name + ".json")) as f:
        meta = json.load(f)
    with np.load(os.path.join(FIXTURES, name + ".npz")) as z:
        return meta, dict(z)


def tf1_key(key):
    """tf_keras 2 logs the string metric 'accuracy' as `accuracy`; TF 1.x (and tensorflux)
    as `acc`."""
    for prefix in ("", "val_"):
        if key == prefix + "accuracy":
            return prefix + "acc"
    return key


def build(name):
    model = cases.CASES[name](tf.keras, lambda lr: tf.keras.optimizers.SGD(lr))
    model.set_weights(cases.weights(name))
    return model


class BatchLogs(tf.keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.batches = []

    def on_batch_end(self, batch, logs=None):
        if len(self.batches) < 4:
            self.batches.append({k: v for k, v in logs.items() if k not in ("batch", "size")})


@pytest.mark.parametrize("name", sorted(cases.CASES))
def test_fit_and_evaluate_match_tf_keras(name):
    want, data = fixture(name)
    model = build(name)
    assert model.metrics_names == [tf1_key(k) for k in want["metrics_names"]]
    logs = BatchLogs()
    history = model.fit(data["x"], data["y"], validation_data=(data["vx"], data["vy"]),
                        callbacks=[logs], **cases.FIT)
    assert sorted(history.history) == sorted(tf1_key(k) for k in want["history"])
    for key, values in want["history"].items():
        np.testing.assert_allclose(history.history[tf1_key(key)], values, rtol=1e-5,
                                   atol=1e-6, err_msg=key)
    # Batch logs: the loss of the batch, a metric object's value accumulated so far. (A metric
    # function such as 'accuracy' logs its batch value in tensorflux; tf_keras wraps it in a
    # Mean and logs the running mean; the epoch values agree.)
    objects = ["loss"] + [m.name for m in model.metrics]
    assert len(logs.batches) == 4
    for got, expected in zip(logs.batches, want["batch_logs"]):
        for key, value in [(k, v) for k, v in expected.items() if k in objects]:
            np.testing.assert_allclose(got[tf1_key(key)], value, rtol=1e-5, atol=1e-6,
                                       err_msg=key)
    results = model.evaluate(data["x"], data["y"], batch_size=cases.EVAL_BATCH, verbose=0)
    np.testing.assert_allclose(results, want["evaluate"], rtol=1e-5, atol=1e-6)


def test_accumulated_value_is_not_the_batch_average():
    """The fixture's AUC is the AUC of the whole epoch: a batch average would differ."""
    want, data = fixture("binary")
    model = build("binary")
    auc = model.metrics[0]
    assert auc.name == "auc" and auc.num_thresholds == 50
    sizes = [6, 6, 6, 2]
    per_batch = []
    for start, size in zip(np.cumsum([0] + sizes[:-1]), sizes):
        x, y = data["x"][start:start + size], data["y"][start:start + size]
        per_batch.append(model.test_on_batch(x, y)[1])   # reset after each batch
    averaged = np.average(per_batch, weights=sizes)
    assert abs(averaged - want["history"]["auc"][0]) > 1e-3
    history = model.fit(data["x"], data["y"], **cases.FIT)
    np.testing.assert_allclose(history.history["auc"], want["history"]["auc"], rtol=1e-5)


def test_metric_variables_are_local_and_reset():
    _, data = fixture("binary")
    model = build("binary")
    variables = [v for m in model.metrics for v in m.variables]
    assert variables and all(v in tf.local_variables() for v in variables)
    assert not any(v in tf.global_variables() for v in variables)
    assert not any(v in model.trainable_weights for v in variables)
    assert [v.name for v in model.metrics[0].variables][0] == "auc/true_positives:0"
    x, y = data["x"], data["y"]
    first = model.train_on_batch(x[:6], y[:6], reset_metrics=False)
    both = model.train_on_batch(x[6:12], y[6:12], reset_metrics=False)
    alone = model.test_on_batch(x[6:12], y[6:12])     # starts from the accumulated state
    model.reset_metrics()
    assert all(not np.any(K.get_value(v)) for v in variables)
    again = model.test_on_batch(x[6:12], y[6:12])
    fresh = model.test_on_batch(x[6:12], y[6:12])
    np.testing.assert_allclose(again, fresh)          # reset_metrics=True resets afterwards
    assert not np.allclose(both[1:], fresh[1:])       # accumulated over two batches
    np.testing.assert_allclose(alone[1:], model.test_on_batch(np.concatenate(
        [x[:12], x[6:12]]), np.concatenate([y[:12], y[6:12]]))[1:], rtol=1e-6)
    assert np.isfinite(first).all()


def test_names_are_unique_as_in_tf_keras():
    x = tf.keras.Input((3,))
    model = tf.keras.Model(x, tf.keras.layers.Dense(1, activation="sigmoid")(x))
    m = tf.keras.metrics
    assert [m.AUC().name, m.AUC().name, m.AUC(name="auc").name] == ["auc", "auc_1", "auc"]
    # the same name twice for one output is one metric (the later one), as tf_keras keeps it
    model.compile("sgd", "binary_crossentropy",
                  metrics=[m.Precision(name="p"), m.Recall(name="p"), m.Recall(name="loss")])
    assert model.metrics_names == ["loss", "p", "loss_1"]
    assert isinstance(model.metrics[0], m.Recall) and model.metrics[1].name == "loss_1"


def test_metric_classes_and_class_names_are_stateful():
    want, data = fixture("binary")
    x = tf.keras.Input((3,))
    model = tf.keras.Model(x, tf.keras.layers.Dense(1, activation="sigmoid")(x))
    model.compile(tf.keras.optimizers.SGD(0.0), "binary_crossentropy",
                  metrics=["Precision", "Recall", "accuracy"])
    model.set_weights(cases.weights("binary"))
    assert model.metrics_names == ["loss", "Precision", "Recall", "acc"]   # as tf_keras
    history = model.fit(data["x"], data["y"], **cases.FIT)
    for key in ("precision", "recall"):
        np.testing.assert_allclose(history.history[key.capitalize()], want["history"][key],
                                   rtol=1e-5)


class Batches(tf.keras.utils.Sequence):
    def __init__(self, x, y, sizes):
        self.x, self.y, self.sizes = x, y, sizes

    def __len__(self):
        return len(self.sizes)

    def __getitem__(self, i):
        start = sum(self.sizes[:i])
        return self.x[start:start + self.sizes[i]], self.y[start:start + self.sizes[i]]


def test_generators_accumulate_like_the_array_loops():
    want, data = fixture("binary")
    model = build("binary")
    train = Batches(data["x"], data["y"], [6, 6, 6, 2])
    history = model.fit_generator(train, epochs=2, verbose=0,
                                  validation_data=Batches(data["vx"], data["vy"], [6, 4]))
    for key, values in want["history"].items():
        np.testing.assert_allclose(history.history[tf1_key(key)], values, rtol=1e-5,
                                   atol=1e-6, err_msg=key)
    results = model.evaluate_generator(Batches(data["x"], data["y"], [7, 7, 6]))
    np.testing.assert_allclose(results, want["evaluate"], rtol=1e-5, atol=1e-6)


def test_fit_in_a_user_session_initializes_the_local_metric_variables():
    want, data = fixture("binary")
    with tf.Graph().as_default(), tf.Session() as sess:
        model = build("binary")
        sess.run(tf.global_variables_initializer())   # not the metrics' local variables
        model.set_weights(cases.weights("binary"))
        history = model.fit(data["x"], data["y"], **cases.FIT)
        np.testing.assert_allclose(history.history["auc"], want["history"]["auc"], rtol=1e-5)
        assert K.get_session() is sess
