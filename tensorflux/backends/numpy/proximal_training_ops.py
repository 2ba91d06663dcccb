"""numpy kernels for the proximal and dual-averaging update ops (ops/proximal_training_ops.py).

Each rule is one small function over whole arrays, written as TF's C++ kernels write it. The
`SparseApply*` kernels run the rule on the rows named by `indices`; as in TF's kernels, a row
named twice is updated twice in turn (the optimizers sum repeated rows before calling them).
New arrays are stored in the session state; input arrays are never updated in place.
"""

import numpy as np

from tensorflux.backends.numpy.state_ops import _read
from tensorflux.ops import proximal_training_ops, state_ops
from tensorflux.ops.registry import kernel


def _shrink(prox, step, l1, l2):
    """TF's proximal step: soft-threshold `prox` by step * l1, then scale by 1 / (1 + step * l2)."""
    one = np.ones((), prox.dtype)
    if l1 > 0:
        zero = np.zeros((), prox.dtype)
        return np.sign(prox) * np.maximum(np.abs(prox) - step * l1, zero) / (one + l2 * step)
    return prox / (one + l2 * step)


# --- the update rules: fn(var, slots..., grad, scalars...) -> {ref name: new value} -----------
def _proximal_gradient_descent(var, alpha, l1, l2, grad):
    return {"var": _shrink(var - grad * alpha, alpha, l1, l2)}


def _proximal_adagrad(var, accum, lr, l1, l2, grad):
    accum = accum + np.square(grad)
    with np.errstate(divide="ignore", invalid="ignore"):
        step = lr / np.sqrt(accum)
    return {"var": _shrink(var - grad * step, step, l1, l2), "accum": accum}


def _adagrad_da(var, gradient_accumulator, gradient_squared_accumulator, grad, lr, l1, l2,
                global_step):
    g = gradient_accumulator + grad
    gg = gradient_squared_accumulator + np.square(grad)
    t = np.asarray(global_step).astype(var.dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = l2 * t * lr + np.sqrt(gg)
        if l1 > 0:
            zero = np.zeros((), var.dtype)
            new = -np.sign(g) * lr * np.maximum(np.abs(g) - l1 * t, zero) / denom
        else:
            new = -g * lr / denom
    return {"var": new, "gradient_accumulator": g, "gradient_squared_accumulator": gg}


_RULES = {
    "ProximalGradientDescent": _proximal_gradient_descent,
    "ProximalAdagrad": _proximal_adagrad,
    "AdagradDA": _adagrad_da,
}


# --- kernel builders -------------------------------------------------------------------------
def _dense(rule, cur, grad, scalars):
    return rule(**cur, grad=grad, **scalars)


def _sparse(rule, cur, grad, scalars, indices):
    """Runs `rule` on the rows `indices`: all at once when no row repeats, else row by row."""
    var = cur["var"]
    if grad.shape[:1] != indices.shape or grad.shape[1:] != var.shape[1:]:
        raise ValueError("grad must be the same size as indices in the first dimension and "
                         "match var in the others: %s vs %s, indices %s"
                         % (list(grad.shape), list(var.shape), list(indices.shape)))
    for i, ix in enumerate(indices):
        if ix < 0 or ix >= var.shape[0]:
            raise IndexError("Index %d at offset %d in indices is out of range" % (ix, i))
    new = {n: v.copy() for n, v in cur.items()}
    if len(np.unique(indices)) == len(indices):
        out = rule(**{n: v[indices] for n, v in cur.items()}, grad=grad, **scalars)
        for n in new:
            new[n][indices] = out[n]
        return new
    for i, ix in enumerate(indices):
        out = rule(**{n: v[ix] for n, v in new.items()}, grad=grad[i], **scalars)
        for n in new:
            new[n][ix] = out[n]
    return new


def _builder(op_type):
    names = proximal_training_ops.OP_INPUTS[op_type]
    rule = _RULES[op_type.replace("Sparse", "").replace("Apply", "", 1)]
    refs = [n for n in names if n in proximal_training_ops.REF_NAMES]
    others = [n for n in names if n not in proximal_training_ops.REF_NAMES]
    gname = "delta" if "delta" in names else "grad"

    def builder(op):
        keys = [state_ops.variable_key(op.inputs[names.index(n)]) for n in refs]

        def run(state, *args):
            cur = {n: _read(state, k, op) for n, k in zip(refs, keys)}
            var = cur["var"]
            for n in refs[1:]:
                if cur[n].shape != var.shape:
                    raise ValueError("var and %s do not have the same shape%s %s"
                                     % (n, list(var.shape), list(cur[n].shape)))
            inputs = dict(zip(others, args))
            grad = np.asarray(inputs.pop(gname))
            indices = inputs.pop("indices", None)
            for n, x in inputs.items():
                if np.ndim(x) != 0:
                    raise ValueError("%s is not a scalar: %s" % (n, list(np.shape(x))))
            if indices is None:
                if grad.shape != var.shape:
                    raise ValueError("var and %s do not have the same shape%s %s"
                                     % (gname, list(var.shape), list(grad.shape)))
                new = _dense(rule, cur, grad, inputs)
            else:
                indices = np.asarray(indices).astype(np.int64, copy=False)
                new = _sparse(rule, cur, grad, inputs, indices)
            for n, k in zip(refs, keys):
                state.variables[k] = np.asarray(new[n]).astype(cur[n].dtype, copy=False)
            return state.variables[keys[0]]
        return run
    return builder


for _op_type in proximal_training_ops.OP_INPUTS:
    kernel(_op_type)(_builder(_op_type))
