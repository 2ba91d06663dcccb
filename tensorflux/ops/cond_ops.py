"""`tf.cond`, `tf.case` and `tf.while_loop` as functional If / While ops, with gradients.

Each branch (or the loop's cond and body) is a `FuncGraph` built once by calling the user's
function; outer tensors it reads become inputs of the op (see `func_graph.py`). The kernel runs
only the chosen branch, or the body while cond holds, so side effects and errors of the other
branch never happen. Ops are named as TF 2's control flow names them in a TF1 graph: the op
`cond` (type If / StatelessIf) with outputs `cond/Identity`, `cond/Identity_1`…, and `while`
(While / StatelessWhile) with `while/Identity`… (the first two are the loop counter and the
maximum iteration count).

`build_while` is the loop builder `tf.map_fn`, `tf.scan` and the folds share: besides loop
variables, a While op can walk tensors along axis 0 (the body sees one slice per iteration) and
stack body tensors over the iterations into extra outputs, so those loops cost O(n) forward and
backward.

Gradients: the rule differentiates each body inside its own graph (`tf.gradients` of the body
outputs w.r.t. its input placeholders) and emits an IfGrad / WhileGrad op that runs those
gradient subgraphs. Forward values the gradient subgraph reads are *stashed*: the forward op
gets one extra variant output (`_stash`) holding them (per iteration for a loop), so the
backward pass never re-runs forward ops (random ops and assignments run exactly once).
"""

import functools

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.tensor import Tensor
from tensorflux.ops import array_ops, constant_op, list_ops, math_ops, registry, tensor_array_ops
from tensorflux.ops._helpers import trainable
from tensorflux.ops.func_graph import (
    Body,
    FuncGraph,
    as_body_output,
    assert_same_structure,
    capture_list,
    flatten,
    pack_sequence_as,
)

TS = tensor_shape.TensorShape


def _func_shape(op):
    return list(zip(op._attrs["Tout"], op._attrs["output_shapes"]))


_trainable = trainable


def _as_pred(pred, op_name, input_name="pred"):
    pred = constant_op.convert_to_tensor(pred)
    if pred.dtype.base_dtype != dtypes.bool:
        raise TypeError("Input '%s' of '%s' Op has type %s that does not match expected type "
                        "of bool." % (input_name, op_name.rsplit("/", 1)[-1], pred.dtype.name))
    if pred.shape.ndims not in (None, 0):
        raise ValueError("Shape must be rank 0 but is rank %d for '%s' with input shapes: %s."
                         % (pred.shape.ndims, op_name, registry._shape_str(pred.shape)))
    return pred


# --- tf.cond ---------------------------------------------------------------------------------
def _unpack_if_singleton(res):
    if isinstance(res, (list, tuple)) and len(res) == 1:
        return res[0]
    return res


def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """Returns `true_fn()` if `pred` is true else `false_fn()`; only that branch runs.

    Example:
        >>> r = tf.cond(x < y, lambda: tf.add(x, z), lambda: tf.square(y))
    """
    if fn1 is not None:
        if true_fn is not None:
            raise TypeError("cond(): 'true_fn' and 'fn1' may not be set simultaneously.")
        true_fn = fn1
    elif true_fn is None:
        raise TypeError("cond(): 'true_fn' argument required")
    if fn2 is not None:
        if false_fn is not None:
            raise TypeError("cond(): 'false_fn' and 'fn2' may not be set simultaneously.")
        false_fn = fn2
    elif false_fn is None:
        raise TypeError("cond(): 'false_fn' argument required")
    if not callable(true_fn):
        raise TypeError("'true_fn' must be callable.")
    if not callable(false_fn):
        raise TypeError("'false_fn' must be callable.")
    with graph_lib.name_scope(name, "cond", [pred]) as scope:
        if isinstance(pred, bool):
            raise TypeError("'pred' must not be a Python bool.")
        pred = _as_pred(pred, scope + "If")
        outer = graph_lib._graph_from_values([pred])
        graphs, results, flats = [], [], []
        for fn, which, value in ((true_fn, "true_fn", True), (false_fn, "false_fn", False)):
            fg = FuncGraph(outer, scope)
            with fg.as_default():
                res = fn()
                if res is None:
                    raise ValueError("'%s' must have a return value." % which)
                flat = [as_body_output(fg, x, value) for x in flatten(res)]
            graphs.append(fg)
            results.append(res if strict else _unpack_if_singleton(res))
            flats.append(flat)
        assert_same_structure(results[0], results[1])
        if not flats[0]:
            raise ValueError("'true_fn' and 'false_fn' must return at least one result.")
        for x, y in zip(*flats):
            if x.dtype.base_dtype != y.dtype.base_dtype:
                raise ValueError("Outputs of 'true_fn' and 'false_fn' must have the same "
                                 "type(s). Received %s from 'true_fn' and %s from 'false_fn'."
                                 % (x.dtype.name, y.dtype.name))
        shapes = [x.shape.most_specific_compatible_shape(y.shape) for x, y in zip(*flats)]
        outs = _make_if(outer, scope, pred, graphs, flats, shapes)
        with outer.as_default():
            outs = [array_ops.identity(t) for t in outs]
        packed = pack_sequence_as(results[0], outs)
        return packed if strict else _unpack_if_singleton(packed)


