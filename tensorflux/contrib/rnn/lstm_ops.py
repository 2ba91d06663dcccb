"""`tf.contrib.rnn` block LSTM cells: `LSTMBlockCell` and `LSTMBlockFusedCell`.

TF runs these as single fused kernels (`LSTMBlockCell`, `BlockLSTM`); here they are composites
of standard ops computing the same function, with TF's variable names (`lstm_cell/kernel`,
`lstm_cell/bias`, peepholes `w_i_diag`, `w_f_diag`, `w_o_diag`) and gate order (i, ci, f, o), so
that a checkpoint written by either TF cell restores and gives the same outputs.
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.layers import base as base_layer
from tensorflux.ops import (
    array_ops,
    constant_op,
    fill_ops,
    gather_ops,
    init_ops,
    linalg_ops,
    manip_ops,
    math_ops,
    nn_ops,
    rnn,
)
from tensorflux.ops.rnn_cell_impl import LayerRNNCell, LSTMStateTuple, RNNCell


def lstm_block_step(x, cs_prev, h_prev, w, b, wci=None, wcf=None, wco=None, forget_bias=1.0,
                    cell_clip=-1.0):
    """One step of TF's LSTMBlockCell kernel; returns (cs, h).

    `[i, ci, f, o] = [x, h_prev] w + b`; `cs = sigmoid(i) * tanh(ci) + sigmoid(f + forget_bias)
    * cs_prev` (peepholes `wci * cs_prev`, `wcf * cs_prev` inside the i and f sigmoids), clipped
    to `cell_clip` when it is positive; `h = tanh(cs) * sigmoid(o [+ wco * cs])`.
    """
    gates = nn_ops.bias_add(linalg_ops.matmul(array_ops.concat([x, h_prev], 1), w), b)
    i, ci, f, o = array_ops.split(gates, 4, axis=1)
    if wci is not None:
        i = i + wci * cs_prev
        f = f + wcf * cs_prev
    forget = constant_op.constant(forget_bias, dtype=f.dtype)
    cs = math_ops.sigmoid(i) * math_ops.tanh(ci) + math_ops.sigmoid(f + forget) * cs_prev
    if cell_clip is not None and cell_clip > 0:
        cs = math_ops.clip_by_value(cs, -cell_clip, cell_clip)
    if wco is not None:
        o = o + wco * cs
    h = math_ops.tanh(cs) * math_ops.sigmoid(o)
    return cs, h


class LSTMBlockCell(LayerRNNCell):
    """TF's fused-kernel LSTM cell (http://arxiv.org/abs/1409.2329); same variables as LSTMCell.

    Example:
        >>> cell = tf.contrib.rnn.LSTMBlockCell(16)   # variables lstm_cell/kernel, lstm_cell/bias
    """

    def __init__(self, num_units, forget_bias=1.0, cell_clip=None, use_peephole=False,
                 dtype=None, reuse=None, name="lstm_cell"):
        super().__init__(_reuse=reuse, dtype=dtype, name=name)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._use_peephole = use_peephole
        self._cell_clip = cell_clip if cell_clip is not None else -1
        self._names = {"W": "kernel", "b": "bias", "wci": "w_i_diag", "wcf": "w_f_diag",
                       "wco": "w_o_diag", "scope": "lstm_cell"}
        self.input_spec = base_layer.InputSpec(ndim=2)

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_units)

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        shape = tensor_shape.as_shape(inputs_shape)
        if shape.ndims != 2 or not shape[1].value:
            raise ValueError("Expecting inputs_shape[1] to be set: %s" % str(shape))
        n = self._num_units
        self._kernel = self.add_weight(self._names["W"], [shape[1].value + n, 4 * n])
        self._bias = self.add_weight(self._names["b"], [4 * n],
                                     initializer=init_ops.constant_initializer(0.0))
        if self._use_peephole:
            self._w_i_diag = self.add_weight(self._names["wci"], [n])
            self._w_f_diag = self.add_weight(self._names["wcf"], [n])
            self._w_o_diag = self.add_weight(self._names["wco"], [n])
        self.built = True

    def call(self, inputs, state):
        if len(state) != 2:
            raise ValueError("Expecting state to be a tuple with length 2.")
        cs_prev, h_prev = state
        peep = ((self._w_i_diag, self._w_f_diag, self._w_o_diag) if self._use_peephole
                else (None, None, None))
        cs, h = lstm_block_step(inputs, cs_prev, h_prev, self._kernel, self._bias, *peep,
                                forget_bias=self._forget_bias, cell_clip=self._cell_clip)
        return h, LSTMStateTuple(cs, h)


class _StepCell(RNNCell):
    """A variable-free cell running `step(x, state) -> (output, new_state)` (for fused loops)."""

    def __init__(self, step, state_size, output_size):
        super().__init__(name="step")
        self._step = step
        self._state_size = state_size
        self._output_size = output_size

    @property
    def state_size(self):
        return self._state_size

    @property
    def output_size(self):
        return self._output_size

    def call(self, inputs, state):
        return self._step(inputs, state)


def _gather_states(data, indices, batch_size):
    """`out[i, j] = data[indices[i], i, j]`."""
    indices = math_ops.cast(indices, dtypes.int32)
    rows = fill_ops.range(batch_size)
    return gather_ops.gather_nd(data, array_ops.stack([indices, rows], axis=1))


class LSTMBlockWrapper(base_layer.Layer):
    """A whole-sequence LSTM layer: `layer(inputs[time, batch, depth], initial_state, dtype,
    sequence_length) -> (outputs, LSTMStateTuple(c, h))`. Subclasses define `_call_cell`."""

    @property
    def num_units(self):
        raise NotImplementedError("Abstract method")

    def _call_cell(self, inputs, initial_cell_state, initial_output, dtype, sequence_length):
        raise NotImplementedError("Abstract method")

    def call(self, inputs, initial_state=None, dtype=None, sequence_length=None):
        is_list = isinstance(inputs, list)
        if is_list:
            inputs = array_ops.stack(inputs)
        inputs_shape = inputs.get_shape().with_rank(3)
        if not inputs_shape[2].value:
            raise ValueError("Expecting inputs_shape[2] to be set: %s" % inputs_shape)
        batch_size = inputs_shape[1].value
        if batch_size is None:
            batch_size = array_ops.shape(inputs)[1]
        time_len = inputs_shape[0].value
        if time_len is None:
            time_len = array_ops.shape(inputs)[0]
        if initial_state is None:
            if dtype is None:
                raise ValueError("Either initial_state or dtype needs to be specified")
            z = fill_ops.zeros(array_ops.stack([batch_size, self.num_units]), dtype=dtype)
            initial_state = z, z
        else:
            if len(initial_state) != 2:
                raise ValueError("Expecting initial_state to be a tuple with length 2 or None")
            if dtype is None:
                dtype = initial_state[0].dtype
        if sequence_length is not None:
            sequence_length = constant_op.convert_to_tensor(sequence_length)
        initial_cell_state, initial_output = initial_state
        cell_states, outputs = self._call_cell(inputs, initial_cell_state, initial_output, dtype,
                                               sequence_length)
        if sequence_length is not None:
            mask = array_ops.transpose(
                fill_ops.sequence_mask(sequence_length, time_len, dtype=dtype), [1, 0])
            mask = manip_ops.tile(manip_ops.expand_dims(mask, -1), [1, 1, self.num_units])
            outputs = outputs * mask
            mod_cell_states = array_ops.concat(
                [manip_ops.expand_dims(initial_cell_state, 0), cell_states], 0)
            mod_outputs = array_ops.concat(
                [manip_ops.expand_dims(initial_output, 0), outputs], 0)
            final_cell_state = _gather_states(mod_cell_states, sequence_length, batch_size)
            final_output = _gather_states(mod_outputs, sequence_length, batch_size)
        else:
            final_cell_state = cell_states[-1]
            final_output = outputs[-1]
        if is_list:
            outputs = array_ops.unstack(outputs)
        return outputs, LSTMStateTuple(final_cell_state, final_output)


class LSTMBlockFusedCell(LSTMBlockWrapper):
    """The LSTM of `LSTMBlockCell` run over a whole time-major sequence (TF's `BlockLSTM`).

    Example:
        >>> lstm = tf.contrib.rnn.LSTMBlockFusedCell(16)
        >>> outputs, (c, h) = lstm(x_time_major, dtype=tf.float32)
    """

    def __init__(self, num_units, forget_bias=1.0, cell_clip=None, use_peephole=False,
                 reuse=None, dtype=None, name="lstm_fused_cell"):
        super().__init__(_reuse=reuse, name=name, dtype=dtype)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._cell_clip = cell_clip if cell_clip is not None else -1
        self._use_peephole = use_peephole

    @property
    def num_units(self):
        return self._num_units

    def build(self, input_shape):
        input_size = tensor_shape.as_shape(input_shape)[2].value
        n = self._num_units
        self._kernel = self.add_weight("kernel", [input_size + n, 4 * n])
        self._bias = self.add_weight("bias", [4 * n],
                                     initializer=init_ops.constant_initializer(0.0))
        if self._use_peephole:
            self._w_i_diag = self.add_weight("w_i_diag", [n])
            self._w_f_diag = self.add_weight("w_f_diag", [n])
            self._w_o_diag = self.add_weight("w_o_diag", [n])
        self.built = True

    def _call_cell(self, inputs, initial_cell_state=None, initial_output=None, dtype=None,
                   sequence_length=None):
        peep = ((self._w_i_diag, self._w_f_diag, self._w_o_diag) if self._use_peephole
                else (None, None, None))
        n = self._num_units

        def step(x, state):
            cs, h = lstm_block_step(x, state[0], state[1], self._kernel, self._bias, *peep,
                                    forget_bias=self._forget_bias, cell_clip=self._cell_clip)
            return (cs, h), (cs, h)

        cell = _StepCell(step, (n, n), (n, n))
        with graph_lib.name_scope("BlockLSTM"):
            (cs, h), _ = rnn.dynamic_rnn(cell, inputs, initial_state=(initial_cell_state,
                                                                        initial_output),
                                         time_major=True, scope="block_lstm")
        return cs, h


__all__ = ["LSTMBlockCell", "LSTMBlockFusedCell", "LSTMBlockWrapper"]
