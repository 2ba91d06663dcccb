"""tf.layers against real TensorFlow: every case of layer_cases.py, built and run by tensorflux,
must give TF's variable names/shapes, output names/shapes, collections and values (fixtures
made by tools/fixtures/gen_layers.py)."""

import json
import os
import sys

import numpy as np
import pytest

import tensorflux as tf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import layer_cases  # noqa: E402

FIXTURES = os.path.join(HERE, "..", "fixtures", "layers")
RTOL, ATOL = 1e-5, 1e-5


def load_fixture(name):
    with open(os.path.join(FIXTURES, name + ".json")) as f:
        meta = json.load(f)
    with np.load(os.path.join(FIXTURES, name + ".npz")) as z:
        arrays = {k: z[k] for k in z.files}
    return meta, arrays


def compare(name, run_case):
    want_meta, want = load_fixture(name)
    got_meta, got = run_case(name, "run_error" not in want_meta)
    assert got_meta["variables"] == want_meta["variables"]
    assert got_meta["outputs"] == want_meta["outputs"]
    assert got_meta["n_update_ops"] == want_meta["n_update_ops"]
    assert got_meta["meta"] == want_meta["meta"]
    assert len(got_meta["regularization_losses"]) == len(want_meta["regularization_losses"])
    assert sorted(got) == sorted(want)
    for key in sorted(want):
        w, g = want[key], got[key]
        assert g.shape == w.shape, key
        if w.dtype == bool:
            np.testing.assert_array_equal(g, w, err_msg=key)
        else:
            np.testing.assert_allclose(g, w, rtol=RTOL, atol=ATOL, err_msg=key)
    return got_meta, want_meta


@pytest.mark.parametrize("name", sorted(layer_cases.CASES))
def test_case_matches_tf(name):
    compare(name, lambda n, run: layer_cases.run_case(tf, n, run))


def test_regularization_loss_names_match_tf():
    got, want = compare("trainable_and_regularizers",
                        lambda n, run: layer_cases.run_case(tf, n, run))
    assert got["regularization_losses"] == want["regularization_losses"]


def test_every_case_has_a_fixture():
    names = {f[:-5] for f in os.listdir(FIXTURES) if f.endswith(".json")}
    assert set(layer_cases.CASES) <= names
