"""`tf.train.Optimizer`: the base class every optimizer fills in with one hook, `_apply_dense`.

`minimize` = `compute_gradients` (tf.gradients w.r.t. the trainable variables) +
`apply_gradients`, which creates the slot variables, opens the `<Optimizer name>` name scope,
adds one `update_<var>/Apply*` op per variable and groups them (then increments `global_step`).
A subclass writes:

    class GradientDescentOptimizer(Optimizer):
        def _prepare(self):                      # hyper-parameters as tensors
            self._lr_t = tf.convert_to_tensor(self._lr, name="learning_rate")
        def _apply_dense(self, grad, var):       # one variable's update op
            return training_ops.apply_gradient_descent(var, cast(self._lr_t), grad).op

and, when it keeps accumulators, `_create_slots(var_list)` with `_zeros_slot(v, "m", name)`.
"""

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.graph.operation import Operation
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import control_flow_ops, math_ops, state_ops
from tensorflux.ops.constant_op import convert_to_tensor
from tensorflux.ops.indexed_slices import IndexedSlices, densify
from tensorflux.train import slot_creator


def _var_key(var):
    return (var.op.graph, var.op.name)


def _is_variable(v):
    from tensorflux import variables

    return isinstance(v, variables.Variable)


class Optimizer:
    """Base class for optimizers (TF 1.x `tf.train.Optimizer`).

    Example:
        >>> opt = tf.train.GradientDescentOptimizer(0.1)
        >>> train_op = opt.minimize(loss, global_step=tf.train.get_or_create_global_step())
    """

    GATE_NONE = 0
    GATE_OP = 1
    GATE_GRAPH = 2

    def __init__(self, use_locking, name):
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._slots = {}
        self._non_slot_dict = {}

    def get_name(self):
        return self._name

    # --- the public API ---------------------------------------------------------------------
    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=GATE_OP,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None,
                 grad_loss=None):
        """Adds ops that compute the gradients of `loss` and apply them; returns the train op."""
        grads_and_vars = self.compute_gradients(
            loss, var_list=var_list, gate_gradients=gate_gradients,
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops, grad_loss=grad_loss)
        vars_with_grad = [v for g, v in grads_and_vars if g is not None]
        if not vars_with_grad:
            raise ValueError(
                "No gradients provided for any variable, check your graph for ops that do not "
                "support gradients, between variables %s and loss %s."
                % ([str(v) for _, v in grads_and_vars], loss))
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(self, loss, var_list=None, gate_gradients=GATE_OP,
                          aggregation_method=None, colocate_gradients_with_ops=False,
                          grad_loss=None):
        """A list of (gradient, variable) pairs; the gradient is None where loss ignores it."""
        from tensorflux import variables
        from tensorflux.gradients import gradients

        if callable(loss):  # TF accepts a function returning the loss (built here, once)
            loss = loss()
        if gate_gradients not in (Optimizer.GATE_NONE, Optimizer.GATE_OP, Optimizer.GATE_GRAPH):
            raise ValueError("gate_gradients must be one of: Optimizer.GATE_NONE, "
                             "Optimizer.GATE_OP, Optimizer.GATE_GRAPH.  Not %s" % gate_gradients)
        loss = convert_to_tensor(loss)
        self._assert_valid_dtypes([loss])
        if grad_loss is not None:
            self._assert_valid_dtypes([convert_to_tensor(grad_loss)])
        if var_list is None:
            var_list = (variables.trainable_variables()
                        + graph_lib.get_collection(GraphKeys.TRAINABLE_RESOURCE_VARIABLES))
        else:
            var_list = _flatten(var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        for v in var_list:
            if not (_is_variable(v) or isinstance(v, Tensor)):
                raise NotImplementedError("Trying to optimize unsupported type %s" % (v,))
        grads = gradients(
            loss, var_list, grad_ys=grad_loss,
            gate_gradients=(gate_gradients == Optimizer.GATE_OP),
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops)
        if gate_gradients == Optimizer.GATE_GRAPH:
            grads = control_flow_ops.tuple(grads)
        grads_and_vars = list(zip(grads, var_list))
        self._assert_valid_dtypes([v for g, v in grads_and_vars if g is not None])
        return grads_and_vars

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """Applies (gradient, variable) pairs; increments `global_step` after the updates."""
        grads_and_vars = tuple(grads_and_vars)
        if not grads_and_vars:
            raise ValueError("No variables provided.")
        converted = []
        for g, v in grads_and_vars:
            if g is not None:
                if not isinstance(g, IndexedSlices):
                    try:
                        g = convert_to_tensor(g)
                    except (TypeError, ValueError):
                        raise TypeError("Gradient must be convertible to a Tensor or "
                                        "IndexedSlices, or None: %s" % (g,)) from None
                if not isinstance(g, (Tensor, IndexedSlices)):
                    raise TypeError("Gradient must be a Tensor, IndexedSlices, or None: %s"
                                    % (g,))
            if not _is_variable(v):
                raise NotImplementedError("Trying to update a Tensor %s" % (v,))
            converted.append((g, v))
        var_list = [v for g, v in converted if g is not None]
        if not var_list:
            raise ValueError("No gradients provided for any variable: %s."
                             % ([str(v) for _, v in converted],))
        g = var_list[0].graph
        current = graph_lib.get_default_graph()
        if graph_lib._encloses(g, current):  # inside a tf.cond branch: build the updates there
            g = current
        with g.as_default():
            with graph_lib.init_scope():
                self._create_slots(var_list)
            update_ops = []
            with graph_lib.name_scope(name, self._name) as name:
                self._prepare()
                for grad, var in converted:
                    if grad is None:
                        continue
                    with graph_lib.name_scope("update_" + var.op.name), \
                            g.colocate_with(var.op):
                        update_ops.append(self._update_op(grad, var))
                if global_step is None:
                    apply_updates = self._finish(update_ops, name)
                else:
                    with g.control_dependencies([self._finish(update_ops, "update")]):
                        with g.colocate_with(_as_op(global_step)):
                            apply_updates = state_ops.assign_add(global_step, 1, name=name)
                if isinstance(apply_updates, Tensor):
                    apply_updates = apply_updates.op
                train_op = g.get_collection_ref(GraphKeys.TRAIN_OP)
                if apply_updates not in train_op:
                    train_op.append(apply_updates)
                return apply_updates

    def _update_op(self, grad, var):
        if isinstance(grad, Tensor):
            update = self._apply_dense(grad, var)
            if var.constraint is not None:
                # TF's ref variables alias the updated buffer; a fresh read gives that value.
                with graph_lib.control_dependencies([update]):
                    return var.assign(var.constraint(var.read_value()))
            return update
        if var.constraint is not None:
            raise RuntimeError("Cannot use a constraint function on a sparse variable.")
        return self._apply_sparse_duplicate_indices(grad, var)

    def get_slot(self, var, name):
        """The slot variable `name` made for `var` (None if there is none)."""
        named_slots = self._slots.get(name)
        if not named_slots:
            return None
        return named_slots.get(_var_key(var))

    def get_slot_names(self):
        """The sorted names of the slots this optimizer creates ("m", "v", "momentum", ...)."""
        return sorted(self._slots.keys())

    def variables(self):
        """The optimizer's variables in the default graph (slots and e.g. `beta1_power`)."""
        g = graph_lib.get_default_graph()
        out = [v for v in self._non_slot_dict.values() if v.graph is g]
        for named in self._slots.values():
            out.extend(v for v in named.values() if v.graph is g)
        return sorted(out, key=lambda v: v.name)

    # --- hooks for subclasses ----------------------------------------------------------------
    def _create_slots(self, var_list):
        """Creates the slot variables of every variable in `var_list` (default: none)."""

    def _prepare(self):
        """Creates the hyper-parameter tensors, inside the optimizer's name scope."""

    def _apply_dense(self, grad, var):
        raise NotImplementedError()

    def _apply_sparse(self, grad, var):
        """Default for a sparse (IndexedSlices) gradient: apply it densified."""
        return self._apply_dense(densify(grad), var)

    def _apply_sparse_duplicate_indices(self, grad, var):
        """Sums the values of repeated indices, then `_apply_sparse` (as TF does)."""
        summed_values, unique_indices = _deduplicate_indexed_slices(grad.values, grad.indices)
        return self._apply_sparse(IndexedSlices(summed_values, unique_indices, grad.dense_shape),
                                  var)

    def _finish(self, update_ops, name_scope):
        return control_flow_ops.group(*update_ops, name=name_scope)

    def _valid_dtypes(self):
        return {dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64}

    def _assert_valid_dtypes(self, tensors):
        valid = self._valid_dtypes()
        for t in tensors:
            dtype = t.dtype.base_dtype
            if dtype not in valid:
                raise ValueError("Invalid type %r for %s, expected: %s."
                                 % (dtype, t.name, sorted(valid, key=lambda d: d.name)))

    def _call_if_callable(self, param):
        return param() if callable(param) else param

    def _cast(self, t, var):
        """A hyper-parameter tensor in `var`'s dtype (no op when it already has it)."""
        return math_ops.cast(t, var.dtype.base_dtype)

    # --- slots ---------------------------------------------------------------------------------
    def _slot_dict(self, slot_name):
        return self._slots.setdefault(slot_name, {})

    def _get_or_make_slot(self, var, val, slot_name, op_name):
        named = self._slot_dict(slot_name)
        if _var_key(var) not in named:
            named[_var_key(var)] = slot_creator.create_slot(var, val, op_name)
        return named[_var_key(var)]

    def _get_or_make_slot_with_initializer(self, var, initializer, shape, dtype, slot_name,
                                           op_name):
        named = self._slot_dict(slot_name)
        if _var_key(var) not in named:
            named[_var_key(var)] = slot_creator.create_slot_with_initializer(
                var, initializer, shape, dtype, op_name)
        return named[_var_key(var)]

    def _zeros_slot(self, var, slot_name, op_name):
        named = self._slot_dict(slot_name)
        if _var_key(var) not in named:
            named[_var_key(var)] = slot_creator.create_zeros_slot(var, op_name)
        return named[_var_key(var)]

    def _create_non_slot_variable(self, initial_value, name, colocate_with):
        """A variable of the optimizer itself (Adam's `beta1_power`), one per graph."""
        from tensorflux import variables

        key = (name, colocate_with.graph)
        v = self._non_slot_dict.get(key)
        if v is None:
            g = colocate_with.graph
            with g.as_default(), g.colocate_with(colocate_with.op):
                v = variables.Variable(initial_value, name=name, trainable=False)
            self._non_slot_dict[key] = v
        return v

    def _get_non_slot_variable(self, name, graph=None):
        return self._non_slot_dict.get((name, graph or graph_lib.get_default_graph()))

    def _non_slot_variables(self):
        return self._non_slot_dict.values()


def _deduplicate_indexed_slices(values, indices):
    """(values summed per unique index, the unique indices)."""
    from tensorflux.ops import array_ops, gather_ops, segment_ops

    unique_indices, new_index_positions = gather_ops.unique(indices)
    summed_values = segment_ops.unsorted_segment_sum(
        values, new_index_positions, array_ops.shape(unique_indices)[0])
    return summed_values, unique_indices


def _flatten(x):
    if isinstance(x, (list, tuple)):
        out = []
        for item in x:
            out.extend(_flatten(item))
        return out
    if isinstance(x, dict):
        return _flatten([x[k] for k in sorted(x)])
    return [x]


def _as_op(x):
    if isinstance(x, Operation):
        return x
    return x.op
