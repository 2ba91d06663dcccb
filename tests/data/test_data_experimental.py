"""tf.data.experimental pipelines against real TensorFlow (fixtures from
tools/fixtures/gen_data_experimental.py): structure, dtypes, static shapes, elements, fetched
values (cardinality, single elements), run-time errors and construction errors."""

import json
import os
import sys

import numpy as np
import pytest

import tensorflux as tf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import data_experimental_cases  # noqa: E402

with open(os.path.join(HERE, "..", "fixtures", "data_experimental", "cases.json")) as _f:
    CASES = json.load(_f)

# Messages that name TF 2's own classes: the error class only.
CLASS_ONLY = {"csv_dataset_exclude_cols", "single_element_not_dataset"}


def test_every_case_has_a_fixture():
    assert sorted(CASES) == sorted(data_experimental_cases.CASES)


def _same_values(got, want):
    assert len(got) == len(want), (got, want)
    for g, w in zip(got, want):
        if np.asarray(w).dtype.kind in "U" or isinstance(w, str):
            assert g == w
        else:
            np.testing.assert_allclose(np.asarray(g, dtype=np.float64),
                                       np.asarray(w, dtype=np.float64))
            assert np.shape(g) == np.shape(w)


def _same_error(name, got, want):
    if want is None:
        assert got is None
        return
    assert got is not None and got[:-1] == want[:-1], (got, want)
    if name not in CLASS_ONLY:
        assert got[-1] == want[-1]


@pytest.mark.parametrize("name", sorted(data_experimental_cases.CASES))
def test_case_matches_tensorflow(name):
    want = CASES[name]
    got = data_experimental_cases.record(tf, name)
    _same_error(name, got["build_error"], want["build_error"])
    assert got["structure"] == want["structure"]
    assert got["shapes"] == want["shapes"]
    assert len(got["elements"]) == len(want["elements"]), got["elements"]
    for g, w in zip(got["elements"], want["elements"]):
        _same_values(g, w)
    _same_error(name, got["error"], want["error"])
    if want["fetch"] is None:
        assert got["fetch"] is None
    else:
        assert sorted(got["fetch"]) == sorted(want["fetch"])
        for key, w in want["fetch"].items():
            g = got["fetch"][key]
            if isinstance(w, dict):
                assert isinstance(g, dict), (key, g)
                _same_error(name, g["error"], w["error"])
            else:
                _same_values(g, w)
