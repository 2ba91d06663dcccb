"""Keras convolution layers: `Conv1D`, `Conv2D`, `Conv3D`, `Conv2DTranspose`, `SeparableConv2D`,
`DepthwiseConv2D`, and the shape layers `ZeroPadding2D`, `UpSampling2D`.

The convolutions are the `tf.layers` classes (same kernels and math) with Keras' base and
defaults: `data_format=None` means `tf.keras.backend.image_data_format()`.
"""

from tensorflux import nn
from tensorflux.graph import graph as graph_lib
from tensorflux.graph import tensor_shape
from tensorflux.keras import activations, backend, constraints, initializers, regularizers
from tensorflux.keras.engine.base_layer import Layer
from tensorflux.keras.layers.core import (
    activation_fn,
    activity_config,
    constraint_config,
    weight_args,
    weight_config,
)
from tensorflux.layers import convolutional as tf_conv
from tensorflux.layers import utils as conv_utils
from tensorflux.ops import array_ops, image_ops, pad_ops


def _conv_args(data_format, activation, kwargs):
    kwargs = weight_args(**kwargs)
    kwargs["data_format"] = data_format or backend.image_data_format()
    kwargs["activation"] = activation_fn(activation)
    return kwargs


def _keras_conv(tf_cls, rank, doc):
    """A Keras class over `tf_cls` whose `__init__` takes Keras' defaults and identifiers."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", **kwargs):
        kwargs.update(kernel_initializer=kernel_initializer, bias_initializer=bias_initializer)
        if tf_cls is not tf_conv.Conv2DTranspose:
            kwargs["dilation_rate"] = dilation_rate
        kwargs = _conv_args(data_format, activation, kwargs)
        tf_cls.__init__(self, filters, kernel_size, strides=strides, padding=padding,
                        use_bias=use_bias, **kwargs)

    absent = {"groups": 1}
    if tf_cls is tf_conv.Conv2DTranspose:
        absent["output_padding"] = None
    return type(tf_cls.__name__, (Layer, tf_cls), {
        "__init__": __init__, "__doc__": doc, "__module__": __name__,
        "get_config": _conv_config, "_absent_config": absent, "_records_build_shape": True})


def _conv_config(self):
    """tf_keras' convolution config: the geometry, then activation, bias and weight options."""
    config = Layer.get_config(self)
    config.update(filters=self.filters, kernel_size=self.kernel_size, strides=self.strides,
                  padding=self.padding, data_format=self.data_format,
                  dilation_rate=self.dilation_rate,
                  activation=activations.serialize(self.activation), use_bias=self.use_bias,
                  **weight_config(self, "kernel", "bias"),
                  activity_regularizer=activity_config(self))
    return config


Conv1D = _keras_conv(tf_conv.Conv1D, 1, "1-D convolution over `[batch, steps, channels]`.")
Conv2D = _keras_conv(tf_conv.Conv2D, 2, """2-D convolution: variables `kernel`
    (`kernel_size + (in, filters)`) and `bias`.

    Example:
        >>> h = tf.keras.layers.Conv2D(32, 3, activation="relu")(x)
    """)
Conv3D = _keras_conv(tf_conv.Conv3D, 3, """3-D convolution over `[batch, depth, rows, cols,
    channels]`: variables `kernel` (`kernel_size + (in, filters)`) and `bias`.

    Example:
        >>> h = tf.keras.layers.Conv3D(8, 3, padding="same")(volumes)
    """)
Conv2DTranspose = _keras_conv(tf_conv.Conv2DTranspose, 2,
                              "Transposed 2-D convolution (kernel `(kh, kw, filters, in)`).")
Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
Convolution2DTranspose = Conv2DTranspose


