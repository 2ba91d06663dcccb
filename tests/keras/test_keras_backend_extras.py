"""tf.keras.backend math, array, NN and CTC functions against tf_keras 2.x fixtures, plus
gradient checks of the ones built from several ops."""

import numpy as np
import pytest
from gradcheck import check_gradients
from keras_extras_cases import CASES, VALUES, evaluate

import tensorflux as tf

K = tf.keras.backend
BACKEND = CASES["backend"]
TOL = {"ctc_batch_cost": 1e-4, "ctc_decode_greedy_logp": 1e-4, "resize_images_bilinear": 1e-5}


@pytest.mark.parametrize("name", sorted(BACKEND))
def test_backend_matches_tf_keras(name):
    got = evaluate(BACKEND[name])
    if isinstance(got, (list, tuple)):
        for i, g in enumerate(got):
            np.testing.assert_allclose(g, VALUES["backend/%s/%d" % (name, i)], rtol=1e-5,
                                       atol=TOL.get(name, 1e-6))
        return
    want = VALUES["backend/" + name]
    assert np.asarray(got).shape == want.shape
    if want.dtype.kind in "biu":
        np.testing.assert_array_equal(got, want)
    else:
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=TOL.get(name, 1e-6))


# --- gradients of the composite functions (float64, finite differences) ----------------------
RNG = np.random.RandomState(1)
P = RNG.rand(3, 4) + 0.2


@pytest.mark.parametrize("build,inputs", [
    (lambda x: K.var(x, axis=1), {"x": RNG.randn(3, 4)}),
    (lambda x: K.std(x, axis=0, keepdims=True), {"x": RNG.randn(3, 4)}),
    (lambda x: K.std(x), {"x": RNG.randn(3, 4)}),
    (lambda x, y: K.batch_dot(x, y), {"x": RNG.randn(2, 3, 4), "y": RNG.randn(2, 4, 5)}),
    (lambda x, y: K.batch_dot(x, y, axes=(1, 1)),
     {"x": RNG.randn(2, 3, 4), "y": RNG.randn(2, 3, 5)}),
    (lambda x, y: K.batch_dot(x, y, axes=1), {"x": RNG.randn(3, 4), "y": RNG.randn(3, 4)}),
    (lambda x, y: K.batch_dot(x, y), {"x": RNG.randn(2, 2, 3, 4), "y": RNG.randn(2, 4, 5)}),
    (lambda x, y: K.dot(x, y), {"x": RNG.randn(2, 3, 4), "y": RNG.randn(3, 4, 2)}),
    (lambda t, p: K.categorical_crossentropy(t, p), {"t": np.eye(4)[[0, 3, 1]], "p": P}),
    (lambda t, p: K.categorical_crossentropy(t, p, axis=0),
     {"t": np.eye(3)[[0, 2, 1, 1]].T, "p": P}),
    (lambda t, p: K.binary_crossentropy(t, p), {"t": np.round(RNG.rand(3, 4)), "p": P / 1.3}),
    (lambda p: K.sparse_categorical_crossentropy(tf.constant([0, 3, 1]), p), {"p": P}),
    (lambda x: K.sqrt(x), {"x": P}),
    (lambda x: K.l2_normalize(x, axis=1), {"x": RNG.randn(3, 4)}),
    (lambda x: K.l2_normalize(x), {"x": RNG.randn(3, 4)}),
    (lambda x: K.repeat_elements(x, 3, axis=1), {"x": RNG.randn(2, 3)}),
    (lambda x: K.repeat(x, 2), {"x": RNG.randn(2, 3)}),
    (lambda x: K.batch_flatten(x), {"x": RNG.randn(2, 3, 4)}),
    (lambda x: K.logsumexp(x, axis=1, keepdims=True), {"x": RNG.randn(3, 4)}),
    (lambda x: K.clip(x, -0.5, None), {"x": RNG.randn(3, 4)}),
    (lambda x, y: K.switch(K.greater(x, 0), x * y, y), {"x": RNG.randn(3, 4),
                                                        "y": RNG.randn(3, 4)}),
    (lambda x: K.resize_images(x, 2, 3, "channels_first"), {"x": RNG.randn(1, 2, 3, 3)}),
    (lambda x, k: K.conv2d(x, k, padding="same", data_format="channels_first"),
     {"x": RNG.randn(1, 2, 4, 4), "k": RNG.randn(3, 3, 2, 2)}),
    (lambda x: K.pool2d(x, (2, 2), strides=(2, 2), pool_mode="avg"),
     {"x": RNG.randn(1, 4, 4, 2)}),
    (lambda x, b: K.bias_add(x, b, data_format="channels_first"),
     {"x": RNG.randn(2, 3, 4), "b": RNG.randn(3)}),
    (lambda x: K.elu(x, 0.5), {"x": RNG.randn(3, 4)}),
    (lambda x: K.hard_sigmoid(3.0 * x), {"x": RNG.randn(3, 4)}),
])
def test_backend_gradients(build, inputs):
    check_gradients(build, inputs)


