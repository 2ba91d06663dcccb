"""`tf.contrib.rnn` cells beyond core: layer-norm, convolutional, coupled-gate, IndRNN (and
Indy GRU/LSTM), UGRNN and NAS cells.

As in TF 1.15 these cells create their variables with `get_variable` inside their own scope
(the snake-cased class name, e.g. `rnn/layer_norm_basic_lstm_cell/kernel`, or `name=`), so
variable names, shapes and initializers match TF's and TF checkpoints restore.
"""

from tensorflux import variable_scope as vs
from tensorflux.contrib.layers import layer_norm
from tensorflux.graph import tensor_shape
from tensorflux.ops import (
    array_ops,
    conv_ops,
    init_ops,
    linalg_ops,
    math_ops,
    nn_ops,
)
from tensorflux.ops.rnn_cell_impl import (
    LayerRNNCell,
    LSTMStateTuple,
    RNNCell,
    _activation,
    _input_depth,
)


class _VarCell(RNNCell):
    """A cell whose `call` creates variables with `get_variable` (TF's contrib style)."""

    def _var(self, name, shape, initializer=None, dtype=None):
        var = vs.get_variable(name, shape, dtype=dtype, initializer=initializer)
        if not any(v is var for v in self._trainable_weights):
            self._trainable_weights.append(var)
        return var

    def _linear(self, args, output_size, bias=True, bias_start=0.0):
        """TF's `_Linear`: `concat(args) @ kernel + bias` with `kernel`, `bias` in this scope."""
        args = args if isinstance(args, (list, tuple)) else [args]
        total = sum(a.get_shape().with_rank(2)[1].value for a in args)
        dtype = args[0].dtype
        kernel = self._var("kernel", [total, output_size], dtype=dtype)
        x = args[0] if len(args) == 1 else array_ops.concat(args, 1)
        res = linalg_ops.matmul(x, kernel)
        if not bias:
            return res
        b = self._var("bias", [output_size], dtype=dtype,
                      initializer=init_ops.constant_initializer(bias_start))
        return nn_ops.bias_add(res, b)

    def _norm(self, inp, scope, gain, shift):
        """Layer norm with `scope/gamma` (init `gain`) and `scope/beta` (init `shift`)."""
        shape = inp.get_shape()[-1:]
        dtype = inp.dtype
        with vs.variable_scope(scope):
            self._var("gamma", shape, dtype=dtype, initializer=init_ops.constant_initializer(gain))
            self._var("beta", shape, dtype=dtype, initializer=init_ops.constant_initializer(shift))
        return layer_norm(inp, reuse=True, scope=scope)


class LayerNormBasicLSTMCell(_VarCell):
    """LSTM with layer normalization (Ba et al. 2016) and recurrent dropout (Semeniuta 2016).

    Variables: `kernel` [depth + n, 4n] (and `bias` [4n] only when `layer_norm=False`), and
    `gamma`/`beta` under `input/`, `transform/`, `forget/`, `output/`, `state/`.

    Example:
        >>> cell = tf.contrib.rnn.LayerNormBasicLSTMCell(16, dropout_keep_prob=0.9)
    """

    def __init__(self, num_units, forget_bias=1.0, input_size=None, activation=None,
                 layer_norm=True, norm_gain=1.0, norm_shift=0.0, dropout_keep_prob=1.0,
                 dropout_prob_seed=None, reuse=None):
        super().__init__(_reuse=reuse)
        self._num_units = num_units
        self._activation = _activation(activation) or math_ops.tanh
        self._forget_bias = forget_bias
        self._keep_prob = dropout_keep_prob
        self._seed = dropout_prob_seed
        self._layer_norm = layer_norm
        self._norm_gain = norm_gain
        self._norm_shift = norm_shift

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_units)

    @property
    def output_size(self):
        return self._num_units

    def call(self, inputs, state):
        c, h = state
        args = array_ops.concat([inputs, h], 1)
        concat = linalg_ops.matmul(args, self._var("kernel", [args.get_shape()[-1].value,
                                                              4 * self._num_units],
                                                   dtype=args.dtype))
        if not self._layer_norm:
            concat = nn_ops.bias_add(concat, self._var("bias", [4 * self._num_units],
                                                       dtype=args.dtype))
        i, j, f, o = array_ops.split(concat, 4, axis=1)
        if self._layer_norm:
            gain, shift = self._norm_gain, self._norm_shift
            i = self._norm(i, "input", gain, shift)
            j = self._norm(j, "transform", gain, shift)
            f = self._norm(f, "forget", gain, shift)
            o = self._norm(o, "output", gain, shift)
        g = self._activation(j)
        if not isinstance(self._keep_prob, float) or self._keep_prob < 1:
            g = nn_ops.dropout(g, self._keep_prob, seed=self._seed)
        new_c = c * math_ops.sigmoid(f + self._forget_bias) + math_ops.sigmoid(i) * g
        if self._layer_norm:
            new_c = self._norm(new_c, "state", self._norm_gain, self._norm_shift)
        new_h = self._activation(new_c) * math_ops.sigmoid(o)
        return new_h, LSTMStateTuple(new_c, new_h)


