"""`tf.contrib.rnn` fused-RNN adaptors: run a cell over a whole time-major sequence
(`FusedRNNCellAdaptor`) or run a fused RNN backwards in time (`TimeReversedFusedRNN`)."""

from tensorflux.ops import array_ops, manip_ops
from tensorflux.ops import rnn as core_rnn


class FusedRNNCell:
    """A whole RNN over time: `cell(inputs, initial_state=None, dtype=None,
    sequence_length=None, scope=None) -> (outputs, final_state)`, inputs time-major
    `[time, batch, depth]` or a list of `[batch, depth]` tensors."""

    def __call__(self, inputs, initial_state=None, dtype=None, sequence_length=None,
                 scope=None):
        raise NotImplementedError("Abstract method")


class FusedRNNCellAdaptor(FusedRNNCell):
    """Runs an `RNNCell` as a fused RNN, with `static_rnn` or (`use_dynamic_rnn`) `dynamic_rnn`.

    Example:
        >>> fw = tf.contrib.rnn.FusedRNNCellAdaptor(tf.nn.rnn_cell.GRUCell(8), True)
        >>> outputs, state = fw(x_time_major, dtype=tf.float32)
    """

    def __init__(self, cell, use_dynamic_rnn=False):
        self._cell = cell
        self._use_dynamic_rnn = use_dynamic_rnn

    def __call__(self, inputs, initial_state=None, dtype=None, sequence_length=None,
                 scope=None):
        is_list = isinstance(inputs, list)
        if self._use_dynamic_rnn:
            if is_list:
                inputs = array_ops.stack(inputs)
            outputs, state = core_rnn.dynamic_rnn(
                self._cell, inputs, sequence_length=sequence_length,
                initial_state=initial_state, dtype=dtype, time_major=True, scope=scope)
            if is_list:
                outputs = array_ops.unstack(outputs)
        else:
            if not is_list:
                inputs = array_ops.unstack(inputs)
            outputs, state = core_rnn.static_rnn(self._cell, inputs, initial_state=initial_state,
                                                 dtype=dtype, sequence_length=sequence_length,
                                                 scope=scope)
            if not is_list:
                outputs = array_ops.stack(outputs)
        return outputs, state


class TimeReversedFusedRNN(FusedRNNCell):
    """Runs a fused RNN on the time-reversed inputs (within each sequence's length) and
    reverses its outputs back: the backward half of a bidirectional fused RNN.

    Example:
        >>> bw = tf.contrib.rnn.TimeReversedFusedRNN(tf.contrib.rnn.LSTMBlockFusedCell(8))
        >>> outputs, state = bw(x_time_major, dtype=tf.float32, sequence_length=lengths)
    """

    def __init__(self, cell):
        self._cell = cell

    def _reverse(self, t, lengths):
        if isinstance(t, list):
            return list(reversed(t))
        if lengths is None:
            return manip_ops.reverse(t, axis=[0])
        return manip_ops.reverse_sequence(t, lengths, seq_axis=0, batch_axis=1)

    def __call__(self, inputs, initial_state=None, dtype=None, sequence_length=None,
                 scope=None):
        inputs = self._reverse(inputs, sequence_length)
        outputs, state = self._cell(inputs, initial_state=initial_state, dtype=dtype,
                                    sequence_length=sequence_length, scope=scope)
        return self._reverse(outputs, sequence_length), state


__all__ = ["FusedRNNCell", "FusedRNNCellAdaptor", "TimeReversedFusedRNN"]