def test_resize_images_bilinear_gradient():
    # ResizeBilinear outputs float32 whatever its input: a large step (the map is linear).
    check_gradients(lambda x: K.resize_images(x, 2, 2, "channels_last",
                                              interpolation="bilinear"),
                    {"x": RNG.randn(1, 3, 3, 2)}, eps=1e-2, tol=1e-4)


def test_ctc_batch_cost_gradient():
    labels = np.array([[1, 2, 0], [2, 0, 0]], np.int32)
    y_pred = np.random.RandomState(3).rand(2, 5, 4) + 0.1
    y_pred /= y_pred.sum(-1, keepdims=True)

    def build(p):
        return K.ctc_batch_cost(tf.constant(labels), p, tf.constant([[5], [4]]),
                                tf.constant([[2], [1]]))

    check_gradients(build, {"p": y_pred}, tol=1e-4)


# --- behaviour that is not a value ----------------------------------------------------------
def _run(t, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(t, feed)


def test_switch_scalar_takes_callables():
    with tf.Graph().as_default():
        flag = tf.placeholder(tf.bool, [])
        out = K.switch(flag, lambda: tf.constant(1.0), lambda: tf.constant(2.0))
        assert _run(out, {flag: True}) == 1.0
        assert _run(out, {flag: False}) == 2.0


def test_switch_broadcasts_lower_rank_condition():
    with tf.Graph().as_default():
        x = np.arange(12.0).reshape(2, 3, 2)
        cond = tf.constant([[True, False, True], [False, False, True]])
        out = _run(K.switch(cond, K.constant(x), K.constant(-x)))
        np.testing.assert_allclose(out, np.where(np.array(
            [[1, 0, 1], [0, 0, 1]], bool)[..., None], x, -x))
        with pytest.raises(ValueError, match="Rank of `condition`"):
            K.switch(tf.ones((2, 2, 2), tf.bool), tf.ones((2, 2)), tf.ones((2, 2)))


def test_in_train_phase_follows_learning_phase():
    with tf.Graph().as_default():
        out = K.in_train_phase(tf.constant(1.0), lambda: tf.constant(0.0))
        test = K.in_test_phase(tf.constant(1.0), tf.constant(0.0))
        assert _run(out) == 0.0
        assert _run(out, {K.learning_phase(): True}) == 1.0
        assert _run(test, {K.learning_phase(): True}) == 0.0
        assert K.in_train_phase("a", "b", training=1) == "a"
        assert K.in_train_phase("a", lambda: "b", training=False) == "b"


def test_zeros_ones_eye_are_variables():
    with tf.Graph().as_default():
        z, o, e = K.zeros((2, 3), dtype="float64"), K.ones((2,)), K.eye(3)
        assert all(isinstance(v, tf.Variable) for v in (z, o, e))
        assert z.dtype.base_dtype == tf.float64
        np.testing.assert_array_equal(K.get_value(e), np.eye(3))
        assert K.count_params(z) == 6
        np.testing.assert_array_equal(K.batch_get_value([z, o])[1], [1, 1])
        dynamic = K.zeros(tf.constant([2, 2]))
        assert not isinstance(dynamic, tf.Variable)
        np.testing.assert_array_equal(_run(dynamic), np.zeros((2, 2)))


def test_update_ops():
    with tf.Graph().as_default():
        v = K.variable(np.array([1.0, 2.0]))
        sess = K.get_session()
        sess.run(K.update_add(v, [1.0, 1.0]))
        sess.run(K.update_sub(v, [0.5, 0.0]))
        np.testing.assert_allclose(K.get_value(v), [1.5, 3.0])
        sess.run(K.update(v, [0.0, 4.0]))
        sess.run(K.moving_average_update(v, tf.constant([10.0, 4.0]), 0.9))
        np.testing.assert_allclose(K.get_value(v), [1.0, 4.0], rtol=1e-6)
        K.batch_set_value([(v, [7.0, 8.0])])
        np.testing.assert_allclose(K.get_value(v), [7.0, 8.0])


def test_random_functions_shapes_and_ranges():
    with tf.Graph().as_default():
        n = K.random_normal((200, 3), mean=2.0, stddev=0.5, seed=1)
        u = K.random_uniform((200,), -1.0, 1.0, seed=2)
        b = K.random_binomial((1000,), p=0.3, seed=3)
        nv, uv, bv = _run([n, u, b])
        assert nv.shape == (200, 3) and abs(nv.mean() - 2.0) < 0.15
        assert uv.min() >= -1.0 and uv.max() < 1.0
        assert set(np.unique(bv)) <= {0.0, 1.0} and 0.2 < bv.mean() < 0.4
        assert K.random_normal((2,)).dtype == tf.float32
        var = K.random_uniform_variable((2, 3), 0.0, 1.0, seed=5)
        assert isinstance(var, tf.Variable) and var.shape.as_list() == [2, 3]


def test_is_keras_tensor():
    with tf.Graph().as_default():
        inp = tf.keras.Input((3,))
        out = tf.keras.layers.Dense(2)(inp)
        assert K.is_keras_tensor(inp) and K.is_keras_tensor(out)
        assert not K.is_keras_tensor(tf.constant(1.0))
        with pytest.raises(ValueError, match="Expected a symbolic tensor instance"):
            K.is_keras_tensor(np.ones(3))


def test_floatx_and_cast_to_floatx():
    assert K.floatx() == "float32"
    with pytest.raises(ValueError, match="Unknown `floatx` value"):
        K.set_floatx("int8")
    K.set_floatx("float64")
    try:
        assert K.cast_to_floatx([1, 2]).dtype == np.float64
    finally:
        K.set_floatx("float32")
    assert K.cast_to_floatx([1, 2]).dtype == np.float32


def test_batch_dot_errors():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="rank < 2"):
            K.batch_dot(tf.ones((3,)), tf.ones((3, 2)))
        with pytest.raises(ValueError, match="different batch sizes"):
            K.batch_dot(tf.ones((3, 2)), tf.ones((4, 2)))
        with pytest.raises(ValueError, match="over axis 0"):
            K.batch_dot(tf.ones((3, 2)), tf.ones((3, 2)), axes=0)
        with pytest.raises(ValueError, match=r"x.shape\[2\] != y.shape\[1\] \(4 != 3\)"):
            K.batch_dot(tf.ones((2, 3, 4)), tf.ones((2, 3, 4)))