class ConvLSTMCell(_VarCell):
    """Convolutional LSTM (Shi et al. 2015): gates are SAME convolutions of [inputs, h].

    `input_shape` excludes the batch: [width, channels], [h, w, channels] or [d, h, w, c].
    Variables: `kernel` of shape `kernel_shape + [in_channels + output_channels,
    4 * output_channels]` and `biases` [4 * output_channels] (init 0); gates (i, j, f, o).

    Example:
        >>> cell = tf.contrib.rnn.ConvLSTMCell(2, [16, 16, 3], 8, [3, 3])
    """

    def __init__(self, conv_ndims, input_shape, output_channels, kernel_shape, use_bias=True,
                 skip_connection=False, forget_bias=1.0, initializers=None,
                 name="conv_lstm_cell"):
        super().__init__(name=name)
        if conv_ndims != len(input_shape) - 1:
            raise ValueError("Invalid input_shape {} for conv_ndims={}.".format(input_shape,
                                                                               conv_ndims))
        self._conv_ndims = conv_ndims
        self._input_shape = list(input_shape)
        self._output_channels = output_channels
        self._kernel_shape = list(kernel_shape)
        self._use_bias = use_bias
        self._forget_bias = forget_bias
        self._skip_connection = skip_connection
        self._total_output_channels = output_channels
        if skip_connection:
            self._total_output_channels += self._input_shape[-1]
        state_size = tensor_shape.TensorShape(self._input_shape[:-1] + [output_channels])
        self._state_size = LSTMStateTuple(state_size, state_size)
        self._output_size = tensor_shape.TensorShape(self._input_shape[:-1] +
                                                     [self._total_output_channels])

    @property
    def output_size(self):
        return self._output_size

    @property
    def state_size(self):
        return self._state_size

    def _conv(self, args, num_features):
        shapes = [a.get_shape().as_list() for a in args]
        rank = len(shapes[0])
        for shape in shapes:
            if len(shape) not in (3, 4, 5):
                raise ValueError("Conv Linear expects 3D, 4D or 5D arguments: %s" % str(shapes))
            if len(shape) != rank:
                raise ValueError("Conv Linear expects all args to be of same Dimension: %s"
                                 % str(shapes))
        depth = sum(s[-1] for s in shapes)
        dtype = args[0].dtype
        kernel = self._var("kernel", self._kernel_shape + [depth, num_features], dtype=dtype)
        x = array_ops.concat(args, rank - 1)
        if rank == 3:
            res = conv_ops.conv1d(x, kernel, 1, padding="SAME")
        elif rank == 4:
            res = conv_ops.conv2d(x, kernel, [1] * 4, padding="SAME")
        else:
            res = conv_ops.conv3d(x, kernel, [1] * 5, padding="SAME")
        if not self._use_bias:
            return res
        bias = self._var("biases", [num_features], dtype=dtype,
                         initializer=init_ops.constant_initializer(0.0))
        return res + bias

    def call(self, inputs, state, scope=None):
        cell, hidden = state
        new_hidden = self._conv([inputs, hidden], 4 * self._output_channels)
        i, j, f, o = array_ops.split(new_hidden, 4, axis=self._conv_ndims + 1)
        new_cell = math_ops.sigmoid(f + self._forget_bias) * cell
        new_cell = new_cell + math_ops.sigmoid(i) * math_ops.tanh(j)
        output = math_ops.tanh(new_cell) * math_ops.sigmoid(o)
        if self._skip_connection:
            output = array_ops.concat([output, inputs], axis=-1)
        return output, LSTMStateTuple(new_cell, output)


