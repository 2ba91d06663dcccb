"""Keras core layers: `Dense`, `Dropout`, `Flatten`, `Reshape`, `Permute`, `RepeatVector`,
`Activation`, `Identity`, `Lambda`, and the preprocessing layers `Rescaling`, `CategoryEncoding`.

`Dense`, `Dropout` and `Flatten` are the `tf.layers` classes with Keras' base (names, plain
variables, learning phase) and Keras' argument handling (string initializers, regularizers and
activations).
"""

import numpy as np

from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.keras import activations, backend, constraints, initializers, regularizers
from tensorflux.keras.engine.base_layer import Layer
from tensorflux.layers import core as tf_core
from tensorflux.ops import (
    array_ops,
    constant_op,
    debug_ops,
    fill_ops,
    linalg_ops,
    manip_ops,
    math_ops,
    reduction_ops,
)


def activation_fn(identifier):
    """The activation callable for a Keras identifier, None for linear (no op at all)."""
    fn = activations.get(identifier)
    return None if fn is activations.linear else fn


def weight_args(**kwargs):
    """Keras' `*_initializer` / `*_regularizer` / `*_constraint` identifiers resolved to
    objects."""
    out = {}
    for key, value in kwargs.items():
        if key.endswith("_initializer"):
            out[key] = initializers.get(value)
        elif key.endswith("regularizer"):
            out[key] = regularizers.get(value)
        elif key.endswith("_constraint"):
            out[key] = constraints.get(value)
        else:
            out[key] = value
    return out


def weight_config(layer, *prefixes):
    """`<prefix>_initializer/_regularizer/_constraint` entries of a config, serialized."""
    config = {}
    for prefix in prefixes:
        config[prefix + "_initializer"] = initializers.serialize(
            getattr(layer, prefix + "_initializer"))
        config[prefix + "_regularizer"] = regularizers.serialize(
            getattr(layer, prefix + "_regularizer", None))
        config[prefix + "_constraint"] = constraint_config(
            getattr(layer, prefix + "_constraint", None))
    return config


def constraint_config(constraint):
    """tf_keras' dict for a constraint object (None for none).

    A plain function has no Keras config, so it cannot be written into a model file.
    """
    if constraint is None:
        return None
    if not isinstance(constraint, constraints.Constraint):
        raise NotImplementedError("Only tf.keras.constraints objects can be saved in a Keras "
                                  "config (got %r)." % (constraint,))
    return constraints.serialize(constraint)


def activity_config(layer):
    return regularizers.serialize(getattr(layer, "_activity_regularizer", None))


