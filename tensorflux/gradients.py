"""`tf.gradients`: reverse-mode differentiation that builds ordinary graph ops.

Each op's rule lives with the op (`ops/*.py`, registered as the OpDef's `grad`); this file only
walks the graph: find the ops between `xs` and `ys`, visit them in reverse topological order,
sum the incoming gradients of every tensor (AddN), and call the rule.
"""

import numpy as np

from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import array_ops, math_ops, registry
from tensorflux.ops._helpers import convert, trainable


class UnconnectedGradients:
    NONE = "none"
    ZERO = "zero"


def _as_tensor_list(x, as_ref=False):
    if x is None:
        return []
    seq = list(x) if isinstance(x, (list, tuple)) else [x]
    out = []
    for v in seq:
        if hasattr(v, "_variable") and as_ref:
            out.append(v._variable)
        else:
            out.append(convert(v))
    return out


_trainable = trainable


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None,
              unconnected_gradients=UnconnectedGradients.NONE):
    """Symbolic partial derivatives of sum(ys) with respect to each x in `xs`.

    Example:
        >>> g = tf.gradients(x * x + tf.sin(x), x)  # [2x + cos(x)]
    """
    ys = _as_tensor_list(ys)
    xs = _as_tensor_list(xs, as_ref=True)
    stops = set(_as_tensor_list(stop_gradients)) if stop_gradients is not None else set()
    if grad_ys is not None and not isinstance(grad_ys, (list, tuple)):
        grad_ys = [grad_ys]
    g = ys[0].graph if ys else graph_lib.get_default_graph()
    with g.as_default(), g.name_scope(name or "gradients"):
        reached = _forward(xs, stops)
        between = _backward(ys, reached, stops)
        grads = {}
        for i, y in enumerate(ys):
            gy = grad_ys[i] if grad_ys is not None and grad_ys[i] is not None else None
            if gy is None:
                with g.name_scope("grad_ys_%d" % i):
                    gy = array_ops.ones_like(y)
            else:
                gy = convert(gy, dtype=y.dtype.base_dtype)
            grads.setdefault(y, []).append(gy)
        pending = {op: 0 for op in between}
        for op in between:
            for t in op.inputs:
                if t.op in between:
                    pending[t.op] += 1
        ready = [op for op in between if pending[op] == 0]
        x_set = set(xs)
        while ready:
            op = ready.pop()
            out_grads = [_aggregate(grads.get(t)) for t in op.outputs]
            if any(gr is not None for gr in out_grads) and not _stops_at(op, x_set, stops):
                in_grads = _call_rule(g, op, out_grads)
                for t, gr in zip(op.inputs, in_grads):
                    if gr is not None and _trainable(t) and t.op in between:
                        grads.setdefault(t, []).append(gr)
                    elif gr is not None and _trainable(t) and t in x_set:
                        grads.setdefault(t, []).append(gr)
            for t in op.inputs:
                if t.op in between:
                    pending[t.op] -= 1
                    if pending[t.op] == 0:
                        ready.append(t.op)
        out = []
        for x in xs:
            gx = _aggregate(grads.get(x))
            if gx is None and unconnected_gradients == UnconnectedGradients.ZERO:
                gx = array_ops.zeros_like(x)
            out.append(gx)
        return out


def _stops_at(op, x_set, stops):
    return any(t in stops for t in op.outputs)


def _call_rule(g, op, out_grads):
    override = op._attrs.get("_gradient_op_type")
    rule = _lookup_gradient(override) if override is not None else op.op_def.grad
    if rule == registry.NOT_DIFFERENTIABLE:
        return [None] * len(op.inputs)
    if rule is None:
        raise LookupError("No gradient defined for operation '%s' (op type: %s)"
                          % (op.name, op.type))
    filled = []
    for t, gr in zip(op.outputs, out_grads):
        if gr is None and _trainable(t):
            gr = array_ops.zeros_like(t)
        filled.append(gr)
    with g.name_scope(op.name + "_grad"):
        res = rule(op, *filled)
    res = list(res) if isinstance(res, (list, tuple)) else [res]
    if len(res) != len(op.inputs):
        raise ValueError("Num gradients %d generated for op %s do not match num inputs %d"
                         % (len(res), op.name, len(op.inputs)))
    return res


