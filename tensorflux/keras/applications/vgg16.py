"""VGG16 ("Very Deep Convolutional Networks for Large-Scale Image Recognition") as tf_keras
builds it (layer names `block1_conv1` ... `fc1`, `fc2`, `predictions`); `VGG` is the builder
that VGG19 shares (a table of convolutions per block).

Example:
    >>> base = tf.keras.applications.VGG16(include_top=False, weights=None,
    ...                                    input_shape=(64, 64, 3))
    >>> base.output.shape.as_list()
    [None, 2, 2, 512]
"""

from tensorflux.keras import backend
from tensorflux.keras import layers as layers
from tensorflux.keras.applications import imagenet_utils
from tensorflux.keras.engine.training import Model

BASE_WEIGHTS_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/"
WEIGHTS_HASHES = {
    "vgg16": ("64373286793e3c8b2b4e3219cbf3544b", "6d6bbae143d832006294945121d1f1fc"),
    "vgg19": ("cbe5617147190e668d6c5d5026f83318", "253f8cb515780f3b799900260a226db6"),
}
# Convolutions per block; the filters are 64, 128, 256, 512, 512.
CONVS = {"vgg16": (2, 2, 3, 3, 3), "vgg19": (2, 2, 4, 4, 4)}


def VGG(model_name, include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
        input_shape=None, pooling=None, classes=1000, classifier_activation="softmax"):
    """The VGG builder: five blocks of 3x3 'same' convs + 2x2 max pooling, then the head."""
    imagenet_utils.check_weights_arg(weights, include_top, classes)
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, default_size=224, min_size=32, data_format=backend.image_data_format(),
        require_flatten=include_top, weights=weights)
    img_input = imagenet_utils.model_input(input_tensor, input_shape)

    x = img_input
    for block, (filters, convs) in enumerate(zip((64, 128, 256, 512, 512), CONVS[model_name])):
        for i in range(convs):
            x = layers.Conv2D(filters, (3, 3), activation="relu", padding="same",
                              name="block%d_conv%d" % (block + 1, i + 1))(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name="block%d_pool" % (block + 1))(x)

    if include_top:
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        imagenet_utils.validate_activation(classifier_activation, weights)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = imagenet_utils.pool_top(x, pooling, layers)
    inputs = (imagenet_utils.source_inputs(input_tensor) if input_tensor is not None
              else img_input)
    model = Model(inputs, x, name=model_name)
    suffix = "" if include_top else "_notop"
    fname = "%s_weights_tf_dim_ordering_tf_kernels%s.h5" % (model_name, suffix)
    return imagenet_utils.load_model_weights(
        model, weights, fname, BASE_WEIGHTS_PATH + model_name + "/" + fname,
        WEIGHTS_HASHES[model_name][0 if include_top else 1])


def VGG16(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
          input_shape=None, pooling=None, classes=1000, classifier_activation="softmax"):
    """VGG16 (138M parameters with the top, 14.7M without), Keras' layers and names.

    Args:
        include_top: Whether to keep the 3 fully connected layers (then the input must be
            224x224x3).
        weights: None (random), "imagenet" (Keras' file from `~/.keras/models/`) or the path
            of an HDF5 weights file.
        input_tensor: Optional Keras tensor to use as the image input.
        input_shape: `(H, W, 3)`, at least 32x32, when `include_top=False`.
        pooling: None, "avg" or "max" when `include_top=False`.
        classes: Number of classes of the top.

    Example:
        >>> features = tf.keras.applications.VGG16(include_top=False, weights=None,
        ...                                        pooling="avg").output
    """
    return VGG("vgg16", include_top, weights, input_tensor, input_shape, pooling, classes,
               classifier_activation)


def preprocess_input(x, data_format=None):
    """"caffe" preprocessing: RGB -> BGR, minus the ImageNet means (see imagenet_utils)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


def decode_predictions(preds, top=5):
    """`imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
