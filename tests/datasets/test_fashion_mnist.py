"""Tests for the Fashion-MNIST loader: tiny files written here, plus the real files if installed."""

import gzip
import hashlib
import io
import os
import urllib.request

import numpy as np
import pytest

from tensorflux.datasets import fashion_mnist
from tensorflux.datasets.idx import DatasetNotFoundError, write_idx


def _write_tiny(folder, n_train=6, n_test=3, gz=True):
    """Writes four small IDX files; image i of a split is filled with the value i."""
    suffix = ".gz" if gz else ""
    arrays = {}
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        images = np.repeat(np.arange(n, dtype=np.uint8), 28 * 28).reshape(n, 28, 28)
        labels = (np.arange(n) % 10).astype(np.uint8)
        write_idx(os.path.join(folder, f"{prefix}-images-idx3-ubyte{suffix}"), images)
        write_idx(os.path.join(folder, f"{prefix}-labels-idx1-ubyte{suffix}"), labels)
        arrays[prefix] = (images, labels)
    return arrays


@pytest.mark.parametrize("gz", [True, False])
def test_load_tiny_files(tmp_path, gz):
    written = _write_tiny(tmp_path, gz=gz)
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data(tmp_path)
    assert x_train.shape == (6, 28, 28) and x_train.dtype == np.uint8
    assert y_train.shape == (6,) and y_train.dtype == np.uint8
    assert x_test.shape == (3, 28, 28) and y_test.shape == (3,)
    np.testing.assert_array_equal(x_train, written["train"][0])
    np.testing.assert_array_equal(y_test, written["t10k"][1])


def test_missing_data_message(tmp_path):
    with pytest.raises(DatasetNotFoundError) as info:
        fashion_mnist.load_data(tmp_path)
    assert isinstance(info.value, FileNotFoundError)
    message = str(info.value)
    assert str(tmp_path) in message
    assert "sudo apt-get install dataset-fashion-mnist" in message
    assert "github.com/zalandoresearch/fashion-mnist" in message
    assert "data/fashion/" in message
    assert "--data-dir" in message
    for name in fashion_mnist.FILES:
        assert name in message


def test_message_lists_only_missing_files(tmp_path):
    _write_tiny(tmp_path)
    os.remove(tmp_path / "t10k-labels-idx1-ubyte.gz")
    with pytest.raises(DatasetNotFoundError, match=r"missing: t10k-labels-idx1-ubyte\.gz\)"):
        fashion_mnist.load_data(tmp_path)


def test_default_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TENSORFLUX_DATA_DIR", str(tmp_path))
    assert fashion_mnist.default_data_dir() == str(tmp_path / "fashion-mnist")
    os.mkdir(tmp_path / "fashion-mnist")
    _write_tiny(tmp_path / "fashion-mnist", n_train=2, n_test=1)
    (x_train, _), (x_test, _) = fashion_mnist.load_data()
    assert len(x_train) == 2 and len(x_test) == 1


def test_default_dir_is_debian_path(monkeypatch):
    monkeypatch.delenv("TENSORFLUX_DATA_DIR", raising=False)
    assert fashion_mnist.default_data_dir() == "/usr/share/datasets/fashion-mnist"


def test_mismatched_counts_rejected(tmp_path):
    _write_tiny(tmp_path)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.zeros(5, np.uint8))
    with pytest.raises(ValueError, match="6 images but .* 5 labels"):
        fashion_mnist.load_data(tmp_path)


def test_wrong_rank_rejected(tmp_path):
    _write_tiny(tmp_path)
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", np.zeros((3, 784), np.uint8))
    with pytest.raises(ValueError, match="rank 3"):
        fashion_mnist.load_data(tmp_path)


def test_download_with_faked_network(tmp_path, monkeypatch):
    source = tmp_path / "server"
    source.mkdir()
    _write_tiny(source)
    pages, md5 = {}, {}
    for name in fashion_mnist.FILES:
        data = (source / name).read_bytes()
        pages["http://mirror/" + name] = data
        md5[name] = hashlib.md5(data).hexdigest()
    requested = []

    def urlopen(url, timeout=None):
        requested.append(url)
        return io.BytesIO(pages[url])

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    monkeypatch.setattr(fashion_mnist, "MD5", md5)
    target = tmp_path / "data"
    target.mkdir()
    (target / "t10k-labels-idx1-ubyte").write_bytes(
        gzip.decompress(pages["http://mirror/" + fashion_mnist.TEST_LABELS])
    )
    assert fashion_mnist.download(target, mirrors=("http://mirror/",)) == str(target)
    assert len(requested) == 3  # the file already present (uncompressed) is not fetched
    (x_train, _), (_, y_test) = fashion_mnist.load_data(target)
    assert x_train.shape == (6, 28, 28) and y_test.tolist() == [0, 1, 2]


REAL_DIR = fashion_mnist.DEBIAN_DIR


@pytest.mark.skipif(not os.path.isdir(REAL_DIR), reason=f"{REAL_DIR} absent")
def test_real_fashion_mnist():
    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data(REAL_DIR)
    assert x_train.shape == (60000, 28, 28) and x_train.dtype == np.uint8
    assert y_train.shape == (60000,) and y_train.dtype == np.uint8
    assert x_test.shape == (10000, 28, 28) and x_test.dtype == np.uint8
    assert y_test.shape == (10000,) and y_test.dtype == np.uint8
    assert y_train.min() == 0 and y_train.max() == 9
    assert np.bincount(y_train, minlength=10).tolist() == [6000] * 10
    assert np.bincount(y_test, minlength=10).tolist() == [1000] * 10
    assert y_train[:3].tolist() == [9, 0, 0]  # ankle boot, T-shirt, T-shirt
    assert x_train.max() == 255
