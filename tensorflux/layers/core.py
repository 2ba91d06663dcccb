"""Core layers: `Dense`, `Dropout`, `Flatten` and their functional forms `dense`, `dropout`,
`flatten`."""

import functools
import operator

from tensorflux import nn
from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.layers import base, utils
from tensorflux.ops import array_ops, constant_op, init_ops, linalg_ops, manip_ops, math_ops


def get_activation(activation):
    """An activation callable: None, a callable, or a `tf.nn` function's name ("relu")."""
    if activation is None or callable(activation):
        return activation
    if isinstance(activation, str):
        if activation == "linear":
            return None
        fn = getattr(nn, activation, None)
        if fn is None:
            raise ValueError("Unknown activation function: %s." % activation)
        return fn
    raise ValueError("Could not interpret activation function identifier: %s" % (activation,))


class Dense(base.Layer):
    """Densely-connected layer: `outputs = activation(inputs @ kernel + bias)`.

    Variables: `kernel` of shape `[input_dim, units]` and `bias` of shape `[units]`.

    Example:
        >>> y = tf.layers.Dense(10, activation=tf.nn.relu)(x)
    """

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, trainable=True, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name,
                         activity_regularizer=activity_regularizer, **kwargs)
        units = int(units) if not isinstance(units, int) else units
        if units < 0:
            raise ValueError("Received an invalid value for `units`, expected a positive "
                             "integer. Received: units=%s" % units)
        self.units = units
        self.activation = get_activation(activation)
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint
        self.input_spec = base.InputSpec(min_ndim=2)
        self.supports_masking = True

    def build(self, input_shape):
        dtype = dtypes.as_dtype(self.dtype or dtypes.float32)
        if not (dtype.is_floating or dtype.is_complex):
            raise TypeError("A Dense layer can only be built with a floating-point dtype. "
                            "Received: dtype=%s" % dtype.name)
        input_shape = tensor_shape.as_shape(input_shape)
        last_dim = input_shape[-1].value
        if last_dim is None:
            raise ValueError("The last dimension of the inputs to a Dense layer should be "
                             "defined. Found None. Full input shape received: %s" % input_shape)
        self.input_spec = base.InputSpec(min_ndim=2, axes={-1: last_dim})
        self.kernel = self.add_weight("kernel", shape=[last_dim, self.units],
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, dtype=self.dtype,
                                      trainable=True)
        if self.use_bias:
            self.bias = self.add_weight("bias", shape=[self.units],
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint, dtype=self.dtype,
                                        trainable=True)
        else:
            self.bias = None
        self.built = True

    def call(self, inputs):
        if self.dtype is not None and inputs.dtype.base_dtype != dtypes.as_dtype(self.dtype):
            inputs = math_ops.cast(inputs, self.dtype)
        rank = inputs.shape.ndims
        if rank == 2 or rank is None:
            outputs = linalg_ops.matmul(inputs, self.kernel)
        else:
            shape = inputs.shape.as_list()
            if inputs.shape.is_fully_defined():
                outputs = linalg_ops.tensordot(inputs, self.kernel, [[rank - 1], [0]])
            else:
                outputs = self._dot_last_axis(inputs)
            outputs.set_shape(shape[:-1] + [self.units])
        if self.use_bias:
            outputs = nn.bias_add(outputs, self.bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs

    def _dot_last_axis(self, inputs):
        """`tensordot(inputs, kernel, [[-1], [0]])` for inputs with unknown leading dims."""
        with graph_lib.name_scope("Tensordot"):
            flat = array_ops.reshape(inputs, [-1, int(inputs.shape[-1])])
            out = linalg_ops.matmul(flat, self.kernel)
            lead = array_ops.shape(inputs)[:-1]
            return array_ops.reshape(
                out, array_ops.concat([lead, constant_op.constant([self.units])], axis=0))

    def compute_output_shape(self, input_shape):
        input_shape = tensor_shape.as_shape(input_shape).with_rank_at_least(2)
        if input_shape[-1].value is None:
            raise ValueError("The last dimension of the input shape of a Dense layer should be "
                             "defined. Found None. Received: input_shape=%s" % input_shape)
        return input_shape[:-1].concatenate(self.units)


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=init_ops.zeros_initializer(), kernel_regularizer=None,
          bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
          bias_constraint=None, trainable=True, name=None, reuse=None):
    """Functional interface for the densely-connected layer.

    Example:
        >>> h = tf.layers.dense(x, 128, activation=tf.nn.relu)   # variables dense/kernel, bias
    """
    layer = Dense(units, activation=activation, use_bias=use_bias,
                  kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                  kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                  activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
                  bias_constraint=bias_constraint, trainable=trainable, name=name,
                  _scope=name, _reuse=reuse)
    return layer(inputs)


