"""`tf.contrib.cudnn_rnn` layers: CudnnLSTM, CudnnGRU, CudnnRNNTanh, CudnnRNNRelu.

TF runs these with one cuDNN kernel on GPU only. Here each layer is a composite of standard
ops (one input projection over all steps, then a `while` loop over time per layer and
direction) reading its weights from the same opaque buffer variable `<name>/opaque_kernel`
that TF creates, in cuDNN's layout (see `cudnn_rnn_ops`), so a checkpoint trained with TF on
a GPU restores here and gives the same outputs, on any device. As in TF, building a layer also
adds a saveable (SAVEABLE_OBJECTS) that checkpoints the buffer in canonical form too
(`<scope>/rnn/multi_rnn_cell/cell_0/cudnn_compatible_lstm_cell/kernel`, ...), which the
`CudnnCompatible*Cell`s restore.
"""

from tensorflux.contrib.cudnn_rnn import cudnn_rnn_ops as ops_lib
from tensorflux.contrib.rnn.lstm_ops import _StepCell
from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.layers import base as base_layer
from tensorflux.ops import (
    array_ops,
    constant_op,
    fill_ops,
    init_ops,
    linalg_ops,
    manip_ops,
    math_ops,
    nn_ops,
    rnn,
    slicing_ops,
)
from tensorflux.variable_scope import get_variable, get_variable_scope


def _lstm_step(proj_t, state, r_t, b_r):
    h, c = state
    g = proj_t + linalg_ops.matmul(h, r_t)
    i, f, cc, o = array_ops.split(g, 4, axis=1)
    c = math_ops.sigmoid(f) * c + math_ops.sigmoid(i) * math_ops.tanh(cc)
    h = math_ops.sigmoid(o) * math_ops.tanh(c)
    return h, (h, c)


def _gru_step(proj_t, state, r_t, b_r):
    h = state[0]
    x_r, x_u, x_h = array_ops.split(proj_t, 3, axis=1)
    rec = nn_ops.bias_add(linalg_ops.matmul(h, r_t), b_r)
    h_r, h_u, h_h = array_ops.split(rec, 3, axis=1)
    r = math_ops.sigmoid(x_r + h_r)
    u = math_ops.sigmoid(x_u + h_u)
    cand = math_ops.tanh(x_h + r * h_h)
    h = (1 - u) * cand + u * h
    return h, (h,)


def _simple_step(act):
    def step(proj_t, state, r_t, b_r):
        h = act(proj_t + linalg_ops.matmul(state[0], r_t))
        return h, (h,)
    return step


