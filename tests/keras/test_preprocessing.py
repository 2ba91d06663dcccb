"""tf.keras.preprocessing (image, sequence, text) against tf_keras (fixtures from
tools/fixtures/gen_keras_preprocessing.py): padding, tokenizing, standardization, seeded
random transforms, `flow` and `flow_from_directory` batches; plus properties of the random
transforms."""

import io
import json
import os

import numpy as np
import pytest
from preprocessing_cases import (
    FLOW_CONFIGS,
    PAD_CASES,
    TEXTS,
    TRANSFORM_CONFIGS,
    sample_images,
    write_image_folder,
)

import tensorflux as tf
from tensorflux.keras.preprocessing import image, sequence, text

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "keras_preprocessing")
with open(os.path.join(FIXTURES, "cases.json")) as _f:
    CASES = json.load(_f)
ARRAYS = np.load(os.path.join(FIXTURES, "arrays.npz"))


def test_public_names():
    assert tf.keras.preprocessing.image.ImageDataGenerator is image.ImageDataGenerator
    assert tf.keras.preprocessing.sequence.pad_sequences is sequence.pad_sequences
    assert tf.keras.preprocessing.text.Tokenizer is text.Tokenizer


# --- sequence ----------------------------------------------------------------------------------
@pytest.mark.parametrize("index", range(len(PAD_CASES)))
def test_pad_sequences_matches_tf_keras(index):
    seqs, kwargs = PAD_CASES[index]
    expected = CASES["pad"][index]
    if "error" in expected:
        with pytest.raises(ValueError) as info:
            sequence.pad_sequences(seqs, **kwargs)
        assert str(info.value) == expected["error"]
        return
    got = sequence.pad_sequences(seqs, **kwargs)
    assert str(got.dtype) == expected["dtype"]
    assert got.tolist() == expected["value"]


def test_skipgrams_and_sampling_table():
    couples, labels = sequence.skipgrams([1, 2, 0, 3], vocabulary_size=4, window_size=1,
                                         negative_samples=0, shuffle=False)
    assert couples == [[1, 2], [2, 1]] and labels == [1, 1]
    couples, labels = sequence.skipgrams([1, 2, 3], 5, negative_samples=1.0, seed=0)
    assert len(couples) == len(labels) == 12 and sorted(labels) == [0] * 6 + [1] * 6
    table = sequence.make_sampling_table(10)
    assert table.shape == (10,) and np.all((table > 0) & (table <= 1))


# --- text --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,kwargs", [("plain", {}),
                                         ("oov", {"num_words": 5, "oov_token": "<unk>"}),
                                         ("char", {"char_level": True})])
def test_tokenizer_matches_tf_keras(name, kwargs):
    expected = CASES["tokenizer"][name]
    tok = text.Tokenizer(**kwargs)
    tok.fit_on_texts(TEXTS)
    assert tok.word_index == expected["word_index"]
    assert tok.texts_to_sequences(TEXTS + ["an unseen word, the cat"]) == expected["sequences"]
    assert tok.sequences_to_texts([[1, 2, 3, 40]]) == expected["texts"]
    for mode in ("binary", "count", "freq", "tfidf"):
        np.testing.assert_allclose(tok.texts_to_matrix(TEXTS[:2], mode=mode), expected[mode])
    clone = text.tokenizer_from_json(tok.to_json())
    assert clone.texts_to_sequences(TEXTS) == tok.texts_to_sequences(TEXTS)


def test_text_helpers():
    assert (text.text_to_word_sequence("Hello, World! It's  a test.\tTab")
            == CASES["tokenizer"]["words"])
    assert (text.hashing_trick("the cat sat on the mat", 17, hash_function="md5")
            == CASES["tokenizer"]["md5"])
    ids = text.one_hot("a b a", 10)
    assert ids[0] == ids[2] and all(1 <= i < 10 for i in ids)


