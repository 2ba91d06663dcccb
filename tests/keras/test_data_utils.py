"""tf.keras.utils.get_file (cache, hashes, archives, offline errors) and Sequence, with
file:// origins so no network is needed."""

import hashlib
import os
import tarfile
import zipfile

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras.utils import data_utils


def _origin(path):
    return "file://" + os.path.abspath(path)


def _cache(tmp_path):
    # Keras falls back to /tmp/.keras when the cache folder is not writable (or absent).
    cache = str(tmp_path / "cache")
    os.makedirs(cache)
    return cache


def test_get_file_downloads_once_and_checks_hashes(tmp_path, capsys):
    source = tmp_path / "src" / "data.bin"
    os.makedirs(source.parent)
    source.write_bytes(b"hello keras")
    md5 = hashlib.md5(b"hello keras").hexdigest()
    sha = hashlib.sha256(b"hello keras").hexdigest()
    cache = _cache(tmp_path)
    path = tf.keras.utils.get_file("data.bin", _origin(source), md5_hash=md5, cache_dir=cache)
    assert path == os.path.join(cache, "datasets", "data.bin")
    assert open(path, "rb").read() == b"hello keras"
    assert "Downloading data from" in capsys.readouterr().out
    source.write_bytes(b"changed")  # a cached file with the right hash is not fetched again
    assert tf.keras.utils.get_file("data.bin", _origin(source), file_hash=sha,
                                   cache_dir=cache) == path
    assert capsys.readouterr().out == ""
    assert data_utils.validate_file(path, sha) and data_utils.validate_file(path, md5)
    # An outdated cached file is fetched again; a download with the wrong hash is an error.
    changed = hashlib.sha256(b"changed").hexdigest()
    tf.keras.utils.get_file("data.bin", _origin(source), file_hash=changed, cache_dir=cache)
    assert "re-download" in capsys.readouterr().out
    assert open(path, "rb").read() == b"changed"
    with pytest.raises(ValueError, match="Incomplete or corrupted"):
        tf.keras.utils.get_file("data.bin", _origin(source), file_hash=sha, cache_dir=cache)
    # Default name from the URL, another cache folder.
    other = tf.keras.utils.get_file(origin=_origin(source), cache_subdir="models",
                                    cache_dir=cache)
    assert other == os.path.join(cache, "models", "data.bin")


def test_get_file_extracts_archives(tmp_path):
    folder = tmp_path / "src" / "flowers" / "roses"
    os.makedirs(folder)
    (folder / "a.txt").write_text("rose")
    archive = tmp_path / "src" / "flowers.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(tmp_path / "src" / "flowers", arcname="flowers")
    cache = _cache(tmp_path)
    path = tf.keras.utils.get_file("flowers", _origin(archive), untar=True, cache_dir=cache)
    assert path == os.path.join(cache, "datasets", "flowers")
    assert open(os.path.join(path, "roses", "a.txt")).read() == "rose"
    zipped = tmp_path / "src" / "z.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("inner/b.txt", "zip")
    path = tf.keras.utils.get_file("z.zip", _origin(zipped), extract=True, cache_dir=cache)
    assert open(os.path.join(os.path.dirname(path), "inner", "b.txt")).read() == "zip"


def test_get_file_offline_error_names_the_cache_path(tmp_path):
    cache = _cache(tmp_path)
    with pytest.raises(OSError) as info:
        tf.keras.utils.get_file("missing.npz", _origin(tmp_path / "nope.npz"), cache_dir=cache)
    message = str(info.value)
    assert message.startswith("URL fetch failure on file://")
    assert os.path.join(cache, "datasets", "missing.npz") in message
    assert not os.path.exists(os.path.join(cache, "datasets", "missing.npz"))
    with pytest.raises(ValueError, match="origin"):
        tf.keras.utils.get_file("x")


def test_sequence_feeds_fit():
    tf.keras.backend.clear_session()
    x = np.random.RandomState(0).rand(8, 3).astype(np.float32)
    y = x.sum(axis=1, keepdims=True)

    class Batches(tf.keras.utils.Sequence):
        epochs_seen = 0

        def __len__(self):
            return 2

        def __getitem__(self, i):
            return x[4 * i:4 * i + 4], y[4 * i:4 * i + 4]

        def on_epoch_end(self):
            Batches.epochs_seen += 1

    inputs = tf.keras.Input(shape=(3,))
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(inputs))
    model.compile("sgd", "mse")
    history = model.fit(Batches(), epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3
    assert Batches.epochs_seen >= 2
    assert len(list(Batches())) == 2
    flow = tf.keras.preprocessing.image.ImageDataGenerator().flow(
        np.zeros((3, 2, 2, 1)), batch_size=2)
    assert isinstance(flow, tf.keras.utils.Sequence)
    tf.keras.backend.clear_session()
