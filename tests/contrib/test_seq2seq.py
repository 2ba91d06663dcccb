"""tf.contrib.seq2seq: GatherTree, helpers, BasicDecoder/dynamic_decode, attention, beam search
and sequence_loss, against numpy references written from TF 1.15's formulas."""

import itertools
import zlib

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf

s2s = tf.contrib.seq2seq


def _bt(x):
    return np.transpose(np.asarray(x), [1, 0, 2]).astype(np.int32)


def _run(fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


def _var_values(sess):
    return {v.op.name: sess.run(v) for v in tf.global_variables()}


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _log_softmax(x):
    m = x.max(-1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(-1, keepdims=True))


def _const_getter(getter, name, shape=None, dtype=None, **kwargs):
    """Variables as deterministic constants (so gradient checks need no initializer)."""
    rng = np.random.RandomState(zlib.crc32(name.encode()))
    return tf.constant(rng.uniform(-0.8, 0.8, shape), dtype=dtype or tf.float64)


# --- GatherTree (expected values from TF's own beam_search_ops tests) -----------------------
def test_gather_tree_one():
    step_ids = _bt([[[1, 2, 3], [4, 5, 6], [7, 8, 9], [-1, -1, -1]]])
    parent_ids = _bt([[[0, 0, 0], [0, 1, 1], [2, 1, 2], [-1, -1, -1]]])
    beams = s2s.gather_tree(step_ids, parent_ids, max_sequence_lengths=[3], end_token=10)
    assert beams.op.type == "GatherTree"
    assert beams.shape.as_list() == [4, 1, 3]
    expected = _bt([[[2, 2, 2], [6, 5, 6], [7, 8, 9], [10, 10, 10]]])
    np.testing.assert_array_equal(_run(beams), expected)


def test_gather_tree_bad_parent_raises():
    step_ids = _bt([[[1, 2, 3], [4, 5, 6], [7, 8, 9], [-1, -1, -1]]])
    parent_ids = _bt([[[0, 0, 0], [0, -1, 1], [2, 1, 2], [-1, -1, -1]]])
    beams = s2s.gather_tree(step_ids, parent_ids, max_sequence_lengths=[3], end_token=10)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"parent id -1 at \(batch, time, beam\) == \(0, 0, 1\)"):
        _run(beams)


def test_gather_tree_batch_properties():
    batch_size, beam_width, max_time, end_token = 10, 15, 8, 5
    lengths = [0, 1, 2, 4, 7, 8, 9, 10, 11, 0]
    rng = np.random.RandomState(0)
    step_ids = rng.randint(0, end_token + 1, (max_time, batch_size, beam_width))
    parent_ids = rng.randint(0, beam_width - 1, (max_time, batch_size, beam_width))
    beams = s2s.gather_tree(step_ids.astype(np.int32), parent_ids.astype(np.int32), lengths,
                            end_token)
    assert beams.dtype == tf.int32
    value = _run(beams)
    for b in range(batch_size):
        np.testing.assert_array_equal(value[lengths[b]:, b, :], end_token)
    for b in range(batch_size):
        for k in range(beam_width):
            v = value[:, b, k]
            if end_token in v:
                found = np.where(v == end_token)[0][0]
                np.testing.assert_array_equal(v[found + 1:], end_token)


def test_gather_tree_shape_errors_and_no_gradient():
    with pytest.raises(ValueError, match="rank 3"):
        s2s.gather_tree([[1, 2]], [[1, 2]], [1], 0)
    with pytest.raises(TypeError, match="not in list of allowed values: int32"):
        s2s.gather_tree(tf.zeros([1, 1, 1], tf.int64), tf.zeros([1, 1, 1], tf.int64), [1], 0)
    ids = tf.placeholder(tf.int32, [3, 2, 4])
    with pytest.raises(ValueError, match="Dimensions must be equal"):
        s2s.gather_tree(ids, ids, [1, 2, 3], 0)
    x = tf.constant(1.0)
    out = s2s.gather_tree(ids, ids, [1, 2], 0)
    assert tf.gradients(tf.cast(out, tf.float32) * x, ids) == [None]


# --- tile_batch and sequence_loss ----------------------------------------------------------
def test_tile_batch():
    t = tf.constant(np.arange(6).reshape(2, 3))
    tiled = s2s.tile_batch({"a": t, "b": tf.constant([4, 5])}, 3)
    assert tiled["a"].shape.as_list() == [6, 3]
    got = _run(tiled)
    np.testing.assert_array_equal(got["a"], np.repeat(np.arange(6).reshape(2, 3), 3, axis=0))
    np.testing.assert_array_equal(got["b"], [4, 4, 4, 5, 5, 5])
    p = tf.placeholder(tf.float32, [None, 2])
    assert s2s.tile_batch(p, 2).shape.as_list() == [None, 2]


def _np_crossent(logits, targets):
    lp = _log_softmax(logits)
    return -np.take_along_axis(lp, targets[..., None], -1)[..., 0]


@pytest.mark.parametrize("kw", [
    {},
    dict(average_across_timesteps=False),
    dict(average_across_batch=False),
    dict(average_across_timesteps=False, average_across_batch=False),
    dict(average_across_timesteps=False, average_across_batch=False, sum_over_timesteps=True,
         sum_over_batch=True),
    dict(average_across_timesteps=False, average_across_batch=False, sum_over_timesteps=True),
    dict(average_across_timesteps=False, average_across_batch=False, sum_over_batch=True),
])
def test_sequence_loss_values(kw):
    rng = np.random.RandomState(1)
    logits = rng.randn(3, 4, 5).astype(np.float32)
    targets = rng.randint(0, 5, (3, 4)).astype(np.int32)
    weights = np.array([[1, 1, 1, 0], [1, 1, 0, 0], [0.5, 1, 1, 1]], np.float32)
    loss = s2s.sequence_loss(tf.constant(logits), tf.constant(targets), tf.constant(weights),
                             **kw)
    ce = _np_crossent(logits, targets) * weights
    avg_t = kw.get("average_across_timesteps", True)
    avg_b = kw.get("average_across_batch", True)
    sum_t, sum_b = kw.get("sum_over_timesteps", False), kw.get("sum_over_batch", False)
    if avg_t and avg_b:
        want = ce.sum() / (weights.sum() + 1e-12)
    elif sum_t and sum_b:
        want = ce.sum() / np.count_nonzero(weights)
    elif avg_t or avg_b:
        axis = 0 if avg_b else 1
        want = ce.sum(axis) / (weights.sum(axis) + 1e-12)
    elif sum_t or sum_b:
        axis = 0 if sum_b else 1
        want = ce.sum(axis) / np.count_nonzero(weights, axis)
    else:
        want = ce
    np.testing.assert_allclose(_run(loss), want, rtol=1e-5)
    assert loss.name.startswith("sequence_loss/")


