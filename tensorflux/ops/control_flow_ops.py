"""Control flow: `no_op`, `group`, `tuple`, `with_dependencies` (cond/while_loop: cond_ops)."""

import builtins

from tensorflux.graph import graph as graph_lib
from tensorflux.graph.operation import Operation
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import array_ops, registry

registry.register("NoOp", shape=lambda op: [], grad=registry.NOT_DIFFERENTIABLE)


def no_op(name=None):
    g = graph_lib.get_default_graph()
    return g.create_op("NoOp", [], {}, name=name or "NoOp", op_def=registry.get("NoOp"))


def _as_op(x):
    if hasattr(x, "_as_graph_element") and not isinstance(x, (Tensor, Operation)):
        x = x._as_graph_element()
    if isinstance(x, Tensor):
        return x.op
    if isinstance(x, Operation):
        return x
    raise TypeError("Expected an Operation or Tensor, got %r" % (x,))


def _flatten(inputs):
    out = []
    for x in inputs:
        if isinstance(x, (list, builtins.tuple)):
            out.extend(_flatten(x))
        elif isinstance(x, dict):
            out.extend(_flatten(list(x.values())))
        elif x is not None:
            out.append(x)
    return out


def group(*inputs, **kwargs):
    """An op that runs all `inputs` (ops or tensors) and outputs nothing."""
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError("Unknown keyword arguments: " + ", ".join(kwargs))
    ops = [_as_op(x) for x in _flatten(inputs)]
    with graph_lib.name_scope(name, "group_deps", ops) as scope:
        g = ops[0].graph if ops else graph_lib.get_default_graph()
        with g.as_default(), g.control_dependencies(ops):
            return no_op(name=scope)


def tuple(tensors, name=None, control_inputs=None):  # noqa: A001 - TF's public name
    """Returns identities of `tensors` that are only available once all of them are computed."""
    ts = [t for t in tensors if t is not None]
    with graph_lib.name_scope(name, "tuple", ts) as scope:
        deps = [t.op if isinstance(t, Tensor) else t for t in ts]
        if control_inputs:
            deps += [_as_op(c) for c in control_inputs]
        gate = group(*deps)
        out = []
        for t in tensors:
            if t is None:
                out.append(None)
            elif isinstance(t, Tensor):
                with graph_lib.control_dependencies([gate]):
                    out.append(array_ops.identity(t))
            else:
                out.append(gate)
        del scope
        return out


def with_dependencies(dependencies, output_tensor, name=None):
    with graph_lib.name_scope(name, "control_dependency", [output_tensor]) as scope:
        with graph_lib.control_dependencies(dependencies):
            if isinstance(output_tensor, Operation):
                return group(output_tensor, name=scope)
            return array_ops.identity(output_tensor, name=scope)