class _CudnnRNN(base_layer.Layer):
    """Base of the CudnnRNN layers: `layer(inputs, initial_state=None, sequence_lengths=None,
    time_major=True, training=True) -> (outputs, states)`."""

    _rnn_mode = None
    _num_params_per_layer = None

    def __init__(self, num_layers, num_units, input_mode=ops_lib.CUDNN_INPUT_LINEAR_MODE,
                 direction=ops_lib.CUDNN_RNN_UNIDIRECTION, dropout=0., seed=None,
                 dtype=dtypes.float32, kernel_initializer=None, bias_initializer=None,
                 name=None):
        super().__init__(dtype=dtype, name=name)
        ops_lib.check_direction(direction)
        ops_lib.check_input_mode(input_mode)
        if input_mode != ops_lib.CUDNN_INPUT_LINEAR_MODE:
            raise NotImplementedError("CudnnRNN input_mode=%r is not supported by tensorflux; "
                                      "use 'linear_input'." % input_mode)
        self._num_layers = num_layers
        self._num_units = num_units
        self._input_mode = input_mode
        self._direction = direction
        self._dropout = dropout
        self._seed = seed
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer
        self._input_size = None
        self._plain_dtype = dtypes.as_dtype(dtype)

    @property
    def num_layers(self):
        return self._num_layers

    @property
    def num_units(self):
        return self._num_units

    @property
    def input_mode(self):
        return self._input_mode

    @property
    def input_size(self):
        if not self._input_size:
            raise ValueError("\'input_size\' is unknown since layer has not been built.")
        return self._input_size

    @property
    def rnn_mode(self):
        return self._rnn_mode

    @property
    def direction(self):
        return self._direction

    @property
    def num_dirs(self):
        return 1 if self._direction == ops_lib.CUDNN_RNN_UNIDIRECTION else 2

    @property
    def canonical_weight_shapes(self):
        if not self._input_size:
            raise RuntimeError("%s.canonical_weight_shapes invoked before input shape is "
                               "known" % type(self).__name__)
        return self._shapes()[0]

    @property
    def canonical_bias_shapes(self):
        return self._shapes()[1]

    def _shapes(self):
        return ops_lib.canonical_shapes(self._rnn_mode, self._num_layers, self._num_units,
                                        self._input_size or 0, self._direction)

    def state_shape(self, batch_size):
        return [self.num_layers * self.num_dirs, batch_size, self.num_units]

    def build(self, input_shape):
        input_shape = tensor_shape.as_shape(input_shape)
        if input_shape.ndims != 3:
            raise ValueError("Expecting input_shape with 3 dims, got %d" % input_shape.ndims)
        if input_shape[-1].value is None:
            raise ValueError("The last dimension of the inputs to `CudnnRNN` should be "
                             "defined. Found `None`.")
        self._input_size = input_shape[-1].value
        dtype = self._plain_dtype
        kinit = self._kernel_initializer or init_ops.glorot_uniform_initializer(seed=self._seed)
        binit = self._bias_initializer or init_ops.constant_initializer(0.0)
        weights, biases = self._shapes()
        with graph_lib.name_scope("opaque_kernel_init"):
            parts = [array_ops.reshape(kinit(list(sp), dtype=dtype), [-1]) for sp in weights]
            parts += [array_ops.reshape(binit(list(sp), dtype=dtype), [-1]) for sp in biases]
            opaque = self._canonical_to_opaque(parts)
        self.kernel = get_variable("opaque_kernel", dtype=dtype, initializer=opaque)
        self._trainable_weights.append(self.kernel)
        if not (self.built or get_variable_scope().reuse is True):
            self._create_saveable()
        self.built = True

    def _create_saveable(self):
        """As TF: a saveable (in SAVEABLE_OBJECTS) that checkpoints the opaque buffer also as
        the canonical weights of the platform-independent cells, under the layer's scope."""
        self._saveable = self._saveable_cls(
            self.kernel, self._num_layers, self._num_units, self._input_size,
            input_mode=self._input_mode, direction=self._direction,
            scope=get_variable_scope().name,
            name="%s_saveable" % self.kernel.name.split(":")[0])
        graph_lib.add_to_collection(graph_lib.GraphKeys.SAVEABLE_OBJECTS, self._saveable)

    def _canonical_to_opaque(self, flat_parts):
        """Flattened canonical weights then biases -> the opaque buffer (pseudo-layer order)."""
        g2 = self._num_params_per_layer
        n_pseudo = self._num_layers * self.num_dirs
        weights, biases = flat_parts[:g2 * n_pseudo], flat_parts[g2 * n_pseudo:]
        ordered = []
        for p in range(n_pseudo):
            ordered += weights[p * g2:(p + 1) * g2] + biases[p * g2:(p + 1) * g2]
        return array_ops.concat(ordered, 0)

    def _pseudo_layer_params(self, kernel):
        """Per pseudo-layer (W^T [in, G*H], R^T [H, G*H], b_W [G*H], b_R [G*H]) views."""
        gates = self._num_params_per_layer // 2
        n = self._num_units
        params, offset = [], 0
        for layer in range(self._num_layers):
            in_size = self._input_size if layer == 0 else n * self.num_dirs
            for _ in range(self.num_dirs):
                sizes = [gates * n * in_size, gates * n * n, gates * n, gates * n]
                views = []
                for size in sizes:
                    views.append(slicing_ops.slice(kernel, [offset], [size]))
                    offset += size
                w = array_ops.transpose(array_ops.reshape(views[0], [gates * n, in_size]))
                r = array_ops.transpose(array_ops.reshape(views[1], [gates * n, n]))
                params.append((w, r, views[2], views[3]))
        return params

    def _step_fn(self):
        return {ops_lib.CUDNN_LSTM: _lstm_step, ops_lib.CUDNN_GRU: _gru_step,
                ops_lib.CUDNN_RNN_TANH: _simple_step(math_ops.tanh),
                ops_lib.CUDNN_RNN_RELU: _simple_step(nn_ops.relu)}[self._rnn_mode]

    def _zero_state(self, batch_size):
        res = []
        for _ in range(2 if self._rnn_mode == ops_lib.CUDNN_LSTM else 1):
            res.append(fill_ops.zeros(array_ops.stack(self.state_shape(batch_size)),
                                      dtype=self._plain_dtype))
        return tuple(res)

    def _run_direction(self, x, h0, c0, params, lengths, reverse):
        """One pseudo-layer over time-major `x`; returns (outputs, h_final, c_final)."""
        w, r, b_w, b_r = params
        step = self._step_fn()
        is_gru = self._rnn_mode == ops_lib.CUDNN_GRU
        n = self._num_units
        gn = int(w.shape[1])
        if reverse:
            x = (manip_ops.reverse(x, axis=[0]) if lengths is None else
                 manip_ops.reverse_sequence(x, lengths, seq_axis=0, batch_axis=1))
        shape = array_ops.shape(x)
        flat = array_ops.reshape(x, [-1, int(x.shape[2])])
        # cuDNN's GRU adds the recurrent candidate bias inside the reset gate, so its
        # recurrent biases stay with the recurrent projection in the step.
        bias = b_w if is_gru else b_w + b_r
        proj = nn_ops.bias_add(linalg_ops.matmul(flat, w), bias)
        proj = array_ops.reshape(proj, array_ops.stack([shape[0], shape[1], gn]))
        lstm = self._rnn_mode == ops_lib.CUDNN_LSTM
        state = (h0, c0) if lstm else (h0,)
        sizes = (n, n) if lstm else (n,)
        cell = _StepCell(lambda p, s: step(p, s, r, b_r), sizes, n)
        outputs, final = rnn.dynamic_rnn(cell, proj, sequence_length=lengths,
                                         initial_state=state, time_major=True, scope="rnn")
        if reverse:
            outputs = (manip_ops.reverse(outputs, axis=[0]) if lengths is None else
                       manip_ops.reverse_sequence(outputs, lengths, seq_axis=0, batch_axis=1))
        return outputs, final[0], (final[1] if lstm else None)

    def _forward(self, inputs, h, c, sequence_lengths, training):
        params = self._pseudo_layer_params(self.kernel)
        lengths = None
        if sequence_lengths is not None:
            lengths = math_ops.cast(constant_op.convert_to_tensor(sequence_lengths),
                                    dtypes.int32)
        x = inputs
        hs, cs = [], []
        for layer in range(self._num_layers):
            outs = []
            for d in range(self.num_dirs):
                p = layer * self.num_dirs + d
                with graph_lib.name_scope("layer_%d%s" % (layer, "_bw" if d else "")):
                    out, h_f, c_f = self._run_direction(
                        x, h[p], None if c is None else c[p], params[p], lengths, d == 1)
                outs.append(out)
                hs.append(h_f)
                cs.append(c_f)
            x = outs[0] if len(outs) == 1 else array_ops.concat(outs, 2)
            if (training is True and self._dropout > 0 and
                    layer < self._num_layers - 1):
                x = nn_ops.dropout(x, rate=self._dropout, seed=self._seed)
        output_h = array_ops.stack(hs)
        output_c = array_ops.stack(cs) if c is not None else None
        return x, output_h, output_c

    def call(self, inputs, initial_state=None, sequence_lengths=None, time_major=True,
             training=True):
        """Runs the RNN; `inputs` [time, batch, depth] (or [batch, time, depth] when
        `time_major=False`). Returns (outputs, (h, c)) for LSTM, (outputs, (h,)) otherwise,
        states of shape [num_layers * num_dirs, batch, num_units]."""
        if initial_state is not None and not isinstance(initial_state, tuple):
            raise TypeError("Invalid initial_state type: %s, expecting tuple."
                            % (initial_state,))
        inputs = constant_op.convert_to_tensor(inputs, dtype=self._plain_dtype)
        if not time_major:
            inputs = array_ops.transpose(inputs, [1, 0, 2])
        batch_size = array_ops.shape(inputs)[1]
        if initial_state is None:
            initial_state = self._zero_state(batch_size)
        if self._rnn_mode == ops_lib.CUDNN_LSTM:
            h, c = initial_state
        else:
            (h,) = initial_state
            c = None
        h = constant_op.convert_to_tensor(h)
        n_pseudo = self._num_layers * self.num_dirs
        h = array_ops.unstack(h, num=n_pseudo)
        c = None if c is None else array_ops.unstack(constant_op.convert_to_tensor(c),
                                                     num=n_pseudo)
        outputs, output_h, output_c = self._forward(inputs, h, c, sequence_lengths, training)
        if not time_major:
            outputs = array_ops.transpose(outputs, [1, 0, 2])
        if self._rnn_mode == ops_lib.CUDNN_LSTM:
            return outputs, (output_h, output_c)
        return outputs, (output_h,)


