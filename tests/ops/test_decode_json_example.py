"""`tf.io.decode_json_example` against TensorFlow's serialized bytes
(tests/fixtures/decode_json_example, recorded from TensorFlow)."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "decode_json_example",
                       "decode_json_example.json")
with open(FIXTURE) as _f:
    DATA = json.load(_f)


def _run(fetch, feeds=None):
    with tf.Session() as sess:
        return sess.run(fetch, feeds)


def test_byte_identical_batch():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.string)
        y = tf.io.decode_json_example(x)
        assert y.op.type == "DecodeJSONExample" and y.name == "DecodeJSONExample:0"
        assert y.dtype == tf.string
        got = _run(y, {x: [c["json"] for c in DATA["cases"]]})
    assert [b.hex() for b in got] == [c["hex"] for c in DATA["cases"]]


@pytest.mark.parametrize("case", DATA["cases"], ids=range(len(DATA["cases"])))
def test_parses_back(case):
    """The bytes are a valid Example, equal to what the JSON says."""
    data = bytes.fromhex(case["hex"])
    ex = tf.train.Example.FromString(data)
    text = json.loads(case["json"])
    features = (text.get("features") or {}).get("feature") or {}
    assert sorted(ex.features.feature) == sorted(features)


def test_shape_name_and_parse_example():
    with tf.Graph().as_default():
        text = tf.constant([[DATA["cases"][5]["json"]], ["{}"]])
        y = tf.io.decode_json_example(text, name="dec")
        assert y.shape.as_list() == [2, 1] and y.name == "dec:0"
        assert y.op.inputs[0].op.type == "Const"
        parsed = tf.io.parse_example(tf.reshape(y, [-1]),
                                     {"h": tf.io.FixedLenFeature([1], tf.int64, [0])})
        y_v, h = _run([y, parsed["h"]])
    assert y_v.shape == (2, 1)
    assert y_v[0, 0].hex() == DATA["cases"][5]["hex"] and y_v[1, 0] == b""
    np.testing.assert_array_equal(h, [[7], [0]])


@pytest.mark.parametrize("case", DATA["bad"], ids=range(len(DATA["bad"])))
def test_malformed(case):
    assert case["error"] == "Error while parsing JSON"
    with tf.Graph().as_default():
        y = tf.io.decode_json_example(tf.constant([case["json"]]))
        with pytest.raises(tf.errors.InvalidArgumentError, match="Error while parsing JSON"):
            _run(y)
