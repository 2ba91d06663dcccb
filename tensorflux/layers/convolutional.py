"""Convolution layers: `Conv1D/2D/3D`, `Conv2DTranspose`, `Conv3DTranspose`,
`SeparableConv1D/2D`, and their functional forms (`conv2d`, `conv2d_transpose`, …)."""

from tensorflux import nn
from tensorflux.graph import tensor_shape
from tensorflux.layers import base, utils
from tensorflux.layers.core import get_activation
from tensorflux.ops import array_ops, init_ops, manip_ops, pad_ops


def _bias_format(data_format):
    return "NCHW" if data_format == "channels_first" else "NHWC"


class _Conv(base.Layer):
    """N-D convolution (N = `rank`) plus bias and activation; kernel `kernel_size + [in, out]`."""

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid",
                 data_format="channels_last", dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer=None, bias_initializer=init_ops.zeros_initializer(),
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(trainable=trainable, name=name,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        if isinstance(filters, float):
            filters = int(filters)
        if filters is not None and filters <= 0:
            raise ValueError("Invalid value for argument `filters`. Expected a strictly positive "
                             "value. Received filters=%s." % filters)
        self.filters = filters
        self.kernel_size = utils.normalize_tuple(kernel_size, rank, "kernel_size")
        self.strides = utils.normalize_tuple(strides, rank, "strides", allow_zero=True)
        self.padding = utils.normalize_padding(padding)
        self.data_format = utils.normalize_data_format(data_format)
        self.dilation_rate = utils.normalize_tuple(dilation_rate, rank, "dilation_rate")
        self.activation = get_activation(activation)
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint
        self.input_spec = base.InputSpec(min_ndim=rank + 2)
        self._validate_init()

    def _validate_init(self):
        if not all(self.strides):
            raise ValueError("The argument `strides` cannot contains 0(s). Received: %s"
                             % (self.strides,))
        if self.padding == "causal" and type(self).__name__ not in ("Conv1D", "SeparableConv1D"):
            raise ValueError("Causal padding is only supported for `Conv1D`and "
                             "`SeparableConv1D`.")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError("`strides > 1` not supported in conjunction with `dilation_rate > "
                             "1`. Received: strides=%s and dilation_rate=%s"
                             % (self.strides, self.dilation_rate))

    def _channel_axis(self):
        return -1 - self.rank if self.data_format == "channels_first" else -1

    def _input_channel(self, input_shape):
        axis = self._channel_axis()
        if input_shape[axis].value is None:
            raise ValueError("The channel dimension of the inputs should be defined. The "
                             "input_shape received is %s, where axis %d (0-based) is the channel "
                             "dimension, which found to be `None`." % (input_shape, axis))
        return int(input_shape[axis])

    def build(self, input_shape):
        input_shape = tensor_shape.as_shape(input_shape)
        channels = self._input_channel(input_shape)
        self.compute_output_shape(input_shape)
        self.kernel = self.add_weight(name="kernel",
                                      shape=self.kernel_size + (channels, self.filters),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, trainable=True,
                                      dtype=self.dtype)
        self._add_bias()
        self.input_spec = base.InputSpec(min_ndim=self.rank + 2,
                                         axes={self._channel_axis(): channels})
        self.built = True

    def _add_bias(self):
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.filters,),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint, trainable=True,
                                        dtype=self.dtype)
        else:
            self.bias = None

    def _op_padding(self):
        return "VALID" if self.padding == "causal" else self.padding.upper()

    def _causal_pad(self, inputs):
        left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
        batch_rank = inputs.shape.ndims - 2 if inputs.shape.ndims is not None else 1
        if self.data_format == "channels_last":
            pads = [[0, 0]] * batch_rank + [[left, 0], [0, 0]]
        else:
            pads = [[0, 0]] * batch_rank + [[0, 0], [left, 0]]
        return pad_ops.pad(inputs, pads)

    def _convolution(self, inputs, kernel):
        fmt = utils.convert_data_format(self.data_format, self.rank + 2)
        first = self.data_format == "channels_first"
        name = type(self).__name__
        if self.rank == 1:
            return nn.conv1d(inputs, kernel, stride=self.strides[0], padding=self._op_padding(),
                             data_format=fmt, dilations=self.dilation_rate[0], name=name)
        strides = [1] + list(self.strides) + [1]
        dilations = [1] + list(self.dilation_rate) + [1]
        if first:
            strides = [1, 1] + list(self.strides)
            dilations = [1, 1] + list(self.dilation_rate)
        conv = nn.conv2d if self.rank == 2 else nn.conv3d
        return conv(inputs, kernel, strides=strides, padding=self._op_padding(), data_format=fmt,
                    dilations=dilations, name=name)

    def call(self, inputs):
        input_shape = inputs.shape
        if self.padding == "causal":
            inputs = self._causal_pad(inputs)
        outputs = self._convolution(inputs, self.kernel)
        if self.use_bias:
            if self.rank == 1 and self.data_format == "channels_first":
                outputs = outputs + array_ops.reshape(self.bias, (1, self.filters, 1))
            else:
                outputs = nn.bias_add(outputs, self.bias,
                                         data_format=_bias_format(self.data_format))
        if input_shape.ndims:
            outputs.set_shape(self.compute_output_shape(input_shape))
        if self.activation is not None:
            return self.activation(outputs)
        return outputs

    def _spatial_output_shape(self, spatial):
        return [utils.conv_output_length(n, self.kernel_size[i], padding=self.padding,
                                         stride=self.strides[i], dilation=self.dilation_rate[i])
                for i, n in enumerate(spatial)]

    def compute_output_shape(self, input_shape):
        dims = tensor_shape.as_shape(input_shape).as_list()
        batch_rank = len(dims) - self.rank - 1
        if self.data_format == "channels_last":
            out = dims[:batch_rank] + self._spatial_output_shape(dims[batch_rank:-1]) + [
                self.filters]
        else:
            out = dims[:batch_rank] + [self.filters] + self._spatial_output_shape(
                dims[batch_rank + 1:])
        if any(d is not None and d < 0 for d in out):
            raise ValueError("One of the dimensions in the output is <= 0 due to downsampling in "
                             "%s. Consider increasing the input size. Received input shape %s "
                             "which would produce output shape with a zero or negative value in "
                             "a dimension." % (self.name, dims))
        return tensor_shape.TensorShape(out)

    def get_config(self):
        config = super().get_config()
        config.update(filters=self.filters, kernel_size=self.kernel_size, strides=self.strides,
                      padding=self.padding, data_format=self.data_format,
                      dilation_rate=self.dilation_rate, use_bias=self.use_bias)
        return config


