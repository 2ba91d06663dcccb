"""Keras dot-product and additive attention: `Attention` (Luong) and `AdditiveAttention`
(Bahdanau), as tf_keras 2 computes them.

Both take `[query, value]` or `[query, value, key]` (`key` defaults to `value`): `query`
`[batch, Tq, dim]`, `value`/`key` `[batch, Tv, dim]`. The scores `[batch, Tq, Tv]` go through a
softmax over `Tv` and weight the values: the output is `[batch, Tq, dim]`. A Keras mask of the
value (`mask=[query_mask, value_mask]` or from an `Embedding(mask_zero=True)`) and the causal
mask (`use_causal_mask=True` in the call, or tf_keras' deprecated `causal=True` argument)
subtract 1e9 from masked scores; a query mask zeroes the masked query rows.
`return_attention_scores=True` also returns the softmax weights.
"""

from tensorflux.graph import dtypes
from tensorflux.keras import backend
from tensorflux.keras.engine.base_layer import Layer
from tensorflux.ops import (
    array_ops,
    fill_ops,
    linalg_ops,
    manip_ops,
    math_ops,
    nn_ops,
    reduction_ops,
    scan_ops,
)


def _lower_triangular_mask(scores):
    """Bool `[1, Tq, Tv]`: query `i` sees values `j <= i`."""
    shape = array_ops.shape(scores)
    ones = fill_ops.ones(array_ops.concat([[1], shape[-2:]], axis=0), dtype=dtypes.int32)
    rows = scan_ops.cumsum(ones, axis=-2)
    cols = scan_ops.cumsum(ones, axis=-1)
    return math_ops.greater_equal(rows, cols)


class _BaseDenseAttention(Layer):
    """Masks, softmax, dropout and the `[query, value, key]` calling convention."""

    def __init__(self, dropout=0.0, **kwargs):
        self.causal = kwargs.pop("causal", False)
        super().__init__(**kwargs)
        self.dropout = dropout
        self.supports_masking = True

    _records_build_shape = True

    def _validate_call_args(self, inputs, mask):
        name = type(self).__name__
        if not isinstance(inputs, list):
            raise ValueError("%s layer must be called on a list of inputs, namely [query, "
                             "value] or [query, value, key]. Received: %s." % (name, inputs))
        if len(inputs) < 2 or len(inputs) > 3:
            raise ValueError("%s layer accepts inputs list of length 2 or 3, namely [query, "
                             "value] or [query, value, key]. Received length: %d."
                             % (name, len(inputs)))
        if mask:
            if not isinstance(mask, list):
                raise ValueError("%s layer mask must be a list, namely [query_mask, "
                                 "value_mask]. Received: %s." % (name, mask))
            if len(mask) < 2 or len(mask) > len(inputs):
                raise ValueError("%s layer mask must be a list of length 2, namely "
                                 "[query_mask, value_mask]. Received length: %d."
                                 % (name, len(mask)))

    def _apply_scores(self, scores, value, scores_mask=None, training=None):
        if scores_mask is not None:
            padding = math_ops.logical_not(scores_mask)
            big = 65504.0 if scores.dtype == dtypes.float16 else 1.0e9
            scores = scores - big * math_ops.cast(padding, scores.dtype)
        weights = nn_ops.softmax(scores)
        if self.dropout > 0:
            if training is None:
                training = backend.learning_phase()
            if training is True or training == 1:
                weights = nn_ops.dropout_v2(weights, self.dropout)
            elif training is not False and training != 0:
                on = math_ops.cast(training, weights.dtype)
                weights = (on * nn_ops.dropout_v2(weights, self.dropout)
                           + (1.0 - on) * weights)
        return linalg_ops.matmul(weights, value), weights

    def call(self, inputs, mask=None, training=None, return_attention_scores=False,
             use_causal_mask=False):
        self._validate_call_args(inputs, mask)
        q, v = inputs[0], inputs[1]
        k = inputs[2] if len(inputs) > 2 else v
        q_mask = mask[0] if mask else None
        v_mask = mask[1] if mask else None
        scores = self._calculate_scores(q, k)
        scores_mask = None
        if v_mask is not None:
            scores_mask = manip_ops.expand_dims(math_ops.cast(v_mask, dtypes.bool), -2)
        if self.causal or use_causal_mask:
            causal = _lower_triangular_mask(scores)
            scores_mask = causal if scores_mask is None else math_ops.logical_and(
                scores_mask, causal)
        result, weights = self._apply_scores(scores, v, scores_mask, training)
        if q_mask is not None:
            keep = manip_ops.expand_dims(math_ops.cast(q_mask, result.dtype), -1)
            result = result * keep
        if return_attention_scores:
            return [result, weights]
        return result

    def compute_mask(self, inputs, mask=None):
        self._validate_call_args(inputs, mask)
        if mask and mask[0] is not None:
            return mask[0]
        return None

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        config = super().get_config()
        config["dropout"] = self.dropout
        if self.causal:
            config["causal"] = True
        return config