class Conv1DLSTMCell(ConvLSTMCell):
    """1-D convolutional LSTM, scope `conv_1d_lstm_cell`."""

    def __init__(self, name="conv_1d_lstm_cell", **kwargs):
        super().__init__(conv_ndims=1, name=name, **kwargs)


class Conv2DLSTMCell(ConvLSTMCell):
    """2-D convolutional LSTM, scope `conv_2d_lstm_cell`."""

    def __init__(self, name="conv_2d_lstm_cell", **kwargs):
        super().__init__(conv_ndims=2, name=name, **kwargs)


class Conv3DLSTMCell(ConvLSTMCell):
    """3-D convolutional LSTM, scope `conv_3d_lstm_cell`."""

    def __init__(self, name="conv_3d_lstm_cell", **kwargs):
        super().__init__(conv_ndims=3, name=name, **kwargs)


class CoupledInputForgetGateLSTMCell(_VarCell):
    """LSTM whose input gate is `1 - forget gate` (Greff et al. 2015, "CIFG").

    Variables: `W_0` [depth + proj, 3n] (gates j, f, o), `B` [3n] (zeros), peepholes
    `W_F_diag`, `W_O_diag`, projection `W_P_0`; layer norm `gamma`/`beta` under
    `transform/`, `forget/`, `output/`, `state/`.

    Example:
        >>> cell = tf.contrib.rnn.CoupledInputForgetGateLSTMCell(16)
    """

    def __init__(self, num_units, use_peepholes=False, initializer=None, num_proj=None,
                 proj_clip=None, num_unit_shards=1, num_proj_shards=1, forget_bias=1.0,
                 state_is_tuple=True, activation=None, reuse=None, layer_norm=False,
                 norm_gain=1.0, norm_shift=0.0):
        super().__init__(_reuse=reuse)
        if num_unit_shards != 1 or num_proj_shards != 1:
            raise NotImplementedError("num_unit_shards / num_proj_shards other than 1 are not "
                                      "supported.")
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._initializer = initializer
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = _activation(activation) or math_ops.tanh
        self._layer_norm = layer_norm
        self._norm_gain = norm_gain
        self._norm_shift = norm_shift

    @property
    def state_size(self):
        h = self._num_proj or self._num_units
        return LSTMStateTuple(self._num_units, h) if self._state_is_tuple \
            else self._num_units + h

    @property
    def output_size(self):
        return self._num_proj or self._num_units

    def call(self, inputs, state):
        sigmoid = math_ops.sigmoid
        n = self._num_units
        num_proj = self._num_proj or n
        if self._state_is_tuple:
            c_prev, m_prev = state
        else:
            c_prev, m_prev = array_ops.split(state, [n, num_proj], axis=1)
        dtype = inputs.dtype
        input_size = inputs.get_shape().with_rank(2)[1].value
        # As in TF, `initializer` is accepted but not applied (the scope's initializer is).
        concat_w = self._var("W_0", [input_size + num_proj, 3 * n], dtype=dtype)
        b = self._var("B", [3 * n], dtype=dtype, initializer=init_ops.zeros_initializer())
        lstm_matrix = linalg_ops.matmul(array_ops.concat([inputs, m_prev], 1), concat_w)
        if not self._layer_norm:
            lstm_matrix = nn_ops.bias_add(lstm_matrix, b)
        j, f, o = array_ops.split(lstm_matrix, 3, axis=1)
        gain, shift = self._norm_gain, self._norm_shift
        if self._layer_norm:
            j = self._norm(j, "transform", gain, shift)
            f = self._norm(f, "forget", gain, shift)
            o = self._norm(o, "output", gain, shift)
        if self._use_peepholes:
            w_f_diag = self._var("W_F_diag", [n], dtype=dtype)
            w_o_diag = self._var("W_O_diag", [n], dtype=dtype)
            f_act = sigmoid(f + self._forget_bias + w_f_diag * c_prev)
        else:
            f_act = sigmoid(f + self._forget_bias)
        c = f_act * c_prev + (1 - f_act) * self._activation(j)
        if self._layer_norm:
            c = self._norm(c, "state", gain, shift)
        if self._use_peepholes:
            m = sigmoid(o + w_o_diag * c) * self._activation(c)
        else:
            m = sigmoid(o) * self._activation(c)
        if self._num_proj is not None:
            m = linalg_ops.matmul(m, self._var("W_P_0", [n, self._num_proj], dtype=dtype))
            if self._proj_clip is not None:
                m = math_ops.clip_by_value(m, -self._proj_clip, self._proj_clip)
        new_state = LSTMStateTuple(c, m) if self._state_is_tuple else array_ops.concat([c, m], 1)
        return m, new_state


