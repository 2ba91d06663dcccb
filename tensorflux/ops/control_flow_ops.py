"""Control flow: no_op, group, tuple, with_dependencies; map_fn, scan, foldl and foldr.

cond, case and while_loop (the If / While ops these loops are built on) live in cond_ops.py.
"""

import builtins

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.operation import Operation
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import array_ops, constant_op, registry

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
    """An op that runs all `inputs` (ops or tensors) and outputs nothing.

    As TF: inputs on one device give one NoOp (`group_deps`, on that device); inputs on
    several devices give one NoOp per device (`group_deps/NoOp`, `NoOp_1`, ... in the order of
    the device names, each on its device) and the `group_deps` NoOp after them.
    """
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError("Unknown keyword arguments: " + ", ".join(kwargs))
    ops = [_as_op(x) for x in _flatten(inputs)]
    g = ops[0].graph if ops else graph_lib.get_default_graph()
    with g.as_default(), graph_lib.name_scope(name, "group_deps", ops) as scope:
        by_device = {}
        for op in ops:
            by_device.setdefault(op.device or None, []).append(op)
        if len(by_device) <= 1:
            dev, deps = next(iter(by_device.items()), (None, []))
            return _group_control_deps(g, dev, deps, scope)
        per_device = [_group_control_deps(g, dev, by_device[dev], None)
                      for dev in sorted(by_device, key=lambda d: d or "")]
        with g.control_dependencies(per_device):
            return no_op(name=scope)


def _group_control_deps(g, dev, deps, name):
    with g.control_dependencies(deps):
        if dev is None:
            return no_op(name=name)
        with g.device(dev):
            return no_op(name=name)


def tuple(tensors, name=None, control_inputs=None):  # noqa: A001 - TF's public name
    """`tensors` again, each (an Identity named `control_dependency`, `control_dependency_1`,
    ...) available only once all of them are computed: a `group_deps` NoOp gates them."""
    from tensorflux.ops.indexed_slices import IndexedSlices

    ts = [t for t in tensors if t is not None]
    with graph_lib.name_scope(name, "tuple", ts):
        gating = [t.values.op if isinstance(t, IndexedSlices) else _as_op(t) for t in ts]
        if control_inputs:
            gating += [_as_op(c) for c in control_inputs]
        gating = sorted(set(gating), key=lambda op: op._id)
        if not gating:
            raise ValueError("Must have at least one Tensor: %s" % (tensors,))
        gate = group(*gating)
        out = []
        for t in tensors:
            if t is None:
                out.append(None)
            elif isinstance(t, Operation):
                with graph_lib.control_dependencies([gate]):
                    out.append(group(t))
            else:
                out.append(with_dependencies([gate], t))
        return out


def with_dependencies(dependencies, output_tensor, name=None):
    """`output_tensor` again (an Identity colocated with it, or for an op a NoOp), computed only
    after `dependencies`."""
    from tensorflux.ops.indexed_slices import IndexedSlices

    inputs = list(dependencies) + [output_tensor]
    with graph_lib.name_scope(name, "control_dependency", inputs) as scope:
        if isinstance(output_tensor, Operation):
            with graph_lib.control_dependencies(dependencies):
                return group(output_tensor, name=scope)
        values = output_tensor.values if isinstance(output_tensor, IndexedSlices) \
            else output_tensor
        with graph_lib.colocate_with(values), graph_lib.control_dependencies(dependencies):
            out = array_ops.identity(values, name=scope)
        if isinstance(output_tensor, IndexedSlices):
            return IndexedSlices(out, output_tensor.indices, output_tensor.dense_shape)
        return out


