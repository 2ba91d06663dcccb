"""`slim.losses`: in TF 1.15 this is `tf.contrib.losses` itself (the old loss API, predictions
or logits first, weights broadcast from the left), so it is the same module here:
tensorflux/contrib/losses/loss_ops.py.

Example:
    >>> slim.losses.softmax_cross_entropy(logits, onehot_labels)
    >>> total_loss = slim.losses.get_total_loss()
"""

from tensorflux.contrib.losses.loss_ops import (  # noqa: F401 - the public names
    absolute_difference,
    add_loss,
    compute_weighted_loss,
    cosine_distance,
    get_losses,
    get_regularization_losses,
    get_total_loss,
    hinge_loss,
    log_loss,
    mean_pairwise_squared_error,
    mean_squared_error,
    sigmoid_cross_entropy,
    softmax_cross_entropy,
    sparse_softmax_cross_entropy,
)

__all__ = [
    "absolute_difference", "add_loss", "compute_weighted_loss", "cosine_distance", "get_losses",
    "get_regularization_losses", "get_total_loss", "hinge_loss", "log_loss",
    "mean_pairwise_squared_error", "mean_squared_error", "sigmoid_cross_entropy",
    "softmax_cross_entropy", "sparse_softmax_cross_entropy",
]
