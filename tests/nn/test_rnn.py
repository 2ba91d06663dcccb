"""tf.nn.rnn_cell, dynamic_rnn, bidirectional and static RNNs against real TensorFlow.

Each case of tools/fixtures/gen_rnn.py is rebuilt here from the same spec strings: variable
names must match TF's (checkpoints load), and with TF's weights and inputs the outputs, final
states and gradients (w.r.t. inputs and every weight, through the While loop) must agree. Finite
differences check the loop's gradients in float64, and the API details (zero_state, wrappers,
errors) are checked directly.
"""

import json
import os

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf
from tensorflux.ops.func_graph import flatten

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "rnn")
with open(os.path.join(FIXTURES, "cases.json")) as _f:
    META = json.load(_f)
ARRAYS = dict(np.load(os.path.join(FIXTURES, "arrays.npz")))
CELLS = tf.nn.rnn_cell


def _arrays(name):
    return {k[len(name) + 1:]: v for k, v in ARRAYS.items() if k.startswith(name + "/")}


def build_rnn(spec, x, lengths, dtype=tf.float32):
    """tools/fixtures/gen_rnn.py's `build_rnn`, with tensorflux."""
    cells = [eval(c, {"tf": tf}) for c in spec["cells"]]  # noqa: S307 - fixture specs
    fn, nn = spec["fn"], tf.nn
    if fn == "dynamic":
        out, state = nn.dynamic_rnn(cells[0], x, sequence_length=lengths, dtype=dtype,
                                    time_major=spec.get("time_major", False))
        return [out] + flatten(state)
    if fn == "bidirectional":
        outs, states = nn.bidirectional_dynamic_rnn(cells[0], cells[1], x, lengths, dtype=dtype)
        return list(outs) + flatten(states)
    xs = tf.unstack(x, axis=1)
    if fn == "static":
        outs, state = nn.static_rnn(cells[0], xs, dtype=dtype, sequence_length=lengths)
        return list(outs) + flatten(state)
    outs, s_fw, s_bw = nn.static_bidirectional_rnn(cells[0], cells[1], xs, dtype=dtype,
                                                   sequence_length=lengths)
    return list(outs) + flatten(s_fw) + flatten(s_bw)


@pytest.mark.parametrize("spec", META["rnn"], ids=lambda s: s["name"])
def test_rnn_matches_tensorflow(spec):
    a = _arrays(spec["name"])
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, a["x"].shape, name="x")
        outs = build_rnn(spec, x, spec.get("lengths"))
        variables = tf.global_variables()
        assert [v.name for v in variables] == spec["var_names"]
        assert len(outs) == spec["n_out"]
        for i, o in enumerate(outs):
            assert o.shape.as_list() == list(a["out%d" % i].shape)
        loss = tf.add_n([tf.reduce_sum(o * a["gy%d" % i]) for i, o in enumerate(outs)])
        grads = tf.gradients(loss, [x] + variables)
        with tf.Session() as sess:
            for i, v in enumerate(variables):
                v.load(a["w%d" % i], sess)
            vals = sess.run(outs + grads, {x: a["x"]})
    for i in range(len(outs)):
        np.testing.assert_allclose(vals[i], a["out%d" % i], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(vals[len(outs)], a["dx"], rtol=1e-4, atol=1e-5)
    for i in range(len(variables)):
        np.testing.assert_allclose(vals[len(outs) + 1 + i], a["dw%d" % i], rtol=1e-4,
                                   atol=1e-5)


def _weights_from(values):
    """A custom getter that returns fed tensors in place of a cell's variables (for gradcheck)."""
    def getter(_getter, name, shape=None, **_):
        w = next(v for k, v in values.items() if name.endswith("/" + k))
        assert w.shape.as_list() == list(shape), (name, w.shape, shape)
        return w
    return getter


@pytest.mark.parametrize("cell_fn,shapes", [
    (lambda: CELLS.BasicLSTMCell(2), {"kernel": (4, 8), "bias": (8,)}),
    (lambda: CELLS.LSTMCell(2, use_peepholes=True), {"kernel": (4, 8), "bias": (8,),
                                                     "w_f_diag": (2,), "w_i_diag": (2,),
                                                     "w_o_diag": (2,)}),
    (lambda: CELLS.BasicRNNCell(2), {"kernel": (4, 2), "bias": (2,)}),
], ids=["basic_lstm", "lstm_peephole", "basic_rnn"])
def test_dynamic_rnn_gradient_finite_differences(cell_fn, shapes):
    rng = np.random.RandomState(0)
    inputs = {"x": rng.uniform(-1, 1, (2, 3, 2)), "h0": rng.uniform(-1, 1, (2, 2))}
    inputs.update({k: rng.uniform(-0.7, 0.7, s) for k, s in shapes.items()})

    def build(x, h0, *weights):
        cell = cell_fn()
        state = cell.zero_state(2, tf.float64)
        state = type(state)(state[0], h0) if isinstance(state, tuple) else h0
        getter = _weights_from(dict(zip(shapes, weights)))
        with tf.variable_scope("rnn", custom_getter=getter):
            out, final = tf.nn.dynamic_rnn(cell, x, sequence_length=[3, 2], initial_state=state)
        return [out] + flatten(final)

    check_gradients(build, inputs, op_types=["StatelessWhile"], tol=1e-6)


def test_static_rnn_gradient_finite_differences():
    rng = np.random.RandomState(1)
    shapes = {"gates/kernel": (5, 4), "gates/bias": (4,), "candidate/kernel": (5, 2),
              "candidate/bias": (2,)}
    inputs = {"x": rng.uniform(-1, 1, (2, 2, 3))}
    inputs.update({k: rng.uniform(-0.7, 0.7, s) for k, s in shapes.items()})

    def build(x, *weights):
        with tf.variable_scope("rnn", custom_getter=_weights_from(dict(zip(shapes, weights)))):
            outs, state = tf.nn.static_rnn(CELLS.GRUCell(2), tf.unstack(x, axis=1),
                                           dtype=tf.float64, sequence_length=[2, 1])
        return outs + [state]

    check_gradients(build, inputs, tol=1e-6)


def test_zero_state_and_sizes():
    with tf.Graph().as_default():
        lstm = CELLS.LSTMCell(4, num_proj=2)
        assert lstm.state_size == CELLS.LSTMStateTuple(4, 2) and lstm.output_size == 2
        multi = CELLS.MultiRNNCell([CELLS.GRUCell(3), lstm])
        assert multi.state_size == (3, CELLS.LSTMStateTuple(4, 2))
        batch = tf.placeholder(tf.int32, [])
        state = multi.zero_state(batch, tf.float32)
        assert state[1].c.shape.as_list() == [None, 4]
        assert state[1].h.op.name.startswith("MultiRNNCellZeroState/")
        with tf.Session() as sess:
            c = sess.run(state[1].c, {batch: 5})
        assert c.shape == (5, 4) and not c.any()
        assert CELLS.BasicLSTMCell(3, state_is_tuple=False).state_size == 6


def test_dynamic_rnn_unknown_batch_and_time():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, None, 3])
        lengths = tf.placeholder(tf.int32, [None])
        out, state = tf.nn.dynamic_rnn(CELLS.BasicRNNCell(2), x, lengths, dtype=tf.float32)
        assert out.shape.as_list() == [None, None, 2]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            o, s = sess.run([out, state], {x: np.ones((3, 5, 3)), lengths: [5, 1, 0]})
    assert o.shape == (3, 5, 2)
    np.testing.assert_array_equal(o[1, 1:], 0)
    np.testing.assert_array_equal(s[2], 0)
    np.testing.assert_allclose(s[0], o[0, -1])
    np.testing.assert_allclose(s[1], o[1, 0])


