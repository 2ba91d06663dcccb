"""Attention for decoders: `BahdanauAttention` (additive), `LuongAttention` (multiplicative),
their monotonic variants, and `AttentionWrapper`, the RNN cell that attends over a memory
after each step of the cell it wraps (TF 1.15 attention_wrapper.py).

Variable names are TF's: the memory layer is built when the mechanism is created
(`memory_layer/kernel`); the query layer, `attention_v` (`attention_g`, `attention_b` when
normalized) live under `<cell scope>/bahdanau_attention/` (Luong: `luong_attention/attention_g`
with `scale`), the attention layer under `<cell scope>/attention_layer/kernel`.
"""

import collections
import math

import numpy as np

import tensorflux as tf
from tensorflux.graph import tensor_shape
from tensorflux.layers import base as layers_base
from tensorflux.layers.core import Dense
from tensorflux.ops.rnn_cell_impl import RNNCell, _zeros


def _dim(t, axis):
    value = tensor_shape.dimension_value(t.shape[axis]) if t.shape.ndims else None
    return value if value is not None else tf.shape(t)[axis]


def _zero_state_tensors(state_size, batch_size, dtype):
    return tf.nest.map_structure(lambda s: _zeros(s, batch_size, dtype), state_size)


class AttentionMechanism:
    """Base class of attention mechanisms (`alignments_size`, `state_size`)."""

    @property
    def alignments_size(self):
        raise NotImplementedError

    @property
    def state_size(self):
        raise NotImplementedError


def _prepare_memory(memory, memory_sequence_length, check_inner_dims_defined):
    """`memory` with the steps past `memory_sequence_length` zeroed."""
    memory = tf.nest.map_structure(lambda m: tf.convert_to_tensor(m, name="memory"), memory)
    if memory_sequence_length is not None:
        memory_sequence_length = tf.convert_to_tensor(memory_sequence_length,
                                                      name="memory_sequence_length")
    if check_inner_dims_defined:
        for m in tf.nest.flatten(memory):
            if not m.shape[2:].is_fully_defined():
                raise ValueError("Expected memory %s to have fully defined inner dims, but saw "
                                 "shape: %s" % (m.name, m.shape))
    if memory_sequence_length is None:
        return memory
    first = tf.nest.flatten(memory)[0]
    seq_len_mask = tf.sequence_mask(memory_sequence_length, maxlen=tf.shape(first)[1],
                                    dtype=first.dtype)
    seq_len_batch_size = _dim(memory_sequence_length, 0)

    def maybe_mask(m):
        rank = m.shape.ndims
        extra_ones = tf.ones(rank - 2, dtype=tf.int32)
        message = "memory_sequence_length and memory tensor batch sizes do not match."
        with tf.control_dependencies([tf.assert_equal(seq_len_batch_size, _dim(m, 0),
                                                      message=message)]):
            mask = tf.reshape(seq_len_mask, tf.concat((tf.shape(seq_len_mask), extra_ones), 0))
            return m * mask

    return tf.nest.map_structure(maybe_mask, memory)


def _maybe_mask_score(score, memory_sequence_length, score_mask_value):
    if memory_sequence_length is None:
        return score
    score_mask = tf.sequence_mask(memory_sequence_length, maxlen=tf.shape(score)[1])
    score_mask_values = score_mask_value * tf.ones_like(score)
    return tf.where(score_mask, score, score_mask_values)


