"""Keras pooling layers: `MaxPooling1D/2D/3D`, `AveragePooling1D/2D/3D` (the `tf.layers` classes
with Keras' defaults: `pool_size=2`, `strides=pool_size`) and the global poolings."""

from tensorflux.keras import backend
from tensorflux.keras.engine.base_layer import Layer
from tensorflux.layers import pooling as tf_pooling
from tensorflux.ops import reduction_ops


def _keras_pool(tf_cls, default_size, doc):
    def __init__(self, pool_size=default_size, strides=None, padding="valid", data_format=None,
                 **kwargs):
        tf_cls.__init__(self, pool_size, strides, padding=padding,
                        data_format=data_format or backend.image_data_format(), **kwargs)

    return type(tf_cls.__name__, (Layer, tf_cls), {"__init__": __init__, "__doc__": doc,
                                                   "__module__": __name__,
                                                   "get_config": _pool_config})


def _pool_config(self):
    config = Layer.get_config(self)
    config.update(pool_size=self.pool_size, padding=self.padding, strides=self.strides,
                  data_format=self.data_format)
    return config


MaxPooling1D = _keras_pool(tf_pooling.MaxPooling1D, 2, "Max pooling over steps.")
MaxPooling2D = _keras_pool(tf_pooling.MaxPooling2D, (2, 2), """Max pooling over 2-D windows.

    Example:
        >>> tf.keras.layers.MaxPooling2D()(x)     # 2x2 windows, stride 2
    """)
AveragePooling1D = _keras_pool(tf_pooling.AveragePooling1D, 2, "Average pooling over steps.")
AveragePooling2D = _keras_pool(tf_pooling.AveragePooling2D, (2, 2),
                               "Average pooling over 2-D windows.")
MaxPooling3D = _keras_pool(tf_pooling.MaxPooling3D, (2, 2, 2), """Max pooling over 3-D windows
    (`channels_first` inputs are pooled channels-last, between two transposes, as tf_keras does).

    Example:
        >>> tf.keras.layers.MaxPooling3D()(volumes)     # 2x2x2 windows, stride 2
    """)
AveragePooling3D = _keras_pool(tf_pooling.AveragePooling3D, (2, 2, 2),
                               "Average pooling over 3-D windows.")
MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
AvgPool1D, AvgPool2D, AvgPool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D


class _GlobalPooling(Layer):
    _rank = 2
    _reduce = staticmethod(reduction_ops.reduce_mean)
    _records_build_shape = True

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format or backend.image_data_format()
        self.keepdims = keepdims

    def call(self, inputs):
        start = 2 if self.data_format == "channels_first" else 1
        return self._reduce(inputs, axis=list(range(start, start + self._rank)),
                            keepdims=self.keepdims)

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        config["keepdims"] = self.keepdims
        return config


class GlobalAveragePooling2D(_GlobalPooling):
    """Mean over height and width: `[N, H, W, C]` -> `[N, C]`.

    Example:
        >>> tf.keras.layers.GlobalAveragePooling2D()(features)
    """


class GlobalMaxPooling2D(_GlobalPooling):
    """Max over height and width: `[N, H, W, C]` -> `[N, C]`."""

    _reduce = staticmethod(reduction_ops.reduce_max)


class GlobalAveragePooling1D(_GlobalPooling):
    """Mean over steps: `[N, T, C]` -> `[N, C]`."""

    _rank = 1


class GlobalMaxPooling1D(_GlobalPooling):
    """Max over steps: `[N, T, C]` -> `[N, C]`."""

    _rank = 1
    _reduce = staticmethod(reduction_ops.reduce_max)


class GlobalAveragePooling3D(_GlobalPooling):
    """Mean over depth, height and width: `[N, D, H, W, C]` -> `[N, C]`.

    Example:
        >>> tf.keras.layers.GlobalAveragePooling3D()(volumes)
    """

    _rank = 3


class GlobalMaxPooling3D(_GlobalPooling):
    """Max over depth, height and width: `[N, D, H, W, C]` -> `[N, C]`."""

    _rank = 3
    _reduce = staticmethod(reduction_ops.reduce_max)


GlobalAvgPool1D, GlobalAvgPool2D, GlobalAvgPool3D = (
    GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D)
GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D = (
    GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D)