def test_wrappers_keep_variable_names_and_apply():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2, 3, 2])
        base = CELLS.BasicLSTMCell(2)
        cell = CELLS.ResidualWrapper(CELLS.DropoutWrapper(base, input_keep_prob=1.0,
                                                          output_keep_prob=1.0))
        out, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
        assert [v.name for v in tf.global_variables()] == [
            "rnn/basic_lstm_cell/kernel:0", "rnn/basic_lstm_cell/bias:0"]
        assert cell.variables == base.variables
        plain, _ = tf.nn.dynamic_rnn(base, x, dtype=tf.float32, scope="rnn")
        dropped, _ = tf.nn.dynamic_rnn(
            CELLS.DropoutWrapper(base, output_keep_prob=0.5, state_keep_prob=0.5, seed=3), x,
            dtype=tf.float32, scope="rnn")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            xv = np.random.RandomState(0).randn(2, 3, 2)
            o, p, d = sess.run([out, plain, dropped], {x: xv})
    np.testing.assert_allclose(o, p + xv.astype(np.float32), rtol=1e-6)  # float32's sum
    kept = d != 0
    assert kept.any() and not kept.all()


def test_state_dropout_skips_lstm_memory():
    from tensorflux.ops.rnn_cell_wrappers import _default_state_filter, _state_mask

    state = (CELLS.LSTMStateTuple("c0", "h0"), "h1", (CELLS.LSTMStateTuple("c2", "h2"),))
    mask = _state_mask(_default_state_filter, state)
    assert flatten(mask) == [False, True, True, False, True]


def test_dynamic_rnn_errors():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2, 3, 4])
        with pytest.raises(ValueError, match="you must give a dtype"):
            tf.nn.dynamic_rnn(CELLS.GRUCell(2), x)
        with pytest.raises(ValueError, match="sequence_length must be a vector"):
            tf.nn.dynamic_rnn(CELLS.GRUCell(2), x, sequence_length=[[1]], dtype=tf.float32)
        with pytest.raises(ValueError, match="inputs.shape\\[-1\\] to be known"):
            tf.nn.dynamic_rnn(CELLS.GRUCell(2), tf.placeholder(tf.float32, [2, 3, None]),
                              dtype=tf.float32, scope="other")


def test_dynamic_rnn_under_xla_config_matches_numpy():
    pytest.importorskip("jax")
    config = tf.ConfigProto()
    config.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2, 4, 3])
        with tf.variable_scope("rnn", initializer=tf.constant_initializer(0.3)):
            out, state = tf.nn.dynamic_rnn(CELLS.LSTMCell(3, use_peepholes=True), x, [4, 2],
                                           dtype=tf.float32)
        fetches = [out, state.h, tf.gradients(tf.reduce_sum(out * out), x)[0]]
        feed = {x: np.random.RandomState(0).randn(2, 4, 3)}
        results = []
        for cfg in (None, config):
            with tf.Session(config=cfg) as sess:
                sess.run(tf.global_variables_initializer())
                results.append(sess.run(fetches, feed))
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_contrib_rnn_aliases():
    assert tf.contrib.rnn.LSTMCell is CELLS.LSTMCell
    assert tf.contrib.rnn.static_rnn is tf.nn.static_rnn
    assert issubclass(CELLS.GRUCell, tf.layers.Layer)
