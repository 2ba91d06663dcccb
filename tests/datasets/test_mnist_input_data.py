"""Tests for TF1's `read_data_sets` / `DataSet.next_batch` semantics on tiny IDX files."""

import io
import os
import urllib.request

import numpy as np
import pytest

from tensorflux.datasets import mnist_input_data
from tensorflux.datasets.idx import DatasetNotFoundError, write_idx
from tensorflux.datasets.mnist_input_data import DataSet, dense_to_one_hot, read_data_sets


def _write_split(folder, prefix, n):
    """Image i is filled with 10 * i; label i is i % 10, so both identify the example."""
    images = np.repeat((10 * np.arange(n)).astype(np.uint8), 28 * 28).reshape(n, 28, 28)
    write_idx(os.path.join(folder, f"{prefix}-images-idx3-ubyte.gz"), images)
    write_idx(
        os.path.join(folder, f"{prefix}-labels-idx1-ubyte.gz"), (np.arange(n) % 10).astype(np.uint8)
    )


@pytest.fixture
def data_dir(tmp_path):
    _write_split(tmp_path, "train", 12)
    _write_split(tmp_path, "t10k", 4)
    return tmp_path


def _ids(images):
    """Recovers example ids from flattened or unflattened uint8 images."""
    return (np.asarray(images).reshape(len(images), -1)[:, 0] // 10).astype(int).tolist()


def _dataset(n, **kwargs):
    images = (10 * np.arange(n, dtype=np.uint8)).reshape(n, 1, 1, 1)
    return DataSet(images, np.arange(n), dtype=np.uint8, **kwargs)


def test_read_data_sets_splits_and_scales(data_dir):
    sets = read_data_sets(str(data_dir), validation_size=2)
    assert isinstance(sets, mnist_input_data.Datasets)
    assert sets._fields == ("train", "validation", "test")
    assert [s.num_examples for s in sets] == [10, 2, 4]
    train = sets.train
    assert train.images.shape == (10, 784) and train.images.dtype == np.float32
    assert train.labels.dtype == np.uint8
    # The validation split is the head of the training file, in file order.
    assert sets.validation.labels.tolist() == [0, 1]
    expected = np.float32(20) * np.float32(1.0 / 255.0)
    assert sets.train.images[0, 0] == expected  # first train example is file example 2
    assert 0.0 <= train.images.min() and train.images.max() <= 1.0


def test_read_data_sets_one_hot(data_dir):
    sets = read_data_sets(data_dir, one_hot=True, validation_size=0)
    labels = sets.train.labels
    assert labels.shape == (12, 10) and labels.dtype == np.float64  # as TF1
    np.testing.assert_array_equal(labels.argmax(axis=1), np.arange(12) % 10)
    np.testing.assert_array_equal(labels.sum(axis=1), np.ones(12))
    assert sets.test.labels.shape == (4, 10)


def test_read_data_sets_uint8_unflattened(data_dir):
    sets = read_data_sets(data_dir, dtype=np.uint8, reshape=False, validation_size=2)
    assert sets.test.images.shape == (4, 28, 28, 1)
    assert sets.test.images.dtype == np.uint8
    assert _ids(sets.test.images) == [0, 1, 2, 3]


def test_accepts_dtype_objects_with_as_numpy_dtype(data_dir):
    class FakeDType:
        base_dtype = None
        as_numpy_dtype = np.uint8

    fake = FakeDType()
    fake.base_dtype = fake
    sets = read_data_sets(data_dir, dtype=fake, validation_size=0)
    assert sets.train.images.dtype == np.uint8


def test_invalid_dtype_and_validation_size(data_dir):
    with pytest.raises(TypeError, match="expected uint8 or float32"):
        read_data_sets(data_dir, dtype=np.float64, validation_size=2)
    with pytest.raises(ValueError, match="between 0 and 12. Received: 13"):
        read_data_sets(data_dir, validation_size=13)


def test_missing_files(tmp_path):
    with pytest.raises(DatasetNotFoundError, match="apt-get install dataset-fashion-mnist"):
        read_data_sets(tmp_path)


def test_source_url_downloads_missing_files(tmp_path, monkeypatch):
    server = tmp_path / "server"
    server.mkdir()
    _write_split(server, "train", 6)
    _write_split(server, "t10k", 2)
    pages = {"http://mirror/" + name: (server / name).read_bytes() for name in os.listdir(server)}
    monkeypatch.setattr(urllib.request, "urlopen", lambda url, timeout=None: io.BytesIO(pages[url]))
    target = tmp_path / "data"
    sets = read_data_sets(target, validation_size=1, source_url="http://mirror/")
    assert [s.num_examples for s in sets] == [5, 1, 2]
    assert sorted(os.listdir(target)) == sorted(os.listdir(server))


def test_next_batch_without_shuffle_wraps_epochs():
    ds = _dataset(5)
    batches = [ds.next_batch(2, shuffle=False) for _ in range(4)]
    assert [_ids(x) for x, _ in batches] == [[0, 1], [2, 3], [4, 0], [1, 2]]
    assert [y.tolist() for _, y in batches] == [[0, 1], [2, 3], [4, 0], [1, 2]]
    assert ds.epochs_completed == 1


def test_epoch_is_counted_lazily_at_exact_end():
    ds = _dataset(4)
    ds.next_batch(2, shuffle=False)
    ds.next_batch(2, shuffle=False)
    assert ds.epochs_completed == 0  # reached the end exactly: not counted yet (as TF1)
    images, _ = ds.next_batch(2, shuffle=False)
    assert ds.epochs_completed == 1
    assert _ids(images) == [0, 1]


def test_shuffled_epochs_are_permutations_and_labels_follow():
    ds = _dataset(6, seed=3)
    for _ in range(3):
        first, second = ds.next_batch(3), ds.next_batch(3)
        ids = _ids(first[0]) + _ids(second[0])
        assert sorted(ids) == list(range(6))
        assert first[1].tolist() + second[1].tolist() == ids


def test_partial_batch_is_rest_of_epoch_then_new_epoch():
    ds = _dataset(5, seed=0)
    head, _ = ds.next_batch(3)
    crossing, labels = ds.next_batch(3)
    assert ds.epochs_completed == 1
    rest = sorted(set(range(5)) - set(_ids(head)))
    assert sorted(_ids(crossing)[:2]) == rest  # the two unseen examples first
    assert len(crossing) == 3 and _ids(crossing) == labels.tolist()
    # The new epoch continues from the reshuffled data after its first example.
    tail, _ = ds.next_batch(4)
    new_epoch = _ids(crossing)[2:] + _ids(tail)
    assert sorted(new_epoch) == list(range(5))


def test_first_shuffle_matches_tf1_permutation():
    """TF1 seeds numpy with the seed and shuffles arange(n) before the first batch."""
    perm = np.arange(8)
    np.random.RandomState(42).shuffle(perm)
    ds = _dataset(8, seed=42)
    images, _ = ds.next_batch(8)
    assert _ids(images) == perm.tolist()
    assert _ids(_dataset(8, seed=42).next_batch(8)[0]) == perm.tolist()  # reproducible


def test_shuffle_does_not_touch_global_numpy_state():
    np.random.seed(0)
    expected = np.random.rand()
    np.random.seed(0)
    _dataset(8, seed=1).next_batch(3)
    assert np.random.rand() == expected


def test_images_labels_mismatch():
    with pytest.raises(ValueError, match="labels.shape"):
        DataSet(np.zeros((3, 28, 28, 1), np.uint8), np.zeros(2))


def test_fake_data():
    sets = read_data_sets("unused", fake_data=True, one_hot=True)
    assert sets.train.num_examples == 10000
    images, labels = sets.train.next_batch(3, fake_data=True)
    assert len(images) == 3 and len(images[0]) == 784
    assert labels[0] == [1] + [0] * 9


def test_dense_to_one_hot():
    np.testing.assert_array_equal(
        dense_to_one_hot(np.array([2, 0, 1], np.uint8), 3),
        [[0, 0, 1], [1, 0, 0], [0, 1, 0]],
    )


@pytest.mark.skipif(
    not os.path.isdir("/usr/share/datasets/fashion-mnist"), reason="Fashion-MNIST not installed"
)
def test_real_fashion_mnist_read_data_sets():
    sets = read_data_sets("/usr/share/datasets/fashion-mnist", one_hot=True, seed=1)
    assert [s.num_examples for s in sets] == [55000, 5000, 10000]
    images, labels = sets.train.next_batch(100)
    assert images.shape == (100, 784) and labels.shape == (100, 10)
    assert images.dtype == np.float32 and images.max() <= 1.0
