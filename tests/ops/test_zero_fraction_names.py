"""`tf.nn.zero_fraction`: values, output name (`zero_fraction/fraction:0`), dtype and shape
against real TF (the fixture)."""

import json
import math
import os

import pytest

import tensorflux as tf

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "fidelity_fixes",
                       "zero_fraction.json")
INPUTS = {
    "float": [[0.0, 1.0, 0.0], [2.0, 0.0, 3.0]],
    "int": [0, 0, 0, 7],
    "no_zeros": [1.5, -2.0],
    "bool": [True, False, False, False, False],
}


@pytest.fixture(scope="module")
def expected():
    with open(FIXTURE) as f:
        return json.load(f)


def test_zero_fraction_matches_tf(expected):
    with tf.Graph().as_default(), tf.Session() as sess:
        for key, value in INPUTS.items():
            z = tf.nn.zero_fraction(tf.constant(value))
            got = [z.name, z.dtype.name, z.shape.as_list(), float(sess.run(z))]
            want = expected[key]
            assert got[:3] == want[:3], key
            assert got[3] == pytest.approx(want[3], rel=1e-6), key
        z = tf.nn.zero_fraction(tf.zeros([0]), name="empty")
        assert [z.name, z.dtype.name, z.shape.as_list()] == expected["empty"][:3]
        assert math.isnan(sess.run(z)) and expected["empty"][3] == "nan"
        p = tf.placeholder(tf.float32, [None, 2])
        z = tf.nn.zero_fraction(p)
        want = expected["placeholder"]
        assert [z.name, z.dtype.name, z.shape.as_list()] == want[:3]
        assert sess.run(z, {p: [[0.0, 1.0], [0.0, 0.0], [4.0, 5.0]]}) == pytest.approx(want[3])


def test_zero_fraction_is_also_tf_math():
    assert tf.math.zero_fraction is tf.nn.zero_fraction
