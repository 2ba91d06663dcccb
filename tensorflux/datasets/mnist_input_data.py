"""TF1's `input_data.read_data_sets`: MNIST-style IDX files as `DataSet`s with `next_batch`.

Mirrors `tensorflow/contrib/learn/python/learn/datasets/mnist.py` (the module behind
`tensorflow.examples.tutorials.mnist.input_data`), including its batching quirks:
the first call shuffles, an epoch ends lazily (a batch that reaches the last example
exactly does not count the epoch; the next call does), and a batch that crosses the
end of an epoch is the epoch's remainder followed by the head of the reshuffled data.

One deliberate difference: TF1 reseeds numpy's *global* generator in every `DataSet`
constructor; here each `DataSet` owns a `np.random.RandomState(seed)`, which yields the
same permutations for the training set without touching global state.
"""

import collections
import os

import numpy as np

from tensorflux.datasets.idx import DatasetNotFoundError, fetch, find_idx_file, read_idx

# TF1's default (a mirror of the original MNIST). Used only when passed as `source_url`:
# by default nothing is downloaded.
DEFAULT_SOURCE_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/"

TRAIN_IMAGES = "train-images-idx3-ubyte.gz"
TRAIN_LABELS = "train-labels-idx1-ubyte.gz"
TEST_IMAGES = "t10k-images-idx3-ubyte.gz"
TEST_LABELS = "t10k-labels-idx1-ubyte.gz"

Datasets = collections.namedtuple("Datasets", ["train", "validation", "test"])


def dense_to_one_hot(labels_dense, num_classes):
    """Converts class indices to one-hot rows (float64, as in TF1).

    Example:
        >>> dense_to_one_hot(np.array([2, 0]), 3)
        array([[0., 0., 1.],
               [1., 0., 0.]])
    """
    labels_dense = np.asarray(labels_dense)
    one_hot = np.zeros((labels_dense.shape[0], num_classes))
    one_hot[np.arange(labels_dense.shape[0]), labels_dense.ravel()] = 1
    return one_hot


def _numpy_dtype(dtype):
    """Accepts a numpy dtype, a dtype name, or a tensorflux/TF `DType`."""
    dtype = getattr(dtype, "base_dtype", dtype)
    dtype = getattr(dtype, "as_numpy_dtype", dtype)
    return np.dtype(dtype)


class DataSet:
    """One split of images and labels, served in (shuffled) mini-batches.

    Args:
        images: uint8 array `[num_examples, rows, cols, 1]` (or without the depth axis).
        labels: Array `[num_examples]` or one-hot `[num_examples, num_classes]`.
        fake_data: If true, ignore `images`/`labels` and serve constant fake examples.
        one_hot: Only used with `fake_data`: shape of the fake labels.
        dtype: `float32` rescales images to [0, 1]; `uint8` keeps [0, 255].
        reshape: If true, flatten each image to `rows * cols` values.
        seed: Seed of this data set's shuffling; None for a fresh random order.

    Raises:
        TypeError: If `dtype` is neither uint8 nor float32.
        ValueError: If images and labels differ in count, or `reshape` meets depth != 1.
    """

    def __init__(
        self,
        images,
        labels,
        fake_data=False,
        one_hot=False,
        dtype=np.float32,
        reshape=True,
        seed=None,
    ):
        self._rng = np.random.RandomState(seed)
        dtype = _numpy_dtype(dtype)
        if dtype not in (np.dtype(np.uint8), np.dtype(np.float32)):
            raise TypeError(f"Invalid image dtype {dtype!r}, expected uint8 or float32")
        self.one_hot = one_hot
        if fake_data:
            self._num_examples = 10000
        else:
            images, labels = np.asarray(images), np.asarray(labels)
            if images.shape[0] != labels.shape[0]:
                raise ValueError(f"images.shape: {images.shape} labels.shape: {labels.shape}")
            self._num_examples = images.shape[0]
            if reshape:
                if images.ndim == 4 and images.shape[3] != 1:
                    raise ValueError(f"reshape=True needs depth 1, images are {images.shape}")
                images = images.reshape(images.shape[0], int(np.prod(images.shape[1:])))
            if dtype == np.float32:
                # Multiply by the reciprocal, as TF1 does, for bit-identical pixels.
                images = np.multiply(images.astype(np.float32), 1.0 / 255.0)
        self._images = images
        self._labels = labels
        self._epochs_completed = 0
        self._index_in_epoch = 0

    @property
    def images(self):
        """All images, in the current (possibly shuffled) order."""
        return self._images

    @property
    def labels(self):
        """All labels, in the same order as `images`."""
        return self._labels

    @property
    def num_examples(self):
        """Number of examples in this split."""
        return self._num_examples

    @property
    def epochs_completed(self):
        """Epochs finished so far (counted when a batch first crosses an epoch's end)."""
        return self._epochs_completed

    def next_batch(self, batch_size, fake_data=False, shuffle=True):
        """Returns the next `batch_size` examples as `(images, labels)`.

        Example:
            >>> xs, ys = mnist.train.next_batch(100)  # doctest: +SKIP
            >>> xs.shape, ys.shape
            ((100, 784), (100,))
        """
        if fake_data:
            fake_image = [1] * 784
            fake_label = [1] + [0] * 9 if self.one_hot else 0
            return [fake_image] * batch_size, [fake_label] * batch_size
        start = self._index_in_epoch
        if self._epochs_completed == 0 and start == 0 and shuffle:
            self._shuffle()
        if start + batch_size <= self._num_examples:
            self._index_in_epoch += batch_size
            end = self._index_in_epoch
            return self._images[start:end], self._labels[start:end]
        # The batch crosses the end of the epoch: take what is left, reshuffle, top up.
        self._epochs_completed += 1
        images_rest = self._images[start : self._num_examples]
        labels_rest = self._labels[start : self._num_examples]
        if shuffle:
            self._shuffle()
        self._index_in_epoch = batch_size - (self._num_examples - start)
        end = self._index_in_epoch
        images = np.concatenate((images_rest, self._images[:end]), axis=0)
        labels = np.concatenate((labels_rest, self._labels[:end]), axis=0)
        return images, labels

    def _shuffle(self):
        perm = np.arange(self._num_examples)
        self._rng.shuffle(perm)
        self._images = self._images[perm]
        self._labels = self._labels[perm]


