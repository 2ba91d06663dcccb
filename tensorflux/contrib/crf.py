"""`tf.contrib.crf`: a linear-chain conditional random field (TF 1.15 crf.py).

`crf_log_likelihood` = score of the gold tag sequence (unary potentials plus transition scores)
minus the log partition function, computed by the forward algorithm (`CrfForwardRnnCell` run by
`dynamic_rnn`). `crf_decode` is Viterbi in the graph (a forward pass keeping backpointers, then
a backward pass reading them); `viterbi_decode` is the same in numpy.
"""

import numpy as np

import tensorflux as tf
from tensorflux import nn  # noqa: F401 - loads the cell modules (and layers) in a safe order
from tensorflux.graph import tensor_shape
from tensorflux.ops.rnn_cell_impl import RNNCell

__all__ = [
    "CrfDecodeBackwardRnnCell", "CrfDecodeForwardRnnCell", "CrfForwardRnnCell",
    "crf_binary_score", "crf_decode", "crf_log_likelihood", "crf_log_norm",
    "crf_multitag_sequence_score", "crf_sequence_score", "crf_unary_score", "viterbi_decode",
]


def _smart_cond(inputs, true_fn, false_fn):
    """`true_fn()` when the time axis of `inputs` has length 1 (statically or at run time)."""
    steps = tensor_shape.dimension_value(inputs.shape[1])
    if steps is not None:
        return true_fn() if steps == 1 else false_fn()
    return tf.cond(tf.equal(tf.shape(inputs)[1], 1), true_fn, false_fn)


def crf_sequence_score(inputs, tag_indices, sequence_lengths, transition_params):
    """The unnormalized score of each tag sequence: [batch].

    Args:
        inputs: [batch, max_seq_len, num_tags] unary potentials.
        tag_indices: [batch, max_seq_len] int tags.
        sequence_lengths: [batch] lengths.
        transition_params: [num_tags, num_tags] transition scores.

    Example:
        >>> scores = tf.contrib.crf.crf_sequence_score(unary, tags, lengths, transitions)
    """
    def single_seq_fn():
        batch_size = tf.shape(inputs, out_type=tag_indices.dtype)[0]
        example_inds = tf.reshape(tf.range(batch_size, dtype=tag_indices.dtype), [-1, 1])
        sequence_scores = tf.gather_nd(tf.squeeze(inputs, [1]),
                                       tf.concat([example_inds, tag_indices], axis=1))
        return tf.where(tf.less_equal(sequence_lengths, 0), tf.zeros_like(sequence_scores),
                        sequence_scores)

    def multi_seq_fn():
        unary_scores = crf_unary_score(tag_indices, sequence_lengths, inputs)
        binary_scores = crf_binary_score(tag_indices, sequence_lengths, transition_params)
        return unary_scores + binary_scores

    return _smart_cond(inputs, single_seq_fn, multi_seq_fn)


def crf_multitag_sequence_score(inputs, tag_bitmap, sequence_lengths, transition_params):
    """The log-sum of the scores of every tag sequence allowed by `tag_bitmap`
    [batch, max_seq_len, num_tags] (bool): [batch].

    Example:
        >>> scores = tf.contrib.crf.crf_multitag_sequence_score(unary, allowed, lengths, trans)
    """
    filtered_inputs = tf.where(tag_bitmap, inputs,
                               tf.fill(tf.shape(inputs), tf.cast(float("-inf"), inputs.dtype)))

    def single_seq_fn():
        filtered = tf.squeeze(filtered_inputs, [1])
        return tf.reduce_logsumexp(filtered, axis=1)

    def multi_seq_fn():
        return crf_log_norm(filtered_inputs, sequence_lengths, transition_params)

    return _smart_cond(inputs, single_seq_fn, multi_seq_fn)


def crf_log_norm(inputs, sequence_lengths, transition_params):
    """The log partition function of each sequence (forward algorithm): [batch].

    Example:
        >>> log_z = tf.contrib.crf.crf_log_norm(unary, lengths, transitions)
    """
    first_input = tf.squeeze(tf.slice(inputs, [0, 0, 0], [-1, 1, -1]), [1])

    def single_seq_fn():
        log_norm = tf.reduce_logsumexp(first_input, [1])
        return tf.where(tf.less_equal(sequence_lengths, 0), tf.zeros_like(log_norm), log_norm)

    def multi_seq_fn():
        rest_of_input = tf.slice(inputs, [0, 1, 0], [-1, -1, -1])
        forward_cell = CrfForwardRnnCell(transition_params)
        # Sequence length is not allowed to be less than zero.
        lengths_less_one = tf.maximum(tf.constant(0, dtype=sequence_lengths.dtype),
                                      sequence_lengths - 1)
        _, alphas = tf.nn.dynamic_rnn(cell=forward_cell, inputs=rest_of_input,
                                      sequence_length=lengths_less_one,
                                      initial_state=first_input, dtype=inputs.dtype)
        log_norm = tf.reduce_logsumexp(alphas, [1])
        return tf.where(tf.less_equal(sequence_lengths, 0), tf.zeros_like(log_norm), log_norm)

    return _smart_cond(inputs, single_seq_fn, multi_seq_fn)