_NAMED_GRADIENTS = {}  # gradients registered under a name of their own (tf.RegisterGradient)


def _lookup_gradient(name):
    if name in _NAMED_GRADIENTS:
        return _NAMED_GRADIENTS[name]
    try:
        return registry.get(name).grad
    except KeyError:
        raise LookupError("gradient registry has no entry for: %s" % name) from None


class RegisterGradient:
    """Decorator registering a gradient function under `op_type` (TF's `tf.RegisterGradient`).

    The name is either an op type whose gradient is not written yet, or a new name that
    `Graph.gradient_override_map` can map op types to.

    Example:
        >>> @tf.RegisterGradient("ClipGrad")
        ... def _clip_grad(op, grad):
        ...     return tf.clip_by_value(grad, -1.0, 1.0)
        >>> with tf.get_default_graph().gradient_override_map({"Identity": "ClipGrad"}):
        ...     y = tf.identity(x)
    """

    def __init__(self, op_type):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, f):
        name = self._op_type
        known = registry.all_ops().get(name)
        if name in _NAMED_GRADIENTS or (known is not None and known.grad is not None):
            raise KeyError("Registering two gradient with name '%s'!" % name)
        if known is not None:
            registry.set_gradient(name, f)
        else:
            _NAMED_GRADIENTS[name] = f
        return f


def no_gradient(op_type):
    """Marks `op_type` as not differentiable (`tf.NotDifferentiable`)."""
    if not isinstance(op_type, str):
        raise TypeError("op_type must be a string")
    if op_type in registry.all_ops():
        registry.set_gradient(op_type, registry.NOT_DIFFERENTIABLE)
    else:
        _NAMED_GRADIENTS[op_type] = registry.NOT_DIFFERENTIABLE


NotDifferentiable = no_gradient
NoGradient = no_gradient


def _aggregate(contribs):
    if not contribs:
        return None
    if len(contribs) == 1:
        return contribs[0]
    from tensorflux.ops.indexed_slices import densify

    return math_ops.add_n([densify(c) for c in contribs])


def _forward(xs, stops):
    """Ops reachable from `xs` following data edges."""
    reached = set()
    stack = [op for x in xs for op in x._consumers]
    while stack:
        op = stack.pop()
        if op in reached:
            continue
        reached.add(op)
        for t in op.outputs:
            if t not in stops:
                stack.extend(t._consumers)
    return reached


def _backward(ys, reached, stops):
    """Ops in `reached` from which some y can be reached (the ones gradients flow through)."""
    between = set()
    stack = [y.op for y in ys]
    while stack:
        op = stack.pop()
        if op in between or op not in reached:
            continue
        between.add(op)
        for t in op.inputs:
            if t not in stops:
                stack.append(t.op)
    return between


def hessians(ys, xs, name="hessians", colocate_gradients_with_ops=False, gate_gradients=False,
             aggregation_method=None):
    """Second derivatives of sum(ys) for each x (x needs a fully defined static shape)."""
    xs = _as_tensor_list(xs, as_ref=True)
    out = []
    with graph_lib.name_scope(name, "hessians"):
        for gx, x in zip(gradients(ys, xs), xs):
            if gx is None:
                out.append(None)
                continue
            n = x.shape.num_elements()
            if n is None:
                raise ValueError("hessians needs a fully defined shape, got %s" % x.shape)
            shape = x.shape.as_list()
            rows = []
            for i in range(n):
                # row i = d(gx[i])/dx: the gradient of gx weighted by the one-hot e_i
                e = np.zeros(n, x.dtype.base_dtype.as_numpy_dtype)
                e[i] = 1
                r = gradients(gx, x, grad_ys=[e.reshape(shape)])[0]
                rows.append(array_ops.reshape(r, [-1]) if r is not None else
                            array_ops.zeros([n], dtype=x.dtype))
            out.append(array_ops.reshape(array_ops.stack(rows), shape + shape))
    return out


def isinstance_tensor(x):
    return isinstance(x, Tensor)
