"""tf.keras.utils custom objects, plot_model/model_to_dot, multi_gpu_model;
tf.keras.models.clone_model and the custom-object path of model loading;
tf.keras.activations.swish."""

import sys
import types

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf

K = tf.keras.backend


def _model():
    inp = tf.keras.Input((4,), name="x")
    hidden = tf.keras.layers.Dense(3, activation="relu", name="hidden")(inp)
    extra = tf.keras.Input((2,), name="extra")
    joined = tf.keras.layers.concatenate([hidden, extra])
    out = tf.keras.layers.Dense(1, name="out")(joined)
    return tf.keras.Model([inp, extra], out)


# --- custom objects ----------------------------------------------------------------------------
def test_custom_object_scope_restores_registry():
    registry = tf.keras.utils.get_custom_objects()
    registry.clear()
    registry["a"] = 1
    with tf.keras.utils.custom_object_scope({"b": 2}, {"c": 3}) as scope:
        assert isinstance(scope, tf.keras.utils.CustomObjectScope)
        assert tf.keras.utils.get_custom_objects() == {"a": 1, "b": 2, "c": 3}
    assert tf.keras.utils.get_custom_objects() == {"a": 1}
    registry.clear()


def test_custom_activation_found_through_scope_when_loading_config():
    def scaled_tanh(x):
        return 2.0 * tf.tanh(x)

    with tf.Graph().as_default():
        model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,),
                                                           activation=scaled_tanh)])
        json_config = model.to_json()
        with pytest.raises(ValueError, match="Unknown activation"):
            tf.keras.models.model_from_json(json_config)
        with tf.keras.utils.CustomObjectScope({"scaled_tanh": scaled_tanh}):
            again = tf.keras.models.model_from_json(json_config)
        assert again.layers[0].activation is scaled_tanh
        again = tf.keras.models.model_from_json(json_config,
                                                custom_objects={"scaled_tanh": scaled_tanh})
        assert again.layers[0].activation is scaled_tanh


def test_custom_layer_registered_globally_is_used_by_load_model(tmp_path):
    pytest.importorskip("h5py")

    class Scale(tf.keras.layers.Layer):
        def call(self, inputs):
            return 3.0 * inputs

    with tf.Graph().as_default():
        inp = tf.keras.Input((2,))
        model = tf.keras.Model(inp, Scale(name="scale")(tf.keras.layers.Dense(2)(inp)))
        path = str(tmp_path / "m.h5")
        model.save(path)
        x = np.ones((1, 2), np.float32)
        want = model.predict(x)
    with tf.Graph().as_default():
        tf.keras.utils.get_custom_objects()["Scale"] = Scale
        try:
            loaded = tf.keras.models.load_model(path, compile=False)
        finally:
            tf.keras.utils.get_custom_objects().pop("Scale")
        np.testing.assert_allclose(loaded.predict(x), want, rtol=1e-6)


# --- plot_model -------------------------------------------------------------------------------
def test_plot_model_without_pydot_raises_keras_message(monkeypatch):
    monkeypatch.setitem(sys.modules, "pydot", None)
    with tf.Graph().as_default():
        model = _model()
        with pytest.raises(ImportError, match=r"You must install pydot \(`pip install pydot`\) "
                                              r"and install graphviz"):
            tf.keras.utils.plot_model(model)
        with pytest.raises(ImportError, match="for model_to_dot to work"):
            tf.keras.utils.model_to_dot(model)


class _FakeDot:
    def __init__(self):
        self.nodes, self.edges, self.attrs, self.written = [], [], {}, None

    def set(self, key, value):
        self.attrs[key] = value

    def set_node_defaults(self, **kwargs):
        pass

    def add_node(self, node):
        self.nodes.append(node)

    def add_edge(self, edge):
        self.edges.append(edge)

    def create(self):
        return b""

    def write(self, path, format):  # noqa: A002 - pydot's keyword
        self.written = (path, format)


def _fake_pydot():
    mod = types.ModuleType("pydot")
    mod.Dot = _FakeDot
    mod.Node = lambda name, label: (name, label)
    mod.Edge = lambda a, b: (a, b)
    return mod


def test_model_to_dot_nodes_and_edges(monkeypatch):
    monkeypatch.setitem(sys.modules, "pydot", _fake_pydot())
    with tf.Graph().as_default():
        model = _model()
        dot = tf.keras.utils.model_to_dot(model, show_shapes=True, rankdir="LR")
        labels = {name: label for name, label in dot.nodes}
        by_layer = {layer.name: str(id(layer)) for layer in model.layers}
        assert labels[by_layer["hidden"]].startswith("hidden: Dense|")
        assert "(None, 4)" in labels[by_layer["hidden"]]
        assert "(None, 3)" in labels[by_layer["hidden"]]
        edges = {(a, b) for a, b in dot.edges}
        assert (by_layer["x"], by_layer["hidden"]) in edges
        assert (by_layer["extra"], by_layer["concatenate"]) in edges
        assert (by_layer["concatenate"], by_layer["out"]) in edges
        assert len(edges) == 4 and dot.attrs["rankdir"] == "LR"


