"""Keras recurrent layers: `RNN` over any cell, `SimpleRNN`, `LSTM`, `GRU`, and `Masking`.

`RNN` runs its cell over the time axis in one functional While op (the graph path of tf_keras,
not cuDNN): the loop walks the time-major inputs, carries the states and stacks the outputs, so
gradients flow through it like any `tf.while_loop`. With a mask (from `Masking` or
`Embedding(mask_zero=True)`), a masked step keeps each state and repeats the previous output
(zeros with `zero_output_for_mask`), as tf_keras' `backend.rnn` does. `unroll=True` is kept
in the config but runs the same loop (the values are the same); `stateful` and `time_major`
raise NotImplementedError.

`SimpleRNN`, `LSTM` and `GRU` are `RNN`s of the matching cell, named `simple_rnn_cell`,
`lstm_cell`, `gru_cell`, so weights are `lstm/lstm_cell/kernel:0` and so on; their configs are
the cell's arguments beside the RNN's, as tf_keras writes them.
"""

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.keras import regularizers
from tensorflux.keras.engine.base_layer import Layer
from tensorflux.keras.layers import recurrent_cells
from tensorflux.keras.layers.core import activity_config
from tensorflux.keras.layers.recurrent_cells import (
    GRUCell,
    LSTMCell,
    SimpleRNNCell,
    StackedRNNCells,
)
from tensorflux.ops import (
    array_ops,
    constant_op,
    fill_ops,
    manip_ops,
    math_ops,
    reduction_ops,
)


def _time_major(x):
    perm = [1, 0] + list(range(2, x.shape.ndims))
    return array_ops.transpose(x, perm)


def rnn_loop(step, inputs, states, output_size, mask=None, go_backwards=False,
             zero_output_for_mask=False):
    """Runs `step(x_t, states) -> (output, new_states)` over axis 1 of `inputs`.

    Args:
        step: the cell's step function (states are lists of `[batch, n]` tensors).
        inputs: `[batch, time, ...]`.
        states: the initial states.
        output_size: the width of the step's output (for the zeros before the first step).
        mask: optional bool `[batch, time]`; masked steps keep the states.
        go_backwards: walk the sequence from its end (outputs stay in walking order).
        zero_output_for_mask: masked steps output zeros instead of the previous output.

    Returns:
        `(last_output, outputs [batch, time, ...], final_states)`.
    """
    from tensorflux.ops import cond_ops

    xs = [_time_major(inputs)]
    if mask is not None:
        xs.append(array_ops.transpose(mask, [1, 0]))
    if go_backwards:
        xs = [manip_ops.reverse(x, [0]) for x in xs]
    n_time = xs[0].shape[0].value
    time_steps = n_time if n_time is not None else array_ops.shape(xs[0])[0]
    n_states = len(states)
    masked = mask is not None
    if masked:
        batch = array_ops.shape(xs[0])[1]
        prev = fill_ops.zeros(array_ops.stack([batch, output_size]), dtype=inputs.dtype)
        init = [constant_op.constant(0, dtype=dtypes.int32, name="time")] + list(states) + [prev]
    else:
        init = [constant_op.constant(0, dtype=dtypes.int32, name="time")] + list(states)

    def cond_fn(args):
        return math_ops.less(args[0], time_steps)

    def body_fn(args, slices):
        old = list(args[1:1 + n_states])
        output, new = step(slices[0], old)
        if masked:
            keep = manip_ops.expand_dims(slices[1], -1)
            new = [manip_ops.where_v2(keep, n, o) for n, o in zip(new, old)]
            fallback = fill_ops.zeros_like(output) if zero_output_for_mask else args[-1]
            output = manip_ops.where_v2(keep, output, fallback)
            return [args[0] + 1] + list(new) + [output], [output]
        return [args[0] + 1] + list(new), [output]

    outer = graph_lib._graph_from_values(xs + list(states))
    with outer.name_scope("while") as scope:
        out_vars, ys = cond_ops.build_while(outer, scope, init, cond_fn, body_fn, xs=xs,
                                            ys_length=n_time)
    outputs = _time_major(ys[0])
    last = out_vars[-1] if masked and not zero_output_for_mask else ys[0][-1]
    return last, outputs, list(out_vars[1:1 + n_states])


