"""tf.decode_csv against real TensorFlow (tests/fixtures/example, tools/fixtures/gen_example.py)."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "example", "example.json")
CSV = json.load(open(FIXTURE))["csv"]


def _value(v):
    v = np.asarray(v)
    return [x.hex() for x in v.ravel()] if v.dtype == object else v.tolist()


def test_columns_and_dtypes_match_tf():
    defaults = [[0], [1.5], ["none"], tf.constant([-1], tf.int64)]
    cols = tf.decode_csv(CSV["records"], defaults)
    assert [c.dtype.name for c in cols] == CSV["dtypes"]
    assert all(c.shape.as_list() == [4] for c in cols)
    with tf.Session() as sess:
        got = sess.run(cols)
    assert [_value(c) for c in got] == CSV["columns"]


def test_delimiter_na_value_and_select_cols():
    tab = tf.decode_csv(["1\tx"], [[0], [""]], field_delim="\t")
    na = tf.io.decode_csv(["NA,1"], [[5], [0]], na_value="NA")
    sel = tf.decode_csv(["1,2,3"], [[0], [0]], select_cols=[0, 2])
    with tf.Session() as sess:
        got = sess.run([tab, na, sel])
    assert [[_value(c) for c in v] for v in got] == [CSV["tab"], CSV["na"], CSV["select"]]


@pytest.mark.parametrize("case, defaults, line", [
    ("too_few", [[0], [1.5], ["none"], [-1]], "1,2"),
    ("too_many", [[0], [1.5], ["none"], [-1]], "1,2,3,4,5"),
    ("not_int", [[0], [1.5], ["none"], [-1]], "x,2,3,4"),
    ("not_float", [[0], [1.5], ["none"], [-1]], "1,y,3,4"),
    ("required", [[0], []], "1,"),
    ("bad_quote", [[""], [""]], '"a"b,c'),
    ("quote_inside", [[""], [""]], 'a"b,c'),
])
def test_errors_match_tf(case, defaults, line):
    r = tf.placeholder(tf.string, [None])
    defaults = [tf.constant(d, tf.float32) if d == [] else d for d in defaults]
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError) as info:
        sess.run(tf.decode_csv(r, defaults), {r: [line]})
    assert info.value.message.split("\n")[0] == CSV["errors"][case][1]


def test_csv_lines_dataset():
    ds = tf.data.Dataset.from_tensor_slices(["1,a", "2,b"]).map(
        lambda line: tf.decode_csv(line, [[0], [""]]))
    x, y = ds.make_one_shot_iterator().get_next()
    assert x.shape.as_list() == [] and x.dtype == tf.int32
    with tf.Session() as sess:
        assert [sess.run([x, y]) for _ in range(2)] == [[1, b"a"], [2, b"b"]]
