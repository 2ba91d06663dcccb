"""`tf.contrib.opt.MovingAverageOptimizer`: wraps an optimizer and keeps an exponential moving
average of every variable it trains (`tf.train.ExponentialMovingAverage`, slots
`<var>/ExponentialMovingAverage`); `swapping_saver()` writes the averages under the variables'
names (and the variables under the averages' names), so a plain `Saver` restoring that
checkpoint loads the averaged weights.
"""

from tensorflux import variables
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import control_flow_ops
from tensorflux.train import moving_averages
from tensorflux.train import saver as saver_lib
from tensorflux.train.optimizer import Optimizer


class MovingAverageOptimizer(Optimizer):
    """Applies `opt`'s updates, then (by default) the moving-average updates.

    Example:
        >>> opt = tf.contrib.opt.MovingAverageOptimizer(tf.train.MomentumOptimizer(0.1, 0.9))
        >>> train_op = opt.minimize(loss)          # the returned op is "train_with_avg"
        >>> saver = opt.swapping_saver()           # after every variable exists
    """

    def __init__(self, opt, average_decay=0.9999, num_updates=None, sequential_update=True):
        # No Optimizer.__init__: every call is delegated to `opt` (as in TF).
        self._optimizer = opt
        self._ema = moving_averages.ExponentialMovingAverage(average_decay,
                                                             num_updates=num_updates)
        self._swapped_variable_name_map = None
        self._sequential_update = sequential_update

    def compute_gradients(self, *args, **kwargs):
        return self._optimizer.compute_gradients(*args, **kwargs)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """`opt.apply_gradients`, then the averages of the updated variables; one op."""
        grads_and_vars = list(grads_and_vars)
        train_op = self._optimizer.apply_gradients(grads_and_vars, global_step=global_step,
                                                   name=name)
        var_list = [v for g, v in grads_and_vars if g is not None]
        self._swapped_variable_name_map = {}
        if self._sequential_update:
            with graph_lib.control_dependencies([train_op]):
                ma_op = self._ema.apply(var_list)
        else:
            ma_op = self._ema.apply(var_list)
        for v in var_list:
            v_avg = self._ema.average(v)
            self._swapped_variable_name_map[v.op.name] = v_avg.op.name
            self._swapped_variable_name_map[v_avg.op.name] = v.op.name
        return control_flow_ops.group(train_op, ma_op, name="train_with_avg")

    def _find_swapped_variable(self, v_name_to_tensor, v_name, tensor):
        swapped_v_name = self._swapped_variable_name_map.get(v_name)
        if swapped_v_name is None:
            return tensor
        if swapped_v_name in v_name_to_tensor:
            return v_name_to_tensor[swapped_v_name]
        raise ValueError("Variable to swap %s is not part of variables to save. This breaks "
                         "MovingAverageOptimizer." % swapped_v_name)

    def swapping_saver(self, var_list=None, name="swapping_saver", **kwargs):
        """A `Saver` that stores each trained variable's average under the variable's name and
        the variable under the average's name.

        Raises:
            RuntimeError: If `apply_gradients` / `minimize` has not been called yet.
            ValueError: If `var_list` holds a variable but not its average (or the reverse).
        """
        if self._swapped_variable_name_map is None:
            raise RuntimeError("Must call apply_gradients or minimize before creating the "
                               "swapping_saver")
        if var_list is None:
            var_list = variables.global_variables()
        if not isinstance(var_list, dict):
            var_list = {v.op.name: v for v in var_list}
        v_name_to_tensor = dict(var_list)
        swapped_var_list = {k: self._find_swapped_variable(v_name_to_tensor, k, t)
                            for k, t in var_list.items()}
        return saver_lib.Saver(swapped_var_list, name=name, **kwargs)
