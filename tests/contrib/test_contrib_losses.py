"""tf.contrib.losses (the pre-`tf.losses` API) and tf.contrib.losses.metric_learning: values
against numpy references of TF 1.15's formulas, names, collections, finite-difference
gradients."""

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf
from tensorflux.contrib import losses as closs
from tensorflux.contrib.losses import metric_learning as ml


@pytest.fixture(autouse=True)
def _fresh_graph():
    with tf.Graph().as_default():
        yield


def _run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


def _np_weighted(losses, weights):
    """TF 1.15 contrib's rule: weights tiled over the trailing axes, mean over non-zero."""
    losses = np.asarray(losses, np.float64)
    w = np.asarray(weights, np.float64)
    if w.ndim > 1 and w.shape[-1] == 1:
        w = w[..., 0]
    w_full = np.broadcast_to(w.reshape(w.shape + (1,) * (losses.ndim - w.ndim)), losses.shape)
    present = np.count_nonzero(w_full)
    return 0.0 if present == 0 else float((losses * w_full).sum() / present)


RNG = np.random.RandomState(0)
PRED = RNG.rand(4, 3).astype(np.float32)
LAB = RNG.rand(4, 3).astype(np.float32)


@pytest.mark.parametrize("weights", [1.0, 2.5, 0.0, [1.0, 0.0, 2.0, 0.5], [[1.0], [0.0], [3.0],
                                                                          [1.0]],
                                     RNG.rand(4, 3) * (RNG.rand(4, 3) > 0.3)])
def test_mean_squared_error_weights(weights):
    loss = closs.mean_squared_error(tf.constant(PRED), tf.constant(LAB),
                                    weights=np.asarray(weights, np.float32))
    np.testing.assert_allclose(_run(loss), _np_weighted((PRED - LAB) ** 2, weights), rtol=1e-5)
    assert tf.get_collection(tf.GraphKeys.LOSSES) == [loss]
    assert loss.name == "mean_squared_error/value:0"


def test_batch_weights_differ_from_tf_losses():
    """[batch] weights scale examples here; tf.losses refuses them for [batch, d] losses."""
    pred = tf.constant(RNG.rand(3, 3).astype(np.float32))
    lab = tf.constant(RNG.rand(3, 3).astype(np.float32))
    w = np.array([1.0, 0.0, 2.0], np.float32)
    old = closs.absolute_difference(pred, lab, weights=w)
    p, lb, a = _run([pred, lab, old])
    np.testing.assert_allclose(a, _np_weighted(np.abs(p - lb), w), rtol=1e-5)
    with pytest.raises(ValueError, match="weights can not be broadcast to values"):
        tf.losses.absolute_difference(lab, pred, weights=w)


def test_same_as_tf_losses_for_scalar_and_full_weights():
    logits = tf.constant(RNG.randn(5, 4).astype(np.float32))
    onehot = tf.constant(np.eye(4, dtype=np.float32)[[0, 3, 1, 1, 2]])
    full = RNG.rand(5, 4).astype(np.float32)
    pairs = [
        (closs.softmax_cross_entropy(logits, onehot, weights=2.0, label_smoothing=0.1),
         tf.losses.softmax_cross_entropy(onehot, logits, weights=2.0, label_smoothing=0.1)),
        (closs.sigmoid_cross_entropy(logits, onehot, weights=full, label_smoothing=0.2),
         tf.losses.sigmoid_cross_entropy(onehot, logits, weights=full, label_smoothing=0.2)),
        (closs.sparse_softmax_cross_entropy(logits, tf.constant([[0], [3], [1], [1], [2]])),
         tf.losses.sparse_softmax_cross_entropy(tf.constant([0, 3, 1, 1, 2]), logits)),
        (closs.log_loss(tf.sigmoid(logits), onehot, weights=full),
         tf.losses.log_loss(onehot, tf.sigmoid(logits), weights=full)),
        (closs.absolute_difference(logits, onehot), tf.losses.absolute_difference(onehot,
                                                                                  logits)),
    ]
    for old, new in pairs:
        a, b = _run([old, new])
        np.testing.assert_allclose(a, b, rtol=1e-5)


