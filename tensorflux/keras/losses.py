"""`tf.keras.losses`: per-sample losses `fn(y_true, y_pred)` (averaged over the last axis) and
their string names, with Keras' handling of probabilities (`from_logits=False`), and the class
API (`Loss`, `CategoricalCrossentropy`, `Huber`, ...) that weights and reduces them with
tf_keras 2.x semantics (`reduction`, `from_logits`, `label_smoothing`).

As in TF 1.15's backend, a crossentropy of probabilities that come straight out of a softmax
(sigmoid) op is computed from that op's logits; other probabilities are clipped to
`[epsilon, 1 - epsilon]` first.

Example:
    >>> per_sample = tf.keras.losses.sparse_categorical_crossentropy(labels, probs)
    >>> model.compile("sgd", loss="sparse_categorical_crossentropy")
"""

import numpy as np

from tensorflux import nn
from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.keras import backend
from tensorflux.ops import array_ops, constant_op, manip_ops, math_ops, reduction_ops


def _clip(x):
    eps = backend.epsilon()
    return math_ops.clip_by_value(x, eps, 1.0 - eps)


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
    return backend.categorical_crossentropy(y_true, y_pred, from_logits=from_logits)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, axis=-1):
    """Crossentropy with integer class targets (the backend's, as Keras)."""
    return backend.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits,
                                                   axis=axis)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0):
    """Mean over the last axis of the backend's binary crossentropy (as Keras)."""
    y_true = math_ops.cast(y_true, y_pred.dtype.base_dtype)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return reduction_ops.reduce_mean(
        backend.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=-1)


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
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    raise ValueError("Unknown loss function: " + str(identifier))


__all__ = [
    "KLD", "MAE", "MAPE", "MSE", "binary_crossentropy", "categorical_crossentropy", "get",
    "hinge", "kld", "kullback_leibler_divergence", "mae", "mape", "mean_absolute_error",
    "mean_absolute_percentage_error", "mean_squared_error", "mse",
    "sparse_categorical_crossentropy",
]


# --- tf_keras 2.x loss functions the classes wrap --------------------------------------------
def _squeeze_or_expand(y_pred, y_true):
    """Drops a trailing 1 from whichever of the two has one more dimension (static ranks)."""
    pred_rank, true_rank = y_pred.shape.ndims, y_true.shape.ndims
    if pred_rank is None or true_rank is None:
        return y_pred, y_true
    if pred_rank - true_rank == 1 and y_pred.shape.as_list()[-1] == 1:
        y_pred = manip_ops.squeeze(y_pred, [-1])
    elif true_rank - pred_rank == 1 and y_true.shape.as_list()[-1] == 1:
        y_true = manip_ops.squeeze(y_true, [-1])
    return y_pred, y_true


def _pair(y_true, y_pred):
    y_pred = constant_op.convert_to_tensor(y_pred)
    y_true = math_ops.cast(constant_op.convert_to_tensor(y_true), y_pred.dtype.base_dtype)
    return y_true, y_pred


def mean_squared_logarithmic_error(y_true, y_pred):
    """`mean(square(log(y_pred + 1) - log(y_true + 1)), -1)` (both clipped at epsilon)."""
    y_true, y_pred = _pair(y_true, y_pred)
    first = math_ops.log(math_ops.maximum(y_pred, backend.epsilon()) + 1.0)
    second = math_ops.log(math_ops.maximum(y_true, backend.epsilon()) + 1.0)
    return reduction_ops.reduce_mean(math_ops.square(first - second), axis=-1)


def _signed_labels(y_true):
    """0/1 labels become -1/1 (tf_keras' hinge losses); other labels are kept."""
    is_binary = reduction_ops.reduce_all(math_ops.logical_or(
        math_ops.equal(y_true, 0.0), math_ops.equal(y_true, 1.0)))
    return manip_ops.where(is_binary, 2.0 * y_true - 1.0, y_true)


