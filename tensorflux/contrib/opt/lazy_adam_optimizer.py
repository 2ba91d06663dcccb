"""`tf.contrib.opt.LazyAdamOptimizer`: Adam whose sparse updates touch only the gradient's rows.

Dense gradients take plain Adam's step. For an `IndexedSlices` gradient (e.g. from
`tf.gather` / an embedding lookup), only the rows in `grad.indices` of `m`, `v` and the
variable change:

    m[i] = beta1 * m[i] + (1 - beta1) * g
    v[i] = beta2 * v[i] + (1 - beta2) * g^2
    var[i] -= lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m[i] / (sqrt(v[i]) + epsilon)
"""

from tensorflux.ops import array_ops, control_flow_ops, math_ops, scatter_ops
from tensorflux.train.adam import AdamOptimizer


class LazyAdamOptimizer(AdamOptimizer):
    """Adam with lazy sparse updates (same slots as Adam: "m", "v").

    Example:
        >>> opt = tf.contrib.opt.LazyAdamOptimizer(1e-3)
        >>> train_op = opt.minimize(tf.reduce_sum(tf.nn.embedding_lookup(emb, ids)))
    """

    def _apply_sparse(self, grad, var):
        beta1_power, beta2_power = self._get_beta_accumulators()
        beta1_power = self._cast(beta1_power, var)
        beta2_power = self._cast(beta2_power, var)
        lr_t = self._cast(self._lr_t, var)
        beta1_t = self._cast(self._beta1_t, var)
        beta2_t = self._cast(self._beta2_t, var)
        epsilon_t = self._cast(self._epsilon_t, var)
        lr = lr_t * math_ops.sqrt(1 - beta2_power) / (1 - beta1_power)
        m = self.get_slot(var, "m")
        m_t = scatter_ops.scatter_update(
            m, grad.indices,
            beta1_t * array_ops.gather(m, grad.indices) + (1 - beta1_t) * grad.values,
            use_locking=self._use_locking)
        v = self.get_slot(var, "v")
        v_t = scatter_ops.scatter_update(
            v, grad.indices,
            beta2_t * array_ops.gather(v, grad.indices)
            + (1 - beta2_t) * math_ops.square(grad.values),
            use_locking=self._use_locking)
        m_t_slice = array_ops.gather(m_t, grad.indices)
        v_t_slice = array_ops.gather(v_t, grad.indices)
        denominator_slice = math_ops.sqrt(v_t_slice) + epsilon_t
        var_update = scatter_ops.scatter_sub(var, grad.indices,
                                             lr * m_t_slice / denominator_slice,
                                             use_locking=self._use_locking)
        return control_flow_ops.group(var_update, m_t, v_t)
