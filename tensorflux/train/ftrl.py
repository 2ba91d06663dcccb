"""`tf.train.FtrlOptimizer`: FTRL-Proximal (McMahan et al.), with L1/L2 and L2 shrinkage."""

from tensorflux.ops import array_ops, training_ops
from tensorflux.ops.constant_op import convert_to_tensor
from tensorflux.train.optimizer import Optimizer


class FtrlOptimizer(Optimizer):
    """FTRL. Slots "accum" (`<var>/Ftrl`, starts at `initial_accumulator_value`) and
    "linear" (`<var>/Ftrl_1`). Uses `ApplyFtrlV2` when `l2_shrinkage_regularization_strength`
    is positive, else `ApplyFtrl`.

    Example:
        >>> opt = tf.train.FtrlOptimizer(0.1, l1_regularization_strength=0.001)
    """

    def __init__(self, learning_rate, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="Ftrl", accum_name=None, linear_name=None,
                 l2_shrinkage_regularization_strength=0.0, beta=None):
        super().__init__(use_locking, name)
        checks = [
            (initial_accumulator_value < 0.0, "initial_accumulator_value %f needs to be "
             "positive or zero" % initial_accumulator_value),
            (learning_rate_power > 0.0, "learning_rate_power %f needs to be negative or zero"
             % learning_rate_power),
            (l1_regularization_strength < 0.0, "l1_regularization_strength %f needs to be "
             "positive or zero" % l1_regularization_strength),
            (l2_regularization_strength < 0.0, "l2_regularization_strength %f needs to be "
             "positive or zero" % l2_regularization_strength),
            (l2_shrinkage_regularization_strength < 0.0, "l2_shrinkage_regularization_strength "
             "%f needs to be positive or zero" % l2_shrinkage_regularization_strength),
        ]
        for bad, message in checks:
            if bad:
                raise ValueError(message)
        self._learning_rate = learning_rate
        self._learning_rate_power = learning_rate_power
        self._initial_accumulator_value = initial_accumulator_value
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength
        self._beta = 0.0 if beta is None else beta
        self._l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self._accum_name = accum_name
        self._linear_name = linear_name

    def _create_slots(self, var_list):
        def accum_initializer(shape, dtype=None, partition_info=None):
            return array_ops.ones(shape, dtype=dtype) * self._initial_accumulator_value

        for v in var_list:
            self._get_or_make_slot_with_initializer(
                v, accum_initializer, v.shape, v.dtype.base_dtype, "accum",
                self._accum_name or self._name)
            self._zeros_slot(v, "linear", self._linear_name or self._name)

    def _prepare(self):
        from tensorflux.ops import math_ops

        self._learning_rate_tensor = convert_to_tensor(self._learning_rate,
                                                       name="learning_rate")
        self._l1_regularization_strength_tensor = convert_to_tensor(
            self._l1_regularization_strength, name="l1_regularization_strength")
        adjusted = self._l2_regularization_strength
        if self._beta:  # without beta, TF's extra term is a constant 0.0
            adjusted = adjusted + self._beta / (
                2.0 * math_ops.maximum(self._learning_rate, 1e-36))
        self._adjusted_l2_regularization_strength_tensor = convert_to_tensor(
            adjusted, name="adjusted_l2_regularization_strength")
        self._beta_tensor = convert_to_tensor(self._beta, name="beta")
        self._l2_shrinkage_regularization_strength_tensor = convert_to_tensor(
            self._l2_shrinkage_regularization_strength,
            name="l2_shrinkage_regularization_strength")
        self._learning_rate_power_tensor = convert_to_tensor(self._learning_rate_power,
                                                             name="learning_rate_power")

    def _args(self, var):
        c = self._cast
        lr = c(self._learning_rate_tensor, var)
        l1 = c(self._l1_regularization_strength_tensor, var)
        l2 = c(self._adjusted_l2_regularization_strength_tensor, var)
        power = c(self._learning_rate_power_tensor, var)
        if self._l2_shrinkage_regularization_strength <= 0.0:
            return [lr, l1, l2, power]
        return [lr, l1, l2, c(self._l2_shrinkage_regularization_strength_tensor, var), power]

    def _apply_dense(self, grad, var):
        fn = (training_ops.apply_ftrl if self._l2_shrinkage_regularization_strength <= 0.0
              else training_ops.apply_ftrl_v2)
        return fn(var, self.get_slot(var, "accum"), self.get_slot(var, "linear"), grad,
                  *self._args(var), use_locking=self._use_locking)

    def _apply_sparse(self, grad, var):
        fn = (training_ops.sparse_apply_ftrl if self._l2_shrinkage_regularization_strength <= 0.0
              else training_ops.sparse_apply_ftrl_v2)
        return fn(var, self.get_slot(var, "accum"), self.get_slot(var, "linear"), grad.values,
                  grad.indices, *self._args(var), use_locking=self._use_locking)
