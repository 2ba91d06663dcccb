"""Reads and checks fixtures written by tools/fixtures/lambda_cases.py (shared by the tests of
the math extras, linear algebra, array extras and scatter ops).

    from lambda_cases import load, check_case, check_error

    CASES, ARRAYS = load("linalg")
    check_case(spec, ARRAYS, names=spec["names"], tol=lambda dtype: 1e-5)

Each case is rebuilt with tensorflux (the recorded lambda over placeholders fed the recorded
inputs) and compared with what TensorFlow recorded: output names, static shapes, dtypes,
values, the variables' names and values after the run (cases that recorded them), gradients
for the recorded upstream gradients, and for error cases the exception class and message.
"""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")


def load(area):
    """(cases, arrays) of tests/fixtures/<area>/."""
    with open(os.path.join(FIXTURES, area, "cases.json")) as f:
        cases = json.load(f)["cases"]
    return cases, dict(np.load(os.path.join(FIXTURES, area, "arrays.npz")))


def build_case(spec, arrays):
    """(placeholders, feed, the case's lambda) for a fixture case."""
    phs, feed = [], {}
    for k, dtype in spec["inputs"].items():
        value = arrays["%s/in/%s" % (spec["name"], k)]
        p = tf.placeholder(dtype, value.shape, name=k)
        phs.append(p)
        feed[p] = value
    fn = eval(spec["code"], {"tf": tf, "np": np})  # noqa: S307 - the fixture's case table
    return phs, feed, fn


def outputs(out):
    return list(out) if isinstance(out, (list, tuple)) else [out]


def check_case(spec, arrays, names, tol, grad_tol=lambda dtype: 1e-10):
    """Builds and runs one recorded case; asserts it matches what TensorFlow recorded.

    `names`: the expected output names (None: not compared); `tol(dtype)` and `grad_tol(dtype)`:
    the tolerances (relative and absolute) of outputs and gradients of that dtype.
    """
    name = spec["name"]
    phs, feed, fn = build_case(spec, arrays)
    outs = outputs(fn(*phs))
    if names is not None:
        assert [t.name for t in outs] == names
    assert [None if t.shape.ndims is None else t.shape.as_list() for t in outs] == \
        spec["shapes"]
    assert [t.dtype.base_dtype.name for t in outs] == spec["dtypes"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i, v in enumerate(sess.run(outs, feed)):
            want = arrays["%s/out%d" % (name, i)]
            assert np.asarray(v).dtype == want.dtype, (i, np.asarray(v).dtype, want.dtype)
            np.testing.assert_allclose(v, want, rtol=tol(want.dtype), atol=tol(want.dtype))
        if "var_names" in spec:
            variables = tf.global_variables()
            assert [v.name for v in variables] == spec["var_names"]
            for i, v in enumerate(sess.run(variables)):
                np.testing.assert_allclose(v, arrays["%s/var%d" % (name, i)], rtol=1e-6)
        if "grad_inputs" in spec:
            gys = [arrays["%s/gy%d" % (name, i)] for i in range(len(outs))]
            xs = [p for k, p in zip(spec["inputs"], phs) if k in spec["grad_inputs"]]
            grads = tf.gradients(outs, xs, grad_ys=gys)
            grads = sess.run([tf.convert_to_tensor(g) for g in grads], feed)  # dense slices
            for k, got in zip(spec["grad_inputs"], grads):
                want = arrays["%s/grad/%s" % (name, k)]
                t = grad_tol(want.dtype)
                np.testing.assert_allclose(got, want, rtol=t, atol=t, err_msg=k)


def check_error(spec, arrays, message):
    """Asserts the case raises TensorFlow's exception class with `message` in its text."""
    phs, feed, fn = build_case(spec, arrays)
    with pytest.raises(Exception) as info:
        out = fn(*phs)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(out, feed)
    assert type(info.value).__name__ == spec["exception"]
    assert message.rstrip(".") in str(info.value)
