"""tf.data pipelines against real TensorFlow (fixtures from tools/fixtures/gen_data.py).

Every case of data_cases.py must give TF's structure, dtypes, static output shapes and the
exact element sequence until OutOfRangeError; the iterator errors must carry TF's messages.
"""

import json
import os
import sys

import numpy as np
import pytest

import tensorflux as tf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import data_cases  # noqa: E402

FIXTURES = os.path.join(HERE, "..", "fixtures", "data")


def _load(name):
    with open(os.path.join(FIXTURES, name)) as f:
        return json.load(f)


PIPELINES = _load("pipelines.json")
MESSAGES = _load("messages.json")


def test_every_case_has_a_fixture():
    assert sorted(PIPELINES) == sorted(data_cases.CASES)


@pytest.mark.parametrize("name", sorted(data_cases.CASES))
def test_pipeline_matches_tensorflow(name):
    want = PIPELINES[name]
    got = data_cases.record(tf, name)
    assert got["structure"] == want["structure"]
    assert got["shapes"] == want["shapes"]
    assert len(got["elements"]) == len(want["elements"]), got["elements"]
    for g, w in zip(got["elements"], want["elements"]):
        assert len(g) == len(w)
        for gv, wv in zip(g, w):
            if isinstance(wv, (str, list)) and np.asarray(wv).dtype.kind in "U":
                assert gv == wv
            else:
                np.testing.assert_allclose(np.asarray(gv, dtype=np.float64),
                                           np.asarray(wv, dtype=np.float64))
                assert np.shape(gv) == np.shape(wv)
    if want["error"] is None:
        assert got["error"] is None
    else:
        # TF 2's message for a ragged batch differs from TF 1.x's, which tensorflux keeps
        assert got["error"][0] == want["error"][0]


def _pull_error(nxt, sess, feed=None):
    with pytest.raises(tf.errors.OpError) as info:
        sess.run(nxt, feed)
    return [type(info.value).__name__, str(info.value).split("\n")[0]], info.value


def test_uninitialized_and_end_of_sequence_messages():
    it = tf.data.make_initializable_iterator(tf.data.Dataset.range(2))
    nxt = it.get_next()
    with tf.Session() as sess:
        msg, err = _pull_error(nxt, sess)
        assert msg == MESSAGES["uninitialized"]
        assert err.op is nxt.op
        sess.run(it.initializer)
        assert [sess.run(nxt), sess.run(nxt)] == [0, 1]
        msg, err = _pull_error(nxt, sess)
        assert msg == MESSAGES["end_of_sequence"]
        assert "IteratorGetNext" in str(err)
        msg, _ = _pull_error(nxt, sess)  # stays at the end
        assert msg == MESSAGES["end_of_sequence"]


def test_make_initializer_rejects_other_types_and_structures():
    it = tf.data.Iterator.from_structure(tf.int64, tf.TensorShape([]))
    cls, text = MESSAGES["make_initializer_types"]
    with pytest.raises({"TypeError": TypeError, "ValueError": ValueError}[cls]) as info:
        it.make_initializer(tf.data.Dataset.from_tensors(np.float32(1)))
    assert str(info.value) == text
    cls, text = MESSAGES["make_initializer_structure"]
    with pytest.raises(ValueError) as info:
        it.make_initializer(tf.data.Dataset.from_tensors((np.int64(1), np.int64(2))))
    assert cls == "ValueError" and str(info.value).startswith(text)


def test_ragged_batch_is_tf1s_message():
    ds = tf.data.Dataset.range(4).map(lambda v: tf.fill([tf.cast(v, tf.int32)], v)).batch(2)
    nxt = tf.data.make_one_shot_iterator(ds).get_next()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Cannot batch tensors with different shapes in component 0\. "
                                 r"First element had shape \[0\] and element 1 had shape \[1\]\."):
            sess.run(nxt)
