"""tf.contrib.cudnn_rnn layers, run as composites on CPU, against TF's math and parameter layout.

Single-layer CudnnLSTM / CudnnGRU outputs were recorded from Keras' LSTM and GRU(reset_after)
(the layers TF maps onto the cuDNN op) by tools/fixtures/gen_contrib_rnn.py, given canonical
weights packed into cuDNN's opaque layout; stacked and bidirectional layers are checked against
a numpy reference over the same layout and against the CudnnCompatible cells that read
CudnnRNN checkpoints.
"""

import os

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf

CUDNN = tf.contrib.cudnn_rnn
ARRAYS = dict(np.load(os.path.join(os.path.dirname(__file__), "..", "fixtures", "contrib_rnn",
                                   "arrays.npz")))
GATES = {"lstm": 4, "gru": 3, "rnn_tanh": 1, "rnn_relu": 1}
LAYERS = {"lstm": CUDNN.CudnnLSTM, "gru": CUDNN.CudnnGRU, "rnn_tanh": CUDNN.CudnnRNNTanh,
          "rnn_relu": CUDNN.CudnnRNNRelu}


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def unpack(opaque, mode, num_layers, n, input_size, num_dirs):
    """cuDNN's opaque buffer -> per pseudo-layer (W [G][n, in], R [G][n, n], bW [G], bR [G])."""
    g, off, params = GATES[mode], 0, []
    for layer in range(num_layers):
        in_size = input_size if layer == 0 else n * num_dirs
        for _ in range(num_dirs):
            def take(count, shape):
                nonlocal off
                out = [opaque[off + k * int(np.prod(shape)):off + (k + 1) * int(np.prod(shape))]
                       .reshape(shape) for k in range(count)]
                off += count * int(np.prod(shape))
                return out
            params.append((take(g, (n, in_size)), take(g, (n, n)), take(g, (n,)), take(g, (n,))))
    assert off == opaque.size
    return params


def np_cudnn(x, h0, c0, opaque, mode, num_layers, n, num_dirs, lengths=None):
    """Reference forward pass (time-major); returns outputs, h [L*D, B, n], c."""
    params = unpack(opaque, mode, num_layers, n, x.shape[2], num_dirs)
    t_max, batch = x.shape[:2]
    lengths = np.full(batch, t_max) if lengths is None else np.asarray(lengths)
    hs, cs, inp = [], [], x
    for layer in range(num_layers):
        outs = []
        for d in range(num_dirs):
            p = layer * num_dirs + d
            w, r, bw, br = params[p]
            h, c = h0[p].copy(), None if c0 is None else c0[p].copy()
            out = np.zeros((t_max, batch, n))
            for b in range(batch):
                steps = range(lengths[b]) if d == 0 else reversed(range(lengths[b]))
                hb, cb = h[b], None if c is None else c[b]
                for t in steps:
                    xt = inp[t, b]
                    pre = [w[k] @ xt + bw[k] for k in range(len(w))]
                    rec = [r[k] @ hb + br[k] for k in range(len(w))]
                    if mode == "lstm":
                        i, f, cc, o = (pre[k] + rec[k] for k in range(4))
                        cb = sigmoid(f) * cb + sigmoid(i) * np.tanh(cc)
                        hb = sigmoid(o) * np.tanh(cb)
                    elif mode == "gru":
                        rg = sigmoid(pre[0] + rec[0])
                        u = sigmoid(pre[1] + rec[1])
                        hh = np.tanh(pre[2] + rg * rec[2])
                        hb = (1 - u) * hh + u * hb
                    else:
                        act = np.tanh if mode == "rnn_tanh" else (lambda v: np.maximum(v, 0))
                        hb = act(pre[0] + rec[0])
                    out[t, b] = hb
                h[b] = hb
                if c is not None:
                    c[b] = cb
            outs.append(out)
            hs.append(h)
            cs.append(c)
        inp = np.concatenate(outs, axis=2)
    return inp, np.stack(hs), (None if c0 is None else np.stack(cs))