class _BaseAttentionMechanism(AttentionMechanism):
    """Keys (the memory through `memory_layer`), values (the masked memory) and the
    probability function shared by Bahdanau and Luong attention."""

    def __init__(self, query_layer, memory, probability_fn, memory_sequence_length=None,
                 memory_layer=None, check_inner_dims_defined=True, score_mask_value=None,
                 custom_key_value_fn=None, name=None):
        if query_layer is not None and not isinstance(query_layer, layers_base.Layer):
            raise TypeError("query_layer is not a Layer: %s" % type(query_layer).__name__)
        if memory_layer is not None and not isinstance(memory_layer, layers_base.Layer):
            raise TypeError("memory_layer is not a Layer: %s" % type(memory_layer).__name__)
        self._query_layer = query_layer
        self._memory_layer = memory_layer
        self.dtype = memory_layer.dtype
        if not callable(probability_fn):
            raise TypeError("probability_fn must be callable, saw type: %s"
                            % type(probability_fn).__name__)
        if score_mask_value is None:
            score_mask_value = tf.as_dtype(self._memory_layer.dtype).as_numpy_dtype(-np.inf)
        self._probability_fn = lambda score, prev: probability_fn(
            _maybe_mask_score(score, memory_sequence_length, score_mask_value), prev)
        with tf.name_scope(name, "BaseAttentionMechanismInit", tf.nest.flatten(memory)):
            self._values = _prepare_memory(memory, memory_sequence_length,
                                           check_inner_dims_defined)
            self._keys = self.memory_layer(self._values) if self.memory_layer else self._values
            if custom_key_value_fn is not None:
                self._keys, self._values = custom_key_value_fn(self._keys, self._values)
            self._batch_size = _dim(self._keys, 0)
            self._alignments_size = _dim(self._keys, 1)

    @property
    def memory_layer(self):
        return self._memory_layer

    @property
    def query_layer(self):
        return self._query_layer

    @property
    def values(self):
        return self._values

    @property
    def keys(self):
        return self._keys

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def alignments_size(self):
        return self._alignments_size

    @property
    def state_size(self):
        return self._alignments_size

    def initial_alignments(self, batch_size, dtype):
        """Zero alignments [batch_size, memory_time]."""
        return _zero_state_tensors(self._alignments_size, batch_size, dtype)

    def initial_state(self, batch_size, dtype):
        return self.initial_alignments(batch_size, dtype)


def _luong_score(query, keys, scale):
    depth = query.shape[-1]
    key_units = keys.shape[-1]
    if depth != key_units:
        raise ValueError("Incompatible or unknown inner dimensions between query and keys.  "
                         "Query (%s) has units: %s.  Keys (%s) have units: %s.  Perhaps you "
                         "need to set num_units to the keys' dimension (%s)?"
                         % (query, depth, keys, key_units, key_units))
    dtype = query.dtype
    query = tf.expand_dims(query, 1)
    score = tf.matmul(query, keys, transpose_b=True)
    score = tf.squeeze(score, [1])
    if scale:
        g = tf.get_variable("attention_g", dtype=dtype, initializer=tf.ones_initializer,
                            shape=())
        score = g * score
    return score


class LuongAttention(_BaseAttentionMechanism):
    """Multiplicative attention: `score = query . keys` (times a learned `attention_g` when
    `scale`), keys = memory projected to `num_units`.

    Example:
        >>> mech = tf.contrib.seq2seq.LuongAttention(64, encoder_outputs,
        ...                                          memory_sequence_length=src_lengths)
    """

    def __init__(self, num_units, memory, memory_sequence_length=None, scale=False,
                 probability_fn=None, score_mask_value=None, dtype=None,
                 custom_key_value_fn=None, name="LuongAttention"):
        if probability_fn is None:
            probability_fn = tf.nn.softmax
        if dtype is None:
            dtype = tf.float32

        def wrapped_probability_fn(score, _):
            return probability_fn(score)

        super().__init__(
            query_layer=None,
            memory_layer=Dense(num_units, name="memory_layer", use_bias=False, dtype=dtype),
            memory=memory, probability_fn=wrapped_probability_fn,
            memory_sequence_length=memory_sequence_length, score_mask_value=score_mask_value,
            custom_key_value_fn=custom_key_value_fn, name=name)
        self._num_units = num_units
        self._scale = scale
        self._name = name

    def __call__(self, query, state):
        """Returns (alignments [batch, memory_time], next_state)."""
        with tf.variable_scope(None, "luong_attention", [query]):
            score = _luong_score(query, self._keys, self._scale)
        alignments = self._probability_fn(score, state)
        return alignments, alignments


