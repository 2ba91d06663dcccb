"""tf.losses against real TensorFlow: values, weights, reductions, names, collections, errors,
and finite-difference checks of the losses' gradients."""

import json
import os

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "train")
with open(os.path.join(FIXTURES, "losses.json")) as _f:
    DATA = json.load(_f)
INPUTS = {k: np.array(v, dtype=DATA["dtypes"][k]) for k, v in DATA["inputs"].items()}


def _args(args):
    return {k: tf.constant(INPUTS[v]) if isinstance(v, str) and k != "reduction" else v
            for k, v in args.items()}


def _id(c):
    return "%s(%s)" % (c["fn"], ",".join("%s=%s" % kv for kv in sorted(c["args"].items())))


@pytest.mark.parametrize("case", DATA["cases"], ids=_id)
def test_loss_matches_tensorflow(case):
    loss = getattr(tf.losses, case["fn"])(**_args(case["args"]))
    assert loss.name == case["name"]
    assert [t.name for t in tf.get_collection(tf.GraphKeys.LOSSES)] == case["collection"]
    with tf.Session() as sess:
        value = sess.run(loss)
    assert list(np.shape(value)) == case["shape"]
    np.testing.assert_allclose(value, case["value"], rtol=2e-6, atol=1e-7)


def test_losses_collection_and_totals():
    want = DATA["collection"]
    targets, preds = tf.constant(INPUTS["targets"]), tf.constant(INPUTS["preds"])
    a = tf.losses.mean_squared_error(targets, preds)
    with tf.name_scope("tower"):
        b = tf.losses.absolute_difference(targets, preds)
    c = tf.losses.huber_loss(targets, preds, loss_collection=None)
    w = tf.get_variable("w", initializer=tf.constant([1.0, -2.0]),
                        regularizer=lambda v: 0.5 * tf.reduce_sum(tf.square(v)))
    tf.losses.add_loss(tf.constant(0.25, name="extra"))
    total = tf.losses.get_total_loss()
    total_no_reg = tf.losses.get_total_loss(add_regularization_losses=False, name="t2")
    reg = tf.losses.get_regularization_loss()
    assert [t.name for t in tf.losses.get_losses()] == want["losses"]
    assert [t.name for t in tf.losses.get_losses(scope="tower")] == want["tower_losses"]
    assert [t.name for t in tf.losses.get_regularization_losses()] == want["regularization"]
    assert {"total": total.name, "t2": total_no_reg.name, "reg": reg.name} == want["names"]
    with tf.Session() as sess:
        sess.run(w.initializer)
        got = sess.run({"a": a, "b": b, "c": c, "total": total, "t2": total_no_reg, "reg": reg})
    for k, v in want["values"].items():
        np.testing.assert_allclose(got[k], v, rtol=1e-6, err_msg=k)


def test_regularization_loss_without_regularizers_is_zero():
    reg = tf.losses.get_regularization_loss()
    with tf.Session() as sess:
        assert sess.run(reg) == 0.0


def test_loss_errors_match_tensorflow():
    err = DATA["errors"]
    targets, preds = tf.constant(INPUTS["targets"]), tf.constant(INPUTS["preds"])
    with pytest.raises(ValueError) as e:
        tf.losses.mean_squared_error(targets, preds, weights=tf.constant(INPUTS["w4"]))
    assert str(e.value).split(" Received")[0] == err["rank"].split(" Received")[0]
    with pytest.raises(ValueError) as e:
        tf.losses.mean_squared_error(targets, preds, weights=tf.ones([4, 2]))
    assert str(e.value).split(" Received")[0] == err["dim"].split(" Received")[0]
    with pytest.raises(ValueError) as e:
        tf.losses.compute_weighted_loss(preds, reduction="mean")
    assert str(e.value) == err["reduction"]
    with pytest.raises(ValueError) as e:
        tf.losses.cosine_distance(targets, preds)
    assert str(e.value) == err["axis"]
    with pytest.raises(ValueError) as e:
        tf.losses.mean_squared_error(None, preds)
    assert str(e.value) == err["labels_none"]


