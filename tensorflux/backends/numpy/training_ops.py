"""numpy kernels for the optimizer update ops (ops/training_ops.py).

Each optimizer's rule is one small function over whole arrays, written as TF's C++ kernels write
it. `Apply*` kernels run the rule on the variable and its slots; `SparseApply*` kernels run the
same rule on the rows named by `indices` only, after summing the gradients of repeated rows
(what TF's optimizers do before they call these kernels). New arrays are stored in the session
state: arrays are never updated in place, since a value fetched in the same run may be the very
array the state holds (and the session restores the arrays it holds if a run fails).

Fast path (not with `TENSORFLUX_KERNELS=reference`): dense GradientDescent, Momentum and Adam
run their rule in cache-sized chunks, writing into a spare buffer instead of allocating: the
array a variable held before its previous update, reused only when `sys.getrefcount` proves
that nothing else (a fetched value, a view, the session's rollback snapshot, another slot)
still refers to it. Each chunk performs the reference rule's operations in the same order, so
the results are bitwise identical.
"""

import sys

import numpy as np

from tensorflux.backends import onednn
from tensorflux.backends.numpy import jit_loops
from tensorflux.backends.numpy.state_ops import _read
from tensorflux.backends.onednn import threads
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


def _adam_scalars(dtype, lr, beta1_power, beta2_power, beta1, beta2):
    """Adam's step size and (1 - beta1), (1 - beta2), in the variable's dtype: one formula for
    the reference rule and both fast paths, which must agree bit for bit."""
    one = np.ones((), dtype)
    return (lr * np.sqrt(one - beta2_power) / (one - beta1_power), one - beta1, one - beta2)


def _adam(attrs, var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad):
    alpha, b1c, b2c = _adam_scalars(var.dtype, lr, beta1_power, beta2_power, beta1, beta2)
    m = m + (grad - m) * b1c
    v = v + (np.square(grad) - v) * b2c
    if attrs.get("use_nesterov"):
        var = var - (m * beta1 + b1c * grad) * alpha / (np.sqrt(v) + epsilon)
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


# --- fast path: chunked rules writing into reusable spare buffers ------------------------------
_CHUNK = 1 << 16  # elements per chunk: a few chunk-sized operands stay in L2
_SPARES = "_training_ops_spare_buffers"  # key of this module's dict in state.resources


def _unshared_refcount():
    """`sys.getrefcount` of an array that only one local name refers to (here, `b`)."""
    d = {0: np.empty(1)}
    b = d.pop(0)
    return sys.getrefcount(b)


_UNSHARED = _unshared_refcount()


class _Spares:
    """Per session: for each variable key, the array we last stored and a spare to write into."""

    __slots__ = ("last", "spare")

    def __init__(self):
        self.last = {}
        self.spare = {}

    def take(self, key, like):
        """An array to write the new value of `key` into: the spare if nothing else refers to it
        (and it fits), else a new one."""
        b = self.spare.pop(key, None)
        if b is not None and sys.getrefcount(b) == _UNSHARED and b.shape == like.shape and \
                b.dtype == like.dtype:
            return b
        return np.empty(like.shape, like.dtype)

    def stored(self, key, old, new):
        """`new` replaced `old` in the state: `old` becomes the spare if it is one of ours."""
        if old is self.last.get(key):
            self.spare[key] = old
        self.last[key] = new


def _spares(state):
    sp = state.resources.get(_SPARES)
    if sp is None:
        sp = state.resources[_SPARES] = _Spares()
    return sp


def _chunks(n):
    return [slice(i, min(n, i + _CHUNK)) for i in range(0, n, _CHUNK)]


_PARALLEL_MIN = 1 << 20  # elements from which an update is split across threads


def _run_chunked(fn, attrs, cur, inp, out, n):
    """Runs `fn(attrs, cur, inp, out, chunks)` over all chunks of `n` elements; large updates
    are split into one contiguous run of chunks per thread (numpy releases the GIL)."""
    chunks = _chunks(n)
    if n < _PARALLEL_MIN:
        fn(attrs, cur, inp, out, chunks)
        return
    threads.split(lambda lo, hi: fn(attrs, cur, inp, out, chunks[lo:hi]), len(chunks), 2)


def _fast_gradient_descent(attrs, cur, inp, out, chunks):
    var, delta, alpha = cur["var"], inp["delta"], inp["alpha"]
    new = out["var"]
    t = np.empty(_CHUNK, var.dtype)
    for c in chunks:
        tc = t[:c.stop - c.start]
        np.multiply(alpha, delta[c], out=tc)
        np.subtract(var[c], tc, out=new[c])


def _fast_momentum(attrs, cur, inp, out, chunks):
    var, accum = cur["var"], cur["accum"]
    grad, lr, momentum = inp["grad"], inp["lr"], inp["momentum"]
    nvar, nacc = out["var"], out["accum"]
    nesterov = attrs.get("use_nesterov")
    t = np.empty(_CHUNK, var.dtype)
    u = np.empty(_CHUNK, var.dtype) if nesterov else None
    for c in chunks:
        tc = t[:c.stop - c.start]
        a = nacc[c]
        np.multiply(accum[c], momentum, out=a)
        a += grad[c]
        if nesterov:  # var - (grad * lr + accum * momentum * lr)
            uc = u[:c.stop - c.start]
            np.multiply(grad[c], lr, out=tc)
            np.multiply(a, momentum, out=uc)
            uc *= lr
            tc += uc
        else:  # var - accum * lr
            np.multiply(a, lr, out=tc)
        np.subtract(var[c], tc, out=nvar[c])