def run_layer(layer, x, opaque, initial_state=None, **kwargs):
    with tf.Graph().as_default():
        xt = tf.placeholder(tf.float64 if x.dtype == np.float64 else tf.float32, x.shape)
        init = None if initial_state is None else tuple(tf.constant(s) for s in initial_state)
        outputs, states = layer(xt, initial_state=init, **kwargs)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(tf.assign(layer.kernel, opaque))
            return sess.run([outputs, states], {xt: x}), [v.op.name for v in
                                                           tf.global_variables()]


@pytest.mark.parametrize("mode", ["lstm", "gru"])
def test_single_layer_matches_tensorflow(mode):
    x, h0, c0 = ARRAYS["cudnn/x"], ARRAYS["cudnn/h0"], ARRAYS["cudnn/c0"]
    opaque = ARRAYS["cudnn_%s/opaque" % mode]
    n = h0.shape[1]
    state = (h0[None], c0[None]) if mode == "lstm" else (h0[None],)
    layer = LAYERS[mode](1, n)
    (outputs, states), names = run_layer(layer, x, opaque, state)
    assert names == ["cudnn_%s/opaque_kernel" % mode]
    assert layer.kernel.shape.as_list() == [opaque.size]
    np.testing.assert_allclose(outputs, ARRAYS["cudnn_%s/outputs" % mode], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(states[0][0], ARRAYS["cudnn_%s/h" % mode], rtol=1e-5, atol=1e-6)
    if mode == "lstm":
        assert len(states) == 2
        np.testing.assert_allclose(states[1][0], ARRAYS["cudnn_lstm/c"], rtol=1e-5, atol=1e-6)
    else:
        assert len(states) == 1


@pytest.mark.parametrize("mode", ["lstm", "gru", "rnn_tanh", "rnn_relu"])
@pytest.mark.parametrize("direction", ["unidirectional", "bidirectional"])
def test_stacked_layers_match_reference(mode, direction):
    rng = np.random.RandomState(0)
    num_layers, n, depth, num_dirs = 2, 3, 2, 2 if direction == "bidirectional" else 1
    x = rng.randn(5, 3, depth)
    size = CUDNN.cudnn_rnn_ops.opaque_params_size(mode, num_layers, n, depth, direction)
    opaque = rng.randn(size) * 0.5
    h0 = rng.randn(num_layers * num_dirs, 3, n)
    c0 = rng.randn(num_layers * num_dirs, 3, n)
    state = (h0, c0) if mode == "lstm" else (h0,)
    lengths = [5, 2, 4]
    layer = LAYERS[mode](num_layers, n, direction=direction, dtype=tf.float64)
    (outputs, states), _ = run_layer(layer, x, opaque, state, sequence_lengths=lengths)
    ref_out, ref_h, ref_c = np_cudnn(x, h0, c0 if mode == "lstm" else None, opaque, mode,
                                     num_layers, n, num_dirs, lengths)
    np.testing.assert_allclose(outputs, ref_out, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(states[0], ref_h, rtol=1e-10, atol=1e-12)
    if mode == "lstm":
        np.testing.assert_allclose(states[1], ref_c, rtol=1e-10, atol=1e-12)
    # Without lengths, and batch-major.
    layer = LAYERS[mode](num_layers, n, direction=direction, dtype=tf.float64)
    (outputs, states), _ = run_layer(layer, x.transpose(1, 0, 2), opaque, state,
                                     time_major=False)
    ref_out, ref_h, _ = np_cudnn(x, h0, c0 if mode == "lstm" else None, opaque, mode,
                                 num_layers, n, num_dirs)
    np.testing.assert_allclose(outputs, ref_out.transpose(1, 0, 2), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(states[0], ref_h, rtol=1e-10, atol=1e-12)


def test_layer_properties_zero_state_and_errors():
    with tf.Graph().as_default():
        lstm = CUDNN.CudnnLSTM(2, 4, direction="bidirectional")
        x = tf.placeholder(tf.float32, [None, None, 3])
        outputs, (h, c) = lstm(x)
        assert outputs.shape.as_list()[-1] == 8
        assert lstm.num_dirs == 2 and lstm.rnn_mode == "lstm" and lstm.input_size == 3
        assert lstm.canonical_weight_shapes[:8] == [(4, 3)] * 4 + [(4, 4)] * 4
        assert lstm.canonical_weight_shapes[16] == (4, 8)
        assert len(lstm.canonical_bias_shapes) == 32
        assert lstm.state_shape(5) == [4, 5, 4]
        total = sum(a * b for a, b in lstm.canonical_weight_shapes) + 32 * 4
        assert lstm.kernel.shape.as_list() == [total]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            o, hv, cv = sess.run([outputs, h, c], {x: np.ones((2, 3, 3))})
        assert o.shape == (2, 3, 8) and hv.shape == (4, 3, 4) and cv.shape == (4, 3, 4)
        with pytest.raises(TypeError, match="expecting tuple"):
            lstm(x, initial_state=[h, c])
    with pytest.raises(ValueError, match="Invalid direction"):
        CUDNN.CudnnGRU(1, 2, direction="both")
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="should be defined"):
            CUDNN.CudnnGRU(1, 2)(tf.placeholder(tf.float32, [2, 2, None]))


def test_dropout_only_between_layers_when_training():
    rng = np.random.RandomState(1)
    x = rng.randn(3, 2, 2).astype(np.float32)
    with tf.Graph().as_default():
        lstm = CUDNN.CudnnLSTM(2, 3, dropout=0.5, seed=1)
        xt = tf.constant(x)
        train, _ = lstm(xt)
        infer, _ = lstm(xt, training=False)
        ops = {op.type for op in tf.get_default_graph().get_operations()}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            a, b, c = sess.run([infer, infer, train])
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    assert any("Random" in t for t in ops)


def _canonical_lstm(params):
    """cuDNN (i, f, c, o) per-gate params -> TF's LSTMBlockCell kernel/bias (i, c, f, o)."""
    w, r, bw, br = params
    order = [0, 2, 1, 3]
    kernel = np.concatenate([np.concatenate([w[k], r[k]], axis=1).T for k in order], axis=1)
    bias = np.concatenate([bw[k] + br[k] for k in order])
    return kernel, bias


def test_cudnn_compatible_lstm_cell_reads_converted_weights():
    rng = np.random.RandomState(2)
    num_layers, n, depth = 2, 3, 2
    x = rng.randn(4, 2, depth)
    opaque = rng.randn(CUDNN.cudnn_rnn_ops.opaque_params_size("lstm", num_layers, n, depth,
                                                              "unidirectional")) * 0.5
    (outputs, (h, c)), _ = run_layer(CUDNN.CudnnLSTM(num_layers, n, dtype=tf.float64), x,
                                     opaque)
    params = unpack(opaque, "lstm", num_layers, n, depth, 1)
    with tf.Graph().as_default():
        cells = [CUDNN.CudnnCompatibleLSTMCell(n) for _ in range(num_layers)]
        out, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell(cells), tf.constant(x),
                                       dtype=tf.float64, time_major=True)
        var = {v.op.name: v for v in tf.global_variables()}
        assert sorted(var) == ["rnn/multi_rnn_cell/cell_%d/cudnn_compatible_lstm_cell/%s"
                               % (i, k) for i in range(2) for k in ("bias", "kernel")]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for i in range(num_layers):
                kernel, bias = _canonical_lstm(params[i])
                p = "rnn/multi_rnn_cell/cell_%d/cudnn_compatible_lstm_cell/" % i
                sess.run([tf.assign(var[p + "kernel"], kernel), tf.assign(var[p + "bias"], bias)])
            got, st = sess.run([out, state])
    np.testing.assert_allclose(got, outputs, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(st[1].h, h[1], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(st[1].c, c[1], rtol=1e-10, atol=1e-12)


def test_cudnn_compatible_gru_cell_reads_converted_weights():
    rng = np.random.RandomState(3)
    n, depth = 3, 2
    x = rng.randn(4, 2, depth)
    opaque = rng.randn(CUDNN.cudnn_rnn_ops.opaque_params_size("gru", 1, n, depth,
                                                              "unidirectional")) * 0.5
    (outputs, (h,)), _ = run_layer(CUDNN.CudnnGRU(1, n, dtype=tf.float64), x, opaque)
    w, r, bw, br = unpack(opaque, "gru", 1, n, depth, 1)[0]
    weights = {
        "gates/kernel": np.concatenate([np.concatenate([w[k], r[k]], axis=1).T for k in (0, 1)],
                                       axis=1),
        "gates/bias": np.concatenate([bw[0] + br[0], bw[1] + br[1]]),
        "candidate/input_projection/kernel": w[2].T, "candidate/input_projection/bias": bw[2],
        "candidate/hidden_projection/kernel": r[2].T, "candidate/hidden_projection/bias": br[2]}
    with tf.Graph().as_default():
        out, state = tf.nn.dynamic_rnn(CUDNN.CudnnCompatibleGRUCell(n), tf.constant(x),
                                       dtype=tf.float64, time_major=True)
        var = {v.op.name: v for v in tf.global_variables()}
        prefix = "rnn/cudnn_compatible_gru_cell/"
        assert sorted(var) == sorted(prefix + k for k in weights)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run([tf.assign(var[prefix + k], v) for k, v in weights.items()])
            got, st = sess.run([out, state])
    np.testing.assert_allclose(got, outputs, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(st, h[0], rtol=1e-10, atol=1e-12)


def test_opaque_kernel_checkpoint_round_trip(tmp_path):
    x, h0, c0 = ARRAYS["cudnn/x"], ARRAYS["cudnn/h0"], ARRAYS["cudnn/c0"]
    opaque = ARRAYS["cudnn_lstm/opaque"]
    path = str(tmp_path / "model.ckpt")
    with tf.Graph().as_default():
        lstm = CUDNN.CudnnLSTM(1, 3)
        lstm(tf.constant(x))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(tf.assign(lstm.kernel, opaque))
            tf.train.Saver().save(sess, path)
    # As TF 1.15: the buffer, and its canonical form written by the layer's saveable.
    prefix = "cudnn_lstm/rnn/multi_rnn_cell/cell_0/cudnn_compatible_lstm_cell/"
    assert dict(tf.train.list_variables(path)) == {
        "cudnn_lstm/opaque_kernel": [opaque.size], prefix + "kernel": [x.shape[-1] + 3, 12],
        prefix + "bias": [12]}
    with tf.Graph().as_default():
        outputs, _ = CUDNN.CudnnLSTM(1, 3)(tf.constant(x), initial_state=(
            tf.constant(h0[None]), tf.constant(c0[None])))
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, path)
            got = sess.run(outputs)
    np.testing.assert_allclose(got, ARRAYS["cudnn_lstm/outputs"], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("mode", ["lstm", "gru", "rnn_tanh"])
def test_cudnn_gradient(mode):
    rng = np.random.RandomState(4)
    direction = "bidirectional" if mode == "lstm" else "unidirectional"
    size = CUDNN.cudnn_rnn_ops.opaque_params_size(mode, 2 if mode == "gru" else 1, 2, 2,
                                                  direction)
    inputs = {"x": rng.uniform(-1, 1, (3, 2, 2)), "opaque": rng.uniform(-0.7, 0.7, size)}

    def build(x, opaque):
        def getter(_getter, name, **_):
            assert name.endswith("opaque_kernel")
            return opaque
        with tf.variable_scope("g", custom_getter=getter):
            layer = LAYERS[mode](2 if mode == "gru" else 1, 2, direction=direction,
                                 dtype=tf.float64)
            outputs, states = layer(x, sequence_lengths=[3, 2])
        return [outputs] + list(states)

    check_gradients(build, inputs, tol=1e-6)


def test_cudnn_lstm_trains_with_an_optimizer():
    rng = np.random.RandomState(5)
    x = rng.randn(4, 3, 2).astype(np.float32)
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        lstm = CUDNN.CudnnLSTM(1, 3)
        outputs, _ = lstm(tf.constant(x))
        loss = tf.reduce_mean(tf.square(outputs - 0.5))
        train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        assert lstm.trainable_variables == [lstm.kernel]
        assert tf.trainable_variables() == [lstm.kernel]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            before = sess.run(loss)
            for _ in range(5):
                sess.run(train)
            assert sess.run(loss) < before
