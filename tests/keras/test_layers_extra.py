"""The less common Keras layers (3-D convolution and pooling, cropping, padding, upsampling,
spatial/noise dropouts, PReLU, LayerNormalization, Dot, …) against real tf_keras: output shapes,
weight names, inference values and configs from tests/fixtures/keras_layers_extra/ (made by
tools/fixtures/gen_keras_layers_extra.py), plus config and HDF5 round trips and the random
layers' training-mode behaviour."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

K = tf.keras.backend
L = tf.keras.layers
FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras_layers_extra")
with open(os.path.join(FIXTURES, "cases.json")) as _f:
    _RECORDED = json.load(_f)
CASES, TRAINING = _RECORDED["cases"], _RECORDED["training"]
ALPHA_DROPOUT = _RECORDED["alpha_dropout"]


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


def apply(layer, case):
    """A model of `layer` on Keras inputs of the case's shapes, with the recorded weights."""
    inputs = [tf.keras.Input(tuple(s)) for s in case["input_shapes"]]
    output = layer(inputs if len(inputs) > 1 else inputs[0])
    layer.set_weights(ordered(arrays(case["name"]), "w"))
    return tf.keras.Model(inputs, output), output


def predict(model, name):
    xs = ordered(arrays(name), "x")
    return model.predict(xs if len(xs) > 1 else xs[0])


for _name, _case in CASES.items():
    _case["name"] = _name


# --- against tf_keras ------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(CASES))
def test_layer_matches_tf_keras(name):
    case = CASES[name]
    layer = eval(case["expr"], {"layers": L})  # noqa: S307 - the fixture's own table
    model, output = apply(layer, case)
    assert output.shape.as_list() == case["output_shape"]
    assert [[w.name, w.shape.as_list()] for w in layer.weights] == case["weights"]
    assert as_json(layer.get_config()) == case["config"]
    assert as_json(model.get_config()) == case["model_config"]
    if case["has_output"]:
        y = predict(model, name)
        assert y.shape[1:] == tuple(case["output_shape"][1:])
        np.testing.assert_allclose(y, arrays(name)["y"], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(CASES))
def test_tf_keras_config_rebuilds_the_layer(name):
    """`from_config` of tf_keras' dict gives a layer with the same config and outputs."""
    case = CASES[name]
    cls = type(eval(case["expr"], {"layers": L}))  # noqa: S307
    K.clear_session()
    clone = cls.from_config(case["config"])
    assert type(clone) is cls
    assert as_json(clone.get_config()) == case["config"]
    model, _ = apply(clone, case)
    if case["has_output"]:
        np.testing.assert_allclose(predict(model, name), arrays(name)["y"], rtol=1e-5,
                                   atol=1e-6)


def test_aliases_are_the_same_classes():
    assert L.Convolution3D is L.Conv3D
    assert L.MaxPool3D is L.MaxPooling3D and L.AvgPool3D is L.AveragePooling3D
    assert L.GlobalAvgPool1D is L.GlobalAveragePooling1D
    assert L.GlobalAvgPool3D is L.GlobalAveragePooling3D
    assert L.GlobalMaxPool1D is L.GlobalMaxPooling1D
    assert L.GlobalMaxPool3D is L.GlobalMaxPooling3D


def test_functional_dot_is_the_dot_layer():
    a, b = tf.keras.Input((3, 4)), tf.keras.Input((2, 4))
    y = L.dot([a, b], axes=-1, normalize=True)
    x0, x1 = ordered(arrays("dot_normalized"), "x")
    got = tf.keras.Model([a, b], y).predict([x0, x1])
    np.testing.assert_allclose(got, arrays("dot_normalized")["y"], rtol=1e-5, atol=1e-6)


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="Permute"):
        L.Permute((1, 3))
    with pytest.raises(ValueError, match="removes all"):
        L.Cropping1D((2, 2))(tf.keras.Input((4, 1)))
    with pytest.raises(ValueError, match="Dot"):
        L.Dot(axes=1)([tf.keras.Input((3,)), tf.keras.Input((4,))])
    with pytest.raises(ValueError, match="Theta"):
        L.ThresholdedReLU(theta=-1.0)


# --- random layers in training -----------------------------------------------------------------
def _training_input(shape):
    return (1.0 + np.random.RandomState(4).standard_normal(shape)).astype(np.float32)


@pytest.mark.parametrize("name", sorted(TRAINING))
def test_training_statistics_match_tf_keras(name):
    """One training call: mean, std, zero fraction near tf_keras' (other random numbers, so
    within sampling error), zeros covering whole channels exactly when tf_keras' do."""
    want = TRAINING[name]
    x = _training_input(want["shape"])
    layer = eval(want["expr"], {"layers": L})  # noqa: S307
    y = K.get_session().run(layer(tf.constant(x), training=True))
    zero = y == 0
    channel_axis = 1 if "channels_first" in want["expr"] else len(want["shape"]) - 1
    spatial = tuple(a for a in range(1, len(want["shape"])) if a != channel_axis)
    assert bool(np.all(zero.all(axis=spatial) == zero.any(axis=spatial))) == (
        want["zeros_span_channels"])
    assert abs(zero.mean() - want["zero_fraction"]) < 0.06
    assert abs(y.mean() - want["mean"]) < 0.1
    assert abs(y.std() - want["std"]) < 0.1 * want["std"]
    assert not np.allclose(y, x)