def _make_if(outer, scope, pred, graphs, flats, shapes):
    caps = capture_list(graphs)
    bodies = []
    for g, flat in zip(graphs, flats):
        g.forward_count = len(g._ops)
        bodies.append(Body(g, [g.captures.get(t) for t in caps], flat))
    op_type = "If" if any(g.is_stateful() for g in graphs) else "StatelessIf"
    attrs = {"then_branch": bodies[0], "else_branch": bodies[1], "Tcond": dtypes.bool,
             "Tin": [t.dtype.base_dtype for t in caps],
             "Tout": [t.dtype.base_dtype for t in flats[0]], "output_shapes": shapes}
    controls = graphs[0].control_captures + graphs[1].control_captures
    with outer.as_default(), outer.control_dependencies(controls):
        op = outer.create_op(op_type, [pred] + caps, attrs, name=scope,
                             op_def=registry.get(op_type))
    return op.outputs


# --- tf.case ---------------------------------------------------------------------------------
def _case_args(pred_fn_pairs, exclusive, name):
    if not isinstance(pred_fn_pairs, (list, tuple, dict)):
        raise TypeError("'pred_fn_pairs' must be a list, tuple, or dict. Received: %s"
                        % type(pred_fn_pairs))
    if isinstance(pred_fn_pairs, dict):
        pred_fn_pairs = sorted(pred_fn_pairs.items(), key=lambda item: item[0].name)
    for pair in pred_fn_pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError("Each entry in 'pred_fn_pairs' must be a 2-tuple. Received %s."
                            % (pair,))
        pred, fn = pair
        if isinstance(pred, Tensor):
            if pred.dtype != dtypes.bool:
                raise TypeError("pred must be Tensor of type bool: %s" % pred.name)
        else:
            raise TypeError("pred must be a Tensor, got: %s" % (pred,))
        if not callable(fn):
            raise TypeError("fn for pred %s must be callable." % pred.name)
    if not pred_fn_pairs:
        return (), ()
    preds, fns = zip(*pred_fn_pairs)
    return list(preds), list(fns)


def _assert_at_most_n_true(predicates, n, msg):
    from tensorflux.ops import debug_ops, reduction_ops

    preds_c = array_ops.stack(predicates, name="preds_c")
    num_true = reduction_ops.reduce_sum(math_ops.cast(preds_c, dtypes.int32),
                                        name="num_true_conds")
    condition = math_ops.less_equal(num_true, constant_op.constant(n, name="n_true_conds"))
    names = ", ".join(getattr(p, "name", "?") for p in predicates)
    data = ["%s: more than %d conditions (%s) evaluated as True:" % (msg, n, names), preds_c]
    return debug_ops.Assert(condition, data=data, summarize=len(predicates))


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """Runs the fn of the first true predicate (or `default`); only that fn's ops run.

    Example:
        >>> r = tf.case([(x < y, f1), (x > z, f2)], default=f3, exclusive=True)
    """
    from tensorflux.ops import debug_ops

    preds, fns = _case_args(pred_fn_pairs, exclusive, name)
    with graph_lib.name_scope(name, "case", preds):
        if default is None:
            k = len(preds) - 1
            last_pred, last_fn = preds[k], fns[k]
            others_p, others_f = preds[:k], fns[:k]
            all_preds = list(preds)

            def default_action():
                others_msg = ("Implementation error: selected default action #%d was called, "
                              "but some of other predicates are True: " % k)
                default_msg = ("Input error: None of conditions evaluated as True:",
                               array_ops.stack(all_preds, name="preds_c"))
                deps = [debug_ops.Assert(last_pred, data=default_msg)]
                if others_p:
                    deps.insert(0, _assert_at_most_n_true(others_p, 0, others_msg))
                with graph_lib.control_dependencies(deps):
                    return last_fn()

            default, preds, fns = default_action, others_p, others_f
        elif not callable(default):
            raise TypeError("default must be callable.")
        fn = default
        for p, action in reversed(list(zip(preds, fns))):
            fn = functools.partial(cond, p, true_fn=action, false_fn=fn, strict=strict)
        if exclusive and preds:
            with graph_lib.control_dependencies(
                    [_assert_at_most_n_true(preds, 1, "Input error: exclusive=True")]):
                return fn()
        return fn()


