"""`tf.nn.raw_rnn`: an RNN driven by a user `loop_fn` (TF 1.x semantics).

`loop_fn(time, cell_output, cell_state, loop_state)` is called once before the loop (with
`cell_output`, `cell_state` and `loop_state` all None) to give the first input, the initial state
and, optionally, the emit structure and an initial loop state; then once after every cell step. It
returns `(elements_finished, next_input, next_cell_state, emit_output, next_loop_state)`. The loop
is one `tf.while_loop` that runs until every batch entry is finished; finished entries emit zeros
and keep their state. The emitted values are collected in TensorArrays.
"""

from tensorflux import variable_scope as vs
from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import (
    array_ops,
    cond_ops,
    constant_op,
    fill_ops,
    manip_ops,
    math_ops,
    reduction_ops,
)
from tensorflux.ops.func_graph import (
    assert_same_structure,
    flatten,
    map_structure,
    pack_sequence_as,
)
from tensorflux.ops.tensor_array_ops import TensorArray


def _as_shape(size):
    """A static TensorShape for an emit size given as int, list, TensorShape or Tensor."""
    if isinstance(size, Tensor):
        value = constant_op.constant_value(size)
        if value is None:
            return tensor_shape.TensorShape(None)
        return tensor_shape.TensorShape([int(d) for d in value.reshape(-1)])
    return tensor_shape.as_shape(size)


def _concat(prefix, suffix):
    """[prefix] + suffix as a list of ints, or as an int32 vector tensor when not static."""
    suffix_shape = _as_shape(suffix)
    if not isinstance(prefix, Tensor) and suffix_shape.is_fully_defined():
        return [prefix] + suffix_shape.as_list()
    if isinstance(suffix, Tensor):
        tail = math_ops.cast(suffix, dtypes.int32)
    else:
        tail = constant_op.constant(suffix_shape.as_list(), dtype=dtypes.int32)
    head = array_ops.reshape(math_ops.cast(prefix, dtypes.int32), [1])
    return array_ops.concat([head, array_ops.reshape(tail, [-1])], 0)