def _bahdanau_score(processed_query, keys, normalize):
    dtype = processed_query.dtype
    num_units = _dim(keys, 2)
    processed_query = tf.expand_dims(processed_query, 1)
    v = tf.get_variable("attention_v", [num_units], dtype=dtype)
    if normalize:
        g = tf.get_variable("attention_g", dtype=dtype, shape=(),
                            initializer=tf.constant_initializer(math.sqrt(1.0 / num_units)))
        b = tf.get_variable("attention_b", [num_units], dtype=dtype,
                            initializer=tf.zeros_initializer())
        normed_v = g * v * tf.rsqrt(tf.reduce_sum(tf.square(v)))
        return tf.reduce_sum(normed_v * tf.tanh(keys + processed_query + b), [2])
    return tf.reduce_sum(v * tf.tanh(keys + processed_query), [2])


class BahdanauAttention(_BaseAttentionMechanism):
    """Additive attention: `score = v . tanh(keys + query_layer(query))` (weight-normalized
    `v` and a bias when `normalize`).

    Example:
        >>> mech = tf.contrib.seq2seq.BahdanauAttention(64, encoder_outputs,
        ...                                             memory_sequence_length=src_lengths)
        >>> cell = tf.contrib.seq2seq.AttentionWrapper(tf.nn.rnn_cell.LSTMCell(64), mech)
    """

    def __init__(self, num_units, memory, memory_sequence_length=None, normalize=False,
                 probability_fn=None, score_mask_value=None, dtype=None,
                 custom_key_value_fn=None, name="BahdanauAttention"):
        if probability_fn is None:
            probability_fn = tf.nn.softmax
        if dtype is None:
            dtype = tf.float32

        def wrapped_probability_fn(score, _):
            return probability_fn(score)

        super().__init__(
            query_layer=Dense(num_units, name="query_layer", use_bias=False, dtype=dtype),
            memory_layer=Dense(num_units, name="memory_layer", use_bias=False, dtype=dtype),
            memory=memory, probability_fn=wrapped_probability_fn,
            memory_sequence_length=memory_sequence_length, score_mask_value=score_mask_value,
            custom_key_value_fn=custom_key_value_fn, name=name)
        self._num_units = num_units
        self._normalize = normalize
        self._name = name

    def __call__(self, query, state):
        """Returns (alignments [batch, memory_time], next_state)."""
        with tf.variable_scope(None, "bahdanau_attention", [query]):
            processed_query = self.query_layer(query) if self.query_layer else query
            score = _bahdanau_score(processed_query, self._keys, self._normalize)
        alignments = self._probability_fn(score, state)
        return alignments, alignments


def safe_cumprod(x, *args, **kwargs):
    """cumprod computed as exp(cumsum(log(x))), clipped away from log(0)."""
    with tf.name_scope(None, "SafeCumprod", [x]):
        x = tf.convert_to_tensor(x, name="x")
        tiny = np.finfo(x.dtype.as_numpy_dtype).tiny
        return tf.exp(tf.cumsum(tf.log(tf.clip_by_value(x, tiny, 1)), *args, **kwargs))


def monotonic_attention(p_choose_i, previous_attention, mode):
    """Monotonic attention distribution from choosing probabilities (Raffel et al., 2017).

    `mode` is "recursive" (a `tf.scan`), "parallel" (cumprod, may be unstable) or "hard"
    (requires 0/1 `p_choose_i`).

    Example:
        >>> att = monotonic_attention(tf.sigmoid(scores), prev_alignments, "parallel")
    """
    p_choose_i = tf.convert_to_tensor(p_choose_i, name="p_choose_i")
    previous_attention = tf.convert_to_tensor(previous_attention, name="previous_attention")
    if mode == "recursive":
        batch_size = _dim(p_choose_i, 0)
        shifted_1mp_choose_i = tf.concat(
            [tf.ones((batch_size, 1), dtype=p_choose_i.dtype), 1 - p_choose_i[:, :-1]], 1)
        attention = p_choose_i * tf.transpose(tf.scan(
            lambda x, yz: tf.reshape(yz[0] * x + yz[1], (batch_size,)),
            [tf.transpose(shifted_1mp_choose_i), tf.transpose(previous_attention)],
            tf.zeros((batch_size,), dtype=p_choose_i.dtype)))
    elif mode == "parallel":
        cumprod_1mp_choose_i = safe_cumprod(1 - p_choose_i, axis=1, exclusive=True)
        attention = p_choose_i * cumprod_1mp_choose_i * tf.cumsum(
            previous_attention / tf.clip_by_value(cumprod_1mp_choose_i, 1e-10, 1.), axis=1)
    elif mode == "hard":
        p_choose_i = tf.cast(p_choose_i > 0.5, p_choose_i.dtype)
        attention = p_choose_i * tf.cumprod(1 - p_choose_i, axis=1, exclusive=True)
        attention *= tf.cumsum(previous_attention, axis=1)
        del p_choose_i
    else:
        raise ValueError("mode must be 'recursive', 'parallel', or 'hard'.")
    return attention


