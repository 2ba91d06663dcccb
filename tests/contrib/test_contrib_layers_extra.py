"""The remaining tf.contrib.layers functions (maxout, gdn, rev_block, recompute_grad,
scale_gradient, images_to_sequence, conv2d_in_plane, encoders, summaries, legacy layers),
checked against numpy versions of TF 1.15's formulas, with finite-difference gradients.

Static shapes and the sequence layout of images_to_sequence come from real TensorFlow 2.21
(tests/fixtures/contrib_leftovers, tools/fixtures/gen_contrib_leftovers.py)."""

import json
import os

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf

L = tf.contrib.layers
FIX = os.path.join(os.path.dirname(__file__), "..", "fixtures", "contrib_leftovers")


def _fixture():
    with open(os.path.join(FIX, "cases.json")) as f:
        return json.load(f)


def _run(fetches, feeds=None, init=False):
    with tf.Session() as sess:
        if init:
            sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feeds)


def _fd_check(build, x_value, extra_vars=(), tol=1e-5, eps=1e-6, seed=0):
    """Finite differences of `sum(build(x) * r)` w.r.t. the placeholder `x` and the variables
    `extra_vars(graph)` returns, in a graph whose variables are initialized."""
    rng = np.random.RandomState(seed)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, x_value.shape, name="x")
        y = build(x)
        variables = list(extra_vars()) if extra_vars else []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            r = rng.standard_normal(sess.run(y, {x: x_value}).shape)
            loss = tf.reduce_sum(y * r)
            grads = sess.run(tf.gradients(loss, [x] + variables), {x: x_value})

            def f_at(xv):
                return sess.run(loss, {x: xv})

            num = np.zeros_like(x_value)
            for i in np.ndindex(*x_value.shape):
                xp, xm = x_value.copy(), x_value.copy()
                xp[i] += eps
                xm[i] -= eps
                num[i] = (f_at(xp) - f_at(xm)) / (2 * eps)
            np.testing.assert_allclose(grads[0], num, rtol=tol, atol=tol)
            for v, gv in zip(variables, grads[1:]):
                base = sess.run(v)
                num = np.zeros_like(base)
                for i in np.ndindex(*base.shape):
                    vp, vm = base.copy(), base.copy()
                    vp[i] += eps
                    vm[i] -= eps
                    v.load(vp, sess)
                    up = f_at(x_value)
                    v.load(vm, sess)
                    down = f_at(x_value)
                    num[i] = (up - down) / (2 * eps)
                v.load(base, sess)
                np.testing.assert_allclose(gv, num, rtol=tol, atol=tol)
            return grads


# --- maxout -------------------------------------------------------------------------------------
def test_maxout_values_and_shape():
    x = np.random.RandomState(0).randn(2, 3, 6).astype(np.float32)
    y = L.maxout(x, 2)
    assert y.shape.as_list() == [2, 3, 2]
    assert y.op.name.startswith("MaxOut/")
    np.testing.assert_array_equal(_run(y), x.reshape(2, 3, 2, 3).max(-1))


def test_maxout_dynamic_batch_and_error():
    x = tf.placeholder(tf.float32, [None, 8])
    y = L.maxout(x, 4)
    assert y.shape.as_list() == [None, 4]
    xv = np.arange(16, dtype=np.float32).reshape(2, 8)[:, ::-1]
    np.testing.assert_array_equal(_run(y, {x: xv}), xv.reshape(2, 4, 2).max(-1))
    with pytest.raises(ValueError, match=r"number of features\(8\) is not a multiple of "
                                         r"num_units\(3\)"):
        L.maxout(x, 3)


def test_maxout_gradient():
    x = np.random.RandomState(1).randn(3, 6)
    check_gradients(lambda t: L.maxout(t, 3), {"x": x}, op_types=["Max"])


# --- dense_to_sparse, images_to_sequence, sequence_to_images ------------------------------------
def test_dense_to_sparse():
    st = L.dense_to_sparse(tf.constant([[1, 0, 2], [0, 0, 3]]))
    v = _run(st)
    np.testing.assert_array_equal(v.indices, [[0, 0], [0, 2], [1, 2]])
    np.testing.assert_array_equal(v.values, [1, 2, 3])
    np.testing.assert_array_equal(v.dense_shape, [2, 3])
    st = L.dense_to_sparse(tf.constant([[5, 7], [7, 7]]), eos_token=7)
    np.testing.assert_array_equal(_run(st).values, [5])


