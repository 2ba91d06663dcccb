"""`tf.keras.losses`: per-sample losses `fn(y_true, y_pred)` (averaged over the last axis) and
their string names, with Keras' handling of probabilities (`from_logits=False`).

As in TF 1.15's backend, a crossentropy of probabilities that come straight out of a softmax
(sigmoid) op is computed from that op's logits; other probabilities are clipped to
`[epsilon, 1 - epsilon]` first.

Example:
    >>> per_sample = tf.keras.losses.sparse_categorical_crossentropy(labels, probs)
    >>> model.compile("sgd", loss="sparse_categorical_crossentropy")
"""

from tensorflux import nn
from tensorflux.graph import dtypes
from tensorflux.keras import backend
from tensorflux.ops import array_ops, math_ops, reduction_ops


def _clip(x):
    eps = backend.epsilon()
    return math_ops.clip_by_value(x, eps, 1.0 - eps)


def _logits_of(output, op_type):
    """The logits behind `output` when it is the result of a `op_type` op, else None."""
    op = getattr(output, "op", None)
    if op is not None and op.type == op_type:
        return op.inputs[0]
    return None


def mean_squared_error(y_true, y_pred):
    return reduction_ops.reduce_mean(math_ops.square(y_pred - y_true), axis=-1)


def mean_absolute_error(y_true, y_pred):
    return reduction_ops.reduce_mean(math_ops.abs(y_pred - y_true), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    diff = math_ops.abs((y_true - y_pred) / math_ops.maximum(math_ops.abs(y_true),
                                                              backend.epsilon()))
    return 100.0 * reduction_ops.reduce_mean(diff, axis=-1)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0):
    """`-sum(y_true * log(y_pred), -1)` for one-hot (or soft) targets."""
    y_true = math_ops.cast(y_true, y_pred.dtype.base_dtype)
    if label_smoothing:
        classes = math_ops.cast(array_ops.shape(y_true)[-1], y_true.dtype)
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / classes
    if not from_logits:
        logits = _logits_of(y_pred, "Softmax")
        if logits is None:
            probs = y_pred / reduction_ops.reduce_sum(y_pred, axis=-1, keepdims=True)
            return -reduction_ops.reduce_sum(y_true * math_ops.log(_clip(probs)), axis=-1)
        y_pred = logits
    return nn.softmax_cross_entropy_with_logits_v2(labels=y_true, logits=y_pred)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, axis=-1):
    """Crossentropy with integer class targets (any shape; flattened as Keras does)."""
    if not from_logits:
        logits = _logits_of(y_pred, "Softmax")
        y_pred = math_ops.log(_clip(y_pred)) if logits is None else logits
    classes = y_pred.shape.as_list()[-1]
    labels = math_ops.cast(array_ops.reshape(y_true, [-1]), dtypes.int64)
    flat_logits = array_ops.reshape(y_pred, [-1, classes])
    loss = nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=flat_logits)
    if y_pred.shape.ndims == 2:
        return loss
    return array_ops.reshape(loss, array_ops.shape(y_pred)[:-1])


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0):
    """Mean over the last axis of the sigmoid crossentropy."""
    y_true = math_ops.cast(y_true, y_pred.dtype.base_dtype)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if not from_logits:
        logits = _logits_of(y_pred, "Sigmoid")
        if logits is None:
            probs = _clip(y_pred)
            logits = math_ops.log(probs / (1.0 - probs))
        y_pred = logits
    return reduction_ops.reduce_mean(
        nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred), axis=-1)


def hinge(y_true, y_pred):
    return reduction_ops.reduce_mean(math_ops.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


def kullback_leibler_divergence(y_true, y_pred):
    y_true, y_pred = _clip(y_true), _clip(y_pred)
    return reduction_ops.reduce_sum(y_true * math_ops.log(y_true / y_pred), axis=-1)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
kld = KLD = kullback_leibler_divergence

_BY_NAME = {
    "mean_squared_error": mean_squared_error, "mse": mean_squared_error,
    "mean_absolute_error": mean_absolute_error, "mae": mean_absolute_error,
    "mean_absolute_percentage_error": mean_absolute_percentage_error,
    "mape": mean_absolute_percentage_error,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
    "binary_crossentropy": binary_crossentropy, "hinge": hinge,
    "kullback_leibler_divergence": kullback_leibler_divergence,
    "kld": kullback_leibler_divergence,
}


def get(identifier):
    """A loss function for a name or a callable.

    Example:
        >>> tf.keras.losses.get("mse") is tf.keras.losses.mean_squared_error
        True
    """
    if callable(identifier):
        return identifier
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]
    raise ValueError("Unknown loss function: " + str(identifier))


__all__ = [
    "KLD", "MAE", "MAPE", "MSE", "binary_crossentropy", "categorical_crossentropy", "get",
    "hinge", "kld", "kullback_leibler_divergence", "mae", "mape", "mean_absolute_error",
    "mean_absolute_percentage_error", "mean_squared_error", "mse",
    "sparse_categorical_crossentropy",
]