def test_dot_and_batch_dot_with_unknown_batch():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, (None, 3, 4))
        y = tf.placeholder(tf.float32, (None, 4, 2))
        xv, yv = np.random.rand(5, 3, 4), np.random.rand(5, 4, 2)
        got = _run([K.dot(x, tf.ones((4, 2))), K.batch_dot(x, y)], {x: xv, y: yv})
        np.testing.assert_allclose(got[0], xv @ np.ones((4, 2)), rtol=1e-5)
        np.testing.assert_allclose(got[1], xv @ yv, rtol=1e-5)


def test_ctc_decode_beam_search():
    with tf.Graph().as_default():
        pred = np.full((1, 4, 3), 0.05, np.float32)
        pred[0, [0, 1, 2, 3], [0, 2, 1, 1]] = 0.9
        decoded, logp = K.ctc_decode(K.constant(pred), K.constant([4]), greedy=False,
                                     beam_width=5, top_paths=2)
        assert len(decoded) == 2
        best, lp = _run([decoded[0], logp])
        np.testing.assert_array_equal(best, [[0, 1, -1, -1]])
        assert lp.shape == (1, 2) and lp[0, 0] >= lp[0, 1]


def test_pool_and_conv_argument_errors():
    with tf.Graph().as_default():
        x = tf.ones((1, 4, 4, 1))
        with pytest.raises(ValueError, match="Invalid pooling mode"):
            K.pool2d(x, (2, 2), pool_mode="sum")
        with pytest.raises(ValueError, match="Unknown data_format"):
            K.conv2d(x, tf.ones((1, 1, 1, 1)), data_format="nhwc")
        with pytest.raises(ValueError, match="`interpolation` argument"):
            K.resize_images(x, 2, 2, "channels_last", interpolation="cubic")


