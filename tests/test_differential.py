"""Differential tests: tensorflux against fixtures recorded from real TensorFlow.

tools/fixtures/gen_core.py ran each snippet with TensorFlow (`tf.compat.v1`, v2 behaviour off)
and wrote tests/fixtures/core/{values,names,shapes,errors}.json; here the same snippets run with
`tensorflux as tf` and must give the same values and gradients, op names, static shapes, and
exception classes (with messages matching each case's `match`). See the generator's docstring
to add cases.
"""

import json
import os
import re

import numpy as np
import pytest

import tensorflux as tf

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "core")

# Cases where tensorflux knowingly differs from TF, with the reason (checked to still fail).
KNOWN_DIFFERENCES = {
    "graph/control_dependencies": "tf.identity(variable) makes a fresh read op ('read') so that "
                                  "it runs after the control inputs; TF reuses the variable's "
                                  "snapshot (array_ops.identity)",
}


def _load(kind):
    with open(os.path.join(FIXTURES, kind + ".json")) as f:
        return json.load(f)["cases"]


def _params(kind):
    out = []
    for case in _load(kind):
        marks = ()
        if case["name"] in KNOWN_DIFFERENCES:
            marks = pytest.mark.xfail(reason=KNOWN_DIFFERENCES[case["name"]], strict=True)
        out.append(pytest.param(case, id=case["name"], marks=marks))
    return out


def _decode(enc):
    if enc is None:
        return None
    if enc["dtype"] == "string":
        return np.array([s.encode() for s in enc["data"]], dtype=object).reshape(enc["shape"])
    data = [float(v) if isinstance(v, str) else v for v in enc["data"]]
    return np.array(data, dtype=enc["dtype"]).reshape(enc["shape"])


def _outputs(ns):
    return dict(ns["out"]) if "out" in ns else {"y": ns["y"]}


def _compare(got, want, rtol, atol, what):
    got = np.asarray(got)
    assert got.shape == want.shape, "%s: shape %s, TF has %s" % (what, got.shape, want.shape)
    assert got.dtype == want.dtype, "%s: dtype %s, TF has %s" % (what, got.dtype, want.dtype)
    if want.dtype.kind in "fc":
        np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, err_msg=what)
    else:
        np.testing.assert_array_equal(got, want, err_msg=what)


@pytest.mark.parametrize("case", _params("values"))
def test_values_and_gradients(case):
    inputs = {k: _decode(v) for k, v in case["inputs"].items()}
    rtol, atol = case["rtol"], case["atol"]
    g = tf.Graph()
    with g.as_default():
        phs = {k: tf.placeholder(tf.as_dtype(v.dtype), v.shape, name=k)
               for k, v in inputs.items()}
        ns = {"tf": tf, "np": np, **phs}
        exec(case["code"], ns)
        outs = _outputs(ns)
        feed = {phs[k]: v for k, v in inputs.items()}
        assert set(outs) == set(case["outputs"])
        with tf.Session(graph=g) as sess:
            got = sess.run(outs, feed)
            for k, want in case["outputs"].items():
                assert outs[k].dtype.base_dtype.name == want["dtype"], k
                _compare(got[k], _decode(want["value"]), rtol, atol, "output %r" % k)
                if "grads" not in want:
                    continue
                xs = list(want["grads"])
                gy = _decode(want["grad_ys"])
                grads = tf.gradients(outs[k], [phs[x] for x in xs], grad_ys=gy)
                for x, gr in zip(xs, grads):
                    expected = want["grads"][x]
                    what = "d %s / d %s" % (k, x)
                    if expected is None:
                        assert gr is None, "%s: TF has no gradient, tensorflux has one" % what
                        continue
                    assert gr is not None, "%s: tensorflux gives None, TF a value" % what
                    _compare(sess.run(gr, feed), _decode(expected), rtol, atol, what)


@pytest.mark.parametrize("case", _params("names"))
def test_names(case):
    g = tf.Graph()
    with g.as_default():
        ns = {"tf": tf, "np": np}
        exec(case["code"], ns)
        got_out = {k: v.name for k, v in ns.get("out", {}).items()}
        got_ops = [op.name for op in g.get_operations()]
    assert got_out == case["out"]
    want_ops = [name for name, _ in case["ops"]]
    missing = [n for n in want_ops if n not in set(got_ops)]
    extra = [n for n in got_ops if n not in set(want_ops)]
    assert not missing and not extra, "ops missing: %s\nops TF does not create: %s" % (
        missing, extra)
    assert got_ops == want_ops, "same ops, different creation order"


@pytest.mark.parametrize("case", _params("shapes"))
def test_static_shapes(case):
    g = tf.Graph()
    with g.as_default():
        ns = {"tf": tf, "np": np}
        exec(case["code"], ns)
        got = {}
        for k, t in ns["out"].items():
            s = t.shape
            got[k] = {"shape": None if s.ndims is None else s.as_list(),
                      "dtype": t.dtype.base_dtype.name}
    assert got == case["out"]


@pytest.mark.parametrize("case", _params("errors"))
def test_errors(case):
    g = tf.Graph()
    with g.as_default():
        ns = {"tf": tf, "np": np}
        with pytest.raises(Exception) as info:  # noqa: B017 - the class is checked below
            exec(case["code"], ns)
    e = info.value
    names = {cls.__name__ for cls in type(e).__mro__}
    assert case["error"] in names, "raised %s (%s); TF raised %s: %s" % (
        type(e).__name__, e, case["error"], case["message"])
    assert re.search(case["match"], str(e)), "message %r does not match %r (TF said %r)" % (
        str(e), case["match"], case["message"])


def test_fixtures_are_small_and_complete():
    total = sum(os.path.getsize(os.path.join(FIXTURES, f)) for f in os.listdir(FIXTURES))
    assert total < 1_000_000
    for kind in ("values", "names", "shapes", "errors"):
        assert len(_load(kind)) >= 5


def test_known_differences_name_real_cases():
    names = {c["name"] for kind in ("values", "names", "shapes", "errors") for c in _load(kind)}
    assert set(KNOWN_DIFFERENCES) <= names