def _monotonic_probability_fn(score, previous_alignments, sigmoid_noise, mode, seed=None):
    """Attention from scores via choosing probabilities (sigmoid, or a step when "hard")."""
    if sigmoid_noise > 0:
        noise = tf.random_normal(tf.shape(score), dtype=score.dtype, seed=seed)
        score += sigmoid_noise * noise
    if mode == "hard":
        p_choose_i = tf.cast(score > 0, score.dtype)
    else:
        p_choose_i = tf.sigmoid(score)
    return monotonic_attention(p_choose_i, previous_alignments, mode)


class _BaseMonotonicAttentionMechanism(_BaseAttentionMechanism):
    """Monotonic attention starts with all its mass on the first memory step."""

    def initial_alignments(self, batch_size, dtype):
        return tf.one_hot(tf.zeros((batch_size,), dtype=tf.int32), self._alignments_size,
                          dtype=dtype)


class BahdanauMonotonicAttention(_BaseMonotonicAttentionMechanism):
    """Bahdanau scores (plus a learned `attention_score_bias`) turned into monotonic attention.

    Example:
        >>> mech = tf.contrib.seq2seq.BahdanauMonotonicAttention(32, memory, sigmoid_noise=1.)
    """

    def __init__(self, num_units, memory, memory_sequence_length=None, normalize=False,
                 score_mask_value=None, sigmoid_noise=0., sigmoid_noise_seed=None,
                 score_bias_init=0., mode="parallel", dtype=None,
                 name="BahdanauMonotonicAttention"):
        if dtype is None:
            dtype = tf.float32

        def wrapped_probability_fn(score, previous):
            return _monotonic_probability_fn(score, previous, sigmoid_noise, mode,
                                             sigmoid_noise_seed)

        super().__init__(
            query_layer=Dense(num_units, name="query_layer", use_bias=False, dtype=dtype),
            memory_layer=Dense(num_units, name="memory_layer", use_bias=False, dtype=dtype),
            memory=memory, probability_fn=wrapped_probability_fn,
            memory_sequence_length=memory_sequence_length, score_mask_value=score_mask_value,
            name=name)
        self._num_units = num_units
        self._normalize = normalize
        self._name = name
        self._score_bias_init = score_bias_init

    def __call__(self, query, state):
        with tf.variable_scope(None, "bahdanau_monotonic_attention", [query]):
            processed_query = self.query_layer(query) if self.query_layer else query
            score = _bahdanau_score(processed_query, self._keys, self._normalize)
            score_bias = tf.get_variable("attention_score_bias", dtype=processed_query.dtype,
                                         initializer=self._score_bias_init)
            score += score_bias
        alignments = self._probability_fn(score, state)
        return alignments, alignments


class LuongMonotonicAttention(_BaseMonotonicAttentionMechanism):
    """Luong scores (plus a learned `attention_score_bias`) turned into monotonic attention.

    Example:
        >>> mech = tf.contrib.seq2seq.LuongMonotonicAttention(32, memory, mode="hard")
    """

    def __init__(self, num_units, memory, memory_sequence_length=None, scale=False,
                 score_mask_value=None, sigmoid_noise=0., sigmoid_noise_seed=None,
                 score_bias_init=0., mode="parallel", dtype=None,
                 name="LuongMonotonicAttention"):
        if dtype is None:
            dtype = tf.float32

        def wrapped_probability_fn(score, previous):
            return _monotonic_probability_fn(score, previous, sigmoid_noise, mode,
                                             sigmoid_noise_seed)

        super().__init__(
            query_layer=None,
            memory_layer=Dense(num_units, name="memory_layer", use_bias=False, dtype=dtype),
            memory=memory, probability_fn=wrapped_probability_fn,
            memory_sequence_length=memory_sequence_length, score_mask_value=score_mask_value,
            name=name)
        self._num_units = num_units
        self._scale = scale
        self._score_bias_init = score_bias_init
        self._name = name

    def __call__(self, query, state):
        with tf.variable_scope(None, "luong_monotonic_attention", [query]):
            score = _luong_score(query, self._keys, self._scale)
            score_bias = tf.get_variable("attention_score_bias", dtype=query.dtype,
                                         initializer=self._score_bias_init)
            score += score_bias
        alignments = self._probability_fn(score, state)
        return alignments, alignments


