"""`tf.contrib.cudnn_rnn` constants, the opaque parameter layout, and the cells that read
CudnnRNN checkpoints (`CudnnCompatibleLSTMCell`, `CudnnCompatibleGRUCell`).

The opaque parameter buffer (variable `<layer>/opaque_kernel`) is cuDNN's: for each
pseudo-layer `p = layer * num_dirs + direction`, first the `G` input matrices (`[num_units,
input_size]`, row-major; `input_size` is the depth of the layer's input), then the `G`
recurrent matrices (`[num_units, num_units]`), then `G` input biases and `G` recurrent biases
(`[num_units]` each). Gate orders: LSTM (i, f, c, o), GRU (r, u, h), RNN (one gate).
"""

import numpy as np

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


# --- checkpoints in TF canonical form ---------------------------------------------------------
class CudnnOpaqueParamsSaveable:
    """Saves a CudnnRNN layer's opaque buffer as the weights of the platform-independent cells
    (TF's `CudnnOpaqueParamsSaveable`), and restores the buffer from them.

    Entries, all weights then all biases, layer by layer (forward then backward), named
    `<scope>/rnn/multi_rnn_cell/cell_<layer>/<cell>/...` (unidirectional) or
    `<scope>/stack_bidirectional_rnn/cell_<layer>/bidirectional_rnn/{fw,bw}/<cell>/...`.
    Input and recurrent biases are saved summed, and restored as two halves (as TF does).
    A `tf.train.Saver` finds it in the SAVEABLE_OBJECTS collection (the layer adds it).

    Example:
        >>> lstm = tf.contrib.cudnn_rnn.CudnnLSTM(1, 8); outputs, _ = lstm(x)
        >>> tf.train.Saver().save(sess, path)   # ".../cudnn_compatible_lstm_cell/kernel", ...
    """

    _rnn_mode = None
    _rnn_cell_name = None

    def __init__(self, opaque_params, num_layers, num_units, input_size,
                 input_mode=CUDNN_INPUT_LINEAR_MODE, direction=CUDNN_RNN_UNIDIRECTION,
                 scope=None, name="cudnn_rnn_saveable"):
        self.op = opaque_params
        self.name = name
        self.dtype = opaque_params.dtype.base_dtype
        self._num_layers = num_layers
        self._num_units = num_units
        self._input_size = input_size
        self._input_mode = input_mode
        self._direction = direction
        self._num_dirs = 2 if direction == CUDNN_RNN_BIDIRECTION else 1
        scope = getattr(scope, "name", scope)
        prefix = scope + "/" if scope else ""
        weights, biases = [], []
        for layer in range(num_layers):
            for d in range(self._num_dirs):
                cell = prefix + self._cell_prefix(layer, d) + "/"
                weights += [cell + n for n in self._weight_names]
                biases += [cell + n for n in self._bias_names]
        self.spec_names = weights + biases

    def _cell_prefix(self, layer, d):
        if self._direction == CUDNN_RNN_UNIDIRECTION:
            return "rnn/multi_rnn_cell/cell_%d/%s" % (layer, self._rnn_cell_name)
        return "stack_bidirectional_rnn/cell_%d/bidirectional_rnn/%s/%s" % (
            layer, "bw" if d else "fw", self._rnn_cell_name)

    def _pieces(self, opaque):
        """Per pseudo-layer: (input matrices [n, in] per gate, recurrent [n, n] per gate,
        input biases, recurrent biases), views of the opaque buffer."""
        gates = _PARAMS_PER_LAYER[self._rnn_mode] // 2
        n = self._num_units
        out, pos = [], 0
        for layer in range(self._num_layers):
            in_size = self._input_size if layer == 0 else n * self._num_dirs
            for _ in range(self._num_dirs):
                parts = []
                for shape in ((n, in_size), (n, n), (n,), (n,)):
                    size = int(np.prod(shape))
                    parts.append([opaque[pos + g * size:pos + (g + 1) * size].reshape(shape)
                                  for g in range(gates)])
                    pos += gates * size
                out.append(parts)
        if pos != opaque.size:
            raise ValueError("opaque params of %d elements, expected %d" % (opaque.size, pos))
        return out

    def values_to_save(self, read):
        """The canonical weights then biases, from the buffer's value (`read(variable)`)."""
        weights, biases = [], []
        for w, r, bw, br in self._pieces(np.asarray(read(self.op)).reshape(-1)):
            ws, bs = self._to_tf(w, r, bw, br)
            weights += ws
            biases += bs
        return weights + biases

    def values_to_restore(self, arrays):
        """`[(opaque variable, buffer)]` from the canonical weights then biases."""
        per = len(self._weight_names)
        n_pseudo = self._num_layers * self._num_dirs
        weights, biases = arrays[:per * n_pseudo], arrays[per * n_pseudo:]
        flat = []
        for p in range(n_pseudo):
            in_size = self._input_size if p < self._num_dirs else \
                self._num_units * self._num_dirs
            w, r, bw, br = self._from_tf(weights[p * per:(p + 1) * per],
                                         biases[p * per:(p + 1) * per], in_size)
            flat += [np.asarray(x).reshape(-1) for x in w + r + bw + br]
        return [(self.op, np.concatenate(flat))]

    def _split(self, kernel, in_size, parts):
        """A [in + n, parts * n] kernel -> (input [n, in], recurrent [n, n]) per part."""
        kernel = np.asarray(kernel)
        n = self._num_units
        if kernel.shape != (in_size + n, parts * n):
            raise ValueError("canonical kernel of shape %s, expected %s"
                             % (list(kernel.shape), [in_size + n, parts * n]))
        mats = np.split(kernel.T, parts, axis=0)
        return [m[:, :in_size] for m in mats], [m[:, in_size:] for m in mats]


