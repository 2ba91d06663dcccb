"""`tf.contrib.rnn` cell wrappers: embedding, output / input projection, attention, highway.

The projection and attention wrappers open their own variable scope (the snake-cased class
name) around the wrapped cell, as TF 1.15's do: `rnn/output_projection_wrapper/kernel`,
`rnn/output_projection_wrapper/lstm_cell/kernel`. `HighwayWrapper` has none.
"""

import math

from tensorflux import variable_scope as vs
from tensorflux.contrib.rnn.rnn_cell import _VarCell
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import (
    array_ops,
    conv_ops,
    init_ops,
    manip_ops,
    math_ops,
    nn_ops,
    reduction_ops,
    slicing_ops,
)
from tensorflux.ops.func_graph import assert_same_structure, flatten, is_sequence, map_structure
from tensorflux.ops.rnn_cell_impl import RNNCell, _activation


class _CellWrapper(_VarCell):
    """A wrapper with its own variable scope around `cell` (the inner cell nests in it)."""

    def __init__(self, cell, reuse=None):
        super().__init__(_reuse=reuse)
        self._cell = cell

    @property
    def wrapped_cell(self):
        return self._cell

    @property
    def state_size(self):
        return self._cell.state_size

    @property
    def trainable_weights(self):
        own = list(self._trainable_weights) if self.trainable else []
        return self._cell.trainable_weights + own

    trainable_variables = trainable_weights

    def zero_state(self, batch_size, dtype):
        with graph_lib.name_scope(type(self).__name__ + "ZeroState"):
            return self._cell.zero_state(batch_size, dtype)


class EmbeddingWrapper(_CellWrapper):
    """Feeds the cell the embeddings of integer inputs (`embedding` [classes, size], on CPU).

    The default initializer is uniform in [-sqrt(3), sqrt(3)] (variance 1), unless one is given
    or the variable scope has one.

    Example:
        >>> cell = tf.contrib.rnn.EmbeddingWrapper(tf.nn.rnn_cell.GRUCell(16), 1000, 32)
    """

    def __init__(self, cell, embedding_classes, embedding_size, initializer=None, reuse=None):
        super().__init__(cell, reuse=reuse)
        if embedding_classes <= 0 or embedding_size <= 0:
            raise ValueError("Both embedding_classes and embedding_size must be > 0: %d, %d."
                             % (embedding_classes, embedding_size))
        self._embedding_classes = embedding_classes
        self._embedding_size = embedding_size
        self._initializer = initializer

    @property
    def output_size(self):
        return self._cell.output_size

    def call(self, inputs, state):
        with graph_lib.device("/cpu:0"):
            initializer = self._initializer or vs.get_variable_scope().initializer
            if initializer is None:
                sqrt3 = math.sqrt(3)
                initializer = init_ops.random_uniform_initializer(-sqrt3, sqrt3)
            dtype = state[0].dtype if isinstance(state, tuple) else state.dtype
            embedding = self._var("embedding", [self._embedding_classes,
                                                self._embedding_size],
                                  initializer=initializer, dtype=dtype)
            embedded = nn_ops.embedding_lookup(embedding, array_ops.reshape(inputs, [-1]))
        return self._cell(embedded, state)


class OutputProjectionWrapper(_CellWrapper):
    """Projects the cell's output to `output_size` with `kernel` and `bias` (zeros).

    Example:
        >>> cell = tf.contrib.rnn.OutputProjectionWrapper(tf.nn.rnn_cell.GRUCell(16), 10)
    """

    def __init__(self, cell, output_size, activation=None, reuse=None):
        super().__init__(cell, reuse=reuse)
        if output_size < 1:
            raise ValueError("Parameter output_size must be > 0: %d." % output_size)
        self._output_size = output_size
        self._activation = _activation(activation)

    @property
    def output_size(self):
        return self._output_size

    def call(self, inputs, state):
        output, res_state = self._cell(inputs, state)
        projected = self._linear(output, self._output_size)
        if self._activation:
            projected = self._activation(projected)
        return projected, res_state


