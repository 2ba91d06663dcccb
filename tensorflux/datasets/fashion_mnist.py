"""Fashion-MNIST loader with the contract of `tf.keras.datasets.fashion_mnist.load_data`."""

import os

from tensorflux.datasets.idx import DatasetNotFoundError, fetch, find_idx_file, read_idx

DEBIAN_DIR = "/usr/share/datasets/fashion-mnist"
DATA_DIR_ENV = "TENSORFLUX_DATA_DIR"

TRAIN_IMAGES = "train-images-idx3-ubyte.gz"
TRAIN_LABELS = "train-labels-idx1-ubyte.gz"
TEST_IMAGES = "t10k-images-idx3-ubyte.gz"
TEST_LABELS = "t10k-labels-idx1-ubyte.gz"
FILES = (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)

# Mirrors tried in order; the MD5s are of the .gz files, as published by Zalando.
MIRRORS = (
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
)
MD5 = {
    TRAIN_IMAGES: "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
    TRAIN_LABELS: "25c81989df183df01b3e8a0aad5dffbe",
    TEST_IMAGES: "bef4ecab320f06d8554ea6380940ec79",
    TEST_LABELS: "bb300cfdad3c16e7a12a480ee83cd310",
}

CLASS_NAMES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip


def default_data_dir():
    """Returns `$TENSORFLUX_DATA_DIR/fashion-mnist` if that is set, else the Debian path."""
    root = os.environ.get(DATA_DIR_ENV)
    if root:
        return os.path.join(root, "fashion-mnist")
    return DEBIAN_DIR


def missing_data_message(data_dir, missing):
    """Returns the text that tells a user how to get the data into `data_dir`."""
    names = ", ".join(missing)
    return (
        f"Fashion-MNIST not found in {data_dir} (missing: {names}).\n"
        "To get it, either:\n"
        "  * on Debian/Ubuntu: sudo apt-get install dataset-fashion-mnist\n"
        f"    (installs the files into {DEBIAN_DIR}, the default location), or\n"
        "  * download the four files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,\n"
        "    t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz from the original Zalando\n"
        "    repository, https://github.com/zalandoresearch/fashion-mnist (folder data/fashion/),\n"
        "    into a folder and pass --data-dir FOLDER (or load_data(data_dir=FOLDER), or set\n"
        f"    {DATA_DIR_ENV} to a folder holding a fashion-mnist/ subfolder).\n"
        "  * or call tensorflux.datasets.fashion_mnist.download(FOLDER) where the network\n"
        "    is reachable."
    )


def load_data(data_dir=None):
    """Loads Fashion-MNIST from the original IDX files on disk.

    Same return value as `tf.keras.datasets.fashion_mnist.load_data()`, but
    nothing is downloaded: the files must already be in `data_dir` (gzipped
    or not). Labels index `CLASS_NAMES`.

    Args:
        data_dir: Folder holding the four IDX files. Defaults to
            `$TENSORFLUX_DATA_DIR/fashion-mnist` when that variable is set, else
            `/usr/share/datasets/fashion-mnist` (Debian's `dataset-fashion-mnist`).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 arrays of shapes
        (60000, 28, 28), (60000,), (10000, 28, 28) and (10000,); labels are 0..9.

    Raises:
        DatasetNotFoundError: If any file is missing; the message says how to get them.
        ValueError: If a file is corrupt, or images and labels do not match.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = load_data()  # doctest: +SKIP
        >>> x_train.shape, y_train[:3]
        ((60000, 28, 28), array([9, 0, 0], dtype=uint8))
    """
    data_dir = os.fspath(data_dir) if data_dir is not None else default_data_dir()
    paths = {name: find_idx_file(data_dir, name) for name in FILES}
    missing = [name for name, path in paths.items() if path is None]
    if missing:
        raise DatasetNotFoundError(missing_data_message(data_dir, missing))
    train = _load_split(paths[TRAIN_IMAGES], paths[TRAIN_LABELS])
    test = _load_split(paths[TEST_IMAGES], paths[TEST_LABELS])
    return train, test


def download(data_dir, mirrors=MIRRORS):
    """Downloads the four Fashion-MNIST files into `data_dir`, skipping those present.

    Each file is checked against Zalando's published MD5 and appears only once
    complete. (Tests never call this: the machines they run on are offline.)

    Args:
        data_dir: Destination folder, created if needed.
        mirrors: Base URLs to try in order, each ending with `/`.

    Returns:
        `data_dir`, ready for `load_data(data_dir)`.

    Raises:
        OSError: If a file could not be fetched from any mirror.
    """
    data_dir = os.fspath(data_dir)
    for name in FILES:
        if find_idx_file(data_dir, name) is None:
            fetch([base + name for base in mirrors], os.path.join(data_dir, name), md5=MD5[name])
    return data_dir


def _load_split(images_path, labels_path):
    images, labels = read_idx(images_path), read_idx(labels_path)
    if images.ndim != 3 or images.dtype.name != "uint8":
        raise ValueError(
            f"{images_path}: expected uint8 images of rank 3, got {images.dtype} {images.shape}"
        )
    if labels.ndim != 1 or labels.dtype.name != "uint8":
        raise ValueError(
            f"{labels_path}: expected uint8 labels of rank 1, got {labels.dtype} {labels.shape}"
        )
    if len(images) != len(labels):
        raise ValueError(
            f"{images_path} holds {len(images)} images but {labels_path} holds {len(labels)} labels"
        )
    return images, labels
