"""tf.nn.ctc_loss, ctc_greedy_decoder and ctc_beam_search_decoder against real TensorFlow.

The fixtures (tools/fixtures/gen_rnn.py) cover repeated labels, preprocess_collapse_repeated,
ctc_merge_repeated=False, ignore_longer_outputs_than_inputs (and a zero sequence length),
batch-major inputs, and both decoders with and without merging. The loss's gradient also gets a
float64 finite-difference check.
"""

import json
import os

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "rnn")
with open(os.path.join(FIXTURES, "cases.json")) as _f:
    META = json.load(_f)
ARRAYS = dict(np.load(os.path.join(FIXTURES, "arrays.npz")))


def _arrays(name):
    return {k[len(name) + 1:]: v for k, v in ARRAYS.items() if k.startswith(name + "/")}


def _sparse(labels, dtype=tf.int32):
    idx = [[b, i] for b, lab in enumerate(labels) for i in range(len(lab))]
    vals = [v for lab in labels for v in lab]
    return tf.SparseTensor(idx, tf.constant(vals, dtype), [len(labels), 4])


@pytest.mark.parametrize("spec", META["ctc_loss"], ids=lambda s: s["name"])
def test_ctc_loss_matches_tensorflow(spec):
    a = _arrays(spec["name"])
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, a["logits"].shape)
        loss = tf.nn.ctc_loss(_sparse(spec["labels"]), x, spec["lengths"],
                              **spec.get("kwargs", {}))
        assert loss.shape.as_list() == [3]
        grad = tf.gradients(loss * a["gy"], x)[0]
        with tf.Session() as sess:
            loss_v, grad_v = sess.run([loss, grad], {x: a["logits"]})
    np.testing.assert_allclose(loss_v, a["loss"], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(grad_v, a["grad"], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("kwargs", [{}, {"ctc_merge_repeated": False},
                                    {"preprocess_collapse_repeated": True}])
def test_ctc_loss_gradient_finite_differences(kwargs):
    rng = np.random.RandomState(7)
    labels = [[1, 1], [0, 2, 0]]

    def build(logits):
        return tf.nn.ctc_loss(_sparse(labels), logits, [5, 4], **kwargs)

    check_gradients(build, {"logits": rng.uniform(-1, 1, (5, 2, 4))}, op_types=["CTCLoss"],
                    tol=1e-6)


def _decode(spec, x):
    if spec["fn"] == "greedy":
        return tf.nn.ctc_greedy_decoder(x, spec["lengths"], **spec["kwargs"])
    return tf.nn.ctc_beam_search_decoder(x, spec["lengths"], **spec["kwargs"])


@pytest.mark.parametrize("spec", META["decoders"], ids=lambda s: s["name"])
def test_decoders_match_tensorflow(spec):
    a = _arrays(spec["name"])
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, a["logits"].shape)
        decoded, log_prob = _decode(spec, x)
        assert log_prob.shape.as_list() == list(a["log_prob"].shape)
        with tf.Session() as sess:
            dec, lp = sess.run([decoded, log_prob], {x: a["logits"]})
    assert len(dec) == spec["kwargs"].get("top_paths", 1)
    for i, d in enumerate(dec):
        np.testing.assert_array_equal(d.indices, a["indices%d" % i])
        np.testing.assert_array_equal(d.values, a["values%d" % i])
        np.testing.assert_array_equal(d.dense_shape, a["shape%d" % i])
        assert d.values.dtype == np.int64
    np.testing.assert_allclose(lp, a["log_prob"], rtol=1e-5, atol=1e-5)


def test_greedy_decoder_hand_case():
    # classes 0..2, blank 3; best path: 1 1 blank 1 2 2 -> merged "1 1 2", unmerged "1 1 1 2 2"
    best = [1, 1, 3, 1, 2, 2]
    logits = np.full((6, 1, 4), -1.0, np.float32)
    logits[np.arange(6), 0, best] = 2.0
    with tf.Graph().as_default():
        (merged,), neg = tf.nn.ctc_greedy_decoder(logits, [6])
        (raw,), _ = tf.nn.ctc_greedy_decoder(logits, [6], merge_repeated=False)
        with tf.Session() as sess:
            m, r, n = sess.run([merged, raw, neg])
    assert m.values.tolist() == [1, 1, 2] and r.values.tolist() == [1, 1, 1, 2, 2]
    assert m.dense_shape.tolist() == [1, 3]
    assert n.tolist() == [[-12.0]]


def test_ctc_loss_errors():
    with tf.Graph().as_default():
        x = tf.zeros([3, 1, 4])
        with pytest.raises(TypeError, match="SparseTensor"):
            tf.nn.ctc_loss([[1, 2]], x, [3])
        too_long = tf.nn.ctc_loss(_sparse([[0, 1, 2, 0]]), x, [3])
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="Not enough time"):
                sess.run(too_long)


def test_ctc_loss_is_the_negative_log_likelihood():
    # One class and the blank over 2 steps: label "0" is emitted by paths 0-, -0, 00.
    p = np.array([[0.6, 0.4], [0.3, 0.7]])
    with tf.Graph().as_default():
        loss = tf.nn.ctc_loss(_sparse([[0]]), np.log(p)[:, None, :].astype(np.float32), [2])
        with tf.Session() as sess:
            v = sess.run(loss)
    expected = -np.log(0.6 * 0.7 + 0.4 * 0.3 + 0.6 * 0.3)
    np.testing.assert_allclose(v, [expected], rtol=1e-6)


def test_crnn_style_training_learns_the_labels():
    """Bidirectional RNN -> dense -> CTC, trained with Adam: the greedy decoding converges."""
    rng = np.random.RandomState(0)
    batch, steps, depth = 4, 8, 6
    labels = [[0, 1], [2, 2], [1], [0, 2, 1]]
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        x = tf.placeholder(tf.float32, [None, steps, depth])
        (fw, bw), _ = tf.nn.bidirectional_dynamic_rnn(
            tf.nn.rnn_cell.LSTMCell(8), tf.nn.rnn_cell.GRUCell(8), x, dtype=tf.float32)
        logits = tf.layers.dense(tf.concat([fw, bw], 2), 4)
        loss = tf.reduce_mean(tf.nn.ctc_loss(_sparse(labels), logits, [steps] * batch,
                                             time_major=False))
        train = tf.train.AdamOptimizer(0.05).minimize(loss)
        (decoded,), _ = tf.nn.ctc_greedy_decoder(tf.transpose(logits, [1, 0, 2]),
                                                 [steps] * batch)
        feed = {x: rng.randn(batch, steps, depth).astype(np.float32)}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run(loss, feed)
            for _ in range(60):
                sess.run(train, feed)
            last, dec = sess.run([loss, decoded], feed)
    assert last < 0.1 * first
    got = [[] for _ in labels]
    for (b, _), v in zip(dec.indices, dec.values):
        got[b].append(int(v))
    assert got == labels
