"""tf.keras.applications against tf_keras (fixtures from tools/fixtures/gen_keras_applications.py):
layer names, classes and shapes, parameter counts, weight names, loading a Keras HDF5 weights
file, preprocess_input; plus a transfer-learning program trained in graph mode."""

import gzip
import json
import os
import shutil

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import applications, backend
from tensorflux.keras.applications import imagenet_utils

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras_applications")

with gzip.open(os.path.join(FIXTURES, "models.json.gz"), "rt") as _f:
    MODEL_CASES = json.load(_f)


def _output_shape(layer):
    output = layer.output
    if isinstance(output, list):  # an InputLayer's output is a one-tensor list here
        (output,) = output
    return list(backend.int_shape(output))


def _describe(model):
    return {
        "name": model.name,
        "layers": [layer.name for layer in model.layers],
        "classes": [type(layer).__name__ for layer in model.layers],
        "shapes": [_output_shape(layer) for layer in model.layers],
        "count_params": model.count_params(),
        "trainable": [w.name for w in model.trainable_weights],
        "non_trainable": [w.name for w in model.non_trainable_weights],
    }


@pytest.fixture(autouse=True)
def _fresh_session():
    backend.clear_session()
    yield
    backend.clear_session()


@pytest.mark.parametrize("case", MODEL_CASES,
                         ids=["%s-%d" % (c["fn"], i) for i, c in enumerate(MODEL_CASES)])
def test_architecture_matches_tf_keras(case):
    kwargs = dict(case["kwargs"])
    if "input_shape" in kwargs:
        kwargs["input_shape"] = tuple(kwargs["input_shape"])
    model = getattr(applications, case["fn"])(weights=None, **kwargs)
    got = _describe(model)
    for key in ("name", "layers", "classes", "shapes", "count_params", "trainable",
                "non_trainable"):
        assert got[key] == case[key], key


def test_keras_weights_file_loads_and_predicts_the_same():
    data = np.load(os.path.join(FIXTURES, "mobilenet_020_notop.npz"))
    model = applications.MobileNet(weights=os.path.join(FIXTURES, "mobilenet_020_notop.h5"),
                                   alpha=0.2, include_top=False, input_shape=(32, 32, 3))
    np.testing.assert_allclose(model.predict(data["x"]), data["y"], rtol=1e-4, atol=1e-5)


def _offline(url, dest, md5):
    raise OSError("network unreachable")


def test_imagenet_weights_come_from_the_keras_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(imagenet_utils, "_download", _offline)
    x = np.random.RandomState(0).uniform(-1, 1, (1, 32, 32, 3)).astype(np.float32)
    source = applications.MobileNet(weights=None, alpha=0.25, include_top=False,
                                    input_shape=(32, 32, 3))
    expected = source.predict(x)
    os.makedirs(tmp_path / "models")
    # Keras' file name; a 32x32 input falls back to the 224x224 file (same weights).
    source.save_weights(str(tmp_path / "models" / "mobilenet_2_5_224_tf_no_top.h5"))
    backend.clear_session()
    model = applications.MobileNet(weights="imagenet", alpha=0.25, include_top=False,
                                   input_shape=(32, 32, 3))
    np.testing.assert_allclose(model.predict(x), expected, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="alpha can be one of"):
        applications.MobileNet(weights="imagenet", alpha=0.2, include_top=False)
    # A file that does not fit the architecture: a ValueError from the HDF5 loader.
    shutil.copy(os.path.join(FIXTURES, "mobilenet_020_notop.h5"),
                tmp_path / "models" / "mobilenet_2_5_224_tf_no_top.h5")
    with pytest.raises(ValueError):
        applications.MobileNet(weights="imagenet", alpha=0.25, include_top=False,
                               input_shape=(32, 32, 3))


def test_imagenet_weights_absent_gives_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(imagenet_utils, "_download", _offline)
    with pytest.raises(OSError) as info:
        applications.ResNet50(weights="imagenet", include_top=False, input_shape=(32, 32, 3))
    message = str(info.value)
    assert "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5" in message
    assert str(tmp_path / "models") in message
    assert "https://storage.googleapis.com/tensorflow/keras-applications/resnet/" in message
    with pytest.raises(OSError, match="imagenet_class_index.json"):
        applications.resnet50.decode_predictions(np.zeros((1, 1000)))


