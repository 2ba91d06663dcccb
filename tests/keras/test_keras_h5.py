"""Keras HDF5 files: tensorflux's `save`/`save_weights`/`load_model`/`load_weights` round trips,
and files, configs and predictions of real tf_keras (fixtures made by
tools/fixtures/gen_keras_h5.py from the models in keras_h5_models.py and its `LAYERS` table)."""

import json
import os
import sys

import h5py
import numpy as np
import pytest
from keras_h5_models import MODELS

import tensorflux as tf

K = tf.keras.backend
L = tf.keras.layers
FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras_h5")
CASES = ["sequential_cnn", "functional_merge", "sequential_embedding"]


@pytest.fixture(autouse=True)
def fresh_session():
    K.clear_session()
    yield
    K.clear_session()


def build(name):
    """The fixture's model `name` built with tensorflux (keras_h5_models.py)."""
    return MODELS[name](tf.keras)[0]


def fixture(name):
    with open(os.path.join(FIXTURES, name + ".json")) as f:
        meta = json.load(f)
    with np.load(os.path.join(FIXTURES, name + ".npz")) as z:
        arrays = dict(z)
    xs = [arrays["x%d" % i] for i in range(len(arrays) - 1)]
    return meta, (xs if len(xs) > 1 else xs[0]), arrays["y"]


def tf_path(name, weights=False):
    return os.path.join(FIXTURES, name + ("_weights" if weights else "") + ".h5")


def as_json(value):
    return json.loads(json.dumps(value))


def saved_values(path):
    """{weight name: array} of every dataset under the file's weights group."""
    out = {}
    with h5py.File(path, "r") as f:
        group = f["model_weights"] if "model_weights" in f else f

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name.split("/", 1)[1]] = np.asarray(obj)

        group.visititems(visit)
    return out


def model_values(model):
    return {w.name: v for w, v in zip(model.weights, K.batch_get_value(model.weights))}


# --- configs against tf_keras ------------------------------------------------------------------
with open(os.path.join(FIXTURES, "layers.json")) as _f:
    LAYER_CONFIGS = json.load(_f)
SCOPE = {"layers": L, "initializers": tf.keras.initializers,
         "regularizers": tf.keras.regularizers}


@pytest.mark.parametrize("expr", sorted(LAYER_CONFIGS))
def test_layer_config_is_tf_keras(expr):
    layer = eval(expr, SCOPE)  # noqa: S307 - the fixture's own table
    assert as_json(layer.get_config()) == LAYER_CONFIGS[expr]


@pytest.mark.parametrize("expr", sorted(LAYER_CONFIGS))
def test_layer_from_tf_keras_config_gives_it_back(expr):
    cls = type(eval(expr, SCOPE))  # noqa: S307
    K.clear_session()
    clone = cls.from_config(LAYER_CONFIGS[expr])
    assert type(clone) is cls
    assert as_json(clone.get_config()) == LAYER_CONFIGS[expr]


@pytest.mark.parametrize("name", CASES)
def test_model_config_is_tf_keras(name):
    meta, _, _ = fixture(name)
    model = build(name)
    assert as_json(model.get_config()) == meta["config"]
    assert [layer.name for layer in model.layers] == meta["layer_names"]


@pytest.mark.parametrize("name", CASES)
def test_model_from_tf_keras_config_gives_it_back(name):
    meta, _, _ = fixture(name)
    cls = tf.keras.Sequential if name.startswith("sequential") else tf.keras.Model
    model = cls.from_config(meta["config"])
    assert type(model) is cls
    assert as_json(model.get_config()) == meta["config"]


def test_config_rejects_features_tensorflux_lacks():
    config = L.Conv2D(2, 3, name="c").get_config()
    config["groups"] = 2
    with pytest.raises(NotImplementedError, match="groups=2"):
        L.Conv2D.from_config(config)


# --- files written by tf_keras -------------------------------------------------------------------
@pytest.mark.parametrize("name", CASES)
def test_tf_keras_model_file_loads_with_same_predictions(name):
    _, x, y = fixture(name)
    model = tf.keras.models.load_model(tf_path(name))
    np.testing.assert_allclose(model.predict(x), y, rtol=1e-5, atol=1e-7)
    saved = saved_values(tf_path(name))
    assert sorted(saved) == sorted(model_values(model))
    for key, value in model_values(model).items():
        np.testing.assert_array_equal(value, saved[key])