class RNN(Layer):
    """Runs a cell (or a list of cells, stacked) over the time axis of `[batch, time, ...]`.

    Returns the last output `[batch, units]` or, with `return_sequences`, all of them
    `[batch, time, units]`; with `return_state`, a list `[output] + final states`.

    Example:
        >>> y = tf.keras.layers.RNN(tf.keras.layers.LSTMCell(8))(x)          # [N, 8]
        >>> seq, h, c = tf.keras.layers.RNN(tf.keras.layers.LSTMCell(8),
        ...                                 return_sequences=True, return_state=True)(x)
    """

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, time_major=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if not hasattr(cell, "state_size") or not hasattr(cell, "call"):
            raise ValueError("Argument `cell` should have a `call` method and a `state_size` "
                             "attribute. Received: cell=%s" % (cell,))
        if stateful:
            raise NotImplementedError("Stateful RNN layers are not supported by tensorflux; "
                                      "pass `initial_state` and carry the returned states.")
        if time_major:
            raise NotImplementedError("time_major=True RNN layers are not supported by "
                                      "tensorflux: transpose the inputs to [batch, time, ...].")
        self.zero_output_for_mask = kwargs.pop("zero_output_for_mask", False)
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.time_major = time_major
        self.supports_masking = True

    _records_build_shape = True

    # --- weights are the cell's -------------------------------------------------------------
    @property
    def states_count(self):
        return len(self.cell.state_size)

    @property
    def trainable_weights(self):
        return self.cell.trainable_weights if self.trainable else []

    @property
    def non_trainable_weights(self):
        return self.cell.non_trainable_weights if self.trainable else self.cell.weights

    @property
    def losses(self):
        return list(self.cell.losses) + list(self._losses)

    def build(self, input_shape):
        """Builds the cell on one time step's shape, in the name scope `<cell name>`."""
        if isinstance(input_shape, list):
            input_shape = input_shape[0]
        shape = [int(d) if d is not None else None for d in _as_list(input_shape)]
        if len(shape) < 3:
            raise ValueError("Input %s of layer %s should have rank 3 ([batch, time, "
                             "features]), got shape %s" % ("0", self.name, shape))
        if not self.cell.built:
            with graph_lib.name_scope(self.cell.name):
                recurrent_cells.build_cell(self.cell, shape[-1:])
        self.built = True

    # --- calling ----------------------------------------------------------------------------
    def call(self, inputs, mask=None, training=None, initial_state=None):
        if isinstance(inputs, (list, tuple)):  # [inputs, *initial_state], as tf_keras accepts
            inputs, initial_state = inputs[0], list(inputs[1:]) or initial_state
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if self.unroll and inputs.shape[1].value is None:
            raise ValueError("Cannot unroll a RNN if the time dimension is undefined.")
        states = self._initial_states(inputs, initial_state)
        first = inputs[:, 0]
        masks = self.cell.dropout_masks(first, states, training)

        def step(x, step_states):
            return self.cell.step(x, step_states, masks)

        if mask is not None:
            mask = math_ops.cast(mask, dtypes.bool)
        last, outputs, states = rnn_loop(step, inputs, states, self.cell.output_size,
                                         mask=mask,
                                         go_backwards=self.go_backwards,
                                         zero_output_for_mask=self.zero_output_for_mask)
        output = outputs if self.return_sequences else last
        if self.return_state:
            return [output] + list(states)
        return output

    def _initial_states(self, inputs, initial_state):
        if initial_state is None:
            return self.cell.get_initial_state(inputs=inputs[:, 0], dtype=inputs.dtype)
        states = list(initial_state) if isinstance(initial_state, (list, tuple)) else [
            initial_state]
        if len(states) != self.states_count:
            raise ValueError("Layer %s expects %d state(s), but it received %d initial "
                             "state(s)." % (self.name, self.states_count, len(states)))
        return [constant_op.convert_to_tensor(s) for s in states]

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * self.states_count
        return output_mask

    def compute_output_shape(self, input_shape):
        shape = _as_list(input_shape)
        units = self.cell.output_size
        out = shape[:2] + [units] if self.return_sequences else [shape[0], units]
        if self.return_state:
            return [out] + [[shape[0], n] for n in self.cell.state_size]
        return out

    # --- configs ----------------------------------------------------------------------------
    def _rnn_config(self):
        config = super().get_config()
        config.update(return_sequences=self.return_sequences, return_state=self.return_state,
                      go_backwards=self.go_backwards, stateful=self.stateful,
                      unroll=self.unroll, time_major=self.time_major)
        if self.zero_output_for_mask:
            config["zero_output_for_mask"] = True
        return config

    def get_config(self):
        from tensorflux.keras.saving import model_config

        config = self._rnn_config()
        config["cell"] = model_config.serialize_layer(self.cell)
        return config

    @classmethod
    def from_config(cls, config):
        from tensorflux.keras.saving import model_config

        config = dict(config)
        cell = model_config.deserialize_layer(config.pop("cell"))
        return cls(cell, **config)


