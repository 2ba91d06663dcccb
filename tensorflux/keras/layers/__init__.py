"""`tf.keras.layers`: Keras layers for TF 1.x graphs (the list below is what is public).

Example:
    >>> x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    >>> h = tf.keras.layers.Conv2D(32, 3, activation="relu")(x)
    >>> h = tf.keras.layers.MaxPooling2D()(h)
    >>> logits = tf.keras.layers.Dense(10)(tf.keras.layers.Flatten()(h))
"""

from tensorflux.keras.engine.base_layer import Layer
from tensorflux.keras.engine.input_layer import Input, InputLayer
from tensorflux.keras.layers.advanced_activations import ELU, LeakyReLU, ReLU, Softmax
from tensorflux.keras.layers.convolutional import (
    Conv1D,
    Conv2D,
    Conv2DTranspose,
    Convolution1D,
    Convolution2D,
    Convolution2DTranspose,
    DepthwiseConv2D,
    SeparableConv2D,
    SeparableConvolution2D,
    UpSampling2D,
    ZeroPadding2D,
)
from tensorflux.keras.layers.core import Activation, Dense, Dropout, Flatten, Lambda, Reshape
from tensorflux.keras.layers.embeddings import Embedding
from tensorflux.keras.layers.merge import (
    Add,
    Average,
    Concatenate,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    maximum,
    minimum,
    multiply,
    subtract,
)
from tensorflux.keras.layers.normalization import BatchNormalization
from tensorflux.keras.layers.pooling import (
    AveragePooling1D,
    AveragePooling2D,
    AvgPool1D,
    AvgPool2D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalAvgPool2D,
    GlobalMaxPool2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    MaxPool1D,
    MaxPool2D,
    MaxPooling1D,
    MaxPooling2D,
)

__all__ = [
    "Activation", "Add", "Average", "AveragePooling1D", "AveragePooling2D", "AvgPool1D",
    "AvgPool2D", "BatchNormalization", "Concatenate", "Conv1D", "Conv2D", "Conv2DTranspose",
    "Convolution1D", "Convolution2D", "Convolution2DTranspose", "Dense", "DepthwiseConv2D",
    "Dropout", "ELU", "Embedding", "Flatten", "GlobalAveragePooling1D", "GlobalAveragePooling2D",
    "GlobalAvgPool2D", "GlobalMaxPool2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "Input",
    "InputLayer", "Lambda", "Layer", "LeakyReLU", "MaxPool1D", "MaxPool2D", "MaxPooling1D",
    "MaxPooling2D", "Maximum", "Minimum", "Multiply", "ReLU", "Reshape", "SeparableConv2D",
    "SeparableConvolution2D", "Softmax", "Subtract", "UpSampling2D", "ZeroPadding2D", "add",
    "average", "concatenate", "maximum", "minimum", "multiply", "subtract",
]
