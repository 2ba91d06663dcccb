"""`tf.train.AdagradOptimizer`: accum += grad^2; var -= lr * grad / sqrt(accum)."""

from tensorflux.ops import init_ops, training_ops
from tensorflux.ops.constant_op import convert_to_tensor
from tensorflux.train.optimizer import Optimizer


class AdagradOptimizer(Optimizer):
    """Adagrad; one slot `<var>/Adagrad` ("accumulator"), starting at 0.1.

    Example:
        >>> opt = tf.train.AdagradOptimizer(0.1, initial_accumulator_value=0.1)
    """

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False,
                 name="Adagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError("initial_accumulator_value must be positive: %s"
                             % initial_accumulator_value)
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value
        self._learning_rate_tensor = None

    def _create_slots(self, var_list):
        for v in var_list:
            dtype = v.dtype.base_dtype
            init = init_ops.constant_initializer(self._initial_accumulator_value, dtype=dtype)
            self._get_or_make_slot_with_initializer(v, init, v.get_shape(), dtype,
                                                    "accumulator", self._name)

    def _prepare(self):
        lr = self._call_if_callable(self._learning_rate)
        self._learning_rate_tensor = convert_to_tensor(lr, name="learning_rate")

    def _apply_dense(self, grad, var):
        return training_ops.apply_adagrad(
            var, self.get_slot(var, "accumulator"), self._cast(self._learning_rate_tensor, var),
            grad, use_locking=self._use_locking)

    def _apply_sparse(self, grad, var):
        return training_ops.sparse_apply_adagrad(
            var, self.get_slot(var, "accumulator"), self._cast(self._learning_rate_tensor, var),
            grad.values, grad.indices, use_locking=self._use_locking)
