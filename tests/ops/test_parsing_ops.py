"""tf.parse_example / tf.parse_single_example against real TensorFlow's outputs and error
messages (tests/fixtures/example, from tools/fixtures/gen_example.py)."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "example", "example.json")
PARSING = json.load(open(FIXTURE))["parsing"]
BATCH = [bytes.fromhex(h) for h in PARSING["batch"]]


def _features():
    return {"label": tf.FixedLenFeature([], tf.int64, default_value=-1),
            "name": tf.FixedLenFeature([], tf.string, default_value=""),
            "shape": tf.FixedLenFeature([2, 2], tf.int64),
            "bbox": tf.VarLenFeature(tf.float32),
            "tags": tf.VarLenFeature(tf.string)}


def _as_fixture(value):
    if isinstance(value, tf.SparseTensorValue):
        return {"indices": value.indices.tolist(), "values": _as_fixture(value.values),
                "dense_shape": value.dense_shape.tolist()}
    if isinstance(value, bytes):
        return value.hex()
    value = np.asarray(value)
    if value.dtype == object:
        return [x.hex() for x in value.ravel()]
    return value.tolist()


def _check(got, want):
    assert sorted(got) == sorted(want)
    for key, value in got.items():
        value = _as_fixture(value)
        if key == "bbox":
            np.testing.assert_array_equal(np.float32(value["values"]),
                                          np.float32(want[key]["values"]))
            value["values"] = want[key]["values"]
        assert value == want[key], key


def test_parse_example_matches_tf():
    parsed = tf.parse_example(tf.constant(BATCH), _features())
    for key, shape in PARSING["static_shapes"].items():
        if shape is None:
            assert isinstance(parsed[key], tf.SparseTensor)
        else:
            assert parsed[key].shape.as_list() == shape
    assert parsed["bbox"].values.dtype == tf.float32
    with tf.Session() as sess:
        _check(sess.run(parsed), PARSING["parse_example"])


def test_parse_single_example_matches_tf():
    parsed = tf.parse_single_example(tf.constant(BATCH[0]), _features())
    assert parsed["shape"].shape.as_list() == [2, 2]
    assert parsed["label"].shape.as_list() == []
    assert parsed["bbox"].indices.shape.as_list() == [None, 1]
    with tf.Session() as sess:
        got = sess.run(parsed)
    assert isinstance(got["name"], bytes)
    _check(got, PARSING["parse_single_example"])


def _error(fetch, feed):
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as info:
        sess.run(fetch, feed)
    return info.value.message.split("\n")[0]


@pytest.mark.parametrize("case, features, which", [
    ("missing_batch", {"label": tf.FixedLenFeature([], tf.int64)}, slice(1, 2)),
    ("wrong_type_batch", {"label": tf.FixedLenFeature([], tf.float32)}, slice(0, 1)),
    ("wrong_type_varlen", {"label": tf.VarLenFeature(tf.string)}, slice(0, 1)),
    ("wrong_size_batch", {"shape": tf.FixedLenFeature([3], tf.int64)}, slice(0, 1)),
])
def test_parse_example_errors_match_tf(case, features, which):
    s = tf.placeholder(tf.string, [None])
    assert _error(tf.parse_example(s, features), {s: BATCH[which]}) == \
        PARSING["errors"][case][1]


@pytest.mark.parametrize("case, features, index", [
    ("missing_single", {"label": tf.FixedLenFeature([], tf.int64)}, 1),
    ("wrong_type_single", {"label": tf.FixedLenFeature([], tf.float32)}, 0),
    ("wrong_size_single", {"shape": tf.FixedLenFeature([3], tf.int64)}, 0),
])
def test_parse_single_example_errors_match_tf(case, features, index):
    s = tf.placeholder(tf.string, [])
    assert _error(tf.parse_single_example(s, features), {s: BATCH[index]}) == \
        PARSING["errors"][case][1]


def test_malformed_proto_error():
    s = tf.placeholder(tf.string, [None])
    message = _error(tf.parse_example(s, {"label": tf.FixedLenFeature([], tf.int64)}),
                     {s: [b"\n\x05abc"]})
    assert message.startswith(PARSING["errors"]["bad_proto"][1])


def test_example_names_label_errors():
    s = tf.placeholder(tf.string, [None])
    parsed = tf.parse_example(s, {"label": tf.FixedLenFeature([], tf.int64)},
                              example_names=["first", "second"])
    assert _error(parsed, {s: BATCH[:2]}).startswith("Name: second, Feature: label")


def test_defaults_fill_missing_and_reshape():
    ex = tf.train.Example()
    ex.features.feature["other"].int64_list.value.append(1)
    parsed = tf.io.parse_example([ex.SerializeToString()] * 2, {
        "grid": tf.io.FixedLenFeature([2, 2], tf.float32, default_value=[1, 2, 3, 4]),
        "text": tf.io.FixedLenFeature([1], tf.string, default_value="none"),
        "ids": tf.io.VarLenFeature(tf.int64)})
    with tf.Session() as sess:
        got = sess.run(parsed)
    np.testing.assert_array_equal(got["grid"], [[[1, 2], [3, 4]]] * 2)
    assert got["text"].tolist() == [[b"none"], [b"none"]]
    assert got["ids"].indices.shape == (0, 2)
    np.testing.assert_array_equal(got["ids"].dense_shape, [2, 0])


def test_fixed_len_sequence_feature_pads_to_the_longest():
    examples = [tf.train.Example(features=tf.train.Features(feature={
        "xy": tf.train.Feature(float_list=tf.train.FloatList(value=v))})).SerializeToString()
        for v in ([1, 2, 3, 4], [5, 6])]
    feature = {"xy": tf.FixedLenSequenceFeature([2], tf.float32, allow_missing=True,
                                                default_value=-1)}
    parsed = tf.parse_example(examples, feature)
    single = tf.parse_single_example(examples[1], feature)
    assert parsed["xy"].shape.as_list() == [2, None, 2]
    with tf.Session() as sess:
        batch, one = sess.run([parsed["xy"], single["xy"]])
    np.testing.assert_array_equal(batch, [[[1, 2], [3, 4]], [[5, 6], [-1, -1]]])
    np.testing.assert_array_equal(one, [[5, 6]])
    with pytest.raises(ValueError, match="allow_missing"):
        tf.parse_example(examples, {"xy": tf.FixedLenSequenceFeature([2], tf.float32)})


def test_configuration_errors():
    with pytest.raises(ValueError, match="Missing shape for feature x"):
        tf.parse_example(["a"], {"x": tf.FixedLenFeature([None], tf.int64)})
    with pytest.raises(ValueError, match="Unsupported FixedLenFeature"):
        tf.parse_example(["a"], {"x": tf.FixedLenFeature([], tf.int32)})
    with pytest.raises(ValueError, match="Missing: features"):
        tf.parse_example(["a"], {})
    with pytest.raises(ValueError):
        tf.parse_single_example(["a", "b"], {"x": tf.VarLenFeature(tf.int64)})


def test_ops_are_host_ops_without_gradients():
    from tensorflux.ops import registry

    for op_type in ("ParseExample", "ParseSingleExample"):
        opdef = registry.get(op_type)
        assert not opdef.differentiable and "numpy" in opdef.kernels
        assert "xla" not in opdef.kernels


def test_graph_def_round_trip_keeps_the_configuration():
    s = tf.placeholder(tf.string, [None], name="serialized")
    tf.parse_example(s, {"a": tf.FixedLenFeature([2], tf.int64, default_value=[7, 8]),
                         "b": tf.VarLenFeature(tf.string)})
    gd = tf.get_default_graph().as_graph_def()
    with tf.Graph().as_default() as g:
        tf.import_graph_def(gd, name="")
        dense = g.get_tensor_by_name("ParseExample:3")
        assert dense.shape.as_list() == [None, 2]
        with tf.Session() as sess:
            got = sess.run(dense, {g.get_tensor_by_name("serialized:0"): [b""]})
    np.testing.assert_array_equal(got, [[7, 8]])


def test_feeds_of_python_strings_and_string_dataset_elements():
    text = tf.train.Example(features=tf.train.Features(feature={"t": tf.train.Feature(
        bytes_list=tf.train.BytesList(value=[b"ok"]))})).SerializeToString().decode("latin-1")
    s = tf.placeholder(tf.string, [None])
    parsed = tf.parse_example(s, {"t": tf.VarLenFeature(tf.string)})
    with tf.Session() as sess:
        assert sess.run(parsed["t"].values, {s: [text]}).tolist() == [b"ok"]
