"""`CuDNNLSTM` and `CuDNNGRU` (TF 1.x `tf.keras.layers`, tf_keras' `tf.compat.v1.keras.layers`).

The cuDNN layers keep cuDNN's weight layout -- two biases per gate, one added to the input
transform and one to the recurrent one -- so that `.h5` files and checkpoints written by them
load unchanged: weights `cu_dnnlstm/kernel` `[input_dim, 4 * units]`, `recurrent_kernel`
`[units, 4 * units]` and `bias` `[8 * units]` (input biases, then recurrent ones), gates
`i, f, c, o`; the GRU has `3 * units` columns (gates `z, r, h`) and a `[6 * units]` bias.

There is no cuDNN here: the same maths runs with the standard ops in `recurrent.RNN`'s loop.
The LSTM is a plain LSTM (tanh, sigmoid) whose bias is the sum of its two halves; the GRU is
tf_keras' `GRU(reset_after=True)` (the reset gate applied after the recurrent matmul and its
bias) with the biases stacked `[2, 3 * units]`. Masks, dropout and `stateful` are not part of
these layers (as with cuDNN).
"""

from tensorflux.graph import graph as graph_lib
from tensorflux.keras import activations, constraints, initializers, regularizers
from tensorflux.keras.engine.base_layer import Layer
from tensorflux.keras.layers.recurrent import RNN, rnn_loop
from tensorflux.keras.layers.recurrent_cells import GRUCell, LSTMCell
from tensorflux.ops import array_ops, fill_ops


class _CuDNNRNN(RNN):
    """Shared constructor, weights and config of the two cuDNN layers."""

    _gates = 4
    _bias_init_parts = None

    def __init__(self, units, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, time_major=False, **kwargs):
        if stateful:
            raise NotImplementedError("Stateful RNN layers are not supported by tensorflux; "
                                      "pass `initial_state` and carry the returned states.")
        if time_major:
            raise NotImplementedError("time_major=True RNN layers are not supported by "
                                      "tensorflux: transpose the inputs to [batch, time, ...].")
        Layer.__init__(self, **kwargs)
        self.units = int(units)
        self.cell = self._math_cell()
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = False
        self.time_major = time_major
        self.zero_output_for_mask = False
        self.supports_masking = False
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    # The weights are the layer's own (`Layer`'s lists), not a cell's.
    trainable_weights = Layer.trainable_weights
    non_trainable_weights = Layer.non_trainable_weights
    losses = Layer.losses

    def build(self, input_shape):
        if isinstance(input_shape, list):
            input_shape = input_shape[0]
        shape = input_shape.as_list() if hasattr(input_shape, "as_list") else list(input_shape)
        if len(shape) != 3:
            raise ValueError("Input 0 of layer %s is incompatible with the layer: expected "
                             "ndim=3, found ndim=%d. Full shape received: %s"
                             % (self.name, len(shape), tuple(shape)))
        width = self._gates * self.units
        self.kernel = self.add_weight("kernel", shape=(int(shape[-1]), width),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight("recurrent_kernel", shape=(self.units, width),
                                                initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint)
        self.bias = self.add_weight("bias", shape=(2 * width,),
                                    initializer=self._bias_initializer(),
                                    regularizer=self.bias_regularizer,
                                    constraint=self.bias_constraint)
        self.built = True

    def _bias_initializer(self):
        return self.bias_initializer

    def call(self, inputs, mask=None, training=None, initial_state=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if mask is not None:
            raise ValueError("Masking is not supported for CuDNN RNNs.")
        if isinstance(inputs, (list, tuple)):
            inputs, initial_state = inputs[0], list(inputs[1:]) or initial_state
        states = self._initial_states(inputs, initial_state)
        self._bind_cell()
        masks = (None, None)

        def step(x, step_states):
            return self.cell.step(x, step_states, masks)

        last, outputs, states = rnn_loop(step, inputs, states, self.units,
                                          go_backwards=self.go_backwards)
        output = outputs if self.return_sequences else last
        if self.return_state:
            return [output] + list(states)
        return output

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        config = Layer.get_config(self)
        config.update(return_sequences=self.return_sequences, return_state=self.return_state,
                      go_backwards=self.go_backwards, stateful=self.stateful,
                      time_major=self.time_major, units=self.units,
                      kernel_initializer=initializers.serialize(self.kernel_initializer),
                      recurrent_initializer=initializers.serialize(self.recurrent_initializer),
                      bias_initializer=initializers.serialize(self.bias_initializer))
        config.update(self._extra_config())
        for prefix in ("kernel", "recurrent", "bias"):
            config[prefix + "_regularizer"] = regularizers.serialize(
                getattr(self, prefix + "_regularizer"))
        config["activity_regularizer"] = regularizers.serialize(self._activity_regularizer)
        for prefix in ("kernel", "recurrent", "bias"):
            value = getattr(self, prefix + "_constraint")
            config[prefix + "_constraint"] = (constraints.serialize(value)
                                              if value is not None else None)
        return config

    def _extra_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class CuDNNLSTM(_CuDNNRNN):
    """LSTM with cuDNN's weight layout (`bias` `[8 * units]`: input biases then recurrent
    biases); runs the standard LSTM maths.

    Example:
        >>> seq = tf.keras.layers.CuDNNLSTM(64, return_sequences=True)(x)
    """

    _gates = 4

    def __init__(self, units, unit_forget_bias=True, **kwargs):
        self.unit_forget_bias = unit_forget_bias
        super().__init__(units, **kwargs)

    def _math_cell(self):
        return LSTMCell(self.units, name="cu_dnnlstm_cell")

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer

        def init(shape, dtype=None, partition_info=None):
            # cuDNN's layout: the forget gate's recurrent bias starts at one (tf_keras).
            base, units = self.bias_initializer, self.units
            return array_ops.concat([base((5 * units,), dtype=dtype),
                                     fill_ops.ones((units,), dtype=dtype),
                                     base((2 * units,), dtype=dtype)], axis=0)
        return init

    def _bind_cell(self):
        """Points the math cell at this layer's weights (bias halves summed)."""
        cell = self.cell
        cell.kernel, cell.recurrent_kernel = self.kernel, self.recurrent_kernel
        with graph_lib.name_scope("bias"):
            input_bias, recurrent_bias = array_ops.split(self.bias, 2)
            cell.bias = input_bias + recurrent_bias
        cell.built = True

    def _extra_config(self):
        return {"unit_forget_bias": self.unit_forget_bias}


class CuDNNGRU(_CuDNNRNN):
    """GRU with cuDNN's weight layout (`bias` `[6 * units]`) and maths: tf_keras'
    `GRU(reset_after=True, recurrent_activation="sigmoid")`.

    Example:
        >>> last = tf.keras.layers.CuDNNGRU(32)(x)
    """

    _gates = 3

    def _math_cell(self):
        return GRUCell(self.units, recurrent_activation=activations.get("sigmoid"),
                       reset_after=True, name="cu_dnngru_cell")

    def _bind_cell(self):
        cell = self.cell
        cell.kernel, cell.recurrent_kernel = self.kernel, self.recurrent_kernel
        cell.bias = array_ops.reshape(self.bias, [2, 3 * self.units])
        cell.built = True


__all__ = ["CuDNNGRU", "CuDNNLSTM"]