_CONV_DOC = """{rank}-D convolution layer (`tf.layers.{cls}`): variables `kernel` of shape
    `kernel_size + [in_channels, filters]` and `bias` of shape `[filters]`.

    Example:
        >>> y = tf.layers.{cls}(filters=32, kernel_size={ks})(x)
    """


class Conv1D(_Conv):
    __doc__ = _CONV_DOC.format(rank=1, cls="Conv1D", ks=5)

    def __init__(self, filters, kernel_size, strides=1, padding="valid",
                 data_format="channels_last", dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer=None, bias_initializer=init_ops.zeros_initializer(),
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(1, filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer,
                         kernel_constraint, bias_constraint, trainable, name, **kwargs)


class Conv2D(_Conv):
    __doc__ = _CONV_DOC.format(rank=2, cls="Conv2D", ks="[5, 5]")

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format="channels_last", dilation_rate=(1, 1), activation=None,
                 use_bias=True, kernel_initializer=None,
                 bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, trainable=True, name=None, **kwargs):
        super().__init__(2, filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer,
                         kernel_constraint, bias_constraint, trainable, name, **kwargs)


class Conv3D(_Conv):
    __doc__ = _CONV_DOC.format(rank=3, cls="Conv3D", ks="[3, 3, 3]")

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid",
                 data_format="channels_last", dilation_rate=(1, 1, 1), activation=None,
                 use_bias=True, kernel_initializer=None,
                 bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, trainable=True, name=None, **kwargs):
        super().__init__(3, filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation, use_bias, kernel_initializer, bias_initializer,
                         kernel_regularizer, bias_regularizer, activity_regularizer,
                         kernel_constraint, bias_constraint, trainable, name, **kwargs)


