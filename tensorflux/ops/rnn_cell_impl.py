"""`tf.nn.rnn_cell`: the TF 1.x recurrent cells (layers whose variables load TF checkpoints).

Each cell is a `tf.layers.Layer` called as `cell(inputs, state)` and returns
`(output, new_state)`. Variable names, shapes and gate orders are TF's: `<scope>/kernel` of
shape `[input_depth + num_units, k * num_units]` (inputs first, then the previous output) and
`<scope>/bias`; LSTM gates are split as (i, j, f, o), GRU's as (r, u) under `gates/`, its
candidate under `candidate/`.
"""

import collections

from tensorflux import variable_scope as vs
from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.layers import base as base_layer
from tensorflux.ops import (
    array_ops,
    constant_op,
    fill_ops,
    init_ops,
    linalg_ops,
    math_ops,
    nn_ops,
)
from tensorflux.ops.func_graph import is_sequence, map_structure


class LSTMStateTuple(collections.namedtuple("LSTMStateTuple", ("c", "h"))):
    """The (c, h) state of an LSTM cell: memory and output."""

    __slots__ = ()

    @property
    def dtype(self):
        if self.c.dtype != self.h.dtype:
            raise TypeError("Inconsistent internal state: %s vs %s" % (self.c.dtype, self.h.dtype))
        return self.c.dtype


def _zeros(size, batch_size, dtype):
    dims = tensor_shape.as_shape(size).as_list()
    if isinstance(batch_size, int):
        return fill_ops.zeros([batch_size] + dims, dtype=dtype)
    shape = array_ops.concat([array_ops.reshape(batch_size, [1]),
                              constant_op.constant(dims, dtype=dtypes.int32)], 0)
    return fill_ops.zeros(shape, dtype=dtype)


class RNNCell(base_layer.Layer):
    """Abstract cell: subclasses define `state_size`, `output_size`, `build` and `call`."""

    def __call__(self, inputs, state, scope=None, **kwargs):
        """Runs the cell on `inputs` [batch, depth] from `state`; returns (output, new_state)."""
        if scope is not None:
            with vs.variable_scope(scope) as sc:
                return super().__call__(inputs, state, scope=sc, **kwargs)
        return super().__call__(inputs, state, **kwargs)

    @property
    def state_size(self):
        raise NotImplementedError("Abstract method")

    @property
    def output_size(self):
        raise NotImplementedError("Abstract method")

    def build(self, inputs_shape):
        self.built = True

    def zero_state(self, batch_size, dtype):
        """Zero-filled state(s) of shape [batch_size, s] for each s in `state_size`.

        Example:
            >>> state = tf.nn.rnn_cell.BasicLSTMCell(8).zero_state(4, tf.float32)
        """
        with graph_lib.name_scope(type(self).__name__ + "ZeroState"):
            return map_structure(lambda s: _zeros(s, batch_size, dtype), self.state_size) \
                if is_sequence(self.state_size) else _zeros(self.state_size, batch_size, dtype)

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        if inputs is not None:
            batch_size = array_ops.shape(inputs)[0]
            dtype = inputs.dtype
        return self.zero_state(batch_size, dtype)


class LayerRNNCell(RNNCell):
    """A cell that creates its variables in `build` (all of TF's own cells)."""


def _input_depth(cell, inputs_shape):
    shape = tensor_shape.as_shape(inputs_shape)
    if shape.ndims is None or shape[-1].value is None:
        raise ValueError("Expected inputs.shape[-1] to be known, saw shape: %s" % shape)
    return shape[-1].value


def _activation(fn):
    if fn is None or callable(fn):
        return fn
    from tensorflux.keras import activations

    return activations.get(fn)


class BasicRNNCell(LayerRNNCell):
    """`output = new_state = act(W [x, h] + b)`.

    Example:
        >>> cell = tf.nn.rnn_cell.BasicRNNCell(16)
    """

    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype, _reuse=reuse, **kwargs)
        self._num_units = num_units
        self._activation = _activation(activation) or math_ops.tanh

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape)
        self._kernel = self.add_weight("kernel", [depth + self._num_units, self._num_units])
        self._bias = self.add_weight("bias", [self._num_units],
                                     initializer=init_ops.zeros_initializer())
        self.built = True

    def call(self, inputs, state):
        gate = linalg_ops.matmul(array_ops.concat([inputs, state], 1), self._kernel)
        output = self._activation(nn_ops.bias_add(gate, self._bias))
        return output, output


class GRUCell(LayerRNNCell):
    """Gated recurrent unit (Cho et al. 2014): gates r, u; candidate from [x, r * h].

    Example:
        >>> cell = tf.nn.rnn_cell.GRUCell(16)
    """

    def __init__(self, num_units, activation=None, reuse=None, kernel_initializer=None,
                 bias_initializer=None, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype, _reuse=reuse, **kwargs)
        self._num_units = num_units
        self._activation = _activation(activation) or math_ops.tanh
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape) + self._num_units
        n = self._num_units
        gates_bias = self._bias_initializer or init_ops.constant_initializer(1.0)
        cand_bias = self._bias_initializer or init_ops.zeros_initializer()
        self._gate_kernel = self.add_weight("gates/kernel", [depth, 2 * n],
                                            initializer=self._kernel_initializer)
        self._gate_bias = self.add_weight("gates/bias", [2 * n], initializer=gates_bias)
        self._candidate_kernel = self.add_weight("candidate/kernel", [depth, n],
                                                 initializer=self._kernel_initializer)
        self._candidate_bias = self.add_weight("candidate/bias", [n], initializer=cand_bias)
        self.built = True

    def call(self, inputs, state):
        gates = linalg_ops.matmul(array_ops.concat([inputs, state], 1), self._gate_kernel)
        value = math_ops.sigmoid(nn_ops.bias_add(gates, self._gate_bias))
        r, u = array_ops.split(value, 2, axis=1)
        candidate = linalg_ops.matmul(array_ops.concat([inputs, r * state], 1),
                                      self._candidate_kernel)
        c = self._activation(nn_ops.bias_add(candidate, self._candidate_bias))
        new_h = u * state + (1 - u) * c
        return new_h, new_h


