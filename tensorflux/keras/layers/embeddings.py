"""Keras `Embedding`: integer indices to dense vectors (a lookup in variable `embeddings`)."""

from tensorflux import nn
from tensorflux.graph import dtypes
from tensorflux.keras import initializers, regularizers
from tensorflux.keras.engine.base_layer import Layer
from tensorflux.keras.layers.core import activity_config, constraint_config, weight_args
from tensorflux.ops import math_ops


class Embedding(Layer):
    """`embeddings[inputs]` with `embeddings` of shape `(input_dim, output_dim)`.

    Example:
        >>> vectors = tf.keras.layers.Embedding(10000, 64)(word_ids)   # [N, T, 64]
    """

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, activity_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, input_length=None, **kwargs):
        if "input_shape" not in kwargs and "batch_input_shape" not in kwargs:
            kwargs["input_shape"] = (input_length,)  # as tf_keras: even (None,)
        args = weight_args(embeddings_initializer=embeddings_initializer,
                           embeddings_regularizer=embeddings_regularizer,
                           embeddings_constraint=embeddings_constraint)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.input_dim, self.output_dim = int(input_dim), int(output_dim)
        self.embeddings_initializer = args["embeddings_initializer"]
        self.embeddings_regularizer = args["embeddings_regularizer"]
        self.embeddings_constraint = args["embeddings_constraint"]
        self.mask_zero = mask_zero
        self.input_length = input_length

    _records_build_shape = True

    def get_config(self):
        config = super().get_config()
        config.update(
            input_dim=self.input_dim, output_dim=self.output_dim,
            embeddings_initializer=initializers.serialize(self.embeddings_initializer),
            embeddings_regularizer=regularizers.serialize(self.embeddings_regularizer),
            activity_regularizer=activity_config(self),
            embeddings_constraint=constraint_config(self.embeddings_constraint),
            mask_zero=self.mask_zero, input_length=self.input_length)
        return config

    def build(self, input_shape):
        self.embeddings = self.add_weight("embeddings", shape=(self.input_dim, self.output_dim),
                                          initializer=self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint,
                                          dtype="float32")
        self.built = True

    def _maybe_build(self, inputs):
        self._dtype = self._dtype or "float32"  # the indices' dtype is not the layer's
        super()._maybe_build(inputs)

    def compute_mask(self, inputs, mask=None):
        """With `mask_zero`, index 0 is padding: the mask is `inputs != 0`."""
        if not self.mask_zero:
            return None
        return math_ops.not_equal(inputs, 0)

    def call(self, inputs):
        if inputs.dtype.base_dtype not in (dtypes.int32, dtypes.int64):
            inputs = math_ops.cast(inputs, dtypes.int32)
        return nn.embedding_lookup(self.embeddings, inputs)
