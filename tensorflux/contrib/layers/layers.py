"""TF-Slim's layers that own variables: `conv2d` (and its 1-D/3-D and transposed forms),
`separable_conv2d`, `fully_connected` and `bias_add`.

They wrap the `tf.layers` classes in a variable scope named like TF-Slim's (`Conv`,
`fully_connected`, `SeparableConv2d`, or `scope=`) whose custom getter renames `kernel` to
`weights` and `bias` to `biases` and adds every variable to `tf.GraphKeys.MODEL_VARIABLES`, so
checkpoints and variable names match TF-Slim models (`conv1/weights`, `fc6/biases`).
"""

import functools

from tensorflux import nn
from tensorflux import variable_scope as vs
from tensorflux.contrib.framework import variables as framework_variables
from tensorflux.contrib.framework.arg_scope import add_arg_scope
from tensorflux.contrib.layers import initializers, utils
from tensorflux.contrib.layers.utils import collect_named_outputs, get_variable_collections
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.layers import convolutional, core
from tensorflux.ops import constant_op, init_ops

DATA_FORMAT_NCHW = "NCHW"
DATA_FORMAT_NHWC = "NHWC"
DATA_FORMAT_NCDHW = "NCDHW"
DATA_FORMAT_NDHWC = "NDHWC"


# --- variables and collections ------------------------------------------------------------------
def _model_variable_getter(getter, name, shape=None, dtype=None, initializer=None,
                           regularizer=None, trainable=True, collections=None,
                           caching_device=None, partitioner=None, rename=None,
                           use_resource=None, **kwargs):
    """Creates variables as TF-Slim model variables (also in `MODEL_VARIABLES`), renamed."""
    short_name = name.split("/")[-1]
    if rename and short_name in rename:
        name = "/".join(name.split("/")[:-1] + [rename[short_name]])
    collections = list(collections or []) + [GraphKeys.GLOBAL_VARIABLES,
                                              GraphKeys.MODEL_VARIABLES]
    collections = list(dict.fromkeys(collections))
    return getter(name, shape=shape, dtype=dtype, initializer=initializer,
                  regularizer=regularizer, trainable=trainable, collections=collections,
                  caching_device=caching_device, partitioner=partitioner,
                  use_resource=use_resource, **kwargs)


def _build_variable_getter(rename=None):
    def layer_variable_getter(getter, *args, **kwargs):
        kwargs["rename"] = rename
        return _model_variable_getter(getter, *args, **kwargs)

    return layer_variable_getter


def _add_variable_to_collections(variable, collections_set, collections_name):
    for collection in get_variable_collections(collections_set, collections_name) or []:
        if variable not in graph_lib.get_collection(collection):
            graph_lib.add_to_collection(collection, variable)


def _data_format_to_keras(data_format):
    return "channels_first" if data_format and data_format.startswith("NC") else "channels_last"


def _finish(outputs, normalizer_fn, normalizer_params, activation_fn, outputs_collections,
            alias):
    """The common tail of the layers: normalizer, activation, named output."""
    if normalizer_fn is not None:
        outputs = normalizer_fn(outputs, **(normalizer_params or {}))
    if activation_fn is not None:
        outputs = activation_fn(outputs)
    return collect_named_outputs(outputs_collections, alias, outputs)