def test_images_to_sequence_matches_tf():
    case = _fixture()["images_to_sequence"]
    x = np.arange(2 * 3 * 4 * 5, dtype=np.float32).reshape(2, 3, 4, 5)
    seq = L.images_to_sequence(x)
    assert seq.shape.as_list() == case["shape"]
    np.testing.assert_array_equal(_run(seq), np.transpose(x, [2, 0, 1, 3]).reshape(4, 6, 5))
    back = L.sequence_to_images(seq, 3)
    assert back.shape.as_list() == case["back_shape"]
    np.testing.assert_array_equal(_run(back), x)
    nchw = L.images_to_sequence(np.transpose(x, [0, 3, 1, 2]), data_format="NCHW")
    np.testing.assert_array_equal(_run(nchw), _run(seq))
    first = L.sequence_to_images(seq, 3, output_data_format="channels_first")
    np.testing.assert_array_equal(_run(first), np.transpose(x, [0, 3, 1, 2]))


def test_sequence_to_images_unknown_batch():
    seq = tf.placeholder(tf.float32, [4, None, 5])
    out = L.sequence_to_images(seq, 3)
    assert out.shape.as_list() == [None, 3, 4, 5]
    v = np.random.rand(4, 6, 5).astype(np.float32)
    assert _run(out, {seq: v}).shape == (2, 3, 4, 5)


# --- conv2d_in_plane ---------------------------------------------------------------------------
def test_conv2d_in_plane_gradient_filter():
    x = np.random.RandomState(2).rand(2, 5, 4, 3).astype(np.float32)
    y = L.conv2d_in_plane(tf.constant(x), [2, 1], padding="VALID", activation_fn=None,
                          weights_initializer=tf.constant_initializer([1.0, -1.0]))
    assert sorted(v.name for v in tf.global_variables()) == [
        "ConvInPlane/biases:0", "ConvInPlane/weights:0"]
    assert [v.shape.as_list() for v in tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)] == [
        [2, 1, 1, 1], [3]]
    assert y.shape.as_list() == [2, 4, 4, 3]
    np.testing.assert_allclose(_run(y, init=True), x[:, :-1] - x[:, 1:], rtol=1e-6, atol=1e-6)
    z = L.convolution2d_in_plane(tf.constant(x), 3, stride=2, scope="blur")
    assert z.shape.as_list() == [2, 3, 2, 3]
    assert tf.global_variables()[2].name == "blur/weights:0"


# --- gdn ---------------------------------------------------------------------------------------
def _np_gdn(x, beta, gamma, inverse=False, channels_first=False):
    if channels_first:
        x = np.moveaxis(x, 1, -1)
    norm = np.sqrt(beta + np.tensordot(x ** 2, gamma, axes=[[-1], [0]]))
    y = x * norm if inverse else x / norm
    return np.moveaxis(y, -1, 1) if channels_first else y