def _fast_adam(attrs, cur, inp, out, chunks):
    var, m, v = cur["var"], cur["m"], cur["v"]
    grad = inp["grad"]
    alpha, b1c, b2c = _adam_scalars(var.dtype, inp["lr"], inp["beta1_power"],
                                    inp["beta2_power"], inp["beta1"], inp["beta2"])
    eps = inp["epsilon"]
    nvar, nm, nv = out["var"], out["m"], out["v"]
    t = np.empty(_CHUNK, var.dtype)
    u = np.empty(_CHUNK, var.dtype)
    for c in chunks:
        k = c.stop - c.start
        tc, uc, g = t[:k], u[:k], grad[c]
        mc, vc = nm[c], nv[c]
        np.subtract(g, m[c], out=mc)  # m + (grad - m) * (1 - beta1)
        mc *= b1c
        mc += m[c]
        np.multiply(g, g, out=vc)  # v + (grad^2 - v) * (1 - beta2)
        vc -= v[c]
        vc *= b2c
        vc += v[c]
        np.sqrt(vc, out=tc)  # var - (m * alpha) / (sqrt(v) + epsilon)
        tc += eps
        np.multiply(mc, alpha, out=uc)
        np.divide(uc, tc, out=tc)
        np.subtract(var[c], tc, out=nvar[c])


_JIT_MIN = 1 << 15  # elements from which an update asks for a compiled loop (jit_loops)


def _run_compiled(op_type, attrs, cur, inp, out, n):
    """Runs the update as one compiled loop per thread (jit_loops); False when none is ready
    (no numba, still compiling, or a small update), for the chunked numpy path."""
    if n < _JIT_MIN:
        return False
    var = cur["var"]
    scalar = var.dtype.type
    if op_type == "ApplyAdam":
        fn = jit_loops.loop("adam", var.dtype)
        if fn is None:
            return False
        alpha, b1c, b2c = _adam_scalars(var.dtype, inp["lr"], inp["beta1_power"],
                                        inp["beta2_power"], inp["beta1"], inp["beta2"])
        args = (var, cur["m"], cur["v"], inp["grad"], scalar(alpha), scalar(b1c), scalar(b2c),
                scalar(inp["epsilon"]), out["var"], out["m"], out["v"])
    elif op_type == "ApplyMomentum":
        fn = jit_loops.loop("momentum_nesterov" if attrs.get("use_nesterov") else "momentum",
                            var.dtype)
        if fn is None:
            return False
        args = (var, cur["accum"], inp["grad"], scalar(inp["lr"]), scalar(inp["momentum"]),
                out["var"], out["accum"])
    else:
        fn = jit_loops.loop("gradient_descent", var.dtype)
        if fn is None:
            return False
        args = (var, inp["delta"], scalar(inp["alpha"]), out["var"])
    threads.split(lambda lo, hi: fn(*[a[lo:hi] if np.ndim(a) else a for a in args]), n,
                  _PARALLEL_MIN)
    return True


_FAST_RULES = {"ApplyGradientDescent": _fast_gradient_descent,
               "ApplyMomentum": _fast_momentum, "ApplyAdam": _fast_adam}


def _fast_ok(attrs, cur, inputs, gname):
    """True if the fast rule computes exactly what the reference rule would."""
    if attrs.get("use_nesterov") and "m" in cur:
        return False  # Nesterov Adam: reference only
    var = cur["var"]
    if var.dtype not in (np.float32, np.float64) or var.ndim == 0 or var.size == 0:
        return False  # (a scalar gains nothing, and its 0-d arrays cannot be sliced)
    for a in cur.values():
        if type(a) is not np.ndarray or a.dtype != var.dtype or not a.flags.c_contiguous:
            return False
    g = inputs[gname]
    if type(g) is not np.ndarray or g.dtype != var.dtype or not g.flags.c_contiguous or \
            g.shape != var.shape:
        return False
    return all(np.ndim(x) == 0 and np.asarray(x).dtype == var.dtype
               for n, x in inputs.items() if n != gname)


def _ravel_all(d):
    return {n: (a.reshape(-1) if np.ndim(a) else a) for n, a in d.items()}


def _builder(op_type, rule, sparse):
    names = training_ops.OP_INPUTS[op_type]
    refs = [n for n in names if n in training_ops.REF_NAMES]
    others = [n for n in names if n not in training_ops.REF_NAMES]

    def builder(op):
        keys = [state_ops.variable_key(op.inputs[names.index(n)]) for n in refs]
        attrs = dict(op._attrs)
        fast = _FAST_RULES.get(op_type) if onednn.kernels_mode() == "fast" else None

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
                if fast is not None and len(set(keys)) == len(keys) and \
                        _fast_ok(attrs, cur, inputs, gname):
                    spares = _spares(state)
                    out = {n: spares.take(k, cur[n]) for n, k in zip(refs, keys)}
                    flat = _ravel_all(cur), _ravel_all(inputs), _ravel_all(out)
                    if not _run_compiled(op_type, attrs, *flat, var.size):
                        _run_chunked(fast, attrs, *flat, var.size)
                    for n, k in zip(refs, keys):
                        state.variables[k] = out[n]
                        spares.stored(k, cur[n], out[n])
                    return out["var"]
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
