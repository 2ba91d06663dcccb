"""The 8x8 digits data set (1,797 images) read from the copy bundled with scikit-learn."""

import gzip
import importlib.util
import os

import numpy as np

NUM_EXAMPLES = 1797


def digits_csv_path():
    """Returns the path of scikit-learn's `digits.csv.gz`, without importing scikit-learn.

    Raises:
        ImportError: If scikit-learn is not installed or lacks the file.
    """
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(
            "load_digits reads the digits data bundled with scikit-learn, which is not "
            "installed: pip install scikit-learn"
        )
    for root in spec.submodule_search_locations:
        path = os.path.join(root, "datasets", "data", "digits.csv.gz")
        if os.path.isfile(path):
            return path
    raise ImportError(
        "scikit-learn is installed but its datasets/data/digits.csv.gz is missing; "
        "reinstall it: pip install --force-reinstall scikit-learn"
    )


def load_digits(path=None):
    """Loads the UCI optical digits (8x8 pixels, values 0..16) for quick tests.

    scikit-learn is an optional dependency: only its bundled CSV is read.

    Args:
        path: A `digits.csv.gz`-format file (65 comma-separated numbers per row,
            the last being the label). Defaults to scikit-learn's copy.

    Returns:
        `(images, labels)`: float32 `[1797, 8, 8]` and int64 `[1797]` in 0..9.

    Raises:
        ImportError: If `path` is None and scikit-learn is not installed.
        ValueError: If the file does not have 65 columns.

    Example:
        >>> images, labels = load_digits()  # doctest: +SKIP
        >>> images.shape, labels[:5]
        ((1797, 8, 8), array([0, 1, 2, 3, 4]))
    """
    path = digits_csv_path() if path is None else os.fspath(path)
    with gzip.open(path, "rt") as f:
        data = np.loadtxt(f, delimiter=",", ndmin=2)
    if data.shape[1] != 65:
        raise ValueError(f"{path}: expected 65 columns (64 pixels + label), got {data.shape[1]}")
    images = data[:, :-1].astype(np.float32).reshape(-1, 8, 8)
    labels = data[:, -1].astype(np.int64)
    return images, labels