def test_gdn_variables_and_values():
    x = np.random.RandomState(3).randn(2, 4, 5, 3).astype(np.float32)
    y = L.gdn(tf.constant(x))
    names = [v.name for v in tf.trainable_variables()]
    assert names == ["gdn/reparam_beta:0", "gdn/reparam_gamma:0"]
    rb, rg, out = _run([tf.trainable_variables()[0], tf.trainable_variables()[1], y], init=True)
    pedestal = (2.0 ** -18) ** 2
    np.testing.assert_allclose(rb, np.sqrt(1 + pedestal) * np.ones(3), rtol=1e-6)
    np.testing.assert_allclose(rg, np.sqrt(0.1 * np.eye(3) + pedestal), rtol=1e-6)
    beta = np.maximum(rb, np.sqrt(1e-6 + pedestal)) ** 2 - pedestal
    gamma = np.maximum(rg, 2.0 ** -18) ** 2 - pedestal
    np.testing.assert_allclose(out, _np_gdn(x, beta, gamma), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("shape,data_format", [((2, 5, 3), "channels_last"),
                                               ((2, 3, 4, 5), "channels_first"),
                                               ((1, 2, 3, 2, 4), "channels_last"),
                                               ((1, 3, 2, 2, 2), "channels_first")])
@pytest.mark.parametrize("inverse", [False, True])
def test_gdn_ranks_formats_inverse(shape, data_format, inverse):
    rng = np.random.RandomState(4)
    x = rng.randn(*shape)
    y = L.gdn(tf.constant(x), inverse=inverse, data_format=data_format, gamma_init=0.3)
    beta_v, gamma_v = tf.trainable_variables()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        c = shape[1] if data_format == "channels_first" else shape[-1]
        rb = 1.0 + rng.rand(c)
        rg = 0.2 + rng.rand(c, c)
        beta_v.load(rb, sess)
        gamma_v.load(rg, sess)
        out = sess.run(y)
    pedestal = (2.0 ** -18) ** 2
    np.testing.assert_allclose(
        out, _np_gdn(x, rb ** 2 - pedestal, rg ** 2 - pedestal, inverse,
                     data_format == "channels_first"), rtol=1e-10)


def test_gdn_errors():
    with pytest.raises(ValueError, match="Unsupported `data_format` for GDN layer: NHWC."):
        L.GDN(data_format="NHWC")
    with pytest.raises(ValueError, match="The channel dimension of the inputs to `GDN` must "
                                         "be defined."):
        L.gdn(tf.placeholder(tf.float32, [2, 3, None]))


def test_gdn_gradient_wrt_inputs_and_reparam_variables():
    x = np.random.RandomState(5).randn(2, 3, 3)
    _fd_check(lambda t: L.gdn(t, gamma_init=0.3), x, extra_vars=tf.trainable_variables)
    _fd_check(lambda t: L.gdn(t, inverse=True, gamma_init=0.3), x,
              extra_vars=tf.trainable_variables)


def test_gdn_lower_bound_gradient():
    v = tf.Variable([0.5, -1.0, -1.0])
    out = L.GDN._lower_bound(v, 0.0)
    up = tf.gradients(out, v, grad_ys=tf.constant([1.0, -1.0, 1.0]))[0]
    # Above the bound: passed; below it: only gradients < 0 (that push the value up) pass.
    np.testing.assert_array_equal(_run(up, init=True), [1.0, -1.0, 0.0])


# --- scale_gradient, recompute_grad ------------------------------------------------------------
def test_scale_gradient_scales():
    x = tf.placeholder(tf.float64, [3])
    y = L.scale_gradient(x, 0.25)
    loss = tf.reduce_sum(tf.square(y))
    xv = np.array([1.0, -2.0, 3.0])
    out, g = _run([y, tf.gradients(loss, x)[0]], {x: xv})
    np.testing.assert_array_equal(out, xv)
    np.testing.assert_allclose(g, 0.25 * 2 * xv)
    m = tf.placeholder(tf.float64, [3])
    g2 = tf.gradients(tf.reduce_sum(L.scale_gradient(x, m) * 2.0), x)[0]
    np.testing.assert_allclose(_run(g2, {x: xv, m: [1.0, 0.0, -1.0]}), [2.0, 0.0, -2.0])


def test_scale_gradient_with_multiplier_one_passes_finite_differences():
    check_gradients(lambda t: tf.sin(L.scale_gradient(t, 1.0)),
                    {"x": np.random.RandomState(6).randn(4)}, op_types=["IdentityN"])


def test_recompute_grad_matches_plain_gradient():
    rng = np.random.RandomState(7)
    xv = rng.randn(3, 4)

    def block(x):
        with tf.variable_scope("blk", reuse=tf.AUTO_REUSE):
            h = tf.layers.dense(x, 5, activation=tf.nn.tanh, name="d1")
            return tf.layers.dense(h, 2, name="d2")

    grads = {}
    for recompute in (False, True):
        with tf.Graph().as_default():
            tf.set_random_seed(1)
            x = tf.constant(xv)
            fn = L.recompute_grad(block) if recompute else block
            y = fn(x)
            loss = tf.reduce_sum(tf.sin(y))
            variables = tf.trainable_variables()
            assert [v.name for v in variables] == [
                "blk/d1/kernel:0", "blk/d1/bias:0", "blk/d2/kernel:0", "blk/d2/bias:0"]
            g = tf.gradients(loss, [x] + variables)
            assert all(t is not None for t in g)
            if recompute:
                # The forward is rebuilt inside the gradient.
                names = [op.name for op in tf.get_default_graph().get_operations()]
                assert sum("d1/MatMul" in n for n in names) >= 2
            grads[recompute] = _run(g, init=True)
    for a, b in zip(grads[False], grads[True]):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_recompute_grad_finite_differences_and_is_recomputing():
    calls = []

    @L.recompute_grad
    def fn(x, y, is_recomputing=False):
        calls.append(is_recomputing)
        return tf.tanh(x * y) + x

    rng = np.random.RandomState(8)
    check_gradients(lambda x, y: fn(x, y), {"x": rng.randn(3), "y": rng.randn(3)},
                    op_types=["Tanh"])
    assert False in calls and True in calls
    with pytest.raises(ValueError, match="All inputs to function must be Tensors"):
        fn(np.ones(3), np.ones(3))


def test_recompute_grad_with_args_decorator():
    @L.recompute_grad(tupleize_grads=True)
    def fn(x):
        return tf.square(x)

    check_gradients(lambda x: fn(x), {"x": np.random.RandomState(9).randn(4)})


# --- rev_block ---------------------------------------------------------------------------------
def _dense_fn(name):
    def fn(x):
        return tf.layers.dense(x, 4, activation=tf.nn.tanh, name=name)

    return fn


def test_rev_block_forward_backward_and_variable_names():
    rng = np.random.RandomState(10)
    x1v, x2v = rng.randn(2, 4), rng.randn(2, 4)
    x1, x2 = tf.constant(x1v), tf.constant(x2v)
    block = L.RevBlock(_dense_fn("f"), _dense_fn("g"), num_layers=2)
    y1, y2 = block.forward(x1, x2)
    r1, r2 = block.backward(y1, y2)
    names = [v.name for v in block.trainable_variables]
    assert names == ["revblock/revlayer_0/f/f/kernel:0", "revblock/revlayer_0/f/f/bias:0",
                     "revblock/revlayer_0/g/g/kernel:0", "revblock/revlayer_0/g/g/bias:0",
                     "revblock/revlayer_1/f/f/kernel:0", "revblock/revlayer_1/f/f/bias:0",
                     "revblock/revlayer_1/g/g/kernel:0", "revblock/revlayer_1/g/g/bias:0"]
    assert len(tf.trainable_variables()) == 8  # backward reuses them
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        ws = sess.run(block.trainable_variables)
        y1v, y2v, r1v, r2v = sess.run([y1, y2, r1, r2])
    a, b = x1v, x2v
    for layer in range(2):
        fk, fb, gk, gb = ws[4 * layer:4 * layer + 4]
        a = a + np.tanh(b @ fk + fb)
        b = b + np.tanh(a @ gk + gb)
    np.testing.assert_allclose(y1v, a, rtol=1e-12)
    np.testing.assert_allclose(y2v, b, rtol=1e-12)
    np.testing.assert_allclose(r1v, x1v, atol=1e-12)
    np.testing.assert_allclose(r2v, x2v, atol=1e-12)


def test_rev_block_efficient_gradients_equal_plain_ones():
    rng = np.random.RandomState(11)
    x1v, x2v = rng.randn(3, 4), rng.randn(3, 4)
    side_v = rng.randn(4)
    results = {}
    for efficient in (False, True):
        with tf.Graph().as_default():
            tf.set_random_seed(3)
            x1, x2 = tf.constant(x1v), tf.constant(x2v)
            side = tf.constant(side_v)

            def f(x, side_inputs):
                return tf.layers.dense(x, 4, activation=tf.nn.tanh, name="f") * side_inputs[0]

            y1, y2 = L.rev_block(x1, x2, f, _dense_fn("g"), num_layers=3, f_side_input=[side],
                                 is_training=efficient)
            loss = tf.reduce_sum(tf.sin(y1) * tf.cos(y2))
            variables = tf.trainable_variables()
            assert len(variables) == 12
            grads = tf.gradients(loss, [x1, x2, side] + variables)
            assert all(g is not None for g in grads)
            if efficient:
                assert any(op.type == "IdentityN"
                           for op in tf.get_default_graph().get_operations())
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                values = np.random.RandomState(0)
                for v in variables:
                    v.load(values.uniform(-0.8, 0.8, v.shape.as_list()), sess)
                results[efficient] = sess.run(grads)
    for a, b in zip(results[False], results[True]):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_rev_block_gradient_finite_differences():
    def f(x, side):
        return tf.tanh(x * side[0])

    def g(x):
        return tf.sin(x)

    rng = np.random.RandomState(12)
    check_gradients(lambda a, b, s: list(L.rev_block(a, b, f, g, num_layers=2,
                                                     f_side_input=[s])),
                    {"a": rng.randn(2, 3), "b": rng.randn(2, 3), "s": rng.randn(3)},
                    op_types=["IdentityN"])


# --- encoders ----------------------------------------------------------------------------------
def test_embed_sequence_and_reuse():
    ids = tf.constant([[1, 2, 2], [0, 3, 1]])
    emb = L.embed_sequence(ids, vocab_size=4, embed_dim=3, scope="emb")
    emb_u = L.embed_sequence(ids, scope="emb", reuse=True, unique=True)
    assert [v.name for v in tf.global_variables()] == ["emb/embeddings:0"]
    assert tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)[0].name == "emb/embeddings:0"
    assert emb.shape.as_list() == [2, 3, 3] and emb_u.shape.as_list() == [2, 3, 3]
    table, a, b = _run([tf.global_variables()[0], emb, emb_u], init=True)
    np.testing.assert_array_equal(a, table[[[1, 2, 2], [0, 3, 1]]])
    np.testing.assert_array_equal(b, a)
    with pytest.raises(ValueError, match="Must specify vocab size and embedding dimension"):
        L.embed_sequence(ids, vocab_size=4)