def crf_log_likelihood(inputs, tag_indices, sequence_lengths, transition_params=None):
    """The log-likelihood of each tag sequence under the CRF: (log_likelihood [batch],
    transition_params). Without `transition_params`, creates the variable `transitions`
    [num_tags, num_tags] in the current variable scope.

    Example:
        >>> ll, trans = tf.contrib.crf.crf_log_likelihood(unary, tags, lengths)
        >>> loss = tf.reduce_mean(-ll)
    """
    inputs = tf.convert_to_tensor(inputs)
    tag_indices = tf.convert_to_tensor(tag_indices)
    sequence_lengths = tf.convert_to_tensor(sequence_lengths)
    num_tags = tensor_shape.dimension_value(inputs.shape[2])
    if transition_params is None:
        transition_params = tf.get_variable("transitions", [num_tags, num_tags])
    sequence_scores = crf_sequence_score(inputs, tag_indices, sequence_lengths,
                                         transition_params)
    log_norm = crf_log_norm(inputs, sequence_lengths, transition_params)
    return sequence_scores - log_norm, transition_params


def crf_unary_score(tag_indices, sequence_lengths, inputs):
    """The sum of the unary potentials of each tag sequence (within its length): [batch].

    Example:
        >>> tf.contrib.crf.crf_unary_score(tags, lengths, unary)
    """
    batch_size = tf.shape(inputs)[0]
    max_seq_len = tf.shape(inputs)[1]
    num_tags = tf.shape(inputs)[2]
    flattened_inputs = tf.reshape(inputs, [-1])
    offsets = tf.expand_dims(tf.range(batch_size) * max_seq_len * num_tags, 1)
    offsets += tf.expand_dims(tf.range(max_seq_len) * num_tags, 0)
    if tag_indices.dtype == tf.int64:
        offsets = tf.cast(offsets, tf.int64)
    flattened_tag_indices = tf.reshape(offsets + tag_indices, [-1])
    unary_scores = tf.reshape(tf.gather(flattened_inputs, flattened_tag_indices),
                              [batch_size, max_seq_len])
    masks = tf.sequence_mask(sequence_lengths, maxlen=tf.shape(tag_indices)[1],
                             dtype=inputs.dtype)
    return tf.reduce_sum(unary_scores * masks, 1)


def crf_binary_score(tag_indices, sequence_lengths, transition_params):
    """The sum of the transition scores along each tag sequence (within its length): [batch].

    Example:
        >>> tf.contrib.crf.crf_binary_score(tags, lengths, transitions)
    """
    num_tags = tensor_shape.dimension_value(transition_params.shape[0])
    if num_tags is None:
        num_tags = tf.shape(transition_params)[0]
    num_transitions = tf.shape(tag_indices)[1] - 1
    start_tag_indices = tf.slice(tag_indices, [0, 0], [-1, num_transitions])
    end_tag_indices = tf.slice(tag_indices, [0, 1], [-1, num_transitions])
    flattened_transition_indices = start_tag_indices * num_tags + end_tag_indices
    flattened_transition_params = tf.reshape(transition_params, [-1])
    binary_scores = tf.gather(flattened_transition_params, flattened_transition_indices)
    masks = tf.sequence_mask(sequence_lengths, maxlen=tf.shape(tag_indices)[1],
                             dtype=transition_params.dtype)
    truncated_masks = tf.slice(masks, [0, 1], [-1, -1])
    return tf.reduce_sum(binary_scores * truncated_masks, 1)


class _CrfCell(RNNCell):
    """A variable-free cell over `num_tags`-wide states (called directly, no layer scope)."""

    def __init__(self, num_tags):
        super().__init__()
        self._num_tags = num_tags

    @property
    def state_size(self):
        return self._num_tags

    @property
    def output_size(self):
        return self._num_tags


class CrfForwardRnnCell(_CrfCell):
    """One step of the forward algorithm: alphas' = inputs + logsumexp(alphas + transitions).

    Example:
        >>> cell = tf.contrib.crf.CrfForwardRnnCell(transitions)
    """

    def __init__(self, transition_params):
        super().__init__(tensor_shape.dimension_value(transition_params.shape[0]))
        self._transition_params = tf.expand_dims(transition_params, 0)

    def __call__(self, inputs, state, scope=None):
        state = tf.expand_dims(state, 2)
        transition_scores = state + self._transition_params
        new_alphas = inputs + tf.reduce_logsumexp(transition_scores, [1])
        return new_alphas, new_alphas