def _as_list(shape):
    if hasattr(shape, "as_list"):
        return shape.as_list()
    return list(shape)


# Arguments of SimpleRNN / LSTM / GRU that belong to the RNN layer, not the cell.
_LAYER_KEYS = ("return_sequences", "return_state", "go_backwards", "stateful", "unroll",
               "time_major", "name", "trainable", "dtype", "input_shape", "batch_input_shape",
               "batch_size", "weights", "zero_output_for_mask")


class _CellLayer(RNN):
    """An RNN whose cell is built from the layer's own arguments (`SimpleRNN`, `LSTM`, `GRU`)."""

    _cell_class = None
    _cell_name = None

    def __init__(self, units, activity_regularizer=None, **kwargs):
        if "input_dim" in kwargs and "input_shape" not in kwargs:
            kwargs["input_shape"] = (kwargs.pop("input_length", None), kwargs.pop("input_dim"))
        layer_args = {k: kwargs.pop(k) for k in _LAYER_KEYS if k in kwargs}
        cell = self._cell_class(units, name=self._cell_name, dtype=layer_args.get("dtype"),
                                trainable=layer_args.get("trainable", True), **kwargs)
        super().__init__(cell, **layer_args)
        self._activity_regularizer = regularizers.get(activity_regularizer)

    def __getattr__(self, name):
        # units, activation, kernel_initializer, ... are the cell's (as in tf_keras).
        if name.startswith("_") or name == "cell":
            raise AttributeError(name)
        return getattr(self.cell, name)

    def get_config(self):
        config = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            config.pop(key)
        config.update(self._rnn_config(), activity_regularizer=activity_config(self))
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class SimpleRNN(_CellLayer):
    """Fully connected RNN: `h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + b)`.

    Example:
        >>> y = tf.keras.layers.SimpleRNN(16)(x)     # weights simple_rnn/simple_rnn_cell/...
    """

    _cell_class = SimpleRNNCell
    _cell_name = "simple_rnn_cell"


class LSTM(_CellLayer):
    """Long short-term memory layer (tf_keras' graph path; gates `i, f, c, o`).

    Example:
        >>> seq = tf.keras.layers.LSTM(32, return_sequences=True)(x)   # [N, T, 32]
    """

    _cell_class = LSTMCell
    _cell_name = "lstm_cell"


class GRU(_CellLayer):
    """Gated recurrent unit layer (`reset_after=True` by default, as tf_keras 2).

    Example:
        >>> last = tf.keras.layers.GRU(32)(x)                          # [N, 32]
    """

    _cell_class = GRUCell
    _cell_name = "gru_cell"


class Masking(Layer):
    """Masks time steps whose features all equal `mask_value` (and zeros them), so that
    recurrent layers downstream skip them.

    Example:
        >>> h = tf.keras.layers.Masking(0.0)(padded)    # padded: [N, T, F], zero rows = padding
        >>> y = tf.keras.layers.LSTM(8)(h)
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True

    def compute_mask(self, inputs, mask=None):
        return reduction_ops.reduce_any(math_ops.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        keep = reduction_ops.reduce_any(math_ops.not_equal(inputs, self.mask_value), axis=-1,
                                        keepdims=True)
        return inputs * math_ops.cast(keep, inputs.dtype)

    def get_config(self):
        config = super().get_config()
        config["mask_value"] = self.mask_value
        return config


__all__ = ["GRU", "GRUCell", "LSTM", "LSTMCell", "Masking", "RNN", "SimpleRNN", "SimpleRNNCell",
           "StackedRNNCells", "rnn_loop"]
