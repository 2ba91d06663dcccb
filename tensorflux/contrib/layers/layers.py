"""TF-Slim style layers (`tf.contrib.layers.conv2d`, `fully_connected`, `batch_norm`, …).

They wrap the `tf.layers` classes in a variable scope named like TF-Slim's (`Conv`,
`fully_connected`, `BatchNorm`, `Dropout`, or `scope=`) whose custom getter renames `kernel` to
`weights` and `bias` to `biases` and adds every variable to `tf.GraphKeys.MODEL_VARIABLES`, so
checkpoints and variable names match TF-Slim models (`conv1/weights`, `fc6/biases`).
"""

import weakref

from tensorflux import nn
from tensorflux import variable_scope as vs
from tensorflux.contrib.layers import initializers
from tensorflux.contrib.layers.arg_scope import add_arg_scope
from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.layers import convolutional, core, normalization, pooling
from tensorflux.layers import utils as layer_utils
from tensorflux.ops import array_ops, constant_op, init_ops

DATA_FORMAT_NCHW = "NCHW"
DATA_FORMAT_NHWC = "NHWC"
DATA_FORMAT_NCDHW = "NCDHW"
DATA_FORMAT_NDHWC = "NDHWC"

_ALIASES = weakref.WeakKeyDictionary()


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


def get_variable_collections(variables_collections, name):
    if isinstance(variables_collections, dict):
        return variables_collections.get(name, None)
    return variables_collections


def _add_variable_to_collections(variable, collections_set, collections_name):
    for collection in get_variable_collections(collections_set, collections_name) or []:
        if variable not in graph_lib.get_collection(collection):
            graph_lib.add_to_collection(collection, variable)


def append_tensor_alias(tensor, alias):
    """Records `alias` (e.g. the layer's scope name) for `tensor`; see `get_tensor_aliases`."""
    if alias[-1] == "/":
        alias = alias[:-1]
    _ALIASES.setdefault(tensor, []).append(alias)
    return tensor


def get_tensor_aliases(tensor):
    return list(_ALIASES.get(tensor, []))


def collect_named_outputs(collections, alias, outputs):
    """Adds `outputs` (aliased `alias`) to `collections`; returns `outputs`."""
    if collections:
        append_tensor_alias(outputs, alias)
        graph_lib.add_to_collections(collections, outputs)
    return outputs


def _data_format_to_keras(data_format):
    return "channels_first" if data_format and data_format.startswith("NC") else "channels_last"


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
        if normalizer_fn is not None:
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


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
        if normalizer_fn is not None:
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


# --- pooling, flatten, dropout ------------------------------------------------------------------
def _pool2d(cls, default_name, inputs, kernel_size, stride, padding, data_format,
            outputs_collections, scope):
    if data_format not in (DATA_FORMAT_NCHW, DATA_FORMAT_NHWC):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with graph_lib.name_scope(scope, default_name, [inputs]) as sc:
        inputs = constant_op.convert_to_tensor(inputs)
        layer = cls(pool_size=kernel_size, strides=stride, padding=padding,
                    data_format=_data_format_to_keras(data_format), _scope=sc)
        outputs = layer.apply(inputs)
        return collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def max_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format=DATA_FORMAT_NHWC,
               outputs_collections=None, scope=None):
    """2-D max pooling (name scope "MaxPool2D"); stride 2 and VALID padding by default.

    Example:
        >>> net = tf.contrib.layers.max_pool2d(net, [2, 2], scope="pool1")
    """
    return _pool2d(pooling.MaxPooling2D, "MaxPool2D", inputs, kernel_size, stride, padding,
                   data_format, outputs_collections, scope)


@add_arg_scope
def avg_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format=DATA_FORMAT_NHWC,
               outputs_collections=None, scope=None):
    """2-D average pooling (name scope "AvgPool2D"); stride 2 and VALID padding by default."""
    return _pool2d(pooling.AveragePooling2D, "AvgPool2D", inputs, kernel_size, stride, padding,
                   data_format, outputs_collections, scope)


