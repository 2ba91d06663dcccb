"""Summary ops against real TensorFlow's serialized Summaries (tests/fixtures/summary,
tools/fixtures/gen_summary.py): op names, tags, collections and the exact protobuf bytes."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.graph import protowire as pw
from tensorflux.summary import proto

FIX = os.path.join(os.path.dirname(__file__), "..", "fixtures", "summary")
with open(os.path.join(FIX, "summaries.json")) as _f:
    CASES = json.load(_f)

rng = np.random.RandomState(7)
IMG_POS = rng.uniform(0, 3, (2, 3, 4, 3)).astype(np.float32)
IMG_NEG = rng.uniform(-2, 1, (1, 3, 4, 1)).astype(np.float32)
IMG_NEG[0, 1, 2, 0] = np.nan
IMG_U8 = rng.randint(0, 256, (4, 2, 3, 4)).astype(np.uint8)
HIST = np.concatenate([rng.randn(50) * 10, [0.0, 0.0, 1e-13, -1e-13, 5e3]]).astype(np.float32)


def _scoped(fn):
    with tf.name_scope("train"):
        return fn()


BUILDERS = {
    "scalar": lambda: tf.summary.scalar("loss", tf.constant(0.25)),
    "scalar_again": lambda: [tf.summary.scalar("loss", tf.constant(1.5)),
                             tf.summary.scalar("loss", tf.constant(2.5))][1],
    "scalar_scoped_family": lambda: _scoped(
        lambda: tf.summary.scalar("acc", tf.constant(0.75, tf.float64), family="fam")),
    "scalar_int": lambda: tf.summary.scalar("steps", tf.constant(7)),
    "scalar_bad_name": lambda: tf.summary.scalar("my loss (x)", tf.constant(1.0)),
    "histogram": lambda: tf.summary.histogram("weights", tf.constant(HIST)),
    "histogram_int": lambda: tf.summary.histogram("ints", tf.constant([1, 2, 2, 3])),
    "histogram_empty": lambda: tf.summary.histogram("empty", tf.zeros([0])),
    "image_float": lambda: tf.summary.image("img", tf.constant(IMG_POS)),
    "image_negative_nan": lambda: tf.summary.image("neg", tf.constant(IMG_NEG), max_outputs=1),
    "image_u8": lambda: tf.summary.image("u8", tf.constant(IMG_U8), max_outputs=2),
    "text": lambda: tf.summary.text("note", tf.constant("hello **world**")),
    "text_matrix": lambda: tf.summary.text("table", tf.constant([["a", "b"], ["c", "d"]])),
    "tensor_summary": lambda: tf.summary.tensor_summary("tens", tf.constant([[1, 2], [3, 4]])),
    "tensor_summary_float_desc": lambda: tf.summary.tensor_summary(
        "tf32", tf.constant([0.5, -1.0]), summary_description="a description"),
    "merge": lambda: tf.summary.merge([tf.summary.scalar("a", tf.constant(1.0)),
                                       tf.summary.histogram("b", tf.constant([1.0]))]),
    "merge_all": lambda: [tf.summary.scalar("c", tf.constant(3.0)),
                          tf.summary.text("d", tf.constant("x")),
                          tf.summary.merge_all()][-1],
}


def test_every_fixture_has_a_builder():
    assert sorted(BUILDERS) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_summary_matches_tf(name):
    want = CASES[name]
    with tf.Graph().as_default():
        t = BUILDERS[name]()
        assert t.dtype == tf.string and t.shape.as_list() == []
        assert t.op.name == want["op"] and t.op.type == want["type"]
        assert [i.name for i in t.op.inputs] == want["inputs"]
        assert [x.name for x in tf.get_collection(tf.GraphKeys.SUMMARIES)] == want["collection"]
        with tf.Session() as sess:
            raw = sess.run(t)
    assert isinstance(raw, bytes)
    summary = tf.Summary.FromString(raw)
    assert [v.tag for v in summary.value] == want["tags"]
    if "images" not in want:
        assert raw.hex() == want["hex"]
        return
    # PNG bytes depend on the zlib build; the decoded pixels and the Image fields must agree.
    theirs = tf.Summary.FromString(bytes.fromhex(want["hex"]))
    for ours, their, pixels in zip(summary.value, theirs.value, want["images"]):
        assert (ours.image.height, ours.image.width, ours.image.colorspace) == (
            their.image.height, their.image.width, their.image.colorspace)
        with tf.Graph().as_default(), tf.Session() as sess:
            got = sess.run(tf.image.decode_png(ours.image.encoded_image_string))
        np.testing.assert_array_equal(got, np.array(pixels, np.uint8))


def test_raw_field_numbers_of_a_scalar_summary():
    """Decodes the bytes with the wire format alone (Summary.value = 1; Value.tag = 1,
    Value.simple_value = 2 as a float)."""
    with tf.Graph().as_default():
        s = tf.summary.scalar("loss", tf.constant(0.5))
        with tf.Session() as sess:
            raw = sess.run(s)
    [(num, wire, value_bytes)] = list(pw.iter_fields(raw))
    assert (num, wire) == (1, pw.WIRE_LEN)
    fields = {n: v for n, _, v in pw.iter_fields(value_bytes)}
    assert fields[1] == b"loss"
    assert np.frombuffer(fields[2].to_bytes(4, "little"), np.float32)[0] == 0.5


def test_histogram_errors_on_nan():
    with tf.Graph().as_default():
        h = tf.summary.histogram("bad", tf.constant([1.0, np.nan]))
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="Nan in summary histogram "
                                                                     "for: bad"):
                sess.run(h)


def test_merge_duplicate_tag_and_merge_all_empty():
    with tf.Graph().as_default():
        assert tf.summary.merge_all() is None
        a = tf.summary.scalar("a", tf.constant(1.0))
        m = tf.summary.merge([a, a])
        assert m.op.name == "Merge/MergeSummary"
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match="Duplicate tag a found in summary inputs"):
                sess.run(m)


def test_scalar_summary_collections_and_fed_values():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [])
        s = tf.summary.scalar("x", x, collections=["mine"])
        assert tf.get_collection("mine") == [s]
        assert tf.get_collection(tf.GraphKeys.SUMMARIES) == []
        with tf.Session() as sess:
            vals = [tf.Summary.FromString(sess.run(s, {x: v})).value[0].simple_value
                    for v in (1.0, -2.5)]
    assert vals == [1.0, -2.5]


def test_summary_proto_api():
    s = tf.Summary(value=[tf.Summary.Value(tag="a", simple_value=0.0)])
    s.value.add(tag="b", histo=tf.HistogramProto(min=1.0, bucket=[1.0, 2.0]))
    data = s.SerializeToString()
    back = tf.Summary.FromString(data)
    assert back == s
    assert back.value[0].WhichOneof("value") == "simple_value"  # zero, but set
    assert back.value[0].simple_value == 0.0
    assert back.value[1].histo.bucket == [1.0, 2.0]
    assert back.value[1].HasField("histo") and not back.value[1].HasField("image")
    e = tf.Event(wall_time=1.5, step=3, summary=s)
    e2 = tf.Event()
    e2.ParseFromString(e.SerializeToString())
    assert e2.step == 3 and e2.WhichOneof("what") == "summary"
    assert e2.summary.value[1].tag == "b"
    with pytest.raises(ValueError, match='has no "nope" field'):
        tf.Summary.Value(nope=1)
    log = proto.SessionLog(status=proto.SessionLog.START)
    assert proto.SessionLog.FromString(log.SerializeToString()).status == 1