class CrfDecodeForwardRnnCell(_CrfCell):
    """One Viterbi forward step: outputs the backpointers (argmax over the previous tag),
    state' = inputs + max(state + transitions).

    Example:
        >>> cell = tf.contrib.crf.CrfDecodeForwardRnnCell(transitions)
    """

    def __init__(self, transition_params):
        super().__init__(tensor_shape.dimension_value(transition_params.shape[0]))
        self._transition_params = tf.expand_dims(transition_params, 0)

    def __call__(self, inputs, state, scope=None):
        state = tf.expand_dims(state, 2)
        transition_scores = state + self._transition_params
        new_state = inputs + tf.reduce_max(transition_scores, [1])
        backpointers = tf.cast(tf.argmax(transition_scores, 1), dtype=tf.int32)
        return backpointers, new_state


class CrfDecodeBackwardRnnCell(_CrfCell):
    """One Viterbi backward step: the previous tag is `backpointers[tag]`.

    Example:
        >>> cell = tf.contrib.crf.CrfDecodeBackwardRnnCell(num_tags)
    """

    @property
    def state_size(self):
        return 1

    @property
    def output_size(self):
        return 1

    def __call__(self, inputs, state, scope=None):
        state = tf.squeeze(state, axis=[1])
        batch_size = tf.shape(inputs)[0]
        indices = tf.stack([tf.range(batch_size), state], axis=1)
        new_tags = tf.expand_dims(tf.gather_nd(inputs, indices), axis=-1)
        return new_tags, new_tags


def crf_decode(potentials, transition_params, sequence_length):
    """The highest-scoring tag sequences in the graph: (decode_tags [batch, max_seq_len] int32,
    best_score [batch]).

    Example:
        >>> tags, score = tf.contrib.crf.crf_decode(unary, transitions, lengths)
    """
    potentials = tf.convert_to_tensor(potentials)
    sequence_length = tf.cast(sequence_length, dtype=tf.int32)

    def single_seq_fn():
        squeezed = tf.squeeze(potentials, [1])
        decode_tags = tf.expand_dims(tf.argmax(squeezed, axis=1), 1)
        best_score = tf.reduce_max(squeezed, axis=1)
        return tf.cast(decode_tags, dtype=tf.int32), best_score

    def multi_seq_fn():
        num_tags = tensor_shape.dimension_value(potentials.shape[2])
        crf_fwd_cell = CrfDecodeForwardRnnCell(transition_params)
        initial_state = tf.squeeze(tf.slice(potentials, [0, 0, 0], [-1, 1, -1]), axis=[1])
        inputs = tf.slice(potentials, [0, 1, 0], [-1, -1, -1])
        # Sequence length is not allowed to be less than zero.
        lengths_less_one = tf.maximum(tf.constant(0, dtype=sequence_length.dtype),
                                      sequence_length - 1)
        backpointers, last_score = tf.nn.dynamic_rnn(
            crf_fwd_cell, inputs=inputs, sequence_length=lengths_less_one,
            initial_state=initial_state, time_major=False, dtype=tf.int32)
        backpointers = tf.reverse_sequence(backpointers, lengths_less_one, seq_axis=1,
                                           batch_axis=0)
        crf_bwd_cell = CrfDecodeBackwardRnnCell(num_tags)
        initial_state = tf.cast(tf.argmax(last_score, axis=1), dtype=tf.int32)
        initial_state = tf.expand_dims(initial_state, axis=-1)
        decode_tags, _ = tf.nn.dynamic_rnn(
            crf_bwd_cell, inputs=backpointers, sequence_length=lengths_less_one,
            initial_state=initial_state, time_major=False, dtype=tf.int32)
        decode_tags = tf.squeeze(decode_tags, axis=[2])
        decode_tags = tf.concat([initial_state, decode_tags], axis=1)
        decode_tags = tf.reverse_sequence(decode_tags, sequence_length, seq_axis=1,
                                          batch_axis=0)
        best_score = tf.reduce_max(last_score, axis=1)
        return decode_tags, best_score

    return _smart_cond(potentials, single_seq_fn, multi_seq_fn)


def viterbi_decode(score, transition_params):
    """Viterbi in numpy: (best tag list, its score) for one [seq_len, num_tags] `score`.

    Example:
        >>> tags, best = tf.contrib.crf.viterbi_decode(unary[0, :n], trans_value)
    """
    trellis = np.zeros_like(score)
    backpointers = np.zeros_like(score, dtype=np.int32)
    trellis[0] = score[0]
    for t in range(1, score.shape[0]):
        v = np.expand_dims(trellis[t - 1], 1) + transition_params
        trellis[t] = score[t] + np.max(v, 0)
        backpointers[t] = np.argmax(v, 0)
    viterbi = [np.argmax(trellis[-1])]
    for bp in reversed(backpointers[1:]):
        viterbi.append(bp[viterbi[-1]])
    viterbi.reverse()
    viterbi_score = np.max(trellis[-1])
    return viterbi, viterbi_score
