"""`tf.train.AdamOptimizer`: Kingma & Ba's Adam, with TF 1.x's form of the bias correction.

The step is `lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)` and
`var -= lr_t * m / (sqrt(v) + epsilon)`: epsilon is TF's "epsilon hat", added after the bias
correction. `beta1^t` and `beta2^t` are two variables of the optimizer, `beta1_power` and
`beta2_power`, colocated with the first variable by name and multiplied by beta after each step.
"""

from tensorflux.graph import graph as graph_lib
from tensorflux.ops import control_flow_ops, training_ops
from tensorflux.ops.constant_op import convert_to_tensor
from tensorflux.train.optimizer import Optimizer


class AdamOptimizer(Optimizer):
    """Adam. Slots "m" (`<var>/Adam`) and "v" (`<var>/Adam_1`).

    Example:
        >>> train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)
    """

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 use_locking=False, name="Adam"):
        super().__init__(use_locking, name)
        self._lr = learning_rate
        self._beta1 = beta1
        self._beta2 = beta2
        self._epsilon = epsilon
        self._lr_t = self._beta1_t = self._beta2_t = self._epsilon_t = None

    def _get_beta_accumulators(self):
        with graph_lib.init_scope():  # the outer graph, also from inside a tf.cond branch
            g = graph_lib.get_default_graph()
        return (self._get_non_slot_variable("beta1_power", graph=g),
                self._get_non_slot_variable("beta2_power", graph=g))

    def _create_slots(self, var_list):
        first_var = min(var_list, key=lambda x: x.name)
        self._create_non_slot_variable(self._beta1, "beta1_power", first_var)
        self._create_non_slot_variable(self._beta2, "beta2_power", first_var)
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _prepare(self):
        c = self._call_if_callable
        self._lr_t = convert_to_tensor(c(self._lr), name="learning_rate")
        self._beta1_t = convert_to_tensor(c(self._beta1), name="beta1")
        self._beta2_t = convert_to_tensor(c(self._beta2), name="beta2")
        self._epsilon_t = convert_to_tensor(c(self._epsilon), name="epsilon")

    def _apply_dense(self, grad, var):
        beta1_power, beta2_power = self._get_beta_accumulators()
        return training_ops.apply_adam(
            var, self.get_slot(var, "m"), self.get_slot(var, "v"),
            self._cast(beta1_power, var), self._cast(beta2_power, var),
            self._cast(self._lr_t, var), self._cast(self._beta1_t, var),
            self._cast(self._beta2_t, var), self._cast(self._epsilon_t, var), grad,
            use_locking=self._use_locking).op

    def _finish(self, update_ops, name_scope):
        g = graph_lib.get_default_graph()
        with g.control_dependencies(update_ops):
            beta1_power, beta2_power = self._get_beta_accumulators()
            with g.colocate_with(beta1_power.op):
                update_beta1 = beta1_power.assign(beta1_power * self._beta1_t,
                                                  use_locking=self._use_locking)
                update_beta2 = beta2_power.assign(beta2_power * self._beta2_t,
                                                  use_locking=self._use_locking)
        return control_flow_ops.group(*update_ops + [update_beta1, update_beta2],
                                      name=name_scope)
