"""`tf.nn.dynamic_rnn`, `bidirectional_dynamic_rnn`, `static_rnn` and `static_bidirectional_rnn`.

`dynamic_rnn` is one functional While op (`cond_ops.build_while`): the loop walks the time-major
inputs along axis 0, carries (time, state) and stacks the cell's outputs, so gradients flow
through the loop like any `tf.while_loop`. With `sequence_length`, steps at `time >= length[b]`
output zeros and carry batch entry b's state through unchanged, as TF does; the final state is
therefore the state at each sequence's last valid step.
"""

from tensorflux import variable_scope as vs
from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, constant_op, manip_ops, math_ops
from tensorflux.ops.func_graph import flatten, map_structure, pack_sequence_as


def _transpose_batch_time(x):
    """[batch, time, ...] <-> [time, batch, ...]."""
    rank = x.shape.ndims
    if rank is not None and rank < 2:
        raise ValueError("Expected input tensor %s to have rank at least 2, but saw shape: %s"
                         % (x, x.shape))
    if rank is None:
        r = array_ops.rank(x)
        perm = array_ops.concat([[1, 0], math_ops.range(2, r)], 0)
    else:
        perm = [1, 0] + list(range(2, rank))
    return array_ops.transpose(x, perm)


def _batch_size(flat_inputs, axis):
    """The static batch size if any input knows it, else a scalar int32 tensor."""
    for x in flat_inputs:
        if x.shape.ndims is not None and x.shape[axis].value is not None:
            return x.shape[axis].value
    return array_ops.shape(flat_inputs[0])[axis]


def _as_sequence_length(sequence_length):
    if sequence_length is None:
        return None
    lengths = math_ops.cast(sequence_length, dtypes.int32)
    if lengths.shape.ndims not in (None, 1):
        raise ValueError("sequence_length must be a vector of length batch_size, but saw "
                         "shape: %s" % lengths.shape)
    return array_ops.identity(lengths, name="sequence_length")


def _initial_state(cell, initial_state, batch_size, dtype):
    if initial_state is not None:
        return initial_state
    if not dtype:
        raise ValueError("If there is no initial_state, you must give a dtype.")
    return cell.zero_state(batch_size, dtype)


def _masked_step(time, lengths, output, new_state, state):
    """Zeros the outputs and keeps the old state of entries whose sequence has ended."""
    done = math_ops.greater_equal(time, lengths)
    output = map_structure(
        lambda o: manip_ops.where(done, array_ops.zeros_like(o), o), output)
    new_state = map_structure(lambda new, old: manip_ops.where(done, old, new), new_state, state)
    return output, new_state


def _check_state(flat_state, flat_new):
    if len(flat_state) != len(flat_new):
        raise ValueError("The cell returned a state with %d tensors, but its initial state has "
                         "%d." % (len(flat_new), len(flat_state)))


def dynamic_rnn(cell, inputs, sequence_length=None, initial_state=None, dtype=None,
                parallel_iterations=None, swap_memory=False, time_major=False, scope=None):
    """Runs `cell` over the time axis of `inputs`; returns (outputs, final_state).

    Args:
        cell: an `RNNCell`.
        inputs: [batch, time, depth] (or [time, batch, depth] when `time_major`); may be a
            nested structure of such tensors.
        sequence_length: optional int vector [batch]: steps past it give zero outputs and
            leave the state unchanged.
        initial_state: the cell's state at time 0 (default: `cell.zero_state`, needs `dtype`).
        dtype: dtype of the zero initial state.
        time_major: layout of `inputs` and `outputs`.
        scope: variable scope (default "rnn").

    Example:
        >>> cell = tf.nn.rnn_cell.BasicLSTMCell(8)
        >>> outputs, state = tf.nn.dynamic_rnn(cell, x, sequence_length=lengths,
        ...                                    dtype=tf.float32)
    """
    from tensorflux.ops import cond_ops

    with vs.variable_scope(scope or "rnn"):
        flat_in = [constant_op.convert_to_tensor(x) for x in flatten(inputs)]
        if not time_major:
            flat_in = [_transpose_batch_time(x) for x in flat_in]
        lengths = _as_sequence_length(sequence_length)
        state = _initial_state(cell, initial_state, _batch_size(flat_in, 1), dtype)
        flat_state = [constant_op.convert_to_tensor(s) for s in flatten(state)]
        first = flat_in[0]
        n_time = first.shape[0].value if first.shape.ndims else None
        time_steps = n_time if n_time is not None else array_ops.shape(first)[0]
        out_structure = {}

        def cond_fn(args):
            return math_ops.less(args[0], time_steps)

        def body_fn(args, slices):
            time, old = args[0], pack_sequence_as(state, args[1:])
            output, new_state = cell(pack_sequence_as(inputs, slices), old)
            _check_state(args[1:], flatten(new_state))
            if lengths is not None:
                output, new_state = _masked_step(time, lengths, output, new_state, old)
            out_structure["output"] = output
            return [time + 1] + flatten(new_state), flatten(output)

        time = constant_op.constant(0, dtype=dtypes.int32, name="time")
        outer = graph_lib._graph_from_values(flat_in + flat_state)
        with outer.name_scope("while") as wscope:
            out_vars, ys = cond_ops.build_while(outer, wscope, [time] + flat_state, cond_fn,
                                                body_fn, xs=flat_in,
                                                ys_length=n_time)
        final_state = pack_sequence_as(state, out_vars[1:])
        if not time_major:
            ys = [_transpose_batch_time(y) for y in ys]
        return pack_sequence_as(out_structure["output"], ys), final_state