class _ConvTranspose(_Conv):
    """Transposed convolution; kernel `kernel_size + [filters, in_channels]`."""

    def build(self, input_shape):
        input_shape = tensor_shape.as_shape(input_shape)
        if input_shape.ndims != self.rank + 2:
            raise ValueError("Inputs should have rank %d. Received input_shape=%s."
                             % (self.rank + 2, input_shape))
        axis = self._channel_axis()
        if input_shape[axis].value is None:
            raise ValueError("The channel dimension of the inputs to `%s` should be defined. "
                             "The input_shape received is %s, where axis %d (0-based) is the "
                             "channel dimension, which found to be `None`."
                             % (type(self).__name__, input_shape, axis))
        channels = int(input_shape[axis])
        self.input_spec = base.InputSpec(ndim=self.rank + 2, axes={axis: channels})
        self.kernel = self.add_weight(name="kernel",
                                      shape=self.kernel_size + (self.filters, channels),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, trainable=True,
                                      dtype=self.dtype)
        self._add_bias()
        self.built = True

    def _spatial_axes(self):
        start = 2 if self.data_format == "channels_first" else 1
        return list(range(start, start + self.rank))

    def _out_lengths(self, dims):
        return [utils.deconv_output_length(n, self.kernel_size[i], padding=self.padding,
                                           stride=self.strides[i],
                                           dilation=self.dilation_rate[i])
                for i, n in enumerate(dims)]

    def call(self, inputs):
        dyn = array_ops.shape(inputs)
        static = inputs.shape.as_list() if inputs.shape.ndims is not None else [None] * (
            self.rank + 2)
        spatial = [static[a] if static[a] is not None else dyn[a]
                   for a in self._spatial_axes()]
        out_spatial = self._out_lengths(spatial)
        first = self.data_format == "channels_first"
        x = inputs
        if first:  # TF on CPU transposes to channels_last around the op
            perm = [0] + list(range(2, self.rank + 2)) + [1]
            x = array_ops.transpose(inputs, perm)
        output_shape = array_ops.stack([dyn[0]] + out_spatial + [self.filters])
        strides = [1] + list(self.strides) + [1]
        if self.rank == 2:
            outputs = nn.conv2d_transpose(x, self.kernel, output_shape, strides,
                                          padding=self.padding.upper(), data_format="NHWC")
        else:
            outputs = nn.conv3d_transpose(x, self.kernel, output_shape, strides,
                                          padding=self.padding.upper(), data_format="NDHWC")
        if first:
            perm = [0, self.rank + 1] + list(range(1, self.rank + 1))
            outputs = array_ops.transpose(outputs, perm)
        if inputs.shape.ndims:
            outputs.set_shape(self.compute_output_shape(inputs.shape))
        if self.use_bias:
            outputs = nn.bias_add(outputs, self.bias, data_format=_bias_format(self.data_format))
        if self.activation is not None:
            return self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        dims = list(tensor_shape.as_shape(input_shape).as_list())
        axes = self._spatial_axes()
        for a, n in zip(axes, self._out_lengths([dims[a] for a in axes])):
            dims[a] = n
        dims[1 if self.data_format == "channels_first" else -1] = self.filters
        return tensor_shape.TensorShape(dims)