# --- tf.while_loop ---------------------------------------------------------------------------
def _shape_le(s1, s2):
    """True when `s1` is at least as specific as invariant `s2`."""
    if s2.ndims is None:
        return True
    if s1.ndims != s2.ndims:
        return False
    return all(b is None or a == b for a, b in zip(s1.as_list(), s2.as_list()))


def _to_loop_var(v):
    if isinstance(v, (Tensor, tensor_array_ops.TensorArray)):
        return v
    return constant_op.convert_to_tensor(v)


def _flows(values):
    """Loop values as tensors: a TensorArray is carried as its flow (a TensorList)."""
    return [v.flow if isinstance(v, tensor_array_ops.TensorArray) else v for v in values]


def _arrays(templates, tensors):
    """`tensors` with TensorArrays rebuilt (from `templates`) where the loop carries one."""
    return [tpl._with_flow(t) if isinstance(tpl, tensor_array_ops.TensorArray) else t
            for tpl, t in zip(templates, tensors)]


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, name=None, maximum_iterations=None,
               return_same_structure=False):
    """Repeats `body` while `cond` is true; loop_vars may be any nested structure.

    Example:
        >>> i, x = tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, x * x), [0, x])
    """
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    if parallel_iterations < 1:
        raise TypeError("'parallel_iterations' must be a positive integer.")
    single = not isinstance(loop_vars, (list, tuple))
    if single:
        if loop_vars is None or (isinstance(loop_vars, dict) and not loop_vars):
            raise ValueError("'loop_vars' must be provided.")
        loop_vars = [loop_vars]
        if shape_invariants is not None:
            shape_invariants = [shape_invariants]
    if not loop_vars:
        raise ValueError("'loop_vars' must be provided.")
    values = [v for v in _flows(flatten(loop_vars)) if isinstance(v, Tensor)]
    outer = graph_lib._graph_from_values(values)
    with outer.as_default():  # converted outside the loop's name scope, as TF 2 does
        loop_vars = [pack_sequence_as(v, [_to_loop_var(x) for x in flatten(v)])
                     for v in loop_vars]
    templates = flatten(loop_vars)
    flat_vars = _flows(templates)
    with graph_lib.name_scope(name, "while", flat_vars) as scope:
        with outer.as_default():
            invariants = None
            if shape_invariants is not None:
                assert_same_structure(list(loop_vars), list(shape_invariants), check_types=False)
                invariants = [tensor_shape.as_shape(s) for s in _flatten_shapes(shape_invariants)]
        structure = {}

        def cond_fn(args):
            return cond(*pack_sequence_as(list(loop_vars), _arrays(templates, args)))

        def body_fn(args, slices):
            res = body(*pack_sequence_as(list(loop_vars), _arrays(templates, args)))
            if single:
                if isinstance(loop_vars[0], (list, tuple, dict)) or not (
                        isinstance(res, (list, tuple)) and len(res) == 1):
                    res = [res]
            elif not isinstance(res, (list, tuple, dict)):
                res = [res]
            assert_same_structure(list(pack_sequence_as(list(loop_vars), args)), list(res))
            structure["res"] = res
            flat_res = flatten(res)
            for tpl, r in zip(templates, flat_res):
                if isinstance(tpl, tensor_array_ops.TensorArray) != isinstance(
                        r, tensor_array_ops.TensorArray):
                    raise TypeError("The body of the while loop returned %r where the loop "
                                    "variable was %r: a TensorArray loop variable must stay a "
                                    "TensorArray." % (r, tpl))
            structure["flat_res"] = flat_res
            return _flows(flat_res), []

        out_vars, _ = build_while(outer, scope, flat_vars, cond_fn, body_fn, invariants,
                                  maximum_iterations)
        if not back_prop:
            with outer.as_default():
                out_vars = [array_ops.stop_gradient(t) for t in out_vars]
    packed = pack_sequence_as(structure["res"], _arrays(structure["flat_res"], out_vars))
    if single:
        return packed[0]
    if return_same_structure:
        return packed
    return packed[0] if len(out_vars) == 1 else packed