def hinge_v2(y_true, y_pred):
    """`mean(max(1 - y_true * y_pred, 0), -1)`, 0/1 labels taken as -1/1."""
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _signed_labels(y_true)
    return reduction_ops.reduce_mean(math_ops.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


def squared_hinge(y_true, y_pred):
    """`mean(square(max(1 - y_true * y_pred, 0)), -1)`, 0/1 labels taken as -1/1."""
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _signed_labels(y_true)
    return reduction_ops.reduce_mean(
        math_ops.square(math_ops.maximum(1.0 - y_true * y_pred, 0.0)), axis=-1)


def categorical_hinge(y_true, y_pred):
    """`max(0, max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1)`."""
    y_true, y_pred = _pair(y_true, y_pred)
    pos = reduction_ops.reduce_sum(y_true * y_pred, axis=-1)
    neg = reduction_ops.reduce_max((1.0 - y_true) * y_pred, axis=-1)
    return math_ops.maximum(neg - pos + 1.0, 0.0)


def huber(y_true, y_pred, delta=1.0):
    """Quadratic within `delta` of the target, linear beyond; mean over the last axis.

    Example:
        >>> tf.keras.losses.huber(y, pred, delta=0.5)
    """
    y_true, y_pred = _pair(y_true, y_pred)
    error = y_pred - y_true
    abs_error = math_ops.abs(error)
    quadratic = 0.5 * math_ops.square(error)
    linear = delta * abs_error - 0.5 * delta ** 2
    return reduction_ops.reduce_mean(
        manip_ops.where(math_ops.less_equal(abs_error, delta), quadratic, linear), axis=-1)


def log_cosh(y_true, y_pred):
    """`mean(log(cosh(y_pred - y_true)), -1)`, computed as `x + softplus(-2x) - log 2`."""
    y_true, y_pred = _pair(y_true, y_pred)
    x = y_pred - y_true
    return reduction_ops.reduce_mean(x + nn.softplus(-2.0 * x) - np.log(2.0), axis=-1)


def poisson(y_true, y_pred):
    """`mean(y_pred - y_true * log(y_pred + epsilon), -1)`."""
    y_true, y_pred = _pair(y_true, y_pred)
    return reduction_ops.reduce_mean(
        y_pred - y_true * math_ops.log(y_pred + backend.epsilon()), axis=-1)


def cosine_similarity(y_true, y_pred, axis=-1):
    """The negated cosine similarity along `axis` (-1: same direction, 1: opposite).

    Example:
        >>> tf.keras.losses.cosine_similarity([[0.0, 1.0]], [[1.0, 1.0]])   # -0.7071
    """
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = nn.l2_normalize(y_true, axis=axis)
    y_pred = nn.l2_normalize(y_pred, axis=axis)
    return -reduction_ops.reduce_sum(y_true * y_pred, axis=axis)


def _kl_divergence(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = math_ops.clip_by_value(y_true, backend.epsilon(), 1.0)
    y_pred = math_ops.clip_by_value(y_pred, backend.epsilon(), 1.0)
    return reduction_ops.reduce_sum(y_true * math_ops.log(y_true / y_pred), axis=-1)


def _categorical_crossentropy_v2(y_true, y_pred, from_logits=False, label_smoothing=0.0,
                                 axis=-1):
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        classes = math_ops.cast(array_ops.shape(y_true)[-1], y_pred.dtype.base_dtype)
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / classes
    return backend.categorical_crossentropy(y_true, y_pred, from_logits=from_logits,
                                            axis=axis)


def _sparse_categorical_crossentropy_v2(y_true, y_pred, from_logits=False, axis=-1):
    return backend.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits,
                                                   axis=axis)


def _binary_crossentropy_v2(y_true, y_pred, from_logits=False, label_smoothing=0.0,
                            axis=-1):
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return reduction_ops.reduce_mean(
        backend.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=axis)


logcosh = log_cosh
msle = MSLE = mean_squared_logarithmic_error


# --- the class API ---------------------------------------------------------------------------
class Reduction:
    """How a `Loss` reduces per-sample losses: `AUTO` (= `SUM_OVER_BATCH_SIZE` here),
    `NONE`, `SUM`, `SUM_OVER_BATCH_SIZE` (the weighted sum over the number of elements)."""

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"

    @classmethod
    def all(cls):
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)

    @classmethod
    def validate(cls, key):
        if key not in cls.all():
            raise ValueError('Invalid Reduction Key: %s. Expected keys are "%s"'
                             % (key, str(cls.all())))


def _broadcast_weights(weights, values):
    """`weights` (scalar, per sample, or `values`-shaped) broadcast to `values`' shape."""
    weights = math_ops.cast(constant_op.convert_to_tensor(weights), values.dtype.base_dtype)
    w_rank, v_rank = weights.shape.ndims, values.shape.ndims
    if w_rank is not None and v_rank is not None:
        if w_rank - v_rank == 1 and weights.shape.as_list()[-1] == 1:
            weights = manip_ops.squeeze(weights, [-1])
        else:
            while w_rank is not None and 0 < w_rank < v_rank:
                weights = manip_ops.expand_dims(weights, -1)
                w_rank += 1
    return weights * _ops_ones_like(values)


def _ops_ones_like(x):
    from tensorflux.ops import fill_ops

    return fill_ops.ones_like(x)