class Conv2DTranspose(_ConvTranspose):
    """Transposed 2-D convolution (`tf.layers.Conv2DTranspose`): variables `kernel` of shape
    `[kh, kw, filters, in_channels]` and `bias`.

    Example:
        >>> up = tf.layers.Conv2DTranspose(32, [3, 3], strides=2, padding="same")(x)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format="channels_last", activation=None, use_bias=True,
                 kernel_initializer=None, bias_initializer=init_ops.zeros_initializer(),
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(2, filters, kernel_size, strides, padding, data_format, 1, activation,
                         use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                         bias_regularizer, activity_regularizer, kernel_constraint,
                         bias_constraint, trainable, name, **kwargs)


class Conv3DTranspose(_ConvTranspose):
    """Transposed 3-D convolution: `kernel` of shape `[kd, kh, kw, filters, in_channels]`."""

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid",
                 data_format="channels_last", activation=None, use_bias=True,
                 kernel_initializer=None, bias_initializer=init_ops.zeros_initializer(),
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(3, filters, kernel_size, strides, padding, data_format, 1, activation,
                         use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                         bias_regularizer, activity_regularizer, kernel_constraint,
                         bias_constraint, trainable, name, **kwargs)


class _SeparableConv(_Conv):
    """Depthwise convolution then a 1x1 pointwise one: variables `depthwise_kernel`
    (`kernel_size + [in, depth_multiplier]`), `pointwise_kernel` (`[1.., in*dm, filters]`),
    `bias`."""

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid",
                 data_format="channels_last", dilation_rate=1, depth_multiplier=1,
                 activation=None, use_bias=True, depthwise_initializer=None,
                 pointwise_initializer=None, bias_initializer=init_ops.zeros_initializer(),
                 depthwise_regularizer=None, pointwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, pointwise_constraint=None,
                 bias_constraint=None, trainable=True, name=None, **kwargs):
        super().__init__(rank, filters, kernel_size, strides, padding, data_format,
                         dilation_rate, activation, use_bias, None, bias_initializer, None,
                         bias_regularizer, activity_regularizer, None, bias_constraint,
                         trainable, name, **kwargs)
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer = depthwise_initializer
        self.pointwise_initializer = pointwise_initializer
        self.depthwise_regularizer = depthwise_regularizer
        self.pointwise_regularizer = pointwise_regularizer
        self.depthwise_constraint = depthwise_constraint
        self.pointwise_constraint = pointwise_constraint

    def build(self, input_shape):
        input_shape = tensor_shape.as_shape(input_shape)
        channels = self._input_channel(input_shape)
        self.input_spec = base.InputSpec(ndim=self.rank + 2,
                                         axes={self._channel_axis(): channels})
        self.depthwise_kernel = self.add_weight(
            name="depthwise_kernel", shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint, trainable=True, dtype=self.dtype)
        self.pointwise_kernel = self.add_weight(
            name="pointwise_kernel",
            shape=(1,) * self.rank + (self.depth_multiplier * channels, self.filters),
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint, trainable=True, dtype=self.dtype)
        self._add_bias()
        self.built = True


class SeparableConv1D(_SeparableConv):
    """Depthwise-separable 1-D convolution (`tf.layers.SeparableConv1D`)."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid",
                 data_format="channels_last", dilation_rate=1, depth_multiplier=1,
                 activation=None, use_bias=True, depthwise_initializer=None,
                 pointwise_initializer=None, bias_initializer=init_ops.zeros_initializer(),
                 depthwise_regularizer=None, pointwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, pointwise_constraint=None,
                 bias_constraint=None, trainable=True, name=None, **kwargs):
        super().__init__(1, filters, kernel_size, strides, padding, data_format, dilation_rate,
                         depth_multiplier, activation, use_bias, depthwise_initializer,
                         pointwise_initializer, bias_initializer, depthwise_regularizer,
                         pointwise_regularizer, bias_regularizer, activity_regularizer,
                         depthwise_constraint, pointwise_constraint, bias_constraint, trainable,
                         name, **kwargs)

    def call(self, inputs):
        if self.padding == "causal":
            inputs = self._causal_pad(inputs)
        first = self.data_format == "channels_first"
        strides = (1, 1) + self.strides * 2 if first else (1,) + self.strides * 2 + (1,)
        start = 2 if first else 1
        inputs = manip_ops.expand_dims(inputs, start)
        depthwise = manip_ops.expand_dims(self.depthwise_kernel, 0)
        pointwise = manip_ops.expand_dims(self.pointwise_kernel, 0)
        outputs = nn.separable_conv2d(inputs, depthwise, pointwise, strides=list(strides),
                                         padding=self._op_padding(),
                                         rate=(1,) + self.dilation_rate,
                                         data_format=utils.convert_data_format(
                                             self.data_format, 4))
        if self.use_bias:
            outputs = nn.bias_add(outputs, self.bias,
                                     data_format=_bias_format(self.data_format))
        outputs = manip_ops.squeeze(outputs, [start])
        if self.activation is not None:
            return self.activation(outputs)
        return outputs


