"""`tf.train.ExponentialMovingAverage` and `assign_moving_average`.

The shadow variable of `w` is the slot `w/ExponentialMovingAverage`, updated by
`shadow -= (1 - decay) * (shadow - w)`; `num_updates` caps the decay at
`(1 + num_updates) / (10 + num_updates)`, as in TF. Averages of plain tensors start at zero and
are zero-debiased (extra variables `<shadow>/biased` and `<shadow>/local_step`) when asked.
"""

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.ops import control_flow_ops, init_ops, math_ops, state_ops
from tensorflux.ops.constant_op import convert_to_tensor
from tensorflux.train import slot_creator
from tensorflux.variable_scope import get_variable, get_variable_scope, variable_scope


def _variables():
    from tensorflux import variables

    return variables


def assign_moving_average(variable, value, decay, zero_debias=True, name=None):
    """`variable -= (1 - decay) * (variable - value)`; returns the updated value.

    With `zero_debias`, `variable` ends up holding the debiased average `biased / (1 - decay^t)`
    (use it for averages that start at zero).

    Example:
        >>> update = tf.train.assign_moving_average(moving_mean, batch_mean, 0.99,
        ...                                         zero_debias=False)
    """
    with graph_lib.name_scope(name, "AssignMovingAvg", [variable, value, decay]) as scope:
        decay = convert_to_tensor(1.0 - decay, name="decay")
        if decay.dtype != variable.dtype.base_dtype:
            decay = math_ops.cast(decay, variable.dtype.base_dtype)
        if zero_debias:
            return _zero_debias(variable, value, decay)
        return state_ops.assign_sub(variable, (variable - value) * decay, name=scope)


def _zero_debias(unbiased_var, value, decay):
    """Updates a biased average and its step count; assigns the debiased one."""
    g = graph_lib.get_default_graph()
    with variable_scope(unbiased_var.name[:-len(":0")], values=[unbiased_var, value, decay]):
        with graph_lib.init_scope():
            biased_initializer = init_ops.zeros_initializer()
            local_step_initializer = init_ops.zeros_initializer()

        def unique(name):
            scope = get_variable_scope()
            if scope.reuse:
                return name
            existing = [v.op.name for v in scope.global_variables()]
            full_name = scope.name + "/" + name
            if full_name not in existing:
                return name
            idx = 1
            while full_name + ("_%d" % idx) in existing:
                idx += 1
            return name + ("_%d" % idx)

        with g.colocate_with(unbiased_var.op):
            biased_var = get_variable(unique("biased"), initializer=biased_initializer,
                                      shape=unbiased_var.get_shape(), dtype=unbiased_var.dtype,
                                      trainable=False)
            local_step = get_variable(unique("local_step"), shape=[], dtype=unbiased_var.dtype,
                                      initializer=local_step_initializer, trainable=False)
    update_biased = state_ops.assign_sub(biased_var, (biased_var - value) * decay)
    update_local_step = local_step.assign_add(1)
    bias_factor = 1 - math_ops.pow(1.0 - decay, update_local_step)
    return state_ops.assign(unbiased_var, update_biased / bias_factor,
                            name=g.get_name_scope() + "/")


class ExponentialMovingAverage:
    """Maintains moving averages of variables (or tensors) for evaluation with averaged weights.

    Example:
        >>> ema = tf.train.ExponentialMovingAverage(decay=0.999)
        >>> with tf.control_dependencies([train_op]):
        ...     train_with_ema = ema.apply(tf.trainable_variables())
        >>> saver = tf.train.Saver(ema.variables_to_restore())  # evaluate with the averages
    """

    def __init__(self, decay, num_updates=None, zero_debias=False,
                 name="ExponentialMovingAverage"):
        self._decay = decay
        self._num_updates = num_updates
        self._zero_debias = zero_debias
        self._name = name
        self._averages = {}  # id(var) -> (var, average)

    @property
    def name(self):
        return self._name

    def apply(self, var_list=None):
        """Creates the shadow variables and returns an op that updates them all."""
        variables = _variables()
        if var_list is None:
            var_list = variables.trainable_variables()
        zero_debias_true = set()
        g = graph_lib.get_default_graph()
        for var in var_list:
            if var.dtype.base_dtype not in (dtypes.bfloat16, dtypes.float16, dtypes.float32,
                                            dtypes.float64):
                raise TypeError("The variables must be half, float, or double: %s" % var.name)
            if id(var) in self._averages:
                continue
            with graph_lib.init_scope():
                if isinstance(var, variables.Variable):
                    with g.device(var.device):
                        initialized_value = var.initialized_value()
                    avg = slot_creator.create_slot(var, initialized_value, self.name)
                    g.add_to_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, var)
                else:
                    avg = slot_creator.create_zeros_slot(var, self.name)
                    if self._zero_debias:
                        zero_debias_true.add(id(avg))
            self._averages[id(var)] = (var, avg)
        with graph_lib.name_scope(self.name) as scope:
            decay = convert_to_tensor(self._decay, dtype=dtypes.float32, name="decay")
            if self._num_updates is not None:
                num_updates = math_ops.cast(self._num_updates, dtypes.float32,
                                            name="num_updates")
                decay = math_ops.minimum(decay, (1.0 + num_updates) / (10.0 + num_updates))
            updates = []
            for var in var_list:
                avg = self._averages[id(var)][1]
                # A fresh read, ordered by the caller's control dependencies: TF's reference
                # variables make `var` show an update that ran earlier in the same step
                # (`with tf.control_dependencies([train_op]): ema.apply(...)`).
                value = var.read_value() if isinstance(var, variables.Variable) else var
                updates.append(assign_moving_average(avg, value, decay,
                                                     id(avg) in zero_debias_true))
            return control_flow_ops.group(*updates, name=scope)

    def average(self, var):
        """The shadow variable of `var` (None if `apply` has not seen it)."""
        entry = self._averages.get(id(var))
        return entry[1] if entry is not None else None

    def average_name(self, var):
        """The name the shadow variable of `var` has (or would have, before `apply`)."""
        if id(var) in self._averages:
            return self._averages[id(var)][1].name[:-len(":0")]
        return graph_lib.get_default_graph().unique_name(
            var.name[:-len(":0")] + "/" + self.name, mark_as_used=False)

    def variables_to_restore(self, moving_avg_variables=None):
        """A Saver name map that restores each averaged variable from its shadow's name."""
        variables = _variables()
        if moving_avg_variables is None:
            moving_avg_variables = (variables.trainable_variables()
                                    + variables.moving_average_variables())
        unique = {id(v): v for v in moving_avg_variables}
        name_map = {}
        for v in unique.values():
            name_map[self.average_name(v)] = v
        averaged_names = {v.name for v in unique.values()}
        for v in variables.global_variables():
            if v.name not in averaged_names and v.op.name not in name_map:
                name_map[v.op.name] = v
        return name_map
