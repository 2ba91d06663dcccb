"""`tf.keras.metrics`: per-sample metric functions `fn(y_true, y_pred)` and the resolution of
`"accuracy"`/`"acc"` to the accuracy that fits the loss and output, as Keras does.

Example:
    >>> model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
"""

from tensorflux.graph import dtypes
from tensorflux.keras import backend, losses
from tensorflux.ops import array_ops, manip_ops, math_ops, reduction_ops


def _as_float(x):
    return math_ops.cast(x, backend.floatx())


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """Mean over the last axis of `y_true == (y_pred > threshold)`."""
    y_pred = _as_float(math_ops.greater(y_pred, threshold))
    y_true = math_ops.cast(y_true, y_pred.dtype)
    return reduction_ops.reduce_mean(_as_float(math_ops.equal(y_true, y_pred)), axis=-1)


def categorical_accuracy(y_true, y_pred):
    """1 where `argmax(y_true) == argmax(y_pred)`."""
    return _as_float(math_ops.equal(reduction_ops.argmax(y_true, axis=-1),
                                    reduction_ops.argmax(y_pred, axis=-1)))


def sparse_categorical_accuracy(y_true, y_pred):
    """1 where the integer label equals `argmax(y_pred)` (labels may carry a trailing 1)."""
    true_rank, pred_rank = y_true.shape.ndims, y_pred.shape.ndims
    if true_rank is not None and pred_rank is not None and true_rank == pred_rank:
        y_true = manip_ops.squeeze(y_true, [-1])
    predicted = math_ops.cast(reduction_ops.argmax(y_pred, axis=-1), dtypes.float32)
    return _as_float(math_ops.equal(math_ops.cast(y_true, dtypes.float32), predicted))


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    from tensorflux import nn

    labels = reduction_ops.argmax(y_true, axis=-1)
    return _as_float(nn.in_top_k(y_pred, math_ops.cast(labels, dtypes.int32), k))


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    from tensorflux import nn

    labels = math_ops.cast(array_ops.reshape(y_true, [-1]), dtypes.int32)
    return _as_float(nn.in_top_k(y_pred, labels, k))


mse = MSE = mean_squared_error = losses.mean_squared_error
mae = MAE = mean_absolute_error = losses.mean_absolute_error
mape = MAPE = mean_absolute_percentage_error = losses.mean_absolute_percentage_error
categorical_crossentropy = losses.categorical_crossentropy
sparse_categorical_crossentropy = losses.sparse_categorical_crossentropy
binary_crossentropy = losses.binary_crossentropy

_BY_NAME = {
    "binary_accuracy": binary_accuracy, "categorical_accuracy": categorical_accuracy,
    "sparse_categorical_accuracy": sparse_categorical_accuracy,
    "top_k_categorical_accuracy": top_k_categorical_accuracy,
    "sparse_top_k_categorical_accuracy": sparse_top_k_categorical_accuracy,
}


def resolve(metric, loss_fn, output_shape):
    """`(name, fn)` for a metric identifier given the model's loss and output shape.

    `"accuracy"`/`"acc"` become `"acc"` (TF 1.x's history key) computed by binary, sparse
    categorical or categorical accuracy, chosen from the loss and the output's last dimension.
    """
    if metric in ("accuracy", "acc"):
        if output_shape[-1] == 1 or loss_fn is losses.binary_crossentropy:
            return "acc", binary_accuracy
        if loss_fn is losses.sparse_categorical_crossentropy:
            return "acc", sparse_categorical_accuracy
        return "acc", categorical_accuracy
    if metric in ("crossentropy", "ce"):
        return "ce", loss_fn
    if isinstance(metric, str):
        fn = _BY_NAME.get(metric) or losses.get(metric)
        return metric, fn
    return getattr(metric, "__name__", type(metric).__name__), metric


def get(identifier):
    """A metric function for a name or a callable."""
    if callable(identifier):
        return identifier
    if identifier in _BY_NAME:
        return _BY_NAME[identifier]
    return losses.get(identifier)


__all__ = [
    "MAE", "MAPE", "MSE", "binary_accuracy", "binary_crossentropy", "categorical_accuracy",
    "categorical_crossentropy", "get", "mae", "mape", "mean_absolute_error",
    "mean_absolute_percentage_error", "mean_squared_error", "mse",
    "sparse_categorical_accuracy", "sparse_categorical_crossentropy",
    "sparse_top_k_categorical_accuracy", "top_k_categorical_accuracy",
]