def test_softmax_cross_entropy_batch_weights_and_names():
    logits = RNG.randn(3, 4).astype(np.float32)
    labels = np.eye(4, dtype=np.float32)[[1, 0, 2]]
    w = np.array([1.0, 2.0, 0.0], np.float32)
    loss = closs.softmax_cross_entropy(tf.constant(logits), tf.constant(labels), weights=w)
    assert loss.name == "softmax_cross_entropy_loss/value:0"
    ls = np.log(np.exp(logits).sum(1)) - (logits * labels).sum(1)
    np.testing.assert_allclose(_run(loss), _np_weighted(ls, w), rtol=1e-5)


def test_sigmoid_cross_entropy_batch_weights():
    logits = RNG.randn(3, 2).astype(np.float32)
    labels = (RNG.rand(3, 2) > 0.5).astype(np.float32)
    w = np.array([0.5, 0.0, 1.0], np.float32)
    loss = closs.sigmoid_cross_entropy(tf.constant(logits), tf.constant(labels), weights=w)
    ls = np.maximum(logits, 0) - logits * labels + np.log1p(np.exp(-np.abs(logits)))
    np.testing.assert_allclose(_run(loss), _np_weighted(ls, w), rtol=1e-5)


def test_float64_inputs_come_back_float64():
    loss = closs.compute_weighted_loss(tf.constant([[1.0, 2.0], [3.0, 5.0]], tf.float64),
                                       weights=[1.0, 0.0])
    assert loss.dtype == tf.float64
    assert _run(loss) == pytest.approx(1.5)
    assert loss.op.type == "Cast"


def test_compute_weighted_loss_errors():
    with pytest.raises(ValueError, match="losses.get_shape\\(\\).ndims cannot be None"):
        closs.compute_weighted_loss(tf.placeholder(tf.float32))
    with pytest.raises(ValueError, match="weights.get_shape\\(\\).ndims cannot be None"):
        closs.compute_weighted_loss(tf.zeros([2]), weights=tf.placeholder(tf.float32))
    with pytest.raises(ValueError):
        closs.mean_squared_error(tf.zeros([2, 3]), tf.zeros([3, 2]))


def test_hinge_loss_unreduced_not_collected():
    logits = tf.constant([[-0.7, 0.2], [0.5, 2.0]])
    labels = tf.constant([[0.0, 1.0], [0.0, 1.0]])
    loss = closs.hinge_loss(logits, labels)
    np.testing.assert_allclose(_run(loss), [[0.3, 0.8], [1.5, 0.0]], rtol=1e-6)
    assert tf.get_collection(tf.GraphKeys.LOSSES) == []


def test_cosine_distance_reduces_axis():
    a = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]], np.float32)
    b = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, -1.0]], np.float32)
    loss = closs.cosine_distance(tf.constant(a), tf.constant(b), dim=1, weights=[1.0, 1.0, 0.0])
    np.testing.assert_allclose(_run(loss), (0.0 + 0.2) / 2, rtol=1e-6)
    with pytest.raises(ValueError, match="Cannot specify both 'axis' and 'dim'"):
        closs.cosine_distance(tf.constant(a), tf.constant(b), axis=1, dim=1)
    with pytest.raises(ValueError, match="cannot both be None"):
        closs.cosine_distance(tf.constant(a), tf.constant(b))


