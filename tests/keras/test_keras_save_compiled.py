"""`model.save`/`load_model` of models compiled with Loss and Metric objects: the h5
`training_config` in tf_keras' format, recompiling from it (ours and tf_keras' files), and layer
configs with constraints and regularizers given as strings and dicts (fixtures made by
tools/fixtures/gen_keras_stateful_metrics.py)."""

import json
import os

import h5py
import keras_stateful_metrics_cases as cases
import numpy as np
import pytest

import tensorflux as tf

K = tf.keras.backend
FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras_stateful_metrics")

# Constructor expressions shared with tools/fixtures/gen_keras_stateful_metrics.py (`LAYERS`).
LAYERS = [
    'layers.Embedding(5, 2, embeddings_constraint="non_neg", embeddings_regularizer="l2", '
    'name="e")',
    'layers.BatchNormalization(beta_constraint="non_neg", gamma_constraint={"class_name": '
    '"MaxNorm", "config": {"max_value": 2.0, "axis": 0}}, beta_regularizer="l1", name="bn")',
    'layers.LayerNormalization(gamma_constraint="unit_norm", beta_regularizer="l2", '
    'name="ln")',
    'layers.LSTM(3, kernel_constraint="unit_norm", recurrent_constraint="non_neg", '
    'bias_constraint={"class_name": "MinMaxNorm", "config": {"min_value": 0.5}}, '
    'recurrent_regularizer="l1", name="r")',
    'layers.GRU(2, kernel_regularizer={"class_name": "L2", "config": {"l2": 0.5}}, '
    'bias_constraint="non_neg", name="r")',
    'layers.SimpleRNNCell(2, recurrent_constraint="max_norm", name="c")',
]
# TF 1.x graph-mode tf.keras' LSTM/GRU have v1 defaults (hard_sigmoid, implementation 1,
# GRU reset_after=False); tensorflux's have tf_keras 2's. Not what these tests are about.
V1_DEFAULTS = ("recurrent_activation", "implementation", "reset_after")


@pytest.fixture(autouse=True)
def fresh_session():
    K.clear_session()
    yield
    K.clear_session()


def fixture_json(name):
    with open(os.path.join(FIXTURES, name)) as f:
        return json.load(f)


def training_config(path):
    with h5py.File(path, "r") as f:
        return json.loads(f.attrs["training_config"])


def compiled_model():
    """The model of the fixture file: a Loss object with settings, a named AUC, 'accuracy'."""
    x = tf.keras.Input((3,))
    model = tf.keras.Model(x, tf.keras.layers.Dense(1, activation="sigmoid")(x))
    model.compile(tf.keras.optimizers.SGD(0.01),
                  loss=tf.keras.losses.BinaryCrossentropy(label_smoothing=0.1),
                  metrics=[tf.keras.metrics.AUC(name="my_auc"), "accuracy"])
    model.set_weights(cases.weights("binary"))
    return model


def binary_data():
    with np.load(os.path.join(FIXTURES, "binary.npz")) as z:
        return z["x"], z["y"]


def test_training_config_matches_tf_keras(tmp_path):
    model = compiled_model()
    model.save(str(tmp_path / "m.h5"))
    assert training_config(tmp_path / "m.h5") == fixture_json("training_config.json")


def check_recompiled(model, reference):
    assert isinstance(model.loss, tf.keras.losses.BinaryCrossentropy)
    assert model.loss.get_config() == reference.loss.get_config()
    assert model.metrics_names == ["loss", "my_auc", "acc"]
    auc = model.metrics[0]
    assert isinstance(auc, tf.keras.metrics.AUC) and auc.num_thresholds == 200
    x, y = binary_data()
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0),
                               reference.evaluate(x, y, verbose=0), rtol=1e-6)