# --- convolution and fully connected ------------------------------------------------------------
@add_arg_scope
def convolution(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=None,
                rate=1, activation_fn=nn.relu, normalizer_fn=None, normalizer_params=None,
                weights_initializer=initializers.xavier_initializer(), weights_regularizer=None,
                biases_initializer=init_ops.zeros_initializer(), biases_regularizer=None,
                reuse=None, variables_collections=None, outputs_collections=None,
                trainable=True, scope=None, conv_dims=None):
    """An N-D convolution (N from the input rank) with `weights`, `biases` (or a normalizer)
    and an activation (ReLU by default), in variable scope `scope` (default "Conv").

    Example:
        >>> net = tf.contrib.layers.conv2d(images, 64, [3, 3], scope="conv1")
        >>> # variables conv1/weights [3, 3, C, 64], conv1/biases [64]
    """
    if data_format not in (None, "NWC", "NCW", "NHWC", "NCHW", "NDHWC", "NCDHW"):
        raise ValueError("Invalid data_format: %r" % (data_format,))
    getter = _build_variable_getter({"bias": "biases", "kernel": "weights"})
    with vs.variable_scope(scope, "Conv", [inputs], reuse=reuse, custom_getter=getter) as sc:
        inputs = constant_op.convert_to_tensor(inputs)
        input_rank = inputs.get_shape().ndims
        if conv_dims is not None and conv_dims + 2 != input_rank:
            raise ValueError("Convolution expects input with rank %d, got %d"
                             % (conv_dims + 2, input_rank))
        classes = {3: convolutional.Conv1D, 4: convolutional.Conv2D, 5: convolutional.Conv3D}
        if input_rank not in classes:
            raise ValueError("Convolution not supported for input with rank", input_rank)
        layer = classes[input_rank](
            filters=num_outputs, kernel_size=kernel_size, strides=stride, padding=padding,
            data_format=_data_format_to_keras(data_format), dilation_rate=rate,
            activation=None, use_bias=not normalizer_fn and biases_initializer,
            kernel_initializer=weights_initializer, bias_initializer=biases_initializer,
            kernel_regularizer=weights_regularizer, bias_regularizer=biases_regularizer,
            activity_regularizer=None, trainable=trainable, name=sc.name,
            dtype=inputs.dtype.base_dtype, _scope=sc, _reuse=reuse)
        outputs = layer.apply(inputs)
        _add_variable_to_collections(layer.kernel, variables_collections, "weights")
        if layer.use_bias:
            _add_variable_to_collections(layer.bias, variables_collections, "biases")
        return _finish(outputs, normalizer_fn, normalizer_params, activation_fn,
                       outputs_collections, sc.name)


@add_arg_scope
def convolution1d(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=None,
                  rate=1, activation_fn=nn.relu, normalizer_fn=None, normalizer_params=None,
                  weights_initializer=initializers.xavier_initializer(),
                  weights_regularizer=None, biases_initializer=init_ops.zeros_initializer(),
                  biases_regularizer=None, reuse=None, variables_collections=None,
                  outputs_collections=None, trainable=True, scope=None):
    """`convolution` for rank-3 inputs `[N, W, C]`."""
    return convolution(inputs, num_outputs, kernel_size, stride, padding, data_format, rate,
                       activation_fn, normalizer_fn, normalizer_params, weights_initializer,
                       weights_regularizer, biases_initializer, biases_regularizer, reuse,
                       variables_collections, outputs_collections, trainable, scope,
                       conv_dims=1)


@add_arg_scope
def convolution2d(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=None,
                  rate=1, activation_fn=nn.relu, normalizer_fn=None, normalizer_params=None,
                  weights_initializer=initializers.xavier_initializer(),
                  weights_regularizer=None, biases_initializer=init_ops.zeros_initializer(),
                  biases_regularizer=None, reuse=None, variables_collections=None,
                  outputs_collections=None, trainable=True, scope=None):
    """`convolution` for rank-4 inputs `[N, H, W, C]` (TF-Slim's `conv2d`)."""
    return convolution(inputs, num_outputs, kernel_size, stride, padding, data_format, rate,
                       activation_fn, normalizer_fn, normalizer_params, weights_initializer,
                       weights_regularizer, biases_initializer, biases_regularizer, reuse,
                       variables_collections, outputs_collections, trainable, scope,
                       conv_dims=2)


@add_arg_scope
def convolution3d(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=None,
                  rate=1, activation_fn=nn.relu, normalizer_fn=None, normalizer_params=None,
                  weights_initializer=initializers.xavier_initializer(),
                  weights_regularizer=None, biases_initializer=init_ops.zeros_initializer(),
                  biases_regularizer=None, reuse=None, variables_collections=None,
                  outputs_collections=None, trainable=True, scope=None):
    """`convolution` for rank-5 inputs `[N, D, H, W, C]`."""
    return convolution(inputs, num_outputs, kernel_size, stride, padding, data_format, rate,
                       activation_fn, normalizer_fn, normalizer_params, weights_initializer,
                       weights_regularizer, biases_initializer, biases_regularizer, reuse,
                       variables_collections, outputs_collections, trainable, scope,
                       conv_dims=3)


