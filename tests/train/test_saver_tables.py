"""A Saver saves and restores mutable lookup tables' contents, as TF's (`<name>-keys` and
`<name>-values` entries), against a checkpoint real TF wrote
(tests/fixtures/checkpoints/tables, tools/fixtures/gen_checkpoint_tables.py)."""

import json
import os

import pytest

import tensorflux as tf

FIX = os.path.join(os.path.dirname(__file__), "..", "fixtures", "checkpoints", "tables")
with open(os.path.join(FIX, "expected.json")) as f:
    EXPECTED = json.load(f)
TF_PREFIX = os.path.join(FIX, "model")


def _build(fill=False):
    ns = {"tf": tf}
    exec(EXPECTED["build"] + (EXPECTED["fill"] if fill else ""), ns)
    return ns


def _lookups(sess, ns):
    return {k: v.tolist() for k, v in sess.run(ns["queries"]).items()}


def test_restores_tables_from_a_tensorflow_checkpoint():
    ns = _build()
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, TF_PREFIX)
        assert _lookups(sess, ns) == EXPECTED["lookups"]
        assert sess.run(ns["v"]) == EXPECTED["v"]


def test_saves_tables_as_tensorflow_does(tmp_path):
    ns = _build(fill=True)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(ns["fill"])
        path = saver.save(sess, str(tmp_path / "m"))
    assert dict(tf.train.list_variables(path)) == EXPECTED["entries"]
    with tf.Session() as sess:  # a fresh session: the tables are empty until restored
        assert _lookups(sess, ns)["words"] == [-1, -1, -1]
        saver.restore(sess, path)
        assert _lookups(sess, ns) == EXPECTED["lookups"]


def test_a_mismatched_table_entry_raises_and_restores_nothing():
    words = tf.lookup.experimental.MutableHashTable(tf.string, tf.float32, -1.0, name="words")
    v = tf.Variable(0.5, name="v")
    found = words.lookup(tf.constant(["cat"]))
    saver = tf.train.Saver([v, *tf.get_collection(tf.GraphKeys.SAVEABLE_OBJECTS)])
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError, match="words-values; expected dtype "
                                                                 "float32"):
            saver.restore(sess, TF_PREFIX)
        assert sess.run(v) == 0.5 and sess.run(found).tolist() == [-1.0]


def test_tables_made_without_checkpoint_are_not_saved(tmp_path):
    tf.lookup.experimental.MutableHashTable(tf.int64, tf.int64, -1, checkpoint=False)
    tf.Variable(1.0, name="v")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver().save(sess, str(tmp_path / "m"))
    assert [n for n, _ in tf.train.list_variables(path)] == ["v"]
