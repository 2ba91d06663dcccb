"""tf.keras loss classes (reductions, sample weights, from_logits, label smoothing) and metric
classes (update_state/result/reset_states, use in compile) against tf_keras 2.x fixtures."""

import numpy as np
import pytest
from gradcheck import check_gradients
from keras_extras_cases import CASES, VALUES, evaluate, scope

import tensorflux as tf

K = tf.keras.backend


@pytest.mark.parametrize("name", sorted(CASES["loss"]))
def test_loss_matches_tf_keras(name):
    got = evaluate(CASES["loss"][name])
    want = VALUES["loss/" + name]
    assert np.shape(got) == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(CASES["metric"]))
def test_metric_matches_tf_keras(name):
    ctor, batches = CASES["metric"][name]
    g = tf.Graph()
    with g.as_default(), tf.Session(graph=g) as sess:
        env = scope()
        metric = eval(ctor, env)
        updates = [metric.update_state(*eval(args, env)) for args in batches]
        result = metric.result()
        sess.run(tf.variables_initializer(metric.variables))
        got = []
        for update in updates:
            sess.run(update)
            got.append(sess.run(result))
    np.testing.assert_allclose(got, VALUES["metric/" + name], rtol=1e-5, atol=1e-6)


# --- losses: behaviour -------------------------------------------------------------------------
def _run(t, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(tf.local_variables_initializer())
        return sess.run(t, feed)


def test_loss_reduction_validation_and_config():
    with pytest.raises(ValueError, match="Invalid Reduction Key: mean"):
        tf.keras.losses.MeanSquaredError(reduction="mean")
    loss = tf.keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1)
    assert loss.get_config() == {"from_logits": True, "label_smoothing": 0.1, "axis": -1,
                                 "reduction": "auto", "name": "categorical_crossentropy"}
    again = tf.keras.losses.CategoricalCrossentropy.from_config(loss.get_config())
    assert again.get_config() == loss.get_config()
    assert tf.keras.losses.Huber(0.5).get_config()["delta"] == 0.5
    assert tf.keras.losses.Huber().name == "huber_loss"
    assert tf.keras.losses.MeanSquaredError("sum").reduction == "sum"
    with pytest.raises(TypeError, match="unexpected keyword"):
        tf.keras.losses.MeanSquaredError(from_logits=True)
    cfg = tf.keras.losses.serialize(tf.keras.losses.Poisson(reduction="none"))
    assert cfg["class_name"] == "Poisson"
    assert tf.keras.losses.deserialize(cfg).reduction == "none"
    assert tf.keras.losses.get("huber") is tf.keras.losses.huber
    assert isinstance(tf.keras.losses.get(cfg), tf.keras.losses.Poisson)


def test_loss_subclass_and_sample_weight_broadcast():
    class Scaled(tf.keras.losses.Loss):
        def call(self, y_true, y_pred):
            return tf.reduce_sum(tf.abs(y_true - y_pred), axis=-1)

    with tf.Graph().as_default():
        yt = np.array([[1.0, 2.0], [3.0, 4.0], [0.0, 0.0]], np.float32)
        yp = np.zeros_like(yt)
        sw = np.array([[1.0], [0.5], [3.0]], np.float32)   # (batch, 1) per-sample weights
        out = _run([Scaled()(yt, yp), Scaled(reduction="sum")(yt, yp, sw),
                    Scaled(reduction="none")(yt, yp, sw)])
    np.testing.assert_allclose(out[0], 10.0 / 3)
    np.testing.assert_allclose(out[1], 3.0 + 3.5)
    np.testing.assert_allclose(out[2], [3.0, 3.5, 0.0])


@pytest.mark.parametrize("loss", [
    tf.keras.losses.Huber(delta=0.7), tf.keras.losses.LogCosh(), tf.keras.losses.Poisson(),
    tf.keras.losses.CosineSimilarity(), tf.keras.losses.KLDivergence(),
    tf.keras.losses.MeanSquaredLogarithmicError(), tf.keras.losses.CategoricalHinge(),
    tf.keras.losses.SquaredHinge(), tf.keras.losses.BinaryCrossentropy(label_smoothing=0.2),
    tf.keras.losses.CategoricalCrossentropy(label_smoothing=0.1),
])
def test_loss_gradients(loss):
    rng = np.random.RandomState(0)
    y_true = rng.rand(4, 3) * 0.8 + 0.1
    y_pred = rng.rand(4, 3) * 0.8 + 0.1
    check_gradients(lambda p: loss(tf.constant(y_true), p), {"p": y_pred}, tol=1e-4)


