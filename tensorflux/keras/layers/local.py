"""Keras locally connected layers: `LocallyConnected1D`, `LocallyConnected2D` (tf_keras 2).

A locally connected layer is a convolution whose weights are not shared: every output position
has its own kernel. tf_keras stores those weights in one of three layouts, chosen by
`implementation` (the layout of an `.h5` file follows it):

- 1: `kernel` `[output positions, prod(kernel_size) * channels, filters]`, the patch flattened
  as the input's layout (`(rows, cols, channels)`, or `(channels, rows, cols)` with
  `channels_first`); "valid" padding only.
- 2: a dense `kernel` `(input spatial..., channels, output spatial..., filters)` (channels
  first: `(channels, input spatial..., filters, output spatial...)`) of which only the
  connected entries are used.
- 3: `kernel` `[n]`, the values of the connected entries in the sorted order of
  `(output index, input index)` pairs (tf_keras' sparse layout).

All three compute the same function here: the kernel becomes one dense matrix
`[input size, output size]` (a scatter of the stored values at connection indices worked out
once from the static shapes, or the masked dense kernel for 2), then
`output = reshape(flat_inputs @ matrix) + bias`. `bias` is `(output spatial..., filters)`,
added (as tf_keras does) after a plain reshape to `(1, filters, output spatial...)` for
channels_first.
"""

import itertools

import numpy as np

from tensorflux.graph import dtypes
from tensorflux.keras import activations, backend, regularizers
from tensorflux.keras.engine.base_layer import Layer
from tensorflux.keras.layers.core import (
    activation_fn,
    activity_config,
    weight_args,
    weight_config,
)
from tensorflux.layers import utils as conv_utils
from tensorflux.ops import array_ops, constant_op, gather_ops, linalg_ops


def _connected_inputs(in_shape, kernel_size, out_pos, strides, padding):
    """tf_keras' `conv_connected_inputs`: the input ranges one output position sees."""
    ranges = []
    for d, size in enumerate(in_shape):
        left = kernel_size[d] // 2
        right = kernel_size[d] - left
        center = out_pos[d] * strides[d] + (left if padding == "valid" else 0)
        ranges.append(range(max(0, center - left), min(size, center + right)))
    return ranges


