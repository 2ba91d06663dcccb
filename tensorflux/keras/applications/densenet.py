"""DenseNet121/169/201 ("Densely Connected Convolutional Networks") as tf_keras builds them:
layer names `conv1/conv`, `conv2_block1_0_bn`, `pool2_conv`, ..., `bn`; a table of blocks per
dense stage. Preprocessing is "torch" mode.

Example:
    >>> base = tf.keras.applications.DenseNet121(include_top=False, weights=None,
    ...                                          input_shape=(64, 64, 3), pooling="avg")
    >>> base.output.shape.as_list()
    [None, 1024]
"""

from tensorflux.keras import backend
from tensorflux.keras import layers as layers
from tensorflux.keras.applications import imagenet_utils
from tensorflux.keras.engine.training import Model

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/densenet/"
BLOCKS = {"densenet121": (6, 12, 24, 16), "densenet169": (6, 12, 32, 32),
          "densenet201": (6, 12, 48, 32)}
WEIGHTS_HASHES = {
    "densenet121": ("9d60b8095a5708f2dcce2bca79d332c7", "30ee3e1110167f948a6b9946edeeb738"),
    "densenet169": ("d699b8f76981ab1b30698df4c175e90b", "b8c4d4c20dd625c148057b9ff1c1176b"),
    "densenet201": ("1ceb130c1ea1b78c3bf6114dbdfd8807", "c13680b51ded0fb44dff2d8f86ac8bb1"),
}


def _bn_axis():
    return 3 if backend.image_data_format() == "channels_last" else 1


def conv_block(x, growth_rate, name):
    """BN-relu-1x1 conv, BN-relu-3x3 conv, concatenated to the input."""
    axis = _bn_axis()
    x1 = layers.BatchNormalization(axis=axis, epsilon=1.001e-5, name=name + "_0_bn")(x)
    x1 = layers.Activation("relu", name=name + "_0_relu")(x1)
    x1 = layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=name + "_1_conv")(x1)
    x1 = layers.BatchNormalization(axis=axis, epsilon=1.001e-5, name=name + "_1_bn")(x1)
    x1 = layers.Activation("relu", name=name + "_1_relu")(x1)
    x1 = layers.Conv2D(growth_rate, 3, padding="same", use_bias=False,
                       name=name + "_2_conv")(x1)
    return layers.Concatenate(axis=axis, name=name + "_concat")([x, x1])


def dense_block(x, blocks, name):
    for i in range(blocks):
        x = conv_block(x, 32, name=name + "_block" + str(i + 1))
    return x


def transition_block(x, reduction, name):
    """BN-relu, a 1x1 conv keeping `reduction` of the channels, 2x2 average pooling."""
    axis = _bn_axis()
    x = layers.BatchNormalization(axis=axis, epsilon=1.001e-5, name=name + "_bn")(x)
    x = layers.Activation("relu", name=name + "_relu")(x)
    x = layers.Conv2D(int(backend.int_shape(x)[axis] * reduction), 1, use_bias=False,
                      name=name + "_conv")(x)
    return layers.AveragePooling2D(2, strides=2, name=name + "_pool")(x)


def DenseNet(model_name, include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
             input_shape=None, pooling=None, classes=1000, classifier_activation="softmax"):
    """The DenseNet builder: stem, four dense blocks (`BLOCKS[model_name]`) with
    transitions, final BN-relu, head."""
    imagenet_utils.check_weights_arg(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, default_size=224, min_size=32, data_format=backend.image_data_format(),
        require_flatten=include_top, weights=weights)
    img_input = imagenet_utils.model_input(input_tensor, input_shape)
    axis = _bn_axis()
    blocks = BLOCKS[model_name]

    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1/conv")(x)
    x = layers.BatchNormalization(axis=axis, epsilon=1.001e-5, name="conv1/bn")(x)
    x = layers.Activation("relu", name="conv1/relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for stage in range(4):
        x = dense_block(x, blocks[stage], name="conv%d" % (stage + 2))
        if stage < 3:
            x = transition_block(x, 0.5, name="pool%d" % (stage + 2))
    x = layers.BatchNormalization(axis=axis, epsilon=1.001e-5, name="bn")(x)
    x = layers.Activation("relu", name="relu")(x)

    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = imagenet_utils.pool_top(x, pooling, layers, names=("avg_pool", "max_pool"))
    inputs = (imagenet_utils.source_inputs(input_tensor) if input_tensor is not None
              else img_input)
    model = Model(inputs, x, name=model_name)
    fname = "%s_weights_tf_dim_ordering_tf_kernels%s.h5" % (model_name,
                                                            "" if include_top else "_notop")
    return imagenet_utils.load_model_weights(
        model, weights, fname, BASE_WEIGHTS_PATH + fname,
        WEIGHTS_HASHES[model_name][0 if include_top else 1])


def DenseNet121(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
                input_shape=None, pooling=None, classes=1000,
                classifier_activation="softmax"):
    """DenseNet121 (8.1M parameters with the top); arguments as `ResNet50`."""
    return DenseNet("densenet121", include_top, weights, input_tensor, input_shape, pooling,
                    classes, classifier_activation)


def DenseNet169(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
                input_shape=None, pooling=None, classes=1000,
                classifier_activation="softmax"):
    """DenseNet169 (14.3M parameters with the top); arguments as `ResNet50`."""
    return DenseNet("densenet169", include_top, weights, input_tensor, input_shape, pooling,
                    classes, classifier_activation)


def DenseNet201(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
                input_shape=None, pooling=None, classes=1000,
                classifier_activation="softmax"):
    """DenseNet201 (20.2M parameters with the top); arguments as `ResNet50`."""
    return DenseNet("densenet201", include_top, weights, input_tensor, input_shape, pooling,
                    classes, classifier_activation)


def preprocess_input(x, data_format=None):
    """"torch" preprocessing: pixels to [0, 1], then ImageNet mean/std per channel."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="torch")


def decode_predictions(preds, top=5):
    """`imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