@add_arg_scope
def fully_connected(inputs, num_outputs, activation_fn=nn.relu, normalizer_fn=None,
                    normalizer_params=None, weights_initializer=initializers.xavier_initializer(),
                    weights_regularizer=None, biases_initializer=init_ops.zeros_initializer(),
                    biases_regularizer=None, reuse=None, variables_collections=None,
                    outputs_collections=None, trainable=True, scope=None):
    """A dense layer with `weights`, `biases` (or a normalizer) and an activation (ReLU by
    default), in variable scope `scope` (default "fully_connected").

    Example:
        >>> logits = tf.contrib.layers.fully_connected(net, 10, activation_fn=None,
        ...                                            scope="logits")
    """
    if not isinstance(num_outputs, int) or isinstance(num_outputs, bool):
        raise ValueError("num_outputs type should be one of [<class 'int'>], got %s."
                         % type(num_outputs))
    getter = _build_variable_getter({"bias": "biases", "kernel": "weights"})
    with vs.variable_scope(scope, "fully_connected", [inputs], reuse=reuse,
                           custom_getter=getter) as sc:
        inputs = constant_op.convert_to_tensor(inputs)
        layer = core.Dense(units=num_outputs, activation=None,
                           use_bias=not normalizer_fn and biases_initializer,
                           kernel_initializer=weights_initializer,
                           bias_initializer=biases_initializer,
                           kernel_regularizer=weights_regularizer,
                           bias_regularizer=biases_regularizer, activity_regularizer=None,
                           trainable=trainable, name=sc.name, dtype=inputs.dtype.base_dtype,
                           _scope=sc, _reuse=reuse)
        outputs = layer.apply(inputs)
        _add_variable_to_collections(layer.kernel, variables_collections, "weights")
        if layer.bias is not None:
            _add_variable_to_collections(layer.bias, variables_collections, "biases")
        return _finish(outputs, normalizer_fn, normalizer_params, activation_fn,
                       outputs_collections, sc.name)


def _transpose(layer_class, default_scope, ranks, inputs, num_outputs, kernel_size, stride,
               padding, data_format, activation_fn, normalizer_fn, normalizer_params,
               weights_initializer, weights_regularizer, biases_initializer, biases_regularizer,
               reuse, variables_collections, outputs_collections, trainable, scope):
    getter = _build_variable_getter({"bias": "biases", "kernel": "weights"})
    with vs.variable_scope(scope, default_scope, [inputs], reuse=reuse,
                           custom_getter=getter) as sc:
        if data_format not in ranks:
            raise ValueError("data_format has to be either %s or %s." % ranks)
        inputs = constant_op.convert_to_tensor(inputs)
        layer = layer_class(
            filters=num_outputs, kernel_size=kernel_size, strides=stride, padding=padding,
            data_format=_data_format_to_keras(data_format), activation=None,
            use_bias=not normalizer_fn and biases_initializer,
            kernel_initializer=weights_initializer, bias_initializer=biases_initializer,
            kernel_regularizer=weights_regularizer, bias_regularizer=biases_regularizer,
            activity_regularizer=None, trainable=trainable, name=sc.name,
            dtype=inputs.dtype.base_dtype, _scope=sc, _reuse=reuse)
        outputs = layer.apply(inputs)
        _add_variable_to_collections(layer.kernel, variables_collections, "weights")
        if layer.bias is not None:
            _add_variable_to_collections(layer.bias, variables_collections, "biases")
        return _finish(outputs, normalizer_fn, normalizer_params, activation_fn,
                       outputs_collections, sc.name)


@add_arg_scope
def convolution2d_transpose(inputs, num_outputs, kernel_size, stride=1, padding="SAME",
                            data_format=DATA_FORMAT_NHWC, activation_fn=nn.relu,
                            normalizer_fn=None, normalizer_params=None,
                            weights_initializer=initializers.xavier_initializer(),
                            weights_regularizer=None,
                            biases_initializer=init_ops.zeros_initializer(),
                            biases_regularizer=None, reuse=None, variables_collections=None,
                            outputs_collections=None, trainable=True, scope=None):
    """A transposed ("deconvolution") 2-D convolution in scope "Conv2d_transpose", with
    `weights` `[kh, kw, num_outputs, in]` and `biases`.

    Example:
        >>> up = slim.conv2d_transpose(net, 32, [3, 3], stride=2, scope="up1")
    """
    return _transpose(convolutional.Conv2DTranspose, "Conv2d_transpose",
                      (DATA_FORMAT_NCHW, DATA_FORMAT_NHWC), inputs, num_outputs, kernel_size,
                      stride, padding, data_format, activation_fn, normalizer_fn,
                      normalizer_params, weights_initializer, weights_regularizer,
                      biases_initializer, biases_regularizer, reuse, variables_collections,
                      outputs_collections, trainable, scope)


