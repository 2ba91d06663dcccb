"""`tf.nn.rnn_cell` cell combinators: MultiRNNCell, DropoutWrapper, ResidualWrapper.

A wrapper adds no variable scope of its own (as in TF 1.x), so a wrapped cell's variables keep
the names they would have unwrapped: `rnn/basic_lstm_cell/kernel`. `MultiRNNCell` puts layer
`i` under `cell_<i>/`: `rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel`.
"""

import numbers

from tensorflux import variable_scope as vs
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import array_ops, nn_ops
from tensorflux.ops.func_graph import flatten, is_sequence, map_structure, pack_sequence_as
from tensorflux.ops.rnn_cell_impl import LSTMStateTuple, RNNCell


class MultiRNNCell(RNNCell):
    """Stacks cells: the output of cell i is the input of cell i + 1.

    Example:
        >>> cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(8) for _ in range(2)])
    """

    def __init__(self, cells, state_is_tuple=True):
        super().__init__()
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        if not isinstance(cells, (list, tuple)):
            raise TypeError("cells must be a list or tuple, but saw: %s." % (cells,))
        self._cells = list(cells)
        self._state_is_tuple = state_is_tuple
        if not state_is_tuple and any(is_sequence(c.state_size) for c in self._cells):
            raise ValueError("Some cells return tuples of states, but the flag "
                             "state_is_tuple is not set.  State sizes are: %s"
                             % str([c.state_size for c in self._cells]))

    @property
    def state_size(self):
        if self._state_is_tuple:
            return tuple(c.state_size for c in self._cells)
        return sum(c.state_size for c in self._cells)

    @property
    def output_size(self):
        return self._cells[-1].output_size

    def zero_state(self, batch_size, dtype):
        with graph_lib.name_scope(type(self).__name__ + "ZeroState"):
            if self._state_is_tuple:
                return tuple(c.zero_state(batch_size, dtype) for c in self._cells)
            return super().zero_state(batch_size, dtype)

    @property
    def trainable_weights(self):
        return [w for c in self._cells for w in c.trainable_weights] if self.trainable else []

    @property
    def non_trainable_weights(self):
        return [w for c in self._cells for w in c.non_trainable_weights]

    variables = weights = property(lambda self: self.trainable_weights +
                                   self.non_trainable_weights)
    trainable_variables = trainable_weights

    def call(self, inputs, state):
        cur, new_states, pos = inputs, [], 0
        for i, cell in enumerate(self._cells):
            with vs.variable_scope("cell_%d" % i):
                if self._state_is_tuple:
                    cur_state = state[i]
                else:
                    size = cell.state_size
                    cur_state = state[:, pos:pos + size]
                    pos += size
                cur, new_state = cell(cur, cur_state)
                new_states.append(new_state)
        if self._state_is_tuple:
            return cur, tuple(new_states)
        return cur, array_ops.concat(new_states, 1)


class _Wrapper(RNNCell):
    """A cell around `cell`: same sizes, no variable scope of its own."""

    def __init__(self, cell):
        super().__init__()
        self._cell = cell

    @property
    def wrapped_cell(self):
        return self._cell

    @property
    def state_size(self):
        return self._cell.state_size

    @property
    def output_size(self):
        return self._cell.output_size

    @property
    def trainable_weights(self):
        return self._cell.trainable_weights

    @property
    def non_trainable_weights(self):
        return self._cell.non_trainable_weights

    variables = weights = property(lambda self: self._cell.weights)
    trainable_variables = trainable_weights

    def zero_state(self, batch_size, dtype):
        with graph_lib.name_scope(type(self).__name__ + "ZeroState"):
            return self._cell.zero_state(batch_size, dtype)

    def __call__(self, inputs, state, scope=None):
        return self._wrap(inputs, state, lambda x, s: self._cell(x, s, scope=scope))


def _default_state_filter(substate):
    """TF's default: drop out every state tensor except an LSTM's memory `c`."""
    if isinstance(substate, LSTMStateTuple):
        return LSTMStateTuple(c=False, h=True)
    return True


def _state_mask(visitor, state):
    """A structure of bools like `state`: True where state dropout applies.

    As TF's traversal: `visitor(sub)` returning True on a sequence means "look inside", False
    means "none of it", and a structure of bools decides per part.
    """
    res = visitor(state)
    if not is_sequence(state):
        return bool(res)
    if res is False:
        return pack_sequence_as(state, [False] * len(flatten(state)))
    if res is True:
        parts = [_state_mask(visitor, s) for s in _children(state)]
        return pack_sequence_as(state, [m for p in parts for m in flatten(p)])
    return res


def _children(state):
    return [state[k] for k in sorted(state)] if isinstance(state, dict) else list(state)


def _is_one(p):
    return isinstance(p, numbers.Real) and not isinstance(p, Tensor) and float(p) == 1.0


class DropoutWrapper(_Wrapper):
    """Dropout on the cell's inputs, outputs and (filtered) new state.

    Example:
        >>> cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(8),
        ...                                      output_keep_prob=0.5)
    """

    def __init__(self, cell, input_keep_prob=1.0, output_keep_prob=1.0, state_keep_prob=1.0,
                 variational_recurrent=False, input_size=None, dtype=None, seed=None,
                 dropout_state_filter_visitor=None):
        super().__init__(cell)
        if variational_recurrent:
            raise NotImplementedError("DropoutWrapper(variational_recurrent=True) is not "
                                      "supported by tensorflux yet.")
        for p in (input_keep_prob, output_keep_prob, state_keep_prob):
            if isinstance(p, numbers.Real) and not 0.0 < float(p) <= 1.0:
                raise ValueError("Parameter keep_prob must be between 0 and 1: %s" % p)
        self._input_keep_prob = input_keep_prob
        self._output_keep_prob = output_keep_prob
        self._state_keep_prob = state_keep_prob
        self._seed = seed
        self._filter = dropout_state_filter_visitor or _default_state_filter

    def _dropout(self, x, keep_prob):
        return map_structure(lambda t: nn_ops.dropout(t, keep_prob=keep_prob, seed=self._seed),
                             x)

    def _wrap(self, inputs, state, call):
        if not _is_one(self._input_keep_prob):
            inputs = self._dropout(inputs, self._input_keep_prob)
        output, new_state = call(inputs, state)
        if not _is_one(self._state_keep_prob):
            mask = _state_mask(self._filter, new_state)
            new_state = pack_sequence_as(new_state, [
                nn_ops.dropout(s, keep_prob=self._state_keep_prob, seed=self._seed) if m else s
                for s, m in zip(flatten(new_state), flatten(mask))])
        if not _is_one(self._output_keep_prob):
            output = self._dropout(output, self._output_keep_prob)
        return output, new_state


class ResidualWrapper(_Wrapper):
    """`output = inputs + cell(inputs)` (or `residual_fn(inputs, output)`).

    Example:
        >>> cell = tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.GRUCell(8))  # inputs: depth 8
    """

    def __init__(self, cell, residual_fn=None):
        super().__init__(cell)
        self._residual_fn = residual_fn

    def _wrap(self, inputs, state, call):
        output, new_state = call(inputs, state)
        if self._residual_fn is not None:
            return self._residual_fn(inputs, output), new_state
        return map_structure(lambda i, o: i + o, inputs, output), new_state


class DeviceWrapper(_Wrapper):
    """Runs the cell's ops on `device`."""

    def __init__(self, cell, device):
        super().__init__(cell)
        self._device = device

    def _wrap(self, inputs, state, call):
        with graph_lib.device(self._device):
            return call(inputs, state)