def test_tf_keras_model_file_compiles_from_its_training_config():
    model = tf.keras.models.load_model(tf_path("sequential_cnn"))
    assert type(model.optimizer).__name__ == "Adam"
    assert model.optimizer.get_config()["learning_rate"] == pytest.approx(0.01)
    assert model.metrics_names == ["loss", "acc"]
    assert model.loss == "sparse_categorical_crossentropy"
    uncompiled = tf.keras.models.load_model(tf_path("sequential_cnn"), compile=False)
    assert uncompiled.optimizer is None


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("by_name", [False, True])
def test_tf_keras_weights_file_loads(name, by_name):
    _, x, y = fixture(name)
    model = build(name)
    model.load_weights(tf_path(name, weights=True), by_name=by_name)
    np.testing.assert_allclose(model.predict(x), y, rtol=1e-5, atol=1e-7)


def structure(path):
    """Groups, datasets and attributes with their HDF5 types (values of name lists too)."""
    out = {}
    with h5py.File(path, "r") as f:
        def describe(name, obj):
            attrs = {}
            for key in obj.attrs:
                aid = obj.attrs.get_id(key)
                kind = type(aid.get_type()).__name__
                vlen = aid.get_type().is_variable_str() if kind == "TypeStringID" else None
                attrs[key] = (kind, vlen, aid.shape)
                if key in ("layer_names", "weight_names", "backend"):
                    attrs[key] += (str(np.asarray(obj.attrs[key]).tolist()),)
            shape = getattr(obj, "shape", None)
            dtype = str(obj.dtype) if isinstance(obj, h5py.Dataset) else None
            out[name] = (type(obj).__name__, shape, dtype, attrs)

        describe("/", f)
        f.visititems(describe)
    return out


def root_json(path, key):
    with h5py.File(path, "r") as f:
        value = f.attrs.get(key)
    return None if value is None else json.loads(value)


@pytest.mark.parametrize("name", CASES)
def test_tensorflux_files_have_tf_keras_structure(name, tmp_path):
    model = build(name)
    model.load_weights(tf_path(name, weights=True))
    model.save(str(tmp_path / "m.h5"))
    model.save_weights(str(tmp_path / "w.h5"))
    assert structure(tmp_path / "m.h5") == structure(tf_path(name))
    assert structure(tmp_path / "w.h5") == structure(tf_path(name, weights=True))
    for key in ("model_config", "training_config"):
        assert root_json(tmp_path / "m.h5", key) == root_json(tf_path(name), key)
    saved, want = saved_values(tmp_path / "m.h5"), saved_values(tf_path(name))
    assert sorted(saved) == sorted(want)
    for key in want:
        np.testing.assert_array_equal(saved[key], want[key])


