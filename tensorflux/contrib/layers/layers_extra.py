"""The smaller `tf.contrib.layers` layers: `maxout`, `dense_to_sparse`,
`images_to_sequence`/`sequence_to_images`, `conv2d_in_plane`, `scale_gradient`,
`legacy_fully_connected` (+ `legacy_relu`, `legacy_linear`) and `poincare_normalize`.

Example:
    >>> y = tf.contrib.layers.maxout(x, num_units=4)        # max over groups of channels
    >>> seq = tf.contrib.layers.images_to_sequence(images)  # [width, batch * height, depth]
"""

import functools

import tensorflux as tf
from tensorflux import nn
from tensorflux import variable_scope as vs
from tensorflux.contrib.framework import variables as framework_variables
from tensorflux.contrib.framework.arg_scope import add_arg_scope
from tensorflux.contrib.layers import initializers, utils
from tensorflux.graph import graph as graph_lib
from tensorflux.graph import tensor_shape
from tensorflux.graph.graph import GraphKeys
from tensorflux.ops import init_ops
from tensorflux.ops.custom_gradient import custom_gradient
from tensorflux.ops.sparse_tensor import SparseTensor

DATA_FORMAT_NHWC = "NHWC"


def maxout(inputs, num_units, axis=-1, scope=None):
    """Maxout (Goodfellow et al. 2013): the max over `num_channels // num_units` consecutive
    features of `axis`, leaving `num_units` features there.

    Example:
        >>> maxout(tf.ones([2, 6]), 3).shape  # (2, 3)
    """
    with vs.variable_scope(scope, "MaxOut", [inputs]):
        inputs = tf.convert_to_tensor(inputs)
        shape = inputs.get_shape().as_list()
        num_channels = shape[axis]
        if num_channels % num_units:
            raise ValueError("number of features({}) is not a multiple of num_units({})"
                             .format(num_channels, num_units))
        shape[axis] = num_units
        shape += [num_channels // num_units]
        for i in range(len(shape)):
            if shape[i] is None:
                shape[i] = tf.shape(inputs)[i]
        return tf.reduce_max(tf.reshape(inputs, shape), -1, keepdims=False)


@add_arg_scope
def dense_to_sparse(tensor, eos_token=0, outputs_collections=None, scope=None):
    """The entries of `tensor` that differ from `eos_token`, as a `SparseTensor`.

    Example:
        >>> dense_to_sparse([[1, 0], [0, 2]])  # indices [[0, 0], [1, 1]], values [1, 2]
    """
    with vs.variable_scope(scope, "dense_to_sparse", [tensor]) as sc:
        tensor = tf.convert_to_tensor(tensor)
        indices = tf.where(tf.not_equal(tensor, tf.constant(eos_token, tensor.dtype)))
        values = tf.gather_nd(tensor, indices)
        shape = tf.shape(tensor, out_type=tf.int64)
        outputs = SparseTensor(indices, values, shape)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


def dense_to_sparse_tensor(dense_tensor, ignore_value=None):
    """`dense_tensor` without its `ignore_value` cells (default: the dtype's zero, or "").

    Example:
        >>> dense_to_sparse_tensor([[3, 0, 1]])  # values [3, 1]
    """
    with graph_lib.name_scope("DenseToSparseTensor"):
        dense_tensor = tf.convert_to_tensor(dense_tensor)
        if ignore_value is None:
            ignore_value = "" if dense_tensor.dtype == tf.string else \
                dense_tensor.dtype.as_numpy_dtype()
        ignore_value = tf.cast(ignore_value, dense_tensor.dtype, name="ignore_value")
        indices = tf.where(tf.not_equal(dense_tensor, ignore_value), name="indices")
        return SparseTensor(
            indices=indices, values=tf.gather_nd(dense_tensor, indices, name="values"),
            dense_shape=tf.shape(dense_tensor, out_type=tf.int64, name="dense_shape"))


@add_arg_scope
def images_to_sequence(inputs, data_format=DATA_FORMAT_NHWC, outputs_collections=None,
                       scope=None):
    """Images `[batch, height, width, depth]` as a sequence `[width, batch * height, depth]`
    (one step per column).

    Example:
        >>> images_to_sequence(tf.zeros([2, 3, 5, 4])).shape  # (5, 6, 4)
    """
    with vs.variable_scope(scope, "ImagesToSequence", [inputs]) as sc:
        inputs = tf.convert_to_tensor(inputs)
        if data_format and data_format.startswith("NC"):
            inputs = tf.transpose(inputs, [0, 2, 3, 1])
        _, _, width, depth = inputs.get_shape().as_list()
        s = tf.shape(inputs)
        batch_size, height = s[0], s[1]
        transposed = tf.transpose(inputs, [2, 0, 1, 3])
        outputs = tf.reshape(transposed, [width, batch_size * height, depth])
        # TF's shape inference folds `batch_size * height` when both are static.
        static_batch, static_height = inputs.get_shape().as_list()[:2]
        if static_batch is not None and static_height is not None:
            outputs.set_shape([width, static_batch * static_height, depth])
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def sequence_to_images(inputs, height, output_data_format="channels_last",
                       outputs_collections=None, scope=None):
    """The inverse of `images_to_sequence`: `[width, batch * height, depth]` back to images
    `[batch, height, width, depth]` (or `[batch, depth, height, width]` for
    "channels_first").
    """
    with vs.variable_scope(scope, "SequenceToImages", [inputs]) as sc:
        inputs = tf.convert_to_tensor(inputs)
        width, num_batches, depth = inputs.get_shape().as_list()
        if num_batches is None:
            num_batches = -1
        else:
            num_batches = num_batches // height
        reshaped = tf.reshape(inputs, [width, num_batches, height, depth])
        if output_data_format == "channels_first":
            outputs = tf.transpose(reshaped, [1, 3, 2, 0])
        else:
            outputs = tf.transpose(reshaped, [1, 2, 0, 3])
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def convolution2d_in_plane(inputs, kernel_size, stride=1, padding="SAME",
                           activation_fn=nn.relu,
                           normalizer_fn=None, normalizer_params=None,
                           weights_initializer=initializers.xavier_initializer(),
                           weights_regularizer=None,
                           biases_initializer=init_ops.zeros_initializer(),
                           biases_regularizer=None, reuse=None, variables_collections=None,
                           outputs_collections=None, trainable=True, scope=None):
    """The same `[kernel_h, kernel_w, 1, 1]` filter applied to every channel on its own
    (variables `ConvInPlane/weights`, `ConvInPlane/biases`).

    Example:
        >>> grad_y = conv2d_in_plane(images, [2, 1], activation_fn=None)
    """
    with vs.variable_scope(scope, "ConvInPlane", [inputs], reuse=reuse) as sc:
        dtype = inputs.dtype.base_dtype
        kernel_h, kernel_w = utils.two_element_tuple(kernel_size)
        stride_h, stride_w = utils.two_element_tuple(stride)
        num_filters_in = utils.last_dimension(inputs.get_shape(), min_rank=4)
        weights_collections = utils.get_variable_collections(variables_collections, "weights")
        weights = framework_variables.model_variable(
            "weights", shape=[kernel_h, kernel_w, 1, 1], dtype=dtype,
            initializer=weights_initializer, regularizer=weights_regularizer,
            collections=weights_collections, trainable=trainable)
        depthwise_weights = tf.tile(weights, [1, 1, num_filters_in, 1])
        outputs = tf.nn.depthwise_conv2d(inputs, depthwise_weights, [1, stride_h, stride_w, 1],
                                         padding)
        if normalizer_fn is not None:
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        elif biases_initializer is not None:
            biases_collections = utils.get_variable_collections(variables_collections, "biases")
            biases = framework_variables.model_variable(
                "biases", shape=[num_filters_in], dtype=dtype, initializer=biases_initializer,
                regularizer=biases_regularizer, collections=biases_collections,
                trainable=trainable)
            outputs = tf.nn.bias_add(outputs, biases)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


def scale_gradient(inputs, gradient_multiplier):
    """Identity forward; the gradient flowing back to `inputs` is multiplied by
    `gradient_multiplier` (broadcastable to `inputs`).

    Example:
        >>> y = scale_gradient(x, 0.1)  # y == x, dy/dx == 0.1
    """
    @custom_gradient
    def _scale(x, multiplier):
        def grad(dy):
            return [dy * tf.cast(multiplier, dy.dtype), None]

        return tf.identity(x), grad

    return _scale(inputs, gradient_multiplier)


def poincare_normalize(x, axis=1, epsilon=1e-5, name=None):
    """Projects `x` into the Poincare ball: slices along `axis` with norm above
    `1 - epsilon` are scaled to norm `1 - epsilon`."""
    with graph_lib.name_scope(name, "poincare_normalize", [x]) as name:
        x = tf.convert_to_tensor(x, name="x")
        square_sum = tf.reduce_sum(tf.square(x), axis, keepdims=True)
        x_inv_norm = tf.rsqrt(square_sum)
        x_inv_norm = tf.minimum((1.0 - epsilon) * x_inv_norm, 1.0)
        return tf.multiply(x, x_inv_norm, name=name)


def _apply_activation(y, activation_fn, output_collections):
    if activation_fn is not None:
        y = activation_fn(y)
    graph_lib.add_to_collections(list(output_collections or []) + [GraphKeys.ACTIVATIONS], y)
    return y


def legacy_fully_connected(x, num_output_units, activation_fn=None,
                           weight_init=initializers.xavier_initializer(),
                           bias_init=init_ops.zeros_initializer(), name=None,
                           weight_collections=(GraphKeys.WEIGHTS,),
                           bias_collections=(GraphKeys.BIASES,),
                           output_collections=(GraphKeys.ACTIVATIONS,), trainable=True,
                           weight_regularizer=None, bias_regularizer=None):
    """The old `y = activation_fn(x w + b)` layer: variables `fully_connected/weights` and
    `fully_connected/bias` (in `WEIGHTS`/`BIASES`), output in `ACTIVATIONS`; inputs of rank > 2
    are multiplied along their last dimension.

    Example:
        >>> y = legacy_fully_connected(x, 10, activation_fn=tf.nn.relu)
    """
    with vs.variable_scope(name, "fully_connected", [x]):
        x = tf.convert_to_tensor(x)
        dims = x.get_shape().dims
        if dims is None:
            raise ValueError("dims of x must be known but is None")
        if len(dims) < 2:
            raise ValueError("rank of x must be at least 2 not: %d" % len(dims))
        num_input_units = tensor_shape.dimension_value(dims[-1])
        if num_input_units is None:
            raise ValueError("last dimension of x must be known but is None")
        dtype = x.dtype.base_dtype
        weight_collections = list(dict.fromkeys(list(weight_collections or [])
                                                + [GraphKeys.GLOBAL_VARIABLES]))
        w = vs.get_variable("weights", shape=[num_input_units, num_output_units], dtype=dtype,
                            initializer=weight_init, collections=weight_collections,
                            regularizer=weight_regularizer, trainable=trainable)
        x_2_dim = x if len(dims) <= 2 else tf.reshape(x, [-1, num_input_units])
        y = tf.matmul(x_2_dim, w)
        if bias_init is not None:
            bias_collections = list(dict.fromkeys(list(bias_collections or [])
                                                  + [GraphKeys.GLOBAL_VARIABLES]))
            b = vs.get_variable("bias", shape=[num_output_units], dtype=dtype,
                                initializer=bias_init, collections=bias_collections,
                                regularizer=bias_regularizer, trainable=trainable)
            y = tf.nn.bias_add(y, b)
        if len(dims) > 2:
            out_shape = tf.unstack(tf.shape(x))
            out_shape[-1] = num_output_units
            y = tf.reshape(y, tf.stack(out_shape))
            static_shape = x.get_shape().as_list()
            static_shape[-1] = num_output_units
            y.set_shape(static_shape)
        return _apply_activation(y, activation_fn, output_collections)


legacy_relu = functools.partial(legacy_fully_connected, activation_fn=nn.relu)
legacy_linear = functools.partial(legacy_fully_connected, activation_fn=None)
conv2d_in_plane = convolution2d_in_plane