def read_data_sets(
    train_dir,
    fake_data=False,
    one_hot=False,
    dtype=np.float32,
    reshape=True,
    validation_size=5000,
    seed=None,
    source_url=None,
):
    """Reads the four MNIST-style IDX files in `train_dir` into train/validation/test.

    Works for MNIST and Fashion-MNIST alike (e.g. `/usr/share/datasets/fashion-mnist`).
    Files may be gzipped or not. The validation split is the first
    `validation_size` training examples, as in TF1.

    Args:
        train_dir: Folder holding `train-images-idx3-ubyte.gz` and its three siblings.
        fake_data: If true, return fake data sets and read nothing.
        one_hot: If true, labels are float64 one-hot rows of 10 classes.
        dtype: `float32` (images in [0, 1]) or `uint8` (images in [0, 255]).
        reshape: If true, images are `[N, 784]`; else `[N, 28, 28, 1]`.
        validation_size: Training examples moved to the validation split.
        seed: Shuffling seed for each split.
        source_url: Base URL to download missing files from. Unlike TF1 the default
            is None, which never downloads; TF1's own is `DEFAULT_SOURCE_URL`.

    Returns:
        `Datasets(train, validation, test)` of `DataSet`s.

    Raises:
        DatasetNotFoundError: If a file is missing and `source_url` is None.
        ValueError: If a file is corrupt or `validation_size` is out of range.

    Example:
        >>> mnist = read_data_sets("fashion-mnist", one_hot=True)  # doctest: +SKIP
        >>> mnist.train.num_examples, mnist.validation.num_examples, mnist.test.num_examples
        (55000, 5000, 10000)
    """
    if fake_data:

        def fake():
            return DataSet([], [], fake_data=True, one_hot=one_hot, dtype=dtype, seed=seed)

        return Datasets(train=fake(), validation=fake(), test=fake())

    train_dir = os.fspath(train_dir)
    paths = _find_files(train_dir, source_url)
    train_images = _images(paths[TRAIN_IMAGES])
    train_labels = _labels(paths[TRAIN_LABELS], one_hot)
    test_images = _images(paths[TEST_IMAGES])
    test_labels = _labels(paths[TEST_LABELS], one_hot)

    if not 0 <= validation_size <= len(train_images):
        raise ValueError(
            f"Validation size should be between 0 and {len(train_images)}. "
            f"Received: {validation_size}."
        )
    options = dict(dtype=dtype, reshape=reshape, seed=seed)
    validation = DataSet(train_images[:validation_size], train_labels[:validation_size], **options)
    train = DataSet(train_images[validation_size:], train_labels[validation_size:], **options)
    test = DataSet(test_images, test_labels, **options)
    return Datasets(train=train, validation=validation, test=test)


def _find_files(train_dir, source_url):
    names = (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)
    paths = {}
    for name in names:
        path = find_idx_file(train_dir, name)
        if path is None and source_url:
            path = fetch(source_url + name, os.path.join(train_dir, name))
        paths[name] = path
    missing = [name for name in names if paths[name] is None]
    if missing:
        raise DatasetNotFoundError(
            f"MNIST-style IDX files not found in {train_dir} (missing: {', '.join(missing)}).\n"
            "Put the four files there (gzipped or not), or pass source_url=BASE_URL to\n"
            "download them. For Fashion-MNIST on Debian/Ubuntu:\n"
            "  sudo apt-get install dataset-fashion-mnist\n"
            "then use train_dir='/usr/share/datasets/fashion-mnist'; or download the files\n"
            "from https://github.com/zalandoresearch/fashion-mnist (folder data/fashion/)."
        )
    return paths


def _images(path):
    images = read_idx(path)
    if images.ndim != 3:
        raise ValueError(f"{path}: expected images of rank 3, got shape {images.shape}")
    return images[..., np.newaxis]  # [index, y, x, depth], as TF1's extract_images.


def _labels(path, one_hot):
    labels = read_idx(path)
    if labels.ndim != 1:
        raise ValueError(f"{path}: expected labels of rank 1, got shape {labels.shape}")
    return dense_to_one_hot(labels, 10) if one_hot else labels