def test_plot_model_writes_with_extension_format(monkeypatch):
    fake = _fake_pydot()
    written = []
    fake.Dot = type("Dot", (_FakeDot,), {"write": lambda self, p, format: written.append(
        (p, format))})
    monkeypatch.setitem(sys.modules, "pydot", fake)
    with tf.Graph().as_default():
        tf.keras.utils.plot_model(_model(), to_file="model.svg")
    assert written == [("model.svg", "svg")]


# --- multi_gpu_model --------------------------------------------------------------------------
def test_multi_gpu_model_checks_like_tf1():
    with tf.Graph().as_default():
        model = _model()
        with pytest.raises(ValueError, match=r"call `multi_gpu_model` with `gpus >= 2`. "
                                             r"Received: `gpus=1`"):
            tf.keras.utils.multi_gpu_model(model, gpus=1)
        with pytest.raises(ValueError, match=r"`len\(gpus\) >= 2`. Received: `gpus=\[0\]`"):
            tf.keras.utils.multi_gpu_model(model, gpus=[0])
        with pytest.raises(ValueError, match=r"we expect the following devices to be "
                                             r"available: \['/cpu:0', '/gpu:0', '/gpu:1'\]"):
            tf.keras.utils.multi_gpu_model(model, gpus=2)


def test_multi_gpu_model_returns_model_when_gpus_exist(monkeypatch):
    from tensorflux.keras.utils import multi_gpu_utils

    monkeypatch.setattr(multi_gpu_utils, "_available_devices",
                        lambda: ["/device:CPU:0", "/device:GPU:0", "/device:GPU:1"])
    with tf.Graph().as_default():
        model = _model()
        assert tf.keras.utils.multi_gpu_model(model, gpus=2) is model


# --- clone_model ------------------------------------------------------------------------------
def test_clone_functional_model_has_fresh_weights_and_same_function():
    with tf.Graph().as_default():
        model = _model()
        clone = tf.keras.models.clone_model(model)
        assert [type(layer).__name__ for layer in clone.layers] == \
            [type(layer).__name__ for layer in model.layers]
        assert clone.inputs[0] is not model.inputs[0]
        assert not set(map(id, clone.weights)) & set(map(id, model.weights))
        clone.set_weights(model.get_weights())
        a, b = np.random.rand(3, 4), np.random.rand(3, 2)
        np.testing.assert_allclose(clone.predict([a, b]), model.predict([a, b]), rtol=1e-6)


def test_clone_sequential_with_clone_function_and_input_tensors():
    with tf.Graph().as_default():
        model = tf.keras.Sequential([tf.keras.layers.Dense(3, input_shape=(4,)),
                                     tf.keras.layers.Dense(1)])
        seen = []

        def clone_fn(layer):
            seen.append(layer.name)
            config = layer.get_config()
            config["name"] = "copy_" + config["name"]
            return layer.__class__.from_config(config)

        clone = tf.keras.models.clone_model(model, clone_function=clone_fn)
        assert seen == ["dense", "dense_1"]
        assert isinstance(clone, tf.keras.Sequential)
        assert [layer.name for layer in clone.layers] == ["copy_dense", "copy_dense_1"]
        x = tf.placeholder(tf.float32, (None, 4))
        on_x = tf.keras.models.clone_model(model, input_tensors=x)
        assert on_x.inputs[0] is x and on_x.output.shape.as_list() == [None, 1]
        with pytest.raises(ValueError, match="at most one tensor"):
            tf.keras.models.clone_model(model, input_tensors=[x, x])


def test_clone_subclassed_model_raises():
    class Sub(tf.keras.Model):
        def call(self, inputs):
            return inputs

    with pytest.raises(ValueError, match="subclassed model"):
        tf.keras.models.clone_model(Sub())


# --- swish --------------------------------------------------------------------------------------
def test_swish():
    assert tf.keras.activations.get("swish") is tf.keras.activations.swish
    assert tf.keras.activations.serialize(tf.keras.activations.swish) == "swish"
    x = np.linspace(-3, 3, 7)
    with tf.Graph().as_default(), tf.Session() as sess:
        got = sess.run(tf.keras.activations.swish(tf.constant(x)))
        np.testing.assert_allclose(got, x / (1 + np.exp(-x)), rtol=1e-12)
        layer = tf.keras.layers.Dense(2, activation="swish")
        assert layer.get_config()["activation"] == "swish"
    check_gradients(tf.keras.activations.swish, {"x": x})
