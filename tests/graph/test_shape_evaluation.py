"""Static shapes computed from shape tensors built out of known dims (TF's shape refiner
evaluates such small constant subgraphs), and TensorShape's rank assertions, against real TF
(tools/fixtures/gen_shape_inference.py)."""

import json
import os

import pytest
import shape_eval_cases

import tensorflux as tf

with open(os.path.join(os.path.dirname(__file__), "..", "fixtures", "shape_inference",
                       "shape_eval.json")) as f:
    DATA = json.load(f)


@pytest.fixture(scope="module")
def shapes():
    with tf.Graph().as_default():
        return shape_eval_cases.build(tf)


@pytest.mark.parametrize("name", sorted(DATA["shapes"]))
def test_static_shape_matches_tf(shapes, name):
    assert shapes[name] == DATA["shapes"][name]


def test_rank_assertions_match_tf():
    assert shape_eval_cases.rank_checks(tf) == DATA["ranks"]


def test_conversion_errors_match_tf():
    assert shape_eval_cases.conversion_errors(tf) == DATA["conversion"]


def test_get_static_value_stays_none_for_computed_dims():
    """Only shape inference evaluates the subgraph; tf.get_static_value does not (as TF)."""
    s = tf.shape(tf.zeros([2, 3]))
    assert tf.get_static_value(s[0] * s[1]) is None


def test_values_still_computed_at_run_time():
    x = tf.placeholder(tf.float32, [None, 3, 5, 4])
    t = tf.shape(x)
    y = tf.reshape(x, [t[0], t[1] * t[2], 4])
    with tf.Session() as sess:
        assert sess.run(tf.shape(y), {x: tf.zeros([2, 3, 5, 4]).eval(session=sess)}).tolist() \
            == [2, 15, 4]
