"""tf.math extras and tf.linalg helpers against real TensorFlow: every case of
tools/fixtures/gen_math_ops.py (xlogy/xdivy/no_nan ops, special functions, bincount, unsorted
segment reductions, composites, norms).

Each case is rebuilt with tensorflux from `cases.json` and compared with what TensorFlow
recorded: output tensor names, static shapes, dtypes, values, gradients for the recorded upstream
gradients, and for error cases the exception class and message.
"""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "math_ops")

with open(os.path.join(FIXTURES, "cases.json")) as _f:
    CASES = json.load(_f)["cases"]
ARRAYS = dict(np.load(os.path.join(FIXTURES, "arrays.npz")))

# TF 2 builds bincount from its DenseBincount op; tensorflux keeps TF 1.x's Bincount op.
TF1_NAMES = {c["name"]: ["bincount/Bincount:0"] for c in CASES
             if c["name"].startswith("bincount") and not c["error"]}
# TF 2 reworded some messages; tensorflux keeps TF 1.x's: case -> what our message contains.
TF1_MESSAGES = {
    "matrix_transpose_rank1": "Argument 'a' should be a (batch) matrix, with rank >= 2.  "
                              "Found: (3,)",
    "multiply_no_nan_dtypes": "Tensor conversion requested dtype float32 for Tensor with dtype "
                              "float64",
    "polyval_not_list": "Argument coeffs must be list type found <class 'tuple'>",
}


def _build(spec):
    phs, feed = [], {}
    for k, dtype in spec["inputs"].items():
        value = ARRAYS["%s/in/%s" % (spec["name"], k)]
        p = tf.placeholder(dtype, value.shape, name=k)
        phs.append(p)
        feed[p] = value
    fn = eval(spec["code"], {"tf": tf, "np": np})  # noqa: S307 - the fixture's case table
    return phs, feed, fn


def _outputs(out):
    return list(out) if isinstance(out, (list, tuple)) else [out]


@pytest.mark.parametrize("spec", [c for c in CASES if not c["error"]],
                         ids=[c["name"] for c in CASES if not c["error"]])
def test_case_matches_tf(spec):
    name = spec["name"]
    phs, feed, fn = _build(spec)
    outs = _outputs(fn(*phs))
    assert [t.name for t in outs] == TF1_NAMES.get(name, spec["names"])
    assert [None if t.shape.ndims is None else t.shape.as_list() for t in outs] == \
        spec["shapes"]
    assert [t.dtype.name for t in outs] == spec["dtypes"]
    with tf.Session() as sess:
        for i, v in enumerate(sess.run(outs, feed)):
            want = ARRAYS["%s/out%d" % (name, i)]
            assert np.asarray(v).dtype == want.dtype, (i, np.asarray(v).dtype, want.dtype)
            tol = 1e-6 if want.dtype == np.float32 else 1e-12
            np.testing.assert_allclose(v, want, rtol=tol, atol=tol)
        if "grad_inputs" in spec:
            gys = [ARRAYS["%s/gy%d" % (name, i)] for i in range(len(outs))]
            xs = [p for k, p in zip(spec["inputs"], phs) if k in spec["grad_inputs"]]
            grads = sess.run(tf.gradients(outs, xs, grad_ys=gys), feed)
            for k, got in zip(spec["grad_inputs"], grads):
                want = ARRAYS["%s/grad/%s" % (name, k)]
                np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10, err_msg=k)


@pytest.mark.parametrize("spec", [c for c in CASES if c["error"]],
                         ids=[c["name"] for c in CASES if c["error"]])
def test_error_matches_tf(spec):
    phs, feed, fn = _build(spec)
    with pytest.raises(Exception) as info:
        out = fn(*phs)
        with tf.Session() as sess:
            sess.run(out, feed)
    assert type(info.value).__name__ == spec["exception"]
    want = TF1_MESSAGES.get(spec["name"], spec["message"]).rstrip(".")
    assert want in str(info.value)
