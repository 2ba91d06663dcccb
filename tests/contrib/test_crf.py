"""tf.contrib.crf against brute-force enumeration of every tag sequence (tiny sizes)."""

import itertools

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf

crf = tf.contrib.crf


def _run(fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


def _score(unary, trans, seq):
    return (sum(unary[t, s] for t, s in enumerate(seq)) +
            sum(trans[a, b] for a, b in zip(seq[:-1], seq[1:])))


def _brute(unary, trans, n, allowed=None):
    """(log Z, best sequence, best score) over all tag sequences of length n."""
    k = unary.shape[1]
    scores = {}
    for seq in itertools.product(range(k), repeat=n):
        if allowed is not None and not all(allowed[t, s] for t, s in enumerate(seq)):
            continue
        scores[seq] = _score(unary, trans, seq)
    values = np.array(list(scores.values()))
    best = max(scores, key=scores.get)
    return np.log(np.exp(values - values.max()).sum()) + values.max(), list(best), scores[best]


def _case(seed=0, batch=4, steps=4, tags=3):
    rng = np.random.RandomState(seed)
    unary = rng.randn(batch, steps, tags).astype(np.float32)
    trans = rng.randn(tags, tags).astype(np.float32)
    tag_ids = rng.randint(0, tags, (batch, steps)).astype(np.int32)
    lengths = np.array([steps, 2, 1, 3][:batch], np.int32)
    return unary, trans, tag_ids, lengths


@pytest.mark.parametrize("tag_dtype", [np.int32, np.int64])
def test_crf_log_likelihood_matches_brute_force(tag_dtype):
    unary, trans, tag_ids, lengths = _case()
    ll, trans_out = crf.crf_log_likelihood(tf.constant(unary), tf.constant(tag_ids.astype(
        tag_dtype)), tf.constant(lengths), tf.constant(trans))
    assert ll.shape.as_list() == [4]
    got, seq, norm, unary_s, binary_s = _run([
        ll, crf.crf_sequence_score(unary, tag_ids, lengths, trans),
        crf.crf_log_norm(unary, lengths, trans), crf.crf_unary_score(tag_ids, lengths, unary),
        crf.crf_binary_score(tag_ids, lengths, tf.constant(trans))])
    for b, n in enumerate(lengths):
        log_z = _brute(unary[b], trans, n)[0]
        gold = _score(unary[b], trans, tag_ids[b, :n])
        np.testing.assert_allclose(got[b], gold - log_z, rtol=1e-5)
        np.testing.assert_allclose(seq[b], gold, rtol=1e-5)
        np.testing.assert_allclose(norm[b], log_z, rtol=1e-5)
        np.testing.assert_allclose(unary_s[b], unary[b, np.arange(n), tag_ids[b, :n]].sum(),
                                   rtol=1e-5)
        np.testing.assert_allclose(
            binary_s[b], sum(trans[a, c] for a, c in zip(tag_ids[b, :n - 1], tag_ids[b, 1:n])),
            rtol=1e-5, atol=1e-6)


def test_crf_creates_transitions_variable():
    unary, _, tag_ids, lengths = _case()
    with tf.variable_scope("crf_layer"):
        ll, trans = crf.crf_log_likelihood(tf.constant(unary), tag_ids, lengths)
    assert trans.op.name == "crf_layer/transitions"
    assert trans.shape.as_list() == [3, 3]
    assert [v.op.name for v in tf.trainable_variables()] == ["crf_layer/transitions"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, trans_value = sess.run([ll, trans])
    log_z = _brute(unary[0], trans_value, 4)[0]
    np.testing.assert_allclose(got[0], _score(unary[0], trans_value, tag_ids[0]) - log_z,
                               rtol=1e-5)


def test_single_step_and_zero_length():
    unary, trans, tag_ids, _ = _case(seed=1, batch=3, steps=1)
    lengths = np.array([1, 0, 1], np.int32)
    ll, _ = crf.crf_log_likelihood(tf.constant(unary), tag_ids, lengths, tf.constant(trans))
    tags, best = crf.crf_decode(tf.constant(unary), tf.constant(trans), lengths)
    got, got_tags, got_best = _run([ll, tags, best])
    for b in (0, 2):
        log_z = np.log(np.exp(unary[b, 0]).sum())
        np.testing.assert_allclose(got[b], unary[b, 0, tag_ids[b, 0]] - log_z, rtol=1e-5)
    assert got[1] == 0
    np.testing.assert_array_equal(got_tags[:, 0], unary[:, 0].argmax(-1))
    np.testing.assert_allclose(got_best, unary[:, 0].max(-1))
    # Zero length among longer sequences: the log-likelihood is 0.
    unary, trans, tag_ids, _ = _case(seed=2)
    ll, _ = crf.crf_log_likelihood(tf.constant(unary), tag_ids, [4, 0, 2, 1], tf.constant(trans))
    assert _run(ll)[1] == 0


def test_unknown_time_axis_uses_cond():
    unary, trans, tag_ids, lengths = _case(seed=3)
    x = tf.placeholder(tf.float32, [None, None, 3])
    t = tf.placeholder(tf.int32, [None, None])
    ll, _ = crf.crf_log_likelihood(x, t, lengths, tf.constant(trans))
    tags, _ = crf.crf_decode(x, tf.constant(trans), lengths)
    got = _run(ll, {x: unary, t: tag_ids})
    log_z = _brute(unary[0], trans, 4)[0]
    np.testing.assert_allclose(got[0], _score(unary[0], trans, tag_ids[0]) - log_z, rtol=1e-5)
    got1 = _run([ll, tags], {x: unary[:, :1], t: tag_ids[:, :1]})
    np.testing.assert_array_equal(got1[1][:, 0], unary[:, 0].argmax(-1))


def test_crf_decode_and_viterbi_match_brute_force():
    unary, trans, _, lengths = _case(seed=4, batch=4, steps=5, tags=4)
    lengths = np.array([5, 3, 1, 4], np.int32)
    tags, best = crf.crf_decode(tf.constant(unary), tf.constant(trans), tf.constant(lengths))
    assert tags.dtype == tf.int32
    got_tags, got_best = _run([tags, best])
    for b, n in enumerate(lengths):
        _, want_seq, want_score = _brute(unary[b], trans, n)
        np.testing.assert_array_equal(got_tags[b, :n], want_seq)
        np.testing.assert_allclose(got_best[b], want_score, rtol=1e-5)
        seq, score = crf.viterbi_decode(unary[b, :n], trans)
        assert list(seq) == want_seq
        np.testing.assert_allclose(score, want_score, rtol=1e-5)


def test_crf_multitag_sequence_score():
    unary, trans, _, lengths = _case(seed=5)
    allowed = np.random.RandomState(6).rand(4, 4, 3) > 0.4
    allowed[..., 0] = True
    got = _run(crf.crf_multitag_sequence_score(tf.constant(unary), tf.constant(allowed),
                                               tf.constant(lengths), tf.constant(trans)))
    for b, n in enumerate(lengths):
        np.testing.assert_allclose(got[b], _brute(unary[b], trans, n, allowed[b])[0], rtol=1e-5)


def test_cells():
    rng = np.random.RandomState(7)
    trans = rng.randn(3, 3).astype(np.float32)
    state = rng.randn(2, 3).astype(np.float32)
    x = rng.randn(2, 3).astype(np.float32)
    fwd = crf.CrfForwardRnnCell(tf.constant(trans))
    assert fwd.state_size == 3 and fwd.output_size == 3
    alphas, _ = fwd(tf.constant(x), tf.constant(state))
    dec = crf.CrfDecodeForwardRnnCell(tf.constant(trans))
    bp, new_state = dec(tf.constant(x), tf.constant(state))
    bwd = crf.CrfDecodeBackwardRnnCell(3)
    assert bwd.state_size == 1
    prev_tags, _ = bwd(tf.constant([[2, 0, 1], [1, 1, 0]]), tf.constant([[0], [2]]))
    got_a, got_bp, got_state, got_prev = _run([alphas, bp, new_state, prev_tags])
    m = state[:, :, None] + trans[None]
    np.testing.assert_allclose(got_a, x + np.log(np.exp(m).sum(1)), rtol=1e-5)
    np.testing.assert_array_equal(got_bp, m.argmax(1))
    np.testing.assert_allclose(got_state, x + m.max(1), rtol=1e-6)
    np.testing.assert_array_equal(got_prev, [[2], [0]])


def test_crf_log_likelihood_gradient():
    unary, trans, tag_ids, lengths = _case(seed=8, batch=3, steps=3)

    def build(inputs, transitions, tags):
        return crf.crf_log_likelihood(inputs, tags, lengths[:3], transitions)[0]

    check_gradients(build, {"inputs": unary, "transitions": trans, "tags": tag_ids},
                    op_types=["StatelessWhile"])
