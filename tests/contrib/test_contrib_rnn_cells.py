"""tf.contrib.rnn cells against real TensorFlow and TF 1.15's formulas.

The fused kernels (LSTMBlockCell, BlockLSTM, GRUBlockCell) and a ConvLSTM step were recorded
from TensorFlow by tools/fixtures/gen_contrib_rnn.py; the other cells are checked against
numpy step functions re-derived from contrib's source, variable names against TF 1.15's, and
every cell's gradient (w.r.t. inputs, state and weights) by finite differences.
"""

import os

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf
from tensorflux.ops.func_graph import flatten

RNN = tf.contrib.rnn
ARRAYS = dict(np.load(os.path.join(os.path.dirname(__file__), "..", "fixtures", "contrib_rnn",
                                   "arrays.npz")))


def _case(name):
    return {k[len(name) + 1:]: v for k, v in ARRAYS.items() if k.startswith(name + "/")}


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def np_layer_norm(x, gamma=1.0, beta=0.0):
    mean = x.mean(-1, keepdims=True)
    var = x.var(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * gamma + beta


def run_cell(cell, x, state, weights, state_is_tuple=True):
    """Calls `cell(x, state)` once under scope "rnn" with `weights` (variable-name suffix ->
    value) loaded; returns (output, flat new state, variable names)."""
    with tf.Graph().as_default():
        xt = tf.constant(x)
        st = tuple(tf.constant(s) for s in state) if isinstance(state, tuple) \
            else tf.constant(state)
        if isinstance(cell.state_size, tf.contrib.rnn.LSTMStateTuple):
            st = tf.contrib.rnn.LSTMStateTuple(*st)
        with tf.variable_scope("rnn"):
            out, new_state = cell(xt, st)
        names = [v.op.name for v in tf.global_variables()]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for v in tf.global_variables():
                key = [k for k in weights if v.op.name.endswith("/" + k)]
                if key:
                    sess.run(tf.assign(v, weights[max(key, key=len)]))
            res = sess.run([out] + flatten(new_state))
    return res[0], res[1:], names


def _weights_from(values):
    """A custom getter returning fed tensors in place of a cell's variables (for gradcheck)."""
    def getter(_getter, name, shape=None, **_):
        w = max(((k, v) for k, v in values.items() if name.endswith("/" + k)),
                key=lambda kv: len(kv[0]))[1]
        assert w.shape.as_list() == list(shape), (name, w.shape, shape)
        return w
    return getter


def _gradcheck_cell(make_cell, x_shape, state_shapes, weight_shapes, seed=0, tol=1e-6,
                    pack=None):
    rng = np.random.RandomState(seed)
    inputs = {"x": rng.uniform(-1, 1, x_shape)}
    inputs.update({"s%d" % i: rng.uniform(-1, 1, s) for i, s in enumerate(state_shapes)})
    inputs.update({k: rng.uniform(-0.7, 0.7, s) for k, s in weight_shapes.items()})
    n_state = len(state_shapes)

    def build(x, *rest):
        states, weights = rest[:n_state], rest[n_state:]
        cell = make_cell()
        if pack is not None:
            state = pack(states)
        else:
            state = states[0] if n_state == 1 else tf.contrib.rnn.LSTMStateTuple(*states)
        with tf.variable_scope("rnn", custom_getter=_weights_from(dict(zip(weight_shapes,
                                                                           weights)))):
            out, new_state = cell(x, state)
        return [out] + flatten(new_state)

    return check_gradients(build, inputs, tol=tol)


# --- LSTMBlockCell / LSTMBlockFusedCell ---------------------------------------------------------


@pytest.mark.parametrize("case,peephole,clip,forget_bias", [
    ("lstm_block", False, None, 1.0), ("lstm_block_peep_clip", True, 0.3, 0.5)])
def test_lstm_block_cell_matches_tf_kernel(case, peephole, clip, forget_bias):
    a = _case(case)
    n = a["h"].shape[1]
    cell = RNN.LSTMBlockCell(n, forget_bias=forget_bias, cell_clip=clip, use_peephole=peephole)
    weights = {"kernel": a["w"], "bias": a["b"], "w_i_diag": a["wci"], "w_f_diag": a["wcf"],
               "w_o_diag": a["wco"]}
    out, (cs, h), names = run_cell(cell, a["x"], (a["cs_prev"], a["h_prev"]), weights)
    expected = ["rnn/lstm_cell/kernel", "rnn/lstm_cell/bias"]
    if peephole:
        expected += ["rnn/lstm_cell/w_i_diag", "rnn/lstm_cell/w_f_diag", "rnn/lstm_cell/w_o_diag"]
    assert names == expected
    np.testing.assert_allclose(cs, a["cs"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(h, a["h"], rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(out, h)


def test_lstm_block_cell_equals_lstm_cell_with_same_weights():
    rng = np.random.RandomState(3)
    x, c, h = rng.randn(2, 3), rng.randn(2, 4), rng.randn(2, 4)
    weights = {"kernel": rng.randn(7, 16) * 0.5, "bias": rng.randn(16) * 0.5,
               "w_i_diag": rng.randn(4), "w_f_diag": rng.randn(4), "w_o_diag": rng.randn(4)}
    got = run_cell(RNN.LSTMBlockCell(4, cell_clip=0.8, use_peephole=True, dtype=tf.float64),
                   x, (c, h), weights)
    ref = run_cell(tf.nn.rnn_cell.LSTMCell(4, cell_clip=0.8, use_peepholes=True), x, (c, h),
                   weights)
    for g, r in zip(got[1], ref[1]):
        np.testing.assert_allclose(g, r, rtol=1e-12)
    assert sorted(got[2]) == sorted(ref[2])  # same variable names: checkpoints interchange


@pytest.mark.parametrize("core,block", [
    (lambda: tf.nn.rnn_cell.LSTMCell(3), lambda: RNN.LSTMBlockCell(3)),
    (lambda: tf.nn.rnn_cell.GRUCell(3), lambda: RNN.GRUBlockCellV2(3)),
], ids=["lstm", "gru"])
def test_block_cell_restores_core_cell_checkpoint(core, block, tmp_path):
    x = np.random.RandomState(12).randn(2, 5, 4).astype(np.float32)
    path = str(tmp_path / "model.ckpt")
    results = []
    for i, make in enumerate((core, block)):
        with tf.Graph().as_default():
            out, _ = tf.nn.dynamic_rnn(make(), tf.constant(x), sequence_length=[5, 3],
                                       dtype=tf.float32)
            saver = tf.train.Saver()
            with tf.Session() as sess:
                if i == 0:
                    sess.run(tf.global_variables_initializer())
                    saver.save(sess, path)
                else:
                    saver.restore(sess, path)
                results.append(sess.run(out))
    np.testing.assert_allclose(results[1], results[0], rtol=1e-5, atol=1e-6)


def test_lstm_block_fused_cell_matches_block_lstm():
    a = _case("fused")
    n = a["h"].shape[2]
    with tf.Graph().as_default():
        lstm = RNN.LSTMBlockFusedCell(n)
        x = tf.placeholder(tf.float32, [None, None, a["x"].shape[2]])
        init = (tf.constant(a["cs_prev"]), tf.constant(a["h_prev"]))
        outputs, state = lstm(x, initial_state=init)
        assert isinstance(state, tf.contrib.rnn.LSTMStateTuple)
        lengths = tf.constant([4, 2, 0])
        out_len, state_len = lstm(x, initial_state=init, sequence_length=lengths)
        names = [v.op.name for v in tf.global_variables()]
        assert names == ["lstm_fused_cell/kernel", "lstm_fused_cell/bias"]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run([tf.assign(lstm.variables[0], a["w"]), tf.assign(lstm.variables[1], a["b"])])
            o, s, ol, sl = sess.run([outputs, state, out_len, state_len], {x: a["x"]})
    np.testing.assert_allclose(o, a["h"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(s.c, a["cs"][-1], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(s.h, a["h"][-1], rtol=1e-5, atol=1e-6)
    # With lengths: outputs past each length are zero, the state is the one at length - 1.
    np.testing.assert_allclose(ol[:, 0], a["h"][:, 0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ol[:2, 1], a["h"][:2, 1], rtol=1e-5, atol=1e-6)
    assert not ol[2:, 1].any() and not ol[:, 2].any()
    np.testing.assert_allclose(sl.h[1], a["h"][1, 1], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(sl.c[1], a["cs"][1, 1], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(sl.h[2], a["h_prev"][2], rtol=1e-6)
    np.testing.assert_allclose(sl.c[2], a["cs_prev"][2], rtol=1e-6)


def test_lstm_block_fused_cell_needs_dtype_or_state():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Either initial_state or dtype"):
            RNN.LSTMBlockFusedCell(3)(tf.zeros([2, 1, 3]))


def test_lstm_block_cell_gradient():
    _gradcheck_cell(lambda: RNN.LSTMBlockCell(2, use_peephole=True, cell_clip=5.0),
                    (2, 3), [(2, 2), (2, 2)],
                    {"kernel": (5, 8), "bias": (8,), "w_i_diag": (2,), "w_f_diag": (2,),
                     "w_o_diag": (2,)})


def test_lstm_block_fused_cell_gradient():
    rng = np.random.RandomState(5)
    shapes = {"kernel": (4, 8), "bias": (8,)}
    inputs = {"x": rng.uniform(-1, 1, (3, 2, 2))}
    inputs.update({k: rng.uniform(-0.7, 0.7, s) for k, s in shapes.items()})

    def build(x, *weights):
        with tf.variable_scope("f", custom_getter=_weights_from(dict(zip(shapes, weights)))):
            out, state = RNN.LSTMBlockFusedCell(2)(x, dtype=tf.float64,
                                                   sequence_length=[3, 2])
        return [out, state.c, state.h]

    check_gradients(build, inputs, tol=1e-6)


# --- GRUBlockCell -----------------------------------------------------------------------------


def test_gru_block_cell_matches_tf_kernel_and_names():
    a = _case("gru_block")
    n = a["h"].shape[1]
    # TF 1.15 names the [depth + n, 2n] gate kernel "w_c" and the candidate kernel "w_ru".
    weights = {"w_c": a["w_ru"], "w_ru": a["w_c"], "b_ru": a["b_ru"], "b_c": a["b_c"]}
    out, (h,), names = run_cell(RNN.GRUBlockCell(n), a["x"], a["h_prev"], weights)
    assert names == ["rnn/gru_cell/w_c", "rnn/gru_cell/b_ru", "rnn/gru_cell/w_ru",
                     "rnn/gru_cell/b_c"]
    np.testing.assert_allclose(h, a["h"], rtol=1e-5, atol=1e-6)
    weights = {"gates/kernel": a["w_ru"], "candidate/kernel": a["w_c"],
               "gates/bias": a["b_ru"], "candidate/bias": a["b_c"]}
    out2, _, names2 = run_cell(RNN.GRUBlockCellV2(num_units=n), a["x"], a["h_prev"], weights)
    assert names2 == ["rnn/gru_cell/gates/kernel", "rnn/gru_cell/gates/bias",
                      "rnn/gru_cell/candidate/kernel", "rnn/gru_cell/candidate/bias"]
    np.testing.assert_allclose(out2, a["h"], rtol=1e-5, atol=1e-6)
    # ... and GRUCell computes the same function from the same weights.
    out3, _, _ = run_cell(tf.nn.rnn_cell.GRUCell(n, name="gru_cell"), a["x"], a["h_prev"],
                          weights)
    np.testing.assert_allclose(out3, a["h"], rtol=1e-5, atol=1e-6)


def test_gru_block_cell_args():
    with pytest.raises(ValueError, match="Exactly one of num_units or cell_size"):
        RNN.GRUBlockCell()
    assert RNN.GRUBlockCell(cell_size=4).output_size == 4


def test_gru_block_cell_gradient():
    _gradcheck_cell(lambda: RNN.GRUBlockCell(2), (2, 3), [(2, 2)],
                    {"w_c": (5, 4), "b_ru": (4,), "w_ru": (5, 2), "b_c": (2,)})


# --- LayerNormBasicLSTMCell -------------------------------------------------------------------


def np_layer_norm_lstm(x, c, h, kernel, norms, forget_bias=1.0):
    z = np.concatenate([x, h], 1) @ kernel
    i, j, f, o = np.split(z, 4, axis=1)
    i, j, f, o = (np_layer_norm(v, *norms[k]) for v, k in zip(
        (i, j, f, o), ("input", "transform", "forget", "output")))
    new_c = c * sigmoid(f + forget_bias) + sigmoid(i) * np.tanh(j)
    new_c = np_layer_norm(new_c, *norms["state"])
    return np.tanh(new_c) * sigmoid(o), new_c


def test_layer_norm_basic_lstm_cell():
    rng = np.random.RandomState(0)
    x, c, h = rng.randn(3, 4), rng.randn(3, 5), rng.randn(3, 5)
    kernel = rng.randn(9, 20) * 0.5
    norms = {k: (rng.rand(5) + 0.5, rng.randn(5) * 0.1)
             for k in ("input", "transform", "forget", "output", "state")}
    weights = {"kernel": kernel}
    for k, (g, b) in norms.items():
        weights[k + "/gamma"], weights[k + "/beta"] = g, b
    cell = RNN.LayerNormBasicLSTMCell(5)
    out, (new_c, new_h), names = run_cell(cell, x, (c, h), weights)
    p = "rnn/layer_norm_basic_lstm_cell/"
    assert names == [p + "kernel"] + [p + "%s/%s" % (k, v) for k in (
        "input", "transform", "forget", "output", "state") for v in ("gamma", "beta")]
    ref_h, ref_c = np_layer_norm_lstm(x, c, h, kernel, norms)
    np.testing.assert_allclose(new_c, ref_c, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out, ref_h, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(out, new_h)


def test_layer_norm_basic_lstm_cell_defaults_and_no_norm():
    with tf.Graph().as_default():
        cell = RNN.LayerNormBasicLSTMCell(3, norm_gain=2.0, norm_shift=0.5)
        tf.nn.dynamic_rnn(cell, tf.zeros([2, 4, 3]), dtype=tf.float32)
        var = {v.op.name: v for v in tf.global_variables()}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            g, b = sess.run([var["rnn/layer_norm_basic_lstm_cell/state/gamma"],
                             var["rnn/layer_norm_basic_lstm_cell/state/beta"]])
        np.testing.assert_array_equal(g, [2.0] * 3)
        np.testing.assert_array_equal(b, [0.5] * 3)
    rng = np.random.RandomState(1)
    x, c, h = rng.randn(2, 3), rng.randn(2, 4), rng.randn(2, 4)
    kernel, bias = rng.randn(7, 16), rng.randn(16)
    out, (new_c, _), names = run_cell(RNN.LayerNormBasicLSTMCell(4, layer_norm=False), x,
                                      (c, h), {"kernel": kernel, "bias": bias})
    assert names == ["rnn/layer_norm_basic_lstm_cell/kernel",
                     "rnn/layer_norm_basic_lstm_cell/bias"]
    z = np.concatenate([x, h], 1) @ kernel + bias
    i, j, f, o = np.split(z, 4, axis=1)
    ref_c = c * sigmoid(f + 1.0) + sigmoid(i) * np.tanh(j)
    np.testing.assert_allclose(new_c, ref_c, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out, np.tanh(ref_c) * sigmoid(o), rtol=1e-5, atol=1e-6)


def test_layer_norm_lstm_cell_gradient():
    # With layer norm the bias is created but unused (as in TF): its gradient is None.
    shapes = {"kernel": (5, 8), "bias": (8,)}
    for k in ("input", "transform", "forget", "output", "state"):
        shapes[k + "/gamma"] = (2,)
        shapes[k + "/beta"] = (2,)
    rng = np.random.RandomState(0)
    inputs = {"x": rng.uniform(-1, 1, (2, 3)), "c": rng.uniform(-1, 1, (2, 2)),
              "m": rng.uniform(-1, 1, (2, 2))}
    inputs.update({k: rng.uniform(-0.7, 0.7, s) for k, s in shapes.items()})

    def build(x, c, m, *weights):
        with tf.variable_scope("rnn", custom_getter=_weights_from(dict(zip(shapes, weights)))):
            out, state = RNN.LayerNormLSTMCell(2, layer_norm=True)(
                x, tf.contrib.rnn.LSTMStateTuple(c, m))
        return [out, state.c]

    check_gradients(build, inputs, tol=1e-5, allow_none=("bias",))


def test_layer_norm_basic_lstm_cell_gradient():
    shapes = {"kernel": (5, 8)}
    for k in ("input", "transform", "forget", "output", "state"):
        shapes[k + "/gamma"] = (2,)
        shapes[k + "/beta"] = (2,)
    # Layer norm over 2 units is degenerate-free only with distinct values; tolerance as usual.
    _gradcheck_cell(lambda: RNN.LayerNormBasicLSTMCell(2), (2, 3), [(2, 2), (2, 2)], shapes,
                    tol=1e-5)


# --- ConvLSTMCell -----------------------------------------------------------------------------


def test_conv2d_lstm_cell_matches_tf_step():
    a = _case("conv2d")
    cout = a["h"].shape[-1]
    cell = RNN.Conv2DLSTMCell(input_shape=list(a["x"].shape[1:]), output_channels=cout,
                              kernel_shape=[3, 3])
    out, (new_c, new_h), names = run_cell(cell, a["x"], (a["c"], a["h"]),
                                          {"kernel": a["kernel"], "biases": a["biases"]})
    assert names == ["rnn/conv_2d_lstm_cell/kernel", "rnn/conv_2d_lstm_cell/biases"]
    np.testing.assert_allclose(new_c, a["new_c"], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(new_h, a["new_h"], rtol=1e-5, atol=1e-5)


def test_conv_lstm_cells_shapes_names_and_dynamic_rnn():
    with tf.Graph().as_default():
        c1 = RNN.Conv1DLSTMCell(input_shape=[6, 2], output_channels=3, kernel_shape=[3])
        c3 = RNN.Conv3DLSTMCell(input_shape=[3, 4, 4, 2], output_channels=2,
                                kernel_shape=[1, 3, 3], use_bias=False)
        skip = RNN.ConvLSTMCell(2, [4, 4, 2], 3, [3, 3], skip_connection=True)
        assert c1.state_size.c.as_list() == [6, 3] and c1.output_size.as_list() == [6, 3]
        assert skip.output_size.as_list() == [4, 4, 5]
        out1, st1 = tf.nn.dynamic_rnn(c1, tf.ones([2, 5, 6, 2]), dtype=tf.float32)
        with tf.variable_scope("b"):
            out3, _ = tf.nn.dynamic_rnn(c3, tf.ones([2, 2, 3, 4, 4, 2]), dtype=tf.float32)
        assert out1.shape.as_list() == [2, 5, 6, 3] and st1.h.shape.as_list() == [2, 6, 3]
        assert out3.shape.as_list() == [2, 2, 3, 4, 4, 2]
        names = {v.op.name: v.shape.as_list() for v in tf.global_variables()}
        assert names == {"rnn/conv_1d_lstm_cell/kernel": [3, 5, 12],
                         "rnn/conv_1d_lstm_cell/biases": [12],
                         "b/rnn/conv_3d_lstm_cell/kernel": [1, 3, 3, 4, 8]}
    with pytest.raises(ValueError, match="Invalid input_shape"):
        RNN.ConvLSTMCell(2, [4, 2], 3, [3, 3])


def test_conv_lstm_cell_gradient():
    _gradcheck_cell(lambda: RNN.Conv1DLSTMCell(input_shape=[3, 1], output_channels=1,
                                               kernel_shape=[2]),
                    (1, 3, 1), [(1, 3, 1), (1, 3, 1)],
                    {"kernel": (2, 2, 4), "biases": (4,)})


# --- CoupledInputForgetGateLSTMCell, IndRNN, UGRNN, NAS ----------------------------------------


def test_coupled_input_forget_gate_lstm_cell():
    rng = np.random.RandomState(2)
    x, c, h = rng.randn(2, 3), rng.randn(2, 4), rng.randn(2, 2)
    w, b = rng.randn(5, 12) * 0.5, rng.randn(12)
    wf, wo, wp = rng.randn(4), rng.randn(4), rng.randn(4, 2)
    cell = RNN.CoupledInputForgetGateLSTMCell(4, use_peepholes=True, num_proj=2, proj_clip=0.5)
    assert cell.state_size == tf.contrib.rnn.LSTMStateTuple(4, 2)
    out, (new_c, new_m), names = run_cell(cell, x, (c, h), {"W_0": w, "B": b, "W_F_diag": wf,
                                                           "W_O_diag": wo, "W_P_0": wp})
    p = "rnn/coupled_input_forget_gate_lstm_cell/"
    assert names == [p + n for n in ("W_0", "B", "W_F_diag", "W_O_diag", "W_P_0")]
    j, f, o = np.split(np.concatenate([x, h], 1) @ w + b, 3, axis=1)
    f_act = sigmoid(f + 1.0 + wf * c)
    ref_c = f_act * c + (1 - f_act) * np.tanh(j)
    ref_m = np.clip((sigmoid(o + wo * ref_c) * np.tanh(ref_c)) @ wp, -0.5, 0.5)
    np.testing.assert_allclose(new_c, ref_c, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out, ref_m, rtol=1e-5, atol=1e-6)


def test_ind_rnn_and_ugrnn_cells():
    rng = np.random.RandomState(4)
    x, h = rng.randn(2, 3), rng.randn(2, 4)
    w, u, b = rng.randn(3, 4), rng.randn(1, 4), rng.randn(4)
    out, _, names = run_cell(RNN.IndRNNCell(4), x, h, {"kernel_w": w, "kernel_u": u, "bias": b})
    assert names == ["rnn/ind_rnn_cell/kernel_w", "rnn/ind_rnn_cell/kernel_u",
                     "rnn/ind_rnn_cell/bias"]
    np.testing.assert_allclose(out, np.tanh(x @ w + h * u + b), rtol=1e-5, atol=1e-6)
    out, _, _ = run_cell(RNN.IndRNNCell(4, activation=tf.nn.relu), x, h,
                         {"kernel_w": w, "kernel_u": u, "bias": b})
    np.testing.assert_allclose(out, np.maximum(x @ w + h * u + b, 0), rtol=1e-5, atol=1e-6)
    k, bb = rng.randn(7, 8), rng.randn(8)
    out, _, names = run_cell(RNN.UGRNNCell(4), x, h, {"kernel": k, "bias": bb})
    assert names == ["rnn/ugrnn_cell/kernel", "rnn/ugrnn_cell/bias"]
    g_act, c_act = np.split(np.concatenate([x, h], 1) @ k + bb, 2, axis=1)
    g = sigmoid(g_act + 1.0)
    np.testing.assert_allclose(out, g * h + (1 - g) * np.tanh(c_act), rtol=1e-5, atol=1e-6)


def np_nas(x, c, m, kernel, rec, bias=None, proj=None):
    mm = m @ rec + (0 if bias is None else bias)
    xm = x @ kernel
    ms, xs = np.split(mm, 8, axis=1), np.split(xm, 8, axis=1)
    relu = lambda v: np.maximum(v, 0)  # noqa: E731
    l1 = [sigmoid(xs[0] + ms[0]), relu(xs[1] + ms[1]), sigmoid(xs[2] + ms[2]),
          relu(xs[3] * ms[3]), np.tanh(xs[4] + ms[4]), sigmoid(xs[5] + ms[5]),
          np.tanh(xs[6] + ms[6]), sigmoid(xs[7] + ms[7])]
    l2_0 = np.tanh(np.tanh(l1[0] * l1[1]) + c)
    new_c = l2_0 * np.tanh(l1[2] + l1[3])
    new_m = np.tanh(new_c * np.tanh(np.tanh(l1[4] * l1[5]) + sigmoid(l1[6] + l1[7])))
    return (new_m if proj is None else new_m @ proj), new_c


def test_nas_cell():
    rng = np.random.RandomState(6)
    x, c, m = rng.randn(2, 3), rng.randn(2, 4), rng.randn(2, 2)
    rec, kernel, bias, proj = rng.randn(2, 32), rng.randn(3, 32), rng.randn(32), rng.randn(4, 2)
    out, (new_c, new_m), names = run_cell(
        RNN.NASCell(4, num_proj=2, use_bias=True), x, (c, m),
        {"recurrent_kernel": rec, "kernel": kernel, "bias": bias, "projection_weights": proj})
    assert names == ["rnn/nas_cell/" + n for n in ("recurrent_kernel", "kernel", "bias",
                                                   "projection_weights")]
    ref_m, ref_c = np_nas(x, c, m, kernel, rec, bias, proj)
    np.testing.assert_allclose(new_c, ref_c, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out, ref_m, rtol=1e-5, atol=1e-6)


def test_layer_norm_lstm_cell():
    rng = np.random.RandomState(16)
    x, c, m = rng.randn(2, 3), rng.randn(2, 4), rng.randn(2, 2)
    kernel, bias = rng.randn(5, 16) * 0.5, rng.randn(16)
    wf, wi, wo, proj = rng.randn(4), rng.randn(4), rng.randn(4), rng.randn(4, 2)
    norms = {k: (rng.rand(4) + 0.5, rng.randn(4) * 0.1)
             for k in ("input", "transform", "forget", "output", "state")}
    weights = {"kernel": kernel, "bias": bias, "w_f_diag": wf, "w_i_diag": wi, "w_o_diag": wo,
               "projection/kernel": proj}
    for k, (g, b) in norms.items():
        weights[k + "/gamma"], weights[k + "/beta"] = g, b
    cell = RNN.LayerNormLSTMCell(4, use_peepholes=True, cell_clip=0.7, num_proj=2,
                                 layer_norm=True)
    out, (new_c, _), names = run_cell(cell, x, (c, m), weights)
    p = "rnn/layer_norm_lstm_cell/"
    assert names == [p + "kernel", p + "bias"] + [
        p + "%s/%s" % (k, v) for k in ("input", "transform", "forget", "output")
        for v in ("gamma", "beta")] + [p + "w_f_diag", p + "w_i_diag", p + "w_o_diag",
                                       p + "state/gamma", p + "state/beta",
                                       p + "projection/kernel"]
    z = np.concatenate([x, m], 1) @ kernel   # no bias with layer norm
    i, j, f, o = (np_layer_norm(v, *norms[k]) for v, k in zip(
        np.split(z, 4, axis=1), ("input", "transform", "forget", "output")))
    ref_c = sigmoid(f + 1.0 + wf * c) * c + sigmoid(i + wi * c) * np.tanh(j)
    ref_c = np.clip(np_layer_norm(ref_c, *norms["state"]), -0.7, 0.7)
    ref_m = (sigmoid(o + wo * ref_c) * np.tanh(ref_c)) @ proj
    np.testing.assert_allclose(new_c, ref_c, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out, ref_m, rtol=1e-5, atol=1e-6)
    # Without layer norm it is LSTMCell.
    m4 = rng.randn(2, 4)
    w = {"kernel": rng.randn(7, 16), "bias": bias}
    got = run_cell(RNN.LayerNormLSTMCell(4), x, (c, m4), w)
    ref = run_cell(tf.nn.rnn_cell.LSTMCell(4), x, (c, m4), w)
    assert got[2] == ["rnn/layer_norm_lstm_cell/kernel", "rnn/layer_norm_lstm_cell/bias"]
    for g, r in zip(got[1], ref[1]):
        np.testing.assert_allclose(g, r, rtol=1e-6)


def test_sru_and_intersection_rnn_cells():
    rng = np.random.RandomState(17)
    x, h = rng.randn(2, 4), rng.randn(2, 4)
    k, b = rng.randn(4, 16), rng.randn(8)
    out, (new_c,), names = run_cell(RNN.SRUCell(4), x, h, {"kernel": k, "bias": b})
    assert names == ["rnn/sru_cell/kernel", "rnn/sru_cell/bias"]
    x_bar, f_pre, r_pre, x_tx = np.split(x @ k, 4, axis=1)
    f = sigmoid(f_pre + b[:4])
    r = sigmoid(r_pre + b[4:])
    ref_c = f * h + (1 - f) * x_bar
    np.testing.assert_allclose(new_c, ref_c, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out, r * np.tanh(ref_c) + (1 - r) * x_tx, rtol=1e-5, atol=1e-6)
    x3 = rng.randn(2, 3)
    w = {"in_projection/kernel": rng.randn(3, 4), "in_projection/bias": rng.randn(4),
         "intersection_rnn_cell/kernel": rng.randn(8, 16),
         "intersection_rnn_cell/bias": rng.randn(16)}
    out, (new_s,), names = run_cell(RNN.IntersectionRNNCell(4, num_in_proj=4), x3, h, w)
    assert names == ["rnn/intersection_rnn_cell/in_projection/kernel",
                     "rnn/intersection_rnn_cell/in_projection/bias",
                     "rnn/intersection_rnn_cell/kernel", "rnn/intersection_rnn_cell/bias"]
    xp = x3 @ w["in_projection/kernel"] + w["in_projection/bias"]
    gh, hh, gy, y = np.split(np.concatenate([xp, h], 1) @ w["intersection_rnn_cell/kernel"] +
                             w["intersection_rnn_cell/bias"], 4, axis=1)
    gh, gy = sigmoid(gh + 1.0), sigmoid(gy + 1.0)
    np.testing.assert_allclose(new_s, gh * h + (1 - gh) * np.tanh(hh), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out, gy * xp + (1 - gy) * np.maximum(y, 0), rtol=1e-5,
                               atol=1e-6)
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Must have input size == output size"):
            RNN.IntersectionRNNCell(4)(tf.zeros([2, 3]), tf.zeros([2, 4]))


@pytest.mark.parametrize("make,states,shapes", [
    (lambda: RNN.CoupledInputForgetGateLSTMCell(2, use_peepholes=True, num_proj=2),
     [(2, 2), (2, 2)], {"W_0": (5, 6), "B": (6,), "W_F_diag": (2,), "W_O_diag": (2,),
                        "W_P_0": (2, 2)}),
    (lambda: RNN.IndRNNCell(2), [(2, 2)],
     {"kernel_w": (3, 2), "kernel_u": (1, 2), "bias": (2,)}),
    (lambda: RNN.IndyGRUCell(2), [(2, 2)],
     {"gates/kernel_w": (3, 4), "gates/kernel_u": (1, 4), "gates/bias": (4,),
      "candidate/kernel": (3, 2), "candidate/kernel_u": (1, 2), "candidate/bias": (2,)}),
    (lambda: RNN.IndyLSTMCell(2), [(2, 2), (2, 2)],
     {"kernel_w": (3, 8), "kernel_u": (1, 8), "bias": (8,)}),
    (lambda: RNN.UGRNNCell(2), [(2, 2)], {"kernel": (5, 4), "bias": (4,)}),
    (lambda: RNN.NASCell(2, num_proj=2, use_bias=True), [(2, 2), (2, 2)],
     {"recurrent_kernel": (2, 16), "kernel": (3, 16), "bias": (16,),
      "projection_weights": (2, 2)}),
    (lambda: RNN.LayerNormLSTMCell(2, use_peepholes=True, num_proj=2), [(2, 2), (2, 2)],
     {"kernel": (5, 8), "bias": (8,), "w_f_diag": (2,), "w_i_diag": (2,), "w_o_diag": (2,),
      "projection/kernel": (2, 2)}),
    (lambda: RNN.SRUCell(2), [(2, 2)], {"kernel": (3, 8), "bias": (4,)}),
    (lambda: RNN.IntersectionRNNCell(2, num_in_proj=2), [(2, 2)],
     {"in_projection/kernel": (3, 2), "in_projection/bias": (2,),
      "intersection_rnn_cell/kernel": (4, 8), "intersection_rnn_cell/bias": (8,)}),
], ids=["cifg", "indrnn", "indygru", "indylstm", "ugrnn", "nas", "layer_norm_lstm", "sru",
        "intersection"])
def test_contrib_cell_gradients(make, states, shapes):
    _gradcheck_cell(make, (2, 3), states, shapes)


def test_indy_gru_and_lstm_cells():
    rng = np.random.RandomState(10)
    x, c, h = rng.randn(2, 3), rng.randn(2, 4), rng.randn(2, 4)
    w = {"gates/kernel_w": rng.randn(3, 8), "gates/kernel_u": rng.randn(1, 8),
         "gates/bias": rng.randn(8), "candidate/kernel": rng.randn(3, 4),
         "candidate/kernel_u": rng.randn(1, 4), "candidate/bias": rng.randn(4)}
    out, _, names = run_cell(RNN.IndyGRUCell(4), x, h, w)
    assert names == ["rnn/indy_gru_cell/" + k for k in w]
    ru = sigmoid(x @ w["gates/kernel_w"] + np.tile(h, 2) * w["gates/kernel_u"] + w["gates/bias"])
    r, u = np.split(ru, 2, axis=1)
    cand = np.tanh(x @ w["candidate/kernel"] + r * h * w["candidate/kernel_u"] +
                   w["candidate/bias"])
    np.testing.assert_allclose(out, u * h + (1 - u) * cand, rtol=1e-5, atol=1e-6)
    w = {"kernel_w": rng.randn(3, 16), "kernel_u": rng.randn(1, 16), "bias": rng.randn(16)}
    out, (new_c, _), names = run_cell(RNN.IndyLSTMCell(4), x, (c, h), w)
    assert names == ["rnn/indy_lstm_cell/" + k for k in w]
    i, j, f, o = np.split(x @ w["kernel_w"] + np.tile(h, 4) * w["kernel_u"] + w["bias"], 4,
                          axis=1)
    ref_c = c * sigmoid(f + 1.0) + sigmoid(i) * np.tanh(j)
    np.testing.assert_allclose(new_c, ref_c, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out, np.tanh(ref_c) * sigmoid(o), rtol=1e-5, atol=1e-6)


def np_attention_step(x, h, attns, attn_states, w, length):
    size = h.shape[1]
    xp = np.concatenate([x, attns], 1) @ w["attention_cell_wrapper/kernel"] + \
        w["attention_cell_wrapper/bias"]
    new_h = np.tanh(np.concatenate([xp, h], 1) @ w["basic_rnn_cell/kernel"] +
                    w["basic_rnn_cell/bias"])
    hidden = attn_states.reshape(-1, length, size)
    features = hidden @ w["attn_w"][0, 0]
    y = new_h @ w["attention/kernel"] + w["attention/bias"]
    s = (w["attn_v"] * np.tanh(features + y[:, None, :])).sum(-1)
    a = np.exp(s - s.max(1, keepdims=True))
    a /= a.sum(1, keepdims=True)
    d = (a[:, :, None] * hidden).sum(1)
    out = np.concatenate([new_h, d], 1) @ w["attn_output_projection/kernel"] + \
        w["attn_output_projection/bias"]
    new_states = np.concatenate([hidden[:, 1:], out[:, None]], 1).reshape(-1, length * size)
    return out, new_h, d, new_states


def test_attention_cell_wrapper():
    rng = np.random.RandomState(11)
    n, length = 3, 4
    x, h = rng.randn(2, 2), rng.randn(2, n)
    attns, attn_states = rng.randn(2, n), rng.randn(2, n * length)
    w = {"attention_cell_wrapper/kernel": rng.randn(5, 2), "attention_cell_wrapper/bias":
         rng.randn(2), "basic_rnn_cell/kernel": rng.randn(5, n), "basic_rnn_cell/bias":
         rng.randn(n), "attn_w": rng.randn(1, 1, n, n), "attn_v": rng.randn(n),
         "attention/kernel": rng.randn(n, n), "attention/bias": rng.randn(n),
         "attn_output_projection/kernel": rng.randn(2 * n, n),
         "attn_output_projection/bias": rng.randn(n)}
    cell = RNN.AttentionCellWrapper(tf.nn.rnn_cell.BasicRNNCell(n), length)
    assert cell.state_size == (n, n, n * length) and cell.output_size == n
    out, new_state, names = run_cell(cell, x, (h, attns, attn_states), w)
    p = "rnn/attention_cell_wrapper/"
    assert names == [p + "kernel", p + "bias", p + "basic_rnn_cell/kernel",
                     p + "basic_rnn_cell/bias", p + "attention/attn_w", p + "attention/attn_v",
                     p + "attention/kernel", p + "attention/bias",
                     p + "attn_output_projection/kernel", p + "attn_output_projection/bias"]
    ref = np_attention_step(x, h, attns, attn_states, w, length)
    np.testing.assert_allclose(out, ref[0], rtol=1e-5, atol=1e-6)
    for got, want in zip(new_state, ref[1:]):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    with tf.Graph().as_default():
        cell = RNN.AttentionCellWrapper(tf.nn.rnn_cell.LSTMCell(3), 2, state_is_tuple=True)
        out, state = tf.nn.dynamic_rnn(cell, tf.ones([2, 5, 4]), dtype=tf.float32)
        assert out.shape.as_list() == [2, 5, 3]
        assert state[2].shape.as_list() == [2, 6]
    with pytest.raises(ValueError, match="attn_length should be greater than zero"):
        RNN.AttentionCellWrapper(tf.nn.rnn_cell.GRUCell(2), 0)
    with pytest.raises(ValueError, match="state_is_tuple is not set"):
        RNN.AttentionCellWrapper(tf.nn.rnn_cell.LSTMCell(2), 2, state_is_tuple=False)


def test_attention_cell_wrapper_gradient():
    shapes = {"attention_cell_wrapper/kernel": (4, 2), "attention_cell_wrapper/bias": (2,),
              "basic_rnn_cell/kernel": (4, 2), "basic_rnn_cell/bias": (2,),
              "attn_w": (1, 1, 2, 2), "attn_v": (2,), "attention/kernel": (2, 2),
              "attention/bias": (2,), "attn_output_projection/kernel": (4, 2),
              "attn_output_projection/bias": (2,)}
    _gradcheck_cell(lambda: RNN.AttentionCellWrapper(tf.nn.rnn_cell.BasicRNNCell(2), 2),
                    (2, 2), [(2, 2), (2, 2), (2, 4)], shapes, pack=tuple)


# --- wrappers ---------------------------------------------------------------------------------


def test_output_and_input_projection_wrappers():
    rng = np.random.RandomState(7)
    x, h = rng.randn(2, 3), rng.randn(2, 4)
    inner = {"basic_rnn_cell/kernel": rng.randn(7, 4), "basic_rnn_cell/bias": rng.randn(4)}
    pk, pb = rng.randn(4, 5), rng.randn(5)
    weights = dict(inner, **{"output_projection_wrapper/kernel": pk,
                             "output_projection_wrapper/bias": pb})
    cell = RNN.OutputProjectionWrapper(tf.nn.rnn_cell.BasicRNNCell(4), 5)
    assert cell.output_size == 5 and cell.state_size == 4
    out, (new_h,), names = run_cell(cell, x, h, weights)
    assert names == ["rnn/output_projection_wrapper/basic_rnn_cell/kernel",
                     "rnn/output_projection_wrapper/basic_rnn_cell/bias",
                     "rnn/output_projection_wrapper/kernel", "rnn/output_projection_wrapper/bias"]
    ref_h = np.tanh(np.concatenate([x, h], 1) @ inner["basic_rnn_cell/kernel"] +
                    inner["basic_rnn_cell/bias"])
    np.testing.assert_allclose(new_h, ref_h, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out, ref_h @ pk + pb, rtol=1e-5, atol=1e-6)

    ik, ib = rng.randn(3, 2), rng.randn(2)
    inner2 = {"basic_rnn_cell/kernel": rng.randn(6, 4), "basic_rnn_cell/bias": rng.randn(4)}
    cell = RNN.InputProjectionWrapper(tf.nn.rnn_cell.BasicRNNCell(4), 2, activation=tf.tanh)
    out, _, names = run_cell(cell, x, h, dict(inner2, **{
        "input_projection_wrapper/kernel": ik, "input_projection_wrapper/bias": ib}))
    assert names == ["rnn/input_projection_wrapper/kernel", "rnn/input_projection_wrapper/bias",
                     "rnn/input_projection_wrapper/basic_rnn_cell/kernel",
                     "rnn/input_projection_wrapper/basic_rnn_cell/bias"]
    proj = np.tanh(x @ ik + ib)
    ref = np.tanh(np.concatenate([proj, h], 1) @ inner2["basic_rnn_cell/kernel"] +
                  inner2["basic_rnn_cell/bias"])
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="output_size must be > 0"):
        RNN.OutputProjectionWrapper(tf.nn.rnn_cell.GRUCell(2), 0)


def test_projection_wrapper_in_dynamic_rnn_and_gradient():
    with tf.Graph().as_default():
        cell = RNN.OutputProjectionWrapper(tf.nn.rnn_cell.GRUCell(3), 2)
        out, state = tf.nn.dynamic_rnn(cell, tf.ones([2, 4, 3]), dtype=tf.float32)
        assert out.shape.as_list() == [2, 4, 2] and state.shape.as_list() == [2, 3]
        assert len(cell.trainable_weights) == 6
    _gradcheck_cell(lambda: RNN.OutputProjectionWrapper(tf.nn.rnn_cell.BasicRNNCell(2), 3),
                    (2, 3), [(2, 2)], {"basic_rnn_cell/kernel": (5, 2),
                                       "basic_rnn_cell/bias": (2,),
                                       "output_projection_wrapper/kernel": (2, 3),
                                       "output_projection_wrapper/bias": (3,)})
    _gradcheck_cell(lambda: RNN.InputProjectionWrapper(tf.nn.rnn_cell.BasicRNNCell(2), 2),
                    (2, 3), [(2, 2)], {"basic_rnn_cell/kernel": (4, 2),
                                       "basic_rnn_cell/bias": (2,),
                                       "input_projection_wrapper/kernel": (3, 2),
                                       "input_projection_wrapper/bias": (2,)})


def test_highway_wrapper():
    rng = np.random.RandomState(8)
    x, h = rng.randn(2, 3), rng.randn(2, 3)
    k, b = rng.randn(6, 3), rng.randn(3)
    cw, cb, tw, tb = rng.randn(3, 3), rng.randn(3), rng.randn(3, 3), rng.randn(3)
    cell = RNN.HighwayWrapper(tf.nn.rnn_cell.BasicRNNCell(3),
                              couple_carry_transform_gates=False)
    out, (new_h,), names = run_cell(cell, x, h, {"kernel": k, "bias": b, "carry_w": cw,
                                                 "carry_b": cb, "transform_w": tw,
                                                 "transform_b": tb})
    assert names == ["rnn/basic_rnn_cell/kernel", "rnn/basic_rnn_cell/bias", "rnn/carry_w",
                     "rnn/carry_b", "rnn/transform_w", "rnn/transform_b"]
    y = np.tanh(np.concatenate([x, h], 1) @ k + b)
    ref = x * sigmoid(x @ cw + cb) + y * sigmoid(x @ tw + tb)
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(new_h, y, rtol=1e-5, atol=1e-6)
    with tf.Graph().as_default():
        cell = RNN.HighwayWrapper(tf.nn.rnn_cell.BasicRNNCell(3))
        tf.nn.dynamic_rnn(cell, tf.ones([2, 4, 3]), dtype=tf.float32)
        var = {v.op.name: v for v in tf.global_variables()}
        assert sorted(var) == ["rnn/basic_rnn_cell/bias", "rnn/basic_rnn_cell/kernel",
                               "rnn/carry_b", "rnn/carry_w"]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            np.testing.assert_array_equal(sess.run(var["rnn/carry_b"]), [1.0] * 3)
    _gradcheck_cell(lambda: RNN.HighwayWrapper(tf.nn.rnn_cell.BasicRNNCell(2)), (2, 2),
                    [(2, 2)], {"kernel": (4, 2), "bias": (2,), "carry_w": (2, 2),
                               "carry_b": (2,)})


def test_embedding_wrapper():
    rng = np.random.RandomState(13)
    ids = np.array([[3], [0]], np.int32)
    h = rng.randn(2, 4)
    emb, k, b = rng.randn(5, 2), rng.randn(6, 4), rng.randn(4)
    cell = RNN.EmbeddingWrapper(tf.nn.rnn_cell.BasicRNNCell(4), 5, 2)
    assert cell.state_size == 4 and cell.output_size == 4
    out, _, names = run_cell(cell, ids, h, {"embedding": emb, "kernel": k, "bias": b})
    assert names == ["rnn/embedding_wrapper/embedding",
                     "rnn/embedding_wrapper/basic_rnn_cell/kernel",
                     "rnn/embedding_wrapper/basic_rnn_cell/bias"]
    ref = np.tanh(np.concatenate([emb[ids[:, 0]], h], 1) @ k + b)
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="must be > 0"):
        RNN.EmbeddingWrapper(tf.nn.rnn_cell.GRUCell(2), 0, 3)
    with tf.Graph().as_default():
        cell = RNN.EmbeddingWrapper(tf.nn.rnn_cell.GRUCell(3), 7, 2)
        out, _ = tf.nn.dynamic_rnn(cell, tf.zeros([2, 5, 1], tf.int32), dtype=tf.float32)
        assert out.shape.as_list() == [2, 5, 3]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            e = sess.run(tf.global_variables()[0])
        assert e.shape == (7, 2) and np.abs(e).max() <= np.sqrt(3)
    rng = np.random.RandomState(14)
    inputs = {"ids": np.array([[1], [2]], np.int32), "h": rng.uniform(-1, 1, (2, 2)),
              "embedding": rng.uniform(-1, 1, (3, 2)), "kernel": rng.uniform(-1, 1, (4, 2)),
              "bias": rng.uniform(-1, 1, (2,))}

    def build(x, h, *weights):
        names = ("embedding", "kernel", "bias")
        # A product makes the embedding's gradient (IndexedSlices from the lookup) dense.
        weights = [weights[0] * tf.ones_like(weights[0])] + list(weights[1:])
        with tf.variable_scope("rnn", custom_getter=_weights_from(dict(zip(names, weights)))):
            out, _ = RNN.EmbeddingWrapper(tf.nn.rnn_cell.BasicRNNCell(2), 3, 2)(x, h)
        return out

    check_gradients(build, inputs, tol=1e-6)


def test_fused_rnn_cell_adaptor_and_time_reversed():
    rng = np.random.RandomState(15)
    x = rng.randn(5, 3, 2).astype(np.float32)   # time-major
    lengths = [5, 2, 4]
    with tf.Graph().as_default():
        xt = tf.constant(x)
        cell = tf.nn.rnn_cell.GRUCell(3)
        dyn, dyn_state = RNN.FusedRNNCellAdaptor(cell, use_dynamic_rnn=True)(
            xt, dtype=tf.float32, sequence_length=lengths)
        static, static_state = RNN.FusedRNNCellAdaptor(cell)(
            tf.unstack(xt), dtype=tf.float32, sequence_length=lengths)
        assert isinstance(static, list) and len(static) == 5
        bw, bw_state = RNN.TimeReversedFusedRNN(RNN.FusedRNNCellAdaptor(cell, True))(
            xt, dtype=tf.float32, sequence_length=lengths)
        (_, ref_bw), (_, ref_bw_state) = tf.nn.bidirectional_dynamic_rnn(
            tf.nn.rnn_cell.GRUCell(3), cell, tf.transpose(xt, [1, 0, 2]), lengths,
            dtype=tf.float32)
        fused = RNN.LSTMBlockFusedCell(3)
        f_out, f_state = RNN.TimeReversedFusedRNN(fused)(xt, dtype=tf.float32)
        f_ref, f_ref_state = fused(tf.reverse(xt, [0]), dtype=tf.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            res = sess.run([dyn, dyn_state, tf.stack(static), static_state, bw, bw_state,
                            ref_bw, ref_bw_state, f_out, f_state.h, f_ref, f_ref_state.h])
    np.testing.assert_allclose(res[0], res[2], rtol=1e-6)
    np.testing.assert_allclose(res[1], res[3], rtol=1e-6)
    np.testing.assert_allclose(res[4], res[6].transpose(1, 0, 2), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(res[5], res[7], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(res[8], res[10][::-1], rtol=1e-6)
    np.testing.assert_allclose(res[9], res[11], rtol=1e-6)


# --- stacked bidirectional RNNs ---------------------------------------------------------------


def test_stack_bidirectional_dynamic_rnn():
    rng = np.random.RandomState(9)
    x = rng.randn(2, 5, 3).astype(np.float32)
    with tf.Graph().as_default():
        cells_fw = [tf.nn.rnn_cell.GRUCell(4), tf.nn.rnn_cell.LSTMCell(2)]
        cells_bw = [tf.nn.rnn_cell.GRUCell(4), tf.nn.rnn_cell.LSTMCell(2)]
        out, s_fw, s_bw = RNN.stack_bidirectional_dynamic_rnn(
            cells_fw, cells_bw, tf.constant(x), dtype=tf.float32, sequence_length=[5, 3])
        assert out.shape.as_list() == [2, 5, 4]
        assert len(s_fw) == 2 and isinstance(s_bw[1], tf.nn.rnn_cell.LSTMStateTuple)
        names = [v.op.name for v in tf.global_variables()]
        p = "stack_bidirectional_rnn/cell_%d/bidirectional_rnn/%s/"
        assert names[:4] == [p % (0, "fw") + "gru_cell/gates/kernel",
                             p % (0, "fw") + "gru_cell/gates/bias",
                             p % (0, "fw") + "gru_cell/candidate/kernel",
                             p % (0, "fw") + "gru_cell/candidate/bias"]
        assert p % (1, "bw") + "lstm_cell/kernel" in names
        # The same graph written by hand with bidirectional_dynamic_rnn gives the same values.
        with tf.variable_scope("manual"):
            with tf.variable_scope("cell_0"):
                o0, _ = tf.nn.bidirectional_dynamic_rnn(cells_fw[0], cells_bw[0],
                                                        tf.constant(x), [5, 3],
                                                        dtype=tf.float32)
            with tf.variable_scope("cell_1"):
                o1, _ = tf.nn.bidirectional_dynamic_rnn(cells_fw[1], cells_bw[1],
                                                        tf.concat(o0, 2), [5, 3],
                                                        dtype=tf.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got, ref = sess.run([out, tf.concat(o1, 2)])
        np.testing.assert_allclose(got, ref, rtol=1e-6)
        assert not got[1, 3:].any()
    with pytest.raises(ValueError, match="same depth"):
        RNN.stack_bidirectional_dynamic_rnn([tf.nn.rnn_cell.GRUCell(2)],
                                            [tf.nn.rnn_cell.GRUCell(2)] * 2, None)


def test_stack_bidirectional_rnn_static():
    with tf.Graph().as_default():
        xs = tf.unstack(tf.ones([2, 3, 2]), axis=1)
        outs, s_fw, s_bw = RNN.stack_bidirectional_rnn(
            [tf.nn.rnn_cell.BasicLSTMCell(3)] * 1, [tf.nn.rnn_cell.BasicLSTMCell(3)],
            xs, dtype=tf.float32)
        assert len(outs) == 3 and outs[0].shape.as_list() == [2, 6]
        names = [v.op.name for v in tf.global_variables()]
        assert names == ["stack_bidirectional_rnn/cell_0/fw/basic_lstm_cell/kernel",
                         "stack_bidirectional_rnn/cell_0/fw/basic_lstm_cell/bias",
                         "stack_bidirectional_rnn/cell_0/bw/basic_lstm_cell/kernel",
                         "stack_bidirectional_rnn/cell_0/bw/basic_lstm_cell/bias"]
        with pytest.raises(ValueError, match="must be a list of RNNCells"):
            RNN.stack_bidirectional_rnn((tf.nn.rnn_cell.GRUCell(2),),
                                        [tf.nn.rnn_cell.GRUCell(2)], xs)


def test_contrib_rnn_keeps_core_exports():
    for name in ("BasicLSTMCell", "BasicRNNCell", "DeviceWrapper", "DropoutWrapper", "GRUCell",
                 "LSTMCell", "LSTMStateTuple", "LayerRNNCell", "MultiRNNCell", "RNNCell",
                 "ResidualWrapper", "static_bidirectional_rnn", "static_rnn"):
        assert getattr(RNN, name) is getattr(tf.nn.rnn_cell, name, None) or \
            getattr(RNN, name) is getattr(tf.nn, name, None)