class IndRNNCell(LayerRNNCell):
    """Independently recurrent cell (Li et al. 2018): `h = act(W x + u * h_prev + b)`.

    Variables: `kernel_w` [depth, n], `kernel_u` [1, n] (uniform in [-1, 1]), `bias` [n].

    Example:
        >>> cell = tf.contrib.rnn.IndRNNCell(16, activation=tf.nn.relu)  # default tanh
    """

    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None):
        super().__init__(_reuse=reuse, name=name, dtype=dtype)
        self._num_units = num_units
        self._activation = _activation(activation) or math_ops.tanh

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape)
        n = self._num_units
        self._kernel_w = self.add_weight("kernel_w", [depth, n])
        self._kernel_u = self.add_weight(
            "kernel_u", [1, n], initializer=init_ops.random_uniform_initializer(-1.0, 1.0))
        self._bias = self.add_weight("bias", [n], initializer=init_ops.zeros_initializer())
        self.built = True

    def call(self, inputs, state):
        gate_inputs = linalg_ops.matmul(inputs, self._kernel_w) + state * self._kernel_u
        output = self._activation(nn_ops.bias_add(gate_inputs, self._bias))
        return output, output


def _uniform_pm1():
    return init_ops.random_uniform_initializer(-1.0, 1.0)


class IndyGRUCell(LayerRNNCell):
    """GRU whose recurrent matrices are diagonal (IndRNN-style): `r, u = sigmoid(W x + u_ru *
    [h, h] + b)`, `c = act(W_c x + u_c * r * h + b_c)`, `h = u * h + (1 - u) * c`.

    Variables: `gates/kernel_w` [depth, 2n], `gates/kernel_u` [1, 2n], `gates/bias` (init 1),
    `candidate/kernel` [depth, n], `candidate/kernel_u` [1, n], `candidate/bias` (zeros).

    Example:
        >>> cell = tf.contrib.rnn.IndyGRUCell(16)
    """

    def __init__(self, num_units, activation=None, reuse=None, kernel_initializer=None,
                 bias_initializer=None, name=None, dtype=None):
        super().__init__(_reuse=reuse, name=name, dtype=dtype)
        self._num_units = num_units
        self._activation = _activation(activation) or math_ops.tanh
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape)
        n, kinit, binit = self._num_units, self._kernel_initializer, self._bias_initializer
        self._gate_kernel_w = self.add_weight("gates/kernel_w", [depth, 2 * n],
                                              initializer=kinit)
        self._gate_kernel_u = self.add_weight("gates/kernel_u", [1, 2 * n],
                                              initializer=_uniform_pm1())
        self._gate_bias = self.add_weight("gates/bias", [2 * n], initializer=(
            binit or init_ops.constant_initializer(1.0)))
        self._candidate_kernel_w = self.add_weight("candidate/kernel", [depth, n],
                                                   initializer=kinit)
        self._candidate_kernel_u = self.add_weight("candidate/kernel_u", [1, n],
                                                   initializer=_uniform_pm1())
        self._candidate_bias = self.add_weight("candidate/bias", [n], initializer=(
            binit or init_ops.zeros_initializer()))
        self.built = True

    def call(self, inputs, state):
        gate_inputs = (linalg_ops.matmul(inputs, self._gate_kernel_w) +
                       array_ops.concat([state, state], 1) * self._gate_kernel_u)
        value = math_ops.sigmoid(nn_ops.bias_add(gate_inputs, self._gate_bias))
        r, u = array_ops.split(value, 2, axis=1)
        candidate = (linalg_ops.matmul(inputs, self._candidate_kernel_w) +
                     r * state * self._candidate_kernel_u)
        c = self._activation(nn_ops.bias_add(candidate, self._candidate_bias))
        new_h = u * state + (1 - u) * c
        return new_h, new_h


