"""TF-Slim's library against real TF-Slim: every case of slim_cases.py (separable and transposed
convolutions, repeat/stack, the small layers, layer_norm, end points, the variable helpers,
slim.losses) must give TF-Slim's variables, outputs (names, shapes, values), collections and
facts (fixtures made by tools/fixtures/gen_slim.py)."""

import json
import os
import sys

import numpy as np
import pytest

import tensorflux as tf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import slim_cases  # noqa: E402

FIXTURES = os.path.join(HERE, "..", "fixtures", "slim", "lib")


def load_fixture(name):
    with open(os.path.join(FIXTURES, name + ".json")) as f:
        meta = json.load(f)
    with np.load(os.path.join(FIXTURES, name + ".npz")) as z:
        arrays = {k: z[k] for k in z.files}
    return meta, arrays


@pytest.mark.parametrize("name", sorted(slim_cases.CASES))
def test_case_matches_tf_slim(name):
    want_meta, want = load_fixture(name)
    got_meta, got = slim_cases.run_case(tf, tf.contrib.slim, name)
    assert got_meta["variables"] == want_meta["variables"]
    assert got_meta["model_variables"] == want_meta["model_variables"]
    assert got_meta["outputs"] == want_meta["outputs"]
    assert got_meta["meta"] == want_meta["meta"]
    assert got_meta["n_update_ops"] == want_meta["n_update_ops"]
    assert got_meta["regularization_losses"] == want_meta["regularization_losses"]
    assert sorted(got) == sorted(want)
    for key in sorted(want):
        np.testing.assert_allclose(got[key], want[key], rtol=1e-5, atol=1e-5, err_msg=key)


def test_every_case_has_a_fixture():
    names = {f[:-5] for f in os.listdir(FIXTURES) if f.endswith(".json")}
    assert set(slim_cases.CASES) == names
