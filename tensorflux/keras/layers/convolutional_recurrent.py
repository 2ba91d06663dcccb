"""Keras convolutional LSTMs: `ConvLSTM1D`, `ConvLSTM2D`, `ConvLSTM3D` (tf_keras 2 semantics).

An LSTM whose input and recurrent transforms are convolutions: inputs are `[batch, time,
spatial..., channels]` (or `[batch, time, channels, spatial...]` with `channels_first`), each
state `h, c` is an image `[batch, spatial'..., filters]`. The input convolution uses the layer's
`strides`, `padding` and `dilation_rate`; the recurrent one keeps the state's size (stride 1,
"same"). Weights sit on the layer itself, as tf_keras names them: `conv_lstm2d/kernel`
(`kernel_size + (channels, 4 * filters)`), `recurrent_kernel` (`kernel_size + (filters,
4 * filters)`) and `bias` (`4 * filters`), gates `i, f, c, o` side by side on the last axis.

The time loop is `recurrent.RNN`'s (one While op). As in tf_keras, dropout draws four masks
per sequence, one per gate, for the inputs and for the recurrent state. Masks from a `Masking`
layer and `stateful=True` are not supported.
"""

from tensorflux.keras import activations, backend, initializers
from tensorflux.keras.layers.core import activity_config, weight_config
from tensorflux.keras.layers.recurrent import RNN, _CellLayer
from tensorflux.keras.layers.recurrent_cells import _Cell, _dropout_mask
from tensorflux.layers import utils as conv_utils
from tensorflux.ops import array_ops, conv_ops, fill_ops


def _to_last(x, rank):
    """`[batch, channels, spatial...]` -> `[batch, spatial..., channels]`."""
    return array_ops.transpose(x, [0] + list(range(2, rank + 2)) + [1])


def _to_first(x, rank):
    return array_ops.transpose(x, [0, rank + 1] + list(range(1, rank + 1)))


class ConvLSTMCell(_Cell):
    """One step of a convolutional LSTM of spatial rank `rank` (1, 2 or 3); internal to the
    `ConvLSTM*D` layers (tf_keras' `ConvLSTMCell`)."""

    _gates = 4

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="hard_sigmoid",
                 unit_forget_bias=True, **kwargs):
        super().__init__(filters, activation=activation, **kwargs)
        self.rank = rank
        self.filters = int(filters)
        self.kernel_size = conv_utils.normalize_tuple(kernel_size, rank, "kernel_size")
        self.strides = conv_utils.normalize_tuple(strides, rank, "strides")
        self.padding = conv_utils.normalize_padding(padding)
        self.data_format = conv_utils.normalize_data_format(
            data_format or backend.image_data_format())
        self.dilation_rate = conv_utils.normalize_tuple(dilation_rate, rank, "dilation_rate")
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = unit_forget_bias

    @property
    def state_size(self):
        return [self.filters, self.filters]

    def _channel_axis(self):
        return 1 if self.data_format == "channels_first" else -1

    def build(self, input_shape):
        channels = input_shape[self._channel_axis()]
        if channels is None:
            raise ValueError("The channel dimension of the inputs (last axis) should be "
                             "defined. Found None. Full input shape received: "
                             "input_shape=%s" % (tuple(input_shape),))
        channels = int(channels)
        width = 4 * self.filters
        self.kernel = self.add_weight("kernel", shape=self.kernel_size + (channels, width),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            "recurrent_kernel", shape=self.kernel_size + (self.filters, width),
            initializer=self.recurrent_initializer, regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint)
        self.bias = None
        if self.use_bias:
            init = self.bias_initializer
            if self.unit_forget_bias:
                def init(shape, dtype=None, partition_info=None):
                    base = self.bias_initializer
                    parts = [base((self.filters,), dtype=dtype),
                             initializers.Ones()((self.filters,), dtype=dtype),
                             base((2 * self.filters,), dtype=dtype)]
                    return array_ops.concat(parts, axis=0)
            self.bias = self.add_weight("bias", shape=(width,), initializer=init,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    # --- convolutions (computed channels-last, the layout every backend kernel has) ----------
    def _conv(self, x, kernel, strides, padding, dilation_rate, bias=None):
        first = self.data_format == "channels_first"
        if first:
            x = _to_last(x, self.rank)
        y = conv_ops.convolution(x, kernel, padding=padding.upper(), strides=list(strides),
                                 dilation_rate=list(dilation_rate))
        if bias is not None:
            y = y + bias
        return _to_first(y, self.rank) if first else y

    def input_conv(self, x, kernel, bias=None):
        return self._conv(x, kernel, self.strides, self.padding, self.dilation_rate, bias)

    def recurrent_conv(self, h, kernel):
        ones = (1,) * self.rank
        return self._conv(h, kernel, ones, "same", ones)

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        """Zero states shaped like the input convolution's output (one time step's inputs)."""
        shape = self.kernel_size + (int(inputs.shape[self._channel_axis()]), self.filters)
        zero = self.input_conv(fill_ops.zeros_like(inputs),
                               fill_ops.zeros(shape, dtype=dtype or inputs.dtype))
        return [zero, zero]

    def dropout_masks(self, inputs, states, training=None):
        """Four input masks and four recurrent masks (one per gate), or None."""
        dp = ([_dropout_mask(inputs, self.dropout, training) for _ in range(4)]
              if 0 < self.dropout < 1 else None)
        rec = ([_dropout_mask(states[0], self.recurrent_dropout, training) for _ in range(4)]
               if 0 < self.recurrent_dropout < 1 else None)
        return dp, rec

    def step(self, inputs, states, masks):
        h_prev, c_prev = states[0], states[1]
        dp, rec = masks
        xs = [inputs * m for m in dp] if dp is not None else [inputs] * 4
        hs = [h_prev * m for m in rec] if rec is not None else [h_prev] * 4
        axis = self.rank + 1
        kernels = array_ops.split(self.kernel, 4, axis=axis)
        recurrent = array_ops.split(self.recurrent_kernel, 4, axis=axis)
        biases = array_ops.split(self.bias, 4) if self.bias is not None else [None] * 4
        z = [self.input_conv(x, k, b) + self.recurrent_conv(h, r)
             for x, k, b, h, r in zip(xs, kernels, biases, hs, recurrent)]
        i = self.recurrent_activation(z[0])
        f = self.recurrent_activation(z[1])
        c = f * c_prev + i * self.activation(z[2])
        o = self.recurrent_activation(z[3])
        h = o * self.activation(c)
        return h, [h, c]

    def get_config(self):
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype,
                  "filters": self.filters, "kernel_size": self.kernel_size,
                  "strides": self.strides, "padding": self.padding,
                  "data_format": self.data_format, "dilation_rate": self.dilation_rate,
                  "activation": activations.serialize(self.activation),
                  "recurrent_activation": activations.serialize(self.recurrent_activation),
                  "use_bias": self.use_bias}
        config.update(weight_config(self, "kernel", "recurrent", "bias"),
                      unit_forget_bias=self.unit_forget_bias, dropout=self.dropout,
                      recurrent_dropout=self.recurrent_dropout)
        return config


