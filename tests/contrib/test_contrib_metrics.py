"""tf.contrib.metrics: the streaming_* wrappers (predictions first) give tf.metrics' values
and variables; streaming_concat, accuracy, aggregate_metrics / aggregate_metric_map."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.contrib import metrics as cm


@pytest.fixture(autouse=True)
def _fresh_graph():
    with tf.Graph().as_default():
        yield


def _stream(pairs, feeds):
    """Runs every update op on each feed; returns the final values."""
    values, updates = cm.aggregate_metrics(*pairs)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for feed in feeds:
            sess.run(updates, feed)
        return sess.run(values)


PRED = np.array([1, 1, 0, 1, 0, 1, 1, 0], bool)
LAB = np.array([1, 0, 0, 1, 1, 1, 0, 0], bool)


def test_binary_counts_precision_recall():
    p = tf.placeholder(tf.bool, [None])
    lab = tf.placeholder(tf.bool, [None])
    got = _stream([cm.streaming_true_positives(p, lab), cm.streaming_false_positives(p, lab),
                   cm.streaming_true_negatives(p, lab), cm.streaming_false_negatives(p, lab),
                   cm.streaming_precision(p, lab), cm.streaming_recall(p, lab),
                   cm.streaming_accuracy(p, lab)],
                  [{p: PRED[:4], lab: LAB[:4]}, {p: PRED[4:], lab: LAB[4:]}])
    tp, fp, tn, fn = 3, 2, 2, 1
    np.testing.assert_allclose(got, [tp, fp, tn, fn, tp / (tp + fp), tp / (tp + fn), 5 / 8],
                               rtol=1e-6)


def test_variable_names_match_tf_metrics():
    cm.streaming_accuracy(tf.constant([1, 2]), tf.constant([1, 1]))
    cm.streaming_mean(tf.constant([1.0]), name="loss_mean")
    cm.streaming_mean_iou(tf.constant([0, 1]), tf.constant([0, 0]), 2)
    names = [v.op.name for v in tf.local_variables()]
    assert names == ["accuracy/total", "accuracy/count", "loss_mean/total", "loss_mean/count",
                     "mean_iou/total_confusion_matrix"]
    assert tf.get_collection(tf.GraphKeys.METRIC_VARIABLES)[0].op.name == "accuracy/total"


def test_mean_and_weights_and_collections():
    v = tf.placeholder(tf.float32, [None])
    w = tf.placeholder(tf.float32, [None])
    mean, update = cm.streaming_mean(v, weights=w, metrics_collections=["m"],
                                     updates_collections=["u"])
    assert tf.get_collection("m") == [mean] and tf.get_collection("u") == [update]
    got = _stream([(mean, update)], [{v: [1.0, 3.0], w: [1.0, 0.0]}, {v: [5.0], w: [3.0]}])
    assert got[0] == pytest.approx(16.0 / 4.0)


def test_mean_tensor_and_regression_errors():
    pred = np.array([[1.0, 2.0], [3.0, 5.0]], np.float32)
    lab = np.array([[1.5, 2.0], [2.0, 4.0]], np.float32)
    got = _stream([cm.streaming_mean_tensor(pred),
                   cm.streaming_mean_absolute_error(pred, lab),
                   cm.streaming_mean_squared_error(pred, lab),
                   cm.streaming_root_mean_squared_error(pred, lab),
                   cm.streaming_mean_relative_error(pred, lab, normalizer=lab),
                   cm.streaming_percentage_less(pred, 2.5)], [{}])
    np.testing.assert_allclose(got[0], pred)
    d = pred - lab
    np.testing.assert_allclose(got[1:], [np.abs(d).mean(), (d ** 2).mean(),
                                         np.sqrt((d ** 2).mean()), (np.abs(d) / lab).mean(),
                                         0.5], rtol=1e-6)


def test_mean_cosine_distance():
    pred = np.array([[1.0, 0.0], [0.0, 1.0]], np.float32)
    lab = np.array([[1.0, 0.0], [1.0, 0.0]], np.float32)
    got = _stream([cm.streaming_mean_cosine_distance(pred, lab, dim=1)], [{}])
    assert got[0] == pytest.approx(0.5)


def test_auc_and_thresholds_vs_tf_metrics_with_swapped_arguments():
    rng = np.random.RandomState(0)
    scores = rng.rand(20).astype(np.float32)
    labels = (rng.rand(20) < scores).astype(np.int64)
    old = [cm.streaming_auc(scores, labels, num_thresholds=50),
           cm.streaming_auc(scores, labels, curve="PR", name="pr"),
           cm.streaming_precision_at_thresholds(scores, labels, [0.3, 0.7]),
           cm.streaming_recall_at_thresholds(scores, labels, [0.3, 0.7]),
           cm.streaming_sensitivity_at_specificity(scores, labels, 0.6),
           cm.streaming_specificity_at_sensitivity(scores, labels, 0.6)]
    new = [tf.metrics.auc(labels, scores, num_thresholds=50),
           tf.metrics.auc(labels, scores, curve="PR"),
           tf.metrics.precision_at_thresholds(labels, scores, [0.3, 0.7]),
           tf.metrics.recall_at_thresholds(labels, scores, [0.3, 0.7]),
           tf.metrics.sensitivity_at_specificity(labels, scores, 0.6),
           tf.metrics.specificity_at_sensitivity(labels, scores, 0.6)]
    got_old = _stream(old, [{}])
    got_new = _stream(new, [{}])
    for a, b in zip(got_old, got_new):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    # Brute-force ROC AUC (pairs of a positive above a negative) as an independent check.
    pos, neg = scores[labels == 1], scores[labels == 0]
    exact = np.mean([(p > n) + 0.5 * (p == n) for p in pos for n in neg])
    assert got_old[0] == pytest.approx(exact, abs=0.03)


def test_recall_at_k_names_and_values():
    logits = np.array([[0.1, 0.5, 0.4], [0.8, 0.15, 0.05], [0.2, 0.3, 0.5]], np.float32)
    labels = np.array([2, 1, 0])
    value, update = cm.streaming_recall_at_k(logits, labels, 2)
    assert tf.local_variables()[0].op.name == "recall_at_2/total"
    got = _stream([(value, update)], [{}])
    assert got[0] == pytest.approx(2.0 / 3.0)


def test_sparse_at_k_wrappers():
    logits = np.array([[0.1, 0.5, 0.4], [0.8, 0.15, 0.05]], np.float32)
    labels = np.array([[2], [1]], np.int64)
    top = np.array([[1, 2], [0, 1]], np.int64)
    got = _stream([cm.streaming_sparse_recall_at_k(logits, labels, 2),
                   cm.streaming_sparse_precision_at_k(logits, labels, 2),
                   cm.streaming_sparse_precision_at_top_k(top, labels),
                   cm.streaming_sparse_average_precision_at_k(logits, labels, 2)], [{}])
    np.testing.assert_allclose(got, [1.0, 0.5, 0.5, (0.5 + 0.5) / 2], rtol=1e-6)


def test_mean_iou():
    pred = tf.placeholder(tf.int32, [None])
    lab = tf.placeholder(tf.int32, [None])
    got = _stream([cm.streaming_mean_iou(pred, lab, num_classes=3)],
                  [{pred: [0, 1, 2, 2], lab: [0, 1, 1, 2]}, {pred: [0, 0], lab: [0, 2]}])
    # confusion (rows labels): class0 tp2 fp1 fn0; class1 tp1 fp0 fn1; class2 tp1 fp1 fn1
    np.testing.assert_allclose(got[0], np.mean([2 / 3, 1 / 2, 1 / 3]), rtol=1e-6)


def test_streaming_concat():
    x = tf.placeholder(tf.int32, [None, 2])
    value, update = cm.streaming_concat(x)
    assert [v.op.name for v in tf.local_variables()] == ["streaming_concat/array",
                                                         "streaming_concat/size"]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(value).shape == (0, 2)
        assert sess.run(update, {x: [[1, 2]]}) == 1
        assert sess.run(update, {x: [[3, 4], [5, 6]]}) == 3
        np.testing.assert_array_equal(sess.run(value), [[1, 2], [3, 4], [5, 6]])


def test_streaming_concat_axis_and_max_size():
    x = tf.placeholder(tf.float32, [2, None])
    value, update = cm.streaming_concat(x, axis=1, max_size=3)
    assert value.get_shape().as_list() == [2, None]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        sess.run(update, {x: [[1, 2], [3, 4]]})
        assert sess.run(update, {x: [[5, 6], [7, 8]]}) == 3
        assert sess.run(update, {x: [[9], [9]]}) == 3
        np.testing.assert_array_equal(sess.run(value), [[1, 2, 5], [3, 4, 7]])


def test_streaming_concat_errors():
    with pytest.raises(ValueError, match="statically known rank"):
        cm.streaming_concat(tf.placeholder(tf.float32))
    with pytest.raises(ValueError, match=r"axis = 2 not in \[0, 2\)"):
        cm.streaming_concat(tf.zeros([2, 2]), axis=2)
    with pytest.raises(ValueError, match="must have statically known size"):
        cm.streaming_concat(tf.placeholder(tf.float32, [None, None]))


def test_accuracy_batch_only():
    acc = cm.accuracy(tf.constant([1, 2, 3, 4]), tf.constant([1, 2, 0, 0]))
    wacc = cm.accuracy(tf.constant([1, 2, 3, 4]), tf.constant([1, 2, 0, 0]),
                       weights=tf.constant([1.0, 0.0, 1.0, 0.0]))
    with tf.Session() as sess:
        assert sess.run([acc, wacc]) == [0.5, 0.5]
    assert acc.name.startswith("accuracy/")
    with pytest.raises(ValueError, match="Labels should have bool, integer, or string dtype"):
        cm.accuracy(tf.constant([1.0]), tf.constant([1.0]))
    with pytest.raises(ValueError, match="Dtypes of predictions and labels should match"):
        cm.accuracy(tf.constant([1], tf.int64), tf.constant([1], tf.int32))


def test_aggregate_metric_map():
    p = tf.constant([1, 0, 1])
    lab = tf.constant([1, 1, 1])
    acc = cm.streaming_accuracy(p, lab)
    rec = cm.streaming_recall(p, lab)
    values, updates = cm.aggregate_metric_map({"acc": acc, "rec": rec})
    assert values == {"acc": acc[0], "rec": rec[0]}
    assert updates == {"acc": acc[1], "rec": rec[1]}
    with pytest.raises(ValueError, match="Expected at least one value_tensor/update_op pair"):
        cm.aggregate_metrics()


def test_streaming_covariance_and_pearson():
    rng = np.random.RandomState(3)
    x = rng.randn(12).astype(np.float32)
    y = (0.5 * x + rng.randn(12) * 0.3).astype(np.float32)
    w = rng.randint(0, 3, 12).astype(np.float32)
    px = tf.placeholder(tf.float32, [None])
    py = tf.placeholder(tf.float32, [None])
    pw = tf.placeholder(tf.float32, [None])
    cov, cov_up = cm.streaming_covariance(px, py)
    wcov, wcov_up = cm.streaming_covariance(px, py, weights=pw, name="wcov")
    r, r_up = cm.streaming_pearson_correlation(px, py)
    names = [v.op.name for v in tf.local_variables()]
    assert names[:4] == ["covariance/count", "covariance/mean_prediction",
                         "covariance/mean_label", "covariance/comoment"]
    assert "pearson_r/variance_labels/comoment" in names
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert np.isnan(sess.run(cov))
        for sl in (slice(0, 5), slice(5, 6), slice(6, 12)):
            sess.run([cov_up, wcov_up, r_up], {px: x[sl], py: y[sl], pw: w[sl]})
        got = sess.run([cov, wcov, r])
    np.testing.assert_allclose(got[0], np.cov(x, y)[0, 1], rtol=1e-4)
    np.testing.assert_allclose(got[1], np.cov(x, y, fweights=w.astype(int))[0, 1], rtol=1e-4)
    np.testing.assert_allclose(got[2], np.corrcoef(x, y)[0, 1], rtol=1e-4)
