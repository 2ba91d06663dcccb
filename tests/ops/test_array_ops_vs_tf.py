"""Array ops against real TensorFlow: every case of tools/fixtures/gen_array_ops.py.

Each case is rebuilt with tensorflux from `cases.json` and compared with what TensorFlow
recorded: output tensor names, static shapes (with unknown dims), dtypes, values, the gradient
for the recorded upstream gradients, and for error cases the exception class and message.
"""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "array_ops")

with open(os.path.join(FIXTURES, "cases.json")) as _f:
    CASES = json.load(_f)["cases"]
ARRAYS = dict(np.load(os.path.join(FIXTURES, "arrays.npz")))

# Where TensorFlow 2's compat.v1 builds an op differently from TF 1.x, tensorflux keeps the
# TF 1.x op (and so its name): case -> the names tensorflux gives.
TF1_NAMES = {
    # TF 1.x: one LinSpace op; TF 2: a composite ending in Slice.
    "linspace": ["LinSpace:0"],
}
# TF 2 reworded some messages; tensorflux keeps TF 1.x's: case -> what our message contains.
TF1_MESSAGES = {}


def _build(spec):
    x = tf.placeholder(spec["dtype"], spec["static"], name="x")
    fn = eval(spec["code"], {"tf": tf, "np": np})  # noqa: S307 - the fixture's case table
    return x, fn


@pytest.mark.parametrize("spec", [c for c in CASES if not c.get("error")],
                         ids=[c["name"] for c in CASES if not c.get("error")])
def test_case_matches_tf(spec):
    name = spec["name"]
    x, fn = _build(spec)
    out = fn(x)
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    assert [t.name for t in outs] == TF1_NAMES.get(name, spec["names"])
    assert [None if t.shape.ndims is None else t.shape.as_list() for t in outs] == \
        spec["shapes"]
    assert [t.dtype.name for t in outs] == spec["dtypes"]
    xv = ARRAYS[name + "/x"]
    with tf.Session() as sess:
        vals = sess.run(outs, {x: xv})
        for i, v in enumerate(vals):
            want = ARRAYS["%s/out%d" % (name, i)]
            assert np.asarray(v).dtype == want.dtype, (i, np.asarray(v).dtype, want.dtype)
            np.testing.assert_allclose(v, want, rtol=1e-6, atol=1e-6)
        if spec["grad"]:
            floats = spec["grad_outputs"]
            gys = [ARRAYS["%s/gy%d" % (name, k)] for k in floats]
            grad = tf.gradients([outs[k] for k in floats], x, grad_ys=gys)[0]
            got = sess.run(tf.convert_to_tensor(grad), {x: xv})
            np.testing.assert_allclose(got, ARRAYS[name + "/grad"], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("spec", [c for c in CASES if c.get("error")],
                         ids=[c["name"] for c in CASES if c.get("error")])
def test_error_matches_tf(spec):
    x, fn = _build(spec)
    with pytest.raises(Exception) as info:
        fn(x)
    assert type(info.value).__name__ == spec["exception"]
    # tensorflux appends " for '<op>' (op: ...)" after the message without its final period.
    want = TF1_MESSAGES.get(spec["name"], spec["message"]).rstrip(".")
    assert want in str(info.value)
