"""numpy kernels for the optimizer update ops (ops/training_ops.py).

Each optimizer's rule is one small function over whole arrays, written as TF's C++ kernels write
it. `Apply*` kernels run the rule on the variable and its slots; `SparseApply*` kernels run the
same rule on the rows named by `indices` only, after summing the gradients of repeated rows
(what TF's optimizers do before they call these kernels). New arrays are stored in the session
state: arrays are never updated in place, since a value fetched in the same run may be the very
array the state holds.
"""

import numpy as np

from tensorflux.backends.numpy.state_ops import _read
from tensorflux.ops import state_ops, training_ops
from tensorflux.ops.registry import kernel


# --- the update rules: fn(attrs, **inputs) -> {ref name: new value} ---------------------------
def _gradient_descent(attrs, var, alpha, delta):
    return {"var": var - alpha * delta}


def _momentum(attrs, var, accum, lr, grad, momentum):
    accum = accum * momentum + grad
    if attrs.get("use_nesterov"):
        var = var - (grad * lr + accum * momentum * lr)
    else:
        var = var - accum * lr
    return {"var": var, "accum": accum}


def _adam(attrs, var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad):
    one = np.ones((), var.dtype)
    alpha = lr * np.sqrt(one - beta2_power) / (one - beta1_power)
    m = m + (grad - m) * (one - beta1)
    v = v + (np.square(grad) - v) * (one - beta2)
    if attrs.get("use_nesterov"):
        var = var - (m * beta1 + (one - beta1) * grad) * alpha / (np.sqrt(v) + epsilon)
    else:
        var = var - (m * alpha) / (np.sqrt(v) + epsilon)
    return {"var": var, "m": m, "v": v}


def _adagrad(attrs, var, accum, lr, grad):
    if attrs.get("update_slots", True):
        accum = accum + np.square(grad)
    with np.errstate(divide="ignore", invalid="ignore"):
        var = var - grad * lr / np.sqrt(accum)
    return {"var": var, "accum": accum}


def _adadelta(attrs, var, accum, accum_update, lr, rho, epsilon, grad):
    one = np.ones((), var.dtype)
    accum = accum * rho + np.square(grad) * (one - rho)
    update = np.sqrt(accum_update + epsilon) / np.sqrt(accum + epsilon) * grad
    var = var - update * lr
    accum_update = accum_update * rho + np.square(update) * (one - rho)
    return {"var": var, "accum": accum, "accum_update": accum_update}


def _rms_prop(attrs, var, ms, mom, lr, rho, momentum, epsilon, grad):
    one = np.ones((), var.dtype)
    ms = ms + (np.square(grad) - ms) * (one - rho)
    mom = mom * momentum + lr * grad / np.sqrt(ms + epsilon)
    return {"var": var - mom, "ms": ms, "mom": mom}


def _centered_rms_prop(attrs, var, mg, ms, mom, lr, rho, momentum, epsilon, grad):
    one = np.ones((), var.dtype)
    ms = ms + (np.square(grad) - ms) * (one - rho)
    mg = mg + (grad - mg) * (one - rho)
    denom = ms - np.square(mg) + epsilon
    mom = mom * momentum + lr * grad / np.sqrt(denom)
    return {"var": var - mom, "mg": mg, "ms": ms, "mom": mom}


def _ftrl_common(attrs, var, accum, linear, grad, shrunk_grad, lr, l1, l2, lr_power):
    new_accum = accum + np.square(grad)
    with np.errstate(divide="ignore", invalid="ignore"):
        if lr_power == -0.5:
            sigma = (np.sqrt(new_accum) - np.sqrt(accum)) / lr
            y = np.sqrt(new_accum) / lr + 2 * l2
        else:
            sigma = (np.power(new_accum, -lr_power) - np.power(accum, -lr_power)) / lr
            y = np.power(new_accum, -lr_power) / lr + 2 * l2
        if attrs.get("multiply_linear_by_lr"):
            linear = linear + shrunk_grad * lr - sigma * lr * var
            x = np.clip(linear, -l1 * lr, l1 * lr) - linear
            var = np.where(np.abs(linear) > l1 * lr, x / (y * lr), np.zeros((), var.dtype))
        else:
            linear = linear + shrunk_grad - sigma * var
            x = np.clip(linear, -l1, l1) - linear
            var = np.where(np.abs(linear) > l1, x / y, np.zeros((), var.dtype))
    return {"var": var, "accum": new_accum, "linear": linear}