class Attention(_BaseDenseAttention):
    """Dot-product attention: `scores = query @ key^T` (times a learned scalar `scale` with
    `use_scale`); `score_mode="concat"` scores `sum(tanh(query + key))` instead (times the
    weight `concat_score_weight`).

    Example:
        >>> query, value = tf.keras.Input((4, 16)), tf.keras.Input((6, 16))
        >>> context = tf.keras.layers.Attention()([query, value])          # [N, 4, 16]
    """

    def __init__(self, use_scale=False, score_mode="dot", **kwargs):
        super().__init__(**kwargs)
        self.use_scale = use_scale
        self.score_mode = score_mode
        if score_mode not in ("dot", "concat"):
            raise ValueError('Received: score_mode=%s. Acceptable values are: ["dot", '
                             '"concat"]' % (score_mode,))

    def build(self, input_shape):
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight("scale", shape=(), initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight("concat_score_weight", shape=(),
                                                       initializer="ones")
        self.built = True

    def _calculate_scores(self, query, key):
        if self.score_mode == "dot":
            scores = linalg_ops.matmul(query, key, transpose_b=True)
            return scores * self.scale if self.scale is not None else scores
        q = manip_ops.expand_dims(query, -2)   # [batch, Tq, 1, dim]
        k = manip_ops.expand_dims(key, -3)     # [batch, 1, Tv, dim]
        inner = q + k if self.scale is None else self.scale * (q + k)
        return self.concat_score_weight * reduction_ops.reduce_sum(math_ops.tanh(inner),
                                                                   axis=-1)

    def get_config(self):
        config = {"use_scale": self.use_scale, "score_mode": self.score_mode}
        config.update(super().get_config())
        return config


class AdditiveAttention(_BaseDenseAttention):
    """Additive (Bahdanau) attention: `scores = sum(scale * tanh(query + key), axis=-1)`, the
    learned `scale` `[dim]` (glorot-uniform) with `use_scale=True`, the default.

    Example:
        >>> context = tf.keras.layers.AdditiveAttention()([query, value])
    """

    def __init__(self, use_scale=True, **kwargs):
        super().__init__(**kwargs)
        self.use_scale = use_scale

    def build(self, input_shape):
        self.scale = None
        if self.use_scale:
            dim = input_shape[1][-1]
            dim = dim.value if hasattr(dim, "value") else dim
            self.scale = self.add_weight("scale", shape=(int(dim),),
                                         initializer="glorot_uniform")
        self.built = True

    def _calculate_scores(self, query, key):
        q = manip_ops.expand_dims(query, -2)
        k = manip_ops.expand_dims(key, -3)
        t = math_ops.tanh(q + k)
        if self.scale is not None:
            t = self.scale * t
        return reduction_ops.reduce_sum(t, axis=-1)

    def get_config(self):
        config = {"use_scale": self.use_scale}
        config.update(super().get_config())
        return config


__all__ = ["AdditiveAttention", "Attention"]
