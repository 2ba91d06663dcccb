"""Keras recurrent layers and wrappers (SimpleRNN/LSTM/GRU and their cells, RNN,
StackedRNNCells, Masking, Bidirectional, TimeDistributed) against real tf_keras: output shapes,
weight names, values, gradients and configs from tests/fixtures/keras_rnn/ (made by
tools/fixtures/gen_keras_rnn.py), plus config and HDF5 round trips and training."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

K = tf.keras.backend
L = tf.keras.layers
FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras_rnn")
with open(os.path.join(FIXTURES, "cases.json")) as _f:
    CASES = json.load(_f)


@pytest.fixture(autouse=True)
def fresh_session():
    K.clear_session()
    yield
    K.clear_session()


def as_json(value):
    return json.loads(json.dumps(value))


def arrays(name):
    with np.load(os.path.join(FIXTURES, name + ".npz")) as z:
        return dict(z)


def ordered(values, prefix):
    count = sum(1 for k in values if k[len(prefix):].isdigit() and k.startswith(prefix))
    return [values["%s%d" % (prefix, i)] for i in range(count)]


def build(name, layers=None):
    """The case's layers applied in turn to a Keras input, as a model with the recorded
    weights; returns (model, input, flat outputs, layers)."""
    case = CASES[name]
    if layers is None:
        layers = [eval(e, {"layers": L}) for e in case["exprs"]]  # noqa: S307 - fixture table
    inputs = tf.keras.Input(tuple(case["input_shape"]), dtype=case["dtype"])
    out = inputs
    for layer in layers:
        out = layer(out)
    outs = out if isinstance(out, list) else [out]
    model = tf.keras.Model(inputs, outs)
    K.batch_set_value(list(zip(model.weights, ordered(arrays(name), "w"))))
    return model, inputs, outs, layers


def run(tensors, inputs, name):
    return K.get_session().run(tensors, {inputs: arrays(name)["x"]})


def assert_outputs(outs, inputs, name):
    want = ordered(arrays(name), "y")
    got = run(outs, inputs, name)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)


# --- against tf_keras ------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(CASES))
def test_layers_match_tf_keras(name):
    case = CASES[name]
    model, inputs, outs, layers = build(name)
    assert [o.shape.as_list() for o in outs] == case["output_shapes"]
    assert [[w.name, w.shape.as_list()] for w in model.weights] == case["weights"]
    assert [as_json(layer.get_config()) for layer in layers] == case["configs"]
    assert_outputs(outs, inputs, name)


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradients_match_tf_keras(name):
    """Gradients of `sum_i sum(y_i * c_i)` with respect to the input and every weight."""
    model, inputs, outs, _ = build(name)
    values = arrays(name)
    loss = tf.add_n([tf.reduce_sum(o * c) for o, c in zip(outs, ordered(values, "c"))])
    wrt = model.weights + ([inputs] if "gx" in values else [])
    grads = [tf.convert_to_tensor(g) for g in tf.gradients(loss, wrt)]
    got = run(grads, inputs, name)
    want = ordered(values, "gw") + ([values["gx"]] if "gx" in values else [])
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", sorted(CASES))
def test_model_config_is_tf_keras(name):
    model, _, _, _ = build(name)
    got, want = as_json(model.get_config()), dict(CASES[name]["model_config"])
    if name == "lstm_nobias_unroll":
        # tf_keras' unrolled loop returns the state `h` itself as the output, so its config
        # points the first output at tensor 1 of the call; tensorflux keeps them apart.
        assert want["output_layers"][0] == ["lstm", 0, 1]
        want["output_layers"] = [["lstm", 0, 0]] + want["output_layers"][1:]
    assert got == want


@pytest.mark.parametrize("name", sorted(CASES))
def test_tf_keras_config_rebuilds_the_layers(name):
    """`from_config` of tf_keras' dicts gives layers with the same configs and outputs."""
    case = CASES[name]
    classes = [type(eval(e, {"layers": L})) for e in case["exprs"]]  # noqa: S307
    K.clear_session()
    layers = [cls.from_config(config) for cls, config in zip(classes, case["configs"])]
    assert [type(layer) for layer in layers] == classes
    _, inputs, outs, _ = build(name, layers)
    assert [as_json(layer.get_config()) for layer in layers] == case["configs"]
    assert_outputs(outs, inputs, name)


@pytest.mark.parametrize("name", ["lstm_seq_state", "embedding_mask_lstm", "rnn_stacked",
                                  "bidirectional_masked", "time_distributed_dense"])
def test_model_from_config_predicts_the_same(name):
    model, _, _, _ = build(name)
    K.clear_session()
    clone = tf.keras.Model.from_config(CASES[name]["model_config"])
    K.batch_set_value(list(zip(clone.weights, ordered(arrays(name), "w"))))
    got = clone.predict(arrays(name)["x"])
    got = got if isinstance(got, list) else [got]
    for g, w in zip(got, ordered(arrays(name), "y")):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)


# --- masks -------------------------------------------------------------------------------------
def test_masked_steps_keep_the_state():
    """A masked step repeats the previous output; the last output is the last valid one."""
    inputs = tf.keras.Input((4, 2))
    seq = L.LSTM(3, return_sequences=True)(L.Masking(0.0)(inputs))
    x = np.random.RandomState(0).standard_normal((1, 4, 2)).astype(np.float32)
    x[0, 2:] = 0.0
    y = K.get_session().run(seq, {inputs: x})
    np.testing.assert_array_equal(y[0, 2], y[0, 1])
    np.testing.assert_array_equal(y[0, 3], y[0, 1])
    assert not np.allclose(y[0, 1], y[0, 0])


