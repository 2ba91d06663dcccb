"""The confusion-matrix, threshold and mean-based tf.metrics against real TensorFlow.

Fixtures come from tools/fixtures/gen_metrics.py: for each case, the value before any update,
the update op's result and the value after each of three batches, and the names of the
value/update tensors and of the metric's variables.
"""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "metrics")
with open(os.path.join(FIXTURES, "cases.json")) as _f:
    DATA = json.load(_f)
with np.load(os.path.join(FIXTURES, "batches.npz")) as _npz:
    BATCHES = [{key.split("/")[0]: _npz[key] for key in _npz.files
                if key.endswith("/%d" % i)} for i in range(DATA["num_batches"])]
# float32 sums over up to 200 thresholds, divisions and logs: a few ulps apart from TF's order
RTOL, ATOL = 1e-5, 1e-6


def _id(case):
    extra = ",".join("%s=%s" % kv for kv in sorted(case["kwargs"].items()))
    return "%s(%s;%s)" % (case["fn"], ",".join(sorted(case["args"])), extra)


def _placeholders(args):
    first = BATCHES[0]
    return {k: tf.sparse_placeholder(tf.int64, name=k) if v.startswith("sp_") else
            tf.placeholder(tf.as_dtype(first[v].dtype), first[v].shape, name=k)
            for k, v in args.items()}


def _feed_value(key, batch):
    """The batch's array, or a SparseTensorValue from `<key>.indices`, `.values`, `.shape`."""
    if key.startswith("sp_"):
        return tf.SparseTensorValue(*(batch[key + part] for part in (".indices", ".values",
                                                                     ".shape")))
    return batch[key]


@pytest.mark.parametrize("case", DATA["cases"], ids=_id)
def test_metric_matches_tensorflow(case):
    phs = _placeholders(case["args"])
    fn = getattr(tf.metrics, case["fn"])
    value, update = fn(**phs, **case["kwargs"])
    value2, _ = fn(**phs, **{k: v for k, v in case["kwargs"].items() if k != "name"})
    assert (value.name, update.name, value2.name) == \
        (case["value_name"], case["update_name"], case["value2_name"])
    assert [v.name for v in tf.local_variables()] == case["local_variables"]
    assert [v.name for v in tf.get_collection(tf.GraphKeys.METRIC_VARIABLES)] == \
        case["metric_variables"]
    assert [v.name for v in tf.global_variables()] == case["global_variables"]
    assert not tf.trainable_variables()
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        np.testing.assert_allclose(sess.run(value), case["before"], rtol=RTOL, atol=ATOL)
        for k, batch in enumerate(BATCHES):
            feed = {phs[a]: _feed_value(v, batch) for a, v in case["args"].items()}
            np.testing.assert_allclose(sess.run(update, feed), case["updates"][k], rtol=RTOL,
                                       atol=ATOL, err_msg="update %d" % k)
            np.testing.assert_allclose(sess.run(value), case["values"][k], rtol=RTOL,
                                       atol=ATOL, err_msg="value after update %d" % k)


def _f(shape, dtype=tf.float32):
    return tf.placeholder(dtype, shape)