def build_while(outer, scope, flat_vars, cond_fn, body_fn, invariants=None,  # noqa: C901
                maximum_iterations=None, xs=(), reverse=False, ys_length=None):
    """Builds one While op in `outer` under name scope `scope` (TF 2's layout).

    `cond_fn(var_tensors) -> pred` and `body_fn(var_tensors, x_slices) -> (next_vars, ys)` are
    called once each inside their body graphs. `xs` are tensors the loop walks along axis 0
    (the body sees slice k at iteration k, from the end when `reverse`); `ys` are body tensors
    stacked over the iterations into extra outputs (with static length `ys_length`). Returns
    (loop var outputs, stacked ys), each wrapped in an Identity.
    """
    if invariants is None:
        invariants = [v.shape for v in flat_vars]
    for v, inv in zip(flat_vars, invariants):
        if not _shape_le(v.shape, inv):
            raise ValueError("The shape invariant specified for %s is not compatible with the "
                             "initial shape of the loop variable. It enters the loop with shape "
                             "%s, but the specified shape invariant is %s."
                             % (v.name, v.shape, inv))
    with outer.as_default():
        if maximum_iterations is None:
            max_iter = constant_op.constant(-1, name="maximum_iterations")
        else:
            max_iter = constant_op.convert_to_tensor(maximum_iterations, name="maximum_iterations")
            if max_iter.shape.ndims != 0:
                raise ValueError("'maximum_iterations' must be a scalar. Received shape: %s"
                                 % max_iter.shape)
        counter = constant_op.constant(0, dtype=max_iter.dtype, name="loop_counter")
    sig = [(counter.dtype, TS([])), (max_iter.dtype, TS([]))] + [
        (v.dtype.base_dtype, inv) for v, inv in zip(flat_vars, invariants)]
    x_sig = [(x.dtype.base_dtype, x.shape[1:] if x.shape.ndims else
              tensor_shape.unknown_shape()) for x in xs]

    def make_graph():
        fg = FuncGraph(outer, scope)
        phs = [fg.placeholder(dt, shp, scope + "Identity") for dt, shp in sig]
        x_phs = [fg.placeholder(dt, shp, scope + "slice") for dt, shp in x_sig]
        return fg, phs, x_phs

    def carry_lists(tensors):  # TensorList loop variables stay lists (element dtype, shape)
        for v, t in zip(flat_vars, tensors):
            list_ops.copy_handle_data(v, t)

    cg, c_phs, _ = make_graph()
    carry_lists(c_phs[2:])
    with cg.as_default():
        pred = as_body_output(cg, cond_fn(c_phs[2:]))
        pred = _as_pred(pred, scope + "LoopCond", "input")
        if maximum_iterations is not None:
            pred = math_ops.logical_and(c_phs[0] < c_phs[1], pred)
    bg, b_phs, bx_phs = make_graph()
    carry_lists(b_phs[2:])
    with bg.as_default():
        res_flat, ys = body_fn(b_phs[2:], bx_phs)
        res_flat = [as_body_output(bg, x) for x in res_flat]
        ys = [as_body_output(bg, y) for y in ys]
        if len(res_flat) != len(flat_vars):
            raise ValueError("Number of inputs and outputs of 'body' must match 'loop_vars'. Got "
                             "%d for the number of inputs/outputs, and %d for 'loop_vars'."
                             % (len(flat_vars), len(res_flat)))
        next_counter = b_phs[0] + 1
    for v, out, inv in zip(flat_vars, res_flat, invariants):
        if out.dtype.base_dtype != v.dtype.base_dtype:
            raise TypeError("Loop var %s enters the loop with type %s but has type %s after 1 "
                            "iteration. %s type should remain constant."
                            % (v.name, v.dtype.name, out.dtype.name, v.name))
        if not _shape_le(out.shape, inv):
            raise ValueError("Input tensor '%s' enters the loop with shape %s, but has shape %s "
                             "after one iteration. To allow the shape to vary across iterations, "
                             "use the `shape_invariants` argument of tf.while_loop to specify a "
                             "less-specific shape." % (v.name, v.shape, out.shape))
    caps = capture_list([cg, bg])
    cg.forward_count = len(cg._ops)
    bg.forward_count = len(bg._ops)
    n_x = len(xs)
    cbody = Body(cg, c_phs + [None] * n_x + [cg.captures.get(t) for t in caps], [pred])
    bbody = Body(bg, b_phs + bx_phs + [bg.captures.get(t) for t in caps],
                 [next_counter, b_phs[1]] + res_flat + ys)
    op_type = "While" if cg.is_stateful() or bg.is_stateful() else "StatelessWhile"
    ys_shapes = [TS([ys_length]).concatenate(y.shape) for y in ys]
    attrs = {"cond": cbody, "body": bbody, "n_vars": len(sig), "n_xs": n_x,
             "reverse": bool(reverse), "parallel_iterations": 10,
             "T": [dt for dt, _ in sig] + [x.dtype.base_dtype for x in xs] + [
                 t.dtype.base_dtype for t in caps],
             "Tout": [dt for dt, _ in sig] + [y.dtype.base_dtype for y in ys],
             "output_shapes": [shp for _, shp in sig] + ys_shapes}
    inputs = [counter, max_iter] + list(flat_vars) + list(xs) + caps
    with outer.as_default(), outer.control_dependencies(cg.control_captures +
                                                        bg.control_captures):
        op = outer.create_op(op_type, inputs, attrs, name=scope, op_def=registry.get(op_type))
        carry_lists(op.outputs[2:len(sig)])
        outs = [array_ops.identity(t) for t in op.outputs[:len(sig) + len(ys)]]
    return outs[2:len(sig)], outs[len(sig):]


