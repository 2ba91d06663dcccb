"""tf.bitcast against real TensorFlow (tests/fixtures/bitcast/bitcast.json)."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "bitcast", "bitcast.json")
with open(FIXTURE) as _f:
    CASES = json.load(_f)


def values(dtype, shape):
    """The generator's inputs (bfloat16 values are held as float32)."""
    n = int(np.prod(shape)) if shape else 1
    base = np.arange(n).reshape(shape) * 3 + 1
    if dtype == "string":
        return base.astype(str).astype(object)
    if dtype == "bool":
        return base % 2 == 0
    if dtype in ("float32", "float64", "float16", "bfloat16", "complex128"):
        base = base * 1.25 - 2.0
    return base.astype(tf.as_dtype(dtype).as_numpy_dtype)


def _bytes(value, dtype):
    value = np.ascontiguousarray(value)
    if dtype == "bfloat16":  # held as float32: TF's bytes are the high halves
        value = (value.astype(np.float32).view(np.uint32) >> 16).astype(np.uint16)
    return value.view(np.uint8).reshape(-1).tolist()


def _id(case):
    return "%s%s-%s" % (case["in_dtype"], case["static_shape"], case["out_dtype"])


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_bitcast_matches_tf(case):
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.as_dtype(case["in_dtype"]), case["static_shape"], name="x")
        if "graph_error" in case:
            cls, message = case["graph_error"]
            with pytest.raises({"ValueError": ValueError, "TypeError": TypeError}[cls]) as info:
                tf.bitcast(x, tf.as_dtype(case["out_dtype"]))
            # TF names the node as '{{node ...}} = ...'; tensorflux as "'Bitcast' (op: ...)".
            assert str(info.value).split(" for '")[0] == message.split(" for '")[0]
            return
        y = tf.bitcast(x, tf.as_dtype(case["out_dtype"]))
        assert y.name == case["name"]
        assert y.dtype == tf.as_dtype(case["out_dtype"])
        static = None if y.shape.ndims is None else y.shape.as_list()
        assert static == case["static_out"]
        with tf.Session() as sess:
            feed = {x: values(case["in_dtype"], case["fed_shape"])}
            if "run_error" in case:
                with pytest.raises(getattr(tf.errors, case["run_error"])):
                    sess.run(y, feed)
                return
            v = sess.run(y, feed)
    assert list(v.shape) == case["out_shape"]
    assert _bytes(v, case["out_dtype"]) == case["out_bytes"]


def test_bitcast_attrs_and_name():
    y = tf.bitcast([1.0, 2.0], tf.int32, name="bits")
    assert y.op.name == "bits"
    assert y.op.type == "Bitcast"
    assert y.op.get_attr("T") == tf.float32
    assert y.op.get_attr("type") == tf.int32


def test_bitcast_has_no_gradient_like_tf():
    # TF registers no gradient for Bitcast: tf.gradients raises LookupError through it.
    x = tf.placeholder(tf.float32, [3])
    y = tf.bitcast(x, tf.float32)
    with pytest.raises(LookupError, match="Bitcast"):
        tf.gradients(tf.reduce_sum(y), x)


def test_bitcast_round_trip_keeps_values():
    x = np.array([[1.5, -0.25], [3e38, -0.0]], np.float32)
    back = tf.bitcast(tf.bitcast(tf.constant(x), tf.uint8), tf.float32)
    with tf.Session() as sess:
        out = sess.run(back)
    assert out.tobytes() == x.tobytes()