BAD_CALLS = {
    "mean_iou_shapes": lambda: tf.metrics.mean_iou(
        _f([8], tf.int64), _f([7], tf.int64), num_classes=4),
    "mean_per_class_accuracy_shapes": lambda: tf.metrics.mean_per_class_accuracy(
        _f([8], tf.int64), _f([7], tf.int64), num_classes=4),
    "auc_shapes": lambda: tf.metrics.auc(_f([10], tf.bool), _f([9])),
    "auc_weights_shape": lambda: tf.metrics.auc(_f([10], tf.bool), _f([10]), weights=_f([3])),
    "auc_curve": lambda: tf.metrics.auc(_f([10], tf.bool), _f([10]), curve="XY"),
    "auc_summation_method": lambda: tf.metrics.auc(
        _f([10], tf.bool), _f([10]), summation_method="simpson"),
    "precision_at_thresholds_shapes": lambda: tf.metrics.precision_at_thresholds(
        _f([10], tf.bool), _f([4]), thresholds=[0.5]),
    "sensitivity_at_specificity_range": lambda: tf.metrics.sensitivity_at_specificity(
        _f([10], tf.bool), _f([10]), specificity=1.5),
    "specificity_at_sensitivity_range": lambda: tf.metrics.specificity_at_sensitivity(
        _f([10], tf.bool), _f([10]), sensitivity=-0.1),
    "mean_relative_error_shapes": lambda: tf.metrics.mean_relative_error(
        _f([6]), _f([6]), normalizer=_f([5])),
    "mean_cosine_distance_shapes": lambda: tf.metrics.mean_cosine_distance(
        _f([4, 3]), _f([4, 2]), dim=1),
    "mean_tensor_weights_shape": lambda: tf.metrics.mean_tensor(_f([2, 3]), weights=_f([4])),
    "average_precision_at_k_k0": lambda: tf.metrics.average_precision_at_k(
        _f([4], tf.int64), _f([4, 5]), k=0),
    "recall_at_top_k_labels_rank": lambda: tf.metrics.recall_at_top_k(
        _f([4, 2, 2], tf.int64), _f([4, 2], tf.int32)),
}


@pytest.mark.parametrize("key", sorted(BAD_CALLS))
def test_bad_input_raises_like_tensorflow(key):
    expected = DATA["errors"][key]
    with pytest.raises(getattr(tf.errors, expected["type"], None) or ValueError) as info:
        BAD_CALLS[key]()
    assert type(info.value).__name__ == expected["type"]
    if "can not be broadcast" in expected["message"]:
        assert "can not be broadcast" in str(info.value)
    elif "incompatible" in expected["message"]:
        assert "incompatible" in str(info.value)
    else:
        assert str(info.value) == expected["message"]


@pytest.mark.parametrize("case", DATA["confusion_matrix"], ids=lambda c: str(c["kwargs"]))
def test_confusion_matrix_matches_tensorflow(case):
    kwargs = dict(case["kwargs"])
    if "dtype" in kwargs:
        kwargs["dtype"] = getattr(tf, kwargs["dtype"])
    result = tf.confusion_matrix(**kwargs)
    assert (result.dtype.name, result.name.split("/")[0]) == \
        (case["dtype"], case["name"].split("/")[0])
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(result), case["result"])


