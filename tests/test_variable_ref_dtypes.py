"""TF1 variables are reference tensors: VariableV2 and Assign* outputs have `float32_ref`
dtypes, reads (`value()`, `identity`, arithmetic) the base dtype (fixture from real TF)."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "fidelity_fixes",
                       "ref_dtypes.json")


@pytest.fixture(scope="module")
def expected():
    with open(FIXTURE) as f:
        return json.load(f)


def test_ref_dtypes_match_tf(expected):
    with tf.Graph().as_default() as g:
        v = tf.Variable(1.0, name="v")
        i = tf.Variable(3, name="i")
        got = {
            "variable_output": v.op.outputs[0].dtype.name,
            "ref": v._ref().dtype.name,
            "variable_dtype": v.dtype.name,
            "value": v.value().dtype.name,
            "read_value": v.read_value().dtype.name,
            "identity": tf.identity(v).dtype.name,
            "is_ref_dtype": bool(v.op.outputs[0].dtype.is_ref_dtype),
            "base_dtype": v.op.outputs[0].dtype.base_dtype.name,
            "equals_float32": bool(v.op.outputs[0].dtype == tf.float32),
            "by_name": g.get_tensor_by_name("v:0").dtype.name,
            "assign": tf.assign(v, 2.0).dtype.name,
            "assign_add": tf.assign_add(v, 1.0).dtype.name,
            "assign_sub": tf.assign_sub(i, 1).dtype.name,
            "initialized_value": v.initialized_value().dtype.name,
            "add": (v + 1.0).dtype.name,
        }
    assert got == expected


def test_ref_tensors_still_compute():
    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0], name="v")
        ref = v.op.outputs[0]
        total = tf.reduce_sum(ref * 2.0) + tf.assign_add(v, [1.0, 1.0])[0]
        grad = tf.gradients(tf.reduce_sum(ref * ref), [v])[0]
        with tf.Session() as sess:
            sess.run(v.initializer)
            np.testing.assert_allclose(sess.run(grad), [2.0, 4.0])
            sess.run(total)
            np.testing.assert_allclose(sess.run(ref), [2.0, 3.0])
            np.testing.assert_allclose(sess.run(tf.assign(v, [5.0, 6.0])), [5.0, 6.0])