class CudnnLSTMSaveable(CudnnOpaqueParamsSaveable):
    """CudnnLSTM's: `kernel` [in + n, 4n] and `bias` [4n] of a `CudnnCompatibleLSTMCell`,
    gates in TF's order i, c, f, o (cuDNN's is i, f, c, o)."""

    _rnn_mode = CUDNN_LSTM
    _rnn_cell_name = "cudnn_compatible_lstm_cell"
    _weight_names = ("kernel",)
    _bias_names = ("bias",)
    _order = (0, 2, 1, 3)  # cuDNN (i, f, c, o) <-> TF (i, c, f, o); its own inverse

    def _to_tf(self, w, r, bw, br):
        kernel = np.concatenate([np.concatenate([w[g], r[g]], 1) for g in self._order], 0).T
        bias = np.concatenate([bw[g] + br[g] for g in self._order])
        return [kernel], [bias]

    def _from_tf(self, weights, biases, in_size):
        w, r = self._split(weights[0], in_size, len(self._order))
        half = np.split(np.asarray(biases[0]) * 0.5, len(self._order))
        o = self._order
        return [w[g] for g in o], [r[g] for g in o], [half[g] for g in o], [half[g] for g in o]


class CudnnGRUSaveable(CudnnOpaqueParamsSaveable):
    """CudnnGRU's: the `CudnnCompatibleGRUCell` weights (`gates/kernel` for r and u,
    `candidate/input_projection/kernel`, `candidate/hidden_projection/kernel`, and biases)."""

    _rnn_mode = CUDNN_GRU
    _rnn_cell_name = "cudnn_compatible_gru_cell"
    _weight_names = ("gates/kernel", "candidate/input_projection/kernel",
                     "candidate/hidden_projection/kernel")
    _bias_names = ("gates/bias", "candidate/input_projection/bias",
                   "candidate/hidden_projection/bias")

    def _to_tf(self, w, r, bw, br):
        gates = np.concatenate([np.concatenate([w[g], r[g]], 1) for g in (0, 1)], 0).T
        gates_bias = np.concatenate([bw[0], bw[1]]) + np.concatenate([br[0], br[1]])
        return [gates, w[2].T, r[2].T], [gates_bias, bw[2], br[2]]

    def _from_tf(self, weights, biases, in_size):
        w, r = self._split(weights[0], in_size, 2)
        half = np.split(np.asarray(biases[0]) * 0.5, 2)
        w_h, r_h = np.asarray(weights[1]).T, np.asarray(weights[2]).T
        return w + [w_h], r + [r_h], half + [biases[1]], half + [biases[2]]


class CudnnRNNTanhSaveable(CudnnOpaqueParamsSaveable):
    """CudnnRNNTanh's: `kernel` [in + n, n] and `bias` [n] of a `BasicRNNCell`."""

    _rnn_mode = CUDNN_RNN_TANH
    _rnn_cell_name = "basic_rnn_cell"
    _weight_names = ("kernel",)
    _bias_names = ("bias",)

    def _to_tf(self, w, r, bw, br):
        return [np.concatenate([w[0], r[0]], 1).T], [bw[0] + br[0]]

    def _from_tf(self, weights, biases, in_size):
        w, r = self._split(weights[0], in_size, 1)
        half = np.asarray(biases[0]) * 0.5
        return w, r, [half], [half]


class CudnnRNNReluSaveable(CudnnRNNTanhSaveable):
    """CudnnRNNRelu's: as CudnnRNNTanh's."""

    _rnn_mode = CUDNN_RNN_RELU


__all__ = ["CUDNN_GRU", "CUDNN_INPUT_AUTO_MODE", "CUDNN_INPUT_LINEAR_MODE",
           "CUDNN_INPUT_SKIP_MODE", "CUDNN_LSTM", "CUDNN_RNN_BIDIRECTION", "CUDNN_RNN_RELU",
           "CUDNN_RNN_TANH", "CUDNN_RNN_UNIDIRECTION", "CudnnCompatibleGRUCell",
           "CudnnCompatibleLSTMCell", "CudnnGRUSaveable", "CudnnLSTMSaveable",
           "CudnnOpaqueParamsSaveable", "CudnnRNNReluSaveable", "CudnnRNNTanhSaveable"]
