"""`BeamSearchDecoder`: keeps the `beam_width` best hypotheses per batch entry
(TF 1.15 beam_search_decoder.py).

Cell states and inputs are [batch, beam, ...] between steps and merged to [batch * beam, ...]
for the cell. A step adds the log-softmax of the logits to each beam's log-probability (a
finished beam can only emit `end_token`, at no cost), scores the candidates (divided by the
length penalty `((5 + len) / 6) ** length_penalty_weight`, plus the coverage penalty), keeps
the top `beam_width` over beam x vocab and gathers the chosen parents' states. `finalize`
backtracks the parent pointers with `gather_tree` into `FinalBeamSearchDecoderOutput`.
"""

import collections
import logging

import numpy as np

import tensorflux as tf
from tensorflux.contrib.seq2seq import attention_wrapper, beam_search_ops, decoder
from tensorflux.contrib.seq2seq.basic_decoder import _check_cell, _rnn_output_size
from tensorflux.graph import tensor_shape
from tensorflux.layers import base as layers_base
from tensorflux.ops import constant_op

_log = logging.getLogger(__name__)


class BeamSearchDecoderState(collections.namedtuple(
        "BeamSearchDecoderState",
        ("cell_state", "log_probs", "finished", "lengths", "accumulated_attention_probs"))):
    """Per-beam cell state, log-probabilities, finished flags and lengths."""


class BeamSearchDecoderOutput(collections.namedtuple(
        "BeamSearchDecoderOutput", ("scores", "predicted_ids", "parent_ids"))):
    """One step's scores, chosen word ids and parent beam ids, each [batch, beam]."""


class FinalBeamSearchDecoderOutput(collections.namedtuple(
        "FinalBeamDecoderOutput", ["predicted_ids", "beam_search_decoder_output"])):
    """The backtracked `predicted_ids` [batch, time, beam] (time-major if asked) and the raw
    per-step `BeamSearchDecoderOutput`."""


def _static(t):
    value = constant_op.constant_value(tf.convert_to_tensor(t))
    return None if value is None else int(value)


def _tile_batch(t, multiplier):
    t = tf.convert_to_tensor(t, name="t")
    shape_t = tf.shape(t)
    if t.shape.ndims is None or t.shape.ndims < 1:
        raise ValueError("t must have statically known rank")
    tiling = [1] * (t.shape.ndims + 1)
    tiling[1] = multiplier
    first = t.shape[0].value
    tiled_static_batch_size = first * multiplier if first is not None else None
    tiled = tf.tile(tf.expand_dims(t, 1), tiling)
    tiled = tf.reshape(tiled, tf.concat(([shape_t[0] * multiplier], shape_t[1:]), 0))
    tiled.set_shape(tensor_shape.TensorShape([tiled_static_batch_size]).concatenate(
        t.shape[1:]))
    return tiled


def tile_batch(t, multiplier, name=None):
    """Repeats each batch entry `multiplier` times, entries kept together:
    [a, b] -> [a, a, b, b] (for `multiplier` 2), on every tensor of the structure `t`.

    Example:
        >>> memory = tf.contrib.seq2seq.tile_batch(encoder_outputs, multiplier=beam_width)
    """
    flat_t = tf.nest.flatten(t)
    with tf.name_scope(name, "tile_batch", flat_t + [multiplier]):
        return tf.nest.map_structure(lambda t_: _tile_batch(t_, multiplier), t)


def gather_tree_from_array(t, parent_ids, sequence_length):
    """Reorders the stacked array `t` [time, batch * beam, ...] along the beams that
    `parent_ids` [time, batch, beam] backtrack (steps past `sequence_length` keep their beam).
    """
    max_time = parent_ids.shape[0].value or tf.shape(parent_ids)[0]
    batch_size = parent_ids.shape[1].value or tf.shape(parent_ids)[1]
    beam_width = parent_ids.shape[2].value or tf.shape(parent_ids)[2]
    beam_ids = tf.expand_dims(tf.expand_dims(tf.range(beam_width), 0), 0)
    beam_ids = tf.tile(beam_ids, [max_time, batch_size, 1])
    max_sequence_lengths = tf.cast(tf.reduce_max(sequence_length, axis=1), tf.int32)
    sorted_beam_ids = beam_search_ops.gather_tree(
        step_ids=beam_ids, parent_ids=parent_ids, max_sequence_lengths=max_sequence_lengths,
        end_token=beam_width + 1)
    in_bound_steps = tf.transpose(tf.sequence_mask(sequence_length, maxlen=max_time),
                                  perm=[2, 0, 1])
    sorted_beam_ids = tf.where(in_bound_steps, sorted_beam_ids, beam_ids)
    time_ind = tf.tile(tf.reshape(tf.range(max_time), [-1, 1, 1]),
                       [1, batch_size, beam_width])
    batch_ind = tf.tile(tf.reshape(tf.range(batch_size), [-1, 1, 1]),
                        [1, max_time, beam_width])
    batch_ind = tf.transpose(batch_ind, perm=[1, 0, 2])
    indices = tf.stack([time_ind, batch_ind, sorted_beam_ids], -1)
    final_shape = tf.shape(t)
    gather_from = tf.reshape(t, [max_time, batch_size, beam_width, -1])
    ordered = tf.gather_nd(gather_from, indices)
    return tf.reshape(ordered, final_shape)