def compute_weighted_loss(losses, sample_weight=None, reduction=Reduction.SUM_OVER_BATCH_SIZE):
    """`losses` times `sample_weight`, reduced as `reduction` says."""
    Reduction.validate(reduction)
    if reduction == Reduction.AUTO:
        reduction = Reduction.SUM_OVER_BATCH_SIZE
    losses = constant_op.convert_to_tensor(losses)
    input_dtype = losses.dtype.base_dtype
    losses = math_ops.cast(losses, dtypes.float32) if input_dtype != dtypes.float64 else losses
    if sample_weight is not None:
        losses = losses * _broadcast_weights(sample_weight, losses)
    if reduction == Reduction.NONE:
        out = losses
    else:
        out = reduction_ops.reduce_sum(losses)
        if reduction == Reduction.SUM_OVER_BATCH_SIZE:
            count = math_ops.cast(array_ops.size(losses), out.dtype.base_dtype)
            out = math_ops.div_no_nan(out, count)
    return math_ops.cast(out, input_dtype)


class Loss:
    """Base class: `call(y_true, y_pred)` gives per-sample losses; `__call__` weights and
    reduces them.

    Example:
        >>> loss = tf.keras.losses.MeanSquaredError(reduction="sum")(y, pred, sample_weight=w)
    """

    def __init__(self, reduction=Reduction.AUTO, name=None):
        Reduction.validate(reduction)
        self.reduction = reduction
        self.name = name

    def __call__(self, y_true, y_pred, sample_weight=None):
        scope = self.name or type(self).__name__
        with graph_lib.name_scope(scope):
            losses = self.call(y_true, y_pred)
            return compute_weighted_loss(losses, sample_weight, reduction=self.reduction)

    def call(self, y_true, y_pred):
        raise NotImplementedError("Must be implemented in subclasses.")

    def get_config(self):
        return {"reduction": self.reduction, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class LossFunctionWrapper(Loss):
    """A `Loss` calling `fn(y_true, y_pred, **kwargs)`."""

    def __init__(self, fn, reduction=Reduction.AUTO, name=None, **kwargs):
        super().__init__(reduction=reduction, name=name)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        y_pred = constant_op.convert_to_tensor(y_pred)
        y_true = constant_op.convert_to_tensor(y_true)
        y_pred, y_true = _squeeze_or_expand(y_pred, y_true)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        config = dict(self._fn_kwargs)
        config.update(super().get_config())
        return config

    @classmethod
    def from_config(cls, config):
        # tf_keras' configs (model files' training_config) also name the wrapped function.
        config = {k: v for k, v in config.items() if k != "fn"}
        return cls(**config)


def _wrapper_class(class_name, fn, default_name, doc, **defaults):
    """A `LossFunctionWrapper` subclass whose keyword arguments are `defaults`."""

    def __init__(self, *args, **kwargs):
        names = list(defaults) + ["reduction", "name"]
        if len(args) > len(names):
            raise TypeError("%s takes at most %d positional arguments"
                            % (class_name, len(names)))
        options = dict(defaults, reduction=Reduction.AUTO, name=default_name)
        options.update(zip(names, args))
        unknown = set(kwargs) - set(names)
        if unknown:
            raise TypeError("%s got unexpected keyword arguments %s"
                            % (class_name, sorted(unknown)))
        options.update(kwargs)
        reduction, name = options.pop("reduction"), options.pop("name")
        LossFunctionWrapper.__init__(self, fn, reduction=reduction, name=name, **options)

    return type(class_name, (LossFunctionWrapper,), {"__init__": __init__, "__doc__": doc})


MeanSquaredError = _wrapper_class("MeanSquaredError", mean_squared_error,
                                  "mean_squared_error", "`mean(square(y_pred - y_true), -1)`.")
MeanAbsoluteError = _wrapper_class("MeanAbsoluteError", mean_absolute_error,
                                   "mean_absolute_error", "`mean(abs(y_pred - y_true), -1)`.")
MeanAbsolutePercentageError = _wrapper_class(
    "MeanAbsolutePercentageError", mean_absolute_percentage_error,
    "mean_absolute_percentage_error", "`100 * mean(abs((y_true - y_pred) / y_true), -1)`.")
MeanSquaredLogarithmicError = _wrapper_class(
    "MeanSquaredLogarithmicError", mean_squared_logarithmic_error,
    "mean_squared_logarithmic_error", "`mean(square(log1p(y_pred) - log1p(y_true)), -1)`.")
CategoricalCrossentropy = _wrapper_class(
    "CategoricalCrossentropy", _categorical_crossentropy_v2, "categorical_crossentropy",
    "Crossentropy of one-hot (or soft) targets; `label_smoothing` mixes in uniform targets.",
    from_logits=False, label_smoothing=0.0, axis=-1)
SparseCategoricalCrossentropy = _wrapper_class(
    "SparseCategoricalCrossentropy", _sparse_categorical_crossentropy_v2,
    "sparse_categorical_crossentropy", "Crossentropy of integer class targets.",
    from_logits=False, axis=-1)
BinaryCrossentropy = _wrapper_class(
    "BinaryCrossentropy", _binary_crossentropy_v2, "binary_crossentropy",
    "Mean over the last axis of the element-wise binary crossentropy.",
    from_logits=False, label_smoothing=0.0, axis=-1)
Hinge = _wrapper_class("Hinge", hinge_v2, "hinge", "`mean(max(1 - y_true * y_pred, 0), -1)`.")
SquaredHinge = _wrapper_class("SquaredHinge", squared_hinge, "squared_hinge",
                              "`mean(square(max(1 - y_true * y_pred, 0)), -1)`.")
CategoricalHinge = _wrapper_class("CategoricalHinge", categorical_hinge, "categorical_hinge",
                                  "`max(0, neg - pos + 1)` per sample.")
Huber = _wrapper_class("Huber", huber, "huber_loss",
                       "Quadratic within `delta`, linear beyond.", delta=1.0)
KLDivergence = _wrapper_class("KLDivergence", _kl_divergence, "kl_divergence",
                              "`sum(y_true * log(y_true / y_pred), -1)` (both clipped).")
LogCosh = _wrapper_class("LogCosh", log_cosh, "log_cosh", "`mean(log(cosh(error)), -1)`.")
Poisson = _wrapper_class("Poisson", poisson, "poisson",
                         "`mean(y_pred - y_true * log(y_pred), -1)`.")
CosineSimilarity = _wrapper_class("CosineSimilarity", cosine_similarity, "cosine_similarity",
                                  "The negated cosine similarity along `axis`.", axis=-1)

for _cls in (MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
             MeanSquaredLogarithmicError, CategoricalCrossentropy,
             SparseCategoricalCrossentropy, BinaryCrossentropy, Hinge, SquaredHinge,
             CategoricalHinge, Huber, KLDivergence, LogCosh, Poisson, CosineSimilarity):
    _cls.__module__ = __name__

_CLASSES = {cls.__name__: cls for cls in (
    MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, CategoricalCrossentropy, SparseCategoricalCrossentropy,
    BinaryCrossentropy, Hinge, SquaredHinge, CategoricalHinge, Huber, KLDivergence, LogCosh,
    Poisson, CosineSimilarity)}
_BY_NAME.update({
    "mean_squared_logarithmic_error": mean_squared_logarithmic_error, "msle": msle,
    "squared_hinge": squared_hinge, "categorical_hinge": categorical_hinge,
    "huber": huber, "huber_loss": huber, "logcosh": log_cosh, "log_cosh": log_cosh,
    "poisson": poisson, "cosine_similarity": cosine_similarity,
})


def serialize(loss):
    """The name of a loss function, or `{"class_name", "config"}` of a `Loss` object."""
    if isinstance(loss, Loss):
        return {"class_name": type(loss).__name__, "config": loss.get_config()}
    return getattr(loss, "__name__", loss)


def deserialize(name, custom_objects=None):
    """The loss for a name or a `serialize` dict (custom objects are consulted)."""
    from tensorflux.keras.utils import generic_utils

    if isinstance(name, dict):
        cls = generic_utils.lookup(name["class_name"], custom_objects) \
            or _CLASSES.get(name["class_name"])
        if cls is None:
            raise ValueError("Unknown loss function: " + name["class_name"])
        return cls.from_config(name.get("config", {}))
    fn = generic_utils.lookup(name, custom_objects) or _BY_NAME.get(name)
    if fn is None and name in _CLASSES:   # a class name: the class with its defaults
        fn = _CLASSES[name]()
    if fn is None:
        raise ValueError("Unknown loss function: " + str(name))
    return fn


__all__ += [
    "BinaryCrossentropy", "CategoricalCrossentropy", "CategoricalHinge", "CosineSimilarity",
    "Hinge", "Huber", "KLDivergence", "LogCosh", "Loss", "MSLE", "MeanAbsoluteError",
    "MeanAbsolutePercentageError", "MeanSquaredError", "MeanSquaredLogarithmicError",
    "Poisson", "Reduction", "SparseCategoricalCrossentropy", "SquaredHinge",
    "categorical_hinge", "cosine_similarity", "deserialize", "huber", "log_cosh", "logcosh",
    "msle", "poisson", "serialize", "squared_hinge",
]