class InputProjectionWrapper(_CellWrapper):
    """Projects the inputs to `num_proj` (`kernel`, `bias`) before the cell.

    Example:
        >>> cell = tf.contrib.rnn.InputProjectionWrapper(tf.nn.rnn_cell.GRUCell(16), 16)
    """

    def __init__(self, cell, num_proj, activation=None, input_size=None, reuse=None):
        super().__init__(cell, reuse=reuse)
        self._num_proj = num_proj
        self._activation = _activation(activation)

    @property
    def output_size(self):
        return self._cell.output_size

    def call(self, inputs, state):
        projected = self._linear(inputs, self._num_proj)
        if self._activation:
            projected = self._activation(projected)
        return self._cell(projected, state)


class AttentionCellWrapper(_CellWrapper):
    """Adds attention over the last `attn_length` outputs to `cell` (arXiv:1601.06733).

    State: `(cell_state, attns [attn_size], attn_states [attn_length * attn_size])`. Variables
    (scope `attention_cell_wrapper`): the input projection `kernel`/`bias`, `attention/attn_w`
    [1, 1, attn_size, attn_vec_size], `attention/attn_v`, `attention/kernel`/`bias` (query
    projection), `attn_output_projection/kernel`/`bias`.

    Example:
        >>> cell = tf.contrib.rnn.AttentionCellWrapper(tf.nn.rnn_cell.LSTMCell(16), 5)
    """

    def __init__(self, cell, attn_length, attn_size=None, attn_vec_size=None, input_size=None,
                 state_is_tuple=True, reuse=None):
        super().__init__(cell, reuse=reuse)
        if is_sequence(cell.state_size) and not state_is_tuple:
            raise ValueError("Cell returns tuple of states, but the flag state_is_tuple is not "
                             "set. State size is: %s" % str(cell.state_size))
        if attn_length <= 0:
            raise ValueError("attn_length should be greater than zero, got %s"
                             % str(attn_length))
        if attn_size is None:
            attn_size = cell.output_size
        if attn_vec_size is None:
            attn_vec_size = attn_size
        self._state_is_tuple = state_is_tuple
        self._attn_vec_size = attn_vec_size
        self._input_size = input_size
        self._attn_size = attn_size
        self._attn_length = attn_length

    @property
    def state_size(self):
        size = (self._cell.state_size, self._attn_size, self._attn_size * self._attn_length)
        return size if self._state_is_tuple else sum(size)

    @property
    def output_size(self):
        return self._attn_size

    def zero_state(self, batch_size, dtype):
        return RNNCell.zero_state(self, batch_size, dtype)

    def call(self, inputs, state):
        if self._state_is_tuple:
            state, attns, attn_states = state
        else:
            n_cell = self._cell.state_size
            state, attns, attn_states = array_ops.split(
                state, [n_cell, self._attn_size, self._attn_size * self._attn_length], axis=1)
        attn_states = array_ops.reshape(attn_states, [-1, self._attn_length, self._attn_size])
        input_size = self._input_size
        if input_size is None:
            input_size = inputs.get_shape().as_list()[1]
        inputs = self._linear([inputs, attns], input_size)
        cell_output, new_state = self._cell(inputs, state)
        new_state_cat = (array_ops.concat(flatten(new_state), 1) if self._state_is_tuple
                         else new_state)
        new_attns, new_attn_states = self._attention(new_state_cat, attn_states)
        with vs.variable_scope("attn_output_projection"):
            output = self._linear([cell_output, new_attns], self._attn_size)
        new_attn_states = array_ops.concat(
            [new_attn_states, manip_ops.expand_dims(output, 1)], 1)
        new_attn_states = array_ops.reshape(new_attn_states,
                                            [-1, self._attn_length * self._attn_size])
        new_state = (new_state, new_attns, new_attn_states)
        if not self._state_is_tuple:
            new_state = array_ops.concat(list(new_state), 1)
        return output, new_state

    def _attention(self, query, attn_states):
        with vs.variable_scope("attention"):
            k = self._var("attn_w", [1, 1, self._attn_size, self._attn_vec_size],
                          dtype=query.dtype)
            v = self._var("attn_v", [self._attn_vec_size], dtype=query.dtype)
            hidden = array_ops.reshape(attn_states,
                                       [-1, self._attn_length, 1, self._attn_size])
            hidden_features = conv_ops.conv2d(hidden, k, [1, 1, 1, 1], "SAME")
            y = self._linear(query, self._attn_vec_size)
            y = array_ops.reshape(y, [-1, 1, 1, self._attn_vec_size])
            s = reduction_ops.reduce_sum(v * math_ops.tanh(hidden_features + y), [2, 3])
            a = nn_ops.softmax(s)
            d = reduction_ops.reduce_sum(
                array_ops.reshape(a, [-1, self._attn_length, 1, 1]) * hidden, [1, 2])
            new_attns = array_ops.reshape(d, [-1, self._attn_size])
            new_attn_states = slicing_ops.slice(attn_states, [0, 1, 0], [-1, -1, -1])
            return new_attns, new_attn_states


