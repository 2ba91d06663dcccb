"""Keras convolution layers: `Conv1D`, `Conv2D`, `Conv3D`, `Conv1DTranspose`, `Conv2DTranspose`,
`Conv3DTranspose`, `SeparableConv1D`, `SeparableConv2D`, `DepthwiseConv1D`, `DepthwiseConv2D`, and
the shape layers `ZeroPadding2D`, `UpSampling2D`.

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
from tensorflux.ops import array_ops, image_ops, manip_ops, pad_ops


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
        if tf_cls not in (tf_conv.Conv2DTranspose, tf_conv.Conv3DTranspose):
            kwargs["dilation_rate"] = dilation_rate
        kwargs = _conv_args(data_format, activation, kwargs)
        tf_cls.__init__(self, filters, kernel_size, strides=strides, padding=padding,
                        use_bias=use_bias, **kwargs)

    absent = {"groups": 1}
    if tf_cls in (tf_conv.Conv2DTranspose, tf_conv.Conv3DTranspose):
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
Conv3DTranspose = _keras_conv(tf_conv.Conv3DTranspose, 3, """Transposed 3-D convolution
    (kernel `(kd, kh, kw, filters, in)`); tf_keras' config has no `dilation_rate`.

    Example:
        >>> up = tf.keras.layers.Conv3DTranspose(8, 2, strides=2)(volumes)
    """)


def _conv3d_transpose_config(self):
    config = _conv_config(self)
    del config["dilation_rate"]  # tf_keras' Conv3DTranspose has none
    return config


Conv3DTranspose.get_config = _conv3d_transpose_config


class Conv1DTranspose(Layer):
    """Transposed 1-D convolution over `[batch, steps, channels]`: variables `kernel`
    (`(k, filters, in)`) and `bias`; run as a 2-D one on a height-1 image.

    Example:
        >>> up = tf.keras.layers.Conv1DTranspose(16, 3, strides=2, padding="same")(x)
    """

    _absent_config = {"groups": 1}
    _records_build_shape = True

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.filters = int(filters)
        self.kernel_size = conv_utils.normalize_tuple(kernel_size, 1, "kernel_size")
        self.strides = conv_utils.normalize_tuple(strides, 1, "strides")
        self.padding = conv_utils.normalize_padding(padding)
        self.output_padding = (None if output_padding is None else
                               conv_utils.normalize_tuple(output_padding, 1, "output_padding"))
        self.data_format = data_format or backend.image_data_format()
        self.dilation_rate = conv_utils.normalize_tuple(dilation_rate, 1, "dilation_rate")
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        for key, value in weight_args(kernel_initializer=kernel_initializer,
                                      bias_initializer=bias_initializer,
                                      kernel_regularizer=kernel_regularizer,
                                      bias_regularizer=bias_regularizer,
                                      kernel_constraint=kernel_constraint,
                                      bias_constraint=bias_constraint).items():
            setattr(self, key, value)
        self._activity_regularizer = regularizers.get(activity_regularizer)

    def build(self, input_shape):
        axis = 1 if self.data_format == "channels_first" else -1
        channels = tensor_shape.as_shape(input_shape)[axis].value
        if channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found "
                             "`None`.")
        self.kernel = self.add_weight("kernel", shape=self.kernel_size + (self.filters,
                                                                          int(channels)),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight("bias", shape=(self.filters,),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def _length(self, n):
        pad = None if self.output_padding is None else self.output_padding[0]
        return conv_utils.deconv_output_length(n, self.kernel_size[0], self.padding,
                                               output_padding=pad, stride=self.strides[0],
                                               dilation=self.dilation_rate[0])

    def call(self, inputs):
        first = self.data_format == "channels_first"
        x = array_ops.transpose(inputs, [0, 2, 1]) if first else inputs
        steps = x.shape[1].value
        length = self._length(steps if steps is not None else array_ops.shape(x)[1])
        x = manip_ops.expand_dims(x, 1)
        shape = array_ops.stack([array_ops.shape(x)[0], 1, length, self.filters])
        y = nn.conv2d_transpose(x, manip_ops.expand_dims(self.kernel, 0), shape,
                                [1, 1, self.strides[0], 1], padding=self.padding.upper(),
                                dilations=[1, 1, self.dilation_rate[0], 1])
        y = manip_ops.squeeze(y, [1])
        y.set_shape([None, length if isinstance(length, int) else None, self.filters])
        if self.bias is not None:
            y = nn.bias_add(y, self.bias)
        if first:
            y = array_ops.transpose(y, [0, 2, 1])
        return self.activation(y) if self.activation is not None else y

    def get_config(self):
        config = _conv_config(self)
        config["output_padding"] = self.output_padding
        return config


Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
Convolution1DTranspose = Conv1DTranspose
Convolution2DTranspose, Convolution3DTranspose = Conv2DTranspose, Conv3DTranspose


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


class SeparableConv1D(Layer, tf_conv.SeparableConv1D):
    """Depthwise then pointwise 1-D convolution over `[batch, steps, channels]`: variables
    `depthwise_kernel` (`(k, in, depth_multiplier)`), `pointwise_kernel`, `bias`.

    Example:
        >>> tf.keras.layers.SeparableConv1D(32, 3, padding="same")(x)
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_initializer=None, kernel_regularizer=None,
                 kernel_constraint=None, **kwargs):
        kwargs.update(depthwise_initializer=depthwise_initializer,
                      pointwise_initializer=pointwise_initializer,
                      bias_initializer=bias_initializer)
        tf_conv.SeparableConv1D.__init__(
            self, filters, kernel_size, strides=strides, padding=padding,
            dilation_rate=dilation_rate, depth_multiplier=depth_multiplier, use_bias=use_bias,
            **_conv_args(data_format, activation, kwargs))

    _absent_config = {"groups": 1}
    _records_build_shape = True
    get_config = SeparableConv2D.get_config


SeparableConvolution1D = SeparableConv1D


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


class DepthwiseConv1D(Conv1D):
    """Per-channel 1-D convolution: variables `depthwise_kernel` (`(k, in, multiplier)`) and
    `bias` (`in * multiplier`); run as a 2-D one on a height-1 image.

    Example:
        >>> tf.keras.layers.DepthwiseConv1D(3, depth_multiplier=2)(x)
    """

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, depthwise_constraint=None,
                 **kwargs):
        super().__init__(None, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias,
                         bias_initializer=bias_initializer, bias_regularizer=bias_regularizer,
                         **kwargs)
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)

    get_config = DepthwiseConv2D.get_config
    _channels = DepthwiseConv2D._channels
    build = DepthwiseConv2D.build
    compute_output_shape = DepthwiseConv2D.compute_output_shape

    def call(self, inputs):
        first = self.data_format == "channels_first"
        x = array_ops.transpose(inputs, [0, 2, 1]) if first else inputs
        x = manip_ops.expand_dims(x, 1)
        out = nn.depthwise_conv2d(x, manip_ops.expand_dims(self.depthwise_kernel, 0),
                                  strides=(1, 1, self.strides[0], 1),
                                  padding=self.padding.upper(),
                                  rate=(1, self.dilation_rate[0]), data_format="NHWC")
        if self.use_bias:
            out = nn.bias_add(out, self.bias)
        out = manip_ops.squeeze(out, [1])
        if first:
            out = array_ops.transpose(out, [0, 2, 1])
        return self.activation(out) if self.activation is not None else out


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
