"""numpy kernels for the softmax cross-entropy ops (ops/nn_loss_ops.py): loss and backprop."""

import numpy as np

from tensorflux.ops.registry import kernel


def _log_softmax(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


@kernel("SoftmaxCrossEntropyWithLogits")
def _xent(op):
    def run(logits, labels):
        if logits.ndim != 2 or labels.ndim != 2:
            raise ValueError("logits and labels must be 2-D, but got shapes %s and %s"
                             % (list(logits.shape), list(labels.shape)))
        try:
            shape = np.broadcast_shapes(logits.shape, labels.shape)
        except ValueError:
            raise ValueError("logits and labels must be broadcastable: logits_size=%s "
                             "labels_size=%s" % (list(logits.shape), list(labels.shape))) from None
        logp = _log_softmax(np.broadcast_to(logits, shape))
        labels = np.broadcast_to(labels, shape)
        loss = -(labels * logp).sum(axis=-1)
        backprop = np.exp(logp) - labels
        return loss.astype(logits.dtype, copy=False), backprop.astype(logits.dtype, copy=False)
    return run


@kernel("SparseSoftmaxCrossEntropyWithLogits")
def _sparse_xent(op):
    def run(logits, labels):
        if logits.ndim != 2 or labels.ndim != 1 or labels.shape[0] != logits.shape[0]:
            raise ValueError("logits and labels must have the same first dimension, got logits "
                             "shape %s and labels shape %s" % (list(logits.shape),
                                                               list(labels.shape)))
        n = logits.shape[1]
        bad = (labels < 0) | (labels >= n)
        if bad.any():
            raise ValueError("Received a label value of %d which is outside the valid range of "
                             "[0, %d).  Label values: %s" % (int(labels[bad][0]), n,
                                                            " ".join(str(v) for v in labels)))
        logp = _log_softmax(logits)
        rows = np.arange(logits.shape[0])
        loss = -logp[rows, labels]
        backprop = np.exp(logp)
        backprop[rows, labels] -= 1
        return loss.astype(logits.dtype, copy=False), backprop.astype(logits.dtype, copy=False)
    return run