def test_reduction_keys():
    R = tf.losses.Reduction
    assert R.SUM_BY_NONZERO_WEIGHTS == R.SUM_OVER_NONZERO_WEIGHTS == \
        "weighted_sum_by_nonzero_weights"
    assert set(R.all()) == {"none", "weighted_sum", "weighted_sum_over_batch_size",
                            "weighted_mean", "weighted_sum_by_nonzero_weights"}


def test_loss_with_unknown_batch_size():
    logits = tf.placeholder(tf.float32, [None, 5])
    labels = tf.placeholder(tf.int32, [None])
    weights = tf.placeholder(tf.float32, [None])
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits, weights=weights)
    want = [c for c in DATA["cases"] if c["fn"] == "sparse_softmax_cross_entropy"
            and c["args"].get("weights") == "w4"][0]["value"]
    with tf.Session() as sess:
        got = sess.run(loss, {logits: INPUTS["logits"], labels: INPUTS["labels"],
                              weights: INPUTS["w4"]})
    np.testing.assert_allclose(got, want, rtol=2e-6)


def test_softmax_loss_trains_the_logits_not_the_labels():
    logits = tf.Variable(INPUTS["logits"], name="logits")
    labels = tf.Variable(INPUTS["onehot"], name="labels")
    loss = tf.losses.softmax_cross_entropy(labels, logits, label_smoothing=0.1)
    g_logits, g_labels = tf.gradients(loss, [logits, labels])
    assert g_labels is None  # labels pass through stop_gradient
    assert g_logits is not None


# --- finite-difference checks of the gradients (float32 inside the losses: loose tolerance) ---
RS = np.random.RandomState(11)
GRAD_CASES = {
    "softmax_cross_entropy": (
        lambda lg, w: tf.losses.softmax_cross_entropy(
            tf.constant(INPUTS["onehot"], tf.float64), lg, weights=w, label_smoothing=0.1),
        {"lg": INPUTS["logits"], "w": INPUTS["w4"]}),
    "sparse_softmax_cross_entropy": (
        lambda lg: tf.losses.sparse_softmax_cross_entropy(tf.constant(INPUTS["labels"]), lg),
        {"lg": INPUTS["logits"]}),
    "sigmoid_cross_entropy": (
        lambda lg: tf.losses.sigmoid_cross_entropy(tf.constant(INPUTS["multi"]), lg,
                                                   weights=tf.constant(INPUTS["w45"])),
        {"lg": INPUTS["logits"]}),
    "mean_squared_error": (
        lambda p, t: tf.losses.mean_squared_error(t, p, weights=tf.constant(INPUTS["w43"])),
        {"p": INPUTS["preds"], "t": INPUTS["targets"]}),
    "absolute_difference": (
        lambda p: tf.losses.absolute_difference(tf.constant(INPUTS["targets"]), p),
        {"p": INPUTS["preds"]}),
    "huber_loss": (
        lambda p: tf.losses.huber_loss(tf.constant(INPUTS["targets"]), p, delta=0.5),
        {"p": INPUTS["preds"]}),
    "log_loss": (
        lambda p: tf.losses.log_loss(tf.constant(INPUTS["bits"]), p),
        {"p": INPUTS["probs"]}),
    "hinge_loss": (
        lambda lg: tf.losses.hinge_loss(tf.constant(INPUTS["bits"]), lg),
        {"lg": INPUTS["preds"]}),
    "cosine_distance": (
        lambda p: tf.losses.cosine_distance(tf.constant(INPUTS["unit_t"]), p, axis=1,
                                            weights=tf.constant(INPUTS["w41"])),
        {"p": INPUTS["unit_p"]}),
    "mean_pairwise_squared_error": (
        lambda p: tf.losses.mean_pairwise_squared_error(tf.constant(INPUTS["targets"]), p),
        {"p": INPUTS["preds"]}),
    "compute_weighted_loss_mean": (
        lambda x: tf.losses.compute_weighted_loss(
            x * x, weights=tf.constant(INPUTS["w13"]), reduction=tf.losses.Reduction.MEAN),
        {"x": INPUTS["preds"]}),
}


@pytest.mark.parametrize("name", sorted(GRAD_CASES))
def test_loss_gradient_finite_differences(name):
    fn, inputs = GRAD_CASES[name]
    wrt = [k for k in inputs if k != "w"]
    check_gradients(fn, inputs, wrt=wrt, tol=2e-3, eps=1e-3)
