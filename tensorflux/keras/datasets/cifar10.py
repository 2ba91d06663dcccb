"""`tf.keras.datasets.cifar10`: CIFAR-10 from Keras' `cifar-10-batches-py` (downloaded into
`~/.keras/datasets` when missing: this one has no offline copy)."""

import os
import pickle
import tarfile

import numpy as np

from tensorflux.datasets import idx

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"


def _load_batch(path):
    with open(path, "rb") as f:
        batch = pickle.load(f, encoding="bytes")
    data = batch[b"data"].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return data, np.asarray(batch[b"labels"], dtype=np.uint8).reshape(-1, 1)


def load_data():
    """`(x_train, y_train), (x_test, y_test)`: uint8 images `(N, 32, 32, 3)`, labels `(N, 1)`.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = tf.keras.datasets.cifar10.load_data()
    """
    cache = os.path.join(os.path.expanduser("~"), ".keras", "datasets")
    folder = os.path.join(cache, "cifar-10-batches-py")
    if not os.path.isdir(folder):
        archive = idx.fetch(ORIGIN, os.path.join(cache, "cifar-10-python.tar.gz"))
        with tarfile.open(archive) as tar:
            tar.extractall(cache, filter="data")
    parts = [_load_batch(os.path.join(folder, "data_batch_%d" % i)) for i in range(1, 6)]
    x_train = np.concatenate([p[0] for p in parts])
    y_train = np.concatenate([p[1] for p in parts])
    x_test, y_test = _load_batch(os.path.join(folder, "test_batch"))
    return (x_train, y_train), (x_test, y_test)
