"""`tf.train.ProximalGradientDescentOptimizer`, `ProximalAdagradOptimizer`, `AdagradDAOptimizer`.

Gradient steps followed by an l1/l2 proximal step (FOBOS), and Adagrad's dual-averaging form,
which keeps the sum of the gradients and recomputes the variable from it at every step.
"""

from tensorflux.ops import array_ops, init_ops, math_ops, proximal_training_ops
from tensorflux.ops.constant_op import convert_to_tensor
from tensorflux.train.optimizer import Optimizer


class _ProximalBase(Optimizer):
    """Learning rate and l1/l2 strengths as tensors, built in `_prepare` (not cast: as in TF,
    they must already have the variable's dtype)."""

    def __init__(self, learning_rate, l1, l2, use_locking, name):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._l1_regularization_strength = l1
        self._l2_regularization_strength = l2
        self._learning_rate_tensor = None
        self._l1_regularization_strength_tensor = None
        self._l2_regularization_strength_tensor = None

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(
            self._call_if_callable(self._learning_rate), name="learning_rate")
        self._l1_regularization_strength_tensor = convert_to_tensor(
            self._l1_regularization_strength, name="l1_regularization_strength")
        self._l2_regularization_strength_tensor = convert_to_tensor(
            self._l2_regularization_strength, name="l2_regularization_strength")

    def _hyper(self):
        return (self._learning_rate_tensor, self._l1_regularization_strength_tensor,
                self._l2_regularization_strength_tensor)


class ProximalGradientDescentOptimizer(_ProximalBase):
    """Gradient descent with l1/l2 regularization applied as a proximal step; no slots.

    Example:
        >>> opt = tf.train.ProximalGradientDescentOptimizer(0.1, l1_regularization_strength=0.01)
        >>> train_op = opt.minimize(loss)
    """

    def __init__(self, learning_rate, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, use_locking=False,
                 name="ProximalGradientDescent"):
        super().__init__(learning_rate, l1_regularization_strength, l2_regularization_strength,
                         use_locking, name)

    def _apply_dense(self, grad, var):
        return proximal_training_ops.apply_proximal_gradient_descent(
            var, *self._hyper(), grad, use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        return proximal_training_ops.sparse_apply_proximal_gradient_descent(
            var, *self._hyper(), grad.values, grad.indices, use_locking=self._use_locking).op


class ProximalAdagradOptimizer(_ProximalBase):
    """Adagrad's step size lr / sqrt(accum) with an l1/l2 proximal step; one slot
    `<var>/ProximalAdagrad` ("accumulator"), starting at `initial_accumulator_value`.

    Example:
        >>> opt = tf.train.ProximalAdagradOptimizer(0.1, l2_regularization_strength=0.001)
    """

    def __init__(self, learning_rate, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="ProximalAdagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError("initial_accumulator_value must be positive: %s"
                             % initial_accumulator_value)
        super().__init__(learning_rate, l1_regularization_strength, l2_regularization_strength,
                         use_locking, name)
        self._initial_accumulator_value = initial_accumulator_value

    def _create_slots(self, var_list):
        for v in var_list:
            dtype = v.dtype.base_dtype
            init = init_ops.constant_initializer(self._initial_accumulator_value, dtype=dtype)
            self._get_or_make_slot_with_initializer(v, init, v.get_shape(), dtype,
                                                    "accumulator", self._name)

    def _apply_dense(self, grad, var):
        return proximal_training_ops.apply_proximal_adagrad(
            var, self.get_slot(var, "accumulator"), *self._hyper(), grad,
            use_locking=self._use_locking)

    def _apply_sparse(self, grad, var):
        return proximal_training_ops.sparse_apply_proximal_adagrad(
            var, self.get_slot(var, "accumulator"), *self._hyper(), grad.values, grad.indices,
            use_locking=self._use_locking)


class AdagradDAOptimizer(Optimizer):
    """Adagrad dual averaging (Duchi et al. 2011), for sparse linear models.

    Two slots per variable: "gradient_accumulator" (starting at 0) and
    "gradient_squared_accumulator" (starting at `initial_gradient_squared_accumulator_value`),
    both named `<var>/AdagradDA`. Each step uses T = global_step + 1, read before
    `apply_gradients` increments it; `global_step` must be an int64 tensor or variable.

    Example:
        >>> step = tf.train.get_or_create_global_step()
        >>> opt = tf.train.AdagradDAOptimizer(0.1, step, l1_regularization_strength=0.01)
        >>> train_op = opt.minimize(loss, global_step=step)
    """

    def __init__(self, learning_rate, global_step, initial_gradient_squared_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="AdagradDA"):
        if initial_gradient_squared_accumulator_value <= 0.0:
            raise ValueError("initial_gradient_squared_accumulator_value must be positive: %s"
                             % initial_gradient_squared_accumulator_value)
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_gradient_squared_accumulator_value = (
            initial_gradient_squared_accumulator_value)
        self._learning_rate_tensor = None
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength
        self._global_step = global_step
        self._global_step_on_worker = None

    def _create_slots(self, var_list):
        for v in var_list:
            dtype = v.dtype.base_dtype
            zeros = init_ops.constant_initializer(0.0, dtype=dtype)
            init = init_ops.constant_initializer(
                self._initial_gradient_squared_accumulator_value, dtype=dtype)
            self._get_or_make_slot_with_initializer(v, zeros, v.get_shape(), dtype,
                                                    "gradient_accumulator", self._name)
            self._get_or_make_slot_with_initializer(v, init, v.get_shape(), dtype,
                                                    "gradient_squared_accumulator", self._name)

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(
            self._call_if_callable(self._learning_rate), name="learning_rate")
        # TF reads the global step once per apply_gradients (a worker-side copy), plus one.
        self._global_step_on_worker = array_ops.identity(self._global_step) + 1

    def _args(self, var):
        dtype = var.dtype.base_dtype
        return (math_ops.cast(self._learning_rate_tensor, dtype),
                math_ops.cast(self._l1_regularization_strength, dtype),
                math_ops.cast(self._l2_regularization_strength, dtype),
                array_ops.identity(self._global_step_on_worker))

    def _apply_dense(self, grad, var):
        return proximal_training_ops.apply_adagrad_da(
            var, self.get_slot(var, "gradient_accumulator"),
            self.get_slot(var, "gradient_squared_accumulator"), grad, *self._args(var),
            use_locking=self._use_locking)

    def _apply_sparse(self, grad, var):
        return proximal_training_ops.sparse_apply_adagrad_da(
            var, self.get_slot(var, "gradient_accumulator"),
            self.get_slot(var, "gradient_squared_accumulator"), grad.values, grad.indices,
            *self._args(var), use_locking=self._use_locking)