def _rest(t, t_shape, start):
    """The dims of `t` from `start` on: static when known (so reshapes keep static shapes)."""
    rest = t.shape[start:]
    if rest.is_fully_defined():
        return tf.constant(rest.as_list(), dtype=tf.int32)
    return t_shape[start:]


def _check_maybe(t):
    if t.shape.ndims is None:
        raise ValueError("Expected tensor (%s) to have known rank, but ndims == None." % t)


def _check_static_batch_beam_maybe(shape, batch_size, beam_width):
    """False (with a warning) when elements of static `shape` are neither [batch * beam, ...]
    nor [batch, beam, ...]."""
    if batch_size is None or shape[0].value is None or shape[0].value == batch_size * beam_width:
        return True
    if shape.ndims >= 2 and shape[0].value == batch_size and shape[1].value == beam_width:
        return True
    _log.warning("TensorArray reordering expects elements to be reshapable to %s which is "
                 "incompatible with the current shape %s. Consider setting "
                 "reorder_tensor_arrays to False to disable TensorArray reordering during the "
                 "beam search.", tensor_shape.TensorShape([batch_size, beam_width, None]), shape)
    return False


def _tensor_gather_helper(gather_indices, gather_from, batch_size, range_size, gather_shape,
                          name=None):
    """Gathers `gather_from[b, gather_indices[b, k]]` through a flat gather."""
    with tf.name_scope(name, "tensor_gather_helper"):
        range_ = tf.expand_dims(tf.range(batch_size) * range_size, 1)
        gather_indices = tf.reshape(gather_indices + range_, [-1])
        output = tf.gather(tf.reshape(gather_from, gather_shape), gather_indices)
        if len(gather_shape) == 1:
            final_shape = tf.shape(gather_from)[:2]
            rest = gather_from.shape[1:2]
        else:
            final_shape = tf.shape(gather_from)
            rest = gather_from.shape[1:]
        output = tf.reshape(output, final_shape, name="output")
        output.set_shape(tensor_shape.TensorShape([_static(batch_size)]).concatenate(rest))
        return output


def _maybe_tensor_gather_helper(gather_indices, gather_from, batch_size, range_size,
                                gather_shape):
    if isinstance(gather_from, tf.TensorArray):
        return gather_from
    _check_maybe(gather_from)
    if gather_from.shape.ndims >= len(gather_shape):
        return _tensor_gather_helper(gather_indices, gather_from, batch_size, range_size,
                                     gather_shape)
    return gather_from


def _mask_probs(probs, eos_token, finished):
    """Finished beams' rows: 0 at `eos_token`, the dtype's minimum elsewhere."""
    vocab_size = tf.shape(probs)[2]
    finished_row = tf.one_hot(eos_token, vocab_size, dtype=probs.dtype,
                              on_value=tf.convert_to_tensor(0., dtype=probs.dtype),
                              off_value=probs.dtype.min)
    finished_probs = tf.tile(tf.reshape(finished_row, [1, 1, -1]),
                             tf.concat([tf.shape(finished), [1]], 0))
    finished_mask = tf.tile(tf.expand_dims(finished, 2), [1, 1, vocab_size])
    return tf.where(finished_mask, finished_probs, probs)


