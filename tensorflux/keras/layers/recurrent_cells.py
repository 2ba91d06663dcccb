"""Keras RNN cells: `SimpleRNNCell`, `LSTMCell`, `GRUCell` and `StackedRNNCells` (tf_keras 2).

A cell computes one time step: `call(inputs, states) -> (output, new_states)`, `states` a list
of `[batch, n]` tensors sized by `state_size`. Weights follow tf_keras' layout so checkpoints and
HDF5 files carry over: `kernel` `[input_dim, k * units]`, `recurrent_kernel` `[units, k * units]`
and `bias`, gates side by side in tf_keras' order (LSTM `i, f, c, o`; GRU `z, r, h`).

Dropout masks are made once per sequence (tf_keras' "implementation 2": one mask shared by the
gates) by `dropout_masks`, and passed to `step`, so every time step drops the same units.
"""

from tensorflux.keras import activations, backend, initializers
from tensorflux.keras.engine.base_layer import Layer
from tensorflux.keras.layers.core import weight_args, weight_config
from tensorflux.ops import array_ops, fill_ops, linalg_ops, math_ops, nn_ops


def _dropout_mask(like, rate, training):
    """A `like`-shaped multiplier: dropout of ones in training, ones in inference."""
    ones = fill_ops.ones_like(like)
    if training is None:
        training = backend.learning_phase()
    if training is False or training == 0:
        return ones
    dropped = nn_ops.dropout_v2(ones, rate)
    if training is True or training == 1:
        return dropped
    on = math_ops.cast(training, like.dtype)  # no control flow: a blend by the 0/1 phase
    return on * dropped + (1.0 - on) * ones