def _tanh_step(w, u):
    def step(x, states):
        h = K.tanh(K.dot(x, w) + K.dot(states[0], u))
        return h, [h]
    return step


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("with_mask", [False, True])
def test_rnn_while_loop_matches_unrolled(go_backwards, with_mask):
    rng = np.random.RandomState(0)
    xv = rng.randn(2, 4, 3).astype(np.float32)
    maskv = np.array([[1, 1, 0, 1], [0, 1, 1, 1]], bool)
    with tf.Graph().as_default():
        w, u = K.constant(rng.randn(3, 2)), K.constant(rng.randn(2, 2) * 0.5)
        static = K.constant(xv)
        dynamic = tf.placeholder(tf.float32, (2, None, 3))
        mask = tf.constant(maskv) if with_mask else None
        results = []
        for x in (static, dynamic):
            last, outs, states = K.rnn(_tanh_step(w, u), x, [tf.zeros((2, 2))],
                                       go_backwards=go_backwards, mask=mask)
            results.append([last, outs, states[0]])
        a, b = _run(results, {dynamic: xv})
    for got, want in zip(b, a):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert a[1].shape == (2, 4, 2)


@pytest.mark.parametrize("static", [True, False])
def test_rnn_gradients(static):
    rng = np.random.RandomState(2)
    u = rng.randn(2, 2) * 0.5

    def build(x, w):
        if not static:
            x = tf.placeholder_with_default(x, (2, None, 3))
        _, outs, _ = K.rnn(_tanh_step(w, tf.constant(u)), x, [tf.zeros((2, 2), tf.float64)],
                           mask=tf.constant([[True, False, True], [True, True, False]]))
        return outs

    check_gradients(build, {"x": rng.randn(2, 3, 3), "w": rng.randn(3, 2)})


def test_dropout_and_print_tensor(capsys):
    with tf.Graph().as_default():
        x = tf.ones((1000,))
        dropped = _run(K.dropout(x, 0.25, seed=3))
        np.testing.assert_allclose(np.unique(dropped), [0.0, 1.0 / 0.75], rtol=1e-6)
        assert 0.15 < (dropped == 0).mean() < 0.35
        np.testing.assert_array_equal(_run(K.print_tensor(tf.constant([1.0, 2.0]), "v=")),
                                      [1.0, 2.0])


def test_batch_norm_gradients():
    rng = np.random.RandomState(4)
    check_gradients(lambda x, g: K.normalize_batch_in_training(x, g, None, [0, 2])[0],
                    {"x": rng.randn(3, 2, 4), "g": rng.rand(2) + 0.5})
    check_gradients(lambda x, m, v: K.batch_normalization(x, m, v, None, None, axis=1),
                    {"x": rng.randn(2, 3, 2, 2), "m": rng.randn(3), "v": rng.rand(3) + 0.5})


def test_crossentropy_of_softmax_output_uses_its_logits():
    with tf.Graph().as_default():
        logits = tf.constant([[200.0, 0.0, -200.0]])
        target = tf.constant([[0.0, 0.0, 1.0]])
        loss = _run(K.categorical_crossentropy(target, K.softmax(logits)))
        np.testing.assert_allclose(loss, [400.0], rtol=1e-6)   # not clipped at -log(1e-7)
        bce = _run(K.binary_crossentropy(tf.constant([[0.0]]), K.sigmoid(tf.constant([[50.0]]))))
        np.testing.assert_allclose(bce, [[50.0]], rtol=1e-6)


def test_placeholder_helpers():
    with tf.Graph().as_default():
        p = K.placeholder((None, 3))
        assert K.is_placeholder(p) and not K.is_placeholder(tf.constant(1.0))
        assert K.get_variable_shape(K.variable(np.zeros((2, 5)))) == (2, 5)
        assert K.ndim(p) == 2 and K.dtype(p) == "float32" and K.int_shape(p) == (None, 3)
