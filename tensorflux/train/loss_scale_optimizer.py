"""`tf.train.experimental.MixedPrecisionLossScaleOptimizer`: loss scaling around an optimizer.

`compute_gradients` differentiates `loss * loss_scale` and divides the gradients by the scale;
`apply_gradients` (with a dynamic loss scale) updates the scale and applies the gradients only
when they are all finite: the wrapped optimizer's update runs inside a `tf.cond`, so a skipped
step changes no variable, slot or `global_step`. The optimizer keeps the wrapped one's name
(its update ops are named `<name>-wrapped/...`, as TF 1.15).

Example:
    >>> opt = tf.train.experimental.MixedPrecisionLossScaleOptimizer(
    ...     tf.train.GradientDescentOptimizer(0.1), "dynamic")
    >>> train_op = opt.minimize(loss)
"""

from tensorflux.ops import cond_ops, control_flow_ops, math_ops
from tensorflux.ops.indexed_slices import IndexedSlices
from tensorflux.train import loss_scale as loss_scale_module
from tensorflux.train.optimizer import Optimizer


class MixedPrecisionLossScaleOptimizer(Optimizer):
    """An optimizer that applies loss scaling (TF 1.15's, for graph-mode training)."""

    def __init__(self, opt, loss_scale):
        if not isinstance(opt, Optimizer):
            raise ValueError('"opt" must be an instance of Optimizer, but got: %s' % type(opt))
        self._optimizer = opt
        super().__init__(opt._use_locking, opt.get_name())
        self._loss_scale = loss_scale_module.get(loss_scale)
        if self._loss_scale is None:
            raise ValueError("loss_scale cannot be None")

    @property
    def loss_scale(self):
        return self._loss_scale

    def _doing_dynamic_loss_scaling(self):
        return isinstance(self._loss_scale, loss_scale_module.DynamicLossScale)

    def compute_gradients(self, loss, var_list=None, gate_gradients=Optimizer.GATE_OP,
                          aggregation_method=None, colocate_gradients_with_ops=False,
                          grad_loss=None):
        """The wrapped optimizer's gradients of `loss * scale`, divided by the scale."""
        loss = self._scale_loss(loss)
        grads_and_vars = self._optimizer.compute_gradients(
            loss=loss, var_list=var_list, gate_gradients=gate_gradients,
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops, grad_loss=grad_loss)
        grads = self._unscale_grads([g for g, _ in grads_and_vars])
        return list(zip(grads, [v for _, v in grads_and_vars]))

    def _scale_loss(self, loss):
        scale = self._loss_scale()
        if callable(loss):
            def scaled():
                value = loss()
                return value * math_ops.cast(scale, value.dtype)
            return scaled
        return loss * math_ops.cast(scale, loss.dtype)

    def _unscale_grads(self, grads):
        reciprocal = 1 / self._loss_scale()
        out = []
        for g in grads:
            if g is None:
                out.append(None)
            elif isinstance(g, IndexedSlices):
                values = g.values * math_ops.cast(reciprocal, g.values.dtype)
                out.append(IndexedSlices(values, g.indices, g.dense_shape))
            else:
                out.append(g * math_ops.cast(reciprocal, g.dtype))
        return out

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """Applies the gradients if all are finite (dynamic scale), and updates the scale."""
        if not self._doing_dynamic_loss_scaling():
            return self._optimizer.apply_gradients(grads_and_vars, global_step, name)
        grads_and_vars = tuple(grads_and_vars)
        name = name if name is not None else self.get_name()
        update_op, should_apply = self._loss_scale.update([g for g, _ in grads_and_vars])

        def apply_fn():
            return self._optimizer.apply_gradients(grads_and_vars, global_step,
                                                   name + "-wrapped")

        maybe_apply = cond_ops.cond(should_apply, apply_fn, control_flow_ops.no_op)
        return control_flow_ops.group(maybe_apply, update_op, name=name)

    def variables(self):
        return self._optimizer.variables() + list(getattr(self._loss_scale, "_weights",
                                                          {}).values())

    def _apply_dense(self, grad, var):
        raise RuntimeError("This function should never be called")

    def _apply_sparse(self, grad, var):
        raise RuntimeError("This function should never be called")