def hardmax(logits, name=None):
    """One-hot of the argmax along the last axis, in `logits`' dtype.

    Example:
        >>> tf.contrib.seq2seq.hardmax([[1., 3., 2.]])  # [[0., 1., 0.]]
    """
    with tf.name_scope(name, "Hardmax", [logits]):
        logits = tf.convert_to_tensor(logits, name="logits")
        depth = _dim(logits, -1)
        return tf.one_hot(tf.argmax(logits, -1), depth, dtype=logits.dtype)


def _compute_attention(attention_mechanism, cell_output, attention_state, attention_layer):
    """(attention, alignments, next_attention_state) for one mechanism."""
    alignments, next_attention_state = attention_mechanism(cell_output, state=attention_state)
    expanded_alignments = tf.expand_dims(alignments, 1)
    context = tf.matmul(expanded_alignments, attention_mechanism.values)
    context = tf.squeeze(context, [1])
    if attention_layer is not None:
        attention = attention_layer(tf.concat([cell_output, context], 1))
    else:
        attention = context
    return attention, alignments, next_attention_state


class AttentionWrapperState(collections.namedtuple(
        "AttentionWrapperState", ("cell_state", "attention", "time", "alignments",
                                  "alignment_history", "attention_state"))):
    """The state of an `AttentionWrapper`: the wrapped cell's state, the last attention
    vector, the step count, the alignments (and their history, a TensorArray, when asked),
    and each mechanism's own state."""

    def clone(self, **kwargs):
        """A copy with some fields replaced (keeping the replaced tensors' static shapes).

        Example:
            >>> state = cell.zero_state(b, tf.float32).clone(cell_state=encoder_state)
        """
        def with_same_shape(old, new):
            if isinstance(old, tf.Tensor) and isinstance(new, tf.Tensor):
                new.set_shape(old.shape)
            return new

        return tf.nest.map_structure(with_same_shape, self, self._replace(**kwargs))


def _check_cell(cell):
    if not (hasattr(cell, "output_size") and hasattr(cell, "state_size") and callable(cell)):
        raise TypeError("The argument 'cell' (%s) is not an RNNCell: 'output_size' property is "
                        "missing, 'state_size' property is missing, either 'zero_state' or "
                        "'get_initial_state' method is required, is not callable." % cell)