@add_arg_scope
def convolution3d_transpose(inputs, num_outputs, kernel_size, stride=1, padding="SAME",
                            data_format=DATA_FORMAT_NDHWC, activation_fn=nn.relu,
                            normalizer_fn=None, normalizer_params=None,
                            weights_initializer=initializers.xavier_initializer(),
                            weights_regularizer=None,
                            biases_initializer=init_ops.zeros_initializer(),
                            biases_regularizer=None, reuse=None, variables_collections=None,
                            outputs_collections=None, trainable=True, scope=None):
    """`convolution2d_transpose` for rank-5 inputs (scope "Conv3d_transpose")."""
    return _transpose(convolutional.Conv3DTranspose, "Conv3d_transpose",
                      (DATA_FORMAT_NCDHW, DATA_FORMAT_NDHWC), inputs, num_outputs, kernel_size,
                      stride, padding, data_format, activation_fn, normalizer_fn,
                      normalizer_params, weights_initializer, weights_regularizer,
                      biases_initializer, biases_regularizer, reuse, variables_collections,
                      outputs_collections, trainable, scope)


def _depthwise_only(inputs, kernel_size, depth_multiplier, stride, padding, data_format, rate,
                    normalizer_fn, normalizer_params, weights_initializer, weights_regularizer,
                    biases_initializer, biases_regularizer, variables_collections, trainable):
    """The `num_outputs=None` form of `separable_conv2d`: a depthwise convolution with variable
    `depthwise_weights` `[kh, kw, in, depth_multiplier]` (MobileNet's `Conv2d_i_depthwise`)."""
    dtype = inputs.dtype.base_dtype
    kernel_h, kernel_w = utils.two_element_tuple(kernel_size)
    stride_h, stride_w = utils.two_element_tuple(stride)
    channels_first = data_format.startswith("NC")
    num_filters_in = utils.channel_dimension(
        inputs.get_shape(), "channels_first" if channels_first else "channels_last", min_rank=4)
    depthwise_weights = framework_variables.model_variable(
        "depthwise_weights", shape=[kernel_h, kernel_w, num_filters_in, depth_multiplier],
        dtype=dtype, initializer=weights_initializer, regularizer=weights_regularizer,
        trainable=trainable,
        collections=get_variable_collections(variables_collections, "weights"))
    strides = [1, 1, stride_h, stride_w] if channels_first else [1, stride_h, stride_w, 1]
    outputs = nn.depthwise_conv2d(inputs, depthwise_weights, strides, padding,
                                  rate=utils.two_element_tuple(rate), data_format=data_format)
    num_outputs = depth_multiplier * num_filters_in
    if normalizer_fn is not None:
        return normalizer_fn(outputs, **(normalizer_params or {}))
    if biases_initializer is not None:
        biases = framework_variables.model_variable(
            "biases", shape=[num_outputs], dtype=dtype, initializer=biases_initializer,
            regularizer=biases_regularizer, trainable=trainable,
            collections=get_variable_collections(variables_collections, "biases"))
        outputs = nn.bias_add(outputs, biases, data_format=data_format)
    return outputs