def test_sequence_loss_errors():
    x3, x2 = tf.zeros([2, 3, 4]), tf.zeros([2, 3])
    with pytest.raises(ValueError, match="Logits must be"):
        s2s.sequence_loss(x2, x2, x2)
    with pytest.raises(ValueError, match="Targets must be"):
        s2s.sequence_loss(x3, x3, x2)
    with pytest.raises(ValueError, match="cannot be set to True at same time"):
        s2s.sequence_loss(x3, tf.zeros([2, 3], tf.int32), x2, sum_over_timesteps=True)


def test_sequence_loss_gradient():
    rng = np.random.RandomState(2)
    targets = rng.randint(0, 4, (2, 3)).astype(np.int32)
    check_gradients(
        lambda logits, weights, t: s2s.sequence_loss(logits, t, weights),
        {"logits": rng.randn(2, 3, 4), "weights": rng.uniform(0.2, 1, (2, 3)), "t": targets},
        op_types=["SparseSoftmaxCrossEntropyWithLogits"])
    check_gradients(
        lambda logits, weights, t: s2s.sequence_loss(logits, t, weights,
                                                     average_across_batch=False),
        {"logits": rng.randn(2, 3, 4), "weights": rng.uniform(0.2, 1, (2, 3)), "t": targets})


# --- attention mechanisms ------------------------------------------------------------------
def _np_bahdanau(query, memory, lengths, v, wq, wm, normalize, g=None, b=None):
    keys = memory @ wm
    pq = (query @ wq)[:, None, :]
    if normalize:
        score = ((g * v / np.sqrt((v ** 2).sum())) * np.tanh(keys + pq + b)).sum(-1)
    else:
        score = (v * np.tanh(keys + pq)).sum(-1)
    if lengths is not None:
        score = np.where(np.arange(memory.shape[1])[None] < np.asarray(lengths)[:, None], score,
                         -np.inf)
    return _softmax(score)


@pytest.mark.parametrize("normalize", [False, True])
def test_bahdanau_attention_values_and_names(normalize):
    rng = np.random.RandomState(3)
    memory = rng.randn(2, 5, 3).astype(np.float32)
    query = rng.randn(2, 4).astype(np.float32)
    mech = s2s.BahdanauAttention(6, tf.constant(memory), memory_sequence_length=[5, 3],
                                 normalize=normalize)
    assert mech.alignments_size == 5 and mech.state_size == 5 and mech.batch_size == 2
    with tf.variable_scope("decoder"):
        alignments, next_state = mech(tf.constant(query), mech.initial_state(2, tf.float32))
    assert next_state is alignments
    names = sorted(v.op.name for v in tf.global_variables())
    want = ["decoder/bahdanau_attention/attention_v",
            "decoder/bahdanau_attention/query_layer/kernel", "memory_layer/kernel"]
    if normalize:
        want += ["decoder/bahdanau_attention/attention_b",
                 "decoder/bahdanau_attention/attention_g"]
    assert names == sorted(want)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, values = sess.run(alignments), _var_values(sess)
    sc = "decoder/bahdanau_attention/"
    want_al = _np_bahdanau(query, memory, [5, 3], values[sc + "attention_v"],
                           values[sc + "query_layer/kernel"], values["memory_layer/kernel"],
                           normalize, values.get(sc + "attention_g"),
                           values.get(sc + "attention_b"))
    if normalize:
        np.testing.assert_allclose(values[sc + "attention_g"], np.sqrt(1 / 6), rtol=1e-6)
    np.testing.assert_allclose(got, want_al, rtol=1e-5, atol=1e-6)
    assert np.all(got[1, 3:] == 0)


