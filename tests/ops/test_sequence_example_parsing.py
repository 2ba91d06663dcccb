"""tf.parse_single_sequence_example and tf.io.parse_sequence_example against TensorFlow
(tools/fixtures/gen_image_io_stragglers.py, sequence_examples.json)."""

import base64
import json
import os

import numpy as np
import pytest

import tensorflux as tf

with open(os.path.join(os.path.dirname(__file__), "..", "fixtures", "stragglers", "image_io",
                       "sequence_examples.json")) as _f:
    FIX = json.load(_f)
SERIALIZED = [base64.b64decode(s) for s in FIX["serialized"]]

# TF 2's ParseSequenceExampleV2 words this error its own way; TF 1.x and tensorflux name the
# missing feature.
MESSAGE_DIFFERS = {"missing_context": "Feature: nope (data type: int64) is required"}


def _scope():
    return {"tf": tf, "S0": tf.constant(SERIALIZED[0]), "S1": tf.constant(SERIALIZED[1]),
            "S": tf.constant(SERIALIZED)}


def _static(x):
    if isinstance(x, (list, tuple)):
        return [_static(v) for v in x]
    if isinstance(x, dict):
        return {k: _static(v) for k, v in sorted(x.items())}
    if isinstance(x, tf.SparseTensor):
        return {"indices": x.indices.shape.as_list(), "dense_shape": x.dense_shape.shape.as_list()}
    return x.shape.as_list() if x.shape.ndims is not None else None


def _check(got, want):
    if isinstance(want, list) and (not want or not isinstance(want[0], str)) and \
            isinstance(got, (list, tuple)):
        assert len(got) == len(want)
        for g, w in zip(got, want):
            _check(g, w)
    elif isinstance(want, dict) and "indices" in want:
        assert np.asarray(got.indices).tolist() == want["indices"]
        assert np.asarray(got.dense_shape).tolist() == want["dense_shape"]
        _check(got.values, want["values"])
    elif isinstance(want, dict) and "dtype" in want:
        got = np.asarray(got)
        assert got.dtype.name == want["dtype"] and list(got.shape) == want["shape"]
        np.testing.assert_allclose(got.ravel(), want["values"], rtol=1e-6)
    elif isinstance(want, dict):
        assert sorted(got) == sorted(want)
        for k in want:
            _check(got[k], want[k])
    else:  # strings
        assert [v.decode("latin-1") for v in np.ravel(got)] == want


@pytest.mark.parametrize("case", FIX["cases"], ids=lambda c: c["name"])
def test_matches_tf(case):
    with tf.Graph().as_default():
        result = list(eval(case["code"], _scope()))  # noqa: S307
        assert _static(result) == case["static"]
        with tf.Session() as sess:
            _check(sess.run(result), case["values"])


@pytest.mark.parametrize("case", FIX["errors"], ids=lambda c: c["name"])
def test_errors_match_tf(case):
    with tf.Graph().as_default():
        with pytest.raises(Exception) as info:
            out = eval(case["code"], _scope())  # noqa: S307
            with tf.Session() as sess:
                sess.run(out)
    assert type(info.value).__name__ == case["exception"]
    assert MESSAGE_DIFFERS.get(case["name"], case["message"]) in str(info.value)


def test_op_types_and_names():
    with tf.Graph().as_default():
        c, f = tf.parse_single_sequence_example(
            SERIALIZED[0], context_features={"len": tf.FixedLenFeature([], tf.int64)},
            sequence_features={"xy": tf.FixedLenSequenceFeature([2], tf.float32)})
        assert c["len"].op.type == "ParseSingleSequenceExample"
        assert c["len"].op.name == "ParseSingleSequenceExample"
        _, _, lengths = tf.io.parse_sequence_example(
            SERIALIZED, sequence_features={"xy": tf.FixedLenSequenceFeature([2], tf.float32)},
            name="seq")
        assert lengths["xy"].op.type == "ParseSequenceExample"
        assert lengths["xy"].op.name == "seq"
        assert tf.io.parse_single_sequence_example is tf.parse_single_sequence_example


def test_built_with_tensorflux_protos():
    ex = tf.train.SequenceExample()
    ex.context.feature["id"].bytes_list.value.append(b"x1")
    for step in ([1, 2], [3, 4], [5, 6]):
        ex.feature_lists.feature_list["tok"].feature.add().int64_list.value.extend(step)
    with tf.Graph().as_default():
        c, f = tf.parse_single_sequence_example(
            ex.SerializeToString(), context_features={"id": tf.FixedLenFeature([], tf.string)},
            sequence_features={"tok": tf.FixedLenSequenceFeature([2], tf.int64)})
        with tf.Session() as sess:
            cv, fv = sess.run([c, f])
    assert cv["id"] == b"x1"
    np.testing.assert_array_equal(fv["tok"], [[1, 2], [3, 4], [5, 6]])


def test_bad_proto():
    with tf.Graph().as_default():
        c, _ = tf.parse_single_sequence_example(
            b"\xff\xff", context_features={"a": tf.FixedLenFeature([], tf.int64)})
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError):
                sess.run(c)