def _length_penalty(sequence_lengths, penalty_factor):
    """((5 + len) / 6) ** penalty_factor (Wu et al., 2016); 1 when the factor is 0."""
    penalty_factor = tf.convert_to_tensor(penalty_factor, name="penalty_factor")
    penalty_factor.set_shape(())
    static_penalty = constant_op.constant_value(penalty_factor)
    if static_penalty is not None and static_penalty == 0:
        return 1.0
    return tf.div((5. + tf.cast(sequence_lengths, tf.float32)) ** penalty_factor,
                  (5. + 1.) ** penalty_factor)


def attention_probs_from_attn_state(attention_state):
    """The alignments of an `AttentionWrapperState` (averaged over its mechanisms)."""
    attention_probs = attention_state.alignments
    if isinstance(attention_probs, tuple):
        attention_probs = tf.reduce_mean(
            tf.concat([tf.expand_dims(p, -1) for p in attention_probs], -1), -1)
    return attention_probs


def get_attention_probs(next_cell_state, coverage_penalty_weight):
    """The attention probabilities for the coverage penalty, None when it is disabled."""
    if not isinstance(coverage_penalty_weight, tf.Tensor) and coverage_penalty_weight <= 0:
        return None
    probs = []
    if isinstance(next_cell_state, attention_wrapper.AttentionWrapperState):
        probs = [attention_probs_from_attn_state(next_cell_state)]
    elif isinstance(next_cell_state, tuple):
        probs = [attention_probs_from_attn_state(s) for s in next_cell_state
                 if isinstance(s, attention_wrapper.AttentionWrapperState)]
    if not probs:
        raise ValueError("coverage_penalty_weight must be 0.0 if no cell is attention wrapper.")
    if len(probs) == 1:
        return probs[0]
    return tf.reduce_mean(tf.concat([tf.expand_dims(p, -1) for p in probs], -1), -1)


def _get_scores(log_probs, sequence_lengths, length_penalty_weight, coverage_penalty_weight,
                finished, accumulated_attention_probs):
    length_penalty_ = tf.cast(_length_penalty(sequence_lengths, length_penalty_weight),
                              dtype=log_probs.dtype)
    scores = log_probs / length_penalty_
    coverage_penalty_weight = tf.convert_to_tensor(coverage_penalty_weight,
                                                   name="coverage_penalty_weight")
    if coverage_penalty_weight.shape.ndims != 0:
        raise ValueError("coverage_penalty_weight should be a scalar, but saw shape: %s"
                         % coverage_penalty_weight.shape)
    if constant_op.constant_value(coverage_penalty_weight) == 0.0:
        return scores
    if accumulated_attention_probs is None:
        raise ValueError("accumulated_attention_probs can be None only if coverage penalty is "
                         "disabled.")
    accumulated_attention_probs = tf.where(
        tf.equal(accumulated_attention_probs, 0.0), tf.ones_like(accumulated_attention_probs),
        accumulated_attention_probs)
    coverage_penalty = tf.reduce_sum(
        tf.log(tf.minimum(accumulated_attention_probs, 1.0)), 2)
    coverage_penalty *= tf.cast(finished, log_probs.dtype)
    weighted = coverage_penalty * tf.cast(coverage_penalty_weight, log_probs.dtype)
    return scores + tf.expand_dims(weighted, 2)