def test_mean_pairwise_squared_error():
    pred = RNG.rand(3, 4).astype(np.float32)
    lab = RNG.rand(3, 4).astype(np.float32)
    w = np.array([1.0, 2.0, 0.0], np.float32)
    loss = closs.mean_pairwise_squared_error(tf.constant(pred), tf.constant(lab), weights=w)
    d = pred - lab
    per_example = np.array([np.mean([(d[k, i] - d[k, j]) ** 2 for i in range(4)
                                     for j in range(4)]) for k in range(3)])
    # TF 1.15's formula: 2 * (sum d^2 / n - (sum d)^2 / n^2) per example, times the weight.
    np.testing.assert_allclose(_run(loss), (per_example * w).sum(), rtol=1e-5)
    assert tf.get_collection(tf.GraphKeys.LOSSES) == [loss]


def test_collections_and_total_loss():
    x = tf.constant([1.0, 3.0])
    l1 = closs.absolute_difference(x, tf.zeros([2]), scope="a")
    closs.add_loss(tf.constant(10.0))
    closs.add_loss(tf.constant(99.0), loss_collection=None)
    tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, tf.constant(0.5))
    assert len(closs.get_losses()) == 2
    assert closs.get_losses(scope="a") == [l1]
    assert len(closs.get_regularization_losses()) == 1
    total = closs.get_total_loss()
    assert total.name == "total_loss:0"
    assert _run(total) == pytest.approx(12.5)
    assert _run(closs.get_total_loss(add_regularization_losses=False, name="t2")) == 12.0
    with tf.contrib.framework.arg_scope([closs.add_loss], loss_collection="mine"):
        closs.add_loss(tf.constant(1.0))
    assert len(tf.get_collection("mine")) == 1


def test_loss_gradients():
    rng = np.random.RandomState(1)
    p, lab = rng.rand(3, 2), rng.rand(3, 2)
    w = np.array([1.0, 0.0, 2.0], np.float32)
    for fn in (closs.mean_squared_error, closs.absolute_difference):
        check_gradients(lambda x, y, fn=fn: tf.cast(fn(x, y, weights=w), tf.float64),
                        {"x": p, "y": lab}, wrt=["x"], eps=1e-3, tol=1e-3)
    check_gradients(lambda x: tf.cast(closs.softmax_cross_entropy(
        x, tf.constant(np.eye(2)[[0, 1, 1]]), weights=w), tf.float64),
        {"x": rng.randn(3, 2)}, eps=1e-3, tol=1e-3)


# --- metric learning ----------------------------------------------------------------------------
def _np_pdist(e, squared):
    d2 = ((e[:, None, :] - e[None, :, :]) ** 2).sum(-1)
    return d2 if squared else np.sqrt(d2)


def _np_triplet_semihard(labels, emb, margin):
    d = _np_pdist(emb.astype(np.float64), True)
    n = len(labels)
    total, count = 0.0, 0
    for a in range(n):
        negs = [k for k in range(n) if labels[k] != labels[a]]
        for p in range(n):
            if p == a or labels[p] != labels[a]:
                continue
            count += 1
            semi = [d[a, k] for k in negs if d[a, k] > d[a, p]]
            neg = min(semi) if semi else max(d[a, k] for k in negs)
            total += max(margin + d[a, p] - neg, 0.0)
    return total / count


def _np_lifted(labels, emb, margin):
    d = _np_pdist(emb.astype(np.float64), False)
    n = len(labels)
    total, count = 0.0, 0
    for i in range(n):
        for j in range(n):
            if i == j or labels[i] != labels[j]:
                continue
            count += 1
            s = sum(np.exp(margin - d[i, k]) for k in range(n) if labels[k] != labels[i])
            s += sum(np.exp(margin - d[j, k]) for k in range(n) if labels[k] != labels[j])
            total += max(np.log(s) + d[i, j], 0.0) ** 2
    return 0.25 * total / (count / 2.0)


LABELS = np.array([0, 1, 0, 2, 1, 2, 0, 1])
EMB = np.random.RandomState(2).randn(8, 3).astype(np.float32)