class SeparableConv2D(_SeparableConv):
    """Depthwise-separable 2-D convolution (`tf.layers.SeparableConv2D`).

    Example:
        >>> y = tf.layers.SeparableConv2D(64, 3, padding="same")(x)
        >>> # variables: separable_conv2d/depthwise_kernel, pointwise_kernel, bias
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format="channels_last", dilation_rate=(1, 1), depth_multiplier=1,
                 activation=None, use_bias=True, depthwise_initializer=None,
                 pointwise_initializer=None, bias_initializer=init_ops.zeros_initializer(),
                 depthwise_regularizer=None, pointwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, pointwise_constraint=None,
                 bias_constraint=None, trainable=True, name=None, **kwargs):
        super().__init__(2, filters, kernel_size, strides, padding, data_format, dilation_rate,
                         depth_multiplier, activation, use_bias, depthwise_initializer,
                         pointwise_initializer, bias_initializer, depthwise_regularizer,
                         pointwise_regularizer, bias_regularizer, activity_regularizer,
                         depthwise_constraint, pointwise_constraint, bias_constraint, trainable,
                         name, **kwargs)

    def call(self, inputs):
        first = self.data_format == "channels_first"
        strides = (1, 1) + self.strides if first else (1,) + self.strides + (1,)
        outputs = nn.separable_conv2d(inputs, self.depthwise_kernel, self.pointwise_kernel,
                                         strides=list(strides), padding=self.padding.upper(),
                                         rate=self.dilation_rate,
                                         data_format=utils.convert_data_format(
                                             self.data_format, 4))
        if self.use_bias:
            outputs = nn.bias_add(outputs, self.bias,
                                     data_format=_bias_format(self.data_format))
        if self.activation is not None:
            return self.activation(outputs)
        return outputs


# --- functional forms ---------------------------------------------------------------------------
def _conv_fn(cls, inputs, filters, kernel_size, reuse, name, **kwargs):
    layer = cls(filters=filters, kernel_size=kernel_size, name=name, _reuse=reuse, _scope=name,
                **kwargs)
    return layer(inputs)


def conv1d(inputs, filters, kernel_size, strides=1, padding="valid", data_format="channels_last",
           dilation_rate=1, activation=None, use_bias=True, kernel_initializer=None,
           bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None,
           bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
           bias_constraint=None, trainable=True, name=None, reuse=None):
    """Functional interface for 1-D convolution (`Conv1D`)."""
    return _conv_fn(Conv1D, inputs, filters, kernel_size, reuse, name, strides=strides,
                    padding=padding, data_format=data_format, dilation_rate=dilation_rate,
                    activation=activation, use_bias=use_bias,
                    kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                    kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                    activity_regularizer=activity_regularizer,
                    kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                    trainable=trainable)


def conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
           data_format="channels_last", dilation_rate=(1, 1), activation=None, use_bias=True,
           kernel_initializer=None, bias_initializer=init_ops.zeros_initializer(),
           kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
           kernel_constraint=None, bias_constraint=None, trainable=True, name=None, reuse=None):
    """Functional interface for 2-D convolution (`Conv2D`).

    Example:
        >>> conv1 = tf.layers.conv2d(inputs=x, filters=32, kernel_size=[5, 5], padding="same",
        ...                          activation=tf.nn.relu)   # conv2d/kernel, conv2d/bias
    """
    return _conv_fn(Conv2D, inputs, filters, kernel_size, reuse, name, strides=strides,
                    padding=padding, data_format=data_format, dilation_rate=dilation_rate,
                    activation=activation, use_bias=use_bias,
                    kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                    kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                    activity_regularizer=activity_regularizer,
                    kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                    trainable=trainable)


def conv3d(inputs, filters, kernel_size, strides=(1, 1, 1), padding="valid",
           data_format="channels_last", dilation_rate=(1, 1, 1), activation=None, use_bias=True,
           kernel_initializer=None, bias_initializer=init_ops.zeros_initializer(),
           kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
           kernel_constraint=None, bias_constraint=None, trainable=True, name=None, reuse=None):
    """Functional interface for 3-D convolution (`Conv3D`)."""
    return _conv_fn(Conv3D, inputs, filters, kernel_size, reuse, name, strides=strides,
                    padding=padding, data_format=data_format, dilation_rate=dilation_rate,
                    activation=activation, use_bias=use_bias,
                    kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                    kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                    activity_regularizer=activity_regularizer,
                    kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                    trainable=trainable)


def conv2d_transpose(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
                     data_format="channels_last", activation=None, use_bias=True,
                     kernel_initializer=None, bias_initializer=init_ops.zeros_initializer(),
                     kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                     kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                     reuse=None):
    """Functional interface for transposed 2-D convolution (`Conv2DTranspose`).

    Example:
        >>> up = tf.layers.conv2d_transpose(x, filters=32, kernel_size=[3, 3], strides=[2, 2],
        ...                                 padding="SAME")
    """
    return _conv_fn(Conv2DTranspose, inputs, filters, kernel_size, reuse, name,
                    strides=strides, padding=padding, data_format=data_format,
                    activation=activation, use_bias=use_bias,
                    kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                    kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                    activity_regularizer=activity_regularizer,
                    kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                    trainable=trainable)


def conv3d_transpose(inputs, filters, kernel_size, strides=(1, 1, 1), padding="valid",
                     data_format="channels_last", activation=None, use_bias=True,
                     kernel_initializer=None, bias_initializer=init_ops.zeros_initializer(),
                     kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                     kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                     reuse=None):
    """Functional interface for transposed 3-D convolution (`Conv3DTranspose`)."""
    return _conv_fn(Conv3DTranspose, inputs, filters, kernel_size, reuse, name,
                    strides=strides, padding=padding, data_format=data_format,
                    activation=activation, use_bias=use_bias,
                    kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                    kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                    activity_regularizer=activity_regularizer,
                    kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                    trainable=trainable)


def separable_conv1d(inputs, filters, kernel_size, strides=1, padding="valid",
                     data_format="channels_last", dilation_rate=1, depth_multiplier=1,
                     activation=None, use_bias=True, depthwise_initializer=None,
                     pointwise_initializer=None, bias_initializer=init_ops.zeros_initializer(),
                     depthwise_regularizer=None, pointwise_regularizer=None,
                     bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                     pointwise_constraint=None, bias_constraint=None, trainable=True, name=None,
                     reuse=None):
    """Functional interface for the depthwise-separable 1-D convolution."""
    return _conv_fn(SeparableConv1D, inputs, filters, kernel_size, reuse, name,
                         strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, depth_multiplier=depth_multiplier,
                         activation=activation, use_bias=use_bias,
                         depthwise_initializer=depthwise_initializer,
                         pointwise_initializer=pointwise_initializer,
                         bias_initializer=bias_initializer,
                         depthwise_regularizer=depthwise_regularizer,
                         pointwise_regularizer=pointwise_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         depthwise_constraint=depthwise_constraint,
                         pointwise_constraint=pointwise_constraint,
                         bias_constraint=bias_constraint, trainable=trainable)


def separable_conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
                     data_format="channels_last", dilation_rate=(1, 1), depth_multiplier=1,
                     activation=None, use_bias=True, depthwise_initializer=None,
                     pointwise_initializer=None, bias_initializer=init_ops.zeros_initializer(),
                     depthwise_regularizer=None, pointwise_regularizer=None,
                     bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                     pointwise_constraint=None, bias_constraint=None, trainable=True, name=None,
                     reuse=None):
    """Functional interface for the depthwise-separable 2-D convolution."""
    return _conv_fn(SeparableConv2D, inputs, filters, kernel_size, reuse, name,
                         strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, depth_multiplier=depth_multiplier,
                         activation=activation, use_bias=use_bias,
                         depthwise_initializer=depthwise_initializer,
                         pointwise_initializer=pointwise_initializer,
                         bias_initializer=bias_initializer,
                         depthwise_regularizer=depthwise_regularizer,
                         pointwise_regularizer=pointwise_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         depthwise_constraint=depthwise_constraint,
                         pointwise_constraint=pointwise_constraint,
                         bias_constraint=bias_constraint, trainable=trainable)


# TF 1.x aliases
Convolution1D = Conv1D
Convolution2D = Conv2D
Convolution3D = Conv3D
SeparableConvolution2D = SeparableConv2D
Convolution2DTranspose = Deconvolution2D = Deconv2D = Conv2DTranspose
Convolution3DTranspose = Deconvolution3D = Deconv3D = Conv3DTranspose
convolution1d = conv1d
convolution2d = conv2d
convolution3d = conv3d
separable_convolution2d = separable_conv2d
convolution2d_transpose = deconvolution2d = deconv2d = conv2d_transpose
convolution3d_transpose = deconvolution3d = deconv3d = conv3d_transpose

