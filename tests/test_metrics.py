"""tf.metrics against real TensorFlow: streaming values over batches, variables, names."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.metric_ops import streaming

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "train")
with open(os.path.join(FIXTURES, "metrics.json")) as _f:
    DATA = json.load(_f)
BATCHES = DATA["batches"]


def _id(c):
    return "%s(%s)" % (c["fn"], ",".join(sorted(c["args"])))


@pytest.mark.parametrize("case", DATA["cases"], ids=_id)
def test_metric_matches_tensorflow(case):
    phs = {k: tf.placeholder(getattr(tf, DATA["dtypes"][v]), np.shape(BATCHES[0][v]), name=k)
           for k, v in case["args"].items()}
    value, update = getattr(tf.metrics, case["fn"])(**phs)
    value2, _ = getattr(tf.metrics, case["fn"])(**phs)
    assert value.name == case["value_name"]
    assert update.name == case["update_name"]
    assert value2.name == case["value2_name"]
    assert [v.name for v in tf.local_variables()] == case["local_variables"]
    assert [v.name for v in tf.get_collection(tf.GraphKeys.METRIC_VARIABLES)] == \
        case["metric_variables"]
    assert [v.name for v in tf.global_variables()] == case["global_variables"]
    assert all(not v.trainable for v in tf.local_variables())
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert np.isclose(sess.run(value), case["before"])
        for k, b in enumerate(BATCHES):
            feed = {phs[a]: b[v] for a, v in case["args"].items()}
            np.testing.assert_allclose(sess.run(update, feed), case["updates"][k], rtol=1e-6,
                                       err_msg="update %d" % k)
            np.testing.assert_allclose(sess.run(value), case["values"][k], rtol=1e-6,
                                       err_msg="value after update %d" % k)


def test_accuracy_resets_with_local_initializer():
    labels = tf.placeholder(tf.int64, [None])
    preds = tf.placeholder(tf.int64, [None])
    acc, update = tf.metrics.accuracy(labels, preds)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        sess.run(update, {labels: [1, 2, 3, 4], preds: [1, 2, 0, 0]})
        assert sess.run(acc) == 0.5
        sess.run(update, {labels: [1, 1], preds: [1, 1]})
        assert np.isclose(sess.run(acc), 4 / 6)
        sess.run(tf.local_variables_initializer())
        assert sess.run(acc) == 0.0
        assert sess.run(update, {labels: [5], preds: [5]}) == 1.0


def test_accuracy_squeezes_a_trailing_unit_dimension():
    labels = tf.constant([[1], [2], [3]], tf.int64)
    preds = tf.constant([1, 0, 3], tf.int64)
    acc, update = tf.metrics.accuracy(labels, preds, name="acc")
    assert acc.name == "acc/value:0"
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert np.isclose(sess.run(update), 2 / 3)


def test_metric_collections():
    values = tf.constant([1.0, 2.0, 3.0])
    m, update = tf.metrics.mean(values, metrics_collections=["my_metrics"],
                                updates_collections=[tf.GraphKeys.UPDATE_OPS])
    assert tf.get_collection("my_metrics") == [m]
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == [update]


def test_metrics_need_local_initialization():
    m, update = tf.metrics.mean(tf.constant([1.0]))
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized"):
            sess.run(update)


def test_count_condition_needs_bool():
    with pytest.raises(TypeError, match="bool"):
        streaming._count_condition(tf.constant([1.0]))


def test_control_dependency_on_a_fed_placeholder():
    # tf.metrics.mean orders its count update after `values` with a control dependency; when
    # `values` is a fed placeholder, the placeholder op itself must not run.
    x = tf.placeholder(tf.float32, [2])
    with tf.control_dependencies([x]):
        y = tf.constant(3.0) * 2.0
    with tf.Session() as sess:
        assert sess.run(y, {x: [1.0, 2.0]}) == 6.0
        with pytest.raises(tf.errors.InvalidArgumentError, match="must feed"):
            sess.run(y)
