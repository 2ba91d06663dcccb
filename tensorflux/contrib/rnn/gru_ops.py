"""`tf.contrib.rnn` block GRU cells: `GRUBlockCell` and `GRUBlockCellV2`.

TF runs them as one fused kernel (`GRUBlockCell`); here they are composites computing the same
step. Variable names are TF 1.15's, including its historical swap in `GRUBlockCell`: the gate
kernel `[depth + n, 2n]` is named `w_c` and the candidate kernel `[depth + n, n]` is `w_ru`
(biases `b_ru` [2n], init 1.0, and `b_c` [n], init 0.0). `GRUBlockCellV2` names them as
`GRUCell` does: `gates/kernel`, `gates/bias`, `candidate/kernel`, `candidate/bias`.
"""

from tensorflux.graph import tensor_shape
from tensorflux.layers import base as base_layer
from tensorflux.ops import array_ops, init_ops, linalg_ops, math_ops, nn_ops
from tensorflux.ops.rnn_cell_impl import LayerRNNCell


def gru_block_step(x, h_prev, w_ru, w_c, b_ru, b_c):
    """One step of TF's GRUBlockCell kernel: returns the new h.

    `[r, u] = sigmoid([x, h_prev] w_ru + b_ru)`, `c = tanh([x, r * h_prev] w_c + b_c)`,
    `h = (1 - u) * c + u * h_prev`.
    """
    ru = math_ops.sigmoid(nn_ops.bias_add(
        linalg_ops.matmul(array_ops.concat([x, h_prev], 1), w_ru), b_ru))
    r, u = array_ops.split(ru, 2, axis=1)
    c = math_ops.tanh(nn_ops.bias_add(
        linalg_ops.matmul(array_ops.concat([x, r * h_prev], 1), w_c), b_c))
    return u * h_prev + (1 - u) * c


class GRUBlockCell(LayerRNNCell):
    """TF's fused-kernel GRU cell (Cho et al. 2014), default scope `gru_cell`.

    Example:
        >>> cell = tf.contrib.rnn.GRUBlockCell(16)   # gru_cell/w_c, w_ru, b_ru, b_c
    """

    _names = ("w_c", "b_ru", "w_ru", "b_c")

    def __init__(self, num_units=None, cell_size=None, reuse=None, name="gru_cell"):
        super().__init__(_reuse=reuse, name=name)
        if (cell_size is None) == (num_units is None):
            raise ValueError("Exactly one of num_units or cell_size must be provided.")
        if num_units is None:
            num_units = cell_size
        self._cell_size = num_units
        self.input_spec = base_layer.InputSpec(ndim=2)

    @property
    def state_size(self):
        return self._cell_size

    @property
    def output_size(self):
        return self._cell_size

    def build(self, input_shape):
        input_size = tensor_shape.as_shape(input_shape)[1].value
        if input_size is None:
            raise ValueError("Expecting input_size to be set.")
        n = self._cell_size
        gate_kernel, gate_bias, cand_kernel, cand_bias = self._names
        self._gate_kernel = self.add_weight(gate_kernel, [input_size + n, 2 * n])
        self._gate_bias = self.add_weight(gate_bias, [2 * n],
                                          initializer=init_ops.constant_initializer(1.0))
        self._candidate_kernel = self.add_weight(cand_kernel, [input_size + n, n])
        self._candidate_bias = self.add_weight(cand_bias, [n],
                                               initializer=init_ops.constant_initializer(0.0))
        self.built = True

    def call(self, inputs, h_prev):
        cell_size = h_prev.get_shape().with_rank(2)[1].value
        if cell_size is not None and cell_size != self._cell_size:
            raise ValueError("Shape of h_prev[1] incorrect: cell_size %i vs %s"
                             % (self._cell_size, cell_size))
        new_h = gru_block_step(inputs, h_prev, self._gate_kernel, self._candidate_kernel,
                               self._gate_bias, self._candidate_bias)
        return new_h, new_h


class GRUBlockCellV2(GRUBlockCell):
    """`GRUBlockCell` with `GRUCell`'s variable names (`gates/kernel`, `candidate/kernel`, ...).

    Example:
        >>> cell = tf.contrib.rnn.GRUBlockCellV2(16)
    """

    _names = ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")


__all__ = ["GRUBlockCell", "GRUBlockCellV2"]
