"""tf.keras against real TensorFlow's Keras (tf_keras in TF1 graph mode): every case of
keras_cases.py, built and run by tensorflux, must give the fixtures' layer/variable/tensor names,
shapes, parameter counts, summary rows, outputs and training histories (fixtures made by
tools/fixtures/gen_keras.py)."""

import json
import os
import re
import sys

import numpy as np
import pytest

import tensorflux as tf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import keras_cases  # noqa: E402

FIXTURES = os.path.join(HERE, "..", "fixtures", "keras")
RTOL, ATOL = 1e-4, 1e-5


def load_fixture(name):
    with open(os.path.join(FIXTURES, name + ".json")) as f:
        meta = json.load(f)
    with np.load(os.path.join(FIXTURES, name + ".npz")) as z:
        arrays = {k: z[k] for k in z.files}
    return meta, arrays


def compare_arrays(got, want):
    assert sorted(got) == sorted(want)
    for key in sorted(want):
        np.testing.assert_allclose(np.asarray(got[key]), want[key], rtol=RTOL, atol=ATOL,
                                   err_msg=key)


@pytest.mark.parametrize("name", sorted(keras_cases.LAYERS))
def test_layer_matches_tf(name):
    want_meta, want = load_fixture(name)
    got_meta, got = keras_cases.run_case(tf, name)
    assert got_meta == want_meta
    compare_arrays(got, want)


def test_names_and_reuse_match_tf():
    want, _ = load_fixture("names_and_reuse")
    got, _ = keras_cases.run_case(tf, "names_and_reuse")
    assert got == want


def _totals(lines):
    """`[total, trainable, non-trainable]` from the summary's count lines (any layout)."""
    return [int(re.search(r"params: ([\d,]+)", ln).group(1).replace(",", "")) for ln in lines]


@pytest.mark.parametrize("name", ["sequential_summary", "functional_summary"])
def test_summary_matches_tf(name):
    want, _ = load_fixture(name)
    got, _ = keras_cases.run_case(tf, name)
    assert _totals(got.pop("total")) == _totals(want.pop("total"))
    assert got == want


@pytest.mark.parametrize("name", ["fit_sgd", "fit_sgd_momentum_batchnorm", "fit_adam"])
def test_fit_matches_tf(name):
    want_meta, want = load_fixture(name)
    got_meta, got = keras_cases.run_case(tf, name)
    assert got_meta == want_meta
    compare_arrays(got, want)


def test_every_case_has_a_fixture():
    names = {f[:-5] for f in os.listdir(FIXTURES) if f.endswith(".json")}
    assert set(keras_cases.ALL) <= names