class IndyLSTMCell(LayerRNNCell):
    """LSTM whose recurrent matrices are diagonal: gates `W x + u * [h, h, h, h] + b` (i, j, f,
    o), then BasicLSTMCell's update.

    Variables: `kernel_w` [depth, 4n], `kernel_u` [1, 4n] (uniform in [-1, 1]), `bias` [4n].

    Example:
        >>> cell = tf.contrib.rnn.IndyLSTMCell(16)
    """

    def __init__(self, num_units, forget_bias=1.0, activation=None, reuse=None,
                 kernel_initializer=None, bias_initializer=None, name=None, dtype=None):
        super().__init__(_reuse=reuse, name=name, dtype=dtype)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._activation = _activation(activation) or math_ops.tanh
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_units)

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape)
        n = self._num_units
        self._kernel_w = self.add_weight("kernel_w", [depth, 4 * n],
                                         initializer=self._kernel_initializer)
        self._kernel_u = self.add_weight("kernel_u", [1, 4 * n], initializer=_uniform_pm1())
        self._bias = self.add_weight("bias", [4 * n], initializer=(
            self._bias_initializer or init_ops.zeros_initializer()))
        self.built = True

    def call(self, inputs, state):
        c, h = state
        gate_inputs = (linalg_ops.matmul(inputs, self._kernel_w) +
                       array_ops.concat([h, h, h, h], 1) * self._kernel_u)
        i, j, f, o = array_ops.split(nn_ops.bias_add(gate_inputs, self._bias), 4, axis=1)
        new_c = (c * math_ops.sigmoid(f + self._forget_bias) +
                 math_ops.sigmoid(i) * self._activation(j))
        new_h = self._activation(new_c) * math_ops.sigmoid(o)
        return new_h, LSTMStateTuple(new_c, new_h)


class UGRNNCell(_VarCell):
    """Update-gate RNN (Collins et al. 2016): `h = g * h_prev + (1 - g) * act(c)`.

    Variables: `kernel` [depth + n, 2n] (splits g, c) and `bias` [2n] (zeros).

    Example:
        >>> cell = tf.contrib.rnn.UGRNNCell(16)
    """

    def __init__(self, num_units, initializer=None, forget_bias=1.0, activation=None,
                 reuse=None):
        super().__init__(_reuse=reuse)
        self._num_units = num_units
        self._initializer = initializer
        self._forget_bias = forget_bias
        self._activation = _activation(activation) or math_ops.tanh

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def call(self, inputs, state):
        with vs.variable_scope(vs.get_variable_scope(), initializer=self._initializer):
            rnn_matrix = self._linear([inputs, state], 2 * self._num_units)
        g_act, c_act = array_ops.split(rnn_matrix, 2, axis=1)
        c = self._activation(c_act)
        g = math_ops.sigmoid(g_act + self._forget_bias)
        new_state = g * state + (1.0 - g) * c
        return new_state, new_state


class NASCell(LayerRNNCell):
    """The recurrent cell found by Neural Architecture Search (Zoph & Le 2017).

    Variables: `recurrent_kernel` [proj, 8n], `kernel` [depth, 8n], optional `bias` [8n],
    `projection_weights` [n, num_proj].

    Example:
        >>> cell = tf.contrib.rnn.NASCell(16)
    """

    _NAS_BASE = 8

    def __init__(self, num_units, num_proj=None, use_bias=False, reuse=None, **kwargs):
        super().__init__(_reuse=reuse, **kwargs)
        self._num_units = num_units
        self._num_proj = num_proj
        self._use_bias = use_bias

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_proj or self._num_units)

    @property
    def output_size(self):
        return self._num_proj or self._num_units

    def build(self, inputs_shape):
        input_size = _input_depth(self, inputs_shape)
        num_proj = self._num_proj or self._num_units
        width = self._NAS_BASE * self._num_units
        self.recurrent_kernel = self.add_weight("recurrent_kernel", [num_proj, width])
        self.kernel = self.add_weight("kernel", [input_size, width])
        if self._use_bias:
            self.bias = self.add_weight("bias", [width], initializer=init_ops.zeros_initializer())
        if self._num_proj is not None:
            self.concat_w = self.add_weight("projection_weights",
                                            [self._num_units, self._num_proj])
        self.built = True

    def call(self, inputs, state):
        sigmoid, tanh, relu = math_ops.sigmoid, math_ops.tanh, nn_ops.relu
        c_prev, m_prev = state
        m_matrix = linalg_ops.matmul(m_prev, self.recurrent_kernel)
        inputs_matrix = linalg_ops.matmul(inputs, self.kernel)
        if self._use_bias:
            m_matrix = nn_ops.bias_add(m_matrix, self.bias)
        m = array_ops.split(m_matrix, self._NAS_BASE, axis=1)
        x = array_ops.split(inputs_matrix, self._NAS_BASE, axis=1)
        layer1_0 = sigmoid(x[0] + m[0])
        layer1_1 = relu(x[1] + m[1])
        layer1_2 = sigmoid(x[2] + m[2])
        layer1_3 = relu(x[3] * m[3])
        layer1_4 = tanh(x[4] + m[4])
        layer1_5 = sigmoid(x[5] + m[5])
        layer1_6 = tanh(x[6] + m[6])
        layer1_7 = sigmoid(x[7] + m[7])
        l2_0 = tanh(layer1_0 * layer1_1)
        l2_1 = tanh(layer1_2 + layer1_3)
        l2_2 = tanh(layer1_4 * layer1_5)
        l2_3 = sigmoid(layer1_6 + layer1_7)
        l2_0 = tanh(l2_0 + c_prev)
        new_c = l2_0 * l2_1
        l3_1 = tanh(l2_2 + l2_3)
        new_m = tanh(new_c * l3_1)
        if self._num_proj is not None:
            new_m = linalg_ops.matmul(new_m, self.concat_w)
        return new_m, LSTMStateTuple(new_c, new_m)