def _lstm_state(state, num_units, state_is_tuple):
    if state_is_tuple:
        return state
    return array_ops.split(state, [num_units, -1], axis=1)


class BasicLSTMCell(LayerRNNCell):
    """LSTM without peepholes or projection; `forget_bias` is added to the forget gate.

    Example:
        >>> cell = tf.nn.rnn_cell.BasicLSTMCell(16)  # state: LSTMStateTuple(c, h)
    """

    def __init__(self, num_units, forget_bias=1.0, state_is_tuple=True, activation=None,
                 reuse=None, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype, _reuse=reuse, **kwargs)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = _activation(activation) or math_ops.tanh

    @property
    def state_size(self):
        n = self._num_units
        return LSTMStateTuple(n, n) if self._state_is_tuple else 2 * n

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape)
        n = self._num_units
        self._kernel = self.add_weight("kernel", [depth + n, 4 * n])
        self._bias = self.add_weight("bias", [4 * n], initializer=init_ops.zeros_initializer())
        self.built = True

    def call(self, inputs, state):
        c, h = _lstm_state(state, self._num_units, self._state_is_tuple)
        gates = nn_ops.bias_add(linalg_ops.matmul(array_ops.concat([inputs, h], 1),
                                                  self._kernel), self._bias)
        i, j, f, o = array_ops.split(gates, 4, axis=1)
        forget = constant_op.constant(self._forget_bias, dtype=f.dtype)
        new_c = c * math_ops.sigmoid(f + forget) + math_ops.sigmoid(i) * self._activation(j)
        new_h = self._activation(new_c) * math_ops.sigmoid(o)
        if self._state_is_tuple:
            return new_h, LSTMStateTuple(new_c, new_h)
        return new_h, array_ops.concat([new_c, new_h], 1)


class LSTMCell(LayerRNNCell):
    """LSTM with optional peepholes (`use_peepholes`), cell clipping and a projection layer.

    Example:
        >>> cell = tf.nn.rnn_cell.LSTMCell(16, use_peepholes=True, num_proj=8)
    """

    def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None,
                 num_proj=None, proj_clip=None, num_unit_shards=None, num_proj_shards=None,
                 forget_bias=1.0, state_is_tuple=True, activation=None, reuse=None, name=None,
                 dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype, _reuse=reuse, **kwargs)
        if num_unit_shards is not None or num_proj_shards is not None:
            raise NotImplementedError("num_unit_shards / num_proj_shards are not supported; "
                                      "use a variable_scope partitioner instead.")
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = _activation(activation) or math_ops.tanh

    @property
    def state_size(self):
        h = self._num_proj or self._num_units
        if self._state_is_tuple:
            return LSTMStateTuple(self._num_units, h)
        return self._num_units + h

    @property
    def output_size(self):
        return self._num_proj or self._num_units

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape)
        n = self._num_units
        h_depth = self._num_proj or n
        init = self._initializer
        self._kernel = self.add_weight("kernel", [depth + h_depth, 4 * n], initializer=init)
        self._bias = self.add_weight("bias", [4 * n], initializer=init_ops.zeros_initializer())
        if self._use_peepholes:
            self._w_f_diag = self.add_weight("w_f_diag", [n], initializer=init)
            self._w_i_diag = self.add_weight("w_i_diag", [n], initializer=init)
            self._w_o_diag = self.add_weight("w_o_diag", [n], initializer=init)
        if self._num_proj is not None:
            self._proj_kernel = self.add_weight("projection/kernel", [n, self._num_proj],
                                                initializer=init)
        self.built = True

    def call(self, inputs, state):
        sigmoid, act = math_ops.sigmoid, self._activation
        c_prev, m_prev = _lstm_state(state, self._num_units, self._state_is_tuple)
        gates = nn_ops.bias_add(linalg_ops.matmul(array_ops.concat([inputs, m_prev], 1),
                                                  self._kernel), self._bias)
        i, j, f, o = array_ops.split(gates, 4, axis=1)
        forget = constant_op.constant(self._forget_bias, dtype=f.dtype)
        if self._use_peepholes:
            c = (sigmoid(f + forget + self._w_f_diag * c_prev) * c_prev +
                 sigmoid(i + self._w_i_diag * c_prev) * act(j))
        else:
            c = sigmoid(f + forget) * c_prev + sigmoid(i) * act(j)
        if self._cell_clip is not None:
            c = math_ops.clip_by_value(c, -self._cell_clip, self._cell_clip)
        if self._use_peepholes:
            m = sigmoid(o + self._w_o_diag * c) * act(c)
        else:
            m = sigmoid(o) * act(c)
        if self._num_proj is not None:
            m = linalg_ops.matmul(m, self._proj_kernel)
            if self._proj_clip is not None:
                m = math_ops.clip_by_value(m, -self._proj_clip, self._proj_clip)
        if self._state_is_tuple:
            return m, LSTMStateTuple(c, m)
        return m, array_ops.concat([c, m], 1)


__all__ = ["BasicLSTMCell", "BasicRNNCell", "GRUCell", "LSTMCell", "LSTMStateTuple",
           "LayerRNNCell", "RNNCell"]
