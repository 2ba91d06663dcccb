"""TF-Slim's normalization layers: `batch_norm` (variables `beta`, `gamma` when `scale`,
`moving_mean`, `moving_variance` in scope "BatchNorm"), `layer_norm` (scope "LayerNorm"),
`instance_norm` (scope "InstanceNorm") and `group_norm` (scope "GroupNorm").

Both are usable as a `normalizer_fn` of `conv2d` / `fully_connected`.

Example:
    >>> with slim.arg_scope([slim.conv2d], normalizer_fn=slim.batch_norm,
    ...                     normalizer_params={"is_training": False, "scale": True}):
    ...     net = slim.conv2d(images, 64, [3, 3], scope="conv1")
    >>> # conv1/weights, conv1/BatchNorm/{beta, gamma, moving_mean, moving_variance}
"""

from tensorflux import nn
from tensorflux import variable_scope as vs
from tensorflux.contrib.framework import variables as framework_variables
from tensorflux.contrib.framework.arg_scope import add_arg_scope
from tensorflux.contrib.layers.layers import (
    _add_variable_to_collections,
    _build_variable_getter,
)
from tensorflux.contrib.layers.utils import collect_named_outputs, get_variable_collections
from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.graph.graph import GraphKeys
from tensorflux.layers import normalization
from tensorflux.layers import utils as layer_utils
from tensorflux.ops import array_ops, constant_op, init_ops, math_ops

DATA_FORMAT_NCHW = "NCHW"
DATA_FORMAT_NHWC = "NHWC"


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




@add_arg_scope
def layer_norm(inputs, center=True, scale=True, activation_fn=None, reuse=None,
               variables_collections=None, outputs_collections=None, trainable=True,
               begin_norm_axis=1, begin_params_axis=-1, scope=None):
    """Layer normalization: moments over axes `begin_norm_axis..` (all but the batch by
    default), `beta` / `gamma` of shape `inputs.shape[begin_params_axis:]`, scope "LayerNorm".

    Raises:
        ValueError: If the rank is unknown, an axis is out of range, or the parameter shape is
            not fully defined.

    Example:
        >>> net = slim.layer_norm(net)   # LayerNorm/beta, LayerNorm/gamma of shape [C]
    """
    with vs.variable_scope(scope, "LayerNorm", [inputs], reuse=reuse) as sc:
        inputs = constant_op.convert_to_tensor(inputs)
        inputs_shape = inputs.get_shape()
        inputs_rank = inputs_shape.ndims
        if inputs_rank is None:
            raise ValueError("Inputs %s has undefined rank." % inputs.name)
        dtype = inputs.dtype.base_dtype
        if begin_norm_axis < 0:
            begin_norm_axis = inputs_rank + begin_norm_axis
        if begin_params_axis >= inputs_rank or begin_norm_axis >= inputs_rank:
            raise ValueError("begin_params_axis (%d) and begin_norm_axis (%d) must be < "
                             "rank(inputs) (%d)" % (begin_params_axis, begin_norm_axis,
                                                    inputs_rank))
        params_shape = inputs_shape[begin_params_axis:]
        if not params_shape.is_fully_defined():
            raise ValueError("Inputs %s: shape(inputs)[%s:] is not fully defined: %s"
                             % (inputs.name, begin_params_axis, inputs_shape))
        beta = gamma = None
        if center:
            beta = framework_variables.model_variable(
                "beta", shape=params_shape, dtype=dtype,
                initializer=init_ops.zeros_initializer(),
                collections=get_variable_collections(variables_collections, "beta"),
                trainable=trainable)
        if scale:
            gamma = framework_variables.model_variable(
                "gamma", shape=params_shape, dtype=dtype,
                initializer=init_ops.ones_initializer(),
                collections=get_variable_collections(variables_collections, "gamma"),
                trainable=trainable)
        norm_axes = list(range(begin_norm_axis, inputs_rank))
        mean, variance = nn.moments(inputs, norm_axes, keep_dims=True)
        variance_epsilon = 1e-12 if dtype != dtypes.float16 else 1e-3
        outputs = nn.batch_normalization(inputs, mean, variance, offset=beta, scale=gamma,
                                         variance_epsilon=variance_epsilon)
        outputs.set_shape(inputs_shape)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


def _norm_params(params_shape, dtype, center, scale, param_initializers, variables_collections,
                 trainable, broadcast_shape=None):
    """`beta` / `gamma` model variables of `params_shape` (None when disabled), reshaped to
    `broadcast_shape` when given."""
    inits = param_initializers or {}
    params = []
    for name, enabled, default in (("beta", center, init_ops.zeros_initializer()),
                                   ("gamma", scale, init_ops.ones_initializer())):
        param = None
        if enabled:
            param = framework_variables.model_variable(
                name, shape=params_shape, dtype=dtype, initializer=inits.get(name, default),
                collections=get_variable_collections(variables_collections, name),
                trainable=trainable)
            if broadcast_shape:
                param = array_ops.reshape(param, broadcast_shape)
        params.append(param)
    return params