def test_bow_encoder_sparse_and_dense():
    ids = tf.constant([[1, 2, 0], [3, 0, 0], [0, 0, 0]])
    sparse = L.bow_encoder(ids, vocab_size=4, embed_dim=2)
    dense = L.bow_encoder(ids, vocab_size=4, embed_dim=2, sparse_lookup=False, scope="d")
    assert tf.global_variables()[0].name == "bow_encoder/embeddings:0"
    table, table_d, s, d = _run([tf.global_variables()[0], tf.global_variables()[1], sparse,
                                 dense], init=True)
    np.testing.assert_allclose(s, [(table[1] + table[2]) / 2, table[3], table[0]], rtol=1e-6)
    np.testing.assert_allclose(d, table_d[[[1, 2, 0], [3, 0, 0], [0, 0, 0]]].mean(1),
                               rtol=1e-6)
    with pytest.raises(TypeError, match="ids are expected to be dense Tensor"):
        L.bow_encoder(tf.SparseTensor([[0, 0]], [1], [1, 1]), 4, 2, sparse_lookup=False)


# --- summaries ---------------------------------------------------------------------------------
def _summary_values(tensors):
    out = []
    for blob in _run(tensors):
        for v in tf.Summary.FromString(blob).value:
            out.append((v.tag, v.simple_value if not v.HasField("histo") else "histo"))
    return out