# --- map_fn, scan, foldl, foldr (one While op each; see cond_ops.build_while) -----------------
def _loop_over(fn_name, name, elems, initializer, reverse, fn, collect, dtype=None,
               back_prop=True):
    """The shared loop of map_fn / scan / fold.

    Walks `elems` (a nested structure of tensors) along axis 0 with the accumulator
    `initializer` (None: the first element, or the last when `reverse`). `collect` stacks the
    accumulator (or, for map_fn, fn's result) of every step into outputs. Returns (final
    accumulator, stacked outputs), each in its Python structure.
    """
    from tensorflux.ops import cond_ops, func_graph

    if not callable(fn):
        raise TypeError("fn must be callable.")
    elems_flat = func_graph.flatten(elems)
    with graph_lib.name_scope(name, fn_name, [e for e in elems_flat if isinstance(e, Tensor)]) \
            as scope:
        elems_flat = [constant_op.convert_to_tensor(e, name="elem") for e in elems_flat]
        if not elems_flat:
            raise ValueError("elems must not be empty")
        for e in elems_flat:
            if e.shape.ndims == 0:
                raise ValueError("Elements in elems must be 1+ dimensional Tensors, not scalars")
        n_static = None
        for e in elems_flat:
            d = e.shape[0].value if e.shape.ndims else None
            n_static = d if n_static is None else n_static
        xs = elems_flat
        first = None
        if initializer is None and fn_name != "map":
            if reverse:
                first = [e[-1] for e in elems_flat]
                xs = [e[:-1] for e in elems_flat]
            else:
                first = [e[0] for e in elems_flat]
                xs = [e[1:] for e in elems_flat]
            acc_structure = elems
            init_flat = first
        elif fn_name == "map":
            acc_structure, init_flat = None, []
        else:
            acc_structure = initializer
            init_flat = [constant_op.convert_to_tensor(a) for a in func_graph.flatten(initializer)]
        n = array_ops.shape(xs[0])[0] if xs[0].shape.ndims is None or xs[0].shape[0].value \
            is None else xs[0].shape[0].value
        steps = n_static - 1 if (n_static is not None and first is not None) else n_static
        out_structure = {}

        def cond_fn(args):
            return args[0] < n

        def body_fn(args, slices):
            x = func_graph.pack_sequence_as(elems, slices)
            if fn_name == "map":
                res = fn(x)
                if dtype is not None:
                    func_graph.assert_same_structure(dtype, res, check_types=False)
                res_flat = [constant_op.convert_to_tensor(r) for r in func_graph.flatten(res)]
                if dtype is not None:
                    for r, dt in zip(res_flat, func_graph.flatten(dtype)):
                        if r.dtype.base_dtype != dtypes.as_dtype(dt).base_dtype:
                            raise ValueError("TensorArray dtype is %s but Op is trying to write "
                                             "dtype %s." % (dtypes.as_dtype(dt).name,
                                                            r.dtype.name))
                out_structure["y"] = res
                return [args[0] + 1], res_flat
            a = func_graph.pack_sequence_as(acc_structure, args[1:])
            res = fn(a, x)
            func_graph.assert_same_structure(acc_structure, res, check_types=False)
            res_flat = [constant_op.convert_to_tensor(r) for r in func_graph.flatten(res)]
            out_structure["y"] = res
            return [args[0] + 1] + res_flat, (res_flat if collect else [])

        counter = constant_op.constant(0, name="i")
        outer = graph_lib._graph_from_values([xs[0]])
        with outer.name_scope("while") as wscope:
            out_vars, ys = cond_ops.build_while(outer, wscope, [counter] + init_flat, cond_fn,
                                                body_fn, xs=xs, reverse=reverse, ys_length=steps)
        if collect and first is not None:
            ys = [_with_first(y, f, reverse) for y, f in zip(ys, first)]
        if not back_prop:
            out_vars = [array_ops.stop_gradient(t) for t in out_vars]
            ys = [array_ops.stop_gradient(t) for t in ys]
        final = func_graph.pack_sequence_as(out_structure["y"], out_vars[1:]) \
            if out_vars[1:] else None
        if collect:
            ys = func_graph.pack_sequence_as(out_structure["y"], ys)
        del scope
        return final, ys


def _with_first(ys, first, reverse):
    """Puts the first accumulator (an element of elems) in front of (or after) the stack."""
    head = array_ops.stack([first])
    return array_ops.concat([ys, head] if reverse else [head, ys], 0)


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False,
           infer_shape=True, name=None):
    """Applies `fn` to each element of `elems` (unpacked along axis 0) and stacks the results.

    Example:
        >>> squares = tf.map_fn(lambda x: x * x, tf.constant([1, 2, 3]))  # [1, 4, 9]
    """
    _, ys = _loop_over("map", name, elems, None, False, fn, True, dtype=dtype,
                       back_prop=back_prop)
    return ys


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False,
         infer_shape=True, reverse=False, name=None):
    """`a_i = fn(a_{i-1}, elems[i])` for every i; returns the stacked a_i.

    Example:
        >>> tf.scan(lambda a, x: a + x, tf.constant([1, 2, 3]))  # [1, 3, 6]
    """
    _, ys = _loop_over("scan", name, elems, initializer, reverse, fn, True, back_prop=back_prop)
    return ys


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False,
          name=None):
    """Folds `fn` over `elems` from the first element: `fn(fn(a0, x0), x1)…`.

    Example:
        >>> tf.foldl(lambda a, x: a + x, tf.constant([1, 2, 3]))  # 6
    """
    final, _ = _loop_over("foldl", name, elems, initializer, False, fn, False,
                          back_prop=back_prop)
    return final


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False,
          name=None):
    """Folds `fn` over `elems` from the last element."""
    final, _ = _loop_over("foldr", name, elems, initializer, True, fn, False,
                          back_prop=back_prop)
    return final
