"""Decoupled weight decay (Loshchilov & Hutter): `AdamWOptimizer`, `MomentumWOptimizer` and
`extend_with_decoupled_weight_decay`, as `tf.contrib.opt` has them in TF 1.x.

Each variable is decayed BEFORE the base optimizer's update, inside the same
`update_<var>` name scope: `var -= weight_decay * var` (a control dependency of the update),
then the base update runs on the decayed value. `decay_var_list` (an argument of `minimize` and
`apply_gradients`) limits the decay to some variables; by default every updated variable is
decayed. As in TF 1.15, `minimize`'s `decay_var_list` has no effect: `Optimizer.minimize` calls
`self.apply_gradients` without it, which resets the list (pass it to `apply_gradients`).
Sparse gradients decay only the rows they touch (`scatter_add` of
`-weight_decay * gather(var, indices)`).
"""

from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, control_flow_ops, scatter_ops
from tensorflux.ops.constant_op import convert_to_tensor
from tensorflux.train.adam import AdamOptimizer
from tensorflux.train.momentum import MomentumOptimizer
from tensorflux.train.optimizer import Optimizer


class DecoupledWeightDecayExtension:
    """Mixin adding decoupled weight decay to an optimizer; it must come first in the bases.

    Example:
        >>> class AdamW(DecoupledWeightDecayExtension, tf.train.AdamOptimizer):
        ...     def __init__(self, weight_decay, *args, **kwargs):
        ...         super().__init__(weight_decay, *args, **kwargs)
    """

    def __init__(self, weight_decay, **kwargs):
        self._decay_var_list = None  # set by minimize / apply_gradients
        self._weight_decay = weight_decay
        self._weight_decay_tensor = None
        self._in_sparse_apply = False
        super().__init__(**kwargs)

    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=Optimizer.GATE_OP,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None,
                 grad_loss=None, decay_var_list=None):
        """`Optimizer.minimize`, decaying only `decay_var_list` when it is given."""
        self._decay_var_list = set(decay_var_list) if decay_var_list else False
        return super().minimize(
            loss, global_step=global_step, var_list=var_list, gate_gradients=gate_gradients,
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops, name=name,
            grad_loss=grad_loss)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None, decay_var_list=None):
        """`Optimizer.apply_gradients`, decaying only `decay_var_list` when it is given."""
        self._decay_var_list = set(decay_var_list) if decay_var_list else False
        return super().apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def _prepare(self):
        weight_decay = self._call_if_callable(self._weight_decay)
        self._weight_decay_tensor = convert_to_tensor(weight_decay, name="weight_decay")
        super()._prepare()

    def _decays(self, var):
        return not self._decay_var_list or var in self._decay_var_list

    def _decay_weights_op(self, var):
        if self._decays(var):
            # TF multiplies by the constructor's value (not `weight_decay_tensor`).
            return var.assign_sub(self._weight_decay * var, self._use_locking)
        return control_flow_ops.no_op()

    def _decay_weights_sparse_op(self, var, indices):
        if self._decays(var):
            update = -self._weight_decay * array_ops.gather(var, indices)
            return scatter_ops.scatter_add(var, indices, update, self._use_locking)
        return control_flow_ops.no_op()

    def _apply_dense(self, grad, var):
        if self._in_sparse_apply:  # the base's sparse update densified: already decayed
            return super()._apply_dense(grad, var)
        with graph_lib.control_dependencies([self._decay_weights_op(var)]):
            return super()._apply_dense(grad, var)

    def _apply_sparse(self, grad, var):
        decay_op = self._decay_weights_sparse_op(var, grad.indices)
        with graph_lib.control_dependencies([decay_op]):
            # A base without a sparse update (tensorflux's Adam) densifies the gradient and
            # calls `_apply_dense`, which must not decay the whole variable a second time.
            self._in_sparse_apply = True
            try:
                return super()._apply_sparse(grad, var)
            finally:
                self._in_sparse_apply = False


def extend_with_decoupled_weight_decay(base_optimizer):
    """A subclass of `base_optimizer` whose first constructor argument is `weight_decay` and
    whose `minimize` / `apply_gradients` take `decay_var_list`.

    Example:
        >>> MyAdamW = tf.contrib.opt.extend_with_decoupled_weight_decay(tf.train.AdamOptimizer)
        >>> train_op = MyAdamW(weight_decay=1e-4, learning_rate=1e-3).minimize(loss)
    """

    class OptimizerWithDecoupledWeightDecay(DecoupledWeightDecayExtension, base_optimizer):
        """`base_optimizer` with decoupled weight decay."""

        def __init__(self, weight_decay, *args, **kwargs):
            super().__init__(weight_decay, *args, **kwargs)

    return OptimizerWithDecoupledWeightDecay


class MomentumWOptimizer(DecoupledWeightDecayExtension, MomentumOptimizer):
    """SGDW: `tf.train.MomentumOptimizer` with decoupled weight decay (slot "momentum").

    Example:
        >>> opt = tf.contrib.opt.MomentumWOptimizer(1e-4, learning_rate=0.1, momentum=0.9)
    """

    def __init__(self, weight_decay, learning_rate, momentum, use_locking=False,
                 name="MomentumW", use_nesterov=False):
        super().__init__(weight_decay, learning_rate=learning_rate, momentum=momentum,
                         use_locking=use_locking, name=name, use_nesterov=use_nesterov)


class AdamWOptimizer(DecoupledWeightDecayExtension, AdamOptimizer):
    """AdamW: `tf.train.AdamOptimizer` with decoupled weight decay (slots "m", "v").

    Example:
        >>> opt = tf.contrib.opt.AdamWOptimizer(weight_decay=1e-4, learning_rate=1e-3)
        >>> train_op = opt.minimize(loss, decay_var_list=weights_only)
    """

    def __init__(self, weight_decay, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 use_locking=False, name="AdamW"):
        super().__init__(weight_decay, learning_rate=learning_rate, beta1=beta1, beta2=beta2,
                         epsilon=epsilon, use_locking=use_locking, name=name)