@pytest.mark.parametrize("name", sorted(TRAINING))
def test_random_layers_follow_the_learning_phase(name):
    """Identity at inference (default learning phase, or training=False); random when the
    learning phase is fed True."""
    want = TRAINING[name]
    x = _training_input(want["shape"])
    layer = eval(want["expr"], {"layers": L})  # noqa: S307
    y = layer(tf.constant(x))
    fixed = layer(tf.constant(x), training=False)
    sess = K.get_session()
    np.testing.assert_array_equal(sess.run(y), x)
    np.testing.assert_array_equal(sess.run(fixed), x)
    trained = sess.run(y, {K.learning_phase(): True})
    assert not np.allclose(trained, x)
    np.testing.assert_array_equal(sess.run(fixed, {K.learning_phase(): True}), x)


def test_alpha_dropout_levels_are_tf_keras():
    """For constant inputs 0 and 1, the dropped value and the kept values `a * x + b` are
    exactly tf_keras' (its affine correction), and both occur."""
    layer = L.AlphaDropout(ALPHA_DROPOUT["rate"])
    for value, want in zip((0.0, 1.0), ALPHA_DROPOUT["levels"]):
        y = K.get_session().run(layer(tf.fill([64, 64], value), training=True))
        np.testing.assert_allclose(np.unique(y), want, rtol=1e-6)


def test_seeded_spatial_dropout_has_a_repeatable_graph():
    x = _training_input((8, 5, 5, 16))
    y = L.SpatialDropout2D(0.5, seed=7)(tf.constant(x), training=True)
    first = K.get_session().run(y)
    K.clear_session()
    y = L.SpatialDropout2D(0.5, seed=7)(tf.constant(x), training=True)
    np.testing.assert_array_equal(K.get_session().run(y), first)


def test_rate_outside_zero_one_is_identity_for_gaussian_and_alpha_dropout():
    x = _training_input((4, 3))
    for layer in (L.GaussianDropout(0.0), L.AlphaDropout(1.0)):
        np.testing.assert_array_equal(K.get_session().run(layer(x, training=True)), x)


def test_activity_regularization_adds_its_batch_mean_penalty():
    x = _training_input((4, 3))
    layer = L.ActivityRegularization(l1=0.01, l2=0.1)
    y = layer(tf.constant(x))
    got_y, (loss,) = K.get_session().run([y, layer.losses])
    np.testing.assert_array_equal(got_y, x)
    want = (0.01 * np.abs(x).sum() + 0.1 * np.square(x).sum()) / 4
    np.testing.assert_allclose(loss, want, rtol=1e-5)


# --- HDF5 round trips --------------------------------------------------------------------------
def volume_model():
    """A Sequential 3-D CNN using the new shape, pooling, dropout and normalization layers."""
    model = tf.keras.Sequential([
        L.ZeroPadding3D(1, input_shape=(4, 4, 4, 2)),
        L.Conv3D(3, 3, activation="relu"),
        L.PReLU(shared_axes=[1, 2, 3]),
        L.SpatialDropout3D(0.2),
        L.UpSampling3D((1, 2, 2)),
        L.Cropping3D(((0, 1), (1, 1), (2, 0))),
        L.MaxPooling3D(),
        L.LayerNormalization(),
        L.GlobalAveragePooling3D(),
        L.GaussianNoise(0.1),
        L.Dense(2, activation="softmax"),
    ])
    model.compile("adam", "sparse_categorical_crossentropy")
    return model


def sequence_model():
    """A functional model with Dot, RepeatVector, Permute, 1-D shape layers and noise layers."""
    a, b = tf.keras.Input((6, 3)), tf.keras.Input((4,))
    h = L.UpSampling1D(2)(L.Cropping1D((1, 1))(L.ZeroPadding1D((2, 0))(a)))
    h = L.Permute((2, 1))(L.SpatialDropout1D(0.3)(h))
    r = L.RepeatVector(3)(L.ThresholdedReLU(0.1)(L.Dense(4)(b)))
    s = L.Dot(axes=(2, 1), normalize=True)([L.Identity()(r), L.Dense(16)(L.Reshape((4, 1))(b))])
    s = L.AlphaDropout(0.1)(L.GaussianDropout(0.2)(s))
    out = L.ActivityRegularization(l2=0.01)(L.Dot(axes=1)([s, h]))
    return tf.keras.Model([a, b], L.GlobalMaxPool1D()(out))


def test_hdf5_round_trip_of_a_3d_cnn(tmp_path):
    model = volume_model()
    x = np.random.RandomState(0).standard_normal((3, 4, 4, 4, 2)).astype(np.float32)
    model.fit(x, np.array([0, 1, 0]), epochs=1, verbose=0)
    want, weights = model.predict(x), model.get_weights()
    config = as_json(model.get_config())
    model.save(str(tmp_path / "m.h5"))
    K.clear_session()
    loaded = tf.keras.models.load_model(str(tmp_path / "m.h5"))
    assert [type(layer) for layer in loaded.layers] == [type(layer) for layer in model.layers]
    assert as_json(loaded.get_config()) == config
    for a, b in zip(loaded.get_weights(), weights):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(loaded.predict(x), want, rtol=1e-5, atol=1e-7)


def test_hdf5_round_trip_of_a_functional_model_with_dot(tmp_path):
    model = sequence_model()
    rng = np.random.RandomState(1)
    xs = [rng.standard_normal((2, 6, 3)).astype(np.float32),
          rng.standard_normal((2, 4)).astype(np.float32)]
    want = model.predict(xs)
    model.save(str(tmp_path / "m.h5"))
    K.clear_session()
    loaded = tf.keras.models.load_model(str(tmp_path / "m.h5"))
    assert as_json(loaded.get_config()) == as_json(model.get_config())
    np.testing.assert_allclose(loaded.predict(xs), want, rtol=1e-5, atol=1e-7)
