"""Readers' counters and state: `num_work_units_completed`, `num_records_produced`, `reset`,
`serialize_state` / `restore_state`, `read_up_to` (fixtures from real TF)."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "fidelity_fixes",
                       "readers.json")
FILES = {"f0.txt": b"ab\ncd\n", "f1.txt": b"ef\n"}
READERS = {
    "whole_file": lambda: tf.WholeFileReader(),
    "text_line": lambda: tf.TextLineReader(),
    "fixed_length": lambda: tf.FixedLengthRecordReader(3),
}


@pytest.fixture(scope="module")
def expected():
    with open(FIXTURE) as f:
        return json.load(f)


@pytest.fixture()
def in_files(tmp_path, monkeypatch):
    """Relative file names (as in the fixture: the whole-file reader's state holds them)."""
    for name, data in FILES.items():
        (tmp_path / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)


def _error(sess, fetch):
    try:
        sess.run(fetch)
    except tf.errors.OpError as e:
        return [type(e).__name__, str(e).split("\n")[0]]
    return None


def _queue(sess):
    q = tf.FIFOQueue(10, tf.string, shapes=[[]])
    sess.run(q.enqueue_many([sorted(FILES)]))
    sess.run(q.close())
    return q


@pytest.mark.parametrize("kind", sorted(READERS))
def test_counters_match_tf(expected, in_files, kind):
    want = expected[kind]
    with tf.Graph().as_default(), tf.Session() as sess:
        q = _queue(sess)
        r = READERS[kind]()
        _, v = r.read(q)
        work, produced = r.num_work_units_completed(), r.num_records_produced()
        state = r.serialize_state()
        assert [work.name, produced.name, r.reset().name, state.name,
                r.restore_state(state).name] == want["names"]
        assert work.dtype == tf.int64 and work.shape.ndims == 0
        assert r.supports_serialize == want["supports_serialize"]
        assert (_error(sess, state) or sess.run(state).hex()) == want["initial_state"]
        steps = []
        for _ in range(5):
            try:
                value = sess.run(v).decode()
            except tf.errors.OutOfRangeError:
                steps.append("OutOfRange")
                break
            steps.append([value] + [int(x) for x in sess.run([work, produced])])
            if len(steps) == 1:
                got = _error(sess, state) or sess.run(state).hex()
                assert got == want["state_after_one"]
        assert steps == want["steps"]
        assert [int(x) for x in sess.run([work, produced])] == want["after_end"]
        sess.run(r.reset())
        assert [int(x) for x in sess.run([work, produced])] == want["after_reset"]
        assert _error(sess, r.restore_state(b"garbage")) == want["restore_garbage"]


def test_whole_file_state_round_trip(in_files):
    with tf.Graph().as_default(), tf.Session() as sess:
        q = tf.FIFOQueue(10, tf.string, shapes=[[]])
        sess.run(q.enqueue_many([["f0.txt", "f1.txt", "f0.txt"]]))
        r = tf.WholeFileReader()
        _, v = r.read(q)
        counters = [r.num_work_units_completed(), r.num_records_produced()]
        sess.run(v)
        saved = sess.run(r.serialize_state())
        assert sess.run(v) == b"ef\n"
        assert sess.run(counters) == [2, 2]
        sess.run(r.restore_state(saved))
        assert sess.run(counters) == [1, 1]
        assert sess.run(v) == b"ab\ncd\n"  # the next file name left in the queue
        inconsistent = b"\x08\x05\x10\x02\x18\x07\x22\x03abc"
        err = _error(sess, r.restore_state(inconsistent))
        assert err[0] == "InvalidArgumentError"
        assert "Inconsistent work started vs. finished" in err[1]


def test_read_up_to(expected, in_files):
    with tf.Graph().as_default(), tf.Session() as sess:
        q = _queue(sess)
        r = tf.TextLineReader()
        keys, values = r.read_up_to(q, 2)
        assert [keys.op.inputs[2].name, r.restore_state(b"x").inputs[1].name, keys.name,
                keys.shape.as_list()] == expected["input_names"]
        np.testing.assert_array_equal(sess.run(values), [b"ab", b"cd"])
        k, v = sess.run([keys, values])
        np.testing.assert_array_equal(v, [b"ef"])
        assert k[0] == b"f1.txt:1"
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(values)