# --- ImageDataGenerator ------------------------------------------------------------------------
def test_standardize_and_fit_match_tf_keras():
    x, _ = sample_images()
    gen = image.ImageDataGenerator(rescale=1 / 255.0, samplewise_center=True,
                                   samplewise_std_normalization=True)
    np.testing.assert_allclose(gen.standardize(x[0].copy()), ARRAYS["standardize_samplewise"],
                               rtol=1e-5, atol=1e-6)
    gen = image.ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True,
                                   rescale=0.5)
    gen.fit(x)
    np.testing.assert_allclose(gen.mean, ARRAYS["fit_mean"], rtol=1e-6)
    np.testing.assert_allclose(gen.std, ARRAYS["fit_std"], rtol=1e-6)
    np.testing.assert_allclose(gen.standardize(x[1].copy()), ARRAYS["standardize_featurewise"],
                               rtol=1e-5, atol=1e-6)
    with pytest.warns(UserWarning, match="overrides setting of `featurewise_center`"):
        gen = image.ImageDataGenerator(zca_whitening=True)
    gen.fit(x[:, :4, :4])
    np.testing.assert_allclose(gen.zca_whitening_matrix, ARRAYS["zca_matrix"], rtol=1e-3,
                               atol=1e-4)
    with pytest.raises(ValueError, match="rank 4"):
        gen.fit(x[0])


@pytest.mark.parametrize("index", range(len(TRANSFORM_CONFIGS)))
def test_seeded_random_transform_matches_tf_keras(index):
    x, _ = sample_images()
    gen = image.ImageDataGenerator(**TRANSFORM_CONFIGS[index])
    params = gen.get_random_transform(x[0].shape, seed=5)
    expected = CASES["transform_params"][index]
    assert sorted(params) == sorted(expected)
    for key, value in expected.items():
        assert (params[key] is None) if value is None else params[key] == pytest.approx(value)
    np.testing.assert_allclose(gen.random_transform(x[0], seed=5),
                               ARRAYS["transform_%d" % index], rtol=1e-5, atol=1e-4)


def test_random_transform_properties():
    x, _ = sample_images()
    identity = image.ImageDataGenerator()
    np.testing.assert_array_equal(identity.random_transform(x[0]), x[0])
    gen = image.ImageDataGenerator(rotation_range=40, width_shift_range=0.2, shear_range=10,
                                   zoom_range=0.2, horizontal_flip=True)
    a = gen.random_transform(x[0], seed=1)
    b = gen.random_transform(x[0], seed=1)
    c = gen.random_transform(x[0], seed=2)
    assert a.shape == x[0].shape
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    flip = gen.apply_transform(x[0], {"flip_horizontal": True})
    np.testing.assert_array_equal(flip, x[0][:, ::-1])
    flip = gen.apply_transform(x[0], {"flip_vertical": True})
    np.testing.assert_array_equal(flip, x[0][::-1])
    first = image.ImageDataGenerator(data_format="channels_first", rotation_range=30)
    chw = np.ascontiguousarray(x[0].transpose(2, 0, 1))
    np.testing.assert_allclose(first.random_transform(chw, seed=3),
                               gen.apply_transform(x[0], {"theta": first.get_random_transform(
                                   chw.shape, seed=3)["theta"]}).transpose(2, 0, 1),
                               rtol=1e-5, atol=1e-4)