def test_loss_object_in_compile_and_fit():
    with tf.Graph().as_default():
        model = tf.keras.Sequential([tf.keras.layers.Dense(3, input_shape=(4,),
                                                           activation="softmax")])
        model.compile("sgd", loss=tf.keras.losses.CategoricalCrossentropy(label_smoothing=0.1))
        rng = np.random.RandomState(0)
        x = rng.rand(16, 4).astype(np.float32)
        y = np.eye(3, dtype=np.float32)[rng.randint(0, 3, 16)]
        hist = model.fit(x, y, epochs=2, verbose=0)
        assert len(hist.history["loss"]) == 2 and np.isfinite(hist.history["loss"]).all()


# --- metrics: behaviour ------------------------------------------------------------------------
def test_metric_call_reset_and_variables():
    with tf.Graph().as_default():
        m = tf.keras.metrics.Mean(name="my_mean")
        value = m(tf.constant([1.0, 3.0]))
        assert [v.name for v in m.variables] == ["my_mean/total:0", "my_mean/count:0"]
        assert all(v in tf.local_variables() for v in m.variables)
        assert not tf.trainable_variables()
        sess = K.get_session()
        assert sess.run(value) == 2.0
        assert sess.run(value) == 2.0   # same batch again: still 2
        m.reset_states()
        assert sess.run(m.result()) == 0.0
        assert m.get_config() == {"name": "my_mean", "dtype": "float32"}


def test_metric_names_and_configs():
    assert tf.keras.metrics.AUC().name == "auc"
    assert tf.keras.metrics.CategoricalAccuracy().name == "categorical_accuracy"
    assert tf.keras.metrics.TopKCategoricalAccuracy(k=3).get_config() == {
        "k": 3, "name": "top_k_categorical_accuracy", "dtype": "float32"}
    assert tf.keras.metrics.Precision(thresholds=[0.2, 0.4]).get_config()["thresholds"] == \
        [0.2, 0.4]
    with pytest.raises(ValueError, match="Invalid curve"):
        tf.keras.metrics.AUC(curve="XY")
    with pytest.raises(ValueError, match="Invalid AUC summation method"):
        tf.keras.metrics.AUC(summation_method="trapezoid")


@pytest.mark.parametrize("ctor", [
    "metrics.AUC()", "metrics.Precision()", "metrics.Recall(thresholds=[0.3, 0.6])",
    "metrics.BinaryAccuracy()", "metrics.AUC(curve='PR', num_thresholds=20)"])
def test_batch_value_equals_one_update(ctor):
    g = tf.Graph()
    with g.as_default(), tf.Session(graph=g) as sess:
        env = scope()
        metric = eval(ctor, env)
        batch = metric.batch_value(env["btrue"], env["bprob"])
        update = metric.update_state(env["btrue"], env["bprob"])
        sess.run(tf.variables_initializer(metric.variables))
        sess.run(update)
        np.testing.assert_allclose(sess.run(batch), sess.run(metric.result()), rtol=1e-6)


def test_metric_objects_in_compile():
    with tf.Graph().as_default():
        model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(3,),
                                                           activation="sigmoid")])
        model.compile("sgd", "binary_crossentropy",
                      metrics=[tf.keras.metrics.AUC(), tf.keras.metrics.Precision(),
                               tf.keras.metrics.BinaryAccuracy(), "acc"])
        assert model.metrics_names == ["loss", "auc", "precision", "binary_accuracy", "acc"]
        rng = np.random.RandomState(0)
        x = rng.rand(20, 3).astype(np.float32)
        y = (x.sum(1, keepdims=True) > 1.5).astype(np.float32)
        hist = model.fit(x, y, batch_size=20, epochs=1, verbose=0)
        results = model.evaluate(x, y, batch_size=20, verbose=0)
        assert set(hist.history) >= {"loss", "auc", "precision", "binary_accuracy"}
        assert results[3] == pytest.approx(results[4])   # BinaryAccuracy == "acc"
        assert 0.0 <= results[1] <= 1.0


def test_metric_serialize_round_trip_and_get():
    auc = tf.keras.metrics.AUC(num_thresholds=50, curve="PR", name="pr")
    cfg = tf.keras.metrics.serialize(auc)
    assert cfg["class_name"] == "AUC" and cfg["config"]["num_thresholds"] == 50
    again = tf.keras.metrics.deserialize(cfg)
    assert isinstance(again, tf.keras.metrics.AUC)
    assert again.get_config() == auc.get_config() and again.name == "pr"
    assert isinstance(tf.keras.metrics.get("Precision"), tf.keras.metrics.Precision)
    assert tf.keras.metrics.get("mae") is tf.keras.metrics.mae
    assert tf.keras.metrics.serialize(tf.keras.metrics.mae) == "mean_absolute_error"
    assert isinstance(tf.keras.losses.get("Huber"), tf.keras.losses.Huber)
    with pytest.raises(ValueError, match="Unknown metric function: Nope"):
        tf.keras.metrics.deserialize({"class_name": "Nope", "config": {}})