def test_pairwise_distance():
    got_sq = _run(ml.pairwise_distance(tf.constant(EMB), squared=True))
    got = _run(ml.pairwise_distance(tf.constant(EMB)))
    np.testing.assert_allclose(got_sq, _np_pdist(EMB, True), atol=1e-5)
    np.testing.assert_allclose(got, _np_pdist(EMB, False), atol=1e-3)
    assert np.all(np.diag(got) == 0)


@pytest.mark.parametrize("margin", [0.2, 1.0, 5.0])
def test_triplet_semihard_loss(margin):
    loss = ml.triplet_semihard_loss(tf.constant(LABELS), tf.constant(EMB), margin=margin)
    assert loss.name == "triplet_semihard_loss:0"
    np.testing.assert_allclose(_run(loss), _np_triplet_semihard(LABELS, EMB, margin),
                               rtol=1e-4)


@pytest.mark.parametrize("margin", [0.5, 1.0])
def test_lifted_struct_loss(margin):
    loss = ml.lifted_struct_loss(tf.constant(LABELS), tf.constant(EMB), margin=margin)
    assert loss.name == "liftedstruct_loss:0"
    np.testing.assert_allclose(_run(loss), _np_lifted(LABELS, EMB, margin), rtol=1e-4)


def test_contrastive_loss():
    a = np.random.RandomState(3).randn(5, 3).astype(np.float32) * 0.5
    b = np.random.RandomState(4).randn(5, 3).astype(np.float32) * 0.5
    y = np.array([1, 0, 0, 1, 0])
    loss = ml.contrastive_loss(tf.constant(y), tf.constant(a), tf.constant(b), margin=1.5)
    assert loss.name == "contrastive_loss:0"
    d = np.sqrt(((a - b) ** 2).sum(1))
    expected = np.mean(y * d ** 2 + (1 - y) * np.maximum(1.5 - d, 0) ** 2)
    np.testing.assert_allclose(_run(loss), expected, rtol=1e-5)


def test_npairs_loss():
    rng = np.random.RandomState(5)
    a = rng.randn(4, 3).astype(np.float32)
    p = rng.randn(4, 3).astype(np.float32)
    y = np.array([0, 1, 2, 1])
    loss = ml.npairs_loss(tf.constant(y), tf.constant(a), tf.constant(p), reg_lambda=0.01)
    sim = a.astype(np.float64) @ p.T
    target = (y[:, None] == y[None, :]).astype(np.float64)
    target /= target.sum(1, keepdims=True)
    logp = sim - np.log(np.exp(sim).sum(1, keepdims=True))
    xent = -(target * logp).sum(1).mean()
    l2 = 0.25 * 0.01 * ((a ** 2).sum(1).mean() + (p ** 2).sum(1).mean())
    np.testing.assert_allclose(_run(loss), xent + l2, rtol=1e-5)


def test_metric_learning_rejects_2d_labels():
    with pytest.raises(ValueError, match="1-D"):
        ml.triplet_semihard_loss(tf.constant([[0], [1]]), tf.zeros([2, 3]))


def _f32_loss(fn):
    return lambda e: tf.cast(fn(tf.cast(e, tf.float32)), tf.float64)


def test_metric_learning_gradients():
    emb = np.random.RandomState(6).randn(6, 3)
    labels = np.array([0, 1, 0, 1, 2, 2])
    check_gradients(_f32_loss(lambda e: ml.triplet_semihard_loss(labels, e, margin=1.0)),
                    {"e": emb}, eps=1e-3, tol=2e-3)
    check_gradients(_f32_loss(lambda e: ml.lifted_struct_loss(labels, e, margin=1.0)),
                    {"e": emb}, eps=1e-3, tol=2e-3)
    check_gradients(_f32_loss(lambda e: ml.contrastive_loss(
        np.array([1, 0, 1]), e[:3], e[3:], margin=3.0)), {"e": emb}, eps=1e-3, tol=2e-3)
    check_gradients(_f32_loss(lambda e: ml.npairs_loss(
        np.array([0, 1, 2]), e[:3], e[3:])), {"e": emb}, eps=1e-3, tol=2e-3)