def test_generator_argument_checks():
    with pytest.raises(ValueError, match="validation_split"):
        image.ImageDataGenerator(validation_split=1.5)
    with pytest.raises(ValueError, match="zoom_range"):
        image.ImageDataGenerator(zoom_range=[0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="data_format"):
        image.ImageDataGenerator(data_format="NHWC")
    x, y = sample_images()
    with pytest.raises(ValueError, match="same length"):
        image.ImageDataGenerator().flow(x, y[:3])
    with pytest.raises(ValueError, match="different number of classes"):
        image.ImageDataGenerator(validation_split=0.5).flow(x, np.sort(y), subset="training")


@pytest.mark.parametrize("index", range(len(FLOW_CONFIGS)))
def test_flow_batches_match_tf_keras(index):
    x, y = sample_images()
    config, flow_kwargs = FLOW_CONFIGS[index]
    it = image.ImageDataGenerator(**config).flow(x, y, **flow_kwargs)
    for b in range(3):
        bx, by = next(it)
        np.testing.assert_array_equal(by, ARRAYS["flow_%d_y%d" % (index, b)])
        np.testing.assert_allclose(bx, ARRAYS["flow_%d_x%d" % (index, b)], rtol=1e-5,
                                   atol=1e-4)
    np.testing.assert_array_equal(it[len(it) - 1][1], ARRAYS["flow_%d_last_y" % index])


def test_flow_extras():
    x, y = sample_images()
    weights = np.arange(10.0)
    bx, by, bw = next(image.ImageDataGenerator().flow(x, y, batch_size=4, shuffle=False,
                                                      sample_weight=weights))
    np.testing.assert_array_equal(bw, weights[:4])
    only_x = next(image.ImageDataGenerator().flow(x, batch_size=3, shuffle=False))
    np.testing.assert_array_equal(only_x, x[:3])
    assert len(image.ImageDataGenerator().flow(x, y, batch_size=4)) == 3


# --- files -------------------------------------------------------------------------------------
DIRECTORY_KWARGS = {
    "all": {"target_size": (6, 5), "batch_size": 4, "shuffle": False},
    "gray_sparse": {"target_size": (4, 4), "color_mode": "grayscale", "class_mode": "sparse",
                    "batch_size": 3, "shuffle": False},
    "training": {"target_size": (6, 5), "subset": "training", "shuffle": False,
                 "class_mode": "binary", "classes": ["cats", "dogs"]},
    "validation": {"target_size": (6, 5), "subset": "validation", "shuffle": False},
    "shuffled": {"target_size": (6, 5), "batch_size": 5, "seed": 7},
}


@pytest.fixture(scope="module")
def image_folder(tmp_path_factory):
    root = str(tmp_path_factory.mktemp("images"))
    write_image_folder(root)
    return root


@pytest.mark.parametrize("name", sorted(DIRECTORY_KWARGS))
def test_flow_from_directory_matches_tf_keras(image_folder, name, capsys):
    gen = image.ImageDataGenerator(rescale=1 / 255.0, validation_split=0.34)
    it = gen.flow_from_directory(image_folder, **DIRECTORY_KWARGS[name])
    expected = CASES["directory"][name]
    assert it.class_indices == expected["class_indices"]
    assert [f.replace(os.sep, "/") for f in it.filenames] == expected["filenames"]
    assert it.classes.tolist() == expected["classes"]
    assert it.samples == expected["samples"]
    assert capsys.readouterr().out.startswith("Found %d images belonging to"
                                              % expected["samples"])
    bx, by = next(it)
    np.testing.assert_allclose(bx, ARRAYS["dir_%s_x" % name], rtol=1e-6)
    np.testing.assert_array_equal(by, ARRAYS["dir_%s_y" % name])


def test_load_img_and_array_conversions(image_folder, tmp_path):
    path = os.path.join(image_folder, "cats", "c0.png")
    img = image.load_img(path, target_size=(5, 9), interpolation="bilinear")
    np.testing.assert_array_equal(image.img_to_array(img), ARRAYS["load_bilinear"])
    img = image.load_img(path, target_size=(4, 4), keep_aspect_ratio=True)
    np.testing.assert_array_equal(image.img_to_array(img), ARRAYS["load_keep_aspect"])
    with open(path, "rb") as f:
        from_bytes = image.load_img(io.BytesIO(f.read()), color_mode="grayscale")
    assert image.img_to_array(from_bytes).shape == (7, 9, 1)
    with pytest.raises(ValueError, match="Invalid interpolation"):
        image.load_img(path, target_size=(3, 3), interpolation="cubic-ish")
    x, _ = sample_images()
    np.testing.assert_array_equal(image.img_to_array(image.array_to_img(x[0])),
                                  ARRAYS["array_to_img_roundtrip"])
    np.testing.assert_array_equal(
        image.img_to_array(image.array_to_img(x[0], scale=False), data_format="channels_first"),
        ARRAYS["img_to_array_first"])
    out = str(tmp_path / "saved.png")
    image.save_img(out, x[0], scale=False)
    np.testing.assert_array_equal(image.img_to_array(image.load_img(out)), x[0])