class AttentionWrapper(RNNCell):
    """Wraps `cell`: its input is `cell_input_fn(inputs, previous attention)` (concatenated
    by default), then each mechanism attends with the cell's output as query; the output is
    the attention (or the cell's output when `output_attention=False`).

    Example:
        >>> mech = tf.contrib.seq2seq.BahdanauAttention(32, memory)
        >>> cell = tf.contrib.seq2seq.AttentionWrapper(tf.nn.rnn_cell.LSTMCell(32), mech,
        ...                                            attention_layer_size=32)
        >>> state = cell.zero_state(batch, tf.float32).clone(cell_state=encoder_state)
    """

    def __init__(self, cell, attention_mechanism, attention_layer_size=None,
                 alignment_history=False, cell_input_fn=None, output_attention=True,
                 initial_cell_state=None, name=None, attention_layer=None, attention_fn=None):
        super().__init__(name=name)
        _check_cell(cell)
        if isinstance(attention_mechanism, (list, tuple)):
            self._is_multi = True
            attention_mechanisms = tuple(attention_mechanism)
            for mech in attention_mechanisms:
                if not isinstance(mech, AttentionMechanism):
                    raise TypeError("attention_mechanism must contain only instances of "
                                    "AttentionMechanism, saw type: %s" % type(mech).__name__)
        else:
            self._is_multi = False
            if not isinstance(attention_mechanism, AttentionMechanism):
                raise TypeError("attention_mechanism must be an AttentionMechanism or list of "
                                "multiple AttentionMechanism instances, saw type: %s"
                                % type(attention_mechanism).__name__)
            attention_mechanisms = (attention_mechanism,)
        if cell_input_fn is None:
            def cell_input_fn(inputs, attention):
                return tf.concat([inputs, attention], -1)
        elif not callable(cell_input_fn):
            raise TypeError("cell_input_fn must be callable, saw type: %s"
                            % type(cell_input_fn).__name__)
        if attention_layer_size is not None and attention_layer is not None:
            raise ValueError("Only one of attention_layer_size and attention_layer should be "
                             "set")
        if attention_layer_size is not None:
            sizes = tuple(attention_layer_size if isinstance(attention_layer_size, (list, tuple))
                          else (attention_layer_size,))
            if len(sizes) != len(attention_mechanisms):
                raise ValueError("If provided, attention_layer_size must contain exactly one "
                                 "integer per attention_mechanism, saw: %d vs %d"
                                 % (len(sizes), len(attention_mechanisms)))
            self._attention_layers = tuple(
                Dense(size, name="attention_layer", use_bias=False,
                      dtype=attention_mechanisms[i].dtype) for i, size in enumerate(sizes))
            self._attention_layer_size = sum(sizes)
        elif attention_layer is not None:
            self._attention_layers = tuple(attention_layer if isinstance(
                attention_layer, (list, tuple)) else (attention_layer,))
            if len(self._attention_layers) != len(attention_mechanisms):
                raise ValueError("If provided, attention_layer must contain exactly one layer "
                                 "per attention_mechanism, saw: %d vs %d"
                                 % (len(self._attention_layers), len(attention_mechanisms)))
            self._attention_layer_size = sum(
                tensor_shape.dimension_value(layer.compute_output_shape(
                    [None, cell.output_size + tensor_shape.dimension_value(
                        mech.values.shape[-1])])[-1])
                for layer, mech in zip(self._attention_layers, attention_mechanisms))
        else:
            self._attention_layers = None
            self._attention_layer_size = sum(
                tensor_shape.dimension_value(mech.values.shape[-1])
                for mech in attention_mechanisms)
        self._attention_fn = attention_fn or _compute_attention
        self._cell = cell
        self._attention_mechanisms = attention_mechanisms
        self._cell_input_fn = cell_input_fn
        self._output_attention = output_attention
        self._alignment_history = alignment_history
        with tf.name_scope(name, "AttentionWrapperInit"):
            if initial_cell_state is None:
                self._initial_cell_state = None
            else:
                final = tf.nest.flatten(initial_cell_state)[-1]
                message = ("When constructing AttentionWrapper %s: " % self.name +
                           "Non-matching batch sizes between the memory (encoder output) and "
                           "initial_cell_state.  Are you using the BeamSearchDecoder?  You may "
                           "need to tile your initial state via the tf.contrib.seq2seq."
                           "tile_batch function with argument multiple=beam_width.")
                with tf.control_dependencies(self._batch_size_checks(_dim(final, 0), message)):
                    self._initial_cell_state = tf.nest.map_structure(
                        lambda s: tf.identity(s, name="check_initial_cell_state"),
                        initial_cell_state)

    def _batch_size_checks(self, batch_size, error_message):
        return [tf.assert_equal(batch_size, mech.batch_size, message=error_message)
                for mech in self._attention_mechanisms]

    def _item_or_tuple(self, seq):
        t = tuple(seq)
        return t if self._is_multi else t[0]

    @property
    def output_size(self):
        return self._attention_layer_size if self._output_attention else self._cell.output_size

    @property
    def state_size(self):
        mechs = self._attention_mechanisms
        return AttentionWrapperState(
            cell_state=self._cell.state_size, time=tensor_shape.TensorShape([]),
            attention=self._attention_layer_size,
            alignments=self._item_or_tuple(m.alignments_size for m in mechs),
            attention_state=self._item_or_tuple(m.state_size for m in mechs),
            alignment_history=self._item_or_tuple(
                m.alignments_size if self._alignment_history else () for m in mechs))

    def zero_state(self, batch_size, dtype):
        """The initial `AttentionWrapperState` (the wrapped cell's zero state, or
        `initial_cell_state`; zero attention and alignments; empty alignment history)."""
        with tf.name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            if self._initial_cell_state is not None:
                cell_state = self._initial_cell_state
            else:
                cell_state = self._cell.zero_state(batch_size, dtype)
            message = ("When calling zero_state of AttentionWrapper %s: " % self.name +
                       "Non-matching batch sizes between the memory (encoder output) and the "
                       "requested batch size.  Are you using the BeamSearchDecoder?  If so, make "
                       "sure your encoder output has been tiled to beam_width via "
                       "tf.contrib.seq2seq.tile_batch, and the batch_size= argument passed to "
                       "zero_state is batch_size * beam_width.")
            with tf.control_dependencies(self._batch_size_checks(batch_size, message)):
                cell_state = tf.nest.map_structure(
                    lambda s: tf.identity(s, name="checked_cell_state"), cell_state)
            initial_alignments = [m.initial_alignments(batch_size, dtype)
                                  for m in self._attention_mechanisms]
            return AttentionWrapperState(
                cell_state=cell_state, time=tf.zeros([], dtype=tf.int32),
                attention=_zero_state_tensors(self._attention_layer_size, batch_size, dtype),
                alignments=self._item_or_tuple(initial_alignments),
                attention_state=self._item_or_tuple(
                    m.initial_state(batch_size, dtype) for m in self._attention_mechanisms),
                alignment_history=self._item_or_tuple(
                    tf.TensorArray(dtype, size=0, dynamic_size=True,
                                   element_shape=alignment.shape)
                    if self._alignment_history else () for alignment in initial_alignments))

    def call(self, inputs, state):
        """One step: run the cell, attend, return (attention or cell output, next state)."""
        if not isinstance(state, AttentionWrapperState):
            raise TypeError("Expected state to be instance of AttentionWrapperState. Received "
                            "type %s instead." % type(state))
        cell_inputs = self._cell_input_fn(inputs, state.attention)
        cell_output, next_cell_state = self._cell(cell_inputs, state.cell_state)
        message = ("When applying AttentionWrapper %s: " % self.name +
                   "Non-matching batch sizes between the memory (encoder output) and the query "
                   "(decoder output).  Are you using the BeamSearchDecoder?  You may need to "
                   "tile your memory input via the tf.contrib.seq2seq.tile_batch function with "
                   "argument multiple=beam_width.")
        with tf.control_dependencies(self._batch_size_checks(_dim(cell_output, 0), message)):
            cell_output = tf.identity(cell_output, name="checked_cell_output")
        if self._is_multi:
            previous_attention_state = state.attention_state
            previous_alignment_history = state.alignment_history
        else:
            previous_attention_state = [state.attention_state]
            previous_alignment_history = [state.alignment_history]
        all_alignments, all_attentions, all_states, all_histories = [], [], [], []
        for i, mech in enumerate(self._attention_mechanisms):
            attention, alignments, next_attention_state = self._attention_fn(
                mech, cell_output, previous_attention_state[i],
                self._attention_layers[i] if self._attention_layers else None)
            history = (previous_alignment_history[i].write(state.time, alignments)
                       if self._alignment_history else ())
            all_states.append(next_attention_state)
            all_alignments.append(alignments)
            all_attentions.append(attention)
            all_histories.append(history)
        attention = tf.concat(all_attentions, 1)
        next_state = AttentionWrapperState(
            time=state.time + 1, cell_state=next_cell_state, attention=attention,
            attention_state=self._item_or_tuple(all_states),
            alignments=self._item_or_tuple(all_alignments),
            alignment_history=self._item_or_tuple(all_histories))
        if self._output_attention:
            return attention, next_state
        return cell_output, next_state


__all__ = ["AttentionMechanism", "AttentionWrapper", "AttentionWrapperState",
           "BahdanauAttention", "BahdanauMonotonicAttention", "LuongAttention",
           "LuongMonotonicAttention", "hardmax", "monotonic_attention", "safe_cumprod"]