class _ConvLSTM(_CellLayer):
    """A `ConvLSTMCell` of the class's rank run over time, weights on the layer itself."""

    _rank = 2

    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(filters, kernel_size=kernel_size, **kwargs)

    def _cell_class(self, filters, **kwargs):
        return ConvLSTMCell(self._rank, filters, **kwargs)

    @property
    def _cell_name(self):
        return "conv_lstm_cell"

    def _init_set_name(self, name):
        # tf_keras' snake case ("conv_lstm2d"; tf.layers' rule would give "conv_lst_m2d").
        if not name:
            name = backend.unique_object_name("conv_lstm%dd" % self._rank)
        super()._init_set_name(name)

    def build(self, input_shape):
        """Builds the cell on one time step's shape in the layer's own scope (tf_keras names
        the weights `conv_lstm2d/kernel:0`, with no cell scope)."""
        if isinstance(input_shape, list):
            input_shape = input_shape[0]
        shape = [int(d) if d is not None else None for d in _as_list(input_shape)]
        if len(shape) != self._rank + 3:
            raise ValueError("Input 0 of layer %s is incompatible with the layer: expected "
                             "ndim=%d, found ndim=%d. Full shape received: %s"
                             % (self.name, self._rank + 3, len(shape), tuple(shape)))
        cell = self.cell
        if not cell.built:
            cell._build_input_shape = tuple([shape[0]] + shape[2:])
            cell._dtype = cell._dtype or backend.floatx()
            cell.build(cell._build_input_shape)
            cell.built = True
        self.built = True

    def call(self, inputs, mask=None, training=None, initial_state=None):
        if mask is not None and not isinstance(mask, (list, tuple)):
            raise NotImplementedError("%s does not support masking in tensorflux."
                                      % type(self).__name__)
        return RNN.call(self, inputs, None, training, initial_state)

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        shape = _as_list(input_shape)
        cell = self.cell
        first = cell.data_format == "channels_first"
        spatial = shape[3:] if first else shape[2:-1]
        out = [conv_utils.conv_output_length(n, k, cell.padding, s, dilation=d)
               for n, k, s, d in zip(spatial, cell.kernel_size, cell.strides,
                                     cell.dilation_rate)]
        step = [shape[0]] + ([cell.filters] + out if first else out + [cell.filters])
        output = step[:1] + [shape[1]] + step[1:] if self.return_sequences else step
        if self.return_state:
            return [output, step, list(step)]
        return output

    def get_config(self):
        config = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            config.pop(key)
        config.update(self._rnn_config(), activity_regularizer=activity_config(self))
        return config


def _as_list(shape):
    return shape.as_list() if hasattr(shape, "as_list") else list(shape)


class ConvLSTM1D(_ConvLSTM):
    """Convolutional LSTM over `[batch, time, steps, channels]`.

    Example:
        >>> y = tf.keras.layers.ConvLSTM1D(8, 3, padding="same")(x)    # [N, steps, 8]
    """

    _rank = 1


class ConvLSTM2D(_ConvLSTM):
    """Convolutional LSTM over video `[batch, time, rows, cols, channels]` (precipitation
    nowcasting, video prediction).

    Example:
        >>> frames = tf.keras.Input((10, 64, 64, 1))
        >>> h = tf.keras.layers.ConvLSTM2D(16, 3, padding="same", return_sequences=True)(frames)
        >>> h = tf.keras.layers.ConvLSTM2D(16, 3, padding="same")(h)   # [N, 64, 64, 16]
    """

    _rank = 2


class ConvLSTM3D(_ConvLSTM):
    """Convolutional LSTM over `[batch, time, depth, rows, cols, channels]`.

    Example:
        >>> y = tf.keras.layers.ConvLSTM3D(4, 3)(volumes)
    """

    _rank = 3


__all__ = ["ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "ConvLSTMCell"]