def _ftrl(attrs, var, accum, linear, grad, lr, l1, l2, lr_power):
    return _ftrl_common(attrs, var, accum, linear, grad, grad, lr, l1, l2, lr_power)


def _ftrl_v2(attrs, var, accum, linear, grad, lr, l1, l2, l2_shrinkage, lr_power):
    shrunk = grad + 2 * l2_shrinkage * var
    return _ftrl_common(attrs, var, accum, linear, grad, shrunk, lr, l1, l2, lr_power)


_RULES = {
    "GradientDescent": _gradient_descent, "Momentum": _momentum, "Adam": _adam,
    "Adagrad": _adagrad, "Adadelta": _adadelta, "RMSProp": _rms_prop,
    "CenteredRMSProp": _centered_rms_prop, "Ftrl": _ftrl, "FtrlV2": _ftrl_v2,
}


# --- kernel builders -------------------------------------------------------------------------
def _check_shape(op, name, want, got):
    if tuple(want) != tuple(got):
        raise ValueError("var and %s do not have the same shape%s %s"
                         % (name, list(want), list(got)))


def _builder(op_type, rule, sparse):
    names = training_ops.OP_INPUTS[op_type]
    refs = [n for n in names if n in training_ops.REF_NAMES]
    others = [n for n in names if n not in training_ops.REF_NAMES]

    def builder(op):
        keys = [state_ops.variable_key(op.inputs[names.index(n)]) for n in refs]
        attrs = dict(op._attrs)

        def run(state, *args):
            cur = {n: _read(state, k, op) for n, k in zip(refs, keys)}
            var = cur["var"]
            for n in refs[1:]:
                _check_shape(op, n, var.shape, cur[n].shape)
            inputs = dict(zip(others, args))
            for n, x in inputs.items():
                if n not in training_ops.GRAD_NAMES and n != "indices" and np.ndim(x) != 0:
                    raise ValueError("%s is not a scalar: %s" % (n, list(np.shape(x))))
            gname = "delta" if "delta" in inputs else "grad"
            if sparse:
                new = _sparse_update(rule, attrs, cur, inputs, gname)
            else:
                _check_shape(op, gname, var.shape, np.shape(inputs[gname]))
                new = rule(attrs, **cur, **inputs)
            for n, k in zip(refs, keys):
                state.variables[k] = np.asarray(new[n]).astype(cur[n].dtype, copy=False)
            return state.variables[keys[0]]
        return run
    return builder


def _sparse_update(rule, attrs, cur, inputs, gname):
    """Runs `rule` on the rows of the variable and its slots that `indices` names."""
    var = cur["var"]
    grad = inputs[gname]
    indices = np.asarray(inputs["indices"]).astype(np.int64, copy=False)
    if indices.ndim != 1:
        raise ValueError("indices must be one-dimensional")
    if grad.shape[:1] != indices.shape or grad.shape[1:] != var.shape[1:]:
        raise ValueError("grad must be the same size as indices in the first dimension and "
                         "match var in the others: %s vs %s, indices %s"
                         % (list(grad.shape), list(var.shape), list(indices.shape)))
    for i, ix in enumerate(indices):
        if ix < 0 or ix >= var.shape[0]:
            raise IndexError("Index %d at offset %d in indices is out of range" % (ix, i))
    scalars = {n: x for n, x in inputs.items() if n not in (gname, "indices")}
    rows, where = np.unique(indices, return_inverse=True)
    if len(rows) != len(indices):  # repeated rows: their gradients are summed first
        summed = np.zeros((len(rows),) + grad.shape[1:], grad.dtype)
        np.add.at(summed, where.reshape(-1), grad)
        grad = summed
    else:
        rows, grad = indices, grad
    out = rule(attrs, **{n: v[rows] for n, v in cur.items()}, **{gname: grad}, **scalars)
    new = {}
    for n, v in cur.items():
        new[n] = v.copy()
        new[n][rows] = out[n]
    return new


for _op_type in training_ops.OP_INPUTS:
    _family = _op_type.replace("Sparse", "").replace("Apply", "", 1)
    kernel(_op_type)(_builder(_op_type, _RULES[_family], _op_type.startswith("Sparse")))