def _beam_search_step(time, logits, next_cell_state, beam_state, batch_size, beam_width,
                      end_token, length_penalty_weight, coverage_penalty_weight):
    """One beam search step: returns (BeamSearchDecoderOutput, BeamSearchDecoderState)."""
    static_batch_size = _static(batch_size)
    prediction_lengths = beam_state.lengths
    previously_finished = beam_state.finished
    not_finished = tf.logical_not(previously_finished)
    step_log_probs = tf.nn.log_softmax(logits)
    step_log_probs = _mask_probs(step_log_probs, end_token, previously_finished)
    total_probs = tf.expand_dims(beam_state.log_probs, 2) + step_log_probs
    vocab_size = logits.shape[-1].value or tf.shape(logits)[-1]
    lengths_to_add = tf.one_hot(tf.fill([batch_size, beam_width], end_token), depth=vocab_size,
                                on_value=np.int64(0), off_value=np.int64(1), dtype=tf.int64)
    add_mask = tf.cast(not_finished, tf.int64)
    lengths_to_add *= tf.expand_dims(add_mask, 2)
    new_prediction_lengths = lengths_to_add + tf.expand_dims(prediction_lengths, 2)
    accumulated_attention_probs = None
    attention_probs = get_attention_probs(next_cell_state, coverage_penalty_weight)
    if attention_probs is not None:
        attention_probs *= tf.expand_dims(tf.cast(not_finished, attention_probs.dtype), 2)
        accumulated_attention_probs = beam_state.accumulated_attention_probs + attention_probs
    scores = _get_scores(total_probs, new_prediction_lengths, length_penalty_weight,
                         coverage_penalty_weight, previously_finished,
                         accumulated_attention_probs)
    time = tf.convert_to_tensor(time, name="time")
    scores_flat = tf.reshape(scores, [batch_size, -1])
    next_beam_size = tf.convert_to_tensor(beam_width, dtype=tf.int32, name="beam_width")
    next_beam_scores, word_indices = tf.nn.top_k(scores_flat, k=next_beam_size)
    next_beam_scores.set_shape([static_batch_size, beam_width])
    word_indices.set_shape([static_batch_size, beam_width])
    next_beam_probs = _tensor_gather_helper(word_indices, total_probs, batch_size,
                                            beam_width * vocab_size, [-1],
                                            name="next_beam_probs")
    raw_next_word_ids = tf.mod(word_indices, vocab_size, name="next_beam_word_ids")
    next_word_ids = tf.cast(raw_next_word_ids, tf.int32)
    next_beam_ids = tf.cast(tf.floordiv(word_indices, vocab_size), tf.int32,
                            name="next_beam_parent_ids")
    previously_finished = _tensor_gather_helper(next_beam_ids, previously_finished, batch_size,
                                                beam_width, [-1])
    next_finished = tf.logical_or(previously_finished, tf.equal(next_word_ids, end_token),
                                  name="next_beam_finished")
    # Finished beams keep their length; the others (newly finished included) grow by one.
    lengths_to_add = tf.cast(tf.logical_not(previously_finished), tf.int64)
    next_prediction_len = _tensor_gather_helper(next_beam_ids, beam_state.lengths, batch_size,
                                                beam_width, [-1])
    next_prediction_len += lengths_to_add
    next_accumulated_attention_probs = ()
    if accumulated_attention_probs is not None:
        next_accumulated_attention_probs = _tensor_gather_helper(
            next_beam_ids, accumulated_attention_probs, batch_size, beam_width,
            [batch_size * beam_width, -1], name="next_accumulated_attention_probs")
    next_cell_state = tf.nest.map_structure(
        lambda gather_from: _maybe_tensor_gather_helper(
            next_beam_ids, gather_from, batch_size, beam_width, [batch_size * beam_width, -1]),
        next_cell_state)
    next_state = BeamSearchDecoderState(
        cell_state=next_cell_state, log_probs=next_beam_probs, lengths=next_prediction_len,
        finished=next_finished, accumulated_attention_probs=next_accumulated_attention_probs)
    output = BeamSearchDecoderOutput(scores=next_beam_scores, predicted_ids=next_word_ids,
                                     parent_ids=next_beam_ids)
    return output, next_state


