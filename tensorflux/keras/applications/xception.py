"""Xception ("Deep Learning with Depthwise Separable Convolutions") as tf_keras builds it:
named separable convolutions (`block2_sepconv1`, ...), unnamed 1x1 shortcut convolutions and
their batch norms (`conv2d`, `batch_normalization`, ...), `add` merges. Input at least 71x71
(default 299x299); "tf" preprocessing.

Example:
    >>> base = tf.keras.applications.Xception(include_top=False, weights=None,
    ...                                       input_shape=(71, 71, 3), pooling="avg")
    >>> base.output.shape.as_list()
    [None, 2048]
"""

from tensorflux.keras import backend
from tensorflux.keras import layers as layers
from tensorflux.keras.applications import imagenet_utils
from tensorflux.keras.engine.training import Model

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/xception/"
WEIGHTS_HASHES = ("0a58e3b7378bc2990ea3b43d5981f1f6", "b0042744bf5b25fce3cb969f33bebb97")


def _sep_bn(x, filters, name, axis, relu_first=True):
    """[relu] -> separable 3x3 conv -> batch norm, Keras' names `<name>_act/<name>/_bn`."""
    if relu_first:
        x = layers.Activation("relu", name=name + "_act")(x)
    x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return layers.BatchNormalization(axis=axis, name=name + "_bn")(x)


def _entry_block(x, filters, block, axis, first_relu=True, last_filters=None):
    """Two separable convs + strided max pooling, added to a strided 1x1 conv shortcut."""
    residual = layers.Conv2D(last_filters or filters, (1, 1), strides=(2, 2), padding="same",
                             use_bias=False)(x)
    residual = layers.BatchNormalization(axis=axis)(residual)
    prefix = "block%d_sepconv" % block
    if first_relu:
        x = _sep_bn(x, filters, prefix + "1", axis)
    else:  # block 2: the stem's relu precedes it; its names skip `block2_sepconv1_act`
        x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False,
                                   name=prefix + "1")(x)
        x = layers.BatchNormalization(axis=axis, name=prefix + "1_bn")(x)
    x = _sep_bn(x, last_filters or filters, prefix + "2", axis)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same",
                            name="block%d_pool" % block)(x)
    return layers.add([x, residual])


def Xception(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
             input_shape=None, pooling=None, classes=1000, classifier_activation="softmax"):
    """Xception (22.9M parameters with the top, 20.9M without); arguments as `ResNet50`.

    Example:
        >>> model = tf.keras.applications.Xception(weights=None, classes=10)
    """
    imagenet_utils.check_weights_arg(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, default_size=299, min_size=71, data_format=backend.image_data_format(),
        require_flatten=include_top, weights=weights)
    img_input = imagenet_utils.model_input(input_tensor, input_shape)
    axis = 1 if backend.image_data_format() == "channels_first" else -1

    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(img_input)
    x = layers.BatchNormalization(axis=axis, name="block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = layers.BatchNormalization(axis=axis, name="block1_conv2_bn")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(x)

    x = _entry_block(x, 128, 2, axis, first_relu=False)
    x = _entry_block(x, 256, 3, axis)
    x = _entry_block(x, 728, 4, axis)
    for i in range(8):  # middle flow
        residual = x
        prefix = "block%d_sepconv" % (i + 5)
        for k in (1, 2, 3):
            x = _sep_bn(x, 728, prefix + str(k), axis)
        x = layers.add([x, residual])
    x = _entry_block(x, 728, 13, axis, last_filters=1024)

    x = _sep_bn(x, 1536, "block14_sepconv1", axis, relu_first=False)
    x = layers.Activation("relu", name="block14_sepconv1_act")(x)
    x = _sep_bn(x, 2048, "block14_sepconv2", axis, relu_first=False)
    x = layers.Activation("relu", name="block14_sepconv2_act")(x)

    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = imagenet_utils.pool_top(x, pooling, layers)
    inputs = (imagenet_utils.source_inputs(input_tensor) if input_tensor is not None
              else img_input)
    model = Model(inputs, x, name="xception")
    fname = "xception_weights_tf_dim_ordering_tf_kernels%s.h5" % ("" if include_top
                                                                  else "_notop")
    return imagenet_utils.load_model_weights(model, weights, fname, BASE_WEIGHTS_PATH + fname,
                                             WEIGHTS_HASHES[0 if include_top else 1])


def preprocess_input(x, data_format=None):
    """"tf" preprocessing: pixels scaled to [-1, 1] (see imagenet_utils)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


def decode_predictions(preds, top=5):
    """`imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
