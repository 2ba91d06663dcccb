"""`tf.keras.datasets.mnist`: MNIST as Keras' `mnist.npz`, or as the four IDX files.

Looked for, in order: `path` (or `~/.keras/datasets/mnist.npz`), then the IDX files in
`$TENSORFLUX_DATA_DIR/mnist`; otherwise Keras' own download of `mnist.npz` is attempted.
"""

import os

import numpy as np

from tensorflux.datasets import idx

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
MD5 = "8a61469f7ea1b51cbae51d4f78837e45"
FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
         "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


def _from_idx(data_dir):
    paths = [idx.find_idx_file(data_dir, name) for name in FILES]
    if any(p is None for p in paths):
        return None
    x_train, y_train, x_test, y_test = (idx.read_idx(p) for p in paths)
    return (x_train, y_train), (x_test, y_test)


def load_data(path="mnist.npz"):
    """`(x_train, y_train), (x_test, y_test)`: uint8 images `(N, 28, 28)`, labels 0..9.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    """
    npz = path if os.path.isabs(path) else os.path.join(
        os.path.expanduser("~"), ".keras", "datasets", path)
    if not os.path.isfile(npz):
        root = os.environ.get("TENSORFLUX_DATA_DIR")
        found = _from_idx(os.path.join(root, "mnist")) if root else None
        if found is not None:
            return found
        idx.fetch(ORIGIN, npz, md5=MD5)
    with np.load(npz, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
