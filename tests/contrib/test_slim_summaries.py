"""slim.summaries: TF-Slim's summary helpers (names, collections, printing, zero fraction),
and slim.metrics (tf.contrib.metrics)."""

import numpy as np
import pytest

import tensorflux as tf

slim = tf.contrib.slim
summaries = slim.summaries


def _summary_value(serialized):
    summary = tf.Summary()
    summary.ParseFromString(serialized)
    return summary.value[0]


def test_scalar_summary_names_and_collection():
    with tf.Graph().as_default() as g:
        x = tf.constant([1.0, 0.0, 2.0], name="x")
        total = tf.reduce_sum(x, name="total")
        s1 = summaries.add_scalar_summary(total, prefix="losses")
        s2 = summaries.add_scalar_summary(total, "Total_Loss")
        assert s1.name == "losses/total:0"
        assert s2.name == "Total_Loss:0"
        assert g.get_collection(tf.GraphKeys.SUMMARIES) == [s1, s2]
        with tf.Session() as sess:
            value = _summary_value(sess.run(s1))
    assert value.tag == "losses/total"
    assert value.simple_value == pytest.approx(3.0)


def test_zero_fraction_summary():
    with tf.Graph().as_default() as g:
        x = tf.constant([[1.0, 0.0, 2.0], [0.0, 0.0, 5.0]], name="x")
        s = summaries.add_zero_fraction_summary(x, prefix="sparsity")
        assert s.name == "sparsity/x/Fraction_of_Zero_Values:0"
        fraction = g.get_tensor_by_name("zero_fraction/fraction:0")
        with tf.Session() as sess:
            fraction_value, serialized = sess.run([fraction, s])
    assert fraction_value == pytest.approx(0.5)
    value = _summary_value(serialized)
    assert value.tag == "sparsity/x/Fraction_of_Zero_Values"
    assert value.simple_value == pytest.approx(0.5)


def test_histogram_summary():
    with tf.Graph().as_default():
        x = tf.constant([1.0, 0.0, 2.0], name="x")
        s = summaries.add_histogram_summary(x, name="hist", prefix="p")
        assert s.name == "p/hist:0"
        assert s.op.type == "HistogramSummary"
        with tf.Session() as sess:
            value = _summary_value(sess.run(s))
    assert value.tag == "p/hist"
    assert value.histo.num == 3
    assert value.histo.sum == pytest.approx(3.0)


def test_print_summary_puts_the_print_op_in_the_collection():
    with tf.Graph().as_default() as g:
        x = tf.constant([4.0, 2.0], name="x")
        s = summaries.add_scalar_summary(x[0], "first", print_summary=True)
        assert s.op.type == "Print"
        assert g.get_collection(tf.GraphKeys.SUMMARIES) == [s]
        assert [op.name for op in g.get_operations() if op.type == "ScalarSummary"] == ["first"]
        with tf.Session() as sess:
            assert _summary_value(sess.run(s)).simple_value == pytest.approx(4.0)


def test_image_summary():
    with tf.Graph().as_default() as g:
        images = tf.zeros([2, 4, 4, 3], name="images")
        s = summaries.add_image_summary(images, prefix="input")
        assert s.name == "input/images:0" and s.op.type == "ImageSummary"
        printed = summaries.add_image_summary(images, name="again", print_summary=True)
        assert printed.op.type == "Print"
        assert g.get_collection(tf.GraphKeys.SUMMARIES) == [s, printed]


def test_plural_helpers():
    with tf.Graph().as_default() as g:
        a = tf.constant([1.0, 0.0], name="a")
        b = tf.constant([0.0, 0.0], name="b")
        hist = summaries.add_histogram_summaries([a, b], prefix="h")
        scal = summaries.add_scalar_summaries([a[0], b[0]], prefix="s")
        zero = summaries.add_zero_fraction_summaries([a, b])
        imgs = summaries.add_image_summaries([tf.zeros([1, 2, 2, 1], name="im")], prefix="i")
        assert [t.name for t in hist] == ["h/a:0", "h/b:0"]
        assert [t.name for t in scal] == ["s/strided_slice:0", "s/strided_slice_1:0"]
        assert [t.name for t in zero] == ["a/Fraction_of_Zero_Values:0",
                                          "b/Fraction_of_Zero_Values:0"]
        assert [t.name for t in imgs] == ["i/im:0"]
        assert len(g.get_collection(tf.GraphKeys.SUMMARIES)) == 7
        with tf.Session() as sess:
            values = [_summary_value(v).simple_value for v in sess.run(zero)]
    np.testing.assert_allclose(values, [0.5, 1.0])


def test_slim_metrics_is_contrib_metrics():
    assert slim.metrics is tf.contrib.metrics
    with tf.Graph().as_default():
        predictions = tf.constant([1, 0, 1, 1])
        labels = tf.constant([1, 1, 1, 0])
        names_to_values, names_to_updates = slim.metrics.aggregate_metric_map({
            "accuracy": slim.metrics.streaming_accuracy(predictions, labels),
        })
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            sess.run(names_to_updates["accuracy"])
            assert sess.run(names_to_values["accuracy"]) == pytest.approx(0.5)