def test_confusion_matrix_rejects_out_of_range_ids_at_run_time():
    labels = tf.placeholder(tf.int64, [None])
    matrix = tf.confusion_matrix(labels, [0, 1], num_classes=2)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(matrix, {labels: [1, 1]}), [[0, 0], [1, 1]])
        with pytest.raises(tf.errors.InvalidArgumentError, match="labels"):
            sess.run(matrix, {labels: [0, 2]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="negative"):
            sess.run(matrix, {labels: [-1, 0]})


def _scores_and_labels():
    return tf.placeholder(tf.float32, [None]), tf.placeholder(tf.bool, [None])


COLLECTED = {
    "mean_iou": lambda **kw: tf.metrics.mean_iou([0, 1], [1, 1], 2, **kw),
    "mean_per_class_accuracy": lambda **kw: tf.metrics.mean_per_class_accuracy(
        [0, 1], [1, 1], 2, **kw),
    "auc": lambda **kw: tf.metrics.auc([True, False], [0.3, 0.6], **kw),
    "auc_careful": lambda **kw: tf.metrics.auc(
        [True, False], [0.3, 0.6], curve="PR", summation_method="careful_interpolation", **kw),
    "tp_at_thresholds": lambda **kw: tf.metrics.true_positives_at_thresholds(
        [True, False], [0.3, 0.6], [0.5], **kw),
    "precision_at_thresholds": lambda **kw: tf.metrics.precision_at_thresholds(
        [True, False], [0.3, 0.6], [0.5], **kw),
    "sensitivity_at_specificity": lambda **kw: tf.metrics.sensitivity_at_specificity(
        [True, False], [0.3, 0.6], 0.5, **kw),
    "specificity_at_sensitivity": lambda **kw: tf.metrics.specificity_at_sensitivity(
        [True, False], [0.3, 0.6], 0.5, **kw),
    "mean_relative_error": lambda **kw: tf.metrics.mean_relative_error(
        [1.0, 2.0], [1.5, 2.0], [1.0, 2.0], **kw),
    "mean_cosine_distance": lambda **kw: tf.metrics.mean_cosine_distance(
        [[1.0, 0.0]], [[0.0, 1.0]], 1, **kw),
    "percentage_below": lambda **kw: tf.metrics.percentage_below([1.0, 3.0], 2.0, **kw),
    "mean_tensor": lambda **kw: tf.metrics.mean_tensor([1.0, 3.0], **kw),
    "recall_at_k": lambda **kw: tf.metrics.recall_at_k(
        tf.constant([1], tf.int64), [[0.1, 0.9]], 1, **kw),
    "precision_at_top_k": lambda **kw: tf.metrics.precision_at_top_k(
        tf.constant([1], tf.int64), [[1]], **kw),
    "average_precision_at_k": lambda **kw: tf.metrics.average_precision_at_k(
        tf.constant([1], tf.int64), [[0.1, 0.9]], 1, **kw),
}


@pytest.mark.parametrize("key", sorted(COLLECTED))
def test_metrics_and_updates_collections(key):
    value, update = COLLECTED[key](metrics_collections=["m"], updates_collections=["u"])
    assert tf.get_collection("m") == [value]
    assert tf.get_collection("u") == [update]


def test_local_variables_initializer_resets_the_totals():
    scores, labels = _scores_and_labels()
    auc, auc_update = tf.metrics.auc(labels, scores)
    classes = tf.placeholder(tf.int64, [None])
    miou, miou_update = tf.metrics.mean_iou(classes, classes, num_classes=3)
    feed = {scores: [0.1, 0.9, 0.4], labels: [False, True, False], classes: [0, 1, 1]}
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        sess.run([auc_update, miou_update], feed)
        assert sess.run(auc) > 0.99 and sess.run(miou) == 1.0
        sess.run(tf.local_variables_initializer())
        assert sess.run(miou) == 0.0
        np.testing.assert_array_equal(sess.run(miou_update, {classes: [2]}),
                                      [[0, 0, 0], [0, 0, 0], [0, 0, 1]])


def test_scores_outside_the_unit_interval_fail_at_run_time():
    scores, labels = _scores_and_labels()
    _, update = tf.metrics.auc(labels, scores)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"must be in \[0, 1\]"):
            sess.run(update, {scores: [0.5, 1.5], labels: [True, False]})


@pytest.mark.parametrize("fn", [
    lambda s, l: tf.metrics.auc(l, s, num_thresholds=1),
    lambda s, l: tf.metrics.sensitivity_at_specificity(l, s, 0.5, num_thresholds=0),
    lambda s, l: tf.metrics.specificity_at_sensitivity(l, s, 0.5, num_thresholds=1),
])
def test_fewer_than_two_thresholds_are_rejected(fn):
    # TF builds these and silently returns 0 or garbage; tensorflux says what is wrong.
    with pytest.raises(ValueError, match="num_thresholds"):
        fn(*_scores_and_labels())


def test_auc_of_a_perfect_and_an_inverted_ranking():
    scores, labels = _scores_and_labels()
    auc, update = tf.metrics.auc(labels, scores)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        perfect = sess.run(update, {scores: [0.1, 0.2, 0.8, 0.9],
                                    labels: [False, False, True, True]})
        sess.run(tf.local_variables_initializer())
        inverted = sess.run(update, {scores: [0.9, 0.8, 0.2, 0.1],
                                     labels: [False, False, True, True]})
    assert perfect == pytest.approx(1.0, abs=1e-3) and inverted == pytest.approx(0.0, abs=1e-3)