def _flatten_shapes(shape_invariants):
    def is_shape_leaf(s):
        return isinstance(s, tensor_shape.TensorShape) or s is None or (
            isinstance(s, (list, tuple)) and all(d is None or isinstance(d, int) for d in s))

    out = []

    def walk(s):
        if is_shape_leaf(s):
            out.append(s)
        elif isinstance(s, dict):
            for k in sorted(s):
                walk(s[k])
        else:
            for x in s:
                walk(x)

    walk(shape_invariants)
    return out


# --- gradients -------------------------------------------------------------------------------
def _body_gradients(body, ys, xs, name="gradients"):
    """`tf.gradients(ys, xs, grad_ys=<placeholders>)` built inside the graph of `body`.

    Returns (grad_y placeholders, grads (None where not connected), stash tensors): the stash is
    every forward tensor of the body that the new gradient ops read, other than its inputs
    (fed again by the backward op) and constants (recomputed).
    """
    graph = body.graph
    from tensorflux.gradients import gradients

    with graph.as_default():
        gys = [graph.placeholder(y.dtype, y.shape, graph.root_scope + "grad_y")
               for y in ys]
        grads = gradients(ys, xs, grad_ys=gys, name=name) if xs else []
    fed = set(gys) | {p for p in body.inputs if p is not None}
    forward = set(graph._ops[:graph.forward_count])
    stash, seen_t, seen = [], set(), set()

    def need(t):
        recompute = t.op.type == "Const" and not t.op._control_inputs
        if t not in fed and t not in seen_t and not recompute:
            seen_t.add(t)
            stash.append(t)

    stack = []
    for gr in grads:
        if gr is None:
            continue
        if gr.op in forward:
            need(gr)
        else:
            stack.append(gr.op)
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        for t in op.inputs:
            if t in fed:
                continue
            if t.op in forward:
                need(t)
            else:
                stack.append(t.op)
        stack.extend(c for c in op._control_inputs if c not in forward)
    return gys, grads, stash


def _stash_output(op, key, tensors):
    """Makes forward op `op` record `tensors` (of body `key`); returns its stash output."""
    stash = op._attrs.setdefault("_stash", {})
    have = stash.setdefault(key, [])
    for t in tensors:
        if t not in have:
            have.append(t)
    out = op._attrs.get("_stash_output")
    if out is None:
        out = Tensor(op, len(op._outputs), dtypes.variant, TS([]))
        op._outputs.append(out)
        op._attrs["_stash_output"] = out
    g = op.graph
    while g is not None:
        g._version += 1
        g = getattr(g, "outer_graph", None)
    return out