def raw_rnn(cell, loop_fn, parallel_iterations=None, swap_memory=False, scope=None):
    """Creates an RNN driven by `loop_fn`; returns (emit_ta, final_state, final_loop_state).

    Args:
        cell: an `RNNCell`.
        loop_fn: `loop_fn(time, cell_output, cell_state, loop_state) -> (elements_finished,
            next_input, next_cell_state, emit_output, next_loop_state)`; see the module docstring.
        parallel_iterations: passed to `tf.while_loop` (default 32).
        swap_memory: accepted for compatibility (no effect).
        scope: variable scope (default "rnn").

    Returns:
        emit_ta: TensorArray (or a structure of them, like the emit structure) of the emitted
            values, one per step, each [batch_size, ...].
        final_state: the cell state after the last step.
        final_loop_state: the last loop state, or None when the initial one was None.

    Example:
        >>> inputs_ta = tf.TensorArray(tf.float32, size=max_time).unstack(inputs)
        >>> def loop_fn(time, cell_output, cell_state, loop_state):
        ...     emit_output = cell_output  # == None for time == 0
        ...     if cell_output is None:  # time == 0
        ...         next_cell_state = cell.zero_state(batch_size, tf.float32)
        ...     else:
        ...         next_cell_state = cell_state
        ...     elements_finished = (time >= sequence_length)
        ...     finished = tf.reduce_all(elements_finished)
        ...     next_input = tf.cond(finished,
        ...                          lambda: tf.zeros([batch_size, input_depth], tf.float32),
        ...                          lambda: inputs_ta.read(time))
        ...     return (elements_finished, next_input, next_cell_state, emit_output, None)
        >>> outputs_ta, final_state, _ = tf.nn.raw_rnn(cell, loop_fn)
        >>> outputs = outputs_ta.stack()
    """
    if not callable(loop_fn):
        raise TypeError("loop_fn must be a callable")
    parallel_iterations = parallel_iterations or 32

    with vs.variable_scope(scope or "rnn"):
        time = constant_op.constant(0, dtype=dtypes.int32)
        (elements_finished, next_input, initial_state, emit_structure,
         init_loop_state) = loop_fn(time, None, None, None)
        flat_input = [constant_op.convert_to_tensor(x) for x in flatten(next_input)]
        next_input = pack_sequence_as(next_input, flat_input)
        elements_finished = constant_op.convert_to_tensor(elements_finished)
        loop_state = (init_loop_state if init_loop_state is not None
                      else constant_op.constant(0, dtype=dtypes.int32))

        static_batch = tensor_shape.Dimension(None)
        for x in flat_input:
            if x.shape.ndims is not None:
                if x.shape.ndims < 1:
                    raise ValueError("Expected inputs of rank at least 1, but saw shape: %s"
                                     % x.shape)
                static_batch = static_batch.merge_with(x.shape[0])
        const_batch_size = static_batch.value
        batch_size = (const_batch_size if const_batch_size is not None
                      else array_ops.shape(flat_input[0])[0])

        assert_same_structure(initial_state, cell.state_size)
        flat_state = [constant_op.convert_to_tensor(s) for s in flatten(initial_state)]
        state = pack_sequence_as(initial_state, flat_state)

        if emit_structure is not None:
            flat_emit_structure = [constant_op.convert_to_tensor(e)
                                   for e in flatten(emit_structure)]
            # the emit structure describes one batch entry's emit (no batch axis), as TF's
            flat_emit_size = [e.shape if e.shape.is_fully_defined() else array_ops.shape(e)
                              for e in flat_emit_structure]
            flat_emit_dtypes = [e.dtype for e in flat_emit_structure]
        else:
            emit_structure = cell.output_size
            flat_emit_size = flatten(emit_structure)
            flat_emit_dtypes = [flat_state[0].dtype] * len(flat_emit_size)

        flat_emit_ta = [
            TensorArray(dtype=dtype_i, dynamic_size=True, size=0,
                        element_shape=tensor_shape.TensorShape([const_batch_size]).concatenate(
                            _as_shape(size_i)),
                        name="rnn_output_%d" % i)
            for i, (dtype_i, size_i) in enumerate(zip(flat_emit_dtypes, flat_emit_size))]
        emit_ta = pack_sequence_as(emit_structure, flat_emit_ta)
        flat_zero_emit = [fill_ops.zeros(_concat(batch_size, size_i), dtype_i)
                          for size_i, dtype_i in zip(flat_emit_size, flat_emit_dtypes)]
        zero_emit = pack_sequence_as(emit_structure, flat_zero_emit)

        def condition(unused_time, elements_finished, *_):
            return math_ops.logical_not(reduction_ops.reduce_all(elements_finished))

        def body(time, elements_finished, current_input, emit_ta, state, loop_state):
            next_output, cell_state = cell(current_input, state)
            assert_same_structure(state, cell_state)
            assert_same_structure(cell.output_size, next_output)
            next_time = time + 1
            (next_finished, next_input, next_state, emit_output,
             next_loop_state) = loop_fn(next_time, next_output, cell_state, loop_state)
            assert_same_structure(state, next_state)
            assert_same_structure(current_input, next_input)
            assert_same_structure(emit_ta, emit_output)
            loop_state = loop_state if next_loop_state is None else next_loop_state

            def copy_some_through(current, candidate):
                def copy_fn(cur_i, cand_i):
                    if isinstance(cur_i, TensorArray):
                        return cand_i
                    cand_i = constant_op.convert_to_tensor(cand_i)
                    if cur_i.shape.ndims == 0:
                        return cand_i
                    return manip_ops.where(elements_finished, cur_i, cand_i)
                return map_structure(copy_fn, current, candidate)

            emit_output = copy_some_through(zero_emit, emit_output)
            next_state = copy_some_through(state, next_state)
            emit_ta = map_structure(lambda ta, emit: ta.write(time, emit), emit_ta, emit_output)
            elements_finished = math_ops.logical_or(elements_finished, next_finished)
            return (next_time, elements_finished, next_input, emit_ta, next_state, loop_state)

        returned = cond_ops.while_loop(
            condition, body,
            loop_vars=[time, elements_finished, next_input, emit_ta, state, loop_state],
            parallel_iterations=parallel_iterations, swap_memory=swap_memory)
        emit_ta, final_state, final_loop_state = returned[-3:]
        if init_loop_state is None:
            final_loop_state = None
        return emit_ta, final_state, final_loop_state
