"""numpy kernels for neural-network ops (ops/nn_ops.py): activations, softmax, bias, top_k."""

import numpy as np

from tensorflux.backends import onednn
from tensorflux.backends.numpy import linalg_ops
from tensorflux.backends.onednn import threads
from tensorflux.ops.nn_ops import SELU_ALPHA, SELU_SCALE
from tensorflux.ops.registry import kernel


def _simple(op_type, fn):
    kernel(op_type)(lambda op: fn)


def _zero(x):
    return np.zeros((), x.dtype)


def _relu(x):
    return np.maximum(x, _zero(x))


def _elu(x):
    with np.errstate(over="ignore"):
        return np.where(x < 0, np.expm1(np.minimum(x, _zero(x))), x).astype(x.dtype, copy=False)


def _selu(x):
    neg = SELU_SCALE * SELU_ALPHA * np.expm1(np.minimum(x, _zero(x)))
    return np.where(x < 0, neg, SELU_SCALE * x).astype(x.dtype, copy=False)


def _relu_grad(g, x):
    return np.where(x > 0, g, _zero(g))


_CHUNK = 1 << 15  # elements per step of the threaded elementwise loops (cache-sized)
_PARALLEL_MIN = 1 << 18  # elements from which they are split across threads


def fast_relu_grad(g, x):
    """TF's own formula `g * (x > 0)`: one multiply instead of a masked select (~6x faster),
    split across threads for large tensors. It differs from the reference only for a
    non-finite `g` where `x <= 0` (NaN here, as in TF; 0 there) and in the sign of zero."""
    if g.dtype.kind != "f" or g.shape != x.shape:
        return _relu_grad(g, x)
    zero = _zero(x)
    if not (g.flags.c_contiguous and x.flags.c_contiguous) or g.size < _PARALLEL_MIN:
        return np.multiply(g, np.greater(x, zero), dtype=g.dtype)
    out = np.empty(g.shape, g.dtype)
    gf, xf, of = g.reshape(-1), x.reshape(-1), out.reshape(-1)

    def part(lo, hi):
        for i in range(lo, hi, _CHUNK):
            j = min(hi, i + _CHUNK)
            np.multiply(gf[i:j], np.greater(xf[i:j], zero), out=of[i:j])
    threads.split(part, g.size, _PARALLEL_MIN, _CHUNK)
    return out


def relu_in_place(y):
    """`max(y, 0)` written into `y` itself (a fresh C-contiguous array that the caller owns),
    split across threads for large arrays; NaN stays NaN, as in the Relu kernel."""
    yf = y.reshape(-1)
    zero = _zero(y)

    def part(lo, hi):
        np.maximum(yf[lo:hi], zero, out=yf[lo:hi])
    threads.split(part, y.size, _PARALLEL_MIN, _CHUNK)
    return y


def _relu_donated(x):
    """Relu into its input's own memory (the interpreter hands over inputs nothing else uses)."""
    if x.dtype.kind != "f" or not x.flags.c_contiguous:
        return fast_relu(x)
    return relu_in_place(x)


def _relu_grad_donated(g, x):
    """ReluGrad into the incoming gradient's memory (see `_relu_donated`)."""
    if g.dtype.kind != "f" or g.shape != x.shape or not (g.flags.c_contiguous and
                                                         x.flags.c_contiguous):
        return fast_relu_grad(g, x)
    gf, xf = g.reshape(-1), x.reshape(-1)
    zero = _zero(x)

    def part(lo, hi):
        for i in range(lo, hi, _CHUNK):
            j = min(hi, i + _CHUNK)
            np.multiply(gf[i:j], np.greater(xf[i:j], zero), out=gf[i:j])
    threads.split(part, g.size, _PARALLEL_MIN, _CHUNK)
    return g


@kernel("ReluGrad")
def _relu_grad_kernel(op):
    return fast_relu_grad if onednn.kernels_mode() == "fast" else _relu_grad


fast_relu_grad.donatable = (0,)
fast_relu_grad.donated = _relu_grad_donated


def fast_relu(x):
    """`_relu` split across threads for large C-contiguous float arrays (same values)."""
    if x.dtype.kind != "f" or not x.flags.c_contiguous or x.size < _PARALLEL_MIN:
        return _relu(x)
    out = np.empty(x.shape, x.dtype)
    xf, of = x.reshape(-1), out.reshape(-1)
    zero = _zero(x)

    def part(lo, hi):
        np.maximum(xf[lo:hi], zero, out=of[lo:hi])
    threads.split(part, x.size, _PARALLEL_MIN, _CHUNK)
    return out


fast_relu.donatable = (0,)
fast_relu.donated = _relu_donated


@kernel("Relu")
def _relu_kernel(op):
    return fast_relu if onednn.kernels_mode() == "fast" else _relu
def _relu6(x):
    return np.clip(x, 0, 6).astype(x.dtype, copy=False)


def _relu6_grad(g, x):
    return np.where((x > 0) & (x < 6), g, _zero(g))


def fast_relu6_grad(g, x):
    """TF's own formula `g * ((x > 0) & (x < 6))`, one half of the array per thread (5x the
    reference's select); like `fast_relu_grad`, it differs from the reference only for a
    non-finite `g` where the mask is off (NaN here, as in TF; 0 there) and in the sign of
    zero."""
    if g.dtype.kind != "f" or g.shape != x.shape or not (g.flags.c_contiguous and
                                                         x.flags.c_contiguous) \
            or g.size < _PARALLEL_MIN:
        return _relu6_grad(g, x)
    out = np.empty(g.shape, g.dtype)
    gf, xf, of = g.reshape(-1), x.reshape(-1), out.reshape(-1)
    zero, six = _zero(x), np.asarray(6, x.dtype)

    def part(lo, hi):
        mask = np.greater(xf[lo:hi], zero)
        mask &= np.less(xf[lo:hi], six)
        np.multiply(gf[lo:hi], mask, out=of[lo:hi])
    threads.split(part, g.size, _PARALLEL_MIN, _CHUNK)
    return out