@pytest.mark.parametrize("scale", [False, True])
def test_luong_attention_values(scale):
    rng = np.random.RandomState(4)
    memory = rng.randn(2, 4, 3).astype(np.float32)
    query = rng.randn(2, 5).astype(np.float32)
    mech = s2s.LuongAttention(5, tf.constant(memory), scale=scale)
    alignments, _ = mech(tf.constant(query), None)
    names = sorted(v.op.name for v in tf.global_variables())
    assert names == (["luong_attention/attention_g"] if scale else []) + ["memory_layer/kernel"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        if scale:
            g = [v for v in tf.global_variables() if v.op.name.endswith("attention_g")][0]
            sess.run(g.assign(1.7))
        got, values = sess.run(alignments), _var_values(sess)
    score = np.einsum("bd,btd->bt", query, memory @ values["memory_layer/kernel"])
    if scale:
        score = score * 1.7
    np.testing.assert_allclose(got, _softmax(score), rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="Incompatible or unknown inner dimensions"):
        mech(tf.zeros([2, 3]), None)


def test_attention_score_gradients():
    rng = np.random.RandomState(5)

    def bahdanau(memory, query):
        with tf.variable_scope("att", custom_getter=_const_getter):
            mech = s2s.BahdanauAttention(4, memory, memory_sequence_length=[3, 2],
                                         normalize=True, dtype=tf.float64)
            return mech(query, None)[0]

    def luong(memory, query):
        with tf.variable_scope("att", custom_getter=_const_getter):
            mech = s2s.LuongAttention(3, memory, scale=True, dtype=tf.float64)
            return mech(query, None)[0]

    inputs = {"memory": rng.randn(2, 3, 2), "query": rng.randn(2, 3)}
    check_gradients(bahdanau, inputs, op_types=["Tanh", "Softmax"])
    check_gradients(luong, inputs, op_types=["BatchMatMulV2"])


def test_hardmax_and_monotonic_attention():
    np.testing.assert_array_equal(_run(s2s.hardmax([[1., 3., 2.], [5., 0., 1.]])),
                                  [[0, 1, 0], [1, 0, 0]])
    p = np.array([[0.2, 0.7, 0.4, 0.9]], np.float64)
    prev = np.array([[0.5, 0.3, 0.2, 0.0]], np.float64)
    # The recursion: a[j] = p[j] * (q[j]), q[j] = (1 - p[j-1]) q[j-1] + prev[j].
    q, want = 0.0, []
    for j in range(4):
        q = (1 - p[0, j - 1]) * q + prev[0, j] if j else prev[0, 0]
        want.append(p[0, j] * q)
    for mode in ("recursive", "parallel"):
        got = _run(s2s.monotonic_attention(p, prev, mode))
        np.testing.assert_allclose(got[0], want, rtol=1e-6)
    hard = _run(s2s.monotonic_attention(np.array([[0., 1., 0., 1.]]), np.array(
        [[1., 0., 0., 0.]]), "hard"))
    np.testing.assert_array_equal(hard, [[0, 1, 0, 0]])
    with pytest.raises(ValueError, match="mode must be"):
        s2s.monotonic_attention(p, prev, "soft")


def _np_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def test_monotonic_attention_mechanisms():
    rng = np.random.RandomState(15)
    memory = rng.randn(2, 4, 3).astype(np.float32)
    query = rng.randn(2, 3).astype(np.float32)
    bm = s2s.BahdanauMonotonicAttention(3, tf.constant(memory), score_bias_init=-0.5)
    lm = s2s.LuongMonotonicAttention(3, tf.constant(memory), mode="hard", name="luong_mono")
    init = bm.initial_alignments(2, tf.float32)
    b_al, _ = bm(tf.constant(query), init)
    l_al, _ = lm(tf.constant(query), lm.initial_state(2, tf.float32))
    names = sorted(v.op.name for v in tf.global_variables())
    assert "bahdanau_monotonic_attention/attention_score_bias" in names
    assert "luong_monotonic_attention/attention_score_bias" in names
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got_init, got_b, got_l = sess.run([init, b_al, l_al])
        v = _var_values(sess)
    np.testing.assert_array_equal(got_init, [[1, 0, 0, 0], [1, 0, 0, 0]])
    sc = "bahdanau_monotonic_attention/"
    keys = memory @ v["memory_layer/kernel"]
    score = (v[sc + "attention_v"] * np.tanh(
        keys + (query @ v[sc + "query_layer/kernel"])[:, None])).sum(-1) - 0.5
    p = _np_sigmoid(score)
    excl = np.concatenate([np.ones((2, 1)), np.cumprod(1 - p, 1)[:, :-1]], 1)
    np.testing.assert_allclose(got_b, p * excl, rtol=1e-5, atol=1e-6)
    lscore = np.einsum("bd,btd->bt", query, memory @ v["memory_layer_1/kernel"])
    hard = (lscore > 0).astype(np.float32)
    want = hard * np.concatenate([np.ones((2, 1)), np.cumprod(1 - hard, 1)[:, :-1]], 1)
    np.testing.assert_array_equal(got_l, want)


# --- AttentionWrapper ----------------------------------------------------------------------
def _rnn_step(x, h, kernel, bias):
    return np.tanh(np.concatenate([x, h], 1) @ kernel + bias)


@pytest.mark.parametrize("output_attention", [True, False])
def test_attention_wrapper_matches_numpy(output_attention):
    rng = np.random.RandomState(6)
    B, T, M, D = 2, 3, 4, 3
    memory = rng.randn(B, M, 5).astype(np.float32)
    inputs = rng.randn(B, T, D).astype(np.float32)
    mech = s2s.BahdanauAttention(4, tf.constant(memory), memory_sequence_length=[4, 2])
    cell = s2s.AttentionWrapper(tf.nn.rnn_cell.BasicRNNCell(6), mech, attention_layer_size=7,
                                alignment_history=True, output_attention=output_attention)
    assert cell.output_size == (7 if output_attention else 6)
    size = cell.state_size
    assert isinstance(size, s2s.AttentionWrapperState)
    assert (size.attention, size.alignments, size.alignment_history) == (7, 4, 4)
    init = cell.zero_state(B, tf.float32)
    assert isinstance(init.alignment_history, tf.TensorArray)
    helper = s2s.TrainingHelper(tf.constant(inputs), [T, T])
    out, state, lengths = s2s.dynamic_decode(s2s.BasicDecoder(cell, helper, init))
    history = state.alignment_history.stack()
    names = sorted(v.op.name for v in tf.global_variables())
    assert names == [
        "decoder/attention_wrapper/attention_layer/kernel",
        "decoder/attention_wrapper/bahdanau_attention/attention_v",
        "decoder/attention_wrapper/bahdanau_attention/query_layer/kernel",
        "decoder/attention_wrapper/basic_rnn_cell/bias",
        "decoder/attention_wrapper/basic_rnn_cell/kernel",
        "memory_layer/kernel"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, got_state, got_hist, got_len = sess.run([out, state.attention, history,
                                                      lengths])
        got_time = sess.run(state.time)
        v = _var_values(sess)
    sc = "decoder/attention_wrapper/"
    h = np.zeros((B, 6), np.float32)
    attention = np.zeros((B, 7), np.float32)
    outs, hists = [], []
    for t in range(T):
        h = _rnn_step(np.concatenate([inputs[:, t], attention], 1), h,
                      v[sc + "basic_rnn_cell/kernel"], v[sc + "basic_rnn_cell/bias"])
        al = _np_bahdanau(h, memory, [4, 2], v[sc + "bahdanau_attention/attention_v"],
                          v[sc + "bahdanau_attention/query_layer/kernel"],
                          v["memory_layer/kernel"], False)
        context = np.einsum("bm,bmd->bd", al, memory * (np.arange(M) < np.array(
            [[4], [2]]))[..., None])
        attention = np.concatenate([h, context], 1) @ v[sc + "attention_layer/kernel"]
        outs.append(attention if output_attention else h)
        hists.append(al)
    np.testing.assert_allclose(got.rnn_output, np.stack(outs, 1), rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(got.sample_id, np.argmax(np.stack(outs, 1), -1))
    np.testing.assert_allclose(got_hist, np.stack(hists), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(got_state, attention, rtol=1e-4, atol=1e-5)
    assert got_time == T
    np.testing.assert_array_equal(got_len, [T, T])


def test_attention_decoder_gradient():
    rng = np.random.RandomState(17)

    def build(inputs, memory):
        with tf.variable_scope("model", custom_getter=_const_getter):
            mech = s2s.LuongAttention(3, memory, memory_sequence_length=[3, 2], scale=True,
                                      dtype=tf.float64)
            cell = s2s.AttentionWrapper(tf.nn.rnn_cell.GRUCell(3, dtype=tf.float64), mech,
                                        attention_layer_size=2)
            helper = s2s.TrainingHelper(inputs, [3, 2])
            dec = s2s.BasicDecoder(cell, helper, cell.zero_state(2, tf.float64))
            out, _, _ = s2s.dynamic_decode(dec, impute_finished=True)
            return out.rnn_output

    check_gradients(build, {"inputs": rng.randn(2, 3, 2), "memory": rng.randn(2, 3, 4)},
                    op_types=["While"])


def test_attention_wrapper_multi_and_errors():
    memory = tf.constant(np.random.RandomState(7).randn(2, 3, 4).astype(np.float32))
    m1 = s2s.LuongAttention(5, memory)
    m2 = s2s.BahdanauAttention(5, memory)
    cell = s2s.AttentionWrapper(tf.nn.rnn_cell.LSTMCell(5), [m1, m2], attention_layer_size=[2, 3])
    assert cell.output_size == 5
    assert cell.state_size.alignments == (3, 3)
    out, state = tf.nn.dynamic_rnn(cell, tf.zeros([2, 4, 1]), dtype=tf.float32)
    assert out.shape.as_list() == [2, 4, 5]
    assert isinstance(state.alignments, tuple) and len(state.alignments) == 2
    no_layer = s2s.AttentionWrapper(tf.nn.rnn_cell.LSTMCell(5), m1, name="plain")
    assert no_layer.output_size == 4
    with pytest.raises(TypeError, match="attention_mechanism must be an AttentionMechanism"):
        s2s.AttentionWrapper(tf.nn.rnn_cell.LSTMCell(5), "nope")
    with pytest.raises(ValueError, match="Only one of attention_layer_size"):
        s2s.AttentionWrapper(tf.nn.rnn_cell.LSTMCell(5), m1, attention_layer_size=2,
                             attention_layer=tf.layers.Dense(2))
    with pytest.raises(ValueError, match="exactly one integer per attention_mechanism"):
        s2s.AttentionWrapper(tf.nn.rnn_cell.LSTMCell(5), [m1, m2], attention_layer_size=[2])
    with pytest.raises(TypeError, match="Expected state to be instance of AttentionWrapperState"):
        no_layer(tf.zeros([2, 1]), (tf.zeros([2, 5]), tf.zeros([2, 5])))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Non-matching batch sizes"):
        cell.zero_state(3, tf.float32)
    batch = tf.placeholder(tf.int32, [])
    bad = cell.zero_state(batch, tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Non-matching batch sizes"):
        _run(bad.cell_state, {batch: 3})


def test_attention_wrapper_state_clone():
    memory = tf.zeros([2, 3, 4])
    cell = s2s.AttentionWrapper(tf.nn.rnn_cell.GRUCell(4), s2s.LuongAttention(4, memory))
    state = cell.zero_state(2, tf.float32)
    new = state.clone(cell_state=tf.placeholder(tf.float32, [None, None]))
    assert new.cell_state.shape.as_list() == [2, 4]
    assert new.attention is state.attention


# --- decoding loops ------------------------------------------------------------------------
def _greedy_graph(B, V, E, H, end_token, maximum_iterations, impute_finished, helper_kind):
    emb = tf.get_variable("embedding", [V, E])
    cell = tf.nn.rnn_cell.BasicRNNCell(H)
    start = tf.fill([B], 0)
    if helper_kind == "greedy":
        helper = s2s.GreedyEmbeddingHelper(emb, start, end_token)
    elif helper_kind == "sample_cold":
        helper = s2s.SampleEmbeddingHelper(emb, start, end_token, softmax_temperature=1e-4,
                                           seed=3)
    else:
        def initialize_fn():
            return tf.tile([False], [B]), tf.nn.embedding_lookup(emb, start)

        def sample_fn(time, outputs, state):
            return tf.argmax(outputs, -1, output_type=tf.int32)

        def next_inputs_fn(time, outputs, state, sample_ids):
            return (tf.equal(sample_ids, end_token), tf.nn.embedding_lookup(emb, sample_ids),
                    state)

        helper = s2s.CustomHelper(initialize_fn, sample_fn, next_inputs_fn)
    h0 = np.random.RandomState(14).randn(B, H).astype(np.float32)
    dec = s2s.BasicDecoder(cell, helper, tf.constant(h0), output_layer=tf.layers.Dense(V))
    return s2s.dynamic_decode(dec, impute_finished=impute_finished,
                              maximum_iterations=maximum_iterations)


def _np_greedy(v, B, end_token, max_iter, impute):
    emb = v["embedding"]
    x = np.repeat(emb[:1], B, 0)
    h = np.random.RandomState(14).randn(B, v["decoder/basic_rnn_cell/bias"].shape[0])
    finished = np.zeros(B, bool)
    lengths = np.zeros(B, np.int32)
    logits_all, ids_all = [], []
    for t in range(max_iter):
        if finished.all():
            break
        new_h = _rnn_step(x, h, v["decoder/basic_rnn_cell/kernel"],
                          v["decoder/basic_rnn_cell/bias"])
        logits = new_h @ v["decoder/dense/kernel"] + v["decoder/dense/bias"]
        ids = logits.argmax(-1)
        lengths = np.where(~finished, t + 1, lengths)
        if impute:
            logits_all.append(np.where(finished[:, None], 0, logits))
            ids_all.append(np.where(finished, 0, ids))
            h = np.where(finished[:, None], h, new_h)
        else:
            logits_all.append(logits)
            ids_all.append(ids)
            h = new_h
        finished = finished | (ids == end_token)
        x = emb[ids]
    return np.stack(logits_all, 1), np.stack(ids_all, 1), lengths


@pytest.mark.parametrize("helper_kind,impute", [("greedy", False), ("greedy", True),
                                                 ("custom", True), ("sample_cold", False)])
def test_greedy_decoding_matches_numpy(helper_kind, impute):
    B, V, E, H, max_iter = 4, 6, 3, 5, 7
    tf.set_random_seed(11)
    # Build once with an unreachable end token to pick one that some entries reach.
    out, _, _ = _greedy_graph(B, V, E, H, -1, max_iter, impute, helper_kind)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        ids, values = sess.run(out.sample_id), _var_values(sess)
    # The end token whose first occurrences differ most between entries.
    first = [[list(row).index(c) if c in row else max_iter for row in ids] for c in range(V)]
    end_token = int(np.argmax([np.std(f) for f in first]))
    with tf.Graph().as_default():
        out, state, lengths = _greedy_graph(B, V, E, H, end_token, max_iter, impute,
                                            helper_kind)
        assert out.rnn_output.shape.as_list() == [B, None, V]
        with tf.Session() as sess:
            for var in tf.global_variables():
                var.load(values[var.op.name], sess)
            got, got_len = sess.run([out, lengths])
    want_logits, want_ids, want_len = _np_greedy(values, B, end_token, max_iter, impute)
    np.testing.assert_array_equal(got.sample_id, want_ids)
    np.testing.assert_allclose(got.rnn_output, want_logits, rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(got_len, want_len)
    assert want_len.min() < want_len.max()


def test_custom_helper_batch_size_before_initialize():
    helper = s2s.CustomHelper(lambda: None, None, None)
    with pytest.raises(ValueError, match="batch_size accessed before initialize was called"):
        _ = helper.batch_size


def test_training_helper_matches_dynamic_rnn_and_time_major():
    rng = np.random.RandomState(8)
    x = rng.randn(3, 5, 2).astype(np.float32)
    lengths = [5, 3, 0]
    cell = tf.nn.rnn_cell.GRUCell(4)
    with tf.variable_scope("shared"):
        rnn_out, _ = tf.nn.dynamic_rnn(cell, tf.constant(x), sequence_length=lengths,
                                       dtype=tf.float32)
    with tf.variable_scope("shared", reuse=True):
        helper = s2s.TrainingHelper(tf.transpose(x, [1, 0, 2]), lengths, time_major=True)
        dec = s2s.BasicDecoder(cell, helper, cell.zero_state(3, tf.float32))
        out, _, dec_len = s2s.dynamic_decode(dec, output_time_major=True, impute_finished=True,
                                             scope=tf.get_variable_scope())
    assert out.rnn_output.shape.as_list() == [None, 3, 4]
    want, got, got_len = _run([rnn_out, out.rnn_output, dec_len])
    np.testing.assert_allclose(np.transpose(got, [1, 0, 2]), want, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(got_len, [5, 3, 0])
    with pytest.raises(ValueError, match="Expected sequence_length to be a vector"):
        s2s.TrainingHelper(tf.constant(x), 3)


def test_scheduled_embedding_training_helper():
    rng = np.random.RandomState(9)
    V, B, T = 5, 3, 4
    emb = tf.constant(rng.randn(V, 2).astype(np.float32))
    ids = rng.randint(0, V, (B, T))
    inputs = tf.nn.embedding_lookup(emb, ids)
    cell = tf.nn.rnn_cell.BasicRNNCell(V)
    outs = []
    for i, prob in enumerate([0.0, 1.0]):
        with tf.variable_scope("dec", reuse=i > 0):
            helper = s2s.ScheduledEmbeddingTrainingHelper(inputs, [T] * B, emb, prob, seed=1)
            dec = s2s.BasicDecoder(cell, helper, cell.zero_state(B, tf.float32))
            outs.append(s2s.dynamic_decode(dec, scope=tf.get_variable_scope())[0])
        teacher = s2s.TrainingHelper(inputs, [T] * B)
    with tf.variable_scope("dec", reuse=True):
        plain = s2s.dynamic_decode(s2s.BasicDecoder(cell, teacher, cell.zero_state(
            B, tf.float32)), scope=tf.get_variable_scope())[0]
    never, always, want = _run([outs[0], outs[1], plain])
    np.testing.assert_array_equal(never.sample_id, -1)
    np.testing.assert_allclose(never.rnn_output, want.rnn_output, rtol=1e-6)
    assert always.sample_id.min() >= 0 and always.sample_id.max() < V
    with pytest.raises(ValueError, match="sampling_probability must be either a scalar"):
        s2s.ScheduledEmbeddingTrainingHelper(inputs, [T] * B, emb, [[0.5]])


def test_scheduled_output_training_helper():
    rng = np.random.RandomState(16)
    B, T, D = 2, 3, 3
    x = rng.randn(B, T, D).astype(np.float32)
    cell = tf.nn.rnn_cell.BasicRNNCell(D)
    results = []
    for i, (prob, fn) in enumerate([(0.0, None), (1.0, None), (1.0, lambda o: o * 2.0)]):
        with tf.variable_scope("dec", reuse=i > 0):
            helper = s2s.ScheduledOutputTrainingHelper(tf.constant(x), [T] * B, prob,
                                                       next_inputs_fn=fn)
            dec = s2s.BasicDecoder(cell, helper, cell.zero_state(B, tf.float32))
            results.append(s2s.dynamic_decode(dec, scope=tf.get_variable_scope())[0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run(results)
        v = _var_values(sess)
    kernel, bias = v["dec/basic_rnn_cell/kernel"], v["dec/basic_rnn_cell/bias"]
    for out, (teacher, scale) in zip(got, [(True, 1.0), (False, 1.0), (False, 2.0)]):
        h, inp, want = np.zeros((B, D), np.float32), x[:, 0], []
        for t in range(T):
            h = _rnn_step(inp, h, kernel, bias)
            want.append(h)
            inp = x[:, t + 1] if teacher and t + 1 < T else h * scale
        np.testing.assert_allclose(out.rnn_output, np.stack(want, 1), rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(out.sample_id, 0 if teacher else 1)


def test_inference_helper_feeds_outputs_back():
    B, D = 2, 3
    cell = tf.nn.rnn_cell.BasicRNNCell(D)
    start = np.full((B, D), 0.5, np.float32)
    helper = s2s.InferenceHelper(
        sample_fn=lambda outputs: outputs, sample_shape=[D], sample_dtype=tf.float32,
        start_inputs=start, end_fn=lambda s: tf.reduce_sum(s, -1) > 1e9,
        next_inputs_fn=lambda s: s * 2.0)
    dec = s2s.BasicDecoder(cell, helper, cell.zero_state(B, tf.float32))
    out, _, lengths = s2s.dynamic_decode(dec, maximum_iterations=3)
    assert out.sample_id.shape.as_list() == [B, None, D]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, got_len, v = sess.run(out), sess.run(lengths), _var_values(sess)
    x, h, want = start, np.zeros((B, D), np.float32), []
    for _ in range(3):
        h = _rnn_step(x, h, v["decoder/basic_rnn_cell/kernel"], v["decoder/basic_rnn_cell/bias"])
        want.append(h)
        x = h * 2.0
    np.testing.assert_allclose(got.sample_id, np.stack(want, 1), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(got_len, [3, 3])


def test_dynamic_decode_errors():
    with pytest.raises(TypeError, match="Expected decoder to be type Decoder"):
        s2s.dynamic_decode("decoder")
    cell = tf.nn.rnn_cell.BasicRNNCell(2)
    helper = s2s.TrainingHelper(tf.zeros([1, 2, 2]), [2])
    dec = s2s.BasicDecoder(cell, helper, cell.zero_state(1, tf.float32))
    with pytest.raises(ValueError, match="maximum_iterations must be a scalar"):
        s2s.dynamic_decode(dec, maximum_iterations=[3])
    with pytest.raises(TypeError, match="helper must be a Helper"):
        s2s.BasicDecoder(cell, "helper", None)
    with pytest.raises(TypeError, match="output_layer must be a Layer"):
        s2s.BasicDecoder(cell, helper, None, output_layer=lambda x: x)
    out, _, lengths = s2s.dynamic_decode(dec, maximum_iterations=0)
    got, got_len = _run([out.rnn_output, lengths])
    assert got.shape == (1, 0, 2) and list(got_len) == [0]


# --- beam search ---------------------------------------------------------------------------
class _InputCell(tf.nn.rnn_cell.RNNCell):
    """Outputs its input, carries a dummy state: logits depend on the previous token only."""

    def __init__(self, depth):
        super().__init__()
        self._depth = depth

    @property
    def state_size(self):
        return 1

    @property
    def output_size(self):
        return self._depth

    def call(self, inputs, state):
        return inputs, state + 1.0


def _np_beam_search(table, B, K, start, end, max_iter, penalty):
    """TF's beam search on a Markov chain: log p(w | prev) = log_softmax(table[prev])."""
    V = table.shape[1]
    lp_table = _log_softmax(table.astype(np.float64))
    log_probs = np.tile([0.0] + [-np.inf] * (K - 1), (B, 1))
    finished = np.tile([False] + [True] * (K - 1), (B, 1))
    lengths = np.zeros((B, K), np.int64)
    prev = np.full((B, K), start)
    scores_all, ids_all, parents_all = [], [], []
    for _ in range(max_iter):
        step = lp_table[prev]
        fin_row = np.full(V, np.finfo(np.float32).min)
        fin_row[end] = 0
        step = np.where(finished[..., None], fin_row, step)
        total = log_probs[..., None] + step
        add = (np.arange(V) != end)[None, None, :] & ~finished[..., None]
        new_len = lengths[..., None] + add
        pen = ((5.0 + new_len) / 6.0) ** penalty if penalty else 1.0
        scores = (total / pen).reshape(B, -1)
        idx = np.argsort(-scores, axis=1, kind="stable")[:, :K]
        next_scores = np.take_along_axis(scores, idx, 1)
        words, parents = idx % V, idx // V
        log_probs = np.take_along_axis(total.reshape(B, -1), idx, 1)
        prev_fin = np.take_along_axis(finished, parents, 1)
        lengths = np.take_along_axis(lengths, parents, 1) + ~prev_fin
        finished = prev_fin | (words == end)
        scores_all.append(next_scores)
        ids_all.append(words)
        parents_all.append(parents)
        prev = words
        if finished.all():
            break
    return np.stack(scores_all), np.stack(ids_all), np.stack(parents_all), lengths


def _np_gather_tree(ids, parents, lengths, end):
    T, B, K = ids.shape
    out = np.full(ids.shape, end)
    for b in range(B):
        n = min(T, lengths[b])
        for k in range(K):
            if n <= 0:
                continue
            out[n - 1, b, k] = ids[n - 1, b, k]
            p = parents[n - 1, b, k]
            for t in range(n - 2, -1, -1):
                out[t, b, k] = ids[t, b, p]
                p = parents[t, b, p]
            done = False
            for t in range(n):
                if done:
                    out[t, b, k] = end
                elif out[t, b, k] == end:
                    done = True
    return out


@pytest.mark.parametrize("penalty", [0.0, 0.9])
def test_beam_search_matches_numpy(penalty):
    B, K, V, E, end, max_iter = 2, 3, 6, 4, 1, 6
    rng = np.random.RandomState(12)
    emb_value = rng.randn(V, E).astype(np.float32)
    kernel = (rng.randn(E, V) * 1.5).astype(np.float32)
    bias = rng.randn(V).astype(np.float32) * 0.5
    emb = tf.constant(emb_value)
    cell = _InputCell(E)
    proj = tf.layers.Dense(V, kernel_initializer=tf.constant_initializer(kernel),
                           bias_initializer=tf.constant_initializer(bias))
    dec = s2s.BeamSearchDecoder(cell, emb, tf.fill([B], 0), end, tf.zeros([B * K, 1]), K,
                                output_layer=proj, length_penalty_weight=penalty)
    assert dec.output_size.predicted_ids.as_list() == [K]
    out, state, lengths = s2s.dynamic_decode(dec, maximum_iterations=max_iter)
    assert isinstance(out, s2s.FinalBeamSearchDecoderOutput)
    assert isinstance(state, s2s.BeamSearchDecoderState)
    assert out.predicted_ids.shape.as_list() == [B, None, K]
    got, got_state = _run([out, state._replace(cell_state=())])
    table = emb_value @ kernel + bias
    scores, ids, parents, want_len = _np_beam_search(table, B, K, 0, end, max_iter, penalty)
    raw = got.beam_search_decoder_output
    np.testing.assert_array_equal(np.transpose(raw.predicted_ids, [1, 0, 2]), ids)
    np.testing.assert_array_equal(np.transpose(raw.parent_ids, [1, 0, 2]), parents)
    np.testing.assert_allclose(np.transpose(raw.scores, [1, 0, 2]), scores, rtol=1e-4)
    np.testing.assert_array_equal(got_state.lengths, want_len)
    tree = _np_gather_tree(ids, parents, want_len.max(1), end)
    np.testing.assert_array_equal(got.predicted_ids, np.transpose(tree, [1, 0, 2]))
    # The top beam is the best-scoring finished hypothesis the search kept.
    assert np.all(raw.scores[:, -1, 0] >= raw.scores[:, -1, 1])


def test_beam_search_finds_brute_force_optimum():
    # A peaked chain: beam search with 3 beams finds the most probable sequence ending in EOS.
    V, end, E = 4, 1, 4
    table = np.log(np.array([[0.05, 0.05, 0.5, 0.4],
                             [0.25, 0.25, 0.25, 0.25],
                             [0.1, 0.6, 0.1, 0.2],
                             [0.05, 0.05, 0.1, 0.8]]))
    emb = tf.constant(np.eye(V, dtype=np.float32))
    proj = tf.layers.Dense(V, kernel_initializer=tf.constant_initializer(table.astype(
        np.float32)), use_bias=False)
    dec = s2s.BeamSearchDecoder(_InputCell(E), emb, [0], end, tf.zeros([3, 1]), 3,
                                output_layer=proj)
    out, _, _ = s2s.dynamic_decode(dec, maximum_iterations=4)
    best = _run(out.predicted_ids)[0, :, 0]
    lp = _log_softmax(table)
    brute = {}
    for n in range(1, 5):
        for seq in itertools.product(range(V), repeat=n):
            if seq[-1] != end or end in seq[:-1]:
                continue
            prev, total = 0, 0.0
            for w in seq:
                total, prev = total + lp[prev, w], w
            brute[seq] = total
    want = max(brute, key=brute.get)
    np.testing.assert_array_equal(best[:len(want)], want)


def test_beam_search_with_attention_reorders_alignment_history():
    B, K, M = 2, 2, 3
    memory = tf.constant(np.random.RandomState(13).randn(B, M, 4).astype(np.float32))
    tiled = s2s.tile_batch(memory, K)
    lengths = s2s.tile_batch(tf.constant([3, 2]), K)
    mech = s2s.BahdanauAttention(4, tiled, memory_sequence_length=lengths)
    cell = s2s.AttentionWrapper(tf.nn.rnn_cell.LSTMCell(4), mech, alignment_history=True)
    emb = tf.get_variable("emb", [5, 2])
    dec = s2s.BeamSearchDecoder(cell, emb, tf.fill([B], 0), 1, cell.zero_state(B * K, tf.float32),
                                K, output_layer=tf.layers.Dense(5))
    out, state, _ = s2s.dynamic_decode(dec, maximum_iterations=4)
    history = state.cell_state.alignment_history
    assert isinstance(history, tf.Tensor)
    got_hist, got_ids = _run([history, out.predicted_ids])
    assert got_hist.shape[1:] == (B * K, M)
    assert got_ids.shape[0] == B
    np.testing.assert_allclose(got_hist.sum(-1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(got_hist[:, K:, 2], 0)  # entry 1's masked memory step
    with pytest.raises(ValueError, match="start_tokens must be a vector"):
        s2s.BeamSearchDecoder(cell, emb, [[0]], 1, None, K)


def test_gather_tree_from_array():
    T, B, K, D = 4, 2, 3, 2
    rng = np.random.RandomState(18)
    t = rng.randn(T, B * K, D).astype(np.float32)
    parents = rng.randint(0, K, (T, B, K)).astype(np.int32)
    lengths = np.array([[4, 3, 2], [1, 2, 2]], np.int32)
    got = _run(s2s.gather_tree_from_array(tf.constant(t), tf.constant(parents),
                                          tf.constant(lengths)))
    beam_ids = np.tile(np.arange(K), (T, B, 1))
    order = _np_gather_tree(beam_ids, parents, lengths.max(1), K + 1)
    in_bound = np.arange(T)[:, None, None] < lengths[None]
    order = np.where(in_bound, order, beam_ids)
    want = np.stack([t[i, (np.arange(B)[:, None] * K + order[i]).ravel()] for i in range(T)])
    np.testing.assert_allclose(got, want)


def test_beam_search_coverage_penalty_and_attention_layer():
    B, K = 2, 3
    memory = tf.constant(np.random.RandomState(19).randn(B, 4, 3).astype(np.float32))
    mech = s2s.BahdanauAttention(5, s2s.tile_batch(memory, K))
    initial = tf.nn.rnn_cell.LSTMCell(6).zero_state(B * K, tf.float32)
    cell = s2s.AttentionWrapper(tf.nn.rnn_cell.LSTMCell(6), mech,
                                attention_layer=tf.layers.Dense(4, use_bias=False),
                                initial_cell_state=initial)
    assert cell.output_size == 4
    dec = s2s.BeamSearchDecoder(cell, tf.get_variable("emb", [7, 2]), tf.fill([B], 0), 1,
                                cell.zero_state(B * K, tf.float32), K,
                                output_layer=tf.layers.Dense(7),
                                length_penalty_weight=tf.constant(0.5),
                                coverage_penalty_weight=0.4)
    out, state, _ = s2s.dynamic_decode(dec, maximum_iterations=5)
    assert state.accumulated_attention_probs.shape.as_list() == [B, K, 4]
    ids, coverage, lengths = _run([out.predicted_ids, state.accumulated_attention_probs,
                                   state.lengths])
    assert ids.shape[0] == B and ids.shape[2] == K
    # Each live step adds one alignment distribution (summing to 1) to a beam's coverage.
    assert np.all(coverage.sum(-1) <= lengths + 1 + 1e-4)
    assert np.all(coverage.sum(-1) > 0.99)


def test_beam_search_state_size_mismatch():
    cell = tf.nn.rnn_cell.GRUCell(3)
    with pytest.raises(ValueError, match="Unexpected behavior when reshaping"):
        s2s.BeamSearchDecoder(cell, tf.zeros([4, 2]), [0, 0], 1, tf.zeros([4, 5]), 2)


# --- end to end ----------------------------------------------------------------------------
def test_attention_seq2seq_learns_to_copy():
    V, GO, EOS, T, B, H, K = 6, 0, 1, 4, 16, 24, 3
    rng = np.random.RandomState(0)
    tf.set_random_seed(1)
    src = tf.placeholder(tf.int32, [None, T])
    bs = tf.shape(src)[0]
    dec_in = tf.concat([tf.fill([bs, 1], GO), src], 1)
    dec_out = tf.concat([src, tf.fill([bs, 1], EOS)], 1)
    emb = tf.get_variable("embedding", [V, 8])
    enc_out, enc_state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(H),
                                           tf.nn.embedding_lookup(emb, src), dtype=tf.float32,
                                           scope="encoder")
    proj = tf.layers.Dense(V, name="projection")

    def make_cell(memory, batch_size, state):
        mech = s2s.BahdanauAttention(H, memory)
        cell = s2s.AttentionWrapper(tf.nn.rnn_cell.LSTMCell(H), mech, attention_layer_size=H)
        return cell, cell.zero_state(batch_size, tf.float32).clone(cell_state=state)

    with tf.variable_scope("dec"):
        cell, init = make_cell(enc_out, bs, enc_state)
        helper = s2s.TrainingHelper(tf.nn.embedding_lookup(emb, dec_in), tf.fill([bs], T + 1))
        out, _, _ = s2s.dynamic_decode(s2s.BasicDecoder(cell, helper, init, output_layer=proj))
    loss = s2s.sequence_loss(out.rnn_output, dec_out, tf.ones([bs, T + 1]))
    train = tf.train.AdamOptimizer(0.02).minimize(loss)
    with tf.variable_scope("dec", reuse=True):
        cell, init = make_cell(enc_out, bs, enc_state)
        greedy = s2s.GreedyEmbeddingHelper(emb, tf.fill([bs], GO), EOS)
        g_out, _, g_len = s2s.dynamic_decode(s2s.BasicDecoder(cell, greedy, init, proj),
                                             maximum_iterations=T + 3)
    with tf.variable_scope("dec", reuse=True):
        cell, init = make_cell(s2s.tile_batch(enc_out, K), bs * K,
                               s2s.tile_batch(enc_state, K))
        beam = s2s.BeamSearchDecoder(cell, emb, tf.fill([bs], GO), EOS, init, K,
                                     output_layer=proj)
        b_out, _, _ = s2s.dynamic_decode(beam, maximum_iterations=T + 3)
    names = {v.op.name for v in tf.trainable_variables()}
    assert "dec/memory_layer/kernel" in names
    assert "dec/decoder/attention_wrapper/bahdanau_attention/attention_v" in names
    assert "dec/decoder/projection/kernel" in names
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(250):
            final_loss, _ = sess.run([loss, train], {src: rng.randint(2, V, (B, T))})
        test = rng.randint(2, V, (8, T))
        g_ids, g_lens, b_ids = sess.run([g_out.sample_id, g_len, b_out.predicted_ids],
                                        {src: test})
    assert final_loss < 0.05
    want = np.concatenate([test, np.full((8, 1), EOS)], 1)
    np.testing.assert_array_equal(g_ids, want)
    np.testing.assert_array_equal(g_lens, T + 1)
    np.testing.assert_array_equal(b_ids[:, :T + 1, 0], want)
