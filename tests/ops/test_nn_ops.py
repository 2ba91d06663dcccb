"""tf.nn behaviour beyond the fixtures: names, static shapes, TF1 keywords, errors, randomness,
tie-breaking, and the kernels' internal fast paths against their general paths."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.backends.numpy import conv_ops as conv_kernels

rng = np.random.RandomState(3)


def run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


def naive_conv2d(x, w, stride, pads):
    """Direct NHWC convolution with explicit (top, bottom, left, right) padding."""
    x = np.pad(x, ((0, 0), pads[:2], pads[2:], (0, 0)))
    kh, kw, _, o = w.shape
    oh = (x.shape[1] - kh) // stride + 1
    ow = (x.shape[2] - kw) // stride + 1
    y = np.zeros((x.shape[0], oh, ow, o))
    for i in range(kh):
        for j in range(kw):
            y += np.einsum("nhwc,co->nhwo", x[:, i:i + stride * oh:stride,
                                              j:j + stride * ow:stride], w[i, j])
    return y


# --- names and static shapes ---------------------------------------------------------------------
def test_default_names_follow_tf():
    x = tf.placeholder(tf.float32, [1, 8, 8, 3])
    w = tf.ones([3, 3, 3, 4])
    assert tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME").name == "Conv2D:0"
    assert tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME").name == "Conv2D_1:0"
    assert tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME", name="c").name == "c:0"
    assert tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME").name == "MaxPool:0"
    assert tf.nn.avg_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME").name == "AvgPool:0"
    assert tf.nn.relu(x).name == "Relu:0"
    assert tf.nn.bias_add(x, tf.ones([3])).name == "BiasAdd:0"
    assert tf.nn.softmax(x).name == "Softmax:0"
    assert tf.nn.conv1d(tf.ones([1, 5, 2]), tf.ones([2, 2, 3]), 1, "SAME").name == \
        "conv1d/Squeeze:0"
    y = tf.nn.conv2d_transpose(x, tf.ones([3, 3, 5, 3]), [1, 16, 16, 5], [1, 2, 2, 1])
    assert y.name == "conv2d_transpose:0" and y.op.type == "Conv2DBackpropInput"
    assert y.shape.as_list() == [1, 16, 16, 5]


@pytest.mark.parametrize("padding,stride,out", [("SAME", 1, 28), ("SAME", 2, 14),
                                                ("VALID", 1, 24), ("VALID", 2, 12),
                                                ("SAME", 3, 10), ("VALID", 3, 8)])
def test_conv_and_pool_static_shapes(padding, stride, out):
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    y = tf.nn.conv2d(x, tf.ones([5, 5, 1, 32]), strides=[1, stride, stride, 1], padding=padding)
    assert y.shape.as_list() == [None, out, out, 32]
    nchw = tf.nn.conv2d(tf.placeholder(tf.float32, [2, 1, 28, 28]), tf.ones([5, 5, 1, 8]),
                        [1, 1, stride, stride], padding, data_format="NCHW")
    assert nchw.shape.as_list() == [2, 8, out, out]
    p = tf.nn.max_pool(x, [1, 5, 5, 1], [1, stride, stride, 1], padding)
    assert p.shape.as_list() == [None, out, out, 1]


def test_unknown_batch_runs():
    x = tf.placeholder(tf.float32, [None, 6, 6, 2])
    w = rng.randn(3, 3, 2, 4).astype(np.float32)
    y = tf.nn.max_pool(tf.nn.relu(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")), [1, 2, 2, 1],
                       [1, 2, 2, 1], "VALID")
    assert run(y, {x: np.ones([3, 6, 6, 2])}).shape == (3, 3, 3, 4)


# --- TF1 keywords --------------------------------------------------------------------------------
def test_deprecated_keywords():
    xv = rng.randn(1, 5, 5, 2).astype(np.float32)
    wv = rng.randn(3, 3, 2, 2).astype(np.float32)
    x = tf.constant(xv)
    a = tf.nn.conv2d(x, filter=wv, strides=[1, 1, 1, 1], padding="SAME", use_cudnn_on_gpu=False)
    b = tf.nn.conv2d(x, filters=wv, strides=1, padding="SAME")
    c = tf.nn.max_pool(value=x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")
    d = tf.nn.max_pool(input=x, ksize=2, strides=2, padding="VALID")
    e = tf.nn.softmax(x, dim=1)
    f = tf.nn.softmax(x, axis=1)
    g = tf.nn.log_softmax(x, dim=-1)
    m1, _ = tf.nn.moments(x, [0, 1, 2], keep_dims=True)
    va, vb, vc, vd, ve, vf, vg, vm = run([a, b, c, d, e, f, g, m1])
    np.testing.assert_allclose(va, vb)
    np.testing.assert_allclose(vc, vd)
    np.testing.assert_allclose(ve, vf)
    np.testing.assert_allclose(np.exp(vg).sum(-1), 1, rtol=1e-5)
    assert vm.shape == (1, 1, 1, 2)
    with pytest.raises(ValueError):
        tf.nn.conv2d(x, filter=wv, filters=wv, strides=1, padding="SAME")


def test_explicit_padding_matches_naive():
    xv = rng.randn(2, 6, 5, 3)
    wv = rng.randn(3, 2, 3, 4)
    y = tf.nn.conv2d(xv, wv, strides=[1, 2, 2, 1], padding=[[0, 0], [1, 2], [0, 1], [0, 0]])
    np.testing.assert_allclose(run(y), naive_conv2d(xv, wv, 2, (1, 2, 0, 1)), rtol=1e-10)


# --- shape errors --------------------------------------------------------------------------------
def test_shape_errors_at_construction():
    x = tf.placeholder(tf.float32, [1, 5, 5, 3])
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 4"):
        tf.nn.conv2d(x, tf.ones([3, 3, 4, 8]), [1, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="Shape must be rank 4 but is rank 3"):
        tf.nn.conv2d(tf.ones([5, 5, 3]), tf.ones([3, 3, 3, 8]), [1, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="Negative dimension size caused by subtracting 7 "
                                         "from 5 for 'Conv2D_2' .* input shapes: "
                                         r"\[1,5,5,3\], \[7,7,3,8\]"):
        tf.nn.conv2d(x, tf.ones([7, 7, 3, 8]), [1, 1, 1, 1], "VALID")
    with pytest.raises(ValueError, match="Negative dimension size caused by subtracting 7"):
        tf.nn.max_pool(x, [1, 7, 7, 1], [1, 1, 1, 1], "VALID")
    with pytest.raises(ValueError, match="strides in the batch and depth"):
        tf.nn.conv2d(x, tf.ones([3, 3, 3, 8]), [2, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="Pooling is not yet supported on the batch"):
        tf.nn.max_pool(x, [2, 2, 2, 1], [1, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="padding"):
        tf.nn.conv2d(x, tf.ones([3, 3, 3, 8]), [1, 1, 1, 1], "FULL")
    with pytest.raises(ValueError, match="input channels does not match"):
        tf.nn.conv2d_transpose(x, tf.ones([3, 3, 5, 4]), [1, 10, 10, 5], [1, 2, 2, 1])
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 4"):
        tf.nn.bias_add(x, tf.ones([4]))
    with pytest.raises(ValueError, match="data_format"):
        tf.nn.bias_add(x, tf.ones([3]), data_format="HWCN")
    with pytest.raises(ValueError, match="must be a 1D tensor"):
        tf.nn.fused_batch_norm(x, tf.ones([3]), tf.zeros([3]), is_training=False)


def test_runtime_errors_name_the_op():
    w = tf.ones([3, 3, 2, 4])
    dy = tf.placeholder(tf.float32, [1, None, None, 4])
    dx = tf.nn.conv2d_backprop_input([1, 6, 6, 2], w, dy, [1, 1, 1, 1], "SAME")
    with pytest.raises(tf.errors.InvalidArgumentError, match="Conv2DBackpropInput"):
        run(dx, {dy: np.ones([1, 5, 5, 4])})
    labels = tf.placeholder(tf.int32, [2])
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=tf.ones([2, 3]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="outside the valid range"):
        run(loss, {labels: [0, 3]})


# --- max pooling routes to the first maximum -----------------------------------------------------
def test_max_pool_gradient_goes_to_first_maximum():
    x = tf.constant(np.ones([1, 4, 4, 1], np.float32))
    y = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    g = run(tf.gradients(y, x)[0])[0, :, :, 0]
    expect = np.zeros([4, 4])
    expect[::2, ::2] = 1
    np.testing.assert_array_equal(g, expect)
    # overlapping windows: each window routes to its own first maximum, contributions add up
    x = tf.constant(np.array([[1, 3, 3], [3, 0, 3], [1, 1, 1]], np.float32).reshape(1, 3, 3, 1))
    y = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 1, 1, 1], "VALID")
    g = run(tf.gradients(y, x)[0])[0, :, :, 0]
    np.testing.assert_array_equal(g, [[0, 2, 0], [1, 0, 1], [0, 0, 0]])


def test_avg_pool_same_divides_by_valid_count():
    x = tf.constant(np.ones([1, 3, 3, 1], np.float32))
    y = run(tf.nn.avg_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME"))
    np.testing.assert_array_equal(y, np.ones([1, 2, 2, 1]))
    x = tf.constant(np.arange(9, dtype=np.float32).reshape(1, 3, 3, 1))
    y = run(tf.nn.avg_pool(x, [1, 3, 3, 1], [1, 1, 1, 1], "SAME"))[0, :, :, 0]
    assert y[0, 0] == np.mean([0, 1, 3, 4])
    assert y[1, 1] == 4


def test_max_pool_with_argmax_indices():
    xv = rng.randn(2, 4, 4, 3).astype(np.float32)
    y, arg = tf.nn.max_pool_with_argmax(xv, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    yv, av = run([y, arg])
    assert arg.dtype == tf.int64
    np.testing.assert_array_equal(yv[1].ravel(), xv[1].ravel()[av[1].ravel()])
    _, arg_b = tf.nn.max_pool_with_argmax(xv, [1, 2, 2, 1], [1, 2, 2, 1], "VALID",
                                          include_batch_in_index=True)
    np.testing.assert_array_equal(run(arg_b)[1], av[1] + 4 * 4 * 3)
    with pytest.raises(ValueError, match="data_format"):
        tf.nn.max_pool_with_argmax(xv, [1, 2, 2, 1], [1, 2, 2, 1], "VALID", data_format="NCHW")


# --- top_k / in_top_k ----------------------------------------------------------------------------
def test_top_k_ties_lower_index_first():
    v, i = run(tf.nn.top_k([[1, 3, 3, 2, 3]], k=4))
    np.testing.assert_array_equal(v, [[3, 3, 3, 2]])
    np.testing.assert_array_equal(i, [[1, 2, 4, 3]])
    v, i = run(tf.nn.top_k(tf.constant([5.0, 1.0]), k=0))
    assert v.shape == (0,) and i.dtype == np.int32
    with pytest.raises(ValueError, match="k = 3"):
        tf.nn.top_k(tf.ones([2]), k=3)


def test_in_top_k_ties_and_invalid_targets():
    pred = tf.constant([[0.1, 0.5, 0.5, 0.2], [0.3, 0.3, 0.3, 0.3], [np.nan, 1, 2, 3.0]])
    res = run(tf.nn.in_top_k(pred, tf.constant([2, 0, 0]), 1))
    np.testing.assert_array_equal(res, [True, True, False])
    res = run(tf.nn.in_top_k(pred, tf.constant([4, 3, 3]), 2))
    np.testing.assert_array_equal(res, [False, True, True])


# --- dropout -------------------------------------------------------------------------------------
def test_dropout_scaling_and_rate():
    x = tf.ones([200, 100])
    y = run(tf.nn.dropout(x, keep_prob=0.25))
    kept = y != 0
    assert 0.2 < kept.mean() < 0.3
    np.testing.assert_allclose(y[kept], 4.0)
    y = run(tf.nn.dropout(x, rate=0.75))
    assert 0.2 < (y != 0).mean() < 0.3
    assert tf.nn.dropout(x, keep_prob=1.0) is x  # rate 0: no op at all, as TF
    np.testing.assert_array_equal(run(tf.nn.dropout(x, rate=0.0)), np.ones([200, 100]))
    with pytest.raises(ValueError, match="rate"):
        tf.nn.dropout(x, rate=1.0)
    with pytest.raises(ValueError):
        tf.nn.dropout(x, keep_prob=0.5, rate=0.5)


def test_dropout_tensor_keep_prob_and_noise_shape():
    keep = tf.placeholder(tf.float32, [])
    x = tf.ones([50, 8])
    y = tf.nn.dropout(x, keep_prob=keep, noise_shape=[50, 1])
    assert y.shape.as_list() == [50, 8]
    v = run(y, {keep: 0.5})
    rows = v[:, 0]
    assert np.all(v == rows[:, None])  # whole rows kept or dropped
    assert set(np.unique(v)) <= {0.0, 2.0}
    np.testing.assert_array_equal(run(y, {keep: 1.0}), np.ones([50, 8]))


def test_dropout_seeded_is_reproducible_across_sessions():
    tf.set_random_seed(5)
    y = tf.nn.dropout(tf.ones([10, 10]), keep_prob=0.5, seed=1)
    a, b = run(y), run(y)
    np.testing.assert_array_equal(a, b)
    with tf.Session() as sess:
        assert not np.array_equal(sess.run(y), sess.run(y))


# --- batch norm ----------------------------------------------------------------------------------
def test_fused_batch_norm_training_outputs():
    xv = rng.randn(4, 3, 3, 2).astype(np.float32)
    y, m, v = tf.nn.fused_batch_norm(xv, np.ones(2, np.float32), np.zeros(2, np.float32),
                                     epsilon=1e-5)
    yv, mv, vv = run([y, m, v])
    np.testing.assert_allclose(mv, xv.mean((0, 1, 2)), rtol=1e-5)
    np.testing.assert_allclose(vv, xv.var((0, 1, 2), ddof=1), rtol=1e-5)  # Bessel-corrected
    np.testing.assert_allclose(yv, (xv - xv.mean((0, 1, 2))) / np.sqrt(xv.var((0, 1, 2)) + 1e-5),
                               rtol=1e-4, atol=1e-5)
    assert [t.name for t in y.op.outputs][3:] == ["FusedBatchNormV3:3", "FusedBatchNormV3:4",
                                                  "FusedBatchNormV3:5"]


def test_batch_norm_gradient_op_types():
    x = tf.placeholder(tf.float32, [2, 3, 3, 4])
    y, _, _ = tf.nn.fused_batch_norm(x, tf.ones([4]), tf.zeros([4]))
    g = tf.gradients(y, x)[0]
    assert g.op.type == "FusedBatchNormGradV3"
    assert g.name == "gradients/FusedBatchNormV3_grad/FusedBatchNormGradV3:0"


# --- second order --------------------------------------------------------------------------------
def test_conv_gradients_are_backprop_ops_with_gradients():
    x = tf.placeholder(tf.float64, [1, 5, 5, 2])
    w = tf.constant(rng.randn(3, 3, 2, 2))
    y = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")
    gx, gw = tf.gradients(tf.reduce_sum(tf.square(y)), [x, w])
    assert gx.op.type == "Conv2DBackpropInput" and gw.op.type == "Conv2DBackpropFilter"
    hx = tf.gradients(tf.reduce_sum(gw), x)[0]
    types = {op.type for op in tf.get_default_graph().get_operations()}
    assert {"Conv2DBackpropInput", "Conv2DBackpropFilter"} <= types
    xv = rng.randn(1, 5, 5, 2)
    h = run(hx, {x: xv})
    # sum(dL/dw) is quadratic-free in x only through y: compare with finite differences
    e = 1e-6
    d = rng.randn(*xv.shape)
    f = tf.reduce_sum(gw)
    num = (run(f, {x: xv + e * d}) - run(f, {x: xv - e * d})) / (2 * e)
    np.testing.assert_allclose(num, np.sum(h * d), rtol=1e-6)


# --- kernel paths --------------------------------------------------------------------------------
def test_batch_chunking_matches_single_chunk(monkeypatch):
    xv = rng.randn(5, 7, 6, 3).astype(np.float32)
    wv = rng.randn(3, 3, 3, 4).astype(np.float32)
    x = tf.placeholder(tf.float32, xv.shape)
    y = tf.nn.conv2d(x, wv, [1, 2, 1, 1], "SAME")
    gx, gw = tf.gradients(y, [x, y.op.inputs[1]])
    want = run([y, gx, gw], {x: xv})
    monkeypatch.setattr(conv_kernels, "_COLS_LIMIT", 50)  # one batch item per chunk
    got = run([y, gx, gw], {x: xv})
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


def test_float16_and_float64_convolutions():
    xv = rng.randn(1, 5, 5, 2)
    wv = rng.randn(3, 3, 2, 3)
    ref = naive_conv2d(xv, wv, 1, (1, 1, 1, 1))
    y64 = run(tf.nn.conv2d(xv, wv, [1, 1, 1, 1], "SAME"))
    y16 = run(tf.nn.conv2d(xv.astype(np.float16), wv.astype(np.float16), [1, 1, 1, 1], "SAME"))
    assert y64.dtype == np.float64 and y16.dtype == np.float16
    np.testing.assert_allclose(y64, ref, rtol=1e-12)
    np.testing.assert_allclose(y16, ref, rtol=2e-2, atol=2e-2)


def test_public_names():
    for name in ["conv1d", "conv2d", "conv3d", "depthwise_conv2d", "depthwise_conv2d_native",
                 "separable_conv2d", "atrous_conv2d", "conv2d_transpose", "conv3d_transpose",
                 "conv2d_backprop_input", "conv2d_backprop_filter", "bias_add", "max_pool",
                 "avg_pool", "max_pool3d", "avg_pool3d", "max_pool_with_argmax", "relu", "relu6",
                 "elu", "selu", "leaky_relu", "crelu", "softplus", "softsign", "sigmoid", "tanh",
                 "softmax", "log_softmax", "dropout", "lrn", "local_response_normalization",
                 "moments", "batch_normalization", "fused_batch_norm", "l2_loss", "l2_normalize",
                 "softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits_v2",
                 "sparse_softmax_cross_entropy_with_logits", "sigmoid_cross_entropy_with_logits",
                 "weighted_cross_entropy_with_logits", "in_top_k", "top_k", "embedding_lookup",
                 "zero_fraction", "xw_plus_b", "relu_layer"]:
        assert callable(getattr(tf.nn, name)), name



# --- candidate sampling --------------------------------------------------------------------------
def test_log_uniform_sampler_unique_and_expected_counts():
    true = tf.constant([[1], [7]], tf.int64)
    s, te, se = tf.nn.log_uniform_candidate_sampler(true, 1, 20, True, 50, seed=3)
    assert s.shape.as_list() == [20] and te.shape.as_list() == [2, 1]
    sv, tev, sev = run([s, te, se])
    assert len(set(sv.tolist())) == 20 and sv.min() >= 0 and sv.max() < 50
    p = np.log((sv + 2.0) / (sv + 1.0)) / np.log(51.0)
    tries = np.log1p(-sev) / np.log1p(-p)  # sev = 1 - (1 - p) ** tries, one `tries` for all
    np.testing.assert_allclose(tries, tries[0], rtol=1e-4)
    assert tries[0] >= 20
    pt = np.log((np.array([1, 7]) + 2.0) / (np.array([1, 7]) + 1.0)) / np.log(51.0)
    np.testing.assert_allclose(tev[:, 0], -np.expm1(tries[0] * np.log1p(-pt)), rtol=1e-4)


def test_samplers_distribution_without_unique():
    true = tf.zeros([1, 1], tf.int64)
    s, _, se = tf.nn.log_uniform_candidate_sampler(true, 1, 20000, False, 10, seed=1)
    sv, sev = run([s, se])
    freq0 = np.mean(sv == 0)
    p0 = np.log(2.0) / np.log(11.0)
    assert abs(freq0 - p0) < 0.02
    np.testing.assert_allclose(sev[sv == 0], p0 * 20000, rtol=1e-5)
    u, _, ue = tf.nn.uniform_candidate_sampler(true, 1, 5, False, 4, seed=2)
    uv, uev = run([u, ue])
    assert uv.max() < 4
    np.testing.assert_allclose(uev, 5 / 4.0)


def test_compute_accidental_hits():
    idx, ids, w = tf.nn.compute_accidental_hits(tf.constant([[1, 4], [2, 9]], tf.int64),
                                                tf.constant([9, 4, 5, 1], tf.int64), 2)
    iv, idv, wv = run([idx, ids, w])
    np.testing.assert_array_equal(iv, [0, 0, 1])
    np.testing.assert_array_equal(idv, [3, 1, 0])
    assert np.all(wv == -np.finfo(np.float32).max) and wv.dtype == np.float32


def test_nce_loss_trains_with_its_default_sampler():
    tf.set_random_seed(0)
    vocab, dim = 30, 8
    emb = tf.Variable(tf.random_uniform([vocab, dim], -1.0, 1.0))
    nce_w = tf.Variable(tf.truncated_normal([vocab, dim], stddev=0.3))
    nce_b = tf.Variable(tf.zeros([vocab]))
    words = tf.placeholder(tf.int32, [16])
    labels = tf.placeholder(tf.int64, [16, 1])
    loss = tf.reduce_mean(tf.nn.nce_loss(nce_w, nce_b, labels, tf.nn.embedding_lookup(emb, words),
                                         num_sampled=6, num_classes=vocab))
    soft = tf.reduce_mean(tf.nn.sampled_softmax_loss(nce_w, nce_b, labels,
                                                     tf.nn.embedding_lookup(emb, words),
                                                     num_sampled=6, num_classes=vocab))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss + soft)
    wv = np.arange(16) % vocab
    lv = ((wv + 1) % vocab).reshape(16, 1)  # each word predicts the next one
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = np.mean([sess.run(loss + soft, {words: wv, labels: lv}) for _ in range(5)])
        for _ in range(200):
            sess.run(train, {words: wv, labels: lv})
        last = np.mean([sess.run(loss + soft, {words: wv, labels: lv}) for _ in range(5)])
    assert np.isfinite(last) and last < 0.5 * first
