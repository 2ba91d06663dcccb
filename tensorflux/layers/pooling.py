"""Pooling layers: `MaxPooling1D/2D/3D`, `AveragePooling1D/2D/3D` and their functional forms."""

from tensorflux import nn
from tensorflux.graph import tensor_shape
from tensorflux.layers import base, utils
from tensorflux.ops import array_ops, manip_ops


class _Pooling(base.Layer):
    """N-D pooling with `pool_size`, `strides` (default: `pool_size`) and `padding`."""

    _rank = 2
    _mode = "max"

    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last",
                 name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if strides is None:
            strides = pool_size
        n = self._rank
        self.pool_size = utils.normalize_tuple(pool_size, n, "pool_size")
        self.strides = utils.normalize_tuple(strides, n, "strides", allow_zero=True)
        self.padding = utils.normalize_padding(padding)
        self.data_format = utils.normalize_data_format(data_format)
        self.input_spec = base.InputSpec(ndim=n + 2)

    def _pool(self, x, ksize, strides, data_format):
        if self._rank == 3:
            fn = nn.max_pool3d if self._mode == "max" else nn.avg_pool3d
        else:
            fn = nn.max_pool if self._mode == "max" else nn.avg_pool
        return fn(x, ksize=list(ksize), strides=list(strides), padding=self.padding.upper(),
                  data_format=data_format)

    def call(self, inputs):
        first = self.data_format == "channels_first"
        if self._rank == 1:
            # As Keras: add a unit width, pool in NHWC (transposing channels_first), squeeze.
            axis = 3 if first else 2
            x = manip_ops.expand_dims(inputs, axis)
            if first:
                x = array_ops.transpose(x, (0, 2, 3, 1))
            y = self._pool(x, (1,) + self.pool_size + (1, 1), (1,) + self.strides + (1, 1),
                           "NHWC")
            if first:
                y = array_ops.transpose(y, (0, 3, 1, 2))
            return manip_ops.squeeze(y, [axis])
        if self._rank == 2:
            if first:
                return self._pool(inputs, (1, 1) + self.pool_size, (1, 1) + self.strides, "NCHW")
            return self._pool(inputs, (1,) + self.pool_size + (1,), (1,) + self.strides + (1,),
                              "NHWC")
        x = array_ops.transpose(inputs, (0, 2, 3, 4, 1)) if first else inputs
        y = self._pool(x, (1,) + self.pool_size + (1,), (1,) + self.strides + (1,), "NDHWC")
        return array_ops.transpose(y, (0, 4, 1, 2, 3)) if first else y

    def compute_output_shape(self, input_shape):
        dims = list(tensor_shape.as_shape(input_shape).as_list())
        start = 2 if self.data_format == "channels_first" else 1
        for i in range(self._rank):
            dims[start + i] = utils.conv_output_length(dims[start + i], self.pool_size[i],
                                                       self.padding, self.strides[i])
        return tensor_shape.TensorShape(dims)

    def get_config(self):
        config = super().get_config()
        config.update(pool_size=self.pool_size, strides=self.strides, padding=self.padding,
                      data_format=self.data_format)
        return config


def _make(cls_name, rank, mode, doc):
    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last",
                 name=None, **kwargs):
        _Pooling.__init__(self, pool_size, strides, padding=padding, data_format=data_format,
                          name=name, **kwargs)

    return type(cls_name, (_Pooling,), {"__init__": __init__, "_rank": rank, "_mode": mode,
                                        "__doc__": doc, "__module__": __name__})


MaxPooling1D = _make("MaxPooling1D", 1, "max", "Max pooling for 1-D inputs `[N, W, C]`.")
MaxPooling2D = _make("MaxPooling2D", 2, "max", "Max pooling for 2-D inputs `[N, H, W, C]`.")
MaxPooling3D = _make("MaxPooling3D", 3, "max", "Max pooling for 3-D inputs `[N, D, H, W, C]`.")
AveragePooling1D = _make("AveragePooling1D", 1, "avg", "Average pooling for 1-D inputs.")
AveragePooling2D = _make("AveragePooling2D", 2, "avg", "Average pooling for 2-D inputs.")
AveragePooling3D = _make("AveragePooling3D", 3, "avg", "Average pooling for 3-D inputs.")


def _pool_fn(cls, inputs, pool_size, strides, padding, data_format, name):
    layer = cls(pool_size=pool_size, strides=strides, padding=padding, data_format=data_format,
                name=name)
    return layer(inputs)


def max_pooling1d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                  name=None):
    """Functional interface for 1-D max pooling."""
    return _pool_fn(MaxPooling1D, inputs, pool_size, strides, padding, data_format, name)


def max_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                  name=None):
    """Functional interface for 2-D max pooling.

    Example:
        >>> pool1 = tf.layers.max_pooling2d(inputs=conv1, pool_size=[2, 2], strides=2)
    """
    return _pool_fn(MaxPooling2D, inputs, pool_size, strides, padding, data_format, name)


def max_pooling3d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                  name=None):
    """Functional interface for 3-D max pooling."""
    return _pool_fn(MaxPooling3D, inputs, pool_size, strides, padding, data_format, name)


def average_pooling1d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                      name=None):
    """Functional interface for 1-D average pooling."""
    return _pool_fn(AveragePooling1D, inputs, pool_size, strides, padding, data_format, name)


def average_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                      name=None):
    """Functional interface for 2-D average pooling."""
    return _pool_fn(AveragePooling2D, inputs, pool_size, strides, padding, data_format, name)


def average_pooling3d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                      name=None):
    """Functional interface for 3-D average pooling."""
    return _pool_fn(AveragePooling3D, inputs, pool_size, strides, padding, data_format, name)


# TF 1.x aliases
AvgPool2D = AveragePooling2D
MaxPool2D = MaxPooling2D
max_pool2d = max_pooling2d
avg_pool2d = average_pooling2d