def test_save_and_load_model_recompile_with_the_objects(tmp_path):
    model = compiled_model()
    model.save(str(tmp_path / "m.h5"))
    again = tf.keras.models.load_model(str(tmp_path / "m.h5"))
    check_recompiled(again, model)
    assert again.optimizer.get_config()["learning_rate"] == pytest.approx(0.01)
    x, y = binary_data()
    again.fit(x, y, epochs=1, verbose=0)   # trains with the loaded Loss and Metric


def test_tf_keras_file_compiled_with_objects_loads():
    model = tf.keras.models.load_model(os.path.join(FIXTURES, "compiled_objects.h5"))
    reference = compiled_model()
    np.testing.assert_allclose(model.get_weights()[0], cases.weights("binary")[0])
    check_recompiled(model, reference)
    assert model.loss.get_config()["label_smoothing"] == pytest.approx(0.1)


def test_loss_config_with_fn_deserializes():
    config = fixture_json("training_config.json")["loss"]
    loss = tf.keras.losses.deserialize(config)
    assert isinstance(loss, tf.keras.losses.BinaryCrossentropy)
    assert loss.get_config()["label_smoothing"] == pytest.approx(0.1)


def test_multi_output_losses_and_metrics_round_trip(tmp_path):
    x = tf.keras.Input((3,))
    a = tf.keras.layers.Dense(1, activation="sigmoid", name="a")(x)
    b = tf.keras.layers.Dense(2, activation="softmax", name="b")(x)
    model = tf.keras.Model(x, [a, b])
    model.compile("sgd", loss=[tf.keras.losses.MeanSquaredError(),
                               tf.keras.losses.CategoricalCrossentropy(label_smoothing=0.2)],
                  metrics={"a": [tf.keras.metrics.AUC(num_thresholds=10)],
                           "b": ["accuracy", tf.keras.metrics.Precision(thresholds=0.3)]})
    want = fixture_json("training_config_multi.json")
    names = ["loss", "a_loss", "b_loss", "a_auc", "b_acc", "b_precision"]
    assert want.pop("metrics_names") == [n.replace("_acc", "_accuracy") for n in names]
    assert model.metrics_names == names
    model.save(str(tmp_path / "m.h5"))
    saved = training_config(tmp_path / "m.h5")
    assert saved == want
    again = tf.keras.models.load_model(str(tmp_path / "m.h5"))
    assert again.metrics_names == names
    assert again.metrics[1].thresholds == [0.3]
    rng = np.random.RandomState(0)
    data = rng.rand(8, 3).astype(np.float32)
    targets = [(rng.rand(8, 1) > 0.5).astype(np.float32),
               np.eye(2, dtype=np.float32)[rng.randint(0, 2, 8)]]
    np.testing.assert_allclose(again.evaluate(data, targets, verbose=0),
                               model.evaluate(data, targets, verbose=0), rtol=1e-6)


@pytest.mark.parametrize("expr", LAYERS)
def test_layer_constraints_and_regularizers_config(expr):
    want = fixture_json("layers.json")[expr]
    layer = eval(expr, {"layers": tf.keras.layers})  # noqa: S307 - our own table
    got = json.loads(json.dumps(layer.get_config()))
    again = type(layer).from_config(layer.get_config())
    assert json.loads(json.dumps(again.get_config())) == got
    for key in V1_DEFAULTS:
        got.pop(key, None)
        want.pop(key, None)
    assert got == want
    assert any(k.endswith("_constraint") and v for k, v in got.items())


def test_string_constraint_is_applied_by_the_layer():
    layer = tf.keras.layers.Embedding(4, 2, embeddings_constraint="non_neg")
    assert isinstance(layer.embeddings_constraint, tf.keras.constraints.NonNeg)
    cell = tf.keras.layers.LSTM(2, kernel_constraint="unit_norm").cell
    assert isinstance(cell.kernel_constraint, tf.keras.constraints.UnitNorm)
    bn = tf.keras.layers.BatchNormalization(gamma_constraint="non_neg")
    assert isinstance(bn.gamma_constraint, tf.keras.constraints.NonNeg)