def test_decode_predictions_reads_the_class_index(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", None)
    os.makedirs(tmp_path / "models")
    index = {str(i): ["n%08d" % i, "class_%d" % i] for i in range(1000)}
    with open(tmp_path / "models" / "imagenet_class_index.json", "w") as f:
        json.dump(index, f)
    preds = np.zeros((2, 1000), np.float32)
    preds[0, [3, 7, 5]] = [0.5, 0.3, 0.2]
    preds[1, 999] = 1.0
    top = applications.mobilenet.decode_predictions(preds, top=2)
    assert [r[:2] for r in top[0]] == [("n00000003", "class_3"), ("n00000007", "class_7")]
    assert top[0][0][2] == pytest.approx(0.5)
    assert top[1][0][:2] == ("n00000999", "class_999")
    with pytest.raises(ValueError, match="shape"):
        imagenet_utils.decode_predictions(np.zeros((2, 10)))


def test_argument_checks():
    with pytest.raises(ValueError, match="`weights` argument"):
        applications.VGG16(weights="no/such/file.h5")
    with pytest.raises(ValueError, match="`classes` should be 1000"):
        applications.VGG16(weights="imagenet", classes=10)
    with pytest.raises(ValueError, match="at least 32x32"):
        applications.ResNet50(weights=None, include_top=False, input_shape=(16, 16, 3))
    with pytest.raises(ValueError, match="at least 75x75"):
        applications.InceptionV3(weights=None, include_top=False, input_shape=(64, 64, 3))
    with pytest.raises(ValueError, match="static `input_shape`"):
        applications.VGG16(weights=None, input_shape=(None, None, 3))
    with pytest.raises(ValueError, match="Unknown argument"):
        applications.ResNet50(weights=None, bogus=1)
    # Without include_top the spatial size may stay unknown.
    model = applications.VGG19(weights=None, include_top=False)
    assert model.output.shape.as_list() == [None, None, None, 512]


def test_input_tensor_is_used():
    images = tf.keras.Input(shape=(32, 32, 3), name="images")
    model = applications.MobileNetV2(weights=None, include_top=False, input_tensor=images,
                                     alpha=0.35, pooling="max")
    assert model.inputs == [images]
    assert model.layers[0].name == "images"
    assert model.layers[-1].name == "global_max_pooling2d"


@pytest.mark.parametrize("module", ["resnet50", "vgg16", "vgg19", "mobilenet", "mobilenet_v2",
                                    "inception_v3", "resnet_v2", "xception", "densenet"])
def test_module_preprocess_input_mode(module):
    data = np.load(os.path.join(FIXTURES, "preprocess.npz"))
    mode = {"resnet50": "caffe", "vgg16": "caffe", "vgg19": "caffe",
            "densenet": "torch"}.get(module, "tf")
    got = getattr(applications, module).preprocess_input(data["x"].copy())
    np.testing.assert_allclose(got, data[mode], rtol=1e-6)


@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
def test_preprocess_input_matches_tf_keras(mode):
    data = np.load(os.path.join(FIXTURES, "preprocess.npz"))
    x = data["x"]
    np.testing.assert_allclose(imagenet_utils.preprocess_input(x.copy(), mode=mode),
                               data[mode], rtol=1e-6)
    first = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    np.testing.assert_allclose(
        imagenet_utils.preprocess_input(first, data_format="channels_first", mode=mode),
        data[mode + "_first"], rtol=1e-6)
    np.testing.assert_allclose(imagenet_utils.preprocess_input(x[0].copy(), mode=mode),
                               data[mode + "_single"], rtol=1e-6)
    placeholder = tf.placeholder(tf.float32, (None, 4, 5, 3))
    symbolic = imagenet_utils.preprocess_input(placeholder, mode=mode)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(symbolic, {placeholder: x}),
                                   data[mode + "_symbolic"], rtol=1e-5, atol=1e-5)