def test_summarize_activation_relu6():
    x = tf.constant([-1.0, 2.0, 3.0, 7.0])
    L.summarize_activation(tf.nn.relu6(x, name="act"))
    assert _summary_values(tf.get_collection(tf.GraphKeys.SUMMARIES)) == [
        ("act/zeros", 0.25), ("act/sixes", 0.25), ("act/activation", "histo")]


def test_summarize_tensor_collection_and_activations():
    scalar = tf.constant(2.5, name="loss")
    vec = tf.constant([1.0, 2.0], name="vec")
    s1 = L.summarize_tensor(scalar)
    s2 = L.summarize_tensor(vec, tag="v")
    assert _summary_values([s1, s2]) == [("loss_summary", 2.5), ("v", "histo")]
    tf.add_to_collection("mine", scalar)
    tf.add_to_collection("mine", vec)
    assert len(L.summarize_collection("mine", name_filter="lo")) == 1
    assert len(L.summarize_tensors([scalar, vec])) == 2
    relu = tf.nn.relu(vec, name="r")
    tf.add_to_collection(tf.GraphKeys.ACTIVATIONS, relu)
    out = L.summarize_activations()
    assert _summary_values(out) == [("r/activation", "histo")]
    with pytest.raises(ValueError, match="must have rank 0"):
        L.summaries._add_scalar_summary(vec)


# --- legacy fully connected ---------------------------------------------------------------------
def test_legacy_fully_connected():
    rng = np.random.RandomState(13)
    xv = rng.randn(2, 3, 4).astype(np.float32)
    y = L.legacy_relu(tf.constant(xv), 5)
    z = L.legacy_linear(tf.constant(xv[0]), 2, bias_init=None, name="lin")
    assert [v.name for v in tf.global_variables()] == [
        "fully_connected/weights:0", "fully_connected/bias:0", "lin/weights:0"]
    assert [v.name for v in tf.get_collection(tf.GraphKeys.WEIGHTS)] == [
        "fully_connected/weights:0", "lin/weights:0"]
    assert [v.name for v in tf.get_collection(tf.GraphKeys.BIASES)] == ["fully_connected/bias:0"]
    assert tf.get_collection(tf.GraphKeys.ACTIVATIONS) == [y, z]
    assert y.shape.as_list() == [2, 3, 5]
    w, b, yv, w2, zv = _run([tf.global_variables()[0], tf.global_variables()[1], y,
                             tf.global_variables()[2], z], init=True)
    np.testing.assert_allclose(yv, np.maximum(xv @ w + b, 0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(zv, xv[0] @ w2, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="last dimension of x must be known"):
        L.legacy_fully_connected(tf.placeholder(tf.float32, [2, None]), 3)


def test_poincare_normalize():
    x = np.array([[3.0, 4.0], [0.1, 0.2]])
    out = _run(L.poincare_normalize(x, axis=1, epsilon=1e-5))
    np.testing.assert_allclose(out[0], x[0] / 5 * (1 - 1e-5))
    np.testing.assert_allclose(out[1], x[1])
