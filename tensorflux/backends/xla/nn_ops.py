"""XLA kernels for neural-network ops (ops/nn_ops.py): activations, softmax, bias, top_k."""

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from tensorflux.backends.xla.kernel import kernel
from tensorflux.ops.nn_ops import SELU_ALPHA, SELU_SCALE


def _simple(op_type, fn):
    kernel(op_type)(lambda op: fn)


def _zero(x):
    return jnp.zeros((), x.dtype)


def _elu(x):
    return jnp.where(x < 0, jnp.expm1(jnp.minimum(x, _zero(x))), x)


def _selu(x):
    neg = SELU_SCALE * SELU_ALPHA * jnp.expm1(jnp.minimum(x, _zero(x)))
    return jnp.where(x < 0, neg, SELU_SCALE * x).astype(x.dtype)


_simple("Relu", lambda x: jnp.maximum(x, _zero(x)))
_simple("ReluGrad", lambda g, x: jnp.where(x > 0, g, _zero(g)))
_simple("Relu6", lambda x: jnp.clip(x, 0, 6).astype(x.dtype))
_simple("Relu6Grad", lambda g, x: jnp.where((x > 0) & (x < 6), g, _zero(g)))
_simple("Elu", _elu)
_simple("EluGrad", lambda g, y: jnp.where(y < 0, g * (y + 1), g).astype(g.dtype))
_simple("Selu", _selu)
_simple("SeluGrad", lambda g, y: jnp.where(y < 0, g * (y + SELU_SCALE * SELU_ALPHA),
                                           g * SELU_SCALE).astype(g.dtype))


@kernel("LeakyRelu")
def _leaky_relu(op):
    alpha = op._attrs["alpha"]
    return lambda x: jnp.where(x > 0, x, x * alpha).astype(x.dtype)


@kernel("LeakyReluGrad")
def _leaky_relu_grad(op):
    alpha = op._attrs["alpha"]
    return lambda g, x: jnp.where(x > 0, g, g * alpha).astype(g.dtype)


def _check_rank1(x):
    if x.ndim < 1:
        raise ValueError("logits must have >= 1 dimension")


def _softmax(x):
    _check_rank1(x)
    return jax.nn.softmax(x, axis=-1)


def _log_softmax(x):
    _check_rank1(x)
    return jax.nn.log_softmax(x, axis=-1)


_simple("Softmax", _softmax)
_simple("LogSoftmax", _log_softmax)


def _bias_axis(op, ndim):
    fmt = op._attrs.get("data_format", b"NHWC")
    fmt = fmt.decode() if isinstance(fmt, bytes) else fmt
    return 1 if fmt.startswith("NC") else ndim - 1


@kernel("BiasAdd")
def _bias_add(op):
    def run(x, b):
        if x.ndim < 2:
            raise ValueError("Input tensor must be at least 2D")
        axis = _bias_axis(op, x.ndim)
        if b.ndim != 1 or b.shape[0] != x.shape[axis]:
            raise ValueError("Must provide as many biases as the channel dimension")
        shape = [1] * x.ndim
        shape[axis] = -1
        return x + jnp.reshape(b, shape)
    return run


@kernel("BiasAddGrad")
def _bias_add_grad(op):
    def run(g):
        axis = _bias_axis(op, g.ndim)
        return jnp.sum(g, axis=tuple(i for i in range(g.ndim) if i != axis), dtype=g.dtype)
    return run


def _l2_loss(x):
    xf = x.astype(jnp.float32) if x.dtype in (jnp.float16, jnp.bfloat16) else x
    return (jnp.sum(jnp.square(xf)) / 2).astype(x.dtype)


_simple("L2Loss", _l2_loss)


@kernel("TopKV2", static=(1,))
def _top_k(op):
    npi = op._attrs.get("index_type")
    npi = npi.as_numpy_dtype if npi is not None else np.int32

    def run(x, k):
        k = int(k)
        if x.ndim < 1 or k < 0 or x.shape[-1] < k:
            raise ValueError("bad top_k")
        values, idx = lax.top_k(x, k)  # ties: lower index first, as TF
        return values, idx.astype(npi)
    return run


@kernel("InTopKV2")
def _in_top_k(op):
    def run(pred, targets, k):
        if pred.ndim != 2 or targets.shape != (pred.shape[0],):
            raise ValueError("bad in_top_k shapes")
        n = pred.shape[1]
        valid = (targets >= 0) & (targets < n)
        t = jnp.where(valid, targets, 0)
        target_pred = jnp.take_along_axis(pred, t[:, None].astype(jnp.int32), axis=1)[:, 0]
        more = jnp.sum(pred > target_pred[:, None], axis=1)
        return valid & jnp.isfinite(target_pred) & (more < k)
    return run