# --- tensorflux round trips ---------------------------------------------------------------------
def _mlp(units=3, names=("hidden", "out")):
    model = tf.keras.Sequential([L.Dense(5, activation="relu", input_shape=(4,), name=names[0]),
                                 L.Dense(units, activation="softmax", name=names[1])])
    model.compile("rmsprop", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _x():
    return np.random.RandomState(0).standard_normal((6, 4)).astype(np.float32)


def test_save_and_load_model_round_trip(tmp_path):
    model = _mlp()
    model.fit(_x(), np.arange(6) % 3, epochs=2, verbose=0)
    want, weights = model.predict(_x()), model.get_weights()
    model.save(str(tmp_path / "model.h5"))
    K.clear_session()
    loaded = tf.keras.models.load_model(str(tmp_path / "model.h5"))
    np.testing.assert_allclose(loaded.predict(_x()), want, rtol=1e-6)
    for a, b in zip(loaded.get_weights(), weights):
        np.testing.assert_array_equal(a, b)
    assert type(loaded.optimizer).__name__ == "RMSprop"
    loaded.fit(_x(), np.arange(6) % 3, epochs=1, verbose=0)  # compiled and trainable


def test_save_weights_h5_round_trip_and_format_choice(tmp_path):
    model = _mlp()
    want = model.predict(_x())
    model.save_weights(str(tmp_path / "w.h5"))
    model.save_weights(str(tmp_path / "w_named"), save_format="h5")
    assert h5py.is_hdf5(str(tmp_path / "w_named"))
    K.clear_session()
    other = _mlp()
    assert not np.allclose(other.predict(_x()), want)
    other.load_weights(str(tmp_path / "w_named"))  # found to be HDF5 by its signature
    np.testing.assert_allclose(other.predict(_x()), want, rtol=1e-6)
    other.save_weights(str(tmp_path / "ckpt"))  # no suffix: a TensorFlow checkpoint
    assert os.path.exists(str(tmp_path / "ckpt.index"))
    with pytest.raises(ValueError, match="looks like an HDF5 file"):
        other.save_weights(str(tmp_path / "x.h5"), save_format="tf")


def test_load_weights_by_name_loads_matching_layers_only(tmp_path):
    source = _mlp(names=("hidden", "out"))
    source.save_weights(str(tmp_path / "w.h5"))
    K.clear_session()
    target = _mlp(names=("hidden", "other"))
    before = target.get_layer("other").get_weights()
    target.load_weights(str(tmp_path / "w.h5"), by_name=True)
    for a, b in zip(target.get_layer("hidden").get_weights(), saved_layer(tmp_path, "hidden")):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(target.get_layer("other").get_weights(), before):
        np.testing.assert_array_equal(a, b)


def saved_layer(tmp_path, layer):
    values = saved_values(str(tmp_path / "w.h5"))
    return [values[layer + "/kernel:0"], values[layer + "/bias:0"]]


def test_wrong_shapes_raise_and_change_nothing(tmp_path):
    _mlp(units=3).save_weights(str(tmp_path / "w.h5"))
    K.clear_session()
    model = _mlp(units=2)
    before = model.get_weights()
    with pytest.raises(ValueError, match=r"Shape mismatch in layer #1 \(named out\) for weight "
                                         r"out/kernel:0. Weight expects shape \(5, 2\)"):
        model.load_weights(str(tmp_path / "w.h5"))
    with pytest.raises(ValueError, match="Shape mismatch in layer #1"):
        model.load_weights(str(tmp_path / "w.h5"), by_name=True)
    for a, b in zip(model.get_weights(), before):  # not even the first layer was loaded
        np.testing.assert_array_equal(a, b)
    model.load_weights(str(tmp_path / "w.h5"), by_name=True, skip_mismatch=True)
    np.testing.assert_array_equal(model.get_layer("hidden").get_weights()[0],
                                  saved_layer(tmp_path, "hidden")[0])
    np.testing.assert_array_equal(model.get_layer("out").get_weights()[0], before[2])
    with pytest.raises(ValueError, match="skip_mismatch can only be set to True when by_name"):
        model.load_weights(str(tmp_path / "w.h5"), skip_mismatch=True)


def test_layer_count_mismatch(tmp_path):
    _mlp().save_weights(str(tmp_path / "w.h5"))
    K.clear_session()
    model = tf.keras.Sequential([L.Dense(3, input_shape=(4,))])
    with pytest.raises(ValueError, match="Layer count mismatch when loading weights from file. "
                                         "Model expected 1 layers, found 2 saved layers."):
        model.load_weights(str(tmp_path / "w.h5"))


def test_unsavable_model_raises_and_leaves_the_file(tmp_path):
    path = tmp_path / "model.h5"
    path.write_bytes(b"old")
    x = tf.keras.Input((3,))
    model = tf.keras.Model(x, L.Lambda(lambda t: t * 2.0)(x))
    with pytest.raises(NotImplementedError, match="Lambda"):
        model.save(str(path))
    assert path.read_bytes() == b"old"


def test_model_from_json_round_trip():
    model = build("functional_merge")
    clone = tf.keras.models.model_from_json(model.to_json())
    assert as_json(clone.get_config()) == as_json(model.get_config())
    assert clone is not model and clone.layers[2] is not model.layers[2]


def test_without_h5py_hdf5_raises_import_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "h5py", None)
    model = _mlp()
    with pytest.raises(ImportError, match="pip install h5py"):
        model.save_weights(str(tmp_path / "w.h5"))
    with pytest.raises(ImportError, match="pip install h5py"):
        model.save(str(tmp_path / "m.h5"))
    with pytest.raises(ImportError, match="pip install h5py"):
        tf.keras.models.load_model(tf_path("sequential_cnn"))
    assert not os.path.exists(str(tmp_path / "w.h5"))


def test_a_failed_save_leaves_the_existing_file_as_it_was(tmp_path, monkeypatch):
    from tensorflux.keras.saving import hdf5_format

    model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])
    path = tmp_path / "w.h5"
    model.save_weights(str(path))
    before = path.read_bytes()

    def broken(group, model):
        group.attrs["partial"] = b"x"
        raise OSError("disk full")
    monkeypatch.setattr(hdf5_format, "save_weights_to_group", broken)
    for save in (model.save_weights, model.save):
        with pytest.raises(OSError, match="disk full"):
            save(str(path))
        assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.h5"]  # no temporary file left
