"""TF 1.x graph control flow: Switch, RefSwitch, Merge, RefMerge and ControlTrigger.

These are the ops TF 1.x's `tf.cond` is built from (and TF 2 with control flow v2 disabled):

    switch(data, pred) -> (output_false, output_true)   one output carries `data`, the other
                                                       is *dead* (has no value)
    merge(inputs) -> (output, value_index)              the first live input and its position

A dead tensor makes every op that reads it (by data or control edge) dead in turn: the op does
not run and its outputs are dead, except Merge, which is dead only when all its inputs are, and
ControlTrigger, which always runs. The numpy interpreter runs plans holding these ops in its
dead-aware loop (`backends/numpy/dead_loop.py`); no other backend runs them.

They are marked not differentiable on purpose: TF 1.x graphs that contain them carry their own
gradient Switch/Merge ops (written by TF's `tf.gradients`), so tensorflux never builds the
gradient of a Switch or Merge itself; its own `tf.cond` builds If ops (ops/cond_ops.py).
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import registry
from tensorflux.ops._helpers import convert

ND = registry.NOT_DIFFERENTIABLE
TS = tensor_shape.TensorShape

# Op types that can produce a dead tensor, and every op type of this family.
SWITCHES = frozenset(("Switch", "RefSwitch"))
TYPES = frozenset(("Switch", "RefSwitch", "Merge", "RefMerge"))


def _switch_shape(op):
    data, pred = op.inputs
    if pred.shape.ndims not in (None, 0):
        raise registry.ShapeError("Shape must be rank 0 but is rank %d" % pred.shape.ndims)
    out = (data.dtype.base_dtype, data.shape)
    return [out, out]


def _merge_shape(op):
    """The inputs' common shape: dimensions they agree on, unknown elsewhere (TF's rule)."""
    shapes = [t.shape for t in op.inputs]
    out = shapes[0]
    for s in shapes[1:]:
        if out.ndims is None or s.ndims is None or out.ndims != s.ndims:
            out = tensor_shape.unknown_shape()
            break
        out = TS([a if a == b else None for a, b in zip(out.as_list(), s.as_list())])
    return [(op.inputs[0].dtype.base_dtype, out), (dtypes.int32, TS([]))]


registry.register("Switch", shape=_switch_shape, grad=ND)
# The data input of RefSwitch is a variable by reference: its outputs stand for the variable
# (an Assign under an untaken branch reads the dead one) and are not read at the RefSwitch.
registry.register("RefSwitch", shape=_switch_shape, grad=ND, stateful=True, ref_inputs=(0,))
registry.register("Merge", shape=_merge_shape, grad=ND)
registry.register("RefMerge", shape=_merge_shape, grad=ND)
registry.register("ControlTrigger", shape=lambda op: [], grad=ND)


def is_control_flow(op):
    """True for an op of this family (a plan holding one needs the dead-aware loop)."""
    return op.type in TYPES


def may_be_dead(ops, resolve=lambda t: t):
    """The ops of `ops` (in execution order) whose outputs may be dead in some run: those
    downstream of a Switch by data or control edge. Passes never fold or alias them away."""
    out = set()
    if not any(op.type in SWITCHES for op in ops):
        return out
    for op in ops:
        if op.type in SWITCHES or any(resolve(t).op in out for t in op.inputs) or any(
                c in out for c in op._control_inputs):
            out.add(op)
    return out


def switch(data, pred, name=None):
    """Forwards `data` to `output_true` if `pred` else to `output_false`; the other is dead.

    Example:
        >>> f, t = switch(x, p)   # t has x's value when p is True; f is dead then
    """
    with graph_lib.name_scope(name, "Switch", [data, pred]) as scope:
        data = convert(data, name="data")
        pred = convert(pred, dtype=dtypes.bool, name="pred")
        op = registry.make_op("Switch", [data, pred], {"T": data.dtype.base_dtype}, name=scope)
        return tuple(op.outputs)


def merge(inputs, name=None):
    """Returns `(output, value_index)`: the first live tensor of `inputs` and its position.

    Example:
        >>> out, index = merge([false_branch_value, true_branch_value])
    """
    with graph_lib.name_scope(name, "Merge", inputs) as scope:
        inputs = [convert(t) for t in inputs]
        attrs = {"T": inputs[0].dtype.base_dtype, "N": len(inputs)}
        op = registry.make_op("Merge", inputs, attrs, name=scope)
        return tuple(op.outputs)


def control_trigger(name=None):
    """An op that does nothing and always runs, even when its control inputs are dead."""
    g = graph_lib.get_default_graph()
    return g.create_op("ControlTrigger", [], {}, name=name or "ControlTrigger",
                       op_def=registry.get("ControlTrigger"))


__all__ = ["control_trigger", "is_control_flow", "may_be_dead", "merge", "switch"]