@add_arg_scope
def separable_convolution2d(inputs, num_outputs, kernel_size, depth_multiplier=1, stride=1,
                            padding="SAME", data_format=DATA_FORMAT_NHWC, rate=1,
                            activation_fn=nn.relu, normalizer_fn=None, normalizer_params=None,
                            weights_initializer=initializers.xavier_initializer(),
                            pointwise_initializer=None, weights_regularizer=None,
                            biases_initializer=init_ops.zeros_initializer(),
                            biases_regularizer=None, reuse=None, variables_collections=None,
                            outputs_collections=None, trainable=True, scope=None):
    """A depthwise convolution (`depthwise_weights`), then, unless `num_outputs` is None, a 1x1
    pointwise one (`pointwise_weights`); then `biases` or the normalizer, and the activation.
    Scope "SeparableConv2d".

    Example:
        >>> # MobileNet's depthwise layer: only SCOPE/depthwise_weights [3, 3, C, 1]
        >>> net = slim.separable_conv2d(net, None, [3, 3], depth_multiplier=1,
        ...                             normalizer_fn=slim.batch_norm, scope="Conv2d_1_depthwise")
    """
    if data_format not in (DATA_FORMAT_NCHW, DATA_FORMAT_NHWC):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    getter = _build_variable_getter({"bias": "biases", "depthwise_kernel": "depthwise_weights",
                                     "pointwise_kernel": "pointwise_weights"})
    with vs.variable_scope(scope, "SeparableConv2d", [inputs], reuse=reuse,
                           custom_getter=getter) as sc:
        inputs = constant_op.convert_to_tensor(inputs)
        if pointwise_initializer is None:
            pointwise_initializer = weights_initializer
        if num_outputs is None:
            outputs = _depthwise_only(inputs, kernel_size, depth_multiplier, stride, padding,
                                      data_format, rate, normalizer_fn, normalizer_params,
                                      weights_initializer, weights_regularizer,
                                      biases_initializer, biases_regularizer,
                                      variables_collections, trainable)
            return _finish(outputs, None, None, activation_fn, outputs_collections, sc.name)
        layer = convolutional.SeparableConv2D(
            filters=num_outputs, kernel_size=kernel_size, strides=stride, padding=padding,
            data_format=_data_format_to_keras(data_format),
            dilation_rate=utils.two_element_tuple(rate), activation=None,
            depth_multiplier=depth_multiplier, use_bias=not normalizer_fn and biases_initializer,
            depthwise_initializer=weights_initializer,
            pointwise_initializer=pointwise_initializer, bias_initializer=biases_initializer,
            depthwise_regularizer=weights_regularizer, pointwise_regularizer=weights_regularizer,
            bias_regularizer=biases_regularizer, activity_regularizer=None,
            trainable=trainable, name=sc.name, dtype=inputs.dtype.base_dtype, _scope=sc,
            _reuse=reuse)
        outputs = layer.apply(inputs)
        _add_variable_to_collections(layer.depthwise_kernel, variables_collections, "weights")
        _add_variable_to_collections(layer.pointwise_kernel, variables_collections, "weights")
        if layer.bias is not None:
            _add_variable_to_collections(layer.bias, variables_collections, "biases")
        return _finish(outputs, normalizer_fn, normalizer_params, activation_fn,
                       outputs_collections, sc.name)


@add_arg_scope
def bias_add(inputs, activation_fn=None, initializer=init_ops.zeros_initializer(),
             regularizer=None, reuse=None, variables_collections=None, outputs_collections=None,
             trainable=True, data_format=DATA_FORMAT_NHWC, scope=None):
    """Adds a `biases` model variable over the channel axis (scope "BiasAdd"); usable as a
    `normalizer_fn`."""
    if data_format not in (DATA_FORMAT_NCHW, DATA_FORMAT_NHWC):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with vs.variable_scope(scope, "BiasAdd", [inputs], reuse=reuse) as sc:
        inputs = constant_op.convert_to_tensor(inputs)
        dtype = inputs.dtype.base_dtype
        inputs_shape = inputs.get_shape()
        if inputs_shape.ndims is None:
            raise ValueError("Dims of shape must be known but is None")
        if inputs_shape.ndims != 4 and data_format == DATA_FORMAT_NCHW:
            raise ValueError("Data format NCHW only supports 4D Tensor")
        num_features = inputs_shape.dims[1 if data_format == DATA_FORMAT_NCHW else -1].value
        if num_features is None:
            raise ValueError("`C` dimension must be known but is None")
        biases = framework_variables.model_variable(
            "biases", shape=[num_features], dtype=dtype, initializer=initializer,
            regularizer=regularizer, trainable=trainable,
            collections=get_variable_collections(variables_collections, "biases"))
        outputs = nn.bias_add(inputs, biases, data_format=data_format)
        return _finish(outputs, None, None, activation_fn, outputs_collections, sc.name)


conv1d = convolution1d
conv2d = convolution2d
conv3d = convolution3d
conv2d_transpose = convolution2d_transpose
conv3d_transpose = convolution3d_transpose
separable_conv2d = separable_convolution2d

# Fully connected layers with a fixed activation (TF-Slim's shorthands).
elu = functools.partial(fully_connected, activation_fn=nn.elu)
relu = functools.partial(fully_connected, activation_fn=nn.relu)
relu6 = functools.partial(fully_connected, activation_fn=nn.relu6)
linear = functools.partial(fully_connected, activation_fn=None)