class SeparableConv2D(Layer, tf_conv.SeparableConv2D):
    """Depthwise then pointwise 2-D convolution: variables `depthwise_kernel`,
    `pointwise_kernel`, `bias`.

    Example:
        >>> tf.keras.layers.SeparableConv2D(64, 3, padding="same")(x)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_initializer=None, kernel_regularizer=None,
                 kernel_constraint=None, **kwargs):
        # tf_keras' config lists kernel_* options that a separable convolution never uses.
        kwargs.update(depthwise_initializer=depthwise_initializer,
                      pointwise_initializer=pointwise_initializer,
                      bias_initializer=bias_initializer)
        tf_conv.SeparableConv2D.__init__(
            self, filters, kernel_size, strides=strides, padding=padding,
            dilation_rate=dilation_rate, depth_multiplier=depth_multiplier, use_bias=use_bias,
            **_conv_args(data_format, activation, kwargs))

    _absent_config = {"groups": 1}
    _records_build_shape = True

    def get_config(self):
        config = _conv_config(self)
        config.update(depth_multiplier=self.depth_multiplier,
                      kernel_initializer=initializers.serialize(initializers.get(
                          "glorot_uniform")),
                      **weight_config(self, "depthwise", "pointwise"))
        return config


SeparableConvolution2D = SeparableConv2D


class DepthwiseConv2D(Conv2D):
    """Per-channel 2-D convolution: variables `depthwise_kernel` (`(kh, kw, in, multiplier)`)
    and `bias` (`in * multiplier`).

    Example:
        >>> tf.keras.layers.DepthwiseConv2D(3, depth_multiplier=2)(x)
    """

    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1,
                 data_format=None, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, depthwise_constraint=None,
                 **kwargs):
        super().__init__(None, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, activation=activation, use_bias=use_bias,
                         bias_initializer=bias_initializer, bias_regularizer=bias_regularizer,
                         **kwargs)
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)

    def get_config(self):
        config = Layer.get_config(self)
        config.update(kernel_size=self.kernel_size, strides=self.strides, padding=self.padding,
                      data_format=self.data_format, dilation_rate=self.dilation_rate,
                      activation=activations.serialize(self.activation), use_bias=self.use_bias,
                      bias_initializer=initializers.serialize(self.bias_initializer),
                      bias_regularizer=regularizers.serialize(self.bias_regularizer),
                      activity_regularizer=activity_config(self),
                      bias_constraint=constraint_config(self.bias_constraint),
                      depth_multiplier=self.depth_multiplier,
                      **weight_config(self, "depthwise"))
        return config

    def _channels(self, input_shape):
        axis = 1 if self.data_format == "channels_first" else -1
        return int(tensor_shape.as_shape(input_shape)[axis])

    def build(self, input_shape):
        channels = self._channels(input_shape)
        self.depthwise_kernel = self.add_weight(
            "depthwise_kernel", shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint)
        self.bias = self.add_weight("bias", shape=(channels * self.depth_multiplier,),
                                    initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer) if self.use_bias else None
        self.built = True

    def call(self, inputs):
        first = self.data_format == "channels_first"
        strides = (1, 1) + self.strides if first else (1,) + self.strides + (1,)
        out = nn.depthwise_conv2d(inputs, self.depthwise_kernel, strides=strides,
                                  padding=self.padding.upper(), rate=self.dilation_rate,
                                  data_format="NCHW" if first else "NHWC")
        if self.use_bias:
            out = nn.bias_add(out, self.bias, data_format="NCHW" if first else "NHWC")
        return self.activation(out) if self.activation is not None else out

    def compute_output_shape(self, input_shape):
        self.filters = self._channels(input_shape) * self.depth_multiplier
        return super().compute_output_shape(input_shape)


class ZeroPadding2D(Layer):
    """Pads rows and columns with zeros: `padding` = int, `(rows, cols)` or
    `((top, bottom), (left, right))`.

    Example:
        >>> tf.keras.layers.ZeroPadding2D(1)(x)     # [N, H+2, W+2, C]
    """

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format or backend.image_data_format()
        if isinstance(padding, int):
            padding = ((padding, padding), (padding, padding))
        elif all(isinstance(p, int) for p in padding):
            padding = ((padding[0], padding[0]), (padding[1], padding[1]))
        self.padding = tuple(tuple(int(v) for v in p) for p in padding)

    def get_config(self):
        config = super().get_config()
        config.update(padding=self.padding, data_format=self.data_format)
        return config

    def call(self, inputs):
        spatial = [list(p) for p in self.padding]
        if self.data_format == "channels_first":
            return pad_ops.pad(inputs, [[0, 0], [0, 0]] + spatial)
        return pad_ops.pad(inputs, [[0, 0]] + spatial + [[0, 0]])


class UpSampling2D(Layer):
    """Repeats rows and columns `size` times (nearest neighbour).

    Example:
        >>> tf.keras.layers.UpSampling2D()(x)       # [N, 2H, 2W, C]
    """

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format or backend.image_data_format()
        self.size = conv_utils.normalize_tuple(size, 2, "size")
        if interpolation not in ("nearest", "bilinear"):
            raise ValueError("interpolation should be one of 'nearest' or 'bilinear'.")
        self.interpolation = interpolation

    def get_config(self):
        config = super().get_config()
        config.update(size=self.size, data_format=self.data_format,
                      interpolation=self.interpolation)
        return config

    def call(self, inputs):
        first = self.data_format == "channels_first"
        x = array_ops.transpose(inputs, [0, 2, 3, 1]) if first else inputs
        h, w = x.shape.as_list()[1:3]
        size = [h * self.size[0], w * self.size[1]]
        with graph_lib.name_scope("resize"):  # as tf.image.resize (v2) names it
            if self.interpolation == "nearest":
                y = image_ops.resize_nearest_neighbor(x, size)
            else:
                y = image_ops.resize_bilinear(x, size, half_pixel_centers=True)
        return array_ops.transpose(y, [0, 3, 1, 2]) if first else y
