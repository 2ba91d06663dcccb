"""`tf.layers`: TF 1.x layers, as classes (`tf.layers.Conv2D`) and functions (`tf.layers.conv2d`).

Example:
    >>> conv1 = tf.layers.conv2d(inputs=x, filters=32, kernel_size=[5, 5], padding="same",
    ...                          activation=tf.nn.relu)
    >>> pool1 = tf.layers.max_pooling2d(inputs=conv1, pool_size=[2, 2], strides=2)
"""

from tensorflux.layers.base import InputSpec, Layer
from tensorflux.layers.convolutional import (
    Conv1D,
    Conv2D,
    Conv2DTranspose,
    Conv3D,
    Conv3DTranspose,
    Convolution1D,
    Convolution2D,
    Convolution2DTranspose,
    Convolution3D,
    Convolution3DTranspose,
    Deconv2D,
    Deconv3D,
    Deconvolution2D,
    Deconvolution3D,
    SeparableConv1D,
    SeparableConv2D,
    SeparableConvolution2D,
    conv1d,
    conv2d,
    conv2d_transpose,
    conv3d,
    conv3d_transpose,
    convolution1d,
    convolution2d,
    convolution2d_transpose,
    convolution3d,
    convolution3d_transpose,
    deconv2d,
    deconv3d,
    deconvolution2d,
    deconvolution3d,
    separable_conv1d,
    separable_conv2d,
    separable_convolution2d,
)
from tensorflux.layers.core import Dense, Dropout, Flatten, dense, dropout, flatten
from tensorflux.layers.normalization import (
    BatchNorm,
    BatchNormalization,
    batch_norm,
    batch_normalization,
)
from tensorflux.layers.pooling import (
    AveragePooling1D,
    AveragePooling2D,
    AveragePooling3D,
    AvgPool2D,
    MaxPool2D,
    MaxPooling1D,
    MaxPooling2D,
    MaxPooling3D,
    average_pooling1d,
    average_pooling2d,
    average_pooling3d,
    avg_pool2d,
    max_pool2d,
    max_pooling1d,
    max_pooling2d,
    max_pooling3d,
)
