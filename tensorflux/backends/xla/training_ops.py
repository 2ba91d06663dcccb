"""XLA kernels for the optimizer update ops (ops/training_ops.py).

Each rule is the numpy backend's, written with jax.numpy: a function over whole arrays that
returns the new values of the variable and its slots, which rebind them in the traced state.
`SparseApply*` ops apply the rule to the rows `indices` names, once per distinct row, with the
gradients of repeated rows summed first (as the numpy kernels do), all in one vectorised update.
"""

import jax.numpy as jnp

from tensorflux.backends.xla.kernel import fail_if, kernel
from tensorflux.ops import state_ops, training_ops


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
    one = jnp.ones((), var.dtype)
    alpha = lr * jnp.sqrt(one - beta2_power) / (one - beta1_power)
    m = m + (grad - m) * (one - beta1)
    v = v + (jnp.square(grad) - v) * (one - beta2)
    if attrs.get("use_nesterov"):
        var = var - (m * beta1 + (one - beta1) * grad) * alpha / (jnp.sqrt(v) + epsilon)
    else:
        var = var - (m * alpha) / (jnp.sqrt(v) + epsilon)
    return {"var": var, "m": m, "v": v}


def _adagrad(attrs, var, accum, lr, grad):
    if attrs.get("update_slots", True):
        accum = accum + jnp.square(grad)
    return {"var": var - grad * lr / jnp.sqrt(accum), "accum": accum}


def _adadelta(attrs, var, accum, accum_update, lr, rho, epsilon, grad):
    one = jnp.ones((), var.dtype)
    accum = accum * rho + jnp.square(grad) * (one - rho)
    update = jnp.sqrt(accum_update + epsilon) / jnp.sqrt(accum + epsilon) * grad
    var = var - update * lr
    accum_update = accum_update * rho + jnp.square(update) * (one - rho)
    return {"var": var, "accum": accum, "accum_update": accum_update}


def _rms_prop(attrs, var, ms, mom, lr, rho, momentum, epsilon, grad):
    one = jnp.ones((), var.dtype)
    ms = ms + (jnp.square(grad) - ms) * (one - rho)
    mom = mom * momentum + lr * grad / jnp.sqrt(ms + epsilon)
    return {"var": var - mom, "ms": ms, "mom": mom}


def _centered_rms_prop(attrs, var, mg, ms, mom, lr, rho, momentum, epsilon, grad):
    one = jnp.ones((), var.dtype)
    ms = ms + (jnp.square(grad) - ms) * (one - rho)
    mg = mg + (grad - mg) * (one - rho)
    denom = ms - jnp.square(mg) + epsilon
    mom = mom * momentum + lr * grad / jnp.sqrt(denom)
    return {"var": var - mom, "mg": mg, "ms": ms, "mom": mom}


def _ftrl_common(attrs, var, accum, linear, grad, shrunk_grad, lr, l1, l2, lr_power):
    new_accum = accum + jnp.square(grad)
    # lr_power is a traced scalar: compute both forms and pick (TF special-cases -0.5).
    sigma_sqrt = (jnp.sqrt(new_accum) - jnp.sqrt(accum)) / lr
    y_sqrt = jnp.sqrt(new_accum) / lr + 2 * l2
    sigma_pow = (jnp.power(new_accum, -lr_power) - jnp.power(accum, -lr_power)) / lr
    y_pow = jnp.power(new_accum, -lr_power) / lr + 2 * l2
    is_sqrt = lr_power == -0.5
    sigma = jnp.where(is_sqrt, sigma_sqrt, sigma_pow)
    y = jnp.where(is_sqrt, y_sqrt, y_pow)
    zero = jnp.zeros((), var.dtype)
    if attrs.get("multiply_linear_by_lr"):
        linear = linear + shrunk_grad * lr - sigma * lr * var
        x = jnp.clip(linear, -l1 * lr, l1 * lr) - linear
        var = jnp.where(jnp.abs(linear) > l1 * lr, x / (y * lr), zero)
    else:
        linear = linear + shrunk_grad - sigma * var
        x = jnp.clip(linear, -l1, l1) - linear
        var = jnp.where(jnp.abs(linear) > l1, x / y, zero)
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


def _sparse_update(rule, attrs, cur, inputs, gname):
    """`rule` on the rows `indices` names, after summing the gradients of repeated rows."""
    var = cur["var"]
    grad = jnp.asarray(inputs[gname])
    idx = jnp.asarray(inputs["indices"])
    if idx.ndim != 1 or grad.shape[:1] != idx.shape or grad.shape[1:] != var.shape[1:]:
        raise ValueError("grad must match indices in its first dimension and var in the others")
    n = var.shape[0]
    fail_if((idx < 0) | (idx >= n))
    k = idx.shape[0]
    # Distinct rows, padded with the out-of-range row n (its updates are dropped).
    rows, where = jnp.unique(idx, size=k, fill_value=n, return_inverse=True)
    summed = jnp.zeros(grad.shape, grad.dtype).at[where.reshape(-1)].add(grad)
    scalars = {name: x for name, x in inputs.items() if name not in (gname, "indices")}
    old = {name: jnp.take(jnp.asarray(v), rows, axis=0, mode="clip") for name, v in cur.items()}
    out = rule(attrs, **old, **{gname: summed}, **scalars)
    return {name: jnp.asarray(v).at[rows].set(out[name].astype(v.dtype), mode="drop")
            for name, v in cur.items()}


def _builder(op_type, rule, sparse):
    names = training_ops.OP_INPUTS[op_type]
    refs = [n for n in names if n in training_ops.REF_NAMES]
    others = [n for n in names if n not in training_ops.REF_NAMES]

    def builder(op):
        keys = [state_ops.variable_key(op.inputs[names.index(n)]) for n in refs]
        attrs = dict(op._attrs)

        def run(state, *args):
            cur = {n: state.read(k) for n, k in zip(refs, keys)}
            var = cur["var"]
            if any(cur[n].shape != var.shape for n in refs[1:]):
                raise ValueError("var and its slots do not have the same shape")
            inputs = dict(zip(others, args))
            for n, x in inputs.items():
                if n not in training_ops.GRAD_NAMES and n != "indices" and jnp.ndim(x) != 0:
                    raise ValueError("%s is not a scalar" % n)
            gname = "delta" if "delta" in inputs else "grad"
            if sparse:
                new = _sparse_update(rule, attrs, cur, inputs, gname)
            else:
                if tuple(jnp.shape(inputs[gname])) != var.shape:
                    raise ValueError("var and %s do not have the same shape" % gname)
                new = rule(attrs, **cur, **inputs)
            for n, k in zip(refs, keys):
                state.variables[k] = jnp.asarray(new[n]).astype(cur[n].dtype)
            return state.variables[keys[0]]
        return run
    return builder


for _op_type in training_ops.OP_INPUTS:
    _family = _op_type.replace("Sparse", "").replace("Apply", "", 1)
    kernel(_op_type, checks=_op_type.startswith("Sparse"))(
        _builder(_op_type, _RULES[_family], _op_type.startswith("Sparse")))
