"""ConvLSTM1D/2D/3D, CuDNNLSTM/CuDNNGRU, Attention/AdditiveAttention, LocallyConnected1D/2D,
Conv3DTranspose and SeparableConv1D against real tf_keras: output shapes, weight names, values,
input gradients and configs from tests/fixtures/keras_layers_more/ (made by
tools/fixtures/gen_keras_layers_more.py), finite-difference gradient checks, and HDF5 files
(written by tf_keras, and round trips)."""

import gzip
import json
import os

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf

K = tf.keras.backend
L = tf.keras.layers
FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras_layers_more")
with gzip.open(os.path.join(FIXTURES, "cases.json.gz"), "rt") as _f:
    CASES = json.load(_f)["cases"]


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
    return [values["%s%d" % (prefix, i)] for i in range(sum(k[0] == prefix for k in values))]


def make_layer(case):
    expr = case["expr"]
    if expr.startswith("CuDNN"):
        expr = "layers." + expr
    return eval(expr, {"layers": L})  # noqa: S307 - the fixture's own table


def as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def keras_inputs(case):
    dtype = "int32" if case.get("int_inputs") else None
    return [tf.keras.Input(tuple(s), dtype=dtype) for s in case["input_shapes"]]


def apply(layer, case, name):
    """Keras inputs of the case's shapes, the layer's outputs (a list), the weights set."""
    inputs = keras_inputs(case)
    outputs = layer(inputs if len(inputs) > 1 else inputs[0], **case["call_kwargs"])
    layer.set_weights(ordered(arrays(name), "w"))
    return inputs, as_list(outputs)


def run_case(layer, case, name):
    """The layer's outputs and d(sum of outputs)/d(inputs) on the recorded inputs."""
    inputs, outputs = apply(layer, case, name)
    total = tf.add_n([tf.reduce_sum(o) for o in outputs])
    grads = [] if case.get("int_inputs") else tf.gradients(total, inputs)
    feed = dict(zip(inputs, ordered(arrays(name), "x")))
    ys, gs = K.get_session().run([outputs, grads], feed)
    return inputs, outputs, ys, gs


for _name, _case in CASES.items():
    _case["name"] = _name


