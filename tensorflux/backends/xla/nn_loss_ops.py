"""XLA kernels for the softmax cross-entropy ops (ops/nn_loss_ops.py): loss and backprop."""

import jax
import jax.numpy as jnp

from tensorflux.backends.xla.kernel import fail_if, kernel


@kernel("SoftmaxCrossEntropyWithLogits")
def _xent(op):
    def run(logits, labels):
        if logits.ndim != 2 or labels.ndim != 2:
            raise ValueError("logits and labels must be 2-D")
        shape = jnp.broadcast_shapes(logits.shape, labels.shape)
        logp = jax.nn.log_softmax(jnp.broadcast_to(logits, shape), axis=-1)
        labels = jnp.broadcast_to(labels, shape)
        loss = -jnp.sum(labels * logp, axis=-1)
        return loss.astype(logits.dtype), (jnp.exp(logp) - labels).astype(logits.dtype)
    return run


@kernel("SparseSoftmaxCrossEntropyWithLogits", checks=True)
def _sparse_xent(op):
    def run(logits, labels):
        if logits.ndim != 2 or labels.ndim != 1 or labels.shape[0] != logits.shape[0]:
            raise ValueError("logits and labels must have the same first dimension")
        n = logits.shape[1]
        fail_if((labels < 0) | (labels >= n))
        logp = jax.nn.log_softmax(logits, axis=-1)
        hot = labels[:, None] == jnp.arange(n, dtype=labels.dtype)[None, :]
        loss = -jnp.sum(jnp.where(hot, logp, 0), axis=-1)
        backprop = jnp.exp(logp) - hot.astype(logp.dtype)
        return loss.astype(logits.dtype), backprop.astype(logits.dtype)
    return run