@add_arg_scope
def instance_norm(inputs, center=True, scale=True, epsilon=1e-6, activation_fn=None,
                  param_initializers=None, reuse=None, variables_collections=None,
                  outputs_collections=None, trainable=True, data_format=DATA_FORMAT_NHWC,
                  scope=None):
    """Instance normalization (Ulyanov et al.): each example's channels are normalized over
    the spatial axes; `beta` / `gamma` of shape [C] in scope "InstanceNorm".

    Raises:
        ValueError: If `data_format` is neither NHWC nor NCHW, or the rank or the channels
            dimension of `inputs` is unknown.

    Example:
        >>> net = tf.contrib.layers.instance_norm(images)  # InstanceNorm/beta, InstanceNorm/gamma
    """
    inputs = constant_op.convert_to_tensor(inputs)
    inputs_shape = inputs.get_shape()
    inputs_rank = inputs_shape.ndims
    if inputs_rank is None:
        raise ValueError("Inputs %s has undefined rank." % inputs.name)
    if data_format not in (DATA_FORMAT_NCHW, DATA_FORMAT_NHWC):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with vs.variable_scope(scope, "InstanceNorm", [inputs], reuse=reuse) as sc:
        if data_format == DATA_FORMAT_NCHW:
            reduction_axis = 1
            # TF reshapes the NCHW parameters to [1, C, 1, ...] rather than broadcasting.
            broadcast_shape = [1, inputs_shape[1].value] + [1] * (inputs_rank - 2)
        else:
            reduction_axis = inputs_rank - 1
            broadcast_shape = None
        moments_axes = [a for a in range(1, inputs_rank) if a != reduction_axis]
        params_shape = inputs_shape[reduction_axis:reduction_axis + 1]
        if not params_shape.is_fully_defined():
            raise ValueError("Inputs %s has undefined channels dimension %s."
                             % (inputs.name, params_shape))
        beta, gamma = _norm_params(params_shape, inputs.dtype.base_dtype, center, scale,
                                   param_initializers, variables_collections, trainable,
                                   broadcast_shape)
        mean, variance = nn.moments(inputs, moments_axes, keep_dims=True)
        outputs = nn.batch_normalization(inputs, mean, variance, beta, gamma, epsilon,
                                         name="instancenorm")
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def group_norm(inputs, groups=32, channels_axis=-1, reduction_axes=(-3, -2), center=True,
               scale=True, epsilon=1e-6, activation_fn=None, param_initializers=None, reuse=None,
               variables_collections=None, outputs_collections=None, trainable=True,
               scope=None, mean_close_to_zero=False):
    """Group normalization (Wu & He): the channels are split into `groups`, each normalized
    over itself and `reduction_axes`; `beta` / `gamma` of shape [C] in scope "GroupNorm".

    NHWC inputs use the defaults; NCHW inputs pass `channels_axis=-3, reduction_axes=(-2, -1)`.
    Only the channels and reduction dimensions must be known statically. With
    `mean_close_to_zero`, the moments come from `nn.sufficient_statistics` (one pass) instead of
    `nn.moments`.

    Raises:
        ValueError: If the rank, the channels or a reduction dimension is unknown, an axis is
            out of bounds, `channels_axis` is in `reduction_axes`, or `groups` does not divide
            the number of channels.

    Example:
        >>> net = tf.contrib.layers.group_norm(net, groups=8)  # GroupNorm/beta, GroupNorm/gamma
    """
    inputs = constant_op.convert_to_tensor(inputs)
    rank = inputs.get_shape().ndims
    if rank is None:
        raise ValueError("Inputs %s has undefined rank." % inputs.name)
    if channels_axis > rank - 1:
        raise ValueError("Axis is out of bounds.")
    # The static size where known, else the dynamic one.
    dynamic_shape = array_ops.shape(inputs)
    input_shape_list = [dynamic_shape[i] if dim.value is None else dim.value
                        for i, dim in enumerate(inputs.get_shape().dims)]
    if channels_axis < 0:
        channels_axis = rank + channels_axis
    channels = inputs.get_shape()[channels_axis].value
    if channels is None:
        raise ValueError("Inputs %s has undefined channel dimension: %d."
                         % (inputs.name, channels_axis))
    reduction_axes = [a + rank if a < 0 else a for a in reduction_axes]
    for a in reduction_axes:
        if a > rank:  # TF's own (off-by-one) bound
            raise ValueError("Axis is out of bounds.")
        if inputs.get_shape()[a].value is None:
            raise ValueError("Inputs %s has undefined dimensions %d." % (inputs.name, a))
        if channels_axis == a:
            raise ValueError("reduction_axis must be mutually exclusive with channels_axis")
    if groups > channels:
        raise ValueError("Invalid groups %d for %d channels." % (groups, channels))
    if channels % groups != 0:
        raise ValueError("%d channels is not commensurate with %d groups."
                         % (channels, groups))
    # Split the channels axis into [groups, channels // groups].
    axes_before = input_shape_list[:channels_axis]
    axes_after = input_shape_list[channels_axis + 1:]
    broadcast_shape = ([1] * len(axes_before) + [groups, channels // groups]
                       + [1] * len(axes_after))
    inputs = array_ops.reshape(inputs, axes_before + [groups, channels // groups] + axes_after)
    moments_axes = [channels_axis + 1] + [a + 1 if a > channels_axis else a
                                          for a in reduction_axes]
    with vs.variable_scope(scope, "GroupNorm", [inputs], reuse=reuse) as sc:
        beta, gamma = _norm_params([channels], inputs.dtype.base_dtype, center, scale,
                                   param_initializers, variables_collections, trainable,
                                   broadcast_shape)
        if mean_close_to_zero:
            counts, means_ss, variance_ss, _ = nn.sufficient_statistics(
                inputs, moments_axes, keep_dims=True)
            mean, variance = nn.normalize_moments(counts, means_ss, variance_ss, shift=None)
        else:
            mean, variance = nn.moments(inputs, moments_axes, keep_dims=True)
        gain = math_ops.rsqrt(variance + epsilon)
        offset = -mean * gain
        if gamma is not None:
            gain *= gamma
            offset *= gamma
        if beta is not None:
            offset += beta
        outputs = inputs * gain + offset
        outputs = array_ops.reshape(outputs, input_shape_list)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)
