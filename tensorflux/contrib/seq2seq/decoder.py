"""`Decoder` (the interface) and `dynamic_decode`, the loop that runs one (TF 1.15 decoder.py).

`dynamic_decode` is one `tf.while_loop` carrying (time, output TensorArrays, decoder state,
next inputs, finished, sequence lengths). It stops when every batch entry is finished or after
`maximum_iterations` steps. With `impute_finished`, finished entries emit zeros and keep their
state; `final_sequence_lengths[b]` is the step at which entry b finished (or the step count).
"""

import abc

import tensorflux as tf
from tensorflux.graph import tensor_shape
from tensorflux.ops import constant_op
from tensorflux.ops.rnn import _transpose_batch_time
from tensorflux.ops.rnn_cell_impl import _zeros


class Decoder(abc.ABC):
    """An RNN decoder: `initialize` once, then `step` until every entry is finished.

    Subclasses define `batch_size`, `output_size`, `output_dtype`, `initialize` and `step`;
    `finalize` (optional) post-processes the stacked outputs, and `tracks_own_finished` says
    whether `step`'s `finished` already includes the previously finished entries.
    """

    @property
    def batch_size(self):
        raise NotImplementedError

    @property
    def output_size(self):
        raise NotImplementedError

    @property
    def output_dtype(self):
        raise NotImplementedError

    @abc.abstractmethod
    def initialize(self, name=None):
        """Returns (finished, initial_inputs, initial_state)."""

    @abc.abstractmethod
    def step(self, time, inputs, state, name=None):
        """Returns (outputs, next_state, next_inputs, finished)."""

    def finalize(self, outputs, final_state, sequence_lengths):
        raise NotImplementedError

    @property
    def tracks_own_finished(self):
        return False


def _create_zero_outputs(size, dtype, batch_size):
    """Zeros of shape [batch_size] + s for each s in the `size` structure."""
    return tf.nest.map_structure(lambda s, d: _zeros(s, batch_size, d), size, dtype)


def _element_shape(batch_size, from_shape):
    if not isinstance(from_shape, tensor_shape.TensorShape) or from_shape.ndims == 0:
        return None
    static = constant_op.constant_value(tf.convert_to_tensor(batch_size, name="batch_size"))
    static = None if static is None else int(static)
    return tensor_shape.TensorShape([static]).concatenate(from_shape)


def dynamic_decode(decoder, output_time_major=False, impute_finished=False,
                   maximum_iterations=None, parallel_iterations=32, swap_memory=False,
                   scope=None):
    """Runs `decoder` to the end; returns (final_outputs, final_state, final_sequence_lengths).

    Args:
        decoder: a `Decoder`.
        output_time_major: outputs as [time, batch, ...] instead of [batch, time, ...].
        impute_finished: finished entries emit zero outputs and keep their last state.
        maximum_iterations: the most decoding steps (an int32 scalar), None for no limit.
        swap_memory, parallel_iterations: accepted for TF compatibility.
        scope: variable scope (default "decoder").

    Example:
        >>> decoder = tf.contrib.seq2seq.BasicDecoder(cell, helper, initial_state)
        >>> outputs, state, lengths = tf.contrib.seq2seq.dynamic_decode(decoder)
        >>> logits = outputs.rnn_output
    """
    if not isinstance(decoder, Decoder):
        raise TypeError("Expected decoder to be type Decoder, but saw: %s" % type(decoder))
    with tf.variable_scope(scope, "decoder"):
        if maximum_iterations is not None:
            maximum_iterations = tf.convert_to_tensor(maximum_iterations, dtype=tf.int32,
                                                      name="maximum_iterations")
            if maximum_iterations.shape.ndims != 0:
                raise ValueError("maximum_iterations must be a scalar")

        initial_finished, initial_inputs, initial_state = decoder.initialize()
        zero_outputs = _create_zero_outputs(decoder.output_size, decoder.output_dtype,
                                            decoder.batch_size)
        if maximum_iterations is not None:
            initial_finished = tf.logical_or(initial_finished, 0 >= maximum_iterations)
        initial_sequence_lengths = tf.zeros_like(initial_finished, dtype=tf.int32)
        initial_time = tf.constant(0, dtype=tf.int32)

        def create_ta(s, d):
            return tf.TensorArray(dtype=d, size=0, dynamic_size=True,
                                  element_shape=_element_shape(decoder.batch_size, s))

        initial_outputs_ta = tf.nest.map_structure(create_ta, decoder.output_size,
                                                   decoder.output_dtype)

        def condition(unused_time, unused_outputs_ta, unused_state, unused_inputs, finished,
                      unused_sequence_lengths):
            return tf.logical_not(tf.reduce_all(finished))

        def body(time, outputs_ta, state, inputs, finished, sequence_lengths):
            next_outputs, decoder_state, next_inputs, decoder_finished = decoder.step(
                time, inputs, state)
            if decoder.tracks_own_finished:
                next_finished = decoder_finished
            else:
                next_finished = tf.logical_or(decoder_finished, finished)
            next_sequence_lengths = tf.where(
                tf.logical_not(finished), tf.fill(tf.shape(sequence_lengths), time + 1),
                sequence_lengths)
            tf.nest.assert_same_structure(state, decoder_state)
            tf.nest.assert_same_structure(outputs_ta, next_outputs)
            tf.nest.assert_same_structure(inputs, next_inputs)
            if impute_finished:
                emit = tf.nest.map_structure(lambda out, zero: tf.where(finished, zero, out),
                                             next_outputs, zero_outputs)
            else:
                emit = next_outputs

            def maybe_copy_state(new, cur):
                # TensorArrays and scalar states pass through.
                if isinstance(cur, tf.TensorArray):
                    return new
                new.set_shape(cur.shape)
                return new if new.shape.ndims == 0 else tf.where(finished, cur, new)

            if impute_finished:
                next_state = tf.nest.map_structure(maybe_copy_state, decoder_state, state)
            else:
                next_state = decoder_state
            outputs_ta = tf.nest.map_structure(lambda ta, out: ta.write(time, out),
                                               outputs_ta, emit)
            return (time + 1, outputs_ta, next_state, next_inputs, next_finished,
                    next_sequence_lengths)

        res = tf.while_loop(
            condition, body,
            loop_vars=(initial_time, initial_outputs_ta, initial_state, initial_inputs,
                       initial_finished, initial_sequence_lengths),
            parallel_iterations=parallel_iterations, maximum_iterations=maximum_iterations,
            swap_memory=swap_memory)
        final_outputs_ta, final_state, final_sequence_lengths = res[1], res[2], res[5]
        final_outputs = tf.nest.map_structure(lambda ta: ta.stack(), final_outputs_ta)
        try:
            final_outputs, final_state = decoder.finalize(final_outputs, final_state,
                                                          final_sequence_lengths)
        except NotImplementedError:
            pass
        if not output_time_major:
            final_outputs = tf.nest.map_structure(_transpose_batch_time, final_outputs)
    return final_outputs, final_state, final_sequence_lengths


__all__ = ["Decoder", "dynamic_decode"]