class LayerNormLSTMCell(_VarCell):
    """`LSTMCell` (peepholes, cell clip, projection) with optional layer normalization of the
    gates and the cell (applied before the clip; the bias is then created but not added).

    Variables: `kernel` [depth + proj, 4n], `bias` [4n], `w_f_diag`, `w_i_diag`, `w_o_diag`,
    `projection/kernel`, and `gamma`/`beta` under `input/`, `transform/`, `forget/`,
    `output/`, `state/` when `layer_norm`.

    Example:
        >>> cell = tf.contrib.rnn.LayerNormLSTMCell(16, layer_norm=True)
    """

    def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None,
                 num_proj=None, proj_clip=None, forget_bias=1.0, activation=None,
                 layer_norm=False, norm_gain=1.0, norm_shift=0.0, reuse=None):
        super().__init__(_reuse=reuse)
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._forget_bias = forget_bias
        self._activation = _activation(activation) or math_ops.tanh
        self._layer_norm = layer_norm
        self._norm_gain = norm_gain
        self._norm_shift = norm_shift

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_proj or self._num_units)

    @property
    def output_size(self):
        return self._num_proj or self._num_units

    def call(self, inputs, state):
        sigmoid, act, n = math_ops.sigmoid, self._activation, self._num_units
        c_prev, m_prev = state
        dtype = inputs.dtype
        gain, shift = self._norm_gain, self._norm_shift
        with vs.variable_scope(vs.get_variable_scope(), initializer=self._initializer):
            args = array_ops.concat([inputs, m_prev], 1)
            depth = args.get_shape()[1].value
            lstm_matrix = linalg_ops.matmul(args, self._var("kernel", [depth, 4 * n],
                                                            dtype=dtype))
            bias = self._var("bias", [4 * n], dtype=dtype,
                             initializer=init_ops.constant_initializer(0.0))
            if not self._layer_norm:
                lstm_matrix = nn_ops.bias_add(lstm_matrix, bias)
            i, j, f, o = array_ops.split(lstm_matrix, 4, axis=1)
            if self._layer_norm:
                i = self._norm(i, "input", gain, shift)
                j = self._norm(j, "transform", gain, shift)
                f = self._norm(f, "forget", gain, shift)
                o = self._norm(o, "output", gain, shift)
            if self._use_peepholes:
                w_f_diag = self._var("w_f_diag", [n], dtype=dtype)
                w_i_diag = self._var("w_i_diag", [n], dtype=dtype)
                w_o_diag = self._var("w_o_diag", [n], dtype=dtype)
                c = (sigmoid(f + self._forget_bias + w_f_diag * c_prev) * c_prev +
                     sigmoid(i + w_i_diag * c_prev) * act(j))
            else:
                c = sigmoid(f + self._forget_bias) * c_prev + sigmoid(i) * act(j)
            if self._layer_norm:
                c = self._norm(c, "state", gain, shift)
            if self._cell_clip is not None:
                c = math_ops.clip_by_value(c, -self._cell_clip, self._cell_clip)
            if self._use_peepholes:
                m = sigmoid(o + w_o_diag * c) * act(c)
            else:
                m = sigmoid(o) * act(c)
            if self._num_proj is not None:
                with vs.variable_scope("projection"):
                    m = self._linear(m, self._num_proj, bias=False)
                if self._proj_clip is not None:
                    m = math_ops.clip_by_value(m, -self._proj_clip, self._proj_clip)
        return m, LSTMStateTuple(c, m)


