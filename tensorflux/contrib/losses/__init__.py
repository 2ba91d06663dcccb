"""`tf.contrib.losses`: the TF 1.x losses from before `tf.losses` (predictions / logits first,
weights broadcast per example), and `metric_learning`'s embedding losses.

Example:
    >>> tf.contrib.losses.softmax_cross_entropy(logits, onehot_labels, weights=example_weights)
    >>> total_loss = tf.contrib.losses.get_total_loss()
"""

from tensorflux.contrib.losses import metric_learning
from tensorflux.contrib.losses.loss_ops import (
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
    "absolute_difference",
    "add_loss",
    "compute_weighted_loss",
    "cosine_distance",
    "get_losses",
    "get_regularization_losses",
    "get_total_loss",
    "hinge_loss",
    "log_loss",
    "mean_pairwise_squared_error",
    "mean_squared_error",
    "metric_learning",
    "sigmoid_cross_entropy",
    "softmax_cross_entropy",
    "sparse_softmax_cross_entropy",
]
