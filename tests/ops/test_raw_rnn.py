"""`tf.nn.raw_rnn` against `tf.nn.dynamic_rnn` on the same cell and weights."""

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf

BATCH, TIME, DEPTH, UNITS = 3, 4, 2, 5
LENGTHS = np.array([4, 2, 3], dtype=np.int32)


def _loop_fn(cell, inputs_ta, lengths, batch_size, dtype):
    def loop_fn(time, cell_output, cell_state, loop_state):
        emit_output = cell_output
        if cell_output is None:
            next_cell_state = cell.zero_state(batch_size, dtype)
        else:
            next_cell_state = cell_state
        elements_finished = time >= lengths
        finished = tf.reduce_all(elements_finished)
        next_input = tf.cond(finished, lambda: tf.zeros([batch_size, DEPTH], dtype),
                             lambda: inputs_ta.read(time))
        return elements_finished, next_input, next_cell_state, emit_output, None
    return loop_fn


def _raw(cell, x, lengths, dtype=tf.float32, scope=None):
    """x: time-major [TIME, BATCH, DEPTH]."""
    inputs_ta = tf.TensorArray(dtype, size=TIME).unstack(x)
    return tf.nn.raw_rnn(cell, _loop_fn(cell, inputs_ta, lengths, BATCH, dtype), scope=scope)


@pytest.mark.parametrize("make_cell", [
    lambda: tf.nn.rnn_cell.BasicRNNCell(UNITS),
    lambda: tf.nn.rnn_cell.BasicLSTMCell(UNITS),
])
def test_matches_dynamic_rnn(make_cell):
    x_val = np.random.RandomState(0).randn(TIME, BATCH, DEPTH).astype(np.float32)
    with tf.Graph().as_default():
        x = tf.constant(x_val)
        lengths = tf.constant(LENGTHS)
        cell = make_cell()
        outputs_ta, final_state, final_loop_state = _raw(cell, x, lengths)
        outputs = outputs_ta.stack()
        assert final_loop_state is None
        assert isinstance(outputs_ta, tf.TensorArray)
        names = sorted(v.op.name for v in tf.global_variables())
        assert names and all(n.startswith("rnn/") for n in names)
        with tf.variable_scope("rnn", reuse=True):
            d_out, d_state = tf.nn.dynamic_rnn(cell, x, sequence_length=lengths,
                                               dtype=tf.float32, time_major=True)
        assert len(tf.global_variables()) == len(names)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            o, s, do, ds = sess.run([outputs, final_state, d_out, d_state])
    assert o.shape == (TIME, BATCH, UNITS)
    np.testing.assert_allclose(o, do, rtol=1e-5, atol=1e-6)
    for a, b in zip(tf.nest.flatten(s), tf.nest.flatten(ds)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    # finished entries emit zeros
    assert np.all(o[2:, 1] == 0) and np.all(o[3:, 2] == 0)


def test_loop_state_and_emit_structure():
    with tf.Graph().as_default():
        x = tf.constant(np.ones((TIME, BATCH, DEPTH), np.float32))
        cell = tf.nn.rnn_cell.BasicRNNCell(UNITS)
        inputs_ta = tf.TensorArray(tf.float32, size=TIME).unstack(x)

        def loop_fn(time, cell_output, cell_state, loop_state):
            if cell_output is None:
                state = cell.zero_state(BATCH, tf.float32)
                emit = tf.zeros([1], tf.float32)  # one entry's emit, without the batch axis
                loop_state = tf.constant(0.0)
            else:
                state = cell_state
                emit = tf.reduce_sum(cell_output, axis=1, keepdims=True)
                loop_state = loop_state + 1.0
            finished = tf.fill([BATCH], time >= TIME)
            nxt = tf.cond(time >= TIME, lambda: tf.zeros([BATCH, DEPTH]),
                          lambda: inputs_ta.read(tf.minimum(time, TIME - 1)))
            return finished, nxt, state, emit, loop_state

        emit_ta, _, final_loop_state = tf.nn.raw_rnn(cell, loop_fn, scope="my_rnn")
        emit = emit_ta.stack()
        assert [v.op.name for v in tf.global_variables()] == [
            "my_rnn/basic_rnn_cell/kernel", "my_rnn/basic_rnn_cell/bias"]  # as TF names them
        assert emit.shape.as_list()[1:] == [BATCH, 1]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            e, ls, k = sess.run([emit, final_loop_state, tf.global_variables()[0]])
    assert e.shape == (TIME, BATCH, 1)
    assert ls == TIME
    np.testing.assert_allclose(e[0, :, 0], np.tanh(np.ones(DEPTH) @ k[:DEPTH]).sum(), rtol=1e-5)


def test_loop_fn_not_callable():
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match="loop_fn must be a callable"):
            tf.nn.raw_rnn(tf.nn.rnn_cell.BasicRNNCell(2), None)


def test_gradient():
    rng = np.random.RandomState(1)
    w_val = rng.randn(DEPTH + UNITS, UNITS) * 0.5

    def build(x, w):
        class Cell(tf.nn.rnn_cell.RNNCell):
            @property
            def state_size(self):
                return UNITS

            @property
            def output_size(self):
                return UNITS

            def __call__(self, inputs, state, scope=None):
                h = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), w))
                return h, h

        cell = Cell()
        inputs_ta = tf.TensorArray(tf.float64, size=TIME).unstack(x)
        lengths = tf.constant(LENGTHS)
        out_ta, state, _ = tf.nn.raw_rnn(
            cell, _loop_fn(cell, inputs_ta, lengths, BATCH, tf.float64))
        return [out_ta.stack(), state]

    check_gradients(build, {"x": rng.randn(TIME, BATCH, DEPTH), "w": w_val})
