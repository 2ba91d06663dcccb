"""Helpers shared by the quantization rewrites (TF 1.15's `contrib/quantize/python/common.py`
and `input_to_ops.py`): rerouting tensors, the quantization step counter, consumer maps."""

import tensorflux as tf

# Op types that pass a tensor through unchanged, for looking past them.
_PASS_THROUGH = frozenset(["Reshape", "Identity"])
_FAKE_QUANT = frozenset(["FakeQuantWithMinMaxVars", "FakeQuantWithMinMaxArgs",
                         "FakeQuantWithMinMaxVarsPerChannel"])


def RerouteTensor(t0, t1, can_modify=None):  # noqa: N802 - TF's name
    """Makes the consumers of `t1` (those in `can_modify`, if given) read `t0` instead.

    Returns the number of inputs rewired.
    """
    consumers = t1.consumers()
    if can_modify is not None:
        consumers = [c for c in consumers if c in can_modify]
    updates = []
    for c in dict.fromkeys(consumers):  # each op once, in order
        updates += [(c, i) for i, t in enumerate(c.inputs) if t is t1]
    for c, i in updates:
        c._update_input(i, t0)
    return len(updates)


def CreateOrGetQuantizationStep():  # noqa: N802 - TF's name
    """The `fake_quantization_step` counter, incremented on every run that reads it.

    quant_delay and freeze_bn_delay compare it with their thresholds. It is an int64 variable
    (not the global step, which a user's training loop may not increment), read as
    `fake_quantization_step/Identity:0` after its `AssignAdd`.
    """
    name = "fake_quantization_step"
    g = tf.get_default_graph()
    try:
        return g.get_tensor_by_name(name + "/Identity:0")
    except KeyError:
        pass
    with g.name_scope(None):
        step = tf.get_variable(name, shape=[], dtype=tf.int64,
                               initializer=tf.zeros_initializer(), trainable=False,
                               collections=[tf.GraphKeys.GLOBAL_VARIABLES])
        with g.name_scope(step.op.name + "/"):
            return tf.identity(tf.assign_add(step, 1))


def FollowedByFakeQuant(tensor):  # noqa: N802 - TF's name
    """Whether `tensor` already feeds a FakeQuant op (looking past Reshape and Identity)."""
    consumers = tensor.consumers()
    while consumers:
        c = consumers.pop()
        if c.type in _FAKE_QUANT:
            return True
        if c.type in _PASS_THROUGH:
            for out in c.outputs:
                consumers.extend(out.consumers())
    return False


class InputToOps:
    """The consumer ops of every op's outputs, as the graph stood when this was built."""

    def __init__(self, graph):
        self._mapping = {}
        for op in graph.get_operations():
            for t in op.inputs:
                self._mapping.setdefault(t.op, set()).add(op)

    def ConsumerOperations(self, producer_op):  # noqa: N802 - TF's name
        """The set of ops that consume some output of `producer_op`."""
        return set(self._mapping.get(producer_op, ()))