class CudnnLSTM(_CudnnRNN):
    """Multi-layer LSTM with cuDNN's parameters and semantics (no forget bias; gates i, f, c, o).

    Example:
        >>> lstm = tf.contrib.cudnn_rnn.CudnnLSTM(2, 64, direction="bidirectional")
        >>> outputs, (h, c) = lstm(x_time_major)    # outputs [time, batch, 128]
    """

    _rnn_mode = ops_lib.CUDNN_LSTM
    _num_params_per_layer = ops_lib.CUDNN_LSTM_PARAMS_PER_LAYER
    _saveable_cls = ops_lib.CudnnLSTMSaveable


class CudnnGRU(_CudnnRNN):
    """Multi-layer GRU with cuDNN's semantics (reset gate after the recurrent projection).

    Example:
        >>> gru = tf.contrib.cudnn_rnn.CudnnGRU(1, 32)
        >>> outputs, (h,) = gru(x_time_major)
    """

    _rnn_mode = ops_lib.CUDNN_GRU
    _num_params_per_layer = ops_lib.CUDNN_GRU_PARAMS_PER_LAYER
    _saveable_cls = ops_lib.CudnnGRUSaveable


class CudnnRNNTanh(_CudnnRNN):
    """Multi-layer simple RNN `h = tanh(W x + R h + b_W + b_R)`."""

    _rnn_mode = ops_lib.CUDNN_RNN_TANH
    _num_params_per_layer = ops_lib.CUDNN_RNN_TANH_PARAMS_PER_LAYER
    _saveable_cls = ops_lib.CudnnRNNTanhSaveable


class CudnnRNNRelu(_CudnnRNN):
    """Multi-layer simple RNN `h = relu(W x + R h + b_W + b_R)`."""

    _rnn_mode = ops_lib.CUDNN_RNN_RELU
    _num_params_per_layer = ops_lib.CUDNN_RNN_RELU_PARAMS_PER_LAYER
    _saveable_cls = ops_lib.CudnnRNNReluSaveable


__all__ = ["CudnnGRU", "CudnnLSTM", "CudnnRNNRelu", "CudnnRNNTanh"]
