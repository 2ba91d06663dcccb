"""tf.keras models in TF1 graph mode: summary text, fit/evaluate/predict, learning phase, weights
files, callbacks, deferred building, functional reuse and subclassing."""

import numpy as np
import pytest

import tensorflux as tf

K = tf.keras.backend
L = tf.keras.layers


@pytest.fixture(autouse=True)
def fresh_session():
    K.clear_session()
    yield
    K.clear_session()


def _data(n=24, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.standard_normal((n, 4)).astype(np.float32)
    return x, (x[:, 0] > 0).astype(np.int64) + (x[:, 1] > 0).astype(np.int64)


def _model():
    return tf.keras.Sequential([L.Dense(8, activation="relu", input_shape=(4,)),
                                L.Dense(3, activation="softmax")])


SUMMARY = """\
Model: "sequential"
_________________________________________________________________
Layer (type)                 Output Shape              Param #
=================================================================
dense (Dense)                (None, 8)                 40
_________________________________________________________________
dense_1 (Dense)              (None, 3)                 27
=================================================================
Total params: 67
Trainable params: 67
Non-trainable params: 0
_________________________________________________________________"""


def test_summary_text_is_tf_1_15s(capsys):
    _model().summary()
    lines = capsys.readouterr().out.rstrip("\n").split("\n")
    assert [ln.rstrip() for ln in lines] == SUMMARY.split("\n")
    table = [ln for ln in lines[1:] if not ln.startswith(("Total", "Trainable", "Non-"))]
    assert {len(ln) for ln in table} == {65}  # rows are padded to the full width


def test_functional_summary_has_connections():
    a, b = tf.keras.Input((3,)), tf.keras.Input((2,))
    model = tf.keras.Model([a, b], L.Dense(1)(L.Concatenate()([a, b])))
    lines = []
    model.summary(print_fn=lines.append)
    assert len(lines[0]) < len(lines[1]) == 98
    row = next(ln for ln in lines if ln.startswith("concatenate"))
    assert row.rstrip().endswith("input_1[0][0]")
    assert any(ln.strip() == "input_2[0][0]" for ln in lines)


def test_fit_history_verbose_lines_and_keys(capsys):
    model = _model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    x, y = _data()
    history = model.fit(x, y, epochs=2, batch_size=8, validation_split=0.25, verbose=2)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Train on 18 samples, validate on 6 samples"
    assert out[1] == "Epoch 1/2" and out[3] == "Epoch 2/2"
    assert out[2].startswith("18/18 - ") and " - loss: " in out[2] and " - val_acc: " in out[2]
    assert sorted(history.history) == ["acc", "loss", "val_acc", "val_loss"]
    assert history.epoch == [0, 1] and history.params["samples"] == 18
    loss, acc = model.evaluate(x, y, verbose=0)
    assert 0 <= acc <= 1 and loss > 0
    assert model.predict(x).shape == (24, 3)
    assert model.predict_on_batch(x[:2]).shape == (2, 3)


def test_fit_learns_and_optimizer_defaults():
    assert K.get_value(tf.keras.optimizers.Adam().lr) == pytest.approx(0.001)
    assert tf.keras.optimizers.get("sgd").get_config()["learning_rate"] == 0.01
    model = _model()
    model.compile(tf.keras.optimizers.SGD(0.5), "sparse_categorical_crossentropy", ["acc"])
    x, y = _data(60)
    history = model.fit(x, y, epochs=15, batch_size=10, verbose=0)
    assert history.history["loss"][-1] < 0.6 * history.history["loss"][0]
    assert history.history["acc"][-1] > 0.7


def test_accuracy_follows_the_loss():
    for loss, units, fn in [("binary_crossentropy", 1, "binary_accuracy"),
                            ("categorical_crossentropy", 3, "categorical_accuracy"),
                            ("sparse_categorical_crossentropy", 3,
                             "sparse_categorical_accuracy")]:
        name, metric = tf.keras.metrics.resolve("accuracy", tf.keras.losses.get(loss), [None,
                                                                                      units])
        assert (name, metric.__name__) == ("acc", fn)


def test_learning_phase_switches_dropout_and_batchnorm():
    x = tf.placeholder(tf.float32, [None, 6])
    dropped = L.Dropout(0.5)(x)
    normed = L.BatchNormalization()(x)
    sess = K.get_session()
    ones = np.ones((4, 6), np.float32)
    np.testing.assert_array_equal(sess.run(dropped, {x: ones}), ones)
    train = sess.run(dropped, {x: ones, K.learning_phase(): True})
    assert set(np.unique(train)) <= {0.0, 2.0} and (train == 0).any()
    batch = np.arange(24, dtype=np.float32).reshape(4, 6)
    np.testing.assert_allclose(sess.run(normed, {x: batch, K.learning_phase(): True}).mean(0),
                               0, atol=1e-5)
    assert not tf.get_collection(tf.GraphKeys.UPDATE_OPS)  # Keras keeps them on the layer


def test_batchnorm_updates_run_in_fit_only_in_training():
    model = tf.keras.Sequential([L.BatchNormalization(input_shape=(3,), momentum=0.5)])
    model.compile("sgd", "mse")
    x = np.full((8, 3), 4.0, np.float32)
    moving_mean = model.layers[0].moving_mean
    model.predict(x)
    np.testing.assert_allclose(K.get_value(moving_mean), 0)
    model.fit(x, x, batch_size=8, verbose=0)
    np.testing.assert_allclose(K.get_value(moving_mean), 2.0, rtol=1e-5)


def test_save_and_load_weights(tmp_path):
    model = _model()
    before = model.get_weights()
    path = str(tmp_path / "ckpt" / "weights")
    model.save_weights(path)
    assert (tmp_path / "ckpt" / "weights.index").exists()
    model.set_weights([np.zeros_like(w) for w in before])
    model.load_weights(path)
    for got, want in zip(model.get_weights(), before):
        np.testing.assert_array_equal(got, want)


def test_callbacks(tmp_path):
    model = _model()
    model.compile(tf.keras.optimizers.SGD(0.1), "sparse_categorical_crossentropy")
    x, y = _data()
    seen = []
    cbs = [tf.keras.callbacks.LearningRateScheduler(lambda epoch: 0.1 / (epoch + 1)),
           tf.keras.callbacks.LambdaCallback(on_epoch_end=lambda e, logs: seen.append(e)),
           tf.keras.callbacks.ModelCheckpoint(str(tmp_path / "w-{epoch:02d}"),
                                              save_weights_only=True, monitor="loss")]
    history = model.fit(x, y, epochs=3, verbose=0, callbacks=cbs)
    assert seen == [0, 1, 2]
    np.testing.assert_allclose(history.history["lr"], [0.1, 0.05, 0.1 / 3], rtol=1e-6)
    assert (tmp_path / "w-03.index").exists()
    stop = tf.keras.callbacks.EarlyStopping(monitor="loss", patience=0, min_delta=10.0)
    history = model.fit(x, y, epochs=10, verbose=0, callbacks=[stop])
    assert len(history.epoch) == 2 and stop.stopped_epoch == 1


def test_deferred_sequential_is_built_by_fit():
    model = tf.keras.Sequential()
    model.add(L.Dense(2))
    model.compile("sgd", "mse")
    model.fit(np.ones((4, 5), np.float32), np.zeros((4, 2), np.float32), verbose=0)
    assert model.inputs[0].shape.as_list() == [None, 5]
    assert [w.name for w in model.weights] == ["dense/kernel:0", "dense/bias:0"]


def test_functional_model_called_on_new_inputs_shares_weights():
    inp = tf.keras.Input((3,))
    model = tf.keras.Model(inp, L.Dense(2)(L.Dense(4, activation="relu")(inp)))
    x2 = tf.placeholder(tf.float32, [None, 3])
    y2 = model(x2)
    value = np.ones((2, 3), np.float32)
    np.testing.assert_allclose(K.get_session().run(y2, {x2: value}), model.predict(value),
                               rtol=1e-6)
    assert len(tf.global_variables()) == 4
    outer = tf.keras.Sequential([model, L.Dense(1)])
    assert outer.layers[0] is model


def test_subclassed_model_trains():
    class TwoLayers(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = L.Dense(5, activation="tanh")
            self.out = L.Dense(1)

        def call(self, x):
            return self.out(self.hidden(x))

    model = TwoLayers()
    model.compile(tf.keras.optimizers.SGD(0.1), "mse")
    x = np.random.RandomState(1).standard_normal((32, 3)).astype(np.float32)
    y = x.sum(1, keepdims=True)
    history = model.fit(x, y, epochs=20, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] / 3
    assert model.name == "two_layers" and len(model.layers) == 2
    assert len(model.trainable_weights) == 4


def test_regularizer_losses_enter_the_total_loss():
    model = tf.keras.Sequential([L.Dense(2, input_shape=(3,), use_bias=False,
                                         kernel_regularizer=tf.keras.regularizers.l2(0.5))])
    model.compile("sgd", "mse")
    w = np.ones((3, 2), np.float32)
    model.set_weights([w])
    x = np.zeros((2, 3), np.float32)
    assert model.evaluate(x, np.zeros((2, 2)), verbose=0) == pytest.approx(0.5 * 6)
    assert not tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)


def test_unsupported_fit_arguments_raise():
    model = _model()
    model.compile("sgd", "sparse_categorical_crossentropy")
    x, y = _data()
    with pytest.raises(NotImplementedError, match="sample_weight"):
        model.fit(x, y, sample_weight=np.ones(len(x)), verbose=0)
    with pytest.raises(RuntimeError, match="compile"):
        _model().train_on_batch(x, y)