class Dropout(base.Layer):
    """Sets a fraction `rate` of inputs to 0 (scaling the rest by `1 / (1 - rate)`) when
    `training` (a Python bool or a bool tensor) is true; the identity otherwise."""

    def __init__(self, rate=0.5, noise_shape=None, seed=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if isinstance(rate, (int, float)) and not 0 <= rate <= 1:
            raise ValueError("Invalid value %s received for `rate`, expected a value between 0 "
                             "and 1." % rate)
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed
        self.supports_masking = True

    def _get_noise_shape(self, inputs):
        if self.noise_shape is None:
            return None
        if all(v is not None for v in self.noise_shape):
            return constant_op.convert_to_tensor(list(self.noise_shape))
        shape = array_ops.shape(inputs)
        dims = [shape[i] if v is None else constant_op.constant(v, dtype=dtypes.int32)
                for i, v in enumerate(self.noise_shape)]
        return array_ops.stack(dims)

    def call(self, inputs, training=False):
        # rate 0 in training: nn.dropout hands `inputs` back (TF 1.x), so the output is the
        # input tensor itself; TF-Slim's end points (Inception's PreLogits) name it so

        def dropped_inputs():
            return nn.dropout(inputs, rate=self.rate,
                                 noise_shape=self._get_noise_shape(inputs), seed=self.seed)

        return utils.smart_cond(training, dropped_inputs, lambda: array_ops.identity(inputs))

    def compute_output_shape(self, input_shape):
        return tensor_shape.as_shape(input_shape)


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    """Functional interface for dropout; `training=False` (the default) returns the input.

    Example:
        >>> h = tf.layers.dropout(h, rate=0.4, training=is_training)
    """
    layer = Dropout(rate, noise_shape=noise_shape, seed=seed, name=name)
    return layer.apply(inputs, training=training)


class Flatten(base.Layer):
    """Flattens every dimension but the first: `[N, d1, d2, ...]` -> `[N, d1*d2*...]`."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = utils.normalize_data_format(data_format)
        self.input_spec = base.InputSpec(min_ndim=1)

    def call(self, inputs):
        rank = inputs.shape.ndims
        if self.data_format == "channels_first" and rank and rank > 1:
            inputs = array_ops.transpose(inputs, perm=[0] + list(range(2, rank)) + [1])
        if rank == 1:
            return manip_ops.expand_dims(inputs, axis=1)
        input_shape = inputs.shape
        batch_dim = input_shape[0].value if rank is not None else None
        non_batch = input_shape[1:] if rank is not None else tensor_shape.unknown_shape()
        if non_batch.is_fully_defined():
            last_dim = int(functools.reduce(operator.mul, non_batch.as_list(), 1))
            flat_shape = constant_op.constant([-1, last_dim])
        elif batch_dim is not None:
            flat_shape = constant_op.constant([int(batch_dim), -1])
        else:
            flat_shape = [array_ops.shape(inputs)[0], -1]
        return array_ops.reshape(inputs, flat_shape)

    def compute_output_shape(self, input_shape):
        dims = tensor_shape.as_shape(input_shape).as_list()
        if not dims:
            return tensor_shape.TensorShape([1])
        rest = dims[1:]
        flat = None if any(d is None for d in rest) else int(
            functools.reduce(operator.mul, rest, 1))
        return tensor_shape.TensorShape([dims[0], flat])


def flatten(inputs, name=None, data_format="channels_last"):
    """Flattens `inputs` to `[batch, -1]` (functional interface of `Flatten`).

    Example:
        >>> tf.layers.flatten(tf.placeholder(tf.float32, [None, 4, 4, 8])).shape
        TensorShape([Dimension(None), Dimension(128)])
    """
    layer = Flatten(name=name, data_format=data_format)
    return layer(inputs)