def _if_grad(op, *out_grads):
    n_out = len(op._attrs["Tout"])
    gidx = [i for i in range(n_out) if out_grads[i] is not None]
    fwd_args = list(op.inputs[1:])
    wrt = [j for j, t in enumerate(fwd_args) if _trainable(t)]
    if not gidx or not wrt:
        return [None] * len(op.inputs)
    per_branch = []
    for key in ("then_branch", "else_branch"):
        b = op._attrs[key]
        xs_idx = [j for j in wrt if b.inputs[j] is not None]
        gys, grads, stash = _body_gradients(b, [b.outputs[i] for i in gidx],
                                            [b.inputs[j] for j in xs_idx])
        per_branch.append((b, gys, dict(zip(xs_idx, grads)), stash))
    out_js = [j for j in wrt if any(pb[2].get(j) is not None for pb in per_branch)]
    if not out_js:
        return [None] * len(op.inputs)
    bodies, stashes = [], []
    for b, gys, grads, stash in per_branch:
        bodies.append(Body(b.graph, b.inputs + gys, [grads.get(j) for j in out_js]))
        stashes.append(stash)
    inputs = [op.inputs[0]] + fwd_args + [out_grads[i] for i in gidx]
    if stashes[0] or stashes[1]:
        _stash_output(op, "then_branch", stashes[0])
        rec = _stash_output(op, "else_branch", stashes[1])
        inputs.append(rec)
    attrs = {"then_branch": bodies[0], "else_branch": bodies[1], "stash": stashes,
             "wrt": out_js, "Tout": [fwd_args[j].dtype.base_dtype for j in out_js],
             "output_shapes": [fwd_args[j].shape for j in out_js]}
    gop = registry.make_op("IfGrad", inputs, attrs, name="IfGrad")
    res = [None] * len(op.inputs)
    for k, j in enumerate(out_js):
        res[1 + j] = gop.outputs[k]
    return res


def _while_grad(op, *out_grads):
    b = op._attrs["body"]
    n_vars, n_xs = op._attrs["n_vars"], op._attrs["n_xs"]
    n_ys = len(op._attrs["Tout"]) - n_vars
    args = list(op.inputs)
    var_wrt = [i for i in range(2, n_vars) if _trainable(args[i])]
    x_wrt = [n_vars + j for j in range(n_xs) if _trainable(args[n_vars + j])]
    cap_wrt = [j for j in range(n_vars + n_xs, len(args)) if _trainable(args[j]) and
               b.inputs[j] is not None]
    y_wrt = [n_vars + j for j in range(n_ys) if _trainable(op.outputs[n_vars + j])]
    if not var_wrt + x_wrt + cap_wrt or all(out_grads[i] is None for i in var_wrt + y_wrt):
        return [None] * len(args)
    xs = [b.inputs[i] for i in var_wrt + x_wrt + cap_wrt]
    ys = [b.outputs[i] for i in var_wrt + y_wrt]
    gys, grads, stash = _body_gradients(b, ys, xs)
    rec = _stash_output(op, "body", stash)
    gbody = Body(b.graph, b.inputs + gys, grads)
    gy_vals = [out_grads[i] if out_grads[i] is not None else array_ops.zeros_like(op.outputs[i])
               for i in var_wrt + y_wrt]
    wrt = var_wrt + x_wrt + cap_wrt
    attrs = {"body": gbody, "stash": stash, "var_wrt": var_wrt, "x_wrt": x_wrt,
             "cap_wrt": cap_wrt, "y_wrt": y_wrt,
             "Tout": [args[i].dtype.base_dtype for i in wrt],
             "output_shapes": [op._attrs["output_shapes"][i] for i in var_wrt] +
             [args[j].shape for j in x_wrt + cap_wrt]}
    gop = registry.make_op("WhileGrad", [rec] + gy_vals, attrs, name="WhileGrad")
    res = [None] * len(args)
    for k, i in enumerate(wrt):
        res[i] = gop.outputs[k]
    return res


registry.register("If", shape=_func_shape, grad=_if_grad, stateful=True)
registry.register("StatelessIf", shape=_func_shape, grad=_if_grad)
registry.register("While", shape=_func_shape, grad=_while_grad, stateful=True)
registry.register("StatelessWhile", shape=_func_shape, grad=_while_grad)
# The backward ops are marked stateful: they read the forward op's stash and must never be
# folded or merged. Their own gradients (second order through control flow) are not written.
registry.register("IfGrad", shape=_func_shape, grad=None, stateful=True)
registry.register("WhileGrad", shape=_func_shape, grad=None, stateful=True)