class _LocallyConnected(Layer):
    """Shared geometry, weights and maths of the 1-D and 2-D layers."""

    _rank = 1

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 implementation=1, **kwargs):
        super().__init__(**kwargs)
        rank = self._rank
        self.filters = int(filters)
        self.kernel_size = conv_utils.normalize_tuple(kernel_size, rank, "kernel_size")
        self.strides = conv_utils.normalize_tuple(strides, rank, "strides")
        self.padding = conv_utils.normalize_padding(padding)
        if self.padding != "valid" and implementation == 1:
            raise ValueError("Invalid border mode for %s (only \"valid\" is supported if "
                             "implementation is 1): %s" % (type(self).__name__, padding))
        self.data_format = conv_utils.normalize_data_format(
            data_format or backend.image_data_format())
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        args = weight_args(kernel_initializer=kernel_initializer,
                           bias_initializer=bias_initializer,
                           kernel_regularizer=kernel_regularizer,
                           bias_regularizer=bias_regularizer,
                           kernel_constraint=kernel_constraint,
                           bias_constraint=bias_constraint)
        for key, value in args.items():
            setattr(self, key, value)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        if implementation not in (1, 2, 3):
            raise ValueError("Unrecognized implementation mode: %d." % implementation)
        self.implementation = implementation

    _records_build_shape = True

    # --- geometry ---------------------------------------------------------------------------
    def _split_shape(self, shape):
        """`(spatial sizes, channels)` of an input shape without the batch."""
        if self.data_format == "channels_first":
            return tuple(shape[1:]), shape[0]
        return tuple(shape[:-1]), shape[-1]

    def _out_spatial(self, in_spatial):
        return tuple(conv_utils.conv_output_length(n, k, self.padding, s)
                     for n, k, s in zip(in_spatial, self.kernel_size, self.strides))

    def _layout(self, spatial, channels):
        """Shape of a sample (no batch) in this layer's data format."""
        if self.data_format == "channels_first":
            return (channels,) + tuple(spatial)
        return tuple(spatial) + (channels,)

    def _index(self, position, channel, spatial, channels):
        first = self.data_format == "channels_first"
        pos = (channel,) + tuple(position) if first else tuple(position) + (channel,)
        return int(np.ravel_multi_index(pos, self._layout(spatial, channels)))

    def _connections(self):
        """`(output position, [connected input positions])` in row-major output order."""
        for out_pos in itertools.product(*[range(n) for n in self._out_sp]):
            ranges = _connected_inputs(self._in_sp, self.kernel_size, out_pos, self.strides,
                                       self.padding)
            yield out_pos, list(itertools.product(*ranges))

    # --- weights ----------------------------------------------------------------------------
    def build(self, input_shape):
        shape = input_shape.as_list() if hasattr(input_shape, "as_list") else list(input_shape)
        shape = [int(d) if d is not None and not hasattr(d, "value") else
                 (d.value if hasattr(d, "value") else None) for d in shape]
        spatial, channels = self._split_shape(shape[1:])
        if channels is None:
            raise ValueError("Axis %d of input should be fully-defined. Found shape: %s"
                             % (1 if self.data_format == "channels_first" else len(shape) - 1,
                                shape))
        if any(n is None for n in spatial):
            raise ValueError("The spatial dimensions of the inputs to %s should be defined. "
                             "Found shape: %s" % (self.name, shape))
        self._in_sp, self._channels = spatial, channels
        self._out_sp = self._out_spatial(spatial)
        if any(n <= 0 for n in self._out_sp):
            raise ValueError("One of the dimensions in the output is <= 0 due to downsampling "
                             "in %s. Consider increasing the input size. Received input shape "
                             "%s which would produce output shape with a zero or negative "
                             "value in a dimension." % (self.name, shape))
        first = self.data_format == "channels_first"
        if self.implementation == 1:
            kernel_shape = (int(np.prod(self._out_sp)),
                            int(np.prod(self.kernel_size)) * channels, self.filters)
        elif self.implementation == 2:
            kernel_shape = ((channels,) + spatial + (self.filters,) + self._out_sp if first
                            else spatial + (channels,) + self._out_sp + (self.filters,))
        else:
            kernel_shape = (len(self._sparse_pairs()),)
        self.kernel = self.add_weight("kernel", shape=kernel_shape,
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight("bias", shape=self._out_sp + (self.filters,),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def _sparse_pairs(self):
        """tf_keras' sorted `(output index, input index)` pairs (implementation 3)."""
        pairs = []
        for out_pos, in_positions in self._connections():
            for in_pos in in_positions:
                for c in range(self._channels):
                    for f in range(self.filters):
                        pairs.append((self._index(out_pos, f, self._out_sp, self.filters),
                                      self._index(in_pos, c, self._in_sp, self._channels)))
        return sorted(pairs)

    def _dense_indices(self):
        """`[input index, output index]` of each stored kernel value, in storage order
        (implementations 1 and 3)."""
        if self.implementation == 3:
            return [(i, o) for o, i in self._sparse_pairs()]
        first = self.data_format == "channels_first"
        out = []
        for out_pos, in_positions in self._connections():
            patch = ([(p, c) for c in range(self._channels) for p in in_positions] if first
                     else [(p, c) for p in in_positions for c in range(self._channels)])
            for in_pos, c in patch:
                in_idx = self._index(in_pos, c, self._in_sp, self._channels)
                for f in range(self.filters):
                    out.append((in_idx, self._index(out_pos, f, self._out_sp, self.filters)))
        return out

    def _mask(self):
        """Implementation 2's 0/1 mask, shaped like its kernel (with size-1 channel axes)."""
        mask = np.zeros(self._in_sp + self._out_sp, dtype=np.float32)
        for out_pos, in_positions in self._connections():
            for in_pos in in_positions:
                mask[tuple(in_pos) + tuple(out_pos)] = 1.0
        if self.data_format == "channels_first":
            return mask.reshape((1,) + self._in_sp + (1,) + self._out_sp)
        return mask.reshape(self._in_sp + (1,) + self._out_sp + (1,))

    def _matrix(self):
        """The kernel as a dense `[input size, output size]` matrix."""
        in_size = int(np.prod(self._in_sp)) * self._channels
        out_size = int(np.prod(self._out_sp)) * self.filters
        if self.implementation == 2:
            mask = constant_op.constant(self._mask(), dtype=self.kernel.dtype.base_dtype)
            return array_ops.reshape(self.kernel * mask, [in_size, out_size])
        indices = constant_op.constant(np.array(self._dense_indices(), dtype=np.int64),
                                       dtype=dtypes.int64)
        values = array_ops.reshape(self.kernel, [-1])
        return gather_ops.scatter_nd(indices, values,
                                     constant_op.constant([in_size, out_size],
                                                          dtype=dtypes.int64))

    # --- calling ----------------------------------------------------------------------------
    def call(self, inputs):
        in_size = int(np.prod(self._in_sp)) * self._channels
        flat = array_ops.reshape(inputs, [-1, in_size])
        out = linalg_ops.matmul(flat, self._matrix())
        out = array_ops.reshape(out, [-1] + list(self._layout(self._out_sp, self.filters)))
        if self.bias is not None:
            if self.data_format == "channels_first":
                out = out + array_ops.reshape(self.bias, [1, self.filters] + list(self._out_sp))
            else:
                out = out + self.bias
        fn = activation_fn(self.activation)
        return fn(out) if fn is not None else out

    def compute_output_shape(self, input_shape):
        shape = input_shape.as_list() if hasattr(input_shape, "as_list") else list(input_shape)
        spatial, _ = self._split_shape(shape[1:])
        out = tuple(None if n is None else o for n, o in
                    zip(spatial, self._out_spatial(tuple(n or 0 for n in spatial))))
        return [shape[0]] + list(self._layout(out, self.filters))

    def get_config(self):
        config = super().get_config()
        config.update(filters=self.filters, kernel_size=self.kernel_size,
                      strides=self.strides, padding=self.padding,
                      data_format=self.data_format,
                      activation=activations.serialize(self.activation),
                      use_bias=self.use_bias, **weight_config(self, "kernel", "bias"),
                      activity_regularizer=activity_config(self),
                      implementation=self.implementation)
        return config


class LocallyConnected1D(_LocallyConnected):
    """Unshared-weights 1-D convolution over `[batch, steps, channels]`.

    Example:
        >>> y = tf.keras.layers.LocallyConnected1D(8, 3)(x)       # x: [N, 10, 4] -> [N, 8, 8]
    """

    _rank = 1


class LocallyConnected2D(_LocallyConnected):
    """Unshared-weights 2-D convolution over `[batch, rows, cols, channels]`.

    Example:
        >>> y = tf.keras.layers.LocallyConnected2D(4, (3, 3))(images)
    """

    _rank = 2


__all__ = ["LocallyConnected1D", "LocallyConnected2D"]
