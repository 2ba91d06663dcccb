"""VGG19 as tf_keras builds it: VGG16's builder with four convolutions in blocks 3 to 5.

Example:
    >>> model = tf.keras.applications.VGG19(weights=None)
    >>> model.count_params()
    143667240
"""

from tensorflux.keras.applications import imagenet_utils
from tensorflux.keras.applications.vgg16 import VGG


def VGG19(include_top=True, weights="imagenet", input_tensor=None,  # noqa: N802
          input_shape=None, pooling=None, classes=1000, classifier_activation="softmax"):
    """VGG19 (144M parameters with the top, 20M without); arguments as `VGG16`.

    Example:
        >>> base = tf.keras.applications.VGG19(include_top=False, weights=None,
        ...                                    input_shape=(64, 64, 3), pooling="max")
    """
    return VGG("vgg19", include_top, weights, input_tensor, input_shape, pooling, classes,
               classifier_activation)


def preprocess_input(x, data_format=None):
    """"caffe" preprocessing: RGB -> BGR, minus the ImageNet means (see imagenet_utils)."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


def decode_predictions(preds, top=5):
    """`imagenet_utils.decode_predictions`."""
    return imagenet_utils.decode_predictions(preds, top=top)