class SRUCell(LayerRNNCell):
    """Simple Recurrent Unit (Lei et al. 2017): `c = f * c_prev + (1 - f) * x_bar`,
    `h = r * act(c) + (1 - r) * x_tx`; the state is `c`, the output `h`.

    Variables: `kernel` [depth, 4n] (splits x_bar, f, r, x_tx), `bias` [2n] (zeros).

    Example:
        >>> cell = tf.contrib.rnn.SRUCell(16)   # inputs of depth 16 for the highway term
    """

    def __init__(self, num_units, activation=None, reuse=None, name=None, **kwargs):
        super().__init__(_reuse=reuse, name=name, **kwargs)
        self._num_units = num_units
        self._activation = _activation(activation) or math_ops.tanh

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape)
        self._kernel = self.add_weight("kernel", [depth, 4 * self._num_units])
        self._bias = self.add_weight("bias", [2 * self._num_units],
                                     initializer=init_ops.zeros_initializer())
        self.built = True

    def call(self, inputs, state):
        u = linalg_ops.matmul(inputs, self._kernel)
        x_bar, f_pre, r_pre, x_tx = array_ops.split(u, 4, axis=1)
        f_r = math_ops.sigmoid(nn_ops.bias_add(array_ops.concat([f_pre, r_pre], 1), self._bias))
        f, r = array_ops.split(f_r, 2, axis=1)
        c = f * state + (1.0 - f) * x_bar
        h = r * self._activation(c) + (1.0 - r) * x_tx
        return h, c


class IntersectionRNNCell(_VarCell):
    """Intersection RNN (+RNN, Collins et al. 2016): gated paths through time (state) and
    depth (output); the input depth must equal `num_units` unless `num_in_proj` is set.

    Variables: `kernel` [n + n, 4n], `bias` [4n] (and `in_projection/kernel`, `bias`).

    Example:
        >>> cell = tf.contrib.rnn.IntersectionRNNCell(16, num_in_proj=16)
    """

    def __init__(self, num_units, num_in_proj=None, initializer=None, forget_bias=1.0,
                 y_activation=None, reuse=None):
        super().__init__(_reuse=reuse)
        self._num_units = num_units
        self._initializer = initializer
        self._forget_bias = forget_bias
        self._num_input_proj = num_in_proj
        self._y_activation = _activation(y_activation) or nn_ops.relu

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def call(self, inputs, state):
        sigmoid, tanh, n = math_ops.sigmoid, math_ops.tanh, self._num_units
        input_size = inputs.get_shape().with_rank(2)[1].value
        if input_size is None:
            raise ValueError("Could not infer input size from inputs.get_shape()[-1]")
        with vs.variable_scope(vs.get_variable_scope(), initializer=self._initializer):
            if input_size != n:
                if not self._num_input_proj:
                    raise ValueError("Must have input size == output size for Intersection "
                                     "RNN. To fix, num_in_proj should be set to num_units at "
                                     "cell init.")
                with vs.variable_scope("in_projection"):
                    inputs = self._linear(inputs, n)
            rnn_matrix = self._linear([inputs, state], 4 * n)
        gh_act, h_act, gy_act, y_act = array_ops.split(rnn_matrix, 4, axis=1)
        h = tanh(h_act)
        y = self._y_activation(y_act)
        gh = sigmoid(gh_act + self._forget_bias)
        gy = sigmoid(gy_act + self._forget_bias)
        new_state = gh * state + (1.0 - gh) * h
        new_y = gy * inputs + (1.0 - gy) * y
        return new_y, new_state


__all__ = ["Conv1DLSTMCell", "Conv2DLSTMCell", "Conv3DLSTMCell", "ConvLSTMCell",
           "CoupledInputForgetGateLSTMCell", "IndRNNCell", "IndyGRUCell", "IndyLSTMCell",
           "IntersectionRNNCell", "LayerNormBasicLSTMCell", "LayerNormLSTMCell", "NASCell",
           "SRUCell", "UGRNNCell"]