class BeamSearchDecoder(decoder.Decoder):
    """Beam search over `cell`, feeding the embedding of each beam's chosen word.

    `initial_state` and the attention memory must be tiled to batch * beam_width
    (`tile_batch`). Decode with `dynamic_decode`; its outputs are a
    `FinalBeamSearchDecoderOutput` whose `predicted_ids` [batch, time, beam] are best first.

    Example:
        >>> memory = tf.contrib.seq2seq.tile_batch(encoder_outputs, beam_width)
        >>> ... build the AttentionWrapper `cell` on `memory` ...
        >>> dec = tf.contrib.seq2seq.BeamSearchDecoder(
        ...     cell, embedding, tf.fill([batch], GO), EOS,
        ...     cell.zero_state(batch * beam_width, tf.float32), beam_width,
        ...     output_layer=projection)
        >>> outputs, _, _ = tf.contrib.seq2seq.dynamic_decode(dec, maximum_iterations=20)
        >>> best = outputs.predicted_ids[:, :, 0]
    """

    def __init__(self, cell, embedding, start_tokens, end_token, initial_state, beam_width,
                 output_layer=None, length_penalty_weight=0.0, coverage_penalty_weight=0.0,
                 reorder_tensor_arrays=True):
        _check_cell(cell)
        if output_layer is not None and not isinstance(output_layer, layers_base.Layer):
            raise TypeError("output_layer must be a Layer, received: %s" % type(output_layer))
        self._cell = cell
        self._output_layer = output_layer
        self._reorder_tensor_arrays = reorder_tensor_arrays
        if callable(embedding):
            self._embedding_fn = embedding
        else:
            self._embedding_fn = lambda ids: tf.nn.embedding_lookup(embedding, ids)
        self._start_tokens = tf.convert_to_tensor(start_tokens, dtype=tf.int32,
                                                  name="start_tokens")
        if self._start_tokens.shape.ndims != 1:
            raise ValueError("start_tokens must be a vector")
        self._end_token = tf.convert_to_tensor(end_token, dtype=tf.int32, name="end_token")
        if self._end_token.shape.ndims != 0:
            raise ValueError("end_token must be a scalar")
        self._batch_size = tf.size(start_tokens)
        self._beam_width = beam_width
        self._length_penalty_weight = length_penalty_weight
        self._coverage_penalty_weight = coverage_penalty_weight
        self._initial_cell_state = tf.nest.map_structure(
            self._maybe_split_batch_beams, initial_state, self._cell.state_size)
        self._start_tokens = tf.tile(tf.expand_dims(self._start_tokens, 1),
                                     [1, self._beam_width])
        self._start_inputs = self._embedding_fn(self._start_tokens)
        self._finished = tf.one_hot(tf.zeros([self._batch_size], dtype=tf.int32),
                                    depth=self._beam_width, on_value=False, off_value=True,
                                    dtype=tf.bool)

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def tracks_own_finished(self):
        """Finished beams are reordered with their parents, so the decoder tracks them."""
        return True

    @property
    def output_size(self):
        return BeamSearchDecoderOutput(scores=tensor_shape.TensorShape([self._beam_width]),
                                       predicted_ids=tensor_shape.TensorShape([self._beam_width]),
                                       parent_ids=tensor_shape.TensorShape([self._beam_width]))

    @property
    def output_dtype(self):
        dtype = tf.nest.flatten(self._initial_cell_state)[0].dtype
        return BeamSearchDecoderOutput(
            scores=tf.nest.map_structure(lambda _: dtype,
                                         _rnn_output_size(self._cell, self._output_layer)),
            predicted_ids=tf.int32, parent_ids=tf.int32)

    def initialize(self, name=None):
        """Returns (finished, start_inputs, initial BeamSearchDecoderState); only beam 0 is
        live at first (the others start at log-probability -inf)."""
        finished, start_inputs = self._finished, self._start_inputs
        dtype = tf.nest.flatten(self._initial_cell_state)[0].dtype
        log_probs = tf.one_hot(tf.zeros([self._batch_size], dtype=tf.int32),
                               depth=self._beam_width,
                               on_value=tf.convert_to_tensor(0.0, dtype=dtype),
                               off_value=tf.convert_to_tensor(-np.inf, dtype=dtype), dtype=dtype)
        init_attention_probs = get_attention_probs(self._initial_cell_state,
                                                   self._coverage_penalty_weight)
        if init_attention_probs is None:
            init_attention_probs = ()
        initial_state = BeamSearchDecoderState(
            cell_state=self._initial_cell_state, log_probs=log_probs, finished=finished,
            lengths=tf.zeros([self._batch_size, self._beam_width], dtype=tf.int64),
            accumulated_attention_probs=init_attention_probs)
        return finished, start_inputs, initial_state

    def finalize(self, outputs, final_state, sequence_lengths):
        """Backtracks the beams: returns (FinalBeamSearchDecoderOutput, final_state)."""
        del sequence_lengths
        max_sequence_lengths = tf.cast(tf.reduce_max(final_state.lengths, axis=1), tf.int32)
        predicted_ids = beam_search_ops.gather_tree(
            outputs.predicted_ids, outputs.parent_ids, max_sequence_lengths=max_sequence_lengths,
            end_token=self._end_token)
        if self._reorder_tensor_arrays:
            final_state = final_state._replace(cell_state=tf.nest.map_structure(
                lambda t: self._maybe_sort_array_beams(t, outputs.parent_ids,
                                                       final_state.lengths),
                final_state.cell_state))
        outputs = FinalBeamSearchDecoderOutput(beam_search_decoder_output=outputs,
                                               predicted_ids=predicted_ids)
        return outputs, final_state

    def _merge_batch_beams(self, t, s=None):
        s = tensor_shape.TensorShape(s)
        t_shape = tf.shape(t)
        static_batch_size = _static(self._batch_size)
        merged = None if static_batch_size is None else static_batch_size * self._beam_width
        reshaped = tf.reshape(t, tf.concat(([self._batch_size * self._beam_width],
                                            _rest(t, t_shape, 2)), 0))
        reshaped.set_shape(tensor_shape.TensorShape([merged]).concatenate(s))
        return reshaped

    def _split_batch_beams(self, t, s=None):
        s = tensor_shape.TensorShape(s)
        t_shape = tf.shape(t)
        reshaped = tf.reshape(t, tf.concat(([self._batch_size, self._beam_width],
                                            _rest(t, t_shape, 1)), 0))
        expected = tensor_shape.TensorShape([_static(self._batch_size),
                                             self._beam_width]).concatenate(s)
        if not reshaped.shape.is_compatible_with(expected):
            raise ValueError("Unexpected behavior when reshaping between beam width and batch "
                             "size.  The reshaped tensor has shape: %s.  We expected it to have "
                             "shape (batch_size, beam_width, depth) == %s.  Perhaps you forgot "
                             "to create a zero_state with batch_size=encoder_batch_size * "
                             "beam_width?" % (reshaped.shape, expected))
        reshaped.set_shape(expected)
        return reshaped

    def _maybe_split_batch_beams(self, t, s):
        if isinstance(t, tf.TensorArray):
            return t
        _check_maybe(t)
        return self._split_batch_beams(t, s) if t.shape.ndims >= 1 else t

    def _maybe_merge_batch_beams(self, t, s):
        if isinstance(t, tf.TensorArray):
            return t
        _check_maybe(t)
        return self._merge_batch_beams(t, s) if t.shape.ndims >= 2 else t

    def _maybe_sort_array_beams(self, t, parent_ids, sequence_length):
        """A TensorArray of [batch * beam, ...] elements, stacked and put in beam order."""
        if not isinstance(t, tf.TensorArray):
            return t
        shape = t.element_shape
        if not t._infer_shape or shape.ndims is None or shape.ndims < 1:
            _log.warning("The TensorArray in the cell state is not amenable to sorting based "
                         "on the beam search result. For a TensorArray to be sorted, its "
                         "elements shape must be defined and have at least a rank of 1, but "
                         "saw shape: %s", shape)
            return t
        if not _check_static_batch_beam_maybe(shape, _static(self._batch_size),
                                              self._beam_width):
            return t
        return gather_tree_from_array(t.stack(), parent_ids, sequence_length)

    def step(self, time, inputs, state, name=None):
        """One step over every beam: returns (BeamSearchDecoderOutput, BeamSearchDecoderState,
        next_inputs, finished)."""
        with tf.name_scope(name, "BeamSearchDecoderStep", (time, inputs, state)):
            cell_state = state.cell_state
            inputs = tf.nest.map_structure(
                lambda inp: self._merge_batch_beams(inp, s=inp.shape[2:]), inputs)
            cell_state = tf.nest.map_structure(self._maybe_merge_batch_beams, cell_state,
                                               self._cell.state_size)
            cell_outputs, next_cell_state = self._cell(inputs, cell_state)
            cell_outputs = tf.nest.map_structure(
                lambda out: self._split_batch_beams(out, out.shape[1:]), cell_outputs)
            next_cell_state = tf.nest.map_structure(self._maybe_split_batch_beams,
                                                    next_cell_state, self._cell.state_size)
            if self._output_layer is not None:
                cell_outputs = self._output_layer(cell_outputs)
            beam_search_output, beam_search_state = _beam_search_step(
                time=time, logits=cell_outputs, next_cell_state=next_cell_state,
                beam_state=state, batch_size=self._batch_size, beam_width=self._beam_width,
                end_token=self._end_token, length_penalty_weight=self._length_penalty_weight,
                coverage_penalty_weight=self._coverage_penalty_weight)
            finished = beam_search_state.finished
            sample_ids = beam_search_output.predicted_ids
            next_inputs = tf.cond(tf.reduce_all(finished), lambda: self._start_inputs,
                                  lambda: self._embedding_fn(sample_ids))
        return beam_search_output, beam_search_state, next_inputs, finished


__all__ = ["BeamSearchDecoder", "BeamSearchDecoderOutput", "BeamSearchDecoderState",
           "FinalBeamSearchDecoderOutput", "gather_tree_from_array", "tile_batch"]