@add_arg_scope
def flatten(inputs, outputs_collections=None, scope=None):
    """Flattens `inputs` to `[batch, k]` (name scope "Flatten")."""
    with graph_lib.name_scope(scope, "Flatten", [inputs]) as sc:
        inputs = constant_op.convert_to_tensor(inputs)
        outputs = core.flatten(inputs)
        return collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def dropout(inputs, keep_prob=0.5, noise_shape=None, is_training=True, outputs_collections=None,
            scope=None, seed=None):
    """Keeps each element with probability `keep_prob` (scaled by `1 / keep_prob`) when
    `is_training` (a Python bool or a bool tensor); the identity otherwise."""
    with vs.variable_scope(scope, "Dropout", [inputs],
                           custom_getter=_model_variable_getter) as sc:
        inputs = constant_op.convert_to_tensor(inputs)
        layer = core.Dropout(rate=1 - keep_prob, noise_shape=noise_shape, seed=seed,
                             name=sc.name, _scope=sc)
        outputs = layer.apply(inputs, training=is_training)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


# --- batch normalization -----------------------------------------------------------------
def _model_variable(name, shape, dtype, initializer, collections, trainable, regularizer=None):
    collections = list(collections or []) + [GraphKeys.GLOBAL_VARIABLES,
                                             GraphKeys.MODEL_VARIABLES]
    return vs.get_variable(name, shape=shape, dtype=dtype, initializer=initializer,
                           regularizer=regularizer, trainable=trainable,
                           collections=list(dict.fromkeys(collections)))


def _bn_variables(params_shape, dtype, center, scale, param_initializers, param_regularizers,
                  variables_collections, trainable):
    inits = param_initializers or {}
    regs = param_regularizers or {}
    beta = gamma = None
    if center:
        beta = _model_variable("beta", params_shape, dtype,
                               inits.get("beta", init_ops.zeros_initializer()),
                               get_variable_collections(variables_collections, "beta"),
                               trainable, regs.get("beta"))
    if scale:
        gamma = _model_variable("gamma", params_shape, dtype,
                                inits.get("gamma", init_ops.ones_initializer()),
                                get_variable_collections(variables_collections, "gamma"),
                                trainable, regs.get("gamma"))
    with vs.variable_scope(vs.get_variable_scope()) as local_scope:
        local_scope.set_partitioner(None)
        moving_mean = _model_variable(
            "moving_mean", params_shape, dtype,
            inits.get("moving_mean", init_ops.zeros_initializer()),
            get_variable_collections(variables_collections, "moving_mean"), False)
        moving_variance = _model_variable(
            "moving_variance", params_shape, dtype,
            inits.get("moving_variance", init_ops.ones_initializer()),
            get_variable_collections(variables_collections, "moving_variance"), False)
    return beta, gamma, moving_mean, moving_variance


def _moving_updates(moving_mean, moving_variance, mean, variance, decay, is_training):
    """The two moving-average updates; when `is_training` is a tensor, they leave the moving
    statistics unchanged where it is false (TF builds them inside a `tf.cond`)."""
    update_mean = normalization.assign_moving_average(moving_mean, mean, decay, is_training)
    update_variance = normalization.assign_moving_average(moving_variance, variance, decay,
                                                          is_training)
    return update_mean, update_variance


def _add_or_force_updates(outputs, moving_mean, moving_variance, mean, variance, decay,
                          is_training, updates_collections):
    """TF-Slim's two ways to run the updates: with every run of `outputs` (collections None),
    or from `updates_collections`. Returns the outputs."""
    def updates():
        return _moving_updates(moving_mean, moving_variance, mean, variance, decay, is_training)

    def moving_values():
        return (constant_op.convert_to_tensor(moving_mean),
                constant_op.convert_to_tensor(moving_variance))

    if updates_collections is None:
        def force_updates():
            with graph_lib.control_dependencies(list(updates())):
                return array_ops.identity(outputs)

        return layer_utils.smart_cond(is_training, force_updates, lambda: outputs)
    update_mean, update_variance = layer_utils.smart_cond(is_training, updates, moving_values)
    graph_lib.add_to_collections(updates_collections, update_mean)
    graph_lib.add_to_collections(updates_collections, update_variance)
    return outputs