kernel("Relu6")(lambda op: _relu6)  # np.clip: one SIMD pass, faster than threaded halves


@kernel("Relu6Grad")
def _relu6_grad_kernel(op):
    return fast_relu6_grad if onednn.kernels_mode() == "fast" else _relu6_grad


_simple("Elu", _elu)
_simple("EluGrad", lambda g, y: np.where(y < 0, g * (y + 1), g).astype(g.dtype, copy=False))
_simple("Selu", _selu)
_simple("SeluGrad", lambda g, y: np.where(y < 0, g * (y + SELU_SCALE * SELU_ALPHA),
                                          g * SELU_SCALE).astype(g.dtype, copy=False))


@kernel("LeakyRelu")
def _leaky_relu(op):
    alpha = op._attrs["alpha"]
    return lambda x: np.where(x > 0, x, x * alpha).astype(x.dtype, copy=False)


@kernel("LeakyReluGrad")
def _leaky_relu_grad(op):
    alpha = op._attrs["alpha"]
    return lambda g, x: np.where(x > 0, g, g * alpha).astype(g.dtype, copy=False)


def _check_rank1(x):
    if x.ndim < 1:
        raise ValueError("logits must have >= 1 dimension, got %s" % (list(x.shape),))


def softmax(x):
    _check_rank1(x)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)).astype(x.dtype, copy=False)


def log_softmax(x):
    _check_rank1(x)
    shifted = x - x.max(axis=-1, keepdims=True)
    return (shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))).astype(
        x.dtype, copy=False)


_simple("Softmax", softmax)
_simple("LogSoftmax", log_softmax)


def _bias_axis(op, ndim):
    fmt = op._attrs.get("data_format", b"NHWC")
    fmt = fmt.decode() if isinstance(fmt, bytes) else fmt
    return 1 if fmt.startswith("NC") else ndim - 1


@kernel("BiasAdd")
def _bias_add(op):
    def run(x, b):
        if x.ndim < 2:
            raise ValueError("Input tensor must be at least 2D: %s" % (list(x.shape),))
        axis = _bias_axis(op, x.ndim)
        if b.ndim != 1 or b.shape[0] != x.shape[axis]:
            raise ValueError("Must provide as many biases as the last dimension of the input "
                             "tensor: %s vs. %s" % (list(b.shape), list(x.shape)))
        shape = [1] * x.ndim
        shape[axis] = -1
        return x + b.reshape(shape)
    return run


_ONES = {}


def fast_bias_add_grad(rt, g):
    """Sum over all but the last axis of a C-contiguous float32 `g`, as a oneDNN GEMV with a
    vector of ones (~10x faster than numpy's reduction, and blocked, so no less accurate);
    None if not handled."""
    if g.dtype != np.float32 or g.ndim < 2 or g.size == 0 or not g.flags.c_contiguous:
        return None
    g2 = g.reshape(-1, g.shape[-1])
    ones = _ONES.get(g2.shape[0])
    if ones is None:
        if len(_ONES) > 64:
            _ONES.clear()
        ones = _ONES[g2.shape[0]] = np.ones((1, g2.shape[0]), np.float32)
    r = linalg_ops.fast_matmul(rt, ones, g2)
    return None if r is None else r.reshape(-1)


@kernel("BiasAddGrad")
def _bias_add_grad(op):
    rt = onednn.runtime()

    def run(g):
        axis = _bias_axis(op, g.ndim)
        if rt is not None and axis == g.ndim - 1:
            r = fast_bias_add_grad(rt, g)
            if r is not None:
                return r
        axes = tuple(i for i in range(g.ndim) if i != axis)
        return g.sum(axis=axes, dtype=g.dtype)
    return run


_simple("L2Loss", lambda x: np.asarray((x.astype(np.float64) ** 2).sum() / 2, x.dtype))


@kernel("TopKV2")
def _top_k(op):
    npi = op._attrs.get("index_type")
    npi = npi.as_numpy_dtype if npi is not None else np.int32

    def run(x, k):
        k = int(k)
        if x.ndim < 1:
            raise ValueError("input must be >= 1-D, got shape %s" % (list(x.shape),))
        n = x.shape[-1]
        if k < 0:
            raise ValueError("Need k >= 0, got %d" % k)
        if n < k:
            raise ValueError("input must have at least k columns. Had %d, needed %d" % (n, k))
        # Stable ascending sort of the reversed row, read backwards: descending values, and
        # among equal values the lower original index first.
        order = np.argsort(x[..., ::-1], axis=-1, kind="stable")[..., ::-1][..., :k]
        idx = (n - 1 - order).astype(npi)
        return np.take_along_axis(x, idx.astype(np.intp), axis=-1), idx
    return run


@kernel("InTopKV2")
def _in_top_k(op):
    def run(pred, targets, k):
        k = int(k)
        if pred.ndim != 2:
            raise ValueError("predictions must be 2-dimensional")
        if targets.shape != (pred.shape[0],):
            raise ValueError("First dimension of predictions %d must match length of targets %d"
                             % (pred.shape[0], targets.shape[0] if targets.ndim else 0))
        n = pred.shape[1]
        valid = (targets >= 0) & (targets < n)
        t = np.where(valid, targets, 0).astype(np.intp)
        target_pred = pred[np.arange(pred.shape[0]), t]
        finite = np.isfinite(target_pred)
        more = (pred > target_pred[:, None]).sum(axis=1)
        return valid & finite & (more < k)
    return run