def _reverse(x, lengths, seq_axis, batch_axis):
    if lengths is None:
        return manip_ops.reverse(x, axis=[seq_axis])
    return manip_ops.reverse_sequence(x, lengths, seq_axis=seq_axis, batch_axis=batch_axis)


def bidirectional_dynamic_rnn(cell_fw, cell_bw, inputs, sequence_length=None,
                              initial_state_fw=None, initial_state_bw=None, dtype=None,
                              parallel_iterations=None, swap_memory=False, time_major=False,
                              scope=None):
    """A forward and a backward `dynamic_rnn`; returns ((out_fw, out_bw), (state_fw, state_bw)).

    The backward cell reads each sequence reversed (within its `sequence_length`); its outputs
    are reversed back, so `out_bw[:, t]` belongs to input step t.

    Example:
        >>> (fw, bw), _ = tf.nn.bidirectional_dynamic_rnn(
        ...     tf.nn.rnn_cell.LSTMCell(8), tf.nn.rnn_cell.LSTMCell(8), x, dtype=tf.float32)
        >>> outputs = tf.concat([fw, bw], 2)
    """
    with vs.variable_scope(scope or "bidirectional_rnn"):
        with vs.variable_scope("fw") as fw_scope:
            out_fw, state_fw = dynamic_rnn(cell_fw, inputs, sequence_length, initial_state_fw,
                                           dtype, time_major=time_major, scope=fw_scope)
        time_axis, batch_axis = (0, 1) if time_major else (1, 0)
        with vs.variable_scope("bw") as bw_scope:
            rev_in = map_structure(lambda x: _reverse(x, sequence_length, time_axis, batch_axis),
                                   inputs)
            tmp, state_bw = dynamic_rnn(cell_bw, rev_in, sequence_length, initial_state_bw,
                                        dtype, time_major=time_major, scope=bw_scope)
    out_bw = map_structure(lambda x: _reverse(x, sequence_length, time_axis, batch_axis), tmp)
    return (out_fw, out_bw), (state_fw, state_bw)


def static_rnn(cell, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
    """The RNN unrolled in the graph over a Python list of [batch, depth] inputs.

    Returns (list of outputs, final state).

    Example:
        >>> outputs, state = tf.nn.static_rnn(cell, tf.unstack(x, axis=1), dtype=tf.float32)
    """
    if not isinstance(inputs, (list, tuple)):
        raise TypeError("inputs must be a sequence")
    if not inputs:
        raise ValueError("inputs must not be empty")
    with vs.variable_scope(scope or "rnn") as varscope:
        flat_first = [constant_op.convert_to_tensor(x) for x in flatten(inputs[0])]
        state = _initial_state(cell, initial_state, _batch_size(flat_first, 0), dtype)
        lengths = _as_sequence_length(sequence_length)
        outputs = []
        for time, x in enumerate(inputs):
            if time > 0:
                varscope.reuse_variables()
            output, new_state = cell(x, state)
            if lengths is not None:
                output, new_state = _masked_step(time, lengths, output, new_state, state)
            state = new_state
            outputs.append(output)
        return outputs, state


def _reverse_list(inputs, lengths):
    if lengths is None:
        return list(reversed(inputs))
    flat = [flatten(x) for x in inputs]
    out = [[] for _ in inputs]
    for k in range(len(flat[0])):
        stacked = array_ops.stack([f[k] for f in flat])
        rev = manip_ops.reverse_sequence(stacked, math_ops.cast(lengths, dtypes.int64),
                                         seq_axis=0, batch_axis=1)
        for t, r in enumerate(array_ops.unstack(rev)):
            out[t].append(r)
    return [pack_sequence_as(x, o) for x, o in zip(inputs, out)]


def static_bidirectional_rnn(cell_fw, cell_bw, inputs, initial_state_fw=None,
                             initial_state_bw=None, dtype=None, sequence_length=None,
                             scope=None):
    """Unrolled forward and backward RNNs; returns (outputs, state_fw, state_bw).

    `outputs[t]` is the depth-concatenation of the forward and backward outputs at step t.

    Example:
        >>> outs, s_fw, s_bw = tf.nn.static_bidirectional_rnn(fw, bw, xs, dtype=tf.float32)
    """
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise TypeError("inputs must be a non-empty sequence")
    with vs.variable_scope(scope or "bidirectional_rnn"):
        with vs.variable_scope("fw") as fw_scope:
            out_fw, state_fw = static_rnn(cell_fw, inputs, initial_state_fw, dtype,
                                          sequence_length, scope=fw_scope)
        with vs.variable_scope("bw") as bw_scope:
            rev = _reverse_list(inputs, sequence_length)
            tmp, state_bw = static_rnn(cell_bw, rev, initial_state_bw, dtype, sequence_length,
                                       scope=bw_scope)
    out_bw = _reverse_list(tmp, sequence_length)
    outputs = [array_ops.concat([f, b], 1) for f, b in zip(flatten(out_fw), flatten(out_bw))]
    return outputs, state_fw, state_bw