def _fused_batch_norm(inputs, decay, center, scale, epsilon, activation_fn, param_initializers,
                      param_regularizers, updates_collections, is_training, reuse,
                      variables_collections, outputs_collections, trainable, data_format,
                      scope):
    if data_format not in (DATA_FORMAT_NCHW, DATA_FORMAT_NHWC):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with vs.variable_scope(scope, "BatchNorm", [inputs], reuse=reuse) as sc:
        inputs = constant_op.convert_to_tensor(inputs)
        original_inputs = inputs
        original_shape = inputs.get_shape()
        if original_shape.ndims is None:
            raise ValueError("Inputs %s has undefined rank" % inputs.name)
        if original_shape.ndims not in (2, 4):
            raise ValueError("Inputs %s has unsupported rank. Expected 2 or 4 but got %d"
                             % (inputs.name, original_shape.ndims))
        if original_shape.ndims == 2:
            channels = original_shape[-1].value
            if channels is None:
                raise ValueError("`C` dimension must be known but is None")
            new_shape = [-1, channels, 1, 1] if data_format == DATA_FORMAT_NCHW else [
                -1, 1, 1, channels]
            inputs = array_ops.reshape(inputs, new_shape)
        inputs_shape = inputs.get_shape()
        params_shape = inputs_shape[-1:] if data_format == DATA_FORMAT_NHWC else inputs_shape[1:2]
        if not params_shape.is_fully_defined():
            raise ValueError("Inputs %s has undefined `C` dimension %s."
                             % (inputs.name, params_shape))
        beta, gamma, moving_mean, moving_variance = _bn_variables(
            params_shape, dtypes.float32, center, scale, param_initializers, param_regularizers,
            variables_collections, trainable)
        if beta is None:
            beta = constant_op.constant(0.0, dtype=dtypes.float32, shape=params_shape.as_list())
        if gamma is None:
            gamma = constant_op.constant(1.0, dtype=dtypes.float32, shape=params_shape.as_list())

        def fbn_training():
            return nn.fused_batch_norm(inputs, gamma, beta, epsilon=epsilon,
                                       data_format=data_format)

        def fbn_inference():
            return nn.fused_batch_norm(inputs, gamma, beta, mean=moving_mean,
                                       variance=moving_variance, epsilon=epsilon,
                                       is_training=False, data_format=data_format)

        outputs, mean, variance = layer_utils.smart_cond(is_training, fbn_training,
                                                         fbn_inference)
        training_value = layer_utils.constant_value(is_training)
        if training_value is None or training_value:
            outputs = _add_or_force_updates(outputs, moving_mean, moving_variance, mean,
                                            variance, decay, is_training, updates_collections)
        outputs.set_shape(inputs_shape)
        if original_shape.ndims == 2:
            dims = original_shape.as_list()
            if sum(d is None for d in dims) <= 1:
                outputs = array_ops.reshape(outputs, [-1 if d is None else d for d in dims])
            else:
                outputs = array_ops.reshape(outputs, array_ops.shape(original_inputs))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def batch_norm(inputs, decay=0.999, center=True, scale=False, epsilon=0.001, activation_fn=None,
               param_initializers=None, param_regularizers=None,
               updates_collections=GraphKeys.UPDATE_OPS, is_training=True, reuse=None,
               variables_collections=None, outputs_collections=None, trainable=True,
               batch_weights=None, fused=None, data_format=DATA_FORMAT_NHWC,
               zero_debias_moving_mean=False, scope=None, renorm=False, renorm_clipping=None,
               renorm_decay=0.99, adjustment=None):
    """TF-Slim's batch normalization: variables `beta` (and `gamma` if `scale`),
    `moving_mean`, `moving_variance` in scope "BatchNorm"; the moving averages' updates go to
    `updates_collections` (or run with the output when it is None).

    Example:
        >>> net = slim.conv2d(x, 64, [3, 3], normalizer_fn=slim.batch_norm,
        ...                   normalizer_params={"is_training": is_training})
    """
    if batch_weights is not None or zero_debias_moving_mean:
        raise NotImplementedError("batch_norm with batch_weights or zero_debias_moving_mean is "
                                  "not supported yet")
    if fused is None:
        fused = True
    inputs = constant_op.convert_to_tensor(inputs)
    rank = inputs.get_shape().ndims
    default_updates = updates_collections == GraphKeys.UPDATE_OPS
    possible_to_fuse = not renorm and rank in (2, 4) and adjustment is None
    if fused and possible_to_fuse and (rank == 2 or not default_updates):
        return _fused_batch_norm(inputs, decay, center, scale, epsilon, activation_fn,
                                 param_initializers, param_regularizers, updates_collections,
                                 is_training, reuse, variables_collections, outputs_collections,
                                 trainable, data_format, scope)
    if data_format not in (DATA_FORMAT_NCHW, DATA_FORMAT_NHWC):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with vs.variable_scope(scope, "BatchNorm", [inputs], reuse=reuse,
                           custom_getter=_build_variable_getter()) as sc:
        if default_updates:
            inits = param_initializers or {}
            regs = param_regularizers or {}
            layer = normalization.BatchNormalization(
                axis=1 if data_format == DATA_FORMAT_NCHW else -1, momentum=decay,
                epsilon=epsilon, center=center, scale=scale,
                beta_initializer=inits.get("beta", init_ops.zeros_initializer()),
                gamma_initializer=inits.get("gamma", init_ops.ones_initializer()),
                moving_mean_initializer=inits.get("moving_mean", init_ops.zeros_initializer()),
                moving_variance_initializer=inits.get("moving_variance",
                                                      init_ops.ones_initializer()),
                beta_regularizer=regs.get("beta"), gamma_regularizer=regs.get("gamma"),
                trainable=trainable, renorm=renorm, renorm_clipping=renorm_clipping,
                renorm_momentum=renorm_decay, adjustment=adjustment, name=sc.name, _scope=sc,
                _reuse=reuse, fused=fused)
            outputs = layer.apply(inputs, training=is_training)
            _add_variable_to_collections(layer.moving_mean, variables_collections,
                                         "moving_mean")
            _add_variable_to_collections(layer.moving_variance, variables_collections,
                                         "moving_variance")
            if layer.beta is not None:
                _add_variable_to_collections(layer.beta, variables_collections, "beta")
            if layer.gamma is not None:
                _add_variable_to_collections(layer.gamma, variables_collections, "gamma")
        else:
            if renorm:
                raise ValueError("renorm is not supported with batch_weights, "
                                 "updates_collections or zero_debias_moving_mean")
            outputs = _moments_batch_norm(inputs, decay, center, scale, epsilon,
                                          param_initializers, updates_collections, is_training,
                                          variables_collections, trainable, data_format)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