def test_preprocess_input_integer_array_and_bad_mode():
    data = np.load(os.path.join(FIXTURES, "preprocess.npz"))
    got = imagenet_utils.preprocess_input(data["x"].astype("uint8"), mode="caffe")
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, data["uint8_caffe"], rtol=1e-6)
    with pytest.raises(ValueError, match="Expected mode"):
        imagenet_utils.preprocess_input(data["x"], mode="bgr")


def test_transfer_learning_program_trains_in_graph_mode():
    base = tf.keras.applications.ResNet50(weights=None, include_top=False,
                                          input_shape=(32, 32, 3), pooling="avg")
    base.trainable = False
    outputs = tf.keras.layers.Dense(10, activation="softmax")(base.output)
    model = tf.keras.Model(base.input, outputs)
    model.compile("adam", "categorical_crossentropy")
    assert [w.name for w in model.trainable_weights] == ["dense/kernel:0", "dense/bias:0"]
    rng = np.random.RandomState(0)
    x = rng.uniform(0, 255, (4, 32, 32, 3)).astype("float32")
    x = tf.keras.applications.resnet50.preprocess_input(x)
    y = tf.keras.utils.to_categorical(rng.randint(0, 10, 4), 10)
    frozen = backend.get_session().run(base.get_layer("conv1_conv").kernel)
    history = model.fit(x, y, batch_size=2, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    np.testing.assert_array_equal(
        backend.get_session().run(base.get_layer("conv1_conv").kernel), frozen)
    assert model.predict(x[:1]).shape == (1, 10)


def test_global_pooling_keepdims_and_model_io():
    layer = tf.keras.layers.GlobalAveragePooling2D(keepdims=True)
    assert layer.get_config()["keepdims"] is True
    clone = tf.keras.layers.GlobalAveragePooling2D.from_config(layer.get_config())
    x = tf.keras.Input(shape=(5, 4, 3))
    assert clone(x).shape.as_list() == [None, 1, 1, 3]
    assert tf.keras.layers.GlobalMaxPooling2D()(x).shape.as_list() == [None, 3]
    model = applications.MobileNet(weights=None, alpha=0.25, include_top=False,
                                   input_shape=(32, 32, 3))
    assert model.input is model.inputs[0] and model.output is model.outputs[0]
    model.trainable = False
    assert model.trainable_weights == [] and not model.get_layer("conv1").trainable
    model.trainable = True
    assert model.get_layer("conv_pw_13").trainable
    assert len(model.trainable_weights) == 81  # 27 conv kernels, 27 x (gamma, beta)


def test_base_model_inside_sequential_trains_and_fine_tunes():
    base = applications.MobileNetV2(input_shape=(32, 32, 3), include_top=False, weights=None,
                                    alpha=0.35)
    base.trainable = False
    model = tf.keras.Sequential([base, tf.keras.layers.GlobalAveragePooling2D(),
                                 tf.keras.layers.Dense(1, activation="sigmoid")])
    assert model.inputs[0].name == "mobilenetv2_0.35_32_input:0"
    assert model.output.shape.as_list() == [None, 1]
    model.compile(tf.keras.optimizers.RMSprop(lr=1e-4), "binary_crossentropy")
    x = np.random.RandomState(0).rand(4, 32, 32, 3).astype(np.float32)
    y = np.array([0, 1, 0, 1])
    model.fit(x, y, epochs=1, verbose=0)
    assert len(model.trainable_weights) == 2 and model.updates == []
    # Fine-tuning: unfreeze the top; its batch norms update their statistics from the
    # Sequential's own input (not from the base model's original input_1).
    base.trainable = True
    for layer in base.layers[:100]:
        layer.trainable = False
    model.compile(tf.keras.optimizers.RMSprop(lr=2e-5), "binary_crossentropy")
    assert len(model.updates) == 36 and len(base.updates) == 36
    bn = base.get_layer("Conv_1_bn")
    sess = backend.get_session()
    before = sess.run(bn.moving_variance)
    model.fit(x, y, epochs=1, verbose=0)
    assert not np.allclose(sess.run(bn.moving_variance), before)
    # The base model keeps its own input and output after being called on another input.
    assert base.input.name == "input_1:0"
    features = tf.keras.Model(base.input, base.get_layer("Conv1").output).predict(x)
    assert features.shape == (4, 16, 16, 16)