class _Cell(Layer):
    """Shared constructor, config and dropout handling of the three gated cells."""

    _gates = 1
    _config_extra = ()

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, **kwargs):
        super().__init__(**kwargs)
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        args = weight_args(kernel_initializer=kernel_initializer,
                           recurrent_initializer=recurrent_initializer,
                           bias_initializer=bias_initializer,
                           kernel_regularizer=kernel_regularizer,
                           recurrent_regularizer=recurrent_regularizer,
                           bias_regularizer=bias_regularizer,
                           kernel_constraint=kernel_constraint,
                           recurrent_constraint=recurrent_constraint,
                           bias_constraint=bias_constraint)
        for key, value in args.items():
            setattr(self, key, value)
        self.dropout = min(1.0, max(0.0, float(dropout)))
        self.recurrent_dropout = min(1.0, max(0.0, float(recurrent_dropout)))

    _records_build_shape = True

    @property
    def state_size(self):
        return [self.units]

    @property
    def output_size(self):
        return self.units

    def get_config(self):
        config = super().get_config()
        config.update(units=self.units, activation=activations.serialize(self.activation))
        if hasattr(self, "recurrent_activation"):
            config["recurrent_activation"] = activations.serialize(self.recurrent_activation)
        config.update(use_bias=self.use_bias, **weight_config(self, "kernel", "recurrent",
                                                                "bias"),
                      dropout=self.dropout, recurrent_dropout=self.recurrent_dropout)
        for key in self._config_extra:
            config[key] = getattr(self, key)
        return config

    def _add_kernels(self, input_dim, bias_shape, bias_initializer=None):
        width = self._gates * self.units
        self.kernel = self.add_weight("kernel", shape=(input_dim, width),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight("recurrent_kernel", shape=(self.units, width),
                                                initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight("bias", shape=bias_shape,
                                        initializer=bias_initializer or self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def dropout_masks(self, inputs, states, training=None):
        """`(input mask, recurrent mask)` for one sequence (None where no dropout)."""
        dp = _dropout_mask(inputs, self.dropout, training) if self.dropout > 0 else None
        rec = (_dropout_mask(states[0], self.recurrent_dropout, training)
               if self.recurrent_dropout > 0 else None)
        return dp, rec

    def call(self, inputs, states, training=None):
        """One step on its own (the RNN layer calls `step` with masks made once)."""
        states = list(states) if isinstance(states, (list, tuple)) else [states]
        return self.step(inputs, states, self.dropout_masks(inputs, states, training))

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        """Zeros `[batch, n]` for each state (the batch size read from `inputs`)."""
        if batch_size is None:
            batch_size = array_ops.shape(inputs)[0]
        dtype = dtype or (inputs.dtype if inputs is not None else backend.floatx())
        return [fill_ops.zeros(array_ops.stack([batch_size, n]), dtype=dtype)
                for n in self.state_size]


def _masked(x, mask):
    return x if mask is None else x * mask


def _split(x, n):
    return array_ops.split(x, n, axis=-1)


class SimpleRNNCell(_Cell):
    """`h = activation(x @ kernel + h_prev @ recurrent_kernel + bias)`.

    Example:
        >>> rnn = tf.keras.layers.RNN(tf.keras.layers.SimpleRNNCell(8))
    """

    def build(self, input_shape):
        self._add_kernels(int(input_shape[-1]), (self.units,))

    def step(self, inputs, states, masks):
        """`(h, [h])` from `inputs` `[batch, input_dim]` and `states == [h_prev]`."""
        z = linalg_ops.matmul(_masked(inputs, masks[0]), self.kernel)
        if self.bias is not None:
            z = z + self.bias
        z = z + linalg_ops.matmul(_masked(states[0], masks[1]), self.recurrent_kernel)
        h = self.activation(z) if self.activation is not None else z
        return h, [h]


class LSTMCell(_Cell):
    """Long short-term memory: states `[h, c]`, gates `i, f, c, o` side by side.

    `unit_forget_bias` starts the forget gate's bias at 1 (tf_keras' default).

    Example:
        >>> lstm = tf.keras.layers.RNN(tf.keras.layers.LSTMCell(8), return_sequences=True)
    """

    _gates = 4
    _config_extra = ("unit_forget_bias", "implementation")

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 unit_forget_bias=True, implementation=2, **kwargs):
        super().__init__(units, activation=activation, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = unit_forget_bias
        self.implementation = implementation

    @property
    def state_size(self):
        return [self.units, self.units]

    def build(self, input_shape):
        init = self.bias_initializer
        if self.unit_forget_bias:
            def init(shape, dtype=None, partition_info=None):
                base = self.bias_initializer
                parts = [base((self.units,), dtype=dtype),
                         initializers.Ones()((self.units,), dtype=dtype),
                         base((2 * self.units,), dtype=dtype)]
                return array_ops.concat(parts, axis=0)
        self._add_kernels(int(input_shape[-1]), (4 * self.units,), bias_initializer=init)

    def step(self, inputs, states, masks):
        h_prev, c_prev = states[0], states[1]
        z = linalg_ops.matmul(_masked(inputs, masks[0]), self.kernel)
        z = z + linalg_ops.matmul(_masked(h_prev, masks[1]), self.recurrent_kernel)
        if self.bias is not None:
            z = z + self.bias
        z_i, z_f, z_c, z_o = _split(z, 4)
        i = self.recurrent_activation(z_i)
        f = self.recurrent_activation(z_f)
        c = f * c_prev + i * self.activation(z_c)
        o = self.recurrent_activation(z_o)
        h = o * self.activation(c)
        return h, [h, c]


class GRUCell(_Cell):
    """Gated recurrent unit, gates `z, r, h`; `reset_after=True` (tf_keras 2's default, the
    cuDNN layout) applies the reset gate after the recurrent matmul and keeps two biases,
    `bias[0]` for the inputs and `bias[1]` for the recurrent part.

    Example:
        >>> gru = tf.keras.layers.RNN(tf.keras.layers.GRUCell(8))
    """

    _gates = 3
    _config_extra = ("implementation", "reset_after")

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 implementation=2, reset_after=True, **kwargs):
        super().__init__(units, activation=activation, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.implementation = implementation
        self.reset_after = reset_after

    def build(self, input_shape):
        bias_shape = (2, 3 * self.units) if self.reset_after else (3 * self.units,)
        self._add_kernels(int(input_shape[-1]), bias_shape)

    def _biases(self):
        if self.bias is None:
            return None, None
        if self.reset_after:
            return array_ops.unstack(self.bias, num=2, axis=0)
        return self.bias, None

    def step(self, inputs, states, masks):
        h_prev = states[0]
        input_bias, recurrent_bias = self._biases()
        x = linalg_ops.matmul(_masked(inputs, masks[0]), self.kernel)
        if input_bias is not None:
            x = x + input_bias
        x_z, x_r, x_h = _split(x, 3)
        h_in = _masked(h_prev, masks[1])
        if self.reset_after:
            inner = linalg_ops.matmul(h_in, self.recurrent_kernel)
            if recurrent_bias is not None:
                inner = inner + recurrent_bias
            r_z, r_r, r_h = _split(inner, 3)
            z = self.recurrent_activation(x_z + r_z)
            r = self.recurrent_activation(x_r + r_r)
            r_h = r * r_h
        else:
            k_zr, k_h = array_ops.split(self.recurrent_kernel, [2 * self.units, self.units],
                                        axis=1)
            r_z, r_r = _split(linalg_ops.matmul(h_in, k_zr), 2)
            z = self.recurrent_activation(x_z + r_z)
            r = self.recurrent_activation(x_r + r_r)
            r_h = linalg_ops.matmul(r * h_in, k_h)
        hh = self.activation(x_h + r_h)
        h = z * h_prev + (1.0 - z) * hh
        return h, [h]


class StackedRNNCells(Layer):
    """Cells run one above the other at each step; the state is the cells' states in turn.

    Example:
        >>> cells = [tf.keras.layers.LSTMCell(8), tf.keras.layers.LSTMCell(8)]
        >>> y = tf.keras.layers.RNN(tf.keras.layers.StackedRNNCells(cells))(x)
    """

    def __init__(self, cells, **kwargs):
        for cell in cells:
            if not hasattr(cell, "state_size"):
                raise ValueError("All cells must have a `state_size` attribute. Received "
                                 "cells: %s" % (cells,))
        super().__init__(**kwargs)
        self.cells = list(cells)

    _records_build_shape = True

    @property
    def state_size(self):
        return [n for cell in self.cells for n in cell.state_size]

    @property
    def output_size(self):
        return self.cells[-1].output_size

    @property
    def trainable_weights(self):
        if not self.trainable:
            return []
        return [w for cell in self.cells for w in cell.trainable_weights]

    @property
    def non_trainable_weights(self):
        own = [w for cell in self.cells for w in cell.non_trainable_weights]
        return own if self.trainable else [w for c in self.cells for w in c.weights]

    @property
    def losses(self):
        return [x for cell in self.cells for x in cell.losses]

    def build(self, input_shape):
        """Builds each cell in the name scope of its own name, on the previous one's size."""
        from tensorflux.graph import graph as graph_lib

        dim = int(input_shape[-1])
        for cell in self.cells:
            with graph_lib.name_scope(cell.name):
                build_cell(cell, [None, dim])
            dim = cell.output_size
        self.built = True

    def _split_states(self, states):
        out, start = [], 0
        for cell in self.cells:
            out.append(list(states[start:start + len(cell.state_size)]))
            start += len(cell.state_size)
        return out

    def dropout_masks(self, inputs, states, training=None):
        """One `(input, recurrent)` mask pair per cell (each cell's own input width)."""
        masks, x = [], inputs
        for cell, cell_states in zip(self.cells, self._split_states(states)):
            masks.append(cell.dropout_masks(x, cell_states, training))
            x = cell_states[0]  # same batch, width of this cell's output
        return masks

    def step(self, inputs, states, masks):
        new_states = []
        for cell, cell_states, cell_masks in zip(self.cells, self._split_states(states), masks):
            inputs, cell_new = cell.step(inputs, cell_states, cell_masks)
            new_states.extend(cell_new)
        return inputs, new_states

    def call(self, inputs, states, training=None):
        states = list(states)
        return self.step(inputs, states, self.dropout_masks(inputs, states, training))

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        return [s for cell in self.cells for s in cell.get_initial_state(inputs, batch_size,
                                                                         dtype)]

    def get_config(self):
        from tensorflux.keras.saving import model_config

        config = super().get_config()
        config["cells"] = [model_config.serialize_layer(cell) for cell in self.cells]
        return config

    @classmethod
    def from_config(cls, config):
        from tensorflux.keras.saving import model_config

        config = dict(config)
        cells = [model_config.deserialize_layer(entry) for entry in config.pop("cells")]
        return cls(cells, **config)


def build_cell(cell, input_shape):
    """Builds `cell` on `[batch, input_dim]` once, recording its build shape for configs."""
    if not cell.built:
        cell._build_input_shape = (None, int(input_shape[-1]))
        cell._dtype = cell._dtype or backend.floatx()
        cell.build(cell._build_input_shape)
        cell.built = True

