"""`BasicDecoder`: one RNN cell step, an optional output layer, then the helper's sampling
(TF 1.15 basic_decoder.py)."""

import collections

import tensorflux as tf
from tensorflux.contrib.seq2seq import decoder
from tensorflux.contrib.seq2seq import helper as helper_py
from tensorflux.graph import tensor_shape
from tensorflux.layers import base as layers_base


class BasicDecoderOutput(collections.namedtuple("BasicDecoderOutput",
                                                ("rnn_output", "sample_id"))):
    """One decoding step's outputs: the (projected) cell output and the sampled id."""


def _rnn_output_size(cell, output_layer):
    size = cell.output_size
    if output_layer is None:
        return size
    with_batch = tf.nest.map_structure(
        lambda s: tensor_shape.TensorShape([None]).concatenate(s), size)
    layer_shape = output_layer.compute_output_shape(with_batch)
    return tf.nest.map_structure(lambda s: s[1:], layer_shape)


def _check_cell(cell):
    if not (hasattr(cell, "output_size") and hasattr(cell, "state_size") and callable(cell)):
        raise TypeError("The argument 'cell' (%s) is not an RNNCell: 'output_size' property is "
                        "missing, 'state_size' property is missing, either 'zero_state' or "
                        "'get_initial_state' method is required, is not callable." % cell)


class BasicDecoder(decoder.Decoder):
    """Decodes with `cell`, feeding it what `helper` chooses.

    Example:
        >>> helper = tf.contrib.seq2seq.TrainingHelper(dec_inputs, dec_lengths)
        >>> dec = tf.contrib.seq2seq.BasicDecoder(cell, helper, cell.zero_state(b, tf.float32),
        ...                                       output_layer=tf.layers.Dense(vocab))
        >>> outputs, _, _ = tf.contrib.seq2seq.dynamic_decode(dec)
    """

    def __init__(self, cell, helper, initial_state, output_layer=None):
        _check_cell(cell)
        if not isinstance(helper, helper_py.Helper):
            raise TypeError("helper must be a Helper, received: %s" % type(helper))
        if output_layer is not None and not isinstance(output_layer, layers_base.Layer):
            raise TypeError("output_layer must be a Layer, received: %s" % type(output_layer))
        self._cell = cell
        self._helper = helper
        self._initial_state = initial_state
        self._output_layer = output_layer

    @property
    def batch_size(self):
        return self._helper.batch_size

    @property
    def output_size(self):
        return BasicDecoderOutput(rnn_output=_rnn_output_size(self._cell, self._output_layer),
                                  sample_id=self._helper.sample_ids_shape)

    @property
    def output_dtype(self):
        dtype = tf.nest.flatten(self._initial_state)[0].dtype
        return BasicDecoderOutput(
            tf.nest.map_structure(lambda _: dtype,
                                  _rnn_output_size(self._cell, self._output_layer)),
            self._helper.sample_ids_dtype)

    def initialize(self, name=None):
        """Returns (finished, first_inputs, initial_state)."""
        return self._helper.initialize() + (self._initial_state,)

    def step(self, time, inputs, state, name=None):
        """Returns (BasicDecoderOutput, next_state, next_inputs, finished)."""
        with tf.name_scope(name, "BasicDecoderStep", (time, inputs, state)):
            cell_outputs, cell_state = self._cell(inputs, state)
            if self._output_layer is not None:
                cell_outputs = self._output_layer(cell_outputs)
            sample_ids = self._helper.sample(time=time, outputs=cell_outputs, state=cell_state)
            finished, next_inputs, next_state = self._helper.next_inputs(
                time=time, outputs=cell_outputs, state=cell_state, sample_ids=sample_ids)
        outputs = BasicDecoderOutput(cell_outputs, sample_ids)
        return outputs, next_state, next_inputs, finished


__all__ = ["BasicDecoder", "BasicDecoderOutput"]
