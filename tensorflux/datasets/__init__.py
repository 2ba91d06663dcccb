"""Data sets read from local files (no downloads by default): Fashion-MNIST, MNIST, digits."""

from tensorflux.datasets import digits, fashion_mnist, idx, mnist_input_data
from tensorflux.datasets.idx import DatasetNotFoundError, read_idx, write_idx

__all__ = [
    "DatasetNotFoundError",
    "digits",
    "fashion_mnist",
    "idx",
    "mnist_input_data",
    "read_idx",
    "write_idx",
]