class Dense(Layer, tf_core.Dense):
    """`activation(dot(inputs, kernel) + bias)`; variables `<name>/kernel`, `<name>/bias`.

    Example:
        >>> y = tf.keras.layers.Dense(10, activation="softmax")(x)
    """

    def __init__(self, units, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        if "input_shape" not in kwargs and "input_dim" in kwargs:
            kwargs["input_shape"] = (kwargs.pop("input_dim"),)
        tf_core.Dense.__init__(self, units, activation=activation_fn(activation),
                               use_bias=use_bias, **weight_args(
                                   kernel_constraint=kernel_constraint,
                                   bias_constraint=bias_constraint,
                                   kernel_initializer=kernel_initializer,
                                   bias_initializer=bias_initializer,
                                   kernel_regularizer=kernel_regularizer,
                                   bias_regularizer=bias_regularizer,
                                   activity_regularizer=activity_regularizer), **kwargs)

    _records_build_shape = True

    def get_config(self):
        config = super().get_config()
        config.update(units=self.units, activation=activations.serialize(self.activation),
                      use_bias=self.use_bias, **weight_config(self, "kernel", "bias"),
                      activity_regularizer=activity_config(self))
        return config

    def _dot_last_axis(self, inputs):
        """`tensordot(inputs, kernel, [[-1], [0]])`, its result named `Tensordot` as TF's."""
        with graph_lib.name_scope("Tensordot") as scope:
            flat = array_ops.reshape(inputs, [-1, int(inputs.shape[-1])])
            out = linalg_ops.matmul(flat, self.kernel)
            lead = array_ops.shape(inputs)[:-1]
            dims = array_ops.concat([lead, constant_op.constant([self.units])], axis=0)
            return array_ops.reshape(out, dims, name=scope)


class Dropout(Layer, tf_core.Dropout):
    """Drops a fraction `rate` of the inputs in training (`training=` or the learning phase).

    Example:
        >>> h = tf.keras.layers.Dropout(0.5)(h)     # active when fit() runs
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        tf_core.Dropout.__init__(self, rate, noise_shape=noise_shape, seed=seed, **kwargs)

    _records_build_shape = True

    def get_config(self):
        config = super().get_config()
        config.update(rate=self.rate, noise_shape=self.noise_shape, seed=self.seed)
        return config

    def call(self, inputs, training=None):
        if training is None:
            training = backend.learning_phase()
        return tf_core.Dropout.call(self, inputs, training=training)


class Flatten(Layer, tf_core.Flatten):
    """Flattens all but the batch dimension.

    Example:
        >>> tf.keras.layers.Flatten()(tf.placeholder(tf.float32, [None, 4, 4, 8])).shape
        TensorShape([Dimension(None), Dimension(128)])
    """

    def __init__(self, data_format=None, **kwargs):
        tf_core.Flatten.__init__(self, data_format=data_format or backend.image_data_format(),
                                 **kwargs)

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config


class Reshape(Layer):
    """Reshapes each example to `target_shape` (one entry may be -1).

    Example:
        >>> tf.keras.layers.Reshape((7, 7, 64))(tf.placeholder(tf.float32, [None, 3136]))
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(int(d) for d in target_shape)

    def _fix_unknown(self, input_shape):
        dims = list(self.target_shape)
        if -1 not in dims:
            return dims
        known = input_shape[1:]
        if any(d is None for d in known):
            return [None if d == -1 else d for d in dims]
        total = int(np.prod(known))
        rest = int(np.prod([d for d in dims if d != -1]))
        if total % rest:
            raise ValueError("total size of new array must be unchanged, input_shape = %s, "
                             "output_shape = %s" % (list(known), dims))
        return [total // rest if d == -1 else d for d in dims]

    def call(self, inputs):
        out = array_ops.reshape(inputs, [array_ops.shape(inputs)[0]] + list(self.target_shape))
        out.set_shape([inputs.shape.as_list()[0]]
                      + self._fix_unknown(inputs.shape.as_list()))
        return out

    def compute_output_shape(self, input_shape):
        return tuple([input_shape[0]] + self._fix_unknown(list(input_shape)))

    def get_config(self):
        config = super().get_config()
        config["target_shape"] = self.target_shape
        return config


class Permute(Layer):
    """Reorders the axes of each example: `dims` is a permutation of 1..rank-1 (the batch
    axis stays first).

    Example:
        >>> tf.keras.layers.Permute((2, 1))(tf.placeholder(tf.float32, [None, 10, 64]))
        ... # shape [None, 64, 10]
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(int(d) for d in dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError("Invalid permutation argument `dims` for Permute Layer. The set of "
                             "indices in `dims` must be consecutive and start from 1. "
                             "Received dims=%s" % (dims,))

    def call(self, inputs):
        return array_ops.transpose(inputs, (0,) + self.dims)

    def get_config(self):
        config = super().get_config()
        config["dims"] = self.dims
        return config


class RepeatVector(Layer):
    """Repeats each `[features]` vector `n` times: `[N, F]` -> `[N, n, F]`.

    Example:
        >>> tf.keras.layers.RepeatVector(3)(tf.placeholder(tf.float32, [None, 32]))
        ... # shape [None, 3, 32]
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = int(n)

    def call(self, inputs):
        if inputs.shape.ndims != 2:
            raise ValueError("RepeatVector expects inputs of rank 2, got shape %s in %s."
                             % (inputs.shape, self.name))
        return manip_ops.tile(manip_ops.expand_dims(inputs, 1), [1, self.n, 1])

    def get_config(self):
        config = super().get_config()
        config["n"] = self.n
        return config


class Identity(Layer):
    """Returns its input unchanged (a placeholder layer, e.g. where a block is optional).

    Example:
        >>> tf.keras.layers.Identity()(x)
    """

    def call(self, inputs):
        if isinstance(inputs, (list, tuple)):
            return [array_ops.identity(x) for x in inputs]
        return array_ops.identity(inputs)


class Activation(Layer):
    """Applies an activation function (a name or a callable).

    Example:
        >>> tf.keras.layers.Activation("relu")(x)
    """

    _passes_mask = True

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)

    def get_config(self):
        config = super().get_config()
        config["activation"] = activations.serialize(self.activation)
        return config


class Lambda(Layer):
    """Wraps an expression as a layer: `Lambda(lambda x: x ** 2)`.

    Example:
        >>> tf.keras.layers.Lambda(lambda t: t * 2.0)(x)
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        self.function = function
        self.arguments = arguments or {}
        self._output_shape = output_shape

    def call(self, inputs, mask=None, training=None):
        return self.function(inputs, **self.arguments)

    def get_config(self):
        """tf_keras stores a Lambda's Python bytecode; tensorflux does not, so it cannot save."""
        raise NotImplementedError("A Lambda layer (%s) cannot be saved in a Keras config by "
                                  "tensorflux; rebuild the model in code and use "
                                  "save_weights/load_weights." % self.name)


class Rescaling(Layer):
    """`inputs * scale + offset` (e.g. pixels to `[0, 1]`: `Rescaling(1 / 255)`).

    Example:
        >>> x = tf.keras.layers.Rescaling(1.0 / 127.5, offset=-1.0)(images)
    """

    _passes_mask = True

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset

    def call(self, inputs):
        dtype = self._dtype or backend.floatx()
        x = math_ops.cast(inputs, dtype)
        return x * math_ops.cast(self.scale, dtype) + math_ops.cast(self.offset, dtype)

    def get_config(self):
        config = super().get_config()
        config.update(scale=self.scale, offset=self.offset)
        return config


class CategoryEncoding(Layer):
    """Integer ids `0 <= id < num_tokens` to vectors: `"multi_hot"` (default: 1 where an id of
    the row occurs), `"one_hot"` (one vector per id) or `"count"` (occurrences, weighted by
    `count_weights` if given). Ids out of range raise InvalidArgumentError at run time.

    Example:
        >>> tf.keras.layers.CategoryEncoding(4)(ids)      # ids [N, k] -> [N, 4]
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        if "max_tokens" in kwargs:  # tf_keras' old name
            num_tokens = kwargs.pop("max_tokens")
        super().__init__(**kwargs)
        if num_tokens is None:
            raise ValueError("num_tokens must be set to use this layer. If the number of "
                             "tokens is not known beforehand, use the IntegerLookup layer "
                             "instead.")
        if num_tokens < 1:
            raise ValueError("`num_tokens` must be >= 1. Received: num_tokens=%s."
                             % (num_tokens,))
        if output_mode not in ("one_hot", "multi_hot", "count"):
            raise ValueError("Unknown arg for output_mode: %s" % (output_mode,))
        if sparse:
            raise NotImplementedError("CategoryEncoding(sparse=True) is not supported by "
                                      "tensorflux.")
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse

    def call(self, inputs, count_weights=None):
        if count_weights is not None and self.output_mode != "count":
            raise ValueError("`count_weights` is not used when `output_mode` is not "
                             "`'count'`. Received `count_weights=%s`." % (count_weights,))
        ids = constant_op.convert_to_tensor(inputs)
        if ids.shape.ndims == 0 or (self.output_mode == "one_hot" and ids.shape[-1].value != 1):
            ids = manip_ops.expand_dims(ids, -1)
        if ids.shape.ndims > 2:
            raise ValueError("When output_mode is not `'int'`, maximum supported output rank "
                             "is 2. Received output_mode %s and input shape %s, which would "
                             "result in output rank %d."
                             % (self.output_mode, inputs.shape, ids.shape.ndims))
        in_range = math_ops.logical_and(
            math_ops.less(reduction_ops.reduce_max(ids), math_ops.cast(self.num_tokens,
                                                                       ids.dtype)),
            math_ops.greater_equal(reduction_ops.reduce_min(ids), math_ops.cast(0, ids.dtype)))
        check = debug_ops.Assert(in_range, ["Input values must be in the range 0 <= values < "
                                            "num_tokens with num_tokens=%d" % self.num_tokens])
        dtype = self._dtype or backend.floatx()
        with graph_lib.control_dependencies([check]):
            hot = fill_ops.one_hot(math_ops.cast(ids, dtypes.int32), self.num_tokens,
                                   dtype=dtype)
        if self.output_mode == "count":
            if count_weights is not None:
                hot = hot * manip_ops.expand_dims(math_ops.cast(count_weights, dtype), -1)
            return reduction_ops.reduce_sum(hot, axis=-2)
        return reduction_ops.reduce_max(hot, axis=-2)

    def get_config(self):
        config = super().get_config()
        config.update(num_tokens=self.num_tokens, output_mode=self.output_mode,
                      sparse=self.sparse)
        return config
