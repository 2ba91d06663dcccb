"""`tf.keras.applications`: Keras' ImageNet models (ResNet50/101/152 and their V2,
VGG16/19, MobileNet v1/v2, InceptionV3, Xception, DenseNet121/169/201) with Keras' layer
names, so Keras' HDF5 weight files load into them.

`weights="imagenet"` reads Keras' file from `~/.keras/models/` (or `$KERAS_HOME/models/`).

Example:
    >>> base = tf.keras.applications.ResNet50(include_top=False, weights=None,
    ...                                       input_shape=(224, 224, 3), pooling="avg")
    >>> base.trainable = False
    >>> probs = tf.keras.layers.Dense(10, activation="softmax")(base.output)
    >>> model = tf.keras.Model(base.input, probs)
"""

from tensorflux.keras.applications import (
    densenet,
    imagenet_utils,
    inception_v3,
    mobilenet,
    mobilenet_v2,
    resnet50,
    resnet_v2,
    vgg16,
    vgg19,
    xception,
)
from tensorflux.keras.applications.densenet import DenseNet121, DenseNet169, DenseNet201
from tensorflux.keras.applications.inception_v3 import InceptionV3
from tensorflux.keras.applications.mobilenet import MobileNet
from tensorflux.keras.applications.mobilenet_v2 import MobileNetV2
from tensorflux.keras.applications.resnet50 import ResNet50, ResNet101, ResNet152
from tensorflux.keras.applications.resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2
from tensorflux.keras.applications.vgg16 import VGG16
from tensorflux.keras.applications.vgg19 import VGG19
from tensorflux.keras.applications.xception import Xception

__all__ = [
    "DenseNet121", "DenseNet169", "DenseNet201", "InceptionV3", "MobileNet", "MobileNetV2",
    "ResNet50", "ResNet50V2", "ResNet101", "ResNet101V2", "ResNet152", "ResNet152V2", "VGG16",
    "VGG19", "Xception", "densenet", "imagenet_utils", "inception_v3", "mobilenet",
    "mobilenet_v2", "resnet50", "resnet_v2", "vgg16", "vgg19", "xception",
]
