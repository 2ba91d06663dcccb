"""Tests for the scikit-learn digits loader (the real file only when scikit-learn is there)."""

import gzip
import importlib.util

import numpy as np
import pytest

from tensorflux.datasets import digits


def test_reads_csv_format(tmp_path):
    rows = [list(range(64)) + [3], [16] * 64 + [9]]
    path = tmp_path / "digits.csv.gz"
    with gzip.open(path, "wt") as f:
        for row in rows:
            f.write(",".join(f"{v:.1f}" for v in row) + "\n")
    images, labels = digits.load_digits(path)
    assert images.shape == (2, 8, 8) and images.dtype == np.float32
    assert labels.tolist() == [3, 9] and labels.dtype == np.int64
    assert images[0, 1, 0] == 8.0


def test_wrong_columns(tmp_path):
    path = tmp_path / "bad.csv.gz"
    with gzip.open(path, "wt") as f:
        f.write("1,2,3\n")
    with pytest.raises(ValueError, match="65 columns"):
        digits.load_digits(path)


def test_clear_import_error_without_sklearn(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "sklearn" else real(name)
    )
    with pytest.raises(ImportError, match="pip install scikit-learn"):
        digits.load_digits()


@pytest.mark.skipif(importlib.util.find_spec("sklearn") is None, reason="scikit-learn absent")
def test_real_digits():
    images, labels = digits.load_digits()
    assert images.shape == (1797, 8, 8) and images.dtype == np.float32
    assert labels.shape == (1797,) and set(labels.tolist()) == set(range(10))
    assert 0 <= images.min() and images.max() <= 16
