"""`tf.custom_gradient`: a function that supplies its own gradient (TF 1.x graph mode).

`f(*x)` returns `(y, grad_fn)`. As in TF, the outputs `y` and the inputs `x` are passed
through one `IdentityN` op whose gradient is overridden (`gradient_override_map`) by
`grad_fn`; the gradient therefore never flows through the ops `f` built, only through
`grad_fn(*dy)`. Variables that `f` creates or uses through `tf.get_variable` are handed to
`grad_fn(*dy, variables=[...])`, which then returns `(input_grads, variable_grads)`.

Example:
    >>> @tf.custom_gradient
    ... def clip_grad(x):
    ...     def grad(dy):
    ...         return tf.clip_by_value(dy, -1.0, 1.0)
    ...     return tf.identity(x), grad
"""

import functools
import inspect
import itertools

from tensorflux.gradients import RegisterGradient
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import debug_ops
from tensorflux.ops._helpers import convert

_uid = itertools.count()


def _flatten(x):
    if isinstance(x, (list, tuple)):
        out = []
        for item in x:
            out.extend(_flatten(item))
        return out
    return [x]


def _pack_like(structure, flat):
    """Rebuilds nested lists/tuples of `structure` from the flat list `flat`."""
    it = iter(flat)

    def build(s):
        if isinstance(s, (list, tuple)):
            items = [build(x) for x in s]
            return type(s)(items) if not hasattr(s, "_fields") else type(s)(*items)
        return next(it)
    return build(structure)


def _trainable_variables(graph):
    from tensorflux.graph.graph import GraphKeys

    return list(graph.get_collection(GraphKeys.TRAINABLE_VARIABLES))


def custom_gradient(f=None):
    """Decorator: `f(*args)` returns `(outputs, grad_fn)`; `grad_fn(*output_grads)` returns the
    gradients of the inputs (one per positional argument, a list or a single tensor)."""
    if f is None:
        return lambda fn: custom_gradient(fn)

    @functools.wraps(f)
    def decorated(*args, **kwargs):
        return _graph_mode(f, args, kwargs)

    return decorated


def _graph_mode(f, args, kwargs):
    name = "CustomGradient-%d" % next(_uid)
    args = [convert(x) for x in args]
    g = graph_lib.get_default_graph()
    before = {id(v): v for v in _trainable_variables(g)}
    result, grad_fn = f(*args, **kwargs)
    after = _trainable_variables(g)
    created = [v for v in after if id(v) not in before]
    used = _variables_read_by(result, args, g)
    variables = created + [v for v in used if all(v is not c for c in created)]
    flat_result = [convert(y) for y in _flatten(result)]
    n_results = len(flat_result)
    takes_variables = "variables" in inspect.signature(grad_fn).parameters or any(
        p.kind == p.VAR_KEYWORD for p in inspect.signature(grad_fn).parameters.values())
    if variables and not takes_variables:
        raise TypeError("If using @custom_gradient with a function that uses variables, then "
                        "grad_fn must accept a keyword argument 'variables'.")
    var_tensors = [v._variable if hasattr(v, "_variable") else v for v in variables] \
        if takes_variables else []

    def internal_grad_fn(unused_op, *result_grads):
        result_grads = list(result_grads[:n_results])
        if takes_variables and variables:
            input_grads, variable_grads = grad_fn(*result_grads, variables=variables)
            if len(variable_grads) != len(variables):
                raise ValueError("Must return gradient for each variable from @custom_gradient "
                                 "grad_fn.")
        else:
            input_grads = grad_fn(*result_grads)
            variable_grads = []
        input_grads = _flatten(input_grads)
        if len(input_grads) != len(args):
            raise ValueError("custom_gradient function expected to return %d gradients but "
                             "returned %d instead." % (len(args), len(input_grads)))
        return [None] * n_results + list(input_grads) + list(variable_grads)

    RegisterGradient(name)(internal_grad_fn)
    with g.gradient_override_map({"IdentityN": name}):
        outs = debug_ops.identity_n(flat_result + list(args) + var_tensors)
    return _pack_like(result, outs[:n_results])


def _variables_read_by(result, args, graph):
    """Trainable variables whose values the outputs depend on (not through the inputs)."""
    wanted = {}
    for v in _trainable_variables(graph):
        var_op = v._variable.op if hasattr(v, "_variable") else None
        if var_op is not None:
            wanted[var_op] = v
    stop = {a.op for a in args}
    seen, found = set(), []
    stack = [convert(y).op for y in _flatten(result)]
    while stack:
        op = stack.pop()
        if op in seen or op in stop:
            continue
        seen.add(op)
        if op in wanted and all(wanted[op] is not x for x in found):
            found.append(wanted[op])
        stack.extend(t.op for t in op.inputs)
    return found
