"""ResNet50 (v1, "Deep Residual Learning for Image Recognition") as tf_keras builds it, with
tf_keras' layer names (`conv1_conv`, `conv2_block1_1_conv`, ...) so Keras' HDF5 weight files
load; ResNet101 and ResNet152 share the builder (a table of block counts).

Example:
    >>> base = tf.keras.applications.ResNet50(include_top=False, weights=None,
    ...                                       input_shape=(224, 224, 3), pooling="avg")
    >>> base.output.shape.as_list()
    [None, 2048]
"""

from tensorflux.keras import backend
from tensorflux.keras import layers as layers
from tensorflux.keras.applications import imagenet_utils
from tensorflux.keras.engine.training import Model

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/resnet/"
WEIGHTS_HASHES = {
    "resnet50": ("2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"),
    "resnet101": ("f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"),
    "resnet152": ("100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"),
}
# Blocks per stage (conv2..conv5), filters 64, 128, 256, 512 (x4 at each block's output).
BLOCKS = {"resnet50": (3, 4, 6, 3), "resnet101": (3, 4, 23, 3), "resnet152": (3, 8, 36, 3)}


def _bn_axis():
    return 3 if backend.image_data_format() == "channels_last" else 1


def block1(x, filters, kernel_size=3, stride=1, conv_shortcut=True, name=None):
    """A bottleneck residual block (1x1, 3x3, 1x1 convs; projection or identity shortcut)."""
    bn_axis = _bn_axis()
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=name + "_0_conv")(x)
        shortcut = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5,
                                             name=name + "_0_bn")(shortcut)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=name + "_1_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=name + "_1_bn")(x)
    x = layers.Activation("relu", name=name + "_1_relu")(x)
    x = layers.Conv2D(filters, kernel_size, padding="SAME", name=name + "_2_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=name + "_2_bn")(x)
    x = layers.Activation("relu", name=name + "_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=name + "_3_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=name + "_3_bn")(x)
    x = layers.Add(name=name + "_add")([shortcut, x])
    return layers.Activation("relu", name=name + "_out")(x)


def stack1(x, filters, blocks, stride1=2, name=None):
    """`blocks` residual blocks; the first one strides and projects the shortcut."""
    x = block1(x, filters, stride=stride1, name=name + "_block1")
    for i in range(2, blocks + 1):
        x = block1(x, filters, conv_shortcut=False, name=name + "_block" + str(i))
    return x


def ResNet(model_name, include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
           input_shape=None, pooling=None, classes=1000, classifier_activation="softmax",
           **kwargs):
    """The ResNet v1 builder: stem, four stages of `BLOCKS[model_name]` blocks, head."""
    if kwargs:
        raise ValueError("Unknown argument(s): %s" % (kwargs,))
    imagenet_utils.check_weights_arg(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, default_size=224, min_size=32, data_format=backend.image_data_format(),
        require_flatten=include_top, weights=weights)
    img_input = imagenet_utils.model_input(input_tensor, input_shape)
    bn_axis = _bn_axis()

    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=True, name="conv1_conv")(x)
    x = layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name="conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    for stage, (filters, blocks) in enumerate(zip((64, 128, 256, 512), BLOCKS[model_name])):
        x = stack1(x, filters, blocks, stride1=1 if stage == 0 else 2,
                   name="conv%d" % (stage + 2))

    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = imagenet_utils.pool_top(x, pooling, layers, names=("avg_pool", "max_pool"))
    inputs = (imagenet_utils.source_inputs(input_tensor) if input_tensor is not None
              else img_input)
    model = Model(inputs, x, name=model_name)
    suffix = "" if include_top else "_notop"
    fname = "%s_weights_tf_dim_ordering_tf_kernels%s.h5" % (model_name, suffix)
    return imagenet_utils.load_model_weights(
        model, weights, fname, BASE_WEIGHTS_PATH + fname,
        WEIGHTS_HASHES[model_name][0 if include_top else 1])


def ResNet50(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
             input_shape=None, pooling=None, classes=1000, **kwargs):
    """ResNet50 v1 (25.6M parameters with the top), Keras' architecture and layer names.

    Args:
        include_top: Whether to keep the classifier (global average pool + `Dense(classes)`).
        weights: None (random), "imagenet" (Keras' file from `~/.keras/models/`) or the path
            of an HDF5 weights file.
        input_tensor: Optional Keras tensor to use as the image input.
        input_shape: `(H, W, 3)`, at least 32x32; only with `include_top=False` may it differ
            from (224, 224, 3).
        pooling: None (4-D features), "avg" or "max" (2-D features) when `include_top=False`.
        classes: Number of classes of the top.

    Example:
        >>> model = tf.keras.applications.ResNet50(weights=None, classes=10)
    """
    return ResNet("resnet50", include_top, weights, input_tensor, input_shape, pooling,
                  classes, **kwargs)


def ResNet101(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
              input_shape=None, pooling=None, classes=1000, **kwargs):
    """ResNet101 v1 (as `ResNet50`, with 23 blocks in stage 4)."""
    return ResNet("resnet101", include_top, weights, input_tensor, input_shape, pooling,
                  classes, **kwargs)


def ResNet152(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
              input_shape=None, pooling=None, classes=1000, **kwargs):
    """ResNet152 v1 (as `ResNet50`, with 8 and 36 blocks in stages 3 and 4)."""
    return ResNet("resnet152", include_top, weights, input_tensor, input_shape, pooling,
                  classes, **kwargs)


def preprocess_input(x, data_format=None):
    """"caffe" preprocessing: RGB -> BGR, minus the ImageNet means (see imagenet_utils)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


def decode_predictions(preds, top=5):
    """`imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