# --- against tf_keras ------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(CASES))
def test_layer_matches_tf_keras(name):
    case = CASES[name]
    layer = make_layer(case)
    inputs, outputs, ys, gs = run_case(layer, case, name)
    assert [o.shape.as_list() for o in outputs] == case["output_shapes"]
    assert [[w.name, w.shape.as_list()] for w in layer.weights] == case["weights"]
    assert as_json(layer.get_config()) == case["config"]
    want = arrays(name)
    for y, expected in zip(ys, ordered(want, "y"), strict=True):
        np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-5)
    for g, expected in zip(gs, ordered(want, "g"), strict=True):
        np.testing.assert_allclose(g, expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", sorted(CASES))
def test_functional_model_config_matches_tf_keras(name):
    case = CASES[name]
    inputs = keras_inputs(case)
    outputs = make_layer(case)(inputs if len(inputs) > 1 else inputs[0], **case["call_kwargs"])
    model = tf.keras.Model(inputs, outputs)
    assert as_json(model.get_config()) == case["model_config"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_tf_keras_config_rebuilds_the_layer(name):
    """`from_config` of tf_keras' dict gives a layer with the same config and outputs."""
    case = CASES[name]
    cls = type(make_layer(case))
    K.clear_session()
    clone = cls.from_config(case["config"])
    assert type(clone) is cls
    assert as_json(clone.get_config()) == case["config"]
    _, _, ys, _ = run_case(clone, case, name)
    for y, expected in zip(ys, ordered(arrays(name), "y"), strict=True):
        np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-5)


def test_names_exist_and_aliases():
    for name in ("ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "CuDNNLSTM", "CuDNNGRU", "Attention",
                 "AdditiveAttention", "LocallyConnected1D", "LocallyConnected2D",
                 "Conv1DTranspose", "Conv3DTranspose", "SeparableConv1D", "DepthwiseConv1D",
                 "Resizing", "CenterCrop", "Rescaling", "Normalization", "CategoryEncoding",
                 "UnitNormalization", "GroupNormalization", "InputSpec", "Wrapper", "serialize",
                 "deserialize"):
        assert name in L.__all__
    assert L.Convolution1DTranspose is L.Conv1DTranspose
    assert L.Convolution3DTranspose is L.Conv3DTranspose
    assert L.SeparableConvolution1D is L.SeparableConv1D
    assert L.InputSpec is tf.layers.InputSpec


@pytest.mark.parametrize("name", ["conv_lstm2d", "cudnn_gru", "locally_connected2d",
                                  "additive_attention"])
def test_deserialize_reads_tf_keras_entries(name):
    entry = CASES[name]["model_config"]["layers"][-1]
    layer = L.deserialize(entry)
    assert type(layer).__name__ == entry["class_name"]
    assert as_json(layer.get_config()) == entry["config"]
    again = L.serialize(layer)
    assert (again["class_name"], again["module"]) == (entry["class_name"], "keras.layers")


def test_wrapper_is_a_public_base_class():
    class Twice(L.Wrapper):
        def call(self, inputs):
            return 2.0 * self.layer(inputs)

    inner = L.Dense(2, kernel_initializer="ones")
    outer = Twice(inner)
    inp = tf.keras.Input((3,))
    y = outer(inp)
    assert outer.trainable_weights == inner.trainable_weights
    got = K.get_session().run(y, {inp: np.ones((1, 3))})
    np.testing.assert_allclose(got, [[6.0, 6.0]])


def test_default_names_are_tf_keras_snake_case():
    x = tf.keras.Input((2, 4, 4, 1))
    a, b = L.ConvLSTM2D(1, 2), L.ConvLSTM2D(1, 2)
    a(x), b(x)
    assert (a.name, b.name) == ("conv_lstm2d", "conv_lstm2d_1")
    assert L.ConvLSTM1D(1, 2).name == "conv_lstm1d"
    assert L.CuDNNLSTM(2).name == "cu_dnnlstm" and L.CuDNNGRU(2).name == "cu_dnngru"
    assert L.LocallyConnected2D(1, 2).name == "locally_connected2d"


# --- default initializers ----------------------------------------------------------------------
def test_forget_gate_biases_start_at_one():
    conv = L.ConvLSTM2D(3, 2)
    conv(tf.keras.Input((2, 4, 4, 1)))
    lstm = L.CuDNNLSTM(2)
    lstm(tf.keras.Input((3, 2)))
    gru = L.CuDNNGRU(2)
    gru(tf.keras.Input((3, 2)))
    conv_bias, lstm_bias, gru_bias = K.batch_get_value([conv.cell.bias, lstm.bias, gru.bias])
    np.testing.assert_array_equal(conv_bias, [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    # cuDNN layout: input biases (i, f, c, o), then recurrent ones; tf_keras sets the
    # recurrent forget bias.
    np.testing.assert_array_equal(lstm_bias, [0] * 10 + [1, 1] + [0] * 4)
    np.testing.assert_array_equal(gru_bias, np.zeros(12))


# --- CuDNN layers: the maths of LSTM / GRU(reset_after) with converted weights -----------------
def test_cudnn_lstm_is_an_lstm_with_summed_biases():
    rng = np.random.RandomState(0)
    x = rng.standard_normal((2, 5, 3)).astype(np.float32)
    inp = tf.keras.Input((5, 3))
    cudnn, lstm = L.CuDNNLSTM(4, return_sequences=True), L.LSTM(4, return_sequences=True)
    a, b = cudnn(inp), lstm(inp)
    kernel, recurrent = rng.uniform(-1, 1, (3, 16)), rng.uniform(-1, 1, (4, 16))
    bias = rng.uniform(-1, 1, 32)
    cudnn.set_weights([kernel, recurrent, bias])
    lstm.set_weights([kernel, recurrent, bias[:16] + bias[16:]])
    ya, yb = K.get_session().run([a, b], {inp: x})
    np.testing.assert_allclose(ya, yb, rtol=1e-5, atol=1e-6)


def test_cudnn_gru_is_a_reset_after_gru():
    rng = np.random.RandomState(1)
    x = rng.standard_normal((2, 4, 3)).astype(np.float32)
    inp = tf.keras.Input((4, 3))
    cudnn, gru = L.CuDNNGRU(2, go_backwards=True), L.GRU(2, go_backwards=True, reset_after=True)
    a, b = cudnn(inp), gru(inp)
    kernel, recurrent = rng.uniform(-1, 1, (3, 6)), rng.uniform(-1, 1, (2, 6))
    bias = rng.uniform(-1, 1, 12)
    cudnn.set_weights([kernel, recurrent, bias])
    gru.set_weights([kernel, recurrent, bias.reshape(2, 6)])
    ya, yb = K.get_session().run([a, b], {inp: x})
    np.testing.assert_allclose(ya, yb, rtol=1e-5, atol=1e-6)


def test_cudnn_layers_refuse_masks_and_stateful():
    inp = tf.keras.Input((3, 2))
    with pytest.raises(ValueError, match="Masking is not supported"):
        L.CuDNNLSTM(2)(L.Masking()(inp))
    with pytest.raises(NotImplementedError, match="Stateful"):
        L.CuDNNGRU(2, stateful=True)


def test_cudnn_lstm_initial_state_and_returned_states():
    rng = np.random.RandomState(2)
    inp, h0, c0 = tf.keras.Input((3, 2)), tf.keras.Input((2,)), tf.keras.Input((2,))
    layer = L.CuDNNLSTM(2, return_state=True)
    out, h, c = layer(inp, initial_state=[h0, c0])
    x = rng.standard_normal((1, 3, 2)).astype(np.float32)
    s = rng.standard_normal((1, 2)).astype(np.float32)
    got = K.get_session().run([out, h, c], {inp: x, h0: s, c0: s})
    np.testing.assert_allclose(got[0], got[1])
    zero = K.get_session().run(out, {inp: x, h0: 0 * s, c0: 0 * s})
    assert not np.allclose(got[0], zero)


# --- ConvLSTM --------------------------------------------------------------------------------
def test_conv_lstm_dropout_only_in_training():
    layer = L.ConvLSTM2D(2, 2, dropout=0.5, recurrent_dropout=0.5, return_sequences=True)
    x = np.random.RandomState(3).standard_normal((2, 3, 4, 4, 1)).astype(np.float32)
    inp = tf.keras.Input((3, 4, 4, 1))
    train, infer = layer(inp, training=True), layer(inp, training=False)
    sess = K.get_session()
    a, b = sess.run([train, infer], {inp: x})
    c = sess.run(infer, {inp: x})
    np.testing.assert_array_equal(b, c)
    assert a.shape == b.shape == (2, 3, 3, 3, 2)
    assert not np.allclose(a, b)


def test_conv_lstm_unknown_time_and_image_sizes():
    inp = tf.keras.Input((None, None, None, 2))
    seq = L.ConvLSTM2D(3, 3, padding="same", return_sequences=True)(inp)
    last = L.ConvLSTM2D(2, 3, strides=2)(seq)
    assert seq.shape.as_list() == [None, None, None, None, 3]
    assert last.shape.as_list() == [None, None, None, 2]
    got = tf.keras.Model(inp, last).predict(np.ones((1, 4, 7, 6, 2), np.float32))
    assert got.shape == (1, 3, 2, 2)


def test_conv_lstm_initial_state_and_bidirectional():
    x = tf.keras.Input((3, 5, 5, 1))
    h0, c0 = tf.keras.Input((5, 5, 2)), tf.keras.Input((5, 5, 2))
    layer = L.ConvLSTM2D(2, 3, padding="same", return_state=True)
    out, h, c = layer(x, initial_state=[h0, c0])
    feed = {x: np.zeros((1, 3, 5, 5, 1)), h0: np.ones((1, 5, 5, 2)), c0: np.ones((1, 5, 5, 2))}
    got, got_h = K.get_session().run([out, h], feed)
    np.testing.assert_array_equal(got, got_h)
    feed[c0] = np.zeros((1, 5, 5, 2))
    assert not np.allclose(K.get_session().run(out, feed), got)
    both = L.Bidirectional(L.ConvLSTM2D(2, 3, padding="same", return_sequences=True))(x)
    assert both.shape.as_list() == [None, 3, 5, 5, 4]


def test_conv_lstm_rejects_wrong_rank():
    with pytest.raises(ValueError, match="expected ndim=5"):
        L.ConvLSTM2D(2, 2)(tf.keras.Input((3, 4, 1)))
    with pytest.raises(NotImplementedError, match="Stateful"):
        L.ConvLSTM2D(2, 2, stateful=True)


def test_conv_lstm_compute_output_shape():
    layer = L.ConvLSTM2D(4, 3, strides=2, padding="same", return_sequences=True,
                         return_state=True)
    assert layer.compute_output_shape((None, 5, 9, 8, 3)) == [
        [None, 5, 5, 4, 4], [None, 5, 4, 4], [None, 5, 4, 4]]


# --- locally connected: the three layouts compute the same function ---------------------------
@pytest.mark.parametrize("cls,shape,kwargs", [
    (L.LocallyConnected1D, (7, 3), {"filters": 2, "kernel_size": 3, "strides": 2}),
    (L.LocallyConnected2D, (5, 4, 2), {"filters": 3, "kernel_size": (2, 3)}),
    (L.LocallyConnected2D, (2, 4, 5), {"filters": 2, "kernel_size": 2,
                                       "data_format": "channels_first"}),
])
def test_locally_connected_implementations_agree(cls, shape, kwargs):
    rng = np.random.RandomState(4)
    inp = tf.keras.Input(shape)
    layers = [cls(implementation=i, **kwargs) for i in (1, 2, 3)]
    outs = [layer(inp) for layer in layers]
    first = layers[0]
    first.set_weights([rng.uniform(-1, 1, w.shape.as_list()) for w in first.weights])
    sess = K.get_session()
    matrix, bias = sess.run([first._matrix(), first.bias])
    two, three = layers[1], layers[2]
    two.set_weights([matrix.reshape(two.kernel.shape.as_list()), bias])
    idx = np.array(three._dense_indices())
    three.set_weights([matrix[idx[:, 0], idx[:, 1]], bias])
    x = rng.standard_normal((2,) + shape).astype(np.float32)
    y1, y2, y3 = sess.run(outs, {inp: x})
    np.testing.assert_allclose(y2, y1, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(y3, y1, rtol=1e-5, atol=1e-6)


def test_locally_connected_same_padding_needs_implementation_2_or_3():
    with pytest.raises(ValueError, match="only \"valid\" is supported"):
        L.LocallyConnected1D(2, 3, padding="same")
    y = L.LocallyConnected1D(2, 3, padding="same", implementation=2)(tf.keras.Input((5, 1)))
    assert y.shape.as_list() == [None, 5, 2]


# --- Normalization.adapt ---------------------------------------------------------------------
def test_normalization_adapt_learns_mean_and_variance():
    data = np.random.RandomState(12).standard_normal((50, 2, 3)) * [1.0, 2.0, 3.0] + 5.0
    norm = L.Normalization(axis=-1)
    norm.adapt(data)
    mean, variance, count = K.batch_get_value(norm.weights)
    np.testing.assert_allclose(mean, data.mean(axis=(0, 1)), rtol=1e-5)
    np.testing.assert_allclose(variance, data.var(axis=(0, 1)), rtol=1e-5)
    assert count == 100
    inp = tf.keras.Input((2, 3))
    got = K.get_session().run(norm(inp), {inp: data})
    np.testing.assert_allclose(got.mean(axis=(0, 1)), 0.0, atol=1e-5)
    np.testing.assert_allclose(got.std(axis=(0, 1)), 1.0, rtol=1e-4)
    with pytest.raises(ValueError, match="both `mean` and `variance`"):
        L.Normalization(mean=1.0)


def test_category_encoding_checks_ids_and_weights_counts():
    ids = tf.keras.Input((3,), dtype="int32")
    weights = tf.keras.Input((3,))
    counted = L.CategoryEncoding(3, output_mode="count")(ids, count_weights=weights)
    got = K.get_session().run(counted, {ids: [[0, 2, 2]], weights: [[0.5, 1.0, 2.0]]})
    np.testing.assert_allclose(got, [[0.5, 0.0, 3.0]])
    hot = L.CategoryEncoding(3)(ids)
    with pytest.raises(tf.errors.InvalidArgumentError, match="num_tokens=3"):
        K.get_session().run(hot, {ids: [[0, 3, 1]]})
    with pytest.raises(ValueError, match="count_weights"):
        L.CategoryEncoding(3)(ids, count_weights=weights)


# --- attention ---------------------------------------------------------------------------------
def test_attention_value_mask_and_query_mask():
    q = tf.keras.Input((2, 3))
    v = tf.keras.Input((3, 3))
    q_mask = tf.placeholder(tf.bool, [None, 2])
    v_mask = tf.placeholder(tf.bool, [None, 3])
    y = L.Attention()([q, v], mask=[q_mask, v_mask])
    rng = np.random.RandomState(5)
    qv, vv = rng.standard_normal((1, 2, 3)), rng.standard_normal((1, 3, 3))
    got = K.get_session().run(y, {q: qv, v: vv, q_mask: [[True, False]],
                                  v_mask: [[True, True, False]]})
    scores = qv[0] @ vv[0, :2].T
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    np.testing.assert_allclose(got[0, 0], (weights @ vv[0, :2])[0], rtol=1e-5)
    np.testing.assert_array_equal(got[0, 1], 0.0)


def test_attention_bad_inputs():
    with pytest.raises(ValueError, match="must be called on a list"):
        L.Attention()(tf.keras.Input((2, 3)))
    with pytest.raises(ValueError, match="Acceptable values"):
        L.Attention(score_mode="general")


# --- finite-difference gradients (inputs and weights, float64) --------------------------------
def _with_weights(owner, names, tensors):
    for name, t in zip(names, tensors, strict=True):
        setattr(owner, name, t)


def test_conv_lstm2d_gradients():
    rng = np.random.RandomState(6)

    def build(x, kernel, recurrent, bias):
        layer = L.ConvLSTM2D(2, 2, padding="same", return_sequences=True, dtype="float64")
        layer.build(x.shape)
        _with_weights(layer.cell, ["kernel", "recurrent_kernel", "bias"],
                      [kernel, recurrent, bias])
        return layer(x)

    check_gradients(build, {"x": rng.standard_normal((1, 2, 3, 3, 1)),
                            "kernel": rng.uniform(-1, 1, (2, 2, 1, 8)),
                            "recurrent": rng.uniform(-1, 1, (2, 2, 2, 8)),
                            "bias": rng.uniform(-1, 1, 8)}, tol=1e-4)


@pytest.mark.parametrize("cls,width", [(L.CuDNNLSTM, 4), (L.CuDNNGRU, 3)])
def test_cudnn_gradients(cls, width):
    rng = np.random.RandomState(7)

    def build(x, kernel, recurrent, bias):
        layer = cls(2, return_sequences=True, dtype="float64")
        layer.build(x.shape)
        _with_weights(layer, ["kernel", "recurrent_kernel", "bias"], [kernel, recurrent, bias])
        return layer(x)

    check_gradients(build, {"x": rng.standard_normal((2, 3, 2)),
                            "kernel": rng.uniform(-1, 1, (2, 2 * width)),
                            "recurrent": rng.uniform(-1, 1, (2, 2 * width)),
                            "bias": rng.uniform(-1, 1, 4 * width)}, tol=1e-4)


@pytest.mark.parametrize("make,scale_shape", [
    (lambda: L.Attention(use_scale=True), ()),
    (lambda: L.Attention(score_mode="concat", use_scale=True), ()),
    (lambda: L.AdditiveAttention(), (3,)),
])
def test_attention_gradients(make, scale_shape):
    rng = np.random.RandomState(8)

    def build(q, v, k, scale):
        layer = make()
        layer.build([q.shape, v.shape, k.shape])
        layer.scale = scale
        if getattr(layer, "concat_score_weight", None) is not None:
            layer.concat_score_weight = tf.constant(1.3, tf.float64)
        return layer.call([q, v, k], use_causal_mask=True, return_attention_scores=True)

    check_gradients(build, {"q": rng.standard_normal((2, 3, 3)),
                            "v": rng.standard_normal((2, 3, 3)),
                            "k": rng.standard_normal((2, 3, 3)),
                            "scale": rng.uniform(0.5, 1.5, scale_shape)}, tol=1e-4)


@pytest.mark.parametrize("cls,shape,kwargs", [
    (L.LocallyConnected1D, (2, 5, 2), {"implementation": 1}),
    (L.LocallyConnected2D, (2, 3, 4, 2), {"implementation": 2, "strides": (1, 2)}),
    (L.LocallyConnected2D, (2, 2, 3, 3), {"implementation": 3,
                                          "data_format": "channels_first"}),
])
def test_locally_connected_gradients(cls, shape, kwargs):
    rng = np.random.RandomState(9)
    probe = cls(2, 2, **kwargs)
    probe.build((None,) + shape[1:])
    kernel_shape, bias_shape = probe.kernel.shape.as_list(), probe.bias.shape.as_list()

    def build(x, kernel, bias):
        layer = cls(2, 2, activation="tanh", dtype="float64", **kwargs)
        layer.build(x.shape)
        _with_weights(layer, ["kernel", "bias"], [kernel, bias])
        return layer(x)

    check_gradients(build, {"x": rng.standard_normal(shape),
                            "kernel": rng.uniform(-1, 1, kernel_shape),
                            "bias": rng.uniform(-1, 1, bias_shape)}, tol=1e-4)


# --- HDF5 ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["conv_lstm2d_model", "cudnn_lstm_model"])
def test_loads_tf_keras_hdf5(name):
    model = tf.keras.models.load_model(os.path.join(FIXTURES, name + ".h5"))
    want = arrays(name)
    np.testing.assert_allclose(model.predict(want["x"]), want["y"], rtol=1e-5, atol=1e-6)


def _round_trip(model, x, path):
    before = model.predict(x)
    model.save(path)
    K.clear_session()
    loaded = tf.keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(x), before, rtol=1e-6, atol=1e-7)
    return loaded


def test_hdf5_round_trip_conv_lstm2d(tmp_path):
    model = tf.keras.Sequential([
        L.ConvLSTM2D(2, 3, padding="same", return_sequences=True, dropout=0.1,
                     input_shape=(3, 5, 5, 1)),
        L.ConvLSTM2D(1, 2, data_format="channels_last", go_backwards=True),
        L.Flatten(),
        L.Dense(1),
    ])
    x = np.random.RandomState(10).standard_normal((2, 3, 5, 5, 1)).astype(np.float32)
    loaded = _round_trip(model, x, str(tmp_path / "conv_lstm.h5"))
    assert [type(layer).__name__ for layer in loaded.layers] == [
        "ConvLSTM2D", "ConvLSTM2D", "Flatten", "Dense"]


def test_hdf5_round_trip_cudnn_and_attention(tmp_path):
    inp = tf.keras.Input((4, 3))
    seq = L.CuDNNLSTM(3, return_sequences=True)(inp)
    ctx = L.AdditiveAttention()([seq, seq])
    gru = L.CuDNNGRU(2)(L.Attention(use_scale=True)([ctx, seq]))
    local = L.LocallyConnected1D(2, 2, implementation=3)(seq)
    model = tf.keras.Model(inp, [gru, local])
    x = np.random.RandomState(11).standard_normal((2, 4, 3)).astype(np.float32)
    before = model.predict(x)
    path = str(tmp_path / "cudnn.h5")
    model.save(path)
    K.clear_session()
    after = tf.keras.models.load_model(path).predict(x)
    for a, b in zip(after, before, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
