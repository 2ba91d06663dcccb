"""`tf.contrib.cudnn_rnn` constants, the opaque parameter layout, and the cells that read
CudnnRNN checkpoints (`CudnnCompatibleLSTMCell`, `CudnnCompatibleGRUCell`).

The opaque parameter buffer (variable `<layer>/opaque_kernel`) is cuDNN's: for each
pseudo-layer `p = layer * num_dirs + direction`, first the `G` input matrices (`[num_units,
input_size]`, row-major; `input_size` is the depth of the layer's input), then the `G`
recurrent matrices (`[num_units, num_units]`), then `G` input biases and `G` recurrent biases
(`[num_units]` each). Gate orders: LSTM (i, f, c, o), GRU (r, u, h), RNN (one gate).
"""

from tensorflux.contrib.rnn.lstm_ops import LSTMBlockCell
from tensorflux.ops import array_ops, init_ops, linalg_ops, math_ops, nn_ops
from tensorflux.ops.rnn_cell_impl import GRUCell, _input_depth

CUDNN_RNN_UNIDIRECTION = "unidirectional"
CUDNN_RNN_BIDIRECTION = "bidirectional"
CUDNN_LSTM = "lstm"
CUDNN_GRU = "gru"
CUDNN_RNN_TANH = "rnn_tanh"
CUDNN_RNN_RELU = "rnn_relu"
CUDNN_INPUT_LINEAR_MODE = "linear_input"
CUDNN_INPUT_SKIP_MODE = "skip_input"
CUDNN_INPUT_AUTO_MODE = "auto_select"
CUDNN_LSTM_PARAMS_PER_LAYER = 8
CUDNN_GRU_PARAMS_PER_LAYER = 6
CUDNN_RNN_TANH_PARAMS_PER_LAYER = 2
CUDNN_RNN_RELU_PARAMS_PER_LAYER = 2

_PARAMS_PER_LAYER = {CUDNN_LSTM: 8, CUDNN_GRU: 6, CUDNN_RNN_TANH: 2, CUDNN_RNN_RELU: 2}


def check_direction(direction):
    if direction not in (CUDNN_RNN_UNIDIRECTION, CUDNN_RNN_BIDIRECTION):
        raise ValueError("Invalid direction: %s, expecting %s or %s"
                         % (direction, CUDNN_RNN_UNIDIRECTION, CUDNN_RNN_BIDIRECTION))


def check_input_mode(input_mode):
    if input_mode not in (CUDNN_INPUT_LINEAR_MODE, CUDNN_INPUT_SKIP_MODE,
                          CUDNN_INPUT_AUTO_MODE):
        raise ValueError("Invalid input_mode: %s, expect one of (%s, %s, %s)"
                         % (input_mode, CUDNN_INPUT_LINEAR_MODE, CUDNN_INPUT_SKIP_MODE,
                            CUDNN_INPUT_AUTO_MODE))


def canonical_shapes(rnn_mode, num_layers, num_units, input_size, direction):
    """TF's canonical (weight shapes, bias shapes), listed pseudo-layer by pseudo-layer."""
    gates = _PARAMS_PER_LAYER[rnn_mode] // 2
    num_dirs = 2 if direction == CUDNN_RNN_BIDIRECTION else 1
    weights, biases = [], []
    for layer in range(num_layers):
        in_size = input_size if layer == 0 else num_units * num_dirs
        for _ in range(num_dirs):
            weights += [(num_units, in_size)] * gates + [(num_units, num_units)] * gates
            biases += [(num_units,)] * (2 * gates)
    return weights, biases


def opaque_params_size(rnn_mode, num_layers, num_units, input_size, direction):
    """Number of elements of the opaque parameter buffer."""
    weights, biases = canonical_shapes(rnn_mode, num_layers, num_units, input_size, direction)
    return sum(a * b for a, b in weights) + sum(b[0] for b in biases)


class CudnnCompatibleLSTMCell(LSTMBlockCell):
    """The LSTM cell that reads `CudnnLSTM` checkpoints in TF canonical form (forget_bias 0).

    Example:
        >>> cell = tf.contrib.cudnn_rnn.CudnnCompatibleLSTMCell(16)
    """

    def __init__(self, num_units, reuse=None):
        super().__init__(num_units, forget_bias=0, cell_clip=None, use_peephole=False,
                         reuse=reuse, name="cudnn_compatible_lstm_cell")
        self._names.update({"scope": "cudnn_compatible_lstm_cell"})


class CudnnCompatibleGRUCell(GRUCell):
    """The GRU cell that reads `CudnnGRU` checkpoints: cuDNN applies the reset gate after the
    recurrent projection, `c = tanh(x W_x + b_x + r * (h W_h + b_h))`.

    Variables: `gates/kernel`, `gates/bias` (init 1.0), `candidate/input_projection/kernel`,
    `candidate/hidden_projection/kernel` and their `bias`es (zeros).

    Example:
        >>> cell = tf.contrib.cudnn_rnn.CudnnCompatibleGRUCell(16)
    """

    def __init__(self, num_units, reuse=None, kernel_initializer=None):
        super().__init__(num_units, activation=None, reuse=reuse,
                         kernel_initializer=kernel_initializer)

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape)
        n = self._num_units
        init = self._kernel_initializer
        self._gate_kernel = self.add_weight("gates/kernel", [depth + n, 2 * n],
                                            initializer=init)
        self._gate_bias = self.add_weight(
            "gates/bias", [2 * n],
            initializer=self._bias_initializer or init_ops.constant_initializer(1.0))
        self._candidate_input_kernel = self.add_weight(
            "candidate/input_projection/kernel", [depth, n], initializer=init)
        self._candidate_hidden_kernel = self.add_weight(
            "candidate/hidden_projection/kernel", [n, n], initializer=init)
        self._candidate_input_bias = self.add_weight(
            "candidate/input_projection/bias", [n],
            initializer=self._bias_initializer or init_ops.zeros_initializer())
        self._candidate_hidden_bias = self.add_weight(
            "candidate/hidden_projection/bias", [n],
            initializer=self._bias_initializer or init_ops.zeros_initializer())
        self.built = True

    def call(self, inputs, state):
        gate_inputs = nn_ops.bias_add(
            linalg_ops.matmul(array_ops.concat([inputs, state], 1), self._gate_kernel),
            self._gate_bias)
        r, u = array_ops.split(math_ops.sigmoid(gate_inputs), 2, axis=1)
        candidate = nn_ops.bias_add(linalg_ops.matmul(inputs, self._candidate_input_kernel),
                                    self._candidate_input_bias)
        candidate = candidate + r * nn_ops.bias_add(
            linalg_ops.matmul(state, self._candidate_hidden_kernel), self._candidate_hidden_bias)
        candidate = self._activation(candidate)
        new_h = (1 - u) * candidate + u * state
        return new_h, new_h


__all__ = ["CUDNN_GRU", "CUDNN_INPUT_AUTO_MODE", "CUDNN_INPUT_LINEAR_MODE",
           "CUDNN_INPUT_SKIP_MODE", "CUDNN_LSTM", "CUDNN_RNN_BIDIRECTION", "CUDNN_RNN_RELU",
           "CUDNN_RNN_TANH", "CUDNN_RNN_UNIDIRECTION", "CudnnCompatibleGRUCell",
           "CudnnCompatibleLSTMCell"]
