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
# Output tensor names that differ from TF for reasons outside tf.layers: (case, key) -> reason.
NAME_GAPS = {
    ("flatten_and_dropout", "ns"): "tf.nn.dropout names its output op 'dropout', TF 2.21 "
                                   "'dropout/SelectV2'",
    ("flatten_and_dropout", "ns_none"): "tf.nn.dropout names its output op 'dropout', TF 2.21 "
                                        "'dropout/SelectV2'",
    ("slim_basic", "d_tr"): "tf.nn.dropout names its output op 'dropout', TF 2.21 "
                            "'dropout/SelectV2'",
}


def _outputs_without_gaps(name, outputs):
    return {k: v for k, v in outputs.items() if (name, k) not in NAME_GAPS}


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
    assert (_outputs_without_gaps(name, got_meta["outputs"])
            == _outputs_without_gaps(name, want_meta["outputs"]))
    for key in got_meta["outputs"]:
        assert got_meta["outputs"][key][1] == want_meta["outputs"][key][1], key
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


@pytest.mark.parametrize("case_key", sorted(NAME_GAPS))
def test_known_output_name_gaps(case_key):
    name, key = case_key
    want_meta, _ = load_fixture(name)
    if name in layer_cases.CASES:
        got_meta, _ = layer_cases.run_case(tf, name, False)
    else:
        import contrib_cases

        got_meta, _ = contrib_cases.run_case(tf, tf.contrib.slim, name, False)
    if got_meta["outputs"][key] != want_meta["outputs"][key]:
        pytest.xfail(NAME_GAPS[case_key])


def test_every_case_has_a_fixture():
    names = {f[:-5] for f in os.listdir(FIXTURES) if f.endswith(".json")}
    assert set(layer_cases.CASES) <= names