def _moments_batch_norm(inputs, decay, center, scale, epsilon, param_initializers,
                        updates_collections, is_training, variables_collections, trainable,
                        data_format):
    """The non-fused, non-layer path (custom `updates_collections` on rank != 2, 4 inputs)."""
    inputs_shape = inputs.get_shape()
    rank = inputs_shape.ndims
    if rank is None:
        raise ValueError("Inputs %s has undefined rank." % inputs.name)
    if data_format == DATA_FORMAT_NCHW:
        moments_axes = [0] + list(range(2, rank))
        params_shape = inputs_shape[1:2]
        broadcast = [1, inputs_shape[1].value] + [1] * (rank - 2)
    else:
        moments_axes = list(range(rank - 1))
        params_shape = inputs_shape[-1:]
        broadcast = None
    if not params_shape.is_fully_defined():
        raise ValueError("Inputs %s has undefined channels dimension %s."
                         % (inputs.name, params_shape))
    beta, gamma, moving_mean, moving_variance = _bn_variables(
        params_shape, inputs.dtype.base_dtype, center, scale, param_initializers, None,
        variables_collections, trainable)
    training_value = layer_utils.constant_value(is_training)
    if training_value is None or training_value:
        if data_format == DATA_FORMAT_NCHW:
            mean, variance = nn.moments(inputs, moments_axes, keep_dims=True)
            mean = array_ops.reshape(mean, [-1])
            variance = array_ops.reshape(variance, [-1])
        else:
            mean, variance = nn.moments(inputs, moments_axes)

        def moving_values():
            return (constant_op.convert_to_tensor(moving_mean),
                    constant_op.convert_to_tensor(moving_variance))

        def updates():
            return _moving_updates(moving_mean, moving_variance, mean, variance, decay,
                                   is_training)

        if updates_collections is None:
            def force_updates():
                with graph_lib.control_dependencies(list(updates())):
                    return array_ops.identity(mean), array_ops.identity(variance)

            mean, variance = layer_utils.smart_cond(is_training, force_updates, moving_values)
        else:
            update_mean, update_variance = layer_utils.smart_cond(is_training, updates,
                                                                  moving_values)
            graph_lib.add_to_collections(updates_collections, update_mean)
            graph_lib.add_to_collections(updates_collections, update_variance)
            batch = (mean, variance)
            mean, variance = layer_utils.smart_cond(is_training, lambda: batch, moving_values)
    else:
        mean, variance = moving_mean, moving_variance
    if broadcast is not None:
        mean = array_ops.reshape(mean, broadcast)
        variance = array_ops.reshape(variance, broadcast)
        beta = array_ops.reshape(beta, broadcast) if beta is not None else None
        gamma = array_ops.reshape(gamma, broadcast) if gamma is not None else None
    outputs = nn.batch_normalization(inputs, mean, variance, beta, gamma, epsilon)
    outputs.set_shape(inputs_shape)
    return outputs


conv1d = convolution1d
conv2d = convolution2d
conv3d = convolution3d