def test_mask_passes_through_dense():
    """Embedding(mask_zero) -> Dense (identity weights) -> LSTM skips the padding as
    Embedding -> LSTM does: Dense keeps its input's mask, as in tf_keras."""
    case = CASES["embedding_mask_lstm"]
    inputs = tf.keras.Input(tuple(case["input_shape"]), dtype="int32")
    embedding, dense, lstm = (L.Embedding(6, 3, mask_zero=True), L.Dense(3),
                              L.LSTM(4, return_sequences=True))
    out = lstm(dense(embedding(inputs)))
    w = ordered(arrays("embedding_mask_lstm"), "w")
    K.batch_set_value(list(zip(embedding.weights + dense.weights + lstm.weights,
                               [w[0], np.eye(3, dtype=np.float32), np.zeros(3, np.float32)]
                               + w[1:])))
    assert_outputs([out], inputs, "embedding_mask_lstm")


def test_mask_is_not_a_recorded_call_argument():
    inputs = tf.keras.Input((5,), dtype="int32")
    lstm = L.LSTM(2)
    lstm(L.Embedding(6, 3, mask_zero=True)(inputs))
    assert lstm.inbound_nodes[0].call_kwargs == {}


# --- saving and training ---------------------------------------------------------------------
def small_model():
    inputs = tf.keras.Input((6,), dtype="int32")
    h = L.Embedding(8, 4, mask_zero=True)(inputs)
    h = L.LSTM(5)(h)
    return tf.keras.Model(inputs, L.Dense(1, activation="sigmoid")(h))


def test_hdf5_model_round_trip(tmp_path):
    pytest.importorskip("h5py")
    model = small_model()
    model.compile(optimizer="adam", loss="binary_crossentropy")
    x = np.random.RandomState(1).randint(0, 8, size=(3, 6)).astype(np.int32)
    want = model.predict(x)
    path = str(tmp_path / "rnn.h5")
    model.save(path)
    K.clear_session()
    loaded = tf.keras.models.load_model(path)
    assert [w.name for w in loaded.weights][1:4] == [
        "lstm/lstm_cell/kernel:0", "lstm/lstm_cell/recurrent_kernel:0", "lstm/lstm_cell/bias:0"]
    np.testing.assert_allclose(loaded.predict(x), want, rtol=1e-6)


def test_fit_decreases_the_loss():
    """Label: whether token 1 occurs in the (zero-padded) sequence."""
    rng = np.random.RandomState(0)
    x = rng.randint(1, 8, size=(64, 6)).astype(np.int32)
    x[rng.rand(64, 6) < 0.3] = 0
    y = (x == 1).any(axis=1).astype(np.float32)[:, None]
    model = small_model()
    model.compile(optimizer=tf.keras.optimizers.Adam(0.05), loss="binary_crossentropy")
    history = model.fit(x, y, epochs=15, batch_size=16, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.7 * losses[0]


@pytest.mark.parametrize("layer", ["GRU", "SimpleRNN"])
def test_bidirectional_time_distributed_fit(layer):
    inputs = tf.keras.Input((5, 3))
    h = L.Bidirectional(getattr(L, layer)(4, return_sequences=True))(inputs)
    model = tf.keras.Model(inputs, L.TimeDistributed(L.Dense(1))(h))
    model.compile(optimizer=tf.keras.optimizers.Adam(0.05), loss="mse")
    x = np.random.RandomState(2).standard_normal((32, 5, 3)).astype(np.float32)
    y = np.cumsum(x[..., :1], axis=1)
    losses = model.fit(x, y, epochs=20, batch_size=8, verbose=0).history["loss"]
    assert losses[-1] < 0.5 * losses[0]


# --- dropout, states and errors --------------------------------------------------------------
def test_dropout_only_in_training():
    inputs = tf.keras.Input((4, 3))
    layer = L.LSTM(6, dropout=0.5, recurrent_dropout=0.5)
    x = np.ones((8, 4, 3), np.float32)
    outs = [layer(inputs, training=True), layer(inputs, training=False), layer(inputs)]
    train, infer, plain = K.get_session().run(outs, {inputs: x})
    assert not np.allclose(train, infer)
    np.testing.assert_allclose(plain, infer, rtol=1e-6)


def test_initial_state_and_cell_step():
    inputs = tf.keras.Input((3, 2))
    h0, c0 = tf.keras.Input((4,)), tf.keras.Input((4,))
    layer = L.LSTM(4, return_state=True)
    out, h, c = layer(inputs, initial_state=[h0, c0])
    x = np.random.RandomState(3).standard_normal((2, 3, 2)).astype(np.float32)
    s = np.random.RandomState(4).standard_normal((2, 4)).astype(np.float32)
    sess = K.get_session()
    got = sess.run([out, h, c], {inputs: x, h0: s, c0: 2 * s})
    step_h, state = tf.constant(s), [tf.constant(s), tf.constant(2 * s)]
    for t in range(3):
        step_h, state = layer.cell(tf.constant(x[:, t]), state)
    want = sess.run([step_h] + state)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(NotImplementedError, match="Stateful"):
        L.LSTM(3, stateful=True)
    with pytest.raises(ValueError, match="merge mode"):
        L.Bidirectional(L.LSTM(3), merge_mode="max")
    with pytest.raises(ValueError, match="state_size"):
        L.RNN(L.Dense(3))
    with pytest.raises(ValueError, match="rank 3"):
        L.LSTM(3)(tf.keras.Input((4,)))
    with pytest.raises(ValueError, match="expects 2 state"):
        L.LSTM(3)(tf.keras.Input((4, 2)), initial_state=[tf.zeros([1, 3])])


def test_weights_follow_trainable():
    layer = L.Bidirectional(L.GRU(2))
    layer(tf.keras.Input((3, 2)))
    assert len(layer.trainable_weights) == 6
    layer.trainable = False
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 6
