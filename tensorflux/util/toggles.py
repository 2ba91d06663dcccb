"""TF's behaviour switches (`tf.disable_v2_behavior()` and its kin), as graph-mode TF1 has them.

tensorflux is TF 1.x: graphs, Sessions, reference variables, `Dimension`s in shapes, Tensors that
compare by identity. A switch that asks for that state is a no-op, so migration code that calls
it runs unchanged; a switch that would turn on something tensorflux does not have raises
`NotImplementedError` rather than pretend; a query reports what tensorflux really does.

Control flow is the exception to "TF1 state": `tf.cond` and `tf.while_loop` always build
functional If / While ops (TF's control flow v2), so `control_flow_v2_enabled()` is True and both
control-flow switches are no-ops (the results are the same either way; only the graph's ops
differ from TF1's Switch / Merge).

Example:
    >>> tf.disable_v2_behavior()  # fine: already TF1
    >>> tf.control_flow_v2_enabled()
    True
"""

_TF1_ONLY = "tensorflux runs TF1 graph code; %s is not provided"


def disable_eager_execution():
    """A no-op: tensorflux always builds graphs, as TF 1.x did."""


def enable_eager_execution(*args, **kwargs):
    """Raises NotImplementedError: tensorflux has no eager execution."""
    raise NotImplementedError(_TF1_ONLY % "eager execution")


def executing_eagerly():
    """False: ops always build graph nodes."""
    return False


def executing_eagerly_outside_functions():
    """False: the outermost context is a graph, never eager."""
    return False


def disable_v2_behavior():
    """A no-op: tensorflux always behaves as TF 1.x."""


def enable_v2_behavior():
    """Raises NotImplementedError: TF 2 behaviour starts with eager execution, which tensorflux
    does not have (as `enable_eager_execution`)."""
    raise NotImplementedError(_TF1_ONLY % "TF 2 behavior (eager execution)")


def enable_resource_variables():
    """Accepted for compatibility; variables keep TF1 reference semantics."""


def disable_resource_variables():
    """Accepted for compatibility."""


def resource_variables_enabled():
    """False: `tf.Variable` keeps TF1 reference-variable semantics (`enable_resource_variables`
    does not change that)."""
    return False


def enable_control_flow_v2():
    """A no-op: `tf.cond` / `tf.while_loop` already build functional If / While ops."""


def disable_control_flow_v2():
    """A no-op: tensorflux has one control-flow implementation (functional If / While ops), with
    the same results as TF1's Switch / Merge graphs; `control_flow_v2_enabled()` stays True."""


def control_flow_v2_enabled():
    """True: tensorflux's control flow is TF's v2 form (If / While ops), whatever was toggled."""
    return True


def disable_tensor_equality():
    """A no-op: Tensors compare by identity (and are hashable), as in TF1."""


def enable_tensor_equality():
    """Raises NotImplementedError: `==` on tensorflux Tensors is identity, as in TF1 (graph code
    keys dicts and sets by Tensor); elementwise `==` is `tf.equal`."""
    raise NotImplementedError(_TF1_ONLY % "elementwise Tensor equality (use tf.equal)")


def disable_v2_tensorshape():
    """A no-op: `TensorShape` elements are `Dimension`s, as in TF1."""


def enable_v2_tensorshape():
    """Raises NotImplementedError: `TensorShape` elements stay `Dimension`s (TF1); use
    `tf.dimension_value(shape[i])` or `shape.as_list()` for plain ints."""
    raise NotImplementedError(_TF1_ONLY % "the TF 2 TensorShape (int elements)")
