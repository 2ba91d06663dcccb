"""`tf.keras.layers`: Keras layers for TF 1.x graphs (the list below is what is public).

Example:
    >>> x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    >>> h = tf.keras.layers.Conv2D(32, 3, activation="relu")(x)
    >>> h = tf.keras.layers.MaxPooling2D()(h)
    >>> logits = tf.keras.layers.Dense(10)(tf.keras.layers.Flatten()(h))
"""

from tensorflux.keras.engine.base_layer import Layer
from tensorflux.keras.engine.input_layer import Input, InputLayer
from tensorflux.keras.layers.advanced_activations import (
    ELU,
    LeakyReLU,
    PReLU,
    ReLU,
    Softmax,
    ThresholdedReLU,
)
from tensorflux.keras.layers.convolutional import (
    Conv1D,
    Conv1DTranspose,
    Conv2D,
    Conv2DTranspose,
    Conv3D,
    Conv3DTranspose,
    Convolution1D,
    Convolution1DTranspose,
    Convolution2D,
    Convolution2DTranspose,
    Convolution3D,
    Convolution3DTranspose,
    DepthwiseConv1D,
    DepthwiseConv2D,
    SeparableConv1D,
    SeparableConv2D,
    SeparableConvolution1D,
    SeparableConvolution2D,
    UpSampling2D,
    ZeroPadding2D,
)
from tensorflux.keras.layers.convolutional_recurrent import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
from tensorflux.keras.layers.core import (
    Activation,
    CategoryEncoding,
    Dense,
    Dropout,
    Flatten,
    Identity,
    Lambda,
    Permute,
    RepeatVector,
    Rescaling,
    Reshape,
)
from tensorflux.keras.layers.cudnn_recurrent import CuDNNGRU, CuDNNLSTM
from tensorflux.keras.layers.dense_attention import AdditiveAttention, Attention
from tensorflux.keras.layers.embeddings import Embedding
from tensorflux.keras.layers.local import LocallyConnected1D, LocallyConnected2D
from tensorflux.keras.layers.merge import (
    Add,
    Average,
    Concatenate,
    Dot,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    dot,
    maximum,
    minimum,
    multiply,
    subtract,
)
from tensorflux.keras.layers.normalization import (
    BatchNormalization,
    GroupNormalization,
    LayerNormalization,
    Normalization,
    UnitNormalization,
)
from tensorflux.keras.layers.pooling import (
    AveragePooling1D,
    AveragePooling2D,
    AveragePooling3D,
    AvgPool1D,
    AvgPool2D,
    AvgPool3D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalAveragePooling3D,
    GlobalAvgPool1D,
    GlobalAvgPool2D,
    GlobalAvgPool3D,
    GlobalMaxPool1D,
    GlobalMaxPool2D,
    GlobalMaxPool3D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    GlobalMaxPooling3D,
    MaxPool1D,
    MaxPool2D,
    MaxPool3D,
    MaxPooling1D,
    MaxPooling2D,
    MaxPooling3D,
)
from tensorflux.keras.layers.recurrent import (
    GRU,
    LSTM,
    RNN,
    GRUCell,
    LSTMCell,
    Masking,
    SimpleRNN,
    SimpleRNNCell,
    StackedRNNCells,
)
from tensorflux.keras.layers.regularization import (
    ActivityRegularization,
    AlphaDropout,
    GaussianDropout,
    GaussianNoise,
    SpatialDropout1D,
    SpatialDropout2D,
    SpatialDropout3D,
)
from tensorflux.keras.layers.reshaping import (
    CenterCrop,
    Cropping1D,
    Cropping2D,
    Cropping3D,
    Resizing,
    UpSampling1D,
    UpSampling3D,
    ZeroPadding1D,
    ZeroPadding3D,
)
from tensorflux.keras.layers.wrappers import (
    Bidirectional,
    TimeDistributed,
    Wrapper,
    deserialize,
    serialize,
)
from tensorflux.layers.base import InputSpec

__all__ = [
    "Activation", "ActivityRegularization", "Add", "AdditiveAttention", "AlphaDropout", "Attention",
    "Average", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D", "AvgPool1D", "AvgPool2D",
    "AvgPool3D", "BatchNormalization", "CategoryEncoding", "CenterCrop", "Bidirectional", "GRU",
    "GRUCell", "LSTM", "LSTMCell", "Masking", "RNN", "SimpleRNN", "SimpleRNNCell",
    "StackedRNNCells", "TimeDistributed", "Concatenate", "Conv1D", "Conv1DTranspose", "Conv2D",
    "Conv2DTranspose", "Conv3D", "Conv3DTranspose", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D",
    "Convolution1D", "Convolution1DTranspose", "Convolution2D", "Convolution2DTranspose",
    "Convolution3D", "Convolution3DTranspose", "CuDNNGRU", "CuDNNLSTM", "Cropping1D", "Cropping2D",
    "Cropping3D", "Dense", "DepthwiseConv1D", "DepthwiseConv2D", "Dot", "Dropout", "ELU",
    "Embedding", "Flatten", "GaussianDropout", "GaussianNoise", "GlobalAveragePooling1D",
    "GlobalAveragePooling2D", "GlobalAveragePooling3D", "GlobalAvgPool1D", "GlobalAvgPool2D",
    "GlobalAvgPool3D", "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D",
    "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "GroupNormalization",
    "Identity", "Input", "InputLayer", "InputSpec", "Lambda", "Layer", "LayerNormalization",
    "LeakyReLU", "LocallyConnected1D", "LocallyConnected2D", "MaxPool1D", "MaxPool2D", "MaxPool3D",
    "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "Maximum", "Minimum", "Multiply",
    "Normalization", "PReLU", "Permute", "ReLU", "RepeatVector", "Rescaling", "Reshape", "Resizing",
    "SeparableConv1D", "SeparableConv2D", "SeparableConvolution1D", "SeparableConvolution2D",
    "Softmax", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "Subtract",
    "ThresholdedReLU", "UnitNormalization", "UpSampling1D", "UpSampling2D", "UpSampling3D",
    "Wrapper", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "add", "average", "concatenate",
    "deserialize", "dot", "maximum", "minimum", "multiply", "serialize", "subtract",
]