class HighwayWrapper(RNNCell):
    """`output = x * carry + cell(x) * transform` with `carry = sigmoid(x carry_w + carry_b)`.

    No scope of its own: `carry_w`, `carry_b` (and `transform_w`, `transform_b` when the gates
    are not coupled) live in the calling scope, as in TF.

    Example:
        >>> cell = tf.contrib.rnn.HighwayWrapper(tf.nn.rnn_cell.GRUCell(8))  # inputs depth 8
    """

    def __init__(self, cell, couple_carry_transform_gates=True, carry_bias_init=1.0):
        super().__init__()
        self._cell = cell
        self._couple_carry_transform_gates = couple_carry_transform_gates
        self._carry_bias_init = carry_bias_init

    @property
    def state_size(self):
        return self._cell.state_size

    @property
    def output_size(self):
        return self._cell.output_size

    @property
    def trainable_weights(self):
        return self._cell.trainable_weights + list(self._trainable_weights)

    trainable_variables = trainable_weights

    def zero_state(self, batch_size, dtype):
        return self._cell.zero_state(batch_size, dtype)

    def _get(self, name, shape, init=None, dtype=None):
        var = vs.get_variable(name, shape, dtype=dtype, initializer=init)
        if not any(v is var for v in self._trainable_weights):
            self._trainable_weights.append(var)
        return var

    def _highway(self, inp, out):
        input_size = inp.get_shape().with_rank(2)[1].value
        dtype = inp.dtype
        carry_w = self._get("carry_w", [input_size, input_size], dtype=dtype)
        carry_b = self._get("carry_b", [input_size], dtype=dtype,
                            init=init_ops.constant_initializer(self._carry_bias_init))
        carry = math_ops.sigmoid(nn_ops.xw_plus_b(inp, carry_w, carry_b))
        if self._couple_carry_transform_gates:
            transform = 1 - carry
        else:
            transform_w = self._get("transform_w", [input_size, input_size], dtype=dtype)
            transform_b = self._get("transform_b", [input_size], dtype=dtype,
                                    init=init_ops.constant_initializer(-self._carry_bias_init))
            transform = math_ops.sigmoid(nn_ops.xw_plus_b(inp, transform_w, transform_b))
        return inp * carry + out * transform

    def __call__(self, inputs, state, scope=None):
        outputs, new_state = self._cell(inputs, state, scope=scope)
        assert_same_structure(inputs, outputs)

        def check(inp, out):
            inp.get_shape().assert_is_compatible_with(out.get_shape())

        map_structure(check, inputs, outputs)
        return map_structure(self._highway, inputs, outputs), new_state



__all__ = ["AttentionCellWrapper", "EmbeddingWrapper", "HighwayWrapper", "InputProjectionWrapper",
           "OutputProjectionWrapper"]
