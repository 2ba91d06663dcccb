"""Model.fit_generator / evaluate_generator / predict_generator (and fit/evaluate/predict
given a generator), fed by ImageDataGenerator iterators, plain generators and Sequences."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import backend
from tensorflux.keras.preprocessing.image import ImageDataGenerator


@pytest.fixture(autouse=True)
def _fresh_session():
    backend.clear_session()
    yield
    backend.clear_session()


def _data():
    rng = np.random.RandomState(0)
    x = rng.uniform(0, 1, (12, 4, 4, 1)).astype(np.float32)
    y = tf.keras.utils.to_categorical(rng.randint(0, 3, 12), 3)
    return x, y


def _model(seed=1):
    inputs = tf.keras.Input(shape=(4, 4, 1))
    h = tf.keras.layers.Flatten()(inputs)
    outputs = tf.keras.layers.Dense(
        3, activation="softmax",
        kernel_initializer=tf.keras.initializers.glorot_uniform(seed=seed))(h)
    model = tf.keras.Model(inputs, outputs)
    model.compile(tf.keras.optimizers.SGD(0.5), "categorical_crossentropy", metrics=["acc"])
    return model


def test_fit_generator_equals_fit_on_the_same_batches():
    x, y = _data()
    model = _model()
    initial = model.get_weights()
    h_arrays = model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    trained = model.get_weights()
    model.set_weights(initial)
    flow = ImageDataGenerator().flow(x, y, batch_size=4, shuffle=False)
    h_gen = model.fit_generator(flow, epochs=2, verbose=0)  # steps: len(flow) == 3
    for a, b in zip(model.get_weights(), trained):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(h_gen.history["loss"], h_arrays.history["loss"], rtol=1e-5)
    np.testing.assert_allclose(h_gen.history["acc"], h_arrays.history["acc"], rtol=1e-5)


def test_fit_accepts_generators_and_validation_generators(capsys):
    x, y = _data()
    model = _model()

    def batches():
        while True:
            for i in range(0, 12, 6):
                yield x[i:i + 6], y[i:i + 6]

    history = model.fit(batches(), steps_per_epoch=2, epochs=2, verbose=2,
                        validation_data=ImageDataGenerator().flow(x, y, batch_size=5,
                                                                  shuffle=False))
    out = capsys.readouterr().out
    assert "Epoch 2/2" in out and "val_loss" in out
    assert sorted(history.history) == ["acc", "loss", "val_acc", "val_loss"]
    expected = model.evaluate(x, y, verbose=0)
    got = model.evaluate_generator(ImageDataGenerator().flow(x, y, batch_size=5,
                                                             shuffle=False))
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    np.testing.assert_allclose(model.evaluate(ImageDataGenerator().flow(
        x, y, batch_size=12, shuffle=False), verbose=0), expected, rtol=1e-5)
    with pytest.raises(ValueError, match="steps_per_epoch"):
        model.fit_generator(batches(), epochs=1)


def test_predict_generator_and_sequence_input():
    x, y = _data()
    model = _model()

    class Batches:  # a Sequence-like object: len + getitem
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return x[4 * i:4 * i + 4], y[4 * i:4 * i + 4]

    np.testing.assert_allclose(model.predict_generator(Batches()), model.predict(x),
                               rtol=1e-6)
    only_x = ImageDataGenerator().flow(x, batch_size=5, shuffle=False)
    np.testing.assert_allclose(model.predict(only_x, steps=3), model.predict(x), rtol=1e-6)
    history = model.fit_generator(Batches(), epochs=1, verbose=0)
    assert len(history.history["loss"]) == 1
    with pytest.raises(ValueError, match="tuple"):
        model.fit_generator(iter([x]), steps_per_epoch=1, verbose=0)


def test_augmented_flow_trains_a_frozen_base(tmp_path):
    x, y = _data()
    base = tf.keras.applications.MobileNet(weights=None, include_top=False, alpha=0.25,
                                           input_shape=(32, 32, 3), pooling="avg")
    base.trainable = False
    outputs = tf.keras.layers.Dense(3, activation="softmax")(base.output)
    model = tf.keras.Model(base.input, outputs)
    model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
    images = np.random.RandomState(1).uniform(0, 255, (6, 32, 32, 3)).astype(np.float32)
    gen = ImageDataGenerator(preprocessing_function=tf.keras.applications.mobilenet
                             .preprocess_input, rotation_range=10, horizontal_flip=True)
    history = model.fit_generator(gen.flow(images, y[:6], batch_size=3, seed=0),
                                  steps_per_epoch=2, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    assert len(model.trainable_weights) == 2


def test_flow_from_directory_feeds_fit(tmp_path, capsys):
    from preprocessing_cases import write_image_folder

    write_image_folder(str(tmp_path))
    gen = ImageDataGenerator(rescale=1 / 255.0, horizontal_flip=True, validation_split=0.34)
    train = gen.flow_from_directory(str(tmp_path), target_size=(8, 8), batch_size=2,
                                    subset="training", seed=3)
    val = gen.flow_from_directory(str(tmp_path), target_size=(8, 8), batch_size=2,
                                  subset="validation", shuffle=False)
    out = capsys.readouterr().out  # split per class folder, as Keras does
    assert "Found 6 images belonging to 4 classes.\nFound 1 images" in out
    inputs = tf.keras.Input(shape=(8, 8, 3))
    h = tf.keras.layers.Conv2D(2, 3, activation="relu")(inputs)
    h = tf.keras.layers.GlobalAveragePooling2D()(h)
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(train.num_classes,
                                                         activation="softmax")(h))
    model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
    history = model.fit_generator(train, steps_per_epoch=len(train), epochs=2,
                                  validation_data=val, validation_steps=len(val), verbose=0)
    assert len(history.history["val_loss"]) == 2
    assert model.predict_generator(val, steps=len(val)).shape == (val.samples, 4)
